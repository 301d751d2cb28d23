// Every operation through the C++ API, each way it offers (blocking, try_,
// std::future and callback on the client's own loop and on an external Loop
// driven by the test), over real sockets to the fake: the parsed fields and
// what reached the wire.
#include <algorithm>
#include <atomic>
#include <set>

#include "support.h"

namespace cpptest {
namespace {

using plexauth::Account;
using plexauth::Call;
using plexauth::LoopRef;
using plexauth::Result;

TEST_F(CppApi, GetTokenDetailsEveryWay) {
  Ways<Account> ways{
      [&] { return client.get_token_details(); },
      [&] { return client.try_get_token_details(); },
      [&](LoopRef loop) { return client.get_token_details_async({}, loop); },
      [&](std::function<void(Result<Account>)> done, LoopRef loop) {
        return client.get_token_details_async(std::move(done), {}, loop);
      }};
  int made = 0;
  every_way(ways, [&](Account a) {
    ++made;
    EXPECT_EQ(a.uuid(), seed::kUuidA);
    EXPECT_EQ(a.auth_token(), seed::kTokenA);
    EXPECT_EQ(a.id(), seed::kIdA);
    EXPECT_EQ(a.email(), seed::kEmailA);
    EXPECT_EQ(a.username(), seed::kUsernameA);
    EXPECT_EQ(a.response().status(), 200);
    EXPECT_NE(a.json().find(std::string("\"uuid\":\"") + seed::kUuidA + "\""), std::string::npos) << a.json();
  });
  EXPECT_EQ(made, 6);
  const auto sent = fake.requests_to(kUserPath);
  ASSERT_EQ(sent.size(), 6u);
  for (const auto &r : sent) {
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.header("X-Plex-Token"), std::string(seed::kTokenA));
    EXPECT_EQ(r.header("X-Plex-Client-Identifier"), std::string(kClientId));
    EXPECT_EQ(r.header("X-Plex-Product"), std::string(kProduct));
  }
}

TEST_F(CppApi, GetTransientTokenEveryWay) {
  using plexauth::TransientToken;
  Ways<TransientToken> ways{
      [&] { return client.get_transient_token(); },
      [&] { return client.try_get_transient_token(); },
      [&](LoopRef loop) { return client.get_transient_token_async(std::nullopt, std::nullopt, {}, loop); },
      [&](std::function<void(Result<TransientToken>)> done, LoopRef loop) {
        return client.get_transient_token_async(std::nullopt, std::nullopt, std::move(done), {}, loop);
      }};
  std::set<std::string> tokens;
  every_way(ways, [&](TransientToken t) {
    ASSERT_TRUE(t.token().has_value());
    tokens.insert(*t.token());
  });
  EXPECT_EQ(tokens.size(), 6u) << "a new transient token each call";
  const auto issued = fake.transient_tokens();
  for (const auto &t : tokens) EXPECT_NE(std::find(issued.begin(), issued.end(), t), issued.end());
  for (const auto &r : fake.requests_to(kTokenPath)) {
    EXPECT_EQ(r.query_param("type"), "delegation");
    EXPECT_EQ(r.query_param("scope"), "all");
  }
}

TEST_F(CppApi, TransientTokenParametersReachTheQuery) {
  auto t = client.get_transient_token("delegation", std::string("all"));
  EXPECT_TRUE(t.token().has_value());
  ASSERT_EQ(fake.requests_to(kTokenPath).size(), 1u);
  EXPECT_EQ(fake.requests_to(kTokenPath)[0].query, "type=delegation&scope=all");
}

TEST_F(CppApi, GetSourceConnectionInformationEveryWay) {
  using plexauth::SourceInfo;
  Ways<SourceInfo> ways{
      [&] { return client.get_source_connection_information(seed::kSource); },
      [&] { return client.try_get_source_connection_information(seed::kSource); },
      [&](LoopRef loop) { return client.get_source_connection_information_async(seed::kSource, {}, loop); },
      [&](std::function<void(Result<SourceInfo>)> done, LoopRef loop) {
        return client.get_source_connection_information_async(seed::kSource, std::move(done), {}, loop);
      }};
  every_way(ways, [&](SourceInfo s) {
    EXPECT_EQ(s.name(), seed::kSourceName);
    EXPECT_EQ(s.client_identifier(), seed::kSourceClientId);
    EXPECT_EQ(s.access_token(), seed::kSourceAccessToken);
    const auto connections = s.connections();
    ASSERT_EQ(connections.size(), 2u);
    EXPECT_EQ(connections[0].protocol(), "https");
    EXPECT_EQ(connections[0].address(), "10.0.0.5");
    EXPECT_EQ(connections[0].port(), 32400);
    EXPECT_EQ(connections[0].uri(), "https://10.0.0.5:32400");
    EXPECT_EQ(connections[0].local(), true);
  });
  for (const auto &r : fake.requests_to(kResourcesPath)) EXPECT_EQ(r.query_param("source"), seed::kSource);
}

TEST_F(CppApi, SignInEveryWay) {
  plexauth::SignIn req;
  req.login(seed::kEmailA).password(seed::kPasswordA).remember_me(true);
  Ways<Account> ways{
      [&] { return client.post_users_sign_in_data(req); },
      [&] { return client.try_post_users_sign_in_data(req); },
      [&](LoopRef loop) { return client.post_users_sign_in_data_async(req, {}, loop); },
      [&](std::function<void(Result<Account>)> done, LoopRef loop) {
        return client.post_users_sign_in_data_async(req, std::move(done), {}, loop);
      }};
  every_way(ways, [&](Account a) {
    EXPECT_EQ(a.uuid(), seed::kUuidA);
    EXPECT_FALSE(a.auth_token().empty());
    EXPECT_TRUE(fake.is_valid_token(a.auth_token()));
    EXPECT_EQ(a.response().status(), 201);
  });
  const auto sent = fake.requests_to(kSignInPath);
  ASSERT_EQ(sent.size(), 6u);
  for (const auto &r : sent) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_FALSE(r.header("X-Plex-Token").has_value()) << "sign-in sends no token";
    EXPECT_NE(r.body.find("login=username%40email.com"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("rememberMe=true"), std::string::npos) << r.body;
  }
}

TEST_F(CppApi, CreatePinEveryWay) {
  using plexauth::Pin;
  Ways<Pin> ways{
      [&] { return client.create_pin(true); },
      [&] { return client.try_create_pin(true); },
      [&](LoopRef loop) { return client.create_pin_async(true, {}, loop); },
      [&](std::function<void(Result<Pin>)> done, LoopRef loop) {
        return client.create_pin_async(true, std::move(done), {}, loop);
      }};
  std::set<std::int64_t> ids;
  every_way(ways, [&](Pin p) {
    ids.insert(p.id());
    EXPECT_EQ(p.code().size(), 25u) << "strong: a long code";
    EXPECT_EQ(fake.pin_code(p.id()), p.code());
    EXPECT_EQ(p.expires_in(), 1800);
    EXPECT_FALSE(p.auth_token().has_value());
  });
  EXPECT_EQ(ids.size(), 6u);
  for (const auto &r : fake.requests_to(kPinsPath)) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.query_param("strong"), "true");
    EXPECT_FALSE(r.header("X-Plex-Token").has_value());
  }
}

