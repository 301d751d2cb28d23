/*
 * Reaching the account's server and JWT device authentication in C++, as
 * docs/guide-cpp.md shows them (the guide includes the regions between the
 * [name] / [end] markers verbatim; tests/docs checks that and runs this program
 * against plexauth-fake).
 *
 *   PLEX_TV_URL               the plex.tv API base, e.g. http://127.0.0.1:PORT/api/v2
 *   PLEXAUTH_DEVICE_KEY_FILE  where the device key is kept
 * The account token comes from standard input (never from argv).
 */
#include <plexauth/plexauth.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

using namespace std::chrono_literals;

int main() try {
  const char *plex_tv = std::getenv("PLEX_TV_URL");
  const char *key_file = std::getenv("PLEXAUTH_DEVICE_KEY_FILE");
  std::string token;
  if (!plex_tv || !key_file || !std::getline(std::cin, token)) {
    std::cerr << "set PLEX_TV_URL and PLEXAUTH_DEVICE_KEY_FILE and pass the token on stdin\n";
    return 2;
  }
  plexauth::Config cfg;
  cfg.plex_tv_url(plex_tv)  // clients.plex.tv calls follow it
      .access_token(token)
      .client_id("3381b62b-9ab7-4e37-827b-203e9809eb58")
      .client_name("plexauth guide");
  plexauth::Client client(cfg);

  {
    // [connect]
    plexauth::Resources all = client.list_resources();
    for (const plexauth::Resource &server : all.devices()) {
      if (server.provides().value_or("").find("server") == std::string::npos || !server.owned().value_or(false)) {
        continue;  // the account's own servers only
      }
      plexauth::ConnectOptions opts;
      opts.stagger(200ms)      // the next address starts 200 ms later, or when the one before fails
          .deadline(5s);       // nothing runs past this
      plexauth::Result<plexauth::ConnectResult> conn = client.try_connect(server, opts);
      if (!conn) {  // Status::Unreachable: the message has one line per address tried
        std::cerr << conn.error().what() << "\n";
        continue;
      }
      std::cout << conn->name() << ": " << conn->uri() << "\n";
      // Talk to it at conn->uri() with its own token (none: the account's), e.g. through
      // CallOptions().server_url(conn->uri()).access_token(conn->access_token().value_or(token)).
      for (const plexauth::ConnectAttempt &a : conn->attempts()) {
        std::cout << "  " << a.location << " " << a.uri << ": " << a.outcome << "\n";
      }
    }
    // [end]
  }

  {
    // [device_key]
    // One key per device, kept in a file only this user can read (0600).
    plexauth::LoadedDeviceKey device = plexauth::DeviceKey::load_or_create(key_file);
    plexauth::Result<plexauth::JwtToken> jwt = client.try_jwt_login(device.key);
    if (jwt.status() == plexauth::Status::Unauthorized) {  // plex.tv does not know the key yet
      client.register_device_key(device.key);               // with the account's (legacy) token
      jwt = client.try_jwt_login(device.key);
    }
    const std::int64_t expires_at = client.jwt_verify(jwt->auth_token(), device.key);  // throws if forged
    std::cout << "Plex JWT for key " << device.key.id().substr(0, 8) << "..., valid for "
              << (expires_at - std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()) / 86400
              << " days\n";
    // [end]

    // [jwt_session]
    // Every call of `as_device` sends a fresh Plex JWT: the session refreshes it through `client`
    // a day before it expires. The config and the client keep the session (and `client`) alive.
    plexauth::JwtSession session(client, device.key);
    plexauth::Config jwt_cfg;
    jwt_cfg.plex_tv_url(plex_tv).client_id("3381b62b-9ab7-4e37-827b-203e9809eb58").jwt_session(session);
    plexauth::Client as_device(jwt_cfg);
    plexauth::Result<plexauth::Account> me = as_device.try_get_token_details();
    if (me.status() == plexauth::Status::TokenExpired) {  // plex.tv expired it early: refresh now
      session.invalidate();
      me = as_device.try_get_token_details();
    }
    std::cout << "with the JWT: " << me->username() << "\n";
    // [end]
  }
  return 0;
} catch (const plexauth::Error &e) {  // messages never contain secrets
  std::cerr << "failed: " << e.what() << "\n";
  return 1;
}
