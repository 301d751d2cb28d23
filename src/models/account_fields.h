// The response models, each described once as an X-macro field list. That one
// description drives the C++ struct (below), the parser and the JSON writer
// (models.cpp) and the C getters (capi/results.cpp). Adding a field is one
// line here plus one prototype in include/plexauth/plexauth.h.
//
// Columns of X(KIND, TYPE, member, "wireName", C, REQUIRED):
//   KIND      how the value is read, stored and written:
//               Str      string                          -> std::optional<std::string>
//               Int      JSON integer (int64)            -> std::optional<int64_t>
//               Bool     true / false                    -> std::optional<bool>
//               Time     epoch seconds or ISO-8601 text  -> std::optional<int64_t> (Unix seconds)
//               Json     any object, kept as compact JSON text -> std::optional<std::string>
//               StrList  array of strings                -> std::optional<std::vector<std::string>>
//               Count    array whose items are only counted -> std::optional<std::size_t>
//               Obj      object of model TYPE, with its own C handle
//               List     array of model TYPE, each item a C handle
//               Inline   object of model TYPE read through the parent's getters
//                        (prefix "<parent>_<C>_", e.g. billing)
//   TYPE      the nested model for Obj / List / Inline, `_` otherwise
//   member    the C++ member name
//   wireName  the JSON key
//   C         the C getter suffix after "plexauth_<object>_"; for lists the pair
//             (count getter, item getter)
//   REQUIRED  true: a body without it (or with null) is a malformed response
//
// JSON null reads as absent and is remembered in `nulls`, so that
// account_to_json writes it back as null.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plexauth::fields {
struct Str { using type = std::optional<std::string>; };
struct Int { using type = std::optional<int64_t>; };
struct Bool { using type = std::optional<bool>; };
struct Time { using type = std::optional<int64_t>; };
struct Json { using type = std::optional<std::string>; };
struct StrList { using type = std::optional<std::vector<std::string>>; };
struct Count { using type = std::optional<std::size_t>; };
template <class T> struct Obj { using type = std::optional<T>; };
template <class T> struct List { using type = std::optional<std::vector<T>>; };
template <class T> struct Inline { using type = std::optional<T>; };
}  // namespace plexauth::fields

#define PLEXAUTH_KIND_Str(T) ::plexauth::fields::Str
#define PLEXAUTH_KIND_Int(T) ::plexauth::fields::Int
#define PLEXAUTH_KIND_Bool(T) ::plexauth::fields::Bool
#define PLEXAUTH_KIND_Time(T) ::plexauth::fields::Time
#define PLEXAUTH_KIND_Json(T) ::plexauth::fields::Json
#define PLEXAUTH_KIND_StrList(T) ::plexauth::fields::StrList
#define PLEXAUTH_KIND_Count(T) ::plexauth::fields::Count
#define PLEXAUTH_KIND_Obj(T) ::plexauth::fields::Obj<::plexauth::T>
#define PLEXAUTH_KIND_List(T) ::plexauth::fields::List<::plexauth::T>
#define PLEXAUTH_KIND_Inline(T) ::plexauth::fields::Inline<::plexauth::T>

// ---------------------------------------------------------------- get_transient_token
// Fields of MediaContainer.
#define PLEXAUTH_TRANSIENT_TOKEN_FIELDS(X) \
  X(Str, _, token, "token", token, false)

// ---------------------------------------------------------------- get_source_connection_information
// MediaContainer.Device.Connection[]
#define PLEXAUTH_CONNECTION_FIELDS(X)                   \
  X(Str,  _, protocol, "protocol", protocol, false)     \
  X(Str,  _, address,  "address",  address,  false)     \
  X(Int,  _, port,     "port",     port,     false)     \
  X(Str,  _, uri,      "uri",      uri,      false)     \
  X(Bool, _, local,    "local",    local,    false)     \
  X(Bool, _, relay,    "relay",    relay,    false)

// MediaContainer.Device
#define PLEXAUTH_SOURCE_INFO_FIELDS(X)                                                                   \
  X(Str,  _,          name,              "name",             name,                        false)         \
  X(Str,  _,          client_identifier, "clientIdentifier", client_identifier,           false)         \
  X(Str,  _,          access_token,      "accessToken",      access_token,                false)         \
  X(List, Connection, connections,       "Connection",       (connection_count, connection), false)

