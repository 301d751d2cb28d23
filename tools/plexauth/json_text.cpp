#include "json_text.h"

#include <cstdio>

namespace cli {
namespace {

// Length of the well-formed UTF-8 sequence at s[0..n) (Unicode Table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0.
size_t utf8_sequence_length(const unsigned char *s, size_t n) {
  const unsigned char b = s[0];
  if (b < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; ++i)
    if (s[i] < 0x80 || s[i] > 0xBF) return 0;
  return len;
}

}  // namespace

std::string json_string(std::string_view s) {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = p[i];
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\b': out += "\\b"; ++i; continue;
      case '\f': out += "\\f"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
      ++i;
      continue;
    }
    const size_t len = utf8_sequence_length(p + i, s.size() - i);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
    } else if (len == 3 && c == 0xE2 && p[i + 1] == 0x80 && (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
      // U+2028/U+2029 are valid in JSON but are line breaks to many readers.
      out += p[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
      i += 3;
    } else {
      out.append(s.data() + i, len);
      i += len;
    }
  }
  out += '"';
  return out;
}

std::string json_string_or_null(const char *s) { return s ? json_string(s) : "null"; }

std::string json_int_or_null(int present, int64_t value) {
  return present ? std::to_string(value) : "null";
}

std::string json_bool_or_null(int present, int value) {
  if (!present) return "null";
  return value ? "true" : "false";
}

std::string printable(std::string_view s, bool keep_newlines) {
  std::string out(s);
  for (char &c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 || u == 0x7F) && !(keep_newlines && c == '\n')) c = '?';
  }
  return out;
}

}  // namespace cli
