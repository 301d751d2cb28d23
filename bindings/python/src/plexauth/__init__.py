"""plexauth: Plex authentication over libplexauth (ctypes).

A drop-in for the authentication surface of the seed SDK ``plex-api-client``::

    from plexauth import PlexAPI
    from plexauth.models import operations, errors
    from plexauth import utils

``import plexauth`` is cheap: the client and the models are imported on first
access, and the native library is loaded on first use (lookup order in
``plexauth._native``: ``PLEXAUTH_LIBRARY``, a bundled copy, the system loader).
"""

__version__ = "0.2.0"

TYPE_CHECKING = False  # (importing typing here would cost the import time saved)
if TYPE_CHECKING:
    from typing import Any, List

    from . import utils
    from .models import errors, operations
    from .connect import ConnectAttempt, ConnectCache, ConnectResult
    from .jwt import DeviceKey, JwtSession, JwtSessionToken
    from .sdk import Authentication, CancelToken, Plex, PlexAPI, client_id, library_version

_FROM_SDK = ("Authentication", "CancelToken", "Plex", "PlexAPI", "client_id", "library_version")
_FROM_CONNECT = ("ConnectAttempt", "ConnectCache", "ConnectResult")
_FROM_JWT = ("DeviceKey", "JwtSession", "JwtSessionToken")


def __getattr__(name: str) -> "Any":
    """Imports the public names on first access (PEP 562)."""
    if name in _FROM_SDK:
        from . import sdk

        value = getattr(sdk, name)
    elif name in _FROM_CONNECT:
        from . import connect

        value = getattr(connect, name)
    elif name in _FROM_JWT:
        from . import jwt

        value = getattr(jwt, name)
    elif name in ("errors", "operations", "utils"):
        from . import utils
        from .models import errors, operations

        value = {"errors": errors, "operations": operations, "utils": utils}[name]
    else:
        raise AttributeError(f"module 'plexauth' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> "List[str]":
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "Authentication",
    "CancelToken",
    "ConnectAttempt",
    "ConnectCache",
    "ConnectResult",
    "DeviceKey",
    "JwtSession",
    "JwtSessionToken",
    "Plex",
    "PlexAPI",
    "client_id",
    "errors",
    "library_version",
    "operations",
    "utils",
]
