// The response models and their parsers, generic over the generated field
// tables (fields.h). Parsers take the body of a success response and throw
// plexauth::Error(Status::MalformedResponse, "...field 'x'...") on a body
// that is not JSON, too deep, or with a required field missing / a known
// field of the wrong type. Unknown fields are ignored; null reads as absent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/fields.h"

namespace plexauth {

// Where a result sits in its body: the members leading to it (e.g.
// MediaContainer, Device), whether the last may be an array (its first item
// is used), and whether a blank body (or a missing envelope member) is a
// result with every field absent.
struct Envelope {
  const char *const *path = nullptr;
  std::size_t size = 0;
  bool array_first = false;
  bool empty_ok = false;
  bool xml = false;  // the body is XML (core/xml.h): attributes are strings, child elements arrays
  // The body is a JSON array: it is read as the result's list member of this
  // name (a result whose wire form is a bare array, e.g. list_resources).
  const char *root_list = nullptr;
};

// Defined in models.cpp for every model of PLEXAUTH_RESULT_MODELS.
template <class M>
M parse_model(std::string_view body, const Envelope &envelope);
// Compact JSON with wire names; absent fields omitted, null written as null.
template <class M>
std::string to_json(const M &m);

// The seed operations' bodies (also used by the tests and fuzz targets).
// {"MediaContainer":{"token":"..."}}; blank or token-less: absent token.
TransientToken parse_transient_token(std::string_view body);
// {"MediaContainer":{"Device":{...}}}; Device may be an array (first item).
SourceInfo parse_source_info(std::string_view body);
// UserPlexAccount.
inline Account parse_account(std::string_view body) { return parse_model<Account>(body, Envelope{}); }
inline std::string account_to_json(const Account &a) { return to_json(a); }

// "2019-08-24T14:15:22Z", "...T14:15:22.5+02:00" -> Unix seconds; nullopt when
// the text is not such an ISO-8601 date-time (offset Z or +hh:mm required).
std::optional<int64_t> parse_iso8601(std::string_view text) noexcept;

}  // namespace plexauth
