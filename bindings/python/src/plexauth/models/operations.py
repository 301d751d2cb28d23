"""Request and response models of the four authentication operations.

Names follow the seed SDK (``plex-api-client`` 0.18.0) so that code written
for it keeps working. Models are immutable named tuples with snake_case
attributes; absent fields are ``None`` (or the seed's default). Enumerations
are *open*: a value the server sends that the enum does not know is kept as
the plain ``str``/``int``. ``repr()`` never shows a token, secret, password
or verification code.
"""

from enum import Enum
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Tuple,
    Type,
    TypedDict,
    Union,
)

from .components import RawResponse

if TYPE_CHECKING:
    from datetime import datetime

# --------------------------------------------------------------------- enums


class GetTransientTokenQueryParamType(str, Enum):
    """``type`` of get_transient_token: ``delegation`` is the only value."""

    DELEGATION = "delegation"


class Scope(str, Enum):
    """``scope`` of get_transient_token: ``all`` is the only value."""

    ALL = "all"


class MailingListStatus(str, Enum):
    ACTIVE = "active"
    UNSUBSCRIBED = "unsubscribed"


class AutoSelectSubtitle(int, Enum):
    DISABLE = 0
    ENABLE = 1


class DefaultSubtitleAccessibility(int, Enum):
    DISABLE = 0
    ENABLE = 1


class DefaultSubtitleForced(int, Enum):
    DISABLE = 0
    ENABLE = 1


class WatchedIndicator(int, Enum):
    DISABLE = 0
    ENABLE = 1


class MediaReviewsVisibility(int, Enum):
    DISABLE = 0
    ENABLE = 1


class ServiceStatus(str, Enum):
    ONLINE = "online"
    OFFLINE = "offline"


class SubscriptionStatus(str, Enum):
    INACTIVE = "Inactive"
    ACTIVE = "Active"


class State(str, Enum):
    ENDED = "ended"


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

def _repr(obj: Any, secrets: Tuple[str, ...]) -> str:
    fields = ", ".join(
        f"{k}={'<redacted>' if k in secrets and v is not None else repr(v)}" for k, v in obj._asdict().items()
    )
    return f"{type(obj).__name__}({fields})"


# ------------------------------------------------------------ account models


class UserProfile(NamedTuple):
    auto_select_audio: Optional[bool] = True
    default_audio_language: Optional[str] = None
    default_subtitle_language: Optional[str] = None
    auto_select_subtitle: Optional[Union[AutoSelectSubtitle, int]] = AutoSelectSubtitle.DISABLE
    default_subtitle_accessibility: Optional[Union[DefaultSubtitleAccessibility, int]] = (
        DefaultSubtitleAccessibility.DISABLE
    )
    default_subtitle_forced: Optional[Union[DefaultSubtitleForced, int]] = DefaultSubtitleForced.DISABLE
    watched_indicator: Optional[Union[WatchedIndicator, int]] = WatchedIndicator.DISABLE
    media_reviews_visibility: Optional[Union[MediaReviewsVisibility, int]] = MediaReviewsVisibility.DISABLE


class Subscription(NamedTuple):
    features: Optional[List[str]] = None
    active: Optional[bool] = None
    subscribed_at: Optional[str] = None
    status: Optional[Union[SubscriptionStatus, str]] = None
    payment_service: Optional[str] = None
    plan: Optional[str] = None


class Services(NamedTuple):
    identifier: Optional[str] = None
    endpoint: Optional[str] = None
    token: Optional[str] = None
    secret: Optional[str] = None
    status: Optional[Union[ServiceStatus, str]] = None

    def __repr__(self) -> str:
        return _repr(self, ("token", "secret"))


class Billing(NamedTuple):
    internal_payment_method: Optional[Dict[str, Any]] = None
    payment_method_id: Optional[int] = None


class PastSubscription(NamedTuple):
    id: Optional[str] = None
    mode: Optional[str] = None
    renews_at: Optional[int] = None
    ends_at: Optional[int] = None
    canceled: Optional[bool] = False
    grace_period: Optional[bool] = False
    on_hold: Optional[bool] = False
    can_reactivate: Optional[bool] = False
    can_upgrade: Optional[bool] = False
    can_downgrade: Optional[bool] = False
    can_convert: Optional[bool] = False
    type: Optional[str] = None
    transfer: Optional[str] = None
    state: Optional[Union[State, str]] = None
    billing: Optional[Billing] = None


