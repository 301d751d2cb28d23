#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "_cgo_export.h"

static int token_provider_bridge(void *user_data, plexauth_token_sink *sink) {
  return plexauthGoTokenProvider((uintptr_t)user_data, sink);
}

static void log_bridge(void *user_data, plexauth_log_level level, const char *message) {
  plexauthGoLog((uintptr_t)user_data, (int)level, (char *)message);
}

plexauth_status plexauthgo_set_token_provider(plexauth_config *cfg, uintptr_t handle) {
  return plexauth_config_set_token_provider(cfg, token_provider_bridge, (void *)handle, NULL);
}

plexauth_status plexauthgo_set_log(plexauth_config *cfg, plexauth_log_level max_level, uintptr_t handle) {
  return plexauth_config_set_log(cfg, max_level, log_bridge, (void *)handle);
}

void plexauthgo_wipe_free(char *s) {
  if (s == NULL) return;
  for (volatile char *p = s; *p != '\0'; ++p) *p = '\0';
  free(s);
}

/* ---- result views ---- */

/* Makes room for need elements of size bytes in *p (capacity *cap). */
static int reserve(void **p, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return 1;
  size_t c = *cap ? *cap : 16;
  while (c < need) {
    if (c > SIZE_MAX / 2 / size) return 0;
    c *= 2;
  }
  void *q = realloc(*p, c * size);
  if (q == NULL) return 0;
  *p = q;
  *cap = c;
  return 1;
}

/* Appends the C string p (NULL: absent) to the text. */
static plexauthgo_str add_str(plexauthgo_strings *s, const char *p) {
  plexauthgo_str r = {0, 0, 0};
  if (p == NULL || s->oom) return r;
  const size_t n = strlen(p);
  if (!reserve((void **)&s->text, &s->text_cap, s->text_len + n, 1)) {
    s->oom = 1;
    return r;
  }
  if (n > 0) memcpy(s->text + s->text_len, p, n); /* text is NULL until the first byte */
  r.off = s->text_len;
  r.len = n;
  r.ok = 1;
  s->text_len += n;
  return r;
}

/* Appends p to the items of the list being built; NULL is skipped. */
static void add_item(plexauthgo_strings *s, const char *p) {
  if (p == NULL || s->oom) return;
  if (!reserve((void **)&s->items, &s->item_cap, s->item_count + 1, sizeof *s->items)) {
    s->oom = 1;
    return;
  }
  s->items[s->item_count++] = add_str(s, p);
}

static void free_strings(plexauthgo_strings *s) {
  free(s->text);
  free(s->items);
}

/* A list read through a count and an index getter. */
#define READ_LIST(s, dst, count_fn, item_fn, obj)                                \
  do {                                                                           \
    (dst).first = (s)->item_count;                                               \
    for (size_t i_ = 0, n_ = count_fn(obj); i_ < n_; ++i_) add_item((s), item_fn((obj), i_)); \
    (dst).count = (s)->item_count - (dst).first;                                 \
  } while (0)

/* Optional scalars, read through getter(obj, &out), which returns 1 when the
 * field is present. */
#define READ_INT(dst, getter, obj)          \
  do {                                      \
    int64_t out_ = 0;                       \
    (dst).ok = getter((obj), &out_) != 0;   \
    (dst).v = (dst).ok ? out_ : 0;          \
  } while (0)
#define READ_BOOL(dst, getter, obj)              \
  do {                                           \
    int out_ = 0;                                \
    (dst).ok = getter((obj), &out_) != 0;        \
    (dst).v = (dst).ok ? (out_ != 0) : 0;        \
  } while (0)

/* Allocates an array of n elements of size bytes; *count is set to n when it
 * succeeds. n == 0 gives NULL. */
static void *new_array(plexauthgo_strings *s, size_t n, size_t size, size_t *count) {
  *count = 0;
  if (n == 0 || s->oom) return NULL;
  void *p = calloc(n, size);
  if (p == NULL) {
    s->oom = 1;
    return NULL;
  }
  *count = n;
  return p;
}

