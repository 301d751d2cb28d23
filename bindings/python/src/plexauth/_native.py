"""Loading libplexauth and declaring the C prototypes (private).

The library is loaded on first use, not at import, so that ``import plexauth``
stays cheap. Lookup order:

1. ``PLEXAUTH_LIBRARY``: a path to the shared library (no fallback if it fails);
2. a copy bundled in this package directory (``libplexauth.so*``,
   ``libplexauth*.dylib``, ``plexauth.dll``);
3. the system loader: ``libplexauth.so.0`` (so ``LD_LIBRARY_PATH`` and the
   ld.so cache apply), then ``ctypes.util.find_library("plexauth")``.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from ctypes import (
    CFUNCTYPE,
    POINTER,
    byref,
    c_char,
    c_char_p,
    c_double,
    c_int,
    c_int64,
    c_size_t,
    c_uint,
    c_void_p,
)
from typing import Any, Callable, List, Optional, Tuple

from .models.components import Headers, RawResponse
from .models.errors import ErrorDetail, InvalidArgument, LibraryError, PlexErrorEntry, SDKError

#: The ABI major this binding was written for (PLEXAUTH_VERSION_MAJOR).
ABI_MAJOR = 0

TOKEN_PROVIDER_FN = CFUNCTYPE(c_int, c_void_p, c_void_p)
LOG_FN = CFUNCTYPE(None, c_void_p, c_int, c_char_p)

_p = c_void_p
_s = c_char_p
_pp = POINTER(c_void_p)
_pi64 = POINTER(c_int64)
_pint = POINTER(c_int)
_psize = POINTER(c_size_t)
_bytes = POINTER(c_char)  # (pointer, length) results: sliced into bytes, no string_at call

# name: (restype, argtypes). Every function the binding calls is declared here.
_PROTOTYPES = {
    "plexauth_version": (_s, [_pint, _pint, _pint]),
    "plexauth_status_name": (_s, [c_int]),
    # errors
    "plexauth_error_free": (None, [_p]),
    "plexauth_error_status": (c_int, [_p]),
    "plexauth_error_message": (_s, [_p]),
    "plexauth_error_http_status": (c_int, [_p]),
    "plexauth_error_attempts": (c_uint, [_p]),
    "plexauth_error_retry_after_ms": (c_int, [_p, _pi64]),
    "plexauth_error_plex_error_count": (c_size_t, [_p]),
    "plexauth_error_plex_error_code": (c_int, [_p, c_size_t, _pi64]),
    "plexauth_error_plex_error_status": (c_int, [_p, c_size_t, _pi64]),
    "plexauth_error_plex_error_message": (_s, [_p, c_size_t]),
    "plexauth_error_content_type": (_s, [_p]),
    "plexauth_error_body": (_bytes, [_p, _psize]),
    # token sink
    "plexauth_token_sink_set": (c_int, [_p, _s, c_size_t]),
    # retry
    "plexauth_retry_new": (c_int, [_pp]),
    "plexauth_retry_free": (None, [_p]),
    "plexauth_retry_set_initial_interval_ms": (c_int, [_p, c_int64]),
    "plexauth_retry_set_max_interval_ms": (c_int, [_p, c_int64]),
    "plexauth_retry_set_exponent": (c_int, [_p, c_double]),
    "plexauth_retry_set_max_elapsed_ms": (c_int, [_p, c_int64]),
    "plexauth_retry_set_max_attempts": (c_int, [_p, c_uint]),
    "plexauth_retry_set_retry_connection_errors": (c_int, [_p, c_int]),
    # cancel
    "plexauth_cancel_new": (c_int, [_pp]),
    "plexauth_cancel_trigger": (None, [_p]),
    "plexauth_cancel_is_triggered": (c_int, [_p]),
    "plexauth_cancel_free": (None, [_p]),
    # config
    "plexauth_config_new": (c_int, [_pp]),
    "plexauth_config_free": (None, [_p]),
    "plexauth_config_set_access_token": (c_int, [_p, _s]),
    "plexauth_config_set_token_provider": (c_int, [_p, TOKEN_PROVIDER_FN, _p, _p]),
    "plexauth_config_set_client_id": (c_int, [_p, _s]),
    "plexauth_config_set_client_name": (c_int, [_p, _s]),
    "plexauth_config_set_client_version": (c_int, [_p, _s]),
    "plexauth_config_set_platform": (c_int, [_p, _s]),
    "plexauth_config_set_device_nickname": (c_int, [_p, _s]),
    "plexauth_config_set_server_url": (c_int, [_p, _s]),
    "plexauth_config_set_server_protocol": (c_int, [_p, _s]),
    "plexauth_config_set_server_ip": (c_int, [_p, _s]),
    "plexauth_config_set_server_port": (c_int, [_p, c_int]),
    "plexauth_config_set_plex_tv_url": (c_int, [_p, _s]),
    "plexauth_config_set_connect_timeout_ms": (c_int, [_p, c_int64]),
    "plexauth_config_set_timeout_ms": (c_int, [_p, c_int64]),
    "plexauth_config_set_retry": (c_int, [_p, _p]),
    "plexauth_config_set_max_response_bytes": (c_int, [_p, c_size_t]),
    "plexauth_config_set_ca_bundle": (c_int, [_p, _s]),
    "plexauth_config_set_insecure_skip_tls_verify": (c_int, [_p, c_int]),
    "plexauth_config_set_use_env_proxy": (c_int, [_p, c_int]),
    "plexauth_config_set_log": (c_int, [_p, c_int, LOG_FN, _p]),
    # client
    "plexauth_client_new": (c_int, [_pp, _p, _pp]),
    "plexauth_client_free": (None, [_p]),
    # call options
    "plexauth_call_options_new": (c_int, [_pp]),
    "plexauth_call_options_free": (None, [_p]),
    "plexauth_call_options_set_server_url": (c_int, [_p, _s]),
    "plexauth_call_options_set_timeout_ms": (c_int, [_p, c_int64]),
    "plexauth_call_options_set_retry": (c_int, [_p, _p]),
    "plexauth_call_options_set_cancel": (c_int, [_p, _p]),
    # raw response
    "plexauth_response_status": (c_int, [_p]),
    "plexauth_response_content_type": (_s, [_p]),
    "plexauth_response_header_count": (c_size_t, [_p]),
    "plexauth_response_header_name": (_s, [_p, c_size_t]),
    "plexauth_response_header_value": (_s, [_p, c_size_t]),
    "plexauth_response_body": (_bytes, [_p, _psize]),
    # operation 1
    "plexauth_client_get_transient_token": (c_int, [_pp, _p, _s, _s, _p, _pp]),
    "plexauth_transient_token_free": (None, [_p]),
    "plexauth_transient_token_token": (_s, [_p]),
    "plexauth_transient_token_response": (_p, [_p]),
    # operation 2
    "plexauth_client_get_source_connection_information": (c_int, [_pp, _p, _s, _p, _pp]),
    "plexauth_source_info_free": (None, [_p]),
    "plexauth_source_info_name": (_s, [_p]),
    "plexauth_source_info_client_identifier": (_s, [_p]),
    "plexauth_source_info_access_token": (_s, [_p]),
    "plexauth_source_info_connection_count": (c_size_t, [_p]),
    "plexauth_source_info_connection": (_p, [_p, c_size_t]),
    "plexauth_source_info_response": (_p, [_p]),
    "plexauth_connection_protocol": (_s, [_p]),
    "plexauth_connection_address": (_s, [_p]),
    "plexauth_connection_uri": (_s, [_p]),
    "plexauth_connection_port": (c_int, [_p, _pi64]),
    "plexauth_connection_local": (c_int, [_p, _pint]),
    "plexauth_connection_relay": (c_int, [_p, _pint]),
    # operations 3 and 4
    "plexauth_client_get_token_details": (c_int, [_pp, _p, _p, _pp]),
    "plexauth_sign_in_new": (c_int, [_pp]),
    "plexauth_sign_in_free": (None, [_p]),
    "plexauth_sign_in_set_login": (c_int, [_p, _s]),
    "plexauth_sign_in_set_password": (c_int, [_p, _s]),
    "plexauth_sign_in_set_remember_me": (c_int, [_p, c_int]),
    "plexauth_sign_in_set_verification_code": (c_int, [_p, _s]),
    "plexauth_sign_in_set_client_id": (c_int, [_p, _s]),
    "plexauth_sign_in_set_client_name": (c_int, [_p, _s]),
    "plexauth_sign_in_set_client_version": (c_int, [_p, _s]),
    "plexauth_sign_in_set_platform": (c_int, [_p, _s]),
    "plexauth_sign_in_set_device_nickname": (c_int, [_p, _s]),
    "plexauth_client_post_users_sign_in_data": (c_int, [_pp, _p, _p, _p, _pp]),
    "plexauth_account_free": (None, [_p]),
    "plexauth_account_response": (_p, [_p]),
    "plexauth_account_json": (_s, [_p, _psize]),  # compact JSON: no NUL inside, so strlen suffices
}


_new: Callable[..., Any] = tuple.__new__  # a NamedTuple from a tuple of its fields, in order

_lock = threading.Lock()
_lib: Optional[Any] = None


def _is_library_file(name: str) -> bool:
    return (
        name.startswith("libplexauth.so")
        or (name.startswith("libplexauth") and name.endswith(".dylib"))
        or name == "plexauth.dll"
    )


def _candidates() -> List[str]:
    env = os.environ.get("PLEXAUTH_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    names: List[str] = []
    try:
        bundled = sorted(n for n in os.listdir(here) if _is_library_file(n))
    except OSError:
        bundled = []
    names.extend(os.path.join(here, n) for n in bundled)
    if sys.platform == "darwin":
        names.append("libplexauth.0.dylib")
    elif sys.platform == "win32":
        names.append("plexauth.dll")
    else:
        names.append("libplexauth.so.0")
    return names


def _open() -> Any:
    errors: List[str] = []
    for name in _candidates():
        try:
            return ctypes.CDLL(name)
        except OSError as exc:
            errors.append(f"{name}: {exc}")
    if not os.environ.get("PLEXAUTH_LIBRARY"):
        from ctypes.util import find_library  # slow (may spawn ldconfig): last resort

        found = find_library("plexauth")
        if found:
            try:
                return ctypes.CDLL(found)
            except OSError as exc:
                errors.append(f"{found}: {exc}")
    raise LibraryError(
        "libplexauth not found; set PLEXAUTH_LIBRARY to its path or install it where the "
        "system loader finds it (tried: " + "; ".join(errors) + ")"
    )


def _declare(cdll: Any) -> None:
    for name, (restype, argtypes) in _PROTOTYPES.items():
        fn = getattr(cdll, name)
        fn.restype = restype
        fn.argtypes = argtypes


def lib() -> Any:
    """The loaded, checked and declared library (loaded once, thread-safe)."""
    global _lib
    if _lib is not None:
        return _lib
    with _lock:
        if _lib is None:
            cdll = _open()
            try:
                _declare(cdll)
            except AttributeError as exc:
                raise LibraryError(f"libplexauth lacks a symbol this binding needs: {exc}") from None
            major = c_int(-1)
            version = cdll.plexauth_version(byref(major), None, None)
            if major.value != ABI_MAJOR:
                raise LibraryError(
                    f"libplexauth {version.decode()} has ABI major {major.value}; "
                    f"this binding needs {ABI_MAJOR}"
                )
            _lib = cdll
    return _lib


# ----------------------------------------------------------------- helpers


def enc(value: str, what: str) -> bytes:
    """UTF-8 for a C string parameter; embedded NULs would silently truncate."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise InvalidArgument(f"{what} contains a NUL character")
    return value.encode("utf-8")


