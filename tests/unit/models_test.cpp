// Response models: mapping of the contract's example bodies (plex-auth-api.md
// §7), tolerance rules, malformed bodies, account_to_json, and the C getters
// of capi/generated.cpp on top of them.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "core/error.h"
#include "models/models.h"
#include "plex_examples.h"

// The unit test executable links only the core objects, so the C getters are
// compiled in here. (If capi/ is ever linked into this target, drop this
// include and link it instead.)
#include "../../capi/results.cpp"
#include "../../capi/generated.cpp"
#include "../../capi/async.cpp"

namespace plexauth {
namespace {

// plex-auth-api.md §7, sign-in 201, verbatim.
const std::string kSignInBody = plexauth::fixtures::kSignIn201Body;

// The second account of §7 (and of the fake server), with the HEAD spec's
// additions and the other ads-consent forms.
const std::string kAccountB = R"json({"id":475829302,"uuid":"a1b2c3d4e5f67890","username":"user12345",
 "title":"user12345","email":"user12345@example.com","friendlyName":"","locale":"it","confirmed":true,
 "joinedAt":1600000000,"emailOnlyAuth":false,"hasPassword":true,"protected":true,
 "thumb":"https://plex.tv/users/a1b2c3d4e5f67890/avatar?c=1","authToken":"gHjKlMnOpQrStUvWxYz",
 "mailingListStatus":"active","mailingListActive":true,"scrobbleTypes":"1,2","country":"IT",
 "subscription":{"active":true,"subscribedAt":"2021-04-12T18:21:12Z","status":"Active","paymentService":"braintree",
                 "plan":"lifetime","features":["webhooks","hardware_transcoding","Android - Dolby Vision"]},
 "subscriptionDescription":"Plex Pass","restricted":false,"anonymous":null,"home":true,"guest":false,
 "homeSize":3,"homeAdmin":true,"maxHomeSize":15,"rememberExpiresAt":1722364046,
 "profile":{"autoSelectAudio":false,"defaultAudioLanguage":null,"defaultSubtitleLanguage":"it",
            "autoSelectSubtitle":2,"defaultSubtitleAccessibility":3,"defaultSubtitleForced":1,
            "watchedIndicator":0,"mediaReviewsVisibility":1,"defaultAudioAccessibility":2,
            "defaultAudioLanguages":["it","en"],"defaultSubtitleLanguages":null},
 "entitlements":["all","ios"],"roles":["plexpass"],
 "subscriptions":[{"active":true,"status":"Active","plan":"lifetime","features":["webhooks"]},
                  {"active":false,"status":"Inactive"}],
 "services":[{"identifier":"epg","endpoint":"https://epg.provider.plex.tv","token":"epgTok","secret":"epgSecret","status":"online"}],
 "pastSubscriptions":[],"trials":[{},{}],
 "adsConsent":true,"adsConsentSetAt":1566656122,"adsConsentReminderAt":"2019-08-24T16:15:22.5+02:00",
 "experimentalFeatures":true,"twoFactorEnabled":true,"backupCodesCreated":true,
 "attributionPartner":"partner-x","pin":"0123abcd"})json";

// Replaces the one occurrence of `from` in `body`.
std::string edit(std::string body, const std::string &from, const std::string &to) {
  const auto pos = body.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  EXPECT_EQ(body.find(from, pos + 1), std::string::npos) << from;
  if (pos != std::string::npos) body.replace(pos, from.size(), to);
  return body;
}

// GET /user: the sign-in body without pastSubscriptions/trials, with the
// ads-consent fields set (ISO-8601 and epoch forms).
std::string get_user_body() {
  std::string body = edit(kSignInBody, R"("pastSubscriptions":[{"id":null,"mode":null,"renewsAt":null,"endsAt":1556281940,
   "billing":{"paymentMethodId":null,"internalPaymentMethod":{}},"canceled":false,"gracePeriod":false,
   "onHold":false,"canReactivate":false,"canUpgrade":false,"canDowngrade":false,"canConvert":false,
   "type":"plexpass","transfer":null,"state":"ended"}],
 "trials":[],)", "");
  body = edit(body, R"("adsConsent":null,"adsConsentSetAt":null,"adsConsentReminderAt":null)",
              R"("adsConsent":true,"adsConsentSetAt":"2019-08-24T14:15:22Z","adsConsentReminderAt":1566656122)");
  return body;
}

