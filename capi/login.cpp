// The login journey's local helpers in the C ABI: the stored client
// identifier, the hosted login URL, waiting for a PIN's approval, and the
// per-call access token. Translation only (src/login has the logic).
#include <cstring>

#include "capi/support.h"
#include "login/login.h"

using plexauth::fail;
using plexauth::Status;
using plexauth::capi::guard;
using plexauth::capi::require;

namespace {

// copy_text (capi/support.h), and *needed (if not NULL) the size it takes.
void copy_out(const std::string &s, char *out, size_t out_size, size_t *needed, const char *what) {
  if (needed) *needed = s.size() + 1;
  plexauth::capi::copy_text(s, out, out_size, what);
}

}  // namespace

extern "C" {

plexauth_status plexauth_client_id_load_or_create(const char *path, char *out, size_t out_size, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    const std::string file = path ? std::string(path) : plexauth::default_client_id_path();
    copy_out(plexauth::load_or_create_client_id(file), out, out_size, nullptr, "the client identifier");
  });
}

plexauth_status plexauth_login_url(const plexauth_client *client, const char *code, const char *forward_url,
                                   char *out, size_t out_size, size_t *needed, plexauth_error **err) {
  if (needed) *needed = 0;
  return guard(err, [&] {
    require(client, "client");
    require(code, "code");
    const plexauth::Identity &id = client->c.config().identity;
    copy_out(plexauth::login_url(id.client_id.value_or(""), code, id.client_name.value_or(""),
                                 forward_url ? forward_url : ""),
             out, out_size, needed, "the login URL");
  });
}

plexauth_status plexauth_client_wait_for_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                             int64_t poll_interval_ms, int64_t timeout_ms,
                                             plexauth_pin_progress_fn progress, void *user_data,
                                             const plexauth_call_options *opts, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    const plexauth::PinWait wait = plexauth::capi::pin_wait(poll_interval_ms, timeout_ms, progress, user_data);
    auto r = plexauth::wait_for_pin(client->c, id, wait, opts ? &opts->o : nullptr);
    *out = new plexauth_pin(std::move(r.response), std::move(r.value));
  });
}

plexauth_status plexauth_call_options_set_access_token(plexauth_call_options *opts, const char *token) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    if (!token) {
      opts->o.access_token.reset();
      return;
    }
    plexauth::check_text(token, "access token");
    opts->o.access_token = plexauth::Secret(token);
  });
}

}  // extern "C"
