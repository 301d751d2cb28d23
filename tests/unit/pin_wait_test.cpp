// Waiting for a JWK PIN (src/login wait_for_pin with a device-JWT signer):
// the device JWT is signed again every resign_ms of the wait's clock, so a
// wait longer than a device JWT's 5 minutes never sends an expired one. The
// wait's clock and sleeper are fake (hours pass at once); the polls are real
// requests to the fake server on 127.0.0.1, which checks every device JWT.
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "core/client.h"
#include "core/jwt.h"
#include "core/operations.gen.h"
#include "core/request.h"
#include "fake_plex.h"
#include "login/login.h"

namespace plexauth {
namespace {

constexpr char kClientId[] = "pin-wait-unit-test";

// Time passes only when the wait sleeps; `on_sleep` runs at each pause (here:
// the user approves the PIN at a chosen poll).
struct WaitTime : Clock, Sleeper, Jitter {
  int64_t now = 0;
  int sleeps = 0;
  std::function<void(int)> on_sleep;
  int64_t now_ms() override { return now; }
  bool sleep_ms(int64_t ms, CancelToken *) override {
    now += ms;
    ++sleeps;
    if (on_sleep) on_sleep(sleeps);
    return true;
  }
  double next() override { return 0; }
  RetryEnv env() { return RetryEnv{this, this, this}; }
};

struct JwkPin {
  plexauth_fake::FakePlex fake;
  jwt::DeviceKey key = jwt::DeviceKey::generate();
  Client client = [this] {
    ClientConfig cfg;
    cfg.identity.client_id = kClientId;
    cfg.plex_tv_url = fake.plex_tv_url();
    cfg.retry.reset();
    return Client(cfg);
  }();
  int64_t create() {
    const Secret body(R"({"jwk":)" + key.public_jwk() + R"(,"strong":true})");
    CallInput in;
    in.body = &body;
    return client.run<Pin>(op::kCreateJwkPin, in, nullptr).value.id.value_or(0);
  }
  // The device JWTs the polls carried, in order.
  std::vector<std::string> polled_jwts(int64_t id) {
    std::vector<std::string> out;
    for (const auto &r : fake.requests_to("/api/v2/pins/" + std::to_string(id))) out.push_back(r.query);
    return out;
  }
};

TEST(JwkPinWait, SignsANewDeviceJwtEveryResignIntervalOfALongWait) {
  JwkPin p;
  const int64_t id = p.create();
  ASSERT_GT(id, 0);
  WaitTime t;
  t.on_sleep = [&](int sleeps) {
    if (sleeps == 9) p.fake.approve_pin(id, plexauth_fake::seed::kEmailA);  // after 9 polls: 8 minutes of waiting
  };
  int signed_count = 0;
  PinWait wait;
  wait.poll_interval_ms = 60000;
  wait.resign_ms = 240000;
  wait.device_jwt = [&] {
    ++signed_count;  // a different nonce each time: each JWT differs even within one second
    return Secret(jwt::sign_device_jwt(p.key, kClientId, "nonce-" + std::to_string(signed_count),
                                       "username", std::time(nullptr), 300));
  };
  Parsed<Pin> r = wait_for_pin(p.client, id, wait, nullptr, t.env());
  ASSERT_TRUE(r.value.auth_token.has_value());
  EXPECT_EQ(std::count(r.value.auth_token->begin(), r.value.auth_token->end(), '.'), 2) << "a Plex JWT";

  // Polls 1-4 (minutes 0-3) carry the first JWT, 5-8 the second, 9-10 the third.
  const auto queries = p.polled_jwts(id);
  ASSERT_EQ(queries.size(), 10u);
  EXPECT_EQ(signed_count, 3);
  for (size_t i = 0; i < queries.size(); ++i) {
    EXPECT_EQ(queries[i].rfind("deviceJWT=", 0), 0u) << queries[i];
    EXPECT_EQ(queries[i] == queries[0], i < 4) << "poll " << i + 1;
    EXPECT_EQ(queries[i] == queries[4], i >= 4 && i < 8) << "poll " << i + 1;
    EXPECT_EQ(queries[i] == queries[8], i >= 8) << "poll " << i + 1;
  }
}

TEST(JwkPinWait, APlainPinIsPolledWithoutADeviceJwt) {
  JwkPin p;
  CallInput in;
  const int64_t id = p.client.run<Pin>(op::kCreatePin, in, nullptr).value.id.value_or(0);
  ASSERT_GT(id, 0);
  WaitTime t;
  t.on_sleep = [&](int sleeps) {
    if (sleeps == 2) p.fake.approve_pin(id, plexauth_fake::seed::kEmailA);
  };
  Parsed<Pin> r = wait_for_pin(p.client, id, PinWait{}, nullptr, t.env());
  EXPECT_EQ(r.value.auth_token.value_or(""), plexauth_fake::seed::kTokenA);
  for (const auto &q : p.polled_jwts(id)) EXPECT_EQ(q, "");
}

TEST(JwkPinWait, AResignIntervalUnderOneSecondIsRefused) {
  JwkPin p;
  PinWait wait;
  wait.device_jwt = [] { return Secret("x"); };
  wait.resign_ms = 999;
  try {
    wait_for_pin(p.client, 1, wait, nullptr);
    FAIL() << "accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, Status::InvalidArgument);
  }
  EXPECT_TRUE(p.fake.requests().empty()) << "nothing sent";
}

}  // namespace
}  // namespace plexauth
