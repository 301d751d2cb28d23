// switch_home_user through the C ABI against FakePlex's Plex Home (account A
// is the admin; homeuser0000uuid is protected with PIN 1234,
// homeuser0001uuid is not): plex-auth-wave2.md §4.4. The PIN travels in the
// query and must never reach a message or a log line.
#include <mutex>
#include <string>
#include <vector>

#include "support.h"

namespace itest {
namespace {

std::string switch_path(const std::string &user) { return "/api/v2/home/users/" + user + "/switch"; }

Result<plexauth_account> switch_user(plexauth_client *c, const char *user, const char *pin,
                                     const plexauth_call_options *opts = nullptr) {
  Result<plexauth_account> r;
  plexauth_account *out = nullptr;
  plexauth_error *err = nullptr;
  r.status = plexauth_client_switch_home_user(&out, c, user, pin, opts, &err);
  r.value.reset(out);
  r.error.reset(err);
  EXPECT_EQ(r.status == PLEXAUTH_OK, out != nullptr) << describe(r);
  EXPECT_EQ(r.status == PLEXAUTH_OK, err == nullptr) << describe(r);
  return r;
}

int64_t plex_code(const plexauth_error *err) {
  int64_t code = -1;
  if (plexauth_error_plex_errors_count(err) == 0 || plexauth_error_plex_error_code(err, 0, &code) == 0) return -1;
  return code;
}

// Every log line of a client, at DEBUG.
struct LogLines {
  std::mutex mu;
  std::vector<std::string> lines;
  static void sink(void *self, plexauth_log_level, const char *message) {
    auto *l = static_cast<LogLines *>(self);
    std::lock_guard<std::mutex> lock(l->mu);
    l->lines.emplace_back(message != nullptr ? message : "");
  }
  std::string all() {
    std::lock_guard<std::mutex> lock(mu);
    std::string s;
    for (const auto &line : lines) s += line + "\n";
    return s;
  }
};

class Home : public Integration {
 protected:
  // Account A's client with a DEBUG log sink and retries that would retry a
  // 5XX (a 4XX is never retried).
  Owned<plexauth_client> logged_client(LogLines &log) const {
    auto cfg = fake_config(fake, seed::kTokenA);
    EXPECT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, &LogLines::sink, &log), PLEXAUTH_OK);
    return new_client(cfg.get());
  }
};

TEST_F(Home, SwitchWithTheRightPinGivesTheUsersAccountAndANewToken) {
  auto r = switch_user(client.get(), seed::kHomeProtectedUuid, seed::kHomeProtectedPin);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);

  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].path, switch_path(seed::kHomeProtectedUuid));
  EXPECT_EQ(sent[0].query, "pin=1234") << "the PIN goes in the query";
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenA));
  EXPECT_EQ(sent[0].header("Accept"), "application/json");
  expect_identity(sent[0]);
  EXPECT_EQ(sent[0].body, "");

  const plexauth_account *a = r.value.get();
  EXPECT_EQ(plexauth_response_status(plexauth_account_response(a)), 201);
  EXPECT_STREQ(plexauth_account_uuid(a), seed::kHomeProtectedUuid);
  EXPECT_STREQ(plexauth_account_username(a), seed::kHomeProtectedUsername);
  int64_t id = 0;
  ASSERT_EQ(plexauth_account_id(a, &id), 1);
  EXPECT_EQ(id, seed::kHomeProtectedId);
  int flag = -1;
  ASSERT_EQ(plexauth_account_protected(a, &flag), 1);
  EXPECT_EQ(flag, 1);
  ASSERT_EQ(plexauth_account_has_password(a, &flag), 1);
  EXPECT_EQ(flag, 0);
  const char *token = plexauth_account_auth_token(a);
  ASSERT_NE(token, nullptr);
  EXPECT_STRNE(token, seed::kTokenA);
  EXPECT_TRUE(fake.is_valid_token(token));

  // The new token works: ping, and token details name the Home user.
  auto as_user = client_with_token(token);
  auto pong = ping(as_user.get());
  EXPECT_EQ(pong.status, PLEXAUTH_OK) << describe(pong);
  auto details = get_token_details(as_user.get());
  ASSERT_EQ(details.status, PLEXAUTH_OK) << describe(details);
  EXPECT_STREQ(plexauth_account_uuid(details.value.get()), seed::kHomeProtectedUuid);
  EXPECT_STREQ(plexauth_account_auth_token(details.value.get()), token);
  EXPECT_EQ(fake.requests_to(kUserPath).back().header("X-Plex-Token"), std::string(token));
}