static void read_response(plexauthgo_strings *s, plexauthgo_response *v, const plexauth_response *r) {
  if (r == NULL) return;
  v->ok = 1;
  v->status = plexauth_response_status(r);
  v->content_type = add_str(s, plexauth_response_content_type(r));
  v->headers.first = s->item_count;
  for (size_t i = 0, n = plexauth_response_header_count(r); i < n; ++i) {
    const char *name = plexauth_response_header_name(r, i), *value = plexauth_response_header_value(r, i);
    if (name != NULL && value != NULL) {
      add_item(s, name);
      add_item(s, value);
    }
  }
  v->headers.count = s->item_count - v->headers.first;
  v->body = plexauth_response_body(r, &v->body_len);
}

static void read_subscription(plexauthgo_strings *s, plexauthgo_subscription *v, const plexauth_subscription *x) {
  READ_BOOL(v->active, plexauth_subscription_active, x);
  v->subscribed_at = add_str(s, plexauth_subscription_subscribed_at(x));
  v->status = add_str(s, plexauth_subscription_status(x));
  v->payment_service = add_str(s, plexauth_subscription_payment_service(x));
  v->plan = add_str(s, plexauth_subscription_plan(x));
  READ_LIST(s, v->features, plexauth_subscription_feature_count, plexauth_subscription_feature, x);
}

static void read_profile(plexauthgo_strings *s, plexauthgo_profile *v, const plexauth_profile *p) {
  READ_BOOL(v->auto_select_audio, plexauth_profile_auto_select_audio, p);
  v->default_audio_language = add_str(s, plexauth_profile_default_audio_language(p));
  v->default_subtitle_language = add_str(s, plexauth_profile_default_subtitle_language(p));
  READ_INT(v->auto_select_subtitle, plexauth_profile_auto_select_subtitle, p);
  READ_INT(v->default_subtitle_accessibility, plexauth_profile_default_subtitle_accessibility, p);
  READ_INT(v->default_subtitle_forced, plexauth_profile_default_subtitle_forced, p);
  READ_INT(v->watched_indicator, plexauth_profile_watched_indicator, p);
  READ_INT(v->media_reviews_visibility, plexauth_profile_media_reviews_visibility, p);
}

static void read_service(plexauthgo_strings *s, plexauthgo_service *v, const plexauth_service *x) {
  v->identifier = add_str(s, plexauth_service_identifier(x));
  v->endpoint = add_str(s, plexauth_service_endpoint(x));
  v->token = add_str(s, plexauth_service_token(x));
  v->secret = add_str(s, plexauth_service_secret(x));
  v->status = add_str(s, plexauth_service_status(x));
}

static void read_connection(plexauthgo_strings *s, plexauthgo_connection *v, const plexauth_connection *c) {
  v->protocol = add_str(s, plexauth_connection_protocol(c));
  v->address = add_str(s, plexauth_connection_address(c));
  v->uri = add_str(s, plexauth_connection_uri(c));
  READ_INT(v->port, plexauth_connection_port, c);
  READ_BOOL(v->local, plexauth_connection_local, c);
  READ_BOOL(v->relay, plexauth_connection_relay, c);
}

static void read_past_subscription(plexauthgo_strings *s, plexauthgo_past_subscription *v,
                                   const plexauth_past_subscription *p) {
  v->id = add_str(s, plexauth_past_subscription_id(p));
  v->mode = add_str(s, plexauth_past_subscription_mode(p));
  v->type = add_str(s, plexauth_past_subscription_type(p));
  v->transfer = add_str(s, plexauth_past_subscription_transfer(p));
  v->state = add_str(s, plexauth_past_subscription_state(p));
  v->billing_internal_payment_method = add_str(s, plexauth_past_subscription_billing_internal_payment_method(p));
  READ_INT(v->renews_at, plexauth_past_subscription_renews_at, p);
  READ_INT(v->ends_at, plexauth_past_subscription_ends_at, p);
  READ_INT(v->billing_payment_method_id, plexauth_past_subscription_billing_payment_method_id, p);
  READ_BOOL(v->canceled, plexauth_past_subscription_canceled, p);
  READ_BOOL(v->grace_period, plexauth_past_subscription_grace_period, p);
  READ_BOOL(v->on_hold, plexauth_past_subscription_on_hold, p);
  READ_BOOL(v->can_reactivate, plexauth_past_subscription_can_reactivate, p);
  READ_BOOL(v->can_upgrade, plexauth_past_subscription_can_upgrade, p);
  READ_BOOL(v->can_downgrade, plexauth_past_subscription_can_downgrade, p);
  READ_BOOL(v->can_convert, plexauth_past_subscription_can_convert, p);
}

