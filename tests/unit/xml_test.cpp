// core/xml: plex.tv's v1 XML read into the JSON DOM, and XML bodies through
// the model reader (models.cpp types attribute strings by field kind).
#include "core/xml.h"

#include <gtest/gtest.h>

#include "core/operations.gen.h"
#include "models/models.h"

namespace plexauth {
namespace {

TEST(XmlContentType, XmlTypesWithOrWithoutParameters) {
  for (const char *ct : {"application/xml", "text/xml", "Application/XML; charset=utf-8", " text/xml ;charset=UTF-8",
                         "application/atom+xml"})
    EXPECT_TRUE(xml::is_xml_content_type(ct)) << ct;
  for (const char *ct : {"", "application/json", "text/html", "xml", "application/xmlfoo", "text/plain; x=xml"})
    EXPECT_FALSE(xml::is_xml_content_type(ct)) << ct;
}

TEST(XmlParse, ElementsBecomeObjectsAndChildrenArraysByName) {
  rapidjson::Document doc;
  xml::parse(doc, "<?xml version=\"1.0\"?>\n<MediaContainer size=\"2\" a=\"x &amp; &lt;y&gt; &#x1F600;\">"
                  "text<User id=\"1\"/><Other/><User id=\"2\"><Profile k=\"v\"/></User></MediaContainer>");
  EXPECT_EQ(json::to_string(doc),
            "{\"MediaContainer\":{\"size\":\"2\",\"a\":\"x & <y> \xF0\x9F\x98\x80\",\"User\":[{\"id\":\"1\"},"
            "{\"id\":\"2\",\"Profile\":[{\"k\":\"v\"}]}],\"Other\":[{}]}}");
  const auto &mc = doc["MediaContainer"];
  EXPECT_STREQ(mc["size"].GetString(), "2");
  EXPECT_EQ(std::string(mc["a"].GetString()), "x & <y> \xF0\x9F\x98\x80");
  ASSERT_TRUE(mc["User"].IsArray());
  ASSERT_EQ(mc["User"].Size(), 2u);
  EXPECT_STREQ(mc["User"][1]["Profile"][0]["k"].GetString(), "v");
  EXPECT_EQ(mc["Other"].Size(), 1u);
}

TEST(XmlParse, RefusesDoctypesEntitiesAndBadInput) {
  const char *bad[] = {
      "<!DOCTYPE a [<!ENTITY x \"y\">]><a b=\"&x;\"/>",
      "<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd\"><a/>",
      "<a>",
      "",
      "   ",
      "<a/><b/>",
      "<a b=\"\xff\"/>",
      "<a b=\"&#0;\"/>",
      "<a b=\"&unknown;\"/>",
  };
  for (const char *body : bad) {
    rapidjson::Document doc;
    try {
      xml::parse(doc, body);
      ADD_FAILURE() << "accepted: " << body;
    } catch (const Error &e) {
      EXPECT_EQ(e.status(), Status::MalformedResponse) << body;
    }
  }
  std::string deep;
  for (int i = 0; i < 65; ++i) deep += "<a>";
  for (int i = 0; i < 65; ++i) deep += "</a>";
  rapidjson::Document doc;
  EXPECT_THROW(xml::parse(doc, deep), Error);
  deep = deep.substr(3, deep.size() - 7);  // 64 deep: fine
  EXPECT_NO_THROW(xml::parse(doc, deep));
}

TEST(XmlModels, HomeUsersFromXmlAreTyped) {
  Envelope env = envelope_of(op::kListHomeUsers);
  env.xml = true;
  const auto home = parse_model<HomeUsers>(
      "<MediaContainer size=\"2\" totalSize=\"-3\"><User id=\"7\" uuid=\"u\" protected=\"1\" admin=\"false\" "
      "guest=\"true\" restricted=\"0\"/><User id=\"8\" uuid=\"v\"/></MediaContainer>",
      env);
  EXPECT_EQ(home.size, 2);
  EXPECT_EQ(home.total_size, -3);
  ASSERT_TRUE(home.users);
  ASSERT_EQ(home.users->size(), 2u);
  const HomeUser &u = (*home.users)[0];
  EXPECT_EQ(u.id, 7);
  EXPECT_EQ(u.protected_, true);
  EXPECT_EQ(u.admin, false);
  EXPECT_EQ(u.guest, true);
  EXPECT_EQ(u.restricted, false);
  EXPECT_FALSE((*home.users)[1].protected_);
  // Strings stay strings: a number-like title is not turned into a number.
  const auto titled = parse_model<HomeUsers>("<MediaContainer><User id=\"1\" uuid=\"2\" title=\"3\"/></MediaContainer>", env);
  EXPECT_EQ((*titled.users)[0].title, "3");
  EXPECT_EQ((*titled.users)[0].uuid, "2");
  // Out of range or not a number: the JSON reader's own message.
  for (const char *id : {"99999999999999999999", "1.5", "0x10", "", "-"}) {
    try {
      parse_model<HomeUsers>(std::string("<MediaContainer><User uuid=\"u\" id=\"") + id + "\"/></MediaContainer>", env);
      ADD_FAILURE() << id;
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find("field 'MediaContainer.User[0].id': expected integer, got string"),
                std::string::npos)
          << id << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace plexauth
