//! Result types. The fields are copied out of the C result through its
//! typed getters; the C result itself is kept (shared by clones) for what is
//! read on demand: a response's headers and body, an account's JSON.
//!
//! `Debug` output never shows tokens, secrets or response bodies.

use std::borrow::Cow;
use std::fmt;
use std::sync::{Arc, OnceLock};

use plexauth_sys as sys;

use crate::util::{borrowed_bytes, list, opt_bool, opt_i64, opt_string, Owned};

const REDACTED: &str = "<redacted>";

/// Shows `Some("<redacted>")` for a present secret, `None` otherwise.
fn redacted(v: &Option<String>) -> Option<&'static str> {
    v.as_ref().map(|_| REDACTED)
}

/// A C result kept alive for the views borrowed from it.
struct Kept<T>(Owned<T>);

// SAFETY (all three): plexauth.h: result objects are immutable and their
// getters may be called from any thread.
unsafe impl Send for Kept<sys::plexauth_account> {}
unsafe impl Sync for Kept<sys::plexauth_account> {}
unsafe impl Send for Kept<sys::plexauth_transient_token> {}
unsafe impl Sync for Kept<sys::plexauth_transient_token> {}
unsafe impl Send for Kept<sys::plexauth_source_info> {}
unsafe impl Sync for Kept<sys::plexauth_source_info> {}

impl<T> Kept<T> {
    fn new(owned: Owned<T>) -> Arc<Self> {
        Arc::new(Kept(owned))
    }

    fn ptr(&self) -> *const T {
        self.0.as_ptr().cast_const()
    }
}

/// The HTTP response behind a result. The status and content type are copied;
/// the headers are copied on first use and the body is borrowed from the
/// library's result, which the response keeps alive.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// HTTP status code, e.g. 200 or 201.
    pub status: u16,
    /// The Content-Type header ("" when absent).
    pub content_type: String,
    raw: ResponseRef,
    headers: OnceLock<Vec<(String, String)>>,
}

/// A `plexauth_response` (or NULL) borrowed from the result `_owner` keeps alive.
#[derive(Clone)]
struct ResponseRef {
    ptr: *const sys::plexauth_response,
    _owner: Arc<dyn Send + Sync>,
}

// SAFETY: `ptr` points into an immutable C result kept alive by `_owner`; its
// getters may be called from any thread (plexauth.h).
unsafe impl Send for ResponseRef {}
unsafe impl Sync for ResponseRef {}

impl RawResponse {
    /// Headers as received (name, value), in order. Copied from the library's
    /// result on the first call (invalid UTF-8 replaced).
    pub fn headers(&self) -> &[(String, String)] {
        let r = self.raw.ptr;
        self.headers.get_or_init(|| {
            // SAFETY: `r` is NULL or live while `self` is (see ResponseRef); the
            // getters accept NULL and out-of-range indexes (NULL / 0).
            unsafe {
                list(sys::plexauth_response_header_count(r), |i| {
                    Some((
                        opt_string(sys::plexauth_response_header_name(r, i))?,
                        opt_string(sys::plexauth_response_header_value(r, i)).unwrap_or_default(),
                    ))
                })
            }
        })
    }

    /// The first header with that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body, unmodified (borrowed from the library's result).
    pub fn body(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: the response is NULL or live while `self` is; the body is
        // `len` bytes owned by it (NULL for a NULL response).
        unsafe { borrowed_bytes(sys::plexauth_response_body(self.raw.ptr, &mut len), len) }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.body())
    }

    /// # Safety
    /// `r` is NULL or a valid response owned by the result `owner` keeps alive.
    unsafe fn from_raw(r: *const sys::plexauth_response, owner: Arc<dyn Send + Sync>) -> RawResponse {
        // SAFETY: `r` is NULL or valid (caller); the getters accept NULL; the
        // content type is copied at once.
        let (status, content_type) = unsafe {
            (
                u16::try_from(sys::plexauth_response_status(r)).unwrap_or(0),
                opt_string(sys::plexauth_response_content_type(r)).unwrap_or_default(),
            )
        };
        RawResponse { status, content_type, raw: ResponseRef { ptr: r, _owner: owner }, headers: OnceLock::new() }
    }
}

