// The round-trip property shared by the model targets: a body either parses
// or is refused with MALFORMED_RESPONSE (std::bad_alloc aside), and an
// accepted result survives to_json: it parses again and, unless the JSON
// body holds a floating-point number (json_doubles.h), comes back unchanged.
#pragma once

#include <new>
#include <string_view>

#include "core/error.h"
#include "core/xml.h"
#include "fuzz_input.h"
#include "json_doubles.h"
#include "models/models.h"

namespace fuzz {

template <class M>
int round_trip(std::string_view body, plexauth::Envelope env) {
  M model;
  try {
    model = plexauth::parse_model<M>(body, env);
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::MalformedResponse);
    return 0;
  }
  const std::string json = plexauth::to_json(model);
  M again;
  try {
    again = plexauth::parse_model<M>(json, plexauth::Envelope{});
  } catch (const plexauth::Error &e) {
    std::fprintf(stderr, "re-parse failed: %s\n", e.what());
    FUZZ_CHECK(!"to_json output parses");
  }
  if (!env.xml) {
    rapidjson::Document doc;
    plexauth::json::parse(doc, body);  // parse_model accepted it
    if (has_double(doc)) return 0;
  }
  FUZZ_CHECK(again == model);
  FUZZ_CHECK(plexauth::to_json(again) == json);
  return 0;
}

}  // namespace fuzz