// ---------------------------------------------------------------- UserPlexAccount
#define PLEXAUTH_PROFILE_FIELDS(X)                                                                              \
  X(Bool, _, auto_select_audio,              "autoSelectAudio",              auto_select_audio,              false) \
  X(Str,  _, default_audio_language,         "defaultAudioLanguage",         default_audio_language,         false) \
  X(Str,  _, default_subtitle_language,      "defaultSubtitleLanguage",      default_subtitle_language,      false) \
  X(Int,  _, auto_select_subtitle,           "autoSelectSubtitle",           auto_select_subtitle,           false) \
  X(Int,  _, default_subtitle_accessibility, "defaultSubtitleAccessibility", default_subtitle_accessibility, false) \
  X(Int,  _, default_subtitle_forced,        "defaultSubtitleForced",        default_subtitle_forced,        false) \
  X(Int,  _, watched_indicator,              "watchedIndicator",             watched_indicator,              false) \
  X(Int,  _, media_reviews_visibility,       "mediaReviewsVisibility",       media_reviews_visibility,       false)

#define PLEXAUTH_SUBSCRIPTION_FIELDS(X)                                                     \
  X(Bool,    _, active,          "active",         active,                  false)          \
  X(Str,     _, subscribed_at,   "subscribedAt",   subscribed_at,           false)          \
  X(Str,     _, status,          "status",         status,                  false)          \
  X(Str,     _, payment_service, "paymentService", payment_service,         false)          \
  X(Str,     _, plan,            "plan",           plan,                    false)          \
  X(StrList, _, features,        "features",       (feature_count, feature), false)

#define PLEXAUTH_SERVICE_FIELDS(X)                            \
  X(Str, _, identifier, "identifier", identifier, false)      \
  X(Str, _, endpoint,   "endpoint",   endpoint,   false)      \
  X(Str, _, token,      "token",      token,      false)      \
  X(Str, _, secret,     "secret",     secret,     false)      \
  X(Str, _, status,     "status",     status,     false)

// pastSubscriptions[].billing
#define PLEXAUTH_BILLING_FIELDS(X)                                                                   \
  X(Int,  _, payment_method_id,       "paymentMethodId",       payment_method_id,       false)       \
  X(Json, _, internal_payment_method, "internalPaymentMethod", internal_payment_method, false)

#define PLEXAUTH_PAST_SUBSCRIPTION_FIELDS(X)                                          \
  X(Str,    _,       id,             "id",            id,             false)          \
  X(Str,    _,       mode,           "mode",          mode,           false)          \
  X(Int,    _,       renews_at,      "renewsAt",      renews_at,      false)          \
  X(Int,    _,       ends_at,        "endsAt",        ends_at,        false)          \
  X(Bool,   _,       canceled,       "canceled",      canceled,       false)          \
  X(Bool,   _,       grace_period,   "gracePeriod",   grace_period,   false)          \
  X(Bool,   _,       on_hold,        "onHold",        on_hold,        false)          \
  X(Bool,   _,       can_reactivate, "canReactivate", can_reactivate, false)          \
  X(Bool,   _,       can_upgrade,    "canUpgrade",    can_upgrade,    false)          \
  X(Bool,   _,       can_downgrade,  "canDowngrade",  can_downgrade,  false)          \
  X(Bool,   _,       can_convert,    "canConvert",    can_convert,    false)          \
  X(Str,    _,       type,           "type",          type,           false)          \
  X(Str,    _,       transfer,       "transfer",      transfer,       false)          \
  X(Str,    _,       state,          "state",         state,          false)          \
  X(Inline, Billing, billing,        "billing",       billing,        false)

