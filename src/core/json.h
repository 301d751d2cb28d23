// RapidJSON, configured so that bad input can never abort the process, plus
// the checked accessors every parser uses. Always include RapidJSON through
// this header.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/error.h"

namespace plexauth {
struct JsonAssertion : std::logic_error {
  using std::logic_error::logic_error;
};
}  // namespace plexauth

#ifndef RAPIDJSON_ASSERT
#define RAPIDJSON_ASSERT(x) \
  do {                      \
    if (!(x)) throw ::plexauth::JsonAssertion("rapidjson assertion: " #x); \
  } while (0)
#endif
#define RAPIDJSON_HAS_STDSTRING 1

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wclass-memaccess"
#endif
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace plexauth::json {

// Deepest nesting of arrays/objects accepted in a response body.
inline constexpr int kMaxDepth = 64;

// Parses `body` into `doc` after checking nesting depth (iteratively, without
// recursion) and UTF-8 validity. Throws Error(MalformedResponse) naming what
// is wrong; `what` is a short description of the body ("response body").
void parse(rapidjson::Document &doc, std::string_view body, const char *what = "response body");

// Nesting depth of a JSON text, counted without parsing (strings honoured).
int nesting_depth(std::string_view text) noexcept;

// Name of a JSON value's type for messages: "null", "bool", "integer",
// "number", "string", "array", "object".
const char *type_name(const rapidjson::Value &v) noexcept;

// Compact JSON text of a value.
std::string to_string(const rapidjson::Value &v);

}  // namespace plexauth::json
