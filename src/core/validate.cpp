#include "core/validate.h"

#include <cmath>

#include <curl/curl.h>

#include <memory>

#include "core/error.h"

namespace plexauth {

bool is_valid_utf8(std::string_view s) noexcept {
  const auto *p = reinterpret_cast<const unsigned char *>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned cc = p[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

void check_text(std::string_view value, const char *what, size_t max_bytes) {
  if (value.size() > max_bytes)
    fail(Status::InvalidArgument, std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F) fail(Status::InvalidArgument, std::string(what) + " contains a control character");
  }
  if (!is_valid_utf8(value)) fail(Status::InvalidArgument, std::string(what) + " is not valid UTF-8");
}

namespace {

// An absolute http(s) URL with a host, no credentials, no fragment, and (unless
// allow_query) no query.
void check_http_url(std::string_view url, const char *what, bool allow_query) {
  check_text(url, what);
  struct UrlDeleter {
    void operator()(CURLU *u) const noexcept { curl_url_cleanup(u); }
  };
  std::unique_ptr<CURLU, UrlDeleter> h(curl_url());
  if (!h) fail(Status::OutOfMemory, "out of memory parsing a URL");
  const std::string text(url);
  if (curl_url_set(h.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK)
    fail(Status::InvalidArgument, std::string(what) + " is not a valid absolute URL");
  char *scheme = nullptr;
  bool ok = curl_url_get(h.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && scheme &&
            (std::string_view(scheme) == "http" || std::string_view(scheme) == "https");
  curl_free(scheme);
  if (!ok) fail(Status::InvalidArgument, std::string(what) + " must start with http:// or https://");
  char *host = nullptr;
  ok = curl_url_get(h.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK && host && *host;
  curl_free(host);
  if (!ok) fail(Status::InvalidArgument, std::string(what) + " has no host");
  // Userinfo, a query or a fragment would be sent (or dropped) with every
  // request and may hold a secret: refused, without echoing the value. The
  // text is checked as well as libcurl's parts ("http://h/?" has an empty,
  // dropped query; "http://@h" an empty user).
  const std::string_view authority = [&] {
    std::string_view rest = url.substr(url.find("://") + 3);
    return rest.substr(0, rest.find_first_of("/?#"));
  }();
  const auto has_part = [&](CURLUPart part) {
    char *v = nullptr;
    const bool has = curl_url_get(h.get(), part, &v, 0) == CURLUE_OK && v;
    curl_free(v);
    return has;
  };
  if (authority.find('@') != std::string_view::npos || has_part(CURLUPART_USER) || has_part(CURLUPART_PASSWORD))
    fail(Status::InvalidArgument, std::string(what) + " must not carry credentials (user@ or user:password@)");
  if (url.find('#') != std::string_view::npos || has_part(CURLUPART_FRAGMENT))
    fail(Status::InvalidArgument, std::string(what) + " must not have a #fragment");
  if (!allow_query && (url.find('?') != std::string_view::npos || has_part(CURLUPART_QUERY)))
    fail(Status::InvalidArgument, std::string(what) + " must not have a ?query (paths are appended to it)");
}

}  // namespace

void check_forward_url(std::string_view url) { check_http_url(url, "forward URL", true); }

std::string check_base_url(std::string_view url, const char *what) {
  check_http_url(url, what, false);
  // Every trailing '/' goes (the host is not empty: check_http_url), so the
  // result is its own check_base_url: "https://h//" once kept "https://h/".
  std::string out(url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

void check_retry_interval_ms(int64_t ms, const char *what) {
  if (ms < 1) fail(Status::InvalidArgument, std::string(what) + " must be at least 1 ms");
}

void check_retry_exponent(double exponent) {
  if (!std::isfinite(exponent) || exponent < 1.0 || exponent > 10.0)
    fail(Status::InvalidArgument, "exponent must be between 1.0 and 10.0");
}

void check_max_elapsed_ms(int64_t ms) {
  if (ms < 0) fail(Status::InvalidArgument, "max elapsed must not be negative");
}

void check_timeout_ms(int64_t ms) {
  if (ms < 0 || ms > 86400000) fail(Status::InvalidArgument, "timeout must be between 0 and 86400000 ms");
}

void check_max_response_bytes(size_t bytes) {
  if (bytes < 1024 || bytes > (size_t{1} << 30))
    fail(Status::InvalidArgument, "max response bytes must be between 1 KiB and 1 GiB");
}

void check_port(int port) {
  if (port < 1 || port > 65535) fail(Status::InvalidArgument, "port must be between 1 and 65535");
}

void check_protocol(std::string_view protocol) {
  if (protocol != "http" && protocol != "https") fail(Status::InvalidArgument, "protocol must be \"http\" or \"https\"");
}

void check_host(std::string_view host) {
  check_text(host, "server ip", 255);
  if (host.empty() || host.find_first_of("/?#@[] ") != std::string_view::npos)
    fail(Status::InvalidArgument, "server ip must be a host name or an IP address");
}

void check_log_level(int level) {
  if (level < 1 || level > 4)
    fail(Status::InvalidArgument, "log level must be between PLEXAUTH_LOG_ERROR and PLEXAUTH_LOG_DEBUG");
}

}  // namespace plexauth
