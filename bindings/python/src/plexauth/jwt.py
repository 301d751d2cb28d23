"""JWT device authentication (hand-written over ``plexauth_device_key_*`` and ``plexauth_jwt_session_*``).

Plex's newer authentication gives each device an Ed25519 key; plex.tv exchanges a short device JWT
signed with it for a Plex JWT (7 days), used as X-Plex-Token with plex.tv (not yet with Plex Media
Server). See docs/jwt.md for the caveats (a JWT issued for a client identifier ends that device's
legacy token).

* :class:`DeviceKey` owns a native key (``plexauth_device_key``): generated, read from PEM text, a
  0600 file or the application's own keystore (``load_or_create_with`` / ``save_with``), written back; its ``id`` (RFC 7638 thumbprint) and public ``jwk`` are plain text, the
  private key is a secret (``to_pem()`` only; never in ``repr()``). Closing it (or garbage
  collection) frees it, and the library wipes the private key.
* :class:`JwtSession` owns a ``plexauth_jwt_session``: the current Plex JWT, refreshed with the key
  when less than the margin is left, single-flight across threads. ``PlexAPI(access_token=session)``
  makes it a client's token provider (natively: ``plexauth_jwt_session_provider``).
* The client methods are on :class:`plexauth.PlexAPI`: ``register_device_key``, ``jwt_login``,
  ``jwt_verify`` (and their ``_async`` twins).

Lifetimes: a key or a session in use by a call on another thread is freed only when that call
returns (``close()`` waits for it, as :meth:`PlexAPI.close` does); a session keeps the client it
refreshes with open until the session is freed, and a client using a session as its token provider
keeps the session until the client is freed.
"""

from __future__ import annotations

import ctypes
import os
import threading
from contextlib import contextmanager
from ctypes import byref, c_int, c_int64, c_size_t, c_void_p, create_string_buffer
from typing import TYPE_CHECKING, Any, Callable, Iterator, NamedTuple, Optional, Tuple, Union

from . import _native
from ._native import enc, lib
from .models import errors

if TYPE_CHECKING:
    from types import TracebackType

    from .sdk import PlexAPI

PathLike = Union[str, "os.PathLike[str]"]

#: The lifetime of a device JWT plex.tv's own clients use (seconds).
DEVICE_JWT_LIFETIME_S = 300


#: A keystore's read function for :meth:`DeviceKey.load_or_create_with`: the stored PEM text, or None
#: when the keystore holds no key yet.
KeyStoreRead = Callable[[], Union[str, bytes, None]]
#: A keystore's write function: stores the PEM text it is given (a secret) or raises.
KeyStoreWrite = Callable[[bytes], None]


class _KeyStoreCallbacks:
    """The C read/write functions over a Python keystore's callables. An exception raised by either
    never unwinds into C: the C function returns 1 and :meth:`raise_for` raises it from the call."""

    def __init__(self, read: Optional[KeyStoreRead], write: KeyStoreWrite) -> None:
        if read is not None and not callable(read):
            raise TypeError(f"read must be callable, not {type(read).__name__}")
        if not callable(write):
            raise TypeError(f"write must be callable, not {type(write).__name__}")
        self.failure: Optional[BaseException] = None
        self.failed_in = ""
        L = lib()

        def on_read(_user_data: Any, sink: Any) -> int:
            try:
                assert read is not None
                pem = read()
                if pem is None:
                    return 0
                data = _pem_bytes(pem, "the keystore's read returned")
                if L.plexauth_key_sink_set(sink, data, len(data)) != 0:
                    raise ValueError("the keystore's read returned text that is not PEM text "
                                     "(not UTF-8, a NUL inside, or over 64 KiB)")
                return 0
            except BaseException as exc:  # never unwinds into C: the call fails, raise_for raises it
                self.failure, self.failed_in = exc, "read"
                return 1

        def on_write(_user_data: Any, pem: Optional[bytes], length: int) -> int:
            try:
                write((pem or b"")[:length])
                return 0
            except BaseException as exc:  # never unwinds into C
                self.failure, self.failed_in = exc, "write"
                return 1

        self.read = _native.KEYSTORE_READ_FN(on_read) if read is not None else None
        self.write = _native.KEYSTORE_WRITE_FN(on_write)

    def raise_for(self, operation: str, status: int, err: c_void_p) -> None:
        """Raises the call's failure: the callback's own exception as the ``__cause__`` of
        :class:`errors.CallbackError` (KeyboardInterrupt / SystemExit as they are)."""
        exc = _fail(operation, status, err)
        cause = self.failure
        if cause is None:
            raise exc
        self.failure = None
        if not isinstance(cause, Exception):
            raise cause from None
        if isinstance(exc, errors.PlexAuthError):
            raise errors.CallbackError(
                f"the keystore's {self.failed_in} raised {type(cause).__name__}: {operation} failed",
                detail=exc.detail._replace(status_name="callback_error"),
            ) from cause
        raise exc from cause


