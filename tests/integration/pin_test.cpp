// PIN login through the C ABI against FakePlex: create_pin, get_pin and
// link_pin (plex-auth-wave2.md §1.1-1.4), and sign_out (§4.3). Wire bytes,
// parsed fields, and the statuses: PIN_EXPIRED for 404/1020, RATE_LIMITED
// for 429, UNAUTHORIZED after sign-out.
#include <cctype>
#include <chrono>
#include <string>

#include "support.h"

namespace itest {
namespace {

constexpr char kPinsPath[] = "/api/v2/pins";
constexpr char kLinkPath[] = "/api/v2/pins/link";
constexpr char kSignOutPath[] = "/api/v2/users/signout";
constexpr char kPingPath[] = "/api/v2/ping";

std::string pin_path(int64_t id) { return std::string(kPinsPath) + "/" + std::to_string(id); }

Outcome run_void(const std::function<plexauth_status(plexauth_error **)> &call) {
  Outcome o;
  plexauth_error *err = nullptr;
  o.status = call(&err);
  o.error.reset(err);
  EXPECT_EQ(o.status == PLEXAUTH_OK, err == nullptr) << describe(o);
  return o;
}

Result<plexauth_pin> create_pin(plexauth_client *c, bool strong, const plexauth_call_options *opts = nullptr) {
  return run<plexauth_pin>([&](plexauth_pin **out, plexauth_error **err) {
    return plexauth_client_create_pin(out, c, strong ? 1 : 0, opts, err);
  });
}
Result<plexauth_pin> get_pin(plexauth_client *c, int64_t id, const plexauth_call_options *opts = nullptr) {
  return run<plexauth_pin>(
      [&](plexauth_pin **out, plexauth_error **err) { return plexauth_client_get_pin(out, c, id, opts, err); });
}
Outcome link_pin(plexauth_client *c, const char *code, const plexauth_call_options *opts = nullptr) {
  return run_void([&](plexauth_error **err) { return plexauth_client_link_pin(c, code, opts, err); });
}
Outcome sign_out(plexauth_client *c, const plexauth_call_options *opts = nullptr) {
  return run_void([&](plexauth_error **err) { return plexauth_client_sign_out(c, opts, err); });
}

int64_t pin_id(const plexauth_pin *p) {
  int64_t id = -1;
  EXPECT_EQ(plexauth_pin_id(p, &id), 1);
  return id;
}
std::string pin_code(const plexauth_pin *p) {
  const char *code = plexauth_pin_code(p);
  EXPECT_NE(code, nullptr);
  return code != nullptr ? code : "";
}
int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}
int64_t plex_code(const plexauth_error *err) {
  int64_t code = -1;
  if (plexauth_error_plex_errors_count(err) == 0 || plexauth_error_plex_error_code(err, 0, &code) == 0) return -1;
  return code;
}
Owned<plexauth_call_options> without_retries() {
  auto opts = call_options();
  EXPECT_EQ(plexauth_call_options_set_retry(opts.get(), nullptr), PLEXAUTH_OK);
  return opts;
}

// create and get send the identity and no token, even from a signed-in client.
void expect_tokenless(const RecordedRequest &r) {
  expect_identity(r);
  EXPECT_FALSE(r.header("X-Plex-Token").has_value()) << "create/get send no X-Plex-Token";
  EXPECT_EQ(r.header("Accept"), "application/json");
  EXPECT_EQ(r.header("User-Agent"), kUserAgent);
  EXPECT_EQ(r.body, "");
}

class Pins : public Integration {};

// ------------------------------------------------------------------ create

TEST_F(Pins, CreateSendsNoTokenAndParsesAFourCharacterPin) {
  const int64_t before = unix_now();
  auto r = create_pin(client.get(), false);
  const int64_t after = unix_now();
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const plexauth_pin *p = r.value.get();

  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "POST");
  EXPECT_EQ(sent[0].path, kPinsPath);
  EXPECT_FALSE(sent[0].query_param("strong").value_or("false") == "true") << sent[0].query;
  expect_tokenless(sent[0]);

