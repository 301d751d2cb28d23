// Parse and map a UserPlexAccount body (plexauth::parse_account: checked JSON
// parse + field tables -> Account) against a bare RapidJSON DOM parse of the
// same bytes, the ceiling. The bodies are the ones the fake server answers:
// GET /user (the plex-auth-api.md §7 example) and the larger sign-in body.
#include <benchmark/benchmark.h>

#include <string>

#include "core/json.h"  // RapidJSON as the library configures it (one configuration per program)
#include "fake_plex.h"
#include "models/models.h"
#include "ratio_reporter.h"

namespace {

struct Bodies {
  std::string user;
  std::string sign_in;
};

const Bodies &bodies() {
  static const Bodies b = [] {
    plexauth_fake::FakePlex fake;
    return Bodies{fake.user_body(plexauth_fake::seed::kEmailA), fake.sign_in_body(plexauth_fake::seed::kEmailA)};
  }();
  return b;
}

const std::string &body(const benchmark::State &state) {
  return state.range(0) == 0 ? bodies().user : bodies().sign_in;
}

void label(benchmark::State &state) {
  const std::string &b = body(state);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(b.size()));
  state.SetLabel((state.range(0) == 0 ? "user " : "sign-in ") + std::to_string(b.size()) + " B");
}

// The ceiling: RapidJSON's default DOM parse (recursive, no UTF-8 check, no
// depth limit), of the bytes with their length...
void BM_RapidJsonDom(benchmark::State &state) {
  const std::string &b = body(state);
  for (auto _ : state) {
    rapidjson::Document d;
    d.Parse(b.data(), b.size());
    if (d.HasParseError()) state.SkipWithError("bare parse failed");
    benchmark::DoNotOptimize(d);
  }
  label(state);
}

// ...and as a NUL-terminated string (RapidJSON's fastest non-destructive input).
void BM_RapidJsonDomNul(benchmark::State &state) {
  const std::string &b = body(state);
  for (auto _ : state) {
    rapidjson::Document d;
    d.Parse(b.c_str());
    if (d.HasParseError()) state.SkipWithError("bare parse failed");
    benchmark::DoNotOptimize(d);
  }
  label(state);
}

// plexauth's checked parse alone (UTF-8 check, depth limit, iterative parser).
void BM_CheckedParse(benchmark::State &state) {
  const std::string &b = body(state);
  for (auto _ : state) {
    rapidjson::Document d;
    plexauth::json::parse(d, b);
    benchmark::DoNotOptimize(d);
  }
  label(state);
}

// What a call does with a body: checked parse + map into the Account model.
void BM_ParseMap(benchmark::State &state) {
  const std::string &b = body(state);
  for (auto _ : state) {
    plexauth::Account a = plexauth::parse_account(b);
    benchmark::DoNotOptimize(a);
  }
  label(state);
}

// The account as normalised JSON (what bindings read in one call).
void BM_ParseMapToJson(benchmark::State &state) {
  const std::string &b = body(state);
  for (auto _ : state) {
    std::string json = plexauth::account_to_json(plexauth::parse_account(b));
    benchmark::DoNotOptimize(json);
  }
  label(state);
}

BENCHMARK(BM_RapidJsonDom)->Arg(0)->Arg(1);
BENCHMARK(BM_RapidJsonDomNul)->Arg(0)->Arg(1);
BENCHMARK(BM_CheckedParse)->Arg(0)->Arg(1);
BENCHMARK(BM_ParseMap)->Arg(0)->Arg(1);
BENCHMARK(BM_ParseMapToJson)->Arg(0)->Arg(1);

}  // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  (void)bodies();  // before timing: the fake server starts and stops once
  plexauth_bench::RatioReporter reporter;  // tabular, no colours
  benchmark::RunSpecifiedBenchmarks(&reporter);
  std::printf("\nratios (MB/s = 10^6 bytes/s; the ceiling is the faster bare DOM parse):\n");
  for (const char *arg : {"0", "1"}) {
    const std::string a(arg);
    const std::string what = a == "0" ? "user" : "sign-in";
    // The ceiling is the faster of the two bare parses.
    const bool nul_faster = reporter.rate("BM_RapidJsonDomNul/" + a, "bytes_per_second") >
                            reporter.rate("BM_RapidJsonDom/" + a, "bytes_per_second");
    const std::string bare = (nul_faster ? "BM_RapidJsonDomNul/" : "BM_RapidJsonDom/") + a;
    reporter.print_ratio(("parse+map / bare DOM, " + what).c_str(), "BM_ParseMap/" + a, bare, "bytes_per_second",
                         1e6, "MB/s", ">= 0.50");
    reporter.print_ratio(("checked parse / bare DOM, " + what).c_str(), "BM_CheckedParse/" + a, bare,
                         "bytes_per_second", 1e6, "MB/s", "-");
  }
  benchmark::Shutdown();
  return 0;
}
