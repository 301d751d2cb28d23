// plex.direct names: the address a name encodes, and the resolve entry.
#include "core/plex_direct.h"

#include <gtest/gtest.h>

namespace plexauth {
namespace {

constexpr char kHash[] = "0123456789abcdef0123456789ABCDEF";

TEST(PlexDirect, DecodesTheAddressOfAName) {
  EXPECT_EQ(plex_direct_address(std::string("192-168-1-10.") + kHash + ".plex.direct"), "192.168.1.10");
  EXPECT_EQ(plex_direct_address(std::string("10-0-0-5.") + kHash + ".PLEX.DIRECT."), "10.0.0.5");
  EXPECT_EQ(plex_direct_address(std::string("0-0-0-0.") + kHash + ".plex.direct"), "0.0.0.0");
  EXPECT_EQ(plex_direct_address(std::string("255-255-255-255.") + kHash + ".plex.direct"), "255.255.255.255");
}

TEST(PlexDirect, RefusesEverythingElse) {
  for (const std::string &bad : {
           std::string("192-168-1-10.") + kHash + ".plex.direct.evil.example",  // not the suffix
           std::string("192-168-1-10.") + kHash + "plex.direct",                // no dot
           std::string("192-168-1-10.0123.plex.direct"),                          // short hash
           std::string("192-168-1-10.") + "g123456789abcdef0123456789abcdef" + ".plex.direct",  // not hex
           std::string("192-168-1.") + kHash + ".plex.direct",                  // three octets
           std::string("192-168-1-10-1.") + kHash + ".plex.direct",             // five
           std::string("192-168-1-256.") + kHash + ".plex.direct",              // > 255
           std::string("192-168-01-1.") + kHash + ".plex.direct",               // leading zero
           std::string("192-168--1.") + kHash + ".plex.direct",                 // empty octet
           std::string("a-b-c-d.") + kHash + ".plex.direct",                    // not digits
           std::string("2001-db8--1.") + kHash + ".plex.direct",                // IPv6: not decoded
           std::string("x.192-168-1-10.") + kHash + ".plex.direct",             // a deeper name
           std::string(".plex.direct"), std::string("plex.direct"), std::string(""),
       })
    EXPECT_EQ(plex_direct_address(bad), std::nullopt) << bad;
}

TEST(PlexDirect, ResolveEntryNamesHostPortAndAddress) {
  const std::string host = std::string("172-18-0-3.") + kHash + ".plex.direct";
  EXPECT_EQ(plex_direct_resolve_entry("https://" + host + ":32400/identity"), host + ":32400:172.18.0.3");
  EXPECT_EQ(plex_direct_resolve_entry("https://" + host + "/"), host + ":443:172.18.0.3") << "the scheme's port";
  EXPECT_EQ(plex_direct_resolve_entry("http://" + host), host + ":80:172.18.0.3");
  EXPECT_EQ(plex_direct_resolve_entry("https://example.org:32400/"), std::nullopt);
  EXPECT_EQ(plex_direct_resolve_entry("not a url"), std::nullopt);
}

}  // namespace
}  // namespace plexauth