class UserPlexAccount(NamedTuple):
    """The account (``UserPlexAccount``). ``past_subscriptions`` and ``trials``
    are filled by sign-in only (``None`` for get_token_details)."""

    ads_consent: Optional[bool] = None
    ads_consent_reminder_at: Optional["datetime"] = None
    ads_consent_set_at: Optional["datetime"] = None
    anonymous: Optional[bool] = False
    auth_token: Optional[str] = None
    backup_codes_created: Optional[bool] = False
    confirmed: Optional[bool] = False
    country: Optional[str] = None
    email: Optional[str] = None
    email_only_auth: Optional[bool] = False
    experimental_features: Optional[bool] = False
    friendly_name: Optional[str] = None
    entitlements: Optional[List[str]] = None
    guest: Optional[bool] = False
    has_password: Optional[bool] = True
    home: Optional[bool] = False
    home_admin: Optional[bool] = False
    home_size: Optional[int] = None
    id: Optional[int] = None
    joined_at: Optional[int] = None
    locale: Optional[str] = None
    mailing_list_active: Optional[bool] = False
    mailing_list_status: Optional[Union[MailingListStatus, str]] = None
    max_home_size: Optional[int] = None
    pin: Optional[str] = None
    profile: Optional[UserProfile] = None
    protected: Optional[bool] = False
    remember_expires_at: Optional[int] = None
    restricted: Optional[bool] = False
    roles: Optional[List[str]] = None
    scrobble_types: Optional[str] = None
    services: Optional[List[Services]] = None
    subscription: Optional[Subscription] = None
    subscription_description: Optional[str] = None
    subscriptions: Optional[List[Subscription]] = None
    thumb: Optional[str] = None
    title: Optional[str] = None
    two_factor_enabled: Optional[bool] = False
    username: Optional[str] = None
    uuid: Optional[str] = None
    attribution_partner: Optional[str] = None
    past_subscriptions: Optional[List[PastSubscription]] = None
    trials: Optional[List[Dict[str, Any]]] = None

    def __repr__(self) -> str:
        return _repr(self, ("auth_token", "pin"))


# The seed SDK's per-operation names for the same models.
GetTokenDetailsUserPlexAccount = PostUsersSignInDataUserPlexAccount = UserPlexAccount
PostUsersSignInDataUserProfile = UserProfile
GetTokenDetailsSubscription = PostUsersSignInDataSubscription = Subscription
PostUsersSignInDataAuthenticationSubscription = Subscription
PostUsersSignInDataServices = Services
Trials = Dict[str, Any]


def _datetime(value: Any) -> "datetime":
    """adsConsent*At: epoch seconds (as the library writes them) or an ISO-8601 date-time."""
    from datetime import datetime, timezone

    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    text = str(value)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


# Reading the library's account JSON (plexauth_account_json: the wire names,
# absent fields left out, null kept). One straight-line function per model,
# fields in the model's order; absent fields get the model's defaults. Built
# with tuple.__new__ and positional values: a NamedTuple's keyword
# constructor costs ~10x as much. (tests/test_operations.py checks that every
# field is read from its own wire name.)

_new: Callable[..., Any] = tuple.__new__


def _members(cls: Type[Enum]) -> Dict[Any, Any]:
    """value -> member, for reading an *open* enum: ``m.get(v, v)`` gives the
    member, or the value itself when the enum does not know it. (The library
    gives strings and integers only: always hashable.)"""
    return {m.value: m for m in cls}


_AUTO_SELECT_SUBTITLE = _members(AutoSelectSubtitle)
_SUBTITLE_ACCESSIBILITY = _members(DefaultSubtitleAccessibility)
_SUBTITLE_FORCED = _members(DefaultSubtitleForced)
_WATCHED_INDICATOR = _members(WatchedIndicator)
_MEDIA_REVIEWS_VISIBILITY = _members(MediaReviewsVisibility)
_SUBSCRIPTION_STATUS = _members(SubscriptionStatus)
_SERVICE_STATUS = _members(ServiceStatus)
_MAILING_LIST_STATUS = _members(MailingListStatus)
_STATE = _members(State)