impl PartialEq for RawResponse {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.content_type == other.content_type
            && self.body() == other.body()
            && self.headers() == other.headers()
    }
}

impl Eq for RawResponse {}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers().iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("body_len", &self.body().len())
            .finish()
    }
}

/// Result of [`Client::get_transient_token`](crate::Client::get_transient_token).
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransientToken {
    /// `MediaContainer.token`: a temporary token with the caller's access
    /// (valid up to 48 h, lost when the server restarts).
    pub token: Option<String>,
    /// The HTTP response.
    pub response: RawResponse,
}

impl TransientToken {
    /// # Safety
    /// `t` holds a valid result.
    pub(crate) unsafe fn from_raw(owned: Owned<sys::plexauth_transient_token>) -> TransientToken {
        let kept = Kept::new(owned);
        let t = kept.ptr();
        // SAFETY: `t` is valid (caller) and kept alive by the response.
        unsafe {
            TransientToken {
                token: opt_string(sys::plexauth_transient_token_token(t)),
                response: RawResponse::from_raw(sys::plexauth_transient_token_response(t), kept),
            }
        }
    }
}

impl fmt::Debug for TransientToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransientToken")
            .field("token", &redacted(&self.token))
            .field("response", &self.response)
            .finish()
    }
}

/// Result of [`Client::get_source_connection_information`](crate::Client::get_source_connection_information):
/// `MediaContainer.Device`. Every field is None when the server sent no Device.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SourceInfo {
    /// `Device.name`.
    pub name: Option<String>,
    /// `Device.clientIdentifier`.
    pub client_identifier: Option<String>,
    /// `Device.accessToken`.
    pub access_token: Option<String>,
    /// `Device.Connection[]`.
    pub connections: Vec<Connection>,
    /// The HTTP response.
    pub response: RawResponse,
}

/// One `Device.Connection[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Connection {
    /// `protocol`, e.g. "https".
    pub protocol: Option<String>,
    /// `address`, e.g. "10.0.0.5".
    pub address: Option<String>,
    /// `port`, e.g. 32400.
    pub port: Option<i64>,
    /// `uri`, e.g. `https://10.0.0.5:32400`.
    pub uri: Option<String>,
    /// `local`: the server's LAN address.
    pub local: Option<bool>,
    /// `relay`: a relayed connection.
    pub relay: Option<bool>,
}

impl SourceInfo {
    /// # Safety
    /// `s` holds a valid result.
    pub(crate) unsafe fn from_raw(owned: Owned<sys::plexauth_source_info>) -> SourceInfo {
        let kept = Kept::new(owned);
        let s = kept.ptr();
        // SAFETY: `s` is valid (caller) and kept alive by the response; connections are borrowed from it.
        unsafe {
            SourceInfo {
                name: opt_string(sys::plexauth_source_info_name(s)),
                client_identifier: opt_string(sys::plexauth_source_info_client_identifier(s)),
                access_token: opt_string(sys::plexauth_source_info_access_token(s)),
                connections: list(sys::plexauth_source_info_connection_count(s), |i| {
                    let c = sys::plexauth_source_info_connection(s, i);
                    (!c.is_null()).then(|| Connection {
                        protocol: opt_string(sys::plexauth_connection_protocol(c)),
                        address: opt_string(sys::plexauth_connection_address(c)),
                        port: opt_i64(|o| sys::plexauth_connection_port(c, o)),
                        uri: opt_string(sys::plexauth_connection_uri(c)),
                        local: opt_bool(|o| sys::plexauth_connection_local(c, o)),
                        relay: opt_bool(|o| sys::plexauth_connection_relay(c, o)),
                    })
                }),
                response: RawResponse::from_raw(sys::plexauth_source_info_response(s), kept),
            }
        }
    }
}

