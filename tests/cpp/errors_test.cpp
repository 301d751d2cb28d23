// Failures through the C++ API: plexauth::Error and its fields (thrown,
// returned by try_, thrown by future.get(), handed to callbacks),
// cancellation of pending async calls, and argument checks.
#include <atomic>
#include <mutex>
#include <set>
#include <vector>

#include "support.h"

namespace cpptest {
namespace {

using plexauth::Account;
using plexauth::Error;
using plexauth::Result;
using plexauth::Status;

Fault plex_error_fault(int status, std::int64_t code, std::string message) {
  Fault f;
  f.status = status;
  f.errors = {plexauth_fake::PlexError{code, std::move(message), status}};
  return f;
}

void expect_unauthorized_1001(const Error &e) {
  EXPECT_EQ(e.status(), Status::Unauthorized);
  EXPECT_EQ(e.http_status(), 401);
  EXPECT_EQ(e.attempts(), 1u);
  ASSERT_EQ(e.plex_errors().size(), 1u);
  EXPECT_EQ(e.plex_errors()[0].code, 1001);
  EXPECT_EQ(e.plex_errors()[0].status, 401);
  EXPECT_EQ(e.plex_errors()[0].message, "User could not be authenticated");
  EXPECT_FALSE(e.retry_after().has_value());
  EXPECT_EQ(e.content_type(), "application/json; charset=utf-8");
  EXPECT_EQ(e.body(), R"({"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]})");
  EXPECT_EQ(std::string(e.what()).rfind("unauthorized: ", 0), 0u) << e.what();
  EXPECT_EQ(std::string(e.what()), "unauthorized: " + e.message());
}

TEST_F(CppApi, UnauthorizedWithErrorsIsThrownWithItsDetail) {
  fake.add_fault(kUserPath, plex_error_fault(401, 1001, "User could not be authenticated"));
  try {
    (void)client.get_token_details();
    FAIL() << "no exception";
  } catch (const Error &e) {
    expect_unauthorized_1001(e);
  }
  // An Error is a std::runtime_error.
  fake.add_fault(kUserPath, plex_error_fault(401, 1001, "User could not be authenticated"));
  EXPECT_THROW((void)client.get_token_details(), std::runtime_error);
}

TEST_F(CppApi, UnauthorizedThroughTryFutureAndCallback) {
  fake.add_faults(kUserPath, std::vector<Fault>(4, plex_error_fault(401, 1001, "User could not be authenticated")));
  Result<Account> r = client.try_get_token_details();
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(static_cast<bool>(r));
  EXPECT_EQ(r.status(), Status::Unauthorized);
  expect_unauthorized_1001(r.error());
  EXPECT_THROW((void)r.value(), Error);

  auto f = client.get_token_details_async();
  ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  try {
    (void)f.get();
    FAIL() << "no exception";
  } catch (const Error &e) {
    expect_unauthorized_1001(e);
  }
  EXPECT_FALSE(f.valid()) << "the outcome is taken once";
  auto quiet = client.get_token_details_async();
  Result<Account> outcome_of_future = quiet.try_get();
  ASSERT_FALSE(outcome_of_future.ok());
  expect_unauthorized_1001(outcome_of_future.error());

  auto got = std::make_shared<std::promise<Result<Account>>>();
  auto outcome = got->get_future();
  plexauth::Call call = client.get_token_details_async([got](Result<Account> res) { got->set_value(std::move(res)); });
  ASSERT_EQ(outcome.wait_for(10s), std::future_status::ready);
  Result<Account> res = outcome.get();
  ASSERT_FALSE(res.ok());
  expect_unauthorized_1001(res.error());
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 4u);
}

TEST_F(CppApi, RateLimitedSignInCarriesRetryAfterAndIsNotRetried) {
  Fault f;
  f.status = 429;
  f.retry_after = "7";
  fake.add_fault(kSignInPath, f);
  plexauth::SignIn req;
  req.login(seed::kEmailA).password(seed::kPasswordA);
  try {
    (void)client.post_users_sign_in_data(req);
    FAIL() << "no exception";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::RateLimited);
    EXPECT_EQ(e.http_status(), 429);
    EXPECT_EQ(e.retry_after(), std::chrono::milliseconds(7000));
    EXPECT_EQ(e.attempts(), 1u);
    EXPECT_EQ(std::string(e.what()).rfind("rate_limited: ", 0), 0u) << e.what();
  }
  EXPECT_EQ(fake.requests_to(kSignInPath).size(), 1u);
}

