// extern "C" implementation of the hand-written part of plexauth.h (the
// generated part is in generated.cpp, the raw response in results.cpp).
// Pure translation: defaults and validation live in the core.
#include <cmath>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "capi/support.h"

using plexauth::fail;
using plexauth::Status;
using plexauth::capi::guard;
using plexauth::capi::require;
using plexauth::capi::start_call;
using plexauth::capi::text_or_null;

namespace {

// A C caller may pass any int where the header says enum, but reading a value
// outside the enum's range as the C++ enum type is undefined: read the bits.
template <class E>
int enum_value(const E &e) noexcept {
  static_assert(sizeof(E) == sizeof(int));
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

template <class H, class F>
plexauth_status set(H *h, const char *what, F &&f) noexcept {
  return guard(nullptr, [&] {
    require(h, what);
    f(*h);
  });
}

template <class T>
plexauth_status make(T **out) noexcept {
  return guard(nullptr, [&] {
    require(out, "out");
    *out = nullptr;
    *out = new T();
  });
}

}  // namespace

extern "C" {

/* ---------------------------------------------------------------- version */

const char *plexauth_version(int *major, int *minor, int *patch) {
  if (major) *major = PLEXAUTH_VERSION_MAJOR;
  if (minor) *minor = PLEXAUTH_VERSION_MINOR;
  if (patch) *patch = PLEXAUTH_VERSION_PATCH;
  return PLEXAUTH_VERSION_STRING;
}

const char *plexauth_status_name(plexauth_status status) {
  const int value = enum_value(status);
  const char *name = "unknown";
  switch (value) {  // only values the enum has may be converted
#define PLEXAUTH_STATUS_KNOWN(n, v, text) \
  case v:                                 \
    name = text;                          \
    break;
    PLEXAUTH_STATUSES(PLEXAUTH_STATUS_KNOWN)
#undef PLEXAUTH_STATUS_KNOWN
  }
  return name;
}

/* ---------------------------------------------------------------- errors */

void plexauth_error_free(plexauth_error *err) { delete err; }

plexauth_status plexauth_error_status(const plexauth_error *err) {
  return err ? static_cast<plexauth_status>(err->info.status) : PLEXAUTH_E_INVALID_ARGUMENT;
}
const char *plexauth_error_message(const plexauth_error *err) { return err ? err->info.message.c_str() : ""; }
int plexauth_error_http_status(const plexauth_error *err) { return err ? err->info.http_status : 0; }
unsigned plexauth_error_attempts(const plexauth_error *err) { return err ? err->info.attempts : 0; }
int plexauth_error_retry_after_ms(const plexauth_error *err, int64_t *out) {
  if (!err || !out || !err->info.retry_after_ms) return 0;
  *out = *err->info.retry_after_ms;
  return 1;
}
size_t plexauth_error_plex_errors_count(const plexauth_error *err) { return err ? err->info.plex_errors.size() : 0; }
static const plexauth::PlexErrorEntry *plex_entry(const plexauth_error *err, size_t i) {
  return (err && i < err->info.plex_errors.size()) ? &err->info.plex_errors[i] : nullptr;
}
int plexauth_error_plex_error_code(const plexauth_error *err, size_t index, int64_t *out) {
  const auto *e = plex_entry(err, index);
  if (!e || !out || !e->code) return 0;
  *out = *e->code;
  return 1;
}
int plexauth_error_plex_error_status(const plexauth_error *err, size_t index, int64_t *out) {
  const auto *e = plex_entry(err, index);
  if (!e || !out || !e->status) return 0;
  *out = *e->status;
  return 1;
}
const char *plexauth_error_plex_error_message(const plexauth_error *err, size_t index) {
  const auto *e = plex_entry(err, index);
  return (e && e->message) ? e->message->c_str() : nullptr;
}
const char *plexauth_error_content_type(const plexauth_error *err) {
  return (err && err->info.content_type) ? err->info.content_type->c_str() : nullptr;
}
const char *plexauth_error_body(const plexauth_error *err, size_t *len) {
  if (len) *len = 0;
  if (!err || !err->info.body) return nullptr;
  if (len) *len = err->info.body->size();
  return err->info.body->c_str();
}

/* ---------------------------------------------------------------- token sink */

plexauth_status plexauth_token_sink_set(plexauth_token_sink *sink, const char *token, size_t len) {
  return guard(nullptr, [&] {
    require(sink, "sink");
    try {
      require(token, "token");
      plexauth::check_text(std::string_view(token, len), "token");
    } catch (...) {
      sink->refused = true;  // sticky: the call fails even if a later set succeeds
      throw;
    }
    sink->token = std::string(token, len);
  });
}

/* ---------------------------------------------------------------- retry */

plexauth_status plexauth_retry_new(plexauth_retry **out) { return make(out); }
void plexauth_retry_free(plexauth_retry *retry) { delete retry; }

plexauth_status plexauth_retry_set_initial_interval_ms(plexauth_retry *retry, int64_t ms) {
  return set(retry, "retry", [&](plexauth_retry &r) {
    plexauth::check_retry_interval_ms(ms, "initial interval");
    r.p.initial_interval_ms = ms;
  });
}
plexauth_status plexauth_retry_set_max_interval_ms(plexauth_retry *retry, int64_t ms) {
  return set(retry, "retry", [&](plexauth_retry &r) {
    plexauth::check_retry_interval_ms(ms, "max interval");
    r.p.max_interval_ms = ms;
  });
}
plexauth_status plexauth_retry_set_exponent(plexauth_retry *retry, double exponent) {
  return set(retry, "retry", [&](plexauth_retry &r) {
    plexauth::check_retry_exponent(exponent);
    r.p.exponent = exponent;
  });
}
plexauth_status plexauth_retry_set_max_elapsed_ms(plexauth_retry *retry, int64_t ms) {
  return set(retry, "retry", [&](plexauth_retry &r) {
    plexauth::check_max_elapsed_ms(ms);
    r.p.max_elapsed_ms = ms;
  });
}
plexauth_status plexauth_retry_set_max_attempts(plexauth_retry *retry, unsigned attempts) {
  return set(retry, "retry", [&](plexauth_retry &r) { r.p.max_attempts = attempts; });
}
plexauth_status plexauth_retry_set_retry_connection_errors(plexauth_retry *retry, int enabled) {
  return set(retry, "retry", [&](plexauth_retry &r) { r.p.retry_connection_errors = enabled != 0; });
}

/* ---------------------------------------------------------------- cancel */

plexauth_status plexauth_cancel_new(plexauth_cancel **out) {
  return guard(nullptr, [&] {
    require(out, "out");
    *out = nullptr;
    *out = new plexauth_cancel{std::make_shared<plexauth::CancelToken>()};
  });
}
void plexauth_cancel_trigger(plexauth_cancel *cancel) {
  if (!cancel) return;
  try {
    cancel->t->trigger();
  } catch (...) {
  }
}
int plexauth_cancel_is_triggered(const plexauth_cancel *cancel) { return (cancel && cancel->t->triggered()) ? 1 : 0; }
void plexauth_cancel_free(plexauth_cancel *cancel) { delete cancel; }

/* ---------------------------------------------------------------- config */

plexauth_status plexauth_config_new(plexauth_config **out) { return make(out); }
void plexauth_config_free(plexauth_config *cfg) { delete cfg; }

plexauth_status plexauth_config_set_access_token(plexauth_config *cfg, const char *token) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    if (token) {
      plexauth::check_text(token, "access token");
      c.cfg.access_token = plexauth::Secret(token);
    } else {
      c.cfg.access_token.reset();
    }
    c.cfg.token_provider = nullptr;
  });
}