def dec(value: Optional[bytes]) -> Optional[str]:
    return None if value is None else value.decode("utf-8", "replace")


def new_handle(constructor: Any) -> int:
    """Calls a ``plexauth_*_new(T **out)`` and returns the handle."""
    out = c_void_p()
    check(constructor(byref(out)), constructor.__name__)
    assert out.value is not None
    return out.value


def check(status: int, what: str) -> None:
    """Raises for a non-OK status of a setter/constructor (no error object)."""
    if status != 0:
        name = status_name(status)
        message = f"{what} was rejected ({name})"
        detail = ErrorDetail(status_name=name, message=message)
        if name == "invalid_argument":
            raise InvalidArgument(message, detail=detail)
        raise SDKError(message, detail=detail)


def take_error(handle: Optional[int], status: int) -> ErrorDetail:
    """Copies a plexauth_error into an ErrorDetail and frees it."""
    if not handle:
        return ErrorDetail(status_name=status_name(status), message=status_name(status))
    L = lib()
    try:
        entries = tuple(
            PlexErrorEntry(
                opt_i64(L.plexauth_error_plex_error_code, handle, i),
                dec(L.plexauth_error_plex_error_message(handle, i)),
                opt_i64(L.plexauth_error_plex_error_status, handle, i),
            )
            for i in range(L.plexauth_error_plex_error_count(handle))
        )
        return ErrorDetail(
            status_name=status_name(L.plexauth_error_status(handle)),
            message=dec(L.plexauth_error_message(handle)) or "",
            http_status=int(L.plexauth_error_http_status(handle)),
            attempts=int(L.plexauth_error_attempts(handle)),
            retry_after_ms=opt_i64(L.plexauth_error_retry_after_ms, handle),
            plex_errors=entries,
            content_type=dec(L.plexauth_error_content_type(handle)),
            body=bytes_at(L.plexauth_error_body, handle),
        )
    finally:
        L.plexauth_error_free(handle)


