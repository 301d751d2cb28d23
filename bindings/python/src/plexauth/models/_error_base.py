"""The base classes of plexauth's errors and the error details (hand-written; the
classes of each status and operation are generated in _errors.py)."""

from typing import List, NamedTuple, Optional, Tuple

from .components import RawResponse, raw_response


class LibraryError(OSError):
    """libplexauth could not be found, loaded, or has an incompatible ABI."""


class PlexErrorEntry(NamedTuple):
    """One entry of Plex's ``{"errors": [{code, message, status}]}``."""

    code: Optional[int] = None
    message: Optional[str] = None
    status: Optional[int] = None


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
