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

// The five identity settings, in header order.
struct Identity {
  std::optional<std::string> client_id;       // X-Plex-Client-Identifier
  std::optional<std::string> client_name;     // X-Plex-Product
  std::optional<std::string> client_version;  // X-Plex-Version
  std::optional<std::string> platform;        // X-Plex-Platform
  std::optional<std::string> device_nickname; // X-Plex-Device
};

struct ClientConfig {
  std::optional<Secret> access_token;
  TokenProvider token_provider;  // empty: use access_token
  Identity identity;
  std::optional<std::string> server_url;
  std::string server_protocol = "https";
  std::string server_ip = "10.10.10.47";
  int server_port = 32400;
  std::string plex_tv_url = "https://plex.tv/api/v2";
  int64_t connect_timeout_ms = 10000;
  int64_t timeout_ms = 30000;
  std::optional<RetryPolicy> retry = RetryPolicy{};
  size_t max_response_bytes = size_t{8} << 20;
  std::optional<std::string> ca_bundle;
  bool insecure_skip_tls_verify = false;
  bool use_env_proxy = true;  // false: ignore http_proxy, https_proxy, all_proxy, no_proxy
  LogLevel log_level = LogLevel::Warn;
  LogFn log;
};

struct CallOptions {
  std::optional<std::string> server_url;
  std::optional<int64_t> timeout_ms;   // nullopt: client default
  bool retry_overridden = false;       // true: use `retry` (nullopt = none)
  std::optional<RetryPolicy> retry;
  std::shared_ptr<CancelToken> cancel;
};

struct SignInRequest {
  std::optional<std::string> login;
  std::optional<Secret> password;
  bool remember_me = false;
  std::optional<Secret> verification_code;
  Identity identity;  // per-request overrides
};

}  // namespace plexauth
