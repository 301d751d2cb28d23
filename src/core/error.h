// The one error path of the core: plexauth::Error is thrown, and capi/
// translates it once into a plexauth_status plus a plexauth_error object.
#pragma once

#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "core/status.gen.h"

namespace plexauth {

// Mirrors plexauth_status value for value (generated from codegen/api.py;
// checked by static_assert in capi/generated.cpp).
enum class Status : int {
#define PLEXAUTH_STATUS_ENUMERATOR(name, value, text) name = value,
  PLEXAUTH_STATUSES(PLEXAUTH_STATUS_ENUMERATOR)
#undef PLEXAUTH_STATUS_ENUMERATOR
};

const char *status_name(Status s) noexcept;

// One entry of Plex's {"errors":[{code,message,status}]}.
struct PlexErrorEntry {
  std::optional<int64_t> code;
  std::optional<std::string> message;
  std::optional<int64_t> status;
};

struct ErrorInfo {
  Status status = Status::Internal;
  std::string message;               // never holds a secret
  int http_status = 0;               // 0: no response
  unsigned attempts = 0;
  std::optional<int64_t> retry_after_ms;
  std::vector<PlexErrorEntry> plex_errors;
  std::optional<std::string> content_type;
  std::optional<std::string> body;   // truncated and redacted
  bool not_connected = false;        // the attempt never reached the server (refused, unresolved, connect timeout)
};

class Error : public std::exception {
 public:
  Error(Status status, std::string message) {
    info_.status = status;
    info_.message = std::move(message);
  }
  explicit Error(ErrorInfo info) : info_(std::move(info)) {}
  const char *what() const noexcept override { return info_.message.c_str(); }
  Status status() const noexcept { return info_.status; }
  const ErrorInfo &info() const noexcept { return info_; }
  ErrorInfo &info() noexcept { return info_; }

 private:
  ErrorInfo info_;
};

[[noreturn]] inline void fail(Status s, std::string message) { throw Error(s, std::move(message)); }
[[noreturn]] inline void malformed(std::string message) { throw Error(Status::MalformedResponse, std::move(message)); }

}  // namespace plexauth