template <class F>
std::string malformed_message(F &&f) {
  try {
    f();
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::MalformedResponse);
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

std::string account_error(const std::string &body) {
  return malformed_message([&] { parse_account(body); });
}

// ---------------------------------------------------------------- UserPlexAccount

TEST(AccountModel, MapsTheSignInExample) {
  const Account a = parse_account(kSignInBody);
  EXPECT_EQ(a.id, 13692262);
  EXPECT_EQ(a.uuid, "dae343c1f45beb4f");
  EXPECT_EQ(a.username, "Username");
  EXPECT_EQ(a.title, "UsernameTitle");
  EXPECT_EQ(a.email, "username@email.com");
  EXPECT_EQ(a.friendly_name, "friendlyUsername");
  EXPECT_EQ(a.auth_token, "CxoUzBTSV5hsxjTpFKaf");
  EXPECT_EQ(a.thumb, "https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101");
  EXPECT_EQ(a.mailing_list_status, "active");
  EXPECT_EQ(a.scrobble_types, "");
  EXPECT_EQ(a.country, "US");
  EXPECT_EQ(a.joined_at, 1721154902);
  EXPECT_EQ(a.remember_expires_at, 1722364046);
  EXPECT_EQ(a.home_size, 1);
  EXPECT_EQ(a.max_home_size, 15);
  EXPECT_EQ(a.confirmed, false);
  EXPECT_EQ(a.has_password, true);
  EXPECT_EQ(a.protected_, false);
  EXPECT_EQ(a.two_factor_enabled, false);
  EXPECT_EQ(a.experimental_features, false);
  // nulls read as absent, and are remembered as null
  EXPECT_FALSE(a.locale);
  EXPECT_FALSE(a.subscription_description);
  EXPECT_FALSE(a.attribution_partner);
  EXPECT_FALSE(a.ads_consent);
  EXPECT_FALSE(a.ads_consent_set_at);
  EXPECT_FALSE(a.ads_consent_reminder_at);
  EXPECT_TRUE(a.nulls[Account::k_locale]);
  EXPECT_TRUE(a.nulls[Account::k_ads_consent]);
  EXPECT_FALSE(a.nulls[Account::k_email]);
  // not in the body at all
  EXPECT_FALSE(a.pin);
  EXPECT_FALSE(a.nulls[Account::k_pin]);
  // lists
  ASSERT_TRUE(a.entitlements);
  EXPECT_TRUE(a.entitlements->empty());
  ASSERT_TRUE(a.roles);
  EXPECT_TRUE(a.roles->empty());
  ASSERT_TRUE(a.subscriptions);
  EXPECT_TRUE(a.subscriptions->empty());
  EXPECT_EQ(a.trials, std::size_t{0});
  // subscription
  ASSERT_TRUE(a.subscription);
  EXPECT_EQ(a.subscription->active, false);
  EXPECT_FALSE(a.subscription->subscribed_at);
  EXPECT_TRUE(a.subscription->nulls[Subscription::k_subscribed_at]);
  EXPECT_EQ(a.subscription->status, "Inactive");
  EXPECT_FALSE(a.subscription->payment_service);
  EXPECT_FALSE(a.subscription->plan);
  EXPECT_EQ(a.subscription->features, (std::vector<std::string>{"guided-upgrade", "two-factor-authentication"}));
  // profile
  ASSERT_TRUE(a.profile);
  EXPECT_EQ(a.profile->auto_select_audio, true);
  EXPECT_EQ(a.profile->default_audio_language, "ja");
  EXPECT_EQ(a.profile->default_subtitle_language, "en");
  EXPECT_EQ(a.profile->auto_select_subtitle, 1);
  EXPECT_EQ(a.profile->default_subtitle_accessibility, 0);
  EXPECT_EQ(a.profile->default_subtitle_forced, 0);
  EXPECT_EQ(a.profile->watched_indicator, 1);
  EXPECT_EQ(a.profile->media_reviews_visibility, 0);
  // services
  ASSERT_TRUE(a.services);
  ASSERT_EQ(a.services->size(), 2u);
  EXPECT_EQ((*a.services)[0].identifier, "metadata");
  EXPECT_EQ((*a.services)[0].endpoint, "https://metadata.provider.plex.tv");
  EXPECT_EQ((*a.services)[0].token, "h5z3rQxLhJ2lRyB4gN7v");
  EXPECT_FALSE((*a.services)[0].secret);
  EXPECT_EQ((*a.services)[0].status, "online");
  EXPECT_EQ((*a.services)[1].identifier, "community");
  EXPECT_FALSE((*a.services)[1].token);
  // past subscriptions
  ASSERT_TRUE(a.past_subscriptions);
  ASSERT_EQ(a.past_subscriptions->size(), 1u);
  const PastSubscription &p = (*a.past_subscriptions)[0];
  EXPECT_FALSE(p.id);
  EXPECT_FALSE(p.mode);
  EXPECT_FALSE(p.renews_at);
  EXPECT_EQ(p.ends_at, 1556281940);
  EXPECT_EQ(p.canceled, false);
  EXPECT_EQ(p.can_convert, false);
  EXPECT_EQ(p.type, "plexpass");
  EXPECT_FALSE(p.transfer);
  EXPECT_EQ(p.state, "ended");
  ASSERT_TRUE(p.billing);
  EXPECT_FALSE(p.billing->payment_method_id);
  EXPECT_TRUE(p.billing->nulls[Billing::k_payment_method_id]);
  EXPECT_EQ(p.billing->internal_payment_method, "{}");
}

TEST(AccountModel, MapsTheGetUserVariant) {
  const Account a = parse_account(get_user_body());
  EXPECT_EQ(a.auth_token, "CxoUzBTSV5hsxjTpFKaf");
  EXPECT_FALSE(a.past_subscriptions);
  EXPECT_FALSE(a.trials);
  EXPECT_EQ(a.ads_consent, true);
  EXPECT_EQ(a.ads_consent_set_at, 1566656122);       // "2019-08-24T14:15:22Z"
  EXPECT_EQ(a.ads_consent_reminder_at, 1566656122);  // epoch form
  ASSERT_TRUE(a.services);
  EXPECT_EQ(a.services->size(), 2u);
}

TEST(AccountModel, MapsTheSecondAccount) {
  const Account a = parse_account(kAccountB);
  EXPECT_EQ(a.id, 475829302);
  EXPECT_EQ(a.uuid, "a1b2c3d4e5f67890");
  EXPECT_EQ(a.username, "user12345");
  EXPECT_EQ(a.country, "IT");
  EXPECT_EQ(a.mailing_list_status, "active");
  EXPECT_EQ(a.auth_token, "gHjKlMnOpQrStUvWxYz");
  EXPECT_EQ(a.friendly_name, "");
  EXPECT_EQ(a.pin, "0123abcd");
  EXPECT_EQ(a.two_factor_enabled, true);
  EXPECT_EQ(a.protected_, true);
  EXPECT_FALSE(a.anonymous);
  EXPECT_TRUE(a.nulls[Account::k_anonymous]);
  EXPECT_EQ(a.ads_consent_set_at, 1566656122);
  EXPECT_EQ(a.ads_consent_reminder_at, 1566656122);  // 16:15:22.5+02:00
  EXPECT_EQ(a.entitlements, (std::vector<std::string>{"all", "ios"}));
  EXPECT_EQ(a.roles, (std::vector<std::string>{"plexpass"}));
  EXPECT_EQ(a.trials, std::size_t{2});
  ASSERT_TRUE(a.past_subscriptions);
  EXPECT_TRUE(a.past_subscriptions->empty());
  ASSERT_TRUE(a.profile);
  EXPECT_EQ(a.profile->auto_select_subtitle, 2);  // HEAD widened the enum: kept as is
  EXPECT_EQ(a.profile->default_subtitle_accessibility, 3);
  EXPECT_FALSE(a.profile->default_audio_language);
  ASSERT_TRUE(a.subscriptions);
  ASSERT_EQ(a.subscriptions->size(), 2u);
  EXPECT_EQ((*a.subscriptions)[0].features, (std::vector<std::string>{"webhooks"}));
  EXPECT_FALSE((*a.subscriptions)[1].features);
  EXPECT_EQ(a.subscription->subscribed_at, "2021-04-12T18:21:12Z");  // a plain string
  EXPECT_EQ(a.subscription->features->at(2), "Android - Dolby Vision");
  EXPECT_EQ((*a.services)[0].secret, "epgSecret");
}

TEST(AccountModel, ProfileAsAnArrayIsAClearError) {
  // The spec's own example shows profile as a one-element array.
  const std::string body = edit(kSignInBody, R"("profile":{"autoSelectAudio":true,"defaultAudioLanguage":"ja","defaultSubtitleLanguage":"en",
            "autoSelectSubtitle":1,"defaultSubtitleAccessibility":0,"defaultSubtitleForced":0,
            "watchedIndicator":1,"mediaReviewsVisibility":0})",
                                R"("profile":[{"autoSelectAudio":true,"defaultAudioLanguage":"ja","defaultSubtitleLanguage":"en",
            "autoSelectSubtitle":1,"defaultSubtitleAccessibility":0,"defaultSubtitleForced":0,
            "watchedIndicator":1,"mediaReviewsVisibility":0}])");
  EXPECT_EQ(account_error(body), "field 'profile': expected object, got array");
}

