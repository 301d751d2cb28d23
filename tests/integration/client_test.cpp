// Client-wide behaviour: the token provider callback, identity, threads and
// logging.
#include <atomic>
#include <mutex>
#include <vector>

#include <sys/utsname.h>
#include <unistd.h>

#include "support.h"

namespace itest {
namespace {

// A token provider that hands out `token` and counts its calls.
struct TokenSource {
  std::string token;
  bool fail = false;
  std::atomic<int> calls{0};
  std::atomic<int> destroyed{0};

  static int provide(void *user_data, plexauth_token_sink *sink) {
    auto *self = static_cast<TokenSource *>(user_data);
    ++self->calls;
    if (self->fail) return 1;
    if (!self->token.empty()) return plexauth_token_sink_set(sink, self->token.data(), self->token.size());
    return 0;
  }
  static void destroy(void *user_data) { ++static_cast<TokenSource *>(user_data)->destroyed; }
};

Owned<plexauth_client> client_with_provider(const FakePlex &fake, TokenSource &source) {
  auto cfg = fake_config(fake, nullptr);
  EXPECT_EQ(plexauth_config_set_token_provider(cfg.get(), &TokenSource::provide, &source, &TokenSource::destroy),
            PLEXAUTH_OK);
  return new_client(cfg.get());
}

TEST_F(Integration, TokenProviderIsAskedOnEveryAttempt) {
  TokenSource source;
  source.token = seed::kTokenB;
  auto c = client_with_provider(fake, source);
  fake.add_fault(kUserPath, status_fault(503));

  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenB);  // the provider's account
  EXPECT_EQ(source.calls, 2);
  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 2u);
  for (const auto &req : sent) EXPECT_EQ(req.header("X-Plex-Token"), seed::kTokenB);
}

TEST_F(Integration, TokenProviderFailureFailsTheCallBeforeSending) {
  TokenSource source;
  source.fail = true;
  auto c = client_with_provider(fake, source);
  auto r = get_transient_token(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_CALLBACK) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 0u);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(Integration, TokenProviderThatGivesNothingSendsNoToken) {
  TokenSource source;  // no token
  auto c = client_with_provider(fake, source);
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(source.calls, 1);
  EXPECT_FALSE(fake.requests()[0].header("X-Plex-Token").has_value());
}