/* Reads the entries of a result's list of objects (count_fn / at_fn on owner)
 * into a new array arr of count elements; NULL entries (an index out of
 * range) are skipped. */
#define READ_OBJECTS(s, owner, arr, count, count_fn, at_fn, read_fn)                   \
  do {                                                                                  \
    const size_t n_ = count_fn(owner);                                                  \
    (arr) = new_array((s), n_, sizeof *(arr), &(count));                                \
    size_t k_ = 0;                                                                      \
    for (size_t i_ = 0; i_ < (count); ++i_) {                                           \
      const void *x_ = at_fn((owner), i_);                                              \
      if (x_ != NULL) read_fn((s), &(arr)[k_++], x_);                                   \
    }                                                                                   \
    (count) = k_;                                                                       \
  } while (0)

plexauthgo_account *plexauthgo_account_read(plexauth_account *a) {
  plexauthgo_account *v = calloc(1, sizeof *v);
  if (v == NULL) {
    plexauth_account_free(a);
    return NULL;
  }
  v->account = a;
  plexauthgo_strings *s = &v->s;
  /* Enough for the strings of most accounts in one allocation. */
  if (!reserve((void **)&s->text, &s->text_cap, 1024, 1)) s->oom = 1;

  read_response(s, &v->raw, plexauth_account_response(a));
  v->uuid = add_str(s, plexauth_account_uuid(a));
  v->username = add_str(s, plexauth_account_username(a));
  v->title = add_str(s, plexauth_account_title(a));
  v->email = add_str(s, plexauth_account_email(a));
  v->friendly_name = add_str(s, plexauth_account_friendly_name(a));
  v->auth_token = add_str(s, plexauth_account_auth_token(a));
  v->locale = add_str(s, plexauth_account_locale(a));
  v->thumb = add_str(s, plexauth_account_thumb(a));
  v->mailing_list_status = add_str(s, plexauth_account_mailing_list_status(a));
  v->scrobble_types = add_str(s, plexauth_account_scrobble_types(a));
  v->country = add_str(s, plexauth_account_country(a));
  v->subscription_description = add_str(s, plexauth_account_subscription_description(a));
  v->pin = add_str(s, plexauth_account_pin(a));
  v->attribution_partner = add_str(s, plexauth_account_attribution_partner(a));

  READ_INT(v->id, plexauth_account_id, a);
  READ_INT(v->joined_at, plexauth_account_joined_at, a);
  READ_INT(v->home_size, plexauth_account_home_size, a);
  READ_INT(v->max_home_size, plexauth_account_max_home_size, a);
  READ_INT(v->remember_expires_at, plexauth_account_remember_expires_at, a);
  READ_INT(v->ads_consent_reminder_at, plexauth_account_ads_consent_reminder_at, a);
  READ_INT(v->ads_consent_set_at, plexauth_account_ads_consent_set_at, a);

  READ_BOOL(v->ads_consent, plexauth_account_ads_consent, a);
  READ_BOOL(v->anonymous, plexauth_account_anonymous, a);
  READ_BOOL(v->backup_codes_created, plexauth_account_backup_codes_created, a);
  READ_BOOL(v->confirmed, plexauth_account_confirmed, a);
  READ_BOOL(v->email_only_auth, plexauth_account_email_only_auth, a);
  READ_BOOL(v->experimental_features, plexauth_account_experimental_features, a);
  READ_BOOL(v->guest, plexauth_account_guest, a);
  READ_BOOL(v->has_password, plexauth_account_has_password, a);
  READ_BOOL(v->home, plexauth_account_home, a);
  READ_BOOL(v->home_admin, plexauth_account_home_admin, a);
  READ_BOOL(v->mailing_list_active, plexauth_account_mailing_list_active, a);
  READ_BOOL(v->protected_, plexauth_account_protected, a);
  READ_BOOL(v->restricted, plexauth_account_restricted, a);
  READ_BOOL(v->two_factor_enabled, plexauth_account_two_factor_enabled, a);

  READ_LIST(s, v->entitlements, plexauth_account_entitlement_count, plexauth_account_entitlement, a);
  READ_LIST(s, v->roles, plexauth_account_role_count, plexauth_account_role, a);

  const plexauth_profile *profile = plexauth_account_profile(a);
  if (profile != NULL) {
    v->has_profile = 1;
    read_profile(s, &v->profile, profile);
  }
  const plexauth_subscription *sub = plexauth_account_subscription(a);
  if (sub != NULL) {
    v->has_subscription = 1;
    read_subscription(s, &v->subscription, sub);
  }
  READ_OBJECTS(s, a, v->subscriptions, v->subscription_count, plexauth_account_subscriptions_count,
               plexauth_account_subscriptions_at, read_subscription);
  READ_OBJECTS(s, a, v->services, v->service_count, plexauth_account_service_count, plexauth_account_service,
               read_service);
  READ_OBJECTS(s, a, v->past_subscriptions, v->past_subscription_count, plexauth_account_past_subscription_count,
               plexauth_account_past_subscription, read_past_subscription);
  v->trial_count = plexauth_account_trial_count(a);

  if (s->oom) {
    plexauthgo_account_free(v);
    return NULL;
  }
  return v;
}

