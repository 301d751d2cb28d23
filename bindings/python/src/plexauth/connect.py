"""Connecting to a server of ``list_resources`` (hand-written over ``plexauth_client_connect``).

:meth:`plexauth.PlexAPI.connect` takes a device of ``s.authentication.list_resources().object.devices``
(a :class:`~plexauth.models.operations.Resource`, or the device's wire JSON as a mapping) and races its
connections natively (local -> remote -> relay, https before http, IPv6 last, the remembered one
first; staggered ``GET {uri}/identity`` probes carrying the resource's accessToken; the server must
answer with the resource's clientIdentifier). It returns a :class:`ConnectResult`.

How the device reaches C: the model is written back to its wire JSON (``resource_wire``) and read
with ``plexauth_resources_from_json("[<device>]")``; that handle lives for the blocking call (or
until ``plexauth_client_connect_start`` has copied it). So a device kept from an earlier run (e.g.
``json.dumps(resource_wire(r))`` in a file) can be connected to without listing again.
"""

from __future__ import annotations

import os
from ctypes import byref, c_size_t, c_void_p
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Tuple, Union

from . import _prototypes
from ._native import check, enc, lib
from .models import errors
from .models._generated import Resource

if TYPE_CHECKING:
    from .sdk import CancelToken

#: ``locations=`` names -> PLEXAUTH_LOCATION_* bits.
LOCATIONS = {"local": _prototypes.PLEXAUTH_LOCATION_LOCAL, "remote": _prototypes.PLEXAUTH_LOCATION_REMOTE,
             "relay": _prototypes.PLEXAUTH_LOCATION_RELAY}
#: ``schemes=`` names.
SCHEMES = ("https", "http")

#: Model fields whose wire name is not the plain camelCase of the field.
_WIRE_NAMES = {"ipv6": "IPv6"}


class ConnectAttempt(NamedTuple):
    """One candidate connection, in preference order (tried or not)."""

    uri: str
    """The candidate's base URI (https: the connection's uri; http: http://address:port)."""
    location: str
    """"local", "remote" or "relay"."""
    https: bool
    ipv6: bool
    remembered: bool
    """The cache's uri for this server (tried first)."""
    outcome: str
    """"ok" (answered as the server), "failed", "abandoned" (still running at the end) or "not_tried"."""
    status: str
    """Why it failed: a status name ("transport", "malformed_response": another server answered,
    "unauthorized", ...); "ok" when it did not fail."""
    http_status: int
    """The probe's HTTP status (0: no response)."""
    started_ms: Optional[int]
    """When its probe started, from the start of the connect (None: not started)."""
    elapsed_ms: Optional[int]
    """How long its probe took (None: it did not finish)."""
    message: Optional[str]
    """A failed candidate's error message (no secrets in it)."""


class ConnectResult(NamedTuple):
    """The connection :meth:`plexauth.PlexAPI.connect` chose, and what happened to every candidate."""

    uri: str
    """The chosen base URI: use it as ``server_url`` for the server's operations."""
    machine_identifier: str
    """The server's machineIdentifier (the resource's clientIdentifier, as the server confirmed)."""
    name: Optional[str]
    """The server's name (the resource's)."""
    version: Optional[str]
    """The server's version, as its /identity answered ("" when not sent)."""
    access_token: Optional[str]
    """The token to use with the server (the resource's accessToken); None when the resource had
    none (an owned server: use the account's token). Secret: hidden from repr()."""
    elapsed_ms: int
    """How long the connect took."""
    attempts: List[ConnectAttempt]
    """Every candidate, in preference order."""

    def __repr__(self) -> str:
        token = None if self.access_token is None else "<redacted>"
        return (f"ConnectResult(uri={self.uri!r}, machine_identifier={self.machine_identifier!r}, "
                f"name={self.name!r}, version={self.version!r}, access_token={token}, "
                f"elapsed_ms={self.elapsed_ms!r}, attempts={self.attempts!r})")


