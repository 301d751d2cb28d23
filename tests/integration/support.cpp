#include "support.h"

#include <ctime>
#include <utility>

namespace itest {
namespace {

// A setter that must succeed for the test to mean anything.
void must(plexauth_status status, const char *what) {
  EXPECT_EQ(status, PLEXAUTH_OK) << what << " returned " << plexauth_status_name(status);
}

}  // namespace

std::string describe(plexauth_status status, const plexauth_error *err) {
  std::string s = plexauth_status_name(status);
  if (err != nullptr) {
    s += std::string(": ") + plexauth_error_message(err) + " (http " + std::to_string(plexauth_error_http_status(err)) +
         ", attempts " + std::to_string(plexauth_error_attempts(err)) + ")";
  }
  return s;
}

std::string plex_error(const plexauth_error *err, size_t index) {
  if (index >= plexauth_error_plex_errors_count(err)) return "";
  int64_t code = 0;
  int64_t status = 0;
  const char *message = plexauth_error_plex_error_message(err, index);
  std::string s = plexauth_error_plex_error_code(err, index, &code) ? std::to_string(code) : "-";
  s += " ";
  s += message != nullptr ? message : "-";
  s += " ";
  s += plexauth_error_plex_error_status(err, index, &status) ? std::to_string(status) : "-";
  return s;
}

std::optional<int64_t> retry_after_ms(const plexauth_error *err) {
  int64_t ms = 0;
  if (plexauth_error_retry_after_ms(err, &ms) == 0) return std::nullopt;
  return ms;
}

Owned<plexauth_retry> fast_retry(unsigned max_attempts) {
  plexauth_retry *raw = nullptr;
  must(plexauth_retry_new(&raw), "plexauth_retry_new");
  Owned<plexauth_retry> retry(raw);
  must(plexauth_retry_set_initial_interval_ms(raw, 10), "set_initial_interval_ms");
  must(plexauth_retry_set_max_interval_ms(raw, 50), "set_max_interval_ms");
  must(plexauth_retry_set_exponent(raw, 1.5), "set_exponent");
  must(plexauth_retry_set_max_elapsed_ms(raw, 10000), "set_max_elapsed_ms");
  must(plexauth_retry_set_max_attempts(raw, max_attempts), "set_max_attempts");
  return retry;
}

Owned<plexauth_retry> slow_retry() {
  Owned<plexauth_retry> retry = fast_retry();
  must(plexauth_retry_set_initial_interval_ms(retry.get(), 20000), "set_initial_interval_ms");
  must(plexauth_retry_set_max_interval_ms(retry.get(), 20000), "set_max_interval_ms");
  must(plexauth_retry_set_max_elapsed_ms(retry.get(), 60000), "set_max_elapsed_ms");
  return retry;
}

Owned<plexauth_config> fake_config(const FakePlex &fake, const char *token) {
  plexauth_config *raw = nullptr;
  must(plexauth_config_new(&raw), "plexauth_config_new");
  Owned<plexauth_config> cfg(raw);
  must(plexauth_config_set_server_url(raw, fake.base_url().c_str()), "set_server_url");
  must(plexauth_config_set_plex_tv_url(raw, fake.plex_tv_url().c_str()), "set_plex_tv_url");
  if (token != nullptr) must(plexauth_config_set_access_token(raw, token), "set_access_token");
  must(plexauth_config_set_client_id(raw, kClientId), "set_client_id");
  must(plexauth_config_set_client_name(raw, kProduct), "set_client_name");
  must(plexauth_config_set_client_version(raw, kVersion), "set_client_version");
  must(plexauth_config_set_platform(raw, kPlatform), "set_platform");
  must(plexauth_config_set_device_nickname(raw, kDevice), "set_device_nickname");
  must(plexauth_config_set_connect_timeout_ms(raw, 2000), "set_connect_timeout_ms");
  must(plexauth_config_set_timeout_ms(raw, 5000), "set_timeout_ms");
  must(plexauth_config_set_retry(raw, fast_retry().get()), "set_retry");
  return cfg;
}

Owned<plexauth_client> new_client(const plexauth_config *cfg) {
  plexauth_client *raw = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status status = plexauth_client_new(&raw, cfg, &err);
  Owned<plexauth_error> error(err);
  EXPECT_EQ(status, PLEXAUTH_OK) << describe(status, err);
  return Owned<plexauth_client>(raw);
}

Owned<plexauth_call_options> call_options() {
  plexauth_call_options *raw = nullptr;
  must(plexauth_call_options_new(&raw), "plexauth_call_options_new");
  return Owned<plexauth_call_options>(raw);
}

Owned<plexauth_cancel> new_cancel() {
  plexauth_cancel *raw = nullptr;
  must(plexauth_cancel_new(&raw), "plexauth_cancel_new");
  return Owned<plexauth_cancel>(raw);
}

Owned<plexauth_sign_in> sign_in_request(const char *login, const char *password, const char *code) {
  plexauth_sign_in *raw = nullptr;
  must(plexauth_sign_in_new(&raw), "plexauth_sign_in_new");
  Owned<plexauth_sign_in> req(raw);
  if (login != nullptr) must(plexauth_sign_in_set_login(raw, login), "set_login");
  if (password != nullptr) must(plexauth_sign_in_set_password(raw, password), "set_password");
  if (code != nullptr) must(plexauth_sign_in_set_verification_code(raw, code), "set_verification_code");
  return req;
}

Result<plexauth_transient_token> get_transient_token(plexauth_client *client, const plexauth_call_options *opts,
                                                     const char *type, const char *scope) {
  return run<plexauth_transient_token>([&](plexauth_transient_token **out, plexauth_error **err) {
    return plexauth_client_get_transient_token(out, client, type, scope, opts, err);
  });
}

Result<plexauth_source_info> get_source_info(plexauth_client *client, const char *source,
                                             const plexauth_call_options *opts) {
  return run<plexauth_source_info>([&](plexauth_source_info **out, plexauth_error **err) {
    return plexauth_client_get_source_connection_information(out, client, source, opts, err);
  });
}

Result<plexauth_pong> ping(plexauth_client *client, const plexauth_call_options *opts) {
  return run<plexauth_pong>(
      [&](plexauth_pong **out, plexauth_error **err) { return plexauth_client_ping(out, client, opts, err); });
}

Result<plexauth_account> get_token_details(plexauth_client *client, const plexauth_call_options *opts) {
  return run<plexauth_account>([&](plexauth_account **out, plexauth_error **err) {
    return plexauth_client_get_token_details(out, client, opts, err);
  });
}

Result<plexauth_account> sign_in(plexauth_client *client, const plexauth_sign_in *req,
                                 const plexauth_call_options *opts) {
  return run<plexauth_account>([&](plexauth_account **out, plexauth_error **err) {
    return plexauth_client_post_users_sign_in_data(out, client, req, opts, err);
  });
}

void expect_identity(const RecordedRequest &r) {
  EXPECT_EQ(r.header("X-Plex-Client-Identifier"), kClientId);
  EXPECT_EQ(r.header("X-Plex-Product"), kProduct);
  EXPECT_EQ(r.header("X-Plex-Version"), kVersion);
  EXPECT_EQ(r.header("X-Plex-Platform"), kPlatform);
  EXPECT_EQ(r.header("X-Plex-Device"), kDevice);
}

void expect_bodiless_get(const RecordedRequest &r, const std::string &path, const std::string &query) {
  EXPECT_EQ(r.method, "GET");
  EXPECT_EQ(r.path, path);
  EXPECT_EQ(r.query, query);
  EXPECT_EQ(r.header("Accept"), "application/json");
  EXPECT_EQ(r.header("User-Agent"), kUserAgent);
  EXPECT_FALSE(r.header("Content-Type").has_value()) << "a request without a body has no Content-Type";
  EXPECT_EQ(r.body, "");
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::string http_date_in(std::chrono::seconds ahead) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(ahead.count());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

bool wait_for_requests(const FakePlex &fake, const std::string &path, size_t n) {
  for (int i = 0; i < 1000; ++i) {
    if (fake.requests_to(path).size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

CancelFromAnotherThread::CancelFromAnotherThread(const FakePlex &fake, const std::string &path,
                                                 plexauth_cancel *cancel, std::chrono::milliseconds after)
    : thread_([this, &fake, path, cancel, after] {
        EXPECT_TRUE(wait_for_requests(fake, path, 1)) << "the call never reached the server";
        std::this_thread::sleep_for(after);
        triggered_at_ = Clock::now().time_since_epoch().count();
        plexauth_cancel_trigger(cancel);
      }) {}

CancelFromAnotherThread::~CancelFromAnotherThread() {
  if (thread_.joinable()) thread_.join();
}

long long CancelFromAnotherThread::latency_ms(Clock::time_point returned) {
  if (thread_.joinable()) thread_.join();
  const Clock::time_point triggered{Clock::duration{triggered_at_.load()}};
  return std::chrono::duration_cast<std::chrono::milliseconds>(returned - triggered).count();
}

Fault status_fault(int status, std::string retry_after) {
  Fault f;
  f.status = status;
  f.retry_after = std::move(retry_after);
  return f;
}

Fault plex_error_fault(int status, int64_t code, std::string message) {
  Fault f;
  f.status = status;
  f.errors = {PlexError{code, std::move(message), status}};
  return f;
}

Fault delay_fault(int ms) {
  Fault f;
  f.delay_ms = ms;
  return f;
}

Fault body_fault(int status, std::string body, std::string content_type) {
  Fault f;
  f.status = status;
  f.body = std::move(body);
  f.content_type = std::move(content_type);
  return f;
}

Owned<plexauth_client> Integration::client_with_token(const char *token) const {
  return new_client(fake_config(fake, token).get());
}

}  // namespace itest
