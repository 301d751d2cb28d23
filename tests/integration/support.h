// Shared pieces of the integration tests: RAII for the C handles, a client
// pointed at an in-process FakePlex, one-line wrappers of the four
// operations, and wire assertions. Everything goes through the public C ABI.
#pragma once

#include <plexauth/plexauth.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "fake_plex.h"

namespace itest {

using plexauth_fake::FakePlex;
using plexauth_fake::Fault;
using plexauth_fake::PlexError;
using plexauth_fake::RecordedRequest;
namespace seed = plexauth_fake::seed;
using Clock = std::chrono::steady_clock;

// The identity of the application under test (the seed spec's examples).
inline constexpr char kClientId[] = "3381b62b-9ab7-4e37-827b-203e9809eb58";
inline constexpr char kProduct[] = "Plex for Roku";
inline constexpr char kVersion[] = "2.4.1";
inline constexpr char kPlatform[] = "Roku";
inline constexpr char kDevice[] = "Roku 3";

inline constexpr char kUserAgent[] = "plexauth/" PLEXAUTH_VERSION_STRING;
inline constexpr char kJson[] = "application/json; charset=utf-8";

inline constexpr char kSignInPath[] = "/api/v2/users/signin";
inline constexpr char kUserPath[] = "/api/v2/user";
inline constexpr char kTokenPath[] = "/security/token";
inline constexpr char kResourcesPath[] = "/security/resources";

// ------------------------------------------------------------------ ownership

struct Free {
  void operator()(plexauth_config *p) const { plexauth_config_free(p); }
  void operator()(plexauth_client *p) const { plexauth_client_free(p); }
  void operator()(plexauth_call_options *p) const { plexauth_call_options_free(p); }
  void operator()(plexauth_retry *p) const { plexauth_retry_free(p); }
  void operator()(plexauth_cancel *p) const { plexauth_cancel_free(p); }
  void operator()(plexauth_error *p) const { plexauth_error_free(p); }
  void operator()(plexauth_sign_in *p) const { plexauth_sign_in_free(p); }
  void operator()(plexauth_loop *p) const { plexauth_loop_free(p); }
  void operator()(plexauth_call *p) const { plexauth_call_free(p); }
  void operator()(plexauth_connect_options *p) const { plexauth_connect_options_free(p); }
  void operator()(plexauth_connect_cache *p) const { plexauth_connect_cache_free(p); }
  void operator()(plexauth_connect_result *p) const { plexauth_connect_result_free(p); }
  void operator()(plexauth_device_key *p) const { plexauth_device_key_free(p); }
  void operator()(plexauth_jwt_session *p) const { plexauth_jwt_session_free(p); }
#include "free_results.gen.inc"
};
template <class T>
using Owned = std::unique_ptr<T, Free>;

// What one call gave back: its status and its error detail (on failure)...
struct Outcome {
  plexauth_status status = PLEXAUTH_E_INTERNAL;
  Owned<plexauth_error> error;
};
// ...and its result (on success).
template <class T>
struct Result : Outcome {
  Owned<T> value;
};

// "unauthorized: <message> (http 401, attempts 1)", for assertion messages.
std::string describe(plexauth_status status, const plexauth_error *err);
inline std::string describe(const Outcome &o) { return describe(o.status, o.error.get()); }

// Calls an operation as call(&out, &err) and checks the C ABI's promises:
// a result exactly on success, an error object (with that status) exactly
// on failure.
template <class T, class Call>
Result<T> run(Call &&call) {
  Result<T> r;
  T *out = nullptr;
  plexauth_error *err = nullptr;
  r.status = call(&out, &err);
  r.value.reset(out);
  r.error.reset(err);
  if (r.status == PLEXAUTH_OK) {
    EXPECT_NE(out, nullptr) << "success without a result";
    EXPECT_EQ(err, nullptr) << "success with an error object";
  } else {
    EXPECT_EQ(out, nullptr) << "failure with a result";
    EXPECT_NE(err, nullptr) << "failure without an error object";
    if (err != nullptr) {
      EXPECT_EQ(plexauth_error_status(err), r.status);
    }
  }
  return r;
}

// errors[i] of the error as "code message status", e.g.
// "1001 User could not be authenticated 401"; "" when absent.
std::string plex_error(const plexauth_error *err, size_t index);
std::optional<int64_t> retry_after_ms(const plexauth_error *err);

// ------------------------------------------------------------------ building

// Short waits so that retry tests stay fast: 10 ms, x1.5, at most 50 ms
// apart, within 10 s.
Owned<plexauth_retry> fast_retry(unsigned max_attempts = 0);
// Retries whose backoff wait is long (20 s), to cancel during the wait.
Owned<plexauth_retry> slow_retry();

// A config for the fake: both base URLs, the identity above, fast retries,
// 5 s per attempt. token may be NULL (no X-Plex-Token).
Owned<plexauth_config> fake_config(const FakePlex &fake, const char *token);
Owned<plexauth_client> new_client(const plexauth_config *cfg);
Owned<plexauth_call_options> call_options();
Owned<plexauth_cancel> new_cancel();
Owned<plexauth_sign_in> sign_in_request(const char *login, const char *password, const char *code = nullptr);

// ------------------------------------------------------------------ operations

Result<plexauth_transient_token> get_transient_token(plexauth_client *client,
                                                     const plexauth_call_options *opts = nullptr,
                                                     const char *type = nullptr, const char *scope = nullptr);
Result<plexauth_source_info> get_source_info(plexauth_client *client, const char *source,
                                             const plexauth_call_options *opts = nullptr);
Result<plexauth_account> get_token_details(plexauth_client *client, const plexauth_call_options *opts = nullptr);
Result<plexauth_pong> ping(plexauth_client *client, const plexauth_call_options *opts = nullptr);
Result<plexauth_account> sign_in(plexauth_client *client, const plexauth_sign_in *req,
                                 const plexauth_call_options *opts = nullptr);

// ------------------------------------------------------------------ wire

// The five X-Plex-* identity headers carry the config's values.
void expect_identity(const RecordedRequest &r);
// GET path?query with Accept and User-Agent, without a body or Content-Type.
void expect_bodiless_get(const RecordedRequest &r, const std::string &path, const std::string &query);

// ------------------------------------------------------------------ time

long long ms_since(Clock::time_point start);
// "Wed, 21 Oct 2015 07:28:00 GMT" for now + `ahead`.
std::string http_date_in(std::chrono::seconds ahead);
// Waits (bounded, 10 s) until the fake has recorded `n` requests to `path`.
bool wait_for_requests(const FakePlex &fake, const std::string &path, size_t n);

// Triggers a cancel token from another thread once the fake has recorded the
// first request to `path`, plus `after`. Joins in the destructor.
class CancelFromAnotherThread {
 public:
  CancelFromAnotherThread(const FakePlex &fake, const std::string &path, plexauth_cancel *cancel,
                          std::chrono::milliseconds after);
  ~CancelFromAnotherThread();
  // Milliseconds from the trigger to `returned` (when the cancelled call
  // returned); negative if it returned before the trigger. Joins first.
  long long latency_ms(Clock::time_point returned);

 private:
  std::atomic<Clock::rep> triggered_at_{0};
  std::thread thread_;
};

// ------------------------------------------------------------------ faults

Fault status_fault(int status, std::string retry_after = {});
Fault plex_error_fault(int status, int64_t code, std::string message);
Fault delay_fault(int ms);
Fault body_fault(int status, std::string body, std::string content_type);

// ------------------------------------------------------------------ fixture

// A fake Plex and a client for it signed in as account A. The client is
// freed before the fake stops.
class Integration : public ::testing::Test {
 protected:
  Owned<plexauth_client> client_with_token(const char *token) const;

  FakePlex fake;
  Owned<plexauth_client> client = client_with_token(seed::kTokenA);
};

}  // namespace itest
