// Gate 4: the hostile-server matrix. One test per way a server can misbehave,
// through the public C ABI over real libcurl against FakePlex on 127.0.0.1.
// Each asserts the exact status, that the call returns within a bound, and
// that the process's peak memory grows by a bounded amount; each prints one
// "[hostile] ..." row for the table in docs/reliability.md.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "hostile.h"

namespace hostile {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;  // shadow memory and quarantine: RSS says nothing
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif
constexpr long long kSlow = kSanitized ? 5 : 1;  // time bounds stretch under sanitizers

constexpr size_t kMiB = 1024 * 1024;
constexpr long kBoundKib = 16 * 1024;  // "well under 64 MB": the default cap is 8 MiB

class Hostile : public Integration {
 protected:
  // Runs one call, measuring its time and the peak-memory growth, and prints
  // the table row.
  template <class Call>
  auto mode(const std::string &name, Call &&call) {
    PeakMemory peak;
    const auto start = Clock::now();
    auto r = call();
    ms_ = ms_since(start);
    kib_ = peak.growth_kib();
    report(name, r, fake.requests().size(), ms_, kib_);
    return r;
  }
  // The last mode returned within `ms` and grew the peak by less than `kib`.
  void expect_bounded(long long ms, long kib = kBoundKib) const {
    EXPECT_LT(ms_, ms * kSlow) << "took " << ms_ << " ms";
    if (!kSanitized) {
      EXPECT_LT(kib_, kib) << "peak resident memory grew by " << kib_ << " KiB";
    }
  }
  static std::string message(const Outcome &o) { return plexauth_error_message(o.error.get()); }
  static void expect_single_attempt(const Outcome &o, int http) {
    EXPECT_EQ(plexauth_error_http_status(o.error.get()), http) << describe(o);
    EXPECT_EQ(plexauth_error_attempts(o.error.get()), 1u) << describe(o);
  }