class ConnectCache:
    """Remembered good connections, one per server (machineIdentifier -> uri).

    Pass it as ``connect(..., cache=c)``: the server's last good uri is tried first and the winner
    is stored. ``load(path)`` / ``save(path)`` keep it in a file (saved atomically, mode 0600; a
    missing file loads as empty); ``len(c)`` is the number of servers remembered. Thread-safe.
    """

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, path: "Optional[Union[str, os.PathLike[str]]]" = None) -> None:
        from .sdk import _failure

        self._handle: Optional[int] = None
        out, err = c_void_p(), c_void_p()
        status = lib().plexauth_connect_cache_new(byref(out), byref(err))
        if status != 0:
            raise _failure("connect_cache_new", status, err)
        self._handle = out.value
        if path is not None:
            self.load(path)

    def load(self, path: "Union[str, os.PathLike[str]]") -> None:
        """Replaces the content with the file's (written by :meth:`save`); a missing file is empty.
        Raises TransportError (unreadable) or MalformedResponse (not a cache file)."""
        from .sdk import _failure

        err = c_void_p()
        status = lib().plexauth_connect_cache_load(self._live(), _path(path), byref(err))
        if status != 0:
            raise _failure("connect_cache_load", status, err)

    def save(self, path: "Union[str, os.PathLike[str]]") -> None:
        """Writes the cache to ``path`` atomically (mode 0600). Raises TransportError."""
        from .sdk import _failure

        err = c_void_p()
        status = lib().plexauth_connect_cache_save(self._live(), _path(path), byref(err))
        if status != 0:
            raise _failure("connect_cache_save", status, err)

    def __len__(self) -> int:
        return int(lib().plexauth_connect_cache_size(self._live()))

    def _live(self) -> int:
        if not self._handle:
            raise RuntimeError("this ConnectCache is closed")
        return self._handle

    def close(self) -> None:
        """Releases the native cache (options of calls still running keep it alive). Idempotent."""
        handle, self._handle = self._handle, None
        if handle:
            lib().plexauth_connect_cache_free(handle)

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __repr__(self) -> str:
        return "<ConnectCache closed>" if not self._handle else f"<ConnectCache servers={len(self)}>"


def _path(path: "Union[str, os.PathLike[str]]") -> bytes:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str or os.PathLike, not {type(path).__name__}")
    raw = os.fsencode(path)
    if b"\x00" in raw:
        raise errors.InvalidArgument("path contains a NUL character")
    return raw


def _wire_name(field: str) -> str:
    if field in _WIRE_NAMES:
        return _WIRE_NAMES[field]
    head, *rest = field.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _wire_value(value: Any) -> Any:
    from datetime import datetime

    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, tuple) and hasattr(value, "_asdict"):
        return {_wire_name(k): _wire_value(v) for k, v in value._asdict().items() if v is not None}
    if isinstance(value, list):
        return [_wire_value(v) for v in value]
    return value


def resource_wire(resource: Resource) -> Dict[str, Any]:
    """A device model back in plex.tv's wire form (what ``list_resources`` read it from; absent
    fields left out), e.g. to keep it in a file and connect to it later."""
    if not isinstance(resource, Resource):
        raise TypeError(f"resource must be a Resource, not {type(resource).__name__}")
    wire: Dict[str, Any] = _wire_value(resource)
    return wire


