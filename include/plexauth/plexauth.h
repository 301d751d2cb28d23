/*
 * plexauth — Plex authentication as a native library with a stable C ABI.
 *
 * This header is the whole public contract. It compiles as C99 and as C++.
 *
 * Conventions (see docs/design.md):
 *   - Every fallible function returns plexauth_status (PLEXAUTH_OK == 0).
 *     Status values are never renumbered or reused; new ones are appended.
 *   - Out-params come first; the optional error out-param `plexauth_error **err`
 *     comes last. Pass NULL when you do not want detail. When an error object is
 *     returned the caller owns it and frees it with plexauth_error_free().
 *     On success *err is set to NULL.
 *   - All handles are opaque. Everything the library allocates is freed by the
 *     matching plexauth_*_free(), which accepts NULL.
 *   - Strings passed in are NUL-terminated UTF-8 and are copied; the caller keeps
 *     ownership. Strings returned by getters are borrowed: they stay valid until
 *     the object that returned them is freed. Getters never return secrets in
 *     any place other than the field that holds them.
 *   - Optional scalar fields are read with getters of the form
 *         int plexauth_x_y(const plexauth_x *x, T *out);
 *     which return 1 and write *out when the field is present (and not null),
 *     and return 0, leaving *out untouched, when it is absent, null, or when
 *     x or out is NULL. Optional strings are returned as NULL when absent.
 *   - Lists are a count plus an index getter; an out-of-range index gives NULL.
 *   - No C++ exception crosses this boundary; the library never prints, never
 *     exits, installs no signal handlers and keeps no thread-local "last error".
 *
 * Threads:
 *   - plexauth_client is safe to use from many threads at once.
 *   - plexauth_config, plexauth_retry, plexauth_call_options and
 *     plexauth_sign_in are for one thread at a time while being built; once
 *     built they may be shared read-only (e.g. one call_options used by several
 *     threads' calls) as long as nobody modifies them meanwhile.
 *   - plexauth_cancel_trigger() may be called from any thread at any time.
 *   - Result objects and error objects are immutable; their getters may be
 *     called from any thread.
 */
#ifndef PLEXAUTH_PLEXAUTH_H
#define PLEXAUTH_PLEXAUTH_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(PLEXAUTH_BUILDING)
#    define PLEXAUTH_API __declspec(dllexport)
#  else
#    define PLEXAUTH_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define PLEXAUTH_API __attribute__((visibility("default")))
#else
#  define PLEXAUTH_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

/* BEGIN GENERATED: version (codegen/generate.py; edit codegen/api.py) */
#define PLEXAUTH_VERSION_MAJOR 0
#define PLEXAUTH_VERSION_MINOR 2
#define PLEXAUTH_VERSION_PATCH 0
#define PLEXAUTH_VERSION_STRING "0.2.0"
/* END GENERATED: version */
/** (major << 16) | (minor << 8) | patch */
#define PLEXAUTH_VERSION_NUMBER \
  ((PLEXAUTH_VERSION_MAJOR << 16) | (PLEXAUTH_VERSION_MINOR << 8) | PLEXAUTH_VERSION_PATCH)

/**
 * The version of the library actually loaded at run time (which may differ
 * from the PLEXAUTH_VERSION_* macros of the header you compiled against).
 * Any of major/minor/patch may be NULL. Returns a static string such as
 * "0.1.0". Thread-safe; never fails.
 */
PLEXAUTH_API const char *plexauth_version(int *major, int *minor, int *patch);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

/* BEGIN GENERATED: statuses (codegen/generate.py; edit codegen/api.py) */
typedef enum plexauth_status {
  PLEXAUTH_OK = 0,
  /**
   * A caller-supplied argument was NULL where it must not be, not valid UTF-8, held a control
   * character (CR, LF, NUL...), was absurdly long, or was out of range. Nothing was sent.
   */
  PLEXAUTH_E_INVALID_ARGUMENT = 1,
  /** HTTP 400 with Plex's errors[] (e.g. code 1000 "X-Plex-Client-Identifier is missing"). */
  PLEXAUTH_E_BAD_REQUEST = 2,
  /**
   * HTTP 401 (e.g. code 1001), or plex.tv's 422 "invalid token": the token or the credentials are
   * not accepted.
   */
  PLEXAUTH_E_UNAUTHORIZED = 3,
  /**
   * HTTP 401 carrying Plex code 1029: sign-in needs a 2FA verification code (or the one given was
   * wrong). Ask the user and sign in again with it.
   */
  PLEXAUTH_E_TWO_FACTOR_REQUIRED = 4,
  /** HTTP 429. plexauth_error_retry_after_ms() gives Retry-After if sent. */
  PLEXAUTH_E_RATE_LIMITED = 5,
  /** Any other HTTP 3XX/4XX/5XX. The error keeps the status and a truncated, redacted body. */
  PLEXAUTH_E_HTTP = 6,
  /** DNS, connect, send/receive failure, connection reset. */
  PLEXAUTH_E_TRANSPORT = 7,
  /** The connect timeout or the per-attempt timeout expired. */
  PLEXAUTH_E_TIMEOUT = 8,
  /** The call's plexauth_cancel was triggered. */
  PLEXAUTH_E_CANCELLED = 9,
  /**
   * A success status with the wrong content type or an unexpected status code, a body that is not
   * JSON, too deeply nested, or a required field missing or of the wrong type (the message names
   * the field).
   */
  PLEXAUTH_E_MALFORMED_RESPONSE = 10,
  /** Memory could not be allocated. */
  PLEXAUTH_E_OUT_OF_MEMORY = 11,
  /** TLS handshake or certificate verification failed. */
  PLEXAUTH_E_TLS = 12,
  /** The response body exceeded the configured cap (plexauth_config_set_max_response_bytes). */
  PLEXAUTH_E_RESPONSE_TOO_LARGE = 13,
  /**
   * A sign-in was refused with Plex code 1031: plex.tv has locked sign-ins from this IP after
   * repeated failures. Never retried automatically.
   */
  PLEXAUTH_E_SIGN_IN_THROTTLED = 14,
  /** The token provider callback reported a failure. */
  PLEXAUTH_E_CALLBACK = 15,
  /** A bug in plexauth. Please report it. */
  PLEXAUTH_E_INTERNAL = 16,
  /**
   * The PIN is unknown to plex.tv or has expired (HTTP 404 with Plex code 1020). Create a new one.
   */
  PLEXAUTH_E_PIN_EXPIRED = 17,
  /**
   * HTTP 403 with Plex code 1041: switching to this Plex Home user needs its PIN (or the one given
   * was wrong).
   */
  PLEXAUTH_E_PIN_REQUIRED = 18
} plexauth_status;
/** The highest status this header knows (a newer library may return higher ones). */
#define PLEXAUTH_STATUS_LAST PLEXAUTH_E_PIN_REQUIRED

/**
 * Stable snake_case name of a status: "ok", "invalid_argument", "bad_request", "unauthorized",
 * "two_factor_required", "rate_limited", "http_error", "transport", "timeout", "cancelled",
 * "malformed_response", "out_of_memory", "tls", "response_too_large", "sign_in_throttled",
 * "callback_error", "internal", "pin_expired", "pin_required". Unknown values give "unknown".
 * Static string; thread-safe.
 */
