// Choosing a server's connection through the C++ API (Client::connect) against
// the fake's topology of loopback servers (tests/fake/README.md "Topology"):
// real black holes, refusals and a server answering with another identifier;
// the cache and its file; the result's report per candidate; errors thrown
// and as Results; the async variants on the client's loop and a host's loop.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>

#include "support.h"

namespace cpptest {
namespace {

using plexauth::ConnectOptions;
using plexauth::ConnectResult;
using plexauth::Error;
using plexauth::Result;
using plexauth::Status;

constexpr char kOffice[] = "0ff1ce0000000000";
constexpr char kOfficeToken[] = "officeTok123";

std::string topology(const std::string &connections) {
  return std::string(R"({"servers":[{"name":"Office","clientIdentifier":")") + kOffice +
         R"(","owned":true,"accessToken":")" + kOfficeToken + R"(","connections":[)" + connections + "]}]}";
}

// The account's resources and its Office server among them.
struct Listed {
  plexauth::Resources all{nullptr};
  std::optional<plexauth::Resource> office;
};

Listed list(const plexauth::Client &client) {
  Listed out;
  out.all = client.list_resources();
  for (const plexauth::Resource &d : out.all.devices()) {
    if (d.client_identifier() == std::optional<std::string>(kOffice)) out.office = d;
  }
  return out;
}

ConnectOptions options(std::chrono::milliseconds stagger, std::chrono::milliseconds grace,
                       std::chrono::milliseconds deadline) {
  ConnectOptions o;
  o.stagger(stagger).grace(grace).deadline(deadline);
  return o;
}

TEST_F(CppApi, ConnectPicksTheReachableConnectionAndReportsEveryCandidate) {
  fake.set_topology(topology(R"({"behaviour":"blackhole","local":true},{"behaviour":"refuse"},)"
                             R"({"behaviour":"wrong_id"},{"behaviour":"ok","relay":true,"delay_ms":20})"));
  Listed l = list(client);
  ASSERT_TRUE(l.office.has_value());
  const std::size_t before = fake.requests().size();
  ConnectResult r = client.connect(*l.office, options(100ms, 50ms, 5000ms));
  EXPECT_EQ(r.machine_identifier(), kOffice);
  EXPECT_EQ(r.name(), "Office");
  EXPECT_EQ(r.access_token(), std::optional<std::string>(kOfficeToken));
  EXPECT_EQ(r.version(), seed::kPmsVersion) << "as the server's /identity answered";
  EXPECT_GT(r.elapsed().count(), 0);
  const std::vector<plexauth::ConnectAttempt> attempts = r.attempts();
  ASSERT_EQ(attempts.size(), 4u);
  EXPECT_EQ(attempts[0].location, "local");
  EXPECT_EQ(attempts[0].outcome, "abandoned");
  EXPECT_FALSE(attempts[0].elapsed.has_value()) << "a black hole never finished";
  EXPECT_EQ(attempts[1].outcome, "failed");
  EXPECT_EQ(attempts[1].status, Status::Transport) << "refused";
  ASSERT_TRUE(attempts[1].message.has_value());
  EXPECT_EQ(attempts[2].status, Status::MalformedResponse) << "another server answered";
  EXPECT_NE(attempts[2].message.value_or("").find(seed::kWrongMachineIdentifier), std::string::npos);
  EXPECT_EQ(attempts[3].location, "relay");
  EXPECT_EQ(attempts[3].outcome, "ok");
  EXPECT_EQ(attempts[3].status, Status::Ok);
  EXPECT_FALSE(attempts[3].message.has_value());
  ASSERT_TRUE(attempts[3].started.has_value() && attempts[3].elapsed.has_value());
  EXPECT_GE(attempts[3].elapsed->count(), 20) << "its answer was 20 ms late";
  EXPECT_EQ(r.uri(), attempts[3].uri);
  EXPECT_EQ(r.uri().rfind("http://127.0.0.1:", 0), 0u) << r.uri();
  for (std::size_t i = 1; i < attempts.size(); ++i) {
    ASSERT_TRUE(attempts[i].started.has_value()) << i;
    EXPECT_GE(*attempts[i].started, *attempts[i - 1].started) << "staggered, in preference order";
  }
  EXPECT_NE(r.json().find("\"machineIdentifier\":\"" + std::string(kOffice) + "\""), std::string::npos) << r.json();
  // Each probe that reached a server carried the identity and the server's token.
  std::size_t probes = 0;
  const auto reqs = fake.requests();
  for (std::size_t i = before; i < reqs.size(); ++i) {
    if (reqs[i].path != "/identity") continue;
    ++probes;
    EXPECT_EQ(reqs[i].header("X-Plex-Client-Identifier").value_or(""), kClientId);
    EXPECT_EQ(reqs[i].header("X-Plex-Token").value_or(""), kOfficeToken);
  }
  EXPECT_EQ(probes, 2u) << "wrong_id and the relay answered";

  // The winner is a server URL for the calls that follow.
  plexauth::CallOptions at_server;
  at_server.server_url(r.uri()).access_token(*r.access_token());
  EXPECT_EQ(client.get_identity(at_server).machine_identifier(), std::optional<std::string>(kOffice));
}

