/* C side of the Go binding: the callback bridges, a wiping free, and result
 * views.
 *
 * Callbacks receive a runtime/cgo Handle as their user_data; no Go pointer is
 * ever stored in C memory.
 *
 * A result view holds everything the Go side copies out of a result object,
 * read in one cgo call instead of one call per getter (each cgo call costs
 * about as much as copying a short string). Every string of the result is
 * copied back to back into one buffer (`text`), so that Go makes one Go
 * string of it and hands out substrings; a string field is its offset and
 * length in that buffer. The view owns the result object and frees it. */
#ifndef PLEXAUTH_GO_BRIDGE_H
#define PLEXAUTH_GO_BRIDGE_H

#include <stddef.h>
#include <stdint.h>
#include <plexauth/plexauth.h>

/* Installs the Go token provider identified by handle on cfg. The Go side
 * owns the handle and deletes it after the last config/client is freed. */
plexauth_status plexauthgo_set_token_provider(plexauth_config *cfg, uintptr_t handle);
/* Installs the Go log sink identified by handle on cfg. */
plexauth_status plexauthgo_set_log(plexauth_config *cfg, plexauth_log_level max_level, uintptr_t handle);
/* Overwrites a NUL-terminated string with zeros, then frees it. NULL is fine. */
void plexauthgo_wipe_free(char *s);

/* An optional string: bytes [off, off+len) of the view's text; ok == 0 when
 * the getter gave NULL. */
typedef struct { size_t off, len; int ok; } plexauthgo_str;
/* An optional integer or boolean (v is then 0 or 1); ok == 0 when absent. */
typedef struct { int64_t v; int ok; } plexauthgo_int;
/* A list of strings: items [first, first+count) of the view's items. */
typedef struct { size_t first, count; } plexauthgo_list;

/* The strings of one view. */
typedef struct {
  char *text;
  size_t text_len, text_cap;
  plexauthgo_str *items; /* the entries of every list, list after list */
  size_t item_count, item_cap;
  int oom;
} plexauthgo_strings;

typedef struct {
  int ok; /* 0: the result had no response */
  int status;
  plexauthgo_str content_type;
  plexauthgo_list headers; /* name, value, name, value, ... as received */
  const char *body;        /* borrowed from the result */
  size_t body_len;
} plexauthgo_response;

typedef struct {
  plexauthgo_int auto_select_audio;
  plexauthgo_str default_audio_language, default_subtitle_language;
  plexauthgo_int auto_select_subtitle, default_subtitle_accessibility, default_subtitle_forced, watched_indicator,
      media_reviews_visibility;
} plexauthgo_profile;

typedef struct {
  plexauthgo_int active;
  plexauthgo_str subscribed_at, status, payment_service, plan;
  plexauthgo_list features;
} plexauthgo_subscription;

typedef struct {
  plexauthgo_str identifier, endpoint, token, secret, status;
} plexauthgo_service;

typedef struct {
  plexauthgo_str id, mode, type, transfer, state, billing_internal_payment_method;
  plexauthgo_int renews_at, ends_at, billing_payment_method_id;
  plexauthgo_int canceled, grace_period, on_hold, can_reactivate, can_upgrade, can_downgrade, can_convert;
} plexauthgo_past_subscription;

typedef struct {
  plexauth_account *account; /* owned */
  plexauthgo_strings s;
  plexauthgo_response raw;
  plexauthgo_str uuid, username, title, email, friendly_name, auth_token, locale, thumb, mailing_list_status,
      scrobble_types, country, subscription_description, pin, attribution_partner;
  plexauthgo_int id, joined_at, home_size, max_home_size, remember_expires_at, ads_consent_reminder_at,
      ads_consent_set_at;
  plexauthgo_int ads_consent, anonymous, backup_codes_created, confirmed, email_only_auth, experimental_features,
      guest, has_password, home, home_admin, mailing_list_active, protected_, restricted, two_factor_enabled;
  plexauthgo_list entitlements, roles;
  int has_profile, has_subscription;
  plexauthgo_profile profile;
  plexauthgo_subscription subscription;
  plexauthgo_subscription *subscriptions;
  size_t subscription_count;
  plexauthgo_service *services;
  size_t service_count;
  plexauthgo_past_subscription *past_subscriptions;
  size_t past_subscription_count;
  size_t trial_count;
} plexauthgo_account;

typedef struct {
  plexauthgo_str protocol, address, uri;
  plexauthgo_int port, local, relay;
} plexauthgo_connection;

typedef struct {
  plexauth_source_info *info; /* owned */
  plexauthgo_strings s;
  plexauthgo_response raw;
  plexauthgo_str name, client_identifier, access_token;
  plexauthgo_connection *connections;
  size_t connection_count;
} plexauthgo_source_info;

typedef struct {
  plexauth_transient_token *result; /* owned */
  plexauthgo_strings s;
  plexauthgo_response raw;
  plexauthgo_str token;
} plexauthgo_transient_token;

/* Each *_read takes ownership of the result and returns its view, or NULL
 * (with the result freed) when out of memory. Each *_free frees a view and
 * its result; NULL is fine. */
plexauthgo_account *plexauthgo_account_read(plexauth_account *a);
void plexauthgo_account_free(plexauthgo_account *v);
plexauthgo_source_info *plexauthgo_source_info_read(plexauth_source_info *info);
void plexauthgo_source_info_free(plexauthgo_source_info *v);
plexauthgo_transient_token *plexauthgo_transient_token_read(plexauth_transient_token *t);
void plexauthgo_transient_token_free(plexauthgo_transient_token *v);

#endif
