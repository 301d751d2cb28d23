/* C side of the Go binding: the callback bridges, a wiping free, and what the
 * result views (generated: bridge_gen.h, bridge_gen.c) are made of.
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
/* plexauth_client_wait_for_pin with the Go progress callback identified by
 * handle (0: no callback). The handle is only used during the call. */
plexauth_status plexauthgo_wait_for_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                        int64_t poll_interval_ms, int64_t timeout_ms, uintptr_t handle,
                                        const plexauth_call_options *opts, plexauth_error **err);
/* plexauth_client_wait_for_jwk_pin likewise. */
plexauth_status plexauthgo_wait_for_jwk_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                            const plexauth_device_key *key, int64_t poll_interval_ms,
                                            int64_t timeout_ms, uintptr_t handle, const plexauth_call_options *opts,
                                            plexauth_error **err);
/* plexauth_device_key_load_or_create_with / plexauth_device_key_save_with with the Go keystore
 * identified by handle (a cgo.Handle of its call state, used only during the call). */
plexauth_status plexauthgo_device_key_load_or_create_with(plexauth_device_key **out, uintptr_t handle, int *created,
                                                          plexauth_error **err);
plexauth_status plexauthgo_device_key_save_with(const plexauth_device_key *key, uintptr_t handle,
                                                plexauth_error **err);
/* The completion callback of the non-blocking calls: it hands user_data (a cgo.Handle of the
 * call's channel) to plexauthGoCallDone, on the loop's thread. */
plexauth_call_done_fn plexauthgo_call_done_fn(void);
/* A cgo.Handle as the void *user_data of a start (no Go pointer reaches C). */
void *plexauthgo_user_data(uintptr_t handle);
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

/* The head of every result view (bridge_gen.h: plexauthgo_<model>_result). */
typedef struct {
  void *result; /* owned: freed by plexauthgo_<model>_free */
  plexauthgo_strings s;
  plexauthgo_response raw;
} plexauthgo_result;

/* A new zeroed result view of size bytes (its head first) owning result, with
 * the response read; NULL when out of memory (result is then not taken). */
void *plexauthgo_result_new(size_t size, void *result, const plexauth_response *resp);
/* Frees what the head holds besides the result, and the view. */
void plexauthgo_result_free(plexauthgo_result *head);

/* ---- used by bridge_gen.c to read models ---- */

/* Appends the C string p (NULL: absent) to the text. */
plexauthgo_str plexauthgo_add_str(plexauthgo_strings *s, const char *p);
/* Appends p to the items of the list being built; NULL is skipped. */
void plexauthgo_add_item(plexauthgo_strings *s, const char *p);
/* A zeroed array of n elements of size bytes; *count is set to n when it
 * succeeds. n == 0 gives NULL. */
void *plexauthgo_new_array(plexauthgo_strings *s, size_t n, size_t size, size_t *count);

/* A list of strings read through a count and an index getter. */
#define PLEXAUTHGO_READ_LIST(s, dst, count_fn, item_fn, obj)                                               \
  do {                                                                                                      \
    (dst).first = (s)->item_count;                                                                          \
    for (size_t i_ = 0, n_ = count_fn(obj); i_ < n_; ++i_) plexauthgo_add_item((s), item_fn((obj), i_));   \
    (dst).count = (s)->item_count - (dst).first;                                                            \
  } while (0)

/* Optional scalars, read through getter(obj, &out), which returns 1 when the
 * field is present. */
#define PLEXAUTHGO_READ_INT(dst, getter, obj) \
  do {                                        \
    int64_t out_ = 0;                         \
    (dst).ok = getter((obj), &out_) != 0;     \
    (dst).v = (dst).ok ? out_ : 0;            \
  } while (0)
#define PLEXAUTHGO_READ_BOOL(dst, getter, obj) \
  do {                                         \
    int out_ = 0;                              \
    (dst).ok = getter((obj), &out_) != 0;      \
    (dst).v = (dst).ok ? (out_ != 0) : 0;      \
  } while (0)

/* Reads the entries of a list of objects (count_fn / at_fn on owner) into a
 * new array arr of count elements with read_fn; NULL entries (an index out of
 * range) are skipped. */
#define PLEXAUTHGO_READ_OBJECTS(s, owner, arr, count, count_fn, at_fn, read_fn) \
  do {                                                                          \
    const size_t n_ = count_fn(owner);                                          \
    (arr) = plexauthgo_new_array((s), n_, sizeof *(arr), &(count));             \
    size_t k_ = 0;                                                              \
    for (size_t i_ = 0; i_ < (count); ++i_) {                                   \
      const void *x_ = at_fn((owner), i_);                                      \
      if (x_ != NULL) read_fn((s), &(arr)[k_++], x_);                           \
    }                                                                           \
    (count) = k_;                                                               \
  } while (0)

#endif
