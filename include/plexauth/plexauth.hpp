/**
 * @file plexauth/plexauth.hpp
 * The C++17 API of plexauth, header-only over the C ABI.
 *
 * Everything here is inline code calling the functions of plexauth.h: the C ABI
 * stays the library's only binary contract, and a program built against this
 * header links libplexauth like a C program does. docs/guide-cpp.md is the guide.
 *
 *   - RAII handles, move-only: Config, Retry, Cancel, CallOptions, SignIn, Client,
 *     Loop, DeviceKey, ConnectOptions, ConnectCache. A moved-from handle holds nothing;
 *     a call through it fails with Status::InvalidArgument (it never crashes).
 *     JwtSession is shared (copies share one session).
 *   - Hand-written beside the generated operations: JWT device auth (DeviceKey,
 *     JwtSession, Client::jwt_login ...) and connect (Client::connect, ConnectResult).
 *   - Results own their C result (Account, Pin, ...), move-only; nested objects
 *     (Profile, Connection, ...) are copyable views that keep their result alive.
 *   - Strings in: std::string_view (copied; a NUL inside is refused by the library
 *     only up to the NUL). Out: std::string, and std::optional for fields that may
 *     be absent.
 *   - Failures throw plexauth::Error (a std::runtime_error with the status, the HTTP
 *     status, the attempts, Retry-After and Plex's errors[]); each operation also has
 *     a try_ twin returning Result<T>, which throws only std::bad_alloc.
 *   - Async: OP_async(...) returns a plexauth::Future<T> (a std::future of the Result<T>,
 *     whose get() returns T or throws); OP_async(..., done) calls `done`
 *     with a Result<T> and returns a Call that can cancel it. Both run on the client's
 *     own loop thread, or on a Loop you pass (an external one you drive yourself).
 *
 * Threads are as in plexauth.h: a Client may be shared by threads; a Config,
 * CallOptions or SignIn is built by one thread, then may be shared read-only.
 *
 * The operations and the result classes are generated from codegen/api.py (between
 * the BEGIN/END GENERATED markers); the rest is written by hand. Its comments are
 * the Doxygen reference of the C++ API (`cmake --build build --target docs`,
 * beside plexauth.h); docs/guide-cpp.md is the guide.
 */
#ifndef PLEXAUTH_PLEXAUTH_HPP
#define PLEXAUTH_PLEXAUTH_HPP

#include <plexauth/plexauth.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#if __cplusplus < 201703L && !(defined(_MSVC_LANG) && _MSVC_LANG >= 201703L)
#error "plexauth/plexauth.hpp needs C++17 or later"
#endif

/** The C++17 API of plexauth (plexauth/plexauth.hpp): RAII handles over the C ABI. */
namespace plexauth {

/* BEGIN GENERATED: statuses (codegen/generate.py; edit codegen/api.py) */
/** A call's outcome: plexauth_status as a scoped enumeration (the same values). */
enum class Status : int {
  /** Success. */
  Ok = PLEXAUTH_OK,
  /**
   * A caller-supplied argument was NULL where it must not be, not valid UTF-8, held a control
   * character (CR, LF, NUL...), was absurdly long, or was out of range. Nothing was sent.
   */
  InvalidArgument = PLEXAUTH_E_INVALID_ARGUMENT,
  /** HTTP 400 with Plex's errors[] (e.g. code 1000 "X-Plex-Client-Identifier is missing"). */
  BadRequest = PLEXAUTH_E_BAD_REQUEST,
  /**
   * HTTP 401 (e.g. code 1001), or plex.tv's 422 "invalid token": the token or the credentials are
   * not accepted.
   */
  Unauthorized = PLEXAUTH_E_UNAUTHORIZED,
  /**
   * HTTP 401 carrying Plex code 1029: sign-in needs a 2FA verification code (or the one given was
   * wrong). Ask the user and sign in again with it.
   */
  TwoFactorRequired = PLEXAUTH_E_TWO_FACTOR_REQUIRED,
  /** HTTP 429. plexauth_error_retry_after_ms() gives Retry-After if sent. */
  RateLimited = PLEXAUTH_E_RATE_LIMITED,
  /** Any other HTTP 3XX/4XX/5XX. The error keeps the status and a truncated, redacted body. */
  Http = PLEXAUTH_E_HTTP,
  /** DNS, connect, send/receive failure, connection reset. */
  Transport = PLEXAUTH_E_TRANSPORT,
  /** The connect timeout or the per-attempt timeout expired. */
  Timeout = PLEXAUTH_E_TIMEOUT,
  /** The call's plexauth_cancel was triggered. */
  Cancelled = PLEXAUTH_E_CANCELLED,
  /**
   * A success status with the wrong content type or an unexpected status code, a body that is not
   * JSON, too deeply nested, or a required field missing or of the wrong type (the message names
   * the field).
   */
  MalformedResponse = PLEXAUTH_E_MALFORMED_RESPONSE,
  /** Memory could not be allocated. */
  OutOfMemory = PLEXAUTH_E_OUT_OF_MEMORY,
  /** TLS handshake or certificate verification failed. */
  Tls = PLEXAUTH_E_TLS,
  /** The response body exceeded the configured cap (plexauth_config_set_max_response_bytes). */
  ResponseTooLarge = PLEXAUTH_E_RESPONSE_TOO_LARGE,
  /**
   * A sign-in was refused with Plex code 1031: plex.tv has locked sign-ins from this IP after
   * repeated failures. Never retried automatically.
   */
  SignInThrottled = PLEXAUTH_E_SIGN_IN_THROTTLED,
  /** The token provider callback reported a failure. */
  Callback = PLEXAUTH_E_CALLBACK,
  /** A bug in plexauth. Please report it. */
  Internal = PLEXAUTH_E_INTERNAL,
  /**
   * The PIN is unknown to plex.tv or has expired (HTTP 404 with Plex code 1020). Create a new one.
   */
  PinExpired = PLEXAUTH_E_PIN_EXPIRED,
  /**
   * HTTP 403 with Plex code 1041: switching to this Plex Home user needs its PIN (or the one given
   * was wrong).
   */
  PinRequired = PLEXAUTH_E_PIN_REQUIRED,
  /**
   * Connect: no connection of the server answered as that server before the deadline (or it has
   * none to try). The message lists each candidate with its outcome.
   */
  Unreachable = PLEXAUTH_E_UNREACHABLE,
  /**
   * HTTP 498: plex.tv says the JWT expired (refresh it with the device key), or a JWT is past its
   * exp.
   */
  TokenExpired = PLEXAUTH_E_TOKEN_EXPIRED,
  /** Plex code 1097: the device JWT's iss is not the X-Plex-Client-Identifier sent with it. */
  JwtIssuerMismatch = PLEXAUTH_E_JWT_ISSUER_MISMATCH,
  /**
   * A JWT failed verification (plexauth_client_jwt_verify): the message names the check
   * (signature, unknown key, issuer, audience, expired, thumbprint...).
   */
  JwtInvalid = PLEXAUTH_E_JWT_INVALID,
};
/* END GENERATED: statuses */

/** The status's name as plexauth_status_name() gives it, e.g. "unauthorized". @param s The status. @return The name. */
inline const char *status_name(Status s) noexcept { return plexauth_status_name(static_cast<plexauth_status>(s)); }

/** The version of the library loaded at run time, e.g. "0.2.0". @return The version. */
inline std::string version() { return plexauth_version(nullptr, nullptr, nullptr); }

/** One entry of Plex's errors[] array. */
struct PlexError {
  std::optional<std::int64_t> code;    ///< Plex's error code, e.g. 1001.
  std::optional<std::int64_t> status;  ///< The HTTP status Plex put in the entry.
  std::string message;                 ///< Plex's message (never a secret).
};

/**
 * A failed call: what plexauth_error carries, copied (copying an Error is cheap).
 * what() is "<status name>: <message>". Messages never contain secrets.
 */
class Error : public std::runtime_error {
 public:
  /** An error without detail from the library. @param status Its status. @param message Its message. */
  Error(Status status, const std::string &message) : Error(make(status, message)) {}

  /**
   * Takes a C error object (freeing it) and keeps its detail.
   * @param status The status the call returned.
   * @param err The call's error object, or NULL.
   * @return The error.
   */
  static Error adopt(plexauth_status status, plexauth_error *err) {
    std::unique_ptr<plexauth_error, void (*)(plexauth_error *)> owned(err, &plexauth_error_free);
    auto d = std::make_shared<Detail>();
    d->status = static_cast<Status>(status);
    const char *m = err ? plexauth_error_message(err) : nullptr;
    d->message = m ? m : plexauth_status_name(status);
    if (err) {
      d->http_status = plexauth_error_http_status(err);
      d->attempts = plexauth_error_attempts(err);
      std::int64_t ms = 0;
      if (plexauth_error_retry_after_ms(err, &ms)) d->retry_after = std::chrono::milliseconds(ms);
      const std::size_t n = plexauth_error_plex_errors_count(err);
      for (std::size_t i = 0; i < n; ++i) {
        PlexError e;
        std::int64_t v = 0;
        if (plexauth_error_plex_error_code(err, i, &v)) e.code = v;
        if (plexauth_error_plex_error_status(err, i, &v)) e.status = v;
        const char *text = plexauth_error_plex_error_message(err, i);
        e.message = text ? text : "";
        d->plex_errors.push_back(std::move(e));
      }
      const char *ct = plexauth_error_content_type(err);
      if (ct) d->content_type = ct;
      std::size_t len = 0;
      const char *body = plexauth_error_body(err, &len);
      if (body) d->body.assign(body, len);
    }
    return Error(std::move(d));
  }

  /** @return The status (never Status::Ok). */
  Status status() const noexcept { return d_->status; }
  /** @return The message without the status name. */
  const std::string &message() const noexcept { return d_->message; }
  /** @return The HTTP status of the last response, 0 when there was none. */
  int http_status() const noexcept { return d_->http_status; }
  /** @return The HTTP attempts made (0 when nothing was sent). */
  unsigned attempts() const noexcept { return d_->attempts; }
  /** @return Retry-After of the last response (429/503), when it sent one. */
  std::optional<std::chrono::milliseconds> retry_after() const noexcept { return d_->retry_after; }
  /** @return Plex's errors[] of the last response (empty when none). */
  const std::vector<PlexError> &plex_errors() const noexcept { return d_->plex_errors; }
  /** @return The Content-Type of the last response ("" when none). */
  const std::string &content_type() const noexcept { return d_->content_type; }
  /** @return The body of the last failed response, truncated and redacted ("" when none). */
  const std::string &body() const noexcept { return d_->body; }

 private:
  struct Detail {
    Status status = Status::Internal;
    std::string message;
    int http_status = 0;
    unsigned attempts = 0;
    std::optional<std::chrono::milliseconds> retry_after;
    std::vector<PlexError> plex_errors;
    std::string content_type;
    std::string body;
  };
  static std::shared_ptr<const Detail> make(Status status, const std::string &message) {
    auto d = std::make_shared<Detail>();
    d->status = status;
    d->message = message;
    return d;
  }
  explicit Error(std::shared_ptr<const Detail> d)
      : std::runtime_error(std::string(plexauth_status_name(static_cast<plexauth_status>(d->status))) + ": " +
                           d->message),
        d_(std::move(d)) {}
  std::shared_ptr<const Detail> d_;
};

/**
 * A value or the Error that prevented it (the try_ operations). value() throws
 * the Error when there is none.
 * @tparam T The value's type (void: success carries nothing).
 */
template <class T>
class Result {
 public:
  /** A success. @param value The value. */
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  /** A failure. @param error The error. */
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)
  /** @return Whether it holds a value. */
  bool ok() const noexcept { return v_.index() == 0; }
  /** @return ok(). */
  explicit operator bool() const noexcept { return ok(); }
  /** @return Status::Ok or the error's status. */
  Status status() const noexcept { return ok() ? Status::Ok : std::get<1>(v_).status(); }
  /** @return The value; throws the Error when there is none. */
  T &value() & { return ok() ? std::get<0>(v_) : throw std::get<1>(v_); }
  /** @return The value; throws the Error when there is none. */
  const T &value() const & { return ok() ? std::get<0>(v_) : throw std::get<1>(v_); }
  /** @return The value, moved out; throws the Error when there is none. */
  T &&value() && { return ok() ? std::get<0>(std::move(v_)) : throw std::get<1>(v_); }
  /** @return The value (checked as by value()). */
  T *operator->() { return &value(); }
  /** @return The value (checked as by value()). */
  const T *operator->() const { return &value(); }
  /** @return The error; throws std::bad_variant_access on success. */
  const Error &error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

/** The outcome of an operation without a result. */
template <>
class Result<void> {
 public:
  /** A success. */
  Result() = default;
  /** A failure. @param error The error. */
  Result(Error error) : e_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  /** @return Whether it succeeded. */
  bool ok() const noexcept { return !e_; }
  /** @return ok(). */
  explicit operator bool() const noexcept { return ok(); }
  /** @return Status::Ok or the error's status. */
  Status status() const noexcept { return e_ ? e_->status() : Status::Ok; }
  /** Throws the Error on failure. */
  void value() const {
    if (e_) throw *e_;
  }
  /** @return The error; throws std::bad_optional_access on success. */
  const Error &error() const { return e_.value(); }

 private:
  std::optional<Error> e_;
};

namespace detail {

template <class T, void (*Free)(T *)>
struct Deleter {
  void operator()(T *p) const noexcept { Free(p); }
};
template <class T, void (*Free)(T *)>
using Ptr = std::unique_ptr<T, Deleter<T, Free>>;

// A setter's or constructor's status: anything but OK throws, naming the setting.
inline void check(plexauth_status s, const char *what) {
  if (s == PLEXAUTH_E_INVALID_ARGUMENT) {
    throw Error(Status::InvalidArgument,
                std::string(what) + ": value refused (not valid UTF-8, a control character, too long or out of range)");
  }
  if (s != PLEXAUTH_OK) throw Error(static_cast<Status>(s), std::string(what) + " failed");
}

template <class T, void (*Free)(T *)>
Ptr<T, Free> make(plexauth_status (*create)(T **), const char *what) {
  T *raw = nullptr;
  check(create(&raw), what);
  return Ptr<T, Free>(raw);
}

// A NUL-terminated copy of a string argument (NULL for std::nullopt), wiped
// when it goes away: arguments may be passwords, PINs or tokens.
class CStr {
 public:
  explicit CStr(std::string_view s) : s_(s) { refuse_nul(); }
  explicit CStr(std::optional<std::string_view> s) : s_(s ? std::string(*s) : std::string()), null_(!s) {
    refuse_nul();
  }
  CStr(const CStr &) = delete;
  CStr &operator=(const CStr &) = delete;
  ~CStr() {
    volatile char *p = s_.data();
    for (std::size_t i = 0; i < s_.size(); ++i) p[i] = 0;
  }
  const char *get() const noexcept { return null_ ? nullptr : s_.c_str(); }

 private:
  // The C API reads up to the first NUL: a string holding one would be cut
  // silently (a token, a URL), so it is refused like other bad input.
  void refuse_nul() const {
    if (s_.find('\0') != std::string::npos) {
      throw Error(Status::InvalidArgument, "a string argument holds a NUL character");
    }
  }
  std::string s_;
  bool null_ = false;
};

inline std::optional<std::string> opt_str(const char *s) {
  return s ? std::optional<std::string>(s) : std::nullopt;
}
inline std::string str_or_empty(const char *s) { return s ? std::string(s) : std::string(); }

template <class T, class H>
std::optional<T> opt_num(int (*get)(const H *, std::int64_t *), const H *h) {
  std::int64_t v = 0;
  return get(h, &v) ? std::optional<T>(static_cast<T>(v)) : std::nullopt;
}
template <class H>
std::optional<bool> opt_bool(int (*get)(const H *, int *), const H *h) {
  int v = 0;
  return get(h, &v) ? std::optional<bool>(v != 0) : std::nullopt;
}
template <class H>
std::vector<std::string> str_list(std::size_t (*count)(const H *), const char *(*at)(const H *, std::size_t),
                                  const H *h) {
  std::vector<std::string> out;
  const std::size_t n = count(h);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(str_or_empty(at(h, i)));
  return out;
}
template <class M, class H>
std::vector<M> obj_list(std::size_t (*count)(const H *), const typename M::c_type *(*at)(const H *, std::size_t),
                        const H *h, const std::shared_ptr<const void> &owner) {
  std::vector<M> out;
  const std::size_t n = count(h);
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (const auto *item = at(h, i)) out.emplace_back(item, owner);
  }
  return out;
}
template <class M>
std::optional<M> opt_obj(const typename M::c_type *h, const std::shared_ptr<const void> &owner) {
  return h ? std::optional<M>(M(h, owner)) : std::nullopt;
}
template <class H>
std::string json_text(const char *(*get)(const H *, std::size_t *), const H *h) {
  std::size_t n = 0;
  const char *s = get(h, &n);
  return s ? std::string(s, n) : std::string();
}

}  // namespace detail

