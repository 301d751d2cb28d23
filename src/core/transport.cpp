#include "core/transport.h"

#include <curl/curl.h>
#include <poll.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <climits>
#include <mutex>
#include <string_view>
#include <utility>

#include "core/error.h"
#include "core/plex_direct.h"

namespace plexauth {
namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail(Status::Internal, "libcurl initialisation failed");
  });
}

// What one transfer receives.
struct Sink {
  std::string body;
  size_t last_body_size = 0;  // the previous response's: reserved up front, one allocation instead of a growth series
  std::vector<Header> headers;
  size_t cap = 0;
  bool too_large = false;
  // Bytes of status lines, headers and (chunked) trailers so far: libcurl
  // hands trailers to the header callback too, and bounds each line but not
  // their number, so a server streaming trailers forever would otherwise grow
  // `headers` until the timeout.
  size_t header_bytes = 0;
  bool headers_too_large = false;
  bool in_headers = true;  // no blank line after the last status line yet
};

size_t on_body(char *data, size_t size, size_t nmemb, void *user) noexcept {
  auto *sink = static_cast<Sink *>(user);
  const size_t n = size * nmemb;
  if (sink->body.size() + n > sink->cap) {
    sink->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  try {
    sink->body.append(data, n);
  } catch (...) {
    return 0;
  }
  return n;
}

size_t on_header(char *data, size_t size, size_t nmemb, void *user) noexcept {
  auto *sink = static_cast<Sink *>(user);
  const size_t n = size * nmemb;
  if (n > kMaxHeaderBytes - sink->header_bytes) {
    sink->headers_too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  sink->header_bytes += n;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  try {
    if (line.rfind("HTTP/", 0) == 0) {
      sink->headers.clear();  // a new response (e.g. after 100 Continue)
      sink->in_headers = true;
    } else if (line.empty()) {
      sink->in_headers = false;
    } else if (const size_t colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
      sink->headers.push_back(Header{std::string(line.substr(0, colon)), std::string(value)});
    }
  } catch (...) {
    return 0;
  }
  return n;
}

// libcurl refuses one header line longer than its own limit (100 KiB): since
// 8.6.0 with CURLE_TOO_LARGE, before that with CURLE_OUT_OF_MEMORY and no
// detail. The latter is told apart from a failed allocation by where it
// happened: after the request went out, while a header block was still being
// read.
bool is_header_limit(CURLcode code, bool request_sent, bool in_headers) noexcept {
#if LIBCURL_VERSION_NUM >= 0x080600
  if (code == CURLE_TOO_LARGE) return true;
#endif
  return code == CURLE_OUT_OF_MEMORY && request_sent && in_headers;
}

Status status_of(CURLcode code) noexcept {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::Timeout;
    case CURLE_URL_MALFORMAT:
      return Status::InvalidArgument;
    // CURLE_UNSUPPORTED_PROTOCOL stays a transport error: base URLs are
    // checked to be http(s) when set, so it can only be the server's reply
    // that is not HTTP ("Received HTTP/0.9 when not allowed").
    case CURLE_OUT_OF_MEMORY:
      return Status::OutOfMemory;
    case CURLE_FILESIZE_EXCEEDED:
      return Status::ResponseTooLarge;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return Status::Tls;
    default:
      return Status::Transport;
  }
}

}  // namespace

// One easy handle in its own multi handle, configured once: the options that
// are the same for every request are set when the session is created (or
// after a POST, see perform), so that a call sets only its URL, headers,
// timeouts and body. The handle points at the session's own sink and error
// buffer, which live as long as it does.
struct Transport::Session {
  CURLM *multi = nullptr;
  CURL *easy = nullptr;
  // The connection the last transfer left open in `multi`'s cache, if any.
  curl_socket_t socket = CURL_SOCKET_BAD;
  Sink sink;
  char errbuf[CURL_ERROR_SIZE] = {0};
  // The request's header list: nodes pointing at the request's own strings
  // (libcurl reads, and does not copy, the list), so no copies of the token
  // are left to free unwiped. Grown once, then reused.
  std::vector<curl_slist> header_nodes;
  // The CURLOPT_RESOLVE entry of a plex.direct request (one node), kept
  // while the transfer runs.
  std::string resolve_entry;
  curl_slist resolve_node{nullptr, nullptr};

