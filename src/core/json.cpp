#include "core/json.h"

#include <climits>
#include <cmath>
#include <cstring>

#include <rapidjson/memorystream.h>

namespace plexauth::json {

namespace {

std::size_t invalid_utf8_offset(std::string_view s) noexcept;

// Forwards the reader's events to the document, refusing to nest deeper than
// kMaxDepth (so that nothing walking the DOM later can recurse too far), and
// what RapidJSON 1.1.0 lets through but cannot be written back as JSON: a
// lone low surrogate escape (\uDC00-\uDFFF) decoded into invalid UTF-8, and
// numbers such as 1e400 read as infinity.
struct DepthLimited {
  rapidjson::Document &doc;
  // Whether a string or key may decode to invalid UTF-8: only a \u escape
  // can make one (the raw text is checked before parsing).
  bool check_decoded = true;
  int depth = 0;
  bool too_deep = false;
  const char *refused = nullptr;  // why a value was refused

  bool enter() {
    if (++depth <= kMaxDepth) return true;
    too_deep = true;
    return false;
  }
  bool Null() { return doc.Null(); }
  bool Bool(bool b) { return doc.Bool(b); }
  bool Int(int i) { return doc.Int(i); }
  bool Uint(unsigned u) { return doc.Uint(u); }
  bool Int64(int64_t i) { return doc.Int64(i); }
  bool Uint64(uint64_t u) { return doc.Uint64(u); }
  bool Double(double d) { return std::isfinite(d) ? doc.Double(d) : refuse("has a number out of range"); }
  bool RawNumber(const char *s, rapidjson::SizeType n, bool copy) { return doc.RawNumber(s, n, copy); }
  bool refuse(const char *why) {
    refused = why;
    return false;
  }
  bool valid(const char *s, rapidjson::SizeType n) {
    if (!check_decoded) return true;
    // A \u0000 decodes to a NUL, which would silently cut the value short
    // for every C caller (and differs between bindings): refused.
    if (std::memchr(s, 0, n) != nullptr) return refuse("has a \\u0000 escape (a NUL character in a string)");
    return invalid_utf8_offset({s, n}) == std::string_view::npos || refuse("has a \\u escape that is not valid UTF-8");
  }
  bool String(const char *s, rapidjson::SizeType n, bool copy) { return valid(s, n) && doc.String(s, n, copy); }
  bool Key(const char *s, rapidjson::SizeType n, bool copy) { return valid(s, n) && doc.Key(s, n, copy); }
  bool StartObject() { return enter() && doc.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth;
    return doc.EndObject(n);
  }
  bool StartArray() { return enter() && doc.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth;
    return doc.EndArray(n);
  }
};

struct NullOutput {
  void Put(char) {}
};

// Offset of the first byte that is not valid UTF-8, or npos. Runs of ASCII
// are skipped eight bytes at a time; every other sequence is checked by
// RapidJSON's own UTF-8 validator (the one kParseValidateEncodingFlag uses,
// which costs a quarter of the parse time when applied byte by byte).
std::size_t invalid_utf8_offset(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    for (uint64_t word; i + 8 <= s.size(); i += 8) {
      std::memcpy(&word, s.data() + i, 8);
      if (word & 0x8080808080808080u) break;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    if (i == s.size()) break;
    rapidjson::MemoryStream in(s.data() + i, s.size() - i);
    NullOutput out;
    if (!rapidjson::UTF8<>::Validate(in, out)) return i;
    i += in.Tell();
  }
  return std::string_view::npos;
}

}  // namespace

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
  const std::size_t bad = invalid_utf8_offset(body);
  if (bad != std::string_view::npos)
    malformed(std::string(what) + " is not valid UTF-8 (at offset " + std::to_string(bad) + ")");
  // A raw NUL is never valid JSON; RapidJSON would take it for the end of
  // the text and ignore whatever follows.
  if (const std::size_t nul = body.find('\0'); nul != std::string_view::npos)
    malformed(std::string(what) + " is not valid JSON: a NUL byte (at offset " + std::to_string(nul) + ")");

  // One pass: RapidJSON's recursive parser, in situ, feeding the document
  // through the depth limit, which refuses level kMaxDepth + 1 before the
  // parser descends into it, so the recursion stays bounded. It reads a
  // NUL-terminated copy (no NUL inside, checked above) made in the document's
  // own allocator, so that it lives as long as the values that point into
  // it: strings are decoded in place and not copied again (docs/performance.md).
  // With RAPIDJSON_SSE2 (CMakeLists.txt) the parser reads aligned 16-byte
  // blocks, up to 15 bytes past the NUL: those bytes are ours, and zero.
  constexpr std::size_t kPad = 16;
  if (body.size() > SIZE_MAX - kPad) fail(Status::OutOfMemory, std::string("the ") + what + " is too large");
  char *text = static_cast<char *>(doc.GetAllocator().Malloc(body.size() + kPad));
  if (!text) fail(Status::OutOfMemory, std::string("out of memory reading the ") + what);
  std::memcpy(text, body.data(), body.size());
  std::memset(text + body.size(), 0, kPad);
  rapidjson::ParseResult result;
  bool too_deep = false;
  const char *refused = nullptr;
  auto generate = [&](rapidjson::Document &handler) {
    DepthLimited limited{handler};
    limited.check_decoded = body.find("\\u") != std::string_view::npos;
    rapidjson::InsituStringStream in(text);
    rapidjson::Reader reader;
    // Not kParseFullPrecisionFlag: in RapidJSON 1.1.0 that path has undefined
    // behaviour ("0e308": clz(0)) and asserts on huge negative numbers
    // (docs/reliability.md, gate 3). The default reading may differ from the
    // correctly rounded double in the last bit.
    result = reader.Parse<rapidjson::kParseInsituFlag>(in, limited);
    too_deep = limited.too_deep;
    refused = limited.refused;
    return !result.IsError();
  };
  doc.Populate(generate);
  if (too_deep) malformed(std::string(what) + " is nested deeper than " + std::to_string(kMaxDepth) + " levels");
  if (refused) malformed(std::string(what) + " " + refused + " (at offset " + std::to_string(result.Offset()) + ")");
  if (result.IsError())
    malformed(std::string(what) + " is not valid JSON: " + rapidjson::GetParseError_En(result.Code()) +
              " (at offset " + std::to_string(result.Offset()) + ")");
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
