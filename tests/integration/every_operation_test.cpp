// Behaviour every operation shares, checked for each of the four: error
// classification with Plex's codes kept, retries with exact attempt counts,
// Retry-After, timeouts, cancellation, connection reuse, and bad responses.
// The operation-specific files show each operation's success in detail.
#include <functional>
#include <ostream>
#include <vector>

#include "support.h"

namespace itest {
namespace {

// One operation, called the way an application would (as account A).
struct Operation {
  const char *name;
  const char *path;
  bool is_get;         // 429 is retried on GET operations only
  bool plex_tv;        // which base URL serves it
  int success_status;  // 200, or 201 for sign-in
  std::function<Outcome(plexauth_client *, const plexauth_call_options *)> call;
};

// Test names and messages show the operation's name.
void PrintTo(const Operation &op, std::ostream *os) { *os << op.name; }

// A result without its value: what the shared tests look at.
template <class T>
Outcome outcome(Result<T> r) {
  return Outcome{r.status, std::move(r.error)};
}

const std::vector<Operation> &operations() {
  static const std::vector<Operation> ops = {
      {"GetTransientToken", kTokenPath, true, false, 200,
       [](plexauth_client *c, const plexauth_call_options *o) { return outcome(get_transient_token(c, o)); }},
      {"GetSourceConnectionInformation", kResourcesPath, true, false, 200,
       [](plexauth_client *c, const plexauth_call_options *o) {
         return outcome(get_source_info(c, seed::kSource, o));
       }},
      {"GetTokenDetails", kUserPath, true, true, 200,
       [](plexauth_client *c, const plexauth_call_options *o) { return outcome(get_token_details(c, o)); }},
      {"PostUsersSignInData", kSignInPath, false, true, 201,
       [](plexauth_client *c, const plexauth_call_options *o) {
         auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
         return outcome(sign_in(c, req.get(), o));
       }},
  };
  return ops;
}

class EveryOperation : public Integration, public ::testing::WithParamInterface<Operation> {
 protected:
  const Operation &op() const { return GetParam(); }
  Outcome call(const plexauth_call_options *opts = nullptr) { return op().call(client.get(), opts); }
  void queue(std::vector<Fault> faults) { fake.add_faults(op().path, std::move(faults)); }
  size_t requests_seen() const { return fake.requests_to(op().path).size(); }
  unsigned attempts(const Outcome &r) const { return plexauth_error_attempts(r.error.get()); }

  // A fault that keeps the operation's success status (200 or 201).
  Fault success_with(Fault f) const {
    f.status = op().success_status;
    return f;
  }
  Owned<plexauth_call_options> no_retry() const {
    auto opts = call_options();
    EXPECT_EQ(plexauth_call_options_set_retry(opts.get(), nullptr), PLEXAUTH_OK);
    return opts;
  }
  Owned<plexauth_client> client_with_max_response_bytes(size_t bytes) const {
    auto cfg = fake_config(fake, seed::kTokenA);
    EXPECT_EQ(plexauth_config_set_max_response_bytes(cfg.get(), bytes), PLEXAUTH_OK);
    return new_client(cfg.get());
  }
};

// ------------------------------------------------------------------ the request

TEST_P(EveryOperation, SendsTheIdentityOnEveryRequest) {
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, op().is_get ? "GET" : "POST");
  EXPECT_EQ(sent[0].path, op().path);
  expect_identity(sent[0]);
  EXPECT_EQ(sent[0].header("Accept"), "application/json");
  EXPECT_EQ(sent[0].header("User-Agent"), kUserAgent);
  // The token goes everywhere except sign-in.
  EXPECT_EQ(sent[0].header("X-Plex-Token").has_value(), op().is_get);
}

// ------------------------------------------------------------------ errors

TEST_P(EveryOperation, BadRequestKeepsPlexErrors) {
  queue({plex_error_fault(400, 1000, "X-Plex-Client-Identifier is missing")});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_E_BAD_REQUEST) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 400);
  ASSERT_EQ(plexauth_error_plex_errors_count(r.error.get()), 1u);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1000 X-Plex-Client-Identifier is missing 400");
  EXPECT_STREQ(plexauth_error_content_type(r.error.get()), kJson);
  EXPECT_EQ(attempts(r), 1u);
  EXPECT_EQ(requests_seen(), 1u);
}

