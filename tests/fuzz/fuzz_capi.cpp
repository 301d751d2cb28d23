// The C ABI fed arbitrary bytes: a script of config, retry, token-provider,
// call-option and sign-in setters with fuzzed strings and numbers, then one
// of the four operations against an in-process FakePlex or a closed
// loopback port, then every getter of the result or the error.
//
// Contract checked: no crash, leak or sanitizer finding; every setter
// returns OK or INVALID_ARGUMENT; an operation returns a known status with
// exactly one of result / error, and the error's status equals the return.
// Only 127.0.0.1 is contacted: whatever URLs the script sets, the call
// options point the operation at the fake or at the closed port, with a
// short timeout and at most two attempts.
#include <plexauth/plexauth.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "fake_plex.h"
#include "fuzz_input.h"

namespace {

struct Servers {
  plexauth_fake::FakePlex fake;
  std::string closed_url;  // nothing listens there

  Servers() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    FUZZ_CHECK(fd >= 0 && bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) == 0);
    FUZZ_CHECK(getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len) == 0);
    close(fd);
    closed_url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  }
};

Servers &servers() {
  static Servers *s = new Servers;  // lives as long as the process
  return *s;
}

void setter(plexauth_status s) { FUZZ_CHECK(s == PLEXAUTH_OK || s == PLEXAUTH_E_INVALID_ARGUMENT); }

// A fuzzed string for a `const char *` parameter: NULL now and then (the
// string stops at its first NUL, as C sees it).
struct Text {
  std::string s;
  bool null = false;
  const char *c() const { return null ? nullptr : s.c_str(); }
};
Text text(fuzz::Input &in) {
  Text t;
  t.null = in.byte() % 8 == 0;
  t.s = in.str();
  return t;
}

struct Provider {
  std::string token;
  int rc = 0;
};
int provide(void *user_data, plexauth_token_sink *sink) {
  auto *p = static_cast<Provider *>(user_data);
  if (!p->token.empty()) setter(plexauth_token_sink_set(sink, p->token.data(), p->token.size()));
  return p->rc;
}
void destroy_provider(void *user_data) { delete static_cast<Provider *>(user_data); }

struct LogLines {
  size_t count = 0;
  size_t bytes = 0;
};
void on_log(void *user_data, plexauth_log_level level, const char *message) {
  auto *l = static_cast<LogLines *>(user_data);
  FUZZ_CHECK(level >= PLEXAUTH_LOG_ERROR && level <= PLEXAUTH_LOG_DEBUG && message != nullptr);
  ++l->count;
  l->bytes += std::string(message).size();
}

void set_retry(fuzz::Input &in, plexauth_retry *r) {
  for (int n = in.byte() % 8; n > 0; --n) {
    switch (in.byte() % 6) {
      case 0: setter(plexauth_retry_set_initial_interval_ms(r, static_cast<int64_t>(in.u64()))); break;
      case 1: setter(plexauth_retry_set_max_interval_ms(r, static_cast<int64_t>(in.u64()))); break;
      case 2: setter(plexauth_retry_set_exponent(r, in.f64())); break;
      case 3: setter(plexauth_retry_set_max_elapsed_ms(r, static_cast<int64_t>(in.u64()))); break;
      case 4: setter(plexauth_retry_set_max_attempts(r, in.u32())); break;
      default: setter(plexauth_retry_set_retry_connection_errors(r, static_cast<int>(in.u32()))); break;
    }
  }
}

