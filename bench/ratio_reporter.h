// A console reporter that also remembers each benchmark's rate counters, so
// that main() can print the ratios the targets are stated in.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace plexauth_bench {

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  RatioReporter() : benchmark::ConsoleReporter(OO_Tabular) {}

  void ReportRuns(const std::vector<Run> &runs) override {
    benchmark::ConsoleReporter::ReportRuns(runs);
    for (const Run &r : runs) {
      if (r.error_occurred) continue;
      // With --benchmark_repetitions the median aggregate wins over single runs.
      const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
      if (r.run_type == Run::RT_Aggregate && !median) continue;
      const std::string name = r.run_name.str();
      if (!median && medians_.count(name) != 0) continue;
      if (median) medians_[name] = true;
      for (const auto &[counter, value] : r.counters) rates_[name][counter] = value.value;
    }
  }

  // The counter (e.g. "bytes_per_second") of a benchmark, 0 when it did not run.
  double rate(const std::string &name, const std::string &counter) const {
    auto b = rates_.find(name);
    if (b == rates_.end()) return 0;
    auto c = b->second.find(counter);
    return c == b->second.end() ? 0 : c->second;
  }

  // Prints "label: a / b = ratio (target)" when both ran.
  void print_ratio(const char *label, const std::string &num, const std::string &den, const std::string &counter,
                   double scale, const char *unit, const char *target) const {
    const double a = rate(num, counter);
    const double b = rate(den, counter);
    if (a <= 0 || b <= 0) return;
    std::printf("%-44s %10.1f / %10.1f %-6s = %.3f  (target %s)\n", label, a / scale, b / scale, unit, a / b, target);
  }

 private:
  std::map<std::string, std::map<std::string, double>> rates_;
  std::map<std::string, bool> medians_;
};

}  // namespace plexauth_bench
