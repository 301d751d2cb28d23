// Tests of the fake Plex server itself, with a plain HTTP client, so that the
// library's integration tests can trust what the fake says and records.
#include "fake_plex.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <thread>

namespace {

using plexauth_fake::Fault;
using plexauth_fake::FakePlex;
using plexauth_fake::PlexError;
namespace seed = plexauth_fake::seed;
using Clock = std::chrono::steady_clock;

constexpr char kJson[] = "application/json; charset=utf-8";
constexpr char kForm[] = "application/x-www-form-urlencoded";

rapidjson::Document parse(const std::string &body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  EXPECT_FALSE(d.HasParseError()) << body;
  return d;
}

long long ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

std::string first_error(const std::string &body) {
  auto d = parse(body);
  const auto &e = d["errors"][0];
  return std::to_string(e["code"].GetInt64()) + " " + e["message"].GetString() + " " +
         std::to_string(e["status"].GetInt());
}

class Fake : public ::testing::Test {
 protected:
  FakePlex fake;
  httplib::Client http{"127.0.0.1", fake.port()};

  void SetUp() override {
    http.set_decompress(false);  // we look at the bytes on the wire
    http.set_read_timeout(10, 0);
  }

  httplib::Result sign_in(const std::string &form, bool with_client_id = true) {
    httplib::Headers h;
    if (with_client_id) h.emplace("X-Plex-Client-Identifier", "fake-test");
    return http.Post("/api/v2/users/signin", h, form, kForm);
  }
  httplib::Result get(const std::string &path, const std::string &token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("X-Plex-Token", token);
    return http.Get(path.c_str(), h);
  }
};

// ------------------------------------------------------------------ plex.tv

TEST_F(Fake, SignInAnswers201WithTheFullAccount) {
  auto r = sign_in("login=username%40email.com&password=password123&rememberMe=false");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(r->body, fake.sign_in_body(seed::kEmailA));
  auto d = parse(r->body);
  EXPECT_STREQ(d["authToken"].GetString(), seed::kTokenA);
  EXPECT_EQ(d["id"].GetInt64(), seed::kIdA);
  EXPECT_TRUE(d["pastSubscriptions"].IsArray());
  EXPECT_EQ(d["pastSubscriptions"].Size(), 1u);
  EXPECT_TRUE(d["trials"].IsArray());
  EXPECT_TRUE(d["locale"].IsNull());
}

TEST_F(Fake, SignInAcceptsTheUserNameCaseInsensitively) {
  auto r = sign_in("login=username&password=password123&rememberMe=true");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
}

TEST_F(Fake, SignInWithoutClientIdentifierIs400Code1000) {
  auto r = sign_in("login=username%40email.com&password=password123", false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(first_error(r->body), "1000 X-Plex-Client-Identifier is missing 400");
}

TEST_F(Fake, SignInWithWrongPasswordIs401Code1001) {
  auto r = sign_in("login=username%40email.com&password=nope&rememberMe=false");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(first_error(r->body), "1001 User could not be authenticated 401");
}

TEST_F(Fake, TwoFactorAccountNeedsItsCode) {
  auto missing = sign_in("login=user12345%40example.com&password=hunter2-secret&rememberMe=false");
  auto wrong = sign_in("login=user12345&password=hunter2-secret&rememberMe=false&verificationCode=000000");
  auto right = sign_in("login=user12345&password=hunter2-secret&rememberMe=false&verificationCode=123456");
  ASSERT_TRUE(missing && wrong && right);
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(first_error(missing->body), "1029 Please enter the verification code 401");
  EXPECT_EQ(wrong->status, 401);
  EXPECT_EQ(first_error(wrong->body), "1029 Please enter the verification code 401");
  EXPECT_EQ(right->status, 201);
  auto d = parse(right->body);
  EXPECT_STREQ(d["authToken"].GetString(), seed::kTokenB);
  EXPECT_EQ(d["id"].GetInt64(), seed::kIdB);
  EXPECT_STREQ(d["uuid"].GetString(), seed::kUuidB);
  EXPECT_STREQ(d["country"].GetString(), "IT");
  EXPECT_TRUE(d["twoFactorEnabled"].GetBool());
}

TEST_F(Fake, UserAnswersTheAccountWithoutSignInOnlyMembers) {
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  auto d = parse(r->body);
  EXPECT_FALSE(d.HasMember("pastSubscriptions"));
  EXPECT_FALSE(d.HasMember("trials"));
  EXPECT_STREQ(d["email"].GetString(), seed::kEmailA);
  EXPECT_EQ(r->body, fake.user_body(seed::kUsernameA));
}

TEST_F(Fake, UserRejectsRevokedMissingAndUnknownTokens) {
  auto revoked = get("/api/v2/user", seed::kRevokedToken);
  auto missing = get("/api/v2/user", "");
  auto unknown = get("/api/v2/user", "nope");
  ASSERT_TRUE(revoked && missing && unknown);
  EXPECT_EQ(revoked->status, 422);
  EXPECT_EQ(first_error(revoked->body), "1001 Invalid token 422");
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(unknown->status, 401);
  EXPECT_EQ(first_error(unknown->body), "1001 User could not be authenticated 401");
}

TEST_F(Fake, AddedAccountsAndTokensWork) {
  fake.add_account({"new@example.com", "newbie", "pw", "", "newToken0000000000",
                    plexauth_fake::account_json(1, "0011223344556677", "newbie", "new@example.com", "DE",
                                                "newToken0000000000", false)});
  fake.add_token("secondTokenForA", seed::kEmailA);
  auto signed_in = sign_in("login=newbie&password=pw&rememberMe=false");
  auto second = get("/api/v2/user", "secondTokenForA");
  ASSERT_TRUE(signed_in && second);
  EXPECT_EQ(signed_in->status, 201);
  EXPECT_STREQ(parse(signed_in->body)["country"].GetString(), "DE");
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(parse(second->body)["id"].GetInt64(), seed::kIdA);
}

// ------------------------------------------------------------------ PMS

TEST_F(Fake, TransientTokenIsIssuedAndThenAccepted) {
  auto r = get("/security/token?type=delegation&scope=all", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto d = parse(r->body);
  EXPECT_EQ(d["MediaContainer"]["size"].GetInt(), 0);
  const std::string token = d["MediaContainer"]["token"].GetString();
  EXPECT_EQ(token.rfind("transient-", 0), 0u);
  EXPECT_EQ(token.size(), 10u + 32u);
  ASSERT_EQ(fake.transient_tokens().size(), 1u);
  EXPECT_EQ(fake.transient_tokens()[0], token);

  auto with_transient = get("/security/resources?source=server%3A%2F%2F3381b62b9ab74e37", token);
  ASSERT_TRUE(with_transient);
  EXPECT_EQ(with_transient->status, 200);
  // A transient token is for PMS only.
  auto user = get("/api/v2/user", token);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->status, 401);
}

TEST_F(Fake, TransientTokenNeedsTokenTypeAndScope) {
  auto no_token = get("/security/token?type=delegation&scope=all", "");
  auto bad_type = get("/security/token?type=other&scope=all", seed::kTokenA);
  ASSERT_TRUE(no_token && bad_type);
  EXPECT_EQ(no_token->status, 401);
  EXPECT_EQ(first_error(no_token->body), "1001 User could not be authenticated 401");
  EXPECT_EQ(bad_type->status, 400);
}

TEST_F(Fake, ResourcesDescribeTheKnownSource) {
  auto r = get("/security/resources?source=server%3A%2F%2F3381b62b9ab74e37", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto d = parse(r->body);
  EXPECT_EQ(d["MediaContainer"]["size"].GetInt(), 1);
  const auto &dev = d["MediaContainer"]["Device"];
  EXPECT_STREQ(dev["name"].GetString(), seed::kSourceName);
  EXPECT_STREQ(dev["clientIdentifier"].GetString(), seed::kSourceClientId);
  EXPECT_STREQ(dev["accessToken"].GetString(), seed::kSourceAccessToken);
  ASSERT_EQ(dev["Connection"].Size(), 2u);
  EXPECT_STREQ(dev["Connection"][0]["uri"].GetString(), "https://10.0.0.5:32400");
  EXPECT_TRUE(dev["Connection"][0]["local"].GetBool());
  EXPECT_TRUE(dev["Connection"][1]["relay"].GetBool());
}

TEST_F(Fake, ResourcesRejectUnknownAndMissingSources) {
  auto unknown = get("/security/resources?source=server%3A%2F%2Fnope", seed::kTokenA);
  auto missing = get("/security/resources", seed::kTokenA);
  auto no_token = get("/security/resources?source=server%3A%2F%2F3381b62b9ab74e37", "");
  ASSERT_TRUE(unknown && missing && no_token);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_TRUE(parse(unknown->body)["errors"].IsArray());
  EXPECT_EQ(missing->status, 400);
  EXPECT_EQ(parse(missing->body)["errors"][0]["code"].GetInt(), 1000);
  EXPECT_EQ(no_token->status, 401);
}

// ------------------------------------------------------------------ log and connections

TEST_F(Fake, RecordsRequestsAsSent) {
  http.set_keep_alive(true);
  httplib::Headers h{{"X-Plex-Client-Identifier", "fake-test"}, {"Accept", "application/json"}};
  ASSERT_TRUE(http.Post("/api/v2/users/signin", h, "login=a%26b&password=x", kForm));
  ASSERT_TRUE(get("/security/resources?source=server%3A%2F%2Fx%26y", seed::kTokenA));

  auto log = fake.requests();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].method, "POST");
  EXPECT_EQ(log[0].path, "/api/v2/users/signin");
  EXPECT_EQ(log[0].query, "");
  EXPECT_EQ(log[0].body, "login=a%26b&password=x");
  EXPECT_EQ(log[0].header("content-type"), kForm);
  EXPECT_EQ(log[0].header("ACCEPT"), "application/json");
  EXPECT_FALSE(log[0].header("X-Plex-Token"));
  EXPECT_FALSE(log[0].header("REMOTE_ADDR"));  // httplib's pseudo headers are not recorded
  EXPECT_EQ(log[1].method, "GET");
  EXPECT_EQ(log[1].query, "source=server%3A%2F%2Fx%26y");
  EXPECT_EQ(log[1].query_param("source"), "server://x&y");
  EXPECT_EQ(log[1].header("X-Plex-Token"), seed::kTokenA);
  EXPECT_GT(log[1].remote_port, 0);
  EXPECT_EQ(log[0].connection_id, log[1].connection_id);
  EXPECT_EQ(fake.requests_to("/security/resources").size(), 1u);
}

TEST_F(Fake, HundredKeepAliveRequestsUseOneConnection) {
  http.set_keep_alive(true);
  for (int i = 0; i < 100; ++i) {
    auto r = get("/api/v2/user", seed::kTokenA);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);
  }
  EXPECT_EQ(fake.requests().size(), 100u);
  EXPECT_EQ(fake.connection_count(), 1u);
}

TEST_F(Fake, SeparateConnectionsAreCountedSeparately) {
  for (int i = 0; i < 3; ++i) {
    httplib::Client other("127.0.0.1", fake.port());
    ASSERT_TRUE(other.Get("/api/v2/user"));
  }
  EXPECT_EQ(fake.connection_count(), 3u);
  fake.clear_log();
  EXPECT_EQ(fake.connection_count(), 0u);
}

// ------------------------------------------------------------------ faults

