// Which of a server's connections connect tries, and in what order
// (core/connect.h connect_candidates): pure, no network.
#include "core/connect.h"

#include <gtest/gtest.h>

#include "models/models.h"

namespace plexauth {
namespace {

Resources parse(const std::string &json) {
  Envelope env;
  env.root_list = "devices";
  return parse_model<Resources>(json, env);
}

std::vector<std::string> uris(const std::vector<Candidate> &cs) {
  std::vector<std::string> out;
  for (const Candidate &c : cs) out.push_back(c.uri);
  return out;
}

// The plex-api.rs mock of §3.2, plus an IPv6 local and a plain-http one.
const char kServer[] = R"([{"name":"Box","clientIdentifier":"client_id2","owned":true,"connections":[
 {"protocol":"https","address":"2.2.2.2","port":443,"uri":"https://2-2-2-2.client-id2.plex.direct:443","local":false,"relay":false},
 {"protocol":"https","address":"178.3.2.1","port":8443,"uri":"https://178-3-2-1.client-id2.plex.direct:8443","local":false,"relay":true},
 {"protocol":"https","address":"fd00::5","port":32400,"uri":"https://fd00-5.client-id2.plex.direct:32400","local":true,"relay":false,"IPv6":true},
 {"protocol":"https","address":"172.18.0.3","port":32400,"uri":"https://172-18-0-3.client-id2.plex.direct:32400","local":true,"relay":false},
 {"protocol":"http","address":"192.168.1.9","port":32400,"uri":"http://192.168.1.9:32400","local":true,"relay":false}]}])";

TEST(ConnectCandidates, LocalRemoteRelayHttpsBeforeHttpIpv6Last) {
  const Resources r = parse(kServer);
  const auto c = connect_candidates(r.devices->at(0), ConnectPolicy{}, "");
  EXPECT_EQ(uris(c), (std::vector<std::string>{
                         "https://172-18-0-3.client-id2.plex.direct:32400",
                         "http://172.18.0.3:32400",  // within a scheme, plex.tv's order
                         "http://192.168.1.9:32400",
                         "https://fd00-5.client-id2.plex.direct:32400",
                         "http://[fd00::5]:32400",
                         "https://2-2-2-2.client-id2.plex.direct:443",
                         "http://2.2.2.2:443",
                         "https://178-3-2-1.client-id2.plex.direct:8443",  // a relay: https only
                     }));
  EXPECT_EQ(c[0].location, Location::Local);
  EXPECT_TRUE(c[0].https);
  EXPECT_TRUE(c[3].ipv6);
  EXPECT_EQ(c.back().location, Location::Relay);
}

TEST(ConnectCandidates, PolicyFiltersAndTheRememberedOneGoesFirst) {
  const Resources r = parse(kServer);
  ConnectPolicy https_only;
  https_only.http = false;
  https_only.locations = static_cast<unsigned>(Location::Remote) | static_cast<unsigned>(Location::Relay);
  EXPECT_EQ(uris(connect_candidates(r.devices->at(0), https_only, "")),
            (std::vector<std::string>{"https://2-2-2-2.client-id2.plex.direct:443",
                                      "https://178-3-2-1.client-id2.plex.direct:8443"}));
  const auto remembered =
      connect_candidates(r.devices->at(0), ConnectPolicy{}, "https://178-3-2-1.client-id2.plex.direct:8443");
  EXPECT_EQ(remembered[0].uri, "https://178-3-2-1.client-id2.plex.direct:8443");
  EXPECT_TRUE(remembered[0].remembered);
  EXPECT_EQ(remembered.size(), 8u);
  // A remembered uri the server no longer advertises is ignored.
  EXPECT_FALSE(connect_candidates(r.devices->at(0), ConnectPolicy{}, "https://gone.example:1")[0].remembered);
}

TEST(ConnectCandidates, SharedServersHttpsRequiredAndHostileUris) {
  Resources shared = parse(kServer);
  shared.devices->at(0).owned = false;
  for (const Candidate &c : connect_candidates(shared.devices->at(0), ConnectPolicy{}, ""))
    EXPECT_NE(c.location, Location::Local) << c.uri;
  shared.devices->at(0).public_address_matches = true;  // on the same network: LAN addresses again
  EXPECT_EQ(connect_candidates(shared.devices->at(0), ConnectPolicy{}, "")[0].location, Location::Local);

  Resources strict = parse(kServer);
  strict.devices->at(0).https_required = true;
  for (const Candidate &c : connect_candidates(strict.devices->at(0), ConnectPolicy{}, "")) EXPECT_TRUE(c.https) << c.uri;

  // What a server advertises is not trusted: no other schemes, userinfo,
  // queries or ports out of range.
  const Resources hostile = parse(R"([{"clientIdentifier":"x","owned":true,"connections":[
    {"protocol":"ftp","address":"1.2.3.4","port":0,"uri":"ftp://1.2.3.4/","local":true},
    {"protocol":"https","address":"1.2.3.4","port":70000,"uri":"https://user:pw@1.2.3.4:443","local":true},
    {"protocol":"https","address":"a b","port":1,"uri":"https://1.2.3.4:443/?x=1","local":true},
    {"protocol":"http","address":"1.2.3.4","port":80,"uri":"file:///etc/passwd","local":true}]}])");
  EXPECT_EQ(uris(connect_candidates(hostile.devices->at(0), ConnectPolicy{}, "")),
            (std::vector<std::string>{"http://1.2.3.4:80"}));
}

}  // namespace
}  // namespace plexauth
