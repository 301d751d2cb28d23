// Parsers and the JSON writer of the response models. Everything here is
// generic over a model's field table (fields.gen.h, generated from
// codegen/api.py); no field or envelope member is named in this file.
#include "models/models.h"

#include <array>
#include <cstring>
#include <iterator>
#include <utility>

#include "core/error.h"
#include "core/json.h"
#include "core/operations.gen.h"
#include "core/xml.h"

namespace plexauth {
namespace {

using rapidjson::SizeType;
using rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// ---------------------------------------------------------------- paths for messages

// Where a value sits in the body. Built on the stack while descending and
// turned into text ("services[1].status") only when something is wrong.
struct Path {
  const Path *parent = nullptr;  // nullptr: the body itself
  std::string_view name;         // member name; empty for an array element
  std::size_t index = 0;
};

void append_path(std::string &out, const Path &p) {
  if (!p.parent) return;
  append_path(out, *p.parent);
  if (p.name.empty()) {
    out += '[';
    out += std::to_string(p.index);
    out += ']';
  } else {
    if (p.parent->parent) out += '.';
    out.append(p.name);
  }
}

std::string describe(const Path &p) {
  if (!p.parent) return "response body";
  std::string s = "field '";
  append_path(s, p);
  s += '\'';
  return s;
}

[[noreturn]] void wrong_type(const Path &p, const char *expected, const Value &v) {
  malformed(describe(p) + ": expected " + expected + ", got " + json::type_name(v));
}

// ---------------------------------------------------------------- reading one value (never null)

int64_t integer(const Value &v, const Path &p, const char *expected) {
  if (v.IsInt64()) return v.GetInt64();
  if (v.IsUint64()) malformed(describe(p) + ": integer out of range");
  wrong_type(p, expected, v);
}

void read_value(fields::Str, std::optional<std::string> &dst, const Value &v, const Path &p) {
  if (!v.IsString()) wrong_type(p, "string", v);
  dst.emplace(v.GetString(), v.GetStringLength());
}

void read_value(fields::Int, std::optional<int64_t> &dst, const Value &v, const Path &p) {
  dst = integer(v, p, "integer");
}

void read_value(fields::Time, std::optional<int64_t> &dst, const Value &v, const Path &p) {
  if (!v.IsString()) {
    dst = integer(v, p, "integer or ISO-8601 date-time string");
    return;
  }
  dst = parse_iso8601({v.GetString(), v.GetStringLength()});
  if (!dst) malformed(describe(p) + ": not an ISO-8601 date-time");
}

void read_value(fields::Bool, std::optional<bool> &dst, const Value &v, const Path &p) {
  if (!v.IsBool()) wrong_type(p, "bool", v);
  dst = v.GetBool();
}

void read_value(fields::Json, std::optional<std::string> &dst, const Value &v, const Path &p) {
  if (!v.IsObject()) wrong_type(p, "object", v);
  dst = json::to_string(v);
}

void read_value(fields::StrList, std::optional<std::vector<std::string>> &dst, const Value &v, const Path &p) {
  if (!v.IsArray()) wrong_type(p, "array", v);
  auto &list = dst.emplace();
  list.reserve(v.Size());
  for (const Value &item : v.GetArray()) {
    if (!item.IsString()) wrong_type(Path{&p, {}, list.size()}, "string", item);
    list.emplace_back(item.GetString(), item.GetStringLength());
  }
}

void read_value(fields::Count, std::optional<std::size_t> &dst, const Value &v, const Path &p) {
  if (!v.IsArray()) wrong_type(p, "array", v);
  dst = v.Size();
}

template <class M>
void read_object(M &out, const Value &v, const Path &path);

template <class T>
void read_value(fields::Obj<T>, std::optional<T> &dst, const Value &v, const Path &p) {
  read_object(dst.emplace(), v, p);
}

template <class T>
void read_value(fields::Inline<T>, std::optional<T> &dst, const Value &v, const Path &p) {
  read_object(dst.emplace(), v, p);
}

template <class T>
void read_value(fields::List<T>, std::optional<std::vector<T>> &dst, const Value &v, const Path &p) {
  if (!v.IsArray()) wrong_type(p, "array", v);
  auto &list = dst.emplace(v.Size());
  for (SizeType i = 0; i < v.Size(); ++i) read_object(list[i], v[i], Path{&p, {}, i});
}

// ---------------------------------------------------------------- XML values to typed ones

// An XML body arrives with every attribute a string and every child element
// an array (core/xml.h). Before the reader above runs, the values of known
// fields are turned into what JSON would carry, by the field's kind: decimal
// integers, "1"/"0"/"true"/"false" booleans (plex.tv's v1 XML uses 1/0), and
// the first element of a nested object. Anything else is left as it is, so the
// reader reports it exactly as it would in JSON.
using Alloc = rapidjson::Document::AllocatorType;

template <class M>
void coerce_object(Value &v, Alloc &a);

std::optional<int64_t> decimal(const Value &v) noexcept {
  if (!v.IsString()) return std::nullopt;
  const std::string_view s(v.GetString(), v.GetStringLength());
  std::size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  if (i == s.size() || s.size() - i > 18) return std::nullopt;  // 18 digits: no overflow
  int64_t n = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -n : n;
}

void coerce_value(fields::Str, Value &, Alloc &) {}
void coerce_value(fields::Json, Value &, Alloc &) {}
void coerce_value(fields::StrList, Value &, Alloc &) {}
void coerce_value(fields::Count, Value &, Alloc &) {}
void coerce_value(fields::Int, Value &v, Alloc &) {
  if (const auto n = decimal(v)) v.SetInt64(*n);
}
void coerce_value(fields::Time, Value &v, Alloc &) {
  if (const auto n = decimal(v)) v.SetInt64(*n);
}
void coerce_value(fields::Bool, Value &v, Alloc &) {
  if (!v.IsString()) return;
  const std::string_view s(v.GetString(), v.GetStringLength());
  if (s == "1" || s == "true") v.SetBool(true);
  if (s == "0" || s == "false") v.SetBool(false);
}
// A nested object is a child element: an array of one (the first is used).
void first_item(Value &v) {
  if (!v.IsArray()) return;
  if (v.Empty()) {
    v.SetNull();
    return;
  }
  Value first(std::move(v[0]));
  v = std::move(first);
}
template <class T>
void coerce_value(fields::Obj<T>, Value &v, Alloc &a) {
  first_item(v);
  coerce_object<T>(v, a);
}
template <class T>
void coerce_value(fields::Inline<T>, Value &v, Alloc &a) {
  first_item(v);
  coerce_object<T>(v, a);
}
template <class T>
void coerce_value(fields::List<T>, Value &v, Alloc &a) {
  if (!v.IsArray()) return;
  for (Value &item : v.GetArray()) coerce_object<T>(item, a);
}

// ---------------------------------------------------------------- writing one value

void write_value(fields::Str, const std::string &s, Writer &w) {
  w.String(s.data(), static_cast<SizeType>(s.size()));
}
void write_value(fields::Int, int64_t n, Writer &w) { w.Int64(n); }
void write_value(fields::Time, int64_t n, Writer &w) { w.Int64(n); }
void write_value(fields::Bool, bool b, Writer &w) { w.Bool(b); }
void write_value(fields::Json, const std::string &s, Writer &w) { w.RawValue(s.data(), s.size(), rapidjson::kObjectType); }

void write_value(fields::StrList, const std::vector<std::string> &list, Writer &w) {
  w.StartArray();
  for (const auto &s : list) write_value(fields::Str{}, s, w);
  w.EndArray();
}

void write_value(fields::Count, std::size_t n, Writer &w) {
  w.StartArray();
  for (std::size_t i = 0; i < n; ++i) {
    w.StartObject();
    w.EndObject();
  }
  w.EndArray();
}

template <class M>
void write_object(const M &o, Writer &w);

template <class T>
void write_value(fields::Obj<T>, const T &o, Writer &w) { write_object(o, w); }
template <class T>
void write_value(fields::Inline<T>, const T &o, Writer &w) { write_object(o, w); }
template <class T>
void write_value(fields::List<T>, const std::vector<T> &list, Writer &w) {
  w.StartArray();
  for (const auto &o : list) write_object(o, w);
  w.EndArray();
}

// ---------------------------------------------------------------- field tables

template <class M>
struct FieldDesc {
  std::string_view wire;
  bool required;
  // Stores the value (false when it is null: the member is reset).
  bool (*read)(M &, const Value &, const Path &);
  // Writes "wire":value when the member is present.
  void (*write)(const M &, Writer &);
  // An XML body's value as JSON would carry it (coerce_value above).
  void (*coerce)(Value &, Alloc &);
};

template <class M>
struct Desc;

#define PLEXAUTH_FIELD_DESC(K, T, m, w, r)                                      \
  FieldDesc<Self>{w, r,                                                         \
                  [](Self &o, const Value &v, const Path &p) {                  \
                    if (v.IsNull()) {                                           \
                      o.m.reset();                                              \
                      return false;                                             \
                    }                                                           \
                    read_value(PLEXAUTH_KIND_##K(T){}, o.m, v, p);              \
                    return true;                                                \
                  },                                                            \
                  [](const Self &o, Writer &wr) {                               \
                    if (!o.m) return;                                           \
                    wr.Key(w, sizeof(w) - 1);                                   \
                    write_value(PLEXAUTH_KIND_##K(T){}, *o.m, wr);              \
                  },                                                            \
                  [](Value &v, Alloc &a) { coerce_value(PLEXAUTH_KIND_##K(T){}, v, a); }},
#define PLEXAUTH_DESCRIBE(Name, FIELDS)                                           \
  template <>                                                                     \
  struct Desc<Name> {                                                             \
    using Self = Name;                                                            \
    static constexpr FieldDesc<Name> fields[] = {FIELDS(PLEXAUTH_FIELD_DESC)};    \
  };
PLEXAUTH_MODELS(PLEXAUTH_DESCRIBE)
#undef PLEXAUTH_DESCRIBE
#undef PLEXAUTH_FIELD_DESC

// Lookup by wire name (a small open-addressing hash table, so that each
// member of a body costs one hash and one comparison) and the mask of required
// fields, built once per model.
template <class M>
struct Lookup {
  static constexpr std::size_t n = std::size(Desc<M>::fields);
  static constexpr std::size_t kSlots = [] {
    std::size_t slots = 8;
    while (slots < 2 * n) slots *= 2;
    return slots;
  }();
  std::array<unsigned char, kSlots> slot{};  // field index + 1; 0 = empty
  std::bitset<n> required;

  // The bytes of a name as one or two words, without a library call: eight
  // bytes at each end (overlapping) from 8 bytes up; below that, two
  // overlapping 4-byte loads, or (under 4) the first, middle and last byte.
  // Given the length, equal words mean equal names.
  static uint64_t load8(const char *p) noexcept {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static uint64_t short_word(std::string_view s) noexcept {
    const std::size_t n = s.size();
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, s.data(), 4);
      std::memcpy(&b, s.data() + n - 4, 4);
      return a | (uint64_t{b} << 32);
    }
    if (n == 0) return 0;
    return uint64_t{static_cast<unsigned char>(s[0])} | uint64_t{static_cast<unsigned char>(s[n / 2])} << 8 |
           uint64_t{static_cast<unsigned char>(s[n - 1])} << 16;
  }
  // Mixes the length with the first and the last eight bytes: cheap, and
  // distinct enough for a few dozen camelCase names.
  static std::size_t hash(std::string_view key) noexcept {
    const bool long_key = key.size() >= 8;
    const uint64_t head = long_key ? load8(key.data()) : short_word(key);
    const uint64_t tail = long_key ? load8(key.data() + key.size() - 8) : 0;
    return static_cast<std::size_t>(((head ^ (tail >> 1) ^ key.size()) * 0x9E3779B97F4A7C15u) >> 40);
  }
  Lookup() {
    static_assert(n == M::kFieldCount, "the table and the struct come from one field list");
    static_assert(n < 255, "a field index must fit in a slot");
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t s = hash(Desc<M>::fields[i].wire) & (kSlots - 1);
      while (slot[s]) s = (s + 1) & (kSlots - 1);
      slot[s] = static_cast<unsigned char>(i + 1);
      required[i] = Desc<M>::fields[i].required;
    }
  }
  // a == b, inlined (names are short; a library memcmp call per member is not).
  static bool equal(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    if (n < 8) return short_word(a) == short_word(b);
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load8(a.data() + i) != load8(b.data() + i)) return false;
    return load8(a.data() + n - 8) == load8(b.data() + n - 8);
  }
  static const Lookup &get() {
    static const Lookup table;
    return table;
  }
  // Index of the field named `key`, or n when it is not a known field.
  std::size_t find(std::string_view key) const noexcept {
    for (std::size_t s = hash(key) & (kSlots - 1);; s = (s + 1) & (kSlots - 1)) {
      if (!slot[s]) return n;
      const std::size_t i = slot[s] - 1u;
      if (equal(Desc<M>::fields[i].wire, key)) return i;
    }
  }
};

template <class M>
void read_object(M &out, const Value &v, const Path &path) {
  if (!v.IsObject()) wrong_type(path, "object", v);
  constexpr auto &fields = Desc<M>::fields;
  const auto &lookup = Lookup<M>::get();
  std::bitset<Lookup<M>::n> have;  // present and not null
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    const std::size_t i = lookup.find(key);
    if (i == Lookup<M>::n) continue;  // unknown fields are ignored
    const bool value = fields[i].read(out, it->value, Path{&path, fields[i].wire});
    have[i] = value;
    out.nulls[i] = !value;
  }
  const auto missing = lookup.required & ~have;
  if (missing.none()) return;
  for (std::size_t i = 0; i < Lookup<M>::n; ++i) {
    if (!missing[i]) continue;
    const Path p{&path, fields[i].wire};
    if (out.nulls[i]) malformed(describe(p) + ": required, got null");
    std::string field;
    append_path(field, p);
    malformed("missing required field '" + field + "'");
  }
}

template <class M>
void coerce_object(Value &v, Alloc &a) {
  if (!v.IsObject()) return;
  const auto &lookup = Lookup<M>::get();
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    const std::size_t i = lookup.find({it->name.GetString(), it->name.GetStringLength()});
    if (i != Lookup<M>::n) Desc<M>::fields[i].coerce(it->value, a);
  }
}

template <class M>
void write_object(const M &o, Writer &w) {
  w.StartObject();
  for (std::size_t i = 0; i < Lookup<M>::n; ++i) {
    const auto &f = Desc<M>::fields[i];
    if (o.nulls[i]) {
      w.Key(f.wire.data(), static_cast<SizeType>(f.wire.size()));
      w.Null();
    } else {
      f.write(o, w);
    }
  }
  w.EndObject();
}

// ---------------------------------------------------------------- bodies

// One document per parse; its values live in a pool that starts on the stack,
// so a typical account body needs no heap allocation for the DOM.
class BodyDocument {
 public:
  const Value &parse(std::string_view text) {
    json::parse(doc_, text);
    return doc_;
  }
  Value &parse_xml(std::string_view text) {
    xml::parse(doc_, text);
    return doc_;
  }
  Alloc &allocator() { return doc_.GetAllocator(); }

