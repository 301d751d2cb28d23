"""The client: :class:`PlexAPI` and its ``authentication`` operations."""

import os
import threading
from ctypes import byref, c_void_p
from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    TypeVar,
    Union,
)

from . import _native
from ._native import check, enc, lib, new_handle
from ._operations import GeneratedOperations, Op, Options
from .models import errors, operations
from .models.components import RawResponse
from .utils import UNSET, OptionalNullable, RetryConfig, Unset

if TYPE_CHECKING:
    from types import TracebackType

R = TypeVar("R")

_new: Callable[..., Any] = tuple.__new__  # a NamedTuple from a tuple of its fields, in order

#: Lines from libplexauth (already redacted) go to this logger unless a
#: debug_logger is given. (``logging`` is imported lazily, for import speed.)
LOGGER_NAME = "plexauth"

# plexauth_log_level -> logging level (ERROR, WARNING, INFO, DEBUG)
_LEVELS = {1: 40, 2: 30, 3: 20, 4: 10}

# The exception an access_token callable raised, kept per thread until the
# call that invoked it (on the same thread) turns it into CallbackError.
_provider_failure = threading.local()

TokenSource = Union[str, Callable[[], Optional[str]], None]
SignInRequest = Union[
    operations.PostUsersSignInDataRequest,
    operations.PostUsersSignInDataRequestTypedDict,
    Mapping[str, Any],
]


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


#: A call with no per-call option (no native call options needed).
_NO_OPTIONS = _Call(UNSET, None, None, None)


