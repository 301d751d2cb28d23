// Request building: exact URLs, form bodies and headers, and the checks on
// caller input and the redaction of secrets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/redact.h"
#include "core/request.h"
#include "core/validate.h"
#include "core/operations.gen.h"

namespace plexauth {
namespace {

TEST(BuildUrl, PathsAndQueriesOfEachOperation) {
  EXPECT_EQ(build_url("http://127.0.0.1:32400", op::kGetTransientToken, {{"type", "delegation"}, {"scope", "all"}}),
            "http://127.0.0.1:32400/security/token?type=delegation&scope=all");
  EXPECT_EQ(build_url("http://h:1", op::kGetSourceConnectionInformation, {{"source", "server://abc def&x=1"}}),
            "http://h:1/security/resources?source=server%3A%2F%2Fabc%20def%26x%3D1");
  EXPECT_EQ(build_url("https://plex.tv/api/v2", op::kGetTokenDetails, {}), "https://plex.tv/api/v2/user");
  EXPECT_EQ(build_url("https://plex.tv/api/v2", op::kPostUsersSignInData, {}), "https://plex.tv/api/v2/users/signin");
}

SignInRequest request(std::string login, std::string password) {
  SignInRequest r;
  r.login = std::move(login);
  r.password = Secret(password);
  return r;
}

TEST(SignInForm, FieldOrderAndAlwaysRememberMe) {
  EXPECT_EQ(encode_sign_in_form(request("username@email.com", "password123")).reveal(),
            "login=username%40email.com&password=password123&rememberMe=false");
  auto r = request("u", "p");
  r.remember_me = true;
  r.verification_code = Secret("123456");
  EXPECT_EQ(encode_sign_in_form(r).reveal(), "login=u&password=p&rememberMe=true&verificationCode=123456");
}

TEST(SignInForm, OddCharactersArePercentEncoded) {
  EXPECT_EQ(encode_sign_in_form(request("a+b c@x", "p&w=d%ü")).reveal(),
            "login=a%2Bb%20c%40x&password=p%26w%3Dd%25%C3%BC&rememberMe=false");
}

TEST(SignInForm, LoginAndPasswordAreRequired) {
  SignInRequest r;
  r.password = Secret("x");
  EXPECT_THROW(encode_sign_in_form(r), Error);
  EXPECT_THROW(encode_sign_in_form(request("u", "")), Error);
}

TEST(Headers, IdentityOnEveryOperationInOrderAndOverridesWin) {
  Identity id;
  id.client_id = "3381b62b-9ab7-4e37-827b-203e9809eb58";
  id.client_name = "Plex for Roku";
  id.client_version = "2.4.1";
  id.platform = "Roku";
  id.device_nickname = "Roku 3";
  const std::vector<std::string> expected = {
      "Accept: application/json", "X-Plex-Client-Identifier: 3381b62b-9ab7-4e37-827b-203e9809eb58",
      "X-Plex-Product: Plex for Roku", "X-Plex-Version: 2.4.1", "X-Plex-Platform: Roku", "X-Plex-Device: Roku 3"};
  EXPECT_EQ(build_headers(op::kGetTransientToken, id, nullptr), expected);
  EXPECT_EQ(build_headers(op::kGetTokenDetails, id, nullptr), expected);

  Identity over;
  over.client_id = "per-request";
  auto h = build_headers(op::kPostUsersSignInData, id, &over);
  EXPECT_EQ(h[1], "X-Plex-Client-Identifier: per-request");
  EXPECT_EQ(h[2], "X-Plex-Product: Plex for Roku");
  EXPECT_EQ(h.back(), "Content-Type: application/x-www-form-urlencoded");
}

TEST(Headers, UnsetIdentityIsLeftOutAndBodilessRequestsHaveNoContentType) {
  auto h = build_headers(op::kGetTokenDetails, Identity{}, nullptr);
  EXPECT_EQ(h, std::vector<std::string>{"Accept: application/json"});
}

TEST(Validate, RejectsControlCharactersBadUtf8AndAbsurdSizes) {
  EXPECT_NO_THROW(check_text("Roku 3 — ünïcode", "x"));
  EXPECT_THROW(check_text("a\r\nX-Evil: 1", "x"), Error);
  EXPECT_THROW(check_text(std::string_view("a\0b", 3), "x"), Error);
  EXPECT_THROW(check_text("\xC0\xAF", "x"), Error);          // overlong
  EXPECT_THROW(check_text("\xED\xA0\x80", "x"), Error);      // surrogate
  EXPECT_THROW(check_text("\xF4\x90\x80\x80", "x"), Error);  // > U+10FFFF
  EXPECT_THROW(check_text("\xE2\x82", "x"), Error);          // truncated
  EXPECT_THROW(check_text(std::string(1 << 20, 'a'), "x"), Error);
  try {
    check_text("secret\nvalue", "access token");
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::InvalidArgument);
    EXPECT_STREQ(e.what(), "access token contains a control character");  // names it, never echoes it
  }
}

TEST(Validate, BaseUrls) {
  EXPECT_EQ(check_base_url("http://127.0.0.1:32400/", "u"), "http://127.0.0.1:32400");
  // Idempotent: every trailing slash goes (fuzz_resources found "https://2.2.3.//" kept as ".../").
  EXPECT_EQ(check_base_url("https://2.2.3.4//", "u"), "https://2.2.3.4");
  EXPECT_EQ(check_base_url("http://h:1/plex///", "u"), "http://h:1/plex");
  EXPECT_EQ(check_base_url("https://plex.tv/api/v2", "u"), "https://plex.tv/api/v2");
  EXPECT_EQ(check_base_url("http://[::1]:8080", "u"), "http://[::1]:8080");
  EXPECT_THROW(check_base_url("ftp://x", "u"), Error);
  EXPECT_THROW(check_base_url("127.0.0.1:32400", "u"), Error);
  EXPECT_THROW(check_base_url("http://user:pw@host", "u"), Error);
  EXPECT_THROW(check_base_url("", "u"), Error);
}

// Userinfo, a query or a fragment: refused, naming the setting and never
// echoing the value (which may hold a secret).
TEST(CheckBaseUrl, RefusesUserinfoQueryAndFragmentWithoutEchoingThem) {
  const struct {
    const char *url;
    const char *says;
  } cases[] = {
      {"http://user@127.0.0.1:32400", "must not carry credentials"},
      {"http://user:s3cretpw@127.0.0.1:32400", "must not carry credentials"},
      {"http://:s3cretpw@127.0.0.1", "must not carry credentials"},
      {"http://@127.0.0.1", "must not carry credentials"},
      {"http://127.0.0.1:32400/?X-Plex-Token=s3cretpw", "must not have a ?query"},
      {"http://127.0.0.1:32400?", "must not have a ?query"},
      {"https://plex.tv/api/v2#s3cretpw", "must not have a #fragment"},
      {"https://plex.tv/api/v2#", "must not have a #fragment"},
  };
  for (const auto &c : cases) {
    try {
      check_base_url(c.url, "server URL");
      ADD_FAILURE() << c.url << " was accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), Status::InvalidArgument);
      const std::string m = e.what();
      EXPECT_EQ(m.rfind("server URL ", 0), 0u) << m;
      EXPECT_NE(m.find(c.says), std::string::npos) << c.url << ": " << m;
      EXPECT_EQ(m.find("s3cretpw"), std::string::npos) << m;
      EXPECT_EQ(m.find("user"), m.find("user@")) << m;  // only in "(user@ or ...)"
    }
  }
  EXPECT_EQ(check_base_url("http://127.0.0.1:32400/pms", "u"), "http://127.0.0.1:32400/pms");
}

TEST(Redact, SecretsAndCredentialMembersAreHidden) {
  Redactor r;
  r.add("CxoUzBTSV5hsxjTpFKaf");
  EXPECT_EQ(r.apply("X-Plex-Token: CxoUzBTSV5hsxjTpFKaf"), "X-Plex-Token: <redacted>");
  EXPECT_EQ(r.apply(R"({"authToken":"zzz","id":1,"accessToken" : "q\"q","token":"t"})"),
            R"({"authToken":"<redacted>","id":1,"accessToken" : "<redacted>","token":"<redacted>"})");
}

