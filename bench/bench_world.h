// What the call benchmarks share: the identity every request carries, and a
// client for the fake configured with it (plexauth_bench_calls, _async).
#pragma once

#include <plexauth/plexauth.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "fake_plex.h"

namespace plexauth_bench {

// The seed spec's example values: the same headers for plexauth and raw libcurl.
inline const std::pair<const char *, const char *> kIdentity[] = {
    {"X-Plex-Client-Identifier", "3381b62b-9ab7-4e37-827b-203e9809eb58"},
    {"X-Plex-Product", "Plex for Roku"},
    {"X-Plex-Version", "2.4.1"},
    {"X-Plex-Platform", "Roku"},
    {"X-Plex-Device", "Roku 3"},
    {"X-Plex-Device-Name", "bench-host"},  // else plexauth sends the host name (its default)
};

[[noreturn]] inline void die(const char *program, const std::string &what) {
  std::fprintf(stderr, "%s: %s\n", program, what.c_str());
  std::exit(1);
}

// A client for `fake` signed in as account A, with kIdentity.
inline plexauth_client *new_client(const plexauth_fake::FakePlex &fake, const char *program) {
  const auto check = [program](plexauth_status s, const char *what) {
    if (s != PLEXAUTH_OK) die(program, std::string(what) + ": " + plexauth_status_name(s));
  };
  plexauth_config *cfg = nullptr;
  check(plexauth_config_new(&cfg), "plexauth_config_new");
  check(plexauth_config_set_plex_tv_url(cfg, fake.plex_tv_url().c_str()), "set_plex_tv_url");
  check(plexauth_config_set_server_url(cfg, fake.base_url().c_str()), "set_server_url");
  check(plexauth_config_set_access_token(cfg, plexauth_fake::seed::kTokenA), "set_access_token");
  check(plexauth_config_set_client_id(cfg, kIdentity[0].second), "set_client_id");
  check(plexauth_config_set_client_name(cfg, kIdentity[1].second), "set_client_name");
  check(plexauth_config_set_client_version(cfg, kIdentity[2].second), "set_client_version");
  check(plexauth_config_set_platform(cfg, kIdentity[3].second), "set_platform");
  check(plexauth_config_set_device_nickname(cfg, kIdentity[4].second), "set_device_nickname");
  check(plexauth_config_set_device_name(cfg, kIdentity[5].second), "set_device_name");
  plexauth_client *client = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status s = plexauth_client_new(&client, cfg, &err);
  plexauth_config_free(cfg);
  if (s != PLEXAUTH_OK) die(program, std::string("plexauth_client_new: ") + plexauth_error_message(err));
  return client;
}

}  // namespace plexauth_bench