TEST(AccountModel, TheSpecsOtherInconsistenciesAreNamedToo) {
  EXPECT_EQ(account_error(edit(kSignInBody, R"("billing":{"paymentMethodId":null,"internalPaymentMethod":{}})",
                               R"("billing":[{"paymentMethodId":null,"internalPaymentMethod":{}}])")),
            "field 'pastSubscriptions[0].billing': expected object, got array");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("endsAt":1556281940)", R"("endsAt":"1556281940")")),
            "field 'pastSubscriptions[0].endsAt': expected integer, got string");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("onHold":false)", R"("onHold":"false")")),
            "field 'pastSubscriptions[0].onHold': expected bool, got string");
  // ... while mailingListStatus "subscribed" is just an open enum value.
  EXPECT_EQ(parse_account(edit(kSignInBody, R"("mailingListStatus":"active")", R"("mailingListStatus":"subscribed")"))
                .mailing_list_status,
            "subscribed");
}

TEST(AccountModel, MissingRequiredFieldsAreNamed) {
  EXPECT_EQ(account_error(edit(kSignInBody, R"("email":"username@email.com",)", "")),
            "missing required field 'email'");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("id":13692262,)", "")), "missing required field 'id'");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("twoFactorEnabled":false,)", "")),
            "missing required field 'twoFactorEnabled'");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("authToken":"CxoUzBTSV5hsxjTpFKaf")", R"("authToken":null)")),
            "field 'authToken': required, got null");
  EXPECT_EQ(account_error("{}"), "missing required field 'authToken'");
  // Everything else may be missing.
  const Account a = parse_account(
      R"({"authToken":"t","email":"e","friendlyName":"f","hasPassword":true,"id":1,"joinedAt":2,"title":"t",
          "twoFactorEnabled":false,"username":"u","uuid":"x"})");
  EXPECT_EQ(a.id, 1);
  EXPECT_FALSE(a.profile);
  EXPECT_FALSE(a.services);
  EXPECT_FALSE(a.entitlements);
  EXPECT_TRUE(a.nulls.none());
}

TEST(AccountModel, WrongTypesAreNamedWithTheirPath) {
  EXPECT_EQ(account_error(edit(kSignInBody, R"("id":13692262)", R"("id":"13692262")")),
            "field 'id': expected integer, got string");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("id":13692262)", R"("id":13692262.5)")),
            "field 'id': expected integer, got number");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("id":13692262)", R"("id":18446744073709551615)")),
            "field 'id': integer out of range");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("hasPassword":true)", R"("hasPassword":1)")),
            "field 'hasPassword': expected bool, got integer");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("country":"US")", R"("country":["US"])")),
            "field 'country': expected string, got array");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("entitlements":[])", R"("entitlements":["a",7])")),
            "field 'entitlements[1]': expected string, got integer");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("roles":[])", R"("roles":{})")),
            "field 'roles': expected array, got object");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("status":"Inactive")", R"("status":false)")),
            "field 'subscription.status': expected string, got bool");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("features":["guided-upgrade","two-factor-authentication"])",
                               R"("features":"guided-upgrade")")),
            "field 'subscription.features': expected array, got string");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("autoSelectSubtitle":1)", R"("autoSelectSubtitle":true)")),
            "field 'profile.autoSelectSubtitle': expected integer, got bool");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("token":null,"secret":null)", R"("token":null,"secret":5)")),
            "field 'services[1].secret': expected string, got integer");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("subscriptions":[])", R"("subscriptions":[{},[]])")),
            "field 'subscriptions[1]': expected object, got array");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("trials":[])", R"("trials":{})")),
            "field 'trials': expected array, got object");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("internalPaymentMethod":{})", R"("internalPaymentMethod":"card")")),
            "field 'pastSubscriptions[0].billing.internalPaymentMethod': expected object, got string");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("paymentMethodId":null)", R"("paymentMethodId":"7")")),
            "field 'pastSubscriptions[0].billing.paymentMethodId': expected integer, got string");
}

TEST(AccountModel, AdsConsentDatesInEitherForm) {
  auto set_at = [](const std::string &value) {
    return parse_account(edit(kSignInBody, R"("adsConsentSetAt":null)", "\"adsConsentSetAt\":" + value))
        .ads_consent_set_at;
  };
  EXPECT_EQ(set_at("1566656122"), 1566656122);
  EXPECT_EQ(set_at("0"), 0);
  EXPECT_EQ(set_at(R"("2019-08-24T14:15:22Z")"), 1566656122);
  EXPECT_EQ(set_at(R"("2019-08-24T14:15:22.123456Z")"), 1566656122);
  EXPECT_EQ(set_at(R"("2019-08-24T16:15:22+02:00")"), 1566656122);
  EXPECT_EQ(set_at(R"("2019-08-24T09:45:22-04:30")"), 1566656122);
  EXPECT_EQ(account_error(edit(kSignInBody, R"("adsConsentSetAt":null)", R"("adsConsentSetAt":"yesterday")")),
            "field 'adsConsentSetAt': not an ISO-8601 date-time");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("adsConsentReminderAt":null)",
                               R"("adsConsentReminderAt":"2019-08-24T14:15:22")")),
            "field 'adsConsentReminderAt': not an ISO-8601 date-time");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("adsConsentSetAt":null)", R"("adsConsentSetAt":true)")),
            "field 'adsConsentSetAt': expected integer or ISO-8601 date-time string, got bool");
  EXPECT_EQ(account_error(edit(kSignInBody, R"("adsConsentSetAt":null)", R"("adsConsentSetAt":1.5)")),
            "field 'adsConsentSetAt': expected integer or ISO-8601 date-time string, got number");
}

TEST(Iso8601, ParsesAndValidates) {
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_iso8601("1969-12-31T23:59:59Z"), -1);
  EXPECT_EQ(parse_iso8601("2000-02-29T12:00:00z"), 951825600);
  EXPECT_EQ(parse_iso8601("2000-03-01t00:00:00+00:00"), 951868800);
  EXPECT_EQ(parse_iso8601("2000-03-01 00:00:00-00:00"), 951868800);
  EXPECT_EQ(parse_iso8601("2038-01-19T03:14:08Z"), int64_t{2147483648});
  EXPECT_EQ(parse_iso8601("2016-12-31T23:59:60Z"), parse_iso8601("2017-01-01T00:00:00Z"));  // leap second
  for (const char *bad : {"", "2019-08-24", "2019-08-24T14:15Z", "2019-08-24T14:15:22", "2019-08-24T14:15:22.Z",
                          "2019-08-24T14:15:22ZZ", "2019-08-24T14:15:22+0200", "2019-08-24T14:15:22+2:00",
                          "2019-13-01T00:00:00Z", "2019-00-01T00:00:00Z", "2019-02-29T00:00:00Z",
                          "1900-02-29T00:00:00Z", "2019-04-31T00:00:00Z", "2019-08-24T24:00:00Z",
                          "2019-08-24T14:60:00Z", "2019-08-24T14:15:61Z", "2019-08-24T14:15:22+24:00",
                          "2019/08/24T14:15:22Z", "20190824T141522Z", " 2019-08-24T14:15:22Z", "１９７０-01-01T00:00:00Z"})
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
}

