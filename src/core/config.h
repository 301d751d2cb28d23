// Client-wide settings, per-call options and cancellation: plain C++ values
// that capi/ fills in from the C setters.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/identity.gen.h"
#include "core/secret.h"

namespace plexauth {

struct RetryPolicy {
  int64_t initial_interval_ms = 500;
  int64_t max_interval_ms = 60000;
  double exponent = 1.5;
  // The seed's spec comment says "5 minutes" while its number is one hour;
  // we take the stated intent.
  int64_t max_elapsed_ms = 300000;
  unsigned max_attempts = 0;  // 0: no cap
  bool retry_connection_errors = true;
};

// Triggered from any thread; wakes backoff sleeps and in-flight transfers.
class CancelToken {
 public:
  void trigger();
  bool triggered() const noexcept { return flag_.load(std::memory_order_acquire); }
  // Sleeps up to ms; false when cancelled before or during the wait.
  bool sleep_for_ms(int64_t ms);
  // A waker is called (on the triggering thread) when trigger() runs; it must
  // be cheap and thread-safe (e.g. curl_multi_wakeup).
  size_t add_waker(std::function<void()> waker);
  void remove_waker(size_t id);

 private:
  std::atomic<bool> flag_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<size_t, std::function<void()>> wakers_;
  size_t next_id_ = 1;
};

enum class LogLevel : int { Error = 1, Warn = 2, Info = 3, Debug = 4 };
using LogFn = std::function<void(LogLevel, const std::string &)>;

// Returns the token for one attempt, or nullopt for "no token"; throws
// plexauth::Error(Status::Callback) when the provider fails.
using TokenProvider = std::function<std::optional<std::string>()>;

// The client identity settings (X-Plex-* headers), generated from
// codegen/api.py; each is sent only when set.
struct Identity {
#define PLEXAUTH_IDENTITY_MEMBER(member, header) std::optional<std::string> member;
  PLEXAUTH_IDENTITY(PLEXAUTH_IDENTITY_MEMBER)
#undef PLEXAUTH_IDENTITY_MEMBER
};

// Whether any setting is set.
bool any(const Identity &id) noexcept;
// Copies every setting that `over` sets into `base`.
void overlay(Identity &base, const Identity &over);
// Fills the settings the caller left unset (an empty string set on purpose is
// kept: its header is not sent): product "plexauth", version the library's,
// platform uname's sysname ("Linux"), device name the host name. A platform or
// host name that is not printable ASCII is left unset.
void apply_default_identity(Identity &id);
inline const std::string kDefaultProduct = "plexauth";

// Defaults (capi/ reads them from here: the C layer holds no Plex logic).
inline const std::string kDefaultServerProtocol = "https";
inline const std::string kDefaultServerIp = "10.10.10.47";  // the seed SDK's; a trap, see README
inline constexpr int kDefaultServerPort = 32400;
inline const std::string kDefaultPlexTvUrl = "https://plex.tv/api/v2";
inline const std::string kDefaultClientsUrl = "https://clients.plex.tv/api/v2";

struct ClientConfig {
  std::optional<Secret> access_token;
  TokenProvider token_provider;  // empty: use access_token
  Identity identity;
  std::optional<std::string> server_url;
  std::string server_protocol = kDefaultServerProtocol;
  std::string server_ip = kDefaultServerIp;
  int server_port = kDefaultServerPort;
  std::string plex_tv_url = kDefaultPlexTvUrl;
  std::string clients_url = kDefaultClientsUrl;
  // Not set explicitly: clients.plex.tv calls follow a plex.tv URL that was
  // (a test server or proxy named for plex.tv never lets them fall back to
  // the real clients.plex.tv).
  bool clients_url_set = false;
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 30000;
  std::optional<RetryPolicy> retry = RetryPolicy{};
  size_t max_response_bytes = size_t{8} << 20;
  std::optional<std::string> ca_bundle;
  bool insecure_skip_tls_verify = false;
  bool use_env_proxy = true;  // false: ignore http_proxy, https_proxy, all_proxy, no_proxy
  bool pin_plex_direct = true;  // connect a-b-c-d.<hash>.plex.direct to a.b.c.d without DNS (TLS still verified)
  LogLevel log_level = LogLevel::Warn;
  LogFn log;
};

struct CallOptions {
  std::optional<std::string> server_url;
  std::optional<int64_t> timeout_ms;   // nullopt: client default
  bool retry_overridden = false;       // true: use `retry` (nullopt = none)
  std::optional<RetryPolicy> retry;
  std::shared_ptr<CancelToken> cancel;
  Identity identity;  // per-call overrides (beat the client's)
  std::optional<Secret> access_token;  // this call's X-Plex-Token (beats the client's token and provider)
};

struct SignInRequest {
  std::optional<std::string> login;
  std::optional<Secret> password;
  bool remember_me = false;
  std::optional<Secret> verification_code;
  Identity identity;  // per-request overrides
};

}  // namespace plexauth