plexauth_status plexauth_config_set_token_provider(plexauth_config *cfg, plexauth_token_provider_fn fn,
                                                   void *user_data, void (*destroy)(void *)) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    if (!fn) {
      c.cfg.token_provider = nullptr;
      if (destroy) destroy(user_data);
      return;
    }
    // Shared by every copy of the config (and the clients made from it);
    // destroy runs when the last one lets go. It is armed only once nothing
    // can fail any more, so a failed call leaves user_data to the caller.
    struct Owner {
      void *data;
      void (*destroy)(void *);
      bool armed = false;
      ~Owner() {
        if (armed && destroy) destroy(data);
      }
    };
    auto owner = std::make_shared<Owner>(Owner{user_data, destroy});
    plexauth::TokenProvider provider = [fn, owner]() -> std::optional<std::string> {
      plexauth_token_sink sink;
      int rc = 0;
      try {
        rc = fn(owner->data, &sink);
      } catch (...) {
        rc = -1;
      }
      if (rc != 0) fail(Status::Callback, "the token provider reported a failure (" + std::to_string(rc) + ")");
      if (sink.refused) fail(Status::Callback, "the token provider gave a token that was refused");
      return std::move(sink.token);
    };
    c.cfg.token_provider.swap(provider);
    c.cfg.access_token.reset();
    owner->armed = true;
  });
}


