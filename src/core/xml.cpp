#include "core/xml.h"

#include <expat.h>

#include <climits>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace plexauth::xml {
namespace {

using rapidjson::SizeType;
using rapidjson::Value;

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The parse in progress: the open elements (objects not yet attached) and
// the first failure, kept here because nothing may be thrown through expat.
struct Builder {
  rapidjson::Document &doc;
  XML_Parser parser;
  std::vector<Value> open;  // open[i] is the element at depth i + 1
  std::vector<std::string> names;
  std::string error;        // a refusal (malformed)
  bool out_of_memory = false;
  bool done = false;        // the root element has closed

  void fail(std::string why) {
    if (error.empty() && !out_of_memory) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
  Value str(const char *s) { return Value(s, doc.GetAllocator()); }
};

void XMLCALL on_start(void *user, const XML_Char *name, const XML_Char **attrs) {
  auto &b = *static_cast<Builder *>(user);
  try {
    if (b.open.size() >= static_cast<std::size_t>(json::kMaxDepth)) return b.fail("nested too deeply");
    Value obj(rapidjson::kObjectType);
    for (const XML_Char **a = attrs; a && *a; a += 2) obj.AddMember(b.str(a[0]), b.str(a[1]), b.doc.GetAllocator());
    b.open.push_back(std::move(obj));
    b.names.emplace_back(name);
  } catch (const std::bad_alloc &) {
    b.out_of_memory = true;
    XML_StopParser(b.parser, XML_FALSE);
  } catch (const std::exception &e) {
    b.fail(e.what());
  }
}

void XMLCALL on_end(void *user, const XML_Char *) {
  auto &b = *static_cast<Builder *>(user);
  try {
    Value element = std::move(b.open.back());
    Value name = b.str(b.names.back().c_str());
    b.open.pop_back();
    b.names.pop_back();
    auto &alloc = b.doc.GetAllocator();
    if (b.open.empty()) {
      b.doc.SetObject();
      b.doc.AddMember(name, element, alloc);
      b.done = true;
      return;
    }
    // Children of one name gather in an array member of that name (the last
    // such member wins over an attribute of the same name, as in JSON).
    Value &parent = b.open.back();
    Value *list = nullptr;
    for (auto it = parent.MemberBegin(); it != parent.MemberEnd(); ++it)
      if (it->value.IsArray() && it->name == name) list = &it->value;
    if (!list) {
      parent.AddMember(name, Value(rapidjson::kArrayType), alloc);
      list = &(parent.MemberEnd() - 1)->value;
    }
    list->PushBack(element, alloc);
  } catch (const std::bad_alloc &) {
    b.out_of_memory = true;
    XML_StopParser(b.parser, XML_FALSE);
  } catch (const std::exception &e) {
    b.fail(e.what());
  }
}

void XMLCALL on_doctype(void *user, const XML_Char *, const XML_Char *, const XML_Char *, int) {
  static_cast<Builder *>(user)->fail("a DOCTYPE is not accepted");
}

void XMLCALL on_entity(void *user, const XML_Char *, int, const XML_Char *, int, const XML_Char *, const XML_Char *,
                       const XML_Char *, const XML_Char *) {
  static_cast<Builder *>(user)->fail("entity declarations are not accepted");
}

struct ParserFree {
  void operator()(XML_Parser p) const noexcept { XML_ParserFree(p); }
};

}  // namespace

bool is_xml_content_type(std::string_view ct) noexcept {
  const std::size_t semi = ct.find(';');
  const std::string_view type = trim(ct.substr(0, semi));
  if (iequal(type, "application/xml") || iequal(type, "text/xml")) return true;
  return type.size() > 4 && iequal(type.substr(type.size() - 4), "+xml");
}

void parse(rapidjson::Document &doc, std::string_view body, const char *what) {
  const std::string head = std::string(what) + ": ";
  if (body.size() > static_cast<std::size_t>(INT_MAX)) malformed(head + "too large for the XML parser");
  // UTF-8 only, whatever the document declares.
  std::unique_ptr<XML_ParserStruct, ParserFree> parser(XML_ParserCreate("UTF-8"));
  if (!parser) throw std::bad_alloc();
  Builder b{doc, parser.get(), {}, {}, {}, false, false};
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  XML_SetEntityDeclHandler(parser.get(), on_entity);
  XML_SetParamEntityParsing(parser.get(), XML_PARAM_ENTITY_PARSING_NEVER);
  const XML_Status st = XML_Parse(parser.get(), body.data(), static_cast<int>(body.size()), XML_TRUE);
  if (b.out_of_memory || XML_GetErrorCode(parser.get()) == XML_ERROR_NO_MEMORY) throw std::bad_alloc();
  if (!b.error.empty()) malformed(head + "XML refused: " + b.error);
  if (st != XML_STATUS_OK) {
    malformed(head + "not well-formed XML (line " + std::to_string(XML_GetCurrentLineNumber(parser.get())) +
              ", column " + std::to_string(XML_GetCurrentColumnNumber(parser.get())) +
              "): " + XML_ErrorString(XML_GetErrorCode(parser.get())));
  }
  if (!b.done) malformed(head + "no XML element");
}

}  // namespace plexauth::xml