// Required: the HEAD spec's list (authToken, email, friendlyName, hasPassword,
// id, joinedAt, title, twoFactorEnabled, username, uuid).
#define PLEXAUTH_ACCOUNT_FIELDS(X)                                                                                     \
  X(Str,     _,                auth_token,               "authToken",               auth_token,               true)   \
  X(Str,     _,                uuid,                     "uuid",                    uuid,                     true)   \
  X(Str,     _,                username,                 "username",                username,                 true)   \
  X(Str,     _,                title,                    "title",                   title,                    true)   \
  X(Str,     _,                email,                    "email",                   email,                    true)   \
  X(Str,     _,                friendly_name,            "friendlyName",            friendly_name,            true)   \
  X(Str,     _,                locale,                   "locale",                  locale,                   false)  \
  X(Str,     _,                thumb,                    "thumb",                   thumb,                    false)  \
  X(Str,     _,                mailing_list_status,      "mailingListStatus",       mailing_list_status,      false)  \
  X(Str,     _,                scrobble_types,           "scrobbleTypes",           scrobble_types,           false)  \
  X(Str,     _,                country,                  "country",                 country,                  false)  \
  X(Str,     _,                subscription_description, "subscriptionDescription", subscription_description, false)  \
  X(Str,     _,                pin,                      "pin",                     pin,                      false)  \
  X(Str,     _,                attribution_partner,      "attributionPartner",      attribution_partner,      false)  \
  X(Int,     _,                id,                       "id",                      id,                       true)   \
  X(Int,     _,                joined_at,                "joinedAt",                joined_at,                true)   \
  X(Int,     _,                home_size,                "homeSize",                home_size,                false)  \
  X(Int,     _,                max_home_size,            "maxHomeSize",             max_home_size,            false)  \
  X(Int,     _,                remember_expires_at,      "rememberExpiresAt",       remember_expires_at,      false)  \
  X(Time,    _,                ads_consent_reminder_at,  "adsConsentReminderAt",    ads_consent_reminder_at,  false)  \
  X(Time,    _,                ads_consent_set_at,       "adsConsentSetAt",         ads_consent_set_at,       false)  \
  X(Bool,    _,                ads_consent,              "adsConsent",              ads_consent,              false)  \
  X(Bool,    _,                anonymous,                "anonymous",               anonymous,                false)  \
  X(Bool,    _,                backup_codes_created,     "backupCodesCreated",      backup_codes_created,     false)  \
  X(Bool,    _,                confirmed,                "confirmed",               confirmed,                false)  \
  X(Bool,    _,                email_only_auth,          "emailOnlyAuth",           email_only_auth,          false)  \
  X(Bool,    _,                experimental_features,    "experimentalFeatures",    experimental_features,    false)  \
  X(Bool,    _,                guest,                    "guest",                   guest,                    false)  \
  X(Bool,    _,                has_password,             "hasPassword",             has_password,             true)   \
  X(Bool,    _,                home,                     "home",                    home,                     false)  \
  X(Bool,    _,                home_admin,               "homeAdmin",               home_admin,               false)  \
  X(Bool,    _,                mailing_list_active,      "mailingListActive",       mailing_list_active,      false)  \
  X(Bool,    _,                protected_,               "protected",               protected,                false)  \
  X(Bool,    _,                restricted,               "restricted",              restricted,               false)  \
  X(Bool,    _,                two_factor_enabled,       "twoFactorEnabled",        two_factor_enabled,       true)   \
  X(StrList, _,                entitlements,             "entitlements",            (entitlement_count, entitlement), false) \
  X(StrList, _,                roles,                    "roles",                   (role_count, role),       false)  \
  X(Obj,     Profile,          profile,                  "profile",                 profile,                  false)  \
  X(Obj,     Subscription,     subscription,             "subscription",            subscription,             false)  \
  X(List,    Subscription,     subscriptions,            "subscriptions",           (subscriptions_count, subscriptions_at), false) \
  X(List,    Service,          services,                 "services",                (service_count, service), false)  \
  X(List,    PastSubscription, past_subscriptions,       "pastSubscriptions",       (past_subscription_count, past_subscription), false) \
  X(Count,   _,                trials,                   "trials",                  trial_count,              false)

// ---------------------------------------------------------------- struct generation
#define PLEXAUTH_MODEL_INDEX(K, T, m, w, c, r) k_##m,
#define PLEXAUTH_MODEL_MEMBER(K, T, m, w, c, r) PLEXAUTH_KIND_##K(T)::type m;
#define PLEXAUTH_MODEL_EQUAL(K, T, m, w, c, r) a.m == b.m &&
#define PLEXAUTH_DEFINE_MODEL(Name, FIELDS)                                              \
  struct Name {                                                                         \
    enum Field : std::size_t { FIELDS(PLEXAUTH_MODEL_INDEX) kFieldCount };              \
    FIELDS(PLEXAUTH_MODEL_MEMBER)                                                       \
    std::bitset<kFieldCount> nulls; /* fields that arrived as JSON null */              \
    friend bool operator==(const Name &a, const Name &b) {                              \
      return FIELDS(PLEXAUTH_MODEL_EQUAL) a.nulls == b.nulls;                           \
    }                                                                                   \
    friend bool operator!=(const Name &a, const Name &b) { return !(a == b); }         \
  };

// Every model, nested ones first.
#define PLEXAUTH_MODELS(X)                                \
  X(TransientToken, PLEXAUTH_TRANSIENT_TOKEN_FIELDS)      \
  X(Connection, PLEXAUTH_CONNECTION_FIELDS)               \
  X(SourceInfo, PLEXAUTH_SOURCE_INFO_FIELDS)              \
  X(Profile, PLEXAUTH_PROFILE_FIELDS)                     \
  X(Subscription, PLEXAUTH_SUBSCRIPTION_FIELDS)           \
  X(Service, PLEXAUTH_SERVICE_FIELDS)                     \
  X(Billing, PLEXAUTH_BILLING_FIELDS)                     \
  X(PastSubscription, PLEXAUTH_PAST_SUBSCRIPTION_FIELDS)  \
  X(Account, PLEXAUTH_ACCOUNT_FIELDS)

namespace plexauth {
PLEXAUTH_MODELS(PLEXAUTH_DEFINE_MODEL)
}  // namespace plexauth