/** The HTTP response behind a result (a view that keeps the result alive). */
class Response {
 public:
  /** @param h The C response (borrowed). @param owner Keeps its result alive. */
  Response(const plexauth_response *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** @return The HTTP status, e.g. 200. */
  int status() const noexcept { return plexauth_response_status(h_); }
  /** @return The Content-Type, when sent. */
  std::optional<std::string> content_type() const { return detail::opt_str(plexauth_response_content_type(h_)); }
  /** @return Every header as (name, value), in order. */
  std::vector<std::pair<std::string, std::string>> headers() const {
    std::vector<std::pair<std::string, std::string>> out;
    const std::size_t n = plexauth_response_headers_count(h_);
    for (std::size_t i = 0; i < n; ++i) {
      out.emplace_back(detail::str_or_empty(plexauth_response_header_name(h_, i)),
                       detail::str_or_empty(plexauth_response_header_value(h_, i)));
    }
    return out;
  }
  /** @param name A header name (any case). @return Its first value, when present. */
  std::optional<std::string> header(std::string_view name) const {
    return detail::opt_str(plexauth_response_header(h_, detail::CStr(name).get()));
  }
  /** @return The body. */
  std::string body() const { return detail::json_text(&plexauth_response_body, h_); }

 private:
  const plexauth_response *h_;
  std::shared_ptr<const void> owner_;
};

/* BEGIN GENERATED: models (codegen/generate.py; edit codegen/api.py) */
/**
 * get_transient_token's result: MediaContainer of GET /security/token. Owns its C result;
 * move-only.
 */
class TransientToken {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_transient_token;
  /**
   * Takes ownership of a C result (freed with plexauth_transient_token_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit TransientToken(plexauth_transient_token *adopt) : owner_(adopt, &plexauth_transient_token_free) {}
  TransientToken(const TransientToken &) = delete;
  TransientToken &operator=(const TransientToken &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  TransientToken(TransientToken &&) noexcept = default;
  /** Moves the result. @return *this. */
  TransientToken &operator=(TransientToken &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_transient_token *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_transient_token_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_transient_token_json, raw()); }
  /**
   * token: The transient token (valid up to 48 h, lost when the server restarts).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> token() const { return detail::opt_str(plexauth_transient_token_token(raw())); }
 private:
  std::shared_ptr<plexauth_transient_token> owner_;
};

/**
 * One of a source's connections (MediaContainer.Device.Connection[]). A view into a result, which
 * it keeps alive; copyable.
 */
class Connection {
 public:
  /** The C type this class views. */
  using c_type = plexauth_connection;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Connection(const plexauth_connection *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_connection *raw() const noexcept { return h_; }
  /**
   * protocol: "http" or "https".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> protocol() const { return detail::opt_str(plexauth_connection_protocol(raw())); }
  /**
   * address: Host name or IP address.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> address() const { return detail::opt_str(plexauth_connection_address(raw())); }
  /**
   * port: TCP port.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> port() const { return detail::opt_num<std::int64_t>(&plexauth_connection_port, raw()); }
  /**
   * uri: The full base URI.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> uri() const { return detail::opt_str(plexauth_connection_uri(raw())); }
  /**
   * local: The server's LAN address.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> local() const { return detail::opt_bool(&plexauth_connection_local, raw()); }
  /**
   * relay: Relayed through plex.tv.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> relay() const { return detail::opt_bool(&plexauth_connection_relay, raw()); }
  /**
   * IPv6: An IPv6 address (list_resources with includeIPv6=1).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> ipv6() const { return detail::opt_bool(&plexauth_connection_ipv6, raw()); }
 private:
  const plexauth_connection *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * get_source_connection_information's result: MediaContainer.Device (every field absent when the
 * server sent no Device). Owns its C result; move-only.
 */
class SourceInfo {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_source_info;
  /**
   * Takes ownership of a C result (freed with plexauth_source_info_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit SourceInfo(plexauth_source_info *adopt) : owner_(adopt, &plexauth_source_info_free) {}
  SourceInfo(const SourceInfo &) = delete;
  SourceInfo &operator=(const SourceInfo &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  SourceInfo(SourceInfo &&) noexcept = default;
  /** Moves the result. @return *this. */
  SourceInfo &operator=(SourceInfo &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_source_info *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_source_info_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_source_info_json, raw()); }
  /**
   * name: Device.name.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> name() const { return detail::opt_str(plexauth_source_info_name(raw())); }
  /**
   * clientIdentifier: Device.clientIdentifier.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> client_identifier() const { return detail::opt_str(plexauth_source_info_client_identifier(raw())); }
  /**
   * accessToken: Device.accessToken: a token for this source.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> access_token() const { return detail::opt_str(plexauth_source_info_access_token(raw())); }
  /**
   * Connection: Device.Connection[].
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Connection> connections() const { return detail::obj_list<Connection>(&plexauth_source_info_connections_count, &plexauth_source_info_connections_at, raw(), owner_); }
 private:
  std::shared_ptr<plexauth_source_info> owner_;
};

/** The account's profile (UserProfile). A view into a result, which it keeps alive; copyable. */
class Profile {
 public:
  /** The C type this class views. */
  using c_type = plexauth_profile;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Profile(const plexauth_profile *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_profile *raw() const noexcept { return h_; }
  /**
   * autoSelectAudio: Select the audio track automatically.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> auto_select_audio() const { return detail::opt_bool(&plexauth_profile_auto_select_audio, raw()); }
  /**
   * defaultAudioLanguage: Preferred audio language.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> default_audio_language() const { return detail::opt_str(plexauth_profile_default_audio_language(raw())); }
  /**
   * defaultSubtitleLanguage: Preferred subtitle language.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> default_subtitle_language() const { return detail::opt_str(plexauth_profile_default_subtitle_language(raw())); }
  /**
   * autoSelectSubtitle: Subtitle mode (0-2).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> auto_select_subtitle() const { return detail::opt_num<std::int64_t>(&plexauth_profile_auto_select_subtitle, raw()); }
  /**
   * defaultSubtitleAccessibility: Subtitle accessibility preference (0-3).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> default_subtitle_accessibility() const { return detail::opt_num<std::int64_t>(&plexauth_profile_default_subtitle_accessibility, raw()); }
  /**
   * defaultSubtitleForced: Forced subtitles preference (0-3).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> default_subtitle_forced() const { return detail::opt_num<std::int64_t>(&plexauth_profile_default_subtitle_forced, raw()); }
  /**
   * watchedIndicator: Watched indicator mode (0-3).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> watched_indicator() const { return detail::opt_num<std::int64_t>(&plexauth_profile_watched_indicator, raw()); }
  /**
   * mediaReviewsVisibility: Media reviews visibility (0-3).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> media_reviews_visibility() const { return detail::opt_num<std::int64_t>(&plexauth_profile_media_reviews_visibility, raw()); }
  /**
   * defaultAudioAccessibility: Audio accessibility preference (0-3; HEAD spec).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> default_audio_accessibility() const { return detail::opt_num<std::int64_t>(&plexauth_profile_default_audio_accessibility, raw()); }
 private:
  const plexauth_profile *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * A subscription (subscription and subscriptions[]). A view into a result, which it keeps alive;
 * copyable.
 */
class Subscription {
 public:
  /** The C type this class views. */
  using c_type = plexauth_subscription;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Subscription(const plexauth_subscription *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_subscription *raw() const noexcept { return h_; }
  /**
   * active: Whether the subscription is active.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> active() const { return detail::opt_bool(&plexauth_subscription_active, raw()); }
  /**
   * subscribedAt: When it started, as sent (e.g. "2021-04-12T18:21:12Z").
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> subscribed_at() const { return detail::opt_str(plexauth_subscription_subscribed_at(raw())); }
  /**
   * status: Open enum: "Active", "Inactive", or any other string.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> status() const { return detail::opt_str(plexauth_subscription_status(raw())); }
  /**
   * paymentService: The payment service.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> payment_service() const { return detail::opt_str(plexauth_subscription_payment_service(raw())); }
  /**
   * plan: The plan, e.g. "lifetime".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> plan() const { return detail::opt_str(plexauth_subscription_plan(raw())); }
  /**
   * features: The features it unlocks.
   *
   * @return The entries (empty when absent).
   */
  std::vector<std::string> features() const { return detail::str_list(&plexauth_subscription_features_count, &plexauth_subscription_features_at, raw()); }
 private:
  const plexauth_subscription *h_;
  std::shared_ptr<const void> owner_;
};

/** A services[] entry. A view into a result, which it keeps alive; copyable. */
class Service {
 public:
  /** The C type this class views. */
  using c_type = plexauth_service;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Service(const plexauth_service *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_service *raw() const noexcept { return h_; }
  /**
   * identifier: The service, e.g. "metadata".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> identifier() const { return detail::opt_str(plexauth_service_identifier(raw())); }
  /**
   * endpoint: Its base URL.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> endpoint() const { return detail::opt_str(plexauth_service_endpoint(raw())); }
  /**
   * token: A token for the service.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> token() const { return detail::opt_str(plexauth_service_token(raw())); }
  /**
   * secret: A secret for the service.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> secret() const { return detail::opt_str(plexauth_service_secret(raw())); }
  /**
   * status: Open enum: "online", "offline", or any other string.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> status() const { return detail::opt_str(plexauth_service_status(raw())); }
 private:
  const plexauth_service *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * A pastSubscriptions[] entry (sign-in only). A view into a result, which it keeps alive;
 * copyable.
 */
class PastSubscription {
 public:
  /** The C type this class views. */
  using c_type = plexauth_past_subscription;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  PastSubscription(const plexauth_past_subscription *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_past_subscription *raw() const noexcept { return h_; }
  /**
   * id: Its identifier.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> id() const { return detail::opt_str(plexauth_past_subscription_id(raw())); }
  /**
   * mode: Billing mode.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> mode() const { return detail::opt_str(plexauth_past_subscription_mode(raw())); }
  /**
   * renewsAt: Unix seconds.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> renews_at() const { return detail::opt_num<std::int64_t>(&plexauth_past_subscription_renews_at, raw()); }
  /**
   * endsAt: Unix seconds.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> ends_at() const { return detail::opt_num<std::int64_t>(&plexauth_past_subscription_ends_at, raw()); }
  /**
   * canceled: Cancelled.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> canceled() const { return detail::opt_bool(&plexauth_past_subscription_canceled, raw()); }
  /**
   * gracePeriod: In its grace period.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> grace_period() const { return detail::opt_bool(&plexauth_past_subscription_grace_period, raw()); }
  /**
   * onHold: On hold.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> on_hold() const { return detail::opt_bool(&plexauth_past_subscription_on_hold, raw()); }
  /**
   * canReactivate: Can be reactivated.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> can_reactivate() const { return detail::opt_bool(&plexauth_past_subscription_can_reactivate, raw()); }
  /**
   * canUpgrade: Can be upgraded.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> can_upgrade() const { return detail::opt_bool(&plexauth_past_subscription_can_upgrade, raw()); }
  /**
   * canDowngrade: Can be downgraded.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> can_downgrade() const { return detail::opt_bool(&plexauth_past_subscription_can_downgrade, raw()); }
  /**
   * canConvert: Can be converted.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> can_convert() const { return detail::opt_bool(&plexauth_past_subscription_can_convert, raw()); }
  /**
   * type: The type, e.g. "plexpass".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> type() const { return detail::opt_str(plexauth_past_subscription_type(raw())); }
  /**
   * transfer: Transfer state.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> transfer() const { return detail::opt_str(plexauth_past_subscription_transfer(raw())); }
  /**
   * state: Open enum: "ended" or any other string.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> state() const { return detail::opt_str(plexauth_past_subscription_state(raw())); }
  /**
   * billing.paymentMethodId: billing.paymentMethodId.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> billing_payment_method_id() const { return detail::opt_num<std::int64_t>(&plexauth_past_subscription_billing_payment_method_id, raw()); }
  /**
   * billing.internalPaymentMethod: billing.internalPaymentMethod as compact JSON text (free-form
   * object).
   *
   * @return Compact JSON text; std::nullopt when absent or null.
   */
  std::optional<std::string> billing_internal_payment_method() const { return detail::opt_str(plexauth_past_subscription_billing_internal_payment_method(raw())); }
 private:
  const plexauth_past_subscription *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * The plex.tv account (UserPlexAccount): get_token_details and post_users_sign_in_data. Owns its C
 * result; move-only.
 */
class Account {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_account;
  /**
   * Takes ownership of a C result (freed with plexauth_account_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Account(plexauth_account *adopt) : owner_(adopt, &plexauth_account_free) {}
  Account(const Account &) = delete;
  Account &operator=(const Account &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Account(Account &&) noexcept = default;
  /** Moves the result. @return *this. */
  Account &operator=(Account &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_account *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_account_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_account_json, raw()); }
  /**
   * authToken: The account's token, to be used as X-Plex-Token. (Required: the library checked it is
   * present.)
   *
   * @return The value.
   */
  std::string auth_token() const { return detail::str_or_empty(plexauth_account_auth_token(raw())); }
  /**
   * uuid: The account's UUID. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string uuid() const { return detail::str_or_empty(plexauth_account_uuid(raw())); }
  /**
   * username: The user name. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string username() const { return detail::str_or_empty(plexauth_account_username(raw())); }
  /**
   * title: The display title. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string title() const { return detail::str_or_empty(plexauth_account_title(raw())); }
  /**
   * email: The e-mail address. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string email() const { return detail::str_or_empty(plexauth_account_email(raw())); }
  /**
   * friendlyName: The friendly name. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string friendly_name() const { return detail::str_or_empty(plexauth_account_friendly_name(raw())); }
  /**
   * locale: The locale.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> locale() const { return detail::opt_str(plexauth_account_locale(raw())); }
  /**
   * thumb: Avatar URL.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> thumb() const { return detail::opt_str(plexauth_account_thumb(raw())); }
  /**
   * mailingListStatus: Open enum: "active", "unsubscribed", "removed", or any other string.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> mailing_list_status() const { return detail::opt_str(plexauth_account_mailing_list_status(raw())); }
  /**
   * scrobbleTypes: Scrobble types.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> scrobble_types() const { return detail::opt_str(plexauth_account_scrobble_types(raw())); }
  /**
   * country: Two-letter country code.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> country() const { return detail::opt_str(plexauth_account_country(raw())); }
  /**
   * subscriptionDescription: A description of the subscription.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> subscription_description() const { return detail::opt_str(plexauth_account_subscription_description(raw())); }
  /**
   * pin: Deprecated hashed Home PIN.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> pin() const { return detail::opt_str(plexauth_account_pin(raw())); }
  /**
   * attributionPartner: Attribution partner.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> attribution_partner() const { return detail::opt_str(plexauth_account_attribution_partner(raw())); }
  /**
   * id: The account's numeric id. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::int64_t id() const { return detail::opt_num<std::int64_t>(&plexauth_account_id, raw()).value_or(0); }
  /**
   * joinedAt: Unix seconds. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::int64_t joined_at() const { return detail::opt_num<std::int64_t>(&plexauth_account_joined_at, raw()).value_or(0); }
  /**
   * homeSize: Members of the Plex Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> home_size() const { return detail::opt_num<std::int64_t>(&plexauth_account_home_size, raw()); }
  /**
   * maxHomeSize: Maximum members of the Plex Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> max_home_size() const { return detail::opt_num<std::int64_t>(&plexauth_account_max_home_size, raw()); }
  /**
   * rememberExpiresAt: When the token expires (Unix seconds).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> remember_expires_at() const { return detail::opt_num<std::int64_t>(&plexauth_account_remember_expires_at, raw()); }
  /**
   * adsConsentReminderAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> ads_consent_reminder_at() const { return detail::opt_num<std::int64_t>(&plexauth_account_ads_consent_reminder_at, raw()); }
  /**
   * adsConsentSetAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> ads_consent_set_at() const { return detail::opt_num<std::int64_t>(&plexauth_account_ads_consent_set_at, raw()); }
  /**
   * adsConsent: Consented to ads.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> ads_consent() const { return detail::opt_bool(&plexauth_account_ads_consent, raw()); }
  /**
   * anonymous: Anonymous account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> anonymous() const { return detail::opt_bool(&plexauth_account_anonymous, raw()); }
  /**
   * backupCodesCreated: 2FA backup codes exist.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> backup_codes_created() const { return detail::opt_bool(&plexauth_account_backup_codes_created, raw()); }
  /**
   * confirmed: E-mail confirmed.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> confirmed() const { return detail::opt_bool(&plexauth_account_confirmed, raw()); }
  /**
   * emailOnlyAuth: Signs in by e-mail only.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> email_only_auth() const { return detail::opt_bool(&plexauth_account_email_only_auth, raw()); }
  /**
   * experimentalFeatures: Experimental features on.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> experimental_features() const { return detail::opt_bool(&plexauth_account_experimental_features, raw()); }
  /**
   * guest: Guest account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> guest() const { return detail::opt_bool(&plexauth_account_guest, raw()); }
  /**
   * hasPassword: Has a password. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  bool has_password() const { return detail::opt_bool(&plexauth_account_has_password, raw()).value_or(false); }
  /**
   * home: Member of a Plex Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> home() const { return detail::opt_bool(&plexauth_account_home, raw()); }
  /**
   * homeAdmin: Admin of its Plex Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> home_admin() const { return detail::opt_bool(&plexauth_account_home_admin, raw()); }
  /**
   * mailingListActive: On the mailing list.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> mailing_list_active() const { return detail::opt_bool(&plexauth_account_mailing_list_active, raw()); }
  /**
   * protected: Protected by a Home PIN.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> protected_() const { return detail::opt_bool(&plexauth_account_protected, raw()); }
  /**
   * restricted: Restricted (managed) account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> restricted() const { return detail::opt_bool(&plexauth_account_restricted, raw()); }
  /**
   * twoFactorEnabled: 2FA enabled. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  bool two_factor_enabled() const { return detail::opt_bool(&plexauth_account_two_factor_enabled, raw()).value_or(false); }
  /**
   * entitlements: Entitlements.
   *
   * @return The entries (empty when absent).
   */
  std::vector<std::string> entitlements() const { return detail::str_list(&plexauth_account_entitlements_count, &plexauth_account_entitlements_at, raw()); }
  /**
   * roles: Roles.
   *
   * @return The entries (empty when absent).
   */
  std::vector<std::string> roles() const { return detail::str_list(&plexauth_account_roles_count, &plexauth_account_roles_at, raw()); }
  /**
   * profile: The profile.
   *
   * @return The object (it keeps this result alive); std::nullopt when absent.
   */
  std::optional<Profile> profile() const { return detail::opt_obj<Profile>(plexauth_account_profile(raw()), owner_); }
  /**
   * subscription: The current subscription.
   *
   * @return The object (it keeps this result alive); std::nullopt when absent.
   */
  std::optional<Subscription> subscription() const { return detail::opt_obj<Subscription>(plexauth_account_subscription(raw()), owner_); }
  /**
   * subscriptions: All subscriptions.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Subscription> subscriptions() const { return detail::obj_list<Subscription>(&plexauth_account_subscriptions_count, &plexauth_account_subscriptions_at, raw(), owner_); }
  /**
   * services: Services.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Service> services() const { return detail::obj_list<Service>(&plexauth_account_services_count, &plexauth_account_services_at, raw(), owner_); }
  /**
   * pastSubscriptions: Sign-in only: past subscriptions.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<PastSubscription> past_subscriptions() const { return detail::obj_list<PastSubscription>(&plexauth_account_past_subscriptions_count, &plexauth_account_past_subscriptions_at, raw(), owner_); }
  /**
   * trials: Sign-in only: trials (their items carry no documented fields).
   *
   * @return The number of entries (0 when absent).
   */
  std::size_t trials_count() const { return plexauth_account_trials_count(raw()); }
 private:
  std::shared_ptr<plexauth_account> owner_;
};

/**
 * A PIN for plex.tv/link or the hosted login page (create_pin, get_pin). Owns its C result;
 * move-only.
 */
class Pin {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_pin;
  /**
   * Takes ownership of a C result (freed with plexauth_pin_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Pin(plexauth_pin *adopt) : owner_(adopt, &plexauth_pin_free) {}
  Pin(const Pin &) = delete;
  Pin &operator=(const Pin &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Pin(Pin &&) noexcept = default;
  /** Moves the result. @return *this. */
  Pin &operator=(Pin &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_pin *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_pin_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_pin_json, raw()); }
  /**
   * id: The PIN's id: poll it with get_pin, from the same client identifier. (Required: the library
   * checked it is present.)
   *
   * @return The value.
   */
  std::int64_t id() const { return detail::opt_num<std::int64_t>(&plexauth_pin_id, raw()).value_or(0); }
  /**
   * code: The code: 4 characters for plex.tv/link, 25 for the hosted login page (strong). (Required:
   * the library checked it is present.)
   *
   * @return The value.
   */
  std::string code() const { return detail::str_or_empty(plexauth_pin_code(raw())); }
  /**
   * product: X-Plex-Product of the client that created it.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> product() const { return detail::opt_str(plexauth_pin_product(raw())); }
  /**
   * trusted: Whether plex.tv trusts the client.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> trusted() const { return detail::opt_bool(&plexauth_pin_trusted, raw()); }
  /**
   * qr: URL of a QR code for the code.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> qr() const { return detail::opt_str(plexauth_pin_qr(raw())); }
  /**
   * clientIdentifier: The client identifier that created it (poll with the same one).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> client_identifier() const { return detail::opt_str(plexauth_pin_client_identifier(raw())); }
  /**
   * expiresIn: Its lifetime in seconds (900 for 4 characters, 1800 strong).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> expires_in() const { return detail::opt_num<std::int64_t>(&plexauth_pin_expires_in, raw()); }
  /**
   * createdAt: When it was created (Unix seconds).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> created_at() const { return detail::opt_num<std::int64_t>(&plexauth_pin_created_at, raw()); }
  /**
   * expiresAt: When it expires (Unix seconds); polling stops there.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> expires_at() const { return detail::opt_num<std::int64_t>(&plexauth_pin_expires_at, raw()); }
  /**
   * authToken: The account's token once the user approved the PIN; absent (null) until then.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> auth_token() const { return detail::opt_str(plexauth_pin_auth_token(raw())); }
  /**
   * newRegistration: Whether the approval created a new account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> new_registration() const { return detail::opt_bool(&plexauth_pin_new_registration, raw()); }
  /**
   * location: Where plex.tv places the client (free-form object).
   *
   * @return Compact JSON text; std::nullopt when absent or null.
   */
  std::optional<std::string> location() const { return detail::opt_str(plexauth_pin_location(raw())); }
 private:
  std::shared_ptr<plexauth_pin> owner_;
};

/**
 * A Plex Home member (a User element of list_home_users). A view into a result, which it keeps
 * alive; copyable.
 */
class HomeUser {
 public:
  /** The C type this class views. */
  using c_type = plexauth_home_user;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  HomeUser(const plexauth_home_user *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_home_user *raw() const noexcept { return h_; }
  /**
   * id: The user's numeric id. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::int64_t id() const { return detail::opt_num<std::int64_t>(&plexauth_home_user_id, raw()).value_or(0); }
  /**
   * uuid: The user's uuid: switch_home_user takes it. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string uuid() const { return detail::str_or_empty(plexauth_home_user_uuid(raw())); }
  /**
   * title: The display name.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> title() const { return detail::opt_str(plexauth_home_user_title(raw())); }
  /**
   * username: The plex.tv user name (empty for managed users).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> username() const { return detail::opt_str(plexauth_home_user_username(raw())); }
  /**
   * email: The e-mail address (empty for managed users).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> email() const { return detail::opt_str(plexauth_home_user_email(raw())); }
  /**
   * thumb: Avatar URL.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> thumb() const { return detail::opt_str(plexauth_home_user_thumb(raw())); }
  /**
   * admin: The Home's admin.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> admin() const { return detail::opt_bool(&plexauth_home_user_admin, raw()); }
  /**
   * guest: A guest account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> guest() const { return detail::opt_bool(&plexauth_home_user_guest, raw()); }
  /**
   * restricted: A restricted (managed) user.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> restricted() const { return detail::opt_bool(&plexauth_home_user_restricted, raw()); }
  /**
   * restrictionProfile: The restriction profile, e.g. "little_kid".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> restriction_profile() const { return detail::opt_str(plexauth_home_user_restriction_profile(raw())); }
  /**
   * hasPassword: Has a plex.tv password.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> has_password() const { return detail::opt_bool(&plexauth_home_user_has_password, raw()); }
  /**
   * protected: Protected by a Home PIN: switch_home_user needs it.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> protected_() const { return detail::opt_bool(&plexauth_home_user_protected, raw()); }
 private:
  const plexauth_home_user *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * list_home_users's result: the MediaContainer of the Home's members. Owns its C result;
 * move-only.
 */
class HomeUsers {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_home;
  /**
   * Takes ownership of a C result (freed with plexauth_home_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit HomeUsers(plexauth_home *adopt) : owner_(adopt, &plexauth_home_free) {}
  HomeUsers(const HomeUsers &) = delete;
  HomeUsers &operator=(const HomeUsers &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  HomeUsers(HomeUsers &&) noexcept = default;
  /** Moves the result. @return *this. */
  HomeUsers &operator=(HomeUsers &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_home *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_home_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_home_json, raw()); }
  /**
   * friendlyName: The container's friendly name.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> friendly_name() const { return detail::opt_str(plexauth_home_friendly_name(raw())); }
  /**
   * identifier: The container's identifier.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> identifier() const { return detail::opt_str(plexauth_home_identifier(raw())); }
  /**
   * machineIdentifier: The machine identifier.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> machine_identifier() const { return detail::opt_str(plexauth_home_machine_identifier(raw())); }
  /**
   * totalSize: Members in the Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> total_size() const { return detail::opt_num<std::int64_t>(&plexauth_home_total_size, raw()); }
  /**
   * size: Members in this container.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> size() const { return detail::opt_num<std::int64_t>(&plexauth_home_size, raw()); }
  /**
   * User: The Home's members (MediaContainer.User[]).
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<HomeUser> users() const { return detail::obj_list<HomeUser>(&plexauth_home_users_count, &plexauth_home_users_at, raw(), owner_); }
 private:
  std::shared_ptr<plexauth_home> owner_;
};

/**
 * A device of the account (list_resources): a server, a player or another client. A view into a
 * result, which it keeps alive; copyable.
 */
class Resource {
 public:
  /** The C type this class views. */
  using c_type = plexauth_resource;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Resource(const plexauth_resource *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_resource *raw() const noexcept { return h_; }
  /**
   * name: The device's name.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> name() const { return detail::opt_str(plexauth_resource_name(raw())); }
  /**
   * product: The product, e.g. "Plex Media Server".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> product() const { return detail::opt_str(plexauth_resource_product(raw())); }
  /**
   * productVersion: The product's version.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> product_version() const { return detail::opt_str(plexauth_resource_product_version(raw())); }
  /**
   * platform: The platform, e.g. "Linux".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> platform() const { return detail::opt_str(plexauth_resource_platform(raw())); }
  /**
   * platformVersion: The platform's version.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> platform_version() const { return detail::opt_str(plexauth_resource_platform_version(raw())); }
  /**
   * device: The device kind.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> device() const { return detail::opt_str(plexauth_resource_device(raw())); }
  /**
   * clientIdentifier: The device's identifier; for a server its machineIdentifier (connect checks
   * it).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> client_identifier() const { return detail::opt_str(plexauth_resource_client_identifier(raw())); }
  /**
   * createdAt: When it was registered (Unix seconds).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> created_at() const { return detail::opt_num<std::int64_t>(&plexauth_resource_created_at, raw()); }
  /**
   * lastSeenAt: When plex.tv last heard of it (Unix seconds).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> last_seen_at() const { return detail::opt_num<std::int64_t>(&plexauth_resource_last_seen_at, raw()); }
  /**
   * provides: What it provides, comma-separated: "server", "client,player,pubsub-player", ...
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> provides() const { return detail::opt_str(plexauth_resource_provides(raw())); }
  /**
   * ownerId: The owner's account id; absent (null) when the token's account owns it.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::int64_t> owner_id() const { return detail::opt_num<std::int64_t>(&plexauth_resource_owner_id, raw()); }
  /**
   * sourceTitle: The owner's name, for a server shared with the account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> source_title() const { return detail::opt_str(plexauth_resource_source_title(raw())); }
  /**
   * publicAddress: Its public IP address.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> public_address() const { return detail::opt_str(plexauth_resource_public_address(raw())); }
  /**
   * accessToken: The token to use with this device (may be absent: use the account's for an owned
   * server).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> access_token() const { return detail::opt_str(plexauth_resource_access_token(raw())); }
  /**
   * owned: Owned by the token's account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> owned() const { return detail::opt_bool(&plexauth_resource_owned, raw()); }
  /**
   * home: Shared within the Plex Home.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> home() const { return detail::opt_bool(&plexauth_resource_home, raw()); }
  /**
   * synced: A sync target.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> synced() const { return detail::opt_bool(&plexauth_resource_synced, raw()); }
  /**
   * relay: plex.tv relays connections to it.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> relay() const { return detail::opt_bool(&plexauth_resource_relay, raw()); }
  /**
   * presence: Online now, as plex.tv sees it.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> presence() const { return detail::opt_bool(&plexauth_resource_presence, raw()); }
  /**
   * httpsRequired: The server accepts HTTPS only.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> https_required() const { return detail::opt_bool(&plexauth_resource_https_required, raw()); }
  /**
   * publicAddressMatches: It is on the caller's network (same public address).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> public_address_matches() const { return detail::opt_bool(&plexauth_resource_public_address_matches, raw()); }
  /**
   * dnsRebindingProtection: The network blocks *.plex.direct names (DNS rebinding protection).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> dns_rebinding_protection() const { return detail::opt_bool(&plexauth_resource_dns_rebinding_protection, raw()); }
  /**
   * natLoopbackSupported: The router supports NAT loopback.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> nat_loopback_supported() const { return detail::opt_bool(&plexauth_resource_nat_loopback_supported, raw()); }
  /**
   * connections: The addresses it is reachable at.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Connection> connections() const { return detail::obj_list<Connection>(&plexauth_resource_connections_count, &plexauth_resource_connections_at, raw(), owner_); }
 private:
  const plexauth_resource *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * list_resources's result: the account's devices (the body is a JSON array of them). Owns its C
 * result; move-only.
 */
class Resources {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_resources;
  /**
   * Takes ownership of a C result (freed with plexauth_resources_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Resources(plexauth_resources *adopt) : owner_(adopt, &plexauth_resources_free) {}
  Resources(const Resources &) = delete;
  Resources &operator=(const Resources &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Resources(Resources &&) noexcept = default;
  /** Moves the result. @return *this. */
  Resources &operator=(Resources &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_resources *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_resources_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_resources_json, raw()); }
  /**
   * devices: The devices, in plex.tv's order.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Resource> devices() const { return detail::obj_list<Resource>(&plexauth_resources_devices_count, &plexauth_resources_devices_at, raw(), owner_); }
 private:
  std::shared_ptr<plexauth_resources> owner_;
};

/**
 * get_identity's result: a Plex Media Server's /identity (no token needed). Owns its C result;
 * move-only.
 */
class ServerIdentity {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_server_identity;
  /**
   * Takes ownership of a C result (freed with plexauth_server_identity_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit ServerIdentity(plexauth_server_identity *adopt) : owner_(adopt, &plexauth_server_identity_free) {}
  ServerIdentity(const ServerIdentity &) = delete;
  ServerIdentity &operator=(const ServerIdentity &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  ServerIdentity(ServerIdentity &&) noexcept = default;
  /** Moves the result. @return *this. */
  ServerIdentity &operator=(ServerIdentity &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_server_identity *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_server_identity_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_server_identity_json, raw()); }
  /**
   * machineIdentifier: The server's identifier: a resource's clientIdentifier.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> machine_identifier() const { return detail::opt_str(plexauth_server_identity_machine_identifier(raw())); }
  /**
   * version: The server's version.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> version() const { return detail::opt_str(plexauth_server_identity_version(raw())); }
  /**
   * claimed: Claimed by a plex.tv account.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> claimed() const { return detail::opt_bool(&plexauth_server_identity_claimed, raw()); }
 private:
  std::shared_ptr<plexauth_server_identity> owner_;
};

/**
 * get_nonce's result: a single-use nonce for a device JWT (valid 5 minutes). Owns its C result;
 * move-only.
 */
class Nonce {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_nonce;
  /**
   * Takes ownership of a C result (freed with plexauth_nonce_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Nonce(plexauth_nonce *adopt) : owner_(adopt, &plexauth_nonce_free) {}
  Nonce(const Nonce &) = delete;
  Nonce &operator=(const Nonce &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Nonce(Nonce &&) noexcept = default;
  /** Moves the result. @return *this. */
  Nonce &operator=(Nonce &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_nonce *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_nonce_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_nonce_json, raw()); }
  /**
   * nonce: The nonce. (Required: the library checked it is present.)
   *
   * @return The value.
   */
  std::string nonce() const { return detail::str_or_empty(plexauth_nonce_nonce(raw())); }
 private:
  std::shared_ptr<plexauth_nonce> owner_;
};

/**
 * A public key of plex.tv's key set (get_jwks), or a device's public key. A view into a result,
 * which it keeps alive; copyable.
 */
class Jwk {
 public:
  /** The C type this class views. */
  using c_type = plexauth_jwk;
  /**
   * A view of a nested object.
   *
   * @param h The object (borrowed from the owner).
   * @param owner Keeps the result that holds it alive.
   */
  Jwk(const plexauth_jwk *h, std::shared_ptr<const void> owner) : h_(h), owner_(std::move(owner)) {}
  /** The C handle (borrowed from the result). @return The handle. */
  const plexauth_jwk *raw() const noexcept { return h_; }
  /**
   * kty: Key type: "OKP".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> kty() const { return detail::opt_str(plexauth_jwk_kty(raw())); }
  /**
   * crv: Curve: "Ed25519".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> crv() const { return detail::opt_str(plexauth_jwk_crv(raw())); }
  /**
   * x: The public key, base64url.
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> x() const { return detail::opt_str(plexauth_jwk_x(raw())); }
  /**
   * kid: The key's id (plex.tv puts it in its JWTs' header).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> kid() const { return detail::opt_str(plexauth_jwk_kid(raw())); }
  /**
   * use: "sig".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> use() const { return detail::opt_str(plexauth_jwk_use(raw())); }
  /**
   * alg: "EdDSA".
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<std::string> alg() const { return detail::opt_str(plexauth_jwk_alg(raw())); }
 private:
  const plexauth_jwk *h_;
  std::shared_ptr<const void> owner_;
};

/**
 * get_jwks's result: the keys plex.tv signs its JWTs with (it rotates them). Owns its C result;
 * move-only.
 */
class Jwks {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_jwks;
  /**
   * Takes ownership of a C result (freed with plexauth_jwks_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Jwks(plexauth_jwks *adopt) : owner_(adopt, &plexauth_jwks_free) {}
  Jwks(const Jwks &) = delete;
  Jwks &operator=(const Jwks &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Jwks(Jwks &&) noexcept = default;
  /** Moves the result. @return *this. */
  Jwks &operator=(Jwks &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_jwks *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_jwks_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_jwks_json, raw()); }
  /**
   * keys: The keys.
   *
   * @return The entries (empty when absent); each keeps this result alive.
   */
  std::vector<Jwk> keys() const { return detail::obj_list<Jwk>(&plexauth_jwks_keys_count, &plexauth_jwks_keys_at, raw(), owner_); }
 private:
  std::shared_ptr<plexauth_jwks> owner_;
};

/**
 * exchange_device_jwt's result: a Plex JWT (valid 7 days) for this device. Owns its C result;
 * move-only.
 */
class JwtToken {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_jwt_token;
  /**
   * Takes ownership of a C result (freed with plexauth_jwt_token_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit JwtToken(plexauth_jwt_token *adopt) : owner_(adopt, &plexauth_jwt_token_free) {}
  JwtToken(const JwtToken &) = delete;
  JwtToken &operator=(const JwtToken &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  JwtToken(JwtToken &&) noexcept = default;
  /** Moves the result. @return *this. */
  JwtToken &operator=(JwtToken &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_jwt_token *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_jwt_token_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_jwt_token_json, raw()); }
  /**
   * auth_token: The Plex JWT, used as X-Plex-Token with plex.tv. (Required: the library checked it
   * is present.)
   *
   * @return The value.
   */
  std::string auth_token() const { return detail::str_or_empty(plexauth_jwt_token_auth_token(raw())); }
 private:
  std::shared_ptr<plexauth_jwt_token> owner_;
};

/** ping's result. Owns its C result; move-only. */
class Pong {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_pong;
  /**
   * Takes ownership of a C result (freed with plexauth_pong_free()).
   *
   * @param adopt The result, or NULL for an empty object whose fields are all absent.
   */
  explicit Pong(plexauth_pong *adopt) : owner_(adopt, &plexauth_pong_free) {}
  Pong(const Pong &) = delete;
  Pong &operator=(const Pong &) = delete;
  /** Moves the result; the moved-from object answers as if every field were absent. */
  Pong(Pong &&) noexcept = default;
  /** Moves the result. @return *this. */
  Pong &operator=(Pong &&) noexcept = default;
  /** The C handle (borrowed; NULL after a move). @return The handle. */
  const plexauth_pong *raw() const noexcept { return owner_.get(); }
  /**
   * The HTTP response behind the result.
   *
   * @return A view that keeps this result alive.
   */
  Response response() const { return Response(plexauth_pong_response(raw()), owner_); }
  /**
   * The parsed result as compact JSON with the wire names.
   *
   * @return The JSON text.
   */
  std::string json() const { return detail::json_text(&plexauth_pong_json, raw()); }
  /**
   * pong: true: plex.tv accepted the token (and extended its life).
   *
   * @return The value; std::nullopt when absent or null.
   */
  std::optional<bool> pong() const { return detail::opt_bool(&plexauth_pong_pong, raw()); }
 private:
  std::shared_ptr<plexauth_pong> owner_;
};
/* END GENERATED: models */

/** A retry policy (plexauth_retry): 500 ms, x1.5, at most 60 s apart, within 5 minutes by default. */
class Retry {
 public:
  /** The defaults. Throws plexauth::Error (out_of_memory). */
  Retry() : h_(detail::make<plexauth_retry, plexauth_retry_free>(&plexauth_retry_new, "retry")) {}
  /** @param ms The first wait (>= 1 ms). @return *this. */
  Retry &initial_interval(std::chrono::milliseconds ms) {
    detail::check(plexauth_retry_set_initial_interval_ms(h_.get(), ms.count()), "retry initial_interval");
    return *this;
  }
  /** @param ms The cap on each wait (>= 1 ms). @return *this. */
  Retry &max_interval(std::chrono::milliseconds ms) {
    detail::check(plexauth_retry_set_max_interval_ms(h_.get(), ms.count()), "retry max_interval");
    return *this;
  }
  /** @param e How much each wait grows (1.0 .. 10.0). @return *this. */
  Retry &exponent(double e) {
    detail::check(plexauth_retry_set_exponent(h_.get(), e), "retry exponent");
    return *this;
  }
  /** @param ms No retry starts after this (0: none after the first attempt). @return *this. */
  Retry &max_elapsed(std::chrono::milliseconds ms) {
    detail::check(plexauth_retry_set_max_elapsed_ms(h_.get(), ms.count()), "retry max_elapsed");
    return *this;
  }
  /** @param n Total attempts including the first (0: no cap). @return *this. */
  Retry &max_attempts(unsigned n) {
    detail::check(plexauth_retry_set_max_attempts(h_.get(), n), "retry max_attempts");
    return *this;
  }
  /** @param on Whether connection errors and timeouts are retried. @return *this. */
  Retry &retry_connection_errors(bool on) {
    detail::check(plexauth_retry_set_retry_connection_errors(h_.get(), on ? 1 : 0), "retry connection errors");
    return *this;
  }
  /** @return The C handle (NULL after a move). */
  const plexauth_retry *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_retry, plexauth_retry_free> h_;
};

/** A cancel token (plexauth_cancel): trigger() from any thread ends every call using it. */
class Cancel {
 public:
  /** Not triggered. Throws plexauth::Error (out_of_memory). */
  Cancel() : h_(detail::make<plexauth_cancel, plexauth_cancel_free>(&plexauth_cancel_new, "cancel")) {}
  /** Every call using the token ends with Status::Cancelled. Any thread. */
  void trigger() const noexcept { plexauth_cancel_trigger(h_.get()); }
  /** @return Whether it was triggered. */
  bool triggered() const noexcept { return plexauth_cancel_is_triggered(h_.get()) != 0; }
  /** @return The C handle (NULL after a move). */
  plexauth_cancel *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_cancel, plexauth_cancel_free> h_;
};

namespace detail {

// Text the C API writes into the caller's buffer (a PEM key, a JWT): filled
// once with a guess at the size, again with the size the library reported
// when that was too small. The buffer that was too small is wiped: the text
// may be a secret.
template <class Fill>
std::string read_text(std::size_t guess, Fill fill) {
  std::string buf(guess, '\0');
  for (int pass = 0;; ++pass) {
    std::size_t len = 0;
    plexauth_error *err = nullptr;
    const plexauth_status s = fill(buf.data(), buf.size(), &len, &err);
    if (s == PLEXAUTH_OK) {
      buf.resize(len);
      return buf;
    }
    volatile char *p = buf.data();
    for (std::size_t i = 0; i < buf.size(); ++i) p[i] = 0;
    if (pass > 0 || s != PLEXAUTH_E_INVALID_ARGUMENT || len < buf.size()) throw Error::adopt(s, err);
    plexauth_error_free(err);
    buf.assign(len + 1, '\0');
  }
}

// A C call of the form status(err) that throws its Error.
template <class Fn>
void check_call(Fn &&fn) {
  plexauth_error *err = nullptr;
  const plexauth_status s = fn(&err);
  if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
}

// A throwing body as a Result: its Error becomes the failure.
template <class R, class Fn>
Result<R> as_result(Fn &&fn) try {
  if constexpr (std::is_void_v<R>) {
    fn();
    return Result<void>();
  } else {
    return fn();
  }
} catch (const Error &e) {
  return e;
}

}  // namespace detail

struct LoadedDeviceKey;

/**
 * A device's Ed25519 key pair for JWT device authentication (plexauth_device_key; docs/jwt.md).
 * Its public half (jwk()) goes to plex.tv with Client::register_device_key() or in a PIN
 * (Client::create_jwk_pin()); its private half signs the device JWTs that plex.tv exchanges for
 * Plex JWTs (Client::jwt_login(), JwtSession). One key per client identifier, never shared
 * between devices. Move-only; destroying it clears the private key. A key never changes once
 * made: any number of threads may use one at once, as long as it outlives those uses (a
 * JwtSession keeps its own copy).
 */
/**
 * A keystore of the application's own (a system keychain, a secret service, an encrypted
 * database) for DeviceKey::load_or_create_with() and DeviceKey::save_with().
 */
struct KeyStore {
  /** Returns the stored key's PEM text, or std::nullopt when none is stored. May throw. */
  std::function<std::optional<std::string>()> read;
  /** Stores the key's PEM text (a secret, valid during the call only). May throw. */
  std::function<void(std::string_view pem)> write;
};

/**
 * The device's Ed25519 key pair for JWT device authentication (plexauth_device_key):
 * generated, loaded from a PEM file or text, or kept in a KeyStore. Move-only; the
 * private key leaves it only through to_pem(), save() and save_with().
 */
class DeviceKey {
 public:
  /**
   * Takes ownership of a C key (freed with plexauth_device_key_free()).
   * @param adopt The key, or NULL for an empty key (every use fails with Status::InvalidArgument).
   */
  explicit DeviceKey(plexauth_device_key *adopt) noexcept : h_(adopt) {}
  /**
   * A new random key pair (plexauth_device_key_generate).
   * @return The key. Throws plexauth::Error (internal when no key could be made).
   */
  static DeviceKey generate() {
    return adopt_from([](plexauth_device_key **out, plexauth_error **err) {
      return plexauth_device_key_generate(out, err);
    });
  }
  /**
   * Reads a key from PKCS#8 PEM text as to_pem() writes it, e.g. from your own keystore
   * (plexauth_device_key_from_pem).
   * @param pem The unencrypted Ed25519 PEM text ("-----BEGIN PRIVATE KEY-----").
   * @return The key. Throws plexauth::Error (invalid_argument: not an Ed25519 PEM key).
   */
  static DeviceKey from_pem(std::string_view pem) {
    detail::CStr text(pem);
    return adopt_from([&](plexauth_device_key **out, plexauth_error **err) {
      return plexauth_device_key_from_pem(out, text.get(), err);
    });
  }
  /**
   * Reads a key file written by save() (plexauth_device_key_load). A file that other users may
   * read is refused, as ssh refuses such keys.
   * @param path The file.
   * @return The key. Throws plexauth::Error (transport: missing or unreadable; invalid_argument:
   *   not a key, or permissions too open).
   */
  static DeviceKey load(std::string_view path) {
    detail::CStr p(path);
    return adopt_from([&](plexauth_device_key **out, plexauth_error **err) {
      return plexauth_device_key_load(out, p.get(), err);
    });
  }
  /**
   * Reads the key file, or makes a new key and saves it there (mode 0600) when there is none
   * (plexauth_device_key_load_or_create). A new key must then be registered.
   * @param path The file.
   * @return The key and whether it was created. Throws plexauth::Error as load() and save().
   */
  static LoadedDeviceKey load_or_create(std::string_view path);
  /**
   * As load_or_create(), with your own keystore instead of a file
   * (plexauth_device_key_load_or_create_with): reads the stored key through store.read; when there
   * is none, makes a key, stores it through store.write and returns it. A stored text that is not
   * a key is an error, never replaced.
   * @param store The keystore's read and write functions (both required: an empty one is
   *   invalid_argument).
   * @return The key and whether it was created. Throws what read or write threw (the call then
   *   fails), or plexauth::Error (invalid_argument: the stored text is not a key; callback: the
   *   text read was refused, e.g. not UTF-8).
   */
  static LoadedDeviceKey load_or_create_with(const KeyStore &store);
  /**
   * Writes the key through your keystore's write function (plexauth_device_key_save_with).
   * @param write Receives the PKCS#8 PEM text (a secret, valid during the call only).
   * Throws what write threw, or plexauth::Error.
   */
  void save_with(const std::function<void(std::string_view pem)> &write) const;
  /**
   * Writes the key to a file as PKCS#8 PEM, mode 0600, atomically (plexauth_device_key_save).
   * @param path The file.
   * Throws plexauth::Error (transport: not writable).
   */
  void save(std::string_view path) const {
    detail::CStr p(path);
    detail::check_call([&](plexauth_error **err) { return plexauth_device_key_save(raw(), p.get(), err); });
  }
  /**
   * The private key as PKCS#8 PEM text, for a keystore of your own (plexauth_device_key_to_pem).
   * The text is a secret: keep it out of logs, and wipe it when done.
   * @return The PEM text. Throws plexauth::Error.
   */
  std::string to_pem() const {
    return detail::read_text(256, [&](char *buf, std::size_t size, std::size_t *len, plexauth_error **err) {
      return plexauth_device_key_to_pem(raw(), buf, size, len, err);
    });
  }
  /**
   * The key's id: its RFC 7638 thumbprint, the "kid" of its JWK and device JWTs
   * (plexauth_device_key_id).
   * @return The id; "" for an empty key.
   */
  std::string id() const { return detail::str_or_empty(plexauth_device_key_id(raw())); }
  /**
   * The public JWK as JSON text, e.g. for Client::create_jwk_pin() (plexauth_device_key_jwk).
   * @return The JWK (no private part); "" for an empty key.
   */
  std::string jwk() const { return detail::str_or_empty(plexauth_device_key_jwk(raw())); }
  /**
   * Signs a device JWT (plexauth_device_key_sign_jwt): for PIN polling with get_jwk_pin() and
   * for checks; Client::jwt_login() signs its own.
   * @param client_id The X-Plex-Client-Identifier it is sent with (its iss claim).
   * @param nonce A nonce of Client::get_nonce(), or std::nullopt for none.
   * @param scope The claims to ask for, comma-separated, or std::nullopt for the default.
   * @param lifetime Its lifetime: 1 s .. 1 day.
   * @return The device JWT (a secret). Throws plexauth::Error (invalid_argument).
   */
  std::string sign_jwt(std::string_view client_id, std::optional<std::string_view> nonce = std::nullopt,
                       std::optional<std::string_view> scope = std::nullopt,
                       std::chrono::seconds lifetime = std::chrono::seconds(300)) const {
    detail::CStr c(client_id), n(nonce), s(scope);
    return detail::read_text(1024, [&](char *buf, std::size_t size, std::size_t *len, plexauth_error **err) {
      return plexauth_device_key_sign_jwt(raw(), c.get(), n.get(), s.get(), lifetime.count(), buf, size, len, err);
    });
  }
  /** @return The C handle (NULL after a move). */
  const plexauth_device_key *raw() const noexcept { return h_.get(); }

 private:
  template <class Fn>
  static DeviceKey adopt_from(Fn &&fn) {
    plexauth_device_key *out = nullptr;
    plexauth_error *err = nullptr;
    const plexauth_status s = fn(&out, &err);
    if (s != PLEXAUTH_OK) {
      plexauth_device_key_free(out);
      throw Error::adopt(s, err);
    }
    return DeviceKey(out);
  }
  detail::Ptr<plexauth_device_key, plexauth_device_key_free> h_;
};

/** What DeviceKey::load_or_create() gives: the key, and whether it was made just now. */
struct LoadedDeviceKey {
  DeviceKey key;  ///< The key, read or new.
  bool created;   ///< Whether it was made (and saved) just now: register it before logging in.
};

inline LoadedDeviceKey DeviceKey::load_or_create(std::string_view path) {
  detail::CStr p(path);
  int created = 0;
  DeviceKey key = adopt_from([&](plexauth_device_key **out, plexauth_error **err) {
    return plexauth_device_key_load_or_create(out, p.get(), &created, err);
  });
  return LoadedDeviceKey{std::move(key), created != 0};
}

namespace detail {
// The C keystore callbacks over a KeyStore: an exception is kept and
// rethrown once the C call has returned.
struct KeyStoreCall {
  const KeyStore *store;
  const std::function<void(std::string_view)> *write_fn;
  std::exception_ptr thrown;
  static int read(void *self, plexauth_key_sink *sink) noexcept {
    auto *c = static_cast<KeyStoreCall *>(self);
    try {
      std::optional<std::string> pem = c->store->read();
      if (pem) plexauth_key_sink_set(sink, pem->data(), pem->size());
      return 0;
    } catch (...) {
      c->thrown = std::current_exception();
      return 1;
    }
  }
  static int write(void *self, const char *pem, std::size_t len) noexcept {
    auto *c = static_cast<KeyStoreCall *>(self);
    try {
      (*c->write_fn)(std::string_view(pem, len));
      return 0;
    } catch (...) {
      c->thrown = std::current_exception();
      return 1;
    }
  }
  void rethrow() const {
    if (thrown) std::rethrow_exception(thrown);
  }
};
}  // namespace detail

inline LoadedDeviceKey DeviceKey::load_or_create_with(const KeyStore &store) {
  detail::KeyStoreCall c{&store, &store.write, nullptr};
  int created = 0;
  plexauth_device_key *out = nullptr;
  plexauth_error *err = nullptr;
  // An empty function is a NULL one: invalid_argument.
  const plexauth_status s = plexauth_device_key_load_or_create_with(
      &out, store.read ? &detail::KeyStoreCall::read : nullptr, store.write ? &detail::KeyStoreCall::write : nullptr,
      &c, &created, &err);
  if (s != PLEXAUTH_OK) {
    plexauth_device_key_free(out);
    if (c.thrown) plexauth_error_free(err);
    c.rethrow();
    throw Error::adopt(s, err);
  }
  return LoadedDeviceKey{DeviceKey(out), created != 0};
}

inline void DeviceKey::save_with(const std::function<void(std::string_view pem)> &write) const {
  KeyStore none;
  detail::KeyStoreCall c{&none, &write, nullptr};
  plexauth_error *err = nullptr;
  const plexauth_status s =
      plexauth_device_key_save_with(raw(), write ? &detail::KeyStoreCall::write : nullptr, &c, &err);
  if (s != PLEXAUTH_OK) {
    if (c.thrown) plexauth_error_free(err);
    c.rethrow();
    throw Error::adopt(s, err);
  }
}

/** A Plex JWT handed out by JwtSession::token(). */
struct SessionJwt {
  std::string jwt;          ///< The Plex JWT (a secret: use it as the account's token with plex.tv).
  std::int64_t expires_at;  ///< Its exp claim (Unix seconds).
};

class Client;

namespace detail {
// The C session and the client it refreshes through, kept alive together:
// by every JwtSession copy, and by every Config (and Client made from it)
// that hands out its JWTs. The session is freed first, then the client.
struct JwtSessionState {
  JwtSessionState(plexauth_jwt_session *s, std::shared_ptr<plexauth_client> c) noexcept
      : session(s), client(std::move(c)) {}
  JwtSessionState(const JwtSessionState &) = delete;
  JwtSessionState &operator=(const JwtSessionState &) = delete;
  ~JwtSessionState() { plexauth_jwt_session_free(session); }
  plexauth_jwt_session *session;
  std::shared_ptr<plexauth_client> client;
};
}  // namespace detail

/**
 * A refreshing source of Plex JWTs for one registered device key (plexauth_jwt_session): token()
 * hands out the current JWT and gets a new one (Client::jwt_login()) when there is none or less
 * than the margin is left; many threads may ask at once, and one refresh serves them all.
 * Config::jwt_session() makes it the token of every call of a client.
 *
 * Copies share one session. The session keeps the Client it refreshes through alive (its C
 * handle, even after the Client object is gone), and every Config and Client using it as their
 * token keeps the session alive, so neither is freed while the other needs it.
 */
class JwtSession {
 public:
  /** No session: every use fails with Status::InvalidArgument. */
  JwtSession() noexcept = default;
  /**
   * A session (plexauth_jwt_session_new).
   * @param client The client its refreshes use (its client identifier is the device JWTs' iss);
   *   kept alive by the session.
   * @param key The registered device key (copied: it may go away afterwards).
   * @param margin Refresh when less than this is left: 1 s .. 7 days; 0: one day.
   * Throws plexauth::Error (invalid_argument: margin out of range, no client identifier).
   */
  JwtSession(const Client &client, const DeviceKey &key, std::chrono::seconds margin = std::chrono::seconds(0));
  /**
   * The current Plex JWT, refreshed first when needed (plexauth_jwt_session_token). Any thread.
   * @return The JWT and its expiry. Throws plexauth::Error: the refresh's (see Client::jwt_login()).
   */
  SessionJwt token() const {
    std::int64_t expires_at = 0;
    std::string jwt =
        detail::read_text(4096, [&](char *buf, std::size_t size, std::size_t *len, plexauth_error **err) {
          return plexauth_jwt_session_token(raw(), buf, size, len, &expires_at, err);
        });
    return SessionJwt{std::move(jwt), expires_at};
  }
  /**
   * token() without exceptions for the refresh's failures.
   * @return The JWT and its expiry, or the plexauth::Error.
   */
  Result<SessionJwt> try_token() const {
    return detail::as_result<SessionJwt>([&] { return token(); });
  }
  /**
   * Forgets the current JWT, so that the next token() (or call of a client using the session)
   * refreshes: after plex.tv answered Status::TokenExpired to it (plexauth_jwt_session_invalidate).
   * Any thread.
   */
  void invalidate() const noexcept { plexauth_jwt_session_invalidate(raw()); }
  /** @return The C handle (NULL for an empty session). */
  plexauth_jwt_session *raw() const noexcept { return s_ ? s_->session : nullptr; }

 private:
  friend class Config;
  std::shared_ptr<detail::JwtSessionState> s_;
};

/**
 * Remembered good connections, one per server (plexauth_connect_cache): Client::connect() tries
 * a server's last good uri first and stores the winner. Thread-safe; move-only (options it was
 * given to keep their share of it).
 */
class ConnectCache {
 public:
  /** An empty cache. Throws plexauth::Error (out_of_memory). */
  ConnectCache() {
    plexauth_connect_cache *raw = nullptr;
    detail::check_call([&](plexauth_error **err) { return plexauth_connect_cache_new(&raw, err); });
    h_.reset(raw);
  }
  /**
   * Replaces the content with a file written by save(); a missing file is an empty cache
   * (plexauth_connect_cache_load).
   * @param path The file.
   * Throws plexauth::Error (transport: unreadable; malformed_response: not a cache file).
   */
  void load(std::string_view path) {
    detail::CStr p(path);
    detail::check_call([&](plexauth_error **err) { return plexauth_connect_cache_load(h_.get(), p.get(), err); });
  }
  /**
   * Writes the cache to a file, atomically, mode 0600 (plexauth_connect_cache_save).
   * @param path The file.
   * Throws plexauth::Error (transport: not writable).
   */
  void save(std::string_view path) const {
    detail::CStr p(path);
    detail::check_call([&](plexauth_error **err) { return plexauth_connect_cache_save(h_.get(), p.get(), err); });
  }
  /** @return The number of servers remembered (0 after a move). */
  std::size_t size() const noexcept { return plexauth_connect_cache_size(h_.get()); }
  /** @return The C handle (NULL after a move). */
  plexauth_connect_cache *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_connect_cache, plexauth_connect_cache_free> h_;
};

/**
 * How Client::connect() races a server's connections (plexauth_connect_options). The defaults:
 * every location, https and http, a 250 ms stagger, a 100 ms grace window, a 10 s deadline, no
 * cache, no cancel token. Setters return *this and throw plexauth::Error (invalid_argument) for a
 * value out of range.
 */
class ConnectOptions {
 public:
  /** The defaults. Throws plexauth::Error (out_of_memory). */
  ConnectOptions() {
    plexauth_connect_options *raw = nullptr;
    detail::check_call([&](plexauth_error **err) { return plexauth_connect_options_new(&raw, err); });
    h_.reset(raw);
  }
  /**
   * Which locations to try (at least one).
   * @param local The server's LAN addresses.
   * @param remote Its public addresses.
   * @param relay plex.tv's relay (bandwidth-limited: tried last).
   * @return *this.
   */
  ConnectOptions &locations(bool local, bool remote, bool relay) {
    const unsigned mask = (local ? PLEXAUTH_LOCATION_LOCAL : 0u) | (remote ? PLEXAUTH_LOCATION_REMOTE : 0u) |
                          (relay ? PLEXAUTH_LOCATION_RELAY : 0u);
    detail::check(plexauth_connect_options_set_locations(h_.get(), mask), "connect locations");
    return *this;
  }
  /**
   * Which schemes to try (at least one).
   * @param https The connection's https uri (often a *.plex.direct name).
   * @param http Plain http://address:port (never for a server that requires https).
   * @return *this.
   */
  ConnectOptions &schemes(bool https, bool http) {
    detail::check(plexauth_connect_options_set_schemes(h_.get(), https ? 1 : 0, http ? 1 : 0), "connect schemes");
    return *this;
  }
  /** @param ms Each probe's head start over the next: 0 (all at once) .. 60 s. @return *this. */
  ConnectOptions &stagger(std::chrono::milliseconds ms) {
    detail::check(plexauth_connect_options_set_stagger_ms(h_.get(), ms.count()), "connect stagger");
    return *this;
  }
  /** @param ms How long a success waits for a more preferred probe still running: 0 .. 60 s. @return *this. */
  ConnectOptions &grace(std::chrono::milliseconds ms) {
    detail::check(plexauth_connect_options_set_grace_ms(h_.get(), ms.count()), "connect grace");
    return *this;
  }
  /** @param ms The limit on the whole connect: 1 ms .. 10 min. @return *this. */
  ConnectOptions &deadline(std::chrono::milliseconds ms) {
    detail::check(plexauth_connect_options_set_deadline_ms(h_.get(), ms.count()), "connect deadline");
    return *this;
  }
  /** @param cache The cache to use (shared: it may go away before the options). @return *this. */
  ConnectOptions &cache(const ConnectCache &cache) {
    detail::check(plexauth_connect_options_set_cache(h_.get(), cache.raw()), "connect cache");
    return *this;
  }
  /** No cache. @return *this. */
  ConnectOptions &no_cache() {
    detail::check(plexauth_connect_options_set_cache(h_.get(), nullptr), "connect cache");
    return *this;
  }
  /** @param cancel A token whose trigger() ends the connect with Status::Cancelled (shared). @return *this. */
  ConnectOptions &cancel(const Cancel &cancel) {
    detail::check(plexauth_connect_options_set_cancel(h_.get(), cancel.raw()), "connect cancel");
    return *this;
  }
  /** @return The C handle (NULL after a move). */
  const plexauth_connect_options *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_connect_options, plexauth_connect_options_free> h_;
};

/** An optional `const ConnectOptions &` argument: a ConnectOptions, or {} for the defaults. */
class ConnectOptionsRef {
 public:
  /** The defaults. */
  ConnectOptionsRef() noexcept = default;
  /** @param opts The options (read, or copied by an async connect, when the call starts). */
  ConnectOptionsRef(const ConnectOptions &opts) noexcept : p_(opts.raw()) {}  // NOLINT(google-explicit-constructor)
  /** @return The C handle, or NULL. */
  const plexauth_connect_options *raw() const noexcept { return p_; }

 private:
  const plexauth_connect_options *p_ = nullptr;
};

/** What happened to one candidate connection of Client::connect(). */
struct ConnectAttempt {
  std::string uri;       ///< The candidate's URI.
  std::string location;  ///< "local", "remote" or "relay".
  /** "ok" (answered as the server), "failed", "abandoned" (still running at the end) or "not_tried". */
  std::string outcome;
  Status status = Status::Ok;              ///< Why it failed (MalformedResponse: another server answered); Ok otherwise.
  std::optional<std::string> message;      ///< A failed candidate's error message.
  std::optional<std::chrono::milliseconds> started;  ///< When its probe started, from the start of the connect.
  std::optional<std::chrono::milliseconds> elapsed;  ///< How long its probe took, when it finished.
};

/**
 * The connection Client::connect() chose and what happened to every candidate
 * (plexauth_connect_result). Owns its C result (its token is wiped when it goes); move-only.
 */
class ConnectResult {
 public:
  /** The C type this class owns. */
  using c_type = plexauth_connect_result;
  /**
   * Takes ownership of a C result (freed with plexauth_connect_result_free()).
   * @param adopt The result, or NULL for an empty one.
   */
  explicit ConnectResult(plexauth_connect_result *adopt) noexcept : h_(adopt) {}
  /** @return The chosen base URI: use it as the server URL (CallOptions::server_url()). */
  std::string uri() const { return detail::str_or_empty(plexauth_connect_result_uri(raw())); }
  /** @return The token to use with the server (the resource's accessToken); std::nullopt for none (an owned server: use the account's). */
  std::optional<std::string> access_token() const {
    return detail::opt_str(plexauth_connect_result_access_token(raw()));
  }
  /** @return The server's machineIdentifier, as the server confirmed it. */
  std::string machine_identifier() const {
    return detail::str_or_empty(plexauth_connect_result_machine_identifier(raw()));
  }
  /** @return The server's name (the resource's). */
  std::string name() const { return detail::str_or_empty(plexauth_connect_result_name(raw())); }
  /** @return The server's version as its /identity answered ("" when not sent). */
  std::string version() const { return detail::str_or_empty(plexauth_connect_result_version(raw())); }
  /** @return The time the connect took. */
  std::chrono::milliseconds elapsed() const noexcept {
    return std::chrono::milliseconds(plexauth_connect_result_elapsed_ms(raw()));
  }
  /** @return Every candidate, in preference order (tried or not). */
  std::vector<ConnectAttempt> attempts() const {
    std::vector<ConnectAttempt> out;
    const std::size_t n = plexauth_connect_result_attempts_count(raw());
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      ConnectAttempt a;
      a.uri = detail::str_or_empty(plexauth_connect_result_attempt_uri(raw(), i));
      a.location = detail::str_or_empty(plexauth_connect_result_attempt_location(raw(), i));
      a.outcome = detail::str_or_empty(plexauth_connect_result_attempt_outcome(raw(), i));
      a.status = static_cast<Status>(plexauth_connect_result_attempt_status(raw(), i));
      a.message = detail::opt_str(plexauth_connect_result_attempt_message(raw(), i));
      std::int64_t ms = 0;
      if (plexauth_connect_result_attempt_started_ms(raw(), i, &ms)) a.started = std::chrono::milliseconds(ms);
      if (plexauth_connect_result_attempt_elapsed_ms(raw(), i, &ms)) a.elapsed = std::chrono::milliseconds(ms);
      out.push_back(std::move(a));
    }
    return out;
  }
  /** @return The whole result as compact JSON (plexauth_connect_result_json; it holds the access token). */
  std::string json() const { return detail::json_text(&plexauth_connect_result_json, raw()); }
  /** @return The C handle (NULL after a move). */
  const plexauth_connect_result *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_connect_result, plexauth_connect_result_free> h_;
};

/** Log levels (plexauth_log_level). */
enum class LogLevel : int {
  Error = PLEXAUTH_LOG_ERROR,  ///< Failed calls.
  Warn = PLEXAUTH_LOG_WARN,    ///< Dangerous settings, retries.
  Info = PLEXAUTH_LOG_INFO,    ///< One line per request and response.
  Debug = PLEXAUTH_LOG_DEBUG,  ///< Request and response dumps (redacted).
};

/** A log sink: called with each (redacted) message, possibly from several threads at once. */
using LogFn = std::function<void(LogLevel, std::string_view)>;
/** A token provider: the token for the next attempt, or std::nullopt for none; an exception fails the call. */
using TokenProviderFn = std::function<std::optional<std::string>()>;

class Client;

/** Client-wide settings (plexauth_config). Every setter copies its input and returns *this. */
class Config {
 public:
  /** The defaults (see plexauth_config). Throws plexauth::Error (out_of_memory). */
  Config() : h_(detail::make<plexauth_config, plexauth_config_free>(&plexauth_config_new, "config")) {}

  /** @param token X-Plex-Token (wiped when replaced); std::nullopt clears. @return *this. */
  Config &access_token(std::optional<std::string_view> token) {
    detail::check(plexauth_config_set_access_token(h_.get(), detail::CStr(token).get()), "access_token");
    return *this;
  }
  /**
   * A callback supplying the token on each attempt (replaces a fixed token); it runs on the
   * thread doing the request (a loop thread for async calls), possibly on several at once.
   * @param fn The provider; an empty function clears it.
   * @return *this.
   */
  Config &token_provider(TokenProviderFn fn) {
    if (!fn) {
      detail::check(plexauth_config_set_token_provider(h_.get(), nullptr, nullptr, nullptr), "token_provider");
      return *this;
    }
    auto holder = std::make_unique<TokenProviderFn>(std::move(fn));
    detail::check(plexauth_config_set_token_provider(h_.get(), &provide, holder.get(), &destroy_provider),
                  "token_provider");
    holder.release();  // owned by the config (and the clients made from it) now
    return *this;
  }
  /**
   * Makes a JwtSession the token of every call (plexauth_jwt_session_provider): each attempt
   * sends the session's current Plex JWT, refreshed when needed; a failed refresh fails the call
   * with Status::Callback. Replaces a fixed token or another provider. The Config and every
   * Client made from it keep the session (and the client it refreshes through) alive.
   * @param session The session.
   * @return *this. Throws plexauth::Error (invalid_argument for an empty session).
   */
  Config &jwt_session(const JwtSession &session) {
    if (!session.s_) throw Error(Status::InvalidArgument, "jwt_session: an empty JwtSession");
    auto holder = std::make_unique<std::shared_ptr<detail::JwtSessionState>>(session.s_);
    detail::check(plexauth_config_set_token_provider(h_.get(), &provide_jwt, holder.get(), &destroy_jwt_session),
                  "jwt_session");
    holder.release();  // owned by the config (and the clients made from it) now
    return *this;
  }
  /* BEGIN GENERATED: config identity (codegen/generate.py; edit codegen/api.py) */
  /**
   * The identity header X-Plex-Client-Identifier: Use one stable value per installation.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &client_id(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_client_id(h_.get(), detail::CStr(value).get()), "client_id");
    return *this;
  }
  /**
   * The identity header X-Plex-Product: The product (application) name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &client_name(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_client_name(h_.get(), detail::CStr(value).get()), "client_name");
    return *this;
  }
  /**
   * The identity header X-Plex-Version: The product's version.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &client_version(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_client_version(h_.get(), detail::CStr(value).get()), "client_version");
    return *this;
  }
  /**
   * The identity header X-Plex-Platform: The platform, e.g. "Linux".
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &platform(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_platform(h_.get(), detail::CStr(value).get()), "platform");
    return *this;
  }
  /**
   * The identity header X-Plex-Device: The device's friendly name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &device_nickname(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_device_nickname(h_.get(), detail::CStr(value).get()), "device_nickname");
    return *this;
  }
  /**
   * The identity header X-Plex-Device-Name: The device's name as shown in the account's device list.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  Config &device_name(std::optional<std::string_view> value) {
    detail::check(plexauth_config_set_device_name(h_.get(), detail::CStr(value).get()), "device_name");
    return *this;
  }
  /* END GENERATED: config identity */
  /** @param url The PMS base URL, e.g. "http://127.0.0.1:32400"; std::nullopt clears. @return *this. */
  Config &server_url(std::optional<std::string_view> url) {
    detail::check(plexauth_config_set_server_url(h_.get(), detail::CStr(url).get()), "server_url");
    return *this;
  }
  /**
   * The PMS protocol, used only when no server_url() is set (plexauth_config_set_server_protocol).
   * @param protocol "http" or "https"; std::nullopt restores "https".
   * @return *this.
   */
  Config &server_protocol(std::optional<std::string_view> protocol) {
    detail::check(plexauth_config_set_server_protocol(h_.get(), detail::CStr(protocol).get()), "server_protocol");
    return *this;
  }
  /**
   * The PMS host, used only when no server_url() is set (plexauth_config_set_server_ip). Name your
   * server: the default address is the seed's, not yours.
   * @param ip A host name or IP address (IPv6 without brackets too); std::nullopt restores the default.
   * @return *this.
   */
  Config &server_ip(std::optional<std::string_view> ip) {
    detail::check(plexauth_config_set_server_ip(h_.get(), detail::CStr(ip).get()), "server_ip");
    return *this;
  }
  /**
   * The PMS port, used only when no server_url() is set (plexauth_config_set_server_port).
   * @param port 1 .. 65535.
   * @return *this.
   */
  Config &server_port(int port) {
    detail::check(plexauth_config_set_server_port(h_.get(), port), "server_port");
    return *this;
  }
  /** @param url The plex.tv API base, e.g. "https://plex.tv/api/v2"; std::nullopt restores it. @return *this. */
  Config &plex_tv_url(std::optional<std::string_view> url) {
    detail::check(plexauth_config_set_plex_tv_url(h_.get(), detail::CStr(url).get()), "plex_tv_url");
    return *this;
  }
  /** @param url The clients.plex.tv API base; std::nullopt restores the default. @return *this. */
  Config &clients_url(std::optional<std::string_view> url) {
    detail::check(plexauth_config_set_clients_url(h_.get(), detail::CStr(url).get()), "clients_url");
    return *this;
  }
  /** @param ms The limit on connecting (0: none). @return *this. */
  Config &connect_timeout(std::chrono::milliseconds ms) {
    detail::check(plexauth_config_set_connect_timeout_ms(h_.get(), ms.count()), "connect_timeout");
    return *this;
  }
  /** @param ms The limit on each HTTP attempt (0: none). @return *this. */
  Config &timeout(std::chrono::milliseconds ms) {
    detail::check(plexauth_config_set_timeout_ms(h_.get(), ms.count()), "timeout");
    return *this;
  }
  /** @param retry The retry policy (copied). @return *this. */
  Config &retry(const Retry &retry) {
    detail::check(plexauth_config_set_retry(h_.get(), retry.raw()), "retry");
    return *this;
  }
  /** No retries for this client. @return *this. */
  Config &no_retries() {
    detail::check(plexauth_config_set_retry(h_.get(), nullptr), "retry");
    return *this;
  }
  /** @param bytes The cap on a response body (1 KiB .. 1 GiB). @return *this. */
  Config &max_response_bytes(std::size_t bytes) {
    detail::check(plexauth_config_set_max_response_bytes(h_.get(), bytes), "max_response_bytes");
    return *this;
  }
  /** @param path A PEM CA bundle; std::nullopt: the system's. @return *this. */
  Config &ca_bundle(std::optional<std::string_view> path) {
    detail::check(plexauth_config_set_ca_bundle(h_.get(), detail::CStr(path).get()), "ca_bundle");
    return *this;
  }
  /**
   * Disables TLS certificate verification (plexauth_config_set_insecure_skip_tls_verify).
   * Dangerous: every client made with it logs a warning. Prefer ca_bundle() for a private CA.
   * @param insecure true disables verification; false (the default) verifies.
   * @return *this.
   */
  Config &insecure_skip_tls_verify(bool insecure) {
    detail::check(plexauth_config_set_insecure_skip_tls_verify(h_.get(), insecure ? 1 : 0),
                  "insecure_skip_tls_verify");
    return *this;
  }
  /** @param use Whether the proxy environment variables are honoured (default true). @return *this. */
  Config &use_env_proxy(bool use) {
    detail::check(plexauth_config_set_use_env_proxy(h_.get(), use ? 1 : 0), "use_env_proxy");
    return *this;
  }
  /**
   * @param pin Whether a-b-c-d.HASH.plex.direct hosts connect to the address they encode,
   *   without DNS (default true; TLS is still verified for the name). @return *this.
   */
  Config &pin_plex_direct(bool pin) {
    detail::check(plexauth_config_set_pin_plex_direct(h_.get(), pin ? 1 : 0), "pin_plex_direct");
    return *this;
  }
  /**
   * A log sink (messages are redacted). The Config and every Client made from it keep it alive.
   * @param max_level The most verbose level delivered.
   * @param fn The sink; an empty function turns logging off.
   * @return *this.
   */
  Config &log(LogLevel max_level, LogFn fn) {
    if (!fn) {
      detail::check(plexauth_config_set_log(h_.get(), static_cast<plexauth_log_level>(max_level), nullptr, nullptr),
                    "log");
      log_.reset();
      return *this;
    }
    auto holder = std::make_shared<LogFn>(std::move(fn));
    detail::check(plexauth_config_set_log(h_.get(), static_cast<plexauth_log_level>(max_level), &write_log,
                                          holder.get()),
                  "log");
    log_ = std::move(holder);
    return *this;
  }
  /** @return The C handle (NULL after a move). */
  const plexauth_config *raw() const noexcept { return h_.get(); }

 private:
  friend class Client;
  static int provide(void *user_data, plexauth_token_sink *sink) noexcept {
    try {
      std::optional<std::string> token = (*static_cast<TokenProviderFn *>(user_data))();
      if (!token) return 0;
      const plexauth_status s = plexauth_token_sink_set(sink, token->data(), token->size());
      volatile char *p = token->data();
      for (std::size_t i = 0; i < token->size(); ++i) p[i] = 0;
      return s == PLEXAUTH_OK ? 0 : 1;
    } catch (...) {
      return 1;
    }
  }
  static void destroy_provider(void *user_data) noexcept { delete static_cast<TokenProviderFn *>(user_data); }
  static int provide_jwt(void *user_data, plexauth_token_sink *sink) noexcept {
    return plexauth_jwt_session_provider(
        (*static_cast<std::shared_ptr<detail::JwtSessionState> *>(user_data))->session, sink);
  }
  static void destroy_jwt_session(void *user_data) noexcept {
    delete static_cast<std::shared_ptr<detail::JwtSessionState> *>(user_data);
  }
  static void write_log(void *user_data, plexauth_log_level level, const char *message) noexcept {
    try {
      (*static_cast<LogFn *>(user_data))(static_cast<LogLevel>(level), message ? message : "");
    } catch (...) {  // a sink's exception must not cross the C library
    }
  }
  std::shared_ptr<LogFn> log_;  // declared first: outlives the handle
  detail::Ptr<plexauth_config, plexauth_config_free> h_;
};

/** Per-call settings (plexauth_call_options): token, identity, timeout, retry, cancel token. */
class CallOptions {
 public:
  /** None set. Throws plexauth::Error (out_of_memory). */
  CallOptions()
      : h_(detail::make<plexauth_call_options, plexauth_call_options_free>(&plexauth_call_options_new,
                                                                          "call options")) {}
  /** @param token X-Plex-Token for these calls only (wiped when replaced); std::nullopt clears. @return *this. */
  CallOptions &access_token(std::optional<std::string_view> token) {
    detail::check(plexauth_call_options_set_access_token(h_.get(), detail::CStr(token).get()), "access_token");
    return *this;
  }
  /** @param url The PMS base URL for these calls; std::nullopt clears. @return *this. */
  CallOptions &server_url(std::optional<std::string_view> url) {
    detail::check(plexauth_call_options_set_server_url(h_.get(), detail::CStr(url).get()), "server_url");
    return *this;
  }
  /** @param ms The per-attempt timeout (0: none). @return *this. */
  CallOptions &timeout(std::chrono::milliseconds ms) {
    detail::check(plexauth_call_options_set_timeout_ms(h_.get(), ms.count()), "timeout");
    return *this;
  }
  /** @param retry The retry policy for these calls (copied). @return *this. */
  CallOptions &retry(const Retry &retry) {
    detail::check(plexauth_call_options_set_retry(h_.get(), retry.raw()), "retry");
    return *this;
  }
  /** No retries for these calls. @return *this. */
  CallOptions &no_retries() {
    detail::check(plexauth_call_options_set_retry(h_.get(), nullptr), "retry");
    return *this;
  }
  /** Back to the client's retry policy, undoing retry() and no_retries() (plexauth_call_options_clear_retry). @return *this. */
  CallOptions &client_retry() {
    detail::check(plexauth_call_options_clear_retry(h_.get()), "retry");
    return *this;
  }
  /** @param cancel A cancel token for these calls (a reference is kept). @return *this. */
  CallOptions &cancel(const Cancel &cancel) {
    detail::check(plexauth_call_options_set_cancel(h_.get(), cancel.raw()), "cancel");
    return *this;
  }
  /* BEGIN GENERATED: call options identity (codegen/generate.py; edit codegen/api.py) */
  /**
   * The identity header X-Plex-Client-Identifier: Use one stable value per installation.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &client_id(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_client_id(h_.get(), detail::CStr(value).get()), "client_id");
    return *this;
  }
  /**
   * The identity header X-Plex-Product: The product (application) name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &client_name(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_client_name(h_.get(), detail::CStr(value).get()), "client_name");
    return *this;
  }
  /**
   * The identity header X-Plex-Version: The product's version.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &client_version(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_client_version(h_.get(), detail::CStr(value).get()), "client_version");
    return *this;
  }
  /**
   * The identity header X-Plex-Platform: The platform, e.g. "Linux".
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &platform(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_platform(h_.get(), detail::CStr(value).get()), "platform");
    return *this;
  }
  /**
   * The identity header X-Plex-Device: The device's friendly name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &device_nickname(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_device_nickname(h_.get(), detail::CStr(value).get()), "device_nickname");
    return *this;
  }
  /**
   * The identity header X-Plex-Device-Name: The device's name as shown in the account's device list.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  CallOptions &device_name(std::optional<std::string_view> value) {
    detail::check(plexauth_call_options_set_device_name(h_.get(), detail::CStr(value).get()), "device_name");
    return *this;
  }
  /* END GENERATED: call options identity */
  /** @return The C handle (NULL after a move). */
  const plexauth_call_options *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_call_options, plexauth_call_options_free> h_;
};

/** A sign-in request (plexauth_sign_in); the password and the code are wiped when it goes away. */
class SignIn {
 public:
  /** Empty. Throws plexauth::Error (out_of_memory). */
  SignIn() : h_(detail::make<plexauth_sign_in, plexauth_sign_in_free>(&plexauth_sign_in_new, "sign-in")) {}
  /** @param login The e-mail or user name. @return *this. */
  SignIn &login(std::string_view login) {
    detail::check(plexauth_sign_in_set_login(h_.get(), detail::CStr(login).get()), "login");
    return *this;
  }
  /** @param password The password (read it from a prompt, never argv). @return *this. */
  SignIn &password(std::string_view password) {
    detail::check(plexauth_sign_in_set_password(h_.get(), detail::CStr(password).get()), "password");
    return *this;
  }
  /** @param on A long-lived token. @return *this. */
  SignIn &remember_me(bool on) {
    detail::check(plexauth_sign_in_set_remember_me(h_.get(), on ? 1 : 0), "remember_me");
    return *this;
  }
  /** @param code The 2FA code (after Status::TwoFactorRequired); std::nullopt clears. @return *this. */
  SignIn &verification_code(std::optional<std::string_view> code) {
    detail::check(plexauth_sign_in_set_verification_code(h_.get(), detail::CStr(code).get()), "verification_code");
    return *this;
  }
  /* BEGIN GENERATED: sign-in identity (codegen/generate.py; edit codegen/api.py) */
  /**
   * The identity header X-Plex-Client-Identifier: Use one stable value per installation.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &client_id(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_client_id(h_.get(), detail::CStr(value).get()), "client_id");
    return *this;
  }
  /**
   * The identity header X-Plex-Product: The product (application) name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &client_name(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_client_name(h_.get(), detail::CStr(value).get()), "client_name");
    return *this;
  }
  /**
   * The identity header X-Plex-Version: The product's version.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &client_version(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_client_version(h_.get(), detail::CStr(value).get()), "client_version");
    return *this;
  }
  /**
   * The identity header X-Plex-Platform: The platform, e.g. "Linux".
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &platform(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_platform(h_.get(), detail::CStr(value).get()), "platform");
    return *this;
  }
  /**
   * The identity header X-Plex-Device: The device's friendly name.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &device_nickname(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_device_nickname(h_.get(), detail::CStr(value).get()), "device_nickname");
    return *this;
  }
  /**
   * The identity header X-Plex-Device-Name: The device's name as shown in the account's device list.
   *
   * @param value UTF-8; std::nullopt clears the setting.
   * @return *this. Throws plexauth::Error (invalid_argument) for a value the library refuses.
   */
  SignIn &device_name(std::optional<std::string_view> value) {
    detail::check(plexauth_sign_in_set_device_name(h_.get(), detail::CStr(value).get()), "device_name");
    return *this;
  }
  /* END GENERATED: sign-in identity */
  /** @return The C handle (NULL after a move). */
  const plexauth_sign_in *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_sign_in, plexauth_sign_in_free> h_;
};

/**
 * An event loop running many calls on one thread (plexauth_loop). Thread mode: the loop owns
 * a thread, where completions run. External mode: the host watches fd() (or waits timeout())
 * and calls process(), which runs completions on the calling thread. Destroying it cancels
 * the calls still in flight (their completions run first, with Status::Cancelled).
 */
class Loop {
 public:
  /** The two modes. */
  enum class Mode : int {
    Thread = PLEXAUTH_LOOP_THREAD,     ///< The loop owns a thread.
    External = PLEXAUTH_LOOP_EXTERNAL  ///< The host drives it.
  };
  /** @param mode Its mode. Throws plexauth::Error. */
  explicit Loop(Mode mode = Mode::Thread) {
    plexauth_loop *raw = nullptr;
    plexauth_error *err = nullptr;
    const plexauth_status s = plexauth_loop_new(&raw, static_cast<int>(mode), &err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
    h_.reset(raw);
  }
  /** @return The descriptor to watch for readability (external mode); -1 after a move. */
  int fd() const noexcept { return plexauth_loop_fd(h_.get()); }
  /** @return How long the host may wait before process(); std::nullopt: wait for fd() only. */
  std::optional<std::chrono::milliseconds> timeout() const noexcept {
    const std::int64_t t = plexauth_loop_timeout_ms(h_.get());
    return t < 0 ? std::nullopt : std::optional<std::chrono::milliseconds>(std::chrono::milliseconds(t));
  }
  /** Runs what is due without blocking (external mode), completions included. Throws plexauth::Error. */
  void process() {
    plexauth_error *err = nullptr;
    const plexauth_status s = plexauth_loop_process(h_.get(), &err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
  }
  /**
   * Blocks until no call is pending, driving the loop in external mode.
   * @param limit The longest wait; std::nullopt: no limit.
   * @return true when nothing is pending, false when the limit passed first.
   */
  bool run(std::optional<std::chrono::milliseconds> limit = std::nullopt) {
    plexauth_error *err = nullptr;
    const plexauth_status s = plexauth_loop_run(h_.get(), limit ? limit->count() : -1, &err);
    if (s == PLEXAUTH_E_TIMEOUT) {
      plexauth_error_free(err);
      return false;
    }
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
    return true;
  }
  /** @return The calls started on it and not completed yet (a connect or a JWT login counts once). */
  std::size_t pending() const noexcept { return plexauth_loop_pending(h_.get()); }
  /** @return The C handle (NULL after a move). */
  plexauth_loop *raw() const noexcept { return h_.get(); }

 private:
  detail::Ptr<plexauth_loop, plexauth_loop_free> h_;
};

/** An optional `const CallOptions &` argument: a CallOptions, or {} for none. */
class CallOptionsRef {
 public:
  /** None. */
  CallOptionsRef() noexcept = default;
  /** @param opts The options (used during the call to copy them). */
  CallOptionsRef(const CallOptions &opts) noexcept : p_(opts.raw()) {}  // NOLINT(google-explicit-constructor)
  /** @return The C handle, or NULL. */
  const plexauth_call_options *raw() const noexcept { return p_; }

 private:
  const plexauth_call_options *p_ = nullptr;
};

/** An optional `Loop &` argument: a Loop, or {} for the client's own. */
class LoopRef {
 public:
  /** The client's own loop. */
  LoopRef() noexcept = default;
  /** @param loop The loop (it must outlive the call's start). */
  LoopRef(Loop &loop) noexcept : p_(loop.raw()) {}  // NOLINT(google-explicit-constructor)
  /** @return The C handle, or NULL. */
  plexauth_loop *raw() const noexcept { return p_; }

 private:
  plexauth_loop *p_ = nullptr;
};

namespace detail {

// The pending side of an async call, shared by the Call handle and the C
// completion callback. The callback owns the plexauth_call: it takes the
// outcome, marks the state completed, frees the call and then delivers; the
// handle may cancel until then (under the mutex, so never after the free).
struct CallState {
  std::mutex mu;
  plexauth_call *call = nullptr;
  bool completed = false;
  virtual ~CallState() = default;
  virtual void complete(plexauth_call *call) noexcept = 0;
  void cancel() {
    std::lock_guard<std::mutex> lock(mu);
    if (!completed && call) plexauth_call_cancel(call);
  }
  bool done() {
    std::lock_guard<std::mutex> lock(mu);
    return completed;
  }
  // Called first in complete(): from here on the handle leaves the call alone.
  void release(plexauth_call *c) {
    {
      std::lock_guard<std::mutex> lock(mu);
      completed = true;
      call = nullptr;
    }
    plexauth_call_free(c);
  }
  static void on_done(plexauth_call *c, void *user_data) noexcept {
    std::unique_ptr<std::shared_ptr<CallState>> keep(static_cast<std::shared_ptr<CallState> *>(user_data));
    (*keep)->complete(c);
  }
};

template <class R, class Finish>
Result<R> finish(Finish fn, plexauth_call *call) {
  plexauth_error *err = nullptr;
  if constexpr (std::is_void_v<R>) {
    const plexauth_status s = fn(call, &err);
    if (s != PLEXAUTH_OK) return Error::adopt(s, err);
    return Result<void>();
  } else {
    typename R::c_type *out = nullptr;
    const plexauth_status s = fn(&out, call, &err);
    if (s != PLEXAUTH_OK) return Error::adopt(s, err);
    return R(out);
  }
}

template <class R, class Finish>
struct CallbackState final : CallState {
  CallbackState(Finish f, std::function<void(Result<R>)> d) : fin(f), done_fn(std::move(d)) {}
  void complete(plexauth_call *c) noexcept override {
    try {
      Result<R> r = finish<R>(fin, c);
      release(c);
      if (done_fn) done_fn(std::move(r));
    } catch (...) {  // an exception (bad_alloc, or thrown by done) must not cross the C library
      release_if_held(c);
    }
  }
  void release_if_held(plexauth_call *c) noexcept {
    bool held = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      held = !completed;
      completed = true;
      call = nullptr;
    }
    if (held) plexauth_call_free(c);
  }
  Finish fin;
  std::function<void(Result<R>)> done_fn;
};

template <class R, class Finish, class Start>
std::shared_ptr<CallState> start(Finish fin, std::function<void(Result<R>)> done, Start &&start_fn) {
  auto state = std::make_shared<CallbackState<R, Finish>>(fin, std::move(done));
  auto keep = std::make_unique<std::shared_ptr<CallState>>(state);
  plexauth_call *call = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status s = start_fn(&call, &CallState::on_done, keep.get(), &err);
  if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
  keep.release();  // the completion callback owns it now
  std::lock_guard<std::mutex> lock(state->mu);
  if (!state->completed) state->call = call;
  return state;
}

}  // namespace detail

/**
 * A call started by an OP_async(..., done) method. Dropping it neither waits for nor cancels
 * the call; cancel() asks it to end with Status::Cancelled (then `done` still runs once).
 */
class Call {
 public:
  /** No call (done() is true). */
  Call() = default;
  /** Asks the call to stop, unless it completed. Any thread. */
  void cancel() const {
    if (s_) s_->cancel();
  }
  /** @return Whether it completed (its `done` is running or has run). */
  bool done() const { return s_ ? s_->done() : true; }

 private:
  friend class Client;
  explicit Call(std::shared_ptr<detail::CallState> s) : s_(std::move(s)) {}
  std::shared_ptr<detail::CallState> s_;
};

namespace detail {

template <class R, class Fn>
R call(Fn &&fn) {
  plexauth_error *err = nullptr;
  if constexpr (std::is_void_v<R>) {
    const plexauth_status s = fn(&err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
  } else {
    typename R::c_type *out = nullptr;
    const plexauth_status s = fn(&out, &err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
    return R(out);
  }
}

template <class R, class Fn>
Result<R> try_call(Fn &&fn) try {
  plexauth_error *err = nullptr;
  if constexpr (std::is_void_v<R>) {
    const plexauth_status s = fn(&err);
    if (s != PLEXAUTH_OK) return Error::adopt(s, err);
    return Result<void>();
  } else {
    typename R::c_type *out = nullptr;
    const plexauth_status s = fn(&out, &err);
    if (s != PLEXAUTH_OK) return Error::adopt(s, err);
    return R(out);
  }
} catch (const Error &e) {  // an argument refused before the C call
  return e;
}

}  // namespace detail

template <class T>
class Future;
namespace detail {
template <class R, class Finish, class Start>
Future<R> start_future(Finish fin, Start &&start_fn);
}  // namespace detail

/**
 * The future outcome of an OP_async(...) call: a std::future of its Result<T>, whose get()
 * returns the value or throws the Error on the thread that asks. (The outcome crosses threads
 * as a value, never as a std::exception_ptr.) Move-only, like std::future.
 * @tparam T The operation's result type (void for link_pin, sign_out).
 */
template <class T>
class Future {
 public:
  /** No shared state (valid() is false). */
  Future() = default;
  /** @return The value once ready (blocks until then); throws the call's Error. Once. */
  T get() {
    Result<T> r = f_.get();
    if constexpr (std::is_void_v<T>) {
      r.value();
    } else {
      return std::move(r).value();
    }
  }
  /** @return The outcome once ready (blocks until then), without throwing the call's Error. Once. */
  Result<T> try_get() { return f_.get(); }
  /** @return Whether it refers to an outcome not taken yet. */
  bool valid() const noexcept { return f_.valid(); }
  /** Blocks until the outcome is ready. */
  void wait() const { f_.wait(); }
  /** @param d The longest wait. @return std::future_status::ready or timeout. */
  template <class Rep, class Period>
  std::future_status wait_for(const std::chrono::duration<Rep, Period> &d) const {
    return f_.wait_for(d);
  }
  /** @param t The deadline. @return std::future_status::ready or timeout. */
  template <class Clock, class Duration>
  std::future_status wait_until(const std::chrono::time_point<Clock, Duration> &t) const {
    return f_.wait_until(t);
  }
  /** @return The underlying std::future of the Result (moved out; this becomes invalid). */
  std::future<Result<T>> release() noexcept { return std::move(f_); }

 private:
  template <class R, class Finish, class Start>
  friend Future<R> detail::start_future(Finish fin, Start &&start_fn);
  explicit Future(std::future<Result<T>> f) : f_(std::move(f)) {}
  std::future<Result<T>> f_;
};

namespace detail {
template <class R, class Finish, class Start>
Future<R> start_future(Finish fin, Start &&start_fn) {
  auto promise = std::make_shared<std::promise<Result<R>>>();
  Future<R> future(promise->get_future());
  start<R>(fin, std::function<void(Result<R>)>([promise](Result<R> r) { promise->set_value(std::move(r)); }),
           std::forward<Start>(start_fn));
  return future;
}
}  // namespace detail

/**
 * A client (plexauth_client): connections, settings and the operations. Safe to share
 * between threads. Must outlive the calls it runs (destroying it cancels those on its
 * own loop).
 */
class Client {
 public:
  /** @param config The settings (copied). Throws plexauth::Error. */
  explicit Client(const Config &config) {
    plexauth_client *raw = nullptr;
    plexauth_error *err = nullptr;
    const plexauth_status s = plexauth_client_new(&raw, config.raw(), &err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
    // The deleter keeps the log sink alive until the C client is gone, which
    // may be after this object: a JwtSession shares the handle.
    h_ = std::shared_ptr<plexauth_client>(raw, [log = config.log_](plexauth_client *c) noexcept {
      plexauth_client_free(c);
      static_cast<void>(log);
    });
  }
  Client(const Client &) = delete;
  Client &operator=(const Client &) = delete;
  /** Moves the client; the moved-from one holds nothing (calls fail with Status::InvalidArgument). */
  Client(Client &&) noexcept = default;
  /** Moves the client. @return *this. */
  Client &operator=(Client &&) noexcept = default;
  /** @return The C handle (NULL after a move). */
  plexauth_client *raw() const noexcept { return h_.get(); }

  /**
   * The hosted login page's URL for a PIN's code (plexauth_login_url).
   * @param code The code of a strong PIN.
   * @param forward_url Where the page sends the browser afterwards, or std::nullopt.
   * @return The URL. Throws plexauth::Error.
   */
  std::string login_url(std::string_view code, std::optional<std::string_view> forward_url = std::nullopt) const {
    detail::CStr c(code), f(forward_url);
    std::size_t needed = 0;
    plexauth_error *err = nullptr;
    plexauth_status s = plexauth_login_url(raw(), c.get(), f.get(), nullptr, 0, &needed, &err);
    if (s != PLEXAUTH_OK && needed == 0) throw Error::adopt(s, err);
    plexauth_error_free(err);
    err = nullptr;
    std::string url(needed, '\0');
    s = plexauth_login_url(raw(), c.get(), f.get(), url.data(), url.size(), &needed, &err);
    if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
    url.resize(std::char_traits<char>::length(url.c_str()));
    return url;
  }

  /** Told the code and the seconds left while wait_for_pin() polls; return false to stop. */
  using PinProgressFn = std::function<bool(std::string_view code, std::int64_t seconds_left)>;

  /**
   * Polls a PIN until the user approved it (plexauth_client_wait_for_pin). Blocks.
   * @param id The PIN's id.
   * @param poll_interval The wait between polls.
   * @param limit Give up after this long.
   * @param progress Told the code before each wait (may be empty); false stops (Status::Cancelled).
   * @param opts Per-call options, or none.
   * @return The approved Pin (its auth_token set). Throws plexauth::Error.
   */
  Pin wait_for_pin(std::int64_t id, std::chrono::milliseconds poll_interval, std::chrono::milliseconds limit,
                   PinProgressFn progress = {}, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_wait_for_pin(out, raw(), id, poll_interval.count(), limit.count(),
                                          progress ? &on_progress : nullptr, &progress, opts.raw(), err);
    });
  }

  /**
   * wait_for_pin() for a PIN made with a device key's JWK (create_jwk_pin): PIN login with the
   * key and no legacy token (plexauth_client_wait_for_jwk_pin). Each poll proves the key with a
   * device JWT (redacted from every log line and message). Once approved, the Pin's auth_token()
   * is a Plex JWT for the key (check it with jwt_verify()), and a JwtSession with the same key
   * refreshes it from then on. Blocks.
   * @param id The PIN's id.
   * @param key The device key whose JWK the PIN carries.
   * @param poll_interval The wait between polls.
   * @param limit Give up after this long.
   * @param progress Told the code before each wait (may be empty); false stops (Status::Cancelled).
   * @param opts Per-call options, or none.
   * @return The approved Pin. Throws plexauth::Error (as wait_for_pin(); unauthorized when plex.tv
   *   refuses the device JWT).
   */
  Pin wait_for_jwk_pin(std::int64_t id, const DeviceKey &key, std::chrono::milliseconds poll_interval,
                       std::chrono::milliseconds limit, PinProgressFn progress = {}, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_wait_for_jwk_pin(out, raw(), id, key.raw(), poll_interval.count(), limit.count(),
                                              progress ? &on_progress : nullptr, &progress, opts.raw(), err);
    });
  }
  /**
   * wait_for_jwk_pin() without exceptions for the wait's failures.
   * @param id The PIN's id.
   * @param key The device key whose JWK the PIN carries.
   * @param poll_interval The wait between polls.
   * @param limit Give up after this long.
   * @param progress Told the code before each wait (may be empty); false stops (Status::Cancelled).
   * @param opts Per-call options, or none.
   * @return The approved Pin or the plexauth::Error.
   */
  Result<Pin> try_wait_for_jwk_pin(std::int64_t id, const DeviceKey &key, std::chrono::milliseconds poll_interval,
                                   std::chrono::milliseconds limit, PinProgressFn progress = {},
                                   CallOptionsRef opts = {}) const {
    return detail::try_call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_wait_for_jwk_pin(out, raw(), id, key.raw(), poll_interval.count(), limit.count(),
                                              progress ? &on_progress : nullptr, &progress, opts.raw(), err);
    });
  }

  /**
   * Registers the device key's public JWK for the client's token's account and device
   * (plexauth_client_register_device_key): JWT logins with the key work from then on. That
   * device's legacy token stops working once a JWT is issued for it (docs/jwt.md).
   * @param key The key.
   * @param opts Per-call options, or none.
   * Throws plexauth::Error (unauthorized: a bad token, or the key is taken by another device).
   */
  void register_device_key(const DeviceKey &key, CallOptionsRef opts = {}) const {
    detail::call<void>([&](plexauth_error **err) {
      return plexauth_client_register_device_key(raw(), key.raw(), opts.raw(), err);
    });
  }
  /**
   * register_device_key() without exceptions for the call's failures.
   * @param key The key.
   * @param opts Per-call options, or none.
   * @return Success or the plexauth::Error.
   */
  Result<void> try_register_device_key(const DeviceKey &key, CallOptionsRef opts = {}) const {
    return detail::try_call<void>([&](plexauth_error **err) {
      return plexauth_client_register_device_key(raw(), key.raw(), opts.raw(), err);
    });
  }

  /**
   * Gets a Plex JWT for this device with its registered key (plexauth_client_jwt_login): a nonce,
   * a device JWT signed with the key, and the exchange. It is also the refresh; no token is sent.
   * @param key The registered device key.
   * @param scope The claims to ask for, comma-separated, or std::nullopt for the default.
   * @param opts Per-call options for the two requests, or none.
   * @return The JwtToken: auth_token() is the Plex JWT (a secret; jwt_verify() gives its expiry).
   *   Throws plexauth::Error (unauthorized: key not registered or signature refused;
   *   jwt_issuer_mismatch; token_expired; rate_limited; a call's statuses).
   */
  JwtToken jwt_login(const DeviceKey &key, std::optional<std::string_view> scope = std::nullopt,
                     CallOptionsRef opts = {}) const {
    return detail::call<JwtToken>([&](plexauth_jwt_token **out, plexauth_error **err) {
      return plexauth_client_jwt_login(out, raw(), key.raw(), detail::CStr(scope).get(), opts.raw(), err);
    });
  }
  /**
   * jwt_login() without exceptions for the call's failures.
   * @param key The registered device key.
   * @param scope The claims to ask for, or std::nullopt for the default.
   * @param opts Per-call options, or none.
   * @return The JwtToken or the plexauth::Error.
   */
  Result<JwtToken> try_jwt_login(const DeviceKey &key, std::optional<std::string_view> scope = std::nullopt,
                                 CallOptionsRef opts = {}) const {
    return detail::try_call<JwtToken>([&](plexauth_jwt_token **out, plexauth_error **err) {
      return plexauth_client_jwt_login(out, raw(), key.raw(), detail::CStr(scope).get(), opts.raw(), err);
    });
  }
  /**
   * jwt_login() without blocking: the nonce, then the exchange, on `loop`
   * (plexauth_client_jwt_login_start). The key may be dropped at once (the call keeps its own
   * reference); the scope and the options are copied.
   * @param key The registered device key.
   * @param scope The claims to ask for, or std::nullopt for the default.
   * @param opts Per-call options for the two requests, or none.
   * @param loop The Loop to run on, or none for the client's own.
   * @return A Future of the JwtToken (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the login could not be started (no client identifier, say).
   */
  Future<JwtToken> jwt_login_async(const DeviceKey &key, std::optional<std::string_view> scope = std::nullopt,
                                   CallOptionsRef opts = {}, LoopRef loop = {}) const {
    detail::CStr sc(scope);
    return detail::start_future<JwtToken>(
        &plexauth_client_jwt_login_finish,
        [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
          return plexauth_client_jwt_login_start(c_call, raw(), key.raw(), sc.get(), opts.raw(), loop.raw(), c_done,
                                                 c_user_data, c_err);
        });
  }
  /**
   * jwt_login() without blocking; `done` runs once with its outcome (on the loop's thread, or
   * inside Loop::process() for an external loop).
   * @param key The registered device key.
   * @param done Receives the outcome; must not throw.
   * @param scope The claims to ask for, or std::nullopt for the default.
   * @param opts Per-call options, or none.
   * @param loop The Loop to run on, or none for the client's own.
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the
   *   login could not be started.
   */
  Call jwt_login_async(const DeviceKey &key, std::function<void(Result<JwtToken>)> done,
                       std::optional<std::string_view> scope = std::nullopt, CallOptionsRef opts = {},
                       LoopRef loop = {}) const {
    detail::CStr sc(scope);
    return Call(detail::start<JwtToken>(
        &plexauth_client_jwt_login_finish, std::move(done),
        [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
          return plexauth_client_jwt_login_start(c_call, raw(), key.raw(), sc.get(), opts.raw(), loop.raw(), c_done,
                                                 c_user_data, c_err);
        }));
  }

  /**
   * Verifies a Plex JWT against plex.tv's published keys (plexauth_client_jwt_verify; the key set
   * is cached for an hour, read again once for a key it does not know): EdDSA, the signature, iss,
   * aud, exp and iat (60 s leeway).
   * @param jwt The Plex JWT.
   * @param opts Per-call options for reading the keys, or none.
   * @return Its exp claim (Unix seconds). Throws plexauth::Error: token_expired; jwt_invalid, whose
   *   message() names the check that failed (malformed, algorithm, unknown_key, signature, issuer,
   *   audience, not_yet_valid, missing_claim); a call's statuses for reading the keys.
   */
  std::int64_t jwt_verify(std::string_view jwt, CallOptionsRef opts = {}) const {
    return verify(jwt, nullptr, opts);
  }
  /**
   * jwt_verify(), also checking that the JWT was issued for this device key (its thumbprint claim).
   * @param jwt The Plex JWT.
   * @param key The device key.
   * @param opts Per-call options for reading the keys, or none.
   * @return Its exp claim (Unix seconds). Throws plexauth::Error as jwt_verify() (jwt_invalid naming
   *   "thumbprint" for a JWT of another key).
   */
  std::int64_t jwt_verify(std::string_view jwt, const DeviceKey &key, CallOptionsRef opts = {}) const {
    return verify(jwt, key.raw(), opts);
  }
  /**
   * jwt_verify() without exceptions for the failed checks.
   * @param jwt The Plex JWT.
   * @param opts Per-call options for reading the keys, or none.
   * @return Its exp claim (Unix seconds), or the plexauth::Error.
   */
  Result<std::int64_t> try_jwt_verify(std::string_view jwt, CallOptionsRef opts = {}) const {
    return detail::as_result<std::int64_t>([&] { return verify(jwt, nullptr, opts); });
  }
  /**
   * jwt_verify() with the device key, without exceptions for the failed checks.
   * @param jwt The Plex JWT.
   * @param key The device key.
   * @param opts Per-call options for reading the keys, or none.
   * @return Its exp claim (Unix seconds), or the plexauth::Error.
   */
  Result<std::int64_t> try_jwt_verify(std::string_view jwt, const DeviceKey &key, CallOptionsRef opts = {}) const {
    return detail::as_result<std::int64_t>([&] { return verify(jwt, key.raw(), opts); });
  }

  /**
   * Finds a working connection to a server of list_resources (plexauth_client_connect): its
   * connections in preference order (local, remote, relay; https first; the remembered one first),
   * probed with GET {uri}/identity, staggered; the best that answers as that server wins. Blocks.
   * @param resource The server: a device of list_resources() or resources_from_json().
   * @param opts Connect options, or {} for the defaults.
   * @return The chosen connection and a report per candidate. Throws plexauth::Error
   *   (unreachable: nothing answered as that server by the deadline, the message has a line per
   *   candidate; cancelled; invalid_argument: a resource without clientIdentifier).
   */
  ConnectResult connect(const Resource &resource, ConnectOptionsRef opts = {}) const {
    return detail::call<ConnectResult>([&](plexauth_connect_result **out, plexauth_error **err) {
      return plexauth_client_connect(out, raw(), resource.raw(), opts.raw(), err);
    });
  }
  /**
   * connect() without exceptions for its failures.
   * @param resource The server.
   * @param opts Connect options, or {} for the defaults.
   * @return The ConnectResult or the plexauth::Error.
   */
  Result<ConnectResult> try_connect(const Resource &resource, ConnectOptionsRef opts = {}) const {
    return detail::try_call<ConnectResult>([&](plexauth_connect_result **out, plexauth_error **err) {
      return plexauth_client_connect(out, raw(), resource.raw(), opts.raw(), err);
    });
  }
  /**
   * connect() without blocking: starts it on `loop` and returns at once
   * (plexauth_client_connect_start). The resource and the options are copied.
   * @param resource The server.
   * @param opts Connect options, or {} for the defaults.
   * @param loop The Loop to run on, or none for the client's own.
   * @return A Future of the ConnectResult (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the connect could not be started.
   */
  Future<ConnectResult> connect_async(const Resource &resource, ConnectOptionsRef opts = {},
                                      LoopRef loop = {}) const {
    return detail::start_future<ConnectResult>(
        &plexauth_client_connect_finish,
        [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
          return plexauth_client_connect_start(c_call, raw(), resource.raw(), opts.raw(), loop.raw(), c_done,
                                               c_user_data, c_err);
        });
  }
  /**
   * connect() without blocking; `done` runs once with its outcome (on the loop's thread, or inside
   * Loop::process() for an external loop).
   * @param resource The server.
   * @param done Receives the outcome; must not throw.
   * @param opts Connect options, or {} for the defaults.
   * @param loop The Loop to run on, or none for the client's own.
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the
   *   connect could not be started.
   */
  Call connect_async(const Resource &resource, std::function<void(Result<ConnectResult>)> done,
                     ConnectOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<ConnectResult>(
        &plexauth_client_connect_finish, std::move(done),
        [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
          return plexauth_client_connect_start(c_call, raw(), resource.raw(), opts.raw(), loop.raw(), c_done,
                                               c_user_data, c_err);
        }));
  }

  /* BEGIN GENERATED: operations (codegen/generate.py; edit codegen/api.py) */
  // get_transient_token
  /**
   * A temporary token with the caller's access level (valid up to 48 h, lost when the server
   * restarts). Blocks until the call (with its retries) ends; see
   * plexauth_client_get_transient_token().
   *
   * @param type "delegation", the only documented value. (std::nullopt: "delegation")
   * @param scope "all", the only documented value. (std::nullopt: "all")
   * @param opts Per-call options (a CallOptions), or none.
   * @return The TransientToken. Throws plexauth::Error on failure.
   */
  TransientToken get_transient_token(std::optional<std::string_view> type = std::nullopt, std::optional<std::string_view> scope = std::nullopt, CallOptionsRef opts = {}) const {
    return detail::call<TransientToken>([&](plexauth_transient_token **out, plexauth_error **err) {
      return plexauth_client_get_transient_token(out, raw(), detail::CStr(type).get(), detail::CStr(scope).get(), opts.raw(), err);
    });
  }
  /**
   * get_transient_token() without exceptions for the call's failures.
   *
   * @param type "delegation", the only documented value. (std::nullopt: "delegation")
   * @param scope "all", the only documented value. (std::nullopt: "all")
   * @param opts Per-call options (a CallOptions), or none.
   * @return The TransientToken or the plexauth::Error.
   */
  Result<TransientToken> try_get_transient_token(std::optional<std::string_view> type = std::nullopt, std::optional<std::string_view> scope = std::nullopt, CallOptionsRef opts = {}) const {
    return detail::try_call<TransientToken>([&](plexauth_transient_token **out, plexauth_error **err) {
      return plexauth_client_get_transient_token(out, raw(), detail::CStr(type).get(), detail::CStr(scope).get(), opts.raw(), err);
    });
  }
  /**
   * get_transient_token() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param type "delegation", the only documented value. (std::nullopt: "delegation")
   * @param scope "all", the only documented value. (std::nullopt: "all")
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the TransientToken (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<TransientToken> get_transient_token_async(std::optional<std::string_view> type = std::nullopt, std::optional<std::string_view> scope = std::nullopt, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<TransientToken>(&plexauth_client_get_transient_token_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_transient_token_start(c_call, raw(), detail::CStr(type).get(), detail::CStr(scope).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_transient_token() without blocking: starts the call on `loop`; `done` runs once with its
   * outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param type "delegation", the only documented value. (std::nullopt: "delegation")
   * @param scope "all", the only documented value. (std::nullopt: "all")
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_transient_token_async(std::optional<std::string_view> type, std::optional<std::string_view> scope, std::function<void(Result<TransientToken>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<TransientToken>(&plexauth_client_get_transient_token_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_transient_token_start(c_call, raw(), detail::CStr(type).get(), detail::CStr(scope).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_source_connection_information
  /**
   * Connection details and a token for a source the server knows (admin token required). Blocks
   * until the call (with its retries) ends; see plexauth_client_get_source_connection_information().
   *
   * @param source The source, e.g. "server://<client-identifier>".
   * @param opts Per-call options (a CallOptions), or none.
   * @return The SourceInfo. Throws plexauth::Error on failure.
   */
  SourceInfo get_source_connection_information(std::string_view source, CallOptionsRef opts = {}) const {
    return detail::call<SourceInfo>([&](plexauth_source_info **out, plexauth_error **err) {
      return plexauth_client_get_source_connection_information(out, raw(), detail::CStr(source).get(), opts.raw(), err);
    });
  }
  /**
   * get_source_connection_information() without exceptions for the call's failures.
   *
   * @param source The source, e.g. "server://<client-identifier>".
   * @param opts Per-call options (a CallOptions), or none.
   * @return The SourceInfo or the plexauth::Error.
   */
  Result<SourceInfo> try_get_source_connection_information(std::string_view source, CallOptionsRef opts = {}) const {
    return detail::try_call<SourceInfo>([&](plexauth_source_info **out, plexauth_error **err) {
      return plexauth_client_get_source_connection_information(out, raw(), detail::CStr(source).get(), opts.raw(), err);
    });
  }
  /**
   * get_source_connection_information() without blocking: starts the call on `loop` and returns at
   * once. With an external Loop, the future is ready only once the host has driven the loop.
   *
   * @param source The source, e.g. "server://<client-identifier>".
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the SourceInfo (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<SourceInfo> get_source_connection_information_async(std::string_view source, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<SourceInfo>(&plexauth_client_get_source_connection_information_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_source_connection_information_start(c_call, raw(), detail::CStr(source).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_source_connection_information() without blocking: starts the call on `loop`; `done` runs
   * once with its outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param source The source, e.g. "server://<client-identifier>".
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_source_connection_information_async(std::string_view source, std::function<void(Result<SourceInfo>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<SourceInfo>(&plexauth_client_get_source_connection_information_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_source_connection_information_start(c_call, raw(), detail::CStr(source).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_token_details
  /**
   * The account behind the token. Blocks until the call (with its retries) ends; see
   * plexauth_client_get_token_details().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account. Throws plexauth::Error on failure.
   */
  Account get_token_details(CallOptionsRef opts = {}) const {
    return detail::call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_get_token_details(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_token_details() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account or the plexauth::Error.
   */
  Result<Account> try_get_token_details(CallOptionsRef opts = {}) const {
    return detail::try_call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_get_token_details(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_token_details() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Account (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Account> get_token_details_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Account>(&plexauth_client_get_token_details_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_token_details_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_token_details() without blocking: starts the call on `loop`; `done` runs once with its
   * outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_token_details_async(std::function<void(Result<Account>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Account>(&plexauth_client_get_token_details_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_token_details_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // post_users_sign_in_data
  /**
   * Signs in with a login and password (and a 2FA code when asked for one); no X-Plex-Token is sent.
   * Blocks until the call (with its retries) ends; see plexauth_client_post_users_sign_in_data().
   *
   * @param req The request (read, not kept).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account. Throws plexauth::Error on failure.
   */
  Account post_users_sign_in_data(const SignIn &req, CallOptionsRef opts = {}) const {
    return detail::call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_post_users_sign_in_data(out, raw(), req.raw(), opts.raw(), err);
    });
  }
  /**
   * post_users_sign_in_data() without exceptions for the call's failures.
   *
   * @param req The request (read, not kept).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account or the plexauth::Error.
   */
  Result<Account> try_post_users_sign_in_data(const SignIn &req, CallOptionsRef opts = {}) const {
    return detail::try_call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_post_users_sign_in_data(out, raw(), req.raw(), opts.raw(), err);
    });
  }
  /**
   * post_users_sign_in_data() without blocking: starts the call on `loop` and returns at once. With
   * an external Loop, the future is ready only once the host has driven the loop.
   *
   * @param req The request (read, not kept).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Account (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Account> post_users_sign_in_data_async(const SignIn &req, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Account>(&plexauth_client_post_users_sign_in_data_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_post_users_sign_in_data_start(c_call, raw(), req.raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * post_users_sign_in_data() without blocking: starts the call on `loop`; `done` runs once with its
   * outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param req The request (read, not kept).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call post_users_sign_in_data_async(const SignIn &req, std::function<void(Result<Account>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Account>(&plexauth_client_post_users_sign_in_data_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_post_users_sign_in_data_start(c_call, raw(), req.raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // create_pin
  /**
   * Creates a PIN for PIN or hosted (OAuth) login; no X-Plex-Token is sent. plex.tv rate-limits PIN
   * creation per client identifier: a 429 is retried after Retry-After or the backoff. Blocks until
   * the call (with its retries) ends; see plexauth_client_create_pin().
   *
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin. Throws plexauth::Error on failure.
   */
  Pin create_pin(bool strong = false, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_create_pin(out, raw(), strong ? 1 : 0, opts.raw(), err);
    });
  }
  /**
   * create_pin() without exceptions for the call's failures.
   *
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin or the plexauth::Error.
   */
  Result<Pin> try_create_pin(bool strong = false, CallOptionsRef opts = {}) const {
    return detail::try_call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_create_pin(out, raw(), strong ? 1 : 0, opts.raw(), err);
    });
  }
  /**
   * create_pin() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Pin (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Pin> create_pin_async(bool strong = false, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Pin>(&plexauth_client_create_pin_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_create_pin_start(c_call, raw(), strong ? 1 : 0, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * create_pin() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call create_pin_async(bool strong, std::function<void(Result<Pin>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Pin>(&plexauth_client_create_pin_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_create_pin_start(c_call, raw(), strong ? 1 : 0, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_pin
  /**
   * Polls a PIN (send the client identifier that created it); its authToken is set once the user
   * approved. Blocks until the call (with its retries) ends; see plexauth_client_get_pin().
   *
   * @param id The PIN's id (create_pin's id).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin. Throws plexauth::Error on failure.
   */
  Pin get_pin(std::int64_t id, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_get_pin(out, raw(), id, opts.raw(), err);
    });
  }
  /**
   * get_pin() without exceptions for the call's failures.
   *
   * @param id The PIN's id (create_pin's id).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin or the plexauth::Error.
   */
  Result<Pin> try_get_pin(std::int64_t id, CallOptionsRef opts = {}) const {
    return detail::try_call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_get_pin(out, raw(), id, opts.raw(), err);
    });
  }
  /**
   * get_pin() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param id The PIN's id (create_pin's id).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Pin (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Pin> get_pin_async(std::int64_t id, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Pin>(&plexauth_client_get_pin_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_pin_start(c_call, raw(), id, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_pin() without blocking: starts the call on `loop`; `done` runs once with its outcome (on the
   * loop's thread, or inside Loop::process() for an external loop).
   *
   * @param id The PIN's id (create_pin's id).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_pin_async(std::int64_t id, std::function<void(Result<Pin>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Pin>(&plexauth_client_get_pin_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_pin_start(c_call, raw(), id, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // link_pin
  /**
   * Links a code shown by another device to the signed-in account (the token's). Blocks until the
   * call (with its retries) ends; see plexauth_client_link_pin(). Throws plexauth::Error on failure.
   *
   * @param code The code the other device shows.
   * @param opts Per-call options (a CallOptions), or none.
   */
  void link_pin(std::string_view code, CallOptionsRef opts = {}) const {
    return detail::call<void>([&](plexauth_error **err) {
      return plexauth_client_link_pin(raw(), detail::CStr(code).get(), opts.raw(), err);
    });
  }
  /**
   * link_pin() without exceptions for the call's failures.
   *
   * @param code The code the other device shows.
   * @param opts Per-call options (a CallOptions), or none.
   * @return Success or the plexauth::Error.
   */
  Result<void> try_link_pin(std::string_view code, CallOptionsRef opts = {}) const {
    return detail::try_call<void>([&](plexauth_error **err) {
      return plexauth_client_link_pin(raw(), detail::CStr(code).get(), opts.raw(), err);
    });
  }
  /**
   * link_pin() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param code The code the other device shows.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the void (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<void> link_pin_async(std::string_view code, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<void>(&plexauth_client_link_pin_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_link_pin_start(c_call, raw(), detail::CStr(code).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * link_pin() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param code The code the other device shows.
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call link_pin_async(std::string_view code, std::function<void(Result<void>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<void>(&plexauth_client_link_pin_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_link_pin_start(c_call, raw(), detail::CStr(code).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // sign_out
  /**
   * Signs the token out: plex.tv invalidates it. Blocks until the call (with its retries) ends; see
   * plexauth_client_sign_out(). Throws plexauth::Error on failure.
   *
   * @param opts Per-call options (a CallOptions), or none.
   */
  void sign_out(CallOptionsRef opts = {}) const {
    return detail::call<void>([&](plexauth_error **err) {
      return plexauth_client_sign_out(raw(), opts.raw(), err);
    });
  }
  /**
   * sign_out() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return Success or the plexauth::Error.
   */
  Result<void> try_sign_out(CallOptionsRef opts = {}) const {
    return detail::try_call<void>([&](plexauth_error **err) {
      return plexauth_client_sign_out(raw(), opts.raw(), err);
    });
  }
  /**
   * sign_out() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the void (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<void> sign_out_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<void>(&plexauth_client_sign_out_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_sign_out_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * sign_out() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call sign_out_async(std::function<void(Result<void>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<void>(&plexauth_client_sign_out_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_sign_out_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // switch_home_user
  /**
   * Switches to a Plex Home user: the result is that user's account and token. The PIN travels in
   * the query, as plex.tv requires; it is redacted from every log line and message. Blocks until the
   * call (with its retries) ends; see plexauth_client_switch_home_user().
   *
   * @param user The Home user's uuid (or numeric id).
   * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (std::nullopt:
   *   none)
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account. Throws plexauth::Error on failure.
   */
  Account switch_home_user(std::string_view user, std::optional<std::string_view> pin = std::nullopt, CallOptionsRef opts = {}) const {
    return detail::call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_switch_home_user(out, raw(), detail::CStr(user).get(), detail::CStr(pin).get(), opts.raw(), err);
    });
  }
  /**
   * switch_home_user() without exceptions for the call's failures.
   *
   * @param user The Home user's uuid (or numeric id).
   * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (std::nullopt:
   *   none)
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Account or the plexauth::Error.
   */
  Result<Account> try_switch_home_user(std::string_view user, std::optional<std::string_view> pin = std::nullopt, CallOptionsRef opts = {}) const {
    return detail::try_call<Account>([&](plexauth_account **out, plexauth_error **err) {
      return plexauth_client_switch_home_user(out, raw(), detail::CStr(user).get(), detail::CStr(pin).get(), opts.raw(), err);
    });
  }
  /**
   * switch_home_user() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param user The Home user's uuid (or numeric id).
   * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (std::nullopt:
   *   none)
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Account (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Account> switch_home_user_async(std::string_view user, std::optional<std::string_view> pin = std::nullopt, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Account>(&plexauth_client_switch_home_user_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_switch_home_user_start(c_call, raw(), detail::CStr(user).get(), detail::CStr(pin).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * switch_home_user() without blocking: starts the call on `loop`; `done` runs once with its
   * outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param user The Home user's uuid (or numeric id).
   * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (std::nullopt:
   *   none)
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call switch_home_user_async(std::string_view user, std::optional<std::string_view> pin, std::function<void(Result<Account>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Account>(&plexauth_client_switch_home_user_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_switch_home_user_start(c_call, raw(), detail::CStr(user).get(), detail::CStr(pin).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // ping
  /**
   * Checks the token with plex.tv and keeps it alive (Plex apps ping every 24 h). Blocks until the
   * call (with its retries) ends; see plexauth_client_ping().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pong. Throws plexauth::Error on failure.
   */
  Pong ping(CallOptionsRef opts = {}) const {
    return detail::call<Pong>([&](plexauth_pong **out, plexauth_error **err) {
      return plexauth_client_ping(out, raw(), opts.raw(), err);
    });
  }
  /**
   * ping() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pong or the plexauth::Error.
   */
  Result<Pong> try_ping(CallOptionsRef opts = {}) const {
    return detail::try_call<Pong>([&](plexauth_pong **out, plexauth_error **err) {
      return plexauth_client_ping(out, raw(), opts.raw(), err);
    });
  }
  /**
   * ping() without blocking: starts the call on `loop` and returns at once. With an external Loop,
   * the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Pong (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Pong> ping_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Pong>(&plexauth_client_ping_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_ping_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * ping() without blocking: starts the call on `loop`; `done` runs once with its outcome (on the
   * loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call ping_async(std::function<void(Result<Pong>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Pong>(&plexauth_client_ping_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_ping_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // list_home_users
  /**
   * Lists the members of the token's Plex Home (admin and managed users) with whether each is
   * protected by a PIN. plex.tv documents this route in its v1 form only, which answers XML: the XML
   * and a JSON body of the same shape are both read. Blocks until the call (with its retries) ends;
   * see plexauth_client_list_home_users().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The HomeUsers. Throws plexauth::Error on failure.
   */
  HomeUsers list_home_users(CallOptionsRef opts = {}) const {
    return detail::call<HomeUsers>([&](plexauth_home **out, plexauth_error **err) {
      return plexauth_client_list_home_users(out, raw(), opts.raw(), err);
    });
  }
  /**
   * list_home_users() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The HomeUsers or the plexauth::Error.
   */
  Result<HomeUsers> try_list_home_users(CallOptionsRef opts = {}) const {
    return detail::try_call<HomeUsers>([&](plexauth_home **out, plexauth_error **err) {
      return plexauth_client_list_home_users(out, raw(), opts.raw(), err);
    });
  }
  /**
   * list_home_users() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the HomeUsers (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<HomeUsers> list_home_users_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<HomeUsers>(&plexauth_client_list_home_users_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_list_home_users_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * list_home_users() without blocking: starts the call on `loop`; `done` runs once with its outcome
   * (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call list_home_users_async(std::function<void(Result<HomeUsers>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<HomeUsers>(&plexauth_client_list_home_users_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_list_home_users_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // list_resources
  /**
   * The account's devices (servers, players, other clients) with their connections and access
   * tokens, from clients.plex.tv, HTTPS, relay and IPv6 connections included. A server shared with
   * the account has its own accessToken: use it, not the account's token, with that server. Blocks
   * until the call (with its retries) ends; see plexauth_client_list_resources().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Resources. Throws plexauth::Error on failure.
   */
  Resources list_resources(CallOptionsRef opts = {}) const {
    return detail::call<Resources>([&](plexauth_resources **out, plexauth_error **err) {
      return plexauth_client_list_resources(out, raw(), opts.raw(), err);
    });
  }
  /**
   * list_resources() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Resources or the plexauth::Error.
   */
  Result<Resources> try_list_resources(CallOptionsRef opts = {}) const {
    return detail::try_call<Resources>([&](plexauth_resources **out, plexauth_error **err) {
      return plexauth_client_list_resources(out, raw(), opts.raw(), err);
    });
  }
  /**
   * list_resources() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Resources (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Resources> list_resources_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Resources>(&plexauth_client_list_resources_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_list_resources_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * list_resources() without blocking: starts the call on `loop`; `done` runs once with its outcome
   * (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call list_resources_async(std::function<void(Result<Resources>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Resources>(&plexauth_client_list_resources_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_list_resources_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_nonce
  /**
   * A nonce for the device JWT (JWT device authentication; valid 5 minutes, single use). No token is
   * sent. Blocks until the call (with its retries) ends; see plexauth_client_get_nonce().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Nonce. Throws plexauth::Error on failure.
   */
  Nonce get_nonce(CallOptionsRef opts = {}) const {
    return detail::call<Nonce>([&](plexauth_nonce **out, plexauth_error **err) {
      return plexauth_client_get_nonce(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_nonce() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Nonce or the plexauth::Error.
   */
  Result<Nonce> try_get_nonce(CallOptionsRef opts = {}) const {
    return detail::try_call<Nonce>([&](plexauth_nonce **out, plexauth_error **err) {
      return plexauth_client_get_nonce(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_nonce() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Nonce (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Nonce> get_nonce_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Nonce>(&plexauth_client_get_nonce_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_nonce_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_nonce() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_nonce_async(std::function<void(Result<Nonce>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Nonce>(&plexauth_client_get_nonce_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_nonce_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_jwks
  /**
   * The public keys plex.tv signs its JWTs with (a JSON Web Key Set; plex.tv rotates them). No token
   * is sent. Blocks until the call (with its retries) ends; see plexauth_client_get_jwks().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Jwks. Throws plexauth::Error on failure.
   */
  Jwks get_jwks(CallOptionsRef opts = {}) const {
    return detail::call<Jwks>([&](plexauth_jwks **out, plexauth_error **err) {
      return plexauth_client_get_jwks(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_jwks() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Jwks or the plexauth::Error.
   */
  Result<Jwks> try_get_jwks(CallOptionsRef opts = {}) const {
    return detail::try_call<Jwks>([&](plexauth_jwks **out, plexauth_error **err) {
      return plexauth_client_get_jwks(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_jwks() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Jwks (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Jwks> get_jwks_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Jwks>(&plexauth_client_get_jwks_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_jwks_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_jwks() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_jwks_async(std::function<void(Result<Jwks>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Jwks>(&plexauth_client_get_jwks_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_jwks_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // exchange_device_jwt
  /**
   * Exchanges a device JWT (signed with the registered device key: plexauth_device_key_sign_jwt) for
   * a Plex JWT. No token is sent. Blocks until the call (with its retries) ends; see
   * plexauth_client_exchange_device_jwt().
   *
   * @param jwt The signed device JWT.
   * @param opts Per-call options (a CallOptions), or none.
   * @return The JwtToken. Throws plexauth::Error on failure.
   */
  JwtToken exchange_device_jwt(std::string_view jwt, CallOptionsRef opts = {}) const {
    return detail::call<JwtToken>([&](plexauth_jwt_token **out, plexauth_error **err) {
      return plexauth_client_exchange_device_jwt(out, raw(), detail::CStr(jwt).get(), opts.raw(), err);
    });
  }
  /**
   * exchange_device_jwt() without exceptions for the call's failures.
   *
   * @param jwt The signed device JWT.
   * @param opts Per-call options (a CallOptions), or none.
   * @return The JwtToken or the plexauth::Error.
   */
  Result<JwtToken> try_exchange_device_jwt(std::string_view jwt, CallOptionsRef opts = {}) const {
    return detail::try_call<JwtToken>([&](plexauth_jwt_token **out, plexauth_error **err) {
      return plexauth_client_exchange_device_jwt(out, raw(), detail::CStr(jwt).get(), opts.raw(), err);
    });
  }
  /**
   * exchange_device_jwt() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param jwt The signed device JWT.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the JwtToken (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<JwtToken> exchange_device_jwt_async(std::string_view jwt, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<JwtToken>(&plexauth_client_exchange_device_jwt_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_exchange_device_jwt_start(c_call, raw(), detail::CStr(jwt).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * exchange_device_jwt() without blocking: starts the call on `loop`; `done` runs once with its
   * outcome (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param jwt The signed device JWT.
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call exchange_device_jwt_async(std::string_view jwt, std::function<void(Result<JwtToken>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<JwtToken>(&plexauth_client_exchange_device_jwt_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_exchange_device_jwt_start(c_call, raw(), detail::CStr(jwt).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // register_jwk
  /**
   * Registers a device key's public JWK for the token's account and device (POST /auth/jwk, JSON
   * body {"jwk":{...}}): JWT logins with that key work from then on.
   * plexauth_client_register_device_key() does this with a plexauth_device_key. Blocks until the
   * call (with its retries) ends; see plexauth_client_register_jwk(). Throws plexauth::Error on
   * failure.
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param opts Per-call options (a CallOptions), or none.
   */
  void register_jwk(std::string_view jwk, CallOptionsRef opts = {}) const {
    return detail::call<void>([&](plexauth_error **err) {
      return plexauth_client_register_jwk(raw(), detail::CStr(jwk).get(), opts.raw(), err);
    });
  }
  /**
   * register_jwk() without exceptions for the call's failures.
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param opts Per-call options (a CallOptions), or none.
   * @return Success or the plexauth::Error.
   */
  Result<void> try_register_jwk(std::string_view jwk, CallOptionsRef opts = {}) const {
    return detail::try_call<void>([&](plexauth_error **err) {
      return plexauth_client_register_jwk(raw(), detail::CStr(jwk).get(), opts.raw(), err);
    });
  }
  /**
   * register_jwk() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the void (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<void> register_jwk_async(std::string_view jwk, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<void>(&plexauth_client_register_jwk_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_register_jwk_start(c_call, raw(), detail::CStr(jwk).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * register_jwk() without blocking: starts the call on `loop`; `done` runs once with its outcome
   * (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call register_jwk_async(std::string_view jwk, std::function<void(Result<void>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<void>(&plexauth_client_register_jwk_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_register_jwk_start(c_call, raw(), detail::CStr(jwk).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // create_jwk_pin
  /**
   * Creates a PIN that carries the device's public key (JWT device authentication: PIN or hosted
   * login with no legacy token). Poll it with get_jwk_pin (plexauth_client_wait_for_jwk_pin polls it
   * for you); once approved, its authToken is a Plex JWT and the key is registered for the account.
   * No token is sent. Blocks until the call (with its retries) ends; see
   * plexauth_client_create_jwk_pin().
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin. Throws plexauth::Error on failure.
   */
  Pin create_jwk_pin(std::string_view jwk, bool strong = false, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_create_jwk_pin(out, raw(), detail::CStr(jwk).get(), strong ? 1 : 0, opts.raw(), err);
    });
  }
  /**
   * create_jwk_pin() without exceptions for the call's failures.
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin or the plexauth::Error.
   */
  Result<Pin> try_create_jwk_pin(std::string_view jwk, bool strong = false, CallOptionsRef opts = {}) const {
    return detail::try_call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_create_jwk_pin(out, raw(), detail::CStr(jwk).get(), strong ? 1 : 0, opts.raw(), err);
    });
  }
  /**
   * create_jwk_pin() without blocking: starts the call on `loop` and returns at once. With an
   * external Loop, the future is ready only once the host has driven the loop.
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Pin (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Pin> create_jwk_pin_async(std::string_view jwk, bool strong = false, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Pin>(&plexauth_client_create_jwk_pin_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_create_jwk_pin_start(c_call, raw(), detail::CStr(jwk).get(), strong ? 1 : 0, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * create_jwk_pin() without blocking: starts the call on `loop`; `done` runs once with its outcome
   * (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param jwk The device key's public JWK (plexauth_device_key_jwk()).
   * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
   *   4-character one for plex.tv/link (15 minutes).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call create_jwk_pin_async(std::string_view jwk, bool strong, std::function<void(Result<Pin>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Pin>(&plexauth_client_create_jwk_pin_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_create_jwk_pin_start(c_call, raw(), detail::CStr(jwk).get(), strong ? 1 : 0, opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_jwk_pin
  /**
   * Polls a PIN made by create_jwk_pin, proving the device holds the key with a device JWT signed by
   * it (in the query, as plex.tv requires; redacted from every log line and message). Its authToken
   * is a Plex JWT once the user approved. No token is sent. Blocks until the call (with its retries)
   * ends; see plexauth_client_get_jwk_pin().
   *
   * @param id The PIN's id (create_jwk_pin's id).
   * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin. Throws plexauth::Error on failure.
   */
  Pin get_jwk_pin(std::int64_t id, std::string_view device_jwt, CallOptionsRef opts = {}) const {
    return detail::call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_get_jwk_pin(out, raw(), id, detail::CStr(device_jwt).get(), opts.raw(), err);
    });
  }
  /**
   * get_jwk_pin() without exceptions for the call's failures.
   *
   * @param id The PIN's id (create_jwk_pin's id).
   * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
   * @param opts Per-call options (a CallOptions), or none.
   * @return The Pin or the plexauth::Error.
   */
  Result<Pin> try_get_jwk_pin(std::int64_t id, std::string_view device_jwt, CallOptionsRef opts = {}) const {
    return detail::try_call<Pin>([&](plexauth_pin **out, plexauth_error **err) {
      return plexauth_client_get_jwk_pin(out, raw(), id, detail::CStr(device_jwt).get(), opts.raw(), err);
    });
  }
  /**
   * get_jwk_pin() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param id The PIN's id (create_jwk_pin's id).
   * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the Pin (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<Pin> get_jwk_pin_async(std::int64_t id, std::string_view device_jwt, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<Pin>(&plexauth_client_get_jwk_pin_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_jwk_pin_start(c_call, raw(), id, detail::CStr(device_jwt).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_jwk_pin() without blocking: starts the call on `loop`; `done` runs once with its outcome (on
   * the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param id The PIN's id (create_jwk_pin's id).
   * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_jwk_pin_async(std::int64_t id, std::string_view device_jwt, std::function<void(Result<Pin>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<Pin>(&plexauth_client_get_jwk_pin_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_jwk_pin_start(c_call, raw(), id, detail::CStr(device_jwt).get(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  // get_identity
  /**
   * A Plex Media Server's identity (GET /identity: machineIdentifier, version, claimed), the
   * cheapest check that an address reaches the right server. The server needs no token for it; the
   * client's is sent when set. Blocks until the call (with its retries) ends; see
   * plexauth_client_get_identity().
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The ServerIdentity. Throws plexauth::Error on failure.
   */
  ServerIdentity get_identity(CallOptionsRef opts = {}) const {
    return detail::call<ServerIdentity>([&](plexauth_server_identity **out, plexauth_error **err) {
      return plexauth_client_get_identity(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_identity() without exceptions for the call's failures.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @return The ServerIdentity or the plexauth::Error.
   */
  Result<ServerIdentity> try_get_identity(CallOptionsRef opts = {}) const {
    return detail::try_call<ServerIdentity>([&](plexauth_server_identity **out, plexauth_error **err) {
      return plexauth_client_get_identity(out, raw(), opts.raw(), err);
    });
  }
  /**
   * get_identity() without blocking: starts the call on `loop` and returns at once. With an external
   * Loop, the future is ready only once the host has driven the loop.
   *
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return A Future of the ServerIdentity (its get() throws plexauth::Error on failure). Throws
   *   plexauth::Error when the call could not be started.
   */
  Future<ServerIdentity> get_identity_async(CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return detail::start_future<ServerIdentity>(&plexauth_client_get_identity_finish, [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_identity_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    });
  }
  /**
   * get_identity() without blocking: starts the call on `loop`; `done` runs once with its outcome
   * (on the loop's thread, or inside Loop::process() for an external loop).
   *
   * @param done Receives the outcome; must not throw.
   * @param opts Per-call options (a CallOptions), or none.
   * @param loop The Loop to run on, or none for the client's own (a thread-mode loop).
   * @return The pending call (dropping it does not cancel it). Throws plexauth::Error when the call
   *   could not be started.
   */
  Call get_identity_async(std::function<void(Result<ServerIdentity>)> done, CallOptionsRef opts = {}, LoopRef loop = {}) const {
    return Call(detail::start<ServerIdentity>(&plexauth_client_get_identity_finish, std::move(done), [&](plexauth_call **c_call, plexauth_call_done_fn c_done, void *c_user_data, plexauth_error **c_err) {
      return plexauth_client_get_identity_start(c_call, raw(), opts.raw(), loop.raw(), c_done, c_user_data, c_err);
    }));
  }
  /* END GENERATED: operations */

 private:
  static int on_progress(void *user_data, const char *code, std::int64_t seconds_left) noexcept {
    try {
      return (*static_cast<PinProgressFn *>(user_data))(code ? code : "", seconds_left) ? 0 : 1;
    } catch (...) {
      return 1;
    }
  }
  std::int64_t verify(std::string_view jwt, const plexauth_device_key *key, CallOptionsRef opts) const {
    detail::CStr token(jwt);
    std::int64_t expires_at = 0;
    detail::check_call([&](plexauth_error **err) {
      return plexauth_client_jwt_verify(raw(), token.get(), key, &expires_at, opts.raw(), err);
    });
    return expires_at;
  }
  friend class JwtSession;
  std::shared_ptr<plexauth_client> h_;  // shared with the JwtSessions refreshing through it
};

inline JwtSession::JwtSession(const Client &client, const DeviceKey &key, std::chrono::seconds margin) {
  plexauth_jwt_session *raw = nullptr;
  plexauth_error *err = nullptr;
  const plexauth_status s = plexauth_jwt_session_new(&raw, client.raw(), key.raw(), margin.count(), &err);
  if (s != PLEXAUTH_OK) {
    plexauth_jwt_session_free(raw);
    throw Error::adopt(s, err);
  }
  try {
    s_ = std::make_shared<detail::JwtSessionState>(raw, client.h_);
  } catch (...) {
    plexauth_jwt_session_free(raw);
    throw;
  }
}

/**
 * Reads a list_resources body kept from an earlier call (a JSON array of devices, or "[one
 * device]") without a request, so that a saved server can be connected to
 * (plexauth_resources_from_json).
 * @param json The JSON text (UTF-8, at most 16 MiB).
 * @return The devices. Throws plexauth::Error (malformed_response: not such an array).
 */
inline Resources resources_from_json(std::string_view json) {
  return detail::call<Resources>([&](plexauth_resources **out, plexauth_error **err) {
    return plexauth_resources_from_json(out, detail::CStr(json).get(), err);
  });
}

/**
 * The device identity kept in a file (plexauth_client_id_load_or_create): read, or created
 * and saved on first use.
 * @param path The file, or std::nullopt for the default place.
 * @return The client identifier. Throws plexauth::Error.
 */
inline std::string client_id_load_or_create(std::optional<std::string_view> path = std::nullopt) {
  char buf[PLEXAUTH_CLIENT_ID_MAX];
  plexauth_error *err = nullptr;
  const plexauth_status s = plexauth_client_id_load_or_create(detail::CStr(path).get(), buf, sizeof buf, &err);
  if (s != PLEXAUTH_OK) throw Error::adopt(s, err);
  return buf;
}

}  // namespace plexauth

#endif  // PLEXAUTH_PLEXAUTH_HPP