void configure(fuzz::Input &in, plexauth_config *cfg, LogLines *log) {
  for (int step = in.byte() % 32; step > 0 && !in.empty(); --step) {
    const uint8_t which = in.byte() % 21;
    const Text t = which <= 11 ? text(in) : Text{};
    switch (which) {
      case 0: setter(plexauth_config_set_access_token(cfg, t.c())); break;
      case 1: setter(plexauth_config_set_client_id(cfg, t.c())); break;
      case 2: setter(plexauth_config_set_client_name(cfg, t.c())); break;
      case 3: setter(plexauth_config_set_client_version(cfg, t.c())); break;
      case 4: setter(plexauth_config_set_platform(cfg, t.c())); break;
      case 5: setter(plexauth_config_set_device_nickname(cfg, t.c())); break;
      case 6: setter(plexauth_config_set_server_url(cfg, t.c())); break;
      case 7: setter(plexauth_config_set_server_protocol(cfg, t.c())); break;
      case 8: setter(plexauth_config_set_server_ip(cfg, t.c())); break;
      case 9: setter(plexauth_config_set_plex_tv_url(cfg, t.c())); break;
      case 10: {  // never a real file: reading e.g. /dev/zero would hang
        const std::string path = "/nonexistent/plexauth-fuzz/" + t.s;
        setter(plexauth_config_set_ca_bundle(cfg, t.null ? nullptr : path.c_str()));
        break;
      }
      case 11: {
        auto *p = new Provider{t.s, in.byte() % 4 == 0 ? 1 : 0};
        const plexauth_status s = plexauth_config_set_token_provider(cfg, t.null ? nullptr : &provide, p,
                                                                     &destroy_provider);
        setter(s);
        if (s != PLEXAUTH_OK) delete p;  // not installed: still ours (fn == NULL destroys it at once)
        break;
      }
      case 12: setter(plexauth_config_set_server_port(cfg, static_cast<int>(in.u32()))); break;
      case 13: setter(plexauth_config_set_connect_timeout_ms(cfg, static_cast<int64_t>(in.u64()))); break;
      case 14: setter(plexauth_config_set_timeout_ms(cfg, static_cast<int64_t>(in.u64()))); break;
      case 15: setter(plexauth_config_set_max_response_bytes(cfg, static_cast<size_t>(in.u64()))); break;
      case 16: setter(plexauth_config_set_insecure_skip_tls_verify(cfg, static_cast<int>(in.u32()))); break;
      case 17: {
        const int level = static_cast<int>(in.byte() % 7) - 1;
        setter(plexauth_config_set_log(cfg, static_cast<plexauth_log_level>(level), in.byte() % 4 ? &on_log : nullptr,
                                       log));
        break;
      }
      case 18: {
        plexauth_retry *r = nullptr;
        FUZZ_CHECK(plexauth_retry_new(&r) == PLEXAUTH_OK);
        set_retry(in, r);
        setter(plexauth_config_set_retry(cfg, in.byte() % 8 ? r : nullptr));
        plexauth_retry_free(r);
        break;
      }
      default: setter(plexauth_config_set_token_provider(cfg, nullptr, nullptr, nullptr)); break;
    }
  }
}

void sign_in_fields(fuzz::Input &in, plexauth_sign_in *req) {
  for (int step = in.byte() % 12; step > 0 && !in.empty(); --step) {
    const uint8_t which = in.byte() % 9;
    const Text t = text(in);
    switch (which) {
      case 0: setter(plexauth_sign_in_set_login(req, t.c())); break;
      case 1: setter(plexauth_sign_in_set_password(req, t.c())); break;
      case 2: setter(plexauth_sign_in_set_remember_me(req, static_cast<int>(t.s.size()) - 1)); break;
      case 3: setter(plexauth_sign_in_set_verification_code(req, t.c())); break;
      case 4: setter(plexauth_sign_in_set_client_id(req, t.c())); break;
      case 5: setter(plexauth_sign_in_set_client_name(req, t.c())); break;
      case 6: setter(plexauth_sign_in_set_client_version(req, t.c())); break;
      case 7: setter(plexauth_sign_in_set_platform(req, t.c())); break;
      default: setter(plexauth_sign_in_set_device_nickname(req, t.c())); break;
    }
  }
}

void read_response(const plexauth_response *r) {
  if (r == nullptr) return;
  (void)plexauth_response_status(r);
  FUZZ_CHECK(plexauth_response_content_type(r) != nullptr);
  const size_t n = plexauth_response_headers_count(r);
  for (size_t i = 0; i <= n; ++i) {
    const char *name = plexauth_response_header_name(r, i);
    FUZZ_CHECK((name != nullptr) == (i < n));
    (void)plexauth_response_header_value(r, i);
  }
  (void)plexauth_response_header(r, "content-type");
  size_t len = 0;
  FUZZ_CHECK(plexauth_response_body(r, &len) != nullptr);
}

