// JWT device authentication through the C ABI against the fake, which checks
// every device JWT for real (its own Ed25519 code, tests/fake/fake_jwt.cpp):
// register, nonce, exchange, verification against a rotating key set,
// expiry and refresh, the refusals, and no secret in any log line.
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "support.h"

namespace itest {
namespace {

struct Log {
  std::mutex mu;
  std::string text;
  static void sink(void *self, plexauth_log_level, const char *message) {
    auto *l = static_cast<Log *>(self);
    std::lock_guard<std::mutex> lock(l->mu);
    l->text += std::string(message ? message : "") + "\n";
  }
};

struct Device {
  FakePlex fake;
  Log log;
  Owned<plexauth_client> client = [this] {
    auto cfg = fake_config(fake, seed::kTokenA);
    EXPECT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, &Log::sink, &log), PLEXAUTH_OK);
    return new_client(cfg.get());
  }();
  Owned<plexauth_device_key> key = [] {
    plexauth_device_key *k = nullptr;
    EXPECT_EQ(plexauth_device_key_generate(&k, nullptr), PLEXAUTH_OK);
    return Owned<plexauth_device_key>(k);
  }();

  void register_key() {
    plexauth_error *err = nullptr;
    const plexauth_status st = plexauth_client_register_device_key(client.get(), key.get(), nullptr, &err);
    EXPECT_EQ(st, PLEXAUTH_OK) << describe(st, err);
    plexauth_error_free(err);
  }
  Result<plexauth_jwt_token> login() {
    return run<plexauth_jwt_token>([&](plexauth_jwt_token **o, plexauth_error **e) {
      return plexauth_client_jwt_login(o, client.get(), key.get(), nullptr, nullptr, e);
    });
  }
  std::string jwt() {
    auto r = login();
    EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    return r.value ? plexauth_jwt_token_auth_token(r.value.get()) : "";
  }
  plexauth_status verify(const std::string &jwt, int64_t *exp = nullptr, std::string *message = nullptr) {
    plexauth_error *err = nullptr;
    const plexauth_status st = plexauth_client_jwt_verify(client.get(), jwt.c_str(), key.get(), exp, nullptr, &err);
    if (message) *message = err ? plexauth_error_message(err) : "";
    plexauth_error_free(err);
    return st;
  }
  std::string device_jwt(const char *client_id, const char *nonce, int64_t lifetime_s = 300) {
    char buf[2048];
    EXPECT_EQ(plexauth_device_key_sign_jwt(key.get(), client_id, nonce, nullptr, lifetime_s, buf, sizeof buf, nullptr,
                                           nullptr),
              PLEXAUTH_OK);
    return buf;
  }
  std::string nonce() {
    auto r = run<plexauth_nonce>([&](plexauth_nonce **o, plexauth_error **e) {
      return plexauth_client_get_nonce(o, client.get(), nullptr, e);
    });
    EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    return r.value ? plexauth_nonce_nonce(r.value.get()) : "";
  }
  Outcome exchange(const std::string &device_jwt) {
    auto r = run<plexauth_jwt_token>([&](plexauth_jwt_token **o, plexauth_error **e) {
      return plexauth_client_exchange_device_jwt(o, client.get(), device_jwt.c_str(), nullptr, e);
    });
    return Outcome{r.status, std::move(r.error)};
  }
};

plexauth_status token_details_with(const FakePlex &fake, const std::string &token) {
  auto client = new_client(fake_config(fake, token.c_str()).get());
  auto r = run<plexauth_account>([&](plexauth_account **o, plexauth_error **e) {
    return plexauth_client_get_token_details(o, client.get(), nullptr, e);
  });
  return r.status;
}