// A secret shorter than 4 bytes is hidden too (it used to be skipped).
TEST(Redact, ShortSecretsAreHidden) {
  Redactor r;
  r.add("abc");
  r.add("7");
  EXPECT_EQ(r.apply("pw abc, code 7"), "pw <redacted>, code <redacted>");
  EXPECT_EQ(r.apply("login=x&password=abc&verificationCode=7"),
            "login=x&password=<redacted>&verificationCode=<redacted>");
}

// Every spelling a server may echo a secret in.
TEST(Redact, EverySpellingOfASecretIsHidden) {
  Redactor r;
  const std::string pw = "p@ss w/rd\"q\\é+&=";
  r.add(pw);
  const std::vector<std::string> spellings = {
      pw,
      "p%40ss%20w%2Frd%22q%5C%C3%A9%2B%26%3D",   // curl_easy_escape
      "p%40ss+w%2Frd%22q%5C%C3%A9%2B%26%3D",     // application/x-www-form-urlencoded
      "p%40ss+w%2frd%22q%5c%c3%a9%2b%26%3d",     // lower-case hex
      "p@ss w/rd\\\"q\\\\é+&=",             // JSON (RapidJSON)
      "p@ss w\\/rd\\\"q\\\\\\u00e9+&=",   // JSON, ASCII-only, "\/" (Python, PHP)
      "p@ss w/rd&quot;q\\é+&amp;=",             // XML
  };
  for (const std::string &s : spellings) {
    const std::string out = r.apply("before " + s + " after");
    EXPECT_EQ(out, "before <redacted> after") << s;
  }
  // Inside a JSON document that is itself a JSON string value.
  const std::string nested = "{\"message\":\"{\\\"password\\\":\\\"p@ss w/rd\\\\\\\"q\\\\\\\\é+&=\\\"}\"}";
  EXPECT_EQ(r.apply(nested).find("ss w"), std::string::npos) << r.apply(nested);
}

