// The retry clock, with a fake clock, sleeper and jitter: exact and instant.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "core/retry.h"

namespace plexauth {
namespace {

struct FakeTime : Clock, Sleeper, Jitter {
  int64_t now = 1000;
  double jitter = 0.0;
  std::vector<int64_t> sleeps;
  bool cancel_on_sleep = false;
  int64_t now_ms() override { return now; }
  bool sleep_ms(int64_t ms, CancelToken *c) override {
    sleeps.push_back(ms);
    now += ms;
    if (cancel_on_sleep && c) c->trigger();
    return !(c && c->triggered());
  }
  double next() override { return jitter; }
  RetryEnv env() { return RetryEnv{this, this, this}; }
};

AttemptVerdict retryable(std::optional<int64_t> after = std::nullopt) { return AttemptVerdict{true, after}; }

TEST(Backoff, DefaultPolicyGrowsByOnePointFiveAndCapsAtSixtySeconds) {
  RetryPolicy p;
  EXPECT_EQ(backoff_wait_ms(p, 0, 0.0), 500);
  EXPECT_EQ(backoff_wait_ms(p, 1, 0.0), 750);
  EXPECT_EQ(backoff_wait_ms(p, 2, 0.0), 1125);
  EXPECT_EQ(backoff_wait_ms(p, 3, 0.0), 1687);
  EXPECT_EQ(backoff_wait_ms(p, 12, 0.0), 60000);  // 0.5 s * 1.5^12 = 64.9 s -> cap
  EXPECT_EQ(backoff_wait_ms(p, 400, 0.0), 60000);  // pow overflows to inf -> cap
}

TEST(Backoff, JitterAddsUpToAQuarterAndNeverPassesTheCap) {
  RetryPolicy p;
  EXPECT_EQ(backoff_wait_ms(p, 0, 0.5), 562);     // 500 * 1.125
  EXPECT_EQ(backoff_wait_ms(p, 0, 0.999999), 624);
  EXPECT_EQ(backoff_wait_ms(p, 11, 0.9), 52979);  // 0.5 s * 1.5^11 * 1.225, below the cap
  EXPECT_EQ(backoff_wait_ms(p, 12, 0.9), 60000);
}

TEST(RetryLoop, RetriesUntilSuccessWithExactWaits) {
  FakeTime t;
  RetryPolicy p;
  std::vector<unsigned> seen;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned n) {
    seen.push_back(n);
    return n < 4 ? retryable() : AttemptVerdict{};
  });
  EXPECT_EQ(out.attempts, 4u);
  EXPECT_EQ(out.stop, RetryStop::NotRetryable);
  EXPECT_EQ(seen, (std::vector<unsigned>{1, 2, 3, 4}));
  EXPECT_EQ(t.sleeps, (std::vector<int64_t>{500, 750, 1125}));
}

TEST(RetryLoop, NoPolicyMeansOneAttempt) {
  FakeTime t;
  auto out = run_with_retry(std::nullopt, t.env(), nullptr, [&](unsigned) { return retryable(); });
  EXPECT_EQ(out.attempts, 1u);
  EXPECT_EQ(out.stop, RetryStop::NoPolicy);
  EXPECT_TRUE(t.sleeps.empty());
}

TEST(RetryLoop, MaxAttemptsCountsTheFirstAttempt) {
  FakeTime t;
  RetryPolicy p;
  p.max_attempts = 3;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned) { return retryable(); });
  EXPECT_EQ(out.attempts, 3u);
  EXPECT_EQ(out.stop, RetryStop::MaxAttempts);
  EXPECT_EQ(t.sleeps.size(), 2u);
}

TEST(RetryLoop, StopsBeforeAWaitThatWouldEndPastMaxElapsed) {
  FakeTime t;
  RetryPolicy p;
  p.initial_interval_ms = 100;
  p.exponent = 2.0;
  p.max_elapsed_ms = 1000;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned) {
    t.now += 10;  // each attempt takes 10 ms
    return retryable();
  });
  // waits 100, 200, 400 (elapsed 10+100+10+200+10+400+10 = 740); next 800 would end at 1540 > 1000
  EXPECT_EQ(t.sleeps, (std::vector<int64_t>{100, 200, 400}));
  EXPECT_EQ(out.attempts, 4u);
  EXPECT_EQ(out.stop, RetryStop::MaxElapsed);
}

