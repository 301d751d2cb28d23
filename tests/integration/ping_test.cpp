// ping: GET {plex.tv}/ping with X-Plex-Token; {"pong":true}. The first
// endpoint added under the API table (codegen/api.py): its entry point,
// result type and getters are generated.
#include "support.h"

namespace itest {
namespace {

TEST_F(Integration, PingSendsTheTokenAndReadsPong) {
  auto r = ping(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  int pong = -1;
  EXPECT_EQ(plexauth_pong_pong(r.value.get(), &pong), 1);
  EXPECT_EQ(pong, 1);
  EXPECT_EQ(plexauth_response_status(plexauth_pong_response(r.value.get())), 200);
  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].method, "GET");
  EXPECT_EQ(sent[0].path, "/api/v2/ping");
  EXPECT_EQ(sent[0].query, "");
  EXPECT_EQ(sent[0].header("X-Plex-Token"), std::string(seed::kTokenA));
  EXPECT_EQ(sent[0].header("Accept"), std::string("application/json"));
  EXPECT_EQ(sent[0].header("X-Plex-Client-Identifier"), std::string(kClientId));
  EXPECT_EQ(sent[0].body, "");
}

TEST_F(Integration, PingWithABadTokenIsUnauthorized) {
  auto stranger = client_with_token("not-a-token");
  auto r = ping(stranger.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_UNAUTHORIZED) << describe(r);
  EXPECT_EQ(r.value, nullptr);
  EXPECT_EQ(plexauth_error_http_status(r.error.get()), 401);
  int64_t code = 0;
  ASSERT_EQ(plexauth_error_plex_errors_count(r.error.get()), 1u);
  EXPECT_EQ(plexauth_error_plex_error_code(r.error.get(), 0, &code), 1);
  EXPECT_EQ(code, 1001);
  EXPECT_EQ(std::string(plexauth_error_message(r.error.get())).find("not-a-token"), std::string::npos);
}

// A 200 that is not JSON is malformed: ping needs the JSON body.
TEST_F(Integration, PingNeedsJson) {
  Fault f;
  f.status = 200;
  f.body = "true";
  f.content_type = "text/plain";
  fake.add_fault("/api/v2/ping", f);
  auto r = ping(client.get());
  EXPECT_EQ(r.status, PLEXAUTH_E_MALFORMED_RESPONSE) << describe(r);
}

// 5XX is retried like every idempotent operation; the attempts are counted.
TEST_F(Integration, PingRetriesServerErrors) {
  Fault f;
  f.status = 503;
  fake.add_fault("/api/v2/ping", f);
  fake.add_fault("/api/v2/ping", f);
  auto opts = call_options();
  auto retry = fast_retry(5);
  ASSERT_EQ(plexauth_call_options_set_retry(opts.get(), retry.get()), PLEXAUTH_OK);
  auto r = ping(client.get(), opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_EQ(fake.requests_to("/api/v2/ping").size(), 3u);
}

// Identity overrides on the call options beat the client's, for this call only.
TEST_F(Integration, CallOptionsOverrideTheIdentity) {
  auto opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_client_id(opts.get(), "per-call-id"), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_call_options_set_device_nickname(opts.get(), "Per Call"), PLEXAUTH_OK);
  ASSERT_EQ(ping(client.get(), opts.get()).status, PLEXAUTH_OK);
  ASSERT_EQ(ping(client.get()).status, PLEXAUTH_OK);
  const auto sent = fake.requests();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].header("X-Plex-Client-Identifier"), std::string("per-call-id"));
  EXPECT_EQ(sent[0].header("X-Plex-Device"), std::string("Per Call"));
  EXPECT_EQ(sent[0].header("X-Plex-Product"), std::string(kProduct));
  EXPECT_EQ(sent[1].header("X-Plex-Client-Identifier"), std::string(kClientId));
  ASSERT_EQ(plexauth_call_options_set_client_id(opts.get(), nullptr), PLEXAUTH_OK);
  ASSERT_EQ(ping(client.get(), opts.get()).status, PLEXAUTH_OK);
  EXPECT_EQ(fake.requests()[2].header("X-Plex-Client-Identifier"), std::string(kClientId));
  EXPECT_EQ(fake.requests()[2].header("X-Plex-Device"), std::string("Per Call"));
}

}  // namespace
}  // namespace itest