TEST(Jwt, RegisterLoginVerifyAndUseThePlexJwt) {
  Device d;
  d.register_key();
  const auto reg = d.fake.requests().back();
  EXPECT_EQ(reg.path, "/api/v2/auth/jwk");
  EXPECT_EQ(reg.header("X-Plex-Token").value_or(""), seed::kTokenA);
  EXPECT_EQ(reg.header("Content-Type").value_or(""), "application/json");
  EXPECT_NE(reg.body.find(plexauth_device_key_id(d.key.get())), std::string::npos) << reg.body;
  EXPECT_EQ(reg.body.find("\"d\""), std::string::npos) << "no private part in the JWK";

  auto r = d.login();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const std::string jwt = plexauth_jwt_token_auth_token(r.value.get());
  const auto reqs = d.fake.requests();
  ASSERT_GE(reqs.size(), 3u);
  const auto &nonce = reqs[reqs.size() - 2], &exchange = reqs.back();
  EXPECT_EQ(nonce.path, "/api/v2/auth/nonce");
  EXPECT_FALSE(nonce.header("X-Plex-Token").has_value()) << "no token for a nonce";
  EXPECT_EQ(exchange.path, "/api/v2/auth/token");
  EXPECT_FALSE(exchange.header("X-Plex-Token").has_value());
  EXPECT_EQ(exchange.body.rfind("{\"jwt\":\"", 0), 0u) << exchange.body;

  int64_t exp = 0;
  std::string why;
  ASSERT_EQ(d.verify(jwt, &exp, &why), PLEXAUTH_OK) << why;
  EXPECT_GT(exp, std::time(nullptr) + 6 * 86400) << "7 days";
  // plex.tv takes it as the account's token; Plex Media Server does not (yet).
  EXPECT_EQ(token_details_with(d.fake, jwt), PLEXAUTH_OK);
  auto pms = new_client(fake_config(d.fake, jwt.c_str()).get());
  auto transient = run<plexauth_transient_token>([&](plexauth_transient_token **o, plexauth_error **e) {
    return plexauth_client_get_transient_token(o, pms.get(), nullptr, nullptr, nullptr, e);
  });
  EXPECT_EQ(transient.status, PLEXAUTH_E_UNAUTHORIZED);
  // Nothing secret in the debug log: the account token, the device JWT, the Plex JWT.
  EXPECT_EQ(d.log.text.find(jwt), std::string::npos);
  EXPECT_EQ(d.log.text.find(seed::kTokenA), std::string::npos);
  EXPECT_EQ(d.log.text.find(jwt.substr(jwt.rfind('.') + 1)), std::string::npos) << "not even its signature";
  for (const auto &req : d.fake.requests())
    if (req.path == "/api/v2/auth/token") {
      const std::string device = req.body.substr(8, req.body.size() - 10);
      EXPECT_EQ(d.log.text.find(device.substr(device.rfind('.') + 1)), std::string::npos) << "device JWT logged";
    }
}

TEST(Jwt, AnotherDevicesKeyAndAnUnregisteredKeyAreRefused) {
  Device d;
  auto unregistered = d.login();
  EXPECT_EQ(unregistered.status, PLEXAUTH_E_UNAUTHORIZED) << describe(unregistered);
  d.register_key();
  // The same key under another client identifier: thumbprint taken (422).
  auto cfg = fake_config(d.fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_client_id(cfg.get(), "another-device"), PLEXAUTH_OK);
  auto other = new_client(cfg.get());
  plexauth_error *err = nullptr;
  const plexauth_status taken = plexauth_client_register_device_key(other.get(), d.key.get(), nullptr, &err);
  EXPECT_EQ(taken, PLEXAUTH_E_UNAUTHORIZED) << describe(taken, err);
  plexauth_error_free(err);
}

TEST(Jwt, TheFakeRefusesBadDeviceJwtsWithDistinctStatuses) {
  Device d;
  d.register_key();
  // iss is not the client identifier sent: Plex code 1097.
  auto mismatch = d.exchange(d.device_jwt("someone-else", d.nonce().c_str()));
  EXPECT_EQ(mismatch.status, PLEXAUTH_E_JWT_ISSUER_MISMATCH) << describe(mismatch);
  // A reused nonce, and a bad signature: 422.
  const std::string n = d.nonce();
  auto once = d.exchange(d.device_jwt(kClientId, n.c_str()));
  EXPECT_EQ(once.status, PLEXAUTH_OK) << describe(once);
  auto twice = d.exchange(d.device_jwt(kClientId, n.c_str()));
  EXPECT_EQ(twice.status, PLEXAUTH_E_UNAUTHORIZED) << "nonce reused: " << describe(twice);
  std::string forged = d.device_jwt(kClientId, d.nonce().c_str());
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(d.exchange(forged).status, PLEXAUTH_E_UNAUTHORIZED);
  // A stale nonce (the fake's clock moves 301 s; the device JWT itself
  // lives 15 minutes), and an expired device JWT (498).
  const std::string stale = d.nonce();
  d.fake.advance_clock(std::chrono::seconds(301));
  auto old = d.exchange(d.device_jwt(kClientId, stale.c_str(), 900));
  EXPECT_EQ(old.status, PLEXAUTH_E_UNAUTHORIZED) << describe(old);
  auto expired = d.exchange(d.device_jwt(kClientId, d.nonce().c_str(), 300));
  EXPECT_EQ(expired.status, PLEXAUTH_E_TOKEN_EXPIRED) << describe(expired);
}