 private:
  alignas(std::max_align_t) char buffer_[16 * 1024];
  rapidjson::MemoryPoolAllocator<> pool_{buffer_, sizeof buffer_};
  rapidjson::Document doc_{&pool_};
};

const Path kRoot{};

bool blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The non-null member `name` of the object `obj` (the last one if repeated,
// as in read_object), or nullptr.
const Value *member(const Value &obj, std::string_view name, const Path &path) {
  if (!obj.IsObject()) wrong_type(path, "object", obj);
  const Value *found = nullptr;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it)
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == name) found = &it->value;
  return found && !found->IsNull() ? found : nullptr;
}

constexpr int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {  // H. Hinnant's algorithm
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
static_assert(days_from_civil(1970, 1, 1) == 0);

}  // namespace

std::optional<int64_t> parse_iso8601(std::string_view s) noexcept {
  std::size_t i = 0;
  auto number = [&](std::size_t digits, int64_t &out) {
    if (s.size() - i < digits) return false;
    out = 0;
    for (std::size_t k = 0; k < digits; ++k, ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  auto one_of = [&](std::string_view chars) {
    if (i >= s.size() || chars.find(s[i]) == std::string_view::npos) return '\0';
    return s[i++];
  };
  int64_t year, month, day, hour, minute, second, off_h = 0, off_m = 0;
  if (!number(4, year) || !one_of("-") || !number(2, month) || !one_of("-") || !number(2, day) ||
      !one_of("Tt ") || !number(2, hour) || !one_of(":") || !number(2, minute) || !one_of(":") ||
      !number(2, second))
    return std::nullopt;
  if (one_of(".")) {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return std::nullopt;
  }
  const char zone = one_of("Zz+-");
  if (zone == '+' || zone == '-') {
    if (!number(2, off_h) || !one_of(":") || !number(2, off_m) || off_h > 23 || off_m > 59) return std::nullopt;
  }
  if (!zone || i != s.size()) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap) ||
      hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  const int64_t offset = (zone == '-' ? -1 : 1) * (off_h * 3600 + off_m * 60);
  return days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
}

template <class M>
M parse_model(std::string_view body, const Envelope &env) {
  M out;
  if (env.empty_ok && blank(body)) return out;
  BodyDocument doc;
  const Value *v = env.xml ? &doc.parse_xml(body) : &doc.parse(body);
  // The Path nodes of the envelope live here while read_object runs.
  Path paths[8];
  const Path *at = &kRoot;
  if (env.size > std::size(paths)) malformed("envelope too deep");
  for (std::size_t i = 0; i < env.size; ++i) {
    paths[i] = Path{at, env.path[i]};
    v = member(*v, paths[i].name, *at);
    at = &paths[i];
    if (env.xml && v && v->IsArray()) v = v->Empty() ? nullptr : &(*v)[0];  // a child element
    if (!v) {
      if (env.empty_ok) return out;
      std::string field;
      append_path(field, *at);
      malformed("missing required field '" + field + "'");
    }
  }
  // The document is ours: the XML one is typed in place before it is read.
  if (env.xml) coerce_object<M>(const_cast<Value &>(*v), doc.allocator());
  if (env.root_list) {
    if (!v->IsArray()) wrong_type(*at, "array", *v);
    // {"<root_list>": <the array>}: the array moves into the wrapper.
    Value wrapper(rapidjson::kObjectType);
    wrapper.AddMember(rapidjson::StringRef(env.root_list), const_cast<Value &>(*v), doc.allocator());
    read_object(out, wrapper, *at);
    return out;
  }
  if (env.array_first && v->IsArray()) {
    if (v->Empty()) return out;
    read_object(out, (*v)[0], Path{at, {}, 0});
  } else if (env.array_first && !v->IsObject()) {
    wrong_type(*at, "object or array", *v);
  } else {
    read_object(out, *v, *at);
  }
  return out;
}

template <class M>
std::string to_json(const M &m) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_object(m, w);
  return std::string(buffer.GetString(), buffer.GetSize());
}

#define PLEXAUTH_INSTANTIATE(Name)                                              \
  template Name parse_model<Name>(std::string_view, const Envelope &);          \
  template std::string to_json<Name>(const Name &);
PLEXAUTH_RESULT_MODELS(PLEXAUTH_INSTANTIATE)
#undef PLEXAUTH_INSTANTIATE

TransientToken parse_transient_token(std::string_view body) {
  return parse_model<TransientToken>(body, envelope_of(op::kGetTransientToken));
}

SourceInfo parse_source_info(std::string_view body) {
  return parse_model<SourceInfo>(body, envelope_of(op::kGetSourceConnectionInformation));
}

}  // namespace plexauth
