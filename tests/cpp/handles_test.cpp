// The handles: move semantics (a moved-from handle fails cleanly, never
// crashes), views that keep their result alive, what cannot be copied, and
// the callbacks a Config carries (token provider, log sink). Run under
// valgrind / AddressSanitizer in CI: a leak or a use after free fails there.
#include <mutex>
#include <string>
#include <vector>
#include <type_traits>

#include "support.h"

namespace cpptest {
namespace {

using plexauth::Account;
using plexauth::Error;
using plexauth::Status;

// Handles and results are move-only; views and errors are copyable.
static_assert(!std::is_copy_constructible_v<plexauth::Client>);
static_assert(!std::is_copy_constructible_v<plexauth::Config>);
static_assert(!std::is_copy_constructible_v<plexauth::CallOptions>);
static_assert(!std::is_copy_constructible_v<plexauth::Retry>);
static_assert(!std::is_copy_constructible_v<plexauth::Cancel>);
static_assert(!std::is_copy_constructible_v<plexauth::SignIn>);
static_assert(!std::is_copy_constructible_v<plexauth::Loop>);
static_assert(!std::is_copy_constructible_v<plexauth::Account>);
static_assert(!std::is_copy_constructible_v<plexauth::Pin>);
static_assert(std::is_nothrow_move_constructible_v<plexauth::Client>);
static_assert(std::is_nothrow_move_constructible_v<plexauth::Account>);
static_assert(std::is_nothrow_move_assignable_v<plexauth::Account>);
static_assert(std::is_copy_constructible_v<plexauth::Profile>);
static_assert(std::is_copy_constructible_v<plexauth::Connection>);
static_assert(std::is_copy_constructible_v<plexauth::Error>);
static_assert(std::is_base_of_v<std::runtime_error, plexauth::Error>);

TEST_F(CppApi, AMovedClientWorksAndTheMovedFromOneFailsCleanly) {
  plexauth::Client moved = std::move(client);
  EXPECT_EQ(moved.get_token_details().uuid(), seed::kUuidA);
  EXPECT_EQ(client.raw(), nullptr);  // NOLINT(bugprone-use-after-move): what a moved-from handle does
  auto r = client.try_get_token_details();  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(r.status(), Status::InvalidArgument);
  EXPECT_THROW((void)client.get_token_details_async(), Error);
  client = std::move(moved);
  EXPECT_EQ(client.ping().pong(), true);
  EXPECT_EQ(fake.requests().size(), 2u);
}

TEST_F(CppApi, AMovedResultKeepsItsValues) {
  Account a = client.get_token_details();
  Account b = std::move(a);
  EXPECT_EQ(b.uuid(), seed::kUuidA);
  EXPECT_EQ(a.raw(), nullptr);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.locale(), std::nullopt);  // NOLINT(bugprone-use-after-move): absent, not a crash
  EXPECT_EQ(a.uuid(), "");
  a = std::move(b);
  EXPECT_EQ(a.uuid(), seed::kUuidA);
  // Results move through Result<T> and futures too.
  plexauth::Result<Account> r = client.try_get_token_details();
  Account c = std::move(r).value();
  EXPECT_EQ(c.id(), seed::kIdA);
}

TEST_F(CppApi, ViewsKeepTheirResultAlive) {
  std::optional<plexauth::Connection> lan;
  std::optional<plexauth::Response> response;
  {
    plexauth::SourceInfo s = client.get_source_connection_information(seed::kSource);
    lan = s.connections().at(0);
    response = s.response();
  }  // the SourceInfo is gone; the views hold its C result
  EXPECT_EQ(lan->uri(), "https://10.0.0.5:32400");
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(response->content_type().value_or("").rfind("application/json", 0), 0u);
  EXPECT_NE(response->body().find(seed::kSourceName), std::string::npos);
  EXPECT_FALSE(response->headers().empty());
  EXPECT_TRUE(response->header("content-type").has_value());
}

TEST_F(CppApi, MovedConfigAndOptions) {
  plexauth::Config cfg = fake_config(fake, std::nullopt);
  plexauth::Config other = std::move(cfg);
  EXPECT_THROW(cfg.client_id("x"), Error);  // NOLINT(bugprone-use-after-move)
  plexauth::CallOptions opts;
  opts.access_token(seed::kTokenB);
  plexauth::CallOptions opts2 = std::move(opts);
  plexauth::Client c(other);
  EXPECT_EQ(c.get_token_details(opts2).uuid(), seed::kUuidB);
  EXPECT_EQ(fake.requests_to(kUserPath).back().header("X-Plex-Token"), std::string(seed::kTokenB));
}

TEST_F(CppApi, ErrorsAreCheapCopies) {
  Fault not_found;
  not_found.status = 404;
  fake.add_fault(kUserPath, not_found);
  auto r = client.try_get_token_details();
  ASSERT_FALSE(r.ok());
  Error copy = r.error();
  EXPECT_EQ(copy.status(), Status::Http);
  EXPECT_EQ(copy.http_status(), 404);
  EXPECT_STREQ(copy.what(), r.error().what());
}

TEST_F(CppApi, TokenProviderSuppliesEachAttempt) {
  int asked = 0;
  plexauth::Config cfg = fake_config(fake, std::nullopt);
  cfg.token_provider([&]() -> std::optional<std::string> {
    ++asked;
    return std::string(seed::kTokenB);
  });
  plexauth::Client c(cfg);
  EXPECT_EQ(c.get_token_details().uuid(), seed::kUuidB);
  EXPECT_EQ(asked, 1);

  plexauth::Config failing = fake_config(fake, std::nullopt);
  failing.token_provider([]() -> std::optional<std::string> { throw std::runtime_error("vault unavailable"); });
  plexauth::Client f(failing);
  auto r = f.try_get_token_details();
  EXPECT_EQ(r.status(), Status::Callback);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 1u) << "nothing sent without a token";
}