plexauth_status plexauth_config_set_server_url(plexauth_config *cfg, const char *url) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    c.cfg.server_url = url ? std::optional<std::string>(plexauth::check_base_url(url, "server URL")) : std::nullopt;
  });
}
plexauth_status plexauth_config_set_server_protocol(plexauth_config *cfg, const char *protocol) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    if (!protocol) {
      c.cfg.server_protocol = plexauth::kDefaultServerProtocol;
      return;
    }
    plexauth::check_protocol(protocol);
    c.cfg.server_protocol = protocol;
  });
}
plexauth_status plexauth_config_set_server_ip(plexauth_config *cfg, const char *ip) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    if (!ip) {
      c.cfg.server_ip = plexauth::kDefaultServerIp;
      return;
    }
    plexauth::check_host(ip);
    c.cfg.server_ip = ip;
  });
}
plexauth_status plexauth_config_set_server_port(plexauth_config *cfg, int port) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    plexauth::check_port(port);
    c.cfg.server_port = port;
  });
}
plexauth_status plexauth_config_set_plex_tv_url(plexauth_config *cfg, const char *url) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    c.cfg.plex_tv_url = url ? plexauth::check_base_url(url, "plex.tv URL") : plexauth::kDefaultPlexTvUrl;
  });
}
plexauth_status plexauth_config_set_clients_url(plexauth_config *cfg, const char *url) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    c.cfg.clients_url = url ? plexauth::check_base_url(url, "clients.plex.tv URL") : plexauth::kDefaultClientsUrl;
    c.cfg.clients_url_set = url != nullptr;
  });
}

plexauth_status plexauth_config_set_connect_timeout_ms(plexauth_config *cfg, int64_t ms) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    plexauth::check_timeout_ms(ms);
    c.cfg.connect_timeout_ms = ms;
  });
}
plexauth_status plexauth_config_set_timeout_ms(plexauth_config *cfg, int64_t ms) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    plexauth::check_timeout_ms(ms);
    c.cfg.timeout_ms = ms;
  });
}
plexauth_status plexauth_config_set_retry(plexauth_config *cfg, const plexauth_retry *retry) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    c.cfg.retry = retry ? std::optional<plexauth::RetryPolicy>(retry->p) : std::nullopt;
  });
}
plexauth_status plexauth_config_set_max_response_bytes(plexauth_config *cfg, size_t bytes) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    plexauth::check_max_response_bytes(bytes);
    c.cfg.max_response_bytes = bytes;
  });
}
plexauth_status plexauth_config_set_ca_bundle(plexauth_config *cfg, const char *path) {
  return set(cfg, "cfg", [&](plexauth_config &c) { c.cfg.ca_bundle = text_or_null(path, "CA bundle path"); });
}
plexauth_status plexauth_config_set_insecure_skip_tls_verify(plexauth_config *cfg, int insecure) {
  return set(cfg, "cfg", [&](plexauth_config &c) { c.cfg.insecure_skip_tls_verify = insecure != 0; });
}
plexauth_status plexauth_config_set_use_env_proxy(plexauth_config *cfg, int use) {
  return set(cfg, "cfg", [&](plexauth_config &c) { c.cfg.use_env_proxy = use != 0; });
}
plexauth_status plexauth_config_set_pin_plex_direct(plexauth_config *cfg, int pin) {
  return set(cfg, "cfg", [&](plexauth_config &c) { c.cfg.pin_plex_direct = pin != 0; });
}
plexauth_status plexauth_config_set_log(plexauth_config *cfg, plexauth_log_level max_level, plexauth_log_fn fn,
                                        void *user_data) {
  return set(cfg, "cfg", [&](plexauth_config &c) {
    const int max = enum_value(max_level);
    plexauth::check_log_level(max);
    c.cfg.log_level = static_cast<plexauth::LogLevel>(max);
    if (!fn) {
      c.cfg.log = nullptr;
      return;
    }
    c.cfg.log = [fn, user_data](plexauth::LogLevel level, const std::string &msg) {
      fn(user_data, static_cast<plexauth_log_level>(level), msg.c_str());
    };
  });
}

/* ---------------------------------------------------------------- client */

