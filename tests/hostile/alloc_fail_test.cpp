// Allocation-failure testing, after libcurl's "torture" tests: for N = 1, 2,
// 3, ... the Nth allocation made on the calling thread during one whole call
// fails, for each of the four operations against the in-process FakePlex,
// until a run makes fewer than N allocations. Every run must end OK or with a
// clean status (out_of_memory, or the transport error a failed write callback
// turns into), never crash; under the ASan build (gate 1 runs every ctest test
// there) every run is also checked for leaks at exit.
//
// Counted: this program's replacement of the global operator new (the core,
// the C ABI, libstdc++ on their behalf) and libcurl's allocations, through
// curl_global_init_mem (libcurl's own memory hooks), on the watched thread
// only: the fake server's threads are never counted. Not counted: RapidJSON's
// and OpenSSL's malloc calls (RapidJSON's allocator calls malloc directly).
#include <curl/curl.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <new>
#include <string>

#include "support.h"

namespace {

thread_local bool t_watching = false;
thread_local long t_count = 0;
thread_local long t_fail_at = 0;  // 0: never
thread_local long t_failed = 0;

// True when this allocation is the one to fail.
bool should_fail() noexcept {
  if (!t_watching) return false;
  if (++t_count != t_fail_at) return false;
  ++t_failed;
  return true;
}

void *curl_malloc(size_t n) { return should_fail() ? nullptr : std::malloc(n); }
void curl_free_fn(void *p) { std::free(p); }
void *curl_realloc(void *p, size_t n) { return should_fail() ? nullptr : std::realloc(p, n); }
char *curl_strdup(const char *s) {
  if (should_fail()) return nullptr;
  const size_t n = std::strlen(s) + 1;
  char *d = static_cast<char *>(std::malloc(n));
  if (d) std::memcpy(d, s, n);
  return d;
}
void *curl_calloc(size_t n, size_t size) { return should_fail() ? nullptr : std::calloc(n, size); }

}  // namespace