TEST_F(CppApi, RateLimitedGetIsRetriedAfterRetryAfter) {
  Fault f;
  f.status = 429;
  f.retry_after = "1";
  fake.add_fault(kUserPath, f);
  const auto start = Clock::now();
  auto fut = client.get_token_details_async();
  ASSERT_EQ(fut.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(fut.get().uuid(), seed::kUuidA);
  EXPECT_GE(Clock::now() - start, 900ms);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 2u);
}

TEST_F(CppApi, TwoFactorThenSignInWithTheCode) {
  plexauth::SignIn req;
  req.login(seed::kEmailB).password(seed::kPasswordB);
  Result<Account> first = client.try_post_users_sign_in_data(req);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status(), Status::TwoFactorRequired);
  ASSERT_FALSE(first.error().plex_errors().empty());
  EXPECT_EQ(first.error().plex_errors()[0].code, 1029);
  req.verification_code(seed::kCodeB);
  EXPECT_EQ(client.post_users_sign_in_data(req).uuid(), seed::kUuidB);
  // Secrets never reach messages.
  EXPECT_EQ(std::string(first.error().what()).find(seed::kPasswordB), std::string::npos);
}

TEST_F(CppApi, PinRequiredForAProtectedHomeUser) {
  try {
    (void)client.switch_home_user(seed::kHomeProtectedUuid);
    FAIL() << "no exception";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::PinRequired);
    EXPECT_EQ(e.http_status(), 403);
  }
  auto wrong = client.try_switch_home_user(seed::kHomeProtectedUuid, std::string_view("9999"));
  EXPECT_EQ(wrong.status(), Status::PinRequired);
  EXPECT_EQ(std::string(wrong.error().what()).find("9999"), std::string::npos);
}

TEST_F(CppApi, BadArgumentsAreRefusedBeforeSending) {
  auto r = client.try_link_pin("");
  EXPECT_EQ(r.status(), Status::InvalidArgument);
  EXPECT_THROW(client.link_pin(std::string_view("a\r\nb")), Error);
  EXPECT_THROW((void)client.get_source_connection_information_async(""), Error) << "refused at start";
  EXPECT_TRUE(fake.requests().empty());
  plexauth::Config cfg;
  try {
    cfg.server_url("not a url");
    FAIL() << "no exception";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::InvalidArgument);
    EXPECT_EQ(e.attempts(), 0u);
    EXPECT_EQ(std::string(e.what()).rfind("invalid_argument: server_url: value refused", 0), 0u) << e.what();
  }
  EXPECT_THROW(plexauth::Retry().exponent(0.5), Error);
  EXPECT_THROW(cfg.client_id(std::string("a\0b", 3)), Error) << "an embedded NUL is not cut silently";
}

// ------------------------------------------------------------------ cancel

TEST_F(CppApi, CancelAPendingCallbackCall) {
  Fault slow;
  slow.delay_ms = 20000;
  fake.add_fault(kUserPath, slow);
  auto got = std::make_shared<std::promise<Result<Account>>>();
  auto outcome = got->get_future();
  plexauth::Call call = client.get_token_details_async([got](Result<Account> r) { got->set_value(std::move(r)); });
  const auto deadline = Clock::now() + 10s;
  while (fake.requests_to(kUserPath).empty() && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(fake.requests_to(kUserPath).size(), 1u) << "the request is in flight";
  EXPECT_FALSE(call.done());
  const auto cancelled_at = Clock::now();
  call.cancel();
  // The answer would take 20 s: ending well before proves the cancel (bounds loose for sanitizers).
  ASSERT_EQ(outcome.wait_for(10s), std::future_status::ready);
  EXPECT_LT(Clock::now() - cancelled_at, 10s);
  Result<Account> r = outcome.get();
  EXPECT_EQ(r.status(), Status::Cancelled);
  EXPECT_TRUE(call.done());
  call.cancel();  // after completion: nothing happens
}

TEST_F(CppApi, CancelTokenEndsManyFutures) {
  Fault slow;
  slow.delay_ms = 20000;
  fake.add_faults(kUserPath, std::vector<Fault>(8, slow));
  plexauth::Cancel cancel;
  plexauth::CallOptions opts;
  opts.cancel(cancel);
  std::vector<plexauth::Future<Account>> futures;
  for (int i = 0; i < 8; ++i) futures.push_back(client.get_token_details_async(opts));
  const auto deadline = Clock::now() + 10s;
  while (fake.requests_to(kUserPath).size() < 8 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(cancel.triggered());
  cancel.trigger();
  EXPECT_TRUE(cancel.triggered());
  for (auto &f : futures) {
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    try {
      (void)f.get();
      ADD_FAILURE() << "not cancelled";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), Status::Cancelled);
    }
  }
}

