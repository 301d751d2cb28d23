"""Errors raised by plexauth.

Every error derives from :class:`PlexAuthError` and carries the plexauth
status name (``status_name``), the number of HTTP attempts made
(``attempts``), the HTTP status of the last response (``http_status``, 0 when
none was received), Retry-After in seconds (``retry_after``) and Plex's
``errors[]`` entries (``plex_errors``).

The seed SDK's classes are kept, so code written for it still works:

* ``{Operation}BadRequest`` / ``{Operation}Unauthorized`` for each of the four
  operations, with ``.data.errors[i].code/.message/.status`` and
  ``.data.raw_response``;
* :class:`SDKError` (``message``, ``status_code``, ``body``, ``raw_response``)
  for everything else.

The finer classes subclass the seed class a seed caller would have caught:

======================  =============================================
status                  class (base)
======================  =============================================
two_factor_required     TwoFactorRequired (PostUsersSignInDataUnauthorized)
sign_in_throttled       SignInThrottled (PostUsersSignInDataUnauthorized)
rate_limited            RateLimited (SDKError)
http_error              HTTPError (SDKError)
transport / tls         TransportError / TLSError (SDKError)
timeout                 Timeout (SDKError)
cancelled               Cancelled (SDKError)
malformed_response      MalformedResponse (SDKError)
response_too_large      ResponseTooLarge (SDKError)
unreachable             Unreachable (SDKError): PlexAPI.connect found no connection
callback_error          CallbackError (SDKError)
out_of_memory           OutOfMemory (SDKError)
internal                InternalError (SDKError)
invalid_argument        InvalidArgument (PlexAuthError, ValueError)
======================  =============================================
"""

from typing import List

from . import _errors
from ._error_base import (
    BadRequestError,
    ErrorData,
    ErrorDetail,
    LibraryError,
    PlexAuthError,
    PlexErrorEntry,
    SDKError,
    UnauthorizedError,
    _PlexErrorsError,
)
from ._errors import *  # noqa: F401,F403 - every status's and operation's class (generated)
from ._errors import InternalError, InvalidArgument
from .components import raw_response

# The seed's per-operation names for the same shape.
GetTransientTokenErrors = GetTransientTokenAuthenticationErrors = PlexErrorEntry
GetSourceConnectionInformationErrors = GetSourceConnectionInformationAuthenticationErrors = PlexErrorEntry
GetTokenDetailsErrors = GetTokenDetailsAuthenticationErrors = PlexErrorEntry
PostUsersSignInDataErrors = PostUsersSignInDataAuthenticationErrors = PlexErrorEntry
GetTransientTokenBadRequestData = GetTransientTokenUnauthorizedData = ErrorData
GetSourceConnectionInformationBadRequestData = GetSourceConnectionInformationUnauthorizedData = ErrorData
GetTokenDetailsBadRequestData = GetTokenDetailsUnauthorizedData = ErrorData
PostUsersSignInDataBadRequestData = PostUsersSignInDataUnauthorizedData = ErrorData


def from_detail(operation: str, detail: ErrorDetail) -> PlexAuthError:
    """The exception for a failed operation (private helper of the client)."""
    name = detail.status_name
    cls = _errors.STATUS_CLASSES.get(name, InternalError)
    if name in ("bad_request", "unauthorized"):
        cls = _errors.OPERATION_CLASSES.get(operation, (BadRequestError, UnauthorizedError))[name == "unauthorized"]
    if issubclass(cls, _PlexErrorsError):
        raw = raw_response(detail.http_status, detail.content_type, None, detail.body or b"")
        data = ErrorData(list(detail.plex_errors), raw)
        return cls(data, message=detail.message, detail=detail)
    if not issubclass(cls, SDKError):
        return cls(detail.message, detail=detail)
    status_code = detail.http_status if detail.http_status else -1
    body = (detail.body or b"").decode("utf-8", "replace")
    return cls(detail.message, status_code, body, detail=detail)


__all__: List[str] = [
    "BadRequestError",
    "ErrorData",
    "ErrorDetail",
    "LibraryError",
    "PlexAuthError",
    "PlexErrorEntry",
    "SDKError",
    "UnauthorizedError",
    *_errors.__all__,
]