  Session(const TransportSettings &settings, CURLSH *share) : easy(curl_easy_init()) {
    if (!easy) fail(Status::OutOfMemory, "could not create a libcurl handle");
    try {
      configure(settings, share);
    } catch (...) {
      cleanup();
      throw;
    }
  }
  // The session's own multi handle, for blocking transfers; made on first
  // use (the engine runs sessions in its own multi and never needs one).
  CURLM *own_multi() {
    if (!multi && !(multi = curl_multi_init())) fail(Status::OutOfMemory, "could not create a libcurl handle");
    return multi;
  }
  ~Session() { cleanup(); }
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  // The options every request of this transport has. curl_easy_reset keeps
  // live connections and caches, so calling this after it is cheap.
  void configure(const TransportSettings &settings, CURLSH *share) {
    // Each setopt's code is kept: the string options copy their value, and a
    // copy that fails is out of memory, not a libcurl without HTTP.
    CURLcode rc = CURLE_OK;
    const auto set = [&rc](CURLcode c) {
      if (rc == CURLE_OK) rc = c;
      return c == CURLE_OK;
    };
    bool ok = set(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L)) &&
              set(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https")) &&
              set(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L)) &&
              set(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "")) &&
              set(curl_easy_setopt(easy, CURLOPT_USERAGENT, settings.user_agent.c_str())) &&
              set(curl_easy_setopt(easy, CURLOPT_SHARE, share)) &&
              set(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf)) &&
              set(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body)) &&
              set(curl_easy_setopt(easy, CURLOPT_WRITEDATA, &sink)) &&
              set(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &on_header)) &&
              set(curl_easy_setopt(easy, CURLOPT_HEADERDATA, &sink)) &&
              set(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                                   static_cast<curl_off_t>(settings.max_response_bytes))) &&
              set(curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L));
    if (ok && !settings.ca_bundle.empty())
      ok = set(curl_easy_setopt(easy, CURLOPT_CAINFO, settings.ca_bundle.c_str()));
    // An empty proxy string makes libcurl ignore the proxy environment.
    if (ok && !settings.use_env_proxy) ok = set(curl_easy_setopt(easy, CURLOPT_PROXY, ""));
    if (ok && settings.insecure_skip_tls_verify)
      ok = set(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 0L)) &&
           set(curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 0L));
    if (!ok && rc == CURLE_OUT_OF_MEMORY) fail(Status::OutOfMemory, "out of memory configuring libcurl");
    if (!ok) fail(Status::Internal, "libcurl refused an option (built without HTTP or TLS support?)");
    sink.cap = settings.max_response_bytes;
  }

  // Bytes (or an end of stream) already waiting on the idle connection: the
  // previous response ran past its Content-Length. Reusing it would read
  // those bytes as the answer to the next request (response smuggling), so
  // such a session is dropped, and its connection closed, instead.
  bool has_stray_input() const noexcept {
    if (socket == CURL_SOCKET_BAD) return false;
    pollfd p{socket, POLLIN, 0};
    return poll(&p, 1, 0) != 0;
  }
  void cleanup() noexcept {
    if (easy) curl_easy_cleanup(easy);
    if (multi) curl_multi_cleanup(multi);
    easy = nullptr;
    multi = nullptr;
  }
};

// DNS cache and TLS sessions shared between the sessions of one client.
struct Transport::Shared {
  CURLSH *share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  std::mutex pool_mu;
  std::vector<std::unique_ptr<Session>> idle;

  static void lock(CURL *, curl_lock_data data, curl_lock_access, void *user) {
    static_cast<Shared *>(user)->locks[static_cast<size_t>(data)].lock();
  }
  static void unlock(CURL *, curl_lock_data data, void *user) {
    static_cast<Shared *>(user)->locks[static_cast<size_t>(data)].unlock();
  }

