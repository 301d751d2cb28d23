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

using Query = std::vector<std::pair<std::string_view, std::string_view>>;

// Percent-encodes everything but RFC 3986 unreserved characters (libcurl).
std::string url_escape(std::string_view v);

// base + op.path + "?k=v&..." with keys and values escaped.
std::string build_url(std::string_view base, const Operation &op, const Query &query);

// login=...&password=...&rememberMe=true|false[&verificationCode=...]
Secret encode_sign_in_form(const SignInRequest &req);

// Accept, the identity headers that are set (per-request override first),
// and Content-Type for form bodies. Never the token.
std::vector<std::string> build_headers(const Operation &op, const Identity &client, const Identity *override_identity);

}  // namespace plexauth