impl fmt::Debug for SourceInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceInfo")
            .field("name", &self.name)
            .field("client_identifier", &self.client_identifier)
            .field("access_token", &redacted(&self.access_token))
            .field("connections", &self.connections)
            .field("response", &self.response)
            .finish()
    }
}

/// The Plex account (`UserPlexAccount`) returned by
/// [`Client::get_token_details`](crate::Client::get_token_details) and
/// [`Client::sign_in`](crate::Client::sign_in). Times are Unix seconds.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Account {
    // First, as fields are dropped in order: freeing the library's result
    // before the strings below made the next call cheaper (glibc malloc,
    // callgrind: 0.8-3.5 k instructions per call).
    /// The HTTP response.
    pub response: RawResponse,
    /// The C result, kept for [`Account::json`].
    raw: Arc<Kept<sys::plexauth_account>>,
    /// `authToken`: the account's token, to be used as X-Plex-Token.
    pub auth_token: Option<String>,
    /// `uuid`.
    pub uuid: Option<String>,
    /// `username`.
    pub username: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `email`.
    pub email: Option<String>,
    /// `friendlyName`.
    pub friendly_name: Option<String>,
    /// `locale`.
    pub locale: Option<String>,
    /// `thumb` (avatar URL).
    pub thumb: Option<String>,
    /// `mailingListStatus` ("active", "unsubscribed", or another value).
    pub mailing_list_status: Option<String>,
    /// `scrobbleTypes`.
    pub scrobble_types: Option<String>,
    /// `country` (two letters).
    pub country: Option<String>,
    /// `subscriptionDescription`.
    pub subscription_description: Option<String>,
    /// `pin` (deprecated hashed Home PIN).
    pub pin: Option<String>,
    /// `attributionPartner`.
    pub attribution_partner: Option<String>,
    /// `id`.
    pub id: Option<i64>,
    /// `joinedAt`.
    pub joined_at: Option<i64>,
    /// `homeSize`.
    pub home_size: Option<i64>,
    /// `maxHomeSize`.
    pub max_home_size: Option<i64>,
    /// `rememberExpiresAt`.
    pub remember_expires_at: Option<i64>,
    /// `adsConsentReminderAt` (epoch or ISO-8601 on the wire).
    pub ads_consent_reminder_at: Option<i64>,
    /// `adsConsentSetAt` (epoch or ISO-8601 on the wire).
    pub ads_consent_set_at: Option<i64>,
    /// `adsConsent`.
    pub ads_consent: Option<bool>,
    /// `anonymous`.
    pub anonymous: Option<bool>,
    /// `backupCodesCreated`.
    pub backup_codes_created: Option<bool>,
    /// `confirmed`.
    pub confirmed: Option<bool>,
    /// `emailOnlyAuth`.
    pub email_only_auth: Option<bool>,
    /// `experimentalFeatures`.
    pub experimental_features: Option<bool>,
    /// `guest`.
    pub guest: Option<bool>,
    /// `hasPassword`.
    pub has_password: Option<bool>,
    /// `home`.
    pub home: Option<bool>,
    /// `homeAdmin`.
    pub home_admin: Option<bool>,
    /// `mailingListActive`.
    pub mailing_list_active: Option<bool>,
    /// `protected`.
    pub protected: Option<bool>,
    /// `restricted`.
    pub restricted: Option<bool>,
    /// `twoFactorEnabled`.
    pub two_factor_enabled: Option<bool>,
    /// `entitlements`.
    pub entitlements: Vec<String>,
    /// `roles`.
    pub roles: Vec<String>,
    /// `profile`.
    pub profile: Option<Profile>,
    /// `subscription`.
    pub subscription: Option<Subscription>,
    /// `subscriptions`.
    pub subscriptions: Vec<Subscription>,
    /// `services`.
    pub services: Vec<Service>,
    /// `pastSubscriptions` (sign-in only).
    pub past_subscriptions: Vec<PastSubscription>,
    /// The number of `trials` entries (sign-in only; they carry no documented fields).
    pub trial_count: usize,
}