PLEXAUTH_API const char *plexauth_status_name(plexauth_status status);
/* END GENERATED: statuses */

/* ------------------------------------------------------------------------ */
/* Error detail                                                              */
/* ------------------------------------------------------------------------ */

/** Owned error detail. Free with plexauth_error_free(). Immutable. */
typedef struct plexauth_error plexauth_error;

/** Frees an error. NULL is accepted. */
PLEXAUTH_API void plexauth_error_free(plexauth_error *err);
/** The status this error stands for (PLEXAUTH_E_INVALID_ARGUMENT if err is NULL). */
PLEXAUTH_API plexauth_status plexauth_error_status(const plexauth_error *err);
/** A human-readable message in English. Never contains a token, password or
 *  2FA code. Never NULL (empty string if err is NULL). */
PLEXAUTH_API const char *plexauth_error_message(const plexauth_error *err);
/** The HTTP status of the last response, or 0 when no response was received. */
PLEXAUTH_API int plexauth_error_http_status(const plexauth_error *err);
/** How many HTTP attempts were made (0 when the call failed before sending). */
PLEXAUTH_API unsigned plexauth_error_attempts(const plexauth_error *err);
/** Retry-After of the last response, in milliseconds (seconds or HTTP-date
 *  form). Returns 1 and writes *out when the header was present and valid. */
PLEXAUTH_API int plexauth_error_retry_after_ms(const plexauth_error *err, int64_t *out);
/** Number of entries in Plex's errors[] array of the last response. */
PLEXAUTH_API size_t plexauth_error_plex_errors_count(const plexauth_error *err);
/** errors[index].code; 1 if present. */
PLEXAUTH_API int plexauth_error_plex_error_code(const plexauth_error *err, size_t index, int64_t *out);
/** errors[index].status; 1 if present. */
PLEXAUTH_API int plexauth_error_plex_error_status(const plexauth_error *err, size_t index, int64_t *out);
/** errors[index].message, or NULL when absent / out of range. */
PLEXAUTH_API const char *plexauth_error_plex_error_message(const plexauth_error *err, size_t index);
/** Content-Type of the last response, or NULL when there was none. */
PLEXAUTH_API const char *plexauth_error_content_type(const plexauth_error *err);
/** The last response body, truncated to at most 4096 bytes, with known
 *  secrets redacted. NUL-terminated; *len (if not NULL) receives its length.
 *  Returns NULL (and *len = 0) when there was no body. */
PLEXAUTH_API const char *plexauth_error_body(const plexauth_error *err, size_t *len);

/* ------------------------------------------------------------------------ */
/* Logging                                                                   */
/* ------------------------------------------------------------------------ */

typedef enum plexauth_log_level {
  PLEXAUTH_LOG_ERROR = 1,
  PLEXAUTH_LOG_WARN = 2,
  PLEXAUTH_LOG_INFO = 3,
  PLEXAUTH_LOG_DEBUG = 4
} plexauth_log_level;

/**
 * Log sink. `message` is one message without a trailing newline (a request
 * dump spans several lines separated by '\n'), already redacted: tokens, passwords and 2FA codes are replaced by "<redacted>".
 * It is borrowed for the duration of the call only. Called on the thread that
 * performs the request (the caller of an operation), possibly from several
 * threads at once. Must not call back into the same client.
 */
typedef void (*plexauth_log_fn)(void *user_data, plexauth_log_level level, const char *message);

/* ------------------------------------------------------------------------ */
/* Token provider                                                            */
/* ------------------------------------------------------------------------ */

/** Passed to a token provider; the provider hands the token over with
 *  plexauth_token_sink_set(). Valid only during the provider call. */
typedef struct plexauth_token_sink plexauth_token_sink;

/**
 * Supplies the access token (X-Plex-Token) for each attempt, instead of a
 * fixed string. Called on the thread that performs the request, once per HTTP
 * attempt of every operation that sends a token (not for sign-in), possibly
 * from several threads at once.
 * Return 0 on success. Not calling plexauth_token_sink_set() means "no token"
 * (the header is left out). A non-zero return fails the call with
 * PLEXAUTH_E_CALLBACK; so does a token that plexauth_token_sink_set()
 * refused (the last accepted value is kept, but the call still fails).
 */
typedef int (*plexauth_token_provider_fn)(void *user_data, plexauth_token_sink *sink);

/** Copies the token (len bytes, need not be NUL-terminated). Returns
 *  PLEXAUTH_E_INVALID_ARGUMENT for NULL, invalid UTF-8, control characters or
 *  more than 16 KiB. */
PLEXAUTH_API plexauth_status plexauth_token_sink_set(plexauth_token_sink *sink, const char *token, size_t len);

/* ------------------------------------------------------------------------ */
/* Retry policy                                                              */
/* ------------------------------------------------------------------------ */

/**
 * A retry policy. Defaults (plexauth_retry_new):
 *   initial interval 500 ms, exponent 1.5, max interval 60 000 ms,
 *   max elapsed 300 000 ms (5 minutes), max attempts 0 (no cap),
 *   retry connection errors and timeouts: on.
 * Wait before retry n (n = 0, 1, ...):
 *   min(max_interval, initial * exponent^n * (1 + j)), j uniform in [0, 0.25).
 * A Retry-After header (429 or 503) replaces that wait. A retry whose wait
 * would end past max_elapsed is not made; the last failure is returned.
 * Retried: HTTP 5XX; 429 on GET operations; connection errors and timeouts
 * when enabled. Never retried: sign-in after any 4XX.
 */
typedef struct plexauth_retry plexauth_retry;

PLEXAUTH_API plexauth_status plexauth_retry_new(plexauth_retry **out);
PLEXAUTH_API void plexauth_retry_free(plexauth_retry *retry);
/** ms >= 1. */
PLEXAUTH_API plexauth_status plexauth_retry_set_initial_interval_ms(plexauth_retry *retry, int64_t ms);
/** ms >= 1. */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_interval_ms(plexauth_retry *retry, int64_t ms);
/** 1.0 <= exponent <= 10.0. */
PLEXAUTH_API plexauth_status plexauth_retry_set_exponent(plexauth_retry *retry, double exponent);
/** ms >= 0; 0 means "no retries after the first attempt". */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_elapsed_ms(plexauth_retry *retry, int64_t ms);
/** Total attempts including the first; 0 means no cap. */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_attempts(plexauth_retry *retry, unsigned attempts);
/** Non-zero: retry connection errors and timeouts. */
PLEXAUTH_API plexauth_status plexauth_retry_set_retry_connection_errors(plexauth_retry *retry, int enabled);

/* ------------------------------------------------------------------------ */
/* Cancellation                                                              */
/* ------------------------------------------------------------------------ */

/**
 * A cancel token. Attach it to calls through plexauth_call_options_set_cancel.
 * Triggering it (from any thread) makes every call using it return
 * PLEXAUTH_E_CANCELLED promptly (within ~100 ms), whether it is mid-transfer
 * or in a backoff wait. A triggered token stays triggered; calls started with
 * it fail at once. Reference-counted internally: it may be freed while calls
 * still use it.
 */
