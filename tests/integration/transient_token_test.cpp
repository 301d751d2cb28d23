// get_transient_token: GET {PMS}/security/token?type=delegation&scope=all.
#include "support.h"

namespace itest {
namespace {

TEST_F(Integration, TransientTokenIsIssuedForTheAccountToken) {
  auto r = get_transient_token(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const char *token = plexauth_transient_token_token(r.value.get());
  ASSERT_NE(token, nullptr);
  ASSERT_EQ(fake.transient_tokens().size(), 1u);
  EXPECT_EQ(token, fake.transient_tokens()[0]);

  const plexauth_response *resp = plexauth_transient_token_response(r.value.get());
  EXPECT_EQ(plexauth_response_status(resp), 200);
  EXPECT_STREQ(plexauth_response_content_type(resp), kJson);
  EXPECT_STREQ(plexauth_response_header(resp, "content-type"), kJson);
  size_t len = 0;
  const char *body = plexauth_response_body(resp, &len);
  EXPECT_EQ(std::string(body, len), R"({"MediaContainer":{"size":0,"token":")" + std::string(token) + R"("}})");

  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  expect_bodiless_get(sent[0], kTokenPath, "type=delegation&scope=all");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), seed::kTokenA);
  expect_identity(sent[0]);
}

TEST_F(Integration, TransientTokenLetsADelegateReadTheSource) {
  auto issued = get_transient_token(client.get(), nullptr, "delegation", "all");
  ASSERT_EQ(issued.status, PLEXAUTH_OK) << describe(issued);
  const std::string transient = plexauth_transient_token_token(issued.value.get());

  auto delegate = client_with_token(transient.c_str());
  auto r = get_source_info(delegate.get(), seed::kSource);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_source_info_access_token(r.value.get()), seed::kSourceAccessToken);
  EXPECT_EQ(fake.requests_to(kResourcesPath)[0].header("X-Plex-Token"), transient);
}

TEST_F(Integration, TransientTokenOfAnUnknownTypeIsABadRequest) {
  auto r = get_transient_token(client.get(), nullptr, "refresh", "all");
  ASSERT_EQ(r.status, PLEXAUTH_E_BAD_REQUEST) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 400);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1000 type must be delegation and scope must be all 400");
  EXPECT_EQ(fake.requests()[0].query, "type=refresh&scope=all");
}

TEST_F(Integration, TransientTokenNeedsAValidToken) {
  auto stranger = client_with_token("notARealToken0000000");
  auto r = get_transient_token(stranger.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 User could not be authenticated 401");
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);
  EXPECT_TRUE(fake.transient_tokens().empty());
}

TEST_F(Integration, TransientTokenWithoutATokenSendsNoHeader) {
  auto nobody = client_with_token(nullptr);
  auto r = get_transient_token(nobody.get());
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  ASSERT_EQ(fake.requests().size(), 1u);
  EXPECT_FALSE(fake.requests()[0].header("X-Plex-Token").has_value());
  expect_identity(fake.requests()[0]);
}

TEST_F(Integration, TransientTokenAnswerWithoutTokenIsStillSuccess) {
  // The seed spec documents no body for this 200.
  fake.add_faults(kTokenPath, {body_fault(200, R"({"MediaContainer":{"size":0}})", kJson),
                               body_fault(200, "", kJson)});
  auto no_token = get_transient_token(client.get());
  auto empty = get_transient_token(client.get());
  ASSERT_EQ(no_token.status, PLEXAUTH_OK) << describe(no_token);
  ASSERT_EQ(empty.status, PLEXAUTH_OK) << describe(empty);
  EXPECT_EQ(plexauth_transient_token_token(no_token.value.get()), nullptr);
  EXPECT_EQ(plexauth_transient_token_token(empty.value.get()), nullptr);
}

}  // namespace
}  // namespace itest