def _call_options(
    retries: OptionalNullable[RetryConfig],
    server_url: Optional[str],
    timeout_ms: Optional[int],
    cancel: Optional[CancelToken],
) -> _Call:
    if retries is UNSET and server_url is None and timeout_ms is None and cancel is None:
        return _NO_OPTIONS
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise TypeError(f"cancel must be a CancelToken, not {type(cancel).__name__}")
    return _Call(retries, server_url, timeout_ms, None if cancel is None else cancel._handle)


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
    None for "no token"); the callable is called on every HTTP attempt.

    ``retry_config``: UNSET = libplexauth's default policy (500 ms initial,
    x1.5, 60 s max interval, 5 min max elapsed); None = no retries.
    ``timeout_ms``: per-attempt limit (default 30 s; 0 = none).

    The client is thread-safe. Use it as a context manager, or call
    :meth:`close`, to free the native client.
    """

    authentication: "Authentication"

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
        try:
            callbacks: List[Any] = []

            def put(setter: Any, value: Optional[str], what: str) -> None:
                if value:
                    check(setter(cfg, enc(value, what)), what)

            if callable(access_token):
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
        finally:
            L.plexauth_config_free(cfg)
        # The C client calls these; they live exactly as long as it does.
        self._callbacks = tuple(callbacks)
        self._client = out.value
        self.authentication = Authentication(self)

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
        self._callbacks = ()

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

    # ------------------------------------------------------------ calls

    def _call(self, operation: str, function: Any, args: Tuple[Any, ...], call: _Call) -> int:
        """Runs one C operation; returns the result handle or raises."""
        opts = None if call is _NO_OPTIONS else self._options(call)
        out, err = c_void_p(), c_void_p()
        try:
            with self._state:
                if self._closing or not self._client:
                    raise RuntimeError("this PlexAPI client is closed")
                self._in_flight += 1
                client = self._client
            try:
                status = function(byref(out), client, *args, opts, byref(err))
            finally:
                with self._state:
                    self._in_flight -= 1
                    if self._closing and self._in_flight == 0:
                        self._free_locked()
        finally:
            if opts is not None:
                lib().plexauth_call_options_free(opts)
        if status != 0:
            raise _failure(operation, status, err)
        assert out.value is not None
        return out.value

    @staticmethod
    def _options(call: _Call) -> Optional[int]:
        if call.server_url is None and call.timeout_ms is None and call.cancel is None and isinstance(
            call.retries, Unset
        ):
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

    The four seed operations keep their seed-compatible surfaces here; the
    others (``ping``, ...) are generated from codegen/api.py (_operations.py).
    Every operation takes ``retries`` (UNSET = the client's policy, None = no
    retries, or a RetryConfig), ``server_url`` (the base for this call: PMS for
    get_transient_token and get_source_connection_information, the plex.tv API
    for the others), ``timeout_ms`` and ``cancel`` (a :class:`CancelToken`).
    """

    def __init__(self, sdk: PlexAPI) -> None:
        self._sdk = sdk

    # ------------------------------------------------ generated operations

    def _result(self, op: Op, args: Tuple[Any, ...], options: Options) -> "_Result":
        """Runs ``plexauth_client_<op>`` and reads its ``plexauth_<model>`` result."""
        return self._read(op, args, _call_options(*options))

    async def _result_async(self, op: Op, args: Tuple[Any, ...], options: Options) -> "_Result":
        retries, server_url, timeout_ms, cancel = options
        return await self._sdk._run_async(lambda h: self._read(op, args, _Call(retries, server_url, timeout_ms, h)), cancel)

    def _read(self, op: Op, args: Tuple[Any, ...], call: _Call) -> "_Result":
        (operation, model, from_wire), L = op, lib()
        out = self._sdk._call(operation, getattr(L, "plexauth_client_" + operation), args, call)
        prefix = "plexauth_" + model
        free, json, response = (getattr(L, prefix + suffix) for suffix in ("_free", "_json", "_response"))
        return _json_result(out, free, json, response, from_wire)

    # ---------------------------------------------------- get_transient_token

    def get_transient_token(
        self,
        *,
        type_: Union[operations.GetTransientTokenQueryParamType, str] = (
            operations.GetTransientTokenQueryParamType.DELEGATION
        ),
        scope: Union[operations.Scope, str] = operations.Scope.ALL,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetTransientTokenResponse:
        """``GET {PMS}/security/token?type=delegation&scope=all``. The token is
        ``res.object.media_container.token``."""
        return self._transient_token(type_, scope, _call_options(retries, server_url, timeout_ms, cancel))

    async def get_transient_token_async(
        self,
        *,
        type_: Union[operations.GetTransientTokenQueryParamType, str] = (
            operations.GetTransientTokenQueryParamType.DELEGATION
        ),
        scope: Union[operations.Scope, str] = operations.Scope.ALL,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetTransientTokenResponse:
        return await self._sdk._run_async(
            lambda h: self._transient_token(type_, scope, _Call(retries, server_url, timeout_ms, h)), cancel
        )

    def _transient_token(self, type_: Any, scope: Any, call: _Call) -> operations.GetTransientTokenResponse:
        L = lib()
        args = (enc(_value(type_), "type_"), enc(_value(scope), "scope"))
        out = self._sdk._call("get_transient_token", L.plexauth_client_get_transient_token, args, call)
        ctype, status, raw, container = _json_result(
            out,
            L.plexauth_transient_token_free,
            L.plexauth_transient_token_json,
            L.plexauth_transient_token_response,
            operations.transient_token_from_wire,
        )
        body = operations.GetTransientTokenResponseBody(container or operations.GetTransientTokenMediaContainer())
        return operations.GetTransientTokenResponse(ctype, status, raw, body)

    # ------------------------------------- get_source_connection_information

    def get_source_connection_information(
        self,
        *,
        source: str,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetSourceConnectionInformationResponse:
        """``GET {PMS}/security/resources?source=...``. The device is
        ``res.object.media_container.device``."""
        return self._source_info(source, _call_options(retries, server_url, timeout_ms, cancel))

    async def get_source_connection_information_async(
        self,
        *,
        source: str,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetSourceConnectionInformationResponse:
        return await self._sdk._run_async(
            lambda h: self._source_info(source, _Call(retries, server_url, timeout_ms, h)), cancel
        )

    def _source_info(self, source: str, call: _Call) -> operations.GetSourceConnectionInformationResponse:
        L = lib()
        out = self._sdk._call(
            "get_source_connection_information",
            L.plexauth_client_get_source_connection_information,
            (enc(source, "source"),),
            call,
        )
        ctype, status, raw, device = _json_result(
            out, L.plexauth_source_info_free, L.plexauth_source_info_json, L.plexauth_source_info_response, _device
        )
        body = operations.GetSourceConnectionInformationResponseBody(
            operations.GetSourceConnectionInformationMediaContainer(device)
        )
        return operations.GetSourceConnectionInformationResponse(ctype, status, raw, body)

    # ------------------------------------------------------ get_token_details

    def get_token_details(
        self,
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetTokenDetailsResponse:
        """``GET {plex.tv}/user``: the account behind the token
        (``res.user_plex_account``)."""
        return self._token_details(_call_options(retries, server_url, timeout_ms, cancel))

    async def get_token_details_async(
        self,
        *,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.GetTokenDetailsResponse:
        return await self._sdk._run_async(
            lambda h: self._token_details(_Call(retries, server_url, timeout_ms, h)), cancel
        )

    def _token_details(self, call: _Call) -> operations.GetTokenDetailsResponse:
        L = lib()
        out = self._sdk._call("get_token_details", L.plexauth_client_get_token_details, (), call)
        response: operations.GetTokenDetailsResponse = _new(operations.GetTokenDetailsResponse, _account_result(out))
        return response

    # ------------------------------------------------ post_users_sign_in_data

    def post_users_sign_in_data(
        self,
        *,
        request: SignInRequest,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.PostUsersSignInDataResponse:
        """``POST {plex.tv}/users/signin``. ``request`` is a dict (snake_case
        keys or the seed's aliases) or a PostUsersSignInDataRequest. Raises
        :class:`errors.TwoFactorRequired` when a verification code is needed."""
        return self._sign_in(request, _call_options(retries, server_url, timeout_ms, cancel))

    async def post_users_sign_in_data_async(
        self,
        *,
        request: SignInRequest,
        retries: OptionalNullable[RetryConfig] = UNSET,
        server_url: Optional[str] = None,
        timeout_ms: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> operations.PostUsersSignInDataResponse:
        return await self._sdk._run_async(
            lambda h: self._sign_in(request, _Call(retries, server_url, timeout_ms, h)), cancel
        )

    def _sign_in(self, request: SignInRequest, call: _Call) -> operations.PostUsersSignInDataResponse:
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
            for name, setter in (
                ("client_id", L.plexauth_sign_in_set_client_id),
                ("client_name", L.plexauth_sign_in_set_client_name),
                ("client_version", L.plexauth_sign_in_set_client_version),
                ("platform", L.plexauth_sign_in_set_platform),
                ("device_nickname", L.plexauth_sign_in_set_device_nickname),
            ):
                value = getattr(req, name)
                if value:
                    check(setter(handle, enc(value, name)), name)
            out = self._sdk._call(
                "post_users_sign_in_data", L.plexauth_client_post_users_sign_in_data, (handle,), call
            )
        finally:
            L.plexauth_sign_in_free(handle)
        response: operations.PostUsersSignInDataResponse = _new(
            operations.PostUsersSignInDataResponse, _account_result(out)
        )
        return response


_Result = Tuple[str, int, RawResponse, Any]


def _json_result(out: int, free: Any, json: Any, response: Any, from_wire: Callable[[Mapping[str, Any]], R]) -> _Result:
    """Reads a result: its JSON (one getter, one decode) mapped by ``from_wire``
    (None if the library gave no JSON), its raw response (headers on demand);
    the native result is freed with the raw response."""
    owner = _native.ResultOwner(out, free)
    data = json(out, None)
    ctype, raw = _native.raw_response(owner, response(out))
    return ctype, raw.status_code, raw, from_wire(_decode_json(data.decode("utf-8"))) if data else None


def _account_result(out: int) -> _Result:
    L = lib()
    return _json_result(
        out, L.plexauth_account_free, L.plexauth_account_json, L.plexauth_account_response, operations.account_from_wire
    )


def _device(d: Mapping[str, Any]) -> Optional[operations.Device]:
    """MediaContainer.Device: None when the server sent none (every field absent)."""
    return operations.source_info_from_wire(d) if d else None


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


__all__ = ["LOGGER_NAME", "Authentication", "CancelToken", "PlexAPI", "library_version"]
