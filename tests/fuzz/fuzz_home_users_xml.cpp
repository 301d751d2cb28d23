// Home user list parser (list_home_users), XML bodies as plex.tv's v1 route
// sends them: expat (core/xml.cpp) into the DOM, attribute strings typed by
// the model (models.cpp), then the round trip of fuzz_model.h. Also: the
// XML reader alone either builds a document whose depth stays within the
// limit or refuses the body as MALFORMED_RESPONSE.
#include <algorithm>

#include "core/operations.gen.h"
#include "fuzz_model.h"

namespace {
int depth(const rapidjson::Value &v) {  // bounded: the reader refuses deeper documents
  int d = 0;
  if (v.IsArray())
    for (const auto &item : v.GetArray()) d = std::max(d, depth(item));
  if (v.IsObject())
    for (const auto &m : v.GetObject()) d = std::max(d, depth(m.value));
  return d + (v.IsArray() || v.IsObject() ? 1 : 0);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  {
    rapidjson::Document doc;
    try {
      plexauth::xml::parse(doc, body);
      FUZZ_CHECK(doc.IsObject() && doc.MemberCount() == 1);
      // Each element is at most one object and one array deep.
      FUZZ_CHECK(depth(doc) <= 2 * plexauth::json::kMaxDepth + 1);
    } catch (const plexauth::Error &e) {
      FUZZ_CHECK(e.status() == plexauth::Status::MalformedResponse);
    }
  }
  plexauth::Envelope env = plexauth::envelope_of(plexauth::op::kListHomeUsers);
  env.xml = true;
  return fuzz::round_trip<plexauth::HomeUsers>(body, env);
}