TEST_F(Home, SwitchToAnUnprotectedUserNeedsNoPin) {
  auto r = switch_user(client.get(), seed::kHomeOpenUuid, nullptr);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].path, switch_path(seed::kHomeOpenUuid));
  EXPECT_EQ(sent[0].query, "") << "no pin parameter without a PIN";
  EXPECT_STREQ(plexauth_account_uuid(r.value.get()), seed::kHomeOpenUuid);
  // By numeric id as well; each switch issues a token of its own.
  auto by_id = switch_user(client.get(), std::to_string(seed::kHomeOpenId).c_str(), nullptr);
  ASSERT_EQ(by_id.status, PLEXAUTH_OK) << describe(by_id);
  EXPECT_STRNE(plexauth_account_auth_token(by_id.value.get()), plexauth_account_auth_token(r.value.get()));
}

TEST_F(Home, AProtectedUserWithoutOrWithAWrongPinIsPinRequiredAndNeverRetried) {
  auto opts = call_options();
  auto retry = fast_retry(5);
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), retry.get()), PLEXAUTH_OK);
  for (const char *pin : {static_cast<const char *>(nullptr), "0000", ""}) {
    const std::string what = pin == nullptr ? "no PIN" : "PIN \"" + std::string(pin) + "\"";
    fake.clear_log();
    auto r = switch_user(client.get(), seed::kHomeProtectedUuid, pin, opts.get());
    EXPECT_EQ(r.status, PLEXAUTH_E_PIN_REQUIRED) << what << ": " << describe(r);
    EXPECT_EQ(plexauth_error_http_status(r.error.get()), 403) << what;
    EXPECT_EQ(plex_code(r.error.get()), 1041) << what;
    EXPECT_EQ(plex_error(r.error.get(), 0), "1041 A valid PIN is required to perform this action 403") << what;
    EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u) << what;
    EXPECT_EQ(fake.requests().size(), 1u) << what << ": a 4XX is never retried";
  }
}

TEST_F(Home, UnknownUsersAndBadTokensFail) {
  auto unknown = switch_user(client.get(), "nobody0000000000", nullptr);
  EXPECT_NE(unknown.status, PLEXAUTH_OK);
  EXPECT_EQ(plexauth_error_http_status(unknown.error.get()), 404) << describe(unknown);
  EXPECT_EQ(plexauth_error_attempts(unknown.error.get()), 1u);
  // B has no Home: A's users are unknown to it.
  auto outsider = client_with_token(seed::kTokenB);
  EXPECT_EQ(plexauth_error_http_status(switch_user(outsider.get(), seed::kHomeOpenUuid, nullptr).error.get()), 404);
  auto stranger = client_with_token("not-a-token");
  auto r = switch_user(stranger.get(), seed::kHomeOpenUuid, nullptr);
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
}

