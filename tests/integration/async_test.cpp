// The non-blocking C API (plexauth_loop_*, plexauth_call_*, and each
// operation's _start/_finish) over real sockets to the fake: results, errors
// and attempts as the blocking calls give them, both loop modes and their
// threads, many calls in flight on one thread, cancellation (one call, a
// cancel token, many calls at once, freeing the loop or the client), and
// misuse.
#include <poll.h>

#include <mutex>
#include <set>
#include <vector>

#include "support.h"

namespace itest {
namespace {

constexpr char kSignOutPath[] = "/api/v2/users/signout";

struct FreeAsync {
  void operator()(plexauth_loop *p) const { plexauth_loop_free(p); }
  void operator()(plexauth_call *p) const { plexauth_call_free(p); }
};
using Loop = std::unique_ptr<plexauth_loop, FreeAsync>;
using Call = std::unique_ptr<plexauth_call, FreeAsync>;

Loop new_loop(int mode) {
  plexauth_loop *raw = nullptr;
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_loop_new(&raw, mode, &err), PLEXAUTH_OK) << describe(PLEXAUTH_E_INTERNAL, err);
  plexauth_error_free(err);
  return Loop(raw);
}

// Records each completion: which call, on which thread.
struct Completions {
  std::mutex mu;
  std::vector<plexauth_call *> calls;
  std::set<std::thread::id> threads;
  static void done(plexauth_call *call, void *user_data) {
    auto *self = static_cast<Completions *>(user_data);
    std::lock_guard<std::mutex> lock(self->mu);
    self->calls.push_back(call);
    self->threads.insert(std::this_thread::get_id());
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu);
    return calls.size();
  }
};

Call start_token_details(plexauth_client *client, plexauth_loop *loop, Completions *done,
                         const plexauth_call_options *opts = nullptr) {
  plexauth_call *call = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status s =
      plexauth_client_get_token_details_start(&call, client, opts, loop, done ? &Completions::done : nullptr, done, &err);
  EXPECT_EQ(s, PLEXAUTH_OK) << describe(s, err);
  plexauth_error_free(err);
  return Call(call);
}

Result<plexauth_account> finish_token_details(plexauth_call *call) {
  return run<plexauth_account>(
      [&](plexauth_account **out, plexauth_error **err) { return plexauth_client_get_token_details_finish(out, call, err); });
}

// Drives an external loop as a host would: poll its descriptor (with its
// timeout), then process; until `until` or 10 s.
template <class Until>
bool drive(plexauth_loop *loop, Until until) {
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!until()) {
    if (Clock::now() > deadline) return false;
    pollfd p{plexauth_loop_fd(loop), POLLIN, 0};
    const int64_t t = plexauth_loop_timeout_ms(loop);
    ::poll(&p, 1, t < 0 || t > 100 ? 100 : static_cast<int>(t));
    EXPECT_EQ(plexauth_loop_process(loop, nullptr), PLEXAUTH_OK);
  }
  return true;
}

TEST_F(Integration, AsyncCallsOnTheClientsOwnLoopCompleteOnOneLibraryThread) {
  constexpr int kCalls = 64;
  Completions done;
  std::vector<Call> calls;
  for (int i = 0; i < kCalls; ++i) calls.push_back(start_token_details(client.get(), nullptr, &done));
  for (auto &c : calls) ASSERT_EQ(plexauth_call_wait(c.get(), 10000, nullptr), PLEXAUTH_OK);
  for (auto &c : calls) {
    EXPECT_EQ(plexauth_call_done(c.get()), 1);
    auto r = finish_token_details(c.get());
    ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    EXPECT_STREQ(plexauth_account_uuid(r.value.get()), seed::kUuidA);
    EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenA);
  }
  // Callbacks may still be returning after wait(): wait until all are in.
  for (int i = 0; i < 1000 && done.count() < kCalls; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(done.count(), static_cast<size_t>(kCalls));
  ASSERT_EQ(done.threads.size(), 1u) << "every callback on the one loop thread";
  EXPECT_NE(*done.threads.begin(), std::this_thread::get_id());
  const auto sent = fake.requests_to(kUserPath);
  ASSERT_EQ(sent.size(), static_cast<size_t>(kCalls));
  for (const auto &r : sent) {
    EXPECT_EQ(r.header("X-Plex-Token"), std::string(seed::kTokenA));
    expect_identity(r);
    expect_bodiless_get(r, kUserPath, "");
  }
  EXPECT_LE(fake.connection_count(), 16u) << "at most 16 connections per host; the rest reuse them";
}