TEST_F(CppApi, GetPinEveryWay) {
  using plexauth::Pin;
  Ways<Pin> ways{
      [&] { return client.get_pin(seed::kPinId); },
      [&] { return client.try_get_pin(seed::kPinId); },
      [&](LoopRef loop) { return client.get_pin_async(seed::kPinId, {}, loop); },
      [&](std::function<void(Result<Pin>)> done, LoopRef loop) {
        return client.get_pin_async(seed::kPinId, std::move(done), {}, loop);
      }};
  every_way(ways, [&](Pin p) {
    EXPECT_EQ(p.id(), seed::kPinId);
    EXPECT_EQ(p.code(), seed::kPinCode);
    EXPECT_EQ(p.client_identifier(), seed::kPinClientId);
  });
  const auto sent = fake.requests_to("/api/v2/pins/" + std::to_string(seed::kPinId));
  EXPECT_EQ(sent.size(), 6u);
}

TEST_F(CppApi, LinkPinEveryWay) {
  // A TV (no token) shows a code; this client (account A) links it.
  plexauth::Client tv = client_with_token(std::nullopt);
  std::vector<std::int64_t> ids;
  auto next_code = [&] {
    plexauth::Pin p = tv.create_pin();
    ids.push_back(p.id());
    return p.code();
  };
  Ways<void> ways{
      [&] { client.link_pin(next_code()); },
      [&] { return client.try_link_pin(next_code()); },
      [&](LoopRef loop) { return client.link_pin_async(next_code(), {}, loop); },
      [&](std::function<void(Result<void>)> done, LoopRef loop) {
        return client.link_pin_async(next_code(), std::move(done), {}, loop);
      }};
  every_way(ways, [&] {
    ASSERT_FALSE(ids.empty());
    plexauth::Pin polled = tv.get_pin(ids.back());
    EXPECT_EQ(polled.auth_token(), std::string(seed::kTokenA)) << "the link approved the TV's PIN";
  });
  EXPECT_EQ(ids.size(), 6u);
  const auto sent = fake.requests_to("/api/v2/pins/link");
  ASSERT_EQ(sent.size(), 6u);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenA));
}