  Shared() {
    share = curl_share_init();
    if (!share) fail(Status::OutOfMemory, "could not create a libcurl share handle");
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Shared::lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Shared::unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  ~Shared() {
    idle.clear();  // easy handles must go before the share they use
    curl_share_cleanup(share);
  }
};

// Idle sessions kept for reuse: up to the peak number of calls in flight
// (the engine may run hundreds at once), at most this many; more concurrent
// calls than this still work, their extra sessions are closed afterwards.
// An idle session is an easy handle with empty buffers (a few KiB).
constexpr size_t kMaxIdleSessions = 256;

Transport::Transport(TransportSettings settings) : settings_(std::move(settings)) {
  global_init_once();
  shared_ = std::make_unique<Shared>();
}

Transport::~Transport() = default;

std::unique_ptr<Transport::Session> Transport::acquire() {
  std::vector<std::unique_ptr<Session>> stale;  // closed outside the lock
  {
    std::lock_guard<std::mutex> lock(shared_->pool_mu);
    while (!shared_->idle.empty()) {
      auto s = std::move(shared_->idle.back());
      shared_->idle.pop_back();
      if (!s->has_stray_input()) return s;
      stale.push_back(std::move(s));
    }
  }
  return std::make_unique<Session>(settings_, shared_->share);
}

void Transport::release(std::unique_ptr<Session> s) {
  std::lock_guard<std::mutex> lock(shared_->pool_mu);
  if (shared_->idle.size() < kMaxIdleSessions) shared_->idle.push_back(std::move(s));
}

Transport::Session *Transport::begin(const HttpRequest &req) {
  std::unique_ptr<Session> session = acquire();
  CURL *easy = session->easy;
  session->socket = CURL_SOCKET_BAD;
  Sink &sink = session->sink;
  sink.body.clear();
  if (sink.last_body_size) sink.body.reserve(std::min(sink.last_body_size, sink.cap));
  sink.headers.clear();
  sink.headers.reserve(8);  // moved out by the last call: one allocation, not a growth series
  sink.too_large = false;
  sink.header_bytes = 0;
  sink.headers_too_large = false;
  sink.in_headers = true;
  session->errbuf[0] = '\0';

  static char no_expect[] = "Expect:";
  const std::size_t most = (req.headers ? req.headers->size() : 0) + 2;  // + token + Expect
  std::vector<curl_slist> &nodes = session->header_nodes;
  if (nodes.size() < most) nodes.resize(std::max<std::size_t>(most, 12));
  std::size_t used = 0;
  const auto add = [&](const char *line) {
    nodes[used] = curl_slist{const_cast<char *>(line), nullptr};
    if (used > 0) nodes[used - 1].next = &nodes[used];
    ++used;
  };
  if (req.headers)
    for (const std::string &h : *req.headers) add(h.c_str());
  if (req.secret_header) add(req.secret_header);
  if (req.post) add(no_expect);

  const auto ms = [](int64_t v) -> long { return v > LONG_MAX ? LONG_MAX : static_cast<long>(v); };
  // libcurl only stores the URL here (it is parsed by the transfer, whose
  // CURLE_URL_MALFORMAT is reported below); it refuses one that is too long.
  if (const CURLcode rc = curl_easy_setopt(easy, CURLOPT_URL, req.url.c_str()); rc != CURLE_OK)
    fail(rc == CURLE_OUT_OF_MEMORY ? Status::OutOfMemory : Status::InvalidArgument,
         std::string("libcurl refused the URL: ") + curl_easy_strerror(rc));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, used ? nodes.data() : nullptr);
  // libcurl's own connect default is 300 s; "no limit" means a very long one.
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms > 0 ? ms(req.connect_timeout_ms) : LONG_MAX);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, ms(req.timeout_ms));
  if (req.post) {
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    // Not copied: no stray password copies. An empty body is "", never NULL
    // (NULL would make libcurl read the body from a callback).
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req.body.empty() ? "" : req.body.data());
  }
  if (req.custom_method) curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.custom_method);
  // A plex.direct name connects to the address it encodes, without DNS (the
  // entry also lands in the shared DNS cache, where it is just as right).
  if (settings_.pin_plex_direct && req.url.find(".plex.direct") != std::string::npos) {
    if (std::optional<std::string> entry = plex_direct_resolve_entry(req.url)) {
      session->resolve_entry = std::move(*entry);
      session->resolve_node = curl_slist{session->resolve_entry.data(), nullptr};
      curl_easy_setopt(easy, CURLOPT_RESOLVE, &session->resolve_node);
    }
  }
  return session.release();
}

CURL *Transport::easy_of(Session *s) noexcept { return s->easy; }

void Transport::discard(Session *s) noexcept { delete s; }