  EXPECT_EQ(plexauth_response_status(plexauth_pin_response(p)), 201);
  EXPECT_GT(pin_id(p), seed::kPinId);
  const std::string code = pin_code(p);
  ASSERT_EQ(code.size(), 4u);
  for (char c : code) EXPECT_TRUE(std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))) << code;
  EXPECT_EQ(fake.pin_code(pin_id(p)), code);
  int64_t expires_in = 0;
  int64_t created = 0;
  int64_t expires = 0;
  ASSERT_EQ(plexauth_pin_expires_in(p, &expires_in), 1);
  EXPECT_EQ(expires_in, 900);
  ASSERT_EQ(plexauth_pin_created_at(p, &created), 1);
  ASSERT_EQ(plexauth_pin_expires_at(p, &expires), 1);
  EXPECT_GE(created, before);  // Unix seconds, from the RFC 3339 string
  EXPECT_LE(created, after);
  EXPECT_EQ(expires, created + 900);
  EXPECT_EQ(plexauth_pin_auth_token(p), nullptr) << "authToken is null until approved";
  EXPECT_STREQ(plexauth_pin_client_identifier(p), kClientId);
  EXPECT_STREQ(plexauth_pin_product(p), kProduct);
  EXPECT_EQ(plexauth_pin_qr(p), "https://plex.tv/api/v2/pins/qr/" + code);
  int trusted = -1;
  EXPECT_EQ(plexauth_pin_trusted(p, &trusted), 1);
  EXPECT_EQ(trusted, 0);
  int new_registration = -1;
  EXPECT_EQ(plexauth_pin_new_registration(p, &new_registration), 0) << "null";
  const char *location = plexauth_pin_location(p);
  ASSERT_NE(location, nullptr);
  EXPECT_NE(std::string(location).find("\"time_zone\":\"Etc/UTC\""), std::string::npos) << location;
}

TEST_F(Pins, StrongCreateAsksForALongCodeThatLivesThirtyMinutes) {
  auto r = create_pin(client.get(), true);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests_to(kPinsPath);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].query, "strong=true");
  expect_tokenless(sent[0]);
  const std::string code = pin_code(r.value.get());
  ASSERT_EQ(code.size(), 25u);
  for (char c : code) EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c))) << code;
  int64_t expires_in = 0;
  int64_t created = 0;
  int64_t expires = 0;
  ASSERT_EQ(plexauth_pin_expires_in(r.value.get(), &expires_in), 1);
  ASSERT_EQ(plexauth_pin_created_at(r.value.get(), &created), 1);
  ASSERT_EQ(plexauth_pin_expires_at(r.value.get(), &expires), 1);
  EXPECT_EQ(expires_in, 1800);
  EXPECT_EQ(expires - created, 1800);
}

TEST_F(Pins, CreateWorksWithoutAnyToken) {
  auto anonymous = client_with_token(nullptr);
  auto r = create_pin(anonymous.get(), false);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  expect_tokenless(fake.requests().at(0));
}

// plex.tv throttles PIN creation per client identifier.
TEST_F(Pins, CreateOverTheLimitIsRateLimitedWithoutRetries) {
  fake.set_pin_limit(1, "7");
  auto opts = without_retries();
  ASSERT_EQ(create_pin(client.get(), false, opts.get()).status, PLEXAUTH_OK);
  auto r = create_pin(client.get(), false, opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 429);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_EQ(retry_after_ms(r.error.get()), 7000);
  EXPECT_EQ(fake.requests_to(kPinsPath).size(), 2u);
  // Another client identifier has its own count.
  auto other = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(other.get(), nullptr), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_call_options_set_client_id(other.get(), "another-installation"), PLEXAUTH_OK);
  EXPECT_EQ(create_pin(client.get(), false, other.get()).status, PLEXAUTH_OK);
}

TEST_F(Pins, CreateOverTheLimitSucceedsAfterRetryAfterWhenRetrying) {
  fake.set_pin_limit(1, "1");
  ASSERT_EQ(create_pin(client.get(), false).status, PLEXAUTH_OK);
  auto opts = call_options();
  auto retry = fast_retry(3);
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), retry.get()), PLEXAUTH_OK);
  const auto start = Clock::now();
  auto r = create_pin(client.get(), false, opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_GE(ms_since(start), 900) << "waited for Retry-After: 1";
  EXPECT_EQ(fake.requests_to(kPinsPath).size(), 3u) << "one success, one 429, one retry";
  EXPECT_EQ(pin_code(r.value.get()).size(), 4u);
}

TEST_F(Pins, CreateOverTheLimitGivesUpAfterMaxAttempts) {
  fake.set_pin_limit(0);  // no creation at all, no Retry-After
  auto opts = call_options();
  auto retry = fast_retry(3);
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), retry.get()), PLEXAUTH_OK);
  auto r = create_pin(client.get(), false, opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 3u);
  EXPECT_EQ(retry_after_ms(r.error.get()), std::nullopt);
  EXPECT_EQ(fake.requests_to(kPinsPath).size(), 3u);
}

// ------------------------------------------------------------------ get