TEST(Jwt, ExpiryRefreshAndKeyRotation) {
  Device d;
  d.register_key();
  const std::string first = d.jwt();
  ASSERT_EQ(d.verify(first), PLEXAUTH_OK);
  // plex.tv expires it: 498 -> token_expired; a refresh (the same exchange) gives a working one.
  d.fake.expire_jwts();
  EXPECT_EQ(token_details_with(d.fake, first), PLEXAUTH_E_TOKEN_EXPIRED);
  d.fake.advance_clock(std::chrono::seconds(1));  // a new iat: Ed25519 signs the same claims the same way
  const std::string second = d.jwt();
  EXPECT_NE(second, first);
  EXPECT_EQ(token_details_with(d.fake, second), PLEXAUTH_OK);
  // plex.tv rotates its signing key (the old one dropped): the cached key set
  // does not know the new kid, so it is read again once, and the new JWT verifies.
  size_t keys_reads = 0;
  for (const auto &r : d.fake.requests()) keys_reads += r.path == "/api/v2/auth/keys";
  EXPECT_EQ(keys_reads, 1u) << "the key set is cached";
  d.fake.rotate_signing_key(/*drop_old=*/true);
  const std::string third = d.jwt();
  std::string why;
  EXPECT_EQ(d.verify(third, nullptr, &why), PLEXAUTH_OK) << why;
  keys_reads = 0;
  for (const auto &r : d.fake.requests()) keys_reads += r.path == "/api/v2/auth/keys";
  EXPECT_EQ(keys_reads, 2u);
  // A JWT signed by the dropped key no longer verifies: its key is gone.
  EXPECT_EQ(d.verify(second, nullptr, &why), PLEXAUTH_E_JWT_INVALID);
  EXPECT_NE(why.find("unknown_key"), std::string::npos) << why;
}

TEST(Jwt, VerifyNamesTheCheckThatFailed) {
  Device d;
  d.register_key();
  const std::string jwt = d.jwt();
  std::string why;
  std::string tampered = jwt;
  const size_t dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';  // the payload changes under the signature
  EXPECT_EQ(d.verify(tampered, nullptr, &why), PLEXAUTH_E_JWT_INVALID);
  EXPECT_TRUE(why.find("signature") != std::string::npos || why.find("malformed") != std::string::npos) << why;
  EXPECT_EQ(d.verify("not.a.jwt", nullptr, &why), PLEXAUTH_E_JWT_INVALID);
  // Issued for this device: another device key fails the thumbprint check.
  plexauth_device_key *other = nullptr;
  ASSERT_EQ(plexauth_device_key_generate(&other, nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> other_key(other);
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_client_jwt_verify(d.client.get(), jwt.c_str(), other_key.get(), nullptr, nullptr, &err),
            PLEXAUTH_E_JWT_INVALID);
  EXPECT_NE(std::string(plexauth_error_message(err)).find("thumbprint"), std::string::npos);
  plexauth_error_free(err);
}

size_t count(const FakePlex &fake, const std::string &path) {
  size_t n = 0;
  for (const auto &r : fake.requests()) n += r.path == path;
  return n;
}

TEST(JwtSession, ManyThreadsOneRefreshAndAProviderForEveryCall) {
  Device d;
  d.register_key();
  plexauth_jwt_session *raw = nullptr;
  ASSERT_EQ(plexauth_jwt_session_new(&raw, d.client.get(), d.key.get(), 0, nullptr), PLEXAUTH_OK);
  std::unique_ptr<plexauth_jwt_session, void (*)(plexauth_jwt_session *)> session(raw, plexauth_jwt_session_free);
  constexpr int kThreads = 8;
  std::vector<std::string> got(kThreads);
  std::vector<plexauth_status> status(kThreads, PLEXAUTH_E_INTERNAL);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      char buf[4096];
      status[i] = plexauth_jwt_session_token(session.get(), buf, sizeof buf, nullptr, nullptr, nullptr);
      if (status[i] == PLEXAUTH_OK) got[i] = buf;
    });
  for (auto &t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_EQ(status[i], PLEXAUTH_OK) << i;
    EXPECT_EQ(got[i], got[0]) << i;
  }
  EXPECT_EQ(count(d.fake, "/api/v2/auth/token"), 1u) << "one refresh for all";
  EXPECT_EQ(d.verify(got[0]), PLEXAUTH_OK);
  // As every call's token: the provider sends the current JWT.
  auto cfg = fake_config(d.fake, nullptr);
  ASSERT_EQ(plexauth_config_set_token_provider(cfg.get(), &plexauth_jwt_session_provider, session.get(), nullptr),
            PLEXAUTH_OK);
  auto user = new_client(cfg.get());
  auto me = run<plexauth_account>([&](plexauth_account **o, plexauth_error **e) {
    return plexauth_client_get_token_details(o, user.get(), nullptr, e);
  });
  ASSERT_EQ(me.status, PLEXAUTH_OK) << describe(me);
  EXPECT_EQ(d.fake.requests().back().header("X-Plex-Token").value_or(""), got[0]);
  EXPECT_EQ(count(d.fake, "/api/v2/auth/token"), 1u) << "still fresh: no refresh";
  // plex.tv expires it (498): invalidate, and the next call refreshes once.
  d.fake.expire_jwts();
  d.fake.advance_clock(std::chrono::seconds(1));
  auto expired = run<plexauth_account>([&](plexauth_account **o, plexauth_error **e) {
    return plexauth_client_get_token_details(o, user.get(), nullptr, e);
  });
  EXPECT_EQ(expired.status, PLEXAUTH_E_TOKEN_EXPIRED);
  plexauth_jwt_session_invalidate(session.get());
  auto again = run<plexauth_account>([&](plexauth_account **o, plexauth_error **e) {
    return plexauth_client_get_token_details(o, user.get(), nullptr, e);
  });
  EXPECT_EQ(again.status, PLEXAUTH_OK) << describe(again);
  EXPECT_EQ(count(d.fake, "/api/v2/auth/token"), 2u);
  // A margin larger than the lifetime left refreshes on every ask.
  d.fake.set_jwt_lifetime(std::chrono::seconds(3600));
  plexauth_jwt_session *eager = nullptr;
  ASSERT_EQ(plexauth_jwt_session_new(&eager, d.client.get(), d.key.get(), 7200, nullptr), PLEXAUTH_OK);
  char buf[4096];
  int64_t exp = 0;
  EXPECT_EQ(plexauth_jwt_session_token(eager, buf, sizeof buf, nullptr, &exp, nullptr), PLEXAUTH_OK);
  d.fake.advance_clock(std::chrono::seconds(1));
  EXPECT_EQ(plexauth_jwt_session_token(eager, buf, sizeof buf, nullptr, nullptr, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(count(d.fake, "/api/v2/auth/token"), 4u);
  plexauth_jwt_session_free(eager);
}

TEST(JwtSession, AFailedRefreshIsEveryWaitersError) {
  Device d;  // the key is not registered: the exchange is refused
  plexauth_jwt_session *raw = nullptr;
  ASSERT_EQ(plexauth_jwt_session_new(&raw, d.client.get(), d.key.get(), 0, nullptr), PLEXAUTH_OK);
  std::unique_ptr<plexauth_jwt_session, void (*)(plexauth_jwt_session *)> session(raw, plexauth_jwt_session_free);
  std::vector<plexauth_status> status(4, PLEXAUTH_OK);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < status.size(); ++i)
    threads.emplace_back([&, i] {
      char buf[4096];
      status[i] = plexauth_jwt_session_token(session.get(), buf, sizeof buf, nullptr, nullptr, nullptr);
    });
  for (auto &t : threads) t.join();
  for (plexauth_status st : status) EXPECT_EQ(st, PLEXAUTH_E_UNAUTHORIZED);
  EXPECT_LE(count(d.fake, "/api/v2/auth/token"), status.size());
  EXPECT_GE(count(d.fake, "/api/v2/auth/token"), 1u);
}

