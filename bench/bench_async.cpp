// Throughput of many concurrent get_token_details calls through ONE client on
// ONE thread (the non-blocking C API on an external loop this thread drives)
// against a raw curl_multi loop that sends the identical requests with the
// same connection limit (16 per host), and the blocking API on 8 threads for
// comparison. Each iteration runs a batch of 256 calls to completion.
//
// Everything runs in one process on loopback, the fake server included, so
// client and server share the CPU; compare the rows with each other only.
#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <plexauth/plexauth.h>
#include <poll.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fake_plex.h"
#include "bench_world.h"
#include "ratio_reporter.h"

namespace {

namespace seed = plexauth_fake::seed;

constexpr int kBatch = 256;
constexpr long kMaxHostConnections = 16;  // the engine's own limit (src/core/engine.cpp)

using plexauth_bench::kIdentity;

[[noreturn]] void die(const std::string &what) { plexauth_bench::die("plexauth_bench_async", what); }

void check(plexauth_status s, const char *what) {
  if (s != PLEXAUTH_OK) die(std::string(what) + ": " + plexauth_status_name(s));
}

struct World {
  plexauth_fake::FakePlex fake{[] {
    plexauth_fake::Options o;
    o.threads = 64;  // more than either client opens
    return o;
  }()};
  plexauth_client *client = nullptr;
  plexauth_loop *loop = nullptr;
  std::string user_url;