TEST_F(Pins, GetSendsNoTokenAndShowsTheTokenOnceApproved) {
  auto created = create_pin(client.get(), false);
  ASSERT_EQ(created.status, PLEXAUTH_OK) << describe(created);
  const int64_t id = pin_id(created.value.get());

  auto pending = get_pin(client.get(), id);
  ASSERT_EQ(pending.status, PLEXAUTH_OK) << describe(pending);
  EXPECT_EQ(plexauth_response_status(plexauth_pin_response(pending.value.get())), 200);
  EXPECT_EQ(plexauth_pin_auth_token(pending.value.get()), nullptr);
  EXPECT_EQ(pin_code(pending.value.get()), pin_code(created.value.get()));
  const auto sent = fake.requests_to(pin_path(id));
  ASSERT_EQ(sent.size(), 1u);
  expect_bodiless_get(sent[0], pin_path(id), "");
  expect_tokenless(sent[0]);

  fake.approve_pin(id, seed::kEmailA);
  auto approved = get_pin(client.get(), id);
  ASSERT_EQ(approved.status, PLEXAUTH_OK) << describe(approved);
  EXPECT_STREQ(plexauth_pin_auth_token(approved.value.get()), seed::kTokenA);
  int new_registration = -1;
  EXPECT_EQ(plexauth_pin_new_registration(approved.value.get(), &new_registration), 1);
  EXPECT_EQ(new_registration, 0);
  // The secret stays out of the result's message-facing parts but is in its JSON.
  size_t len = 0;
  const char *json = plexauth_pin_json(approved.value.get(), &len);
  ASSERT_NE(json, nullptr);
  EXPECT_NE(std::string(json, len).find(seed::kTokenA), std::string::npos);
}

TEST_F(Pins, TheSeededPinIsThereForThisClient) {
  auto r = get_pin(client.get(), seed::kPinId);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(pin_code(r.value.get()), seed::kPinCode);
  int64_t expires = 0;
  ASSERT_EQ(plexauth_pin_expires_at(r.value.get(), &expires), 1);
  EXPECT_GT(expires, unix_now() + 86400);
}

void expect_pin_expired(const Outcome &r, const char *what) {
  EXPECT_EQ(r.status, PLEXAUTH_E_PIN_EXPIRED) << what << ": " << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 404) << what;
  EXPECT_EQ(plex_code(r.error.get()), 1020) << what;
  EXPECT_EQ(plex_error(r.error.get(), 0), "1020 Code not found or expired 404") << what;
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u) << what << ": a 404 is final";
}

TEST_F(Pins, GetOfAnExpiredUnknownOrForeignPinIsPinExpired) {
  auto first = create_pin(client.get(), false);
  auto second = create_pin(client.get(), false);
  ASSERT_EQ(first.status, PLEXAUTH_OK);
  ASSERT_EQ(second.status, PLEXAUTH_OK);
  const int64_t id = pin_id(first.value.get());

  fake.expire_pin(id);
  expect_pin_expired(get_pin(client.get(), id), "expired");
  expect_pin_expired(get_pin(client.get(), 999999999), "unknown");
  // A PIN must be polled with the client identifier that created it.
  auto foreign = call_options();
  ASSERT_EQ(plexauth_call_options_set_client_id(foreign.get(), "another-installation"), PLEXAUTH_OK);
  expect_pin_expired(get_pin(client.get(), pin_id(second.value.get()), foreign.get()), "foreign client");
  EXPECT_EQ(fake.requests_to(pin_path(pin_id(second.value.get()))).at(0).header("X-Plex-Client-Identifier"),
            "another-installation");
  // Its lifetime runs out on the fake's clock.
  ASSERT_EQ(get_pin(client.get(), pin_id(second.value.get())).status, PLEXAUTH_OK);
  fake.advance_clock(std::chrono::seconds(900));
  expect_pin_expired(get_pin(client.get(), pin_id(second.value.get())), "after 900 s");
}

// ------------------------------------------------------------------ link

TEST_F(Pins, LinkSendsTheCodeAsAFormWithTheAccountToken) {
  // The TV (anonymous) shows a code; the phone, signed in as B, links it.
  auto tv = client_with_token(nullptr);
  auto created = create_pin(tv.get(), false);
  ASSERT_EQ(created.status, PLEXAUTH_OK) << describe(created);
  const std::string code = pin_code(created.value.get());
  auto phone = client_with_token(seed::kTokenB);
  auto r = link_pin(phone.get(), code.c_str());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);

  const auto sent = fake.requests_to(kLinkPath);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "PUT");
  EXPECT_EQ(sent[0].query, "");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenB));
  expect_identity(sent[0]);
  EXPECT_EQ(sent[0].header("Content-Type").value_or("").rfind("application/x-www-form-urlencoded", 0), 0u)
      << sent[0].header("Content-Type").value_or("(none)");
  EXPECT_EQ(sent[0].body, "code=" + code);

  auto polled = get_pin(tv.get(), pin_id(created.value.get()));
  ASSERT_EQ(polled.status, PLEXAUTH_OK) << describe(polled);
  EXPECT_STREQ(plexauth_pin_auth_token(polled.value.get()), seed::kTokenB);
}