// A burst, then calls one at a time, then a burst again: the second burst
// finds the first one's connections still open. (With libcurl's default cache,
// 4 x the calls in flight, the one-at-a-time calls closed all but 4 of them.)
TEST_F(Integration, AsyncLoopKeepsABurstsConnectionsThroughQuietCalls) {
  auto burst = [&] {
    Completions done;
    std::vector<Call> calls;
    for (int i = 0; i < 16; ++i) calls.push_back(start_token_details(client.get(), nullptr, &done));
    for (auto &c : calls) {
      ASSERT_EQ(plexauth_call_wait(c.get(), 10000, nullptr), PLEXAUTH_OK);
      ASSERT_EQ(finish_token_details(c.get()).status, PLEXAUTH_OK);
    }
  };
  burst();
  const size_t opened = fake.connection_count();
  EXPECT_GE(opened, 2u) << "a burst of 16 runs on several connections";
  for (int i = 0; i < 16; ++i) {
    Call c = start_token_details(client.get(), nullptr, nullptr);
    ASSERT_EQ(plexauth_call_wait(c.get(), 10000, nullptr), PLEXAUTH_OK);
    ASSERT_EQ(finish_token_details(c.get()).status, PLEXAUTH_OK);
  }
  EXPECT_EQ(fake.connection_count(), opened) << "one-at-a-time calls reuse the burst's connections";
  burst();
  EXPECT_LE(fake.connection_count(), 16u) << "the second burst reuses the first one's connections";
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 48u);
}

TEST_F(Integration, AsyncExternalLoopRunsNothingOutsideProcessAndCallsBackOnTheHostThread) {
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  ASSERT_GE(plexauth_loop_fd(loop.get()), 0);
  Completions done;
  std::vector<Call> calls;
  for (int i = 0; i < 16; ++i) calls.push_back(start_token_details(client.get(), loop.get(), &done));
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 16u);
  EXPECT_EQ(plexauth_loop_timeout_ms(loop.get()), 0) << "started calls make the loop due at once";
  // Nothing is sent until the host processes.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(fake.requests_to(kUserPath).empty());
  EXPECT_EQ(done.count(), 0u);

  ASSERT_TRUE(drive(loop.get(), [&] { return done.count() == 16; }));
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 0u);
  ASSERT_EQ(done.threads.size(), 1u);
  EXPECT_EQ(*done.threads.begin(), std::this_thread::get_id()) << "callbacks run inside process()";
  for (auto &c : calls) {
    auto r = finish_token_details(c.get());
    ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    EXPECT_STREQ(plexauth_account_uuid(r.value.get()), seed::kUuidA);
  }
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 16u);
  EXPECT_LE(fake.connection_count(), 16u);
}

TEST_F(Integration, AsyncErrorsCarryTheSameDetailAsBlockingOnes) {
  auto bad = client_with_token("not-a-valid-token");
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  Call call = start_token_details(bad.get(), loop.get(), nullptr);
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  auto async = finish_token_details(call.get());
  auto blocking = get_token_details(bad.get());
  ASSERT_EQ(async.status, PLEXAUTH_E_UNAUTHORIZED) << describe(async);
  EXPECT_EQ(describe(async), describe(blocking));
  EXPECT_EQ(plex_error(async.error.get(), 0), plex_error(blocking.error.get(), 0));
  EXPECT_EQ(plexauth_error_attempts(async.error.get()), 1u);
  // The outcome can be read again; it is the same error.
  auto again = finish_token_details(call.get());
  EXPECT_EQ(describe(again), describe(async));
}

TEST_F(Integration, AsyncRetriesLikeBlockingCallsAndHonoursRetryAfter) {
  fake.add_faults(kUserPath, {status_fault(503), status_fault(429, "1")});
  Loop loop = new_loop(PLEXAUTH_LOOP_THREAD);
  const auto t0 = Clock::now();
  Call call = start_token_details(client.get(), loop.get(), nullptr);
  ASSERT_EQ(plexauth_call_wait(call.get(), 10000, nullptr), PLEXAUTH_OK);
  auto r = finish_token_details(call.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests_to(kUserPath);
  ASSERT_EQ(sent.size(), 3u);
  // The third attempt waited for Retry-After: 1 (s), not the 10-50 ms backoff.
  EXPECT_GE(ms_since(t0), 900);
}

TEST_F(Integration, AsyncGivesUpAfterMaxAttempts) {
  fake.add_faults(kUserPath, {status_fault(503), status_fault(503), status_fault(503), status_fault(503)});
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), fast_retry(3).get()), PLEXAUTH_OK);
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  Call call = start_token_details(client.get(), loop.get(), nullptr, opts.get());
  ASSERT_EQ(plexauth_call_wait(call.get(), 10000, nullptr), PLEXAUTH_OK);
  auto r = finish_token_details(call.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 503);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 3u);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 3u);
}

