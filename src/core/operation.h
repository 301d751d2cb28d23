// Each Plex operation described once, as data. One pipeline (client.cpp)
// runs them all: build -> send -> classify -> retry -> parse.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/response.h"
#include "core/retry.h"

namespace plexauth {

enum class ServerKind { Pms, PlexTv };

struct Operation {
  const char *name;        // snake_case, for messages and logs
  bool post;               // POST with a form body, else GET
  ServerKind server;
  const char *path;        // appended to the server's base URL
  int success_status;      // 200 or 201
  bool sends_token;        // X-Plex-Token (never on sign-in)
  bool json_required;      // success must be application/json even when empty
  bool retry_rate_limited; // 429 is retried (GET operations only)
};

inline constexpr Operation kGetTransientToken{"get_transient_token", false, ServerKind::Pms, "/security/token",
                                              200, true, false, true};
inline constexpr Operation kGetSourceConnectionInformation{
    "get_source_connection_information", false, ServerKind::Pms, "/security/resources", 200, true, false, true};
inline constexpr Operation kGetTokenDetails{"get_token_details", false, ServerKind::PlexTv, "/user",
                                            200, true, true, true};
inline constexpr Operation kPostUsersSignInData{"post_users_sign_in_data", true, ServerKind::PlexTv,
                                                "/users/signin", 201, false, true, false};

// Plex codes with a meaning of their own.
inline constexpr int64_t kPlexCodeTwoFactorRequired = 1029;
inline constexpr int64_t kPlexCodeSignInThrottled = 1031;

// The verdict on one HTTP response: success, or an error and whether it may
// be retried.
struct Classified {
  bool ok = false;
  ErrorInfo error;        // when !ok: status, message, http_status, plex_errors, retry_after_ms
  AttemptVerdict verdict; // when !ok
};

// now_epoch_s is wall-clock time, for HTTP-date Retry-After values.
Classified classify(const Operation &op, const Response &resp, int64_t now_epoch_s);

// Plex's {"errors":[{code,message,status}]}; empty when the body is not that.
std::vector<PlexErrorEntry> parse_plex_errors(std::string_view body);

}  // namespace plexauth