def _profile(d: Mapping[str, Any]) -> UserProfile:
    g = d.get
    profile: UserProfile = _new(
        UserProfile,
        (
            g("autoSelectAudio", True),
            g("defaultAudioLanguage"),
            g("defaultSubtitleLanguage"),
            _AUTO_SELECT_SUBTITLE.get(v := g("autoSelectSubtitle", 0), v),
            _SUBTITLE_ACCESSIBILITY.get(v := g("defaultSubtitleAccessibility", 0), v),
            _SUBTITLE_FORCED.get(v := g("defaultSubtitleForced", 0), v),
            _WATCHED_INDICATOR.get(v := g("watchedIndicator", 0), v),
            _MEDIA_REVIEWS_VISIBILITY.get(v := g("mediaReviewsVisibility", 0), v),
        ),
    )
    return profile


def _subscription(d: Mapping[str, Any]) -> Subscription:
    g = d.get
    subscription: Subscription = _new(
        Subscription,
        (
            g("features"),
            g("active"),
            g("subscribedAt"),
            _SUBSCRIPTION_STATUS.get(v := g("status"), v),
            g("paymentService"),
            g("plan"),
        ),
    )
    return subscription


def _service(d: Mapping[str, Any]) -> Services:
    g = d.get
    service: Services = _new(
        Services,
        (g("identifier"), g("endpoint"), g("token"), g("secret"), _SERVICE_STATUS.get(v := g("status"), v)),
    )
    return service


def _past_subscription(d: Mapping[str, Any]) -> PastSubscription:
    g = d.get
    billing = g("billing")
    past: PastSubscription = _new(
        PastSubscription,
        (
            g("id"),
            g("mode"),
            g("renewsAt"),
            g("endsAt"),
            g("canceled", False),
            g("gracePeriod", False),
            g("onHold", False),
            g("canReactivate", False),
            g("canUpgrade", False),
            g("canDowngrade", False),
            g("canConvert", False),
            g("type"),
            g("transfer"),
            _STATE.get(v := g("state"), v),
            None
            if billing is None
            else Billing(billing.get("internalPaymentMethod"), billing.get("paymentMethodId")),
        ),
    )
    return past


def account_from_wire(d: Mapping[str, Any]) -> UserPlexAccount:
    """Builds the model from the library's account JSON (decoded)."""
    g = d.get
    account: UserPlexAccount = _new(
        UserPlexAccount,
        (
            g("adsConsent"),
            None if (v := g("adsConsentReminderAt")) is None else _datetime(v),
            None if (v := g("adsConsentSetAt")) is None else _datetime(v),
            g("anonymous", False),
            g("authToken"),
            g("backupCodesCreated", False),
            g("confirmed", False),
            g("country"),
            g("email"),
            g("emailOnlyAuth", False),
            g("experimentalFeatures", False),
            g("friendlyName"),
            g("entitlements"),
            g("guest", False),
            g("hasPassword", True),
            g("home", False),
            g("homeAdmin", False),
            g("homeSize"),
            g("id"),
            g("joinedAt"),
            g("locale"),
            g("mailingListActive", False),
            _MAILING_LIST_STATUS.get(v := g("mailingListStatus"), v),
            g("maxHomeSize"),
            g("pin"),
            None if (v := g("profile")) is None else _profile(v),
            g("protected", False),
            g("rememberExpiresAt"),
            g("restricted", False),
            g("roles"),
            g("scrobbleTypes"),
            None if (v := g("services")) is None else [_service(x) for x in v],
            None if (v := g("subscription")) is None else _subscription(v),
            g("subscriptionDescription"),
            None if (v := g("subscriptions")) is None else [_subscription(x) for x in v],
            g("thumb"),
            g("title"),
            g("twoFactorEnabled", False),
            g("username"),
            g("uuid"),
            g("attributionPartner"),
            None if (v := g("pastSubscriptions")) is None else [_past_subscription(x) for x in v],
            g("trials"),
        ),
    )
    return account


# ----------------------------------------------- transient token / source info


class GetTransientTokenMediaContainer(NamedTuple):
    token: Optional[str] = None
    """The transient token (``MediaContainer.token``); None when absent."""

    def __repr__(self) -> str:
        return _repr(self, ("token",))


class GetTransientTokenResponseBody(NamedTuple):
    media_container: GetTransientTokenMediaContainer


class Connection(NamedTuple):
    protocol: Optional[str] = None
    address: Optional[str] = None
    port: Optional[int] = None
    uri: Optional[str] = None
    local: Optional[bool] = None
    relay: Optional[bool] = None


class Device(NamedTuple):
    name: Optional[str] = None
    client_identifier: Optional[str] = None
    access_token: Optional[str] = None
    connection: Optional[List[Connection]] = None

    def __repr__(self) -> str:
        return _repr(self, ("access_token",))


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