TEST_F(Integration, AsyncCancelWhileManyCallsAreInFlight) {
  constexpr int kCalls = 32;
  for (int i = 0; i < kCalls; ++i) fake.add_fault(kUserPath, delay_fault(5000));
  Loop loop = new_loop(PLEXAUTH_LOOP_THREAD);
  Completions done;
  std::vector<Call> calls;
  for (int i = 0; i < kCalls; ++i) calls.push_back(start_token_details(client.get(), loop.get(), &done));
  ASSERT_TRUE(wait_for_requests(fake, kUserPath, 4));  // transfers are under way
  const auto t0 = Clock::now();
  for (int i = 0; i < kCalls; i += 2) plexauth_call_cancel(calls[i].get());  // every other one
  for (int i = 0; i < kCalls; i += 2) ASSERT_EQ(plexauth_call_wait(calls[i].get(), 2000, nullptr), PLEXAUTH_OK);
  EXPECT_LT(ms_since(t0), 1000) << "cancelled calls complete at once, not when the server answers";
  for (int i = 0; i < kCalls; i += 2) {
    auto r = finish_token_details(calls[i].get());
    EXPECT_EQ(r.status, PLEXAUTH_E_CANCELLED) << describe(r);
  }
  for (int i = 1; i < kCalls; i += 2) EXPECT_EQ(plexauth_call_done(calls[i].get()), 0) << i;
  // Freeing the loop cancels the rest; every callback ran once.
  loop.reset();
  EXPECT_EQ(done.count(), static_cast<size_t>(kCalls));
  for (int i = 1; i < kCalls; i += 2) {
    EXPECT_EQ(plexauth_call_done(calls[i].get()), 1);
    EXPECT_EQ(finish_token_details(calls[i].get()).status, PLEXAUTH_E_CANCELLED);
  }
}

TEST_F(Integration, AsyncCancelTokenStopsARetryWait) {
  fake.add_fault(kUserPath, status_fault(503));
  auto opts = call_options();
  auto cancel = new_cancel();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), slow_retry().get()), PLEXAUTH_OK);  // 20 s wait
  ASSERT_EQ(plexauth_call_options_set_cancel(opts.get(), cancel.get()), PLEXAUTH_OK);
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  Call call = start_token_details(client.get(), loop.get(), nullptr, opts.get());
  ASSERT_TRUE(drive(loop.get(), [&] { return fake.requests_to(kUserPath).size() == 1; }));
  ASSERT_TRUE(drive(loop.get(), [&] { return plexauth_loop_timeout_ms(loop.get()) > 10000; }))
      << "the loop waits for the retry";
  const auto t0 = Clock::now();
  plexauth_cancel_trigger(cancel.get());
  ASSERT_TRUE(drive(loop.get(), [&] { return plexauth_call_done(call.get()) == 1; }));
  EXPECT_LT(ms_since(t0), 1000);
  auto r = finish_token_details(call.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_CANCELLED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 503) << "the last response is kept";
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 1u);
}

TEST_F(Integration, AsyncFreedCallIsCancelledAndNeverCallsBack) {
  fake.add_fault(kUserPath, delay_fault(5000));
  Loop loop = new_loop(PLEXAUTH_LOOP_THREAD);
  Completions done;
  Call call = start_token_details(client.get(), loop.get(), &done);
  ASSERT_TRUE(wait_for_requests(fake, kUserPath, 1));
  call.reset();
  ASSERT_EQ(plexauth_loop_run(loop.get(), 2000, nullptr), PLEXAUTH_OK) << "the freed call was cancelled";
  EXPECT_EQ(done.count(), 0u);
}

TEST_F(Integration, AsyncFreeingTheClientCancelsCallsOnItsOwnLoop) {
  fake.add_fault(kUserPath, delay_fault(5000));
  auto c = client_with_token(seed::kTokenA);
  Completions done;
  Call call = start_token_details(c.get(), nullptr, &done);
  ASSERT_TRUE(wait_for_requests(fake, kUserPath, 1));
  const auto t0 = Clock::now();
  c.reset();
  EXPECT_LT(ms_since(t0), 1000);
  EXPECT_EQ(done.count(), 1u);
  EXPECT_EQ(finish_token_details(call.get()).status, PLEXAUTH_E_CANCELLED);
}

TEST_F(Integration, AsyncCallsOnAnotherLoopOutliveTheirClientHandle) {
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  auto c = client_with_token(seed::kTokenA);
  Call call = start_token_details(c.get(), loop.get(), nullptr);
  c.reset();  // the call keeps what it needs
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  auto r = finish_token_details(call.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_uuid(r.value.get()), seed::kUuidA);
}

