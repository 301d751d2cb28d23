// Every field of every result model, read through its C getter: the fake
// answers each operation with the every-field fixture's body
// (tests/fixtures/every_field.json, generated from codegen/api.py, also used
// by the Python, Rust and Go tests), and every_field.gen.inc checks each
// getter against the fixture's value. A field added to api.py is tested here
// without a hand-written line.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

#include "support.h"
// after support.h: it uses the header and GoogleTest
#include "every_field.gen.inc"

namespace itest {
namespace {

// The fixture entry of one result model: its operation's path, status and body.
struct Canned {
  std::string path;
  int status = 0;
  std::string body;
};

Canned fixture(const char *model) {
  std::ifstream in(PLEXAUTH_EVERY_FIELD_FIXTURE);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document d;
  d.Parse(text.str().c_str());
  EXPECT_TRUE(d.IsObject() && d.HasMember(model)) << PLEXAUTH_EVERY_FIELD_FIXTURE << ": no " << model;
  if (!d.IsObject() || !d.HasMember(model)) return {};
  const auto &entry = d[model];
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  entry["body"].Accept(w);
  return {entry["path"].GetString(), entry["status"].GetInt(), sb.GetString()};
}

// Queues the fixture's answer for the model's path.
void serve(FakePlex &fake, const char *model) {
  const Canned c = fixture(model);
  Fault f;
  f.status = c.status;
  f.body = c.body;
  fake.add_fault(c.path, f);
}

TEST_F(Integration, EveryTransientTokenFieldIsReadFromItsWireName) {
  serve(fake, "transient_token");
  auto r = get_transient_token(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  check_every_field(r.value.get());
}

TEST_F(Integration, EverySourceInfoFieldIsReadFromItsWireName) {
  serve(fake, "source_info");
  auto r = get_source_info(client.get(), seed::kSource);
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  check_every_field(r.value.get());
}

TEST_F(Integration, EveryAccountFieldIsReadFromItsWireName) {
  serve(fake, "account");
  auto r = get_token_details(client.get());
  ASSERT_EQ(r.status, PLEXAUTH_OK) << describe(r);
  check_every_field(r.value.get());
}

TEST_F(Integration, EveryPongFieldIsReadFromItsWireName) {
  serve(fake, "pong");
  plexauth_pong *raw = nullptr;
  ASSERT_EQ(plexauth_client_ping(&raw, client.get(), nullptr, nullptr), PLEXAUTH_OK);
  Owned<plexauth_pong> pong(raw);
  check_every_field(pong.get());
}

// The JSON view of a result is the fixture's body, re-serialised: the same
// members, values and order (times as Unix seconds, so the account is
// compared member by member below).
TEST_F(Integration, TheJsonViewRepeatsTheFixture) {
  serve(fake, "pong");
  plexauth_pong *raw = nullptr;
  ASSERT_EQ(plexauth_client_ping(&raw, client.get(), nullptr, nullptr), PLEXAUTH_OK);
  Owned<plexauth_pong> pong(raw);
  size_t len = 0;
  const char *json = plexauth_pong_json(pong.get(), &len);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(std::string(json, len), fixture("pong").body);
}

}  // namespace
}  // namespace itest
