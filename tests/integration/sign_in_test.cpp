// post_users_sign_in_data: POST {plex.tv}/users/signin with a form body.
#include <rapidjson/document.h>

#include <algorithm>

#include "support.h"

namespace itest {
namespace {

constexpr char kForm[] = "application/x-www-form-urlencoded";

TEST_F(Integration, SignInWithEmailAndPassword) {
  auto req = sign_in_request("username@email.com", "password123");
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);

  const plexauth_account *account = r.value.get();
  EXPECT_STREQ(plexauth_account_auth_token(account), seed::kTokenA);
  EXPECT_STREQ(plexauth_account_email(account), "username@email.com");
  EXPECT_STREQ(plexauth_account_username(account), "Username");
  EXPECT_STREQ(plexauth_account_uuid(account), "dae343c1f45beb4f");
  int64_t id = 0;
  ASSERT_EQ(plexauth_account_id(account, &id), 1);
  EXPECT_EQ(id, 13692262);

  // Sign-in only: pastSubscriptions and trials.
  ASSERT_EQ(plexauth_account_past_subscriptions_count(account), 1u);
  const plexauth_past_subscription *past = plexauth_account_past_subscriptions_at(account, 0);
  ASSERT_NE(past, nullptr);
  EXPECT_EQ(plexauth_account_past_subscriptions_at(account, 1), nullptr);
  EXPECT_EQ(plexauth_past_subscription_id(past), nullptr);  // null on the wire
  EXPECT_EQ(plexauth_past_subscription_mode(past), nullptr);
  int64_t at = 0;
  EXPECT_EQ(plexauth_past_subscription_renews_at(past, &at), 0);
  ASSERT_EQ(plexauth_past_subscription_ends_at(past, &at), 1);
  EXPECT_EQ(at, 1556281940);
  int flag = -1;
  ASSERT_EQ(plexauth_past_subscription_canceled(past, &flag), 1);
  EXPECT_EQ(flag, 0);
  ASSERT_EQ(plexauth_past_subscription_can_convert(past, &flag), 1);
  EXPECT_EQ(flag, 0);
  EXPECT_STREQ(plexauth_past_subscription_type(past), "plexpass");
  EXPECT_EQ(plexauth_past_subscription_transfer(past), nullptr);
  EXPECT_STREQ(plexauth_past_subscription_state(past), "ended");
  EXPECT_EQ(plexauth_past_subscription_billing_payment_method_id(past, &at), 0);
  EXPECT_STREQ(plexauth_past_subscription_billing_internal_payment_method(past), "{}");
  EXPECT_EQ(plexauth_account_trials_count(account), 0u);

  const plexauth_response *resp = plexauth_account_response(account);
  EXPECT_EQ(plexauth_response_status(resp), 201);
  EXPECT_STREQ(plexauth_response_content_type(resp), kJson);

  // On the wire: the exact form body, the identity, and no token even though
  // this client has one.
  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].path, kSignInPath);
  EXPECT_EQ(sent[0].query, "");
  EXPECT_EQ(sent[0].body, "login=username%40email.com&password=password123&rememberMe=false");
  EXPECT_EQ(sent[0].header("Content-Type"), kForm);
  EXPECT_EQ(sent[0].header("Accept"), "application/json");
  EXPECT_EQ(sent[0].header("User-Agent"), kUserAgent);
  expect_identity(sent[0]);
  EXPECT_FALSE(sent[0].header("X-Plex-Token").has_value());
}

TEST_F(Integration, SignInAccountJsonIsTheServersAccount) {
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  size_t len = 0;
  const char *json = plexauth_account_json(r.value.get(), &len);
  ASSERT_NE(json, nullptr);
  rapidjson::Document ours;
  rapidjson::Document theirs;
  ours.Parse(json, len);
  theirs.Parse(fake.sign_in_body(seed::kEmailA).c_str());
  ASSERT_FALSE(ours.HasParseError());
  EXPECT_TRUE(ours == theirs) << json;  // same members and values, in any order
}

TEST_F(Integration, SignInWithUserNameAndRememberMe) {
  auto req = sign_in_request("Username", "password123");
  ASSERT_EQ(plexauth_sign_in_set_remember_me(req.get(), 1), PLEXAUTH_OK);
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenA);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_EQ(fake.requests()[0].body, "login=Username&password=password123&rememberMe=true");
}

TEST_F(Integration, SignInWithTwoFactorAsksForTheCodeThenSucceeds) {
  auto req = sign_in_request("user12345@example.com", "hunter2-secret");
  auto first = sign_in(client.get(), req.get());
  ASSERT_EQ(first.status, PLEXAUTH_E_TWO_FACTOR_REQUIRED) << describe(first);
  EXPECT_EQ(plexauth_error_http_status(first.error.get()), 401);
  EXPECT_EQ(plex_error(first.error.get(), 0), "1029 Please enter the verification code 401");
  EXPECT_EQ(plexauth_error_attempts(first.error.get()), 1u);

  // The user types the code from their authenticator app.
  ASSERT_EQ(plexauth_sign_in_set_verification_code(req.get(), "123456"), PLEXAUTH_OK);
  auto second = sign_in(client.get(), req.get());
  ASSERT_EQ(second.status, PLEXAUTH_OK) << describe(second);
  const plexauth_account *account = second.value.get();
  EXPECT_STREQ(plexauth_account_auth_token(account), seed::kTokenB);
  int64_t id = 0;
  ASSERT_EQ(plexauth_account_id(account, &id), 1);
  EXPECT_EQ(id, seed::kIdB);
  EXPECT_STREQ(plexauth_account_uuid(account), seed::kUuidB);
  EXPECT_STREQ(plexauth_account_country(account), "IT");
  int on = 0;
  ASSERT_EQ(plexauth_account_two_factor_enabled(account, &on), 1);
  EXPECT_EQ(on, 1);

  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].body, "login=user12345%40example.com&password=hunter2-secret&rememberMe=false");
  EXPECT_EQ(sent[1].body,
            "login=user12345%40example.com&password=hunter2-secret&rememberMe=false&verificationCode=123456");
}