TEST_F(Integration, AsyncSignInAndAVoidOperation) {
  auto c = client_with_token(nullptr);
  auto req = sign_in_request(seed::kEmailB, seed::kPasswordB, seed::kCodeB);
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  plexauth_call *raw = nullptr;
  ASSERT_EQ(plexauth_client_post_users_sign_in_data_start(&raw, c.get(), req.get(), nullptr, loop.get(), nullptr,
                                                          nullptr, nullptr),
            PLEXAUTH_OK);
  Call sign_in_call(raw);
  req.reset();  // the request was copied
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  auto r = run<plexauth_account>([&](plexauth_account **out, plexauth_error **err) {
    return plexauth_client_post_users_sign_in_data_finish(out, sign_in_call.get(), err);
  });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenB);
  const auto sent = fake.requests_to(kSignInPath);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].body.find("verificationCode=123456"), std::string::npos);

  ASSERT_EQ(plexauth_client_sign_out_start(&raw, client.get(), nullptr, loop.get(), nullptr, nullptr, nullptr),
            PLEXAUTH_OK);
  Call sign_out_call(raw);
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_client_sign_out_finish(sign_out_call.get(), nullptr), PLEXAUTH_OK);
  EXPECT_EQ(fake.requests_to(kSignOutPath).size(), 1u);
  EXPECT_EQ(get_token_details(client.get()).status, PLEXAUTH_E_UNAUTHORIZED) << "the token was signed out";
}

TEST_F(Integration, AsyncMisuseIsAnInvalidArgument) {
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  plexauth_call *raw = reinterpret_cast<plexauth_call *>(0x1);
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_client_get_token_details_start(&raw, nullptr, nullptr, loop.get(), nullptr, nullptr, &err),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(raw, nullptr);
  EXPECT_NE(std::string(plexauth_error_message(err)).find("client"), std::string::npos);
  plexauth_error_free(err);
  EXPECT_EQ(plexauth_client_get_source_connection_information_start(&raw, client.get(), nullptr, nullptr, loop.get(),
                                                                     nullptr, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_client_get_source_connection_information_start(&raw, client.get(), "\xff", nullptr, loop.get(),
                                                                     nullptr, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT)
      << "bad UTF-8 is refused at start";
  plexauth_loop *no_loop = nullptr;
  EXPECT_EQ(plexauth_loop_new(&no_loop, 7, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(no_loop, nullptr);

  Call call = start_token_details(client.get(), loop.get(), nullptr);
  auto pending = finish_token_details(call.get());
  EXPECT_EQ(pending.status, PLEXAUTH_E_INVALID_ARGUMENT) << "still pending";
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  plexauth_pong *pong = nullptr;
  EXPECT_EQ(plexauth_client_ping_finish(&pong, call.get(), nullptr), PLEXAUTH_E_INVALID_ARGUMENT) << "wrong operation";
  EXPECT_EQ(pong, nullptr);
  EXPECT_EQ(finish_token_details(call.get()).status, PLEXAUTH_OK);
  EXPECT_EQ(finish_token_details(call.get()).status, PLEXAUTH_E_INVALID_ARGUMENT) << "taken twice";
  EXPECT_EQ(plexauth_client_get_token_details_finish(nullptr, call.get(), nullptr), PLEXAUTH_E_INVALID_ARGUMENT);

  Loop thread_loop = new_loop(PLEXAUTH_LOOP_THREAD);
  EXPECT_EQ(plexauth_loop_process(thread_loop.get(), nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_loop_process(nullptr, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_call_wait(nullptr, 0, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_call_done(nullptr), 0);
  EXPECT_EQ(plexauth_loop_fd(nullptr), -1);
  plexauth_call_cancel(nullptr);
  plexauth_call_free(nullptr);
  plexauth_loop_free(nullptr);
}

TEST_F(Integration, AsyncWaitTimesOutOnASlowServer) {
  fake.add_fault(kUserPath, delay_fault(3000));
  Loop loop = new_loop(PLEXAUTH_LOOP_EXTERNAL);
  Call call = start_token_details(client.get(), loop.get(), nullptr);
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_call_wait(call.get(), 200, &err), PLEXAUTH_E_TIMEOUT);
  plexauth_error_free(err);
  EXPECT_EQ(plexauth_call_done(call.get()), 0);
  EXPECT_EQ(plexauth_loop_run(loop.get(), 100, nullptr), PLEXAUTH_E_TIMEOUT);
}

}  // namespace
}  // namespace itest