TEST_F(CppApi, SignOutEveryWay) {
  // Each way signs out a fresh token: a Plex Home user's, new on each switch.
  std::string token;
  plexauth::CallOptions as_token;
  auto fresh = [&]() -> plexauth::CallOptionsRef {
    token = client.switch_home_user(seed::kHomeOpenUuid).auth_token();
    EXPECT_TRUE(fake.is_valid_token(token));
    as_token.access_token(token);
    return as_token;
  };
  Ways<void> ways{
      [&] { client.sign_out(fresh()); },
      [&] { return client.try_sign_out(fresh()); },
      [&](LoopRef loop) { return client.sign_out_async(fresh(), loop); },
      [&](std::function<void(Result<void>)> done, LoopRef loop) {
        return client.sign_out_async(std::move(done), fresh(), loop);
      }};
  std::set<std::string> revoked;
  every_way(ways, [&] {
    EXPECT_FALSE(fake.is_valid_token(token));
    revoked.insert(token);
  });
  EXPECT_EQ(revoked.size(), 6u);
  EXPECT_TRUE(fake.is_valid_token(seed::kTokenA)) << "the client's own token is untouched";
  for (const auto &r : fake.requests_to(kSignOutPath)) EXPECT_EQ(r.method, "DELETE");
}

TEST_F(CppApi, SwitchHomeUserEveryWay) {
  Ways<Account> ways{
      [&] { return client.switch_home_user(seed::kHomeProtectedUuid, seed::kHomeProtectedPin); },
      [&] { return client.try_switch_home_user(seed::kHomeProtectedUuid, seed::kHomeProtectedPin); },
      [&](LoopRef loop) {
        return client.switch_home_user_async(seed::kHomeProtectedUuid, seed::kHomeProtectedPin, {}, loop);
      },
      [&](std::function<void(Result<Account>)> done, LoopRef loop) {
        return client.switch_home_user_async(seed::kHomeProtectedUuid, seed::kHomeProtectedPin, std::move(done), {},
                                             loop);
      }};
  every_way(ways, [&](Account kid) {
    EXPECT_EQ(kid.title(), seed::kHomeProtectedUsername);
    EXPECT_EQ(kid.id(), seed::kHomeProtectedId);
    EXPECT_TRUE(fake.is_valid_token(kid.auth_token()));
    EXPECT_NE(kid.auth_token(), seed::kTokenA);
  });
  const auto sent = fake.requests_to(std::string("/api/v2/home/users/") + seed::kHomeProtectedUuid + "/switch");
  ASSERT_EQ(sent.size(), 6u);
  EXPECT_EQ(sent[0].query_param("pin"), seed::kHomeProtectedPin);
}

TEST_F(CppApi, PingEveryWay) {
  using plexauth::Pong;
  Ways<Pong> ways{
      [&] { return client.ping(); },
      [&] { return client.try_ping(); },
      [&](LoopRef loop) { return client.ping_async({}, loop); },
      [&](std::function<void(Result<Pong>)> done, LoopRef loop) {
        return client.ping_async(std::move(done), {}, loop);
      }};
  every_way(ways, [&](Pong p) { EXPECT_EQ(p.pong(), true); });
  EXPECT_EQ(fake.requests_to(kPingPath).size(), 6u);
}

TEST_F(CppApi, NestedObjectsAndLists) {
  // Account B after sign-in carries the sign-in-only fields (subscriptions, past subscriptions).
  plexauth::SignIn req;
  req.login(seed::kEmailB).password(seed::kPasswordB).verification_code(seed::kCodeB);
  Account b = client.post_users_sign_in_data(req);
  EXPECT_EQ(b.uuid(), seed::kUuidB);
  EXPECT_TRUE(b.two_factor_enabled());
  const auto sub = b.subscription();
  ASSERT_TRUE(sub.has_value());
  EXPECT_TRUE(sub->active().has_value());
  const auto profile = b.profile();
  ASSERT_TRUE(profile.has_value());
  // Every list getter agrees with the C getters it wraps.
  EXPECT_EQ(b.subscriptions().size(), plexauth_account_subscriptions_count(b.raw()));
  EXPECT_EQ(b.services().size(), plexauth_account_services_count(b.raw()));
  EXPECT_EQ(b.past_subscriptions().size(), plexauth_account_past_subscriptions_count(b.raw()));
  EXPECT_EQ(b.roles().size(), plexauth_account_roles_count(b.raw()));
  EXPECT_EQ(b.entitlements().size(), plexauth_account_entitlements_count(b.raw()));
  for (size_t i = 0; i < b.roles().size(); ++i) EXPECT_EQ(b.roles()[i], plexauth_account_roles_at(b.raw(), i));
  for (const auto &p : b.past_subscriptions()) {
    const char *state = plexauth_past_subscription_state(p.raw());
    EXPECT_EQ(p.state(), state ? std::optional<std::string>(state) : std::nullopt);
    int64_t method = 0;
    const bool has = plexauth_past_subscription_billing_payment_method_id(p.raw(), &method) != 0;
    EXPECT_EQ(p.billing_payment_method_id(), has ? std::optional<int64_t>(method) : std::nullopt);
  }
}

}  // namespace
}  // namespace cpptest
