// Gate 6: password buffers are wiped after use. This program replaces the
// global operator delete, so every C++ heap block that libplexauth (and
// libstdc++ on its behalf) frees passes through here first; while a test
// watches the calling thread, a block still holding the password or the 2FA
// code when it is freed is counted as a leak.
//
// free() and realloc() are replaced as well, only to zero what they release.
//
// What this covers: the library's own C++ copies (the sign-in request, the
// form body, the redactor, the request being sent), which is all the memory
// plexauth manages. What it cannot see: libcurl's internal buffers (allocated
// with malloc, not operator new; the form body is handed over without a
// copy, CURLOPT_POSTFIELDS, but libcurl assembles the request in its own send
// buffer), and the fake server (its threads are not watched).
//
// Sanitizers bring their own allocator: replacing free() under them would
// hand their blocks to glibc, so there the probe is left out and the tests
// skip (the plain build runs them). Valgrind replaces these functions too:
// this program is not meant to run under it.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PLEXAUTH_WIPE_PROBE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define PLEXAUTH_WIPE_PROBE 0
#endif
#endif
#ifndef PLEXAUTH_WIPE_PROBE
#define PLEXAUTH_WIPE_PROBE 1
#endif

#include <malloc.h>
#include <string.h>  // explicit_bzero, memmem

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "support.h"

namespace {

// Plain arrays, not std::string: the needles must not live on the heap.
struct Needles {
  char text[4][128] = {};
  size_t count = 0;
};
Needles g_needles;
thread_local bool t_watching = false;
std::atomic<int> g_leaks{0};
std::atomic<long> g_checked{0};

[[maybe_unused]] void inspect(void *p) noexcept {
  if (!p || !t_watching) return;
  const size_t size = malloc_usable_size(p);
  ++g_checked;
  for (size_t i = 0; i < g_needles.count; ++i) {
    const char *needle = g_needles.text[i];
    if (memmem(p, size, needle, std::strlen(needle)) != nullptr) ++g_leaks;
  }
}

}  // namespace

#if PLEXAUTH_WIPE_PROBE
// free() and realloc() are replaced too, to zero every block they release:
// no stale bytes from an earlier owner (libcurl's buffers, for one) can then
// be mistaken for a copy made by the block freed here.
extern "C" {
void __libc_free(void *p) noexcept;  // glibc's own
void *__libc_malloc(std::size_t n) noexcept;

void free(void *p) noexcept {
  if (p == nullptr) return;
  explicit_bzero(p, malloc_usable_size(p));
  __libc_free(p);
}

void *realloc(void *p, std::size_t n) noexcept {
  if (p == nullptr) return __libc_malloc(n);
  if (n == 0) {
    free(p);
    return nullptr;
  }
  void *q = __libc_malloc(n);
  if (q == nullptr) return nullptr;
  std::memcpy(q, p, std::min(n, malloc_usable_size(p)));
  free(p);
  return q;
}
}  // extern "C"

