// JWT device authentication through the C++ API against the in-process fake,
// which checks every device JWT for real (tests/fake/fake_jwt.cpp): DeviceKey
// (generate, PEM, files), register + jwt_login + verify, the refusals as
// exceptions and as Results, JwtSession as a client's token across an expiry,
// and PIN login with the key alone.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <future>
#include <optional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support.h"

namespace cpptest {
namespace {

using plexauth::DeviceKey;
using plexauth::Error;
using plexauth::Result;
using plexauth::Status;

constexpr char kJwkPath[] = "/api/v2/auth/jwk";
constexpr char kNoncePath[] = "/api/v2/auth/nonce";
constexpr char kExchangePath[] = "/api/v2/auth/token";

// A private folder for key files, removed with what is in it.
struct TempDir {
  TempDir() {
    char tmpl[] = "/tmp/plexauth-cppjwt-XXXXXX";
    if (mkdtemp(tmpl)) path = tmpl;
  }
  ~TempDir() {
    for (const auto &f : files) std::remove(f.c_str());
    rmdir(path.c_str());
  }
  std::string file(const std::string &name) {
    files.push_back(path + "/" + name);
    return files.back();
  }
  std::string path;
  std::vector<std::string> files;
};

unsigned mode_of(const std::string &path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<unsigned>(st.st_mode & 0777) : 0u;
}

Status status_of(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.status();
  }
  return Status::Ok;
}

TEST(CppDeviceKey, GeneratePemRoundTripFilesAndLoadOrCreate) {
  DeviceKey key = DeviceKey::generate();
  const std::string id = key.id();
  EXPECT_EQ(id.size(), 43u) << "base64url of a SHA-256 thumbprint";
  const std::string jwk = key.jwk();
  EXPECT_NE(jwk.find("\"kty\":\"OKP\""), std::string::npos) << jwk;
  EXPECT_NE(jwk.find("\"kid\":\"" + id + "\""), std::string::npos) << jwk;
  EXPECT_EQ(jwk.find("\"d\""), std::string::npos) << "no private part in the JWK";
  EXPECT_NE(DeviceKey::generate().id(), id) << "a new key each time";

  const std::string pem = key.to_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(pem.find('\0'), std::string::npos);
  EXPECT_EQ(DeviceKey::from_pem(pem).id(), id) << "the PEM is the same key";
  EXPECT_EQ(status_of([] { (void)DeviceKey::from_pem("-----BEGIN PRIVATE KEY-----\nnope\n"); }),
            Status::InvalidArgument);

  TempDir dir;
  ASSERT_FALSE(dir.path.empty());
  const std::string path = dir.file("device.key");
  key.save(path);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(DeviceKey::load(path).id(), id);
  // A key file others may read is refused, as ssh does; a missing one is a transport error.
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  EXPECT_EQ(status_of([&] { (void)DeviceKey::load(path); }), Status::InvalidArgument);
  EXPECT_EQ(status_of([&] { (void)DeviceKey::load(dir.path + "/missing.key"); }), Status::Transport);

  const std::string fresh = dir.file("fresh.key");
  auto [made, created] = DeviceKey::load_or_create(fresh);
  EXPECT_TRUE(created);
  EXPECT_EQ(mode_of(fresh), 0600u);
  auto again = DeviceKey::load_or_create(fresh);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.key.id(), made.id()) << "the same key on the next run";

  // A moved-from key holds nothing and fails cleanly.
  DeviceKey moved = std::move(made);
  EXPECT_EQ(moved.id(), again.key.id());
  EXPECT_EQ(made.id(), "");  // NOLINT(bugprone-use-after-move): the documented moved-from state
  EXPECT_EQ(status_of([&] { (void)made.to_pem(); }), Status::InvalidArgument);
}