impl Kept<sys::plexauth_account> {
    fn json(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: the account is live while `self` is; the text is borrowed
        // from it (built once, under std::call_once, and kept).
        unsafe { borrowed_bytes(sys::plexauth_account_json(self.ptr(), &mut len), len) }
    }
}

// Two accounts' C results are equal when their JSON is: it tells a null from
// an absent field, which the `Option` fields do not.
impl PartialEq for Kept<sys::plexauth_account> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other) || self.json() == other.json()
    }
}

impl Eq for Kept<sys::plexauth_account> {}

/// `profile` (UserProfile).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Profile {
    /// `autoSelectAudio`.
    pub auto_select_audio: Option<bool>,
    /// `defaultAudioLanguage`.
    pub default_audio_language: Option<String>,
    /// `defaultSubtitleLanguage`.
    pub default_subtitle_language: Option<String>,
    /// `autoSelectSubtitle`.
    pub auto_select_subtitle: Option<i64>,
    /// `defaultSubtitleAccessibility`.
    pub default_subtitle_accessibility: Option<i64>,
    /// `defaultSubtitleForced`.
    pub default_subtitle_forced: Option<i64>,
    /// `watchedIndicator`.
    pub watched_indicator: Option<i64>,
    /// `mediaReviewsVisibility`.
    pub media_reviews_visibility: Option<i64>,
}

/// `subscription` and each `subscriptions[]` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Subscription {
    /// `active`.
    pub active: Option<bool>,
    /// `subscribedAt` (as sent, e.g. "2021-04-12T18:21:12Z").
    pub subscribed_at: Option<String>,
    /// `status` ("Active", "Inactive", or another value).
    pub status: Option<String>,
    /// `paymentService`.
    pub payment_service: Option<String>,
    /// `plan`.
    pub plan: Option<String>,
    /// `features`.
    pub features: Vec<String>,
}

/// A `services[]` entry.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Service {
    /// `identifier`, e.g. "metadata".
    pub identifier: Option<String>,
    /// `endpoint`, e.g. `https://metadata.provider.plex.tv`.
    pub endpoint: Option<String>,
    /// `token`.
    pub token: Option<String>,
    /// `secret`.
    pub secret: Option<String>,
    /// `status` ("online", "offline", or another value).
    pub status: Option<String>,
}

/// A `pastSubscriptions[]` entry (sign-in only).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PastSubscription {
    /// `id`.
    pub id: Option<String>,
    /// `mode`.
    pub mode: Option<String>,
    /// `renewsAt`.
    pub renews_at: Option<i64>,
    /// `endsAt`.
    pub ends_at: Option<i64>,
    /// `canceled`.
    pub canceled: Option<bool>,
    /// `gracePeriod`.
    pub grace_period: Option<bool>,
    /// `onHold`.
    pub on_hold: Option<bool>,
    /// `canReactivate`.
    pub can_reactivate: Option<bool>,
    /// `canUpgrade`.
    pub can_upgrade: Option<bool>,
    /// `canDowngrade`.
    pub can_downgrade: Option<bool>,
    /// `canConvert`.
    pub can_convert: Option<bool>,
    /// `type`, e.g. "plexpass".
    pub type_: Option<String>,
    /// `transfer`.
    pub transfer: Option<String>,
    /// `state` ("ended" or another value).
    pub state: Option<String>,
    /// `billing`.
    pub billing: Billing,
}

/// `pastSubscriptions[].billing`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Billing {
    /// `paymentMethodId`.
    pub payment_method_id: Option<i64>,
    /// `internalPaymentMethod` as compact JSON text (a free-form object).
    pub internal_payment_method: Option<String>,
}

