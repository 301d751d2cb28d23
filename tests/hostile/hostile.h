// Shared pieces of the hardening tests (hostile servers, bad caller input,
// secret hygiene, TLS): a log capture, a peak-memory probe and the one-line
// report each hostile mode prints. Built on the integration tests' support
// (tests/integration/support.h): RAII handles, a client for FakePlex, the
// four operations.
#pragma once

#include <plexauth/plexauth.h>

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "support.h"

namespace hostile {

using namespace itest;  // NOLINT: the support helpers are this suite's vocabulary

// Everything the library logs through a config's sink, from any thread.
class LogCapture {
 public:
  struct Line {
    plexauth_log_level level;
    std::string text;
  };
  // Installs this capture on cfg at `max_level`.
  void attach(plexauth_config *cfg, plexauth_log_level max_level = PLEXAUTH_LOG_DEBUG);
  std::vector<Line> lines() const;
  // All lines joined with '\n'.
  std::string text() const;
  bool contains(plexauth_log_level level, const std::string &needle) const;

 private:
  static void sink(void *self, plexauth_log_level level, const char *message);
  mutable std::mutex mu_;
  std::vector<Line> lines_;
};

// The growth of this process's peak resident memory since construction, in
// KiB. Resets the kernel's high-water mark (VmHWM, /proc/self/clear_refs)
// when allowed, so that earlier peaks do not hide this one.
class PeakMemory {
 public:
  PeakMemory();
  long growth_kib() const;

 private:
  long base_kib_ = 0;
};

// "field: value" from /proc/self/status, in KiB (-1 when unavailable).
long proc_status_kib(const char *field);

// A call that made no retries (for single-attempt statuses).
Owned<plexauth_call_options> no_retry();

// Prints one row of the hostile-mode table:
//   [hostile] <mode> | <status> | http <n> | attempts <n> | <n> requests | <ms> ms | +<KiB> KiB peak
// (http and attempts come from the error; "-" on success.)
void report(const std::string &mode, const Outcome &o, size_t requests, long long ms, long peak_kib);

// The status of an outcome by name, for readable assertion failures.
inline std::string status_of(const Outcome &o) { return plexauth_status_name(o.status); }

}  // namespace hostile
