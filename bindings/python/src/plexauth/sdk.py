"""The client: :class:`PlexAPI` and its ``authentication`` operations."""

import os
import threading
from contextlib import contextmanager
from ctypes import byref, c_int64, c_size_t, c_void_p, create_string_buffer
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from . import _native, _prototypes
from . import connect as _connect
from . import jwt as _jwt
from ._native import check, enc, lib, new_handle
from ._operations import (
    _EXCHANGE_DEVICE_JWT,
    _GET_PIN,
    _IDENTITY_KEYS,
    GeneratedOperations,
    GeneratedPlex,
    Op,
    Options,
    PinRequest,
    Seed,
)
from .models import errors, operations
from .connect import ConnectCache, ConnectResult
from .jwt import DeviceKey, JwtSession
from .models._generated import JwtToken, Pin, Resource, pin_from_wire
from .utils import UNSET, OptionalNullable, RetryConfig, Unset

if TYPE_CHECKING:
    from types import TracebackType

R = TypeVar("R")

#: Lines from libplexauth (already redacted) go to this logger unless a
#: debug_logger is given. (``logging`` is imported lazily, for import speed.)
LOGGER_NAME = "plexauth"

# plexauth_log_level -> logging level (ERROR, WARNING, INFO, DEBUG)
_LEVELS = {1: 40, 2: 30, 3: 20, 4: 10}

# The exception an access_token callable raised, kept per thread until the
# call that invoked it (on the same thread) turns it into CallbackError.
_provider_failure = threading.local()

TokenSource = Union[str, Callable[[], Optional[str]], JwtSession, None]
SignInRequest = operations.SignInRequest


def _value(v: Any) -> Any:
    return v.value if isinstance(v, Enum) else v


class CancelToken:
    """Cancels the calls it is passed to (``cancel=token``), from any thread.

    A call using a cancelled token raises :class:`errors.Cancelled` promptly
    (within ~100 ms), whether it is mid-transfer or waiting to retry. A
    cancelled token stays cancelled; make a new one for new calls.
    """

    __slots__ = ("_handle", "_lock", "_linked", "__weakref__")

    def __init__(self) -> None:
        self._handle: Optional[int] = new_handle(lib().plexauth_cancel_new)
        self._lock = threading.Lock()
        self._linked: List[int] = []

    def cancel(self) -> None:
        """Cancels every call using this token. Any thread; idempotent."""
        L = lib()
        with self._lock:
            L.plexauth_cancel_trigger(self._handle)
            for handle in self._linked:
                L.plexauth_cancel_trigger(handle)

    @property
    def cancelled(self) -> bool:
        return bool(lib().plexauth_cancel_is_triggered(self._handle))

    # An asyncio call has a private native token (so that cancelling the task
    # does not cancel this one); it is linked here so that cancel() reaches it.
    def _link(self, handle: int) -> None:
        with self._lock:
            self._linked.append(handle)
            if lib().plexauth_cancel_is_triggered(self._handle):
                lib().plexauth_cancel_trigger(handle)

    def _unlink(self, handle: int) -> None:
        with self._lock:
            self._linked.remove(handle)

    def __del__(self) -> None:
        handle, self._handle = getattr(self, "_handle", None), None
        if handle:
            try:
                lib().plexauth_cancel_free(handle)
            except Exception:  # interpreter shutdown
                pass

    def __repr__(self) -> str:
        return f"<CancelToken cancelled={self.cancelled}>"


class _Call(NamedTuple):
    """Per-call options."""

    retries: OptionalNullable[RetryConfig]
    server_url: Optional[str]
    timeout_ms: Optional[int]
    cancel: Optional[int]  # native plexauth_cancel handle
    access_token: Optional[str] = None  # X-Plex-Token for this call only (secret)
    identity: Tuple[Tuple[str, str], ...] = ()  # (plexauth_call_options_set_<name>, value) overrides

    def __repr__(self) -> str:
        token = None if self.access_token is None else "<redacted>"
        return (f"_Call(retries={self.retries!r}, server_url={self.server_url!r}, timeout_ms={self.timeout_ms!r}, "
                f"cancel={self.cancel!r}, access_token={token}, identity={self.identity!r})")


#: A call with no per-call option (no native call options needed).
_NO_OPTIONS = _Call(UNSET, None, None, None)


def _call_options(
    retries: OptionalNullable[RetryConfig],
    server_url: Optional[str],
    timeout_ms: Optional[int],
    cancel: Optional[CancelToken],
    access_token: Optional[str] = None,
    identity: Tuple[Tuple[str, str], ...] = (),
) -> _Call:
    if (retries is UNSET and server_url is None and timeout_ms is None and cancel is None
            and access_token is None and not identity):
        return _NO_OPTIONS
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise TypeError(f"cancel must be a CancelToken, not {type(cancel).__name__}")
    return _Call(retries, server_url, timeout_ms, None if cancel is None else cancel._handle, access_token, identity)


def _set_retry(setter: Any, target: int, retry: Optional[RetryConfig], what: str) -> None:
    """Applies a seed-style RetryConfig (None or a non-"backoff" strategy: no retries)."""
    if retry is None or retry.strategy != "backoff":
        check(setter(target, None), what)
        return
    L = lib()
    handle = new_handle(L.plexauth_retry_new)
    try:
        b = retry.backoff
        check(L.plexauth_retry_set_initial_interval_ms(handle, int(b.initial_interval)), f"{what}.initial_interval")
        check(L.plexauth_retry_set_max_interval_ms(handle, int(b.max_interval)), f"{what}.max_interval")
        check(L.plexauth_retry_set_exponent(handle, float(b.exponent)), f"{what}.exponent")
        check(L.plexauth_retry_set_max_elapsed_ms(handle, int(b.max_elapsed_time)), f"{what}.max_elapsed_time")
        check(L.plexauth_retry_set_max_attempts(handle, int(retry.max_attempts)), f"{what}.max_attempts")
        check(
            L.plexauth_retry_set_retry_connection_errors(handle, 1 if retry.retry_connection_errors else 0),
            f"{what}.retry_connection_errors",
        )
        check(setter(target, handle), what)
    finally:
        L.plexauth_retry_free(handle)