def _path(path: PathLike) -> bytes:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    raw = os.fsencode(path)
    if b"\x00" in raw:
        raise errors.InvalidArgument("path contains a NUL character")
    return raw


def _fail(operation: str, status: int, err: c_void_p) -> BaseException:
    from .sdk import _failure

    return _failure(operation, status, err)


def _read_text(fill: Callable[[Any, int, Any], Tuple[int, c_void_p]], operation: str, size: int, secret: bool) -> str:
    """Calls ``fill(buf, size, byref(len))`` (a C function writing text into a caller's buffer, with
    the caller's ``err``), growing the buffer once when it was too small. A secret buffer is wiped."""
    while True:
        buf, needed = create_string_buffer(size), c_size_t(0)
        try:
            status, err = fill(buf, size, byref(needed))
            if status == 0:
                return buf.value.decode("utf-8")
            if needed.value >= size:  # too small: retry with the size it takes
                if err.value:
                    lib().plexauth_error_free(err.value)
                size = needed.value + 1
                continue
            raise _fail(operation, status, err)
        finally:
            if secret:
                ctypes.memset(buf, 0, size)


class _Owner:
    """A native handle used by calls on any thread and freed once: ``close()`` marks it closed and
    frees it when the last call using it has returned (``_using``)."""

    __slots__ = ("_handle", "_state", "_users", "_closing", "__weakref__")

    _handle: Optional[int]
    _what = "handle"

    def _own(self, handle: int) -> None:
        self._state = threading.Lock()
        self._users = 0
        self._closing = False
        self._handle = handle

    def _free(self, handle: int) -> None:
        raise NotImplementedError

    def _hold(self) -> int:
        with self._state:
            if self._closing or not self._handle:
                raise RuntimeError(f"this {self._what} is closed")
            self._users += 1
            return self._handle

    def _unhold(self) -> None:
        with self._state:
            self._users -= 1
            handle = self._take_if_done()
        if handle:
            self._free(handle)

    def _take_if_done(self) -> Optional[int]:  # under _state
        if self._closing and self._users == 0:
            handle, self._handle = self._handle, None
            return handle
        return None

    @contextmanager
    def _using(self) -> Iterator[int]:
        handle = self._hold()
        try:
            yield handle
        finally:
            self._unhold()

    @property
    def closed(self) -> bool:
        return getattr(self, "_closing", True) or not getattr(self, "_handle", None)

    def close(self) -> None:
        """Frees the native object once no call uses it any more. Idempotent."""
        state = getattr(self, "_state", None)
        if state is None:
            return
        with state:
            self._closing = True
            handle = self._take_if_done()
        if handle:
            self._free(handle)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __reduce__(self) -> Any:
        raise TypeError(f"a {self._what} cannot be copied or pickled")


def _pem_bytes(pem: object, what: str) -> bytes:
    """PEM text given as str or bytes, as bytes; a TypeError ("<what> a str or bytes, not ...")
    for anything else."""
    if isinstance(pem, str):
        return pem.encode("utf-8")
    if isinstance(pem, (bytes, bytearray)):
        return bytes(pem)
    raise TypeError(f"{what} a str or bytes, not {type(pem).__name__}")