TEST_F(CppApi, ConnectTriesTheCachedConnectionFirstAndTheCacheSurvivesAFile) {
  fake.set_topology(topology(R"({"behaviour":"blackhole","local":true},{"behaviour":"ok"})"));
  Listed l = list(client);
  ASSERT_TRUE(l.office.has_value());
  plexauth::ConnectCache cache;
  EXPECT_EQ(cache.size(), 0u);
  ConnectOptions opts = options(200ms, 0ms, 5000ms);
  opts.cache(cache);
  ConnectResult first = client.connect(*l.office, opts);
  ASSERT_EQ(first.attempts().size(), 2u);
  EXPECT_EQ(first.attempts()[1].outcome, "ok");
  EXPECT_GE(first.attempts()[1].started.value_or(0ms).count(), 150) << "after the stagger";
  EXPECT_EQ(cache.size(), 1u) << "the winner is remembered";

  char dir[] = "/tmp/plexauth-cppconnect-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/connections.json";
  cache.save(path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  plexauth::ConnectCache loaded;
  loaded.load(path);
  EXPECT_EQ(loaded.size(), 1u);
  ConnectOptions with_loaded = options(200ms, 0ms, 5000ms);
  with_loaded.cache(loaded);
  ConnectResult second = client.connect(*l.office, with_loaded);
  const auto attempts = second.attempts();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[0].uri, first.uri()) << "the remembered one first";
  EXPECT_EQ(attempts[0].outcome, "ok");
  EXPECT_EQ(attempts[1].outcome, "not_tried") << "the black hole is never probed";

  // A file that is not a cache is refused; a missing one is an empty cache.
  std::ofstream(path) << "<html>";
  try {
    loaded.load(path);
    FAIL() << "a page was taken for a cache";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::MalformedResponse);
  }
  std::remove(path.c_str());
  loaded.load(path);
  EXPECT_EQ(loaded.size(), 0u);
  rmdir(dir);
}