def _level_for(log: Any) -> int:
    """The most verbose library level worth passing to ``log`` (decided when
    the client is created: set the logger's level before that)."""
    import logging

    if not isinstance(log, logging.Logger):
        return 4
    level = log.getEffectiveLevel()
    return next((n for n in (4, 3, 2) if level <= _LEVELS[n]), 1)


def _make_log_callback(log: Any) -> Any:
    import logging

    as_logger = isinstance(log, logging.Logger)

    def on_line(_user_data: Any, level: int, message: Optional[bytes]) -> None:
        try:
            text = (message or b"").decode("utf-8", "replace")
            if as_logger:
                log.log(_LEVELS.get(level, 10), "%s", text)
            else:
                log.debug(text)
        except Exception:  # never let a logging failure unwind into C
            pass

    return _native.LOG_FN(on_line)


def _make_token_callback(provider: Callable[[], Optional[str]]) -> Any:
    L = lib()

    def supply(_user_data: Any, sink: Any) -> int:
        try:
            token = provider()
            if token is None:
                return 0
            if not isinstance(token, str):
                raise TypeError(f"the access_token callable returned {type(token).__name__}, not str")
            data = token.encode("utf-8")
            if L.plexauth_token_sink_set(sink, data, len(data)) != 0:
                raise ValueError("the access_token callable returned a token that is not a valid header value")
            return 0
        except BaseException as exc:  # handed to the calling thread; never unwinds into C
            _provider_failure.exc = exc
            return 1

    return _native.TOKEN_PROVIDER_FN(supply)


def _release_sessions(callbacks: Iterable[Any]) -> None:
    """Lets go of the JwtSessions a (freed, or never made) client used as its token provider."""
    for item in callbacks:
        if isinstance(item, JwtSession):
            item._unhold()


def _failure(operation: str, status: int, err: Any) -> BaseException:
    detail = _native.take_error(err.value, status)
    cause: Optional[BaseException] = getattr(_provider_failure, "exc", None)
    _provider_failure.exc = None
    if cause is not None and not isinstance(cause, Exception):
        return cause  # KeyboardInterrupt / SystemExit from the provider
    exc = errors.from_detail(operation, detail)
    if cause is not None and detail.status_name == "callback_error":
        exc.__cause__ = cause
    return exc


