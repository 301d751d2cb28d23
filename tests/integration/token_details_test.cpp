// get_token_details: GET {plex.tv}/user, the account behind a token.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>

#include "support.h"

namespace itest {
namespace {

// Account A's /user body with an edit applied, for answers a real server
// might give.
std::string edited_user_body(const FakePlex &fake, const std::function<void(rapidjson::Document &)> &edit) {
  rapidjson::Document d;
  d.Parse(fake.user_body(seed::kEmailA).c_str());
  edit(d);
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

int flag(int (*getter)(const plexauth_account *, int *), const plexauth_account *a) {
  int v = -1;
  return getter(a, &v) == 1 ? v : -1;  // -1: absent
}

TEST_F(Integration, TokenDetailsDescribeTheAccountBehindTheToken) {
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const plexauth_account *a = r.value.get();

  EXPECT_STREQ(plexauth_account_auth_token(a), "CxoUzBTSV5hsxjTpFKaf");
  EXPECT_STREQ(plexauth_account_uuid(a), "dae343c1f45beb4f");
  EXPECT_STREQ(plexauth_account_username(a), "Username");
  EXPECT_STREQ(plexauth_account_title(a), "UsernameTitle");
  EXPECT_STREQ(plexauth_account_email(a), "username@email.com");
  EXPECT_STREQ(plexauth_account_friendly_name(a), "friendlyUsername");
  EXPECT_EQ(plexauth_account_locale(a), nullptr);  // null
  EXPECT_STREQ(plexauth_account_thumb(a), "https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101");
  EXPECT_STREQ(plexauth_account_mailing_list_status(a), "active");
  EXPECT_STREQ(plexauth_account_scrobble_types(a), "");  // present and empty
  EXPECT_STREQ(plexauth_account_country(a), "US");
  EXPECT_EQ(plexauth_account_subscription_description(a), nullptr);
  EXPECT_EQ(plexauth_account_pin(a), nullptr);  // absent
  EXPECT_EQ(plexauth_account_attribution_partner(a), nullptr);

  int64_t n = 0;
  ASSERT_EQ(plexauth_account_id(a, &n), 1);
  EXPECT_EQ(n, 13692262);
  ASSERT_EQ(plexauth_account_joined_at(a, &n), 1);
  EXPECT_EQ(n, 1721154902);
  ASSERT_EQ(plexauth_account_home_size(a, &n), 1);
  EXPECT_EQ(n, 1);
  ASSERT_EQ(plexauth_account_max_home_size(a, &n), 1);
  EXPECT_EQ(n, 15);
  ASSERT_EQ(plexauth_account_remember_expires_at(a, &n), 1);
  EXPECT_EQ(n, 1722364046);
  EXPECT_EQ(plexauth_account_ads_consent_set_at(a, &n), 0);  // null
  EXPECT_EQ(plexauth_account_ads_consent_reminder_at(a, &n), 0);

  EXPECT_EQ(flag(plexauth_account_ads_consent, a), -1);  // null
  EXPECT_EQ(flag(plexauth_account_anonymous, a), 0);
  EXPECT_EQ(flag(plexauth_account_backup_codes_created, a), 0);
  EXPECT_EQ(flag(plexauth_account_confirmed, a), 0);
  EXPECT_EQ(flag(plexauth_account_email_only_auth, a), 0);
  EXPECT_EQ(flag(plexauth_account_experimental_features, a), 0);
  EXPECT_EQ(flag(plexauth_account_guest, a), 0);
  EXPECT_EQ(flag(plexauth_account_has_password, a), 1);
  EXPECT_EQ(flag(plexauth_account_home, a), 0);
  EXPECT_EQ(flag(plexauth_account_home_admin, a), 0);
  EXPECT_EQ(flag(plexauth_account_mailing_list_active, a), 0);
  EXPECT_EQ(flag(plexauth_account_protected, a), 0);
  EXPECT_EQ(flag(plexauth_account_restricted, a), 0);
  EXPECT_EQ(flag(plexauth_account_two_factor_enabled, a), 0);

  EXPECT_EQ(plexauth_account_entitlements_count(a), 0u);
  EXPECT_EQ(plexauth_account_roles_count(a), 0u);
  EXPECT_EQ(plexauth_account_subscriptions_count(a), 0u);
  EXPECT_EQ(plexauth_account_past_subscriptions_count(a), 0u);  // sign-in only
  EXPECT_EQ(plexauth_account_trials_count(a), 0u);

  const plexauth_profile *p = plexauth_account_profile(a);
  ASSERT_NE(p, nullptr);
  int b = -1;
  ASSERT_EQ(plexauth_profile_auto_select_audio(p, &b), 1);
  EXPECT_EQ(b, 1);
  EXPECT_STREQ(plexauth_profile_default_audio_language(p), "ja");
  EXPECT_STREQ(plexauth_profile_default_subtitle_language(p), "en");
  ASSERT_EQ(plexauth_profile_auto_select_subtitle(p, &n), 1);
  EXPECT_EQ(n, 1);
  ASSERT_EQ(plexauth_profile_default_subtitle_accessibility(p, &n), 1);
  EXPECT_EQ(n, 0);
  ASSERT_EQ(plexauth_profile_default_subtitle_forced(p, &n), 1);
  EXPECT_EQ(n, 0);
  ASSERT_EQ(plexauth_profile_watched_indicator(p, &n), 1);
  EXPECT_EQ(n, 1);
  ASSERT_EQ(plexauth_profile_media_reviews_visibility(p, &n), 1);
  EXPECT_EQ(n, 0);

  const plexauth_subscription *s = plexauth_account_subscription(a);
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(plexauth_subscription_active(s, &b), 1);
  EXPECT_EQ(b, 0);
  EXPECT_EQ(plexauth_subscription_subscribed_at(s), nullptr);
  EXPECT_STREQ(plexauth_subscription_status(s), "Inactive");
  EXPECT_EQ(plexauth_subscription_payment_service(s), nullptr);
  EXPECT_EQ(plexauth_subscription_plan(s), nullptr);
  ASSERT_EQ(plexauth_subscription_features_count(s), 2u);
  EXPECT_STREQ(plexauth_subscription_features_at(s, 0), "guided-upgrade");
  EXPECT_STREQ(plexauth_subscription_features_at(s, 1), "two-factor-authentication");
  EXPECT_EQ(plexauth_subscription_features_at(s, 2), nullptr);

  ASSERT_EQ(plexauth_account_services_count(a), 2u);
  const plexauth_service *metadata = plexauth_account_services_at(a, 0);
  EXPECT_STREQ(plexauth_service_identifier(metadata), "metadata");
  EXPECT_STREQ(plexauth_service_endpoint(metadata), "https://metadata.provider.plex.tv");
  EXPECT_STREQ(plexauth_service_token(metadata), "h5z3rQxLhJ2lRyB4gN7v");
  EXPECT_EQ(plexauth_service_secret(metadata), nullptr);
  EXPECT_STREQ(plexauth_service_status(metadata), "online");
  EXPECT_STREQ(plexauth_service_identifier(plexauth_account_services_at(a, 1)), "community");
  EXPECT_EQ(plexauth_service_token(plexauth_account_services_at(a, 1)), nullptr);
  EXPECT_EQ(plexauth_account_services_at(a, 2), nullptr);

  const plexauth_response *resp = plexauth_account_response(a);
  EXPECT_EQ(plexauth_response_status(resp), 200);
  EXPECT_STREQ(plexauth_response_content_type(resp), kJson);
  size_t len = 0;
  const char *body = plexauth_response_body(resp, &len);
  EXPECT_EQ(std::string(body, len), fake.user_body(seed::kEmailA));

  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  expect_bodiless_get(sent[0], kUserPath, "");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), seed::kTokenA);
  expect_identity(sent[0]);
}

TEST_F(Integration, TokenDetailsJsonIsTheServersAccount) {
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  size_t len = 0;
  const char *json = plexauth_account_json(r.value.get(), &len);
  ASSERT_NE(json, nullptr);
  rapidjson::Document ours;
  rapidjson::Document theirs;
  ours.Parse(json, len);
  theirs.Parse(fake.user_body(seed::kEmailA).c_str());
  ASSERT_FALSE(ours.HasParseError());
  EXPECT_TRUE(ours == theirs) << json;
}

TEST_F(Integration, TokenDetailsOfTheSecondAccount) {
  auto b = client_with_token(seed::kTokenB);
  auto r = get_token_details(b.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  int64_t id = 0;
  ASSERT_EQ(plexauth_account_id(r.value.get(), &id), 1);
  EXPECT_EQ(id, seed::kIdB);
  EXPECT_STREQ(plexauth_account_username(r.value.get()), "user12345");
  EXPECT_STREQ(plexauth_account_country(r.value.get()), "IT");
  EXPECT_EQ(fake.requests()[0].header("X-Plex-Token"), seed::kTokenB);
}

TEST_F(Integration, RevokedTokenIsUnauthorized) {
  auto revoked = client_with_token(seed::kRevokedToken);
  auto r = get_token_details(revoked.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);  // plex.tv's 422
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 422);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 Invalid token 422");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
}

TEST_F(Integration, UnknownTokenIsUnauthorized) {
  auto stranger = client_with_token("notARealToken0000000");
  auto r = get_token_details(stranger.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 User could not be authenticated 401");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 1u);
}

TEST_F(Integration, NoTokenSendsNoHeaderAndIsUnauthorized) {
  auto nobody = client_with_token(nullptr);
  auto r = get_token_details(nobody.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_FALSE(fake.requests()[0].header("X-Plex-Token").has_value());
  expect_identity(fake.requests()[0]);
}

TEST_F(Integration, AdsConsentDatesAreEpochSecondsOrIsoDates) {
  fake.add_fault(kUserPath, body_fault(200, edited_user_body(fake, [](rapidjson::Document &d) {
                                         d["adsConsent"].SetBool(true);
                                         d["adsConsentSetAt"].SetInt64(1700000000);
                                         d["adsConsentReminderAt"].SetString("2019-08-24T14:15:22Z");
                                       }),
                                       kJson));
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  int64_t at = 0;
  ASSERT_EQ(plexauth_account_ads_consent_set_at(r.value.get(), &at), 1);
  EXPECT_EQ(at, 1700000000);
  ASSERT_EQ(plexauth_account_ads_consent_reminder_at(r.value.get(), &at), 1);
  EXPECT_EQ(at, 1566656122);
  EXPECT_EQ(flag(plexauth_account_ads_consent, r.value.get()), 1);
}

TEST_F(Integration, UnknownFieldsAreIgnoredAndEnumsAreOpen) {
  fake.add_fault(kUserPath, body_fault(200, edited_user_body(fake, [](rapidjson::Document &d) {
                                         auto &al = d.GetAllocator();
                                         d.AddMember("somethingNew", rapidjson::Value(rapidjson::kObjectType), al);
                                         d["mailingListStatus"].SetString("removed");
                                         d["subscription"]["status"].SetString("Lapsed");
                                         d["services"][0]["status"].SetString("degraded");
                                       }),
                                       kJson));
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_account_mailing_list_status(r.value.get()), "removed");
  EXPECT_STREQ(plexauth_subscription_status(plexauth_account_subscription(r.value.get())), "Lapsed");
  EXPECT_STREQ(plexauth_service_status(plexauth_account_services_at(r.value.get(), 0)), "degraded");
}

TEST_F(Integration, ProfileAsAnArrayIsMalformedAndNamed) {
  // The seed spec's own example shows profile as a one-element array.
  fake.add_fault(kUserPath, body_fault(200, edited_user_body(fake, [](rapidjson::Document &d) {
                                         auto &al = d.GetAllocator();
                                         rapidjson::Value list(rapidjson::kArrayType);
                                         list.PushBack(rapidjson::Value(d["profile"], al), al);
                                         d["profile"] = list;
                                       }),
                                       kJson));
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_NE(std::string(plexauth_error_message(r.error.get())).find("profile"), std::string::npos)
      << plexauth_error_message(r.error.get());
}

TEST_F(Integration, MissingAuthTokenIsMalformedAndNamed) {
  fake.add_fault(kUserPath, body_fault(200, edited_user_body(fake, [](rapidjson::Document &d) {
                                         d.EraseMember("authToken");
                                       }),
                                       kJson));
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_NE(std::string(plexauth_error_message(r.error.get())).find("authToken"), std::string::npos)
      << plexauth_error_message(r.error.get());
}

}  // namespace
}  // namespace itest