impl Account {
    /// The parsed account as compact JSON with the wire names (known fields
    /// only; absent fields left out, null kept as null), as given by
    /// `plexauth_account_json`.
    ///
    /// Serialised by the library on the first call (it costs about as much as
    /// the parse) and kept for later calls and for clones of this account.
    /// Empty if the library ran out of memory building it.
    pub fn json(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.raw.json())
    }

    /// # Safety
    /// `owned` holds a valid account result.
    pub(crate) unsafe fn from_raw(owned: Owned<sys::plexauth_account>) -> Account {
        let kept = Kept::new(owned);
        let a = kept.ptr();
        // SAFETY: `a` is valid (caller) and kept alive in `raw`; nested objects and strings are borrowed from it.
        unsafe {
            let subscription = |s: *const sys::plexauth_subscription| -> Option<Subscription> {
                (!s.is_null()).then(|| Subscription::from_raw(s))
            };
            Account {
                auth_token: opt_string(sys::plexauth_account_auth_token(a)),
                uuid: opt_string(sys::plexauth_account_uuid(a)),
                username: opt_string(sys::plexauth_account_username(a)),
                title: opt_string(sys::plexauth_account_title(a)),
                email: opt_string(sys::plexauth_account_email(a)),
                friendly_name: opt_string(sys::plexauth_account_friendly_name(a)),
                locale: opt_string(sys::plexauth_account_locale(a)),
                thumb: opt_string(sys::plexauth_account_thumb(a)),
                mailing_list_status: opt_string(sys::plexauth_account_mailing_list_status(a)),
                scrobble_types: opt_string(sys::plexauth_account_scrobble_types(a)),
                country: opt_string(sys::plexauth_account_country(a)),
                subscription_description: opt_string(sys::plexauth_account_subscription_description(a)),
                pin: opt_string(sys::plexauth_account_pin(a)),
                attribution_partner: opt_string(sys::plexauth_account_attribution_partner(a)),
                id: opt_i64(|o| sys::plexauth_account_id(a, o)),
                joined_at: opt_i64(|o| sys::plexauth_account_joined_at(a, o)),
                home_size: opt_i64(|o| sys::plexauth_account_home_size(a, o)),
                max_home_size: opt_i64(|o| sys::plexauth_account_max_home_size(a, o)),
                remember_expires_at: opt_i64(|o| sys::plexauth_account_remember_expires_at(a, o)),
                ads_consent_reminder_at: opt_i64(|o| sys::plexauth_account_ads_consent_reminder_at(a, o)),
                ads_consent_set_at: opt_i64(|o| sys::plexauth_account_ads_consent_set_at(a, o)),
                ads_consent: opt_bool(|o| sys::plexauth_account_ads_consent(a, o)),
                anonymous: opt_bool(|o| sys::plexauth_account_anonymous(a, o)),
                backup_codes_created: opt_bool(|o| sys::plexauth_account_backup_codes_created(a, o)),
                confirmed: opt_bool(|o| sys::plexauth_account_confirmed(a, o)),
                email_only_auth: opt_bool(|o| sys::plexauth_account_email_only_auth(a, o)),
                experimental_features: opt_bool(|o| sys::plexauth_account_experimental_features(a, o)),
                guest: opt_bool(|o| sys::plexauth_account_guest(a, o)),
                has_password: opt_bool(|o| sys::plexauth_account_has_password(a, o)),
                home: opt_bool(|o| sys::plexauth_account_home(a, o)),
                home_admin: opt_bool(|o| sys::plexauth_account_home_admin(a, o)),
                mailing_list_active: opt_bool(|o| sys::plexauth_account_mailing_list_active(a, o)),
                protected: opt_bool(|o| sys::plexauth_account_protected(a, o)),
                restricted: opt_bool(|o| sys::plexauth_account_restricted(a, o)),
                two_factor_enabled: opt_bool(|o| sys::plexauth_account_two_factor_enabled(a, o)),
                entitlements: list(sys::plexauth_account_entitlement_count(a), |i| {
                    opt_string(sys::plexauth_account_entitlement(a, i))
                }),
                roles: list(sys::plexauth_account_role_count(a), |i| opt_string(sys::plexauth_account_role(a, i))),
                profile: Profile::from_raw(sys::plexauth_account_profile(a)),
                subscription: subscription(sys::plexauth_account_subscription(a)),
                subscriptions: list(sys::plexauth_account_subscriptions_count(a), |i| {
                    subscription(sys::plexauth_account_subscriptions_at(a, i))
                }),
                services: list(sys::plexauth_account_service_count(a), |i| {
                    Service::from_raw(sys::plexauth_account_service(a, i))
                }),
                past_subscriptions: list(sys::plexauth_account_past_subscription_count(a), |i| {
                    PastSubscription::from_raw(sys::plexauth_account_past_subscription(a, i))
                }),
                trial_count: sys::plexauth_account_trial_count(a),
                response: RawResponse::from_raw(sys::plexauth_account_response(a), kept.clone()),
                raw: kept,
            }
        }
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("auth_token", &redacted(&self.auth_token))
            .field("uuid", &self.uuid)
            .field("username", &self.username)
            .field("title", &self.title)
            .field("email", &self.email)
            .field("friendly_name", &self.friendly_name)
            .field("locale", &self.locale)
            .field("thumb", &self.thumb)
            .field("mailing_list_status", &self.mailing_list_status)
            .field("scrobble_types", &self.scrobble_types)
            .field("country", &self.country)
            .field("subscription_description", &self.subscription_description)
            .field("pin", &redacted(&self.pin))
            .field("attribution_partner", &self.attribution_partner)
            .field("id", &self.id)
            .field("joined_at", &self.joined_at)
            .field("home_size", &self.home_size)
            .field("max_home_size", &self.max_home_size)
            .field("remember_expires_at", &self.remember_expires_at)
            .field("ads_consent_reminder_at", &self.ads_consent_reminder_at)
            .field("ads_consent_set_at", &self.ads_consent_set_at)
            .field("ads_consent", &self.ads_consent)
            .field("anonymous", &self.anonymous)
            .field("backup_codes_created", &self.backup_codes_created)
            .field("confirmed", &self.confirmed)
            .field("email_only_auth", &self.email_only_auth)
            .field("experimental_features", &self.experimental_features)
            .field("guest", &self.guest)
            .field("has_password", &self.has_password)
            .field("home", &self.home)
            .field("home_admin", &self.home_admin)
            .field("mailing_list_active", &self.mailing_list_active)
            .field("protected", &self.protected)
            .field("restricted", &self.restricted)
            .field("two_factor_enabled", &self.two_factor_enabled)
            .field("entitlements", &self.entitlements)
            .field("roles", &self.roles)
            .field("profile", &self.profile)
            .field("subscription", &self.subscription)
            .field("subscriptions", &self.subscriptions)
            .field("services", &self.services)
            .field("past_subscriptions", &self.past_subscriptions)
            .field("trial_count", &self.trial_count)
            .field("response", &self.response)
            .finish()
    }
}

