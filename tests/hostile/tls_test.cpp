// Gate 7: TLS. The fake serves HTTPS with a throwaway self-signed
// certificate made when it starts. The library rejects it by default with
// PLEXAUTH_E_TLS and a clear message, trusts it through
// plexauth_config_set_ca_bundle, and skips verification only when told to,
// with a warning in the log.
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "hostile.h"

namespace hostile {
namespace {

// A PEM file that lives as long as the object.
class TempFile {
 public:
  explicit TempFile(const std::string &text) {
    char pattern[] = "/tmp/plexauth-tls-XXXXXX";
    const int fd = mkstemp(pattern);
    EXPECT_GE(fd, 0);
    if (fd >= 0) close(fd);
    path_ = pattern;
    std::ofstream(path_) << text;
  }
  ~TempFile() { unlink(path_.c_str()); }
  TempFile(const TempFile &) = delete;
  TempFile &operator=(const TempFile &) = delete;
  const char *path() const { return path_.c_str(); }

 private:
  std::string path_;
};

FakePlex https_fake() {
  plexauth_fake::Options options;
  options.tls = true;
  return FakePlex(options);
}

class Tls : public ::testing::Test {
 protected:
  plexauth_fake::Options options() const {
    plexauth_fake::Options o;
    o.tls = true;
    return o;
  }
  FakePlex fake{options()};
  TempFile ca{fake.certificate_pem()};
  LogCapture log;

  // A client for the HTTPS fake: `setup` adjusts the config (CA bundle,
  // insecure) before the client is made. No retries.
  template <class Setup>
  Owned<plexauth_client> client(Setup &&setup) {
    auto cfg = fake_config(fake, seed::kTokenA);
    EXPECT_EQ(plexauth_config_set_retry(cfg.get(), nullptr), PLEXAUTH_OK);
    log.attach(cfg.get(), PLEXAUTH_LOG_DEBUG);
    setup(cfg.get());
    return new_client(cfg.get());
  }
};

TEST_F(Tls, TheFakeServesHttps) { EXPECT_EQ(fake.base_url().rfind("https://127.0.0.1:", 0), 0u); }

TEST_F(Tls, ASelfSignedCertificateIsRejectedByDefault) {
  auto c = client([](plexauth_config *) {});
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TLS) << describe(r);
  const std::string message = plexauth_error_message(r.error.get());
  EXPECT_NE(message.find("certificate"), std::string::npos) << message;
  EXPECT_NE(message.find("self-signed"), std::string::npos) << message;
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 0);
  EXPECT_TRUE(fake.requests().empty()) << "a request (and its token) went over an unverified connection";
  std::printf("[tls] default verification: %s: %s\n", plexauth_status_name(r.status), message.c_str());

  // The PMS side and sign-in alike.
  EXPECT_EQ(get_transient_token(c.get()).status, PLEXAUTH_E_TLS);
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  EXPECT_EQ(sign_in(c.get(), req.get()).status, PLEXAUTH_E_TLS);
  EXPECT_TRUE(fake.requests().empty());
  EXPECT_FALSE(log.contains(PLEXAUTH_LOG_WARN, "TLS certificate verification is DISABLED"));
}

TEST_F(Tls, TheCertificateAsCaBundleIsTrusted) {
  auto c = client([&](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_ca_bundle(cfg, ca.path()), PLEXAUTH_OK);
  });
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenA);
  auto t = get_transient_token(c.get());
  ASSERT_EQ(t.status, PLEXAUTH_OK) << describe(t);
  auto req = sign_in_request(seed::kEmailB, seed::kPasswordB, seed::kCodeB);
  auto s = sign_in(c.get(), req.get());
  ASSERT_EQ(s.status, PLEXAUTH_OK) << describe(s);
  EXPECT_STREQ(plexauth_account_auth_token(s.value.get()), seed::kTokenB);
  ASSERT_EQ(fake.requests().size(), 3u);
  EXPECT_EQ(fake.requests()[0].header("X-Plex-Token"), seed::kTokenA);
  EXPECT_FALSE(log.contains(PLEXAUTH_LOG_WARN, "TLS certificate verification is DISABLED"));
}

TEST_F(Tls, AnotherCertificateAsCaBundleIsRejected) {
  FakePlex other = https_fake();
  TempFile other_ca(other.certificate_pem());
  auto c = client([&](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_ca_bundle(cfg, other_ca.path()), PLEXAUTH_OK);
  });
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TLS) << describe(r);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(Tls, AMissingCaBundleIsATlsError) {
  auto c = client([](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_ca_bundle(cfg, "/nonexistent/plexauth-ca.pem"), PLEXAUTH_OK);
  });
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TLS) << describe(r);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(Tls, InsecureSkipVerifyWorksAndWarns) {
  auto c = client([](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_insecure_skip_tls_verify(cfg, 1), PLEXAUTH_OK);
  });
  EXPECT_TRUE(log.contains(PLEXAUTH_LOG_WARN, "TLS certificate verification is DISABLED")) << log.text();
  auto r = get_token_details(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(fake.requests().size(), 1u);

  // The warning reaches a sink that only wants warnings and errors.
  auto cfg = fake_config(fake, seed::kTokenA);
  LogCapture quiet;
  quiet.attach(cfg.get(), PLEXAUTH_LOG_WARN);
  ASSERT_EQ(plexauth_config_set_insecure_skip_tls_verify(cfg.get(), 1), PLEXAUTH_OK);
  auto c2 = new_client(cfg.get());
  EXPECT_TRUE(quiet.contains(PLEXAUTH_LOG_WARN, "TLS certificate verification is DISABLED")) << quiet.text();

  // Turning it off again restores verification.
  ASSERT_EQ(plexauth_config_set_insecure_skip_tls_verify(cfg.get(), 0), PLEXAUTH_OK);
  auto c3 = new_client(cfg.get());
  EXPECT_EQ(get_token_details(c3.get()).status, PLEXAUTH_E_TLS);
}

// A server's plex.direct name connects to the address it encodes, with no
// DNS lookup (none could succeed here: nothing outside loopback is
// reachable), and the certificate is verified for that name.
TEST_F(Tls, APlexDirectNameIsPinnedToItsAddressAndItsCertificateVerified) {
  const std::string host = std::string("127-0-0-1.") + seed::kPlexDirectHash + ".plex.direct";
  const std::string url = "https://" + host + ":" + std::to_string(fake.port());
  auto c = client([&](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_ca_bundle(cfg, ca.path()), PLEXAUTH_OK);
    ASSERT_EQ(plexauth_config_set_server_url(cfg, url.c_str()), PLEXAUTH_OK);
  });
  auto r = get_transient_token(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header("Host"), host + ":" + std::to_string(fake.port()));
}

TEST_F(Tls, APinnedPlexDirectNameStillNeedsAMatchingCertificate) {
  // Pinned to 127.0.0.1 like the name above, but the certificate is for
  // another hash: verification fails, nothing is sent.
  const std::string url = "https://127-0-0-1.ffffffffffffffffffffffffffffffff.plex.direct:" + std::to_string(fake.port());
  auto c = client([&](plexauth_config *cfg) {
    ASSERT_EQ(plexauth_config_set_ca_bundle(cfg, ca.path()), PLEXAUTH_OK);
    ASSERT_EQ(plexauth_config_set_server_url(cfg, url.c_str()), PLEXAUTH_OK);
  });
  auto r = get_transient_token(c.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TLS) << describe(r);
  EXPECT_TRUE(fake.requests().empty());
}

}  // namespace
}  // namespace hostile
