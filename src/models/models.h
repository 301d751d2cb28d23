// Response models of the four operations and their parsers.
// Parsers take the body of a success response and throw
// plexauth::Error(Status::MalformedResponse, "...field 'x'...") on a body
// that is not JSON, too deep, or with a required field missing / a known
// field of the wrong type. Unknown fields are ignored; null reads as absent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace plexauth {

// ---- get_transient_token: {"MediaContainer":{"token":"..."}}
struct TransientToken {
  std::optional<std::string> token;
};
// An empty body (or one without MediaContainer/token) gives an absent token.
TransientToken parse_transient_token(std::string_view body);

// ---- get_source_connection_information
struct Connection {
  std::optional<std::string> protocol, address, uri;
  std::optional<int64_t> port;
  std::optional<bool> local, relay;
};
struct SourceInfo {
  std::optional<std::string> name, client_identifier, access_token;
  std::vector<Connection> connections;
};
// An empty body or one without MediaContainer.Device gives all fields absent.
SourceInfo parse_source_info(std::string_view body);

// ---- UserPlexAccount (get_token_details, post_users_sign_in_data)
// The field lists live in account_fields.h (X-macros) and are defined there.
}  // namespace plexauth

#include "models/account_fields.h"

namespace plexauth {
Account parse_account(std::string_view body);
// Compact JSON with wire names; absent fields omitted.
std::string account_to_json(const Account &a);
}  // namespace plexauth