class PlexAPI:
    """A Plex authentication client (drop-in for the seed SDK's ``PlexAPI``).

    Arguments as in the seed; the five identity values fall back to the
    environment variables ``CLIENT_ID``, ``CLIENT_NAME``, ``CLIENT_VERSION``,
    ``PLATFORM`` and ``DEVICE_NICKNAME``. ``PLEX_SERVER_URL`` sets the PMS base
    when neither ``server_url`` nor ``protocol``/``ip``/``port`` is given, and
    ``PLEX_TV_URL`` (or ``plex_tv_url=``) the plex.tv API base.

    ``access_token`` is a str or a zero-argument callable returning a str (or
    None for "no token"); the callable is called on every HTTP attempt. A
    :class:`plexauth.JwtSession` supplies its current Plex JWT (natively), and
    stays alive as long as this client.

    ``retry_config``: UNSET = libplexauth's default policy (500 ms initial,
    x1.5, 60 s max interval, 5 min max elapsed); None = no retries.
    ``timeout_ms``: per-attempt limit (default 30 s; 0 = none).

    The client is thread-safe. Use it as a context manager, or call
    :meth:`close`, to free the native client.
    """

    authentication: "Authentication"
    plex: "Plex"

    def __init__(
        self,
        access_token: TokenSource = None,
        client_id: Optional[str] = None,
        client_name: Optional[str] = None,
        client_version: Optional[str] = None,
        platform: Optional[str] = None,
        device_nickname: Optional[str] = None,
        protocol: Optional[Union[str, Enum]] = None,
        ip: Optional[str] = None,
        port: Optional[Union[str, int]] = None,
        server_idx: Optional[int] = None,
        server_url: Optional[str] = None,
        url_params: Optional[Mapping[str, str]] = None,
        client: None = None,
        async_client: None = None,
        retry_config: OptionalNullable[RetryConfig] = UNSET,
        timeout_ms: Optional[int] = None,
        debug_logger: Optional[Any] = None,
        *,
        plex_tv_url: Optional[str] = None,
        connect_timeout_ms: Optional[int] = None,
        max_response_bytes: Optional[int] = None,
        ca_bundle: Optional[str] = None,
        insecure_skip_tls_verify: bool = False,
    ) -> None:
        self._client: Optional[int] = None
        self._state = threading.Lock()
        self._in_flight = 0
        self._closing = False
        self._callbacks: Tuple[Any, ...] = ()
        if client is not None or async_client is not None:
            raise TypeError("plexauth does its own HTTP: custom client/async_client objects are not supported")
        if server_idx not in (None, 0):
            raise errors.InvalidArgument(f"server_idx {server_idx} is out of range (only 0 exists)")

        L = lib()
        cfg = new_handle(L.plexauth_config_new)
        callbacks: List[Any] = []
        try:
            def put(setter: Any, value: Optional[str], what: str) -> None:
                if value:
                    check(setter(cfg, enc(value, what)), what)

            if isinstance(access_token, JwtSession):  # natively: its JWT, refreshed as needed
                session_handle = access_token._hold()  # released when this client is freed
                callbacks.append(access_token)
                check(L.plexauth_config_set_token_provider(cfg, _jwt.session_provider(), session_handle, None),
                      "access_token")
            elif callable(access_token):
                callbacks.append(_make_token_callback(access_token))
                check(L.plexauth_config_set_token_provider(cfg, callbacks[-1], None, None), "access_token")
            else:
                put(L.plexauth_config_set_access_token, access_token, "access_token")

            env = os.environ.get
            put(L.plexauth_config_set_client_id, client_id or env("CLIENT_ID"), "client_id")
            put(L.plexauth_config_set_client_name, client_name or env("CLIENT_NAME"), "client_name")
            put(L.plexauth_config_set_client_version, client_version or env("CLIENT_VERSION"), "client_version")
            put(L.plexauth_config_set_platform, platform or env("PLATFORM"), "platform")
            put(L.plexauth_config_set_device_nickname, device_nickname or env("DEVICE_NICKNAME"), "device_nickname")

            if server_url is None and protocol is None and ip is None and port is None:
                server_url = env("PLEX_SERVER_URL") or None
            if server_url is not None:
                for name, val in (url_params or {}).items():
                    server_url = server_url.replace("{" + name + "}", str(_value(val)))
                put(L.plexauth_config_set_server_url, server_url, "server_url")
            else:
                put(L.plexauth_config_set_server_protocol, _value(protocol), "protocol")
                put(L.plexauth_config_set_server_ip, ip, "ip")
                if port is not None:
                    check(L.plexauth_config_set_server_port(cfg, int(port)), "port")
            put(L.plexauth_config_set_plex_tv_url, plex_tv_url or env("PLEX_TV_URL"), "plex_tv_url")

            if timeout_ms is not None:
                check(L.plexauth_config_set_timeout_ms(cfg, int(timeout_ms)), "timeout_ms")
            if connect_timeout_ms is not None:
                check(L.plexauth_config_set_connect_timeout_ms(cfg, int(connect_timeout_ms)), "connect_timeout_ms")
            if not isinstance(retry_config, Unset):
                _set_retry(L.plexauth_config_set_retry, cfg, retry_config, "retry_config")
            if max_response_bytes is not None:
                check(L.plexauth_config_set_max_response_bytes(cfg, int(max_response_bytes)), "max_response_bytes")
            put(L.plexauth_config_set_ca_bundle, ca_bundle, "ca_bundle")
            if insecure_skip_tls_verify:
                check(L.plexauth_config_set_insecure_skip_tls_verify(cfg, 1), "insecure_skip_tls_verify")

            if debug_logger is None:
                import logging

                debug_logger = logging.getLogger(LOGGER_NAME)
            sink = debug_logger
            callbacks.append(_make_log_callback(sink))
            check(L.plexauth_config_set_log(cfg, _level_for(sink), callbacks[-1], None), "debug_logger")

            out, err = c_void_p(), c_void_p()
            status = L.plexauth_client_new(byref(out), cfg, byref(err))
            if status != 0:
                raise _failure("client_new", status, err)
        except BaseException:
            _release_sessions(callbacks)
            raise
        finally:
            L.plexauth_config_free(cfg)
        # The C client calls these; they live exactly as long as it does.
        self._callbacks = tuple(callbacks)
        self._client = out.value
        self.authentication = Authentication(self)
        self.plex = Plex(self)

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Frees the native client (after calls still running on other threads
        finish). Further calls raise RuntimeError. Idempotent."""
        with self._state:
            self._closing = True
            if self._in_flight == 0:
                self._free_locked()

    def _free_locked(self) -> None:
        client, self._client = self._client, None
        if client:
            lib().plexauth_client_free(client)
        callbacks, self._callbacks = self._callbacks, ()
        _release_sessions(callbacks)

    def __enter__(self) -> "PlexAPI":
        return self

    def __exit__(
        self,
        exc_type: Optional[type],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        self.close()

    async def __aenter__(self) -> "PlexAPI":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[type],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_client", None):
            try:
                self._free_locked()
            except Exception:  # interpreter shutdown
                pass

    # ------------------------------------------------------------ login journeys

    def login_url(self, code: str, forward_url: Optional[str] = None) -> str:
        """The hosted login page (``https://app.plex.tv/auth#?clientID=..&code=..&...``) for a
        PIN's code, with this client's ``client_id`` and ``client_name``, every value
        percent-encoded. Use a strong PIN's code (``create_pin(strong=True)``). ``forward_url``
        (an absolute http(s) URL) is where the page goes after the approval (without the
        token: wait for the PIN). Raises InvalidArgument without a client_id."""
        L = lib()
        code_b = enc(code, "code")
        forward_b = None if forward_url is None else enc(forward_url, "forward_url")
        size = 512
        while True:
            buf, needed, err = create_string_buffer(size), c_size_t(0), c_void_p()
            with self._using() as client:
                status = L.plexauth_login_url(client, code_b, forward_b, buf, size, byref(needed), byref(err))
            if status == 0:
                return buf.value.decode("utf-8")
            if needed.value > size:  # too small: nothing copied; retry with the size it takes
                if err.value:
                    L.plexauth_error_free(err.value)
                size = needed.value
                continue
            raise _failure("login_url", status, err)

    def login_with_pin(
        self,
        strong: bool = False,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """Logs in with a PIN, blocking until the user approves it: creates a PIN
        (``strong``: a 25-character code for :meth:`login_url`'s page, else a 4-character one
        for plex.tv/link) and waits for it. Returns the approved :class:`operations.Pin`;
        ``pin.auth_token`` is the account's token.

        ``on_progress(code, seconds_left)`` is called before each wait between polls
        (``seconds_left``: until the PIN expires, None when unknown): show the code to the user
        there. If it raises, the wait stops and :class:`errors.CallbackError` is raised (the
        exception as its ``__cause__``; KeyboardInterrupt/SystemExit are re-raised as they are).
        ``timeout_s``: give up after that long (:class:`errors.Timeout`; None: wait until the PIN
        expires, :class:`errors.PinExpired`). ``cancel``: a :class:`CancelToken` stopping the
        wait within ~100 ms (:class:`errors.Cancelled`)."""
        pin = self.authentication.create_pin(strong=strong, cancel=cancel).object
        call = _call_options(UNSET, None, None, cancel)
        return self._wait_for_pin(pin.id, on_progress, timeout_s, poll_interval_ms, call)

    async def login_with_pin_async(
        self,
        strong: bool = False,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """:meth:`login_with_pin` for asyncio: the wait runs in the loop's default executor
        (``on_progress`` is called on that thread). Cancelling the awaiting task stops the
        wait within ~100 ms."""
        pin = (await self.authentication.create_pin_async(strong=strong, cancel=cancel)).object
        return await self._run_async(
            lambda h: self._wait_for_pin(pin.id, on_progress, timeout_s, poll_interval_ms, _Call(UNSET, None, None, h)),
            cancel,
        )

    def _wait_for_pin(
        self,
        pin_id: Optional[int],
        on_progress: Optional[Callable[[str, Optional[int]], Any]],
        timeout_s: Optional[float],
        poll_interval_ms: int,
        call: _Call,
        key: Optional[DeviceKey] = None,
    ) -> Pin:
        """plexauth_client_wait_for_pin, or plexauth_client_wait_for_jwk_pin given the PIN's device
        key: the approved PIN (or raises)."""
        if pin_id is None:
            raise errors.MalformedResponse("plex.tv answered a PIN without an id")
        if timeout_s is not None and timeout_s <= 0:
            raise errors.InvalidArgument("timeout_s must be positive (None: until the PIN expires)")
        timeout_ms = 0 if timeout_s is None else max(1, int(timeout_s * 1000))
        failure: List[BaseException] = []
        progress = _native.PIN_PROGRESS_FN()  # NULL: no progress callback
        if on_progress is not None:
            callback = on_progress

            def report(_user_data: Any, code: Optional[bytes], seconds_left: int) -> int:
                try:
                    callback((code or b"").decode("utf-8", "replace"), None if seconds_left < 0 else int(seconds_left))
                    return 0
                except BaseException as exc:  # never unwinds into C: stop the wait, raise it below
                    failure.append(exc)
                    return 1

            progress = _native.PIN_PROGRESS_FN(report)
        try:
            if key is None:
                out = self._call(
                    "wait_for_pin",
                    lib().plexauth_client_wait_for_pin,
                    (int(pin_id), int(poll_interval_ms), timeout_ms, progress, None),
                    call,
                )
            else:
                with key._using() as key_handle:
                    out = self._call(
                        "wait_for_jwk_pin",
                        lib().plexauth_client_wait_for_jwk_pin,
                        (int(pin_id), key_handle, int(poll_interval_ms), timeout_ms, progress, None),
                        call,
                    )
        except errors.PlexAuthError as exc:
            if failure:
                cause = failure[0]
                if not isinstance(cause, Exception):
                    raise cause from None  # KeyboardInterrupt / SystemExit
                raise errors.CallbackError(
                    f"on_progress raised {type(cause).__name__}; the wait for the PIN stopped",
                    detail=exc.detail._replace(status_name="callback_error"),
                ) from cause
            raise
        pin: Pin = _response(_WAIT_FOR_PIN, out).object
        return pin

    # ------------------------------------------------------------ servers and connections

    def connect(
        self,
        resource: Union[Resource, Mapping[str, Any]],
        *,
        locations: Optional[Iterable[str]] = None,
        schemes: Optional[Iterable[str]] = None,
        stagger_ms: Optional[int] = None,
        grace_ms: Optional[int] = None,
        deadline_ms: Optional[int] = None,
        cache: Optional[ConnectCache] = None,
        cancel: Optional[CancelToken] = None,
    ) -> ConnectResult:
        """Finds a working connection to a server of ``authentication.list_resources()``, fast
        (``plexauth_client_connect``): its connections are raced, local -> remote -> relay, https
        before http, IPv6 last, the ``cache``'s remembered one first, each probed with
        ``GET {uri}/identity`` carrying this client's identity and the resource's accessToken,
        staggered by ``stagger_ms`` (default 250; the next starts sooner when one fails); a probe
        wins when the server answers with the resource's clientIdentifier; a success waits up to
        ``grace_ms`` (default 100) for a more preferred one still running; ``deadline_ms``
        (default 10000) bounds the whole connect. Blocks the calling thread.

        ``resource``: a :class:`operations.Resource` (a device of ``list_resources``) or its wire
        JSON as a mapping (``connect.resource_wire``). ``locations``: some of ``"local"``,
        ``"remote"``, ``"relay"`` (default all); ``schemes``: some of ``"https"``, ``"http"``
        (default both). ``cache``: a :class:`ConnectCache`; ``cancel``: a :class:`CancelToken`.

        Returns a :class:`ConnectResult` (``uri``, ``access_token``, ``attempts``, ...). Raises
        :class:`errors.Unreachable` when nothing answered as that server by the deadline (its
        message has a line per candidate), :class:`errors.Cancelled`, :class:`errors.InvalidArgument`
        for bad options or a resource without clientIdentifier, TypeError for wrong types.
        """
        native = _connect.prepare(resource, locations, schemes, stagger_ms, grace_ms, deadline_ms, cache, cancel)
        out, err = c_void_p(), c_void_p()
        try:
            with self._using() as client:
                status = lib().plexauth_client_connect(byref(out), client, native.device, native.opts, byref(err))
        finally:
            native.close()
        if status != 0:
            raise _failure("connect", status, err)
        assert out.value is not None
        return _connect.take_result(out.value)

    async def connect_async(
        self,
        resource: Union[Resource, Mapping[str, Any]],
        *,
        locations: Optional[Iterable[str]] = None,
        schemes: Optional[Iterable[str]] = None,
        stagger_ms: Optional[int] = None,
        grace_ms: Optional[int] = None,
        deadline_ms: Optional[int] = None,
        cache: Optional[ConnectCache] = None,
        cancel: Optional[CancelToken] = None,
    ) -> ConnectResult:
        """:meth:`connect` on the running asyncio event loop (``plexauth_client_connect_start``
        on the loop's driver, no thread); same arguments, result and errors. Cancelling the
        awaiting task cancels the connect and its probes."""
        from . import _aio

        native = _connect.prepare(resource, locations, schemes, stagger_ms, grace_ms, deadline_ms, cache, cancel)
        keep: Any = (cache, cancel)
        try:
            client = self._hold()
        except BaseException:
            native.close()
            raise
        released = False

        def release() -> None:
            nonlocal released, keep
            if not released:
                released, keep = True, None
                native.close()
                self._unhold()

        def start(loop: int, done: Any, user_data: int) -> int:
            call, err = c_void_p(), c_void_p()
            try:  # the device and the options are copied by the start
                status = lib().plexauth_client_connect_start(
                    byref(call), client, native.device, native.opts, loop, done, user_data, byref(err))
            finally:
                native.close()
            if status != 0:
                raise _failure("connect", status, err)
            assert call.value is not None
            return call.value

        def finish(call: int) -> ConnectResult:
            status, out, err = _connect.finish_pair(call)
            if status != 0:
                raise _failure("connect", status, err)
            return _connect.take_result(out)

        result: ConnectResult = await _aio.run(start, finish, release)
        return result

    # ------------------------------------------------------------ JWT device authentication

    def register_device_key(
        self,
        key: DeviceKey,
        *,
        access_token: Optional[str] = None,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> None:
        """Registers the device key's public JWK with plex.tv, using a legacy token (this client's,
        or ``access_token``): ``POST {clients.plex.tv}/auth/jwk {"jwk": ...}``
        (``plexauth_client_register_device_key``). plex.tv binds the key to the device that owns
        the token, and that device's legacy token stops working once a JWT is issued for it: see
        docs/jwt.md. Raises :class:`errors.UnauthorizedError` (bad token; 422: the key is taken by
        another device) or a call's usual errors."""
        call = _call_options(retries, server_url, timeout_ms, cancel, access_token)
        self._register_device_key(key, call)

    async def register_device_key_async(
        self,
        key: DeviceKey,
        *,
        access_token: Optional[str] = None,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> None:
        """:meth:`register_device_key` for asyncio (in the loop's default executor; cancelling the
        awaiting task cancels the call)."""
        _check_key(key)
        await self._run_async(
            lambda h: self._register_device_key(key, _Call(retries, server_url, timeout_ms, h, access_token)), cancel)

    def _register_device_key(self, key: DeviceKey, call: _Call) -> None:
        _check_key(key)
        with key._using() as handle:
            self._call("register_device_key", lib().plexauth_client_register_device_key, (handle,), call, False)

    def jwt_login(
        self,
        key: DeviceKey,
        scope: Optional[str] = None,
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> JwtToken:
        """A Plex JWT for this device (``plexauth_client_jwt_login``): a nonce, a device JWT signed
        with the registered ``key`` (``iss``: this client's client_id), and the exchange. No token is
        sent; this is also the refresh, before or after the last JWT expired. ``scope``: the claims
        to ask for (None: the default). Returns the :class:`operations.JwtToken`; ``auth_token`` is
        the Plex JWT (hidden from ``repr()``), used as X-Plex-Token with plex.tv.

        Raises :class:`errors.JwtIssuerMismatch` (Plex code 1097), :class:`errors.UnauthorizedError`
        (422: signature or nonce refused, key not registered), :class:`errors.TokenExpired` (498),
        :class:`errors.RateLimited`, :class:`errors.InvalidArgument` (no client_id), or a call's
        usual errors."""
        call = _call_options(retries, server_url, timeout_ms, cancel)
        return self._jwt_login(key, scope, call)

    async def jwt_login_async(
        self,
        key: DeviceKey,
        scope: Optional[str] = None,
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> JwtToken:
        """:meth:`jwt_login` on the running asyncio event loop: the nonce request and the exchange
        run one after the other on the loop's driver (``plexauth_client_jwt_login_start``, no
        thread); same arguments, result and errors. Cancelling the awaiting task cancels whichever
        request is in flight."""
        _check_key(key)
        scope_b = None if scope is None else enc(scope, "scope")
        call = _call_options(retries, server_url, timeout_ms, cancel)
        with key._using() as handle:  # (the call takes its own reference to the key at the start)
            response = await self._start(_JWT_LOGIN, (handle, scope_b), call, cancel)
        token: JwtToken = response.object
        return token

    def _jwt_login(self, key: DeviceKey, scope: Optional[str], call: _Call) -> JwtToken:
        _check_key(key)
        scope_b = None if scope is None else enc(scope, "scope")
        with key._using() as handle:
            out = self._call("jwt_login", lib().plexauth_client_jwt_login, (handle, scope_b), call)
        token: JwtToken = _response(_JWT_LOGIN, out).object
        return token

    def jwt_verify(
        self,
        jwt: str,
        key: Optional[DeviceKey],
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> int:
        """Verifies a Plex JWT against plex.tv's published keys (``plexauth_client_jwt_verify``):
        EdDSA, the signature (plex.tv's key by ``kid``; the key set is cached and read again once
        when plex.tv rotated its keys), ``iss``, ``aud``, ``exp``/``iat`` (60 s leeway) and, given
        ``key`` (None: not checked), that it was issued for that device key. Returns its ``exp``
        (Unix seconds).

        Raises :class:`errors.JwtInvalid` (the message names the check: ``malformed``,
        ``algorithm``, ``unknown_key``, ``signature``, ``issuer``, ``audience``, ``not_yet_valid``,
        ``thumbprint``, ``missing_claim``; never the JWT), :class:`errors.TokenExpired`, or a call's
        errors while reading the keys."""
        call = _call_options(retries, server_url, timeout_ms, cancel)
        return self._jwt_verify(jwt, key, call)

    async def jwt_verify_async(
        self,
        jwt: str,
        key: Optional[DeviceKey],
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> int:
        """:meth:`jwt_verify` for asyncio (in the loop's default executor)."""
        if key is not None:
            _check_key(key)
        return await self._run_async(
            lambda h: self._jwt_verify(jwt, key, _Call(retries, server_url, timeout_ms, h)), cancel)

    def _jwt_verify(self, jwt: str, key: Optional[DeviceKey], call: _Call) -> int:
        jwt_b = enc(jwt, "jwt")
        expires_at = c_int64(0)
        function = lib().plexauth_client_jwt_verify
        if key is None:
            self._call("jwt_verify", function, (jwt_b, None, byref(expires_at)), call, False)
        else:
            _check_key(key)
            with key._using() as handle:
                self._call("jwt_verify", function, (jwt_b, handle, byref(expires_at)), call, False)
        return int(expires_at.value)

    def login_with_jwk_pin(
        self,
        key: DeviceKey,
        strong: bool = False,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """Logs a new device in with its key alone, no legacy token: creates a PIN carrying the
        key's public JWK (``authentication.create_jwk_pin``) and blocks in :meth:`wait_for_jwk_pin`
        until the user approves it. Returns the approved :class:`operations.Pin`; its
        ``auth_token`` is a Plex JWT issued for ``key`` (check it with :meth:`jwt_verify`), and
        plex.tv has registered the key for the account, so a :class:`JwtSession` refreshes with it.
        ``on_progress``, ``timeout_s``, ``poll_interval_ms``, ``cancel`` and the errors are
        :meth:`login_with_pin`'s; plex.tv refusing the device JWT raises
        :class:`errors.UnauthorizedError`."""
        _check_key(key)
        pin = self.authentication.create_jwk_pin(jwk=key.jwk, strong=strong, cancel=cancel).object
        return self.wait_for_jwk_pin(pin.id, key, on_progress=on_progress, timeout_s=timeout_s,
                                     poll_interval_ms=poll_interval_ms, cancel=cancel)

    async def login_with_jwk_pin_async(
        self,
        key: DeviceKey,
        strong: bool = False,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """:meth:`login_with_jwk_pin` for asyncio: the PIN is created natively on the loop, the
        wait runs in the loop's default executor (``on_progress`` on that thread); cancelling the
        awaiting task stops the wait within ~100 ms."""
        _check_key(key)
        pin = (await self.authentication.create_jwk_pin_async(jwk=key.jwk, strong=strong, cancel=cancel)).object
        return await self.wait_for_jwk_pin_async(pin.id, key, on_progress=on_progress, timeout_s=timeout_s,
                                                 poll_interval_ms=poll_interval_ms, cancel=cancel)

    def wait_for_jwk_pin(
        self,
        pin_id: Optional[int],
        key: DeviceKey,
        *,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """Waits for a PIN made by ``authentication.create_jwk_pin`` with ``key``'s JWK (e.g. a
        strong one whose :meth:`login_url` page the user opened) to be approved
        (``plexauth_client_wait_for_jwk_pin``): polls ``GET {clients}/pins/{id}?deviceJWT=...``,
        the device JWT signed with ``key`` and signed again every 4 minutes. Returns the approved
        :class:`operations.Pin` (``auth_token``: a Plex JWT). Arguments and errors as
        :meth:`login_with_pin`; :class:`errors.UnauthorizedError` when plex.tv refuses the device
        JWT (not the PIN's key)."""
        _check_key(key)
        call = _call_options(UNSET, None, None, cancel)
        return self._wait_for_pin(pin_id, on_progress, timeout_s, poll_interval_ms, call, key)

    async def wait_for_jwk_pin_async(
        self,
        pin_id: Optional[int],
        key: DeviceKey,
        *,
        on_progress: Optional[Callable[[str, Optional[int]], Any]] = None,
        timeout_s: Optional[float] = None,
        poll_interval_ms: int = 1000,
        cancel: Optional[CancelToken] = None,
    ) -> Pin:
        """:meth:`wait_for_jwk_pin` for asyncio (in the loop's default executor; cancelling the
        awaiting task stops the wait within ~100 ms)."""
        _check_key(key)
        return await self._run_async(
            lambda h: self._wait_for_pin(pin_id, on_progress, timeout_s, poll_interval_ms, _Call(UNSET, None, None, h),
                                         key),
            cancel,
        )

    # ------------------------------------------------------------ calls

    @contextmanager
    def _using(self) -> Iterator[int]:
        """The native client, kept alive (close() waits) while the block runs."""
        client = self._hold()
        try:
            yield client
        finally:
            self._unhold()

    def _hold(self) -> int:
        """The native client, kept alive (close() waits) until _unhold()."""
        with self._state:
            if self._closing or not self._client:
                raise RuntimeError("this PlexAPI client is closed")
            self._in_flight += 1
            return self._client

    def _unhold(self) -> None:
        with self._state:
            self._in_flight -= 1
            if self._closing and self._in_flight == 0:
                self._free_locked()

    async def _start(self, op: Op, args: Tuple[Any, ...], call: _Call, keep: Any) -> Any:
        """Runs ``plexauth_client_<op>_start`` on the running asyncio loop (sdk._aio) and
        awaits its response, read by ``_finish``; ``keep`` (the CancelToken) lives until then."""
        from . import _aio

        operation, _, free, _, _, _, request, start_name, finish_name = op
        L = lib()
        start_fn, finish_fn = getattr(L, start_name), getattr(L, finish_name)
        released = False

        def release() -> None:
            nonlocal released, keep
            if not released:
                released, keep = True, None
                self._unhold()

        def start(loop: int, done: Any, user_data: int) -> int:
            opts = None if call is _NO_OPTIONS else self._options(call)
            req: Optional[int] = None
            out, err = c_void_p(), c_void_p()
            try:  # the arguments are copied by the start: freed on return
                req = _REQUESTS[request](*args) if request else None
                status = start_fn(byref(out), client, *((req,) if request else args), opts, loop, done,
                                  user_data, byref(err))
            finally:
                if req is not None:
                    getattr(L, "plexauth_" + request + "_free")(req)
                if opts is not None:
                    L.plexauth_call_options_free(opts)
            if status != 0:
                raise _failure(operation, status, err)
            assert out.value is not None
            return out.value

        def finish(handle: int) -> Any:
            out, err = c_void_p(), c_void_p()
            status = finish_fn(byref(out), handle, byref(err)) if free else finish_fn(handle, byref(err))
            if status != 0:
                raise _failure(operation, status, err)
            if not free:
                return None
            assert out.value is not None
            return _response(op, out.value)

        client = self._hold()
        return await _aio.run(start, finish, release)

    def _call(self, operation: str, function: Any, args: Tuple[Any, ...], call: _Call, result: bool = True) -> int:
        """Runs one C operation; returns the result handle (0 without ``result``) or raises."""
        opts = None if call is _NO_OPTIONS else self._options(call)
        out, err = c_void_p(), c_void_p()
        try:
            with self._using() as client:
                if result:
                    status = function(byref(out), client, *args, opts, byref(err))
                else:
                    status = function(client, *args, opts, byref(err))
        finally:
            if opts is not None:
                lib().plexauth_call_options_free(opts)
        if status != 0:
            raise _failure(operation, status, err)
        if not result:
            return 0
        assert out.value is not None
        return out.value

    @staticmethod
    def _options(call: _Call) -> Optional[int]:
        if (call.server_url is None and call.timeout_ms is None and call.cancel is None
                and isinstance(call.retries, Unset) and call.access_token is None and not call.identity):
            return None
        L = lib()
        opts = new_handle(L.plexauth_call_options_new)
        try:
            if call.server_url is not None:
                check(L.plexauth_call_options_set_server_url(opts, enc(call.server_url, "server_url")), "server_url")
            if call.timeout_ms is not None:
                check(L.plexauth_call_options_set_timeout_ms(opts, int(call.timeout_ms)), "timeout_ms")
            if not isinstance(call.retries, Unset):
                _set_retry(L.plexauth_call_options_set_retry, opts, call.retries, "retries")
            if call.cancel is not None:
                check(L.plexauth_call_options_set_cancel(opts, call.cancel), "cancel")
            if call.access_token is not None:
                token = enc(call.access_token, "access_token")
                check(L.plexauth_call_options_set_access_token(opts, token), "access_token")
            for name, value in call.identity:
                check(getattr(L, "plexauth_call_options_set_" + name)(opts, enc(value, name)), name)
        except BaseException:
            L.plexauth_call_options_free(opts)
            raise
        return opts

    async def _run_async(self, run: Callable[[Optional[int]], R], cancel: Optional[CancelToken]) -> R:
        """Runs ``run(native_cancel_handle)`` in the default executor. Cancelling
        the awaiting task triggers the call's private cancel token."""
        import asyncio

        if cancel is not None and not isinstance(cancel, CancelToken):
            raise TypeError(f"cancel must be a CancelToken, not {type(cancel).__name__}")
        L = lib()
        handle = new_handle(L.plexauth_cancel_new)
        if cancel is not None:
            cancel._link(handle)

        def release(f: "asyncio.Future[R]") -> None:
            if cancel is not None:
                cancel._unlink(handle)
            L.plexauth_cancel_free(handle)
            if not f.cancelled():
                f.exception()  # retrieved, even when the awaiting task is gone

        try:
            future = asyncio.get_running_loop().run_in_executor(None, run, handle)
        except BaseException:
            if cancel is not None:
                cancel._unlink(handle)
            L.plexauth_cancel_free(handle)
            raise
        future.add_done_callback(release)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if not future.done():  # (once done, release() may have freed the handle)
                L.plexauth_cancel_trigger(handle)
            raise


class Authentication(GeneratedOperations):
    """``PlexAPI.authentication``: the operations and their ``_async`` twins.

    The methods are generated from codegen/api.py (_operations.py); the seed
    operations keep the seed SDK's surfaces. Every operation takes ``retries``
    (UNSET = the client's policy, None = no retries, or a RetryConfig),
    ``server_url`` (the base for this call: PMS for get_transient_token and
    get_source_connection_information, the plex.tv API for the others),
    ``timeout_ms`` and ``cancel`` (a :class:`CancelToken`); those that send a token also
    take ``access_token``, this call's X-Plex-Token (beats the client's token or callable).
    """

    def __init__(self, sdk: PlexAPI) -> None:
        self._sdk = sdk

    def _result(self, op: Op, args: Tuple[Any, ...], options: Options) -> Any:
        """Runs ``plexauth_client_<op>`` and reads its result into the operation's response."""
        return self._read(op, args, _call_options(*options))

    async def _result_async(self, op: Op, args: Tuple[Any, ...], options: Options) -> Any:
        """``plexauth_client_<op>_start`` on the running asyncio loop; its response."""
        return await self._sdk._start(op, args, _call_options(*options), options[3])

    def _read(self, op: Op, args: Tuple[Any, ...], call: _Call) -> Any:
        (operation, function, free, json, response, make, request, *_), L = op, lib()
        if request:
            handle = _REQUESTS[request](*args)
            try:
                out = self._sdk._call(operation, getattr(L, function), (handle,), call, bool(free))
            finally:
                getattr(L, "plexauth_" + request + "_free")(handle)
        else:
            out = self._sdk._call(operation, getattr(L, function), args, call, bool(free))
        return _response(op, out)


def _response(op: Op, out: int) -> Any:
    """The operation's response from its native result ``out`` (owned from now on)."""
    (_, _, free, json, response, make, *_), L = op, lib()
    if make is None:  # no result (204)
        return None
    owner = _native.ResultOwner(out, getattr(L, free))
    data = getattr(L, json)(out, None)
    ctype, raw = _native.raw_response(owner, getattr(L, response)(out))
    return make(ctype, raw.status_code, raw, _decode_json(data.decode("utf-8")) if data else None)


def _sign_in(request: operations.SignInRequest) -> int:
    """post_users_sign_in_data's ``plexauth_sign_in`` handle (the caller frees it)."""
    req = operations.sign_in_request(request)
    body = req.request_body
    if body is None:
        raise errors.InvalidArgument("request_body with login and password is required")
    L = lib()
    handle = new_handle(L.plexauth_sign_in_new)
    try:
        check(L.plexauth_sign_in_set_login(handle, enc(body.login, "login")), "login")
        check(L.plexauth_sign_in_set_password(handle, enc(body.password, "password")), "password")
        check(L.plexauth_sign_in_set_remember_me(handle, 1 if body.remember_me else 0), "remember_me")
        if body.verification_code is not None:
            code = enc(str(body.verification_code), "verification_code")
            check(L.plexauth_sign_in_set_verification_code(handle, code), "verification_code")
        for name in operations.PostUsersSignInDataGlobals._fields:  # the identity overrides
            value = getattr(req, name)
            if value:
                check(getattr(L, "plexauth_sign_in_set_" + name)(handle, enc(value, name)), name)
    except BaseException:
        L.plexauth_sign_in_free(handle)
        raise
    return handle


#: Operation.request -> its C handle from the method's arguments (freed with plexauth_<request>_free).
_REQUESTS: Dict[str, Callable[..., int]] = {"sign_in": _sign_in}


#: wait_for_pin's result, read as get_pin's response.
_WAIT_FOR_PIN: Op = ("wait_for_pin", "plexauth_client_wait_for_pin", "plexauth_pin_free", "plexauth_pin_json",
                     "plexauth_pin_response", _GET_PIN[5], "", "", "")

#: jwt_login's result, read as exchange_device_jwt's response.
_JWT_LOGIN: Op = ("jwt_login", "plexauth_client_jwt_login", "plexauth_jwt_token_free", "plexauth_jwt_token_json",
                  "plexauth_jwt_token_response", _EXCHANGE_DEVICE_JWT[5], "", "plexauth_client_jwt_login_start",
                  "plexauth_client_jwt_login_finish")


def _check_key(key: Any) -> None:
    if not isinstance(key, DeviceKey):
        raise TypeError(f"key must be a DeviceKey, not {type(key).__name__}")


def _pin_request(request: Any, values: Dict[str, Any]) -> Tuple[Dict[str, Any], Tuple[Tuple[str, str], ...]]:
    """Merges the seed's ``request`` (a dict or a model with ``_asdict``) with the keywords
    (a keyword given beats the request's value); returns (other fields, identity overrides)."""
    merged: Dict[str, Any] = {}
    if request is not None:
        items = request._asdict() if hasattr(request, "_asdict") else request
        if not isinstance(items, Mapping):
            raise TypeError(f"request must be a mapping, not {type(request).__name__}")
        merged.update(items)
    merged.update({k: v for k, v in values.items() if v is not None})
    identity: Dict[str, str] = {}
    rest: Dict[str, Any] = {}
    for key, value in merged.items():
        if key in _IDENTITY_KEYS:
            if value:
                identity[_IDENTITY_KEYS[key]] = value
        else:
            rest[key] = value
    return rest, tuple(identity.items())


def _seed_args(seed: Seed, request: PinRequest, values: Dict[str, Any], options: Options) -> Tuple[Tuple[Any, ...], _Call]:
    """The seed method's native arguments and call options: its one parameter (bool: 0/1;
    int: required) from the keywords or the request's keys (``seed[1]``), and the identity
    overrides (keywords beat the request's keys)."""
    _, keys, kind = seed
    rest, identity = _pin_request(request, values)
    value = next((rest[k] for k in keys if rest.get(k) is not None), None)
    if kind == "bool":
        args: Tuple[Any, ...] = (1 if value else 0,)
    else:
        if value is None:
            raise errors.InvalidArgument(f"{keys[0]} is required")
        args = (int(value),)
    retries, server_url, timeout_ms, cancel, token = options
    return args, _call_options(retries, server_url, timeout_ms, cancel, token, identity)


class Plex(GeneratedPlex):
    """``PlexAPI.plex``: the seed SDK's (plex-api-client 0.18) PIN operations,
    ``get_pin`` and ``get_token_by_pin_id``, over ``authentication.create_pin``/``get_pin``.

    The methods are generated from codegen (_operations.py). Both take the seed's
    ``request`` (a dict) or its fields as keywords: ``strong`` / ``pin_id`` and the identity
    overrides ``client_id``, ``client_name``, ``device_nickname``, ``client_version``,
    ``platform``, ``device_name`` (poll with the client_id that created the PIN), plus
    ``retries``, ``server_url``, ``timeout_ms`` and ``cancel``.
    The PIN is ``res.auth_pin_container``. An expired or unknown PIN raises
    :class:`errors.PinExpired` (an ``SDKError``, as the seed raised for the 404).
    """

    def __init__(self, sdk: PlexAPI) -> None:
        self._sdk = sdk

    def _seed(self, seed: Seed, request: PinRequest, values: Dict[str, Any], options: Options) -> Any:
        """Runs the seed method's operation (``seed[0]``); its response (``.object``)."""
        args, call = _seed_args(seed, request, values, options)
        return self._sdk.authentication._read(seed[0], args, call)

    async def _seed_async(self, seed: Seed, request: PinRequest, values: Dict[str, Any], options: Options) -> Any:
        args, call = _seed_args(seed, request, values, options)
        return await self._sdk._start(seed[0], args, call, options[3])


#: The size of a buffer that holds any client identifier with its NUL (PLEXAUTH_CLIENT_ID_MAX).
_CLIENT_ID_MAX = _prototypes.PLEXAUTH_CLIENT_ID_MAX


def client_id(path: "Optional[Union[str, os.PathLike[str]]]" = None) -> str:
    """A stable device identity for ``PlexAPI(client_id=...)``: the client identifier stored
    in the file ``path``, or a new random UUID written there once (mode 0600; missing folders
    are created 0700), so that repeated runs do not register new devices with plex.tv.
    ``path`` None: ``$XDG_CONFIG_HOME/plexauth/client_id`` (or ``~/.config/plexauth/client_id``).
    A file that does not hold a client identifier is left alone (:class:`errors.InvalidArgument`).
    """
    path_b = None
    if path is not None:
        path_b = os.fsencode(path)
        if b"\x00" in path_b:
            raise errors.InvalidArgument("path contains a NUL character")
    buf, err = create_string_buffer(_CLIENT_ID_MAX), c_void_p()
    status = lib().plexauth_client_id_load_or_create(path_b, buf, _CLIENT_ID_MAX, byref(err))
    if status != 0:
        raise _failure("client_id", status, err)
    return buf.value.decode("utf-8")


_raw_decode: Optional[Callable[[str], Tuple[Any, int]]] = None


def _decode_json(text: str) -> Any:
    """Decodes the library's (compact, valid) JSON: ``JSONDecoder.raw_decode``
    skips json.loads's whitespace handling. json is imported on first use."""
    global _raw_decode
    if _raw_decode is None:
        from json import JSONDecoder

        _raw_decode = JSONDecoder().raw_decode
    return _raw_decode(text)[0]


def library_version() -> str:
    """The version of the libplexauth actually loaded, e.g. "0.1.0"."""
    return str(lib().plexauth_version(None, None, None).decode())


__all__ = [
    "LOGGER_NAME",
    "Authentication",
    "CancelToken",
    "ConnectCache",
    "ConnectResult",
    "DeviceKey",
    "JwtSession",
    "Plex",
    "PlexAPI",
    "client_id",
    "library_version",
]