void read_account(const plexauth_account *a) {
  size_t len = 0;
  FUZZ_CHECK(plexauth_account_json(a, &len) != nullptr && len > 0);
  int64_t i64;
  int b;
  (void)plexauth_account_auth_token(a);
  (void)plexauth_account_username(a);
  (void)plexauth_account_id(a, &i64);
  (void)plexauth_account_ads_consent_set_at(a, &i64);
  (void)plexauth_account_two_factor_enabled(a, &b);
  for (size_t i = 0, n = plexauth_account_entitlements_count(a); i <= n; ++i) (void)plexauth_account_entitlements_at(a, i);
  for (size_t i = 0, n = plexauth_account_roles_count(a); i <= n; ++i) (void)plexauth_account_roles_at(a, i);
  if (const plexauth_profile *p = plexauth_account_profile(a)) (void)plexauth_profile_default_audio_language(p);
  if (const plexauth_subscription *s = plexauth_account_subscription(a)) {
    for (size_t i = 0, n = plexauth_subscription_features_count(s); i <= n; ++i)
      (void)plexauth_subscription_features_at(s, i);
  }
  for (size_t i = 0, n = plexauth_account_services_count(a); i <= n; ++i) {
    const plexauth_service *s = plexauth_account_services_at(a, i);
    FUZZ_CHECK((s != nullptr) == (i < n));
    (void)plexauth_service_token(s);
  }
  for (size_t i = 0, n = plexauth_account_past_subscriptions_count(a); i <= n; ++i) {
    const plexauth_past_subscription *p = plexauth_account_past_subscriptions_at(a, i);
    FUZZ_CHECK((p != nullptr) == (i < n));
    (void)plexauth_past_subscription_billing_internal_payment_method(p);
  }
  (void)plexauth_account_trials_count(a);
  read_response(plexauth_account_response(a));
}

void read_error(const plexauth_error *e, plexauth_status status) {
  FUZZ_CHECK(plexauth_error_status(e) == status);
  FUZZ_CHECK(plexauth_error_message(e) != nullptr && plexauth_error_message(e)[0] != '\0');
  (void)plexauth_error_http_status(e);
  (void)plexauth_error_attempts(e);
  int64_t v;
  (void)plexauth_error_retry_after_ms(e, &v);
  for (size_t i = 0, n = plexauth_error_plex_errors_count(e); i <= n; ++i) {
    (void)plexauth_error_plex_error_code(e, i, &v);
    (void)plexauth_error_plex_error_status(e, i, &v);
    const char *m = plexauth_error_plex_error_message(e, i);
    if (i == n) FUZZ_CHECK(m == nullptr);
  }
  (void)plexauth_error_content_type(e);
  size_t len = 1;
  const char *body = plexauth_error_body(e, &len);
  FUZZ_CHECK(body != nullptr || len == 0);
  FUZZ_CHECK(len <= 4096);
}