TEST_F(Integration, WrongVerificationCodeAsksAgain) {
  auto req = sign_in_request(seed::kUsernameB, seed::kPasswordB, "000000");
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_TWO_FACTOR_REQUIRED) << describe(r);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1029 Please enter the verification code 401");
  EXPECT_EQ(fake.requests_to(kSignInPath).size(), 1u);
}

TEST_F(Integration, ClearedVerificationCodeIsNotSent) {
  auto req = sign_in_request(seed::kUsernameB, seed::kPasswordB, "123456");
  ASSERT_EQ(plexauth_sign_in_set_verification_code(req.get(), nullptr), PLEXAUTH_OK);
  auto r = sign_in(client.get(), req.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_TWO_FACTOR_REQUIRED) << describe(r);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_EQ(fake.requests()[0].body, "login=user12345&password=hunter2-secret&rememberMe=false");
}

TEST_F(Integration, WrongPasswordIsUnauthorizedAndNotRetried) {
  auto req = sign_in_request(seed::kEmailA, "not-the-password");
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 User could not be authenticated 401");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(fake.requests_to(kSignInPath).size(), 1u);
  EXPECT_EQ(std::string(plexauth_error_message(r.error.get())).find("not-the-password"), std::string::npos);
}

TEST_F(Integration, SignInWithoutClientIdentifierIsABadRequest) {
  auto cfg = fake_config(fake, nullptr);
  ASSERT_EQ(plexauth_config_set_client_id(cfg.get(), nullptr), PLEXAUTH_OK);  // clears it
  auto anonymous = new_client(cfg.get());
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto r = sign_in(anonymous.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_BAD_REQUEST) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 400);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1000 X-Plex-Client-Identifier is missing 400");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_FALSE(fake.requests()[0].header("X-Plex-Client-Identifier").has_value());
}

TEST_F(Integration, PerRequestIdentityBeatsTheClients) {
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  ASSERT_EQ(plexauth_sign_in_set_client_id(req.get(), "per-request-id"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_sign_in_set_client_name(req.get(), "Plex Web"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_sign_in_set_client_version(req.get(), "4.0"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_sign_in_set_platform(req.get(), "Chrome"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_sign_in_set_device_nickname(req.get(), "Laptop"), PLEXAUTH_OK);
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].header("X-Plex-Client-Identifier"), "per-request-id");
  EXPECT_EQ(sent[0].header("X-Plex-Product"), "Plex Web");
  EXPECT_EQ(sent[0].header("X-Plex-Version"), "4.0");
  EXPECT_EQ(sent[0].header("X-Plex-Platform"), "Chrome");
  EXPECT_EQ(sent[0].header("X-Plex-Device"), "Laptop");
}

TEST_F(Integration, ThrottledSignInIsReportedAndNeverRetried) {
  fake.add_fault(kSignInPath, plex_error_fault(401, 1031, "Too many failed sign in attempts"));
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_SIGN_IN_THROTTLED) << describe(r);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1031 Too many failed sign in attempts 401");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(fake.requests_to(kSignInPath).size(), 1u);
}

TEST_F(Integration, SignInAnswered200IsMalformed) {
  fake.add_fault(kSignInPath, status_fault(200));  // the account body, but 200 instead of 201
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 200);
}

TEST_F(Integration, SignInNeedsLoginAndPassword) {
  auto no_password = sign_in_request(seed::kEmailA, nullptr);
  auto no_login = sign_in_request(nullptr, seed::kPasswordA);
  auto a = sign_in(client.get(), no_password.get());
  auto b = sign_in(client.get(), no_login.get());
  EXPECT_EQ(a.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(a);
  EXPECT_EQ(b.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(b);
  EXPECT_EQ(plexauth_error_attempts(a.error.get()), 0u);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(Integration, PasswordWithReservedCharactersArrivesIntact) {
  const std::string password = "p&ss=w+rd %/?#\xc3\xa9";
  fake.add_account({"odd@example.com", "odd", password, "", "oddToken00000000000",
                    plexauth_fake::account_json(7, "0123456789abcdef", "odd", "odd@example.com", "FR",
                                                "oddToken00000000000", false)});
  auto req = sign_in_request("odd@example.com", password.c_str());
  auto r = sign_in(client.get(), req.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);  // the fake decoded the same password
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), "oddToken00000000000");
  const std::string body = fake.requests()[0].body;
  EXPECT_EQ(std::count(body.begin(), body.end(), '&'), 2) << body;  // only the field separators
  EXPECT_EQ(body.find(' '), std::string::npos) << body;
}

}  // namespace
}  // namespace itest