TEST(RetryLoop, DefaultMaxElapsedIsFiveMinutes) {
  FakeTime t;
  RetryPolicy p;
  EXPECT_EQ(p.max_elapsed_ms, 300000);
  const int64_t start = t.now;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned) { return retryable(); });
  EXPECT_EQ(out.stop, RetryStop::MaxElapsed);
  EXPECT_LE(t.now - start, 300000);
  int64_t total = 0;
  for (auto s : t.sleeps) total += s;
  EXPECT_GT(total, 240000);  // it really kept trying for most of the window
}

TEST(RetryLoop, RetryAfterReplacesTheBackoff) {
  FakeTime t;
  RetryPolicy p;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned n) {
    return n == 1 ? retryable(3000) : (n == 2 ? retryable(100) : AttemptVerdict{});
  });
  EXPECT_EQ(out.attempts, 3u);
  EXPECT_EQ(t.sleeps, (std::vector<int64_t>{3000, 100}));  // shorter than the backoff too
}

// "Retry-After: 0" (or a date in the past) is no reason to retry at once: a
// server that keeps sending it would be hammered in a tight loop until the
// elapsed limit. As in the seed SDK at HEAD, only a positive Retry-After
// replaces the wait; otherwise the backoff applies.
TEST(RetryLoop, RetryAfterZeroFallsBackToTheBackoff) {
  FakeTime t;
  RetryPolicy p;
  p.max_attempts = 4;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned) { return retryable(0); });
  EXPECT_EQ(out.attempts, 4u);
  EXPECT_EQ(t.sleeps, (std::vector<int64_t>{500, 750, 1125}));
}

TEST(RetryLoop, RetryAfterBeyondTheElapsedLimitStopsAtOnce) {
  FakeTime t;
  RetryPolicy p;
  auto out = run_with_retry(p, t.env(), nullptr, [&](unsigned) { return retryable(int64_t{86400} * 1000 * 365); });
  EXPECT_EQ(out.attempts, 1u);
  EXPECT_EQ(out.stop, RetryStop::MaxElapsed);
  EXPECT_TRUE(t.sleeps.empty());
}

TEST(RetryLoop, CancelDuringAWaitStopsWithoutAnotherAttempt) {
  FakeTime t;
  t.cancel_on_sleep = true;
  CancelToken cancel;
  RetryPolicy p;
  auto out = run_with_retry(p, t.env(), &cancel, [&](unsigned) { return retryable(); });
  EXPECT_EQ(out.attempts, 1u);
  EXPECT_EQ(out.stop, RetryStop::Cancelled);
}

TEST(RetryLoop, AlreadyCancelledMakesNoAttempt) {
  FakeTime t;
  CancelToken cancel;
  cancel.trigger();
  auto out = run_with_retry(RetryPolicy{}, t.env(), &cancel, [&](unsigned) { return AttemptVerdict{}; });
  EXPECT_EQ(out.attempts, 0u);
  EXPECT_EQ(out.stop, RetryStop::Cancelled);
}

TEST(RetryAfter, DeltaSeconds) {
  EXPECT_EQ(parse_retry_after_ms("0", 0), 0);
  EXPECT_EQ(parse_retry_after_ms("7", 0), 7000);
  EXPECT_EQ(parse_retry_after_ms(" 120 ", 0), 120000);
}

TEST(RetryAfter, HttpDateRelativeToNow) {
  // Sun, 06 Nov 1994 08:49:37 GMT == 784111777
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30), 30000);
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 30), 0);  // past
}

TEST(RetryAfter, GarbageIsIgnoredAndHugeValuesDoNotOverflow) {
  EXPECT_FALSE(parse_retry_after_ms("", 0));
  EXPECT_FALSE(parse_retry_after_ms("soon", 0));
  EXPECT_FALSE(parse_retry_after_ms("-5", 0));
  auto huge = parse_retry_after_ms("99999999999999999999999999", 0);
  ASSERT_TRUE(huge);
  EXPECT_GT(*huge, int64_t{1} << 50);
}

TEST(CancelToken, WakesASleeperFromAnotherThread) {
  CancelToken c;
  std::thread t([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    c.trigger();
  });
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(c.sleep_for_ms(10000));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  t.join();
}

}  // namespace
}  // namespace plexauth
