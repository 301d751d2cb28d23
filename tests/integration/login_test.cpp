// The login journey's local helpers through the C ABI: the stored client
// identifier, the hosted login URL, waiting for a PIN's approval (against the
// fake's PINs, approved through its control API from another thread), and
// the per-call access token.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include "support.h"

namespace itest {
namespace {

// xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx, lowercase hex (no std::regex: GCC 12
// warns inside it at -O1, and the sanitizer builds treat warnings as errors).
bool is_uuid4(const std::string &s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return s[14] == '4' && (s[19] == '8' || s[19] == '9' || s[19] == 'a' || s[19] == 'b');
}

// A fresh private folder under the test's temporary directory.
std::string temp_dir() {
  std::string tmpl = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                     "/plexauth-login-XXXXXX";
  const char *d = mkdtemp(tmpl.data());
  EXPECT_NE(d, nullptr);
  return tmpl;
}

std::string load_id(const std::string &path, plexauth_status *status = nullptr) {
  char id[PLEXAUTH_CLIENT_ID_MAX] = {0};
  plexauth_error *err = nullptr;
  const plexauth_status st = plexauth_client_id_load_or_create(path.c_str(), id, sizeof id, &err);
  plexauth_error_free(err);
  if (status) *status = st;
  return st == PLEXAUTH_OK ? std::string(id) : std::string();
}

TEST(Login, TheClientIdentifierIsCreatedOnceAsAPrivateUuid) {
  const std::string dir = temp_dir();
  const std::string path = dir + "/nested/deeper/client_id";
  const std::string id = load_id(path);
  EXPECT_TRUE(is_uuid4(id)) << id;
  struct stat st{};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir + "/nested").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // Every later run reads the same identifier: no new device per run.
  EXPECT_EQ(load_id(path), id);
  EXPECT_EQ(load_id(path), id);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, id);
}