impl Profile {
    /// # Safety
    /// `p` is NULL or a valid profile.
    unsafe fn from_raw(p: *const sys::plexauth_profile) -> Option<Profile> {
        if p.is_null() {
            return None;
        }
        // SAFETY: `p` is valid (caller).
        unsafe {
            Some(Profile {
                auto_select_audio: opt_bool(|o| sys::plexauth_profile_auto_select_audio(p, o)),
                default_audio_language: opt_string(sys::plexauth_profile_default_audio_language(p)),
                default_subtitle_language: opt_string(sys::plexauth_profile_default_subtitle_language(p)),
                auto_select_subtitle: opt_i64(|o| sys::plexauth_profile_auto_select_subtitle(p, o)),
                default_subtitle_accessibility: opt_i64(|o| sys::plexauth_profile_default_subtitle_accessibility(p, o)),
                default_subtitle_forced: opt_i64(|o| sys::plexauth_profile_default_subtitle_forced(p, o)),
                watched_indicator: opt_i64(|o| sys::plexauth_profile_watched_indicator(p, o)),
                media_reviews_visibility: opt_i64(|o| sys::plexauth_profile_media_reviews_visibility(p, o)),
            })
        }
    }
}

impl Subscription {
    /// # Safety
    /// `s` is a valid subscription.
    unsafe fn from_raw(s: *const sys::plexauth_subscription) -> Subscription {
        // SAFETY: `s` is valid (caller).
        unsafe {
            Subscription {
                active: opt_bool(|o| sys::plexauth_subscription_active(s, o)),
                subscribed_at: opt_string(sys::plexauth_subscription_subscribed_at(s)),
                status: opt_string(sys::plexauth_subscription_status(s)),
                payment_service: opt_string(sys::plexauth_subscription_payment_service(s)),
                plan: opt_string(sys::plexauth_subscription_plan(s)),
                features: list(sys::plexauth_subscription_feature_count(s), |i| {
                    opt_string(sys::plexauth_subscription_feature(s, i))
                }),
            }
        }
    }
}

