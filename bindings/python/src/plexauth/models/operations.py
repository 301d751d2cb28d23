"""Request and response models of the authentication operations.

Names follow the seed SDK (``plex-api-client`` 0.18.0) so that code written
for it keeps working. Models are immutable named tuples with snake_case
attributes; absent fields are ``None`` (or the seed's default). Enumerations
are *open*: a value the server sends that the enum does not know is kept as
the plain ``str``/``int``. ``repr()`` never shows a token, secret, password
or verification code.

The result models and their mapping from the library's JSON are generated from
codegen/api.py (``_generated.py``); the enumerations' members are in
``_enums.py``; this module keeps the seed's names, envelopes and requests.
"""

from typing import Any, Dict, List, Mapping, NamedTuple, Optional, TypedDict, Union

from ._enums import (
    AutoSelectSubtitle,
    DefaultSubtitleAccessibility,
    DefaultSubtitleForced,
    GetTransientTokenQueryParamType,
    MailingListStatus,
    MediaReviewsVisibility,
    Scope,
    ServiceStatus,
    State,
    SubscriptionStatus,
    WatchedIndicator,
)
from ._generated import (
    Billing,
    Connection,
    Device,
    GetTransientTokenMediaContainer,
    PastSubscription,
    PingResponse,
    Pong,
    Services,
    Subscription,
    UserPlexAccount,
    UserProfile,
    _repr,
    account_from_wire,
    pong_from_wire,
    source_info_from_wire,
    transient_token_from_wire,
)
from .components import RawResponse

# The seed SDK's per-operation names for the same enums.
GetTokenDetailsStatus = PostUsersSignInDataStatus = ServiceStatus
GetTokenDetailsAuthenticationStatus = GetTokenDetailsAuthenticationResponseStatus = SubscriptionStatus
PostUsersSignInDataAuthenticationStatus = PostUsersSignInDataAuthenticationResponseStatus = SubscriptionStatus
PostUsersSignInDataMailingListStatus = MailingListStatus
PostUsersSignInDataAutoSelectSubtitle = AutoSelectSubtitle
PostUsersSignInDataDefaultSubtitleAccessibility = DefaultSubtitleAccessibility
PostUsersSignInDataDefaultSubtitleForced = DefaultSubtitleForced
PostUsersSignInDataWatchedIndicator = WatchedIndicator
PostUsersSignInDataMediaReviewsVisibility = MediaReviewsVisibility

# The seed SDK's per-operation names for the same models.
GetTokenDetailsUserPlexAccount = PostUsersSignInDataUserPlexAccount = UserPlexAccount
PostUsersSignInDataUserProfile = UserProfile
GetTokenDetailsSubscription = PostUsersSignInDataSubscription = Subscription
PostUsersSignInDataAuthenticationSubscription = Subscription
PostUsersSignInDataServices = Services
Trials = Dict[str, Any]


# ----------------------------------------------- transient token / source info


class GetTransientTokenResponseBody(NamedTuple):
    media_container: GetTransientTokenMediaContainer


class GetSourceConnectionInformationMediaContainer(NamedTuple):
    device: Optional[Device] = None
    """``MediaContainer.Device``; None when the server sent no device."""


class GetSourceConnectionInformationResponseBody(NamedTuple):
    media_container: GetSourceConnectionInformationMediaContainer


# ------------------------------------------------------------ response envelopes


class GetTransientTokenResponse(NamedTuple):
    content_type: str
    status_code: int
    raw_response: RawResponse
    object: GetTransientTokenResponseBody
    """Parsed body: ``res.object.media_container.token`` (new; the seed
    left parsing to the caller)."""


class GetSourceConnectionInformationResponse(NamedTuple):
    content_type: str
    status_code: int
    raw_response: RawResponse
    object: GetSourceConnectionInformationResponseBody
    """Parsed body: ``res.object.media_container.device`` (new)."""


class GetTokenDetailsResponse(NamedTuple):
    content_type: str
    status_code: int
    raw_response: RawResponse
    user_plex_account: Optional[UserPlexAccount] = None


class PostUsersSignInDataResponse(NamedTuple):
    content_type: str
    status_code: int
    raw_response: RawResponse
    user_plex_account: Optional[UserPlexAccount] = None


# ---------------------------------------------------------------- sign-in request


class PostUsersSignInDataRequestBody(NamedTuple):
    """Login credentials (form fields login, password, rememberMe,
    verificationCode)."""

    login: str
    password: str
    remember_me: Optional[bool] = False
    verification_code: Optional[str] = None

    def __repr__(self) -> str:
        return _repr(self, ("password", "verification_code"))


class PostUsersSignInDataRequest(NamedTuple):
    """Per-request identity headers (each beats the client's value) plus the
    credentials."""

    client_id: Optional[str] = None
    client_name: Optional[str] = None
    device_nickname: Optional[str] = None
    client_version: Optional[str] = None
    platform: Optional[str] = None
    request_body: Optional[PostUsersSignInDataRequestBody] = None