TEST(AccountModel, UnknownFieldsAreIgnored) {
  const std::string body =
      edit(kSignInBody, R"({"id":13692262,)",
           R"({"somethingNew":{"deep":[1,[2,{"x":null}]]},"id":13692262,"jwt":true,"Profile":"x","":1,)");
  const Account a = parse_account(body);
  EXPECT_EQ(a, parse_account(kSignInBody));
  // also inside nested objects
  const Account b = parse_account(edit(kSignInBody, R"("watchedIndicator":1,)",
                                       R"("watchedIndicator":1,"defaultAudioLanguages":["ja"],"future":{},)"));
  EXPECT_EQ(b, parse_account(kSignInBody));
}

TEST(AccountModel, UnknownEnumStringsAreKept) {
  std::string body = edit(kSignInBody, R"("mailingListStatus":"active")", R"("mailingListStatus":"removed")");
  body = edit(body, R"("status":"Inactive")", R"("status":"Paused")");
  body = edit(body, R"("token":null,"secret":null,"status":"online")", R"("token":null,"secret":null,"status":"degraded")");
  body = edit(body, R"("state":"ended")", R"("state":"renewing")");
  const Account a = parse_account(body);
  EXPECT_EQ(a.mailing_list_status, "removed");
  EXPECT_EQ(a.subscription->status, "Paused");
  EXPECT_EQ((*a.services)[1].status, "degraded");
  EXPECT_EQ((*a.past_subscriptions)[0].state, "renewing");
}

TEST(AccountModel, DuplicateKeysTakeTheLastValue) {
  EXPECT_EQ(parse_account(edit(kSignInBody, R"("country":"US")", R"("country":"US","country":"FR")")).country, "FR");
  const Account a = parse_account(edit(kSignInBody, R"("country":"US")", R"("country":"US","country":null)"));
  EXPECT_FALSE(a.country);
  EXPECT_TRUE(a.nulls[Account::k_country]);
  EXPECT_EQ(account_error(edit(kSignInBody, R"("email":"username@email.com")",
                               R"("email":"username@email.com","email":null)")),
            "field 'email': required, got null");
}

TEST(AccountModel, BadBodiesAreMalformed) {
  EXPECT_EQ(account_error(""), "response body is not valid JSON: The document is empty. (at offset 0)");
  EXPECT_EQ(account_error("[]"), "response body: expected object, got array");
  EXPECT_EQ(account_error("null"), "response body: expected object, got null");
  EXPECT_NE(account_error(kSignInBody.substr(0, kSignInBody.size() / 2)).find("response body is not valid JSON: "),
            std::string::npos);
  EXPECT_NE(account_error(kSignInBody + "}").find("not valid JSON"), std::string::npos);
  EXPECT_EQ(account_error("<html><body>Bad gateway</body></html>"),
            "response body is not valid JSON: Invalid value. (at offset 0)");
  // invalid UTF-8 inside a known string field
  const std::string bad_utf8 = edit(kSignInBody, R"("title":"UsernameTitle")", "\"title\":\"Username\xfe\"");
  EXPECT_EQ(account_error(bad_utf8),
            "response body is not valid UTF-8 (at offset " + std::to_string(bad_utf8.find('\xfe')) + ")");
}

TEST(AccountModel, DeepNestingIsRejectedWithoutCrashing) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{\"a\":[";
  deep += "0";
  for (int i = 0; i < 100000; ++i) deep += "]}";
  EXPECT_EQ(account_error(edit(kSignInBody, R"("trials":[])", "\"trials\":[],\"x\":" + deep)),
            "response body is nested deeper than 64 levels");
  EXPECT_EQ(account_error(std::string(100000, '[')), "response body is nested deeper than 64 levels");
  // A free-form object nested to exactly 64 levels in all is kept; one more is refused.
  std::string ok = "{}";
  for (int i = 0; i < 59; ++i) ok = "{\"k\":" + ok + "}";  // body, pastSubscriptions, [0], billing: 4 levels
  const Account a = parse_account(edit(kSignInBody, R"("internalPaymentMethod":{})", "\"internalPaymentMethod\":" + ok));
  EXPECT_EQ((*a.past_subscriptions)[0].billing->internal_payment_method, ok);
  EXPECT_EQ(account_error(edit(kSignInBody, R"("internalPaymentMethod":{})", "\"internalPaymentMethod\":[" + ok + "]")),
            "response body is nested deeper than 64 levels");
}

TEST(AccountModel, MutatedBodiesOnlyEverGiveMalformedResponse) {
  // Deterministic corruption of the example: every outcome is either a parsed
  // account or a MalformedResponse error; never a crash, an assertion or any
  // other exception.
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xffffffu; };
  const char junk[] = "{}[]\",:0-9.eEtfnul\\ \x80\xff";
  int parsed = 0, malformed_count = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string body = kSignInBody;
    for (uint32_t edits = 1 + next() % 3; edits > 0; --edits) {
      const std::size_t at = next() % body.size();
      switch (next() % 4) {
        case 0: body[at] = junk[next() % (sizeof junk - 1)]; break;
        case 1: body.erase(at, 1 + next() % 8); break;
        case 2: body.insert(at, 1, junk[next() % (sizeof junk - 1)]); break;
        default: body.resize(at); break;
      }
      if (body.empty()) body = "{";
    }
    try {
      const Account a = parse_account(body);
      EXPECT_EQ(parse_account(account_to_json(a)), a);
      ++parsed;
    } catch (const Error &e) {
      ASSERT_EQ(e.status(), Status::MalformedResponse) << body;
      ++malformed_count;
    }
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(malformed_count, 0);
}

TEST(AccountModel, ToJsonRoundTrips) {
  for (const std::string &body : {kSignInBody, get_user_body(), kAccountB}) {
    const Account a = parse_account(body);
    const std::string text = account_to_json(a);
    const Account b = parse_account(text);
    EXPECT_EQ(a, b) << text;
    EXPECT_EQ(account_to_json(b), text);
  }
}

