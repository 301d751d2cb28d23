// core/json.h (checked parsing, nesting depth, type names) and core/response.h.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/json.h"
#include "core/response.h"

namespace plexauth {
namespace {

// The message of the MalformedResponse error that f throws ("" if none).
template <class F>
std::string malformed_message(F &&f) {
  try {
    f();
  } catch (const Error &e) {
    EXPECT_EQ(e.status(), Status::MalformedResponse);
    return e.what();
  }
  ADD_FAILURE() << "no error thrown";
  return {};
}

std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonNestingDepth, CountsArraysAndObjects) {
  EXPECT_EQ(json::nesting_depth(""), 0);
  EXPECT_EQ(json::nesting_depth("42"), 0);
  EXPECT_EQ(json::nesting_depth("\"text\""), 0);
  EXPECT_EQ(json::nesting_depth("[]"), 1);
  EXPECT_EQ(json::nesting_depth("{}"), 1);
  EXPECT_EQ(json::nesting_depth(R"({"a":[1,{"b":2}],"c":{}})"), 3);
  EXPECT_EQ(json::nesting_depth("[[],[[]],[]]"), 3);
  EXPECT_EQ(json::nesting_depth(nested_arrays(1000)), 1000);
}

TEST(JsonNestingDepth, IgnoresBracketsInsideStrings) {
  EXPECT_EQ(json::nesting_depth(R"(["[[[{{{"])"), 1);
  EXPECT_EQ(json::nesting_depth(R"({"k[{":"}]]"})"), 1);
  // An escaped quote does not end the string ...
  EXPECT_EQ(json::nesting_depth(R"(["\"[[[", 1])"), 1);
  // ... but an escaped backslash before a quote does.
  EXPECT_EQ(json::nesting_depth(R"(["\\", [[1]]])"), 3);
  EXPECT_EQ(json::nesting_depth(R"(["\\\"[", [2]])"), 2);
}

TEST(JsonNestingDepth, ToleratesUnbalancedText) {
  EXPECT_EQ(json::nesting_depth("]]]]["), 1);
  EXPECT_EQ(json::nesting_depth("[[[["), 4);
  EXPECT_EQ(json::nesting_depth("[\"unterminated [[["), 1);
  EXPECT_EQ(json::nesting_depth("[\"ends in backslash\\"), 1);
}

TEST(JsonParse, AcceptsValidJson) {
  rapidjson::Document doc;
  json::parse(doc, R"({"a":[1,2.5,"x",true,null],"b":{"c":-3}})");
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["a"].Size(), 4u + 1u);
  EXPECT_EQ(doc["b"]["c"].GetInt64(), -3);
}

TEST(JsonParse, DepthLimitIsInclusive) {
  rapidjson::Document doc;
  json::parse(doc, nested_arrays(json::kMaxDepth));
  EXPECT_TRUE(doc.IsArray());
  EXPECT_EQ(malformed_message([&] { json::parse(doc, nested_arrays(json::kMaxDepth + 1)); }),
            "response body is nested deeper than 64 levels");
}

TEST(JsonParse, RejectsVeryDeepNestingWithoutCrashing) {
  rapidjson::Document doc;
  std::string deep_objects;
  for (int i = 0; i < 100000; ++i) deep_objects += "{\"a\":";
  deep_objects += "1" + std::string(100000, '}');
  EXPECT_EQ(malformed_message([&] { json::parse(doc, deep_objects); }),
            "response body is nested deeper than 64 levels");
  EXPECT_EQ(malformed_message([&] { json::parse(doc, nested_arrays(100000), "account"); }),
            "account is nested deeper than 64 levels");
  // Unterminated, too: still refused by depth, not by a stack overflow.
  EXPECT_NE(malformed_message([&] { json::parse(doc, std::string(100000, '[')); }).find("nested deeper"),
            std::string::npos);
}

TEST(JsonParse, RejectsInvalidUtf8) {
  rapidjson::Document doc;
  const struct {
    std::string body;
    std::size_t offset;
  } cases[] = {
      {"{\"name\":\"caf\xff\"}", 12},                         // never valid in UTF-8
      {"{\"name\":\"\xc0\xaf\"}", 9},                          // overlong '/'
      {"[\"\x80\"]", 2},                                       // lone continuation byte
      {"[\"\xed\xa0\x80\"]", 2},                               // UTF-16 surrogate
      {"[\"\xf4\x90\x80\x80\"]", 2},                           // above U+10FFFF
      {"[\"0123456789abcdef\xe2\x9c\"]", 18},                   // truncated sequence
      {"[\"0123456789abcdef\xe2\x9c", 18},                       // ... at the very end
      {"{\"long ascii run before it\": 1, \"x\": \xff}", 37},   // outside a string, too
  };
  for (const auto &c : cases)
    EXPECT_EQ(malformed_message([&] { json::parse(doc, c.body); }),
              "response body is not valid UTF-8 (at offset " + std::to_string(c.offset) + ")");
  // valid 2-, 3- and 4-byte sequences, between and after ASCII runs
  json::parse(doc, "[\"caf\xc3\xa9 \xe2\x9c\x93 0123456789 \xf0\x9f\x8e\xac\",\"\xf4\x8f\xbf\xbf\"]");
  EXPECT_STREQ(doc[0].GetString(), "caf\xc3\xa9 \xe2\x9c\x93 0123456789 \xf0\x9f\x8e\xac");
  EXPECT_STREQ(doc[1].GetString(), "\xf4\x8f\xbf\xbf");
  // Neither an escaped NUL (it would cut the string short for C callers) nor
  // a raw one (not JSON).
  EXPECT_EQ(malformed_message([&] { json::parse(doc, R"(["a\u0000b"])"); }),
            "response body has a \\u0000 escape (a NUL character in a string) (at offset 11)");
  EXPECT_NE(malformed_message([&] { json::parse(doc, R"({"k\u0000":1})"); }).find("u0000"), std::string::npos);
  json::parse(doc, R"(["a\u0001b"])");
  EXPECT_EQ(doc[0].GetStringLength(), 3u);
  EXPECT_NE(malformed_message([&] { json::parse(doc, std::string("[\"a\0b\"]", 7)); }).find("not valid JSON"),
            std::string::npos);
}

TEST(JsonParse, ReportsErrorTextAndOffset) {
  rapidjson::Document doc;
  EXPECT_EQ(malformed_message([&] { json::parse(doc, R"({"a":1,)"); }),
            "response body is not valid JSON: Missing a name for object member. (at offset 7)");
  EXPECT_EQ(malformed_message([&] { json::parse(doc, ""); }),
            "response body is not valid JSON: The document is empty. (at offset 0)");
  EXPECT_EQ(malformed_message([&] { json::parse(doc, "<html>", "sign-in body"); }),
            "sign-in body is not valid JSON: Invalid value. (at offset 0)");
  EXPECT_EQ(malformed_message([&] { json::parse(doc, "{} {}"); }),
            "response body is not valid JSON: The document root must not be followed by other values. (at offset 3)");
  EXPECT_NE(malformed_message([&] { json::parse(doc, "{\"a\":\"no end"); }).find("Missing a closing quotation mark"),
            std::string::npos);
}

TEST(JsonParse, ParsesOnlyTheGivenLength) {
  rapidjson::Document doc;
  const std::string text = "[1]garbage";
  json::parse(doc, std::string_view(text).substr(0, 3));
  EXPECT_EQ(doc.Size(), 1u);
}

TEST(JsonTypeName, NamesEveryType) {
  rapidjson::Document doc;
  json::parse(doc, R"([null,true,false,1,-1,18446744073709551615,1.5,1e3,"s",[],{}])");
  const char *expected[] = {"null",   "bool",   "bool",   "integer", "integer", "integer",
                            "number", "number", "string", "array",   "object"};
  ASSERT_EQ(doc.Size(), std::size(expected));
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) EXPECT_STREQ(json::type_name(doc[i]), expected[i]) << i;
}

TEST(JsonToString, WritesCompactJson) {
  rapidjson::Document doc;
  json::parse(doc, "{ \"a\" : [ 1 , \"x\\\"y\" ] ,\n \"b\" : { } }");
  EXPECT_EQ(json::to_string(doc), R"({"a":[1,"x\"y"],"b":{}})");
  EXPECT_EQ(json::to_string(doc["b"]), "{}");
}

TEST(JsonAssert, ThrowsInsteadOfAborting) {
  rapidjson::Value v;  // null
  EXPECT_THROW(v.GetString(), JsonAssertion);
  EXPECT_THROW(v.Size(), JsonAssertion);
}

TEST(Response, IequalsIsAsciiCaseInsensitive) {
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_FALSE(iequals("\xc3\xa9", "\xc3\x89"));  // non-ASCII is compared as is
}

TEST(Response, HeaderLookupIsCaseInsensitiveAndReturnsTheFirst) {
  Response r;
  r.headers = {{"Content-Type", "application/json"}, {"X-Plex-Protocol", "1.0"}, {"x-plex-protocol", "2.0"}};
  ASSERT_NE(r.header("content-type"), nullptr);
  EXPECT_EQ(*r.header("content-type"), "application/json");
  ASSERT_NE(r.header("X-PLEX-PROTOCOL"), nullptr);
  EXPECT_EQ(*r.header("X-PLEX-PROTOCOL"), "1.0");
  EXPECT_EQ(r.header("Retry-After"), nullptr);
  EXPECT_EQ(r.header(""), nullptr);
}

TEST(Response, JsonContentTypes) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("Application/JSON;charset=UTF-8"));
  EXPECT_TRUE(is_json_content_type(" application/json ; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/problem+json"));
  EXPECT_TRUE(is_json_content_type("application/vnd.plex+JSON; q=1"));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_FALSE(is_json_content_type("text/html"));
  EXPECT_FALSE(is_json_content_type("text/html; charset=application/json"));
  EXPECT_FALSE(is_json_content_type("application/jsonp"));
  EXPECT_FALSE(is_json_content_type("application/xml"));
  EXPECT_FALSE(is_json_content_type("+json"));
  EXPECT_FALSE(is_json_content_type("application/+json"));
  EXPECT_FALSE(is_json_content_type("json"));
}

}  // namespace
}  // namespace plexauth