TEST_F(Fake, FaultsAreConsumedOnePerRequestInOrder) {
  Fault unavailable;
  unavailable.status = 503;
  unavailable.retry_after = "1";
  Fault limited;
  limited.status = 429;
  limited.retry_after = "Wed, 21 Oct 2015 07:28:00 GMT";
  limited.errors = {PlexError{1, "slow down", 429}};
  fake.add_faults("/api/v2/user", {unavailable, limited});
  EXPECT_EQ(fake.pending_faults("/api/v2/user"), 2u);

  auto first = get("/api/v2/user", seed::kTokenA);
  auto second = get("/api/v2/user", seed::kTokenA);
  auto third = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->status, 503);
  EXPECT_EQ(first->get_header_value("Retry-After"), "1");
  EXPECT_EQ(first->body, "");
  EXPECT_EQ(second->status, 429);
  EXPECT_EQ(second->get_header_value("Retry-After"), "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(second->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(first_error(second->body), "1 slow down 429");
  EXPECT_EQ(third->status, 200);
  EXPECT_EQ(fake.pending_faults("/api/v2/user"), 0u);
}

TEST_F(Fake, RawBodyFaultWithItsContentType) {
  Fault html;
  html.body = "<html><body>Welcome</body></html>";
  html.content_type = "text/html";
  fake.add_fault("/api/v2/user", html);
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html");
  EXPECT_EQ(r->body, *html.body);
}

TEST_F(Fake, StatusOnlyFaultKeepsTheNormalBodyOnSuccessStatuses) {
  Fault ok200;
  ok200.status = 200;
  fake.add_fault("/api/v2/users/signin", ok200);
  auto r = sign_in("login=username&password=password123&rememberMe=false");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, fake.sign_in_body(seed::kEmailA));
}

TEST_F(Fake, DelayHoldsTheAnswer) {
  Fault slow;
  slow.delay_ms = 300;
  fake.add_fault("/api/v2/user", slow);
  const auto start = Clock::now();
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_GE(ms_since(start), 290);
}

TEST_F(Fake, StopInterruptsADelay) {
  Fault slow;
  slow.delay_ms = 60000;
  fake.add_fault("/api/v2/user", slow);
  std::thread caller([&] { get("/api/v2/user", seed::kTokenA); });
  for (int i = 0; i < 500 && fake.requests().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const auto start = Clock::now();
  fake.stop();
  EXPECT_LT(ms_since(start), 2000);
  caller.join();
}

TEST_F(Fake, DropClosesTheConnectionMidBody) {
  Fault drop;
  drop.drop = true;
  fake.add_fault("/api/v2/user", drop);
  auto r = get("/api/v2/user", seed::kTokenA);
  EXPECT_FALSE(r);  // the client saw fewer bytes than Content-Length announced
  auto again = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(Fake, DripSendsOneByteAtATime) {
  Fault drip;
  drip.body = "0123456789";
  drip.drip_ms = 30;
  fake.add_fault("/api/v2/user", drip);
  const auto start = Clock::now();
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "0123456789");
  EXPECT_GE(ms_since(start), 9 * 30 - 10);
}

TEST_F(Fake, OversizedBodyIsValidJsonOfExactlyThatSize) {
  Fault big;
  big.oversized_bytes = 3 * 1024 * 1024 + 7;
  fake.add_fault("/api/v2/user", big);
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), big.oversized_bytes);
  EXPECT_EQ(r->get_header_value("Content-Length"), std::to_string(big.oversized_bytes));
  EXPECT_TRUE(parse(r->body)["pad"].IsString());
}

std::string gunzip(const std::string &data) {
  httplib::detail::gzip_decompressor gz;
  std::string out;
  EXPECT_TRUE(gz.decompress(data.data(), data.size(), [&](const char *d, size_t n) {
    out.append(d, n);
    return true;
  }));
  return out;
}

TEST_F(Fake, GzipEncodesTheNormalBody) {
  Fault gz;
  gz.gzip = true;
  fake.add_fault("/api/v2/user", gz);
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  EXPECT_LT(r->body.size(), fake.user_body(seed::kEmailA).size());
  EXPECT_EQ(gunzip(r->body), fake.user_body(seed::kEmailA));
}

TEST_F(Fake, GzipOversizedIsSmallOnTheWireAndHugeDecompressed) {
  Fault bomb;
  bomb.gzip = true;
  bomb.oversized_bytes = 20 * 1024 * 1024;
  fake.add_fault("/api/v2/user", bomb);
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_LT(r->body.size(), 1024u * 1024u);
  EXPECT_EQ(gunzip(r->body).size(), bomb.oversized_bytes);
}

TEST_F(Fake, MalformedBodies) {
  Fault truncated;
  truncated.truncated_json = true;
  Fault nested;
  nested.nested_depth = 5;
  Fault bad_utf8;
  bad_utf8.invalid_utf8 = true;
  fake.add_faults("/security/token", {truncated, nested, bad_utf8});
  auto t = get("/security/token?type=delegation&scope=all", seed::kTokenA);
  auto n = get("/security/token?type=delegation&scope=all", seed::kTokenA);
  auto u = get("/security/token?type=delegation&scope=all", seed::kTokenA);
  ASSERT_TRUE(t && n && u);
  EXPECT_EQ(t->status, 200);
  EXPECT_EQ(t->body.rfind("{\"MediaContainer\":{\"size\":0,", 0), 0u);
  const size_t full = std::string(R"({"MediaContainer":{"size":0,"token":"transient-)").size() + 32 + 3;
  EXPECT_EQ(t->body.size(), full / 2);
  EXPECT_EQ(n->body, R"({"nested":[[[[[]]]]]})");
  EXPECT_EQ(u->body.rfind("{\"MediaContainer\":{\"size\":0,\"token\":\"\xff" "transient-", 0), 0u);
}

TEST_F(Fake, PatchReplacesMembersInPlaceAndDuplicateRepeatsThem) {
  Fault patch;
  patch.patch = R"({"id":"13692262","subscription":[],"extra":true})";
  Fault duplicate;
  duplicate.duplicate = R"({"username":"Second","id":7})";
  fake.add_faults("/api/v2/user", {patch, duplicate});
  auto p = get("/api/v2/user", seed::kTokenA);
  auto d = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(p && d);
  EXPECT_EQ(p->status, 200);
  EXPECT_EQ(p->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(p->body.rfind(R"({"id":"13692262","uuid":"dae343c1f45beb4f",)", 0), 0u) << "replaced in place";
  EXPECT_NE(p->body.find(R"("subscription":[],)"), std::string::npos);
  EXPECT_EQ(p->body.substr(p->body.size() - 14), R"(,"extra":true})");
  const std::string normal = fake.user_body(seed::kEmailA);
  EXPECT_EQ(d->body, normal.substr(0, normal.size() - 1) + R"(,"username":"Second","id":7})");
  Fault not_an_object;
  not_an_object.patch = "[1]";
  EXPECT_THROW(fake.add_fault("/x", not_an_object), std::invalid_argument);
}

// A raw HTTP/1.1 exchange: sends `request`, reads until the peer closes or
// resets (or 5 s pass). Returns the bytes and the errno of the last read (0:
// orderly close).
struct RawReply {
  std::string bytes;
  int error = 0;
};
RawReply raw_exchange(int port, const std::string &request) {
  RawReply out;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 ||
      send(fd, request.data(), request.size(), 0) != static_cast<ssize_t>(request.size())) {
    out.error = errno;
    close(fd);
    return out;
  }
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      out.bytes.append(buf, static_cast<size_t>(n));
      continue;
    }
    out.error = n == 0 ? 0 : errno;
    break;
  }
  close(fd);
  return out;
}

std::string raw_get(const std::string &path) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Plex-Token: " + std::string(seed::kTokenA) +
         "\r\nConnection: close\r\n\r\n";
}

TEST_F(Fake, ContentLengthShorterThanTheBodyLeavesStrayBytes) {
  Fault f;
  f.body = R"({"MediaContainer":{"size":0}}STRAY)";
  f.content_length = 29;
  fake.add_fault("/security/token", f);
  const RawReply r = raw_exchange(fake.port(), raw_get("/security/token"));
  const auto head_end = r.bytes.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << r.bytes;
  EXPECT_NE(r.bytes.find("Content-Length: 29\r\n"), std::string::npos) << r.bytes;
  EXPECT_EQ(r.bytes.substr(head_end + 4), R"({"MediaContainer":{"size":0}}STRAY)");
}

TEST_F(Fake, ContentLengthLongerThanTheBodyClosesAfterIt) {
  Fault f;
  f.body = R"({"a":1})";
  f.content_length = 100;
  fake.add_fault("/security/token", f);
  const RawReply r = raw_exchange(fake.port(), raw_get("/security/token"));
  EXPECT_NE(r.bytes.find("Content-Length: 100\r\n"), std::string::npos) << r.bytes;
  EXPECT_EQ(r.bytes.substr(r.bytes.find("\r\n\r\n") + 4), R"({"a":1})");
  EXPECT_EQ(r.error, 0) << "an orderly close";
}

TEST_F(Fake, ResetAbortsTheConnectionMidBody) {
  Fault f;
  f.reset = true;
  fake.add_fault("/api/v2/user", f);
  const RawReply r = raw_exchange(fake.port(), raw_get("/api/v2/user"));
  EXPECT_EQ(r.error, ECONNRESET) << "got " << r.bytes.size() << " bytes";
  auto again = get("/api/v2/user", seed::kTokenA);  // the server goes on
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_F(Fake, LocationMakesARedirect) {
  Fault f;
  f.status = 302;
  f.location = "http://127.0.0.1:1/elsewhere";
  fake.add_fault("/api/v2/user", f);
  auto r = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302);
  EXPECT_EQ(r->get_header_value("Location"), "http://127.0.0.1:1/elsewhere");
  EXPECT_EQ(r->body, "");
}

TEST_F(Fake, RawWritesBytesInsteadOfHttp) {
  Fault f;
  f.raw = "SSH-2.0-OpenSSH_9.2\r\n";
  fake.add_fault("/api/v2/user", f);
  const RawReply r = raw_exchange(fake.port(), raw_get("/api/v2/user"));
  EXPECT_EQ(r.bytes, "SSH-2.0-OpenSSH_9.2\r\n");
  auto again = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST(FakeTls, ServesHttpsWithItsOwnCertificate) {
  plexauth_fake::Options options;
  options.tls = true;
  FakePlex tls(options);
  EXPECT_EQ(tls.base_url(), "https://127.0.0.1:" + std::to_string(tls.port()));
  const std::string pem = tls.certificate_pem();
  ASSERT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  char path[] = "/tmp/plexauth-fake-ca-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, pem.data(), pem.size()), static_cast<ssize_t>(pem.size()));
  close(fd);
  {
    httplib::SSLClient trusting("127.0.0.1", tls.port());
    trusting.set_ca_cert_path(path);
    trusting.enable_server_certificate_verification(true);
    auto r = trusting.Get("/api/v2/user", httplib::Headers{{"X-Plex-Token", seed::kTokenA}});
    ASSERT_TRUE(r) << httplib::to_string(r.error());
    EXPECT_EQ(r->status, 200);
  }
  unlink(path);
  httplib::SSLClient strict("127.0.0.1", tls.port());
  strict.enable_server_certificate_verification(true);  // system CAs only
  EXPECT_FALSE(strict.Get("/api/v2/user"));
  EXPECT_EQ(FakePlex().certificate_pem(), "");
}

// ------------------------------------------------------------------ control API

TEST_F(Fake, ControlApiQueuesFaultsAndReportsTheLog) {
  auto queued = http.Post("/_fake/faults",
                          R"({"path":"/api/v2/user","faults":[{"status":503,"retry_after":"1"},)"
                          R"({"status":200,"body":"<html>","content_type":"text/html"},{"delay_ms":10},)"
                          R"({"drop":true},{"errors":[{"code":1001,"message":"m","status":401}],"status":401}]})",
                          "application/json");
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->status, 200);
  EXPECT_EQ(queued->body, R"({"queued":5})");
  EXPECT_EQ(fake.pending_faults("/api/v2/user"), 5u);

  auto r = get("/api/v2/user?x=1", seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);

  auto log = http.Get("/_fake/requests");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->get_header_value("Content-Type"), kJson);
  auto d = parse(log->body);
  ASSERT_TRUE(d.IsArray());
  ASSERT_EQ(d.Size(), 1u);  // control requests are not recorded
  EXPECT_STREQ(d[0]["method"].GetString(), "GET");
  EXPECT_STREQ(d[0]["path"].GetString(), "/api/v2/user");
  EXPECT_STREQ(d[0]["query"].GetString(), "x=1");
  EXPECT_STREQ(d[0]["headers"]["X-Plex-Token"].GetString(), seed::kTokenA);
  EXPECT_STREQ(d[0]["body"].GetString(), "");
  EXPECT_GT(d[0]["remote_port"].GetInt(), 0);
  EXPECT_GT(d[0]["connection_id"].GetUint64(), 0u);

  auto connections = http.Get("/_fake/connections");
  ASSERT_TRUE(connections);
  EXPECT_EQ(connections->body, R"({"count":1})");

  auto reset = http.Post("/_fake/reset", "", "application/json");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_EQ(fake.pending_faults("/api/v2/user"), 0u);
  EXPECT_TRUE(fake.requests().empty());
  EXPECT_EQ(http.Get("/_fake/connections")->body, R"({"count":0})");
}