TEST_P(EveryOperation, UnauthorizedKeepsPlexErrors) {
  queue({plex_error_fault(401, 1001, "User could not be authenticated")});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 User could not be authenticated 401");
  EXPECT_EQ(plex_error(r.error.get(), 1), "");
  size_t len = 0;
  const char *body = plexauth_error_body(r.error.get(), &len);
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(std::string(body, len), R"({"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]})");
  EXPECT_EQ(attempts(r), 1u);
  EXPECT_EQ(requests_seen(), 1u);
}

TEST_P(EveryOperation, OtherClientErrorsAreHttpErrors) {
  queue({body_fault(403, "<html>Forbidden</html>", "text/html")});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 403);
  EXPECT_STREQ(plexauth_error_body(r.error.get(), nullptr), "<html>Forbidden</html>");
  EXPECT_EQ(requests_seen(), 1u);
}

// ------------------------------------------------------------------ retries

TEST_P(EveryOperation, ServerErrorsAreRetriedUntilSuccess) {
  queue({status_fault(500), status_fault(502), status_fault(503)});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(requests_seen(), 4u);
}

TEST_P(EveryOperation, ServerErrorsStopAtMaxAttempts) {
  queue({status_fault(503), status_fault(503), status_fault(503), status_fault(503), status_fault(503)});
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), fast_retry(3).get()), PLEXAUTH_OK);
  auto r = call(opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 503);
  EXPECT_EQ(attempts(r), 3u);
  EXPECT_EQ(requests_seen(), 3u);
}

TEST_P(EveryOperation, NoRetryForThisCall) {
  queue({status_fault(503)});
  auto r = call(no_retry().get());
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  EXPECT_EQ(attempts(r), 1u);
  EXPECT_EQ(requests_seen(), 1u);
  // The client's own policy still applies to the next call.
  queue({status_fault(503)});
  EXPECT_EQ(call().status, PLEXAUTH_OK);
  EXPECT_EQ(requests_seen(), 3u);
}

TEST_P(EveryOperation, ServiceUnavailableWaitsForRetryAfter) {
  queue({status_fault(503, "1")});
  const auto start = Clock::now();
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_GE(ms_since(start), 900);
  EXPECT_LT(ms_since(start), 5000);
  EXPECT_EQ(requests_seen(), 2u);
}

TEST_P(EveryOperation, RateLimitedWithRetryAfterSeconds) {
  queue({status_fault(429, "1")});
  const auto start = Clock::now();
  auto r = call();
  if (op().is_get) {
    ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    EXPECT_GE(ms_since(start), 900);
    EXPECT_LT(ms_since(start), 5000);
    EXPECT_EQ(requests_seen(), 2u);
  } else {
    // Sign-in is never retried after a 4XX: repeated sign-ins lock the IP out.
    ASSERT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
    EXPECT_EQ(retry_after_ms(r.error.get()), 1000);
    EXPECT_EQ(attempts(r), 1u);
    EXPECT_EQ(requests_seen(), 1u);
    EXPECT_LT(ms_since(start), 900);
  }
}

TEST_P(EveryOperation, RateLimitedWithRetryAfterHttpDate) {
  queue({status_fault(429, http_date_in(std::chrono::seconds(2)))});
  const auto start = Clock::now();
  auto r = call();
  if (op().is_get) {
    ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    EXPECT_GE(ms_since(start), 900);  // the date has one-second resolution
    EXPECT_LT(ms_since(start), 5000);
    EXPECT_EQ(requests_seen(), 2u);
  } else {
    ASSERT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
    const auto wait = retry_after_ms(r.error.get());
    ASSERT_TRUE(wait.has_value());
    EXPECT_GT(*wait, 0);
    EXPECT_LE(*wait, 3000);
    EXPECT_EQ(attempts(r), 1u);
    EXPECT_EQ(requests_seen(), 1u);
  }
}