void *operator new(std::size_t n) {
  if (should_fail()) throw std::bad_alloc();
  if (void *p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void *operator new(std::size_t n, const std::nothrow_t &) noexcept {
  if (should_fail()) return nullptr;
  return std::malloc(n ? n : 1);
}
void *operator new[](std::size_t n, const std::nothrow_t &t) noexcept { return operator new(n, t); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { std::free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { std::free(p); }

namespace {

using namespace itest;  // NOLINT

// libcurl's hooks must be installed before anything initialises libcurl.
struct CurlHooks : ::testing::Environment {
  void SetUp() override {
    ASSERT_EQ(curl_global_init_mem(CURL_GLOBAL_DEFAULT, curl_malloc, curl_free_fn, curl_realloc, curl_strdup,
                                   curl_calloc),
              CURLE_OK);
  }
  void TearDown() override { curl_global_cleanup(); }
};
const auto *const kHooks = ::testing::AddGlobalTestEnvironment(new CurlHooks);

class AllocFail : public Integration {
 protected:
  // Runs `call` (one operation on a fresh client, created and freed outside
  // the watched region) with the Nth allocation failing, for N = 1, 2, ...
  // until a run does not reach N. Returns the statuses seen, by name.
  int query_dropped = 0;
  std::map<std::string, int> sweep(const char *what,
                                   const std::function<plexauth_status(plexauth_client *, const plexauth_call_options *)>
                                       &call,
                                   int64_t timeout_ms = 0) {
    std::map<std::string, int> seen;
    auto opts = call_options();
    EXPECT_EQ(plexauth_call_options_set_retry(opts.get(), nullptr), PLEXAUTH_OK);  // one attempt: deterministic
    if (timeout_ms) {
      EXPECT_EQ(plexauth_call_options_set_timeout_ms(opts.get(), timeout_ms), PLEXAUTH_OK);
    }
    long runs = 0;
    query_dropped = 0;
    for (long n = 1; n < 100000; ++n) {
      auto c = new_client(fake_config(fake, seed::kTokenB).get());
      t_count = 0;
      t_failed = 0;
      t_fail_at = n;
      t_watching = true;
      const plexauth_status st = call(c.get(), opts.get());
      t_watching = false;
      const bool injected = t_failed > 0;
      ++runs;
      ++seen[plexauth_status_name(st)];
      // Finding (libcurl 7.88, not ours): one failed allocation inside
      // libcurl sends a GET without its query string, which the server
      // answers with 400. Tolerated (it is a clean status), and counted.
      if (st == PLEXAUTH_E_BAD_REQUEST) {
        const auto reqs = fake.requests();
        EXPECT_TRUE(!reqs.empty() && reqs.back().query.empty()) << what << ": a 400 for a request with its query";
        ++query_dropped;
        continue;
      }
      // transport: a write callback that could not store data aborts the
      // transfer; malformed_response: before libcurl 8.6 an allocation
      // failure while libcurl reads the headers is the same code as its
      // header-line limit (CURLE_OUT_OF_MEMORY), see transport.cpp.
      EXPECT_TRUE(st == PLEXAUTH_OK || st == PLEXAUTH_E_OUT_OF_MEMORY || st == PLEXAUTH_E_TRANSPORT ||
                  st == PLEXAUTH_E_MALFORMED_RESPONSE || (st == PLEXAUTH_E_TIMEOUT && timeout_ms > 0) ||
                  (st == PLEXAUTH_E_TWO_FACTOR_REQUIRED && std::strcmp(what, "sign_in_2fa") == 0))
          << what << ": allocation " << n << " failing gave " << plexauth_status_name(st);
      if (!injected) {
        EXPECT_EQ(st, std::strcmp(what, "sign_in_2fa") == 0 ? PLEXAUTH_E_TWO_FACTOR_REQUIRED : PLEXAUTH_OK) << what;
        break;
      }
    }
    std::printf("[alloc-fail] %s: %ld runs (allocations on the calling thread: %ld)", what, runs, runs - 1);
    if (query_dropped) std::printf(" [libcurl dropped the query: %d]", query_dropped);
    for (const auto &[name, count] : seen) std::printf(" %s=%d", name.c_str(), count);
    std::printf("\n");
    std::fflush(stdout);
    return seen;
  }
};

template <class T, class Free>
void drop(T *p, Free f) {
  if (p) f(p);
}

TEST_F(AllocFail, GetTokenDetails) {
  auto seen = sweep("get_token_details", [](plexauth_client *c, const plexauth_call_options *o) {
    plexauth_account *a = nullptr;
    plexauth_error *e = nullptr;
    const plexauth_status st = plexauth_client_get_token_details(&a, c, o, &e);
    if (a) (void)plexauth_account_json(a, nullptr);  // serialised on first use: allocates too
    drop(a, plexauth_account_free);
    drop(e, plexauth_error_free);
    return st;
  });
  EXPECT_GT(seen["out_of_memory"], 0);
}

TEST_F(AllocFail, SignIn) {
  auto seen = sweep("sign_in", [](plexauth_client *c, const plexauth_call_options *o) {
    plexauth_sign_in *req = nullptr;
    if (plexauth_sign_in_new(&req) != PLEXAUTH_OK) return PLEXAUTH_E_OUT_OF_MEMORY;
    plexauth_status st = plexauth_sign_in_set_login(req, seed::kEmailB);
    if (st == PLEXAUTH_OK) st = plexauth_sign_in_set_password(req, seed::kPasswordB);
    if (st == PLEXAUTH_OK) st = plexauth_sign_in_set_verification_code(req, seed::kCodeB);
    if (st == PLEXAUTH_OK) {
      plexauth_account *a = nullptr;
      plexauth_error *e = nullptr;
      st = plexauth_client_post_users_sign_in_data(&a, c, req, o, &e);
      drop(a, plexauth_account_free);
      drop(e, plexauth_error_free);
    }
    plexauth_sign_in_free(req);
    return st;
  });
  EXPECT_GT(seen["out_of_memory"], 0);
}

TEST_F(AllocFail, GetTransientToken) {
  auto seen = sweep("get_transient_token", [](plexauth_client *c, const plexauth_call_options *o) {
    plexauth_transient_token *t = nullptr;
    plexauth_error *e = nullptr;
    const plexauth_status st = plexauth_client_get_transient_token(&t, c, "delegation", "all", o, &e);
    drop(t, plexauth_transient_token_free);
    drop(e, plexauth_error_free);
    return st;
  });
  EXPECT_GT(seen["out_of_memory"], 0);
}

TEST_F(AllocFail, GetSourceConnectionInformation) {
  auto seen = sweep("get_source_connection_information", [](plexauth_client *c, const plexauth_call_options *o) {
    plexauth_source_info *s = nullptr;
    plexauth_error *e = nullptr;
    const plexauth_status st = plexauth_client_get_source_connection_information(&s, c, seed::kSource, o, &e);
    drop(s, plexauth_source_info_free);
    drop(e, plexauth_error_free);
    return st;
  });
  EXPECT_GT(seen["out_of_memory"], 0);
}

// The non-blocking path on an external loop driven by the watched thread, so
// that the engine's own allocations (queues, the transfer map, the pending
// call's state) fail too. Whatever failed, the call must still complete:
// once allocations work again, the loop drains to no pending call.
TEST_F(AllocFail, GetTokenDetailsNonBlocking) {
  long stranded = 0;
  auto seen = sweep("get_token_details_start", [&stranded](plexauth_client *c, const plexauth_call_options *o) {
    plexauth_loop *loop = nullptr;
    plexauth_status st = plexauth_loop_new(&loop, PLEXAUTH_LOOP_EXTERNAL, nullptr);
    if (st != PLEXAUTH_OK) return st;
    plexauth_call *call = nullptr;
    st = plexauth_client_get_token_details_start(&call, c, o, loop, nullptr, nullptr, nullptr);
    if (st == PLEXAUTH_OK) {
      plexauth_status ran = plexauth_loop_run(loop, 10000, nullptr);
      const bool watching = t_watching;
      t_watching = false;  // the check below must not fail itself
      if (ran != PLEXAUTH_OK) ran = plexauth_loop_run(loop, 10000, nullptr);
      if (ran != PLEXAUTH_OK || plexauth_loop_pending(loop) != 0 || plexauth_call_done(call) != 1) ++stranded;
      t_watching = watching;
      plexauth_account *a = nullptr;
      plexauth_error *e = nullptr;
      st = plexauth_client_get_token_details_finish(&a, call, &e);
      drop(a, plexauth_account_free);
      drop(e, plexauth_error_free);
      plexauth_call_free(call);
    }
    plexauth_loop_free(loop);
    return st;
  }, 1000);  // a transfer libcurl lost track of (out of memory inside it) ends at its timeout + 1 s
  EXPECT_GT(seen["out_of_memory"], 0);
  EXPECT_EQ(stranded, 0) << "calls that never completed after an allocation failure";
}

}  // namespace