TEST_F(Fake, ControlApiRejectsBadFaults) {
  for (const char *body : {R"({"path":"/x","faults":[{"stauts":500}]})", R"({"faults":[]})",
                           R"({"path":"/x","faults":[{"drop":"yes"}]})", "not json",
                           R"({"path":"/x","faults":[{"patch":"x"}]})", R"({"path":"/x","faults":[{"content_length":0}]})",
                           R"({"path":"/x","faults":[{"reset":1}]})", R"({"path":"/x","faults":[{"location":3}]})",
                           R"({"path":"/x","faults":[{"raw":false}]})"}) {
    auto r = http.Post("/_fake/faults", body, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << body;
    EXPECT_TRUE(parse(r->body)["error"].IsString());
  }
  EXPECT_EQ(fake.pending_faults("/x"), 0u);
}

TEST_F(Fake, ControlApiTakesTheHostileModes) {
  auto queued = http.Post("/_fake/faults",
                          R"({"path":"/api/v2/user","faults":[{"patch":{"id":"x"}},{"duplicate":{"id":2}},)"
                          R"({"reset":true},{"content_length":5},{"status":307,"location":"http://127.0.0.1:1/"}]})",
                          "application/json");
  ASSERT_TRUE(queued);
  EXPECT_EQ(queued->body, R"({"queued":5})");
  auto patched = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(patched);
  EXPECT_EQ(patched->body.rfind(R"({"id":"x",)", 0), 0u);
  auto duplicated = get("/api/v2/user", seed::kTokenA);
  ASSERT_TRUE(duplicated);
  EXPECT_EQ(duplicated->body.substr(duplicated->body.size() - 8), R"(,"id":2})");
}

TEST_F(Fake, ResetRestoresTheSeededState) {
  fake.revoke_token(seed::kTokenA);
  ASSERT_EQ(get("/api/v2/user", seed::kTokenA)->status, 422);
  fake.reset();
  EXPECT_EQ(get("/api/v2/user", seed::kTokenA)->status, 200);
}

// ------------------------------------------------------------------ PINs, sign-out, Home

class FakePins : public Fake {
 protected:
  httplib::Result create(const std::string &client_id, const std::string &query = "",
                         const std::string &product = "Fake Test") {
    httplib::Headers h;
    if (!client_id.empty()) h.emplace("X-Plex-Client-Identifier", client_id);
    if (!product.empty()) h.emplace("X-Plex-Product", product);
    return http.Post(("/api/v2/pins" + query).c_str(), h, "", "");
  }
  httplib::Result poll(int64_t id, const std::string &client_id) {
    httplib::Headers h{{"X-Plex-Client-Identifier", client_id}};
    return http.Get(("/api/v2/pins/" + std::to_string(id)).c_str(), h);
  }
  httplib::Result link(const std::string &code, const std::string &token) {
    httplib::Headers h{{"X-Plex-Client-Identifier", "linker"}};
    if (!token.empty()) h.emplace("X-Plex-Token", token);
    return http.Put("/api/v2/pins/link", h, "code=" + code, kForm);
  }
  httplib::Result switch_to(const std::string &user, const std::string &token, const std::string &query = "") {
    httplib::Headers h{{"X-Plex-Client-Identifier", "switcher"}, {"X-Plex-Token", token}};
    return http.Post(("/api/v2/home/users/" + user + "/switch" + query).c_str(), h, "", "");
  }
  static int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  static int64_t parse_time(const std::string &rfc3339) {
    std::tm tm{};
    EXPECT_NE(strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm), nullptr) << rfc3339;
    return static_cast<int64_t>(timegm(&tm));
  }
};

TEST_F(FakePins, CreateAnswers201WithAFourCharacterPin) {
  const int64_t before = unix_now();
  auto r = create("client-1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  auto d = parse(r->body);
  EXPECT_GT(d["id"].GetInt64(), seed::kPinId);
  const std::string code = d["code"].GetString();
  ASSERT_EQ(code.size(), 4u);
  for (char c : code) EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) << code;
  EXPECT_STREQ(d["product"].GetString(), "Fake Test");
  EXPECT_FALSE(d["trusted"].GetBool());
  EXPECT_EQ(d["qr"].GetString(), "https://plex.tv/api/v2/pins/qr/" + code);
  EXPECT_STREQ(d["clientIdentifier"].GetString(), "client-1");
  EXPECT_EQ(d["expiresIn"].GetInt(), 900);
  const int64_t created = parse_time(d["createdAt"].GetString());
  EXPECT_GE(created, before);
  EXPECT_LE(created, unix_now());
  EXPECT_EQ(parse_time(d["expiresAt"].GetString()), created + 900);
  EXPECT_TRUE(d["authToken"].IsNull());
  EXPECT_TRUE(d["newRegistration"].IsNull());
  EXPECT_TRUE(d["location"].IsObject());
  EXPECT_STREQ(d["location"]["time_zone"].GetString(), "Etc/UTC");
  EXPECT_EQ(fake.pin_code(d["id"].GetInt64()), code);
}

TEST_F(FakePins, StrongPinsHaveALongLowercaseCodeAndLiveLonger) {
  for (const char *query : {"?strong=true", "?strong=True"}) {
    auto r = create("client-1", query, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 201);
    auto d = parse(r->body);
    const std::string code = d["code"].GetString();
    ASSERT_EQ(code.size(), 25u);
    for (char c : code) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) << code;
    EXPECT_EQ(d["expiresIn"].GetInt(), 1800);
    EXPECT_TRUE(d["product"].IsNull());  // no X-Plex-Product sent
  }
}

TEST_F(FakePins, IdsIncrease) {
  auto a = parse(create("c")->body);
  auto b = parse(create("c")->body);
  EXPECT_EQ(b["id"].GetInt64(), a["id"].GetInt64() + 1);
}

TEST_F(FakePins, CreateAndPollNeedTheClientIdentifier) {
  auto r = create("");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(first_error(r->body), "1000 X-Plex-Client-Identifier is missing 400");
  auto p = http.Get("/api/v2/pins/1000001");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 400);
}

TEST_F(FakePins, PollAnswersThePinUntilApprovedThenTheToken) {
  auto d = parse(create("client-1")->body);
  const int64_t id = d["id"].GetInt64();
  auto pending = poll(id, "client-1");
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->status, 200);
  EXPECT_TRUE(parse(pending->body)["authToken"].IsNull());
  fake.approve_pin(id, seed::kEmailA);
  auto approved = parse(poll(id, "client-1")->body);
  EXPECT_STREQ(approved["authToken"].GetString(), seed::kTokenA);
  EXPECT_FALSE(approved["newRegistration"].GetBool());
}