def _resource_json(resource: Union[Resource, Mapping[str, Any]]) -> bytes:
    if isinstance(resource, Resource):
        device: Any = resource_wire(resource)
    elif isinstance(resource, Mapping):
        device = dict(resource)
    else:
        raise TypeError(f"resource must be a Resource (from list_resources) or a mapping, not "
                        f"{type(resource).__name__}")
    import json  # (on first use: keeps ``from plexauth import PlexAPI`` quick)

    try:
        text = json.dumps([device], ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise errors.InvalidArgument(f"resource cannot be written as JSON: {exc}") from None
    return enc(text, "resource")


class _Native:
    """The device and the options in C, freed by close()."""

    def __init__(self, resources: Optional[int] = None, opts: Optional[int] = None) -> None:
        self.resources = resources
        self.opts = opts

    @property
    def device(self) -> int:
        assert self.resources is not None
        handle = lib().plexauth_resources_devices_at(self.resources, 0)
        if not handle:
            raise errors.InvalidArgument("resource: no device")
        return int(handle)

    def close(self) -> None:
        L = lib()
        resources, self.resources = self.resources, None
        opts, self.opts = self.opts, None
        if resources:
            L.plexauth_resources_free(resources)
        if opts:
            L.plexauth_connect_options_free(opts)


def _ms(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of milliseconds, not {type(value).__name__}")
    return int(value)


def prepare(
    resource: Union[Resource, Mapping[str, Any]],
    locations: Optional[Iterable[str]],
    schemes: Optional[Iterable[str]],
    stagger_ms: Optional[int],
    grace_ms: Optional[int],
    deadline_ms: Optional[int],
    cache: Optional[ConnectCache],
    cancel: "Optional[CancelToken]",
) -> _Native:
    """Checks the arguments and builds the native device and options (the caller closes them)."""
    from .sdk import CancelToken, _failure

    if resource is None:
        raise TypeError("resource is required (a device of list_resources)")
    if cache is not None and not isinstance(cache, ConnectCache):
        raise TypeError(f"cache must be a ConnectCache, not {type(cache).__name__}")
    if cancel is not None and not isinstance(cancel, CancelToken):
        raise TypeError(f"cancel must be a CancelToken, not {type(cancel).__name__}")
    mask = 0
    if locations is not None:
        if isinstance(locations, (str, bytes)):
            locations = [locations] if isinstance(locations, str) else [locations.decode()]
        for name in locations:
            if name not in LOCATIONS:
                raise errors.InvalidArgument(f"locations: {name!r} is not one of {sorted(LOCATIONS)}")
            mask |= LOCATIONS[name]
        if not mask:
            raise errors.InvalidArgument("locations: none given")
    https = http = True
    if schemes is not None:
        chosen = [schemes] if isinstance(schemes, str) else list(schemes)
        for name in chosen:
            if name not in SCHEMES:
                raise errors.InvalidArgument(f"schemes: {name!r} is not one of {list(SCHEMES)}")
        https, http = "https" in chosen, "http" in chosen
    text = _resource_json(resource)

    L = lib()
    native = _Native()
    try:
        out, err = c_void_p(), c_void_p()
        status = L.plexauth_resources_from_json(byref(out), text, byref(err))
        if status != 0:  # (the library calls a device it cannot read a malformed body)
            failure = _failure("connect", status, err)
            if not isinstance(failure, errors.PlexAuthError):
                raise failure
            message = f"resource is not a device of list_resources: {failure.message}"
            raise errors.InvalidArgument(message, detail=failure.detail._replace(
                status_name="invalid_argument", message=message)) from None
        native.resources = out.value
        made = c_void_p()
        status = L.plexauth_connect_options_new(byref(made), byref(err))
        if status != 0:
            raise _failure("connect", status, err)
        native.opts = opts = made.value
        if mask:
            check(L.plexauth_connect_options_set_locations(opts, mask), "locations")
        if schemes is not None:
            check(L.plexauth_connect_options_set_schemes(opts, int(https), int(http)), "schemes")
        if stagger_ms is not None:
            check(L.plexauth_connect_options_set_stagger_ms(opts, _ms(stagger_ms, "stagger_ms")), "stagger_ms")
        if grace_ms is not None:
            check(L.plexauth_connect_options_set_grace_ms(opts, _ms(grace_ms, "grace_ms")), "grace_ms")
        if deadline_ms is not None:
            check(L.plexauth_connect_options_set_deadline_ms(opts, _ms(deadline_ms, "deadline_ms")), "deadline_ms")
        if cache is not None:
            check(L.plexauth_connect_options_set_cache(opts, cache._live()), "cache")
        if cancel is not None:
            check(L.plexauth_connect_options_set_cancel(opts, cancel._handle), "cancel")
    except BaseException:
        native.close()
        raise
    return native


def _when(value: Any) -> Optional[int]:
    """The JSON's milliseconds (-1: did not happen) as an int or None."""
    return None if value is None or int(value) < 0 else int(value)


def take_result(handle: int) -> ConnectResult:
    """A ConnectResult from a native result (freed here: its token is wiped)."""
    import json

    L = lib()
    try:
        size = c_size_t(0)
        data = L.plexauth_connect_result_json(handle, byref(size))
        if data is None:
            raise errors.MalformedResponse("the library gave no connect result")
        d = json.loads(data[: size.value].decode("utf-8"))
    finally:
        L.plexauth_connect_result_free(handle)
    attempts = [
        ConnectAttempt(
            uri=a.get("uri", ""),
            location=a.get("location", ""),
            https=bool(a.get("https")),
            ipv6=bool(a.get("ipv6")),
            remembered=bool(a.get("remembered")),
            outcome=a.get("outcome", ""),
            status=a.get("status", "ok"),
            http_status=int(a.get("httpStatus") or 0),
            started_ms=_when(a.get("startedMs")),
            elapsed_ms=_when(a.get("elapsedMs")),
            message=a.get("message") or None,
        )
        for a in d.get("attempts", [])
    ]
    return ConnectResult(
        uri=d.get("uri", ""),
        machine_identifier=d.get("machineIdentifier", ""),
        name=d.get("name"),
        version=d.get("version"),
        access_token=d.get("accessToken"),
        elapsed_ms=int(d.get("elapsedMs") or 0),
        attempts=attempts,
    )


def finish_pair(call: int) -> Tuple[int, int, c_void_p]:
    """plexauth_client_connect_finish: (status, result handle or 0, error)."""
    out, err = c_void_p(), c_void_p()
    status = lib().plexauth_client_connect_finish(byref(out), call, byref(err))
    return status, out.value or 0, err


__all__ = ["ConnectAttempt", "ConnectCache", "ConnectResult", "LOCATIONS", "SCHEMES", "resource_wire"]
