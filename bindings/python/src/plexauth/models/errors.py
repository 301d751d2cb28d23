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
callback_error          CallbackError (SDKError)
out_of_memory           OutOfMemory (SDKError)
internal                InternalError (SDKError)
invalid_argument        InvalidArgument (PlexAuthError, ValueError)
======================  =============================================
"""

from typing import Dict, List, NamedTuple, Optional, Tuple, Type

from .components import RawResponse, raw_response


class LibraryError(OSError):
    """libplexauth could not be found, loaded, or has an incompatible ABI."""


class PlexErrorEntry(NamedTuple):
    """One entry of Plex's ``{"errors": [{code, message, status}]}``."""

    code: Optional[int] = None
    message: Optional[str] = None
    status: Optional[int] = None


# The seed's per-operation names for the same shape.
GetTransientTokenErrors = GetTransientTokenAuthenticationErrors = PlexErrorEntry
GetSourceConnectionInformationErrors = GetSourceConnectionInformationAuthenticationErrors = PlexErrorEntry
GetTokenDetailsErrors = GetTokenDetailsAuthenticationErrors = PlexErrorEntry
PostUsersSignInDataErrors = PostUsersSignInDataAuthenticationErrors = PlexErrorEntry


class ErrorDetail(NamedTuple):
    """Everything libplexauth reported about a failure (copied from the C error
    object, which is freed right away)."""

    status_name: str = "internal"
    message: str = ""
    http_status: int = 0
    attempts: int = 0
    retry_after_ms: Optional[int] = None
    plex_errors: Tuple[PlexErrorEntry, ...] = ()
    content_type: Optional[str] = None
    body: Optional[bytes] = None


class ErrorData(NamedTuple):
    """``.data`` of the typed 400/401 errors, as in the seed SDK."""

    errors: Optional[List[PlexErrorEntry]] = None
    raw_response: Optional[RawResponse] = None

    def to_json(self) -> str:
        """Compact, key-sorted JSON of ``errors`` (what ``str(exc)`` gives)."""
        import json

        entries = None
        if self.errors is not None:
            entries = [{k: v for k, v in e._asdict().items() if v is not None} for e in self.errors]
        return json.dumps({"errors": entries} if entries is not None else {}, sort_keys=True, separators=(",", ":"))


GetTransientTokenBadRequestData = GetTransientTokenUnauthorizedData = ErrorData
GetSourceConnectionInformationBadRequestData = GetSourceConnectionInformationUnauthorizedData = ErrorData
GetTokenDetailsBadRequestData = GetTokenDetailsUnauthorizedData = ErrorData
PostUsersSignInDataBadRequestData = PostUsersSignInDataUnauthorizedData = ErrorData