TEST_F(FakePins, PollIs404ForUnknownForeignAndExpiredPins) {
  const int64_t id = parse(create("client-1")->body)["id"].GetInt64();
  for (int i = 0; i < 3; ++i) {
    auto r = i == 0 ? poll(id + 100, "client-1") : i == 1 ? poll(id, "client-2") : poll(-1, "client-1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404);
    EXPECT_EQ(first_error(r->body), "1020 Code not found or expired 404");
  }
  fake.expire_pin(id);
  EXPECT_EQ(poll(id, "client-1")->status, 404);
  // Expiry by time, on the fake's clock.
  const int64_t later = parse(create("client-1")->body)["id"].GetInt64();
  fake.advance_clock(std::chrono::seconds(899));
  EXPECT_EQ(poll(later, "client-1")->status, 200);
  fake.advance_clock(std::chrono::seconds(1));
  EXPECT_EQ(poll(later, "client-1")->status, 404);
  EXPECT_THROW(fake.expire_pin(42), std::invalid_argument);
  EXPECT_THROW(fake.approve_pin(later, "nobody"), std::invalid_argument);
}

TEST_F(FakePins, TheSeededPinBelongsToTheTestClient) {
  auto r = poll(seed::kPinId, seed::kPinClientId);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto d = parse(r->body);
  EXPECT_STREQ(d["code"].GetString(), seed::kPinCode);
  EXPECT_GT(parse_time(d["expiresAt"].GetString()), unix_now() + 365 * 24 * 3600);
}

TEST_F(FakePins, CreationIsLimitedPerClientIdentifier) {
  fake.set_pin_limit(2, "1");
  EXPECT_EQ(create("a")->status, 201);
  EXPECT_EQ(create("a")->status, 201);
  auto limited = create("a");
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "1");
  EXPECT_EQ(create("b")->status, 201);  // another identifier has its own count
  fake.advance_clock(std::chrono::seconds(1));  // the window has passed
  EXPECT_EQ(create("a")->status, 201);
  fake.set_pin_limit(std::nullopt);
  EXPECT_EQ(create("a")->status, 201);
  // Over HTTP, without Retry-After: the limit stays.
  auto set = http.Post("/_fake/pins/limit", R"({"per_client":0})", "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  auto none = create("c");
  EXPECT_EQ(none->status, 429);
  EXPECT_FALSE(none->has_header("Retry-After"));
  fake.advance_clock(std::chrono::seconds(3600));
  EXPECT_EQ(create("c")->status, 429);
  fake.reset();
  EXPECT_EQ(create("c")->status, 201);
}

TEST_F(FakePins, ControlApiApprovesAndExpires) {
  const int64_t id = parse(create("client-1")->body)["id"].GetInt64();
  const std::string approve = R"({"id":)" + std::to_string(id) + R"(,"login":"user12345@example.com"})";
  auto ok = http.Post("/_fake/pins/approve", approve, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_STREQ(parse(poll(id, "client-1")->body)["authToken"].GetString(), seed::kTokenB);
  auto expire = http.Post("/_fake/pins/expire", R"({"id":)" + std::to_string(id) + "}", "application/json");
  ASSERT_TRUE(expire);
  EXPECT_EQ(expire->status, 200);
  EXPECT_EQ(poll(id, "client-1")->status, 404);
  EXPECT_EQ(http.Post("/_fake/pins/expire", R"({"id":7})", "application/json")->status, 404);
  EXPECT_EQ(http.Post("/_fake/pins/approve", R"({"id":"x"})", "application/json")->status, 400);
  EXPECT_EQ(http.Post("/_fake/pins/limit", R"({"per_client":-1})", "application/json")->status, 400);
  auto clock = http.Post("/_fake/clock", R"({"advance_s":60})", "application/json");
  ASSERT_TRUE(clock);
  EXPECT_EQ(clock->status, 200);
  EXPECT_TRUE(fake.requests_to("/_fake/pins/approve").empty());
}

TEST_F(FakePins, LinkApprovesALivePinForTheTokensAccount) {
  auto d = parse(create("tv")->body);
  const int64_t id = d["id"].GetInt64();
  std::string code = d["code"].GetString();
  for (char &c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto r = link(code, seed::kTokenB);  // case-insensitive
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_TRUE(r->body.empty());
  EXPECT_STREQ(parse(poll(id, "tv")->body)["authToken"].GetString(), seed::kTokenB);
  EXPECT_EQ(link("ZZZZ", seed::kTokenB)->status, 404);
  EXPECT_EQ(first_error(link("ZZZZ", seed::kTokenB)->body), "1020 Code not found or expired 404");
  EXPECT_EQ(link(code, "nope")->status, 401);
  fake.expire_pin(id);
  EXPECT_EQ(link(code, seed::kTokenB)->status, 404);
}

TEST_F(FakePins, SignOutRevokesTheTokenUntilReset) {
  httplib::Headers h{{"X-Plex-Client-Identifier", "c"}, {"X-Plex-Token", seed::kTokenA}};
  auto r = http.Delete("/api/v2/users/signout", h);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(fake.is_valid_token(seed::kTokenA));
  EXPECT_EQ(get("/api/v2/ping", seed::kTokenA)->status, 401);
  EXPECT_EQ(get("/api/v2/user", seed::kTokenA)->status, 401);
  EXPECT_EQ(http.Delete("/api/v2/users/signout", h)->status, 401);
  EXPECT_EQ(get("/api/v2/user", seed::kTokenB)->status, 200);
  fake.reset();
  EXPECT_EQ(get("/api/v2/ping", seed::kTokenA)->status, 200);
}

TEST_F(FakePins, HomeSwitchNeedsTheProtectedUsersPin) {
  for (const char *query : {"", "?pin=", "?pin=0000"}) {
    auto r = switch_to(seed::kHomeProtectedUuid, seed::kTokenA, query);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << query;
    EXPECT_EQ(first_error(r->body), "1041 A valid PIN is required to perform this action 403");
  }
  auto r = switch_to(seed::kHomeProtectedUuid, seed::kTokenA, "?pin=1234");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  auto d = parse(r->body);
  const std::string token = d["authToken"].GetString();
  EXPECT_NE(token, seed::kTokenA);
  EXPECT_STREQ(d["uuid"].GetString(), seed::kHomeProtectedUuid);
  EXPECT_EQ(d["id"].GetInt64(), seed::kHomeProtectedId);
  EXPECT_STREQ(d["username"].GetString(), seed::kHomeProtectedUsername);
  for (const char *member : {"title", "email", "friendlyName"}) EXPECT_TRUE(d[member].IsString()) << member;
  EXPECT_TRUE(d["protected"].GetBool());
  EXPECT_FALSE(d["hasPassword"].GetBool());
  EXPECT_TRUE(d["joinedAt"].IsInt64());
  EXPECT_FALSE(d["twoFactorEnabled"].GetBool());
  // The new token works for /user (which answers it) and ping.
  auto user = get("/api/v2/user", token);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->status, 200);
  EXPECT_EQ(parse(user->body)["authToken"].GetString(), token);
  EXPECT_EQ(get("/api/v2/ping", token)->status, 200);
}

TEST_F(FakePins, HomeSwitchToAnOpenUserByUuidOrId) {
  auto by_uuid = switch_to(seed::kHomeOpenUuid, seed::kTokenA);
  auto by_id = switch_to(std::to_string(seed::kHomeOpenId), seed::kTokenA);
  ASSERT_TRUE(by_uuid && by_id);
  EXPECT_EQ(by_uuid->status, 201);
  EXPECT_EQ(by_id->status, 201);
  EXPECT_NE(parse(by_uuid->body)["authToken"].GetString(), std::string(parse(by_id->body)["authToken"].GetString()));
  EXPECT_FALSE(parse(by_uuid->body)["protected"].GetBool());
  EXPECT_EQ(switch_to("nobody", seed::kTokenA)->status, 404);
  EXPECT_EQ(switch_to(seed::kHomeOpenUuid, seed::kTokenB)->status, 404);  // B has no Home
  EXPECT_EQ(switch_to(seed::kHomeOpenUuid, "nope")->status, 401);
  // Home users cannot sign in with a password.
  EXPECT_EQ(sign_in(std::string("login=") + seed::kHomeOpenUsername + "&password=")->status, 401);
}

// ------------------------------------------------------------------ resources, /identity, topology

constexpr char kAllFlags[] = "/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1";

// The members plex.tv answers for each device (plex-auth-wave2.md 3.2).
void expect_device_shape(const rapidjson::Value &d) {
  ASSERT_TRUE(d.IsObject());
  for (const char *k : {"name", "product", "productVersion", "platform", "platformVersion", "device",
                        "clientIdentifier", "createdAt", "lastSeenAt", "provides", "publicAddress"}) {
    ASSERT_TRUE(d.HasMember(k) && d[k].IsString()) << k;
  }
  for (const char *k : {"owned", "home", "synced", "relay", "presence", "httpsRequired", "publicAddressMatches",
                        "dnsRebindingProtection", "natLoopbackSupported"}) {
    ASSERT_TRUE(d.HasMember(k) && d[k].IsBool()) << k;
  }
  ASSERT_TRUE(d.HasMember("ownerId") && (d["ownerId"].IsNull() || d["ownerId"].IsInt64()));
  ASSERT_TRUE(d.HasMember("sourceTitle") && (d["sourceTitle"].IsNull() || d["sourceTitle"].IsString()));
  ASSERT_TRUE(d.HasMember("accessToken") && (d["accessToken"].IsNull() || d["accessToken"].IsString()));
  std::tm tm{};
  EXPECT_NE(strptime(d["createdAt"].GetString(), "%Y-%m-%dT%H:%M:%SZ", &tm), nullptr);
  EXPECT_NE(strptime(d["lastSeenAt"].GetString(), "%Y-%m-%dT%H:%M:%SZ", &tm), nullptr);
  ASSERT_TRUE(d.HasMember("connections") && d["connections"].IsArray());
  for (const auto &c : d["connections"].GetArray()) {
    for (const char *k : {"protocol", "address", "uri"}) ASSERT_TRUE(c.HasMember(k) && c[k].IsString()) << k;
    ASSERT_TRUE(c.HasMember("port") && c["port"].IsInt());
    for (const char *k : {"local", "relay", "IPv6"}) ASSERT_TRUE(c.HasMember(k) && c[k].IsBool()) << k;
  }
}

std::string plex_direct_host() { return std::string("127-0-0-1.") + seed::kPlexDirectHash + ".plex.direct"; }

TEST_F(Fake, ResourcesAnswerAccountAsDevices) {
  auto r = get(kAllFlags, seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  auto d = parse(r->body);
  ASSERT_TRUE(d.IsArray());
  ASSERT_EQ(d.Size(), 3u);
  for (const auto &dev : d.GetArray()) expect_device_shape(dev);

  const auto &own = d[0];
  EXPECT_STREQ(own["name"].GetString(), seed::kSourceName);
  EXPECT_STREQ(own["clientIdentifier"].GetString(), seed::kSourceClientId);
  EXPECT_STREQ(own["accessToken"].GetString(), seed::kSourceAccessToken);
  EXPECT_STREQ(own["provides"].GetString(), "server");
  EXPECT_TRUE(own["owned"].GetBool());
  EXPECT_TRUE(own["ownerId"].IsNull());
  const auto &conns = own["connections"];
  ASSERT_EQ(conns.Size(), 2u);
  EXPECT_EQ(conns[0]["uri"].GetString(), fake.base_url());
  EXPECT_STREQ(conns[0]["protocol"].GetString(), "http");
  EXPECT_STREQ(conns[0]["address"].GetString(), "127.0.0.1");
  EXPECT_EQ(conns[0]["port"].GetInt(), fake.port());
  EXPECT_TRUE(conns[0]["local"].GetBool());
  EXPECT_EQ(conns[1]["uri"].GetString(), "https://" + plex_direct_host() + ":" + std::to_string(fake.port()));
  EXPECT_STREQ(conns[1]["protocol"].GetString(), "https");
  EXPECT_FALSE(conns[1]["local"].GetBool());
  EXPECT_FALSE(conns[1]["relay"].GetBool());

  const auto &shared = d[1];
  EXPECT_STREQ(shared["name"].GetString(), seed::kSharedServerName);
  EXPECT_STREQ(shared["clientIdentifier"].GetString(), seed::kSharedServerClientId);
  EXPECT_FALSE(shared["owned"].GetBool());
  EXPECT_EQ(shared["ownerId"].GetInt64(), seed::kSharedOwnerId);
  EXPECT_STREQ(shared["sourceTitle"].GetString(), seed::kSharedOwnerTitle);
  EXPECT_TRUE(shared["accessToken"].IsNull());
  EXPECT_EQ(shared["connections"].Size(), 3u);

  const auto &player = d[2];
  EXPECT_STREQ(player["name"].GetString(), seed::kPlayerName);
  EXPECT_STREQ(player["provides"].GetString(), "client,player");
  // Every connection of the seed stays on loopback.
  for (const auto &dev : d.GetArray()) {
    for (const auto &c : dev["connections"].GetArray()) {
      const std::string address = c["address"].GetString();
      EXPECT_TRUE(address == "127.0.0.1" || address == "::1") << address;
    }
  }
}

TEST_F(Fake, ResourcesLeaveOutWhatTheFlagsDoNotInclude) {
  auto count = [&](const std::string &query, size_t device) {
    auto r = get("/api/v2/resources" + query, seed::kTokenA);
    EXPECT_TRUE(r && r->status == 200);
    return parse(r->body)[static_cast<rapidjson::SizeType>(device)]["connections"].Size();
  };
  // Living Room: local http + remote https. Shared: http, relay https, IPv6 http.
  EXPECT_EQ(count("", 0), 1u);
  EXPECT_EQ(count("", 1), 1u);
  EXPECT_EQ(count("?includeHttps=1", 0), 2u);
  EXPECT_EQ(count("?includeHttps=1", 1), 1u);  // the relay one is https and relay
  EXPECT_EQ(count("?includeRelay=1", 1), 1u);
  EXPECT_EQ(count("?includeRelay=1&includeHttps=1", 1), 2u);
  EXPECT_EQ(count("?includeIPv6=1", 1), 2u);
  EXPECT_EQ(count("?includeHttps=0&includeRelay=0&includeIPv6=0", 1), 1u);
  EXPECT_EQ(count("?includeHttps=1&includeRelay=1&includeIPv6=1", 1), 3u);
  auto r = get("/api/v2/resources?includeIPv6=1", seed::kTokenA);
  const auto d = parse(r->body);
  EXPECT_TRUE(d[1]["connections"][1]["IPv6"].GetBool());
  EXPECT_STREQ(d[1]["connections"][1]["uri"].GetString(), "http://[::1]:1");
}

TEST_F(Fake, ResourcesNeedAnAccountToken) {
  for (const char *token : {"", "nope", seed::kSourceAccessToken}) {
    auto r = get(kAllFlags, token);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << token;
    EXPECT_EQ(first_error(r->body), "1001 User could not be authenticated 401");
  }
  auto b = get(kAllFlags, seed::kTokenB);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->status, 200);
  EXPECT_EQ(b->body, "[]");
}

TEST_F(Fake, IdentityAnswersJsonOrXmlWithoutAToken) {
  auto json = http.Get("/identity", httplib::Headers{{"Accept", "application/json"}});
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 200);
  EXPECT_EQ(json->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(json->body, std::string(R"({"MediaContainer":{"size":0,"claimed":true,"machineIdentifier":")") +
                            seed::kSourceClientId + R"(","version":"1.41.3.9314-a0bfb8370"}})");
  auto xml = http.Get("/identity");
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->status, 200);
  EXPECT_EQ(xml->get_header_value("Content-Type").rfind("text/xml", 0), 0u);
  EXPECT_NE(xml->body.find(std::string(R"(<MediaContainer size="0" claimed="1" machineIdentifier=")") +
                           seed::kSourceClientId + R"(" version="1.41.3.9314-a0bfb8370"/>)"),
            std::string::npos)
      << xml->body;
  EXPECT_EQ(fake.requests_to("/identity").size(), 2u);
}

