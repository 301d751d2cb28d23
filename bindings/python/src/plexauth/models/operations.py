"""Request and response models of the authentication operations.

Names follow the seed SDK (``plex-api-client`` 0.18.0) so that code written
for it keeps working. Models are immutable named tuples with snake_case
attributes; absent fields are ``None`` (or the seed's default). Enumerations
are *open*: a value the server sends that the enum does not know is kept as
the plain ``str``/``int``. ``repr()`` never shows a token, secret, password
or verification code.

The models (results, response envelopes, the sign-in request), the mapping
from the library's JSON and the enumerations are generated from
codegen/api.py (``_generated.py``, ``_enums.py``); this module keeps the
seed's per-operation aliases and normalises the sign-in request.
"""

from typing import Any, Dict, Mapping, NamedTuple, Optional, Union

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
from .components import RawResponse
from ._generated import (
    Billing,
    Connection,
    CreateJwkPinResponse,
    CreatePinResponse,
    Device,
    ExchangeDeviceJwtResponse,
    GetIdentityResponse,
    GetIdentityResponseBody,
    GetJwkPinResponse,
    GetJwksResponse,
    GetNonceResponse,
    GetPinResponse,
    GetSourceConnectionInformationMediaContainer,
    GetSourceConnectionInformationResponse,
    GetSourceConnectionInformationResponseBody,
    GetTokenDetailsResponse,
    GetTransientTokenMediaContainer,
    GetTransientTokenResponse,
    GetTransientTokenResponseBody,
    HomeUser,
    HomeUsers,
    Jwk,
    Jwks,
    JwtToken,
    ListHomeUsersResponse,
    ListHomeUsersResponseBody,
    ListResourcesResponse,
    Nonce,
    PastSubscription,
    Pin,
    PingResponse,
    Pong,
    PostUsersSignInDataGlobals,
    PostUsersSignInDataRequest,
    PostUsersSignInDataRequestBody,
    PostUsersSignInDataRequestBodyTypedDict,
    PostUsersSignInDataRequestTypedDict,
    PostUsersSignInDataResponse,
    Resource,
    Resources,
    ServerIdentity,
    Services,
    Subscription,
    SwitchHomeUserResponse,
    UserPlexAccount,
    UserProfile,
    _SIGN_IN_BODY_KEYS,
    _SIGN_IN_KEYS,
    account_from_wire,
    pin_from_wire,
    pong_from_wire,
    source_info_from_wire,
    transient_token_from_wire,
)

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


# ---------------------------------------------------------------- the seed's plex.get_pin / get_token_by_pin_id

#: The seed's names of the PIN model (``AuthPinContainer``).
GetPinAuthPinContainer = GetTokenByPinIDAuthPinContainer = Pin


class PlexGetPinResponse(NamedTuple):
    """``PlexAPI.plex.get_pin``'s response (the seed's ``GetPinResponse`` of ``plex.get_pin``;
    ``operations.GetPinResponse`` is ``authentication.get_pin``'s, with ``.object``)."""

    content_type: str
    status_code: int
    raw_response: RawResponse
    auth_pin_container: Optional[Pin] = None
    """The new PIN (``id``, ``code``, ``expires_in``, ...)."""


class GetTokenByPinIDResponse(NamedTuple):
    """``PlexAPI.plex.get_token_by_pin_id``'s response: ``auth_pin_container.auth_token`` is the
    account's token once the user approved the PIN (None until then)."""

    content_type: str
    status_code: int
    raw_response: RawResponse
    auth_pin_container: Optional[Pin] = None


# ---------------------------------------------------------------- sign-in request


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
    fields = _fields(request, _SIGN_IN_KEYS, "PostUsersSignInDataRequest")
    body = fields.get("request_body")
    if body is not None:
        body_fields = _fields(body, _SIGN_IN_BODY_KEYS, "PostUsersSignInDataRequestBody")
        if body_fields.get("login") is None or body_fields.get("password") is None:
            from .errors import InvalidArgument

            raise InvalidArgument("request_body needs login and password")
        fields["request_body"] = PostUsersSignInDataRequestBody(**body_fields)
    return PostUsersSignInDataRequest(**fields)


#: What post_users_sign_in_data's ``request`` accepts.
SignInRequest = Union[PostUsersSignInDataRequest, PostUsersSignInDataRequestTypedDict, Mapping[str, Any]]


__all__ = [
    "AutoSelectSubtitle",
    "Billing",
    "Connection",
    "CreateJwkPinResponse",
    "CreatePinResponse",
    "DefaultSubtitleAccessibility",
    "DefaultSubtitleForced",
    "Device",
    "ExchangeDeviceJwtResponse",
    "GetIdentityResponse",
    "GetIdentityResponseBody",
    "GetJwkPinResponse",
    "GetJwksResponse",
    "GetNonceResponse",
    "GetPinAuthPinContainer",
    "GetPinResponse",
    "GetSourceConnectionInformationMediaContainer",
    "GetSourceConnectionInformationResponse",
    "GetSourceConnectionInformationResponseBody",
    "GetTokenByPinIDAuthPinContainer",
    "GetTokenByPinIDResponse",
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
    "HomeUser",
    "HomeUsers",
    "Jwk",
    "Jwks",
    "JwtToken",
    "ListHomeUsersResponse",
    "ListHomeUsersResponseBody",
    "ListResourcesResponse",
    "MailingListStatus",
    "MediaReviewsVisibility",
    "Nonce",
    "PastSubscription",
    "Pin",
    "PingResponse",
    "PlexGetPinResponse",
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
    "Resource",
    "Resources",
    "Scope",
    "ServerIdentity",
    "ServiceStatus",
    "Services",
    "State",
    "Subscription",
    "SubscriptionStatus",
    "SwitchHomeUserResponse",
    "Trials",
    "UserPlexAccount",
    "UserProfile",
    "WatchedIndicator",
    "account_from_wire",
    "pin_from_wire",
    "pong_from_wire",
    "sign_in_request",
    "source_info_from_wire",
    "transient_token_from_wire",
]