TEST_F(Home, AnEmptyUserIsRefusedBeforeSending) {
  auto r = switch_user(client.get(), "", nullptr);
  EXPECT_EQ(r.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(r);
  EXPECT_TRUE(fake.requests().empty());
}

// The PIN is a secret: not in the error message, not in any DEBUG line (the
// URL with ?pin= is logged redacted).
TEST_F(Home, ThePinNeverAppearsInMessagesOrLogs) {
  LogLines log;
  auto logged = logged_client(log);
  constexpr char kWrongPin[] = "918273";
  auto wrong = switch_user(logged.get(), seed::kHomeProtectedUuid, kWrongPin);
  ASSERT_EQ(wrong.status, PLEXAUTH_E_PIN_REQUIRED) << describe(wrong);
  EXPECT_EQ(fake.requests().at(0).query_param("pin"), std::string(kWrongPin)) << "it was sent";
  const std::string message = plexauth_error_message(wrong.error.get());
  EXPECT_EQ(message.find(kWrongPin), std::string::npos) << message;
  size_t body_len = 0;
  const char *body = plexauth_error_body(wrong.error.get(), &body_len);
  if (body != nullptr) {
    EXPECT_EQ(std::string(body, body_len).find(kWrongPin), std::string::npos);
  }

  auto right = switch_user(logged.get(), seed::kHomeProtectedUuid, seed::kHomeProtectedPin);
  ASSERT_EQ(right.status, PLEXAUTH_OK) << describe(right);

  const std::string lines = log.all();
  ASSERT_NE(lines.find("/switch"), std::string::npos) << "the requests are logged at DEBUG:\n" << lines;
  EXPECT_EQ(lines.find(kWrongPin), std::string::npos) << lines;
  EXPECT_EQ(lines.find("pin=1234"), std::string::npos) << lines;
  EXPECT_EQ(lines.find(std::string("pin=") + kWrongPin), std::string::npos) << lines;
  EXPECT_EQ(lines.find(seed::kTokenA), std::string::npos) << "nor the token:\n" << lines;
  const char *new_token = plexauth_account_auth_token(right.value.get());
  ASSERT_NE(new_token, nullptr);
  EXPECT_EQ(lines.find(new_token), std::string::npos) << "nor the new token:\n" << lines;
}

// The Home journey: switch to a user, act as them, and switch back to the
// admin with the Home user's own token.
TEST_F(Home, AHomeUserCanSwitchOnWithItsOwnToken) {
  auto first = switch_user(client.get(), seed::kHomeOpenUuid, nullptr);
  ASSERT_EQ(first.status, PLEXAUTH_OK) << describe(first);
  auto as_user = client_with_token(plexauth_account_auth_token(first.value.get()));
  auto again = switch_user(as_user.get(), seed::kHomeProtectedUuid, seed::kHomeProtectedPin);
  ASSERT_EQ(again.status, PLEXAUTH_OK) << describe(again);
  EXPECT_STREQ(plexauth_account_uuid(again.value.get()), seed::kHomeProtectedUuid);
  EXPECT_EQ(fake.requests().back().header("X-Plex-Token"),
            std::string(plexauth_account_auth_token(first.value.get())));
}

// ------------------------------------------------------------------ list_home_users

constexpr char kHomeUsersPath[] = "/api/home/users";

Result<plexauth_home> list_home_users(plexauth_client *c, const plexauth_call_options *opts = nullptr) {
  return run<plexauth_home>([&](plexauth_home **out, plexauth_error **err) {
    return plexauth_client_list_home_users(out, c, opts, err);
  });
}

const plexauth_home_user *member(const plexauth_home *h, const char *uuid) {
  for (size_t i = 0; i < plexauth_home_users_count(h); ++i) {
    const plexauth_home_user *u = plexauth_home_users_at(h, i);
    if (plexauth_home_user_uuid(u) != nullptr && std::string(plexauth_home_user_uuid(u)) == uuid) return u;
  }
  return nullptr;
}

int flag_of(int (*getter)(const plexauth_home_user *, int *), const plexauth_home_user *u) {
  int v = -1;
  return getter(u, &v) == 1 ? v : -1;
}

// The non-blocking twin reads the same XML (the parse picks XML from the
// response's content type in both drivers).
TEST_F(Home, ListHomeUsersNonBlockingReadsTheSameXml) {
  plexauth_call *raw = nullptr;
  ASSERT_EQ(plexauth_client_list_home_users_start(&raw, client.get(), nullptr, nullptr, nullptr, nullptr, nullptr),
            PLEXAUTH_OK);
  Owned<plexauth_call> call(raw);
  ASSERT_EQ(plexauth_call_wait(call.get(), 10000, nullptr), PLEXAUTH_OK);
  auto async = run<plexauth_home>([&](plexauth_home **out, plexauth_error **err) {
    return plexauth_client_list_home_users_finish(out, call.get(), err);
  });
  ASSERT_EQ(async.status, PLEXAUTH_OK) << describe(async);
  auto blocking = list_home_users(client.get());
  ASSERT_EQ(blocking.status, PLEXAUTH_OK) << describe(blocking);
  EXPECT_EQ(std::string(plexauth_home_json(async.value.get(), nullptr)),
            std::string(plexauth_home_json(blocking.value.get(), nullptr)));
  EXPECT_EQ(plexauth_home_users_count(async.value.get()), 3u);
}

// plex.tv's v1 route answers XML (the fake does too, whatever Accept says):
// every attribute is read into its typed field, booleans from "1"/"0".
TEST_F(Home, ListHomeUsersReadsPlexTvsV1Xml) {
  auto r = list_home_users(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  expect_bodiless_get(sent[0], kHomeUsersPath, "");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenA));
  expect_identity(sent[0]);

  const plexauth_home *h = r.value.get();
  const plexauth_response *resp = plexauth_home_response(h);
  EXPECT_EQ(plexauth_response_status(resp), 200);
  ASSERT_EQ(plexauth_home_users_count(h), 3u);
  int64_t n = 0;
  ASSERT_EQ(plexauth_home_size(h, &n), 1);
  EXPECT_EQ(n, 3);
  ASSERT_EQ(plexauth_home_total_size(h, &n), 1);
  EXPECT_EQ(n, 3);
  EXPECT_STREQ(plexauth_home_friendly_name(h), "myPlex");
  EXPECT_STREQ(plexauth_home_machine_identifier(h), seed::kSourceClientId);

  const plexauth_home_user *admin = member(h, seed::kUuidA);
  ASSERT_NE(admin, nullptr);
  ASSERT_EQ(plexauth_home_user_id(admin, &n), 1);
  EXPECT_EQ(n, seed::kIdA);
  EXPECT_STREQ(plexauth_home_user_username(admin), seed::kUsernameA);
  EXPECT_STREQ(plexauth_home_user_email(admin), seed::kEmailA);
  EXPECT_EQ(flag_of(plexauth_home_user_admin, admin), 1);
  EXPECT_EQ(flag_of(plexauth_home_user_restricted, admin), 0);
  EXPECT_EQ(flag_of(plexauth_home_user_protected, admin), 0);
  EXPECT_EQ(flag_of(plexauth_home_user_has_password, admin), 1);

  const plexauth_home_user *kid = member(h, seed::kHomeProtectedUuid);
  ASSERT_NE(kid, nullptr);
  ASSERT_EQ(plexauth_home_user_id(kid, &n), 1);
  EXPECT_EQ(n, seed::kHomeProtectedId);
  EXPECT_STREQ(plexauth_home_user_title(kid), seed::kHomeProtectedUsername);
  EXPECT_STREQ(plexauth_home_user_username(kid), "");
  EXPECT_STREQ(plexauth_home_user_restriction_profile(kid), "little_kid");
  EXPECT_EQ(flag_of(plexauth_home_user_protected, kid), 1);
  EXPECT_EQ(flag_of(plexauth_home_user_restricted, kid), 1);
  EXPECT_EQ(flag_of(plexauth_home_user_admin, kid), 0);
  EXPECT_EQ(flag_of(plexauth_home_user_guest, kid), 0);

  const plexauth_home_user *open = member(h, seed::kHomeOpenUuid);
  ASSERT_NE(open, nullptr);
  EXPECT_STREQ(plexauth_home_user_title(open), seed::kHomeOpenUsername);
  EXPECT_EQ(flag_of(plexauth_home_user_protected, open), 0);

  // The result as JSON for the bindings: typed values under the wire names.
  size_t len = 0;
  const char *json = plexauth_home_json(h, &len);
  ASSERT_NE(json, nullptr);
  const std::string text(json, len);
  EXPECT_NE(text.find("\"uuid\":\"homeuser0000uuid\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"protected\":true"), std::string::npos) << text;
  EXPECT_NE(text.find("\"id\":20000001"), std::string::npos) << text;
}

