// The per-call cost of get_token_details through the C ABI, on one keep-alive
// connection to the in-process fake server, against a minimal raw libcurl loop
// that sends the identical request (same URL and headers) on the same kind of
// connection: the floor for any libcurl client. Then 1, 2, 4 and 8 threads
// sharing one plexauth client (raw libcurl: one handle per thread).
//
// Everything runs in one process on loopback, the fake server included, so
// client and server share the CPU; compare the rows with each other only.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <plexauth/plexauth.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fake_plex.h"
#include "bench_world.h"
#include "ratio_reporter.h"

namespace {

namespace seed = plexauth_fake::seed;

using plexauth_bench::kIdentity;

[[noreturn]] void die(const std::string &what) { plexauth_bench::die("plexauth_bench_calls", what); }

// The fake server and one client for the whole program.
struct World {
  plexauth_fake::FakePlex fake;
  plexauth_client *client = nullptr;
  std::string user_url;

  World() {
    client = plexauth_bench::new_client(fake, "plexauth_bench_calls");
    user_url = fake.plex_tv_url() + "/user";
  }
  ~World() { plexauth_client_free(client); }
};

World *world = nullptr;

// ---------------------------------------------------------------- plexauth

// One call, its result read (the id) and freed; false on failure.
bool plexauth_call() {
  plexauth_account *a = nullptr;
  if (plexauth_client_get_token_details(&a, world->client, nullptr, nullptr) != PLEXAUTH_OK) return false;
  int64_t id = 0;
  const bool ok = plexauth_account_id(a, &id) == 1 && id == seed::kIdA;
  plexauth_account_free(a);
  return ok;
}

void BM_PlexauthGetTokenDetails(benchmark::State &state) {
  // Untimed: this thread's session opens its connection.
  if (!plexauth_call()) state.SkipWithError("get_token_details failed");
  for (auto _ : state) {
    if (!plexauth_call()) {
      state.SkipWithError("get_token_details failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// ---------------------------------------------------------------- raw libcurl

size_t append(char *data, size_t size, size_t n, void *user) {
  static_cast<std::string *>(user)->append(data, size * n);
  return size * n;
}

// The same request plexauth sends: URL, User-Agent, Accept-Encoding (libcurl's
// list), Accept, the five identity headers, X-Plex-Token.
struct RawCurl {
  CURL *easy = curl_easy_init();
  curl_slist *headers = nullptr;
  std::string body;

  RawCurl() {
    headers = curl_slist_append(headers, "Accept: application/json");
    for (const auto &[name, value] : kIdentity) headers = curl_slist_append(headers, (std::string(name) + ": " + value).c_str());
    headers = curl_slist_append(headers, (std::string("X-Plex-Token: ") + seed::kTokenA).c_str());
    curl_easy_setopt(easy, CURLOPT_URL, world->user_url.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "plexauth/" PLEXAUTH_VERSION_STRING);
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &append);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
  }
  ~RawCurl() {
    curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
  RawCurl(const RawCurl &) = delete;
  RawCurl &operator=(const RawCurl &) = delete;

  bool call() {
    body.clear();
    long code = 0;
    return curl_easy_perform(easy) == CURLE_OK && curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
           code == 200 && !body.empty();
  }
};

void BM_RawCurlGetTokenDetails(benchmark::State &state) {
  RawCurl raw;  // one handle (one connection) per thread
  if (!raw.call()) state.SkipWithError("raw libcurl request failed");
  for (auto _ : state) {
    if (!raw.call()) {
      state.SkipWithError("raw libcurl request failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

// The fake records every request; start each run with an empty log.
void clear_log(const benchmark::State &) { world->fake.clear_log(); }

BENCHMARK(BM_RawCurlGetTokenDetails)->Setup(clear_log)->UseRealTime()->ThreadRange(1, 8);
BENCHMARK(BM_PlexauthGetTokenDetails)->Setup(clear_log)->UseRealTime()->ThreadRange(1, 8);

// The two loops must send the same request, or the ratio means nothing.
void check_identical_requests() {
  world->fake.clear_log();
  if (!plexauth_call()) die("get_token_details failed against the fake server");
  {
    RawCurl raw;
    if (!raw.call()) die("the raw libcurl request failed against the fake server");
  }
  const auto log = world->fake.requests();
  if (log.size() != 2) die("expected 2 recorded requests, got " + std::to_string(log.size()));
  auto headers = [](const plexauth_fake::RecordedRequest &r) {
    auto h = r.headers;
    std::sort(h.begin(), h.end());  // only the order of the headers may differ
    return h;
  };
  if (log[0].method != log[1].method || log[0].path != log[1].path || log[0].query != log[1].query ||
      headers(log[0]) != headers(log[1])) {
    std::string msg = "plexauth and raw libcurl send different requests:";
    for (const auto &r : log) {
      msg += "\n  " + r.method + " " + r.path + "?" + r.query;
      for (const auto &[k, v] : headers(r)) msg += "\n    " + k + ": " + (k == "X-Plex-Token" ? "<redacted>" : v);
    }
    die(msg);
  }
  world->fake.clear_log();
}

}  // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  {
    World w;
    world = &w;
    check_identical_requests();
    plexauth_bench::RatioReporter reporter;  // tabular, no colours
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf("\ncalls/s, plexauth C ABI vs raw libcurl (same request, keep-alive, in-process fake):\n");
    for (int t = 1; t <= 8; t *= 2) {
      const std::string suffix = "/real_time/threads:" + std::to_string(t);
      reporter.print_ratio(("threads " + std::to_string(t)).c_str(), "BM_PlexauthGetTokenDetails" + suffix,
                           "BM_RawCurlGetTokenDetails" + suffix, "items_per_second", 1, "/s",
                           t == 1 ? ">= 0.90" : "-");
    }
    world = nullptr;
  }
  curl_global_cleanup();
  benchmark::Shutdown();
  return 0;
}