TEST_P(EveryOperation, RetryAfterIsReportedInTheError) {
  queue({status_fault(429, "7")});
  auto r = call(no_retry().get());
  ASSERT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 429);
  EXPECT_EQ(retry_after_ms(r.error.get()), 7000);
  EXPECT_EQ(attempts(r), 1u);
}

// ------------------------------------------------------------------ timeouts and cancellation

TEST_P(EveryOperation, PerAttemptTimeout) {
  queue({delay_fault(3000)});
  auto opts = no_retry();
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(opts.get(), 200), PLEXAUTH_OK);
  const auto start = Clock::now();
  auto r = call(opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TIMEOUT) << describe(r);
  EXPECT_LT(ms_since(start), 2000);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 0);
  EXPECT_EQ(attempts(r), 1u);
}

TEST_P(EveryOperation, TimedOutAttemptIsRetried) {
  queue({delay_fault(3000)});
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(opts.get(), 300), PLEXAUTH_OK);
  auto r = call(opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(requests_seen(), 2u);
}

TEST_P(EveryOperation, SlowDripTimesOut) {
  Fault drip;
  drip.drip_ms = 100;  // the ~1.5 KB body would take minutes
  queue({success_with(drip)});
  auto opts = no_retry();
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(opts.get(), 300), PLEXAUTH_OK);
  const auto start = Clock::now();
  auto r = call(opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TIMEOUT) << describe(r);
  EXPECT_LT(ms_since(start), 2000);
}

TEST_P(EveryOperation, CancelFromAnotherThreadDuringTheTransfer) {
  queue({delay_fault(5000)});
  auto cancel = new_cancel();
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_cancel(opts.get(), cancel.get()), PLEXAUTH_OK);
  CancelFromAnotherThread canceller(fake, op().path, cancel.get(), std::chrono::milliseconds(50));
  auto r = call(opts.get());
  const auto returned = Clock::now();
  ASSERT_EQ(r.status, PLEXAUTH_E_CANCELLED) << describe(r);
  const long long latency = canceller.latency_ms(returned);
  EXPECT_GE(latency, 0);
  EXPECT_LT(latency, 500);
  EXPECT_EQ(plexauth_cancel_is_triggered(cancel.get()), 1);
}

TEST_P(EveryOperation, CancelFromAnotherThreadDuringTheBackoffWait) {
  queue({status_fault(503)});
  auto cancel = new_cancel();
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), slow_retry().get()), PLEXAUTH_OK);  // waits 20 s
  ASSERT_EQ(plexauth_call_options_set_cancel(opts.get(), cancel.get()), PLEXAUTH_OK);
  CancelFromAnotherThread canceller(fake, op().path, cancel.get(), std::chrono::milliseconds(100));
  auto r = call(opts.get());
  const auto returned = Clock::now();
  ASSERT_EQ(r.status, PLEXAUTH_E_CANCELLED) << describe(r);
  const long long latency = canceller.latency_ms(returned);
  EXPECT_GE(latency, 0);
  EXPECT_LT(latency, 500);
  EXPECT_EQ(attempts(r), 1u);
  EXPECT_EQ(requests_seen(), 1u);
}

TEST_P(EveryOperation, AlreadyCancelledCallSendsNothing) {
  auto cancel = new_cancel();
  plexauth_cancel_trigger(cancel.get());
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_cancel(opts.get(), cancel.get()), PLEXAUTH_OK);
  auto r = call(opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_CANCELLED) << describe(r);
  EXPECT_EQ(attempts(r), 0u);
  EXPECT_EQ(requests_seen(), 0u);
}

// ------------------------------------------------------------------ connections

TEST_P(EveryOperation, HundredSequentialCallsShareOneConnection) {
  for (int i = 0; i < 100; ++i) {
    auto r = call();
    ASSERT_EQ(r.status, PLEXAUTH_OK) << "call " << i << ": " << describe(r);
  }
  EXPECT_EQ(requests_seen(), 100u);
  EXPECT_EQ(fake.connection_count(), 1u);
}

