#include "core/plex_direct.h"

#include <curl/curl.h>

#include <cctype>
#include <memory>

namespace plexauth {

std::optional<std::string> plex_direct_address(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view kSuffix = ".plex.direct";
  if (host.size() <= kSuffix.size()) return std::nullopt;
  for (size_t i = 0; i < kSuffix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(host[host.size() - kSuffix.size() + i])) != kSuffix[i])
      return std::nullopt;
  host.remove_suffix(kSuffix.size());
  const size_t dot = host.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view ip = host.substr(0, dot), hash = host.substr(dot + 1);
  if (hash.size() != 32) return std::nullopt;
  for (char ch : hash)
    if (!std::isxdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  // Four decimal octets 0-255 joined by '-', no leading zeros.
  std::string out;
  size_t start = 0;
  for (int part = 0; part < 4; ++part) {
    const size_t end = part < 3 ? ip.find('-', start) : ip.size();
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view octet = ip.substr(start, end - start);
    if (octet.empty() || octet.size() > 3 || (octet.size() > 1 && octet[0] == '0')) return std::nullopt;
    int value = 0;
    for (char ch : octet) {
      if (ch < '0' || ch > '9') return std::nullopt;
      value = value * 10 + (ch - '0');
    }
    if (value > 255) return std::nullopt;
    if (part) out += '.';
    out.append(octet);
    start = end + 1;
  }
  return out;
}

std::optional<std::string> plex_direct_resolve_entry(const std::string &url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return std::nullopt;
  char *host = nullptr;
  char *port = nullptr;
  std::optional<std::string> entry;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    if (std::optional<std::string> address = plex_direct_address(host))
      entry = std::string(host) + ":" + port + ":" + *address;
  }
  curl_free(host);
  curl_free(port);
  return entry;
}

}  // namespace plexauth