TEST(AccountModel, ToJsonUsesWireNamesKeepsNullsAndOmitsAbsentFields) {
  const std::string text = account_to_json(parse_account(kSignInBody));
  EXPECT_EQ(text.find_first_of(" \n"), std::string::npos);
  EXPECT_EQ(text.substr(0, 35), R"({"authToken":"CxoUzBTSV5hsxjTpFKaf")");
  for (const char *part :
       {R"("locale":null)", R"("subscriptionDescription":null)", R"("adsConsentSetAt":null)", R"("protected":false)",
        R"("friendlyName":"friendlyUsername")", R"("twoFactorEnabled":false)", R"("entitlements":[])",
        R"("trials":[])", R"("billing":{"paymentMethodId":null,"internalPaymentMethod":{}})",
        R"("subscription":{"active":false,"subscribedAt":null,"status":"Inactive","paymentService":null,"plan":null,"features":["guided-upgrade","two-factor-authentication"]})",
        R"("services":[{"identifier":"metadata","endpoint":"https://metadata.provider.plex.tv","token":"h5z3rQxLhJ2lRyB4gN7v","secret":null,"status":"online"},)"})
    EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;
  EXPECT_EQ(text.find("\"pin\""), std::string::npos);
  EXPECT_EQ(text.find("\"protected_\""), std::string::npos);

  const std::string b = account_to_json(parse_account(kAccountB));
  EXPECT_NE(b.find(R"("adsConsentReminderAt":1566656122)"), std::string::npos);  // dates as Unix seconds
  EXPECT_NE(b.find(R"("trials":[{},{}])"), std::string::npos);
  EXPECT_EQ(b.find("defaultAudioLanguages"), std::string::npos);  // unknown fields are not kept
  EXPECT_NE(b.find(R"("pin":"0123abcd")"), std::string::npos);
}

// ---------------------------------------------------------------- PMS models

TEST(TransientTokenModel, ReadsMediaContainerToken) {
  EXPECT_EQ(parse_transient_token(R"({"MediaContainer":{"size":0,"token":"transient-abc123"}})").token,
            "transient-abc123");
  EXPECT_EQ(parse_transient_token(R"({"MediaContainer":{"identifier":"x","token":"t","offset":0}})").token, "t");
}

TEST(TransientTokenModel, AbsentTokenIsSuccess) {
  for (const char *body : {"", "  \r\n", "{}", R"({"MediaContainer":null})", R"({"MediaContainer":{"size":0}})",
                           R"({"MediaContainer":{"token":null}})", R"({"other":{"token":"x"}})"})
    EXPECT_FALSE(parse_transient_token(body).token) << body;
}

TEST(TransientTokenModel, BadBodiesAreMalformed) {
  auto error = [](const std::string &body) { return malformed_message([&] { parse_transient_token(body); }); };
  EXPECT_EQ(error("<html>"), "response body is not valid JSON: Invalid value. (at offset 0)");
  EXPECT_EQ(error("[]"), "response body: expected object, got array");
  EXPECT_EQ(error(R"({"MediaContainer":[]})"), "field 'MediaContainer': expected object, got array");
  EXPECT_EQ(error(R"({"MediaContainer":{"token":42}})"), "field 'MediaContainer.token': expected string, got integer");
  EXPECT_EQ(error(std::string(100000, '[')), "response body is nested deeper than 64 levels");
  EXPECT_EQ(error(R"({"MediaContainer":{"token":"t"}} trailing)"),
            "response body is not valid JSON: The document root must not be followed by other values. (at offset 33)");
}

const char *const kSourceDevice =
    R"({"name":"Living Room","clientIdentifier":"3381b62b9ab74e37","accessToken":"srcAccessTok0123456789",
        "Connection":[{"protocol":"https","address":"10.0.0.5","port":32400,"uri":"https://10.0.0.5:32400","local":true,"relay":false},
                      {"protocol":"https","address":"203.0.113.9","port":8443,"uri":"https://relay.example:8443","local":false,"relay":true}]})";

void expect_living_room(const SourceInfo &s) {
  EXPECT_EQ(s.name, "Living Room");
  EXPECT_EQ(s.client_identifier, "3381b62b9ab74e37");
  EXPECT_EQ(s.access_token, "srcAccessTok0123456789");
  ASSERT_TRUE(s.connections);
  ASSERT_EQ(s.connections->size(), 2u);
  const Connection &c = (*s.connections)[0];
  EXPECT_EQ(c.protocol, "https");
  EXPECT_EQ(c.address, "10.0.0.5");
  EXPECT_EQ(c.port, 32400);
  EXPECT_EQ(c.uri, "https://10.0.0.5:32400");
  EXPECT_EQ(c.local, true);
  EXPECT_EQ(c.relay, false);
  EXPECT_EQ((*s.connections)[1].relay, true);
  EXPECT_EQ((*s.connections)[1].port, 8443);
}

TEST(SourceInfoModel, DeviceAsObject) {
  expect_living_room(parse_source_info(std::string(R"({"MediaContainer":{"size":1,"Device":)") + kSourceDevice + "}}"));
}

TEST(SourceInfoModel, DeviceAsArrayTakesTheFirst) {
  expect_living_room(parse_source_info(std::string(R"({"MediaContainer":{"size":2,"Device":[)") + kSourceDevice +
                                       R"(,{"name":"Other"}]}})"));
}

TEST(SourceInfoModel, AbsentDeviceIsSuccess) {
  for (const char *body : {"", "\n", "{}", R"({"MediaContainer":{"size":0}})", R"({"MediaContainer":{"Device":null}})",
                           R"({"MediaContainer":{"Device":[]}})", R"({"MediaContainer":null})"}) {
    const SourceInfo s = parse_source_info(body);
    EXPECT_FALSE(s.name) << body;
    EXPECT_FALSE(s.connections) << body;
  }
  const SourceInfo s = parse_source_info(R"({"MediaContainer":{"Device":{"name":"n"}}})");
  EXPECT_EQ(s.name, "n");
  EXPECT_FALSE(s.access_token);
  EXPECT_FALSE(s.connections);
}

TEST(SourceInfoModel, BadBodiesAreMalformed) {
  auto error = [](const std::string &body) { return malformed_message([&] { parse_source_info(body); }); };
  EXPECT_EQ(error(R"({"MediaContainer":{"Device":"x"}})"),
            "field 'MediaContainer.Device': expected object or array, got string");
  EXPECT_EQ(error(R"({"MediaContainer":{"Device":[5]}})"), "field 'MediaContainer.Device[0]': expected object, got integer");
  EXPECT_EQ(error(R"({"MediaContainer":{"Device":{"Connection":[{"port":32400},{"port":"32400"}]}}})"),
            "field 'MediaContainer.Device.Connection[1].port': expected integer, got string");
  EXPECT_EQ(error(R"({"MediaContainer":{"Device":[{"Connection":[{"local":"yes"}]}]}})"),
            "field 'MediaContainer.Device[0].Connection[0].local': expected bool, got string");
  EXPECT_EQ(error(R"({"MediaContainer":{"Device":{"Connection":{}}}})"),
            "field 'MediaContainer.Device.Connection': expected array, got object");
  EXPECT_EQ(error(R"({"MediaContainer":"x"})"), "field 'MediaContainer': expected object, got string");
  EXPECT_EQ(error("{\"MediaContainer\":"), "response body is not valid JSON: Invalid value. (at offset 18)");
}