TEST_P(EveryOperation, PerCallServerUrlOverridesTheClient) {
  // A client whose configured servers are gone...
  std::string gone_pms;
  std::string gone_plex_tv;
  {
    FakePlex gone;
    gone_pms = gone.base_url();
    gone_plex_tv = gone.plex_tv_url();
  }
  auto cfg = fake_config(fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_server_url(cfg.get(), gone_pms.c_str()), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_plex_tv_url(cfg.get(), gone_plex_tv.c_str()), PLEXAUTH_OK);
  auto lost = new_client(cfg.get());

  auto refused = op().call(lost.get(), no_retry().get());
  ASSERT_EQ(refused.status, PLEXAUTH_E_TRANSPORT) << describe(refused);
  EXPECT_EQ(plexauth_error_http_status(refused.error.get()), 0);
  EXPECT_EQ(plexauth_error_attempts(refused.error.get()), 1u);

  // ...reaches the fake when the call names the server.
  auto opts = call_options();
  const std::string url = op().plex_tv ? fake.plex_tv_url() : fake.base_url();
  ASSERT_EQ(plexauth_call_options_set_server_url(opts.get(), url.c_str()), PLEXAUTH_OK);
  auto r = op().call(lost.get(), opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(requests_seen(), 1u);
}

TEST_P(EveryOperation, DroppedConnectionIsATransportError) {
  Fault drop;
  drop.drop = true;
  queue({success_with(drop)});
  auto r = call(no_retry().get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TRANSPORT) << describe(r);
  EXPECT_EQ(attempts(r), 1u);
}

TEST_P(EveryOperation, DroppedConnectionIsRetried) {
  Fault drop;
  drop.drop = true;
  queue({success_with(drop)});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(requests_seen(), 2u);
}

// ------------------------------------------------------------------ bad responses

TEST_P(EveryOperation, HtmlInsteadOfJsonIsMalformed) {
  queue({body_fault(op().success_status, "<html><body>Plex Web</body></html>", "text/html")});
  auto r = call();
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), op().success_status);
  EXPECT_STREQ(plexauth_error_content_type(r.error.get()), "text/html");
  EXPECT_EQ(attempts(r), 1u);  // a malformed answer is not retried
  EXPECT_EQ(requests_seen(), 1u);
}

TEST_P(EveryOperation, TruncatedJsonIsMalformed) {
  Fault cut;
  cut.truncated_json = true;
  queue({cut});
  auto r = call();
  EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
}

TEST_P(EveryOperation, DeeplyNestedJsonIsMalformed) {
  Fault deep;
  deep.nested_depth = 100000;
  queue({success_with(deep)});
  auto r = call();
  EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
}

TEST_P(EveryOperation, InvalidUtf8IsMalformed) {
  Fault bad;
  bad.invalid_utf8 = true;
  queue({bad});
  auto r = call();
  EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
}

TEST_P(EveryOperation, GzipBodyIsDecoded) {
  Fault gz;
  gz.gzip = true;
  queue({gz});
  auto r = call();
  EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
}

TEST_P(EveryOperation, BodyOverTheCapIsTooLarge) {
  auto small = client_with_max_response_bytes(64 * 1024);
  Fault big;
  big.oversized_bytes = 1024 * 1024;
  queue({success_with(big)});
  auto r = op().call(small.get(), nullptr);
  ASSERT_EQ(r.status, PLEXAUTH_E_RESPONSE_TOO_LARGE) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
}

TEST_P(EveryOperation, GzipBombIsTooLarge) {
  auto small = client_with_max_response_bytes(64 * 1024);
  Fault bomb;
  bomb.gzip = true;
  bomb.oversized_bytes = 64 * 1024 * 1024;  // about 64 KB on the wire
  queue({success_with(bomb)});
  auto r = op().call(small.get(), nullptr);
  ASSERT_EQ(r.status, PLEXAUTH_E_RESPONSE_TOO_LARGE) << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Plex, EveryOperation, ::testing::ValuesIn(operations()),
                         [](const ::testing::TestParamInfo<Operation> &p) { return p.param.name; });

}  // namespace
}  // namespace itest
