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

}  // namespace
}  // namespace itest
