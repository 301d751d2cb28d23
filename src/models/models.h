// Response models of the four operations and their parsers.
// Parsers take the body of a success response and throw
// plexauth::Error(Status::MalformedResponse, "...field 'x'...") on a body
// that is not JSON, too deep, or with a required field missing / a known
// field of the wrong type. Unknown fields are ignored; null reads as absent.
//
// The structs (TransientToken, Connection, SourceInfo, Profile, Subscription,
// Service, Billing, PastSubscription, Account) are generated from the field
// lists in account_fields.h: one std::optional member per field, plus a
// `nulls` bitset of the fields that arrived as JSON null, and operator==.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/account_fields.h"

namespace plexauth {

// ---- get_transient_token: {"MediaContainer":{"token":"..."}}
// An empty body (or one without MediaContainer/token) gives an absent token.
TransientToken parse_transient_token(std::string_view body);

// ---- get_source_connection_information: {"MediaContainer":{"Device":{...}}}
// Device may be an object or an array (its first element is used).
// An empty body or one without MediaContainer.Device gives all fields absent.
SourceInfo parse_source_info(std::string_view body);

// ---- UserPlexAccount (get_token_details, post_users_sign_in_data)
Account parse_account(std::string_view body);
// Compact JSON with wire names; absent fields omitted, null written as null.
std::string account_to_json(const Account &a);

// "2019-08-24T14:15:22Z", "...T14:15:22.5+02:00" -> Unix seconds; nullopt when
// the text is not such an ISO-8601 date-time (offset Z or +hh:mm required).
std::optional<int64_t> parse_iso8601(std::string_view text) noexcept;

}  // namespace plexauth
