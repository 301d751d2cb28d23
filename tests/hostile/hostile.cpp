#include "hostile.h"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace hostile {

void LogCapture::attach(plexauth_config *cfg, plexauth_log_level max_level) {
  ASSERT_EQ(plexauth_config_set_log(cfg, max_level, &LogCapture::sink, this), PLEXAUTH_OK);
}

void LogCapture::sink(void *self, plexauth_log_level level, const char *message) {
  auto *capture = static_cast<LogCapture *>(self);
  std::lock_guard<std::mutex> lock(capture->mu_);
  capture->lines_.push_back({level, message});
}

std::vector<LogCapture::Line> LogCapture::lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

std::string LogCapture::text() const {
  std::string out;
  for (const Line &l : lines()) out += l.text + "\n";
  return out;
}

bool LogCapture::contains(plexauth_log_level level, const std::string &needle) const {
  for (const Line &l : lines())
    if (l.level == level && l.text.find(needle) != std::string::npos) return true;
  return false;
}

long proc_status_kib(const char *field) {
  std::ifstream status("/proc/self/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(status, line);) {
    if (line.rfind(prefix, 0) != 0) continue;
    std::istringstream in(line.substr(prefix.size()));
    long kib = -1;
    in >> kib;
    return kib;
  }
  return -1;
}

PeakMemory::PeakMemory() {
  // "5" resets the peak RSS to the current RSS (Linux >= 4.0). Without it,
  // the growth is measured from the earlier peak, which can only understate
  // a spike; each test runs in its own process under ctest anyway.
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5" << std::flush;
  const bool reset = static_cast<bool>(clear);
  base_kib_ = reset ? proc_status_kib("VmRSS") : proc_status_kib("VmHWM");
}

long PeakMemory::growth_kib() const { return proc_status_kib("VmHWM") - base_kib_; }

Owned<plexauth_call_options> no_retry() {
  auto opts = call_options();
  EXPECT_EQ(plexauth_call_options_set_retry(opts.get(), nullptr), PLEXAUTH_OK);
  return opts;
}

void report(const std::string &mode, const Outcome &o, size_t requests, long long ms, long peak_kib) {
  const plexauth_error *err = o.error.get();
  const std::string http = err ? std::to_string(plexauth_error_http_status(err)) : "-";
  const std::string attempts = err ? std::to_string(plexauth_error_attempts(err)) : "-";
  std::printf("[hostile] %s | %s | http %s | attempts %s | %zu requests | %lld ms | +%ld KiB peak\n", mode.c_str(),
              plexauth_status_name(o.status), http.c_str(), attempts.c_str(), requests, ms, peak_kib);
  std::fflush(stdout);
}

}  // namespace hostile
