// Checks on caller-supplied values, shared by capi/ setters and the core.
// Each throws Error(Status::InvalidArgument) with a message naming `what`
// (never echoing the value, which may be a secret).
#pragma once

#include <cstddef>
#include <cstdint>
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

// An absolute http(s) URL the hosted login page may forward to (a query is
// fine; credentials and a fragment are not).
void check_forward_url(std::string_view url);

// The ranges of the numeric settings (one place: capi/ only calls these).
void check_retry_interval_ms(int64_t ms, const char *what);  // >= 1
void check_retry_exponent(double exponent);                  // 1.0 .. 10.0, finite
void check_max_elapsed_ms(int64_t ms);                       // >= 0
void check_timeout_ms(int64_t ms);                           // 0 .. 86 400 000
void check_max_response_bytes(size_t bytes);                 // 1 KiB .. 1 GiB
void check_port(int port);                                   // 1 .. 65535
void check_protocol(std::string_view protocol);              // "http" | "https"
void check_host(std::string_view host);                      // a host name or an IP address
void check_log_level(int level);                             // 1 (error) .. 4 (debug)

}  // namespace plexauth