TEST_F(Fake, RootNeedsATokenTheServerAccepts) {
  auto none = http.Get("/");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  auto xml = get("/", seed::kSourceAccessToken);
  ASSERT_TRUE(xml);
  EXPECT_EQ(xml->status, 200);
  EXPECT_NE(xml->body.find(std::string("machineIdentifier=\"") + seed::kSourceClientId + "\""), std::string::npos);
  EXPECT_NE(xml->body.find("friendlyName=\"Living Room\""), std::string::npos);
  EXPECT_NE(xml->body.find("version=\"1.41.3.9314-a0bfb8370\""), std::string::npos);
  auto json = http.Get("/", httplib::Headers{{"Accept", "application/json"}, {"X-Plex-Token", seed::kTokenA}});
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 200);
  auto d = parse(json->body);
  EXPECT_STREQ(d["MediaContainer"]["machineIdentifier"].GetString(), seed::kSourceClientId);
  EXPECT_STREQ(d["MediaContainer"]["friendlyName"].GetString(), seed::kSourceName);
}

// 0 when a TCP connection to 127.0.0.1:port is established, else errno.
int tcp_connect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return errno;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // bounds connect()
  const int rc = connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a);
  const int err = rc == 0 ? 0 : errno;
  close(fd);
  return err;
}

constexpr char kOfficeId[] = "0ff1ce000000000000000000000000aa";

// The brief's example: one server, one connection per behaviour.
const std::string kOffice = std::string(R"({"servers":[{"name":"Office","clientIdentifier":")") + kOfficeId +
                            R"(","owned":true,"accessToken":"officeTok123","connections":[)"
                            R"({"behaviour":"blackhole","local":true},)"
                            R"({"behaviour":"refuse","protocol":"https"},)"
                            R"({"behaviour":"wrong_id"},)"
                            R"({"behaviour":"ok","relay":true,"delay_ms":30},)"
                            R"({"behaviour":"ok","protocol":"https","plex_direct":true},)"
                            R"({"behaviour":"unauthorized","IPv6":true}]}]})";

class FakeTopology : public Fake {
 protected:
  rapidjson::Document topology;
  std::string answer;
  void SetUp() override {
    Fake::SetUp();
    answer = fake.set_topology(kOffice);
    topology = parse(answer);
    ASSERT_TRUE(topology.IsArray());
    ASSERT_EQ(topology.Size(), 1u);
    ASSERT_EQ(topology[0]["connections"].Size(), 6u);
  }
  int port_of(unsigned i) const { return topology[0]["connections"][i]["port"].GetInt(); }
  // A probe as the library sends it.
  httplib::Result probe(unsigned i, const std::string &path = "/identity") {
    httplib::Client c("127.0.0.1", port_of(i));
    c.set_connection_timeout(2, 0);
    c.set_read_timeout(5, 0);
    return c.Get(path.c_str(), httplib::Headers{{"Accept", "application/json"},
                                                {"X-Plex-Client-Identifier", "topo-test"},
                                                {"X-Plex-Product", "plexauth tests"},
                                                {"X-Plex-Token", "officeTok123"}});
  }
};

TEST_F(FakeTopology, AnswersTheResourcesAndReplacesAccountAs) {
  const auto &office = topology[0];
  expect_device_shape(office);
  EXPECT_STREQ(office["name"].GetString(), "Office");
  EXPECT_STREQ(office["clientIdentifier"].GetString(), kOfficeId);
  EXPECT_STREQ(office["accessToken"].GetString(), "officeTok123");
  EXPECT_TRUE(office["owned"].GetBool());
  EXPECT_TRUE(office["ownerId"].IsNull());
  const auto &c = office["connections"];
  std::set<int> ports;
  for (unsigned i = 0; i < 6; ++i) {
    EXPECT_STREQ(c[i]["address"].GetString(), "127.0.0.1");
    EXPECT_GT(c[i]["port"].GetInt(), 0);
    EXPECT_NE(c[i]["port"].GetInt(), fake.port());
    ports.insert(c[i]["port"].GetInt());
  }
  EXPECT_EQ(ports.size(), 6u);
  EXPECT_EQ(c[0]["uri"].GetString(), "http://127.0.0.1:" + std::to_string(port_of(0)));
  EXPECT_TRUE(c[0]["local"].GetBool());
  EXPECT_EQ(c[1]["uri"].GetString(), "https://127.0.0.1:" + std::to_string(port_of(1)));
  EXPECT_STREQ(c[1]["protocol"].GetString(), "https");
  EXPECT_FALSE(c[1]["local"].GetBool());
  EXPECT_TRUE(c[3]["relay"].GetBool());
  EXPECT_EQ(c[4]["uri"].GetString(), "https://" + plex_direct_host() + ":" + std::to_string(port_of(4)));
  EXPECT_STREQ(c[4]["protocol"].GetString(), "https");
  EXPECT_TRUE(c[5]["IPv6"].GetBool());
  EXPECT_FALSE(c[5]["relay"].GetBool());

  auto r = get(kAllFlags, seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, answer);  // the topology is now account A's resources
  auto plain = get("/api/v2/resources", seed::kTokenA);
  ASSERT_TRUE(plain);
  EXPECT_EQ(parse(plain->body)[0]["connections"].Size(), 2u);  // blackhole and wrong_id: http, not relay nor IPv6
  EXPECT_EQ(get(kAllFlags, seed::kTokenB)->body, "[]");
}

TEST_F(FakeTopology, OkAnswersWithTheServersIdAfterItsDelayAndIsRecorded) {
  const auto start = Clock::now();
  auto r = probe(3);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_GE(ms_since(start), 30);
  EXPECT_EQ(r->status, 200);
  EXPECT_STREQ(parse(r->body)["MediaContainer"]["machineIdentifier"].GetString(), kOfficeId);
  auto root = probe(3, "/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200);
  EXPECT_STREQ(parse(root->body)["MediaContainer"]["friendlyName"].GetString(), "Office");
  EXPECT_EQ(probe(3, "/library/sections")->status, 404);

  const auto log = fake.requests_to("/identity");
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].port, port_of(3));
  EXPECT_EQ(log[0].header("X-Plex-Client-Identifier"), "topo-test");
  EXPECT_EQ(log[0].header("X-Plex-Product"), "plexauth tests");
  EXPECT_EQ(log[0].header("X-Plex-Token"), "officeTok123");
  EXPECT_GT(log[0].connection_id, 0u);
  EXPECT_EQ(fake.requests().size(), 3u);
  // Over the control API too, with "port".
  auto d = parse(http.Get("/_fake/requests")->body);
  ASSERT_EQ(d.Size(), 3u);
  EXPECT_EQ(d[0]["port"].GetInt(), port_of(3));
  EXPECT_STREQ(d[0]["path"].GetString(), "/identity");
  // The fake's own requests carry its port.
  ASSERT_TRUE(get("/api/v2/user", seed::kTokenA));
  EXPECT_EQ(fake.requests_to("/api/v2/user").at(0).port, fake.port());
}

TEST_F(FakeTopology, WrongIdAnswersAnotherMachineIdentifier) {
  auto r = probe(2);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  const std::string id = parse(r->body)["MediaContainer"]["machineIdentifier"].GetString();
  EXPECT_EQ(id, seed::kWrongMachineIdentifier);
  EXPECT_NE(id, kOfficeId);
  EXPECT_EQ(fake.requests_to("/identity").at(0).port, port_of(2));
}

TEST_F(FakeTopology, UnauthorizedAnswers401ToEverything) {
  for (const char *path : {"/identity", "/", "/anything"}) {
    auto r = probe(5, path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401) << path;
  }
  EXPECT_EQ(fake.requests().size(), 3u);
  EXPECT_EQ(fake.requests()[0].port, port_of(5));
}

TEST_F(FakeTopology, BlackholeConnectsButNeverAnswers) {
  EXPECT_EQ(tcp_connect(port_of(0)), 0);  // the kernel completes the handshake
  httplib::Client c("127.0.0.1", port_of(0));
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(0, 300000);
  auto r = c.Get("/identity");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Read);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(FakeTopology, RefuseRefuses) {
  EXPECT_EQ(tcp_connect(port_of(1)), ECONNREFUSED);
  httplib::Client c("127.0.0.1", port_of(1));
  auto r = c.Get("/identity");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), httplib::Error::Connection);
}

TEST_F(FakeTopology, PlexDirectServesHttpsWithTheFakesCertificate) {
  const std::string pem = fake.certificate_pem();
  ASSERT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);  // made for the topology
  char path[] = "/tmp/plexauth-fake-ca-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, pem.data(), pem.size()), static_cast<ssize_t>(pem.size()));
  close(fd);
  httplib::SSLClient tls(plex_direct_host(), port_of(4));
  tls.set_hostname_addr_map({{plex_direct_host(), "127.0.0.1"}});  // as CURLOPT_RESOLVE
  tls.set_ca_cert_path(path);
  tls.enable_server_certificate_verification(true);
  auto r = tls.Get("/identity", httplib::Headers{{"Accept", "application/json"}});
  unlink(path);
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_STREQ(parse(r->body)["MediaContainer"]["machineIdentifier"].GetString(), kOfficeId);
  EXPECT_EQ(fake.requests_to("/identity").at(0).port, port_of(4));
  // Plain HTTP is not spoken there.
  httplib::Client plain("127.0.0.1", port_of(4));
  plain.set_read_timeout(2, 0);
  auto p = plain.Get("/identity");
  EXPECT_TRUE(!p || p->status == 400);
}

TEST_F(FakeTopology, ResetTearsItDown) {
  ASSERT_EQ(probe(3)->status, 200);
  fake.reset();
  for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(tcp_connect(port_of(i)), ECONNREFUSED) << i;
  auto r = get(kAllFlags, seed::kTokenA);
  ASSERT_TRUE(r);
  EXPECT_STREQ(parse(r->body)[0]["name"].GetString(), seed::kSourceName);  // the seed is back
  EXPECT_EQ(parse(r->body).Size(), 3u);
}