// The JSON of a JWT's part (0: header, 1: claims), base64url-decoded.
std::string jwt_part(const std::string &jwt, int part) {
  std::size_t start = 0;
  for (int i = 0; i < part; ++i) start = jwt.find('.', start) + 1;
  const std::string text = jwt.substr(start, jwt.find('.', start) - start);
  static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned bits = 0, value = 0;
  for (char c : text) {
    const std::size_t v = alphabet.find(c);
    if (v == std::string::npos) break;
    value = (value << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

TEST(CppDeviceKey, SignJwtCarriesTheClaims) {
  DeviceKey key = DeviceKey::generate();
  const std::string jwt = key.sign_jwt(kClientId, std::string_view("n0nce"), std::nullopt, std::chrono::seconds(60));
  ASSERT_EQ(std::count(jwt.begin(), jwt.end(), '.'), 2) << jwt;
  const std::string header = jwt_part(jwt, 0), claims = jwt_part(jwt, 1);
  EXPECT_NE(header.find("\"alg\":\"EdDSA\""), std::string::npos) << header;
  EXPECT_NE(header.find("\"kid\":\"" + key.id() + "\""), std::string::npos) << header;
  EXPECT_NE(claims.find(std::string("\"iss\":\"") + kClientId + "\""), std::string::npos) << claims;
  EXPECT_NE(claims.find("\"nonce\":\"n0nce\""), std::string::npos) << claims;
  EXPECT_NE(claims.find("\"aud\":\"plex.tv\""), std::string::npos) << claims;
  // A JWT longer than the first buffer (1 KiB; a long scope) comes back whole; a scope over
  // 1 KiB is refused.
  std::string scope = "username";
  while (scope.size() + 6 <= 1000) scope += ",email";
  const std::string long_jwt = key.sign_jwt(kClientId, std::nullopt, scope);
  EXPECT_GT(long_jwt.size(), 1400u);
  EXPECT_NE(jwt_part(long_jwt, 1).find(scope), std::string::npos);
  EXPECT_EQ(std::count(long_jwt.begin(), long_jwt.end(), '.'), 2);
  EXPECT_EQ(status_of([&] { (void)key.sign_jwt(kClientId, std::nullopt, scope + scope); }), Status::InvalidArgument);
  EXPECT_EQ(status_of([&] { (void)key.sign_jwt(kClientId, std::nullopt, std::nullopt, std::chrono::seconds(0)); }),
            Status::InvalidArgument)
      << "a lifetime of 0 s is refused";
  EXPECT_EQ(status_of([&] { (void)key.sign_jwt(std::string_view("a\0b", 3)); }), Status::InvalidArgument);
}

// A fake, a client signed in as account A and a device key.
class CppJwt : public CppApi {
 protected:
  DeviceKey key = DeviceKey::generate();
  std::size_t count(const std::string &path) const { return fake.requests_to(path).size(); }
};

TEST_F(CppJwt, RegisterLoginVerifyAndUseThePlexJwt) {
  client.register_device_key(key);
  const auto reg = fake.requests().back();
  EXPECT_EQ(reg.method, "POST");
  EXPECT_EQ(reg.path, kJwkPath);
  EXPECT_EQ(reg.header("X-Plex-Token").value_or(""), seed::kTokenA);
  EXPECT_EQ(reg.body, "{\"jwk\":" + key.jwk() + "}");

  plexauth::JwtToken login = client.jwt_login(key);
  const std::string jwt = login.auth_token();
  ASSERT_FALSE(jwt.empty());
  EXPECT_EQ(count(kNoncePath), 1u);
  EXPECT_EQ(count(kExchangePath), 1u);
  const auto exchange = fake.requests().back();
  EXPECT_EQ(exchange.path, kExchangePath);
  EXPECT_FALSE(exchange.header("X-Plex-Token").has_value()) << "a JWT login sends no token";

  const std::int64_t exp = client.jwt_verify(jwt, key);
  EXPECT_GT(exp, static_cast<std::int64_t>(std::time(nullptr)) + 6 * 86400) << "7 days";
  EXPECT_EQ(client.jwt_verify(jwt), exp);
  Result<std::int64_t> checked = client.try_jwt_verify(jwt, key);
  ASSERT_TRUE(checked.ok()) << checked.error().what();
  EXPECT_EQ(checked.value(), exp);

  // The JWT is the account's token with plex.tv.
  plexauth::CallOptions with_jwt;
  with_jwt.access_token(jwt);
  EXPECT_EQ(client.get_token_details(with_jwt).uuid(), seed::kUuidA);
  EXPECT_EQ(fake.requests().back().header("X-Plex-Token").value_or(""), jwt);
}

TEST_F(CppJwt, AsyncLoginAsAFutureAndWithACallback) {
  client.register_device_key(key);
  plexauth::Future<plexauth::JwtToken> future = [&] {
    DeviceKey copy = DeviceKey::from_pem(key.to_pem());
    return client.jwt_login_async(copy);  // the copy goes away at once
  }();
  const std::string jwt = future.get().auth_token();
  EXPECT_EQ(client.jwt_verify(jwt, key), client.jwt_verify(jwt));
  EXPECT_EQ(count(kNoncePath), 1u);
  EXPECT_EQ(count(kExchangePath), 1u);

  std::promise<Result<plexauth::JwtToken>> got;
  plexauth::Call call = client.jwt_login_async(key, [&](Result<plexauth::JwtToken> r) { got.set_value(std::move(r)); });
  auto outcome = got.get_future();
  ASSERT_EQ(outcome.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Result<plexauth::JwtToken> r = outcome.get();
  ASSERT_TRUE(r.ok()) << r.error().what();
  EXPECT_EQ(client.jwt_verify(r.value().auth_token(), key), client.jwt_verify(jwt, key));
  EXPECT_EQ(count(kNoncePath), 2u) << "a nonce per login";
  EXPECT_EQ(count(kExchangePath), 2u);

  // An unregistered key: the exchange's refusal, from the future.
  DeviceKey stranger = DeviceKey::generate();
  EXPECT_EQ(status_of([&] { (void)client.jwt_login_async(stranger).get(); }), Status::Unauthorized);
}

TEST(CppDeviceKey, KeyStoreCreatesOnceRereadsAndPassesExceptionsThrough) {
  std::optional<std::string> stored;
  int writes = 0;
  plexauth::KeyStore store{[&] { return stored; },
                           [&](std::string_view pem) {
                             ++writes;
                             stored = std::string(pem);
                           }};
  plexauth::LoadedDeviceKey made = DeviceKey::load_or_create_with(store);
  EXPECT_TRUE(made.created);
  EXPECT_EQ(writes, 1);
  ASSERT_TRUE(stored);
  EXPECT_EQ(DeviceKey::from_pem(*stored).id(), made.key.id());
  plexauth::LoadedDeviceKey again = DeviceKey::load_or_create_with(store);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(again.key.id(), made.key.id());

  std::string saved;
  made.key.save_with([&](std::string_view pem) { saved = pem; });
  EXPECT_EQ(saved, made.key.to_pem());

  // The store's own exceptions come back as they were thrown.
  struct Locked : std::runtime_error {
    Locked() : std::runtime_error("keychain locked") {}
  };
  plexauth::KeyStore locked{[]() -> std::optional<std::string> { throw Locked(); }, [](std::string_view) {}};
  EXPECT_THROW(DeviceKey::load_or_create_with(locked), Locked);
  int full_writes = 0;
  plexauth::KeyStore full{[] { return std::optional<std::string>(); }, [&](std::string_view) {
                            ++full_writes;
                            throw std::runtime_error("disk full");
                          }};
  EXPECT_THROW(DeviceKey::load_or_create_with(full), std::runtime_error);
  EXPECT_EQ(full_writes, 1);
  EXPECT_THROW(made.key.save_with([](std::string_view) { throw Locked(); }), Locked);
  // Not a key: an Error, and the stored text stays.
  stored = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n";
  EXPECT_EQ(status_of([&] { (void)DeviceKey::load_or_create_with(store); }), Status::InvalidArgument);
  EXPECT_EQ(writes, 1);
  // A text the library refuses (not UTF-8): the read function's failure.
  stored = std::string("\xff\xfe");
  EXPECT_EQ(status_of([&] { (void)DeviceKey::load_or_create_with(store); }), Status::Callback);
  EXPECT_EQ(status_of([] { (void)DeviceKey::load_or_create_with(plexauth::KeyStore{}); }), Status::InvalidArgument)
      << "an empty KeyStore";
  EXPECT_EQ(status_of([&] { made.key.save_with({}); }), Status::InvalidArgument);
}

TEST_F(CppJwt, AnUnregisteredKeyAForgeryAndAnotherKeyAreRefused) {
  // Not registered: the exchange is refused (422), thrown and as a Result.
  EXPECT_EQ(status_of([&] { (void)client.jwt_login(key); }), Status::Unauthorized);
  Result<plexauth::JwtToken> refused = client.try_jwt_login(key);
  EXPECT_EQ(refused.status(), Status::Unauthorized);
  EXPECT_EQ(refused.error().http_status(), 422);

  Result<void> reg = client.try_register_device_key(key);
  ASSERT_TRUE(reg.ok()) << reg.error().what();
  const std::string jwt = client.jwt_login(key).auth_token();

  // A forged payload under the signature: jwt_invalid naming the check.
  std::string forged = jwt;
  const std::size_t dot = forged.find('.');
  forged[dot + 5] = forged[dot + 5] == 'A' ? 'B' : 'A';
  try {
    (void)client.jwt_verify(forged);
    FAIL() << "a forged JWT verified";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::JwtInvalid);
    EXPECT_TRUE(e.message().find("signature") != std::string::npos ||
                e.message().find("malformed") != std::string::npos)
        << e.message();
    EXPECT_EQ(e.message().find(jwt), std::string::npos) << "no JWT in the message";
  }
  // Issued for another key: the thumbprint check fails.
  Result<std::int64_t> other = client.try_jwt_verify(jwt, DeviceKey::generate());
  ASSERT_EQ(other.status(), Status::JwtInvalid);
  EXPECT_NE(other.error().message().find("thumbprint"), std::string::npos) << other.error().message();
  EXPECT_EQ(client.try_jwt_verify("not.a.jwt").status(), Status::JwtInvalid);

  // The same key registered from another device: taken (422).
  plexauth::Config cfg = fake_config(fake, seed::kTokenA);
  cfg.client_id("another-device");
  plexauth::Client another(cfg);
  EXPECT_EQ(another.try_register_device_key(key).status(), Status::Unauthorized);

  // plex.tv expires it: using it is token_expired (498), thrown and as a Result.
  fake.expire_jwts();
  plexauth::CallOptions with_jwt;
  with_jwt.access_token(jwt);
  try {
    (void)client.get_token_details(with_jwt);
    FAIL() << "an expired JWT was taken";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::TokenExpired);
    EXPECT_EQ(e.http_status(), 498);
  }
  EXPECT_EQ(client.try_ping(with_jwt).status(), Status::TokenExpired);
}

TEST_F(CppJwt, ASessionIsTheClientsTokenAcrossAnExpiry) {
  client.register_device_key(key);
  plexauth::JwtSession session(client, key);
  std::optional<plexauth::Client> user;
  {
    plexauth::Config cfg = fake_config(fake, std::nullopt);
    cfg.jwt_session(session);
    user.emplace(cfg);
  }  // the config is gone: the client keeps the session

  // Many threads, one refresh.
  std::vector<std::string> got(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < got.size(); ++i) threads.emplace_back([&, i] { got[i] = session.token().jwt; });
  for (auto &t : threads) t.join();
  for (const auto &g : got) EXPECT_EQ(g, got[0]);
  EXPECT_EQ(count(kExchangePath), 1u) << "one refresh for every thread";
  const plexauth::SessionJwt first = session.token();
  EXPECT_EQ(first.jwt, got[0]);
  EXPECT_EQ(client.jwt_verify(first.jwt, key), first.expires_at);

  EXPECT_EQ(user->get_token_details().uuid(), seed::kUuidA);
  EXPECT_EQ(fake.requests().back().header("X-Plex-Token").value_or(""), first.jwt) << "the session's JWT is sent";
  EXPECT_EQ(count(kExchangePath), 1u) << "still fresh: no refresh";

  // plex.tv expires it (498): the call fails with token_expired; invalidate and
  // the next call refreshes once and sends the new JWT.
  fake.expire_jwts();
  fake.advance_clock(std::chrono::seconds(1));  // a new iat, so a new JWT
  EXPECT_EQ(user->try_get_token_details().status(), Status::TokenExpired);
  session.invalidate();
  EXPECT_EQ(user->get_token_details().uuid(), seed::kUuidA);
  EXPECT_EQ(count(kExchangePath), 2u);
  const std::string second = fake.requests().back().header("X-Plex-Token").value_or("");
  EXPECT_NE(second, first.jwt);
  EXPECT_EQ(session.token().jwt, second);

  // The session outlives the Client object it refreshes through (it keeps the handle).
  plexauth::JwtSession lasting = [&] {
    plexauth::Client refresher(fake_config(fake, std::nullopt));
    return plexauth::JwtSession(refresher, key);
  }();
  lasting.invalidate();
  EXPECT_EQ(lasting.try_token().status(), Status::Ok) << "refreshed through a client whose object is gone";
  EXPECT_EQ(count(kExchangePath), 3u);

  // A client using a session outlives the session object, its refresh client and its config.
  std::optional<plexauth::Client> orphan;
  {
    plexauth::Client refresher(fake_config(fake, std::nullopt));
    plexauth::JwtSession own(refresher, key);
    plexauth::Config cfg = fake_config(fake, std::nullopt);
    cfg.jwt_session(own);
    orphan.emplace(cfg);
  }
  EXPECT_EQ(orphan->get_token_details().uuid(), seed::kUuidA);
  EXPECT_EQ(count(kExchangePath), 4u) << "its first JWT, got through the refresh client it kept";
  orphan.reset();

  // A failed refresh: the session's error, and the call's Status::Callback with nothing sent.
  DeviceKey unregistered = DeviceKey::generate();
  plexauth::JwtSession failing(client, unregistered);
  EXPECT_EQ(failing.try_token().status(), Status::Unauthorized);
  plexauth::Config cfg = fake_config(fake, std::nullopt);
  cfg.jwt_session(failing);
  plexauth::Client failing_user(cfg);
  const std::size_t user_calls = count(kUserPath);
  EXPECT_EQ(failing_user.try_get_token_details().status(), Status::Callback);
  EXPECT_EQ(count(kUserPath), user_calls) << "nothing sent without a token";

  // An empty session and a bad margin are refused.
  plexauth::Config empty = fake_config(fake, std::nullopt);
  EXPECT_EQ(status_of([&] { empty.jwt_session(plexauth::JwtSession()); }), Status::InvalidArgument);
  EXPECT_EQ(plexauth::JwtSession().try_token().status(), Status::InvalidArgument);
  EXPECT_EQ(status_of([&] { plexauth::JwtSession(client, key, std::chrono::seconds(-1)); }),
            Status::InvalidArgument);
}

TEST_F(CppJwt, PinLoginWithTheKeyAlone) {
  plexauth::Client anonymous = client_with_token(std::nullopt);
  plexauth::Pin pin = anonymous.create_jwk_pin(key.jwk(), true);
  const auto create = fake.requests().back();
  EXPECT_EQ(create.body, "{\"jwk\":" + key.jwk() + ",\"strong\":true}");
  const std::string poll_path = std::string(kPinsPath) + "/" + std::to_string(pin.id());
  std::thread approve([&] {
    for (int i = 0; i < 500 && fake.requests_to(poll_path).size() < 2; ++i) std::this_thread::sleep_for(10ms);
    fake.approve_pin(pin.id(), seed::kEmailA);
  });
  int told = 0;
  Result<plexauth::Pin> approved =
      anonymous.try_wait_for_jwk_pin(pin.id(), key, 100ms, 10s, [&](std::string_view code, std::int64_t left) {
        EXPECT_EQ(code, pin.code());
        EXPECT_GT(left, 0);
        ++told;
        return true;
      });
  approve.join();
  ASSERT_TRUE(approved.ok()) << approved.error().what();
  EXPECT_GE(told, 1);
  const std::string jwt = approved->auth_token().value_or("");
  EXPECT_GT(client.jwt_verify(jwt, key), static_cast<std::int64_t>(std::time(nullptr)))
      << "a Plex JWT issued for this key";
  for (const auto &p : fake.requests_to(poll_path)) {
    EXPECT_EQ(p.query.rfind("deviceJWT=", 0), 0u) << p.query;
    EXPECT_FALSE(p.header("X-Plex-Token").has_value());
  }
  // The approval registered the key: a session refreshes with it, no register call.
  plexauth::JwtSession session(anonymous, key);
  EXPECT_EQ(session.try_token().status(), Status::Ok);
  EXPECT_EQ(count(kJwkPath), 0u);

  // Polling with another key is refused; false from the progress callback stops the wait.
  plexauth::Pin other = anonymous.create_jwk_pin(key.jwk());
  EXPECT_EQ(status_of([&] { (void)anonymous.wait_for_jwk_pin(other.id(), DeviceKey::generate(), 100ms, 10s); }),
            Status::Unauthorized);
  EXPECT_EQ(anonymous
                .try_wait_for_jwk_pin(other.id(), key, 100ms, 10s, [](std::string_view, std::int64_t) { return false; })
                .status(),
            Status::Cancelled);
}

}  // namespace
}  // namespace cpptest