TEST_F(CppApi, ConnectFailuresAsExceptionsAndResults) {
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"refuse"})"));
  Listed l = list(client);
  ASSERT_TRUE(l.office.has_value());
  const auto t0 = Clock::now();
  try {
    (void)client.connect(*l.office, options(50ms, 0ms, 400ms));
    FAIL() << "connected to nothing";
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::Unreachable);
    EXPECT_NE(e.message().find("within 400 ms"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("2. "), std::string::npos) << "a line per candidate: " << e.message();
    EXPECT_EQ(e.message().find(kOfficeToken), std::string::npos) << "no token in the message";
  }
  EXPECT_LT(Clock::now() - t0, 10s);
  EXPECT_EQ(client.try_connect(*l.office, options(0ms, 0ms, 300ms)).status(), Status::Unreachable);
  // Only http for a server whose connections are http, only relay where there is none: nothing to try.
  ConnectOptions relay_only;
  relay_only.locations(false, false, true).deadline(2000ms);
  Result<ConnectResult> none = client.try_connect(*l.office, relay_only);
  ASSERT_EQ(none.status(), Status::Unreachable);
  EXPECT_NE(none.error().message().find("no connection to try"), std::string::npos) << none.error().message();
  // A cancel token ends a connect to black holes at once.
  plexauth::Cancel cancel;
  ConnectOptions cancellable = options(50ms, 0ms, 60000ms);
  cancellable.cancel(cancel);
  cancel.trigger();
  EXPECT_EQ(client.try_connect(*l.office, cancellable).status(), Status::Cancelled);
  // Values the library refuses.
  ConnectOptions bad;
  EXPECT_THROW(bad.locations(false, false, false), Error);
  EXPECT_THROW(bad.schemes(false, false), Error);
  EXPECT_THROW(bad.deadline(0ms), Error);
  EXPECT_THROW(bad.stagger(60001ms), Error);
  // A resource without clientIdentifier.
  plexauth::Resources saved = plexauth::resources_from_json(R"([{"name":"Nameless","connections":[]}])");
  ASSERT_EQ(saved.devices().size(), 1u);
  EXPECT_EQ(client.try_connect(saved.devices()[0]).status(), Status::InvalidArgument);
  EXPECT_THROW((void)plexauth::resources_from_json("{}"), Error);
}

TEST_F(CppApi, ConnectAsyncOnTheClientsLoopAndAHostLoop) {
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"ok","relay":true})"));
  std::optional<plexauth::Resource> office;
  plexauth::Future<ConnectResult> pending{};
  {
    Listed l = list(client);
    ASSERT_TRUE(l.office.has_value());
    pending = client.connect_async(*l.office, options(50ms, 0ms, 5000ms));
    // A saved resource (its JSON) connects as well.
    plexauth::Resources saved = plexauth::resources_from_json(l.all.response().body());  // the body kept
    for (const plexauth::Resource &d : saved.devices()) {
      if (d.client_identifier() == std::optional<std::string>(kOffice)) office = d;
    }
  }  // the listing is gone: the async connect copied its resource
  ASSERT_TRUE(office.has_value());
  ASSERT_EQ(pending.wait_for(10s), std::future_status::ready);
  ConnectResult r = pending.get();
  EXPECT_EQ(r.attempts().at(1).location, "relay");
  EXPECT_EQ(r.uri(), r.attempts().at(1).uri);

  plexauth::Loop loop(plexauth::Loop::Mode::External);
  std::optional<Result<ConnectResult>> got;
  plexauth::Call call = client.connect_async(
      *office, [&](Result<ConnectResult> outcome) { got.emplace(std::move(outcome)); }, options(50ms, 0ms, 5000ms),
      loop);
  EXPECT_EQ(loop.pending(), 1u);
  ASSERT_TRUE(drive(loop, [&] { return got.has_value(); }));
  EXPECT_TRUE(call.done());
  ASSERT_TRUE(got->ok()) << got->error().what();
  EXPECT_EQ((*got)->machine_identifier(), kOffice);

  // Cancelled through the Call: black holes only, a long deadline.
  fake.set_topology(topology(R"({"behaviour":"blackhole"},{"behaviour":"blackhole"})"));
  Listed holes = list(client);
  ASSERT_TRUE(holes.office.has_value());
  plexauth::Cancel cancel;
  ConnectOptions cancellable = options(50ms, 0ms, 60000ms);
  cancellable.cancel(cancel);
  plexauth::Future<ConnectResult> stuck = client.connect_async(*holes.office, cancellable);
  std::optional<Result<ConnectResult>> stopped;
  plexauth::Call second = client.connect_async(
      *holes.office, [&](Result<ConnectResult> outcome) { stopped.emplace(std::move(outcome)); },
      options(50ms, 0ms, 60000ms), loop);
  loop.process();
  second.cancel();
  ASSERT_TRUE(drive(loop, [&] { return stopped.has_value(); }));
  EXPECT_EQ(stopped->status(), Status::Cancelled);
  EXPECT_EQ(stuck.wait_for(200ms), std::future_status::timeout) << "the other connect still runs";
  cancel.trigger();
  ASSERT_EQ(stuck.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(stuck.try_get().status(), Status::Cancelled);
}

}  // namespace
}  // namespace cpptest