TEST(Login, ConcurrentFirstRunsAgreeOnOneIdentifier) {
  const std::string path = temp_dir() + "/client_id";
  std::string ids[8];
  std::thread threads[8];
  for (int i = 0; i < 8; ++i) threads[i] = std::thread([&, i] { ids[i] = load_id(path); });
  for (auto &t : threads) t.join();
  for (const auto &id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_FALSE(ids[0].empty());
}

TEST(Login, AFileThatIsNotAnIdentifierIsLeftAlone) {
  const std::string path = temp_dir() + "/client_id";
  { std::ofstream(path) << "not an id\nsecond line\n"; }
  plexauth_status st = PLEXAUTH_OK;
  EXPECT_EQ(load_id(path, &st), "");
  EXPECT_EQ(st, PLEXAUTH_E_INVALID_ARGUMENT);
  std::ifstream in(path);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all, "not an id\nsecond line\n");
  // A stored identifier of the caller's own making is kept as it is.
  { std::ofstream(path) << "my-own-id-0001\n"; }
  EXPECT_EQ(load_id(path), "my-own-id-0001");
  char small[4];
  EXPECT_EQ(plexauth_client_id_load_or_create(path.c_str(), small, sizeof small, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
}

TEST(Login, TheDefaultPathFollowsXdgConfigHome) {
  const std::string dir = temp_dir();
  const char *old = std::getenv("XDG_CONFIG_HOME");
  const std::string saved = old ? old : "";
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  char id[PLEXAUTH_CLIENT_ID_MAX];
  EXPECT_EQ(plexauth_client_id_load_or_create(nullptr, id, sizeof id, nullptr), PLEXAUTH_OK);
  if (old) setenv("XDG_CONFIG_HOME", saved.c_str(), 1); else unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(load_id(dir + "/plexauth/client_id"), std::string(id));
}

std::string url_for(plexauth_client *client, const char *code, const char *forward, plexauth_status *status) {
  size_t needed = 0;
  *status = plexauth_login_url(client, code, forward, nullptr, 0, &needed, nullptr);
  if (needed == 0) return {};
  std::string out(needed, '\0');
  *status = plexauth_login_url(client, code, forward, out.data(), out.size(), &needed, nullptr);
  out.resize(needed - 1);
  return out;
}

TEST(Login, TheHostedLoginUrlEscapesEveryValue) {
  plexauth_config *raw = nullptr;
  ASSERT_EQ(plexauth_config_new(&raw), PLEXAUTH_OK);
  Owned<plexauth_config> c(raw);
  ASSERT_EQ(plexauth_config_set_client_id(c.get(), "id 1&2"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_client_name(c.get(), "My Cool App"), PLEXAUTH_OK);
  auto client = new_client(c.get());
  plexauth_status st = PLEXAUTH_OK;
  // Asking for the size first is INVALID_ARGUMENT (no buffer) with *needed set.
  EXPECT_EQ(url_for(client.get(), "l91xft5ypr1n7588alsymxoy8", "https://app.example/cb?flow_id=1", &st),
            "https://app.plex.tv/auth#?clientID=id%201%262&code=l91xft5ypr1n7588alsymxoy8"
            "&context%5Bdevice%5D%5Bproduct%5D=My%20Cool%20App&forwardUrl=https%3A%2F%2Fapp.example%2Fcb%3Fflow_id%3D1");
  EXPECT_EQ(st, PLEXAUTH_OK);
  EXPECT_EQ(url_for(client.get(), "ABCD", nullptr, &st),
            "https://app.plex.tv/auth#?clientID=id%201%262&code=ABCD&context%5Bdevice%5D%5Bproduct%5D=My%20Cool%20App");
  // forwardUrl must be http(s): plex.tv forwards nowhere else.
  for (const char *bad : {"myapp://callback", "javascript:alert(1)", "https://user:pw@host/", "/relative"}) {
    size_t needed = 7;
    char buf[512];
    EXPECT_EQ(plexauth_login_url(client.get(), "ABCD", bad, buf, sizeof buf, &needed, nullptr),
              PLEXAUTH_E_INVALID_ARGUMENT)
        << bad;
    EXPECT_EQ(needed, 0u) << bad;
  }
}

TEST(Login, TheLoginUrlNeedsAClientIdentifier) {
  plexauth_config *raw = nullptr;
  ASSERT_EQ(plexauth_config_new(&raw), PLEXAUTH_OK);
  Owned<plexauth_config> c(raw);
  auto client = new_client(c.get());
  char buf[256];
  EXPECT_EQ(plexauth_login_url(client.get(), "ABCD", nullptr, buf, sizeof buf, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace itest

namespace itest {
namespace {

struct Created {
  Owned<plexauth_pin> pin;
  int64_t id = 0;
};

Created create_pin(plexauth_client *client) {
  plexauth_pin *raw = nullptr;
  EXPECT_EQ(plexauth_client_create_pin(&raw, client, 0, nullptr, nullptr), PLEXAUTH_OK);
  Created c;
  c.pin.reset(raw);
  EXPECT_EQ(plexauth_pin_id(raw, &c.id), 1);
  return c;
}

struct Waited {
  plexauth_status status = PLEXAUTH_E_INTERNAL;
  Owned<plexauth_pin> pin;
  Owned<plexauth_error> error;
  int progress_calls = 0;
};

struct ProgressProbe {
  std::atomic<int> calls{0};
  int stop_after = -1;  // -1: never stop
  std::atomic<int64_t> last_left{-2};
};

int probe_progress(void *user_data, const char *code, int64_t seconds_left) {
  auto *p = static_cast<ProgressProbe *>(user_data);
  EXPECT_NE(code, nullptr);
  p->last_left = seconds_left;
  const int n = ++p->calls;
  return p->stop_after >= 0 && n >= p->stop_after ? 1 : 0;
}

Waited wait(plexauth_client *client, int64_t id, int64_t timeout_ms, ProgressProbe *probe = nullptr,
            const plexauth_call_options *opts = nullptr) {
  Waited w;
  plexauth_pin *raw = nullptr;
  plexauth_error *err = nullptr;
  w.status = plexauth_client_wait_for_pin(&raw, client, id, 100, timeout_ms, probe ? probe_progress : nullptr, probe,
                                          opts, &err);
  w.pin.reset(raw);
  w.error.reset(err);
  return w;
}

// Approves the PIN after the client has polled it `polls` times.
std::thread approve_after(FakePlex &fake, int64_t id, size_t polls, const char *login) {
  return std::thread([&fake, id, polls, login] {
    const std::string path = "/api/v2/pins/" + std::to_string(id);
    for (int i = 0; i < 400 && fake.requests_to(path).size() < polls; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    fake.approve_pin(id, login);
  });
}

TEST_F(Integration, WaitingForAPinReturnsItOnceApproved) {
  Created c = create_pin(client.get());
  ProgressProbe probe;
  std::thread approver = approve_after(fake, c.id, 3, seed::kEmailA);
  Waited w = wait(client.get(), c.id, 20000, &probe);
  approver.join();
  ASSERT_EQ(w.status, PLEXAUTH_OK) << describe(w.status, w.error.get());
  EXPECT_STREQ(plexauth_pin_auth_token(w.pin.get()), seed::kTokenA);
  const auto polls = fake.requests_to("/api/v2/pins/" + std::to_string(c.id));
  EXPECT_GE(polls.size(), 4u);
  EXPECT_GE(probe.calls.load(), 3);
  EXPECT_GT(probe.last_left.load(), 800);  // a 4-character PIN lives 900 s
  for (const auto &r : polls) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_FALSE(r.header("X-Plex-Token").has_value()) << "polls carry no token";
    EXPECT_EQ(r.header("X-Plex-Client-Identifier"), std::string(kClientId));
  }
}

TEST_F(Integration, WaitingStopsWhenThePinExpires) {
  Created c = create_pin(client.get());
  std::thread expirer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    fake.expire_pin(c.id);
  });
  Waited w = wait(client.get(), c.id, 20000);
  expirer.join();
  EXPECT_EQ(w.status, PLEXAUTH_E_PIN_EXPIRED) << describe(w.status, w.error.get());
  EXPECT_EQ(plexauth_error_http_status(w.error.get()), 404);
}

TEST_F(Integration, WaitingTimesOut) {
  Created c = create_pin(client.get());
  const auto t0 = Clock::now();
  Waited w = wait(client.get(), c.id, 500);
  EXPECT_EQ(w.status, PLEXAUTH_E_TIMEOUT) << describe(w.status, w.error.get());
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(3));
}

TEST_F(Integration, WaitingIsCancelledWithin100ms) {
  Created c = create_pin(client.get());
  auto cancel = new_cancel();
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_cancel(opts.get(), cancel.get()), PLEXAUTH_OK);
  std::atomic<int64_t> fired_ns{0};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    fired_ns = Clock::now().time_since_epoch().count();
    plexauth_cancel_trigger(cancel.get());
  });
  // A long poll interval: the cancel must wake the wait between polls.
  plexauth_pin *raw = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status st =
      plexauth_client_wait_for_pin(&raw, client.get(), c.id, 60000, 0, nullptr, nullptr, opts.get(), &err);
  const auto done = Clock::now().time_since_epoch().count();
  canceller.join();
  Owned<plexauth_error> e(err);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(st, PLEXAUTH_E_CANCELLED) << describe(st, err);
  EXPECT_LT(std::chrono::nanoseconds(done - fired_ns.load()), std::chrono::milliseconds(100));
}

TEST_F(Integration, TheProgressCallbackCanStopTheWait) {
  Created c = create_pin(client.get());
  ProgressProbe probe;
  probe.stop_after = 2;
  Waited w = wait(client.get(), c.id, 20000, &probe);
  EXPECT_EQ(w.status, PLEXAUTH_E_CANCELLED);
  EXPECT_EQ(probe.calls.load(), 2);
}

TEST_F(Integration, APinFromAnotherClientIsExpiredForThisOne) {
  Created c = create_pin(client.get());
  Owned<plexauth_config> cfg = fake_config(fake, nullptr);
  ASSERT_EQ(plexauth_config_set_client_id(cfg.get(), "another-device"), PLEXAUTH_OK);
  auto other = new_client(cfg.get());
  Waited w = wait(other.get(), c.id, 5000);
  EXPECT_EQ(w.status, PLEXAUTH_E_PIN_EXPIRED) << describe(w.status, w.error.get());
}

TEST_F(Integration, BadWaitArgumentsSendNothing) {
  const size_t before = fake.requests().size();
  plexauth_pin *raw = nullptr;
  EXPECT_EQ(plexauth_client_wait_for_pin(&raw, client.get(), 1, 50, 0, nullptr, nullptr, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_client_wait_for_pin(&raw, client.get(), 1, 1000, -1, nullptr, nullptr, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_client_wait_for_pin(nullptr, client.get(), 1, 1000, 0, nullptr, nullptr, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(fake.requests().size(), before);
}

// One client serving many users: the call's token beats the client's, and is
// redacted like it.
TEST_F(Integration, ACallsOwnTokenBeatsTheClients) {
  auto stranger = client_with_token("not-a-token-of-anyone");
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_access_token(opts.get(), seed::kTokenA), PLEXAUTH_OK);
  plexauth_pong *raw = nullptr;
  ASSERT_EQ(plexauth_client_ping(&raw, stranger.get(), opts.get(), nullptr), PLEXAUTH_OK);
  plexauth_pong_free(raw);
  EXPECT_EQ(fake.requests().back().header("X-Plex-Token"), std::string(seed::kTokenA));
  ASSERT_EQ(plexauth_call_options_set_access_token(opts.get(), nullptr), PLEXAUTH_OK);
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_client_ping(&raw, stranger.get(), opts.get(), &err), PLEXAUTH_E_UNAUTHORIZED);
  Owned<plexauth_error> e(err);
  EXPECT_EQ(fake.requests().back().header("X-Plex-Token"), std::string("not-a-token-of-anyone"));
  EXPECT_EQ(plexauth_call_options_set_access_token(opts.get(), "bad\r\ntoken"), PLEXAUTH_E_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace itest
