#include "core/retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace plexauth {
int64_t steady_now_ms() noexcept {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

int64_t steady_now_us() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {

class SteadyClock final : public Clock {
 public:
  int64_t now_ms() override { return steady_now_ms(); }
};

class RealSleeper final : public Sleeper {
 public:
  bool sleep_ms(int64_t ms, CancelToken *cancel) override {
    if (cancel) return cancel->sleep_for_ms(ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    return true;
  }
};

class PrngJitter final : public Jitter {
 public:
  double next() override {
    std::lock_guard<std::mutex> lock(mu_);
    return dist_(rng_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_{std::random_device{}()};
  std::uniform_real_distribution<double> dist_{0.0, 1.0};
};

}  // namespace

RetryEnv RetryEnv::system() {
  static SteadyClock clock;
  static RealSleeper sleeper;
  static PrngJitter jitter;
  return RetryEnv{&clock, &sleeper, &jitter};
}

int64_t backoff_wait_ms(const RetryPolicy &p, unsigned n, double jitter01) noexcept {
  const double cap = static_cast<double>(p.max_interval_ms);
  double base = static_cast<double>(p.initial_interval_ms) * std::pow(p.exponent, static_cast<double>(n));
  if (!std::isfinite(base) || base > cap) base = cap;
  double wait = base * (1.0 + kJitterSpan * std::clamp(jitter01, 0.0, 1.0));
  if (wait > cap) wait = cap;
  return static_cast<int64_t>(wait);
}

std::optional<int64_t> parse_retry_after_ms(std::string_view value, int64_t now_epoch_s) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty() || value.size() > 64) return std::nullopt;
  // Absurd values are clamped instead of overflowing.
  constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // delta-seconds
    int64_t secs = 0;
    for (char c : value) {
      if (secs > (kMaxSeconds - (c - '0')) / 10) return kMaxSeconds * 1000;
      secs = secs * 10 + (c - '0');
    }
    return secs * 1000;
  }
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const int64_t delta = static_cast<int64_t>(when) - now_epoch_s;
  if (delta <= 0) return 0;
  return delta > kMaxSeconds ? kMaxSeconds * 1000 : delta * 1000;  // curl_getdate accepts years past 9999
}

RetryStepper::RetryStepper(const std::optional<RetryPolicy> &policy, const RetryEnv &env)
    : policy_(policy), env_(env), t0_(env.clock->now_ms()) {}

RetryStepper::Next RetryStepper::after(const AttemptVerdict &v) {
  ++attempts_;
  if (!v.retryable) return {RetryStop::NotRetryable, 0};
  if (!policy_) return {RetryStop::NoPolicy, 0};
  if (policy_->max_attempts != 0 && attempts_ >= policy_->max_attempts) return {RetryStop::MaxAttempts, 0};
  // A positive Retry-After replaces the backoff; 0 (or a date already
  // past) does not, or a server repeating it would be hammered.
  const int64_t wait = v.retry_after_ms && *v.retry_after_ms > 0
                           ? *v.retry_after_ms
                           : backoff_wait_ms(*policy_, attempts_ - 1, env_.jitter->next());
  const int64_t elapsed = env_.clock->now_ms() - t0_;
  if (wait > policy_->max_elapsed_ms - elapsed) return {RetryStop::MaxElapsed, 0};  // would start past the limit
  return {RetryStop::Done, wait};
}

RetryOutcome run_with_retry(const std::optional<RetryPolicy> &policy, const RetryEnv &env, CancelToken *cancel,
                            const std::function<AttemptVerdict(unsigned)> &attempt,
                            const std::function<void(int64_t)> &on_wait) {
  RetryStepper stepper(policy, env);
  RetryOutcome out;
  for (;;) {
    if (cancel && cancel->triggered()) {
      out.stop = RetryStop::Cancelled;
      return out;
    }
    const AttemptVerdict v = attempt(stepper.attempts() + 1);
    const RetryStepper::Next next = stepper.after(v);
    out.attempts = stepper.attempts();
    if (next.stop != RetryStop::Done) {
      out.stop = next.stop;
      return out;
    }
    if (on_wait) on_wait(next.wait_ms);
    if (!env.sleeper->sleep_ms(next.wait_ms, cancel)) {
      out.stop = RetryStop::Cancelled;
      return out;
    }
  }
}

}  // namespace plexauth
