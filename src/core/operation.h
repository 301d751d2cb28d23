// Each Plex operation described once, as data. One pipeline (client.cpp)
// runs them all: build -> send -> classify -> retry -> parse.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/response.h"
#include "core/retry.h"
#include "models/models.h"

namespace plexauth {

enum class Method { Get, Post, Put, Delete };
enum class Host { Pms, PlexTv, Clients, PlexTvV1 };  // clients: clients.plex.tv; PlexTvV1: plex.tv/api (v1)
enum class Body { None, Form, Json };

// A Plex error code with a status of its own: a response whose errors[]
// carries `code` (with HTTP status `http_status`, or any 4XX when 0) is
// reported as `status`, with `message` after "HTTP <n>: ".
struct PlexCodeRule {
  int64_t code;
  int http_status;
  Status status;
  const char *message;
};

// Every operation is one of these, generated from codegen/api.py into
// core/operations.gen.h (namespace plexauth::op).
struct Operation {
  const char *name;        // snake_case, for messages and logs
  Method method;
  Host host;
  const char *path;        // appended to the host's base URL; {name} = a path parameter
  int success_status;      // 200, 201 or 204
  bool sends_token;        // X-Plex-Token (never on sign-in)
  bool empty_ok;           // a blank success body is fine (every field absent)
  bool retry_rate_limited; // 429 is retried (idempotent operations only)
  Body body;
  const PlexCodeRule *plex_codes;
  size_t plex_code_count;
  const char *const *envelope;  // members leading to the result, e.g. MediaContainer
  size_t envelope_size;
  bool envelope_array_first;    // the last envelope member may be an array: its first item
  bool xml = false;             // an XML success body is read too (core/xml.h)
  const char *root_list = nullptr;  // the body is a JSON array: the result's list member of this name
  bool has_body() const noexcept { return body != Body::None; }
};

inline Envelope envelope_of(const Operation &op) noexcept {
  return Envelope{op.envelope, op.envelope_size, op.envelope_array_first, op.empty_ok, false, op.root_list};
}
// The envelope for this response's body: XML when the operation reads XML and
// the content type says so.
Envelope envelope_of(const Operation &op, const Response &resp) noexcept;

// The verdict on one HTTP response: success, or an error and whether it may
// be retried.
struct Classified {
  bool ok = false;
  ErrorInfo error;        // when !ok: status, message, http_status, plex_errors, retry_after_ms
  AttemptVerdict verdict; // when !ok
};

// now_epoch_s is wall-clock time, for HTTP-date Retry-After values.
Classified classify(const Operation &op, const Response &resp, int64_t now_epoch_s);

// Plex's {"errors":[{code,message,status}]}; empty when the body is not that.
std::vector<PlexErrorEntry> parse_plex_errors(std::string_view body);

}  // namespace plexauth
