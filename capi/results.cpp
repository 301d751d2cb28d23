// Getters and free functions of the result objects. The field getters are
// generated from the model field lists (models/account_fields.h); only each
// handle's own functions (free, response, json) and the raw response are
// written out here. A generated definition whose signature disagrees with
// plexauth.h fails to compile (conflicting extern "C" declarations).
//
// Conventions (plexauth.h): NULL handles give NULL / 0; strings are NULL when
// absent; scalars return 1 and write *out when present; lists are a count
// plus an index getter, NULL out of range. Nothing here throws.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "handles.h"

namespace {

using plexauth::capi::from_handle;
using plexauth::capi::to_handle;

// The core object behind a handle (nullptr for NULL).
const plexauth::TransientToken *obj(const plexauth_transient_token *h) noexcept { return h ? &h->t : nullptr; }
const plexauth::SourceInfo *obj(const plexauth_source_info *h) noexcept { return h ? &h->s : nullptr; }
const plexauth::Account *obj(const plexauth_account *h) noexcept { return h ? &h->a : nullptr; }
const plexauth::Connection *obj(const plexauth_connection *h) noexcept {
  return from_handle<plexauth::Connection>(h);
}
const plexauth::Profile *obj(const plexauth_profile *h) noexcept { return from_handle<plexauth::Profile>(h); }
const plexauth::Subscription *obj(const plexauth_subscription *h) noexcept {
  return from_handle<plexauth::Subscription>(h);
}
const plexauth::Service *obj(const plexauth_service *h) noexcept { return from_handle<plexauth::Service>(h); }
const plexauth::PastSubscription *obj(const plexauth_past_subscription *h) noexcept {
  return from_handle<plexauth::PastSubscription>(h);
}
const plexauth::Billing *billing_of(const plexauth_past_subscription *h) noexcept {
  const auto *p = obj(h);
  return p && p->billing ? &*p->billing : nullptr;
}

const char *str(const std::optional<std::string> &s) noexcept { return s ? s->c_str() : nullptr; }

int put(const std::optional<int64_t> &v, int64_t *out) noexcept {
  if (!v || !out) return 0;
  *out = *v;
  return 1;
}

int put(const std::optional<bool> &v, int *out) noexcept {
  if (!v || !out) return 0;
  *out = *v ? 1 : 0;
  return 1;
}

template <class T>
size_t count_of(const std::optional<std::vector<T>> &list) noexcept {
  return list ? list->size() : 0;
}

template <class T>
const T *item_at(const std::optional<std::vector<T>> &list, size_t index) noexcept {
  return list && index < list->size() ? &(*list)[index] : nullptr;
}

}  // namespace

// ---------------------------------------------------------------- getter generators
// PLEXAUTH_GET_<KIND>(handle type, function prefix, accessor, TYPE, member, C)

#define PLEXAUTH_FIRST(a, b) a
#define PLEXAUTH_SECOND(a, b) b

#define PLEXAUTH_GET_Str(H, P, GET, T, m, c) \
  const char *P##c(const H *h) {             \
    const auto *o = GET(h);                  \
    return o ? str(o->m) : nullptr;          \
  }
#define PLEXAUTH_GET_Json PLEXAUTH_GET_Str

#define PLEXAUTH_GET_Int(H, P, GET, T, m, c) \
  int P##c(const H *h, int64_t *out) {       \
    const auto *o = GET(h);                  \
    return o ? put(o->m, out) : 0;           \
  }
#define PLEXAUTH_GET_Time PLEXAUTH_GET_Int

#define PLEXAUTH_GET_Bool(H, P, GET, T, m, c) \
  int P##c(const H *h, int *out) {            \
    const auto *o = GET(h);                   \
    return o ? put(o->m, out) : 0;            \
  }

#define PLEXAUTH_GET_Count(H, P, GET, T, m, c) \
  size_t P##c(const H *h) {                    \
    const auto *o = GET(h);                    \
    return o && o->m ? *o->m : 0;              \
  }

#define PLEXAUTH_GET_Obj(H, P, GET, T, m, c)                                    \
  const plexauth::capi::HandleOf<plexauth::T>::type *P##c(const H *h) {        \
    const auto *o = GET(h);                                                     \
    return o && o->m ? to_handle(&*o->m) : nullptr;                             \
  }

// An Inline object has no handle: its fields get getters of their own.
#define PLEXAUTH_GET_Inline(H, P, GET, T, m, c)

#define PLEXAUTH_GET_StrList(H, P, GET, T, m, c) \
  PLEXAUTH_GET_STRLIST_(H, P, GET, m, PLEXAUTH_FIRST c, PLEXAUTH_SECOND c)
#define PLEXAUTH_GET_STRLIST_(H, P, GET, m, COUNT_, ITEM_) PLEXAUTH_GET_STRLIST__(H, P, GET, m, COUNT_, ITEM_)
#define PLEXAUTH_GET_STRLIST__(H, P, GET, m, COUNT_, ITEM_) \
  size_t P##COUNT_(const H *h) {                            \
    const auto *o = GET(h);                                 \
    return o ? count_of(o->m) : 0;                          \
  }                                                         \
  const char *P##ITEM_(const H *h, size_t index) {          \
    const auto *o = GET(h);                                 \
    const std::string *s = o ? item_at(o->m, index) : nullptr; \
    return s ? s->c_str() : nullptr;                        \
  }

#define PLEXAUTH_GET_List(H, P, GET, T, m, c) \
  PLEXAUTH_GET_LIST_(H, P, GET, T, m, PLEXAUTH_FIRST c, PLEXAUTH_SECOND c)