// ---------------------------------------------------------------- C getters (capi/generated.cpp)

Response make_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.headers = {{"Content-Type", r.content_type}, {"X-Request-Id", "abc"}, {"x-request-id", "second"}};
  r.body = std::move(body);
  return r;
}

int64_t int_of(int (*getter)(const plexauth_account *, int64_t *), const plexauth_account *a) {
  int64_t v = -12345;
  EXPECT_EQ(getter(a, &v), 1);
  return v;
}

int bool_of(int (*getter)(const plexauth_account *, int *), const plexauth_account *a) {
  int v = -7;
  EXPECT_EQ(getter(a, &v), 1);
  return v;
}

TEST(CGetters, Account) {
  plexauth_account *a = new plexauth_account(make_response(201, kSignInBody), parse_account(kSignInBody));
  EXPECT_STREQ(plexauth_account_auth_token(a), "CxoUzBTSV5hsxjTpFKaf");
  EXPECT_STREQ(plexauth_account_uuid(a), "dae343c1f45beb4f");
  EXPECT_STREQ(plexauth_account_username(a), "Username");
  EXPECT_STREQ(plexauth_account_title(a), "UsernameTitle");
  EXPECT_STREQ(plexauth_account_email(a), "username@email.com");
  EXPECT_STREQ(plexauth_account_friendly_name(a), "friendlyUsername");
  EXPECT_EQ(plexauth_account_locale(a), nullptr);
  EXPECT_STREQ(plexauth_account_thumb(a), "https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101");
  EXPECT_STREQ(plexauth_account_mailing_list_status(a), "active");
  EXPECT_STREQ(plexauth_account_scrobble_types(a), "");
  EXPECT_STREQ(plexauth_account_country(a), "US");
  EXPECT_EQ(plexauth_account_subscription_description(a), nullptr);
  EXPECT_EQ(plexauth_account_pin(a), nullptr);
  EXPECT_EQ(plexauth_account_attribution_partner(a), nullptr);
  EXPECT_EQ(int_of(plexauth_account_id, a), 13692262);
  EXPECT_EQ(int_of(plexauth_account_joined_at, a), 1721154902);
  EXPECT_EQ(int_of(plexauth_account_home_size, a), 1);
  EXPECT_EQ(int_of(plexauth_account_max_home_size, a), 15);
  EXPECT_EQ(int_of(plexauth_account_remember_expires_at, a), 1722364046);
  int64_t untouched = 99;
  EXPECT_EQ(plexauth_account_ads_consent_set_at(a, &untouched), 0);
  EXPECT_EQ(plexauth_account_ads_consent_reminder_at(a, &untouched), 0);
  EXPECT_EQ(untouched, 99);
  int flag = 5;
  EXPECT_EQ(plexauth_account_ads_consent(a, &flag), 0);
  EXPECT_EQ(flag, 5);
  EXPECT_EQ(plexauth_account_id(a, nullptr), 0);
  EXPECT_EQ(bool_of(plexauth_account_has_password, a), 1);
  EXPECT_EQ(bool_of(plexauth_account_protected, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_two_factor_enabled, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_anonymous, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_backup_codes_created, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_confirmed, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_email_only_auth, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_experimental_features, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_guest, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_home, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_home_admin, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_mailing_list_active, a), 0);
  EXPECT_EQ(bool_of(plexauth_account_restricted, a), 0);
  EXPECT_EQ(plexauth_account_entitlements_count(a), 0u);
  EXPECT_EQ(plexauth_account_entitlements_at(a, 0), nullptr);
  EXPECT_EQ(plexauth_account_roles_count(a), 0u);
  EXPECT_EQ(plexauth_account_subscriptions_count(a), 0u);
  EXPECT_EQ(plexauth_account_subscriptions_at(a, 0), nullptr);
  EXPECT_EQ(plexauth_account_trials_count(a), 0u);

  const plexauth_profile *p = plexauth_account_profile(a);
  ASSERT_NE(p, nullptr);
  int b = -1;
  EXPECT_EQ(plexauth_profile_auto_select_audio(p, &b), 1);
  EXPECT_EQ(b, 1);
  EXPECT_STREQ(plexauth_profile_default_audio_language(p), "ja");
  EXPECT_STREQ(plexauth_profile_default_subtitle_language(p), "en");
  int64_t n = -1;
  EXPECT_EQ(plexauth_profile_auto_select_subtitle(p, &n), 1);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(plexauth_profile_default_subtitle_accessibility(p, &n), 1);
  EXPECT_EQ(n, 0);
  EXPECT_EQ(plexauth_profile_default_subtitle_forced(p, &n), 1);
  EXPECT_EQ(plexauth_profile_watched_indicator(p, &n), 1);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(plexauth_profile_media_reviews_visibility(p, &n), 1);
  EXPECT_EQ(n, 0);

  const plexauth_subscription *s = plexauth_account_subscription(a);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(plexauth_subscription_active(s, &b), 1);
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
  const plexauth_service *svc = plexauth_account_services_at(a, 0);
  EXPECT_STREQ(plexauth_service_identifier(svc), "metadata");
  EXPECT_STREQ(plexauth_service_endpoint(svc), "https://metadata.provider.plex.tv");
  EXPECT_STREQ(plexauth_service_token(svc), "h5z3rQxLhJ2lRyB4gN7v");
  EXPECT_EQ(plexauth_service_secret(svc), nullptr);
  EXPECT_STREQ(plexauth_service_status(svc), "online");
  EXPECT_STREQ(plexauth_service_identifier(plexauth_account_services_at(a, 1)), "community");
  EXPECT_EQ(plexauth_account_services_at(a, 2), nullptr);
  EXPECT_EQ(plexauth_account_services_at(a, SIZE_MAX), nullptr);

  ASSERT_EQ(plexauth_account_past_subscriptions_count(a), 1u);
  const plexauth_past_subscription *ps = plexauth_account_past_subscriptions_at(a, 0);
  ASSERT_NE(ps, nullptr);
  EXPECT_EQ(plexauth_past_subscription_id(ps), nullptr);
  EXPECT_EQ(plexauth_past_subscription_mode(ps), nullptr);
  EXPECT_EQ(plexauth_past_subscription_renews_at(ps, &n), 0);
  EXPECT_EQ(plexauth_past_subscription_ends_at(ps, &n), 1);
  EXPECT_EQ(n, 1556281940);
  for (auto getter : {plexauth_past_subscription_canceled, plexauth_past_subscription_grace_period,
                      plexauth_past_subscription_on_hold, plexauth_past_subscription_can_reactivate,
                      plexauth_past_subscription_can_upgrade, plexauth_past_subscription_can_downgrade,
                      plexauth_past_subscription_can_convert}) {
    b = -1;
    EXPECT_EQ(getter(ps, &b), 1);
    EXPECT_EQ(b, 0);
  }
  EXPECT_STREQ(plexauth_past_subscription_type(ps), "plexpass");
  EXPECT_EQ(plexauth_past_subscription_transfer(ps), nullptr);
  EXPECT_STREQ(plexauth_past_subscription_state(ps), "ended");
  EXPECT_EQ(plexauth_past_subscription_billing_payment_method_id(ps, &n), 0);
  EXPECT_STREQ(plexauth_past_subscription_billing_internal_payment_method(ps), "{}");
  EXPECT_EQ(plexauth_account_past_subscriptions_at(a, 1), nullptr);

  const plexauth_response *r = plexauth_account_response(a);
  EXPECT_EQ(plexauth_response_status(r), 201);
  EXPECT_STREQ(plexauth_response_content_type(r), "application/json; charset=utf-8");
  ASSERT_EQ(plexauth_response_headers_count(r), 3u);
  EXPECT_STREQ(plexauth_response_header_name(r, 1), "X-Request-Id");
  EXPECT_STREQ(plexauth_response_header_value(r, 1), "abc");
  EXPECT_EQ(plexauth_response_header_name(r, 3), nullptr);
  EXPECT_EQ(plexauth_response_header_value(r, 3), nullptr);
  EXPECT_STREQ(plexauth_response_header(r, "x-REQUEST-id"), "abc");
  EXPECT_EQ(plexauth_response_header(r, "Retry-After"), nullptr);
  EXPECT_EQ(plexauth_response_header(r, nullptr), nullptr);
  size_t len = 0;
  const char *body = plexauth_response_body(r, &len);
  EXPECT_EQ(std::string(body, len), kSignInBody);
  EXPECT_EQ(body[len], '\0');

  size_t json_len = 0;
  const char *json = plexauth_account_json(a, &json_len);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(std::string(json, json_len), account_to_json(a->value));
  EXPECT_EQ(std::strlen(json), json_len);
  EXPECT_EQ(plexauth_account_json(a, nullptr), json);  // built once, borrowed
  plexauth_account_free(a);
}

