/*
 * Every plexauth flow in C++, as docs/guide-cpp.md shows it (the guide includes the
 * regions between the [name] / [end] markers verbatim; tests/docs checks that and
 * runs this program against plexauth-fake).
 *
 * Servers come from the environment, always named explicitly:
 *   PLEX_SERVER   the PMS base URL, e.g. http://127.0.0.1:32400
 *   PLEX_TV_URL   the plex.tv API base, e.g. https://plex.tv/api/v2
 *   PLEXAUTH_CLIENT_ID_FILE  where the device identity is kept (optional)
 * Secrets come from standard input, one per line: the password, the 2FA code, the
 * Home user's PIN. Never from argv.
 */
#include <plexauth/plexauth.hpp>

#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <iostream>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr char kLogin[] = "user12345";              // an account with 2FA
constexpr char kSource[] = "server://3381b62b9ab74e37";
constexpr char kHomeUser[] = "homeuser0000uuid";    // a protected Plex Home user

std::optional<std::string> env(const char *name) {
  const char *v = std::getenv(name);
  return v ? std::optional<std::string>(v) : std::nullopt;
}

}  // namespace

int main() try {
  const auto pms = env("PLEX_SERVER"), plex_tv = env("PLEX_TV_URL");
  if (!pms || !plex_tv) {
    std::cerr << "set PLEX_SERVER and PLEX_TV_URL\n";
    return 2;
  }

  // [setup]
  // One stable identity per installation: plex.tv lists it as one device.
  const std::string client_id = plexauth::client_id_load_or_create(env("PLEXAUTH_CLIENT_ID_FILE"));

  plexauth::Config cfg;
  cfg.client_id(client_id)
      .client_name("My Plex Tool")
      .client_version("1.0")
      .platform("Linux")
      .server_url(*pms)            // always name your server
      .plex_tv_url(*plex_tv)
      .connect_timeout(3s)
      .timeout(10s)                // per attempt
      .retry(plexauth::Retry()     // 500 ms, x1.5, capped at 60 s ...
                 .max_attempts(3)  // ... but at most 3 attempts
                 .max_elapsed(20s));
  plexauth::Client client(cfg);    // copies cfg; throws plexauth::Error on failure
  // [end]

  std::string password, code, home_pin;
  if (!std::getline(std::cin, password) || !std::getline(std::cin, code) || !std::getline(std::cin, home_pin)) {
    std::cerr << "expected the password, the 2FA code and the Home PIN on stdin\n";
    return 2;
  }

  std::string token, admin_token;
  {
    // [sign_in]
    plexauth::SignIn req;
    req.login(kLogin).password(password);
    plexauth::Result<plexauth::Account> account = client.try_post_users_sign_in_data(req);
    if (account.status() == plexauth::Status::TwoFactorRequired) {  // ask for the code, sign in again
      req.verification_code(code);
      account = client.try_post_users_sign_in_data(req);
    }
    std::cout << "signed in as " << account->username() << "\n";  // -> throws the Error on failure
    token = account->auth_token();                                  // store it safely
    // req wipes the password and the code when it goes away
    // [end]
  }

  {
    // [token]
    plexauth::CallOptions as_user;
    as_user.access_token(token);  // this call's token only
    plexauth::Account me = client.get_token_details(as_user);
    const auto sub = me.subscription();
    std::cout << "token details: " << me.username() << " <" << me.email() << ">, Plex Pass "
              << (sub && sub->active().value_or(false) ? "active" : "inactive") << "\n";

    std::cout << "ping: " << (client.ping(as_user).pong().value_or(false) ? "pong" : "no pong") << "\n";
    // [end]
  }

  {
    // [pms]
    plexauth::CallOptions as_user;
    as_user.access_token(token);
    // Two calls at once on the client's own loop thread; get() waits (and throws on failure).
    plexauth::Future<plexauth::TransientToken> transient = client.get_transient_token_async({}, {}, as_user);
    plexauth::Future<plexauth::SourceInfo> info = client.get_source_connection_information_async(kSource, as_user);

    std::cout << "transient token: " << (transient.get().token() ? "received" : "none") << "\n";
    plexauth::SourceInfo source = info.get();
    std::cout << "source " << source.name().value_or("?") << ":";
    for (const plexauth::Connection &c : source.connections()) {
      std::cout << " " << c.uri().value_or("") << (c.local().value_or(false) ? " (local)" : "");
    }
    std::cout << "\n";
    // [end]
  }

  {
    // [pin_login]
    plexauth::Pin pin = client.create_pin(true);  // strong: for the hosted page
    std::cout << "open " << client.login_url(pin.code()).substr(0, 34) << "... in a browser\n";
    plexauth::Pin approved = client.wait_for_pin(
        pin.id(), 200ms /* between polls */, 60s /* give up after a minute */,
        [](std::string_view shown, std::int64_t seconds_left) {
          std::cout << "waiting for code " << shown << " to be approved (" << seconds_left << " s left)"
                    << std::endl;
          return true;  // false stops the wait (Status::Cancelled)
        });
    admin_token = approved.auth_token().value_or("");
    std::cout << "PIN approved\n";
    // [end]
  }

  {
    // [home]
    plexauth::CallOptions as_admin;
    as_admin.access_token(admin_token);
    plexauth::Result<plexauth::Account> kid = client.try_switch_home_user(kHomeUser, std::nullopt, as_admin);
    if (kid.status() == plexauth::Status::PinRequired) {  // a protected user: ask for the PIN
      kid = client.try_switch_home_user(kHomeUser, home_pin, as_admin);
    }
    std::cout << "switched to " << kid->title() << "\n";  // its own token: auth_token()
    // [end]
  }

  {
    // [errors]
    plexauth::CallOptions opts;
    opts.access_token("revokedTokenXXXXXXXX").no_retries().timeout(5s);
    try {
      client.ping(opts);
    } catch (const plexauth::Error &e) {
      if (e.status() == plexauth::Status::Unauthorized) {  // switch on the status, never on text
        std::cout << "refused: " << plexauth::status_name(e.status()) << ", HTTP " << e.http_status()
                  << ", Plex code " << (e.plex_errors().empty() ? 0 : e.plex_errors()[0].code.value_or(0)) << "\n";
      }
    }
    // [end]
  }

  {
    // [host_loop]
    // A host with its own event loop: plexauth runs nothing on a thread of its own.
    plexauth::Loop loop(plexauth::Loop::Mode::External);
    plexauth::CallOptions as_user;
    as_user.access_token(token);
    int answered = 0;
    std::vector<plexauth::Call> calls;
    for (int i = 0; i < 3; ++i) {
      calls.push_back(client.ping_async([&](plexauth::Result<plexauth::Pong> r) { answered += r.ok(); },
                                        as_user, loop));
    }
    while (loop.pending() > 0) {  // your loop: watch loop.fd(), wake up by loop.timeout()
      pollfd p{loop.fd(), POLLIN, 0};
      const auto wait = loop.timeout().value_or(1000ms);
      ::poll(&p, 1, static_cast<int>(std::min(wait, 1000ms).count()));
      loop.process();  // callbacks run here, on this thread
    }
    std::cout << "pinged " << answered << " times on the host's loop\n";
    // [end]
  }

  {
    // [sign_out]
    plexauth::CallOptions as_user;
    as_user.access_token(token);
    client.sign_out(as_user);  // plex.tv invalidates the token
    std::cout << "signed out\n";
    // [end]
  }
  return 0;
} catch (const plexauth::Error &e) {  // messages never contain secrets
  std::cerr << "failed: " << e.what() << " (HTTP " << e.http_status() << ", " << e.attempts() << " attempts)\n";
  return 1;
}
