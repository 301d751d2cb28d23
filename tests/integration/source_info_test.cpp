// get_source_connection_information: GET {PMS}/security/resources?source=...
#include "support.h"

namespace itest {
namespace {

TEST_F(Integration, SourceInfoDescribesTheServerAndItsConnections) {
  auto r = get_source_info(client.get(), "server://3381b62b9ab74e37");
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const plexauth_source_info *s = r.value.get();
  EXPECT_STREQ(plexauth_source_info_name(s), "Living Room");
  EXPECT_STREQ(plexauth_source_info_client_identifier(s), "3381b62b9ab74e37");
  EXPECT_STREQ(plexauth_source_info_access_token(s), "srcAccessTok0123456789");

  ASSERT_EQ(plexauth_source_info_connections_count(s), 2u);
  const plexauth_connection *lan = plexauth_source_info_connections_at(s, 0);
  EXPECT_STREQ(plexauth_connection_protocol(lan), "https");
  EXPECT_STREQ(plexauth_connection_address(lan), "10.0.0.5");
  EXPECT_STREQ(plexauth_connection_uri(lan), "https://10.0.0.5:32400");
  int64_t port = 0;
  ASSERT_EQ(plexauth_connection_port(lan, &port), 1);
  EXPECT_EQ(port, 32400);
  int b = -1;
  ASSERT_EQ(plexauth_connection_local(lan, &b), 1);
  EXPECT_EQ(b, 1);
  ASSERT_EQ(plexauth_connection_relay(lan, &b), 1);
  EXPECT_EQ(b, 0);

  const plexauth_connection *relay = plexauth_source_info_connections_at(s, 1);
  EXPECT_STREQ(plexauth_connection_uri(relay), "https://203-0-113-7.3381b62b9ab74e37.plex.direct:8443");
  ASSERT_EQ(plexauth_connection_port(relay, &port), 1);
  EXPECT_EQ(port, 8443);
  ASSERT_EQ(plexauth_connection_relay(relay, &b), 1);
  EXPECT_EQ(b, 1);
  EXPECT_EQ(plexauth_source_info_connections_at(s, 2), nullptr);

  EXPECT_EQ(plexauth_response_status(plexauth_source_info_response(s)), 200);

  auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  expect_bodiless_get(sent[0], kResourcesPath, "source=server%3A%2F%2F3381b62b9ab74e37");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), seed::kTokenA);
  expect_identity(sent[0]);
}

TEST_F(Integration, SourceWithReservedCharactersIsEncodedInTheQuery) {
  const std::string odd = "provider://tv.plex.provider.epg?x=1&y=2 #z";
  fake.add_source({odd, "EPG", "tv.plex.provider.epg", "epgToken", {}});
  auto r = get_source_info(client.get(), odd.c_str());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);  // the fake decoded the same source
  EXPECT_STREQ(plexauth_source_info_name(r.value.get()), "EPG");
  EXPECT_EQ(plexauth_source_info_connections_count(r.value.get()), 0u);
  const RecordedRequest sent = fake.requests()[0];
  EXPECT_EQ(sent.query_param("source"), odd);
  EXPECT_EQ(sent.query.find_first_of("&?# "), std::string::npos) << sent.query;
}

TEST_F(Integration, UnknownSourceIsAnHttpError) {
  auto r = get_source_info(client.get(), "server://0000000000000000");
  ASSERT_EQ(r.status, PLEXAUTH_E_HTTP) << describe(r);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 404);
  const char *body = plexauth_error_body(r.error.get(), nullptr);
  ASSERT_NE(body, nullptr);
  EXPECT_NE(std::string(body).find("Source not found"), std::string::npos) << body;
  EXPECT_EQ(plexauth_error_attempts(r.error.get()), 1u);  // a 4XX is not retried
}

TEST_F(Integration, EmptySourceIsRejectedBeforeSending) {
  auto empty = get_source_info(client.get(), "");
  auto null = get_source_info(client.get(), nullptr);
  EXPECT_EQ(empty.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(empty);
  EXPECT_EQ(null.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(null);
  EXPECT_EQ(plexauth_error_attempts(empty.error.get()), 0u);
  EXPECT_TRUE(fake.requests().empty());
}

TEST_F(Integration, SourceInfoNeedsAValidToken) {
  auto stranger = client_with_token("notARealToken0000000");
  auto r = get_source_info(stranger.get(), seed::kSource);
  ASSERT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(plex_error(r.error.get(), 0), "1001 User could not be authenticated 401");
}

TEST_F(Integration, SourceInfoWithoutDeviceIsSuccessWithFieldsAbsent) {
  fake.add_fault(kResourcesPath, body_fault(200, R"({"MediaContainer":{"size":0}})", kJson));
  auto r = get_source_info(client.get(), seed::kSource);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(plexauth_source_info_name(r.value.get()), nullptr);
  EXPECT_EQ(plexauth_source_info_client_identifier(r.value.get()), nullptr);
  EXPECT_EQ(plexauth_source_info_access_token(r.value.get()), nullptr);
  EXPECT_EQ(plexauth_source_info_connections_count(r.value.get()), 0u);
}

}  // namespace
}  // namespace itest