  Owned<plexauth_call_options> once = no_retry();
  long long ms_ = 0;
  long kib_ = 0;
};

// A client for the fake with a response cap (and the other fake_config
// settings).
Owned<plexauth_client> client_with_cap(const FakePlex &fake, size_t cap) {
  auto cfg = fake_config(fake, seed::kTokenA);
  EXPECT_EQ(plexauth_config_set_max_response_bytes(cfg.get(), cap), PLEXAUTH_OK);
  return new_client(cfg.get());
}

Fault oversized(uint64_t bytes, bool gzip = false) {
  Fault f;
  f.oversized_bytes = bytes;
  f.gzip = gzip;
  return f;
}

// ------------------------------------------------------------------ bodies that are not what they claim

TEST_F(Hostile, HtmlOnA200IsMalformed) {
  fake.add_fault(kUserPath, body_fault(200, "<!DOCTYPE html><html><body>Plex is down</body></html>",
                                       "text/html; charset=utf-8"));
  auto r = mode("html_on_200", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("expected application/json, got 'text/html; charset=utf-8'"), std::string::npos)
      << message(r);
  expect_bounded(2000);
}

TEST_F(Hostile, HtmlLabelledJsonOnA200IsMalformed) {
  fake.add_fault(kUserPath, body_fault(200, "<html><body>Plex is down</body></html>", kJson));
  auto r = mode("html_labelled_json_on_200", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("is not valid JSON"), std::string::npos) << message(r);
  expect_bounded(2000);
}

TEST_F(Hostile, TruncatedJsonIsMalformed) {
  Fault f;
  f.truncated_json = true;
  fake.add_fault(kUserPath, f);
  auto r = mode("truncated_json", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("is not valid JSON"), std::string::npos) << message(r);
  expect_bounded(2000);
}

TEST_F(Hostile, JsonNested100000LevelsIsRefusedWithoutRecursion) {
  Fault f;
  f.nested_depth = 100000;
  fake.add_faults(kUserPath, {f});
  fake.add_faults(kTokenPath, {f});
  auto r = mode("nested_100000", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("nested deeper than"), std::string::npos) << message(r);
  expect_bounded(2000);
  auto pms = mode("nested_100000 (PMS)", [&] { return get_transient_token(client.get(), once.get()); });
  ASSERT_EQ(pms.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(pms);
  expect_bounded(2000);
}

TEST_F(Hostile, InvalidUtf8IsMalformed) {
  Fault f;
  f.invalid_utf8 = true;
  fake.add_fault(kUserPath, f);
  auto r = mode("invalid_utf8", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("not valid UTF-8"), std::string::npos) << message(r);
  expect_bounded(2000);
}

// Wrong JSON types for known fields: each is refused, and the message names
// the field (never its value).
TEST_F(Hostile, WrongTypesForKnownFieldsAreMalformedAndNamed) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"id":"13692262"})", "field 'id': expected integer, got string"},
      {R"({"username":42})", "field 'username': expected string, got integer"},
      {R"({"joinedAt":1.5})", "field 'joinedAt': expected integer, got number"},
      {R"({"hasPassword":"true"})", "field 'hasPassword': expected bool, got string"},
      {R"({"subscription":[]})", "field 'subscription': expected object, got array"},
      {R"({"roles":[1]})", "field 'roles[0]': expected string, got integer"},
      {R"({"profile":{"autoSelectAudio":"yes"}})", "field 'profile.autoSelectAudio': expected bool, got string"},
      {R"({"services":[{"token":{}}]})", "field 'services[0].token': expected string, got object"},
      {R"({"authToken":null})", "field 'authToken': required, got null"},
      {R"({"id":18446744073709551615})", "field 'id': integer out of range"},
  };
  for (const auto &[patch, expected] : cases) {
    Fault f;
    f.patch = patch;
    fake.add_fault(kUserPath, f);
    auto r = mode("wrong_type " + patch, [&] { return get_token_details(client.get(), once.get()); });
    ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << patch << ": " << describe(r);
    expect_single_attempt(r, 200);
    EXPECT_NE(message(r).find(expected), std::string::npos) << patch << ": " << message(r);
    EXPECT_EQ(message(r).find(seed::kTokenA), std::string::npos);
    expect_bounded(2000);
  }
  // Unknown members may hold anything.
  Fault unknown;
  unknown.patch = R"({"somethingNew":[{"deep":[1,"x",null]}]})";
  fake.add_fault(kUserPath, unknown);
  auto ok = get_token_details(client.get(), once.get());
  EXPECT_EQ(ok.status, PLEXAUTH_OK) << describe(ok);
}

