"""Loading libplexauth and declaring the C prototypes (private; the declarations
are generated from the header into _prototypes.py).

The library is loaded on first use, not at import, so that ``import plexauth``
stays cheap. Lookup order:

1. ``PLEXAUTH_LIBRARY``: a path to the shared library (no fallback if it fails);
2. a copy bundled in this package directory (``libplexauth.so*``,
   ``libplexauth*.dylib``, ``plexauth.dll``): the wheel built by
   ``pip install`` / ``python -m build`` (scikit-build-core, CMakeLists.txt)
   carries ``libplexauth.so.<SOVERSION>`` there, tried first;
3. the system loader: ``libplexauth.so.<SOVERSION>`` (so ``LD_LIBRARY_PATH`` and the
   ld.so cache apply), then ``ctypes.util.find_library("plexauth")``.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from ctypes import byref, c_int, c_int64, c_size_t, c_void_p
from enum import Enum
from typing import Any, Callable, List, Optional, Tuple

from . import _prototypes
from .models.components import Headers, RawResponse
from .models.errors import ErrorDetail, InvalidArgument, LibraryError, PlexErrorEntry, SDKError

#: The ABI this binding was generated for: the major, and during 0.x also
#: the minor (every 0.x minor may break the ABI; docs/design.md).
ABI_MAJOR = _prototypes.ABI_MAJOR
ABI_MINOR = _prototypes.ABI_MINOR

TOKEN_PROVIDER_FN = _prototypes.plexauth_token_provider_fn
LOG_FN = _prototypes.plexauth_log_fn
PIN_PROGRESS_FN = _prototypes.plexauth_pin_progress_fn
CALL_DONE_FN = _prototypes.plexauth_call_done_fn
KEYSTORE_READ_FN = _prototypes.plexauth_keystore_read_fn
KEYSTORE_WRITE_FN = _prototypes.plexauth_keystore_write_fn

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
        soname = f"libplexauth.so.{_prototypes.SOVERSION}"
        bundled = sorted((n for n in os.listdir(here) if _is_library_file(n)), key=lambda n: (n != soname, n))
    except OSError:
        bundled = []
    names.extend(os.path.join(here, n) for n in bundled)
    if sys.platform == "darwin":
        names.append(f"libplexauth.{_prototypes.SOVERSION}.dylib")
    elif sys.platform == "win32":
        names.append("plexauth.dll")
    else:
        names.append(f"libplexauth.so.{_prototypes.SOVERSION}")
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
    """Declares every function of the header (_prototypes.py, generated from it)."""
    for name, (restype, argtypes) in _prototypes.PROTOTYPES.items():
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
            major, minor = c_int(-1), c_int(-1)
            version = cdll.plexauth_version(byref(major), byref(minor), None)
            if major.value != ABI_MAJOR or (ABI_MAJOR == 0 and minor.value != ABI_MINOR):
                raise LibraryError(
                    f"libplexauth {version.decode()} has another ABI; this binding needs "
                    f"{ABI_MAJOR}.{ABI_MINOR}" + (".x" if ABI_MAJOR == 0 else "")
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


def enc_open(value: Any, what: str) -> bytes:
    """enc() of a str or of an open enum's member (its value)."""
    return enc(value.value if isinstance(value, Enum) else value, what)


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
            for i in range(L.plexauth_error_plex_errors_count(handle))
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
            for i in range(L.plexauth_response_headers_count(resp))
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
