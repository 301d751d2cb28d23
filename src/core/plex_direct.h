// *.plex.direct names: Plex's DNS answers `a-b-c-d.<hash>.plex.direct` with
// a.b.c.d, so that a Plex Media Server on a LAN address can have a
// certificate for its name. Routers with DNS-rebinding protection drop such
// answers (a public name resolving to a private address), and users then
// turn TLS verification off. The library can take the address from the
// name itself and pin it (CURLOPT_RESOLVE): no DNS lookup, and the
// certificate is still verified for the name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace plexauth {

// "192.168.1.10" for "192-168-1-10.<32 hex digits>.plex.direct" (any case,
// an optional trailing dot); nullopt for anything else (IPv6 forms are not
// decoded: their spelling is not documented).
std::optional<std::string> plex_direct_address(std::string_view host);

// The CURLOPT_RESOLVE entry "host:port:address" for a URL whose host is a
// plex.direct name, else nullopt. The port is the URL's, or its scheme's
// default.
std::optional<std::string> plex_direct_resolve_entry(const std::string &url);

}  // namespace plexauth