// Server-issued tokens are hidden by value once seen, wherever they occur,
// also behind escaped keys and in XML attributes.
TEST(Redact, ServerTokensAreLearnedByValue) {
  Redactor r;
  EXPECT_EQ(r.apply(R"({"user":{"authToken":"SrvTok111"}})"), R"({"user":{"authToken":"<redacted>"}})");
  EXPECT_EQ(r.apply("later: SrvTok111 in a message"), "later: <redacted> in a message");

  EXPECT_EQ(r.apply(R"({"auth\u0054oken":"SrvTok222","x":"SrvTok222"})"),
            R"({"auth\u0054oken":"<redacted>","x":"<redacted>"})");
  EXPECT_EQ(r.apply(R"({"errors":[{"message":"{\"authToken\":\"SrvTok333\"} SrvTok333"}]})"),
            R"({"errors":[{"message":"{\"authToken\":\"<redacted>\"} <redacted>"}]})");
  EXPECT_EQ(r.apply(R"(<user authToken="SrvTok444" id="1"/> SrvTok444)"),
            R"(<user authToken="<redacted>" id="1"/> <redacted>)");
  EXPECT_EQ(r.apply(R"(<Device authenticationToken='SrvTok555' accessToken = "SrvTok666"/>)"),
            R"(<Device authenticationToken='<redacted>' accessToken = "<redacted>"/>)");
  EXPECT_EQ(r.apply("SrvTok555 SrvTok666"), "<redacted> <redacted>");
  // A short value is hidden where it stands, not everywhere.
  EXPECT_EQ(r.apply(R"({"token":"t","text":"t"})"), R"({"token":"<redacted>","text":"t"})");
}

}  // namespace
}  // namespace plexauth