// Allocation stays glibc's malloc, so that free() is the matching release.
void *operator new(std::size_t n) {
  if (void *p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void operator delete(void *p) noexcept {
  inspect(p);
  std::free(p);
}
void operator delete(void *p, std::size_t) noexcept {
  inspect(p);
  std::free(p);
}
void operator delete[](void *p) noexcept {
  inspect(p);
  std::free(p);
}
void operator delete[](void *p, std::size_t) noexcept {
  inspect(p);
  std::free(p);
}
#endif  // PLEXAUTH_WIPE_PROBE

namespace {

using namespace itest;

// Long enough that no std::string keeps them in its small inline buffer:
// every copy of them is a heap block.
constexpr char kLogin[] = "wipe-test@example.com";
constexpr char kPassword[] = "correct-horse-battery-staple-0123456789";
constexpr char kCode[] = "987654";
constexpr char kToken[] = "wipeTestTokenABCDEFGHIJ";

class Watch {
 public:
  explicit Watch(std::initializer_list<const char *> needles) {
    g_needles.count = 0;
    for (const char *n : needles) std::strncpy(g_needles.text[g_needles.count++], n, 127);
    g_leaks = 0;
    g_checked = 0;
    t_watching = true;
  }
  ~Watch() { t_watching = false; }
  Watch(const Watch &) = delete;
  Watch &operator=(const Watch &) = delete;
};

class Wipe : public Integration {
 protected:
  void SetUp() override {
    if (!PLEXAUTH_WIPE_PROBE) GTEST_SKIP() << "no heap probe under a sanitizer";
    plexauth_fake::Account account;
    account.email = kLogin;
    account.username = "wipetest";
    account.password = kPassword;
    account.verification_code = kCode;
    account.token = kToken;
    account.json = plexauth_fake::account_json(99, "feedfacecafebeef", "wipetest", kLogin, "FR", kToken, true);
    fake.add_account(account);
  }
};

TEST_F(Wipe, NoFreedHeapBlockHoldsThePasswordOrTheCode) {
  Owned<plexauth_client> c = client_with_token(nullptr);
  long checked = 0;
  {
    Watch watch({kPassword, kCode});
    {
      plexauth_sign_in *req = nullptr;
      ASSERT_EQ(plexauth_sign_in_new(&req), PLEXAUTH_OK);
      ASSERT_EQ(plexauth_sign_in_set_login(req, kLogin), PLEXAUTH_OK);
      ASSERT_EQ(plexauth_sign_in_set_password(req, "an-earlier-password-that-is-replaced"), PLEXAUTH_OK);
      ASSERT_EQ(plexauth_sign_in_set_password(req, kPassword), PLEXAUTH_OK);  // replaces: the old one is wiped
      // No code yet: 2FA required; then with the code, after a 503 (a retry).
      plexauth_account *out = nullptr;
      plexauth_error *err = nullptr;
      EXPECT_EQ(plexauth_client_post_users_sign_in_data(&out, c.get(), req, nullptr, &err),
                PLEXAUTH_E_TWO_FACTOR_REQUIRED);
      plexauth_error_free(err);
      ASSERT_EQ(plexauth_sign_in_set_verification_code(req, kCode), PLEXAUTH_OK);
      fake.add_fault(kSignInPath, status_fault(503));
      EXPECT_EQ(plexauth_client_post_users_sign_in_data(&out, c.get(), req, nullptr, &err), PLEXAUTH_OK);
      ASSERT_NE(out, nullptr);
      EXPECT_STREQ(plexauth_account_auth_token(out), kToken);
      plexauth_account_free(out);
      ASSERT_EQ(plexauth_sign_in_set_verification_code(req, nullptr), PLEXAUTH_OK);  // cleared: wiped
      plexauth_sign_in_free(req);
    }
    checked = g_checked;
    EXPECT_EQ(g_leaks, 0) << "freed heap blocks still holding the password or the 2FA code";
  }
  ASSERT_GT(checked, 10) << "operator delete was not interposed: the test saw nothing";
  std::printf("[wipe] %ld heap blocks freed by the sign-in path checked, %d held a secret\n", checked,
              g_leaks.load());
  // The fake got the real thing.
  const auto sent = fake.requests_to(kSignInPath);
  ASSERT_EQ(sent.size(), 3u);
  EXPECT_NE(sent[2].body.find(std::string("password=") + kPassword), std::string::npos);
}

// The access token is copied for each attempt (the X-Plex-Token header, the
// redactor): every copy is wiped too. (PMS answers do not carry the token,
// so any block holding it was made by the library.)
TEST_F(Wipe, NoFreedHeapBlockHoldsTheAccessToken) {
  Owned<plexauth_client> c = client_with_token(kToken);
  {
    Watch watch({kToken});
    fake.add_fault(kTokenPath, status_fault(503));  // two attempts
    plexauth_transient_token *t = nullptr;
    plexauth_error *err = nullptr;
    EXPECT_EQ(plexauth_client_get_transient_token(&t, c.get(), nullptr, nullptr, nullptr, &err), PLEXAUTH_OK);
    plexauth_transient_token_free(t);
    plexauth_error_free(err);
    EXPECT_EQ(g_leaks, 0) << "freed heap blocks still holding the access token";
    EXPECT_GT(g_checked, 10);
  }
  const auto sent = fake.requests_to(kTokenPath);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].header("X-Plex-Token"), kToken);
}

// The probe itself works: a std::string holding the password, freed while
// watched, is seen.
TEST_F(Wipe, TheProbeSeesAnUnwipedCopy) {
  Watch watch({kPassword});
  { std::string copy = std::string(kPassword) + "-and-more-to-be-on-the-heap"; }
  EXPECT_GE(g_leaks, 1);
}

}  // namespace
