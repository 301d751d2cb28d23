// Every field of every result model, read through its generated C++ getter:
// the fake answers each operation with the every-field fixture's body
// (tests/fixtures/every_field.json, generated from codegen/api.py, also read
// by the C, Python, Rust and Go tests), and every_field.gen.inc checks each
// getter (optional or required, nested object, list, inline) against the
// fixture's value. A field added to api.py is tested here without a
// hand-written line.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "support.h"
// after support.h: it uses the C++ header and GoogleTest
#include "every_field.gen.inc"

namespace cpptest {
namespace {

// Queues the fixture's answer (status and body) for the model's path.
void serve(FakePlex &fake, const char *model) {
  std::ifstream in(PLEXAUTH_EVERY_FIELD_FIXTURE);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document d;
  d.Parse(text.str().c_str());
  ASSERT_TRUE(d.IsObject() && d.HasMember(model)) << PLEXAUTH_EVERY_FIELD_FIXTURE << ": no " << model;
  const auto &entry = d[model];
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  entry["body"].Accept(w);
  Fault f;
  f.status = entry["status"].GetInt();
  f.body = sb.GetString();
  fake.add_fault(entry["path"].GetString(), f);
}

TEST_F(CppApi, EveryTransientTokenFieldIsReadFromItsWireName) {
  serve(fake, "transient_token");
  check_every_field(client.get_transient_token());
}

TEST_F(CppApi, EverySourceInfoFieldIsReadFromItsWireName) {
  serve(fake, "source_info");
  check_every_field(client.get_source_connection_information(seed::kSource));
}

TEST_F(CppApi, EveryAccountFieldIsReadFromItsWireName) {
  serve(fake, "account");
  check_every_field(client.get_token_details());
}

TEST_F(CppApi, EveryPinFieldIsReadFromItsWireName) {
  serve(fake, "pin");
  check_every_field(client.create_pin());
}

TEST_F(CppApi, EveryPongFieldIsReadFromItsWireName) {
  serve(fake, "pong");
  check_every_field(client.ping());
}

}  // namespace
}  // namespace cpptest
