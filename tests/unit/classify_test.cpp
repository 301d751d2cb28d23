// Error classification: which status a response becomes, with which Plex
// errors, and whether it may be retried.
#include <gtest/gtest.h>

#include "core/operation.h"
#include "core/operations.gen.h"

namespace plexauth {
namespace {

Response json_response(int status, std::string body, std::vector<Header> headers = {}) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

const char *k401 = R"({"errors":[{"code":1001,"message":"User could not be authenticated","status":401}]})";
const char *k400 = R"({"errors":[{"code":1000,"message":"X-Plex-Client-Identifier is missing","status":400}]})";
const char *k1029 = R"({"errors":[{"code":1029,"message":"Please enter the verification code","status":401}]})";

TEST(Classify, SuccessStatusesPerOperation) {
  EXPECT_TRUE(classify(op::kGetTokenDetails, json_response(200, "{}"), 0).ok);
  EXPECT_TRUE(classify(op::kPostUsersSignInData, json_response(201, "{}"), 0).ok);
  // Sign-in succeeds with 201 only: a 200 is an unexpected response.
  auto c = classify(op::kPostUsersSignInData, json_response(200, "{}"), 0);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.error.status, Status::MalformedResponse);
  EXPECT_NE(c.error.message.find("expected 201"), std::string::npos);
}

TEST(Classify, WrongContentTypeOnSuccessIsMalformed) {
  Response html = json_response(200, "<html></html>");
  html.content_type = "text/html";
  auto c = classify(op::kGetTokenDetails, html, 0);
  EXPECT_EQ(c.error.status, Status::MalformedResponse);
  EXPECT_NE(c.error.message.find("text/html"), std::string::npos);
  EXPECT_FALSE(c.verdict.retryable);
  EXPECT_EQ(classify(op::kGetTransientToken, html, 0).error.status, Status::MalformedResponse);
}

TEST(Classify, EmptyBodyOnAPmsSuccessIsFineWhateverTheContentType) {
  Response empty;
  empty.status = 200;
  EXPECT_TRUE(classify(op::kGetTransientToken, empty, 0).ok);
  EXPECT_TRUE(classify(op::kGetSourceConnectionInformation, empty, 0).ok);
  EXPECT_FALSE(classify(op::kGetTokenDetails, empty, 0).ok);  // plex.tv must answer JSON
}

TEST(Classify, BadRequestKeepsPlexErrors) {
  auto c = classify(op::kPostUsersSignInData, json_response(400, k400), 0);
  EXPECT_EQ(c.error.status, Status::BadRequest);
  ASSERT_EQ(c.error.plex_errors.size(), 1u);
  EXPECT_EQ(*c.error.plex_errors[0].code, 1000);
  EXPECT_EQ(*c.error.plex_errors[0].status, 400);
  EXPECT_EQ(*c.error.plex_errors[0].message, "X-Plex-Client-Identifier is missing");
  EXPECT_EQ(c.error.http_status, 400);
  EXPECT_FALSE(c.verdict.retryable);
}

TEST(Classify, UnauthorizedAndInvalidToken) {
  auto c = classify(op::kGetTokenDetails, json_response(401, k401), 0);
  EXPECT_EQ(c.error.status, Status::Unauthorized);
  EXPECT_EQ(*c.error.plex_errors.at(0).code, 1001);
  auto revoked = classify(op::kGetTokenDetails,
                          json_response(422, R"({"errors":[{"code":1001,"message":"Invalid token","status":422}]})"), 0);
  EXPECT_EQ(revoked.error.status, Status::Unauthorized);
  EXPECT_NE(revoked.error.message.find("invalid token"), std::string::npos);
}

TEST(Classify, Code1029IsTwoFactorRequiredAnd1031IsThrottled) {
  EXPECT_EQ(classify(op::kPostUsersSignInData, json_response(401, k1029), 0).error.status, Status::TwoFactorRequired);
  auto t = classify(op::kPostUsersSignInData,
                    json_response(429, R"({"errors":[{"code":1031,"message":"This IP appears to be having trouble"}]})"), 0);
  EXPECT_EQ(t.error.status, Status::SignInThrottled);
  EXPECT_FALSE(t.verdict.retryable);
}

TEST(Classify, HtmlErrorBodiesStillClassifyByStatus) {
  Response r = json_response(401, "<html>nope</html>");
  r.content_type = "text/html";
  auto c = classify(op::kGetTransientToken, r, 0);
  EXPECT_EQ(c.error.status, Status::Unauthorized);
  EXPECT_TRUE(c.error.plex_errors.empty());
}

TEST(Classify, RateLimitedIsRetriedOnGetsOnlyAndKeepsRetryAfter) {
  Response r = json_response(429, "", {{"Retry-After", "3"}});
  auto get = classify(op::kGetTokenDetails, r, 0);
  EXPECT_EQ(get.error.status, Status::RateLimited);
  EXPECT_EQ(get.error.retry_after_ms, 3000);
  EXPECT_TRUE(get.verdict.retryable);
  EXPECT_EQ(get.verdict.retry_after_ms, 3000);
  auto post = classify(op::kPostUsersSignInData, r, 0);
  EXPECT_EQ(post.error.status, Status::RateLimited);
  EXPECT_EQ(post.error.retry_after_ms, 3000);
  EXPECT_FALSE(post.verdict.retryable);  // never retry sign-in after a 4XX
}

TEST(Classify, RetryAfterHeaderNameIsCaseInsensitiveAndDatesWork) {
  Response r = json_response(503, "", {{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}});
  auto c = classify(op::kGetTransientToken, r, 784111777 - 5);
  EXPECT_EQ(c.error.status, Status::Http);
  EXPECT_EQ(c.error.retry_after_ms, 5000);
  EXPECT_TRUE(c.verdict.retryable);
}

TEST(Classify, ServerErrorsAreRetriedForEveryOperation) {
  for (const Operation *op : {&op::kGetTransientToken, &op::kGetSourceConnectionInformation, &op::kGetTokenDetails,
                              &op::kPostUsersSignInData}) {
    auto c = classify(*op, json_response(502, "bad gateway"), 0);
    EXPECT_EQ(c.error.status, Status::Http) << op->name;
    EXPECT_TRUE(c.verdict.retryable) << op->name;
    EXPECT_FALSE(c.verdict.retry_after_ms) << op->name;
  }
}

TEST(Classify, OtherClientErrorsAreHttpErrorsAndNotRetried) {
  auto c = classify(op::kGetSourceConnectionInformation, json_response(404, "{}"), 0);
  EXPECT_EQ(c.error.status, Status::Http);
  EXPECT_EQ(c.error.http_status, 404);
  EXPECT_FALSE(c.verdict.retryable);
}

TEST(Classify, RedirectsAreNotFollowed) {
  Response r = json_response(302, "", {{"Location", "https://elsewhere.example/user"}});
  auto c = classify(op::kGetTokenDetails, r, 0);
  EXPECT_EQ(c.error.status, Status::Http);
  EXPECT_NE(c.error.message.find("redirect"), std::string::npos);
  EXPECT_FALSE(c.verdict.retryable);
}

TEST(PlexErrors, TolerantOfOddShapes) {
  EXPECT_TRUE(parse_plex_errors("").empty());
  EXPECT_TRUE(parse_plex_errors("not json").empty());
  EXPECT_TRUE(parse_plex_errors(R"({"errors":"x"})").empty());
  auto e = parse_plex_errors(R"({"errors":[{"code":"1000"},{"message":"m"},3]})");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_FALSE(e[0].code);  // wrong type: absent, not a crash
  EXPECT_EQ(*e[1].message, "m");
}

}  // namespace
}  // namespace plexauth
