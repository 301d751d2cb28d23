// json::parse, the one entry to RapidJSON: any text parses or is refused
// with MALFORMED_RESPONSE; what parses is valid UTF-8 without a raw NUL, no
// deeper than kMaxDepth, and its compact form parses again and, unless it
// holds a floating-point number (json_doubles.h), is a fixed point:
// parse(to_string(x)) gives to_string(x) again.
#include "core/json.h"
#include "fuzz_input.h"
#include "json_doubles.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const int depth = plexauth::json::nesting_depth(text);
  FUZZ_CHECK(depth >= 0);
  rapidjson::Document doc;
  try {
    plexauth::json::parse(doc, text);
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::MalformedResponse);
    return 0;
  }
  FUZZ_CHECK(depth <= plexauth::json::kMaxDepth);
  FUZZ_CHECK(text.find('\0') == std::string_view::npos);  // a raw NUL is never JSON
  FUZZ_CHECK(plexauth::json::type_name(doc)[0] != 'u');  // never "unknown"
  const std::string compact = plexauth::json::to_string(doc);
  rapidjson::Document again;
  plexauth::json::parse(again, compact);  // must not throw
  if (!fuzz::has_double(doc)) FUZZ_CHECK(plexauth::json::to_string(again) == compact);
  return 0;
}