TEST_F(FakeTopology, ResetInterruptsADelayedAnswer) {
  const std::string slow = fake.set_topology(
      R"({"servers":[{"name":"Slow","clientIdentifier":"5104","connections":[{"delay_ms":60000}]}]})");
  const int port = parse(slow)[0]["connections"][0]["port"].GetInt();
  int status = 0;  // 0: no answer
  std::thread t([&] {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(30, 0);
    if (auto r = c.Get("/identity")) status = r->status;
  });
  for (int i = 0; i < 1000 && fake.requests_to("/identity").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(fake.requests_to("/identity").size(), 1u);  // (no ASSERT: the thread must be joined)
  const auto start = Clock::now();
  http.Post("/_fake/reset", "", "application/json");
  t.join();
  EXPECT_LT(ms_since(start), 10000);  // not the 60 s delay
  EXPECT_TRUE(status == 0 || status == 503) << status;
}

TEST_F(FakeTopology, ANewTopologyReplacesTheOld) {
  const std::string next = fake.set_topology(
      R"({"servers":[{"name":"Shared","clientIdentifier":"5ba4ed","owned":false,"connections":[{}]},)"
      R"({"name":"Empty","clientIdentifier":"e","accessToken":null,"connections":[]}]})");
  for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(tcp_connect(port_of(i)), ECONNREFUSED) << i;
  auto d = parse(next);
  ASSERT_EQ(d.Size(), 2u);
  for (const auto &dev : d.GetArray()) expect_device_shape(dev);
  EXPECT_FALSE(d[0]["owned"].GetBool());
  EXPECT_EQ(d[0]["ownerId"].GetInt64(), seed::kSharedOwnerId);
  EXPECT_STREQ(d[0]["sourceTitle"].GetString(), seed::kSharedOwnerTitle);
  EXPECT_TRUE(d[0]["accessToken"].IsNull());
  EXPECT_STREQ(d[0]["connections"][0]["protocol"].GetString(), "http");  // behaviour ok by default
  httplib::Client c("127.0.0.1", d[0]["connections"][0]["port"].GetInt());
  auto r = c.Get("/identity");
  ASSERT_TRUE(r);
  EXPECT_NE(r->body.find("machineIdentifier=\"5ba4ed\""), std::string::npos);
  EXPECT_EQ(d[1]["connections"].Size(), 0u);
  EXPECT_EQ(get(kAllFlags, seed::kTokenA)->body, next);
}

TEST_F(FakeTopology, ControlApiSetsItAndRejectsBadOnes) {
  auto set = http.Post("/_fake/topology",
                       R"({"servers":[{"name":"Den","clientIdentifier":"den","connections":[{"behaviour":"ok"}]}]})",
                       "application/json");
  ASSERT_TRUE(set);
  EXPECT_EQ(set->status, 200);
  EXPECT_EQ(set->get_header_value("Content-Type"), kJson);
  auto d = parse(set->body);
  ASSERT_EQ(d.Size(), 1u);
  EXPECT_STREQ(d[0]["name"].GetString(), "Den");
  EXPECT_EQ(get(kAllFlags, seed::kTokenA)->body, set->body);
  for (unsigned i = 0; i < 6; ++i) EXPECT_EQ(tcp_connect(port_of(i)), ECONNREFUSED) << i;

  for (const char *bad : {"not json", "[]", R"({"server":[]})", R"({"servers":{}})",
                          R"({"servers":[{"name":"x"}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"behaviour":"teapot"}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"protocol":"ftp"}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"local":"yes"}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"delay_ms":-1}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"behaviour":"refuse","delay_ms":5}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","connections":[{"protocol":"http","plex_direct":true}]}]})",
                          R"({"servers":[{"clientIdentifier":"x","colour":"red"}]})",
                          R"({"servers":[{"clientIdentifier":"x","owned":1}]})",
                          R"({"servers":[{"clientIdentifier":"x","accessToken":5}]})"}) {
    auto r = http.Post("/_fake/topology", bad, "application/json");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_TRUE(parse(r->body)["error"].IsString()) << bad;
  }
  EXPECT_THROW(fake.set_topology("{}"), std::invalid_argument);
  EXPECT_EQ(get(kAllFlags, seed::kTokenA)->body, set->body);  // a bad topology changes nothing
  std::string many = R"({"servers":[{"clientIdentifier":"x","connections":[)";
  for (int i = 0; i < 65; ++i) many += std::string(i ? "," : "") + R"({"behaviour":"refuse"})";
  EXPECT_THROW(fake.set_topology(many + "]}]}"), std::invalid_argument);
}

TEST(FakeTopologyTls, SharesTheMainCertificateWithOptionsTls) {
  plexauth_fake::Options options;
  options.tls = true;
  FakePlex tls(options);
  const std::string pem = tls.certificate_pem();
  auto d = parse(tls.set_topology(
      R"({"servers":[{"clientIdentifier":"t","connections":[{"protocol":"https"},{"plex_direct":true}]}]})"));
  EXPECT_EQ(tls.certificate_pem(), pem);
  // The seeded local connection of the fake itself follows its scheme.
  tls.reset();
  httplib::SSLClient c("127.0.0.1", tls.port());
  c.enable_server_certificate_verification(false);
  auto r = c.Get(kAllFlags, httplib::Headers{{"X-Plex-Token", seed::kTokenA}});
  ASSERT_TRUE(r);
  EXPECT_EQ(parse(r->body)[0]["connections"][0]["uri"].GetString(), tls.base_url());
  EXPECT_EQ(tcp_connect(d[0]["connections"][0]["port"].GetInt()), ECONNREFUSED);
}

TEST(FakeTopologyStop, StopClosesTheListeners) {
  FakePlex fake;
  auto d = parse(fake.set_topology(
      R"({"servers":[{"clientIdentifier":"s","connections":[{},{"behaviour":"blackhole"},{"behaviour":"unauthorized"}]}]})"));
  fake.stop();
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(tcp_connect(d[0]["connections"][i]["port"].GetInt()), ECONNREFUSED);
  EXPECT_THROW(fake.set_topology(R"({"servers":[]})"), std::runtime_error);
}

TEST(FakeHost, RefusesNonLoopbackHosts) {
  EXPECT_TRUE(plexauth_fake::is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(plexauth_fake::is_loopback_host("127.8.9.10"));
  EXPECT_TRUE(plexauth_fake::is_loopback_host("::1"));
  EXPECT_TRUE(plexauth_fake::is_loopback_host("localhost"));
  EXPECT_FALSE(plexauth_fake::is_loopback_host("0.0.0.0"));
  EXPECT_FALSE(plexauth_fake::is_loopback_host("::"));
  EXPECT_FALSE(plexauth_fake::is_loopback_host("10.0.0.5"));
  EXPECT_FALSE(plexauth_fake::is_loopback_host("example.com"));
  EXPECT_THROW(FakePlex(plexauth_fake::Options{"0.0.0.0", 0}), std::invalid_argument);
}

TEST(FakeHost, ServesOnIpv6Loopback) {
  FakePlex v6(plexauth_fake::Options{"::1", 0});
  EXPECT_EQ(v6.base_url(), "http://[::1]:" + std::to_string(v6.port()));
  httplib::Client http("::1", v6.port());
  auto r = http.Get("/api/v2/user", httplib::Headers{{"X-Plex-Token", seed::kTokenA}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

// ------------------------------------------------------------------ JWT device authentication
//
// The test makes its own Ed25519 device key and signs device JWTs with
// OpenSSL's EVP API, and checks the fake's Plex JWTs against /auth/keys the
// same way: nothing here reuses the fake's own JWT code.

std::string b64url(const std::string &bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  for (char &c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::string unb64url(std::string text) {
  for (char &c : text) c = c == '-' ? '+' : c == '_' ? '/' : c;
  const size_t pad = (4 - text.size() % 4) % 4;
  text.append(pad, '=');
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                reinterpret_cast<const unsigned char *>(text.data()), static_cast<int>(text.size()));
  EXPECT_GE(n, 0) << text;
  out.resize(n < 0 ? 0 : static_cast<size_t>(n) - pad);
  return out;
}

std::string sha256_b64url(const std::string &data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr), 1);
  return b64url(std::string(reinterpret_cast<const char *>(md), len));
}

bool ed25519_verify(const std::string &x, const std::string &data, const std::string &sig) {
  const std::string raw = unb64url(x);
  EVP_PKEY *pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                               reinterpret_cast<const unsigned char *>(raw.data()), raw.size());
  if (pkey == nullptr) return false;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  const bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
                  EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.data()), sig.size(),
                                   reinterpret_cast<const unsigned char *>(data.data()), data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  return ok;
}

// A device's Ed25519 key, as a client library would hold it.
struct DeviceKey {
  std::shared_ptr<EVP_PKEY> key;
  std::string x;           // b64url public key
  std::string thumbprint;  // RFC 7638

  DeviceKey() {
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    EVP_PKEY *raw = nullptr;
    EXPECT_EQ(EVP_PKEY_keygen_init(ctx), 1);
    EXPECT_EQ(EVP_PKEY_keygen(ctx, &raw), 1);
    EVP_PKEY_CTX_free(ctx);
    key.reset(raw, EVP_PKEY_free);
    unsigned char pub[32];
    size_t len = sizeof pub;
    EXPECT_EQ(EVP_PKEY_get_raw_public_key(raw, pub, &len), 1);
    x = b64url(std::string(reinterpret_cast<const char *>(pub), len));
    thumbprint = sha256_b64url(R"({"crv":"Ed25519","kty":"OKP","x":")" + x + "\"}");
  }
  std::string jwk(const std::string &kid = "") const {
    std::string j = R"({"kty":"OKP","crv":"Ed25519","x":")" + x + R"(","use":"sig","alg":"EdDSA")";
    if (!kid.empty()) j += R"(,"kid":")" + kid + "\"";
    return j + "}";
  }
  std::string sign(const std::string &data) const {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char sig[64];
    size_t len = sizeof sig;
    EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key.get()), 1);
    EXPECT_EQ(EVP_DigestSign(ctx, sig, &len, reinterpret_cast<const unsigned char *>(data.data()), data.size()), 1);
    EVP_MD_CTX_free(ctx);
    return std::string(reinterpret_cast<const char *>(sig), len);
  }
  // A compact JWS of these header and claims (JSON texts).
  std::string jwt(const std::string &header, const std::string &claims) const {
    const std::string input = b64url(header) + "." + b64url(claims);
    return input + "." + b64url(sign(input));
  }
};

struct Parts {
  std::string header, claims, signing_input, signature;
};
Parts split_jwt(const std::string &jwt) {
  const size_t a = jwt.find('.'), b = jwt.rfind('.');
  EXPECT_TRUE(a != std::string::npos && b != a) << jwt;
  return {unb64url(jwt.substr(0, a)), unb64url(jwt.substr(a + 1, b - a - 1)), jwt.substr(0, b),
          unb64url(jwt.substr(b + 1))};
}

constexpr char kDeviceClient[] = "jwt-device-0001";
constexpr char kScope[] = "username,email,friendly_name";

class FakeJwt : public Fake {
 protected:
  DeviceKey device;