// The listing tells which users need a PIN; switching follows it.
TEST_F(Home, TheProtectedFlagIsWhatSwitchingNeeds) {
  auto r = list_home_users(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  for (size_t i = 0; i < plexauth_home_users_count(r.value.get()); ++i) {
    const plexauth_home_user *u = plexauth_home_users_at(r.value.get(), i);
    if (flag_of(plexauth_home_user_admin, u) == 1) continue;
    auto without_pin = switch_user(client.get(), plexauth_home_user_uuid(u), nullptr);
    EXPECT_EQ(without_pin.status == PLEXAUTH_E_PIN_REQUIRED, flag_of(plexauth_home_user_protected, u) == 1)
        << plexauth_home_user_uuid(u) << ": " << describe(without_pin);
  }
}

// A JSON body of the same shape (should plex.tv answer JSON) reads the same.
TEST_F(Home, ListHomeUsersReadsAJsonBodyOfTheSameShape) {
  Fault f;
  f.body = R"({"MediaContainer":{"size":1,"User":[{"id":7,"uuid":"u7","title":"Seven","protected":true,)"
           R"("admin":false}]}})";
  fake.add_fault(kHomeUsersPath, f);
  auto r = list_home_users(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  ASSERT_EQ(plexauth_home_users_count(r.value.get()), 1u);
  const plexauth_home_user *u = plexauth_home_users_at(r.value.get(), 0);
  int64_t id = 0;
  ASSERT_EQ(plexauth_home_user_id(u, &id), 1);
  EXPECT_EQ(id, 7);
  EXPECT_EQ(flag_of(plexauth_home_user_protected, u), 1);
}

TEST_F(Home, HomeUsersOutsideAHomeAndWithBadTokens) {
  auto outsider = client_with_token(seed::kTokenB);
  auto none = list_home_users(outsider.get());
  ASSERT_EQ(none.status, PLEXAUTH_OK) << describe(none);
  EXPECT_EQ(plexauth_home_users_count(none.value.get()), 0u);
  auto stranger = client_with_token("not-a-token");
  auto r = list_home_users(stranger.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
}

// Hostile XML: no DOCTYPE (so no entity expansion: "billion laughs", external
// entities), nothing malformed, no wrong types, no missing required fields.
TEST_F(Home, BadXmlIsMalformedNeverACrash) {
  const std::pair<const char *, const char *> cases[] = {
      {"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
       "<MediaContainer size=\"&lol2;\"/>",
       "DOCTYPE"},
      {"<!DOCTYPE m SYSTEM \"file:///etc/passwd\"><MediaContainer/>", "DOCTYPE"},
      {"<MediaContainer><User id=\"1\" uuid=\"u\"></MediaContainer>", "not well-formed"},
      {"<MediaContainer><User id=\"x1\" uuid=\"u\"/></MediaContainer>", "field 'MediaContainer.User[0].id'"},
      {"<MediaContainer><User id=\"1\" uuid=\"u\" protected=\"maybe\"/></MediaContainer>", "expected bool"},
      {"<MediaContainer><User uuid=\"u\"/></MediaContainer>", "missing required field 'MediaContainer.User[0].id'"},
      {"<Other/>", "missing required field 'MediaContainer'"},
      {"", "not well-formed"},
      {"<MediaContainer a=\"\xff\"/>", "not well-formed"},
      {"<MediaContainer a=\"&#0;\"/>", "not well-formed"},
  };
  for (const auto &[body, expected] : cases) {
    Fault f;
    f.body = body;
    f.content_type = "application/xml";
    fake.add_fault(kHomeUsersPath, f);
    auto r = list_home_users(client.get());
    EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << body << ": " << describe(r);
    if (r.error) {
      const std::string message = plexauth_error_message(r.error.get());
      EXPECT_NE(message.find(expected), std::string::npos) << body << ": " << message;
    }
  }
  // Nesting past the JSON limit (64) is refused, not recursed into.
  std::string deep = "<MediaContainer>";
  for (int i = 0; i < 200; ++i) deep += "<a>";
  for (int i = 0; i < 200; ++i) deep += "</a>";
  deep += "</MediaContainer>";
  Fault f;
  f.body = deep;
  f.content_type = "text/xml; charset=utf-8";
  fake.add_fault(kHomeUsersPath, f);
  auto r = list_home_users(client.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  // An XML content type is accepted only where plex.tv documents XML.
  Fault x;
  x.body = "<MediaContainer/>";
  x.content_type = "application/xml";
  fake.add_fault(kUserPath, x);
  auto details = get_token_details(client.get());
  EXPECT_EQ(details.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(details);
}

}  // namespace
}  // namespace itest
