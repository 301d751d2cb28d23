// The response models' C++ side. Every model's field list is generated from
// codegen/api.py into fields.gen.h as an X-macro, X(KIND, TYPE, member,
// "wireName", REQUIRED); this file turns each list into a struct, and
// models.cpp into its parser and JSON writer. Adding a field is one line in
// codegen/api.py plus `python3 codegen/generate.py`.
//
//   KIND      how the value is read, stored and written:
//               Str      string                          -> std::optional<std::string>
//               Int      JSON integer (int64)            -> std::optional<int64_t>
//               Bool     true / false                    -> std::optional<bool>
//               Time     epoch seconds or ISO-8601 text  -> std::optional<int64_t> (Unix seconds)
//               Json     any object, kept as compact JSON text -> std::optional<std::string>
//               StrList  array of strings                -> std::optional<std::vector<std::string>>
//               Count    array whose items are only counted -> std::optional<std::size_t>
//               Obj      object of model TYPE, with its own C handle
//               List     array of model TYPE, each item a C handle
//               Inline   object of model TYPE read through the parent's getters
//   TYPE      the nested model for Obj / List / Inline, `_` otherwise
//   member    the C++ member name
//   wireName  the JSON key
//   REQUIRED  true: a body without it (or with null) is a malformed response
//
// JSON null reads as absent and is remembered in `nulls`, so that to_json
// writes it back as null.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plexauth::fields {
struct Str { using type = std::optional<std::string>; };
struct Int { using type = std::optional<int64_t>; };
struct Bool { using type = std::optional<bool>; };
struct Time { using type = std::optional<int64_t>; };
struct Json { using type = std::optional<std::string>; };
struct StrList { using type = std::optional<std::vector<std::string>>; };
struct Count { using type = std::optional<std::size_t>; };
template <class T> struct Obj { using type = std::optional<T>; };
template <class T> struct List { using type = std::optional<std::vector<T>>; };
template <class T> struct Inline { using type = std::optional<T>; };
}  // namespace plexauth::fields

#define PLEXAUTH_KIND_Str(T) ::plexauth::fields::Str
#define PLEXAUTH_KIND_Int(T) ::plexauth::fields::Int
#define PLEXAUTH_KIND_Bool(T) ::plexauth::fields::Bool
#define PLEXAUTH_KIND_Time(T) ::plexauth::fields::Time
#define PLEXAUTH_KIND_Json(T) ::plexauth::fields::Json
#define PLEXAUTH_KIND_StrList(T) ::plexauth::fields::StrList
#define PLEXAUTH_KIND_Count(T) ::plexauth::fields::Count
#define PLEXAUTH_KIND_Obj(T) ::plexauth::fields::Obj<::plexauth::T>
#define PLEXAUTH_KIND_List(T) ::plexauth::fields::List<::plexauth::T>
#define PLEXAUTH_KIND_Inline(T) ::plexauth::fields::Inline<::plexauth::T>

#include "models/fields.gen.h"

// ---------------------------------------------------------------- struct generation
#define PLEXAUTH_MODEL_INDEX(K, T, m, w, r) k_##m,
#define PLEXAUTH_MODEL_MEMBER(K, T, m, w, r) PLEXAUTH_KIND_##K(T)::type m;
#define PLEXAUTH_MODEL_EQUAL(K, T, m, w, r) a.m == b.m &&
#define PLEXAUTH_DEFINE_MODEL(Name, FIELDS)                                              \
  struct Name {                                                                         \
    enum Field : std::size_t { FIELDS(PLEXAUTH_MODEL_INDEX) kFieldCount };              \
    FIELDS(PLEXAUTH_MODEL_MEMBER)                                                       \
    std::bitset<kFieldCount> nulls; /* fields that arrived as JSON null */              \
    friend bool operator==(const Name &a, const Name &b) {                              \
      return FIELDS(PLEXAUTH_MODEL_EQUAL) a.nulls == b.nulls;                           \
    }                                                                                   \
    friend bool operator!=(const Name &a, const Name &b) { return !(a == b); }         \
  };

namespace plexauth {
PLEXAUTH_MODELS(PLEXAUTH_DEFINE_MODEL)
}  // namespace plexauth