TEST_F(Integration, TokenProviderIsNotAskedForSignIn) {
  TokenSource source;
  source.token = seed::kTokenA;
  auto c = client_with_provider(fake, source);
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto r = sign_in(c.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(source.calls, 0);
  EXPECT_FALSE(fake.requests()[0].header("X-Plex-Token").has_value());
}

TEST_F(Integration, TokenProviderIsDestroyedOnceWithTheLastHolder) {
  TokenSource source;
  source.token = seed::kTokenA;
  auto cfg = fake_config(fake, nullptr);
  ASSERT_EQ(plexauth_config_set_token_provider(cfg.get(), &TokenSource::provide, &source, &TokenSource::destroy),
            PLEXAUTH_OK);
  auto c = new_client(cfg.get());
  cfg.reset();
  EXPECT_EQ(source.destroyed, 0);  // the client still holds it
  EXPECT_EQ(get_token_details(c.get()).status, PLEXAUTH_OK);
  c.reset();
  EXPECT_EQ(source.destroyed, 1);
}

// Unset identity settings get defaults (product "plexauth", the library's
// version, uname's system name, the host name); a value the caller sets wins,
// an empty one sends no header, and the client identifier and the device
// nickname have no default.
TEST_F(Integration, IdentityDefaultsWhenUnsetCallerValuesWinAndEmptySendsNone) {
  plexauth_config *raw = nullptr;
  ASSERT_EQ(plexauth_config_new(&raw), PLEXAUTH_OK);
  Owned<plexauth_config> cfg(raw);
  ASSERT_EQ(plexauth_config_set_plex_tv_url(raw, fake.plex_tv_url().c_str()), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_access_token(raw, seed::kTokenA), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_platform(raw, kPlatform), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_client_version(raw, ""), PLEXAUTH_OK);
  auto c = new_client(raw);
  ASSERT_EQ(get_token_details(c.get()).status, PLEXAUTH_OK);
  const RecordedRequest sent = fake.requests()[0];
  EXPECT_EQ(sent.header("X-Plex-Platform"), kPlatform) << "the caller's value wins";
  EXPECT_EQ(sent.header("X-Plex-Product"), "plexauth");
  char host[256] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(sent.header("X-Plex-Device-Name"), std::string(host));
  for (const char *unset : {"X-Plex-Client-Identifier", "X-Plex-Version", "X-Plex-Device"}) {
    EXPECT_FALSE(sent.header(unset).has_value()) << unset;
  }

  // Nothing set: version and platform default too.
  plexauth_config *bare_raw = nullptr;
  ASSERT_EQ(plexauth_config_new(&bare_raw), PLEXAUTH_OK);
  Owned<plexauth_config> bare(bare_raw);
  ASSERT_EQ(plexauth_config_set_plex_tv_url(bare_raw, fake.plex_tv_url().c_str()), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_access_token(bare_raw, seed::kTokenA), PLEXAUTH_OK);
  auto d = new_client(bare_raw);
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_client_name(opts.get(), "Per Call"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_call_options_set_device_name(opts.get(), ""), PLEXAUTH_OK);
  ASSERT_EQ(get_token_details(d.get()).status, PLEXAUTH_OK);
  ASSERT_EQ(get_token_details(d.get(), opts.get()).status, PLEXAUTH_OK);
  const auto both = fake.requests();
  ASSERT_EQ(both.size(), 3u);
  struct utsname u {};
  ASSERT_EQ(uname(&u), 0);
  EXPECT_EQ(both[1].header("X-Plex-Version"), std::string(plexauth_version(nullptr, nullptr, nullptr)));
  EXPECT_EQ(both[1].header("X-Plex-Platform"), std::string(u.sysname));
  EXPECT_EQ(both[1].header("X-Plex-Product"), "plexauth");
  EXPECT_EQ(both[2].header("X-Plex-Product"), "Per Call") << "a call's own value wins";
  EXPECT_FALSE(both[2].header("X-Plex-Device-Name").has_value()) << "a call's empty value sends none";
  EXPECT_EQ(both[2].header("X-Plex-Platform"), std::string(u.sysname));

  // The hosted login URL names the default product as well.
  char url[1024];
  size_t needed = 0;
  ASSERT_EQ(plexauth_config_set_client_id(bare_raw, kClientId), PLEXAUTH_OK);
  auto e = new_client(bare_raw);
  ASSERT_EQ(plexauth_login_url(e.get(), "CODE", nullptr, url, sizeof url, &needed, nullptr), PLEXAUTH_OK);
  EXPECT_NE(std::string(url).find("&context%5Bdevice%5D%5Bproduct%5D=plexauth"), std::string::npos) << url;
}

TEST_F(Integration, OneClientServesManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kCalls = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        auto r = get_token_details(client.get());
        if (r.status == PLEXAUTH_OK && std::string(plexauth_account_uuid(r.value.get())) == seed::kUuidA) ++ok;
      }
    });
  }
  for (auto &t : threads) t.join();
  EXPECT_EQ(ok, kThreads * kCalls);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), static_cast<size_t>(kThreads * kCalls));
  EXPECT_LE(fake.connection_count(), static_cast<size_t>(kThreads));  // connections are pooled
}

// Collects every log line.
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  static void sink(void *user_data, plexauth_log_level, const char *message) {
    auto *self = static_cast<LogLines *>(user_data);
    std::lock_guard<std::mutex> lock(self->mu);
    self->lines.emplace_back(message);
  }
};

TEST_F(Integration, LogLinesNeverContainSecrets) {
  const std::string password = "Pa55-Distinctive-Secret";
  const std::string code = "918273";
  const std::string token = "tokDistinctive00000000";
  fake.add_account({"secret@example.com", "secretive", password, code, token,
                    plexauth_fake::account_json(99, "feedfacecafebeef", "secretive", "secret@example.com", "SE",
                                                token, true)});
  LogLines log;
  auto cfg = fake_config(fake, token.c_str());
  ASSERT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, &LogLines::sink, &log), PLEXAUTH_OK);
  auto c = new_client(cfg.get());

  auto req = sign_in_request("secret@example.com", password.c_str(), code.c_str());
  auto signed_in = sign_in(c.get(), req.get());
  ASSERT_EQ(signed_in.status, PLEXAUTH_OK) << describe(signed_in);
  auto details = get_token_details(c.get());
  ASSERT_EQ(details.status, PLEXAUTH_OK) << describe(details);
  auto transient = get_transient_token(c.get());
  ASSERT_EQ(transient.status, PLEXAUTH_OK) << describe(transient);
  const std::string issued = plexauth_transient_token_token(transient.value.get());
  auto wrong = sign_in_request("secret@example.com", "Wrong-Distinctive-Secret");
  auto refused = sign_in(c.get(), wrong.get());
  ASSERT_EQ(refused.status, PLEXAUTH_E_UNAUTHORIZED) << describe(refused);

  std::lock_guard<std::mutex> lock(log.mu);
  EXPECT_FALSE(log.lines.empty()) << "debug logging produced nothing";
  for (const auto &line : log.lines) {
    for (const std::string &secret : {password, code, token, issued, std::string("Wrong-Distinctive-Secret")}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << "a secret leaked into: " << line;
    }
  }
  EXPECT_EQ(std::string(plexauth_error_message(refused.error.get())).find("Wrong-Distinctive-Secret"),
            std::string::npos);
}

}  // namespace
}  // namespace itest
