// Checks on caller-supplied values, shared by capi/ setters and the core.
// Each throws Error(Status::InvalidArgument) with a message naming `what`
// (never echoing the value, which may be a secret).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plexauth {

inline constexpr size_t kMaxTextBytes = 16 * 1024;

// Valid UTF-8 (no overlongs, no surrogates), no control characters (which
// would allow header injection), at most max_bytes.
void check_text(std::string_view value, const char *what, size_t max_bytes = kMaxTextBytes);
bool is_valid_utf8(std::string_view s) noexcept;

// An absolute http:// or https:// URL with a host; returns it with one
// trailing '/' removed.
std::string check_base_url(std::string_view url, const char *what);

}  // namespace plexauth
