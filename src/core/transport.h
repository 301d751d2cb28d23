// HTTP over libcurl: one attempt, no retries, no Plex knowledge. Keeps a pool
// of (multi, easy) sessions so that calls reuse keep-alive connections, and
// shares DNS and TLS sessions between them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <curl/curl.h>

#include "core/config.h"
#include "core/response.h"

namespace plexauth {

// The most bytes of status line, headers and trailers one response may have
// (libcurl limits each line, to 100 KiB, but not their number). Past it the
// transfer is aborted with MalformedResponse.
inline constexpr size_t kMaxHeaderBytes = 256 * 1024;

struct HttpRequest {
  bool post = false;                  // send `body` (POST unless custom_method says otherwise)
  const char *custom_method = nullptr;  // "PUT", "DELETE"; nullptr: GET, or POST with a body
  std::string url;
  // "Name: value" lines: the headers common to every attempt, then one that
  // may carry a secret (the token), or nullptr. Both must outlive perform().
  const std::vector<std::string> *headers = nullptr;
  const char *secret_header = nullptr;
  std::string_view body;             // with post only; must outlive perform()
  int64_t connect_timeout_ms = 0;    // 0: no limit
  int64_t timeout_ms = 0;            // 0: no limit
  CancelToken *cancel = nullptr;
};

struct TransportSettings {
  size_t max_response_bytes = size_t{8} << 20;
  std::string ca_bundle;  // empty: system
  bool insecure_skip_tls_verify = false;
  bool use_env_proxy = true;
  bool pin_plex_direct = true;  // connect *.plex.direct names to the address they encode (core/plex_direct.h)
  std::string user_agent;
};

class Transport {
 public:
  explicit Transport(TransportSettings settings);
  ~Transport();
  Transport(const Transport &) = delete;
  Transport &operator=(const Transport &) = delete;

  // Performs one HTTP exchange. Returns any HTTP response (whatever its
  // status). Throws Error with Status Transport, Timeout, Cancelled, Tls,
  // ResponseTooLarge, MalformedResponse (headers over kMaxHeaderBytes or a
  // header line over libcurl's limit), InvalidArgument (bad URL) or
  // OutOfMemory.
  Response perform(const HttpRequest &req);

  // The same exchange in steps, for an engine that runs many transfers in
  // its own multi handle. begin() takes a pooled session and sets it up for
  // req (throws like perform); the caller adds easy_of(session) to its multi,
  // drives it, and hands the session back with end() (which removes it from
  // that multi, returns it to the pool and returns or throws like perform)
  // or, if it never added it, with discard(). req must outlive the exchange.
  struct Session;
  Session *begin(const HttpRequest &req);
  static CURL *easy_of(Session *s) noexcept;
  static void discard(Session *s) noexcept;
  Response end(Session *s, const HttpRequest &req, CURLM *multi, CURLcode result, bool done, bool cancelled,
               CURLMcode mc = CURLM_OK);

 private:
  struct Shared;
  std::unique_ptr<Session> acquire();
  void release(std::unique_ptr<Session> s);

  TransportSettings settings_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace plexauth