TEST(CGetters, SecondAccountListsAndDates) {
  plexauth_account *a = new plexauth_account(make_response(200, kAccountB), parse_account(kAccountB));
  EXPECT_EQ(int_of(plexauth_account_ads_consent_set_at, a), 1566656122);
  EXPECT_EQ(int_of(plexauth_account_ads_consent_reminder_at, a), 1566656122);
  EXPECT_EQ(bool_of(plexauth_account_ads_consent, a), 1);
  EXPECT_EQ(bool_of(plexauth_account_protected, a), 1);
  int flag = 3;
  EXPECT_EQ(plexauth_account_anonymous(a, &flag), 0);  // null
  EXPECT_EQ(flag, 3);
  EXPECT_STREQ(plexauth_account_pin(a), "0123abcd");
  EXPECT_STREQ(plexauth_account_attribution_partner(a), "partner-x");
  ASSERT_EQ(plexauth_account_entitlements_count(a), 2u);
  EXPECT_STREQ(plexauth_account_entitlements_at(a, 1), "ios");
  ASSERT_EQ(plexauth_account_roles_count(a), 1u);
  EXPECT_STREQ(plexauth_account_roles_at(a, 0), "plexpass");
  EXPECT_EQ(plexauth_account_roles_at(a, 1), nullptr);
  EXPECT_EQ(plexauth_account_trials_count(a), 2u);
  EXPECT_EQ(plexauth_account_past_subscriptions_count(a), 0u);
  ASSERT_EQ(plexauth_account_subscriptions_count(a), 2u);
  const plexauth_subscription *s1 = plexauth_account_subscriptions_at(a, 1);
  EXPECT_STREQ(plexauth_subscription_status(s1), "Inactive");
  EXPECT_EQ(plexauth_subscription_features_count(s1), 0u);
  EXPECT_STREQ(plexauth_subscription_features_at(plexauth_account_subscriptions_at(a, 0), 0), "webhooks");
  EXPECT_STREQ(plexauth_subscription_subscribed_at(plexauth_account_subscription(a)), "2021-04-12T18:21:12Z");
  EXPECT_STREQ(plexauth_service_secret(plexauth_account_services_at(a, 0)), "epgSecret");
  int64_t n = 0;
  EXPECT_EQ(plexauth_profile_auto_select_subtitle(plexauth_account_profile(a), &n), 1);
  EXPECT_EQ(n, 2);
  plexauth_account_free(a);
}

TEST(CGetters, AccountJsonIsBuiltOnceAcrossThreads) {
  plexauth_account *a = new plexauth_account(make_response(200, kAccountB), parse_account(kAccountB));
  std::vector<const char *> seen(4, nullptr);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { seen[i] = plexauth_account_json(a, nullptr); });
  for (auto &t : threads) t.join();
  for (const char *p : seen) EXPECT_EQ(p, seen[0]);
  EXPECT_EQ(parse_account(seen[0]), a->value);
  plexauth_account_free(a);
}

