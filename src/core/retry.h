// The retry engine: when to retry, how long to wait, and the loop itself.
// Time and randomness sit behind small interfaces so tests are exact and
// instant.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "core/config.h"

namespace plexauth {

// The monotonic clock's now, in milliseconds and microseconds (the real
// clock behind RetryEnv::system(), the engine's timers, connect's races and
// the attempts' timings).
int64_t steady_now_ms() noexcept;
int64_t steady_now_us() noexcept;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() = 0;  // monotonic
};

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Waits ms (interruptible by cancel); false when cancelled.
  virtual bool sleep_ms(int64_t ms, CancelToken *cancel) = 0;
};

class Jitter {
 public:
  virtual ~Jitter() = default;
  virtual double next() = 0;  // uniform in [0, 1)
};

struct RetryEnv {
  Clock *clock;
  Sleeper *sleeper;
  Jitter *jitter;
  static RetryEnv system();  // steady clock, real sleeps, a PRNG
};

// Fraction of extra random wait added to each backoff: the wait is
// base * (1 + kJitterSpan * jitter).
inline constexpr double kJitterSpan = 0.25;

// Wait before retry number n (0-based): min(max_interval,
// initial * exponent^n * (1 + kJitterSpan * jitter01)).
int64_t backoff_wait_ms(const RetryPolicy &p, unsigned n, double jitter01) noexcept;

// Retry-After as milliseconds: delta-seconds, or an HTTP-date (parsed with
// curl_getdate) relative to now_epoch_s. nullopt when unparseable. Past
// dates give 0.
std::optional<int64_t> parse_retry_after_ms(std::string_view value, int64_t now_epoch_s);

// What one attempt produced, as far as retrying is concerned.
struct AttemptVerdict {
  bool retryable = false;
  std::optional<int64_t> retry_after_ms;  // overrides the backoff when set
};

// Why the loop stopped retrying.
enum class RetryStop { Done, NotRetryable, NoPolicy, MaxAttempts, MaxElapsed, Cancelled };

struct RetryOutcome {
  unsigned attempts = 0;
  RetryStop stop = RetryStop::Done;
};

// The retry decision, one attempt at a time: what run_with_retry does
// between attempts, for callers that wait without blocking (the engine).
class RetryStepper {
 public:
  RetryStepper(const std::optional<RetryPolicy> &policy, const RetryEnv &env);
  struct Next {
    RetryStop stop;  // Done: retry after wait_ms; anything else: stop
    int64_t wait_ms;
  };
  // Records one attempt and its verdict; says whether, and when, to retry.
  Next after(const AttemptVerdict &v);
  unsigned attempts() const noexcept { return attempts_; }

 private:
  std::optional<RetryPolicy> policy_;
  RetryEnv env_;
  int64_t t0_;
  unsigned attempts_ = 0;
};

// Runs attempt() until it is not retryable or a limit is reached. attempt()
// is given the 1-based attempt number and returns its verdict; the caller
// keeps the attempt's result itself. on_wait(wait_ms, verdict) is called
// before each sleep (for logging). A cancel seen before an attempt or during
// a wait stops with RetryStop::Cancelled.
RetryOutcome run_with_retry(const std::optional<RetryPolicy> &policy, const RetryEnv &env, CancelToken *cancel,
                            const std::function<AttemptVerdict(unsigned)> &attempt,
                            const std::function<void(int64_t)> &on_wait = {});

}  // namespace plexauth