plexauth_status plexauth_client_new(plexauth_client **out, const plexauth_config *cfg, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(cfg, "cfg");
    *out = new plexauth_client(cfg->cfg);
  });
}
void plexauth_client_free(plexauth_client *client) { delete client; }

/* ---------------------------------------------------------------- call options */

plexauth_status plexauth_call_options_new(plexauth_call_options **out) { return make(out); }
void plexauth_call_options_free(plexauth_call_options *opts) { delete opts; }

plexauth_status plexauth_call_options_set_server_url(plexauth_call_options *opts, const char *url) {
  return set(opts, "opts", [&](plexauth_call_options &o) {
    o.o.server_url = url ? std::optional<std::string>(plexauth::check_base_url(url, "server URL")) : std::nullopt;
  });
}
plexauth_status plexauth_call_options_set_timeout_ms(plexauth_call_options *opts, int64_t ms) {
  return set(opts, "opts", [&](plexauth_call_options &o) {
    if (ms == -1) {
      o.o.timeout_ms.reset();
      return;
    }
    plexauth::check_timeout_ms(ms);
    o.o.timeout_ms = ms;
  });
}
plexauth_status plexauth_call_options_set_retry(plexauth_call_options *opts, const plexauth_retry *retry) {
  return set(opts, "opts", [&](plexauth_call_options &o) {
    o.o.retry_overridden = true;
    o.o.retry = retry ? std::optional<plexauth::RetryPolicy>(retry->p) : std::nullopt;
  });
}
plexauth_status plexauth_call_options_clear_retry(plexauth_call_options *opts) {
  return set(opts, "opts", [&](plexauth_call_options &o) {
    o.o.retry_overridden = false;
    o.o.retry.reset();
  });
}
plexauth_status plexauth_call_options_set_cancel(plexauth_call_options *opts, plexauth_cancel *cancel) {
  return set(opts, "opts", [&](plexauth_call_options &o) { o.o.cancel = cancel ? cancel->t : nullptr; });
}

/* ---------------------------------------------------------------- sign-in request */

plexauth_status plexauth_sign_in_new(plexauth_sign_in **out) { return make(out); }
void plexauth_sign_in_free(plexauth_sign_in *req) { delete req; }

plexauth_status plexauth_sign_in_set_login(plexauth_sign_in *req, const char *login) {
  return set(req, "req", [&](plexauth_sign_in &r) { r.r.login = text_or_null(login, "login"); });
}
plexauth_status plexauth_sign_in_set_password(plexauth_sign_in *req, const char *password) {
  return set(req, "req", [&](plexauth_sign_in &r) {
    if (!password) {
      r.r.password.reset();
      return;
    }
    plexauth::check_text(password, "password");
    r.r.password = plexauth::Secret(password);
  });
}
plexauth_status plexauth_sign_in_set_remember_me(plexauth_sign_in *req, int remember_me) {
  return set(req, "req", [&](plexauth_sign_in &r) { r.r.remember_me = remember_me != 0; });
}
plexauth_status plexauth_sign_in_set_verification_code(plexauth_sign_in *req, const char *code) {
  return set(req, "req", [&](plexauth_sign_in &r) {
    if (!code) {
      r.r.verification_code.reset();
      return;
    }
    plexauth::check_text(code, "verification code", 64);
    r.r.verification_code = plexauth::Secret(code);
  });
}

/* ---------------------------------------------------------------- operations */

plexauth_status plexauth_client_post_users_sign_in_data(plexauth_account **out, plexauth_client *client,
                                                        const plexauth_sign_in *req,
                                                        const plexauth_call_options *opts, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    require(req, "req");
    auto r = client->c.post_users_sign_in_data(req->r, opts ? &opts->o : nullptr);
    *out = new plexauth_account(std::move(r.response), std::move(r.value));
  });
}

plexauth_status plexauth_client_post_users_sign_in_data_start(plexauth_call **call, plexauth_client *client,
                                                              const plexauth_sign_in *req,
                                                              const plexauth_call_options *opts, plexauth_loop *loop,
                                                              plexauth_call_done_fn done, void *user_data,
                                                              plexauth_error **err) {
  return guard(err, [&] {
    require(call, "call");
    *call = nullptr;
    require(client, "client");
    require(req, "req");
    const plexauth::Secret form = plexauth::encode_sign_in_form(req->r);
    *call = start_call<plexauth::Account>(client, plexauth::op::kPostUsersSignInData,
                                          plexauth::sign_in_input(req->r, form), opts, loop, done, user_data);
  });
}

}  // extern "C"