TEST(CGetters, TransientTokenAndSourceInfo) {
  const std::string token_body = R"({"MediaContainer":{"size":0,"token":"transient-0f1e"}})";
  plexauth_transient_token *t = new plexauth_transient_token(make_response(200, token_body), parse_transient_token(token_body));
  EXPECT_STREQ(plexauth_transient_token_token(t), "transient-0f1e");
  EXPECT_EQ(plexauth_response_status(plexauth_transient_token_response(t)), 200);
  plexauth_transient_token_free(t);

  plexauth_transient_token *empty = new plexauth_transient_token(make_response(200, ""), parse_transient_token(""));
  EXPECT_EQ(plexauth_transient_token_token(empty), nullptr);
  size_t len = 7;
  EXPECT_STREQ(plexauth_response_body(plexauth_transient_token_response(empty), &len), "");
  EXPECT_EQ(len, 0u);
  plexauth_transient_token_free(empty);

  const std::string source_body = std::string(R"({"MediaContainer":{"Device":[)") + kSourceDevice + "]}}";
  plexauth_source_info *s = new plexauth_source_info(make_response(200, source_body), parse_source_info(source_body));
  EXPECT_STREQ(plexauth_source_info_name(s), "Living Room");
  EXPECT_STREQ(plexauth_source_info_client_identifier(s), "3381b62b9ab74e37");
  EXPECT_STREQ(plexauth_source_info_access_token(s), "srcAccessTok0123456789");
  ASSERT_EQ(plexauth_source_info_connections_count(s), 2u);
  const plexauth_connection *c = plexauth_source_info_connections_at(s, 1);
  ASSERT_NE(c, nullptr);
  EXPECT_STREQ(plexauth_connection_protocol(c), "https");
  EXPECT_STREQ(plexauth_connection_address(c), "203.0.113.9");
  EXPECT_STREQ(plexauth_connection_uri(c), "https://relay.example:8443");
  int64_t port = 0;
  EXPECT_EQ(plexauth_connection_port(c, &port), 1);
  EXPECT_EQ(port, 8443);
  int flag = -1;
  EXPECT_EQ(plexauth_connection_local(c, &flag), 1);
  EXPECT_EQ(flag, 0);
  EXPECT_EQ(plexauth_connection_relay(c, &flag), 1);
  EXPECT_EQ(flag, 1);
  EXPECT_EQ(plexauth_source_info_connections_at(s, 2), nullptr);
  EXPECT_EQ(plexauth_response_body(plexauth_source_info_response(s), nullptr), s->response.r.body.c_str());
  plexauth_source_info_free(s);

  plexauth_source_info *none = new plexauth_source_info(make_response(200, "{}"), parse_source_info("{}"));
  EXPECT_EQ(plexauth_source_info_name(none), nullptr);
  EXPECT_EQ(plexauth_source_info_connections_count(none), 0u);
  EXPECT_EQ(plexauth_source_info_connections_at(none, 0), nullptr);
  plexauth_source_info_free(none);
}

TEST(CGetters, NullHandlesAreSafe) {
  int flag = 4;
  int64_t n = 4;
  size_t len = 4;
  EXPECT_EQ(plexauth_account_email(nullptr), nullptr);
  EXPECT_EQ(plexauth_account_id(nullptr, &n), 0);
  EXPECT_EQ(plexauth_account_has_password(nullptr, &flag), 0);
  EXPECT_EQ(plexauth_account_entitlements_count(nullptr), 0u);
  EXPECT_EQ(plexauth_account_entitlements_at(nullptr, 0), nullptr);
  EXPECT_EQ(plexauth_account_profile(nullptr), nullptr);
  EXPECT_EQ(plexauth_account_subscriptions_at(nullptr, 0), nullptr);
  EXPECT_EQ(plexauth_account_trials_count(nullptr), 0u);
  EXPECT_EQ(plexauth_account_response(nullptr), nullptr);
  EXPECT_EQ(plexauth_account_json(nullptr, &len), nullptr);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(plexauth_profile_default_audio_language(nullptr), nullptr);
  EXPECT_EQ(plexauth_profile_watched_indicator(nullptr, &n), 0);
  EXPECT_EQ(plexauth_subscription_features_count(nullptr), 0u);
  EXPECT_EQ(plexauth_subscription_active(nullptr, &flag), 0);
  EXPECT_EQ(plexauth_service_status(nullptr), nullptr);
  EXPECT_EQ(plexauth_past_subscription_billing_internal_payment_method(nullptr), nullptr);
  EXPECT_EQ(plexauth_past_subscription_billing_payment_method_id(nullptr, &n), 0);
  EXPECT_EQ(plexauth_past_subscription_can_convert(nullptr, &flag), 0);
  EXPECT_EQ(plexauth_transient_token_token(nullptr), nullptr);
  EXPECT_EQ(plexauth_transient_token_response(nullptr), nullptr);
  EXPECT_EQ(plexauth_source_info_name(nullptr), nullptr);
  EXPECT_EQ(plexauth_source_info_connections_count(nullptr), 0u);
  EXPECT_EQ(plexauth_source_info_connections_at(nullptr, 0), nullptr);
  EXPECT_EQ(plexauth_source_info_response(nullptr), nullptr);
  EXPECT_EQ(plexauth_connection_uri(nullptr), nullptr);
  EXPECT_EQ(plexauth_connection_port(nullptr, &n), 0);
  EXPECT_EQ(plexauth_connection_relay(nullptr, &flag), 0);
  EXPECT_EQ(plexauth_response_status(nullptr), 0);
  EXPECT_EQ(plexauth_response_content_type(nullptr), nullptr);
  EXPECT_EQ(plexauth_response_headers_count(nullptr), 0u);
  EXPECT_EQ(plexauth_response_header_name(nullptr, 0), nullptr);
  EXPECT_EQ(plexauth_response_header_value(nullptr, 0), nullptr);
  EXPECT_EQ(plexauth_response_header(nullptr, "a"), nullptr);
  len = 4;
  EXPECT_EQ(plexauth_response_body(nullptr, &len), nullptr);
  EXPECT_EQ(len, 0u);
  EXPECT_EQ(flag, 4);
  EXPECT_EQ(n, 4);
  plexauth_account_free(nullptr);
  plexauth_transient_token_free(nullptr);
  plexauth_source_info_free(nullptr);
}

TEST(CGetters, AbsentNestedObjects) {
  const std::string body =
      R"({"authToken":"t","email":"e","friendlyName":"f","hasPassword":true,"id":1,"joinedAt":2,"title":"t",
          "twoFactorEnabled":false,"username":"u","uuid":"x","pastSubscriptions":[{"state":"ended"}],"profile":null})";
  plexauth_account *a = new plexauth_account(make_response(200, body), parse_account(body));
  EXPECT_EQ(plexauth_account_profile(a), nullptr);
  EXPECT_EQ(plexauth_account_subscription(a), nullptr);
  EXPECT_EQ(plexauth_account_services_count(a), 0u);
  const plexauth_past_subscription *ps = plexauth_account_past_subscriptions_at(a, 0);
  ASSERT_NE(ps, nullptr);
  int64_t n = 0;
  EXPECT_EQ(plexauth_past_subscription_billing_payment_method_id(ps, &n), 0);
  EXPECT_EQ(plexauth_past_subscription_billing_internal_payment_method(ps), nullptr);
  EXPECT_STREQ(plexauth_account_json(a, nullptr),
               R"({"authToken":"t","uuid":"x","username":"u","title":"t","email":"e","friendlyName":"f","id":1,)"
               R"("joinedAt":2,"hasPassword":true,"twoFactorEnabled":false,"profile":null,)"
               R"("pastSubscriptions":[{"state":"ended"}]})");
  plexauth_account_free(a);
}

}  // namespace
}  // namespace plexauth
