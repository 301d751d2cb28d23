// The login journey's local parts (issue 10): a stable device identity kept
// in a file, the hosted login page's URL, and waiting for a PIN's approval.
// The HTTP operations themselves (create_pin, get_pin, ...) are ordinary
// operations of the API table (codegen/api.py).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/client.h"

namespace plexauth {

// $XDG_CONFIG_HOME/plexauth/client_id, or ~/.config/plexauth/client_id.
std::string default_client_id_path();

// The client identifier stored at `path`, or a new random UUIDv4 written
// there once (mode 0600, atomically: a temporary file renamed into place;
// missing folders are created 0700). A file holding something other than a
// client identifier (1..128 printable ASCII characters, one optional newline)
// is an invalid argument, never overwritten.
std::string load_or_create_client_id(const std::string &path);
// The identifier in a client_id file's contents (its first 160 bytes), or
// nullopt when they are not one: 1..128 printable ASCII characters, no
// space, one optional trailing newline.
std::optional<std::string> parse_client_id_file(std::string_view contents);

// https://app.plex.tv/auth#?clientID=..&code=..&context%5Bdevice%5D%5Bproduct%5D=..[&forwardUrl=..]
// with every value percent-encoded (RFC 3986). forward_url, when given, must
// be an absolute http(s) URL (plex.tv forwards to nothing else).
std::string login_url(std::string_view client_id, std::string_view code, std::string_view product,
                      std::string_view forward_url);

// Polls a PIN until it is approved (its authToken set), then returns it.
// PIN_EXPIRED when plex.tv says so (404/1020) or when its expiresAt passes;
// TIMEOUT when timeout_ms (> 0) passes first; CANCELLED when the call's cancel
// token fires (the wait between polls wakes at once). Transport errors and
// 5XX are retried by each poll's retry policy; a poll that still fails ends
// the wait with its error. `progress(code, seconds_left)` runs before each
// wait; returning false stops with CANCELLED.
//
// A JWK PIN (create_jwk_pin) is polled with get_jwk_pin and a device JWT
// from `device_jwt`, signed again once `resign_ms` have passed since the last
// one (a device JWT lives 5 minutes: one never expires mid-wait).
struct PinWait {
  int64_t poll_interval_ms = 1000;
  int64_t timeout_ms = 0;  // 0: until the PIN expires
  std::function<bool(const std::string &code, int64_t seconds_left)> progress;
  std::function<Secret()> device_jwt;  // set: a JWK PIN
  int64_t resign_ms = 240000;          // 4 minutes
};
Parsed<Pin> wait_for_pin(Client &client, int64_t id, const PinWait &wait, const CallOptions *opts,
                         const RetryEnv &env = RetryEnv::system());

}  // namespace plexauth