  int64_t now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(fake.now().time_since_epoch()).count();
  }
  std::string nonce(const std::string &client_id = kDeviceClient) {
    auto r = http.Get("/api/v2/auth/nonce", httplib::Headers{{"X-Plex-Client-Identifier", client_id}});
    EXPECT_TRUE(r && r->status == 200);
    if (!r || r->status != 200) return "";
    return parse(r->body)["nonce"].GetString();
  }
  httplib::Result register_key(const std::string &jwk, const std::string &client_id = kDeviceClient,
                               const std::string &token = seed::kTokenA) {
    httplib::Headers h{{"X-Plex-Client-Identifier", client_id}};
    if (!token.empty()) h.emplace("X-Plex-Token", token);
    return http.Post("/api/v2/auth/jwk", h, R"({"jwk":)" + jwk + "}", "application/json");
  }
  httplib::Result exchange(const std::string &jwt, const std::string &client_id = kDeviceClient) {
    return exchange_body(R"({"jwt":")" + jwt + "\"}", client_id);
  }
  httplib::Result exchange_body(const std::string &body, const std::string &client_id = kDeviceClient) {
    return http.Post("/api/v2/auth/token", httplib::Headers{{"X-Plex-Client-Identifier", client_id}}, body,
                     "application/json");
  }
  static std::string header(const std::string &kid, const std::string &alg = "EdDSA") {
    return R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid + "\"}";
  }
  std::string claims(const std::string &nonce, const std::string &iss = kDeviceClient,
                     const std::string &aud = "\"plex.tv\"", int64_t iat_delta = 0, int64_t exp_delta = 300) const {
    const int64_t t = now();
    return R"({"nonce":")" + nonce + R"(","scope":")" + kScope + R"(","aud":)" + aud + R"(,"iss":")" + iss +
           R"(","iat":)" + std::to_string(t + iat_delta) + R"(,"exp":)" + std::to_string(t + exp_delta) + "}";
  }
  // The whole device flow: register, nonce, exchange; the Plex JWT.
  std::string plex_jwt() {
    auto reg = register_key(device.jwk());
    EXPECT_TRUE(reg && reg->status == 204);
    auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no answer");
    if (!r || r->status != 200) return "";
    return parse(r->body)["auth_token"].GetString();
  }
  rapidjson::Document keys() {
    auto r = http.Get("/api/v2/auth/keys");
    EXPECT_TRUE(r && r->status == 200);
    return parse(r ? r->body : "{}");
  }
  // "<HTTP status> <code> <message> <status>", or the status and body when it is no Plex error.
  static std::string error_of(const httplib::Result &r) {
    if (!r) return "no answer";
    rapidjson::Document d;
    d.Parse(r->body.data(), r->body.size());
    const bool plex_error = !d.HasParseError() && d.IsObject() && d.HasMember("errors") && d["errors"].IsArray() &&
                            !d["errors"].Empty();
    return std::to_string(r->status) + " " + (plex_error ? first_error(r->body) : r->body);
  }
};

TEST_F(FakeJwt, NonceIsAFreshUuidAndNeedsTheClientIdentifier) {
  auto r = http.Get("/api/v2/auth/nonce");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422);
  EXPECT_EQ(first_error(r->body), "1000 X-Plex-Client-Identifier is missing 422");

  r = http.Get("/api/v2/auth/nonce", httplib::Headers{{"X-Plex-Client-Identifier", kDeviceClient}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  const std::string n = parse(r->body)["nonce"].GetString();
  ASSERT_EQ(n.size(), 36u) << n;
  for (size_t i = 0; i < n.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(n[i], '-') << n;
    } else {
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(n[i])) && !std::isupper(static_cast<unsigned char>(n[i])))
          << n;
    }
  }
  EXPECT_EQ(n[14], '4') << n;  // version 4
  EXPECT_NE(std::string("89ab").find(n[19]), std::string::npos) << n;
  EXPECT_NE(nonce(), n);
}

TEST_F(FakeJwt, DeviceFlowIssuesAPlexJwtSignedWithThePublishedKey) {
  auto reg = register_key(device.jwk());
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg->status, 204);
  EXPECT_TRUE(reg->body.empty());

  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), kJson);
  const std::string token = parse(r->body)["auth_token"].GetString();
  const int64_t t = now();

  // The signature checks out with the key /auth/keys publishes under the header's kid.
  const Parts p = split_jwt(token);
  auto h = parse(p.header);
  EXPECT_STREQ(h["alg"].GetString(), "EdDSA");
  EXPECT_STREQ(h["typ"].GetString(), "JWT");
  auto ks = keys();
  ASSERT_EQ(ks["keys"].Size(), 1u);
  const auto &k = ks["keys"][0];
  EXPECT_STREQ(k["kty"].GetString(), "OKP");
  EXPECT_STREQ(k["crv"].GetString(), "Ed25519");
  EXPECT_STREQ(k["use"].GetString(), "sig");
  EXPECT_STREQ(k["alg"].GetString(), "EdDSA");
  EXPECT_STREQ(h["kid"].GetString(), k["kid"].GetString());
  // The signing key's kid is its RFC 7638 thumbprint.
  EXPECT_EQ(k["kid"].GetString(),
            sha256_b64url(R"({"crv":"Ed25519","kty":"OKP","x":")" + std::string(k["x"].GetString()) + "\"}"));
  EXPECT_TRUE(ed25519_verify(k["x"].GetString(), p.signing_input, p.signature));
  std::string tampered = p.signing_input;
  tampered[tampered.size() - 1] ^= 1;
  EXPECT_FALSE(ed25519_verify(k["x"].GetString(), tampered, p.signature));
  EXPECT_EQ(parse(fake.signing_public_jwk())["x"], k["x"]);

  auto c = parse(p.claims);
  EXPECT_STREQ(c["iss"].GetString(), "plex.tv");
  ASSERT_TRUE(c["aud"].IsArray());
  ASSERT_EQ(c["aud"].Size(), 2u);
  EXPECT_STREQ(c["aud"][0].GetString(), "plex.tv");
  EXPECT_STREQ(c["aud"][1].GetString(), kDeviceClient);
  EXPECT_NEAR(static_cast<double>(c["iat"].GetInt64()), static_cast<double>(t), 2.0);
  EXPECT_EQ(c["exp"].GetInt64() - c["iat"].GetInt64(), 7 * 24 * 3600);
  EXPECT_EQ(c["thumbprint"].GetString(), device.thumbprint);
  EXPECT_STREQ(c["scope"].GetString(), kScope);
  EXPECT_EQ(c["user"]["id"].GetInt64(), seed::kIdA);
  EXPECT_STREQ(c["user"]["uuid"].GetString(), seed::kUuidA);
  EXPECT_STREQ(c["user"]["username"].GetString(), seed::kUsernameA);
  EXPECT_STREQ(c["user"]["email"].GetString(), seed::kEmailA);

  // plex.tv takes it as account A's token; PMS does not.
  auto user = get("/api/v2/user", token);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->status, 200);
  EXPECT_EQ(parse(user->body)["id"].GetInt64(), seed::kIdA);
  EXPECT_EQ(get("/api/v2/ping", token)->status, 200);
  auto res = get("/api/v2/resources", token);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(parse(res->body).Size(), 3u);
  EXPECT_EQ(get("/", token)->status, 401);
  EXPECT_EQ(get("/security/token?type=delegation&scope=all", token)->status, 401);
  EXPECT_EQ(fake.issued_jwts(), std::vector<std::string>{token});
}

TEST_F(FakeJwt, AKidGivenAtRegistrationIsTheKeysId) {
  ASSERT_EQ(register_key(device.jwk("my-device-kid"))->status, 204);
  // Not known by its thumbprint then.
  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  EXPECT_EQ(error_of(r), "422 1099 Signature Verification Failed 422");
  r = exchange(device.jwt(header("my-device-kid"), claims(nonce())));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_STREQ(parse(split_jwt(parse(r->body)["auth_token"].GetString()).claims)["thumbprint"].GetString(),
               "my-device-kid");
}

TEST_F(FakeJwt, RegistrationNeedsAnAccountTokenAndAWellFormedJwk) {
  EXPECT_EQ(error_of(register_key(device.jwk(), kDeviceClient, "")), "401 1001 User could not be authenticated 401");
  EXPECT_EQ(error_of(register_key(device.jwk(), kDeviceClient, "nope")),
            "401 1001 User could not be authenticated 401");
  const std::string x = device.x;
  const std::string bad[] = {
      R"("not an object")",
      R"({"crv":"Ed25519","x":")" + x + "\"}",                                 // no kty
      R"({"kty":"RSA","crv":"Ed25519","x":")" + x + "\"}",                     // wrong kty
      R"({"kty":"OKP","crv":"X25519","x":")" + x + "\"}",                      // wrong curve
      R"({"kty":"OKP","crv":"Ed25519"})",                                      // no x
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x.substr(0, 40) + "\"}",       // 30 bytes
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + "AAAA\"}",                 // 35 bytes
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + "=\"}",                    // padding
      R"({"kty":"OKP","crv":"Ed25519","x":"+/)" + x.substr(2) + "\"}",         // not base64url
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + R"(","alg":"RS256"})",     // wrong alg
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + R"(","use":"enc"})",       // wrong use
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + R"(","kid":""})",          // empty kid
      R"({"kty":"OKP","crv":"Ed25519","x":")" + x + R"(","kid":7})",           // kid not a string
  };
  for (const auto &jwk : bad) EXPECT_EQ(error_of(register_key(jwk)), "400 1000 Invalid JWK 400") << jwk;
  auto r = http.Post("/api/v2/auth/jwk", httplib::Headers{{"X-Plex-Token", seed::kTokenA}, {"X-Plex-Client-Identifier", kDeviceClient}},
                     "{\"jwk\":", "application/json");
  EXPECT_EQ(error_of(r), "400 1000 Invalid JWK 400");
  // None of them was registered.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(nonce())))),
            "422 1099 Signature Verification Failed 422");
}

TEST_F(FakeJwt, AKeyRegisteredByAnotherClientIsTaken) {
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  EXPECT_EQ(register_key(device.jwk())->status, 204);  // the same client again: fine
  EXPECT_EQ(error_of(register_key(device.jwk(), "another-device", seed::kTokenB)),
            "422 1098 Thumbprint Already Taken 422");
  EXPECT_EQ(error_of(register_key(device.jwk("some-kid"), "another-device")),
            "422 1098 Thumbprint Already Taken 422");
  // The key still belongs to the first client: the other one cannot use it.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(nonce(), "another-device")),
                              "another-device")),
            "422 1097 Issuer does not match the client identifier 422");
}

TEST_F(FakeJwt, ExchangeRefusesWhatDoesNotVerify) {
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  const std::string n = nonce();
  const std::string good = device.jwt(header(device.thumbprint), claims(n));
  const std::string sig_failed = "422 1099 Signature Verification Failed 422";

  // A flipped signature byte.
  const size_t dot = good.rfind('.');
  std::string sig = unb64url(good.substr(dot + 1));
  sig[10] ^= 0x01;
  EXPECT_EQ(error_of(exchange(good.substr(0, dot + 1) + b64url(sig))), sig_failed);
  // Signed by another key under the registered kid.
  DeviceKey other;
  EXPECT_EQ(error_of(exchange(other.jwt(header(device.thumbprint), claims(n)))), sig_failed);
  // An unknown kid, no kid, another algorithm.
  EXPECT_EQ(error_of(exchange(device.jwt(header("unknown-kid"), claims(n)))), sig_failed);
  EXPECT_EQ(error_of(exchange(device.jwt(R"({"alg":"EdDSA","typ":"JWT"})", claims(n)))), sig_failed);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint, "HS256"), claims(n)))), sig_failed);
  // The audience.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, kDeviceClient, "\"plex.example\"")))),
            sig_failed);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, kDeviceClient, "[\"other\"]")))),
            sig_failed);
  // The issuer: the request's client identifier and the registering one.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, "someone-else")))),
            "422 1097 Issuer does not match the client identifier 422");
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, "someone-else")), "someone-else")),
            "422 1097 Issuer does not match the client identifier 422");
  // Expired, or issued in the future.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, kDeviceClient, "\"plex.tv\"", -600, -1)))),
            "498 1096 Token Expired 498");
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n, kDeviceClient, "\"plex.tv\"", 120, 600)))),
            "498 1096 Token Expired 498");
  // Not a JWS at all.
  for (const std::string &bad : {std::string("a.b"), std::string("a.b.c.d"), std::string("..."), std::string("%%%.x.y"),
                                good.substr(0, dot)}) {
    EXPECT_EQ(error_of(exchange(bad)), sig_failed) << bad;
  }
  EXPECT_EQ(error_of(exchange_body("{}")), "400 1000 jwt is missing 400");
  EXPECT_EQ(error_of(exchange_body("not json")), "400 1000 jwt is missing 400");

  // None of those used the nonce up.
  auto r = exchange(good);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  // An audience list with plex.tv in it is fine.
  r = exchange(device.jwt(header(device.thumbprint), claims(nonce(), kDeviceClient, R"(["x","plex.tv"])")));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
}

