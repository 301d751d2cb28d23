// JSON text output for the CLI: string escaping and the few value forms the
// CLI prints. The CLI uses only the public C header, so no JSON library here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cli {

// `s` as a quoted JSON string. Quote, backslash and control characters are
// escaped, and so are U+2028/U+2029 (line breaks to some readers); other
// valid UTF-8 passes through; each byte of an invalid UTF-8 sequence becomes
// U+FFFD, so the output is always one line of valid JSON and valid UTF-8.
std::string json_string(std::string_view s);

// A quoted string, or null when `s` is NULL.
std::string json_string_or_null(const char *s);
// The integer when present is non-zero, else null.
std::string json_int_or_null(int present, int64_t value);
// true/false when present is non-zero, else null.
std::string json_bool_or_null(int present, int value);

// `s` with control characters (and DEL) replaced by '?', for showing text
// that came from a server on a terminal. keep_newlines keeps '\n'.
std::string printable(std::string_view s, bool keep_newlines = false);

}  // namespace cli
