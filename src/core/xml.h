// XML response bodies, read into the same DOM as JSON ones so that one model
// reader serves both. plex.tv documents some routes (the v1 /api/home/users)
// only in their XML form: <MediaContainer size="2"><User id="1" .../></MediaContainer>.
//
// Parsed with expat (a well-kept, widely deployed parser). Each element
// becomes an object of its attributes (values as strings); its child elements
// join an array member named after them; text content is ignored (Plex puts
// its data in attributes). The document is {"<root name>": {...}}.
//
// Refused as MALFORMED_RESPONSE: anything not well-formed, a DOCTYPE (so no
// entity is ever declared or expanded: no "billion laughs", no external
// entity), nesting deeper than json::kMaxDepth, and text that is not UTF-8.
#pragma once

#include <string_view>

#include "core/json.h"

namespace plexauth::xml {

// application/xml, text/xml, or any */*+xml, with or without parameters.
bool is_xml_content_type(std::string_view content_type) noexcept;

// Parses `body` into `doc` (see above). Throws Error(MalformedResponse) or
// std::bad_alloc.
void parse(rapidjson::Document &doc, std::string_view body, const char *what = "response body");

}  // namespace plexauth::xml