#define PLEXAUTH_GET_LIST_(H, P, GET, T, m, COUNT_, ITEM_) PLEXAUTH_GET_LIST__(H, P, GET, T, m, COUNT_, ITEM_)
#define PLEXAUTH_GET_LIST__(H, P, GET, T, m, COUNT_, ITEM_)                           \
  size_t P##COUNT_(const H *h) {                                                      \
    const auto *o = GET(h);                                                           \
    return o ? count_of(o->m) : 0;                                                    \
  }                                                                                   \
  const plexauth::capi::HandleOf<plexauth::T>::type *P##ITEM_(const H *h, size_t index) { \
    const auto *o = GET(h);                                                           \
    const plexauth::T *item = o ? item_at(o->m, index) : nullptr;                     \
    return item ? to_handle(item) : nullptr;                                          \
  }

// One line per field list: handle type, function prefix, accessor.
#define PLEXAUTH_GET_TRANSIENT_TOKEN(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_transient_token, plexauth_transient_token_, obj, T, m, c)
#define PLEXAUTH_GET_SOURCE_INFO(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_source_info, plexauth_source_info_, obj, T, m, c)
#define PLEXAUTH_GET_CONNECTION(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_connection, plexauth_connection_, obj, T, m, c)
#define PLEXAUTH_GET_ACCOUNT(K, T, m, w, c, r) PLEXAUTH_GET_##K(plexauth_account, plexauth_account_, obj, T, m, c)
#define PLEXAUTH_GET_PROFILE(K, T, m, w, c, r) PLEXAUTH_GET_##K(plexauth_profile, plexauth_profile_, obj, T, m, c)
#define PLEXAUTH_GET_SUBSCRIPTION(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_subscription, plexauth_subscription_, obj, T, m, c)
#define PLEXAUTH_GET_SERVICE(K, T, m, w, c, r) PLEXAUTH_GET_##K(plexauth_service, plexauth_service_, obj, T, m, c)
#define PLEXAUTH_GET_PAST_SUBSCRIPTION(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_past_subscription, plexauth_past_subscription_, obj, T, m, c)
#define PLEXAUTH_GET_BILLING(K, T, m, w, c, r) \
  PLEXAUTH_GET_##K(plexauth_past_subscription, plexauth_past_subscription_billing_, billing_of, T, m, c)

extern "C" {

PLEXAUTH_TRANSIENT_TOKEN_FIELDS(PLEXAUTH_GET_TRANSIENT_TOKEN)
PLEXAUTH_SOURCE_INFO_FIELDS(PLEXAUTH_GET_SOURCE_INFO)
PLEXAUTH_CONNECTION_FIELDS(PLEXAUTH_GET_CONNECTION)
PLEXAUTH_ACCOUNT_FIELDS(PLEXAUTH_GET_ACCOUNT)
PLEXAUTH_PROFILE_FIELDS(PLEXAUTH_GET_PROFILE)
PLEXAUTH_SUBSCRIPTION_FIELDS(PLEXAUTH_GET_SUBSCRIPTION)
PLEXAUTH_SERVICE_FIELDS(PLEXAUTH_GET_SERVICE)
PLEXAUTH_PAST_SUBSCRIPTION_FIELDS(PLEXAUTH_GET_PAST_SUBSCRIPTION)
PLEXAUTH_BILLING_FIELDS(PLEXAUTH_GET_BILLING)

// ---------------------------------------------------------------- raw response

int plexauth_response_status(const plexauth_response *resp) { return resp ? resp->r.status : 0; }

const char *plexauth_response_content_type(const plexauth_response *resp) {
  return resp ? resp->r.content_type.c_str() : nullptr;
}

size_t plexauth_response_header_count(const plexauth_response *resp) { return resp ? resp->r.headers.size() : 0; }

const char *plexauth_response_header_name(const plexauth_response *resp, size_t index) {
  return resp && index < resp->r.headers.size() ? resp->r.headers[index].name.c_str() : nullptr;
}

const char *plexauth_response_header_value(const plexauth_response *resp, size_t index) {
  return resp && index < resp->r.headers.size() ? resp->r.headers[index].value.c_str() : nullptr;
}

const char *plexauth_response_header(const plexauth_response *resp, const char *name) {
  if (!resp || !name) return nullptr;
  const std::string *value = resp->r.header(name);
  return value ? value->c_str() : nullptr;
}

const char *plexauth_response_body(const plexauth_response *resp, size_t *len) {
  if (len) *len = resp ? resp->r.body.size() : 0;
  return resp ? resp->r.body.c_str() : nullptr;
}

// ---------------------------------------------------------------- result handles

void plexauth_transient_token_free(plexauth_transient_token *t) { delete t; }
const plexauth_response *plexauth_transient_token_response(const plexauth_transient_token *t) {
  return t ? &t->response : nullptr;
}

void plexauth_source_info_free(plexauth_source_info *s) { delete s; }
const plexauth_response *plexauth_source_info_response(const plexauth_source_info *s) {
  return s ? &s->response : nullptr;
}

void plexauth_account_free(plexauth_account *a) { delete a; }
const plexauth_response *plexauth_account_response(const plexauth_account *a) { return a ? &a->response : nullptr; }

const char *plexauth_account_json(const plexauth_account *a, size_t *len) {
  if (len) *len = 0;
  if (!a) return nullptr;
  try {
    std::call_once(a->json_once, [a] { a->json = plexauth::account_to_json(a->a); });
  } catch (...) {  // out of memory: the next call tries again
    return nullptr;
  }
  if (len) *len = a->json.size();
  return a->json.c_str();
}

}  // extern "C"
