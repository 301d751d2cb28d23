// The raw response's getters. The result getters, free, response and json
// functions are generated (generated.cpp).
#include "capi/support.h"

extern "C" {

// ---------------------------------------------------------------- raw response

int plexauth_response_status(const plexauth_response *resp) { return resp ? resp->r.status : 0; }

const char *plexauth_response_content_type(const plexauth_response *resp) {
  return resp ? resp->r.content_type.c_str() : nullptr;
}

size_t plexauth_response_headers_count(const plexauth_response *resp) { return resp ? resp->r.headers.size() : 0; }

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

}  // extern "C"