  World() {
    client = plexauth_bench::new_client(fake, "plexauth_bench_async");
    check(plexauth_loop_new(&loop, PLEXAUTH_LOOP_EXTERNAL, nullptr), "plexauth_loop_new");
    user_url = fake.plex_tv_url() + "/user";
  }
  ~World() {
    plexauth_loop_free(loop);
    plexauth_client_free(client);
  }
};

World *world = nullptr;

// ---------------------------------------------------------------- plexauth, one thread

int g_done = 0;
void count_done(plexauth_call *, void *) { ++g_done; }

// One batch: start kBatch calls, drive the loop until all completed, read
// each result's id, free everything. False on any failure.
bool plexauth_batch() {
  std::vector<plexauth_call *> calls(kBatch, nullptr);
  g_done = 0;
  for (auto &c : calls)
    if (plexauth_client_get_token_details_start(&c, world->client, nullptr, world->loop, &count_done, nullptr,
                                                nullptr) != PLEXAUTH_OK)
      return false;
  const int fd = plexauth_loop_fd(world->loop);
  while (g_done < kBatch) {
    pollfd p{fd, POLLIN, 0};
    const int64_t t = plexauth_loop_timeout_ms(world->loop);
    ::poll(&p, 1, t < 0 || t > 1000 ? 1000 : static_cast<int>(t));
    if (plexauth_loop_process(world->loop, nullptr) != PLEXAUTH_OK) return false;
  }
  bool ok = true;
  for (auto *c : calls) {
    plexauth_account *a = nullptr;
    int64_t id = 0;
    ok = ok && plexauth_client_get_token_details_finish(&a, c, nullptr) == PLEXAUTH_OK &&
         plexauth_account_id(a, &id) == 1 && id == seed::kIdA;
    plexauth_account_free(a);
    plexauth_call_free(c);
  }
  return ok;
}

void BM_PlexauthAsyncOneThread(benchmark::State &state) {
  if (!plexauth_batch()) state.SkipWithError("batch failed");  // untimed: connections open
  for (auto _ : state) {
    if (!plexauth_batch()) {
      state.SkipWithError("batch failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// ---------------------------------------------------------------- raw curl_multi, one thread

size_t append(char *data, size_t size, size_t n, void *user) {
  static_cast<std::string *>(user)->append(data, size * n);
  return size * n;
}

struct RawMulti {
  CURLM *multi = curl_multi_init();
  curl_slist *headers = nullptr;
  std::vector<CURL *> easies;
  std::vector<std::string> bodies;

  RawMulti() : easies(kBatch), bodies(kBatch) {
    headers = curl_slist_append(headers, "Accept: application/json");
    for (const auto &[name, value] : kIdentity)
      headers = curl_slist_append(headers, (std::string(name) + ": " + value).c_str());
    headers = curl_slist_append(headers, (std::string("X-Plex-Token: ") + seed::kTokenA).c_str());
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, kMaxHostConnections);
    for (int i = 0; i < kBatch; ++i) {
      CURL *e = easies[i] = curl_easy_init();
      curl_easy_setopt(e, CURLOPT_URL, world->user_url.c_str());
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(e, CURLOPT_USERAGENT, "plexauth/" PLEXAUTH_VERSION_STRING);
      curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
      curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
      curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &append);
      curl_easy_setopt(e, CURLOPT_WRITEDATA, &bodies[i]);
    }
  }
  ~RawMulti() {
    for (CURL *e : easies) curl_easy_cleanup(e);
    curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
  }
  RawMulti(const RawMulti &) = delete;
  RawMulti &operator=(const RawMulti &) = delete;

  bool batch() {
    for (int i = 0; i < kBatch; ++i) {
      bodies[i].clear();
      curl_multi_add_handle(multi, easies[i]);
    }
    int running = 0;
    int ok = 0;
    do {
      if (curl_multi_perform(multi, &running) != CURLM_OK) return false;
      ok += reap();
      if (running) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    } while (running);
    ok += reap();
    return ok == kBatch;
  }
  // Removes the finished transfers; how many got a 200.
  int reap() {
    int ok = 0;
    int queued = 0;
    while (CURLMsg *m = curl_multi_info_read(multi, &queued)) {
      if (m->msg != CURLMSG_DONE) continue;
      long code = 0;
      curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &code);
      if (m->data.result == CURLE_OK && code == 200) ++ok;
      curl_multi_remove_handle(multi, m->easy_handle);
    }
    return ok;
  }
};

void BM_RawCurlMultiOneThread(benchmark::State &state) {
  RawMulti raw;
  if (!raw.batch()) state.SkipWithError("raw batch failed");
  for (auto _ : state) {
    if (!raw.batch()) {
      state.SkipWithError("raw batch failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}

// ---------------------------------------------------------------- blocking, 8 threads

void BM_PlexauthBlocking8Threads(benchmark::State &state) {
  const int per_thread = kBatch / state.threads();
  for (auto _ : state) {
    for (int i = 0; i < per_thread; ++i) {
      plexauth_account *a = nullptr;
      if (plexauth_client_get_token_details(&a, world->client, nullptr, nullptr) != PLEXAUTH_OK) {
        state.SkipWithError("get_token_details failed");
        break;
      }
      plexauth_account_free(a);
    }
  }
  state.SetItemsProcessed(state.iterations() * per_thread);
}

void clear_log(const benchmark::State &) { world->fake.clear_log(); }

BENCHMARK(BM_RawCurlMultiOneThread)->Setup(clear_log)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlexauthAsyncOneThread)->Setup(clear_log)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlexauthBlocking8Threads)->Setup(clear_log)->UseRealTime()->Threads(8)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  {
    World w;
    world = &w;
    if (!plexauth_batch()) die("a batch of non-blocking calls failed against the fake server");
    plexauth_bench::RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf("\ncalls/s, %d concurrent get_token_details on one thread (one client), vs raw curl_multi:\n", kBatch);
    reporter.print_ratio("async, 1 thread", "BM_PlexauthAsyncOneThread/real_time", "BM_RawCurlMultiOneThread/real_time",
                         "items_per_second", 1, "/s", ">= 0.90");
    reporter.print_ratio("blocking, 8 threads", "BM_PlexauthBlocking8Threads/real_time/threads:8",
                         "BM_RawCurlMultiOneThread/real_time", "items_per_second", 1, "/s", "-");
    world = nullptr;
  }
  curl_global_cleanup();
  benchmark::Shutdown();
  return 0;
}
