#include "core/json.h"

#include <climits>

namespace plexauth::json {

int nesting_depth(std::string_view text) noexcept {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') in_string = false;
      continue;
    }
    switch (c) {
      case '"': in_string = true; break;
      case '[':
      case '{':
        if (depth < INT_MAX && ++depth > deepest) deepest = depth;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default: break;
    }
  }
  return deepest;
}

void parse(rapidjson::Document &doc, std::string_view body, const char *what) {
  // RapidJSON's iterative parser does not recurse, but writing or walking a
  // DOM does: refuse absurd nesting before building one.
  if (nesting_depth(body) > kMaxDepth)
    malformed(std::string(what) + " is nested deeper than " + std::to_string(kMaxDepth) + " levels");
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(body.empty() ? "" : body.data(), body.size());
  if (doc.HasParseError())
    malformed(std::string(what) + " is not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
              " (at offset " + std::to_string(doc.GetErrorOffset()) + ")");
}

const char *type_name(const rapidjson::Value &v) noexcept {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "bool";
    case rapidjson::kNumberType: return v.IsInt64() || v.IsUint64() ? "integer" : "number";
    case rapidjson::kStringType: return "string";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kObjectType: return "object";
  }
  return "unknown";
}

std::string to_string(const rapidjson::Value &v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace plexauth::json