impl Service {
    /// # Safety
    /// `s` is NULL or a valid service.
    unsafe fn from_raw(s: *const sys::plexauth_service) -> Option<Service> {
        // SAFETY: `s` is valid when not NULL (caller).
        (!s.is_null()).then(|| unsafe {
            Service {
                identifier: opt_string(sys::plexauth_service_identifier(s)),
                endpoint: opt_string(sys::plexauth_service_endpoint(s)),
                token: opt_string(sys::plexauth_service_token(s)),
                secret: opt_string(sys::plexauth_service_secret(s)),
                status: opt_string(sys::plexauth_service_status(s)),
            }
        })
    }
}

impl fmt::Debug for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Service")
            .field("identifier", &self.identifier)
            .field("endpoint", &self.endpoint)
            .field("token", &redacted(&self.token))
            .field("secret", &redacted(&self.secret))
            .field("status", &self.status)
            .finish()
    }
}

impl PastSubscription {
    /// # Safety
    /// `p` is NULL or a valid past subscription.
    unsafe fn from_raw(p: *const sys::plexauth_past_subscription) -> Option<PastSubscription> {
        // SAFETY: `p` is valid when not NULL (caller).
        (!p.is_null()).then(|| unsafe {
            PastSubscription {
                id: opt_string(sys::plexauth_past_subscription_id(p)),
                mode: opt_string(sys::plexauth_past_subscription_mode(p)),
                renews_at: opt_i64(|o| sys::plexauth_past_subscription_renews_at(p, o)),
                ends_at: opt_i64(|o| sys::plexauth_past_subscription_ends_at(p, o)),
                canceled: opt_bool(|o| sys::plexauth_past_subscription_canceled(p, o)),
                grace_period: opt_bool(|o| sys::plexauth_past_subscription_grace_period(p, o)),
                on_hold: opt_bool(|o| sys::plexauth_past_subscription_on_hold(p, o)),
                can_reactivate: opt_bool(|o| sys::plexauth_past_subscription_can_reactivate(p, o)),
                can_upgrade: opt_bool(|o| sys::plexauth_past_subscription_can_upgrade(p, o)),
                can_downgrade: opt_bool(|o| sys::plexauth_past_subscription_can_downgrade(p, o)),
                can_convert: opt_bool(|o| sys::plexauth_past_subscription_can_convert(p, o)),
                type_: opt_string(sys::plexauth_past_subscription_type(p)),
                transfer: opt_string(sys::plexauth_past_subscription_transfer(p)),
                state: opt_string(sys::plexauth_past_subscription_state(p)),
                billing: Billing {
                    payment_method_id: opt_i64(|o| sys::plexauth_past_subscription_billing_payment_method_id(p, o)),
                    internal_payment_method: opt_string(
                        sys::plexauth_past_subscription_billing_internal_payment_method(p),
                    ),
                },
            }
        })
    }
}