typedef struct plexauth_cancel plexauth_cancel;

PLEXAUTH_API plexauth_status plexauth_cancel_new(plexauth_cancel **out);
/** Any thread. NULL is ignored. */
PLEXAUTH_API void plexauth_cancel_trigger(plexauth_cancel *cancel);
/** 1 when triggered, else 0. Any thread. */
PLEXAUTH_API int plexauth_cancel_is_triggered(const plexauth_cancel *cancel);
PLEXAUTH_API void plexauth_cancel_free(plexauth_cancel *cancel);

/* ------------------------------------------------------------------------ */
/* Client configuration                                                      */
/* ------------------------------------------------------------------------ */

/**
 * Client-wide settings. Every setter copies its input. Passing NULL to a
 * string setter clears that setting (back to its default). Setters return
 * PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 * UTF-8, contains a control character, or is longer than 16 KiB (URLs: must be
 * an absolute http:// or https:// URL).
 *
 * Defaults:
 *   access token            none (no X-Plex-Token header)
 *   identity headers        X-Plex-Product "plexauth", X-Plex-Version the
 *                           library's version (plexauth_version), X-Plex-Platform
 *                           uname's system name (e.g. "Linux"), X-Plex-Device-Name
 *                           the host name; no client identifier (use
 *                           plexauth_client_id_load_or_create) and no
 *                           X-Plex-Device. A value set by the caller (config,
 *                           call options, sign-in request) always wins; an
 *                           empty string set on purpose sends no header.
 *   PMS                     protocol "https", ip "10.10.10.47", port 32400
 *                           (the seed SDK's defaults) unless a server URL is set
 *   plex.tv API base        "https://plex.tv/api/v2"
 *   connect timeout         10 000 ms      (0 = no limit)
 *   per-attempt timeout     30 000 ms      (0 = no limit)
 *   retry policy            see plexauth_retry
 *   max response bytes      8 MiB
 *   CA bundle               the system's
 *   log                     none
 */
typedef struct plexauth_config plexauth_config;

PLEXAUTH_API plexauth_status plexauth_config_new(plexauth_config **out);
PLEXAUTH_API void plexauth_config_free(plexauth_config *cfg);

/** The access token sent as X-Plex-Token. Replaces any token provider. */
PLEXAUTH_API plexauth_status plexauth_config_set_access_token(plexauth_config *cfg, const char *token);
/**
 * A callback that supplies the token on each attempt. Replaces any fixed
 * token. `destroy` (may be NULL) is called once with user_data when the last
 * config or client holding this provider is freed, or when the provider is
 * replaced. fn == NULL clears the provider (and calls destroy at once).
 * On a non-OK return nothing is installed and destroy is not called:
 * user_data stays the caller's.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_token_provider(plexauth_config *cfg, plexauth_token_provider_fn fn,
                                                               void *user_data, void (*destroy)(void *user_data));

/* BEGIN GENERATED: config identity (codegen/generate.py; edit codegen/api.py) */
/** X-Plex-Client-Identifier: Use one stable value per installation. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_client_id(plexauth_config *cfg, const char *value);
/** X-Plex-Product: The product (application) name. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_client_name(plexauth_config *cfg, const char *value);
/** X-Plex-Version: The product's version. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_client_version(plexauth_config *cfg, const char *value);
/** X-Plex-Platform: The platform, e.g. "Linux". NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_platform(plexauth_config *cfg, const char *value);
/** X-Plex-Device: The device's friendly name. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_device_nickname(plexauth_config *cfg, const char *value);
/** X-Plex-Device-Name: The device's name as shown in the account's device list. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_config_set_device_name(plexauth_config *cfg, const char *value);
/* END GENERATED: config identity */

/** The PMS base URL, e.g. "http://127.0.0.1:32400". One trailing '/' is
 *  removed. When set, protocol/ip/port are ignored. */
PLEXAUTH_API plexauth_status plexauth_config_set_server_url(plexauth_config *cfg, const char *url);
/** "http" or "https". */
PLEXAUTH_API plexauth_status plexauth_config_set_server_protocol(plexauth_config *cfg, const char *protocol);
/** Host name or IP address (IPv6 without brackets is accepted). */
PLEXAUTH_API plexauth_status plexauth_config_set_server_ip(plexauth_config *cfg, const char *ip);
/** 1..65535. */
PLEXAUTH_API plexauth_status plexauth_config_set_server_port(plexauth_config *cfg, int port);
/** The plex.tv API base, default "https://plex.tv/api/v2". */
PLEXAUTH_API plexauth_status plexauth_config_set_plex_tv_url(plexauth_config *cfg, const char *url);
/** The clients.plex.tv API base (device keys, JWT), default
 *  "https://clients.plex.tv/api/v2". NULL restores the default. */
PLEXAUTH_API plexauth_status plexauth_config_set_clients_url(plexauth_config *cfg, const char *url);

/** 0 = no limit; otherwise 1 .. 86 400 000. */
PLEXAUTH_API plexauth_status plexauth_config_set_connect_timeout_ms(plexauth_config *cfg, int64_t ms);
/** Limit on each HTTP attempt as a whole; 0 = no limit. */
PLEXAUTH_API plexauth_status plexauth_config_set_timeout_ms(plexauth_config *cfg, int64_t ms);
/** Copies the policy. NULL disables retries for this client. */
PLEXAUTH_API plexauth_status plexauth_config_set_retry(plexauth_config *cfg, const plexauth_retry *retry);
/** Cap on a response body (after decompression), 1 KiB .. 1 GiB. A larger
 *  body fails with PLEXAUTH_E_RESPONSE_TOO_LARGE. */
PLEXAUTH_API plexauth_status plexauth_config_set_max_response_bytes(plexauth_config *cfg, size_t bytes);
/** Path to a PEM CA bundle used to verify HTTPS servers. NULL = system. */
PLEXAUTH_API plexauth_status plexauth_config_set_ca_bundle(plexauth_config *cfg, const char *path);
/** Non-zero disables TLS verification. Dangerous; logs a warning on every
 *  client created with it. Off by default. */
PLEXAUTH_API plexauth_status plexauth_config_set_insecure_skip_tls_verify(plexauth_config *cfg, int insecure);
/** Whether the proxy environment variables (http_proxy, https_proxy,
 *  all_proxy/ALL_PROXY, no_proxy/NO_PROXY) are honoured, as libcurl does by
 *  default. 0 = ignore them: every request goes directly to the server.
 *  Default 1. While they are honoured, a call that sends the token to an
 *  http:// server through an http:// proxy logs a warning (the proxy can read
 *  the token). Returns PLEXAUTH_E_INVALID_ARGUMENT only for cfg == NULL. */
PLEXAUTH_API plexauth_status plexauth_config_set_use_env_proxy(plexauth_config *cfg, int use);
/** Log sink and the most verbose level passed to it. fn == NULL: no logging.
 *  user_data must stay valid until every config and client holding this sink
 *  has been freed (clients copy the config's sink). */
PLEXAUTH_API plexauth_status plexauth_config_set_log(plexauth_config *cfg, plexauth_log_level max_level,
                                                    plexauth_log_fn fn, void *user_data);