TEST_F(Pins, LinkOfAnUnknownOrExpiredCodeIsPinExpired) {
  expect_pin_expired(link_pin(client.get(), "ZZZZ"), "unknown code");
  auto created = create_pin(client.get(), false);
  ASSERT_EQ(created.status, PLEXAUTH_OK);
  fake.expire_pin(pin_id(created.value.get()));
  expect_pin_expired(link_pin(client.get(), pin_code(created.value.get()).c_str()), "expired code");
}

TEST_F(Pins, LinkNeedsAValidToken) {
  auto stranger = client_with_token("not-a-token");
  auto r = link_pin(stranger.get(), seed::kPinCode);
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  auto seeded = get_pin(client.get(), seed::kPinId);
  ASSERT_EQ(seeded.status, PLEXAUTH_OK);
  EXPECT_EQ(plexauth_pin_auth_token(seeded.value.get()), nullptr) << "not approved";
}

TEST_F(Pins, LinkRefusesAnEmptyCodeBeforeSending) {
  auto r = link_pin(client.get(), "");
  EXPECT_EQ(r.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(r);
  EXPECT_TRUE(fake.requests().empty());
}

// ------------------------------------------------------------------ sign-out

TEST_F(Pins, SignOutRevokesTheToken) {
  ASSERT_EQ(ping(client.get()).status, PLEXAUTH_OK);
  auto r = sign_out(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests_to(kSignOutPath);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "DELETE");
  EXPECT_EQ(sent[0].query, "");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenA));
  expect_identity(sent[0]);
  EXPECT_EQ(sent[0].body, "");
  EXPECT_FALSE(fake.is_valid_token(seed::kTokenA));

  auto after = ping(client.get());
  EXPECT_EQ(after.status, PLEXAUTH_E_UNAUTHORIZED) << describe(after);
  EXPECT_EQ(plexauth_error_http_status(after.error.get()), 401);
  EXPECT_EQ(fake.requests_to(kPingPath).back().header("X-Plex-Token"), std::string(seed::kTokenA));
  EXPECT_EQ(get_token_details(client.get()).status, PLEXAUTH_E_UNAUTHORIZED);
  auto again = sign_out(client.get());
  EXPECT_EQ(again.status, PLEXAUTH_E_UNAUTHORIZED) << describe(again);
  // Other accounts are untouched.
  EXPECT_EQ(ping(client_with_token(seed::kTokenB).get()).status, PLEXAUTH_OK);
}

TEST_F(Pins, SignOutWithABadTokenIsUnauthorized) {
  auto stranger = client_with_token("not-a-token");
  auto r = sign_out(stranger.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plex_code(r.error.get()), 1001);
  EXPECT_TRUE(fake.is_valid_token(seed::kTokenA));
}

// The whole journey: a TV creates a PIN, the user links it from a phone, the
// TV polls, then uses the token and finally signs out.
TEST_F(Pins, PinLoginJourney) {
  auto tv = client_with_token(nullptr);
  auto created = create_pin(tv.get(), false);
  ASSERT_EQ(created.status, PLEXAUTH_OK) << describe(created);
  const int64_t id = pin_id(created.value.get());
  ASSERT_EQ(get_pin(tv.get(), id).status, PLEXAUTH_OK);
  ASSERT_EQ(link_pin(client.get(), pin_code(created.value.get()).c_str()).status, PLEXAUTH_OK);
  auto polled = get_pin(tv.get(), id);
  ASSERT_EQ(polled.status, PLEXAUTH_OK);
  const char *token = plexauth_pin_auth_token(polled.value.get());
  ASSERT_NE(token, nullptr);
  auto signed_in = client_with_token(token);
  auto details = get_token_details(signed_in.get());
  ASSERT_EQ(details.status, PLEXAUTH_OK) << describe(details);
  EXPECT_STREQ(plexauth_account_uuid(details.value.get()), seed::kUuidA);
  ASSERT_EQ(sign_out(signed_in.get()).status, PLEXAUTH_OK);
  EXPECT_EQ(ping(signed_in.get()).status, PLEXAUTH_E_UNAUTHORIZED);
}

}  // namespace
}  // namespace itest