TEST_F(Hostile, WrongTypesInPmsBodiesAreMalformed) {
  fake.add_fault(kTokenPath, body_fault(200, R"({"MediaContainer":{"size":0,"token":12}})", kJson));
  auto t = mode("wrong_type PMS token", [&] { return get_transient_token(client.get(), once.get()); });
  ASSERT_EQ(t.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(t);
  EXPECT_NE(message(t).find("field 'MediaContainer.token': expected string, got integer"), std::string::npos)
      << message(t);
  fake.add_fault(kResourcesPath, body_fault(200, R"({"MediaContainer":{"Device":"Living Room"}})", kJson));
  auto s = mode("wrong_type PMS Device", [&] { return get_source_info(client.get(), seed::kSource, once.get()); });
  ASSERT_EQ(s.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(s);
  EXPECT_NE(message(s).find("MediaContainer.Device"), std::string::npos) << message(s);
}

// Duplicate keys: the last occurrence wins, for every member, consistently
// (the getters and the re-serialised JSON agree).
TEST_F(Hostile, DuplicateKeysTakeTheLastValue) {
  Fault f;
  f.duplicate = R"({"username":"Second","id":475829302,"subscription":{"active":true,"status":"Active"}})";
  fake.add_fault(kUserPath, f);
  auto r = mode("duplicate_keys", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const std::string body = plexauth_response_body(plexauth_account_response(r.value.get()), nullptr);
  ASSERT_NE(body.find(R"("username":"Username")"), std::string::npos) << "the fake sent both";
  EXPECT_STREQ(plexauth_account_username(r.value.get()), "Second");
  int64_t id = 0;
  ASSERT_EQ(plexauth_account_id(r.value.get(), &id), 1);
  EXPECT_EQ(id, 475829302);
  int active = 0;
  ASSERT_EQ(plexauth_subscription_active(plexauth_account_subscription(r.value.get()), &active), 1);
  EXPECT_EQ(active, 1);
  const std::string json = plexauth_account_json(r.value.get(), nullptr);
  EXPECT_NE(json.find(R"("username":"Second")"), std::string::npos) << json;
  EXPECT_EQ(json.find(R"("username":"Username")"), std::string::npos) << json;
  expect_bounded(2000);

  Fault wrong;
  wrong.duplicate = R"({"id":"x"})";  // the last one is the one checked
  fake.add_fault(kUserPath, wrong);
  auto w = mode("duplicate_keys, last of wrong type", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(w.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(w);
  EXPECT_NE(message(w).find("field 'id': expected integer, got string"), std::string::npos) << message(w);
}

// ------------------------------------------------------------------ size

TEST_F(Hostile, A64MiBBodyHitsTheDefault8MiBCapWithBoundedMemory) {
  fake.add_fault(kUserPath, oversized(64 * kMiB));
  auto r = mode("body_64MiB", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_RESPONSE_TOO_LARGE) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_NE(message(r).find("limit of 8388608 bytes"), std::string::npos) << message(r);
  expect_bounded(5000);
}

TEST_F(Hostile, TheCapIsConfigurableAndExact) {
  auto capped = client_with_cap(fake, kMiB);
  fake.add_faults(kTokenPath, {oversized(kMiB), oversized(kMiB + 1)});
  auto at = mode("body_at_1MiB_cap", [&] { return get_transient_token(capped.get(), once.get()); });
  ASSERT_EQ(at.status, PLEXAUTH_OK) << describe(at);
  size_t len = 0;
  plexauth_response_body(plexauth_transient_token_response(at.value.get()), &len);
  EXPECT_EQ(len, kMiB);
  auto over = mode("body_1MiB+1_over_cap", [&] { return get_transient_token(capped.get(), once.get()); });
  ASSERT_EQ(over.status, PLEXAUTH_E_RESPONSE_TOO_LARGE) << describe(over);
  EXPECT_NE(message(over).find("limit of 1048576 bytes"), std::string::npos) << message(over);

  // The largest body the default cap admits: what an accepted answer may cost.
  fake.add_fault(kTokenPath, oversized(8 * kMiB));
  auto full = mode("body_at_default_8MiB_cap", [&] { return get_transient_token(client.get(), once.get()); });
  ASSERT_EQ(full.status, PLEXAUTH_OK) << describe(full);
  expect_bounded(5000, 48 * 1024);

  // A raised cap admits what the default refuses.
  auto raised = client_with_cap(fake, 16 * kMiB);
  fake.add_faults(kTokenPath, {oversized(10 * kMiB), oversized(10 * kMiB)});
  EXPECT_EQ(get_transient_token(raised.get(), once.get()).status, PLEXAUTH_OK);
  EXPECT_EQ(get_transient_token(client.get(), once.get()).status, PLEXAUTH_E_RESPONSE_TOO_LARGE);
}

TEST_F(Hostile, GzipIsDecodedTransparently) {
  Fault f;
  f.gzip = true;
  fake.add_fault(kUserPath, f);
  auto r = mode("gzip", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const plexauth_response *resp = plexauth_account_response(r.value.get());
  EXPECT_STREQ(plexauth_response_header(resp, "Content-Encoding"), "gzip");
  size_t len = 0;
  const char *body = plexauth_response_body(resp, &len);
  EXPECT_EQ(std::string(body, len), fake.user_body(seed::kEmailA)) << "the decoded bytes";
  EXPECT_STREQ(plexauth_account_auth_token(r.value.get()), seed::kTokenA);
  EXPECT_STREQ(plexauth_account_username(r.value.get()), seed::kUsernameA);
  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].header("Accept-Encoding").value_or("").find("gzip"), std::string::npos);
  expect_bounded(2000);
}

TEST_F(Hostile, AGzipBombIsCappedAfterDecompression) {
  fake.add_fault(kUserPath, oversized(uint64_t{1} << 30, true));  // 1 GiB decoded, ~1 MiB on the wire
  auto r = mode("gzip_bomb_1GiB", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_RESPONSE_TOO_LARGE) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_NE(message(r).find("limit of 8388608 bytes"), std::string::npos) << message(r);
  expect_bounded(5000, 24 * 1024);  // the 8 MiB body itself, plus one reallocation
}

// ------------------------------------------------------------------ delivery

TEST_F(Hostile, ASlowDripHitsTheTimeout) {
  Fault f;
  f.drip_ms = 100;  // ~2 KB at 10 bytes/s: minutes
  fake.add_fault(kUserPath, f);
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(once.get(), 1000), PLEXAUTH_OK);
  auto r = mode("slow_drip", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_TIMEOUT) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_GE(ms_, 900);
  expect_bounded(3000);
}

TEST_F(Hostile, AConnectionResetMidBodyIsATransportError) {
  Fault f;
  f.reset = true;
  fake.add_fault(kUserPath, f);
  auto r = mode("reset_mid_body", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_TRANSPORT) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_NE(message(r).find("reset"), std::string::npos) << message(r);
  expect_bounded(2000);

  // Connection errors are retried by default: the next attempt succeeds.
  fake.clear_log();
  fake.add_fault(kUserPath, f);
  auto retried = mode("reset_mid_body, retried", [&] { return get_token_details(client.get()); });
  ASSERT_EQ(retried.status, PLEXAUTH_OK) << describe(retried);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 2u);
}

TEST_F(Hostile, ContentLengthShorterThanTheBodyNeverPoisonsTheNextCall) {
  // The declared length ends after a complete JSON body; what follows is a
  // whole smuggled response. It must not become the answer to the next call.
  const std::string first = R"({"MediaContainer":{"size":0,"token":"first"}})";
  const std::string evil = R"({"MediaContainer":{"size":0,"token":"smuggled"}})";
  const std::string smuggled = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                               std::to_string(evil.size()) + "\r\n\r\n" + evil;
  Fault f = body_fault(200, first + smuggled, kJson);
  f.content_length = first.size();
  fake.add_fault(kTokenPath, f);
  auto r = mode("content_length_short (stray bytes)", [&] { return get_transient_token(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_transient_token_token(r.value.get()), "first");

  auto next = get_transient_token(client.get(), once.get());
  ASSERT_EQ(next.status, PLEXAUTH_OK) << describe(next);
  const std::string token = plexauth_transient_token_token(next.value.get());
  EXPECT_EQ(token.rfind("transient-", 0), 0u) << "the next answer came from the stray bytes: " << token;
  EXPECT_EQ(fake.requests_to(kTokenPath).size(), 2u);
  EXPECT_EQ(fake.connection_count(), 2u) << "the connection with stray bytes was reused";
  expect_bounded(2000);
}

TEST_F(Hostile, ContentLengthShorterThanTheJsonIsMalformed) {
  Fault f;
  f.content_length = 40;  // of a ~2 KB account
  fake.add_fault(kUserPath, f);
  auto r = mode("content_length_short (cut JSON)", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_EQ(get_token_details(client.get(), once.get()).status, PLEXAUTH_OK) << "the next call is clean";
  expect_bounded(2000);
}

TEST_F(Hostile, ContentLengthLongerThanTheBodyIsATransportError) {
  Fault f;
  f.content_length = fake.user_body(seed::kEmailA).size() + 100;
  fake.add_fault(kUserPath, f);
  auto r = mode("content_length_long", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_TRANSPORT) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_NE(message(r).find("partial"), std::string::npos) << message(r);
  expect_bounded(2000);
}

TEST_F(Hostile, AReplyThatIsNotHttpIsATransportError) {
  Fault f;
  f.raw = "SSH-2.0-OpenSSH_9.2\r\n";
  fake.add_fault(kUserPath, f);
  auto r = mode("not_http", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_TRANSPORT) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  expect_bounded(2000);
}

// A chunked body that ends, then trailer lines without end (64 MiB of them,
// more than the 5 s timeout lets through on the old code): libcurl passes
// each trailer to the header callback and bounds only each line's length,
// so the transfer must be cut at the library's header cap.
TEST_F(Hostile, ATrailerFloodIsCutAtTheHeaderCap) {
  Fault f;
  f.raw.emplace(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
      "2\r\n{}\r\n0\r\n");
  f.flood = "X-Trailer-Flood: " + std::string(100, 'a') + "\r\n";
  f.flood_bytes = 64 * kMiB;
  fake.add_fault(kUserPath, f);
  auto r = mode("trailer_flood", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_NE(message(r).find("response headers are too large"), std::string::npos) << message(r);
  EXPECT_NE(message(r).find("262144 bytes"), std::string::npos) << message(r);
  expect_bounded(2000, 4 * 1024);
  // The client is still usable (the aborted connection is not reused).
  auto ok = get_token_details(client.get(), once.get());
  EXPECT_EQ(ok.status, PLEXAUTH_OK) << describe(ok);
}

// Many header lines, each within libcurl's line limit, before any body.
TEST_F(Hostile, AHeaderFloodIsCutAtTheHeaderCap) {
  Fault f;
  f.raw.emplace("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
  f.flood = "X-Header-Flood: " + std::string(1000, 'b') + "\r\n";
  f.flood_bytes = 16 * kMiB;
  fake.add_fault(kUserPath, f);
  auto r = mode("header_flood", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  EXPECT_NE(message(r).find("response headers are too large"), std::string::npos) << message(r);
  expect_bounded(2000, 4 * 1024);
}

// One header line (or the status line) over libcurl's own 100 KiB line limit:
// libcurl reports CURLE_OUT_OF_MEMORY (CURLE_TOO_LARGE since 8.6.0), which is
// not an allocation failure.
TEST_F(Hostile, AnOverLongHeaderLineIsHeadersTooLargeNotOutOfMemory) {
  const std::string long_value(200 * 1024, 'c');
  for (const std::string &raw :
       {"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Long: " + long_value +
            "\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 200 " + long_value + "\r\nContent-Length: 2\r\n\r\n{}"}) {
    Fault f;
    f.raw = raw;
    fake.add_fault(kUserPath, f);
    auto r = mode("long_header_line", [&] { return get_token_details(client.get(), once.get()); });
    ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
    EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
    EXPECT_NE(message(r).find("response headers are too large"), std::string::npos) << message(r);
    expect_bounded(2000);
  }
}

// A \u0000 escape decodes to a NUL that every C caller would take for the
// end of the string (the title would read "a"): refused.
TEST_F(Hostile, AnEscapedNulInAStringIsMalformed) {
  Fault f;
  f.patch = R"({"title":"a\u0000b"})";
  fake.add_fault(kUserPath, f);
  auto r = mode("escaped_nul", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
  expect_single_attempt(r, 200);
  EXPECT_NE(message(r).find("\\u0000 escape"), std::string::npos) << message(r);
}

// A server controls parts of an error's message (a Location here): it is
// capped at 1 KiB, cut at a UTF-8 boundary.
TEST_F(Hostile, ErrorMessagesAreCappedAtAUtf8Boundary) {
  Fault f;
  f.status = 302;
  std::string location = fake.plex_tv_url() + "/x";
  while (location.size() < 50 * 1024) location += "\xc3\xa9";  // é
  f.location = location;
  fake.add_fault(kUserPath, f);
  auto r = mode("long_location", [&] { return get_token_details(client.get(), once.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  const std::string m = message(r);
  EXPECT_LE(m.size(), 1024u);
  EXPECT_GT(m.size(), 1000u);
  EXPECT_NE(m.find("Location: " + fake.plex_tv_url() + "/x\xc3\xa9"), std::string::npos);
  // Ends on a whole character: the last lead byte has all its continuation bytes.
  size_t lead = m.size() - 1;
  while (lead > 0 && (static_cast<unsigned char>(m[lead]) & 0xC0) == 0x80) --lead;
  const auto c = static_cast<unsigned char>(m[lead]);
  const size_t want = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  EXPECT_EQ(m.size() - lead, want);
}

// ------------------------------------------------------------------ redirects

// Policy (docs/design.md): redirects are never followed, so X-Plex-Token (and
// a sign-in's password) can never reach the Location's host.
TEST_F(Hostile, RedirectsAreNeverFollowed) {
  FakePlex target;
  for (int code : {301, 302, 303, 307, 308}) {
    Fault f;
    f.status = code;
    f.location = target.plex_tv_url() + "/user";
    fake.add_fault(kUserPath, f);
    // The client's own retry policy applies: a 3XX is not retried either.
    auto r = mode("redirect_" + std::to_string(code), [&] { return get_token_details(client.get()); });
    ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << code << ": " << describe(r);
    expect_single_attempt(r, code);
    EXPECT_NE(message(r).find("redirect not followed"), std::string::npos) << message(r);
    EXPECT_NE(message(r).find("Location: " + target.plex_tv_url() + "/user"), std::string::npos) << message(r);
    expect_bounded(2000);
  }
  Fault f;
  f.status = 307;
  f.location = target.plex_tv_url() + "/users/signin";
  fake.add_fault(kSignInPath, f);
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto s = mode("redirect_307 (sign-in)", [&] { return sign_in(client.get(), req.get()); });
  ASSERT_EQ(s.status, PLEXAUTH_E_HTTP) << describe(s);
  expect_single_attempt(s, 307);
  EXPECT_TRUE(target.requests().empty()) << "the Location's host was contacted";
  EXPECT_EQ(fake.requests().size(), 6u);
}

// ------------------------------------------------------------------ rate limits

Owned<plexauth_retry> retry_100ms_x2(unsigned max_attempts) {
  Owned<plexauth_retry> retry = fast_retry(max_attempts);
  EXPECT_EQ(plexauth_retry_set_initial_interval_ms(retry.get(), 100), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_retry_set_exponent(retry.get(), 2.0), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_retry_set_max_interval_ms(retry.get(), 1000), PLEXAUTH_OK);
  return retry;
}

TEST_F(Hostile, A429WithoutRetryAfterBacksOff) {
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), retry_100ms_x2(0).get()), PLEXAUTH_OK);
  fake.add_faults(kUserPath, {status_fault(429), status_fault(429)});
  auto r = mode("429_no_retry_after, then 200", [&] { return get_token_details(client.get(), opts.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 3u);
  EXPECT_GE(ms_, 100 + 200) << "the backoff waits (100 ms, then 200 ms, plus jitter)";
  expect_bounded(3000);

  fake.clear_log();
  auto capped = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(capped.get(), retry_100ms_x2(3).get()), PLEXAUTH_OK);
  fake.add_faults(kUserPath, {status_fault(429), status_fault(429), status_fault(429)});
  auto limited = mode("429_no_retry_after x3", [&] { return get_token_details(client.get(), capped.get()); });
  ASSERT_EQ(limited.status, PLEXAUTH_E_RATE_LIMITED) << describe(limited);
  EXPECT_EQ(plexauth_error_attempts(limited.error.get()), 3u);
  EXPECT_EQ(plexauth_error_http_status(limited.error.get()), 429);
  EXPECT_EQ(retry_after_ms(limited.error.get()), std::nullopt);
  EXPECT_EQ(fake.requests_to(kUserPath).size(), 3u);
  EXPECT_GE(ms_, 100 + 200);
  expect_bounded(3000);

  // Sign-in is never retried after a 4XX, 429 included.
  fake.add_fault(kSignInPath, status_fault(429));
  auto req = sign_in_request(seed::kEmailA, seed::kPasswordA);
  auto s = mode("429_no_retry_after (sign-in)", [&] { return sign_in(client.get(), req.get(), opts.get()); });
  ASSERT_EQ(s.status, PLEXAUTH_E_RATE_LIMITED) << describe(s);
  expect_single_attempt(s, 429);
}

TEST_F(Hostile, AnAbsurdRetryAfterEndsTheCallPromptly) {
  // The library's default policy: 5 minutes of retries at most.
  plexauth_retry *defaults = nullptr;
  ASSERT_EQ(plexauth_retry_new(&defaults), PLEXAUTH_OK);
  Owned<plexauth_retry> owned(defaults);
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), defaults), PLEXAUTH_OK);

  struct Case {
    const char *name;
    std::string retry_after;
    int status;
    plexauth_status expected;
    int64_t at_least_ms;
  };
  const std::vector<Case> cases = {
      {"retry_after_999999999s", "999999999", 429, PLEXAUTH_E_RATE_LIMITED, int64_t{999999999} * 1000},
      {"retry_after_overflowing", "99999999999999999999999", 429, PLEXAUTH_E_RATE_LIMITED, int64_t{1} << 53},
      {"retry_after_http_date_+10y", http_date_in(std::chrono::hours(24 * 3650)), 429, PLEXAUTH_E_RATE_LIMITED,
       int64_t{3649} * 24 * 3600 * 1000},
      {"retry_after_1_day (503)", "86400", 503, PLEXAUTH_E_HTTP, int64_t{86400} * 1000},
  };
  for (const Case &c : cases) {
    fake.add_fault(kUserPath, status_fault(c.status, c.retry_after));
    auto r = mode(c.name, [&] { return get_token_details(client.get(), opts.get()); });
    ASSERT_EQ(r.status, c.expected) << c.name << ": " << describe(r);
    expect_single_attempt(r, c.status);
    const auto reported = retry_after_ms(r.error.get());
    ASSERT_TRUE(reported.has_value()) << c.name;
    EXPECT_GE(*reported, c.at_least_ms) << c.name;
    expect_bounded(1000);
  }
}

// ------------------------------------------------------------------ unreachable servers, proxies

// A listening loopback socket that never answers: what a proxy sees.
struct Listener {
  int fd = -1;
  int port = 0;
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t n = sizeof a;
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr *>(&a), n), 0);
    EXPECT_EQ(listen(fd, 8), 0);
    getsockname(fd, reinterpret_cast<sockaddr *>(&a), &n);
    port = ntohs(a.sin_port);
  }
  ~Listener() { close(fd); }
  bool connected() const {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
  }
};

// A closed loopback port: the port of a listener that is gone.
int closed_port() {
  Listener l;
  return l.port;
}

// Connection refused: with the library's default policy (here capped at 20 s
// of retrying, not 5 minutes, so that the old code fails in bounded time) the
// call ends after 3 attempts, well within 3 s, and says so.
TEST_F(Hostile, ARefusedConnectionFailsFastWithAttemptsAndTimeInTheMessage) {
  auto cfg = fake_config(fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_plex_tv_url(cfg.get(), ("http://127.0.0.1:" + std::to_string(closed_port())).c_str()),
            PLEXAUTH_OK);
  plexauth_retry *raw = nullptr;
  ASSERT_EQ(plexauth_retry_new(&raw), PLEXAUTH_OK);
  Owned<plexauth_retry> policy(raw);
  ASSERT_EQ(plexauth_retry_set_max_elapsed_ms(policy.get(), 20000), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_retry(cfg.get(), policy.get()), PLEXAUTH_OK);
  auto c = new_client(cfg.get());
  auto r = mode("connection_refused", [&] { return get_token_details(c.get()); });
  ASSERT_EQ(r.status, PLEXAUTH_E_TRANSPORT) << describe(r);
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 3u) << describe(r);
  EXPECT_NE(message(r).find("(3 attempts in "), std::string::npos) << message(r);
  EXPECT_LT(ms_, 3000 * kSlow);
  EXPECT_GT(ms_, 400);  // it did back off between attempts
}

// Proxy variables: honoured by default (with a warning when the token would
// cross an http:// proxy in clear text), ignored with use_env_proxy = 0.
TEST_F(Hostile, ProxyEnvironmentCanBeIgnoredAndACleartextProxyIsWarnedAbout) {
  struct Env {
    std::vector<std::pair<std::string, std::string>> saved;
    void set(const char *name, const char *value) {
      if (const char *old = std::getenv(name)) saved.emplace_back(name, old);
      else saved.emplace_back(name, std::string(1, '\0'));
      if (value) setenv(name, value, 1);
      else unsetenv(name);
    }
    ~Env() {  // newest first, so that a variable set twice ends as it began
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        const auto &[name, value] = *it;
        if (value == std::string(1, '\0')) unsetenv(name.c_str());
        else setenv(name.c_str(), value.c_str(), 1);
      }
    }
  } env;
  Listener proxy;
  env.set("http_proxy", ("http://127.0.0.1:" + std::to_string(proxy.port)).c_str());
  for (const char *n : {"no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"}) env.set(n, nullptr);

  auto fast = no_retry();
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(fast.get(), 300), PLEXAUTH_OK);
  {
    auto cfg = fake_config(fake, seed::kTokenA);
    LogCapture log;
    log.attach(cfg.get(), PLEXAUTH_LOG_WARN);
    auto c = new_client(cfg.get());
    auto r = get_token_details(c.get(), fast.get());
    EXPECT_EQ(r.status, PLEXAUTH_E_TIMEOUT) << describe(r);  // the "proxy" never answers
    EXPECT_TRUE(proxy.connected());
    EXPECT_EQ(fake.requests().size(), 0u);
    EXPECT_TRUE(log.contains(PLEXAUTH_LOG_WARN, "clear text through the http:// proxy named by http_proxy"))
        << log.text();
    EXPECT_EQ(log.text().find(seed::kTokenA), std::string::npos);
  }
  {
    Listener unused;  // a fresh "proxy": nothing may connect to it
    env.set("http_proxy", ("http://127.0.0.1:" + std::to_string(unused.port)).c_str());
    auto cfg = fake_config(fake, seed::kTokenA);
    ASSERT_EQ(plexauth_config_set_use_env_proxy(cfg.get(), 0), PLEXAUTH_OK);
    LogCapture log;
    log.attach(cfg.get(), PLEXAUTH_LOG_WARN);
    auto c = new_client(cfg.get());
    auto r = get_token_details(c.get(), fast.get());
    EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
    EXPECT_FALSE(unused.connected());
    EXPECT_EQ(fake.requests_to(kUserPath).size(), 1u);
    EXPECT_FALSE(log.contains(PLEXAUTH_LOG_WARN, "proxy")) << log.text();
  }
}

}  // namespace
}  // namespace hostile