TEST_F(CppApi, LogSinkOutlivesTheConfigAndNeverSeesTheToken) {
  std::mutex mu;
  std::vector<std::string> lines;
  std::optional<plexauth::Client> c;
  {
    plexauth::Config cfg = fake_config(fake, seed::kTokenA);
    cfg.log(plexauth::LogLevel::Debug, [&](plexauth::LogLevel, std::string_view m) {
      std::lock_guard<std::mutex> lock(mu);
      lines.emplace_back(m);
    });
    c.emplace(cfg);
  }  // the config is gone; the client keeps the sink
  (void)c->get_token_details();
  (void)c->get_token_details_async().get();  // logged from the loop's thread
  c.reset();
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_FALSE(lines.empty());
  for (const auto &l : lines) EXPECT_EQ(l.find(seed::kTokenA), std::string::npos) << l;
}

TEST_F(CppApi, LoginUrlAndWaitForPin) {
  plexauth::Pin pin = client.create_pin(true);
  const std::string url = client.login_url(pin.code());
  EXPECT_EQ(url.rfind("https://app.plex.tv/auth#?", 0), 0u) << url;
  EXPECT_NE(url.find(pin.code()), std::string::npos);
  EXPECT_EQ(url.find('\0'), std::string::npos);
  int told = 0;
  std::thread approve([&] {
    std::this_thread::sleep_for(100ms);
    fake.approve_pin(pin.id(), seed::kEmailA);
  });
  plexauth::Result<plexauth::Pin> approved = [&]() -> plexauth::Result<plexauth::Pin> {
    try {
      return client.wait_for_pin(pin.id(), 100ms, 10s, [&](std::string_view code, std::int64_t left) {
        EXPECT_EQ(code, pin.code());
        EXPECT_GT(left, 0);
        ++told;
        return true;
      });
    } catch (const Error &e) {
      return e;
    }
  }();
  approve.join();
  ASSERT_TRUE(approved.ok()) << approved.error().what();
  EXPECT_EQ(approved->auth_token(), std::string(seed::kTokenA));
  EXPECT_GE(told, 1);
  // false from the progress callback stops the wait.
  plexauth::Pin other = client.create_pin();
  auto stopped = [&] { (void)client.wait_for_pin(other.id(), 100ms, 10s, [](std::string_view, std::int64_t) { return false; }); };
  try {
    stopped();
    FAIL() << "no exception";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::Cancelled);
  }
}

TEST_F(CppApi, ServerAddressFromProtocolHostAndPort) {
  const std::string base = fake.base_url();  // http://127.0.0.1:PORT
  const int port = std::stoi(base.substr(base.rfind(':') + 1));
  plexauth::Config cfg = fake_config(fake, seed::kTokenA);
  cfg.server_url(std::nullopt).server_protocol("http").server_ip("127.0.0.1").server_port(port);
  plexauth::Client c(cfg);
  const std::size_t before = fake.requests_to(kTokenPath).size();
  EXPECT_TRUE(c.get_transient_token().token().has_value());
  EXPECT_EQ(fake.requests_to(kTokenPath).size(), before + 1) << "the request reached the named server";
  EXPECT_THROW(cfg.server_port(0), Error);
  EXPECT_THROW(cfg.server_protocol("ftp"), Error);
}

TEST_F(CppApi, InsecureSkipTlsVerifyWarnsOnEveryClient) {
  std::mutex mu;
  std::vector<std::string> warnings;
  plexauth::Config cfg = fake_config(fake, seed::kTokenA);
  cfg.log(plexauth::LogLevel::Warn, [&](plexauth::LogLevel level, std::string_view m) {
    std::lock_guard<std::mutex> lock(mu);
    if (level == plexauth::LogLevel::Warn) warnings.emplace_back(m);
  });
  plexauth::Client verified(cfg);
  {
    std::lock_guard<std::mutex> lock(mu);
    EXPECT_TRUE(warnings.empty());
  }
  cfg.insecure_skip_tls_verify(true);
  plexauth::Client insecure(cfg);
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("TLS certificate verification is DISABLED"), std::string::npos) << warnings[0];
}

TEST_F(CppApi, ClientRetryUndoesNoRetries) {
  Fault busy;
  busy.status = 503;
  plexauth::CallOptions opts;
  opts.no_retries();
  fake.add_fault(kUserPath, busy);
  EXPECT_EQ(client.try_get_token_details(opts).status(), Status::Http);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 1u) << "no retry";
  opts.client_retry();
  fake.add_fault(kUserPath, busy);
  EXPECT_EQ(client.get_token_details(opts).uuid(), seed::kUuidA);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 3u) << "the client's policy retried the 503";
}

TEST(CppApiNoServer, VersionAndStatusNames) {
  EXPECT_EQ(plexauth::version(), PLEXAUTH_VERSION_STRING);
  EXPECT_STREQ(plexauth::status_name(Status::Unauthorized), "unauthorized");
  EXPECT_EQ(static_cast<int>(Status::PinRequired), PLEXAUTH_E_PIN_REQUIRED);
  EXPECT_EQ(plexauth::client_id_load_or_create(::testing::TempDir() + "/plexauth-cpp-client-id"),
            plexauth::client_id_load_or_create(::testing::TempDir() + "/plexauth-cpp-client-id"));
}

}  // namespace
}  // namespace cpptest