Response Transport::end(Session *raw, const HttpRequest &req, CURLM *multi, CURLcode result, bool done, bool cancelled,
                        CURLMcode mc) {
  std::unique_ptr<Session> session(raw);
  CURL *easy = session->easy;
  Sink &sink = session->sink;
  // While the handle is still in the multi: the connection kept for reuse
  // (in the session's own multi; an engine's connections are its own).
  if (!done || multi != session->multi ||
      curl_easy_getinfo(easy, CURLINFO_ACTIVESOCKET, &session->socket) != CURLE_OK)
    session->socket = CURL_SOCKET_BAD;
  curl_multi_remove_handle(multi, easy);

  // Collect what the handle knows, then drop its pointers into the request
  // (the header list; a POST's body) before it goes back to the pool.
  Response resp;
  long code = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
  resp.status = static_cast<int>(code);
  char *ct = nullptr;
  if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) resp.content_type = ct;
  const std::string detail = result != CURLE_OK ? session->errbuf : "";
  const bool too_large = sink.too_large;
  const bool headers_too_large = sink.headers_too_large;
  const bool in_headers = sink.in_headers;
  long request_size = 0;
  curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_size);
  // Refused, unresolvable, or no connection within the connect timeout.
  curl_off_t connect_us = 0;
  const bool never_connected =
      result == CURLE_COULDNT_CONNECT || result == CURLE_COULDNT_RESOLVE_HOST || result == CURLE_COULDNT_RESOLVE_PROXY ||
      (result == CURLE_OPERATION_TIMEDOUT && curl_easy_getinfo(easy, CURLINFO_CONNECT_TIME_T, &connect_us) == CURLE_OK &&
       connect_us == 0 && request_size == 0);
  resp.headers = std::move(sink.headers);
  sink.last_body_size = sink.body.size();
  resp.body = std::move(sink.body);
  bool reusable = mc == CURLM_OK;
  if (!session->resolve_entry.empty()) {
    curl_easy_setopt(easy, CURLOPT_RESOLVE, nullptr);  // the entry stays in the DNS cache; the list goes
    session->resolve_entry.clear();
  }
  if (req.post || req.custom_method) {
    // Back to a plain GET handle: a reset drops the body pointer and the
    // method, and keeps the connection and caches.
    curl_easy_reset(easy);
    try {
      session->configure(settings_, shared_->share);
    } catch (const Error &) {
      reusable = false;
    }
  } else {
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, nullptr);
  }
  if (reusable) release(std::move(session));

  if (cancelled) fail(Status::Cancelled, "the call was cancelled");
  if (mc != CURLM_OK) fail(Status::Internal, std::string("libcurl multi error: ") + curl_multi_strerror(mc));
  if (result != CURLE_OK) {
    if (too_large || result == CURLE_FILESIZE_EXCEEDED)
      fail(Status::ResponseTooLarge,
           "the response body exceeded the limit of " + std::to_string(settings_.max_response_bytes) + " bytes");
    if (headers_too_large)
      malformed("the response headers are too large: status line, headers and trailers exceed " +
                std::to_string(kMaxHeaderBytes) + " bytes");
    if (is_header_limit(result, request_size > 0, in_headers))
      malformed("the response headers are too large: " +
                (detail.empty() ? std::string("a header line exceeds libcurl's limit of 100 KiB (or memory ran out "
                                              "while libcurl read the headers: before libcurl 8.6 both are "
                                              "CURLE_OUT_OF_MEMORY)")
                                : detail));
    std::string msg = curl_easy_strerror(result);
    if (!detail.empty()) msg.append(": ").append(detail);
    Error e(status_of(result), msg);
    e.info().not_connected = never_connected;
    throw e;
  }
  return resp;
}

Response Transport::perform(const HttpRequest &req) {
  Session *session = begin(req);
  CURL *easy = session->easy;
  CURLM *multi = nullptr;
  try {
    multi = session->own_multi();
  } catch (...) {
    discard(session);
    throw;
  }
  if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
    discard(session);
    fail(Status::Internal, "curl_multi_add_handle failed");
  }
  size_t waker = 0;
  if (req.cancel) waker = req.cancel->add_waker([multi] { curl_multi_wakeup(multi); });

  CURLcode result = CURLE_OK;
  bool done = false;
  bool cancelled = false;
  CURLMcode mc = CURLM_OK;
  while (!done) {
    int running = 0;
    mc = curl_multi_perform(multi, &running);
    if (mc != CURLM_OK) break;
    int queued = 0;
    while (CURLMsg *m = curl_multi_info_read(multi, &queued)) {
      if (m->msg == CURLMSG_DONE) {
        result = m->data.result;
        done = true;
      }
    }
    if (done) break;
    if (req.cancel && req.cancel->triggered()) {
      cancelled = true;
      break;
    }
    mc = curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    if (mc != CURLM_OK) break;
  }
  if (req.cancel) req.cancel->remove_waker(waker);
  return end(session, req, multi, result, done, cancelled, mc);
}

}  // namespace plexauth