class DeviceKey(_Owner):
    """A device's Ed25519 key pair for JWT device authentication (``plexauth_device_key``).

    Make one with :meth:`generate`, :meth:`from_pem`, :meth:`load`, :meth:`load_or_create` or
    :meth:`load_or_create_with` (the application's own keystore). The
    public half goes to plex.tv (:meth:`plexauth.PlexAPI.register_device_key`); the private half
    signs device JWTs. One key per client identifier, never shared between devices.

    ``id`` and ``jwk`` are public; the private key leaves only through :meth:`to_pem` /
    :meth:`save` / :meth:`save_with` (never through ``repr()``; a key cannot be pickled). :meth:`close` (or ``with``,
    or garbage collection) frees it and the library wipes the private key. Thread-safe.
    """

    __slots__ = ("_id", "_jwk", "_created")
    _what = "DeviceKey"
    _id: str
    _jwk: str
    _created: bool

    def __init__(self) -> None:
        raise TypeError("use DeviceKey.generate(), from_pem(), load(), load_or_create() or load_or_create_with()")

    @classmethod
    def _adopt(cls, handle: Optional[int], created: bool) -> "DeviceKey":
        assert handle
        self: DeviceKey = object.__new__(cls)
        L = lib()
        try:
            self._id = (L.plexauth_device_key_id(handle) or b"").decode("ascii")
            self._jwk = (L.plexauth_device_key_jwk(handle) or b"").decode("utf-8")
        except BaseException:
            L.plexauth_device_key_free(handle)
            raise
        self._created = created
        self._own(handle)
        return self

    def _free(self, handle: int) -> None:
        lib().plexauth_device_key_free(handle)

    # ------------------------------------------------------------ constructors

    @classmethod
    def generate(cls) -> "DeviceKey":
        """A new random key pair (OpenSSL). Register it before using it for a JWT."""
        out, err = c_void_p(), c_void_p()
        status = lib().plexauth_device_key_generate(byref(out), byref(err))
        if status != 0:
            raise _fail("device_key_generate", status, err)
        return cls._adopt(out.value, True)

    @classmethod
    def from_pem(cls, pem: Union[str, bytes]) -> "DeviceKey":
        """A key from PKCS#8 PEM text (``-----BEGIN PRIVATE KEY-----``, unencrypted Ed25519), e.g.
        from the application's own keystore. Raises :class:`errors.InvalidArgument` for anything
        else (the text is not repeated in the message)."""
        data = _pem_bytes(pem, "pem must be")
        if b"\x00" in data:
            raise errors.InvalidArgument("pem contains a NUL character")
        buf = create_string_buffer(data, len(data) + 1)  # a copy this code can wipe
        out, err = c_void_p(), c_void_p()
        try:
            status = lib().plexauth_device_key_from_pem(byref(out), buf, byref(err))
        finally:
            ctypes.memset(buf, 0, len(data) + 1)
        if status != 0:
            raise _fail("device_key_from_pem", status, err)
        return cls._adopt(out.value, False)

    @classmethod
    def load(cls, path: PathLike) -> "DeviceKey":
        """Reads a key file written by :meth:`save`. A file readable by other users is refused
        (:class:`errors.InvalidArgument`, as ssh refuses such keys); a missing or unreadable one
        raises :class:`errors.TransportError`."""
        out, err = c_void_p(), c_void_p()
        status = lib().plexauth_device_key_load(byref(out), _path(path), byref(err))
        if status != 0:
            raise _fail("device_key_load", status, err)
        return cls._adopt(out.value, False)

    @classmethod
    def load_or_create(cls, path: PathLike) -> "DeviceKey":
        """Reads the key file, or makes a key and saves it there (mode 0600, atomically) when there
        is none; ``key.created`` tells which (a new key still has to be registered)."""
        out, err, created = c_void_p(), c_void_p(), c_int(0)
        status = lib().plexauth_device_key_load_or_create(byref(out), _path(path), byref(created), byref(err))
        if status != 0:
            raise _fail("device_key_load_or_create", status, err)
        return cls._adopt(out.value, bool(created.value))

    @classmethod
    def load_or_create_with(cls, read: KeyStoreRead, write: KeyStoreWrite) -> "DeviceKey":
        """:meth:`load_or_create` with the application's own keystore (a system keychain, a secret
        service, an encrypted database) instead of a file: calls ``read()`` once, which returns the
        stored PEM text (``str`` or ``bytes``) or None when the keystore holds no key; when there is
        none, makes a key and calls ``write(pem)`` once with its PEM text (``bytes``, a secret: store
        it, never log it) before returning it. ``key.created`` tells which (a new key still has to
        be registered).

        A stored text that is not an Ed25519 PKCS#8 PEM key raises :class:`errors.InvalidArgument`
        and is never replaced (a registered device would lose its key). An exception raised by
        ``read`` or ``write`` stops the call and raises :class:`errors.CallbackError` with that
        exception as its ``__cause__`` (KeyboardInterrupt / SystemExit as they are); a key that
        ``write`` could not store is never returned."""
        if not callable(read):
            raise TypeError(f"read must be callable, not {type(read).__name__}")
        callbacks = _KeyStoreCallbacks(read, write)
        out, err, created = c_void_p(), c_void_p(), c_int(0)
        status = lib().plexauth_device_key_load_or_create_with(byref(out), callbacks.read, callbacks.write, None,
                                                               byref(created), byref(err))
        if status != 0:
            callbacks.raise_for("device_key_load_or_create_with", status, err)
        return cls._adopt(out.value, bool(created.value))

    # ------------------------------------------------------------ the key

    @property
    def id(self) -> str:
        """The key's id: its RFC 7638 thumbprint (base64url SHA-256), the ``kid`` of its JWK and
        device JWTs, and the ``thumbprint`` claim of the Plex JWTs issued for it."""
        return self._id

    @property
    def jwk(self) -> str:
        """The public JWK as JSON text: ``{"kty":"OKP","crv":"Ed25519","x":...,"use":"sig",
        "alg":"EdDSA","kid":...}`` (no private part)."""
        return self._jwk

    @property
    def created(self) -> bool:
        """True when this key was made by :meth:`generate`, by :meth:`load_or_create` (no file was
        there) or by :meth:`load_or_create_with` (the keystore held none): it is not registered with
        plex.tv yet."""
        return self._created

    def to_pem(self) -> str:
        """The private key as PKCS#8 PEM text, for a keystore of the application's own. A secret:
        never log or print it (Python cannot wipe a str: prefer :meth:`save` when a file will do)."""
        L = lib()
        with self._using() as handle:

            def fill(buf: Any, size: int, needed: Any) -> Tuple[int, c_void_p]:
                err = c_void_p()
                return L.plexauth_device_key_to_pem(handle, buf, size, needed, byref(err)), err

            return _read_text(fill, "device_key_to_pem", 256, secret=True)

    def save(self, path: PathLike) -> None:
        """Writes the key to ``path`` as PKCS#8 PEM, mode 0600, atomically (a temporary file
        renamed into place). Raises :class:`errors.TransportError` when it cannot be written."""
        err = c_void_p()
        raw = _path(path)
        with self._using() as handle:
            status = lib().plexauth_device_key_save(handle, raw, byref(err))
        if status != 0:
            raise _fail("device_key_save", status, err)

    def save_with(self, write: KeyStoreWrite) -> None:
        """Stores the key in the application's own keystore: calls ``write(pem)`` once with the
        PKCS#8 PEM text :meth:`to_pem` gives (``bytes``, a secret). An exception raised by ``write``
        raises :class:`errors.CallbackError` with it as its ``__cause__``."""
        callbacks = _KeyStoreCallbacks(None, write)
        err = c_void_p()
        with self._using() as handle:
            status = lib().plexauth_device_key_save_with(handle, callbacks.write, None, byref(err))
        if status != 0:
            callbacks.raise_for("device_key_save_with", status, err)

    def sign_jwt(
        self,
        client_id: str,
        nonce: Optional[str] = None,
        scope: Optional[str] = None,
        lifetime_s: int = DEVICE_JWT_LIFETIME_S,
    ) -> str:
        """A device JWT: header ``{"alg":"EdDSA","typ":"JWT","kid": id}``, claims ``nonce`` (when
        given), ``scope`` (None: ``username,email,friendly_name,restricted,anonymous,joinedAt``),
        ``aud`` "plex.tv", ``iss`` = ``client_id`` (the X-Plex-Client-Identifier it is sent with),
        ``iat`` now, ``exp`` now + ``lifetime_s`` (1 .. 86400). :meth:`PlexAPI.jwt_login` does this
        itself; this is for ``exchange_device_jwt``, PIN polling and checking. The JWT is a
        credential: never log it."""
        if isinstance(lifetime_s, bool) or not isinstance(lifetime_s, int):
            raise TypeError(f"lifetime_s must be an int, not {type(lifetime_s).__name__}")
        cid = enc(client_id, "client_id")
        nonce_b = None if nonce is None else enc(nonce, "nonce")
        scope_b = None if scope is None else enc(scope, "scope")
        L = lib()
        with self._using() as handle:

            def fill(buf: Any, size: int, needed: Any) -> Tuple[int, c_void_p]:
                err = c_void_p()
                status = L.plexauth_device_key_sign_jwt(handle, cid, nonce_b, scope_b, lifetime_s, buf, size,
                                                        needed, byref(err))
                return status, err

            return _read_text(fill, "device_key_sign_jwt", 1024, secret=True)

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> "DeviceKey":
        return self

    def __exit__(self, exc_type: Optional[type], exc: Optional[BaseException],
                 tb: Optional["TracebackType"]) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return f"<DeviceKey id={self._id!r}{state}>"