// Checks the out/err contract of one operation and reads what it gave.
template <class T, class Read>
void outcome(plexauth_status status, T *out, plexauth_error *err, Read read, void (*free_out)(T *)) {
  FUZZ_CHECK(status >= PLEXAUTH_OK && status <= PLEXAUTH_E_INTERNAL);
  FUZZ_CHECK(std::string(plexauth_status_name(status)) != "unknown");
  if (std::getenv("PLEXAUTH_FUZZ_VERBOSE") != nullptr)  // to check what a seed reaches
    std::fprintf(stderr, "%s: %s\n", plexauth_status_name(status), err ? plexauth_error_message(err) : "");
  if (status == PLEXAUTH_OK) {
    FUZZ_CHECK(out != nullptr && err == nullptr);
    read(out);
  } else {
    FUZZ_CHECK(out == nullptr && err != nullptr);
    FUZZ_CHECK(status != PLEXAUTH_E_INTERNAL);
    read_error(err, status);
  }
  free_out(out);
  plexauth_error_free(err);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Servers &srv = servers();
  // Nothing reads the fake's request log: emptied now and then, or a long
  // run grows by ~130 MB per million inputs toward libFuzzer's RSS limit.
  static unsigned inputs = 0;
  if (++inputs % 1024 == 0) srv.fake.clear_log();
  fuzz::Input in(data, size);
  LogLines log;
  // Any int where the header says plexauth_status, as a C caller may pass.
  const char *name = plexauth_status_name(static_cast<plexauth_status>(static_cast<int>(in.u32() % 64) - 32));
  FUZZ_CHECK(name != nullptr && name[0] != '\0');

  plexauth_config *cfg = nullptr;
  FUZZ_CHECK(plexauth_config_new(&cfg) == PLEXAUTH_OK);
  configure(in, cfg, &log);
  plexauth_client *client = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status made = plexauth_client_new(&client, cfg, &err);
  plexauth_config_free(cfg);
  if (made != PLEXAUTH_OK) {
    FUZZ_CHECK(client == nullptr && err != nullptr && made == PLEXAUTH_E_INVALID_ARGUMENT);
    read_error(err, made);
    plexauth_error_free(err);
    return 0;
  }
  FUZZ_CHECK(client != nullptr && err == nullptr);

  // Per-call options: fuzzed, then pinned to loopback, a short limit and at
  // most two quick attempts.
  plexauth_call_options *opts = nullptr;
  FUZZ_CHECK(plexauth_call_options_new(&opts) == PLEXAUTH_OK);
  setter(plexauth_call_options_set_server_url(opts, text(in).c()));
  setter(plexauth_call_options_set_timeout_ms(opts, static_cast<int64_t>(in.u64())));
  const bool use_fake = in.byte() % 4 != 0;
  const uint8_t op = in.byte() % 4;
  const std::string base = use_fake ? (op >= 2 ? srv.fake.plex_tv_url() : srv.fake.base_url())
                                    : srv.closed_url + (in.byte() % 2 ? "/api/v2" : "");
  FUZZ_CHECK(plexauth_call_options_set_server_url(opts, base.c_str()) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_call_options_set_timeout_ms(opts, 2000) == PLEXAUTH_OK);
  plexauth_retry *retry = nullptr;
  FUZZ_CHECK(plexauth_retry_new(&retry) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_retry_set_initial_interval_ms(retry, 1) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_retry_set_max_interval_ms(retry, 5) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_retry_set_max_elapsed_ms(retry, 50) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_retry_set_max_attempts(retry, 2) == PLEXAUTH_OK);
  FUZZ_CHECK(plexauth_call_options_set_retry(opts, in.byte() % 4 ? retry : nullptr) == PLEXAUTH_OK);
  plexauth_retry_free(retry);
  plexauth_cancel *cancel = nullptr;
  if (in.byte() % 8 == 0) {  // already cancelled: fails at once
    FUZZ_CHECK(plexauth_cancel_new(&cancel) == PLEXAUTH_OK);
    plexauth_cancel_trigger(cancel);
    FUZZ_CHECK(plexauth_call_options_set_cancel(opts, cancel) == PLEXAUTH_OK);
    plexauth_cancel_free(cancel);  // the options keep their reference
  }

  switch (op) {
    case 0: {
      const Text type = text(in);
      const Text scope = text(in);
      plexauth_transient_token *t = nullptr;
      const plexauth_status s = plexauth_client_get_transient_token(&t, client, type.c(), scope.c(), opts, &err);
      outcome(s, t, err, [](const plexauth_transient_token *r) {
        (void)plexauth_transient_token_token(r);
        read_response(plexauth_transient_token_response(r));
      }, &plexauth_transient_token_free);
      break;
    }
    case 1: {
      const Text source = text(in);
      plexauth_source_info *info = nullptr;
      const plexauth_status s = plexauth_client_get_source_connection_information(&info, client, source.c(), opts, &err);
      outcome(s, info, err, [](const plexauth_source_info *r) {
        (void)plexauth_source_info_name(r);
        (void)plexauth_source_info_access_token(r);
        for (size_t i = 0, n = plexauth_source_info_connections_count(r); i <= n; ++i) {
          const plexauth_connection *c = plexauth_source_info_connections_at(r, i);
          FUZZ_CHECK((c != nullptr) == (i < n));
          int64_t port;
          int flag;
          (void)plexauth_connection_uri(c);
          (void)plexauth_connection_port(c, &port);
          (void)plexauth_connection_local(c, &flag);
        }
        read_response(plexauth_source_info_response(r));
      }, &plexauth_source_info_free);
      break;
    }
    case 2: {
      plexauth_account *a = nullptr;
      const plexauth_status s = plexauth_client_get_token_details(&a, client, opts, &err);
      outcome(s, a, err, read_account, &plexauth_account_free);
      break;
    }
    default: {
      plexauth_sign_in *req = nullptr;
      FUZZ_CHECK(plexauth_sign_in_new(&req) == PLEXAUTH_OK);
      sign_in_fields(in, req);
      plexauth_account *a = nullptr;
      const plexauth_status s = plexauth_client_post_users_sign_in_data(&a, client, req, opts, &err);
      outcome(s, a, err, read_account, &plexauth_account_free);
      plexauth_sign_in_free(req);
      break;
    }
  }
  plexauth_call_options_free(opts);
  plexauth_client_free(client);
  return 0;
}
