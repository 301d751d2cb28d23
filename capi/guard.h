// The one place where C++ exceptions become plexauth_status values.
#pragma once

#include <new>
#include <utility>

#include "core/error.h"
#include "core/json.h"
#include "plexauth/plexauth.h"

struct plexauth_error {
  plexauth::ErrorInfo info;
};

namespace plexauth::capi {

inline plexauth_status report(plexauth_error **err, ErrorInfo info) noexcept {
  const auto status = static_cast<plexauth_status>(info.status);
  if (err) {
    try {
      *err = new plexauth_error{std::move(info)};
    } catch (...) {
      *err = nullptr;  // detail is best effort; the status still tells
    }
  }
  return status;
}

inline plexauth_status report(plexauth_error **err, Status s, const char *message) noexcept {
  try {
    ErrorInfo info;
    info.status = s;
    info.message = message;
    return report(err, std::move(info));
  } catch (...) {
    if (err) *err = nullptr;
    return static_cast<plexauth_status>(s);
  }
}

// Runs f, translating every exception. err may be NULL.
template <class F>
plexauth_status guard(plexauth_error **err, F &&f) noexcept {
  if (err) *err = nullptr;
  try {
    std::forward<F>(f)();
    return PLEXAUTH_OK;
  } catch (const Error &e) {
    return report(err, e.info());
  } catch (const std::bad_alloc &) {
    return report(err, Status::OutOfMemory, "out of memory");
  } catch (const JsonAssertion &) {
    return report(err, Status::MalformedResponse, "the response could not be read");
  } catch (const std::exception &e) {
    return report(err, Status::Internal, e.what());
  } catch (...) {
    return report(err, Status::Internal, "unknown internal error");
  }
}

template <class T>
void require(const T *p, const char *what) {
  if (!p) fail(Status::InvalidArgument, std::string(what) + " must not be NULL");
}

}  // namespace plexauth::capi
