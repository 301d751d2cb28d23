#include "core/redact.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cctype>
#include <cstdint>

#include "core/secret.h"

namespace plexauth {
namespace {

// (auth_token: the Plex JWT of an exchange; jwt, deviceJWT: a signed device JWT.)
constexpr std::array<std::string_view, 10> kSecretKeys = {"authToken", "authenticationToken", "accessToken", "token",
                                                          "password",  "verificationCode",    "secret",      "auth_token",
                                                          "jwt",       "deviceJWT"};

// Values found behind a credential key shorter than this are hidden where
// they stand, not wherever they occur (a token of "t" would hide every 't').
constexpr size_t kMinLearnedBytes = 4;

bool is_secret_key(std::string_view key) {
  for (std::string_view k : kSecretKeys)
    if (key.size() == k.size() &&
        std::equal(key.begin(), key.end(), k.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return true;
  return false;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_ident(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == ':' || c == '.';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Reads a \uXXXX at s[i] ('\\' at i); returns the code unit or -1.
long read_u_escape(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  long v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    const int h = hex_value(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Undoes one level of JSON string escaping everywhere in `s`, leniently
// (whatever is not a valid escape is kept), so that a JSON document inside a
// JSON string, or a key written with \u escapes, reads plainly.
std::string json_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i++];
      continue;
    }
    const char e = s[i + 1];
    if (e == 'u') {
      const long hi = read_u_escape(s, i);
      if (hi < 0) {
        out += s[i++];
        continue;
      }
      uint32_t cp = static_cast<uint32_t>(hi);
      size_t used = 6;
      if (hi >= 0xD800 && hi <= 0xDBFF) {
        const long lo = read_u_escape(s, i + 6);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((static_cast<uint32_t>(hi) - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
          used = 12;
        }
      }
      append_utf8(out, cp);
      i += used;
      continue;
    }
    const char plain = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
    out += plain;
    i += 2;
  }
  return out;
}

std::string xml_unescape(std::string_view s) {
  static constexpr std::pair<std::string_view, char> kEntities[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    bool done = false;
    for (const auto &[entity, c] : kEntities) {
      if (s.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size();
        done = true;
        break;
      }
    }
    if (!done) out += s[i++];
  }
  return out;
}

struct Span {
  size_t begin;
  size_t end;
};

// Calls fn(span of the raw value) for each credential-named JSON member
// ("key": "value") and XML attribute (key="value" or key='value') in s.
template <class Fn>
void for_each_credential(std::string_view s, Fn &&fn) {
  // JSON members: a quoted key, ':', a quoted string value. Found from each
  // ':' (not by pairing quotes from the start, which one level of unescaping
  // can throw off).
  for (size_t colon = s.find(':'); colon != std::string_view::npos; colon = s.find(':', colon + 1)) {
    size_t k = colon;
    while (k > 0 && is_space(s[k - 1])) --k;
    if (k == 0 || s[k - 1] != '"') continue;
    const size_t key_end = k - 1;
    const size_t open = s.rfind('"', key_end == 0 ? 0 : key_end - 1);
    if (open == std::string_view::npos || open >= key_end) continue;
    if (!is_secret_key(s.substr(open + 1, key_end - open - 1))) continue;
    size_t i = colon + 1;
    while (i < s.size() && is_space(s[i])) ++i;
    if (i >= s.size() || s[i] != '"') continue;
    const size_t start = i + 1;
    size_t end = start;
    while (end < s.size() && s[end] != '"') end += s[end] == '\\' ? 2 : 1;
    end = std::min(end, s.size());
    fn(Span{start, end});
    colon = end < s.size() ? end : s.size() - 1;
  }
  // XML attributes.
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') continue;
    size_t name_end = i;
    while (name_end > 0 && is_space(s[name_end - 1])) --name_end;
    size_t name_start = name_end;
    while (name_start > 0 && is_ident(s[name_start - 1])) --name_start;
    if (name_start == name_end || !is_secret_key(s.substr(name_start, name_end - name_start))) continue;
    size_t v = i + 1;
    while (v < s.size() && is_space(s[v])) ++v;
    if (v >= s.size() || (s[v] != '"' && s[v] != '\'')) continue;
    const char quote = s[v];
    const size_t start = v + 1;
    const size_t end = std::min(s.find(quote, start), s.size());
    fn(Span{start, end});
    i = end;
  }
}

std::string percent_encode(std::string_view s, bool form, bool lower) {
  const char *hex = lower ? "0123456789abcdef" : "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else if (form && c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// JSON string escaping: minimal (RapidJSON's), or ASCII-only with lower-case
// \u escapes (Python's json.dumps), optionally escaping '/'.
std::string json_escape(std::string_view s, bool ascii, bool slash) {
  std::string out;
  const char *hex = "0123456789abcdef";
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '/':
        out += slash ? "\\/" : "/";
        continue;
      default: break;
    }
    if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c >= 0x80 && ascii) {
      // Decode one UTF-8 sequence (the text is valid UTF-8 when it came from
      // a caller; anything else is written byte by byte).
      size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
      if (len == 1 || i + len > s.size()) {
        out += static_cast<char>(c);
        continue;
      }
      uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
      i += len - 1;
      auto unit = [&](uint32_t u) {
        out += "\\u";
        for (int shift = 12; shift >= 0; shift -= 4) out += hex[(u >> shift) & 15];
      };
      if (cp >= 0x10000) {
        cp -= 0x10000;
        unit(0xD800 + (cp >> 10));
        unit(0xDC00 + (cp & 0x3FF));
      } else {
        unit(cp);
      }
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

void Redactor::add_spellings(std::string_view secret) const {
  if (secret.empty()) return;
  for (const Secret &known : seen_)
    if (known.reveal() == secret) return;
  seen_.emplace_back(secret);
  std::vector<Secret> forms;
  forms.emplace_back(secret);
  forms.emplace_back(percent_encode(secret, false, false));
  forms.emplace_back(percent_encode(secret, false, true));
  forms.emplace_back(percent_encode(secret, true, false));
  forms.emplace_back(percent_encode(secret, true, true));
  for (bool ascii : {false, true})
    for (bool slash : {false, true}) {
      Secret once(json_escape(secret, ascii, slash));
      forms.emplace_back(json_escape(once.reveal(), false, false));  // a JSON text inside a JSON string
      forms.push_back(std::move(once));
    }
  forms.emplace_back(xml_escape(secret));
  for (Secret &f : forms) {
    const std::string &v = f.reveal();
    const bool known = std::any_of(spellings_.begin(), spellings_.end(), [&](const Secret &s) { return s.reveal() == v; });
    if (!known) spellings_.push_back(std::move(f));
  }
  std::stable_sort(spellings_.begin(), spellings_.end(),
                   [](const Secret &a, const Secret &b) { return a.reveal().size() > b.reveal().size(); });
}

void Redactor::add(std::string_view secret) {
  if (secret.empty()) return;
  for (const Secret &p : pending_)
    if (p.reveal() == secret) return;
  for (const Secret &known : seen_)
    if (known.reveal() == secret) return;
  pending_.emplace_back(secret);
}

void Redactor::expand() const {
  for (const Secret &p : pending_) add_spellings(p.reveal());
  pending_.clear();
}

std::string Redactor::apply(std::string_view text) const {
  expand();
  // 1. Learn the credential values in the text, as written and with one or
  //    two levels of JSON escaping undone (escaped keys, JSON in a string).
  {
    std::string level1 = json_unescape(text);
    std::string level2 = json_unescape(level1);
    for (std::string_view view : {text, std::string_view(level1), std::string_view(level2)}) {
      for_each_credential(view, [&](Span sp) {
        const std::string_view raw = view.substr(sp.begin, sp.end - sp.begin);
        if (raw.size() < kMinLearnedBytes || raw == kRedacted) return;
        Secret value(json_unescape(raw));
        if (value.reveal().size() >= kMinLearnedBytes) add_spellings(value.reveal());
        Secret xml(xml_unescape(raw));
        if (xml.reveal().size() >= kMinLearnedBytes) add_spellings(xml.reveal());
      });
    }
    wipe(level1);
    wipe(level2);
  }

  // 2. Every spelling of every secret, in one pass, longest match first (so
  //    that no replacement is itself searched again).
  std::bitset<256> first;
  for (const Secret &s : spellings_) first.set(static_cast<unsigned char>(s.reveal()[0]));
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    bool hit = false;
    if (first.test(static_cast<unsigned char>(text[i]))) {
      for (const Secret &s : spellings_) {
        const std::string &v = s.reveal();
        if (text.compare(i, v.size(), v) == 0) {
          out += kRedacted;
          i += v.size();
          hit = true;
          break;
        }
      }
    }
    if (!hit) out += text[i++];
  }

  // 3. Credential-named values still in place (the short ones), from the end
  //    so that earlier spans stay valid.
  std::vector<Span> spans;
  for_each_credential(out, [&](Span sp) { spans.push_back(sp); });
  std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.begin > b.begin; });
  size_t limit = out.size();
  for (const Span &sp : spans) {
    if (sp.end > limit) continue;  // overlaps a span already replaced
    if (std::string_view(out).substr(sp.begin, sp.end - sp.begin) != kRedacted)
      out.replace(sp.begin, sp.end - sp.begin, kRedacted);
    limit = sp.begin;
  }
  return out;
}

}  // namespace plexauth
