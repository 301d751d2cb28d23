// What the C entry points share: the handles, and small helpers that the
// generated getters, identity setters and operations (generated.cpp) and the
// hand-written ones (api.cpp, results.cpp) call. Nothing here throws out of
// an extern "C" function: operations run inside guard().
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "capi/async.h"
#include "capi/guard.h"
#include "capi/handles.h"
#include "core/operations.gen.h"
#include "core/validate.h"
#include "login/login.h"

namespace plexauth::capi {

inline const char *str(const std::optional<std::string> &s) noexcept { return s ? s->c_str() : nullptr; }

inline int put(const std::optional<int64_t> &v, int64_t *out) noexcept {
  if (!v || !out) return 0;
  *out = *v;
  return 1;
}

inline int put(const std::optional<bool> &v, int *out) noexcept {
  if (!v || !out) return 0;
  *out = *v ? 1 : 0;
  return 1;
}

template <class T>
size_t count_of(const std::optional<std::vector<T>> &list) noexcept {
  return list ? list->size() : 0;
}

template <class T>
const T *item_at(const std::optional<std::vector<T>> &list, size_t index) noexcept {
  return list && index < list->size() ? &(*list)[index] : nullptr;
}

// The inline object `member` of *owner (e.g. a past subscription's billing),
// or nullptr.
template <class Owner, class T>
const T *inline_of(const Owner *owner, std::optional<T> Owner::*member) noexcept {
  return owner && (owner->*member) ? &*(owner->*member) : nullptr;
}

// A file path argument: not NULL, not empty, text of at most 4 KiB.
inline void check_path(const char *path) {
  require(path, "path");
  if (!*path) fail(Status::InvalidArgument, "path is empty");
  check_text(path, "path", 4096);
}

// Copies s with its NUL into out[out_size]. A buffer too small is an invalid
// argument, out untouched.
inline void copy_text(const std::string &s, char *out, size_t out_size, const char *what) {
  if (!out || out_size < s.size() + 1)
    fail(Status::InvalidArgument, std::string(what) + " needs a buffer of " + std::to_string(s.size() + 1) + " bytes");
  std::memcpy(out, s.c_str(), s.size() + 1);
}

// The wait settings of plexauth_client_wait_for_pin and _wait_for_jwk_pin
// (poll interval 0: 1000 ms; the progress callback as a stop predicate).
inline PinWait pin_wait(int64_t poll_interval_ms, int64_t timeout_ms, plexauth_pin_progress_fn progress,
                        void *user_data) {
  PinWait wait;
  wait.poll_interval_ms = poll_interval_ms == 0 ? 1000 : poll_interval_ms;
  wait.timeout_ms = timeout_ms;
  if (progress)
    wait.progress = [progress, user_data](const std::string &code, int64_t left) {
      return progress(user_data, code.c_str(), left) == 0;
    };
  return wait;
}

// A checked copy of an optional C string: NULL gives nullopt.
inline std::optional<std::string> text_or_null(const char *s, const char *what) {
  if (!s) return std::nullopt;
  check_text(s, what);
  return std::string(s);
}

// Sets one identity value of a config, call options or sign-in request;
// NULL clears it.
template <class H, class Holder>
plexauth_status set_text(H *h, const char *what, Holder H::*holder, std::optional<std::string> Identity::*field,
                         const char *value, const char *name) noexcept {
  return guard(nullptr, [&] {
    require(h, what);
    ((h->*holder).identity.*field) = text_or_null(value, name);
  });
}

template <class F>
plexauth_status run_operation(plexauth_error **err, F &&f) noexcept {
  return guard(err, std::forward<F>(f));
}

// plexauth_x_json of a result: serialised on first use and kept.
template <class R>
const char *result_json(const R *r, size_t *len) noexcept {
  if (len) *len = 0;
  if (!r) return nullptr;
  try {
    std::call_once(r->json_once, [r] { r->json = to_json(r->value); });
  } catch (...) {  // out of memory: the next call tries again
    return nullptr;
  }
  if (len) *len = r->json.size();
  return r->json.c_str();
}

}  // namespace plexauth::capi