class JwtSessionToken(NamedTuple):
    """A session's current Plex JWT and when it expires."""

    jwt: str
    """The Plex JWT (use it as X-Plex-Token with plex.tv). Secret: hidden from repr()."""
    expires_at: int
    """Its ``exp`` (Unix seconds)."""

    def __repr__(self) -> str:
        return f"JwtSessionToken(jwt=<redacted>, expires_at={self.expires_at!r})"


class JwtSession(_Owner):
    """A refreshing, single-flight source of Plex JWTs for one device key (``plexauth_jwt_session``).

    ``JwtSession(client, key, margin_s=0)``: ``client`` (a :class:`plexauth.PlexAPI` with a client
    identifier: the device JWTs' ``iss``) does the refreshes (nonce and exchange send no token);
    ``key`` is the registered :class:`DeviceKey` (copied: it may be closed afterwards). A refresh
    happens when there is no JWT or less than ``margin_s`` seconds are left (0: one day;
    1 .. 604800).

    :meth:`token` hands out the current JWT. Any number of threads may ask at once: one
    refreshes, the others wait for it and get its JWT, or its error. :meth:`invalidate` forgets the
    JWT (after plex.tv answered :class:`errors.TokenExpired`: it may expire JWTs early).

    ``PlexAPI(access_token=session, ...)`` sends the session's current JWT with every call of that
    client (``plexauth_jwt_session_provider``, no Python on the way); a refresh that fails makes the
    call fail with :class:`errors.CallbackError` (call :meth:`token` to see why). The session keeps
    ``client`` open until it is freed, and such a client keeps the session until it is freed.
    """

    __slots__ = ("_client", "_margin_s")
    _what = "JwtSession"

    def __init__(self, client: "PlexAPI", key: DeviceKey, margin_s: int = 0) -> None:
        from .sdk import PlexAPI

        if not isinstance(client, PlexAPI):
            raise TypeError(f"client must be a PlexAPI, not {type(client).__name__}")
        if not isinstance(key, DeviceKey):
            raise TypeError(f"key must be a DeviceKey, not {type(key).__name__}")
        if isinstance(margin_s, bool) or not isinstance(margin_s, int):
            raise TypeError(f"margin_s must be an int, not {type(margin_s).__name__}")
        native_client = client._hold()  # released when the native session is freed
        try:
            out, err = c_void_p(), c_void_p()
            with key._using() as key_handle:
                status = lib().plexauth_jwt_session_new(byref(out), native_client, key_handle, margin_s, byref(err))
            if status != 0:
                raise _fail("jwt_session_new", status, err)
        except BaseException:
            client._unhold()
            raise
        self._client: Optional[PlexAPI] = client
        self._margin_s = margin_s
        assert out.value
        self._own(out.value)

    def _free(self, handle: int) -> None:
        lib().plexauth_jwt_session_free(handle)
        client, self._client = self._client, None
        if client is not None:
            client._unhold()

    def token(self) -> JwtSessionToken:
        """The current Plex JWT and its expiry, refreshed first when needed (single-flight). Raises
        the refresh's error (see :meth:`plexauth.PlexAPI.jwt_login`), also in the threads that
        waited for it."""
        L = lib()
        expires_at = c_int64(0)
        with self._using() as handle:

            def fill(buf: Any, size: int, needed: Any) -> Tuple[int, c_void_p]:
                err = c_void_p()
                return L.plexauth_jwt_session_token(handle, buf, size, needed, byref(expires_at), byref(err)), err

            jwt = _read_text(fill, "jwt_session_token", 2048, secret=True)
        return JwtSessionToken(jwt, int(expires_at.value))

    def invalidate(self) -> None:
        """Forgets the current JWT: the next :meth:`token` (or call through a client using this
        session) refreshes. Any thread."""
        with self._using() as handle:
            lib().plexauth_jwt_session_invalidate(handle)

    @property
    def margin_s(self) -> int:
        """The refresh margin given (0: the library's default, one day)."""
        return self._margin_s

    def __enter__(self) -> "JwtSession":
        return self

    def __exit__(self, exc_type: Optional[type], exc: Optional[BaseException],
                 tb: Optional["TracebackType"]) -> None:
        self.close()

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return f"<JwtSession margin_s={self._margin_s}{state}>"


_provider: Optional[Any] = None


def session_provider() -> Any:
    """``plexauth_jwt_session_provider`` as a ``plexauth_token_provider_fn`` (for
    ``plexauth_config_set_token_provider`` with the session's handle as user_data)."""
    global _provider
    if _provider is None:
        from ._native import TOKEN_PROVIDER_FN

        _provider = ctypes.cast(lib().plexauth_jwt_session_provider, TOKEN_PROVIDER_FN)
    return _provider


__all__ = ["DEVICE_JWT_LIFETIME_S", "DeviceKey", "JwtSession", "JwtSessionToken"]