def status_name(status: int) -> str:
    return str(lib().plexauth_status_name(status).decode())


def opt_i64(getter: Any, handle: Any, *index: int) -> Optional[int]:
    out = c_int64()
    return int(out.value) if getter(handle, *index, byref(out)) else None


def opt_bool(getter: Any, handle: Any) -> Optional[bool]:
    out = c_int()
    return bool(out.value) if getter(handle, byref(out)) else None


def bytes_at(getter: Any, handle: Any) -> Optional[bytes]:
    """Copies a (pointer, length) result; ``getter`` returns a ``POINTER(c_char)``."""
    size = c_size_t()
    ptr = getter(handle, byref(size))
    return ptr[: size.value] if ptr else None


class ResultOwner:
    """Owns a native result handle and frees it when garbage-collected.

    The headers of a result's response are copied out of the library only
    when they are looked at: the result's :class:`Headers` hold this object
    (called, it reads the headers of ``resp``, borrowed from the result), so
    the result lives exactly as long as something may still read from it.
    """

    __slots__ = ("_handle", "_free", "resp")

    def __init__(self, handle: int, free: Any) -> None:
        self._handle: Optional[int] = handle
        self._free = free  # (held, so that freeing works during interpreter shutdown)
        self.resp: Optional[int] = None

    def __call__(self) -> List[Tuple[str, str]]:
        L, resp = lib(), self.resp
        return [
            (
                L.plexauth_response_header_name(resp, i).decode("latin-1"),
                L.plexauth_response_header_value(resp, i).decode("latin-1"),
            )
            for i in range(L.plexauth_response_header_count(resp))
        ]

    def __reduce__(self) -> Any:
        raise TypeError("a native result cannot be copied or pickled")

    def __del__(self) -> None:
        handle, self._handle = self._handle, None
        if handle:
            try:
                self._free(handle)
            except Exception:  # interpreter shutdown
                pass


def raw_response(owner: ResultOwner, resp: int) -> Tuple[str, RawResponse]:
    """(content type, raw response) of ``resp``, borrowed from ``owner``'s
    result; the body is copied now, the headers when first used."""
    L = lib()
    owner.resp = resp
    raw: RawResponse = _new(
        RawResponse,
        (L.plexauth_response_status(resp), Headers._lazy(owner), bytes_at(L.plexauth_response_body, resp) or b""),
    )
    return L.plexauth_response_content_type(resp).decode("latin-1"), raw