/* ------------------------------------------------------------------------ */
/* Client                                                                    */
/* ------------------------------------------------------------------------ */

/** A client: a snapshot of a config plus a pool of keep-alive connections.
 *  Safe to use from many threads at once. */
typedef struct plexauth_client plexauth_client;

/** Creates a client from cfg (copied; cfg may be freed afterwards).
 *  Errors: INVALID_ARGUMENT, OUT_OF_MEMORY, INTERNAL. */
PLEXAUTH_API plexauth_status plexauth_client_new(plexauth_client **out, const plexauth_config *cfg,
                                                 plexauth_error **err);
/** Frees the client. No call may be in progress on it. NULL is accepted.
 *  Once it returns, no callback (token provider, log sink) of this client
 *  runs again. */
PLEXAUTH_API void plexauth_client_free(plexauth_client *client);

/* ------------------------------------------------------------------------ */
/* Per-call options                                                          */
/* ------------------------------------------------------------------------ */

/** Optional per-call overrides. Pass NULL to an operation for none. */
typedef struct plexauth_call_options plexauth_call_options;

PLEXAUTH_API plexauth_status plexauth_call_options_new(plexauth_call_options **out);
PLEXAUTH_API void plexauth_call_options_free(plexauth_call_options *opts);
/** Base URL for this call (PMS base for PMS operations, plex.tv API base for
 *  plex.tv operations). NULL clears. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_server_url(plexauth_call_options *opts, const char *url);
/** Per-attempt timeout for this call; 0 = no limit; -1 = client default. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_timeout_ms(plexauth_call_options *opts, int64_t ms);
/** Retry policy for this call (copied). NULL means "no retries" for this call. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_retry(plexauth_call_options *opts, const plexauth_retry *retry);
/** Back to the client's retry policy. */
PLEXAUTH_API plexauth_status plexauth_call_options_clear_retry(plexauth_call_options *opts);
/** Attaches a cancel token (a reference is kept). NULL detaches. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_cancel(plexauth_call_options *opts, plexauth_cancel *cancel);
/** X-Plex-Token for this call only (beats the client's token and token
 *  provider), so that one client can serve many users. Copied and wiped when
 *  replaced or freed; never logged. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_access_token(plexauth_call_options *opts, const char *token);
/* BEGIN GENERATED: call options identity (codegen/generate.py; edit codegen/api.py) */
/**
 * X-Plex-Client-Identifier for this call (beats the client's): Use one stable value per
 * installation. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_id(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Product for this call (beats the client's): The product (application) name. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_name(plexauth_call_options *opts, const char *value);
/** X-Plex-Version for this call (beats the client's): The product's version. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_version(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Platform for this call (beats the client's): The platform, e.g. "Linux". NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_platform(plexauth_call_options *opts, const char *value);
/** X-Plex-Device for this call (beats the client's): The device's friendly name. NULL clears. */
PLEXAUTH_API plexauth_status plexauth_call_options_set_device_nickname(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Device-Name for this call (beats the client's): The device's name as shown in the
 * account's device list. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_device_name(plexauth_call_options *opts, const char *value);
/* END GENERATED: call options identity */

/* ------------------------------------------------------------------------ */
/* Raw response                                                              */
/* ------------------------------------------------------------------------ */

/** The HTTP response behind a result. Borrowed from its result. */
typedef struct plexauth_response plexauth_response;

PLEXAUTH_API int plexauth_response_status(const plexauth_response *resp);
/** Content-Type header value, "" when absent. */
PLEXAUTH_API const char *plexauth_response_content_type(const plexauth_response *resp);
PLEXAUTH_API size_t plexauth_response_headers_count(const plexauth_response *resp);
/** Header name as received. */
PLEXAUTH_API const char *plexauth_response_header_name(const plexauth_response *resp, size_t index);
PLEXAUTH_API const char *plexauth_response_header_value(const plexauth_response *resp, size_t index);
/** First header with that name (case-insensitive), or NULL. */
PLEXAUTH_API const char *plexauth_response_header(const plexauth_response *resp, const char *name);
/** The body (NUL-terminated; may contain NULs). *len receives its length if
 *  len is not NULL. Never NULL for a valid resp (empty string). */
PLEXAUTH_API const char *plexauth_response_body(const plexauth_response *resp, size_t *len);

/* ------------------------------------------------------------------------ */
/* Sign-in request (post_users_sign_in_data)                                 */
/* ------------------------------------------------------------------------ */

/** A sign-in request. The password and code are wiped from memory when the
 *  request is freed or the value replaced. */
typedef struct plexauth_sign_in plexauth_sign_in;

PLEXAUTH_API plexauth_status plexauth_sign_in_new(plexauth_sign_in **out);
PLEXAUTH_API void plexauth_sign_in_free(plexauth_sign_in *req);
/** Required. The account's e-mail or user name. */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_login(plexauth_sign_in *req, const char *login);
/** Required. */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_password(plexauth_sign_in *req, const char *password);
/** rememberMe; default 0. Always sent. */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_remember_me(plexauth_sign_in *req, int remember_me);
/** verificationCode (2FA); sent only when set. NULL clears. At most 64 bytes. */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_verification_code(plexauth_sign_in *req, const char *code);
/* BEGIN GENERATED: sign-in identity (codegen/generate.py; edit codegen/api.py) */
/**
 * X-Plex-Client-Identifier for this sign-in (beats the call's and the client's): Use one stable
 * value per installation. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_id(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Product for this sign-in (beats the call's and the client's): The product (application)
 * name. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_name(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Version for this sign-in (beats the call's and the client's): The product's version. NULL
 * clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_version(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Platform for this sign-in (beats the call's and the client's): The platform, e.g.
 * "Linux". NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_platform(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Device for this sign-in (beats the call's and the client's): The device's friendly name.
 * NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_device_nickname(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Device-Name for this sign-in (beats the call's and the client's): The device's name as
 * shown in the account's device list. NULL clears.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_device_name(plexauth_sign_in *req, const char *value);
/* END GENERATED: sign-in identity */

/* BEGIN GENERATED: operations (codegen/generate.py; edit codegen/api.py) */
/* ------------------------------------------------------------------------ */
/* get_transient_token                                                      */
/* ------------------------------------------------------------------------ */

/** get_transient_token's result: MediaContainer of GET /security/token. */
typedef struct plexauth_transient_token plexauth_transient_token;

/**
 * GET {PMS}/security/token?type={type}&scope={scope} with X-Plex-Token: A temporary token with the
 * caller's access level (valid up to 48 h, lost when the server restarts). Success is 200
 * application/json (or an empty body: every field absent). type: "delegation", the only documented
 * value. (NULL means "delegation"). scope: "all", the only documented value. (NULL means "all").
 * On success *out is a new result: free it with plexauth_transient_token_free. Any thread; errors:
 * any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_transient_token(plexauth_transient_token **out, plexauth_client *client, const char *type, const char *scope, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_transient_token_free(plexauth_transient_token *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_transient_token_response(const plexauth_transient_token *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_transient_token_json(const plexauth_transient_token *r, size_t *len);

/* TransientToken (plexauth_transient_token) */
/**
 * token: The transient token (valid up to 48 h, lost when the server restarts). NULL when absent
 * or null.
 */
PLEXAUTH_API const char *plexauth_transient_token_token(const plexauth_transient_token *h);

/* ------------------------------------------------------------------------ */
/* get_source_connection_information                                        */
/* ------------------------------------------------------------------------ */

/**
 * get_source_connection_information's result: MediaContainer.Device (every field absent when the
 * server sent no Device).
 */
typedef struct plexauth_source_info plexauth_source_info;
/** One of a source's connections (MediaContainer.Device.Connection[]). */
typedef struct plexauth_connection plexauth_connection;

/**
 * GET {PMS}/security/resources?source={source} with X-Plex-Token: Connection details and a token
 * for a source the server knows (admin token required). Success is 200 application/json (or an
 * empty body: every field absent). source: The source, e.g. "server://<client-identifier>".
 * (required, must not be empty). On success *out is a new result: free it with
 * plexauth_source_info_free. Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_source_connection_information(plexauth_source_info **out, plexauth_client *client, const char *source, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_source_info_free(plexauth_source_info *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_source_info_response(const plexauth_source_info *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_source_info_json(const plexauth_source_info *r, size_t *len);

/* SourceInfo (plexauth_source_info) */
/** name: Device.name. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_source_info_name(const plexauth_source_info *h);
/** clientIdentifier: Device.clientIdentifier. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_source_info_client_identifier(const plexauth_source_info *h);
/** accessToken: Device.accessToken: a token for this source. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_source_info_access_token(const plexauth_source_info *h);
/** Connection: Device.Connection[]. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_source_info_connections_count(const plexauth_source_info *h);
/** Connection[index], borrowed from its owner; NULL when out of range. */
PLEXAUTH_API const plexauth_connection *plexauth_source_info_connections_at(const plexauth_source_info *h, size_t index);

/* Connection (plexauth_connection) */
/** protocol: "http" or "https". NULL when absent or null. */
PLEXAUTH_API const char *plexauth_connection_protocol(const plexauth_connection *h);
/** address: Host name or IP address. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_connection_address(const plexauth_connection *h);
/** port: TCP port. 1 and *out written when present. */
PLEXAUTH_API int plexauth_connection_port(const plexauth_connection *h, int64_t *out);
/** uri: The full base URI. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_connection_uri(const plexauth_connection *h);
/** local: The server's LAN address. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_connection_local(const plexauth_connection *h, int *out);
/** relay: Relayed through plex.tv. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_connection_relay(const plexauth_connection *h, int *out);

/* ------------------------------------------------------------------------ */
/* get_token_details                                                        */
/* ------------------------------------------------------------------------ */

/** The plex.tv account (UserPlexAccount): get_token_details and post_users_sign_in_data. */
typedef struct plexauth_account plexauth_account;
/** The account's profile (UserProfile). */
typedef struct plexauth_profile plexauth_profile;
/** A subscription (subscription and subscriptions[]). */
typedef struct plexauth_subscription plexauth_subscription;
/** A services[] entry. */
typedef struct plexauth_service plexauth_service;
/** A pastSubscriptions[] entry (sign-in only). */
typedef struct plexauth_past_subscription plexauth_past_subscription;

/**
 * GET {plex.tv}/user with X-Plex-Token: The account behind the token. Success is 200
 * application/json. On success *out is a new result: free it with plexauth_account_free. Any
 * thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_token_details(plexauth_account **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_account_free(plexauth_account *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_account_response(const plexauth_account *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_account_json(const plexauth_account *r, size_t *len);

/* Account (plexauth_account) */
/** authToken: The account's token, to be used as X-Plex-Token. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_auth_token(const plexauth_account *h);
/** uuid: The account's UUID. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_uuid(const plexauth_account *h);
/** username: The user name. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_username(const plexauth_account *h);
/** title: The display title. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_title(const plexauth_account *h);
/** email: The e-mail address. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_email(const plexauth_account *h);
/** friendlyName: The friendly name. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_friendly_name(const plexauth_account *h);
/** locale: The locale. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_locale(const plexauth_account *h);
/** thumb: Avatar URL. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_thumb(const plexauth_account *h);
/**
 * mailingListStatus: Open enum: "active", "unsubscribed", "removed", or any other string. NULL
 * when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_mailing_list_status(const plexauth_account *h);
/** scrobbleTypes: Scrobble types. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_scrobble_types(const plexauth_account *h);
/** country: Two-letter country code. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_country(const plexauth_account *h);
/** subscriptionDescription: A description of the subscription. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_subscription_description(const plexauth_account *h);
/** pin: Deprecated hashed Home PIN. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_pin(const plexauth_account *h);
/** attributionPartner: Attribution partner. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_account_attribution_partner(const plexauth_account *h);
/** id: The account's numeric id. 1 and *out written when present. */
PLEXAUTH_API int plexauth_account_id(const plexauth_account *h, int64_t *out);
/** joinedAt: Unix seconds. 1 and *out written when present. */
PLEXAUTH_API int plexauth_account_joined_at(const plexauth_account *h, int64_t *out);
/** homeSize: Members of the Plex Home. 1 and *out written when present. */
PLEXAUTH_API int plexauth_account_home_size(const plexauth_account *h, int64_t *out);
/** maxHomeSize: Maximum members of the Plex Home. 1 and *out written when present. */
PLEXAUTH_API int plexauth_account_max_home_size(const plexauth_account *h, int64_t *out);
/** rememberExpiresAt: When the token expires (Unix seconds). 1 and *out written when present. */
PLEXAUTH_API int plexauth_account_remember_expires_at(const plexauth_account *h, int64_t *out);
/**
 * adsConsentReminderAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time). 1
 * and *out written when present.
 */
PLEXAUTH_API int plexauth_account_ads_consent_reminder_at(const plexauth_account *h, int64_t *out);
/**
 * adsConsentSetAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time). 1 and
 * *out written when present.
 */
PLEXAUTH_API int plexauth_account_ads_consent_set_at(const plexauth_account *h, int64_t *out);
/** adsConsent: Consented to ads. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_ads_consent(const plexauth_account *h, int *out);
/** anonymous: Anonymous account. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_anonymous(const plexauth_account *h, int *out);
/** backupCodesCreated: 2FA backup codes exist. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_backup_codes_created(const plexauth_account *h, int *out);
/** confirmed: E-mail confirmed. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_confirmed(const plexauth_account *h, int *out);
/** emailOnlyAuth: Signs in by e-mail only. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_email_only_auth(const plexauth_account *h, int *out);
/** experimentalFeatures: Experimental features on. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_experimental_features(const plexauth_account *h, int *out);
/** guest: Guest account. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_guest(const plexauth_account *h, int *out);
/** hasPassword: Has a password. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_has_password(const plexauth_account *h, int *out);
/** home: Member of a Plex Home. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_home(const plexauth_account *h, int *out);
/** homeAdmin: Admin of its Plex Home. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_home_admin(const plexauth_account *h, int *out);
/** mailingListActive: On the mailing list. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_mailing_list_active(const plexauth_account *h, int *out);
/** protected: Protected by a Home PIN. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_protected(const plexauth_account *h, int *out);
/** restricted: Restricted (managed) account. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_restricted(const plexauth_account *h, int *out);
/** twoFactorEnabled: 2FA enabled. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_account_two_factor_enabled(const plexauth_account *h, int *out);
/** entitlements: Entitlements. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_account_entitlements_count(const plexauth_account *h);
/** entitlements[index]; NULL when out of range. */
PLEXAUTH_API const char *plexauth_account_entitlements_at(const plexauth_account *h, size_t index);
/** roles: Roles. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_account_roles_count(const plexauth_account *h);
/** roles[index]; NULL when out of range. */
PLEXAUTH_API const char *plexauth_account_roles_at(const plexauth_account *h, size_t index);
/** profile: The profile. Borrowed from its owner; NULL when absent. */
PLEXAUTH_API const plexauth_profile *plexauth_account_profile(const plexauth_account *h);
/** subscription: The current subscription. Borrowed from its owner; NULL when absent. */
PLEXAUTH_API const plexauth_subscription *plexauth_account_subscription(const plexauth_account *h);
/** subscriptions: All subscriptions. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_account_subscriptions_count(const plexauth_account *h);
/** subscriptions[index], borrowed from its owner; NULL when out of range. */
PLEXAUTH_API const plexauth_subscription *plexauth_account_subscriptions_at(const plexauth_account *h, size_t index);
/** services: Services. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_account_services_count(const plexauth_account *h);
/** services[index], borrowed from its owner; NULL when out of range. */
PLEXAUTH_API const plexauth_service *plexauth_account_services_at(const plexauth_account *h, size_t index);
/** pastSubscriptions: Sign-in only: past subscriptions. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_account_past_subscriptions_count(const plexauth_account *h);
/** pastSubscriptions[index], borrowed from its owner; NULL when out of range. */
PLEXAUTH_API const plexauth_past_subscription *plexauth_account_past_subscriptions_at(const plexauth_account *h, size_t index);
/**
 * trials: Sign-in only: trials (their items carry no documented fields). The number of entries (0
 * when absent).
 */
PLEXAUTH_API size_t plexauth_account_trials_count(const plexauth_account *h);

/* Profile (plexauth_profile) */
/**
 * autoSelectAudio: Select the audio track automatically. 1 and *out (0 or 1) written when present.
 */
PLEXAUTH_API int plexauth_profile_auto_select_audio(const plexauth_profile *h, int *out);
/** defaultAudioLanguage: Preferred audio language. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_profile_default_audio_language(const plexauth_profile *h);
/** defaultSubtitleLanguage: Preferred subtitle language. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_profile_default_subtitle_language(const plexauth_profile *h);
/** autoSelectSubtitle: Subtitle mode (0-2). 1 and *out written when present. */
PLEXAUTH_API int plexauth_profile_auto_select_subtitle(const plexauth_profile *h, int64_t *out);
/**
 * defaultSubtitleAccessibility: Subtitle accessibility preference (0-3). 1 and *out written when
 * present.
 */
PLEXAUTH_API int plexauth_profile_default_subtitle_accessibility(const plexauth_profile *h, int64_t *out);
/** defaultSubtitleForced: Forced subtitles preference (0-3). 1 and *out written when present. */
PLEXAUTH_API int plexauth_profile_default_subtitle_forced(const plexauth_profile *h, int64_t *out);
/** watchedIndicator: Watched indicator mode (0-3). 1 and *out written when present. */
PLEXAUTH_API int plexauth_profile_watched_indicator(const plexauth_profile *h, int64_t *out);
/** mediaReviewsVisibility: Media reviews visibility (0-3). 1 and *out written when present. */
PLEXAUTH_API int plexauth_profile_media_reviews_visibility(const plexauth_profile *h, int64_t *out);
/**
 * defaultAudioAccessibility: Audio accessibility preference (0-3; HEAD spec). 1 and *out written
 * when present.
 */
PLEXAUTH_API int plexauth_profile_default_audio_accessibility(const plexauth_profile *h, int64_t *out);

/* Subscription (plexauth_subscription) */
/** active: Whether the subscription is active. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_subscription_active(const plexauth_subscription *h, int *out);
/**
 * subscribedAt: When it started, as sent (e.g. "2021-04-12T18:21:12Z"). NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_subscription_subscribed_at(const plexauth_subscription *h);
/** status: Open enum: "Active", "Inactive", or any other string. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_subscription_status(const plexauth_subscription *h);
/** paymentService: The payment service. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_subscription_payment_service(const plexauth_subscription *h);
/** plan: The plan, e.g. "lifetime". NULL when absent or null. */
PLEXAUTH_API const char *plexauth_subscription_plan(const plexauth_subscription *h);
/** features: The features it unlocks. The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_subscription_features_count(const plexauth_subscription *h);
/** features[index]; NULL when out of range. */
PLEXAUTH_API const char *plexauth_subscription_features_at(const plexauth_subscription *h, size_t index);

/* Service (plexauth_service) */
/** identifier: The service, e.g. "metadata". NULL when absent or null. */
PLEXAUTH_API const char *plexauth_service_identifier(const plexauth_service *h);
/** endpoint: Its base URL. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_service_endpoint(const plexauth_service *h);
/** token: A token for the service. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_service_token(const plexauth_service *h);
/** secret: A secret for the service. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_service_secret(const plexauth_service *h);
/** status: Open enum: "online", "offline", or any other string. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_service_status(const plexauth_service *h);

/* PastSubscription (plexauth_past_subscription) */
/** id: Its identifier. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_past_subscription_id(const plexauth_past_subscription *h);
/** mode: Billing mode. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_past_subscription_mode(const plexauth_past_subscription *h);
/** renewsAt: Unix seconds. 1 and *out written when present. */
PLEXAUTH_API int plexauth_past_subscription_renews_at(const plexauth_past_subscription *h, int64_t *out);
/** endsAt: Unix seconds. 1 and *out written when present. */
PLEXAUTH_API int plexauth_past_subscription_ends_at(const plexauth_past_subscription *h, int64_t *out);
/** canceled: Cancelled. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_canceled(const plexauth_past_subscription *h, int *out);
/** gracePeriod: In its grace period. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_grace_period(const plexauth_past_subscription *h, int *out);
/** onHold: On hold. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_on_hold(const plexauth_past_subscription *h, int *out);
/** canReactivate: Can be reactivated. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_can_reactivate(const plexauth_past_subscription *h, int *out);
/** canUpgrade: Can be upgraded. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_can_upgrade(const plexauth_past_subscription *h, int *out);
/** canDowngrade: Can be downgraded. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_can_downgrade(const plexauth_past_subscription *h, int *out);
/** canConvert: Can be converted. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_past_subscription_can_convert(const plexauth_past_subscription *h, int *out);
/** type: The type, e.g. "plexpass". NULL when absent or null. */
PLEXAUTH_API const char *plexauth_past_subscription_type(const plexauth_past_subscription *h);
/** transfer: Transfer state. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_past_subscription_transfer(const plexauth_past_subscription *h);
/** state: Open enum: "ended" or any other string. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_past_subscription_state(const plexauth_past_subscription *h);
/** paymentMethodId: billing.paymentMethodId. 1 and *out written when present. */
PLEXAUTH_API int plexauth_past_subscription_billing_payment_method_id(const plexauth_past_subscription *h, int64_t *out);
/**
 * internalPaymentMethod: billing.internalPaymentMethod as compact JSON text (free-form object).
 * NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_billing_internal_payment_method(const plexauth_past_subscription *h);

/* ------------------------------------------------------------------------ */
/* post_users_sign_in_data                                                  */
/* ------------------------------------------------------------------------ */


/**
 * POST {plex.tv}/users/signin without X-Plex-Token: Signs in with a login and password (and a 2FA
 * code when asked for one); no X-Plex-Token is sent. Success is 201 application/json. HTTP 401
 * with Plex code 1029 gives PLEXAUTH_E_TWO_FACTOR_REQUIRED. any 4XX with Plex code 1031 gives
 * PLEXAUTH_E_SIGN_IN_THROTTLED. Never retried after a 4XX. On success *out is a new result: free
 * it with plexauth_account_free. Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_post_users_sign_in_data(plexauth_account **out, plexauth_client *client, const plexauth_sign_in *req, const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* create_pin                                                               */
/* ------------------------------------------------------------------------ */

/** A PIN for plex.tv/link or the hosted login page (create_pin, get_pin). */
typedef struct plexauth_pin plexauth_pin;

/**
 * POST {plex.tv}/pins?strong={strong} without X-Plex-Token: Creates a PIN for PIN or hosted
 * (OAuth) login; no X-Plex-Token is sent. plex.tv rate-limits PIN creation per client identifier:
 * a 429 is retried after Retry-After or the backoff. Success is 201 application/json. strong:
 * Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a 4-character one
 * for plex.tv/link (15 minutes). On success *out is a new result: free it with plexauth_pin_free.
 * Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_create_pin(plexauth_pin **out, plexauth_client *client, int strong, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_pin_free(plexauth_pin *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_pin_response(const plexauth_pin *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_pin_json(const plexauth_pin *r, size_t *len);

/* Pin (plexauth_pin) */
/**
 * id: The PIN's id: poll it with get_pin, from the same client identifier. 1 and *out written when
 * present.
 */
PLEXAUTH_API int plexauth_pin_id(const plexauth_pin *h, int64_t *out);
/**
 * code: The code: 4 characters for plex.tv/link, 25 for the hosted login page (strong). NULL when
 * absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_code(const plexauth_pin *h);
/** product: X-Plex-Product of the client that created it. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_pin_product(const plexauth_pin *h);
/** trusted: Whether plex.tv trusts the client. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_pin_trusted(const plexauth_pin *h, int *out);
/** qr: URL of a QR code for the code. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_pin_qr(const plexauth_pin *h);
/**
 * clientIdentifier: The client identifier that created it (poll with the same one). NULL when
 * absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_client_identifier(const plexauth_pin *h);
/**
 * expiresIn: Its lifetime in seconds (900 for 4 characters, 1800 strong). 1 and *out written when
 * present.
 */
PLEXAUTH_API int plexauth_pin_expires_in(const plexauth_pin *h, int64_t *out);
/** createdAt: When it was created (Unix seconds). 1 and *out written when present. */
PLEXAUTH_API int plexauth_pin_created_at(const plexauth_pin *h, int64_t *out);
/**
 * expiresAt: When it expires (Unix seconds); polling stops there. 1 and *out written when present.
 */
PLEXAUTH_API int plexauth_pin_expires_at(const plexauth_pin *h, int64_t *out);
/**
 * authToken: The account's token once the user approved the PIN; absent (null) until then. NULL
 * when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_auth_token(const plexauth_pin *h);
/**
 * newRegistration: Whether the approval created a new account. 1 and *out (0 or 1) written when
 * present.
 */
PLEXAUTH_API int plexauth_pin_new_registration(const plexauth_pin *h, int *out);
/** location: Where plex.tv places the client (free-form object). NULL when absent or null. */
PLEXAUTH_API const char *plexauth_pin_location(const plexauth_pin *h);

/* ------------------------------------------------------------------------ */
/* get_pin                                                                  */
/* ------------------------------------------------------------------------ */


/**
 * GET {plex.tv}/pins/{id} without X-Plex-Token: Polls a PIN (send the client identifier that
 * created it); its authToken is set once the user approved. Success is 200 application/json. id:
 * The PIN's id (create_pin's id). (required). HTTP 404 with Plex code 1020 gives
 * PLEXAUTH_E_PIN_EXPIRED. On success *out is a new result: free it with plexauth_pin_free. Any
 * thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_pin(plexauth_pin **out, plexauth_client *client, int64_t id, const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* link_pin                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * PUT {plex.tv}/pins/link with X-Plex-Token: Links a code shown by another device to the signed-in
 * account (the token's). Success is 204. code: The code the other device shows. (required, must
 * not be empty). HTTP 404 with Plex code 1020 gives PLEXAUTH_E_PIN_EXPIRED.
 */
PLEXAUTH_API plexauth_status plexauth_client_link_pin(plexauth_client *client, const char *code, const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* sign_out                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * DELETE {plex.tv}/users/signout with X-Plex-Token: Signs the token out: plex.tv invalidates it.
 * Success is 204.
 */
PLEXAUTH_API plexauth_status plexauth_client_sign_out(plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* switch_home_user                                                         */
/* ------------------------------------------------------------------------ */


/**
 * POST {plex.tv}/home/users/{user}/switch?pin={pin} with X-Plex-Token: Switches to a Plex Home
 * user: the result is that user's account and token. The PIN travels in the query, as plex.tv
 * requires; it is redacted from every log line and message. Success is 201 application/json. user:
 * The Home user's uuid (or numeric id). (required, must not be empty). pin: The Home user's PIN;
 * needed when the user is protected (NULL: none). (secret: wiped and redacted). HTTP 403 with Plex
 * code 1041 gives PLEXAUTH_E_PIN_REQUIRED. Never retried after a 4XX. On success *out is a new
 * result: free it with plexauth_account_free. Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_switch_home_user(plexauth_account **out, plexauth_client *client, const char *user, const char *pin, const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* ping                                                                     */
/* ------------------------------------------------------------------------ */

/** ping's result. */
typedef struct plexauth_pong plexauth_pong;

/**
 * GET {plex.tv}/ping with X-Plex-Token: Checks the token with plex.tv and keeps it alive (Plex
 * apps ping every 24 h). Success is 200 application/json. On success *out is a new result: free it
 * with plexauth_pong_free. Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_ping(plexauth_pong **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_pong_free(plexauth_pong *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_pong_response(const plexauth_pong *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_pong_json(const plexauth_pong *r, size_t *len);

/* Pong (plexauth_pong) */
/**
 * pong: true: plex.tv accepted the token (and extended its life). 1 and *out (0 or 1) written when
 * present.
 */
PLEXAUTH_API int plexauth_pong_pong(const plexauth_pong *h, int *out);

/* ------------------------------------------------------------------------ */
/* list_home_users                                                          */
/* ------------------------------------------------------------------------ */

/** list_home_users's result: the MediaContainer of the Home's members. */
typedef struct plexauth_home plexauth_home;
/** A Plex Home member (a User element of list_home_users). */
typedef struct plexauth_home_user plexauth_home_user;

/**
 * GET {plex.tv v1}/home/users with X-Plex-Token: Lists the members of the token's Plex Home (admin
 * and managed users) with whether each is protected by a PIN. plex.tv documents this route in its
 * v1 form only, which answers XML: the XML and a JSON body of the same shape are both read.
 * Success is 200 application/json or XML. On success *out is a new result: free it with
 * plexauth_home_free. Any thread; errors: any status.
 */
PLEXAUTH_API plexauth_status plexauth_client_list_home_users(plexauth_home **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/** Frees the result. NULL is accepted. */
PLEXAUTH_API void plexauth_home_free(plexauth_home *r);
/** The HTTP response behind the result, borrowed from it. */
PLEXAUTH_API const plexauth_response *plexauth_home_response(const plexauth_home *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Borrowed; *len receives the length when len is not NULL.
 * NULL only when memory ran out.
 */
PLEXAUTH_API const char *plexauth_home_json(const plexauth_home *r, size_t *len);

/* HomeUsers (plexauth_home) */
/** friendlyName: The container's friendly name. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_friendly_name(const plexauth_home *h);
/** identifier: The container's identifier. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_identifier(const plexauth_home *h);
/** machineIdentifier: The machine identifier. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_machine_identifier(const plexauth_home *h);
/** totalSize: Members in the Home. 1 and *out written when present. */
PLEXAUTH_API int plexauth_home_total_size(const plexauth_home *h, int64_t *out);
/** size: Members in this container. 1 and *out written when present. */
PLEXAUTH_API int plexauth_home_size(const plexauth_home *h, int64_t *out);
/** User: The Home's members (MediaContainer.User[]). The number of entries (0 when absent). */
PLEXAUTH_API size_t plexauth_home_users_count(const plexauth_home *h);
/** User[index], borrowed from its owner; NULL when out of range. */
PLEXAUTH_API const plexauth_home_user *plexauth_home_users_at(const plexauth_home *h, size_t index);

/* HomeUser (plexauth_home_user) */
/** id: The user's numeric id. 1 and *out written when present. */
PLEXAUTH_API int plexauth_home_user_id(const plexauth_home_user *h, int64_t *out);
/** uuid: The user's uuid: switch_home_user takes it. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_uuid(const plexauth_home_user *h);
/** title: The display name. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_title(const plexauth_home_user *h);
/** username: The plex.tv user name (empty for managed users). NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_username(const plexauth_home_user *h);
/** email: The e-mail address (empty for managed users). NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_email(const plexauth_home_user *h);
/** thumb: Avatar URL. NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_thumb(const plexauth_home_user *h);
/** admin: The Home's admin. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_home_user_admin(const plexauth_home_user *h, int *out);
/** guest: A guest account. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_home_user_guest(const plexauth_home_user *h, int *out);
/** restricted: A restricted (managed) user. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_home_user_restricted(const plexauth_home_user *h, int *out);
/** restrictionProfile: The restriction profile, e.g. "little_kid". NULL when absent or null. */
PLEXAUTH_API const char *plexauth_home_user_restriction_profile(const plexauth_home_user *h);
/** hasPassword: Has a plex.tv password. 1 and *out (0 or 1) written when present. */
PLEXAUTH_API int plexauth_home_user_has_password(const plexauth_home_user *h, int *out);
/**
 * protected: Protected by a Home PIN: switch_home_user needs it. 1 and *out (0 or 1) written when
 * present.
 */
PLEXAUTH_API int plexauth_home_user_protected(const plexauth_home_user *h, int *out);
/* END GENERATED: operations */

/* ------------------------------------------------------------------------ */
/* Login journey: device identity, hosted login URL, waiting for a PIN       */
/* ------------------------------------------------------------------------ */

/** A buffer of this size holds any client identifier (with its NUL). */
#define PLEXAUTH_CLIENT_ID_MAX 129

/**
 * A stable device identity: the client identifier stored in the file at
 * `path`, or a new random UUIDv4 written there once (mode 0600, atomically;
 * missing folders are created with mode 0700), so that repeated runs never
 * register new devices with plex.tv. path NULL: $XDG_CONFIG_HOME/plexauth/client_id
 * (or ~/.config/plexauth/client_id). A file that does not hold a client
 * identifier is left untouched (INVALID_ARGUMENT). The identifier and its NUL
 * are copied into out (out_size >= PLEXAUTH_CLIENT_ID_MAX always suffices).
 * Any thread; concurrent callers on one path all get the same identifier.
 */
PLEXAUTH_API plexauth_status plexauth_client_id_load_or_create(const char *path, char *out, size_t out_size,
                                                               plexauth_error **err);

/**
 * The hosted login page for a PIN's code:
 * https://app.plex.tv/auth#?clientID=..&code=..&context%5Bdevice%5D%5Bproduct%5D=..[&forwardUrl=..]
 * with the client's client_id and client_name (X-Plex-Product), every value
 * percent-encoded. Use a strong PIN's code (plexauth_client_create_pin with
 * strong != 0). forward_url (NULL: none) must be an absolute http(s) URL: the
 * page forwards there after the approval, without the token (poll the PIN).
 * The URL and its NUL are copied into out; *needed (if not NULL) receives the
 * size it takes. INVALID_ARGUMENT when out is too small (nothing copied), the
 * client has no client_id, or forward_url is not http(s). Any thread.
 */
PLEXAUTH_API plexauth_status plexauth_login_url(const plexauth_client *client, const char *code,
                                               const char *forward_url, char *out, size_t out_size,
                                               size_t *needed, plexauth_error **err);

/**
 * Progress of plexauth_client_wait_for_pin, called before each wait between
 * polls on the waiting thread, with the PIN's code and the seconds left until
 * it expires (-1 when unknown). Return 0 to keep waiting, non-zero to stop
 * (the wait then fails with PLEXAUTH_E_CANCELLED). Must not call back into
 * the same client.
 */
typedef int (*plexauth_pin_progress_fn)(void *user_data, const char *code, int64_t seconds_left);

/**
 * Waits until the user approves PIN `id` (at plex.tv/link or on the hosted
 * login page): polls GET {plex.tv}/pins/{id} every poll_interval_ms (0: 1000;
 * 100 .. 60000) from this client (whose client identifier must be the one
 * that created the PIN) and returns the PIN whose authToken is the account's
 * token. Errors: PIN_EXPIRED (plex.tv says so, or its expiresAt passed),
 * TIMEOUT (timeout_ms > 0 passed; 0: wait until the PIN expires), CANCELLED
 * (the call options' cancel token, within ~100 ms even mid-wait, or the
 * progress callback), or a poll's own error after its retries. progress may
 * be NULL. Blocks the calling thread. Free *out with plexauth_pin_free.
 */
PLEXAUTH_API plexauth_status plexauth_client_wait_for_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                                          int64_t poll_interval_ms, int64_t timeout_ms,
                                                          plexauth_pin_progress_fn progress, void *user_data,
                                                          const plexauth_call_options *opts, plexauth_error **err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PLEXAUTH_PLEXAUTH_H */