TEST_F(FakeJwt, ANonceIsSingleUseAndLivesFiveMinutes) {
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  const std::string invalid = "422 1095 Invalid nonce 422";
  const std::string n = nonce();
  ASSERT_EQ(exchange(device.jwt(header(device.thumbprint), claims(n)))->status, 200);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n)))), invalid);  // reused

  const std::string stale = nonce();
  const std::string fresh = nonce();
  fake.advance_clock(std::chrono::seconds(301));
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(stale)))), invalid);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(fresh)))), invalid);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims("7c415b56-8f48-488a-98ab-847ef4460442")))),
            invalid);  // never issued
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint),
                                         R"({"aud":"plex.tv","iss":")" + std::string(kDeviceClient) + R"(","iat":)" +
                                             std::to_string(now()) + R"(,"exp":)" + std::to_string(now() + 300) + "}"))),
            invalid);  // no nonce claim
  const std::string late = nonce();
  fake.advance_clock(std::chrono::seconds(299));
  EXPECT_EQ(exchange(device.jwt(header(device.thumbprint), claims(late)))->status, 200);
}

TEST_F(FakeJwt, RotationPublishesTheNewKeyAndKeepsTheOldUntilDropped) {
  const std::string before = plex_jwt();
  const std::string old_kid = parse(fake.signing_public_jwk())["kid"].GetString();
  fake.rotate_signing_key();
  auto ks = keys();
  ASSERT_EQ(ks["keys"].Size(), 2u);
  const std::string new_kid = ks["keys"][0]["kid"].GetString();
  EXPECT_NE(new_kid, old_kid);
  EXPECT_EQ(ks["keys"][1]["kid"].GetString(), old_kid);
  EXPECT_EQ(parse(fake.signing_public_jwk())["kid"].GetString(), new_kid);

  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_EQ(r->status, 200);
  const Parts p = split_jwt(parse(r->body)["auth_token"].GetString());
  EXPECT_EQ(parse(p.header)["kid"].GetString(), new_kid);
  EXPECT_TRUE(ed25519_verify(ks["keys"][0]["x"].GetString(), p.signing_input, p.signature));
  EXPECT_FALSE(ed25519_verify(ks["keys"][1]["x"].GetString(), p.signing_input, p.signature));
  EXPECT_EQ(get("/api/v2/user", before)->status, 200);  // issued before the rotation: still good

  // Over the control API, dropping the old ones.
  auto c = http.Post("/_fake/jwt/rotate", R"({"drop_old":true})", "application/json");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, 200);
  ks = keys();
  ASSERT_EQ(ks["keys"].Size(), 1u);
  EXPECT_NE(ks["keys"][0]["kid"].GetString(), new_kid);
  EXPECT_NE(ks["keys"][0]["kid"].GetString(), old_kid);
  EXPECT_EQ(http.Post("/_fake/jwt/rotate", R"({"drop_old":"yes"})", "application/json")->status, 400);
  EXPECT_EQ(http.Post("/_fake/jwt/rotate", "", "application/json")->status, 200);
  EXPECT_EQ(keys()["keys"].Size(), 2u);
}

TEST_F(FakeJwt, ExpiredPlexJwtsAre498OnPlexTv) {
  const std::string token = plex_jwt();
  ASSERT_EQ(get("/api/v2/user", token)->status, 200);
  fake.expire_jwts();
  for (const char *path : {"/api/v2/user", "/api/v2/ping", "/api/v2/resources"}) {
    EXPECT_EQ(error_of(get(path, token)), "498 1096 Token Expired 498") << path;
  }
  // A new one works; the control API expires it too.
  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_EQ(r->status, 200);
  const std::string again = parse(r->body)["auth_token"].GetString();
  EXPECT_EQ(get("/api/v2/ping", again)->status, 200);
  EXPECT_EQ(http.Post("/_fake/jwt/expire", "{}", "application/json")->status, 200);
  EXPECT_EQ(error_of(get("/api/v2/ping", again)), "498 1096 Token Expired 498");
}

TEST_F(FakeJwt, TheLifetimeSetsExpAndTheClockEndsIt) {
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  fake.set_jwt_lifetime(std::chrono::seconds(60));
  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_EQ(r->status, 200);
  const std::string token = parse(r->body)["auth_token"].GetString();
  auto c = parse(split_jwt(token).claims);
  EXPECT_EQ(c["exp"].GetInt64() - c["iat"].GetInt64(), 60);
  EXPECT_EQ(get("/api/v2/user", token)->status, 200);
  fake.advance_clock(std::chrono::seconds(61));
  EXPECT_EQ(error_of(get("/api/v2/user", token)), "498 1096 Token Expired 498");

  EXPECT_EQ(http.Post("/_fake/jwt/lifetime", R"({"seconds":120})", "application/json")->status, 200);
  r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_EQ(r->status, 200);
  c = parse(split_jwt(parse(r->body)["auth_token"].GetString()).claims);
  EXPECT_EQ(c["exp"].GetInt64() - c["iat"].GetInt64(), 120);
  for (const char *bad : {R"({"seconds":0})", R"({"seconds":-5})", R"({"seconds":"60"})", "{}"}) {
    EXPECT_EQ(http.Post("/_fake/jwt/lifetime", bad, "application/json")->status, 400) << bad;
  }
  EXPECT_THROW(fake.set_jwt_lifetime(std::chrono::seconds(0)), std::invalid_argument);
}

TEST_F(FakeJwt, ResetForgetsKeysNoncesAndJwts) {
  const std::string startup = fake.signing_public_jwk();
  const std::string token = plex_jwt();
  const std::string n = nonce();
  fake.rotate_signing_key(true);
  fake.set_jwt_lifetime(std::chrono::seconds(5));
  ASSERT_EQ(http.Post("/_fake/reset", "", "application/json")->status, 200);

  EXPECT_EQ(fake.signing_public_jwk(), startup);
  EXPECT_EQ(keys()["keys"].Size(), 1u);
  EXPECT_EQ(error_of(get("/api/v2/user", token)), "401 1001 User could not be authenticated 401");
  EXPECT_TRUE(fake.issued_jwts().empty());
  // The device key is gone, and so is the nonce.
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(nonce())))),
            "422 1099 Signature Verification Failed 422");
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  EXPECT_EQ(error_of(exchange(device.jwt(header(device.thumbprint), claims(n)))), "422 1095 Invalid nonce 422");
  auto r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_EQ(r->status, 200);
  auto c = parse(split_jwt(parse(r->body)["auth_token"].GetString()).claims);
  EXPECT_EQ(c["exp"].GetInt64() - c["iat"].GetInt64(), 7 * 24 * 3600);
}

TEST_F(FakeJwt, HostileInputIsRefusedCleanly) {
  ASSERT_EQ(register_key(device.jwk())->status, 204);
  const std::string deep(100000, '[');
  const std::string n = nonce();
  const std::string hostile[] = {
      device.jwt(deep, claims(n)),
      device.jwt(header(device.thumbprint), deep),
      device.jwt(header(device.thumbprint), "[]"),
      device.jwt(header(device.thumbprint), R"({"iss":7,"aud":{},"exp":"x","iat":null,"nonce":[]})"),
      device.jwt(std::string("{\"alg\":\"EdDSA\",\"kid\":\"") + std::string(1, '\0') + "\"}", claims(n)),
      std::string(200000, 'A') + "." + std::string(3, 'B') + "." + std::string(5, 'C'),
  };
  for (const auto &jwt : hostile) {
    auto r = exchange(jwt);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->status == 422 || r->status == 400) << r->status;
  }
  auto r = register_key("{\"kty\":" + deep);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(exchange(device.jwt(header(device.thumbprint), claims(n)))->status, 200);  // still serving, nonce unused
}

TEST_F(FakeJwt, APinWithAJwkGivesItsDeviceAPlexJwt) {
  auto create = [&](const std::string &body) {
    return http.Post("/api/v2/pins", httplib::Headers{{"X-Plex-Client-Identifier", kDeviceClient}}, body,
                     "application/json");
  };
  EXPECT_EQ(error_of(create(R"({"jwk":{"kty":"OKP"},"strong":true})")), "400 1000 Invalid JWK 400");
  EXPECT_EQ(error_of(create(R"({"jwk":)" + device.jwk() + R"(,"strong":"yes"})")),
            "400 1000 strong must be a boolean 400");
  auto r = create(R"({"jwk":)" + device.jwk() + R"(,"strong":true})");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  auto pin = parse(r->body);
  EXPECT_EQ(std::string(pin["code"].GetString()).size(), 25u);
  EXPECT_EQ(pin["expiresIn"].GetInt(), 1800);
  const int64_t id = pin["id"].GetInt64();

  // No nonce claim needed here.
  const std::string poll_claims = R"({"scope":")" + std::string(kScope) + R"(","aud":"plex.tv","iss":")" +
                                  kDeviceClient + R"(","iat":)" + std::to_string(now()) + R"(,"exp":)" +
                                  std::to_string(now() + 300) + "}";
  const std::string device_jwt = device.jwt(header(device.thumbprint), poll_claims);
  auto poll = [&](const std::string &jwt) {
    const std::string path = "/api/v2/pins/" + std::to_string(id) + (jwt.empty() ? "" : "?deviceJWT=" + jwt);
    return http.Get(path.c_str(), httplib::Headers{{"X-Plex-Client-Identifier", kDeviceClient}});
  };
  r = poll(device_jwt);
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(parse(r->body)["authToken"].IsNull());
  fake.approve_pin(id, seed::kEmailA);
  r = poll("");  // approved, but no proof of the key: no token
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(parse(r->body)["authToken"].IsNull());
  DeviceKey other;
  EXPECT_EQ(error_of(poll(other.jwt(header(device.thumbprint), poll_claims))),
            "422 1099 Signature Verification Failed 422");
  EXPECT_EQ(error_of(poll(device.jwt(header(device.thumbprint), claims("", "someone-else")))),
            "422 1097 Issuer does not match the client identifier 422");
  EXPECT_EQ(error_of(poll(device.jwt(header(device.thumbprint), claims("", kDeviceClient, "\"plex.tv\"", -600, -1)))),
            "498 1096 Token Expired 498");

  r = poll(device_jwt);
  ASSERT_EQ(r->status, 200);
  ASSERT_TRUE(parse(r->body)["authToken"].IsString()) << r->body;
  const std::string token = parse(r->body)["authToken"].GetString();
  const Parts p = split_jwt(token);
  auto ks = keys();
  EXPECT_TRUE(ed25519_verify(ks["keys"][0]["x"].GetString(), p.signing_input, p.signature));
  auto c = parse(p.claims);
  EXPECT_EQ(c["thumbprint"].GetString(), device.thumbprint);
  EXPECT_STREQ(c["aud"][1].GetString(), kDeviceClient);
  EXPECT_STREQ(c["scope"].GetString(), kScope);
  EXPECT_EQ(c["user"]["id"].GetInt64(), seed::kIdA);
  auto user = get("/api/v2/user", token);
  ASSERT_EQ(user->status, 200);
  EXPECT_EQ(parse(user->body)["id"].GetInt64(), seed::kIdA);
  EXPECT_EQ(parse(poll(device_jwt)->body)["authToken"].GetString(), token);  // the same one again

  // The approval registered the key: the device refreshes through nonce and exchange.
  r = exchange(device.jwt(header(device.thumbprint), claims(nonce())));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(error_of(register_key(device.jwk(), "another-device")), "422 1098 Thumbprint Already Taken 422");
}

}  // namespace
