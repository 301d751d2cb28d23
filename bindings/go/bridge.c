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

static int pin_progress_bridge(void *user_data, const char *code, int64_t seconds_left) {
  return plexauthGoPINProgress((uintptr_t)user_data, (char *)code, seconds_left);
}

plexauth_status plexauthgo_wait_for_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                        int64_t poll_interval_ms, int64_t timeout_ms, uintptr_t handle,
                                        const plexauth_call_options *opts, plexauth_error **err) {
  return plexauth_client_wait_for_pin(out, client, id, poll_interval_ms, timeout_ms,
                                      handle != 0 ? pin_progress_bridge : NULL, (void *)handle, opts, err);
}

plexauth_status plexauthgo_wait_for_jwk_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                            const plexauth_device_key *key, int64_t poll_interval_ms,
                                            int64_t timeout_ms, uintptr_t handle, const plexauth_call_options *opts,
                                            plexauth_error **err) {
  return plexauth_client_wait_for_jwk_pin(out, client, id, key, poll_interval_ms, timeout_ms,
                                          handle != 0 ? pin_progress_bridge : NULL, (void *)handle, opts, err);
}

static int keystore_read_bridge(void *user_data, plexauth_key_sink *sink) {
  return plexauthGoKeyStoreRead((uintptr_t)user_data, sink);
}

static int keystore_write_bridge(void *user_data, const char *pem, size_t len) {
  return plexauthGoKeyStoreWrite((uintptr_t)user_data, (char *)pem, len);
}

plexauth_status plexauthgo_device_key_load_or_create_with(plexauth_device_key **out, uintptr_t handle, int *created,
                                                          plexauth_error **err) {
  return plexauth_device_key_load_or_create_with(out, keystore_read_bridge, keystore_write_bridge, (void *)handle,
                                                 created, err);
}

plexauth_status plexauthgo_device_key_save_with(const plexauth_device_key *key, uintptr_t handle,
                                                plexauth_error **err) {
  return plexauth_device_key_save_with(key, keystore_write_bridge, (void *)handle, err);
}

static void call_done_bridge(plexauth_call *call, void *user_data) {
  (void)call;
  plexauthGoCallDone((uintptr_t)user_data);
}

plexauth_call_done_fn plexauthgo_call_done_fn(void) { return call_done_bridge; }

void *plexauthgo_user_data(uintptr_t handle) { return (void *)handle; }

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

plexauthgo_str plexauthgo_add_str(plexauthgo_strings *s, const char *p) {
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

void plexauthgo_add_item(plexauthgo_strings *s, const char *p) {
  if (p == NULL || s->oom) return;
  if (!reserve((void **)&s->items, &s->item_cap, s->item_count + 1, sizeof *s->items)) {
    s->oom = 1;
    return;
  }
  s->items[s->item_count++] = plexauthgo_add_str(s, p);
}

void *plexauthgo_new_array(plexauthgo_strings *s, size_t n, size_t size, size_t *count) {
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
  v->content_type = plexauthgo_add_str(s, plexauth_response_content_type(r));
  v->headers.first = s->item_count;
  for (size_t i = 0, n = plexauth_response_headers_count(r); i < n; ++i) {
    const char *name = plexauth_response_header_name(r, i), *value = plexauth_response_header_value(r, i);
    if (name != NULL && value != NULL) {
      plexauthgo_add_item(s, name);
      plexauthgo_add_item(s, value);
    }
  }
  v->headers.count = s->item_count - v->headers.first;
  v->body = plexauth_response_body(r, &v->body_len);
}

void *plexauthgo_result_new(size_t size, void *result, const plexauth_response *resp) {
  plexauthgo_result *head = calloc(1, size);
  if (head == NULL) return NULL;
  head->result = result;
  /* Enough for the strings of most results in one allocation. */
  if (!reserve((void **)&head->s.text, &head->s.text_cap, 1024, 1)) head->s.oom = 1;
  read_response(&head->s, &head->raw, resp);
  return head;
}

void plexauthgo_result_free(plexauthgo_result *head) {
  free(head->s.text);
  free(head->s.items);
  free(head);
}
