// list_resources and plexauth_client_connect against the fake's topology of
// loopback servers (tests/fake/README.md "Topology"): real sockets, real
// black holes, real refusals, a server answering with another identifier,
// and a plex.direct name verified over TLS.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "support.h"

namespace itest {
namespace {

constexpr char kOffice[] = "0ff1ce0000000000";
constexpr char kOfficeToken[] = "officeTok123";

std::string topology(const std::string &connections, const std::string &extra = "") {
  return std::string(R"({"servers":[{"name":"Office","clientIdentifier":")") + kOffice + R"(",)" + extra +
         R"("accessToken":")" + kOfficeToken + R"(","connections":[)" + connections + "]}]}";
}

struct Listed {
  Owned<plexauth_resources> all;
  const plexauth_resource *office = nullptr;
};

Listed list(plexauth_client *client) {
  Listed out;
  auto r = run<plexauth_resources>([&](plexauth_resources **o, plexauth_error **e) {
    return plexauth_client_list_resources(o, client, nullptr, e);
  });
  EXPECT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  out.all = std::move(r.value);
  for (size_t i = 0; out.all && i < plexauth_resources_devices_count(out.all.get()); ++i) {
    const plexauth_resource *d = plexauth_resources_devices_at(out.all.get(), i);
    const char *id = plexauth_resource_client_identifier(d);
    if (id && std::string(id) == kOffice) out.office = d;
  }
  return out;
}

Owned<plexauth_connect_options> options(int64_t stagger, int64_t grace, int64_t deadline) {
  plexauth_connect_options *o = nullptr;
  EXPECT_EQ(plexauth_connect_options_new(&o, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_connect_options_set_stagger_ms(o, stagger), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_connect_options_set_grace_ms(o, grace), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_connect_options_set_deadline_ms(o, deadline), PLEXAUTH_OK);
  return Owned<plexauth_connect_options>(o);
}

Result<plexauth_connect_result> connect(plexauth_client *client, const plexauth_resource *res,
                                        const plexauth_connect_options *opts) {
  return run<plexauth_connect_result>([&](plexauth_connect_result **o, plexauth_error **e) {
    return plexauth_client_connect(o, client, res, opts, e);
  });
}

std::string outcome(const plexauth_connect_result *r, size_t i) {
  const char *o = plexauth_connect_result_attempt_outcome(r, i);
  return o ? o : "(null)";
}

TEST(Resources, AccountAsDevicesWithConnectionsAndTokens) {
  FakePlex fake;
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  auto r = run<plexauth_resources>([&](plexauth_resources **o, plexauth_error **e) {
    return plexauth_client_list_resources(o, client.get(), nullptr, e);
  });
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const auto sent = fake.requests().back();
  EXPECT_EQ(sent.path, "/api/v2/resources");
  EXPECT_EQ(sent.query, "includeHttps=1&includeRelay=1&includeIPv6=1");
  EXPECT_EQ(sent.header("Accept").value_or(""), "application/json");
  EXPECT_EQ(sent.header("X-Plex-Token").value_or(""), seed::kTokenA);
  ASSERT_EQ(plexauth_resources_devices_count(r.value.get()), 3u);
  const plexauth_resource *living = plexauth_resources_devices_at(r.value.get(), 0);
  EXPECT_STREQ(plexauth_resource_name(living), seed::kSourceName);
  EXPECT_STREQ(plexauth_resource_access_token(living), seed::kSourceAccessToken);
  int owned = 0;
  ASSERT_EQ(plexauth_resource_owned(living, &owned), 1);
  EXPECT_EQ(owned, 1);
  EXPECT_GE(plexauth_resource_connections_count(living), 1u);
  const plexauth_resource *shared = plexauth_resources_devices_at(r.value.get(), 1);
  EXPECT_EQ(plexauth_resource_access_token(shared), nullptr) << "a null accessToken reads as absent";
  ASSERT_EQ(plexauth_resource_owned(shared, &owned), 1);
  EXPECT_EQ(owned, 0);
  int64_t owner = 0;
  EXPECT_EQ(plexauth_resource_owner_id(shared, &owner), 1);
  bool has_ipv6 = false;
  for (size_t i = 0; i < plexauth_resource_connections_count(shared); ++i) {
    int v6 = 0;
    if (plexauth_connection_ipv6(plexauth_resource_connections_at(shared, i), &v6) == 1 && v6) has_ipv6 = true;
  }
  EXPECT_TRUE(has_ipv6);
  EXPECT_STREQ(plexauth_resource_provides(plexauth_resources_devices_at(r.value.get(), 2)), "client,player");
  // The JSON view keeps the array under "devices", the token included.
  size_t len = 0;
  const char *json = plexauth_resources_json(r.value.get(), &len);
  rapidjson::Document doc;
  doc.Parse(json, len);
  ASSERT_TRUE(doc.IsObject() && doc["devices"].IsArray());
  EXPECT_EQ(doc["devices"].Size(), 3u);
}

TEST(Resources, AnotherAccountHasNone) {
  FakePlex fake;
  auto client = new_client(fake_config(fake, seed::kTokenB).get());
  Listed l = list(client.get());
  ASSERT_TRUE(l.all);
  EXPECT_EQ(plexauth_resources_devices_count(l.all.get()), 0u);
}

TEST(Connect, BlackHolesRefusalsAndAWrongServerLoseToTheRelay) {
  FakePlex fake;
  fake.set_topology(topology(
      R"({"behaviour":"blackhole","local":true},{"behaviour":"blackhole","local":true},)"
      R"({"behaviour":"refuse"},{"behaviour":"wrong_id"},{"behaviour":"unauthorized"},)"
      R"({"behaviour":"blackhole"},{"behaviour":"ok","relay":true,"delay_ms":20})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  const size_t before = fake.requests().size();
  auto opts = options(100, 50, 5000);
  auto r = connect(client.get(), l.office, opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const plexauth_connect_result *res = r.value.get();
  EXPECT_STREQ(plexauth_connect_result_machine_identifier(res), kOffice);
  EXPECT_STREQ(plexauth_connect_result_access_token(res), kOfficeToken);
  ASSERT_EQ(plexauth_connect_result_attempts_count(res), 7u);
  // Preference order: the two local black holes, then remote, then the relay.
  EXPECT_STREQ(plexauth_connect_result_attempt_location(res, 0), "local");
  EXPECT_STREQ(plexauth_connect_result_attempt_location(res, 6), "relay");
  EXPECT_STREQ(plexauth_connect_result_uri(res), plexauth_connect_result_attempt_uri(res, 6));
  EXPECT_EQ(outcome(res, 6), "ok");
  EXPECT_EQ(outcome(res, 0), "abandoned");
  EXPECT_EQ(outcome(res, 1), "abandoned");
  EXPECT_EQ(outcome(res, 2), "failed");
  EXPECT_EQ(plexauth_connect_result_attempt_status(res, 2), PLEXAUTH_E_TRANSPORT);  // refused
  EXPECT_EQ(outcome(res, 3), "failed");
  EXPECT_EQ(plexauth_connect_result_attempt_status(res, 3), PLEXAUTH_E_MALFORMED_RESPONSE);  // another server
  EXPECT_NE(std::string(plexauth_connect_result_attempt_message(res, 3)).find(seed::kWrongMachineIdentifier),
            std::string::npos);
  EXPECT_EQ(plexauth_connect_result_attempt_status(res, 4), PLEXAUTH_E_UNAUTHORIZED);
  EXPECT_EQ(outcome(res, 5), "abandoned");
  // Staggered: each probe started no earlier than the one before it.
  int64_t last = 0;
  for (size_t i = 0; i < 7; ++i) {
    int64_t at = -1;
    ASSERT_EQ(plexauth_connect_result_attempt_started_ms(res, i, &at), 1) << i;
    EXPECT_GE(at, last) << i;
    last = at;
  }
  // Every probe that reached a server carried the identity and the server's token.
  size_t probes = 0;
  const auto reqs = fake.requests();
  for (size_t i = before; i < reqs.size(); ++i) {
    if (reqs[i].path != "/identity") continue;
    ++probes;
    EXPECT_EQ(reqs[i].header("X-Plex-Client-Identifier").value_or(""), kClientId);
    EXPECT_TRUE(reqs[i].header("X-Plex-Product").has_value());
    EXPECT_EQ(reqs[i].header("X-Plex-Token").value_or(""), kOfficeToken);
  }
  EXPECT_EQ(probes, 3u) << "wrong_id, unauthorized and the relay answered";
}

struct Lines {
  std::mutex mu;
  std::string text;
  static void sink(void *self, plexauth_log_level, const char *m) {
    auto *l = static_cast<Lines *>(self);
    std::lock_guard<std::mutex> lock(l->mu);
    l->text += std::string(m ? m : "") + "\n";
  }
};

TEST(Connect, TheReportGoesToTheLogWithoutTheToken) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"refuse"},{"behaviour":"ok","relay":true})"));
  Lines log;
  auto cfg = fake_config(fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_INFO, &Lines::sink, &log), PLEXAUTH_OK);
  auto client = new_client(cfg.get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  auto r = connect(client.get(), l.office, options(0, 0, 5000).get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  std::lock_guard<std::mutex> lock(log.mu);
  EXPECT_NE(log.text.find(std::string("connect \"Office\": ") + plexauth_connect_result_uri(r.value.get())),
            std::string::npos) << log.text;
  EXPECT_NE(log.text.find("1. remote http"), std::string::npos) << log.text;
  EXPECT_NE(log.text.find("failed (transport"), std::string::npos) << log.text;
  EXPECT_EQ(log.text.find(kOfficeToken), std::string::npos);
}

TEST(Connect, APreferredServerWinsWithinTheGraceWindow) {
  FakePlex fake;
  // The local one answers 150 ms late; the relay at once. With a stagger of
  // 0 both start together; a grace of 2 s lets the local one win.
  fake.set_topology(topology(R"({"behaviour":"ok","local":true,"delay_ms":150},{"behaviour":"ok","relay":true})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  auto r = connect(client.get(), l.office, options(0, 2000, 5000).get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  EXPECT_STREQ(plexauth_connect_result_attempt_location(r.value.get(), 0), "local");
  EXPECT_STREQ(plexauth_connect_result_uri(r.value.get()), plexauth_connect_result_attempt_uri(r.value.get(), 0));
  EXPECT_EQ(outcome(r.value.get(), 1), "ok");
  // With no grace the relay, answering first, wins.
  auto quick = connect(client.get(), l.office, options(0, 0, 5000).get());
  ASSERT_EQ(quick.status, PLEXAUTH_OK) << describe(quick);
  EXPECT_STREQ(plexauth_connect_result_uri(quick.value.get()), plexauth_connect_result_attempt_uri(quick.value.get(), 1));
}

TEST(Connect, NothingReachableIsUnreachableAtTheDeadlineWithAReport) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"blackhole"},{"behaviour":"refuse"})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = connect(client.get(), l.office, options(50, 0, 400).get());
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  ASSERT_EQ(r.status, PLEXAUTH_E_UNREACHABLE) << describe(r);
  const std::string msg = plexauth_error_message(r.error.get());
  EXPECT_NE(msg.find("within 400 ms"), std::string::npos) << msg;
  EXPECT_NE(msg.find("1. "), std::string::npos) << msg;
  EXPECT_NE(msg.find("3. "), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kOfficeToken), std::string::npos) << "no token in the message";
  EXPECT_LT(took.count(), 10000) << "a black hole must not outlive the deadline by much";
}

TEST(Connect, SharedServersSkipLocalAddressesAndHttpsRequiredDropsHttp) {
  FakePlex fake;
  // A friend's server seen from elsewhere: its LAN address is not probed.
  fake.set_topology(topology(R"({"behaviour":"ok","local":true},{"behaviour":"ok"})",
                             R"("owned":false,"publicAddressMatches":false,)"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  auto r = connect(client.get(), l.office, options(0, 0, 5000).get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  ASSERT_EQ(plexauth_connect_result_attempts_count(r.value.get()), 1u);
  EXPECT_STREQ(plexauth_connect_result_attempt_location(r.value.get(), 0), "remote");
  // On the same network (plex.tv says the public address matches) it is.
  fake.set_topology(topology(R"({"behaviour":"ok","local":true},{"behaviour":"ok"})",
                             R"("owned":false,"publicAddressMatches":true,)"));
  Listed same = list(client.get());
  ASSERT_NE(same.office, nullptr);
  auto near = connect(client.get(), same.office, options(0, 0, 5000).get());
  ASSERT_EQ(near.status, PLEXAUTH_OK) << describe(near);
  EXPECT_EQ(plexauth_connect_result_attempts_count(near.value.get()), 2u);
  EXPECT_STREQ(plexauth_connect_result_attempt_location(near.value.get(), 0), "local");
  // A server that requires https offers no plain-http candidate: with
  // only http allowed there is nothing to try.
  fake.set_topology(topology(R"({"behaviour":"ok"})", R"("owned":true,"httpsRequired":true,)"));
  Listed strict = list(client.get());
  ASSERT_NE(strict.office, nullptr);
  auto none = connect(client.get(), strict.office, options(0, 0, 5000).get());
  ASSERT_EQ(none.status, PLEXAUTH_E_UNREACHABLE) << describe(none);
  EXPECT_NE(std::string(plexauth_error_message(none.error.get())).find("no connection to try"), std::string::npos);
}

TEST(Connect, TheCacheTriesTheLastGoodConnectionFirstAndSurvivesAFile) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"blackhole","local":true},{"behaviour":"ok"})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  plexauth_connect_cache *raw = nullptr;
  ASSERT_EQ(plexauth_connect_cache_new(&raw, nullptr), PLEXAUTH_OK);
  Owned<plexauth_connect_cache> cache(raw);
  auto opts = options(200, 0, 5000);
  ASSERT_EQ(plexauth_connect_options_set_cache(opts.get(), cache.get()), PLEXAUTH_OK);
  auto first = connect(client.get(), l.office, opts.get());
  ASSERT_EQ(first.status, PLEXAUTH_OK) << describe(first);
  const std::string good = plexauth_connect_result_uri(first.value.get());
  int64_t started = -1;
  ASSERT_EQ(plexauth_connect_result_attempt_started_ms(first.value.get(), 1, &started), 1);
  EXPECT_GE(started, 150) << "after the stagger";
  EXPECT_EQ(plexauth_connect_cache_size(cache.get()), 1u);

  char dir[] = "/tmp/plexauth-connect-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/connections.json";
  ASSERT_EQ(plexauth_connect_cache_save(cache.get(), path.c_str(), nullptr), PLEXAUTH_OK);
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  plexauth_connect_cache *raw2 = nullptr;
  ASSERT_EQ(plexauth_connect_cache_new(&raw2, nullptr), PLEXAUTH_OK);
  Owned<plexauth_connect_cache> loaded(raw2);
  ASSERT_EQ(plexauth_connect_cache_load(loaded.get(), path.c_str(), nullptr), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_connect_cache_size(loaded.get()), 1u);
  ASSERT_EQ(plexauth_connect_options_set_cache(opts.get(), loaded.get()), PLEXAUTH_OK);
  auto second = connect(client.get(), l.office, opts.get());
  ASSERT_EQ(second.status, PLEXAUTH_OK) << describe(second);
  EXPECT_EQ(std::string(plexauth_connect_result_attempt_uri(second.value.get(), 0)), good);
  EXPECT_EQ(outcome(second.value.get(), 0), "ok");
  EXPECT_EQ(outcome(second.value.get(), 1), "not_tried") << "the black hole is never probed";
  // A file that is not a cache is refused; a missing one is an empty cache.
  std::ofstream(path) << "<html>";
  EXPECT_EQ(plexauth_connect_cache_load(loaded.get(), path.c_str(), nullptr), PLEXAUTH_E_MALFORMED_RESPONSE);
  std::remove(path.c_str());
  EXPECT_EQ(plexauth_connect_cache_load(loaded.get(), path.c_str(), nullptr), PLEXAUTH_OK);
  EXPECT_EQ(plexauth_connect_cache_size(loaded.get()), 0u);
  rmdir(dir);
}

TEST(Connect, APlexDirectNameIsVerifiedOverTlsWithoutDns) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"ok","protocol":"https","plex_direct":true})"));
  char dir[] = "/tmp/plexauth-connect-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string ca = std::string(dir) + "/ca.pem";
  std::ofstream(ca) << fake.certificate_pem();
  auto cfg = fake_config(fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_ca_bundle(cfg.get(), ca.c_str()), PLEXAUTH_OK);
  auto client = new_client(cfg.get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  auto opts = options(0, 0, 5000);
  ASSERT_EQ(plexauth_connect_options_set_schemes(opts.get(), 1, 0), PLEXAUTH_OK);
  auto r = connect(client.get(), l.office, opts.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  const std::string uri = plexauth_connect_result_uri(r.value.get());
  EXPECT_EQ(uri.rfind("https://127-0-0-1.", 0), 0u) << uri;
  EXPECT_NE(uri.find(".plex.direct:"), std::string::npos) << uri;
  // Without the fake's CA the same name fails verification: TLS is on.
  auto strict = new_client(fake_config(fake, seed::kTokenA).get());
  auto refused = connect(strict.get(), l.office, opts.get());
  ASSERT_EQ(refused.status, PLEXAUTH_E_UNREACHABLE) << describe(refused);
  EXPECT_NE(std::string(plexauth_error_message(refused.error.get())).find("tls"), std::string::npos);
  std::remove(ca.c_str());
  rmdir(dir);
}

struct Done {
  int calls = 0;
};
void on_done(plexauth_call *, void *user) { ++static_cast<Done *>(user)->calls; }

TEST(Connect, NonBlockingOnAnExternalLoopAndCancel) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"ok","relay":true})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  plexauth_loop *raw = nullptr;
  ASSERT_EQ(plexauth_loop_new(&raw, PLEXAUTH_LOOP_EXTERNAL, nullptr), PLEXAUTH_OK);
  Owned<plexauth_loop> loop(raw);
  Done done;
  plexauth_call *c = nullptr;
  ASSERT_EQ(plexauth_client_connect_start(&c, client.get(), l.office, options(50, 0, 5000).get(), loop.get(), &on_done,
                                          &done, nullptr),
            PLEXAUTH_OK);
  Owned<plexauth_call> call(c);
  l.all.reset();  // the resource was copied at start
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 1u);
  ASSERT_EQ(plexauth_loop_run(loop.get(), 10000, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(done.calls, 1);
  plexauth_connect_result *res = nullptr;
  ASSERT_EQ(plexauth_client_connect_finish(&res, call.get(), nullptr), PLEXAUTH_OK);
  Owned<plexauth_connect_result> result(res);
  EXPECT_STREQ(plexauth_connect_result_attempt_location(res, 1), "relay");
  EXPECT_STREQ(plexauth_connect_result_uri(res), plexauth_connect_result_attempt_uri(res, 1));
  plexauth_connect_result *again = nullptr;
  EXPECT_EQ(plexauth_client_connect_finish(&again, call.get(), nullptr), PLEXAUTH_E_INVALID_ARGUMENT) << "taken once";
  // A finish of another operation's kind is refused.
  plexauth_pong *pong = nullptr;
  EXPECT_EQ(plexauth_client_ping_finish(&pong, call.get(), nullptr), PLEXAUTH_E_INVALID_ARGUMENT);

  // Cancel: only black holes, a long deadline; cancelled at once.
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"blackhole"})"));
  Listed holes = list(client.get());
  ASSERT_NE(holes.office, nullptr);
  Done cancelled;
  plexauth_call *c2 = nullptr;
  ASSERT_EQ(plexauth_client_connect_start(&c2, client.get(), holes.office, options(50, 0, 60000).get(), loop.get(),
                                          &on_done, &cancelled, nullptr),
            PLEXAUTH_OK);
  Owned<plexauth_call> call2(c2);
  plexauth_loop_process(loop.get(), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));  // past the 50 ms stagger
  plexauth_loop_process(loop.get(), nullptr);
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 1u) << "one connect, however many probes it runs";
  plexauth_call_cancel(call2.get());
  ASSERT_EQ(plexauth_call_wait(call2.get(), 5000, nullptr), PLEXAUTH_OK);
  EXPECT_EQ(cancelled.calls, 1);
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 0u) << "a cancelled call no longer counts";
  plexauth_error *err = nullptr;
  EXPECT_EQ(plexauth_client_connect_finish(&res, call2.get(), &err), PLEXAUTH_E_CANCELLED);
  plexauth_error_free(err);
  ASSERT_EQ(plexauth_loop_run(loop.get(), 5000, nullptr), PLEXAUTH_OK) << "its probes wind down";
  EXPECT_EQ(plexauth_loop_pending(loop.get()), 0u);
}

TEST(Connect, FreeingTheLoopMidConnectCompletesItCancelled) {
  FakePlex fake;
  fake.set_topology(topology(R"({"behaviour":"blackhole"})"));
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  Listed l = list(client.get());
  ASSERT_NE(l.office, nullptr);
  plexauth_loop *loop = nullptr;
  ASSERT_EQ(plexauth_loop_new(&loop, PLEXAUTH_LOOP_THREAD, nullptr), PLEXAUTH_OK);
  Done done;
  plexauth_call *c = nullptr;
  ASSERT_EQ(plexauth_client_connect_start(&c, client.get(), l.office, options(50, 0, 60000).get(), loop, &on_done,
                                          &done, nullptr),
            PLEXAUTH_OK);
  Owned<plexauth_call> call(c);
  usleep(100 * 1000);
  plexauth_loop_free(loop);
  EXPECT_EQ(done.calls, 1);
  plexauth_connect_result *res = nullptr;
  EXPECT_EQ(plexauth_client_connect_finish(&res, call.get(), nullptr), PLEXAUTH_E_CANCELLED);
}

}  // namespace
}  // namespace itest