// PIN login with the device key, no legacy token: create_jwk_pin carries the
// public JWK; wait_for_jwk_pin polls with device JWTs the fake checks.
struct JwkPin : Device {
  Owned<plexauth_client> anonymous = new_client(fake_config(fake, nullptr).get());
  Owned<plexauth_client> with_log = [this] {
    auto cfg = fake_config(fake, nullptr);
    EXPECT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, &Log::sink, &log), PLEXAUTH_OK);
    return new_client(cfg.get());
  }();
  int64_t create(const char *jwk, int strong = 1) {
    auto r = run<plexauth_pin>([&](plexauth_pin **o, plexauth_error **e) {
      return plexauth_client_create_jwk_pin(o, with_log.get(), jwk, strong, nullptr, e);
    });
    EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    int64_t id = 0;
    if (r.value) plexauth_pin_id(r.value.get(), &id);
    return id;
  }
  Result<plexauth_pin> wait(int64_t id, const plexauth_device_key *k) {
    return run<plexauth_pin>([&](plexauth_pin **o, plexauth_error **e) {
      return plexauth_client_wait_for_jwk_pin(o, with_log.get(), id, k, 100, 10000, nullptr, nullptr, nullptr, e);
    });
  }
};

// Approves the PIN once it has been polled `polls` times.
std::thread approve_after(FakePlex &fake, int64_t id, size_t polls) {
  return std::thread([&fake, id, polls] {
    const std::string path = "/api/v2/pins/" + std::to_string(id);
    for (int i = 0; i < 500 && fake.requests_to(path).size() < polls; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    fake.approve_pin(id, seed::kEmailA);
  });
}

TEST(JwkPin, LoginWithTheDeviceKeyAloneGivesAPlexJwtForThatKey) {
  JwkPin d;
  const int64_t id = d.create(plexauth_device_key_jwk(d.key.get()));
  ASSERT_GT(id, 0);
  const auto create = d.fake.requests().back();
  EXPECT_EQ(create.method, "POST");
  EXPECT_EQ(create.path, "/api/v2/pins");
  EXPECT_EQ(create.query, "");
  EXPECT_EQ(create.header("Content-Type").value_or(""), "application/json");
  EXPECT_FALSE(create.header("X-Plex-Token").has_value());
  EXPECT_EQ(create.body, std::string("{\"jwk\":") + plexauth_device_key_jwk(d.key.get()) + ",\"strong\":true}");

  std::thread approver = approve_after(d.fake, id, 3);
  auto r = d.wait(id, d.key.get());
  approver.join();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const std::string jwt = plexauth_pin_auth_token(r.value.get());
  int64_t exp = 0;
  EXPECT_EQ(d.verify(jwt, &exp), PLEXAUTH_OK) << "a Plex JWT issued for this device key";
  EXPECT_GT(exp, static_cast<int64_t>(std::time(nullptr)));
  EXPECT_EQ(token_details_with(d.fake, jwt), PLEXAUTH_OK) << "usable as the account's token";

  // Each poll proves the key: a device JWT in the query; one nonce for a short wait.
  const auto polls = d.fake.requests_to("/api/v2/pins/" + std::to_string(id));
  ASSERT_GE(polls.size(), 4u);
  for (const auto &p : polls) {
    EXPECT_EQ(p.query.rfind("deviceJWT=", 0), 0u) << p.query;
    EXPECT_EQ(p.query, polls[0].query) << "signed once within 4 minutes";
    EXPECT_FALSE(p.header("X-Plex-Token").has_value());
  }
  EXPECT_EQ(count(d.fake, "/api/v2/auth/nonce"), 1u);
  const std::string device_jwt = polls[0].query.substr(std::string("deviceJWT=").size());
  EXPECT_EQ(d.log.text.find(device_jwt.substr(0, 40)), std::string::npos) << "device JWT in the log";
  EXPECT_EQ(d.log.text.find(jwt.substr(jwt.size() - 30)), std::string::npos) << "Plex JWT in the log";
  EXPECT_NE(d.log.text.find("deviceJWT="), std::string::npos) << "the polls were logged (redacted)";

  // The approval registered the key: the session refreshes with it, no register call.
  plexauth_jwt_session *raw = nullptr;
  ASSERT_EQ(plexauth_jwt_session_new(&raw, d.with_log.get(), d.key.get(), 0, nullptr), PLEXAUTH_OK);
  std::unique_ptr<plexauth_jwt_session, void (*)(plexauth_jwt_session *)> session(raw, plexauth_jwt_session_free);
  char buf[4096];
  plexauth_error *err = nullptr;
  const plexauth_status st = plexauth_jwt_session_token(session.get(), buf, sizeof buf, nullptr, nullptr, &err);
  EXPECT_EQ(st, PLEXAUTH_OK) << describe(st, err);
  plexauth_error_free(err);
  EXPECT_EQ(count(d.fake, "/api/v2/auth/jwk"), 0u);
}

TEST(JwkPin, PollingWithAnotherKeyIsRefusedAndNoTokenIsShown) {
  JwkPin d;
  const int64_t id = d.create(plexauth_device_key_jwk(d.key.get()), 0);
  ASSERT_GT(id, 0);
  EXPECT_EQ(d.fake.requests().back().body, std::string("{\"jwk\":") + plexauth_device_key_jwk(d.key.get()) + "}");
  d.fake.approve_pin(id, seed::kEmailA);
  plexauth_device_key *other = nullptr;
  ASSERT_EQ(plexauth_device_key_generate(&other, nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> other_key(other);
  auto r = d.wait(id, other_key.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_FALSE(r.value);
  // A plain poll (get_pin, no device JWT) of a JWK PIN never shows the token either.
  auto plain = run<plexauth_pin>([&](plexauth_pin **o, plexauth_error **e) {
    return plexauth_client_get_pin(o, d.with_log.get(), id, nullptr, e);
  });
  ASSERT_EQ(plain.status, PLEXAUTH_OK) << describe(plain);
  EXPECT_EQ(plexauth_pin_auth_token(plain.value.get()), nullptr);
}

TEST(JwkPin, ABadJwkOrKeyIsRefusedBeforeAnythingIsSent) {
  JwkPin d;
  for (const char *bad : {"not json", "[1,2]", "\"text\"", "{\"kty\":", "true"}) {
    auto r = run<plexauth_pin>([&](plexauth_pin **o, plexauth_error **e) {
      return plexauth_client_create_jwk_pin(o, d.anonymous.get(), bad, 1, nullptr, e);
    });
    EXPECT_EQ(r.status, PLEXAUTH_E_INVALID_ARGUMENT) << bad;
  }
  auto r = run<plexauth_pin>([&](plexauth_pin **o, plexauth_error **e) {
    return plexauth_client_wait_for_jwk_pin(o, d.anonymous.get(), 1, nullptr, 0, 0, nullptr, nullptr, nullptr, e);
  });
  EXPECT_EQ(r.status, PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_TRUE(d.fake.requests().empty());
}

TEST(Jwt, KeysSaveWithMode0600AndLoad) {
  char dir[] = "/tmp/plexauth-jwt-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/device_key.pem";
  plexauth_device_key *k = nullptr;
  int created = -1;
  ASSERT_EQ(plexauth_device_key_load_or_create(&k, path.c_str(), &created, nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> made(k);
  EXPECT_EQ(created, 1);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(plexauth_device_key_load_or_create(&k, path.c_str(), &created, nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> again(k);
  EXPECT_EQ(created, 0);
  EXPECT_STREQ(plexauth_device_key_id(made.get()), plexauth_device_key_id(again.get()));
  chmod(path.c_str(), 0644);
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_device_key_load(&k, path.c_str(), &err), PLEXAUTH_E_INVALID_ARGUMENT) << "readable by others";
  plexauth_error_free(err);
  // Through the caller's own keystore: PEM text out and back in.
  char pem[512];
  size_t len = 0;
  ASSERT_EQ(plexauth_device_key_to_pem(made.get(), pem, sizeof pem, &len, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(std::string(pem).rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(plexauth_device_key_to_pem(made.get(), pem, 10, &len, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  ASSERT_EQ(plexauth_device_key_from_pem(&k, pem, nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> from_text(k);
  EXPECT_STREQ(plexauth_device_key_id(from_text.get()), plexauth_device_key_id(made.get()));
  unlink(path.c_str());
  rmdir(dir);
}

// plexauth_client_jwt_login_start/_finish: the same two requests on a loop.
struct Started {
  std::atomic<int> callbacks{0};
  static void done(plexauth_call *, void *self) { ++static_cast<Started *>(self)->callbacks; }
};

plexauth_call *start_login(Device &d, plexauth_loop *loop, Started *started, const plexauth_call_options *opts = nullptr) {
  plexauth_call *call = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status st = plexauth_client_jwt_login_start(&call, d.client.get(), d.key.get(), nullptr, opts, loop,
                                                             &Started::done, started, &err);
  EXPECT_EQ(st, PLEXAUTH_OK) << describe(st, err);
  plexauth_error_free(err);
  return call;
}

Result<plexauth_jwt_token> finish_login(plexauth_call *call) {
  return run<plexauth_jwt_token>(
      [&](plexauth_jwt_token **o, plexauth_error **e) { return plexauth_client_jwt_login_finish(o, call, e); });
}

TEST(JwtAsync, LoginOnTheClientsLoopGivesAWorkingJwtAndOutlivesTheKeyHandle) {
  Device d;
  d.register_key();
  Started started;
  plexauth_call *call = start_login(d, nullptr, &started);
  ASSERT_NE(call, nullptr);
  // The call keeps its own reference to the key: free the caller's now.
  char pem[512];
  ASSERT_EQ(plexauth_device_key_to_pem(d.key.get(), pem, sizeof pem, nullptr, nullptr), PLEXAUTH_OK);
  d.key.reset();
  ASSERT_EQ(plexauth_call_wait(call, 10000, nullptr), PLEXAUTH_OK);
  auto r = finish_login(call);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  for (int i = 0; i < 500 && started.callbacks.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(started.callbacks.load(), 1);
  EXPECT_EQ(finish_login(call).status, PLEXAUTH_E_INVALID_ARGUMENT) << "finished once";
  plexauth_call_free(call);

  const std::string jwt = plexauth_jwt_token_auth_token(r.value.get());
  const auto reqs = d.fake.requests();
  ASSERT_EQ(reqs.size(), 3u) << "register, nonce, exchange";
  EXPECT_EQ(reqs[1].path, "/api/v2/auth/nonce");
  EXPECT_EQ(reqs[2].path, "/api/v2/auth/token");
  EXPECT_FALSE(reqs[2].header("X-Plex-Token").has_value());
  EXPECT_EQ(reqs[2].header("X-Plex-Client-Identifier").value_or(""), kClientId);
  plexauth_device_key *k = nullptr;
  ASSERT_EQ(plexauth_device_key_from_pem(&k, pem, nullptr), PLEXAUTH_OK);
  d.key.reset(k);
  EXPECT_EQ(d.verify(jwt), PLEXAUTH_OK) << "issued for the registered key";
  EXPECT_EQ(token_details_with(d.fake, jwt), PLEXAUTH_OK);
  EXPECT_EQ(d.log.text.find(jwt), std::string::npos) << "the Plex JWT in the log";
}

TEST(JwtAsync, LoginOnAnExternalLoopRunsOnTheHostsThread) {
  Device d;
  d.register_key();
  plexauth_loop *loop = nullptr;
  ASSERT_EQ(plexauth_loop_new(&loop, PLEXAUTH_LOOP_EXTERNAL, nullptr), PLEXAUTH_OK);
  Started started;
  plexauth_call *call = start_login(d, loop, &started);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(d.fake.requests().size(), 1u) << "nothing sent before the host processes";
  EXPECT_EQ(plexauth_loop_pending(loop), 1u);
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  std::set<size_t> pending_seen;  // through the nonce, between the requests, through the exchange
  while (started.callbacks.load() == 0 && Clock::now() < deadline) {
    pending_seen.insert(plexauth_loop_pending(loop));
    pollfd p{plexauth_loop_fd(loop), POLLIN, 0};
    ::poll(&p, 1, 50);
    ASSERT_EQ(plexauth_loop_process(loop, nullptr), PLEXAUTH_OK);
  }
  EXPECT_EQ(started.callbacks.load(), 1);
  EXPECT_EQ(pending_seen, std::set<size_t>{1}) << "one call, however many requests it runs";
  EXPECT_EQ(plexauth_loop_pending(loop), 0u);
  auto r = finish_login(call);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(d.verify(plexauth_jwt_token_auth_token(r.value.get())), PLEXAUTH_OK);
  plexauth_call_free(call);
  plexauth_loop_free(loop);
}

TEST(JwtAsync, CancelStopsTheExchangeInFlightAndErrorsComeFromFinish) {
  Device d;
  d.register_key();
  Fault slow;
  slow.delay_ms = 5000;
  d.fake.add_fault("/api/v2/auth/token", slow);
  Started started;
  plexauth_call *call = start_login(d, nullptr, &started);
  for (int i = 0; i < 1000 && count(d.fake, "/api/v2/auth/nonce") == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the exchange is on its way
  const auto before = Clock::now();
  plexauth_call_cancel(call);
  ASSERT_EQ(plexauth_call_wait(call, 10000, nullptr), PLEXAUTH_OK);
  EXPECT_LT(Clock::now() - before, std::chrono::seconds(3)) << "cancel did not stop the delayed exchange";
  EXPECT_EQ(finish_login(call).status, PLEXAUTH_E_CANCELLED);
  plexauth_call_free(call);

  // A key plex.tv does not know: the exchange's 422, from finish.
  Device other;
  call = start_login(other, nullptr, &started);
  ASSERT_EQ(plexauth_call_wait(call, 10000, nullptr), PLEXAUTH_OK);
  auto r = finish_login(call);
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  // A jwt_login call is no other operation's.
  plexauth_account *account = nullptr;
  EXPECT_EQ(plexauth_client_get_token_details_finish(&account, call, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  plexauth_call_free(call);

  // No client identifier: refused at start, nothing sent.
  auto cfg = fake_config(d.fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_client_id(cfg.get(), nullptr), PLEXAUTH_OK);
  auto anonymous = new_client(cfg.get());
  const size_t sent = d.fake.requests().size();
  call = nullptr;
  EXPECT_EQ(plexauth_client_jwt_login_start(&call, anonymous.get(), d.key.get(), nullptr, nullptr, nullptr, nullptr,
                                            nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(call, nullptr);
  EXPECT_EQ(d.fake.requests().size(), sent);
}

// An application's keystore in memory: what it holds, what it was asked.
struct Keystore {
  std::optional<std::string> stored;
  int reads = 0, writes = 0;
  int read_rc = 0, write_rc = 0;
  std::optional<std::string> hand_over;  // given to the sink instead of `stored`
  static int read(void *self, plexauth_key_sink *sink) {
    auto *k = static_cast<Keystore *>(self);
    ++k->reads;
    const std::optional<std::string> &text = k->hand_over ? k->hand_over : k->stored;
    if (text) plexauth_key_sink_set(sink, text->data(), text->size());
    return k->read_rc;
  }
  static int write(void *self, const char *pem, size_t len) {
    auto *k = static_cast<Keystore *>(self);
    ++k->writes;
    if (k->write_rc == 0) k->stored = std::string(pem, len);
    return k->write_rc;
  }
};

struct KeystoreOutcome {
  plexauth_status status;
  Owned<plexauth_device_key> key;
  int created;
  std::string message;
};

KeystoreOutcome load_or_create(Keystore &store) {
  plexauth_device_key *k = reinterpret_cast<plexauth_device_key *>(&store);  // must be reset to NULL on failure
  int created = -1;
  plexauth_error *err = nullptr;
  const plexauth_status st =
      plexauth_device_key_load_or_create_with(&k, &Keystore::read, &Keystore::write, &store, &created, &err);
  KeystoreOutcome o{st, Owned<plexauth_device_key>(st == PLEXAUTH_OK ? k : nullptr), created,
                    err ? plexauth_error_message(err) : ""};
  if (st != PLEXAUTH_OK) {
    EXPECT_EQ(k, nullptr) << "no key on failure";
  }
  plexauth_error_free(err);
  return o;
}

TEST(Jwt, AKeystoreGetsANewKeyOnceAndGivesItBack) {
  Keystore store;
  auto made = load_or_create(store);
  ASSERT_EQ(made.status, PLEXAUTH_OK) << made.message;
  EXPECT_EQ(made.created, 1);
  EXPECT_EQ(store.reads, 1);
  EXPECT_EQ(store.writes, 1);
  ASSERT_TRUE(store.stored);
  EXPECT_EQ(store.stored->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  // What was stored is that key.
  plexauth_device_key *k = nullptr;
  ASSERT_EQ(plexauth_device_key_from_pem(&k, store.stored->c_str(), nullptr), PLEXAUTH_OK);
  Owned<plexauth_device_key> from_store(k);
  EXPECT_STREQ(plexauth_device_key_id(from_store.get()), plexauth_device_key_id(made.key.get()));

  auto again = load_or_create(store);
  ASSERT_EQ(again.status, PLEXAUTH_OK) << again.message;
  EXPECT_EQ(again.created, 0);
  EXPECT_EQ(store.writes, 1) << "a stored key is not written again";
  EXPECT_STREQ(plexauth_device_key_id(again.key.get()), plexauth_device_key_id(made.key.get()));

  // save_with writes the same text to_pem gives.
  Keystore other;
  ASSERT_EQ(plexauth_device_key_save_with(made.key.get(), &Keystore::write, &other, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(other.writes, 1);
  EXPECT_EQ(other.stored, store.stored);

  // The key from the keystore is a working device key: register, log in, use the JWT.
  Device d;
  d.key = std::move(again.key);
  d.register_key();
  const std::string jwt = d.jwt();
  ASSERT_FALSE(jwt.empty());
  EXPECT_EQ(d.verify(jwt), PLEXAUTH_OK);
  EXPECT_EQ(token_details_with(d.fake, jwt), PLEXAUTH_OK);
  EXPECT_EQ(d.log.text.find("PRIVATE KEY"), std::string::npos);
}

TEST(Jwt, AKeystoreThatFailsOrHoldsNoKeyTextGivesNoKey) {
  {
    Keystore store;
    store.read_rc = 3;
    auto o = load_or_create(store);
    EXPECT_EQ(o.status, PLEXAUTH_E_CALLBACK);
    EXPECT_NE(o.message.find("read function reported a failure (3)"), std::string::npos) << o.message;
    EXPECT_EQ(store.writes, 0);
  }
  {
    Keystore store;
    store.write_rc = 1;
    auto o = load_or_create(store);
    EXPECT_EQ(o.status, PLEXAUTH_E_CALLBACK) << "a new key that could not be kept is not handed out";
    EXPECT_EQ(o.created, 0);
    EXPECT_NE(o.message.find("write function reported a failure (1)"), std::string::npos) << o.message;
  }
  {
    Keystore store;
    store.stored = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
    auto o = load_or_create(store);
    EXPECT_EQ(o.status, PLEXAUTH_E_INVALID_ARGUMENT);
    EXPECT_NE(o.message.find("keystore's key"), std::string::npos) << o.message;
    EXPECT_EQ(store.writes, 0) << "a stored key that does not parse is never replaced";
  }
  for (const std::string &bad : {std::string("\xff\xfe"), std::string("PEM\0text", 8), std::string(65 * 1024, 'A')}) {
    Keystore store;
    store.hand_over = bad;
    auto o = load_or_create(store);
    EXPECT_EQ(o.status, PLEXAUTH_E_CALLBACK) << "a refused text is the read function's failure";
    EXPECT_EQ(store.writes, 0) << "a refused text is not taken for \"no key stored\"";
  }
  Keystore store;
  plexauth_device_key *k = nullptr;
  EXPECT_EQ(plexauth_device_key_load_or_create_with(&k, nullptr, &Keystore::write, &store, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_device_key_load_or_create_with(&k, &Keystore::read, nullptr, &store, nullptr, nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_device_key_load_or_create_with(nullptr, &Keystore::read, &Keystore::write, &store, nullptr,
                                                    nullptr),
            PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(plexauth_device_key_save_with(nullptr, &Keystore::write, &store, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
  EXPECT_EQ(store.reads + store.writes, 0);
  EXPECT_EQ(plexauth_key_sink_set(nullptr, "x", 1), PLEXAUTH_E_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace itest