TEST_F(CppApi, DestroyingAnExternalLoopCancelsItsCalls) {
  plexauth::Future<Account> f;
  std::atomic<int> callbacks{0};
  plexauth::Call call;
  {
    plexauth::Loop loop(plexauth::Loop::Mode::External);
    f = client.get_token_details_async({}, loop);
    call = client.get_token_details_async(
        [&](Result<Account> r) {
          EXPECT_EQ(r.status(), Status::Cancelled);
          ++callbacks;
        },
        {}, loop);
    EXPECT_EQ(loop.pending(), 2u);
  }  // never driven: destroyed with both pending
  ASSERT_TRUE(ready(f));
  EXPECT_THROW((void)f.get(), Error);
  EXPECT_EQ(callbacks.load(), 1);
  EXPECT_TRUE(call.done());
  EXPECT_TRUE(fake.requests_to(kUserPath).empty());
}

TEST_F(CppApi, DroppingTheCallHandleDoesNotCancel) {
  auto got = std::make_shared<std::promise<Result<Account>>>();
  auto outcome = got->get_future();
  (void)client.get_token_details_async([got](Result<Account> r) { got->set_value(std::move(r)); });
  ASSERT_EQ(outcome.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(outcome.get().ok());
}

TEST_F(CppApi, ManyCallsInFlightOnAThreadLoopOfYourOwn) {
  plexauth::Loop loop;  // thread mode: its own thread
  constexpr int kEach = 32;
  std::vector<plexauth::Future<Account>> futures;
  std::mutex mu;
  std::set<std::thread::id> threads;
  std::vector<std::string> uuids;
  std::vector<plexauth::Call> calls;
  for (int i = 0; i < kEach; ++i) {
    futures.push_back(client.get_token_details_async({}, loop));
    calls.push_back(client.get_token_details_async(
        [&](Result<Account> r) {
          std::lock_guard<std::mutex> lock(mu);
          threads.insert(std::this_thread::get_id());
          uuids.push_back(r.ok() ? r->uuid() : r.error().what());
        },
        {}, loop));
  }
  for (auto &f : futures) {
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(f.get().uuid(), seed::kUuidA);
  }
  EXPECT_TRUE(loop.run(10s));
  // A callback may still be returning after run(): wait (bounded) until every one is in.
  for (int i = 0; i < 1000; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (uuids.size() == static_cast<size_t>(kEach)) break;
    }
    std::this_thread::sleep_for(2ms);
  }
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(uuids.size(), static_cast<size_t>(kEach));
  for (const auto &u : uuids) EXPECT_EQ(u, seed::kUuidA);
  ASSERT_EQ(threads.size(), 1u) << "every callback on the loop's one thread";
  EXPECT_NE(*threads.begin(), std::this_thread::get_id());
  EXPECT_EQ(fake.requests_to(kUserPath).size(), static_cast<size_t>(2 * kEach));
}

TEST_F(CppApi, ACallbackMayStartAnotherCall) {
  plexauth::Loop loop(plexauth::Loop::Mode::External);
  std::optional<std::string> second;
  std::vector<plexauth::Call> calls;
  calls.push_back(client.get_token_details_async(
      [&](Result<Account> first) {
        ASSERT_TRUE(first.ok());
        calls.push_back(client.ping_async([&](Result<plexauth::Pong> p) { second = p.ok() ? "pong" : "fail"; }, {},
                                          loop));
      },
      {}, loop));
  ASSERT_TRUE(drive(loop, [&] { return second.has_value(); }));
  EXPECT_EQ(second, "pong");
}

}  // namespace
}  // namespace cpptest
