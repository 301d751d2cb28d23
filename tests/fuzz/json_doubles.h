// True when a JSON value holds a floating-point number anywhere. RapidJSON
// 1.1.0's default number reading is not always correctly rounded (its
// full-precision mode is broken, see src/core/json.cpp), so such a value may
// come back from a write and a read with its last digit changed.
#pragma once

#include "core/json.h"

namespace fuzz {

inline bool has_double(const rapidjson::Value &v) {  // depth <= json::kMaxDepth: bounded recursion
  if (v.IsDouble()) return true;
  if (v.IsArray())
    for (const auto &item : v.GetArray())
      if (has_double(item)) return true;
  if (v.IsObject())
    for (const auto &m : v.GetObject())
      if (has_double(m.value)) return true;
  return false;
}

}  // namespace fuzz
