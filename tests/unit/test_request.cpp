// Request building: exact URLs, form bodies and headers, and the checks on
// caller input and the redaction of secrets.
#include <gtest/gtest.h>

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
  EXPECT_EQ(check_base_url("https://plex.tv/api/v2", "u"), "https://plex.tv/api/v2");
  EXPECT_EQ(check_base_url("http://[::1]:8080", "u"), "http://[::1]:8080");
  EXPECT_THROW(check_base_url("ftp://x", "u"), Error);
  EXPECT_THROW(check_base_url("127.0.0.1:32400", "u"), Error);
  EXPECT_THROW(check_base_url("http://user:pw@host", "u"), Error);
  EXPECT_THROW(check_base_url("", "u"), Error);
}

TEST(Redact, SecretsAndCredentialMembersAreHidden) {
  Redactor r;
  r.add("CxoUzBTSV5hsxjTpFKaf");
  r.add("abc");  // too short to hide by substring
  EXPECT_EQ(r.apply("X-Plex-Token: CxoUzBTSV5hsxjTpFKaf"), "X-Plex-Token: <redacted>");
  EXPECT_EQ(r.apply(R"({"authToken":"zzz","id":1,"accessToken" : "q\"q","token":"t"})"),
            R"({"authToken":"<redacted>","id":1,"accessToken" : "<redacted>","token":"<redacted>"})");
  EXPECT_EQ(r.apply("abc"), "abc");
}

}  // namespace
}  // namespace plexauth