class PlexAuthError(Exception):
    """Base class of every error plexauth raises for a call."""

    detail: ErrorDetail
    message: str

    def __init__(self, message: str, *, detail: Optional[ErrorDetail] = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail if detail is not None else ErrorDetail(message=message)

    @property
    def status_name(self) -> str:
        """The plexauth status name, e.g. ``"two_factor_required"``."""
        return self.detail.status_name

    @property
    def attempts(self) -> int:
        """HTTP attempts made (0 when the call failed before sending)."""
        return self.detail.attempts

    @property
    def http_status(self) -> int:
        """HTTP status of the last response; 0 when none was received."""
        return self.detail.http_status

    @property
    def retry_after(self) -> Optional[float]:
        """Retry-After of the last response in seconds, or None."""
        ms = self.detail.retry_after_ms
        return None if ms is None else ms / 1000.0

    @property
    def plex_errors(self) -> List[PlexErrorEntry]:
        """Plex's ``errors[]`` entries of the last response."""
        return list(self.detail.plex_errors)

    @property
    def plex_error_codes(self) -> List[int]:
        return [e.code for e in self.detail.plex_errors if e.code is not None]

    @property
    def raw_response(self) -> Optional[RawResponse]:
        """The last response (status, Content-Type, truncated redacted body),
        or None when no response was received."""
        d = self.detail
        if d.http_status == 0:
            return None
        return raw_response(d.http_status, d.content_type, None, d.body or b"")


class SDKError(PlexAuthError):
    """Any failure without a more specific seed class (seed-compatible:
    ``SDKError(message, status_code=-1, body="", raw_response=None)``)."""

    status_code: int
    body: str

    def __init__(
        self,
        message: str,
        status_code: int = -1,
        body: str = "",
        raw_response: Optional[RawResponse] = None,
        *,
        detail: Optional[ErrorDetail] = None,
    ) -> None:
        super().__init__(message, detail=detail)
        self.status_code = status_code
        self.body = body
        self._raw = raw_response

    @property
    def raw_response(self) -> Optional[RawResponse]:
        return self._raw if self._raw is not None else super().raw_response

    def __str__(self) -> str:
        text = f"{self.message}: Status {self.status_code}"
        return f"{text}\n{self.body}" if self.body else text


class _PlexErrorsError(PlexAuthError):
    """A 400/401 carrying Plex's errors[] (``.data`` as in the seed)."""

    data: ErrorData

    def __init__(self, data: ErrorData, *, message: str = "", detail: Optional[ErrorDetail] = None) -> None:
        super().__init__(message or data.to_json(), detail=detail)
        self.data = data

    @property
    def status_code(self) -> int:
        return self.http_status

    def __str__(self) -> str:
        return self.data.to_json()


class BadRequestError(_PlexErrorsError):
    """HTTP 400 (any operation)."""


class UnauthorizedError(_PlexErrorsError):
    """HTTP 401, or plex.tv's 422 "invalid token" (any operation)."""


class GetTransientTokenBadRequest(BadRequestError):
    pass


class GetTransientTokenUnauthorized(UnauthorizedError):
    pass


class GetSourceConnectionInformationBadRequest(BadRequestError):
    pass


class GetSourceConnectionInformationUnauthorized(UnauthorizedError):
    pass


class GetTokenDetailsBadRequest(BadRequestError):
    pass


class GetTokenDetailsUnauthorized(UnauthorizedError):
    pass


class PostUsersSignInDataBadRequest(BadRequestError):
    pass


class PostUsersSignInDataUnauthorized(UnauthorizedError):
    pass


class TwoFactorRequired(PostUsersSignInDataUnauthorized):
    """Sign-in needs a 2FA verification code, or the one given was wrong
    (Plex code 1029). Ask the user, then sign in again with
    ``verification_code``."""


class SignInThrottled(PostUsersSignInDataUnauthorized):
    """plex.tv locked sign-ins from this IP after repeated failures (Plex code
    1031). Never retried automatically; wait before trying again."""


class RateLimited(SDKError):
    """HTTP 429. ``retry_after`` gives the server's Retry-After in seconds
    (None when not sent)."""


class HTTPError(SDKError):
    """Any other HTTP 3XX/4XX/5XX (after retries)."""


class TransportError(SDKError):
    """DNS, connect, send/receive failure or connection reset."""


class TLSError(TransportError):
    """TLS handshake or certificate verification failed."""


class Timeout(SDKError):
    """The connect timeout or the per-attempt timeout expired."""


class Cancelled(SDKError):
    """The call's CancelToken was triggered."""


class MalformedResponse(SDKError):
    """A success status with an unexpected content type or status code, or a
    body that is not the documented JSON (the message names the field)."""


class ResponseTooLarge(SDKError):
    """The response body exceeded ``max_response_bytes``."""


class CallbackError(SDKError):
    """The ``access_token`` callable raised or returned something other than a
    str/None. The original exception is chained as ``__cause__``."""


class OutOfMemory(SDKError):
    """libplexauth could not allocate memory."""


class InternalError(SDKError):
    """A bug in plexauth. Please report it."""


class InvalidArgument(PlexAuthError, ValueError):
    """An argument was rejected before anything was sent (missing, not valid
    UTF-8, a control character, too long or out of range)."""


_SDK_ERROR_CLASSES: Dict[str, Type[SDKError]] = {
    "rate_limited": RateLimited,
    "http_error": HTTPError,
    "transport": TransportError,
    "tls": TLSError,
    "timeout": Timeout,
    "cancelled": Cancelled,
    "malformed_response": MalformedResponse,
    "response_too_large": ResponseTooLarge,
    "callback_error": CallbackError,
    "out_of_memory": OutOfMemory,
}

_OPERATION_CLASSES: Dict[str, Tuple[Type[BadRequestError], Type[UnauthorizedError]]] = {
    "get_transient_token": (GetTransientTokenBadRequest, GetTransientTokenUnauthorized),
    "get_source_connection_information": (
        GetSourceConnectionInformationBadRequest,
        GetSourceConnectionInformationUnauthorized,
    ),
    "get_token_details": (GetTokenDetailsBadRequest, GetTokenDetailsUnauthorized),
    "post_users_sign_in_data": (PostUsersSignInDataBadRequest, PostUsersSignInDataUnauthorized),
}


def from_detail(operation: str, detail: ErrorDetail) -> PlexAuthError:
    """The exception for a failed operation (private helper of the client)."""
    name = detail.status_name
    if name in ("bad_request", "unauthorized", "two_factor_required", "sign_in_throttled"):
        bad_request, unauthorized = _OPERATION_CLASSES.get(operation, (BadRequestError, UnauthorizedError))
        cls: Type[_PlexErrorsError] = {
            "bad_request": bad_request,
            "unauthorized": unauthorized,
            "two_factor_required": TwoFactorRequired,
            "sign_in_throttled": SignInThrottled,
        }[name]
        raw = raw_response(detail.http_status, detail.content_type, None, detail.body or b"")
        data = ErrorData(list(detail.plex_errors), raw)
        return cls(data, message=detail.message, detail=detail)
    if name == "invalid_argument":
        return InvalidArgument(detail.message, detail=detail)
    sdk_cls = _SDK_ERROR_CLASSES.get(name, InternalError)
    status_code = detail.http_status if detail.http_status else -1
    body = (detail.body or b"").decode("utf-8", "replace")
    return sdk_cls(detail.message, status_code, body, detail=detail)


__all__ = [
    "BadRequestError",
    "CallbackError",
    "Cancelled",
    "ErrorData",
    "ErrorDetail",
    "GetSourceConnectionInformationBadRequest",
    "GetSourceConnectionInformationUnauthorized",
    "GetTokenDetailsBadRequest",
    "GetTokenDetailsUnauthorized",
    "GetTransientTokenBadRequest",
    "GetTransientTokenUnauthorized",
    "HTTPError",
    "InternalError",
    "InvalidArgument",
    "LibraryError",
    "MalformedResponse",
    "OutOfMemory",
    "PlexAuthError",
    "PlexErrorEntry",
    "PostUsersSignInDataBadRequest",
    "PostUsersSignInDataUnauthorized",
    "RateLimited",
    "ResponseTooLarge",
    "SDKError",
    "SignInThrottled",
    "TLSError",
    "Timeout",
    "TransportError",
    "TwoFactorRequired",
    "UnauthorizedError",
]