void plexauthgo_account_free(plexauthgo_account *v) {
  if (v == NULL) return;
  plexauth_account_free(v->account);
  free_strings(&v->s);
  free(v->subscriptions);
  free(v->services);
  free(v->past_subscriptions);
  free(v);
}

plexauthgo_source_info *plexauthgo_source_info_read(plexauth_source_info *info) {
  plexauthgo_source_info *v = calloc(1, sizeof *v);
  if (v == NULL) {
    plexauth_source_info_free(info);
    return NULL;
  }
  v->info = info;
  plexauthgo_strings *s = &v->s;
  read_response(s, &v->raw, plexauth_source_info_response(info));
  v->name = add_str(s, plexauth_source_info_name(info));
  v->client_identifier = add_str(s, plexauth_source_info_client_identifier(info));
  v->access_token = add_str(s, plexauth_source_info_access_token(info));
  READ_OBJECTS(s, info, v->connections, v->connection_count, plexauth_source_info_connection_count,
               plexauth_source_info_connection, read_connection);
  if (s->oom) {
    plexauthgo_source_info_free(v);
    return NULL;
  }
  return v;
}

void plexauthgo_source_info_free(plexauthgo_source_info *v) {
  if (v == NULL) return;
  plexauth_source_info_free(v->info);
  free_strings(&v->s);
  free(v->connections);
  free(v);
}

plexauthgo_transient_token *plexauthgo_transient_token_read(plexauth_transient_token *t) {
  plexauthgo_transient_token *v = calloc(1, sizeof *v);
  if (v == NULL) {
    plexauth_transient_token_free(t);
    return NULL;
  }
  v->result = t;
  read_response(&v->s, &v->raw, plexauth_transient_token_response(t));
  v->token = add_str(&v->s, plexauth_transient_token_token(t));
  if (v->s.oom) {
    plexauthgo_transient_token_free(v);
    return NULL;
  }
  return v;
}

void plexauthgo_transient_token_free(plexauthgo_transient_token *v) {
  if (v == NULL) return;
  plexauth_transient_token_free(v->result);
  free_strings(&v->s);
  free(v);
}
