// Building the bytes of a request: URL with query, form body, headers.
// Pure functions, unit-tested without a network.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/operation.h"
#include "core/secret.h"

namespace plexauth {

// A path or query parameter (non_empty: "" is an invalid argument).
struct Param {
  std::string_view name;
  std::string_view value;
  bool non_empty = false;
};
using Query = std::vector<Param>;

// Percent-encodes everything but RFC 3986 unreserved characters (libcurl).
std::string url_escape(std::string_view v);

// base + op.path (each {name} replaced by that path parameter, escaped) +
// "?k=v&..." with keys and values escaped.
std::string build_url(std::string_view base, const Operation &op, const Query &query, const Query &path = {});

// "k=v&k2=v2" (application/x-www-form-urlencoded, RFC 3986 escaping). Every
// copy of a value is wiped: values may be passwords.
struct FormField {
  // JSON bodies: what the value is. Boolean ("true"/"false") and Object (a
  // JSON object's text, checked: INVALID_ARGUMENT otherwise) go in as they are.
  enum class As { String, Boolean, Object };
  std::string_view name;
  std::string_view value;
  As as = As::String;
};
Secret encode_form(const std::vector<FormField> &fields);
// {"k":"v",...}: a JSON object of string members (application/json bodies),
// raw members as they are; wiped like encode_form's.
Secret encode_json_object(const std::vector<FormField> &fields);

// login=...&password=...&rememberMe=true|false[&verificationCode=...]
Secret encode_sign_in_form(const SignInRequest &req);

// Accept, the identity headers that are set (per-request override first),
// and Content-Type for requests with a body. Never the token.
std::vector<std::string> build_headers(Body body, const Identity &client, const Identity *override_identity);
inline std::vector<std::string> build_headers(const Operation &op, const Identity &client,
                                              const Identity *override_identity) {
  return build_headers(op.body, client, override_identity);
}

}  // namespace plexauth