class PostUsersSignInDataGlobals(NamedTuple):
    client_id: Optional[str] = None
    client_name: Optional[str] = None
    device_nickname: Optional[str] = None
    client_version: Optional[str] = None
    platform: Optional[str] = None


class _BodyRequired(TypedDict):
    login: str
    password: str


class PostUsersSignInDataRequestBodyTypedDict(_BodyRequired, total=False):
    remember_me: bool
    verification_code: str


class PostUsersSignInDataRequestTypedDict(TypedDict, total=False):
    client_id: str
    client_name: str
    device_nickname: str
    client_version: str
    platform: str
    request_body: PostUsersSignInDataRequestBodyTypedDict


# Accepted spellings: the snake_case names and the seed's pydantic aliases.
_REQUEST_KEYS = {
    "client_id": "client_id",
    "X-Plex-Client-Identifier": "client_id",
    "client_name": "client_name",
    "X-Plex-Product": "client_name",
    "device_nickname": "device_nickname",
    "X-Plex-Device": "device_nickname",
    "client_version": "client_version",
    "X-Plex-Version": "client_version",
    "platform": "platform",
    "X-Plex-Platform": "platform",
    "request_body": "request_body",
    "RequestBody": "request_body",
}
_BODY_KEYS = {
    "login": "login",
    "password": "password",
    "remember_me": "remember_me",
    "rememberMe": "remember_me",
    "verification_code": "verification_code",
    "verificationCode": "verification_code",
}


def _fields(value: Any, keys: Mapping[str, str], what: str) -> Dict[str, Any]:
    if isinstance(value, Mapping):
        return {keys[k]: v for k, v in value.items() if k in keys}
    if hasattr(value, "_asdict"):
        return dict(value._asdict())
    raise TypeError(f"{what} must be a mapping or a {what} model, not {type(value).__name__}")


def sign_in_request(
    request: Union[PostUsersSignInDataRequest, PostUsersSignInDataRequestTypedDict, Mapping[str, Any]],
) -> PostUsersSignInDataRequest:
    """Normalises a dict (snake_case or alias keys) or model into the model."""
    fields = _fields(request, _REQUEST_KEYS, "PostUsersSignInDataRequest")
    body = fields.get("request_body")
    if body is not None:
        body_fields = _fields(body, _BODY_KEYS, "PostUsersSignInDataRequestBody")
        if body_fields.get("login") is None or body_fields.get("password") is None:
            from .errors import InvalidArgument

            raise InvalidArgument("request_body needs login and password")
        fields["request_body"] = PostUsersSignInDataRequestBody(**body_fields)
    return PostUsersSignInDataRequest(**fields)


__all__ = [
    "AutoSelectSubtitle",
    "Billing",
    "Connection",
    "DefaultSubtitleAccessibility",
    "DefaultSubtitleForced",
    "Device",
    "GetSourceConnectionInformationMediaContainer",
    "GetSourceConnectionInformationResponse",
    "GetSourceConnectionInformationResponseBody",
    "GetTokenDetailsAuthenticationResponseStatus",
    "GetTokenDetailsAuthenticationStatus",
    "GetTokenDetailsResponse",
    "GetTokenDetailsStatus",
    "GetTokenDetailsSubscription",
    "GetTokenDetailsUserPlexAccount",
    "GetTransientTokenMediaContainer",
    "GetTransientTokenQueryParamType",
    "GetTransientTokenResponse",
    "GetTransientTokenResponseBody",
    "MailingListStatus",
    "MediaReviewsVisibility",
    "PastSubscription",
    "PingResponse",
    "Pong",
    "PostUsersSignInDataAuthenticationResponseStatus",
    "PostUsersSignInDataAuthenticationStatus",
    "PostUsersSignInDataAuthenticationSubscription",
    "PostUsersSignInDataAutoSelectSubtitle",
    "PostUsersSignInDataDefaultSubtitleAccessibility",
    "PostUsersSignInDataDefaultSubtitleForced",
    "PostUsersSignInDataGlobals",
    "PostUsersSignInDataMailingListStatus",
    "PostUsersSignInDataMediaReviewsVisibility",
    "PostUsersSignInDataRequest",
    "PostUsersSignInDataRequestBody",
    "PostUsersSignInDataRequestBodyTypedDict",
    "PostUsersSignInDataRequestTypedDict",
    "PostUsersSignInDataResponse",
    "PostUsersSignInDataServices",
    "PostUsersSignInDataStatus",
    "PostUsersSignInDataSubscription",
    "PostUsersSignInDataUserPlexAccount",
    "PostUsersSignInDataUserProfile",
    "PostUsersSignInDataWatchedIndicator",
    "Scope",
    "ServiceStatus",
    "Services",
    "State",
    "Subscription",
    "SubscriptionStatus",
    "Trials",
    "UserPlexAccount",
    "UserProfile",
    "WatchedIndicator",
    "account_from_wire",
    "pong_from_wire",
    "sign_in_request",
    "source_info_from_wire",
    "transient_token_from_wire",
]
