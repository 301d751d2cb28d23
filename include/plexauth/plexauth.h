/**
 * @file plexauth/plexauth.h
 * plexauth — Plex authentication as a native library with a stable C ABI.
 *
 * This header is the whole public contract. It compiles as C99 and as C++.
 *
 * Doxygen style (docs/design.md, "C ABI"): a Javadoc comment before each declaration, its first
 * sentence the brief; then `@param[out]` for what a function writes through, `@param` for the
 * rest, and `@return` naming the statuses; ownership and threads stated in the text.
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
/** The major version of this header. */
#define PLEXAUTH_VERSION_MAJOR 0
/** The minor version of this header (during 0.x, each minor may change the ABI). */
#define PLEXAUTH_VERSION_MINOR 2
/** The patch version of this header. */
#define PLEXAUTH_VERSION_PATCH 0
/** The version of this header as a string. */
#define PLEXAUTH_VERSION_STRING "0.2.0"
/* END GENERATED: version */
/** The header's version as one number: (major << 16) | (minor << 8) | patch. */
#define PLEXAUTH_VERSION_NUMBER \
  ((PLEXAUTH_VERSION_MAJOR << 16) | (PLEXAUTH_VERSION_MINOR << 8) | PLEXAUTH_VERSION_PATCH)

/**
 * The version of the library actually loaded at run time (which may differ
 * from the PLEXAUTH_VERSION_* macros of the header you compiled against).
 * Thread-safe; never fails.
 *
 * @param[out] major Receives the major version; may be NULL.
 * @param[out] minor Receives the minor version; may be NULL.
 * @param[out] patch Receives the patch version; may be NULL.
 * @return A static string such as "0.2.0".
 */
PLEXAUTH_API const char *plexauth_version(int *major, int *minor, int *patch);

/* ------------------------------------------------------------------------ */
/* Status codes                                                              */
/* ------------------------------------------------------------------------ */

/* BEGIN GENERATED: statuses (codegen/generate.py; edit codegen/api.py) */
/**
 * The outcome of a call. Values are never renumbered or reused; new ones are appended, so treat an
 * unknown value as a failure.
 */
typedef enum plexauth_status {
  /** Success. */
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
  PLEXAUTH_E_PIN_REQUIRED = 18,
  /**
   * Connect: no connection of the server answered as that server before the deadline (or it has
   * none to try). The message lists each candidate with its outcome.
   */
  PLEXAUTH_E_UNREACHABLE = 19,
  /**
   * HTTP 498: plex.tv says the JWT expired (refresh it with the device key), or a JWT is past its
   * exp.
   */
  PLEXAUTH_E_TOKEN_EXPIRED = 20,
  /** Plex code 1097: the device JWT's iss is not the X-Plex-Client-Identifier sent with it. */
  PLEXAUTH_E_JWT_ISSUER_MISMATCH = 21,
  /**
   * A JWT failed verification (plexauth_client_jwt_verify): the message names the check
   * (signature, unknown key, issuer, audience, expired, thumbprint...).
   */
  PLEXAUTH_E_JWT_INVALID = 22
} plexauth_status;
/** The highest status this header knows (a newer library may return higher ones). */
#define PLEXAUTH_STATUS_LAST PLEXAUTH_E_JWT_INVALID

/**
 * Stable snake_case name of a status: "ok", "invalid_argument", "bad_request", "unauthorized",
 * "two_factor_required", "rate_limited", "http_error", "transport", "timeout", "cancelled",
 * "malformed_response", "out_of_memory", "tls", "response_too_large", "sign_in_throttled",
 * "callback_error", "internal", "pin_expired", "pin_required", "unreachable", "token_expired",
 * "jwt_issuer_mismatch", "jwt_invalid". Thread-safe.
 *
 * @param status Any value.
 * @return A static string; "unknown" for a value this library does not know.
 */
PLEXAUTH_API const char *plexauth_status_name(plexauth_status status);
/* END GENERATED: statuses */

/* ------------------------------------------------------------------------ */
/* Error detail                                                              */
/* ------------------------------------------------------------------------ */

/** Owned error detail of a failed call. Free with plexauth_error_free(). Immutable: any thread. */
typedef struct plexauth_error plexauth_error;

/**
 * Frees an error.
 * @param err The error; NULL is accepted.
 */
PLEXAUTH_API void plexauth_error_free(plexauth_error *err);
/**
 * The status this error stands for.
 * @param err The error.
 * @return Its status; PLEXAUTH_E_INVALID_ARGUMENT when err is NULL.
 */
PLEXAUTH_API plexauth_status plexauth_error_status(const plexauth_error *err);
/**
 * A human-readable message in English. Never contains a token, password,
 * PIN or 2FA code; at most 1 KiB.
 * @param err The error.
 * @return The message, borrowed from err; never NULL ("" when err is NULL).
 */
PLEXAUTH_API const char *plexauth_error_message(const plexauth_error *err);
/**
 * The HTTP status of the last response.
 * @param err The error.
 * @return The status, or 0 when no response was received (or err is NULL).
 */
PLEXAUTH_API int plexauth_error_http_status(const plexauth_error *err);
/**
 * How many HTTP attempts were made.
 * @param err The error.
 * @return The attempts, 0 when the call failed before sending (or err is NULL).
 */
PLEXAUTH_API unsigned plexauth_error_attempts(const plexauth_error *err);
/**
 * Retry-After of the last response, in milliseconds (seconds or HTTP-date form).
 * @param err The error.
 * @param[out] out Receives the delay when present.
 * @return 1 when the header was present and valid (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_error_retry_after_ms(const plexauth_error *err, int64_t *out);
/**
 * The number of entries in Plex's errors[] array of the last response.
 * @param err The error.
 * @return The count (0 when there was none, or err is NULL).
 */
PLEXAUTH_API size_t plexauth_error_plex_errors_count(const plexauth_error *err);
/**
 * errors[index].code, Plex's own error code (e.g. 1029: 2FA code required).
 * @param err The error.
 * @param index 0 .. plexauth_error_plex_errors_count() - 1.
 * @param[out] out Receives the code when present.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_error_plex_error_code(const plexauth_error *err, size_t index, int64_t *out);
/**
 * errors[index].status, the HTTP status Plex put in the entry.
 * @param err The error.
 * @param index 0 .. plexauth_error_plex_errors_count() - 1.
 * @param[out] out Receives the status when present.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_error_plex_error_status(const plexauth_error *err, size_t index, int64_t *out);
/**
 * errors[index].message, redacted.
 * @param err The error.
 * @param index 0 .. plexauth_error_plex_errors_count() - 1.
 * @return The message, borrowed from err; NULL when absent or out of range.
 */
PLEXAUTH_API const char *plexauth_error_plex_error_message(const plexauth_error *err, size_t index);
/**
 * The Content-Type of the last response.
 * @param err The error.
 * @return The value, borrowed from err; NULL when there was none.
 */
PLEXAUTH_API const char *plexauth_error_content_type(const plexauth_error *err);
/**
 * The last response body, truncated to at most 4096 bytes, with known
 * secrets redacted.
 * @param err The error.
 * @param[out] len Receives the body's length (0 when there was none); may be NULL.
 * @return The NUL-terminated body, borrowed from err; NULL when there was no body.
 */
PLEXAUTH_API const char *plexauth_error_body(const plexauth_error *err, size_t *len);

/* ------------------------------------------------------------------------ */
/* Logging                                                                   */
/* ------------------------------------------------------------------------ */

/** How much a log sink is told; each level includes the ones above it. */
typedef enum plexauth_log_level {
  /** Failed calls. */
  PLEXAUTH_LOG_ERROR = 1,
  /** Dangerous settings (TLS verification off, a token through a cleartext proxy), retries. */
  PLEXAUTH_LOG_WARN = 2,
  /** One line per request and response. */
  PLEXAUTH_LOG_INFO = 3,
  /** Request and response dumps (redacted). */
  PLEXAUTH_LOG_DEBUG = 4
} plexauth_log_level;

/**
 * Log sink. Called on the thread that performs the request (the caller of an
 * operation), possibly from several threads at once. Must not call back into
 * the same client.
 *
 * @param user_data The pointer given to plexauth_config_set_log().
 * @param level The message's level (never above the configured maximum).
 * @param message One message without a trailing newline (a request dump spans
 *   several lines separated by '\n'), already redacted: tokens, passwords and
 *   2FA codes are replaced by "<redacted>". Borrowed for the call only.
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
 * from several threads at once. Not calling plexauth_token_sink_set() means
 * "no token" (the header is left out).
 *
 * @param user_data The pointer given to plexauth_config_set_token_provider().
 * @param sink Where to put the token (plexauth_token_sink_set()); valid only during this call.
 * @return 0 on success. A non-zero return fails the call with
 *   PLEXAUTH_E_CALLBACK; so does a token that plexauth_token_sink_set()
 *   refused (the last accepted value is kept, but the call still fails).
 */
typedef int (*plexauth_token_provider_fn)(void *user_data, plexauth_token_sink *sink);

/**
 * Hands the token to the library from inside a token provider (copied).
 * @param sink The provider's sink.
 * @param token The token's bytes; need not be NUL-terminated.
 * @param len The number of bytes.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL, invalid UTF-8,
 *   control characters or more than 16 KiB.
 */
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
 * One thread at a time while it is changed; the setters return
 * PLEXAUTH_E_INVALID_ARGUMENT for a NULL policy or a value out of range.
 */
typedef struct plexauth_retry plexauth_retry;

/**
 * Creates a retry policy with the defaults.
 * @param[out] out Receives the policy; free it with plexauth_retry_free().
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out is NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_retry_new(plexauth_retry **out);
/**
 * Frees a retry policy (configs and call options keep their own copies).
 * @param retry The policy; NULL is accepted.
 */
PLEXAUTH_API void plexauth_retry_free(plexauth_retry *retry);
/**
 * The first wait.
 * @param retry The policy.
 * @param ms At least 1.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_retry_set_initial_interval_ms(plexauth_retry *retry, int64_t ms);
/**
 * The cap on each wait.
 * @param retry The policy.
 * @param ms At least 1.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_interval_ms(plexauth_retry *retry, int64_t ms);
/**
 * How much each wait grows.
 * @param retry The policy.
 * @param exponent 1.0 <= exponent <= 10.0.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_retry_set_exponent(plexauth_retry *retry, double exponent);
/**
 * The time after which no retry is started.
 * @param retry The policy.
 * @param ms At least 0; 0 means "no retries after the first attempt".
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_elapsed_ms(plexauth_retry *retry, int64_t ms);
/**
 * A cap on the attempts.
 * @param retry The policy.
 * @param attempts Total attempts including the first; 0 means no cap.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_retry_set_max_attempts(plexauth_retry *retry, unsigned attempts);
/**
 * Whether connection errors and timeouts are retried.
 * @param retry The policy.
 * @param enabled Non-zero: retry them.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
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

/**
 * Creates a cancel token (not triggered).
 * @param[out] out Receives the token; free it with plexauth_cancel_free().
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out is NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_cancel_new(plexauth_cancel **out);
/**
 * Triggers the token: every call using it ends with PLEXAUTH_E_CANCELLED. Any thread.
 * @param cancel The token; NULL is ignored.
 */
PLEXAUTH_API void plexauth_cancel_trigger(plexauth_cancel *cancel);
/**
 * Whether the token was triggered. Any thread.
 * @param cancel The token.
 * @return 1 when triggered, else 0 (also for NULL).
 */
PLEXAUTH_API int plexauth_cancel_is_triggered(const plexauth_cancel *cancel);
/**
 * Releases the caller's reference (calls using the token keep theirs).
 * @param cancel The token; NULL is accepted.
 */
PLEXAUTH_API void plexauth_cancel_free(plexauth_cancel *cancel);

/* ------------------------------------------------------------------------ */
/* Client configuration                                                      */
/* ------------------------------------------------------------------------ */

/**
 * Client-wide settings. Every setter copies its input. Passing NULL to a
 * string setter clears that setting (back to its default). Setters return
 * PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 * UTF-8, contains a control character, or is longer than 16 KiB (URLs: must be
 * an absolute http:// or https:// URL). One thread at a time while it is
 * changed; plexauth_client_new() copies it.
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

/**
 * Creates a config with the defaults.
 * @param[out] out Receives the config; free it with plexauth_config_free().
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out is NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_config_new(plexauth_config **out);
/**
 * Frees a config (clients made from it keep their own copies); wipes its token.
 * @param cfg The config; NULL is accepted.
 */
PLEXAUTH_API void plexauth_config_free(plexauth_config *cfg);

/**
 * The access token sent as X-Plex-Token. Replaces any token provider.
 * @param cfg The config.
 * @param token The token (copied, wiped when replaced or freed, never logged); NULL clears.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_access_token(plexauth_config *cfg, const char *token);
/**
 * A callback that supplies the token on each attempt. Replaces any fixed token.
 * On a non-OK return nothing is installed and destroy is not called:
 * user_data stays the caller's.
 * @param cfg The config.
 * @param fn The provider; NULL clears the provider (and calls destroy at once).
 * @param user_data Passed to fn and destroy.
 * @param destroy Called once with user_data when the last config or client
 *   holding this provider is freed, or when the provider is replaced; may be NULL.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_token_provider(plexauth_config *cfg, plexauth_token_provider_fn fn,
                                                               void *user_data, void (*destroy)(void *user_data));

/* BEGIN GENERATED: config identity (codegen/generate.py; edit codegen/api.py) */
/**
 * X-Plex-Client-Identifier: Use one stable value per installation.
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_client_id(plexauth_config *cfg, const char *value);
/**
 * X-Plex-Product: The product (application) name.
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_client_name(plexauth_config *cfg, const char *value);
/**
 * X-Plex-Version: The product's version.
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_client_version(plexauth_config *cfg, const char *value);
/**
 * X-Plex-Platform: The platform, e.g. "Linux".
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_platform(plexauth_config *cfg, const char *value);
/**
 * X-Plex-Device: The device's friendly name.
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_device_nickname(plexauth_config *cfg, const char *value);
/**
 * X-Plex-Device-Name: The device's name as shown in the account's device list.
 *
 * @param cfg The config being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when cfg is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_device_name(plexauth_config *cfg, const char *value);
/* END GENERATED: config identity */

/**
 * The PMS base URL, e.g. "http://127.0.0.1:32400". When set, protocol/ip/port are ignored.
 * @param cfg The config.
 * @param url An absolute http(s) URL without userinfo, query or fragment (one
 *   trailing '/' is removed); NULL clears.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_server_url(plexauth_config *cfg, const char *url);
/**
 * The PMS protocol, used when no server URL is set.
 * @param cfg The config.
 * @param protocol "http" or "https"; NULL restores "https".
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_server_protocol(plexauth_config *cfg, const char *protocol);
/**
 * The PMS host, used when no server URL is set.
 * @param cfg The config.
 * @param ip Host name or IP address (IPv6 without brackets is accepted); NULL restores the default.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_server_ip(plexauth_config *cfg, const char *ip);
/**
 * The PMS port, used when no server URL is set.
 * @param cfg The config.
 * @param port 1 .. 65535.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_server_port(plexauth_config *cfg, int port);
/**
 * The plex.tv API base, default "https://plex.tv/api/v2".
 * @param cfg The config.
 * @param url An absolute http(s) URL; NULL restores the default.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_plex_tv_url(plexauth_config *cfg, const char *url);
/**
 * The clients.plex.tv API base (resources, device keys, JWT), default "https://clients.plex.tv/api/v2";
 * while it is not set, a plex.tv URL set with plexauth_config_set_plex_tv_url() is used for it too
 * (a test server or proxy named for plex.tv is never bypassed). NULL: back to that behaviour.
 * @param cfg The config.
 * @param url An absolute http(s) URL; NULL restores the default.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_clients_url(plexauth_config *cfg, const char *url);

/**
 * The limit on establishing a connection (default 10 000 ms).
 * @param cfg The config.
 * @param ms 0 = no limit; otherwise 1 .. 86 400 000.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_connect_timeout_ms(plexauth_config *cfg, int64_t ms);
/**
 * The limit on each HTTP attempt as a whole (default 30 000 ms).
 * @param cfg The config.
 * @param ms 0 = no limit; otherwise 1 .. 86 400 000.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_timeout_ms(plexauth_config *cfg, int64_t ms);
/**
 * The client's retry policy.
 * @param cfg The config.
 * @param retry The policy (copied); NULL disables retries for this client.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_retry(plexauth_config *cfg, const plexauth_retry *retry);
/**
 * The cap on a response body (after decompression). A larger body fails with
 * PLEXAUTH_E_RESPONSE_TOO_LARGE.
 * @param cfg The config.
 * @param bytes 1 KiB .. 1 GiB (default 8 MiB).
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_max_response_bytes(plexauth_config *cfg, size_t bytes);
/**
 * The CA certificates used to verify HTTPS servers.
 * @param cfg The config.
 * @param path A PEM CA bundle; NULL = the system's.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_ca_bundle(plexauth_config *cfg, const char *path);
/**
 * Disables TLS verification. Dangerous; logs a warning on every client created with it.
 * @param cfg The config.
 * @param insecure Non-zero disables verification; 0 (the default) verifies.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_insecure_skip_tls_verify(plexauth_config *cfg, int insecure);
/**
 * Whether the proxy environment variables (http_proxy, https_proxy,
 * all_proxy/ALL_PROXY, no_proxy/NO_PROXY) are honoured, as libcurl does by
 * default. While they are honoured, a call that sends the token to an
 * http:// server through an http:// proxy logs a warning (the proxy can read
 * the token).
 * @param cfg The config.
 * @param use 1 (the default) honours them; 0 ignores them: every request goes
 *   directly to the server.
 * @return PLEXAUTH_OK; PLEXAUTH_E_INVALID_ARGUMENT only for cfg == NULL.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_use_env_proxy(plexauth_config *cfg, int use);
/**
 * Whether an `a-b-c-d.HASH.plex.direct` host (the names Plex gives a server's
 * connections) is connected to the address the name encodes, a.b.c.d, without
 * a DNS lookup. Plex's DNS gives that same answer, but routers with
 * DNS-rebinding protection drop it, and users then turn TLS verification off;
 * pinned, the certificate is still verified for the name. Other hosts are
 * resolved as usual.
 * @param cfg The config.
 * @param pin 1 (the default) pins such names; 0 resolves them through DNS.
 * @return PLEXAUTH_OK; PLEXAUTH_E_INVALID_ARGUMENT only for cfg == NULL.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_pin_plex_direct(plexauth_config *cfg, int pin);
/**
 * The log sink and the most verbose level passed to it (messages are redacted).
 * @param cfg The config.
 * @param max_level The most verbose level delivered.
 * @param fn The sink; NULL: no logging.
 * @param user_data Passed to fn; must stay valid until every config and client
 *   holding this sink has been freed (clients copy the config's sink).
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_config_set_log(plexauth_config *cfg, plexauth_log_level max_level,
                                                    plexauth_log_fn fn, void *user_data);

/* ------------------------------------------------------------------------ */
/* Client                                                                    */
/* ------------------------------------------------------------------------ */

/** A client: a snapshot of a config plus a pool of keep-alive connections.
 *  Safe to use from many threads at once. */
typedef struct plexauth_client plexauth_client;

/**
 * Creates a client from a config.
 * @param[out] out Receives the client; free it with plexauth_client_free().
 * @param cfg The config (copied; it may be freed or changed afterwards).
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_OUT_OF_MEMORY or PLEXAUTH_E_INTERNAL.
 */
PLEXAUTH_API plexauth_status plexauth_client_new(plexauth_client **out, const plexauth_config *cfg,
                                                 plexauth_error **err);
/**
 * Frees the client and its connections. No call may be in progress on it.
 * Once it returns, no callback (token provider, log sink) of this client runs again.
 * @param client The client; NULL is accepted.
 */
PLEXAUTH_API void plexauth_client_free(plexauth_client *client);

/* ------------------------------------------------------------------------ */
/* Per-call options                                                          */
/* ------------------------------------------------------------------------ */

/** Optional per-call overrides. Pass NULL to an operation for none. The
 *  setters return PLEXAUTH_E_INVALID_ARGUMENT for a NULL opts or a bad value. */
typedef struct plexauth_call_options plexauth_call_options;

/**
 * Creates empty call options (every setting the client's).
 * @param[out] out Receives the options; free them with plexauth_call_options_free().
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out is NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_new(plexauth_call_options **out);
/**
 * Frees call options; wipes their token. Not while a call still uses them.
 * @param opts The options; NULL is accepted.
 */
PLEXAUTH_API void plexauth_call_options_free(plexauth_call_options *opts);
/**
 * The base URL for this call (the PMS base for PMS operations, the plex.tv API
 * base for plex.tv operations).
 * @param opts The options.
 * @param url An absolute http(s) URL; NULL clears.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_server_url(plexauth_call_options *opts, const char *url);
/**
 * The per-attempt timeout for this call.
 * @param opts The options.
 * @param ms 0 = no limit; -1 = the client's; otherwise 1 .. 86 400 000.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_timeout_ms(plexauth_call_options *opts, int64_t ms);
/**
 * The retry policy for this call.
 * @param opts The options.
 * @param retry The policy (copied); NULL means "no retries" for this call.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_retry(plexauth_call_options *opts, const plexauth_retry *retry);
/**
 * Back to the client's retry policy.
 * @param opts The options.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_clear_retry(plexauth_call_options *opts);
/**
 * Attaches a cancel token to the calls made with these options.
 * @param opts The options.
 * @param cancel The token (a reference is kept); NULL detaches.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_cancel(plexauth_call_options *opts, plexauth_cancel *cancel);
/**
 * X-Plex-Token for this call only (beats the client's token and token
 * provider), so that one client can serve many users.
 * @param opts The options.
 * @param token The token (copied, wiped when replaced or freed, never logged); NULL clears.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_access_token(plexauth_call_options *opts, const char *token);
/* BEGIN GENERATED: call options identity (codegen/generate.py; edit codegen/api.py) */
/**
 * X-Plex-Client-Identifier for this call (beats the client's): Use one stable value per
 * installation.
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_id(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Product for this call (beats the client's): The product (application) name.
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_name(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Version for this call (beats the client's): The product's version.
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_client_version(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Platform for this call (beats the client's): The platform, e.g. "Linux".
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_platform(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Device for this call (beats the client's): The device's friendly name.
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_device_nickname(plexauth_call_options *opts, const char *value);
/**
 * X-Plex-Device-Name for this call (beats the client's): The device's name as shown in the
 * account's device list.
 *
 * @param opts The call options being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when opts is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_call_options_set_device_name(plexauth_call_options *opts, const char *value);
/* END GENERATED: call options identity */

/* ------------------------------------------------------------------------ */
/* Raw response                                                              */
/* ------------------------------------------------------------------------ */

/** The HTTP response behind a result. Borrowed from its result: valid as long as the result. */
typedef struct plexauth_response plexauth_response;

/**
 * The HTTP status code.
 * @param resp The response.
 * @return The status (e.g. 200), or 0 when resp is NULL.
 */
PLEXAUTH_API int plexauth_response_status(const plexauth_response *resp);
/**
 * The Content-Type header's value.
 * @param resp The response.
 * @return The value, borrowed; "" when absent, NULL when resp is NULL.
 */
PLEXAUTH_API const char *plexauth_response_content_type(const plexauth_response *resp);
/**
 * The number of response headers.
 * @param resp The response.
 * @return The count (0 when resp is NULL).
 */
PLEXAUTH_API size_t plexauth_response_headers_count(const plexauth_response *resp);
/**
 * A header's name as received.
 * @param resp The response.
 * @param index 0 .. plexauth_response_headers_count() - 1.
 * @return The name, borrowed; NULL when out of range.
 */
PLEXAUTH_API const char *plexauth_response_header_name(const plexauth_response *resp, size_t index);
/**
 * A header's value.
 * @param resp The response.
 * @param index 0 .. plexauth_response_headers_count() - 1.
 * @return The value, borrowed; NULL when out of range.
 */
PLEXAUTH_API const char *plexauth_response_header_value(const plexauth_response *resp, size_t index);
/**
 * The first header with a name (case-insensitive).
 * @param resp The response.
 * @param name The header's name.
 * @return Its value, borrowed; NULL when there is none.
 */
PLEXAUTH_API const char *plexauth_response_header(const plexauth_response *resp, const char *name);
/**
 * The body as received (after decompression).
 * @param resp The response.
 * @param[out] len Receives its length; may be NULL.
 * @return The NUL-terminated body (it may contain NULs), borrowed; "" when
 *   empty, never NULL for a valid resp.
 */
PLEXAUTH_API const char *plexauth_response_body(const plexauth_response *resp, size_t *len);

/* ------------------------------------------------------------------------ */
/* Sign-in request (post_users_sign_in_data)                                 */
/* ------------------------------------------------------------------------ */

/** A sign-in request. The password and code are wiped from memory when the
 *  request is freed or the value replaced. The setters return
 *  PLEXAUTH_E_INVALID_ARGUMENT for a NULL req or a bad value. */
typedef struct plexauth_sign_in plexauth_sign_in;

/**
 * Creates an empty sign-in request.
 * @param[out] out Receives the request; free it with plexauth_sign_in_free().
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out is NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_new(plexauth_sign_in **out);
/**
 * Frees the request, wiping its password and code.
 * @param req The request; NULL is accepted.
 */
PLEXAUTH_API void plexauth_sign_in_free(plexauth_sign_in *req);
/**
 * The login (required).
 * @param req The request.
 * @param login The account's e-mail or user name (copied).
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_login(plexauth_sign_in *req, const char *login);
/**
 * The password (required). Never logged; wiped when replaced or freed.
 * @param req The request.
 * @param password The password (copied). Read it from a prompt or stdin, never from argv.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_password(plexauth_sign_in *req, const char *password);
/**
 * rememberMe (always sent).
 * @param req The request.
 * @param remember_me Non-zero for a long-lived token; default 0.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_remember_me(plexauth_sign_in *req, int remember_me);
/**
 * verificationCode, the 2FA code; sent only when set. Set it after a
 * PLEXAUTH_E_TWO_FACTOR_REQUIRED and sign in again.
 * @param req The request.
 * @param code The code (copied, at most 64 bytes, wiped when replaced or freed); NULL clears.
 * @return PLEXAUTH_OK or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_verification_code(plexauth_sign_in *req, const char *code);
/* BEGIN GENERATED: sign-in identity (codegen/generate.py; edit codegen/api.py) */
/**
 * X-Plex-Client-Identifier for this sign-in (beats the call's and the client's): Use one stable
 * value per installation.
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_id(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Product for this sign-in (beats the call's and the client's): The product (application)
 * name.
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_name(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Version for this sign-in (beats the call's and the client's): The product's version.
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_client_version(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Platform for this sign-in (beats the call's and the client's): The platform, e.g.
 * "Linux".
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_platform(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Device for this sign-in (beats the call's and the client's): The device's friendly name.
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_device_nickname(plexauth_sign_in *req, const char *value);
/**
 * X-Plex-Device-Name for this sign-in (beats the call's and the client's): The device's name as
 * shown in the account's device list.
 *
 * @param req The sign in being built.
 * @param value UTF-8, copied; NULL clears the setting.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when req is NULL or the value is not valid
 *   UTF-8, holds a control character or is longer than 16 KiB.
 */
PLEXAUTH_API plexauth_status plexauth_sign_in_set_device_name(plexauth_sign_in *req, const char *value);
/* END GENERATED: sign-in identity */

/* ------------------------------------------------------------------------ */
/* Non-blocking calls: loops and pending calls                               */
/* ------------------------------------------------------------------------ */

/**
 * An event loop that runs many calls at once on one thread, over libcurl's multi interface.
 *
 * Every operation has a non-blocking twin, plexauth_client_OP_start(), that queues the call on
 * a loop and returns a pending call at once; plexauth_client_OP_finish() takes its outcome.
 * Retries, Retry-After, timeouts and cancellation behave as in the blocking calls. One client may
 * carry any number of calls on any number of loops.
 *
 * Two modes:
 *  - PLEXAUTH_LOOP_THREAD: the loop owns one thread. Completion callbacks, and the client's token
 *    provider and log sink for these calls, run on it.
 *  - PLEXAUTH_LOOP_EXTERNAL: the host drives the loop and no library thread exists. Watch
 *    plexauth_loop_fd() for readability (it becomes readable whenever there is work: a socket is
 *    ready, a timer is due, a call was started or cancelled from any thread) and call
 *    plexauth_loop_process(), which runs that work, callbacks included, on the calling thread and
 *    never blocks. plexauth_loop_timeout_ms() gives the same information as a timeout for hosts
 *    that prefer one. Linux: the descriptor is an epoll descriptor; do not read or close it.
 *
 * A start with loop NULL uses the client's own loop: a thread-mode loop made on first use and
 * shut down (its calls cancelled) when the client is freed.
 */
typedef struct plexauth_loop plexauth_loop;
/** A call in flight, then its outcome. Free it with plexauth_call_free(). */
typedef struct plexauth_call plexauth_call;

/**
 * Called once when a call completes (success, failure or cancellation), unless
 * plexauth_call_free() ran first.
 *
 * In thread mode it runs on the loop's thread; in external mode inside plexauth_loop_process().
 * It may call plexauth_client_OP_finish() and plexauth_call_free() on `call`, and start or
 * cancel other calls; it must not free the loop it runs on, call plexauth_loop_process() on it,
 * or wait on it (plexauth_call_wait(), plexauth_loop_run()). It should return quickly: the loop
 * runs no other call meanwhile.
 *
 * @param call The completed call (borrowed).
 * @param user_data What the start was given.
 */
typedef void (*plexauth_call_done_fn)(plexauth_call *call, void *user_data);

/** Loop mode: the loop owns a thread that runs it. */
#define PLEXAUTH_LOOP_THREAD 0
/** Loop mode: the host runs the loop (plexauth_loop_fd(), plexauth_loop_process()). */
#define PLEXAUTH_LOOP_EXTERNAL 1

/**
 * Creates a loop.
 * @param[out] out Receives the loop; free it with plexauth_loop_free().
 * @param mode PLEXAUTH_LOOP_THREAD or PLEXAUTH_LOOP_EXTERNAL.
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out NULL, unknown mode), PLEXAUTH_E_OUT_OF_MEMORY
 *   or PLEXAUTH_E_INTERNAL (no descriptors left).
 */
PLEXAUTH_API plexauth_status plexauth_loop_new(plexauth_loop **out, int mode, plexauth_error **err);
/**
 * Cancels every call still in flight on the loop, completes each, stops the thread and frees
 * the loop.
 *
 * Each pending call's callback runs with PLEXAUTH_E_CANCELLED: on the loop thread in thread mode,
 * on the calling thread in external mode. The calls stay valid handles. Not from a callback of
 * this loop.
 * @param loop The loop, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_loop_free(plexauth_loop *loop);
/**
 * The descriptor to watch for readability (external mode).
 * @param loop The loop.
 * @return The descriptor, or -1 for NULL.
 */
PLEXAUTH_API int plexauth_loop_fd(const plexauth_loop *loop);
/**
 * How long the host may wait before calling plexauth_loop_process() (external mode).
 * @param loop The loop.
 * @return Milliseconds until it is due at the latest (0: now), or -1 when nothing is scheduled
 *   (wait for the descriptor) or loop is NULL.
 */
PLEXAUTH_API int64_t plexauth_loop_timeout_ms(const plexauth_loop *loop);
/**
 * Runs what is due without blocking (external mode), callbacks included, on this thread.
 * @param loop The loop.
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT (NULL, a thread-mode loop, or called from a
 *   callback of this loop).
 */
PLEXAUTH_API plexauth_status plexauth_loop_process(plexauth_loop *loop, plexauth_error **err);
/**
 * Blocks until no call is pending on the loop, and the requests of cancelled calls have wound down,
 * or timeout_ms passes, driving the loop in external mode (waiting for its thread in thread mode).
 * Not from a callback of this loop.
 * @param loop The loop.
 * @param timeout_ms The longest wait in milliseconds; -1: no limit.
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return PLEXAUTH_OK when nothing is pending, PLEXAUTH_E_TIMEOUT otherwise,
 *   PLEXAUTH_E_INVALID_ARGUMENT when loop is NULL.
 */
PLEXAUTH_API plexauth_status plexauth_loop_run(plexauth_loop *loop, int64_t timeout_ms, plexauth_error **err);
/**
 * Calls started on the loop and not completed yet. A call counts until its callback has returned;
 * a call that runs several requests (plexauth_client_jwt_login_start(),
 * plexauth_client_connect_start()) counts once.
 * @param loop The loop.
 * @return Their number; 0 for NULL.
 */
PLEXAUTH_API size_t plexauth_loop_pending(const plexauth_loop *loop);

/**
 * Whether the call has completed (its outcome can be taken with its finish function).
 * @param call The call.
 * @return 1 once completed, else 0 (also for NULL).
 */
PLEXAUTH_API int plexauth_call_done(const plexauth_call *call);
/**
 * Asks a pending call to stop: it completes with PLEXAUTH_E_CANCELLED at the loop's next turn
 * (within milliseconds), unless it completed first. Any thread.
 * @param call The call; NULL or a completed call is left alone.
 */
PLEXAUTH_API void plexauth_call_cancel(plexauth_call *call);
/**
 * Blocks until the call completes or timeout_ms passes, driving the loop in external mode. Not
 * from a callback of the call's loop.
 * @param call The call.
 * @param timeout_ms The longest wait in milliseconds; -1: no limit.
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return PLEXAUTH_OK when the call completed (whatever its outcome), PLEXAUTH_E_TIMEOUT when it
 *   did not, PLEXAUTH_E_INVALID_ARGUMENT for NULL or a wait from its own loop's callback.
 */
PLEXAUTH_API plexauth_status plexauth_call_wait(plexauth_call *call, int64_t timeout_ms, plexauth_error **err);
/**
 * Frees the handle; a pending call is cancelled first and its callback does not run after this
 * returns (if it is running on another thread, this waits for it). A result not taken is freed.
 * Any thread.
 * @param call The call, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_call_free(plexauth_call *call);

/* BEGIN GENERATED: operations (codegen/generate.py; edit codegen/api.py) */
/* ------------------------------------------------------------------------ */
/* get_transient_token                                                      */
/* ------------------------------------------------------------------------ */

/** get_transient_token's result: MediaContainer of GET /security/token. */
typedef struct plexauth_transient_token plexauth_transient_token;

/**
 * A temporary token with the caller's access level (valid up to 48 h, lost when the server
 * restarts). GET {PMS}/security/token?type={type}&scope={scope} with X-Plex-Token; success is 200
 * application/json (or an empty body: every field absent). Blocks until the call (with its
 * retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_transient_token_free()),
 *   NULL otherwise.
 * @param client The client (not NULL).
 * @param type "delegation", the only documented value. (NULL means "delegation").
 * @param scope "all", the only documented value. (NULL means "all").
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_transient_token(plexauth_transient_token **out, plexauth_client *client, const char *type, const char *scope, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_transient_token(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_get_transient_token_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param type "delegation", the only documented value. (NULL means "delegation").
 * @param scope "all", the only documented value. (NULL means "all").
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_transient_token_start(plexauth_call **call, plexauth_client *client, const char *type, const char *scope, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_transient_token_start(): the status
 * plexauth_client_get_transient_token() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with
 *   plexauth_transient_token_free()); NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_transient_token_finish(plexauth_transient_token **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_transient_token_free(plexauth_transient_token *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_transient_token_response(const plexauth_transient_token *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_transient_token_json(const plexauth_transient_token *r, size_t *len);

/* TransientToken (plexauth_transient_token) */
/**
 * token: The transient token (valid up to 48 h, lost when the server restarts).
 *
 * @param h The TransientToken (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
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
 * Connection details and a token for a source the server knows (admin token required). GET
 * {PMS}/security/resources?source={source} with X-Plex-Token; success is 200 application/json (or
 * an empty body: every field absent). Blocks until the call (with its retries) ends. Any thread:
 * the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_source_info_free()),
 *   NULL otherwise.
 * @param client The client (not NULL).
 * @param source The source, e.g. "server://<client-identifier>". (required, must not be empty).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_source_connection_information(plexauth_source_info **out, plexauth_client *client, const char *source, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_source_connection_information(): checks the arguments (errors
 * are returned at once), queues the call on `loop` and sets *call to the pending call. done(call,
 * user_data) runs once when it completes. Take the outcome with
 * plexauth_client_get_source_connection_information_finish(). The arguments are copied: they may
 * be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param source The source, e.g. "server://<client-identifier>". (required, must not be empty).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_source_connection_information_start(plexauth_call **call, plexauth_client *client, const char *source, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by
 * plexauth_client_get_source_connection_information_start(): the status
 * plexauth_client_get_source_connection_information() would have returned, with *err set likewise.
 * Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_source_info_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_source_connection_information_finish(plexauth_source_info **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_source_info_free(plexauth_source_info *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_source_info_response(const plexauth_source_info *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_source_info_json(const plexauth_source_info *r, size_t *len);

/* SourceInfo (plexauth_source_info) */
/**
 * name: Device.name.
 *
 * @param h The SourceInfo (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_source_info_name(const plexauth_source_info *h);
/**
 * clientIdentifier: Device.clientIdentifier.
 *
 * @param h The SourceInfo (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_source_info_client_identifier(const plexauth_source_info *h);
/**
 * accessToken: Device.accessToken: a token for this source.
 *
 * @param h The SourceInfo (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_source_info_access_token(const plexauth_source_info *h);
/**
 * Connection: Device.Connection[].
 *
 * @param h The SourceInfo (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_source_info_connections_count(const plexauth_source_info *h);
/**
 * Connection[index].
 *
 * @param h The SourceInfo (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_connection *plexauth_source_info_connections_at(const plexauth_source_info *h, size_t index);

/* Connection (plexauth_connection) */
/**
 * protocol: "http" or "https".
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_connection_protocol(const plexauth_connection *h);
/**
 * address: Host name or IP address.
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_connection_address(const plexauth_connection *h);
/**
 * port: TCP port.
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_connection_port(const plexauth_connection *h, int64_t *out);
/**
 * uri: The full base URI.
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_connection_uri(const plexauth_connection *h);
/**
 * local: The server's LAN address.
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_connection_local(const plexauth_connection *h, int *out);
/**
 * relay: Relayed through plex.tv.
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_connection_relay(const plexauth_connection *h, int *out);
/**
 * IPv6: An IPv6 address (list_resources with includeIPv6=1).
 *
 * @param h The Connection (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_connection_ipv6(const plexauth_connection *h, int *out);

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
 * The account behind the token. GET {plex.tv}/user with X-Plex-Token; success is 200
 * application/json. Blocks until the call (with its retries) ends. Any thread: the client may be
 * shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_account_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_token_details(plexauth_account **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_token_details(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_get_token_details_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_token_details_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_token_details_start(): the status
 * plexauth_client_get_token_details() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_account_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_token_details_finish(plexauth_account **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_account_free(plexauth_account *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_account_response(const plexauth_account *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_account_json(const plexauth_account *r, size_t *len);

/* Account (plexauth_account) */
/**
 * authToken: The account's token, to be used as X-Plex-Token.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_auth_token(const plexauth_account *h);
/**
 * uuid: The account's UUID.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_uuid(const plexauth_account *h);
/**
 * username: The user name.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_username(const plexauth_account *h);
/**
 * title: The display title.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_title(const plexauth_account *h);
/**
 * email: The e-mail address.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_email(const plexauth_account *h);
/**
 * friendlyName: The friendly name.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_friendly_name(const plexauth_account *h);
/**
 * locale: The locale.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_locale(const plexauth_account *h);
/**
 * thumb: Avatar URL.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_thumb(const plexauth_account *h);
/**
 * mailingListStatus: Open enum: "active", "unsubscribed", "removed", or any other string.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_mailing_list_status(const plexauth_account *h);
/**
 * scrobbleTypes: Scrobble types.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_scrobble_types(const plexauth_account *h);
/**
 * country: Two-letter country code.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_country(const plexauth_account *h);
/**
 * subscriptionDescription: A description of the subscription.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_subscription_description(const plexauth_account *h);
/**
 * pin: Deprecated hashed Home PIN.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_pin(const plexauth_account *h);
/**
 * attributionPartner: Attribution partner.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_account_attribution_partner(const plexauth_account *h);
/**
 * id: The account's numeric id.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_id(const plexauth_account *h, int64_t *out);
/**
 * joinedAt: Unix seconds.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_joined_at(const plexauth_account *h, int64_t *out);
/**
 * homeSize: Members of the Plex Home.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_home_size(const plexauth_account *h, int64_t *out);
/**
 * maxHomeSize: Maximum members of the Plex Home.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_max_home_size(const plexauth_account *h, int64_t *out);
/**
 * rememberExpiresAt: When the token expires (Unix seconds).
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_remember_expires_at(const plexauth_account *h, int64_t *out);
/**
 * adsConsentReminderAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time).
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_ads_consent_reminder_at(const plexauth_account *h, int64_t *out);
/**
 * adsConsentSetAt: Unix seconds (the wire carries epoch seconds or an ISO-8601 date-time).
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_ads_consent_set_at(const plexauth_account *h, int64_t *out);
/**
 * adsConsent: Consented to ads.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_ads_consent(const plexauth_account *h, int *out);
/**
 * anonymous: Anonymous account.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_anonymous(const plexauth_account *h, int *out);
/**
 * backupCodesCreated: 2FA backup codes exist.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_backup_codes_created(const plexauth_account *h, int *out);
/**
 * confirmed: E-mail confirmed.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_confirmed(const plexauth_account *h, int *out);
/**
 * emailOnlyAuth: Signs in by e-mail only.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_email_only_auth(const plexauth_account *h, int *out);
/**
 * experimentalFeatures: Experimental features on.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_experimental_features(const plexauth_account *h, int *out);
/**
 * guest: Guest account.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_guest(const plexauth_account *h, int *out);
/**
 * hasPassword: Has a password.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_has_password(const plexauth_account *h, int *out);
/**
 * home: Member of a Plex Home.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_home(const plexauth_account *h, int *out);
/**
 * homeAdmin: Admin of its Plex Home.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_home_admin(const plexauth_account *h, int *out);
/**
 * mailingListActive: On the mailing list.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_mailing_list_active(const plexauth_account *h, int *out);
/**
 * protected: Protected by a Home PIN.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_protected(const plexauth_account *h, int *out);
/**
 * restricted: Restricted (managed) account.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_restricted(const plexauth_account *h, int *out);
/**
 * twoFactorEnabled: 2FA enabled.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_account_two_factor_enabled(const plexauth_account *h, int *out);
/**
 * entitlements: Entitlements.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_entitlements_count(const plexauth_account *h);
/**
 * entitlements[index].
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h; NULL when out of range.
 */
PLEXAUTH_API const char *plexauth_account_entitlements_at(const plexauth_account *h, size_t index);
/**
 * roles: Roles.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_roles_count(const plexauth_account *h);
/**
 * roles[index].
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h; NULL when out of range.
 */
PLEXAUTH_API const char *plexauth_account_roles_at(const plexauth_account *h, size_t index);
/**
 * profile: The profile.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The object, borrowed from h (do not free it); NULL when absent.
 */
PLEXAUTH_API const plexauth_profile *plexauth_account_profile(const plexauth_account *h);
/**
 * subscription: The current subscription.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The object, borrowed from h (do not free it); NULL when absent.
 */
PLEXAUTH_API const plexauth_subscription *plexauth_account_subscription(const plexauth_account *h);
/**
 * subscriptions: All subscriptions.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_subscriptions_count(const plexauth_account *h);
/**
 * subscriptions[index].
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_subscription *plexauth_account_subscriptions_at(const plexauth_account *h, size_t index);
/**
 * services: Services.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_services_count(const plexauth_account *h);
/**
 * services[index].
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_service *plexauth_account_services_at(const plexauth_account *h, size_t index);
/**
 * pastSubscriptions: Sign-in only: past subscriptions.
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_past_subscriptions_count(const plexauth_account *h);
/**
 * pastSubscriptions[index].
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_past_subscription *plexauth_account_past_subscriptions_at(const plexauth_account *h, size_t index);
/**
 * trials: Sign-in only: trials (their items carry no documented fields).
 *
 * @param h The Account (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_account_trials_count(const plexauth_account *h);

/* Profile (plexauth_profile) */
/**
 * autoSelectAudio: Select the audio track automatically.
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_auto_select_audio(const plexauth_profile *h, int *out);
/**
 * defaultAudioLanguage: Preferred audio language.
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_profile_default_audio_language(const plexauth_profile *h);
/**
 * defaultSubtitleLanguage: Preferred subtitle language.
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_profile_default_subtitle_language(const plexauth_profile *h);
/**
 * autoSelectSubtitle: Subtitle mode (0-2).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_auto_select_subtitle(const plexauth_profile *h, int64_t *out);
/**
 * defaultSubtitleAccessibility: Subtitle accessibility preference (0-3).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_default_subtitle_accessibility(const plexauth_profile *h, int64_t *out);
/**
 * defaultSubtitleForced: Forced subtitles preference (0-3).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_default_subtitle_forced(const plexauth_profile *h, int64_t *out);
/**
 * watchedIndicator: Watched indicator mode (0-3).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_watched_indicator(const plexauth_profile *h, int64_t *out);
/**
 * mediaReviewsVisibility: Media reviews visibility (0-3).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_media_reviews_visibility(const plexauth_profile *h, int64_t *out);
/**
 * defaultAudioAccessibility: Audio accessibility preference (0-3; HEAD spec).
 *
 * @param h The Profile (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_profile_default_audio_accessibility(const plexauth_profile *h, int64_t *out);

/* Subscription (plexauth_subscription) */
/**
 * active: Whether the subscription is active.
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_subscription_active(const plexauth_subscription *h, int *out);
/**
 * subscribedAt: When it started, as sent (e.g. "2021-04-12T18:21:12Z").
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_subscription_subscribed_at(const plexauth_subscription *h);
/**
 * status: Open enum: "Active", "Inactive", or any other string.
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_subscription_status(const plexauth_subscription *h);
/**
 * paymentService: The payment service.
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_subscription_payment_service(const plexauth_subscription *h);
/**
 * plan: The plan, e.g. "lifetime".
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_subscription_plan(const plexauth_subscription *h);
/**
 * features: The features it unlocks.
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_subscription_features_count(const plexauth_subscription *h);
/**
 * features[index].
 *
 * @param h The Subscription (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h; NULL when out of range.
 */
PLEXAUTH_API const char *plexauth_subscription_features_at(const plexauth_subscription *h, size_t index);

/* Service (plexauth_service) */
/**
 * identifier: The service, e.g. "metadata".
 *
 * @param h The Service (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_service_identifier(const plexauth_service *h);
/**
 * endpoint: Its base URL.
 *
 * @param h The Service (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_service_endpoint(const plexauth_service *h);
/**
 * token: A token for the service.
 *
 * @param h The Service (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_service_token(const plexauth_service *h);
/**
 * secret: A secret for the service.
 *
 * @param h The Service (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_service_secret(const plexauth_service *h);
/**
 * status: Open enum: "online", "offline", or any other string.
 *
 * @param h The Service (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_service_status(const plexauth_service *h);

/* PastSubscription (plexauth_past_subscription) */
/**
 * id: Its identifier.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_id(const plexauth_past_subscription *h);
/**
 * mode: Billing mode.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_mode(const plexauth_past_subscription *h);
/**
 * renewsAt: Unix seconds.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_renews_at(const plexauth_past_subscription *h, int64_t *out);
/**
 * endsAt: Unix seconds.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_ends_at(const plexauth_past_subscription *h, int64_t *out);
/**
 * canceled: Cancelled.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_canceled(const plexauth_past_subscription *h, int *out);
/**
 * gracePeriod: In its grace period.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_grace_period(const plexauth_past_subscription *h, int *out);
/**
 * onHold: On hold.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_on_hold(const plexauth_past_subscription *h, int *out);
/**
 * canReactivate: Can be reactivated.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_can_reactivate(const plexauth_past_subscription *h, int *out);
/**
 * canUpgrade: Can be upgraded.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_can_upgrade(const plexauth_past_subscription *h, int *out);
/**
 * canDowngrade: Can be downgraded.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_can_downgrade(const plexauth_past_subscription *h, int *out);
/**
 * canConvert: Can be converted.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_can_convert(const plexauth_past_subscription *h, int *out);
/**
 * type: The type, e.g. "plexpass".
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_type(const plexauth_past_subscription *h);
/**
 * transfer: Transfer state.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_transfer(const plexauth_past_subscription *h);
/**
 * state: Open enum: "ended" or any other string.
 *
 * @param h The PastSubscription (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_state(const plexauth_past_subscription *h);
/**
 * paymentMethodId: billing.paymentMethodId.
 *
 * @param h The Billing (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_past_subscription_billing_payment_method_id(const plexauth_past_subscription *h, int64_t *out);
/**
 * internalPaymentMethod: billing.internalPaymentMethod as compact JSON text (free-form object).
 *
 * @param h The Billing (borrowed; NULL gives the absent answer).
 * @return Compact JSON text, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_past_subscription_billing_internal_payment_method(const plexauth_past_subscription *h);

/* ------------------------------------------------------------------------ */
/* post_users_sign_in_data                                                  */
/* ------------------------------------------------------------------------ */


/**
 * Signs in with a login and password (and a 2FA code when asked for one); no X-Plex-Token is sent.
 * POST {plex.tv}/users/signin without X-Plex-Token; success is 201 application/json. HTTP 401 with
 * Plex code 1029 gives PLEXAUTH_E_TWO_FACTOR_REQUIRED. any 4XX with Plex code 1031 gives
 * PLEXAUTH_E_SIGN_IN_THROTTLED. Never retried after a 4XX. Blocks until the call (with its
 * retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_account_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param req The request (not NULL); read, not kept.
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_post_users_sign_in_data(plexauth_account **out, plexauth_client *client, const plexauth_sign_in *req, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_post_users_sign_in_data(): checks the arguments (errors are
 * returned at once), queues the call on `loop` and sets *call to the pending call. done(call,
 * user_data) runs once when it completes. Take the outcome with
 * plexauth_client_post_users_sign_in_data_finish(). The arguments are copied: they may be freed on
 * return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param req The request (not NULL); read, not kept.
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_post_users_sign_in_data_start(plexauth_call **call, plexauth_client *client, const plexauth_sign_in *req, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_post_users_sign_in_data_start(): the
 * status plexauth_client_post_users_sign_in_data() would have returned, with *err set likewise.
 * Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_account_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_post_users_sign_in_data_finish(plexauth_account **out, plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* create_pin                                                               */
/* ------------------------------------------------------------------------ */

/** A PIN for plex.tv/link or the hosted login page (create_pin, get_pin). */
typedef struct plexauth_pin plexauth_pin;

/**
 * Creates a PIN for PIN or hosted (OAuth) login; no X-Plex-Token is sent. plex.tv rate-limits PIN
 * creation per client identifier: a 429 is retried after Retry-After or the backoff. POST
 * {plex.tv}/pins?strong={strong} without X-Plex-Token; success is 201 application/json. Blocks
 * until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_pin_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
 *   4-character one for plex.tv/link (15 minutes).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_create_pin(plexauth_pin **out, plexauth_client *client, int strong, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_create_pin(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_create_pin_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
 *   4-character one for plex.tv/link (15 minutes).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_create_pin_start(plexauth_call **call, plexauth_client *client, int strong, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_create_pin_start(): the status
 * plexauth_client_create_pin() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_pin_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_create_pin_finish(plexauth_pin **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_pin_free(plexauth_pin *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_pin_response(const plexauth_pin *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_pin_json(const plexauth_pin *r, size_t *len);

/* Pin (plexauth_pin) */
/**
 * id: The PIN's id: poll it with get_pin, from the same client identifier.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_id(const plexauth_pin *h, int64_t *out);
/**
 * code: The code: 4 characters for plex.tv/link, 25 for the hosted login page (strong).
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_code(const plexauth_pin *h);
/**
 * product: X-Plex-Product of the client that created it.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_product(const plexauth_pin *h);
/**
 * trusted: Whether plex.tv trusts the client.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_trusted(const plexauth_pin *h, int *out);
/**
 * qr: URL of a QR code for the code.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_qr(const plexauth_pin *h);
/**
 * clientIdentifier: The client identifier that created it (poll with the same one).
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_client_identifier(const plexauth_pin *h);
/**
 * expiresIn: Its lifetime in seconds (900 for 4 characters, 1800 strong).
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_expires_in(const plexauth_pin *h, int64_t *out);
/**
 * createdAt: When it was created (Unix seconds).
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_created_at(const plexauth_pin *h, int64_t *out);
/**
 * expiresAt: When it expires (Unix seconds); polling stops there.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_expires_at(const plexauth_pin *h, int64_t *out);
/**
 * authToken: The account's token once the user approved the PIN; absent (null) until then.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_auth_token(const plexauth_pin *h);
/**
 * newRegistration: Whether the approval created a new account.
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_pin_new_registration(const plexauth_pin *h, int *out);
/**
 * location: Where plex.tv places the client (free-form object).
 *
 * @param h The Pin (borrowed; NULL gives the absent answer).
 * @return Compact JSON text, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_pin_location(const plexauth_pin *h);

/* ------------------------------------------------------------------------ */
/* get_pin                                                                  */
/* ------------------------------------------------------------------------ */


/**
 * Polls a PIN (send the client identifier that created it); its authToken is set once the user
 * approved. GET {plex.tv}/pins/{id} without X-Plex-Token; success is 200 application/json. HTTP
 * 404 with Plex code 1020 gives PLEXAUTH_E_PIN_EXPIRED. Blocks until the call (with its retries)
 * ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_pin_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param id The PIN's id (create_pin's id).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_pin(plexauth_pin **out, plexauth_client *client, int64_t id, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_pin(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_get_pin_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param id The PIN's id (create_pin's id).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_pin_start(plexauth_call **call, plexauth_client *client, int64_t id, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_pin_start(): the status
 * plexauth_client_get_pin() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_pin_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_pin_finish(plexauth_pin **out, plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* link_pin                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Links a code shown by another device to the signed-in account (the token's). PUT
 * {plex.tv}/pins/link with X-Plex-Token; success is 204. HTTP 404 with Plex code 1020 gives
 * PLEXAUTH_E_PIN_EXPIRED. Blocks until the call (with its retries) ends. Any thread: the client
 * may be shared.
 *
 * @param client The client (not NULL).
 * @param code The code the other device shows. (required, must not be empty).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_link_pin(plexauth_client *client, const char *code, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_link_pin(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_link_pin_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param code The code the other device shows. (required, must not be empty).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_link_pin_start(plexauth_call **call, plexauth_client *client, const char *code, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_link_pin_start(): the status
 * plexauth_client_link_pin() would have returned, with *err set likewise. Any thread.
 *
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_link_pin_finish(plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* sign_out                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Signs the token out: plex.tv invalidates it. DELETE {plex.tv}/users/signout with X-Plex-Token;
 * success is 204. Blocks until the call (with its retries) ends. Any thread: the client may be
 * shared.
 *
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_sign_out(plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_sign_out(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_sign_out_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_sign_out_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_sign_out_start(): the status
 * plexauth_client_sign_out() would have returned, with *err set likewise. Any thread.
 *
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_sign_out_finish(plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* switch_home_user                                                         */
/* ------------------------------------------------------------------------ */


/**
 * Switches to a Plex Home user: the result is that user's account and token. The PIN travels in
 * the query, as plex.tv requires; it is redacted from every log line and message. POST
 * {plex.tv}/home/users/{user}/switch?pin={pin} with X-Plex-Token; success is 201 application/json.
 * HTTP 403 with Plex code 1041 gives PLEXAUTH_E_PIN_REQUIRED. Never retried after a 4XX. Blocks
 * until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_account_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param user The Home user's uuid (or numeric id). (required, must not be empty).
 * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (secret: wiped
 *   and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_switch_home_user(plexauth_account **out, plexauth_client *client, const char *user, const char *pin, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_switch_home_user(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_switch_home_user_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param user The Home user's uuid (or numeric id). (required, must not be empty).
 * @param pin The Home user's PIN; needed when the user is protected (NULL: none). (secret: wiped
 *   and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_switch_home_user_start(plexauth_call **call, plexauth_client *client, const char *user, const char *pin, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_switch_home_user_start(): the status
 * plexauth_client_switch_home_user() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_account_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_switch_home_user_finish(plexauth_account **out, plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* ping                                                                     */
/* ------------------------------------------------------------------------ */

/** ping's result. */
typedef struct plexauth_pong plexauth_pong;

/**
 * Checks the token with plex.tv and keeps it alive (Plex apps ping every 24 h). GET {plex.tv}/ping
 * with X-Plex-Token; success is 200 application/json. Blocks until the call (with its retries)
 * ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_pong_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_ping(plexauth_pong **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_ping(): checks the arguments (errors are returned at once), queues
 * the call on `loop` and sets *call to the pending call. done(call, user_data) runs once when it
 * completes. Take the outcome with plexauth_client_ping_finish(). The arguments are copied: they
 * may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_ping_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_ping_start(): the status
 * plexauth_client_ping() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_pong_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_ping_finish(plexauth_pong **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_pong_free(plexauth_pong *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_pong_response(const plexauth_pong *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_pong_json(const plexauth_pong *r, size_t *len);

/* Pong (plexauth_pong) */
/**
 * pong: true: plex.tv accepted the token (and extended its life).
 *
 * @param h The Pong (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
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
 * Lists the members of the token's Plex Home (admin and managed users) with whether each is
 * protected by a PIN. plex.tv documents this route in its v1 form only, which answers XML: the XML
 * and a JSON body of the same shape are both read. GET {plex.tv v1}/home/users with X-Plex-Token;
 * success is 200 application/json or XML. Blocks until the call (with its retries) ends. Any
 * thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_home_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_list_home_users(plexauth_home **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_list_home_users(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_list_home_users_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_list_home_users_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_list_home_users_start(): the status
 * plexauth_client_list_home_users() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_home_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_list_home_users_finish(plexauth_home **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_home_free(plexauth_home *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_home_response(const plexauth_home *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_home_json(const plexauth_home *r, size_t *len);

/* HomeUsers (plexauth_home) */
/**
 * friendlyName: The container's friendly name.
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_friendly_name(const plexauth_home *h);
/**
 * identifier: The container's identifier.
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_identifier(const plexauth_home *h);
/**
 * machineIdentifier: The machine identifier.
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_machine_identifier(const plexauth_home *h);
/**
 * totalSize: Members in the Home.
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_total_size(const plexauth_home *h, int64_t *out);
/**
 * size: Members in this container.
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_size(const plexauth_home *h, int64_t *out);
/**
 * User: The Home's members (MediaContainer.User[]).
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_home_users_count(const plexauth_home *h);
/**
 * User[index].
 *
 * @param h The HomeUsers (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_home_user *plexauth_home_users_at(const plexauth_home *h, size_t index);

/* HomeUser (plexauth_home_user) */
/**
 * id: The user's numeric id.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_id(const plexauth_home_user *h, int64_t *out);
/**
 * uuid: The user's uuid: switch_home_user takes it.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_uuid(const plexauth_home_user *h);
/**
 * title: The display name.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_title(const plexauth_home_user *h);
/**
 * username: The plex.tv user name (empty for managed users).
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_username(const plexauth_home_user *h);
/**
 * email: The e-mail address (empty for managed users).
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_email(const plexauth_home_user *h);
/**
 * thumb: Avatar URL.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_thumb(const plexauth_home_user *h);
/**
 * admin: The Home's admin.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_admin(const plexauth_home_user *h, int *out);
/**
 * guest: A guest account.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_guest(const plexauth_home_user *h, int *out);
/**
 * restricted: A restricted (managed) user.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_restricted(const plexauth_home_user *h, int *out);
/**
 * restrictionProfile: The restriction profile, e.g. "little_kid".
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_home_user_restriction_profile(const plexauth_home_user *h);
/**
 * hasPassword: Has a plex.tv password.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_has_password(const plexauth_home_user *h, int *out);
/**
 * protected: Protected by a Home PIN: switch_home_user needs it.
 *
 * @param h The HomeUser (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_home_user_protected(const plexauth_home_user *h, int *out);

/* ------------------------------------------------------------------------ */
/* list_resources                                                           */
/* ------------------------------------------------------------------------ */

/** list_resources's result: the account's devices (the body is a JSON array of them). */
typedef struct plexauth_resources plexauth_resources;
/** A device of the account (list_resources): a server, a player or another client. */
typedef struct plexauth_resource plexauth_resource;

/**
 * The account's devices (servers, players, other clients) with their connections and access
 * tokens, from clients.plex.tv, HTTPS, relay and IPv6 connections included. A server shared with
 * the account has its own accessToken: use it, not the account's token, with that server. GET
 * {clients.plex.tv}/resources?includeHttps=1&includeRelay=1&includeIPv6=1 with X-Plex-Token;
 * success is 200 application/json. Blocks until the call (with its retries) ends. Any thread: the
 * client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_resources_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_list_resources(plexauth_resources **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_list_resources(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_list_resources_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_list_resources_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_list_resources_start(): the status
 * plexauth_client_list_resources() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_resources_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_list_resources_finish(plexauth_resources **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_resources_free(plexauth_resources *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_resources_response(const plexauth_resources *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_resources_json(const plexauth_resources *r, size_t *len);

/* Resources (plexauth_resources) */
/**
 * devices: The devices, in plex.tv's order.
 *
 * @param h The Resources (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_resources_devices_count(const plexauth_resources *h);
/**
 * devices[index].
 *
 * @param h The Resources (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_resource *plexauth_resources_devices_at(const plexauth_resources *h, size_t index);

/* Resource (plexauth_resource) */
/**
 * name: The device's name.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_name(const plexauth_resource *h);
/**
 * product: The product, e.g. "Plex Media Server".
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_product(const plexauth_resource *h);
/**
 * productVersion: The product's version.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_product_version(const plexauth_resource *h);
/**
 * platform: The platform, e.g. "Linux".
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_platform(const plexauth_resource *h);
/**
 * platformVersion: The platform's version.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_platform_version(const plexauth_resource *h);
/**
 * device: The device kind.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_device(const plexauth_resource *h);
/**
 * clientIdentifier: The device's identifier; for a server its machineIdentifier (connect checks
 * it).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_client_identifier(const plexauth_resource *h);
/**
 * createdAt: When it was registered (Unix seconds).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_created_at(const plexauth_resource *h, int64_t *out);
/**
 * lastSeenAt: When plex.tv last heard of it (Unix seconds).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_last_seen_at(const plexauth_resource *h, int64_t *out);
/**
 * provides: What it provides, comma-separated: "server", "client,player,pubsub-player", ...
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_provides(const plexauth_resource *h);
/**
 * ownerId: The owner's account id; absent (null) when the token's account owns it.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives the value when present; untouched otherwise. NULL gives 0.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_owner_id(const plexauth_resource *h, int64_t *out);
/**
 * sourceTitle: The owner's name, for a server shared with the account.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_source_title(const plexauth_resource *h);
/**
 * publicAddress: Its public IP address.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_public_address(const plexauth_resource *h);
/**
 * accessToken: The token to use with this device (may be absent: use the account's for an owned
 * server).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_resource_access_token(const plexauth_resource *h);
/**
 * owned: Owned by the token's account.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_owned(const plexauth_resource *h, int *out);
/**
 * home: Shared within the Plex Home.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_home(const plexauth_resource *h, int *out);
/**
 * synced: A sync target.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_synced(const plexauth_resource *h, int *out);
/**
 * relay: plex.tv relays connections to it.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_relay(const plexauth_resource *h, int *out);
/**
 * presence: Online now, as plex.tv sees it.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_presence(const plexauth_resource *h, int *out);
/**
 * httpsRequired: The server accepts HTTPS only.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_https_required(const plexauth_resource *h, int *out);
/**
 * publicAddressMatches: It is on the caller's network (same public address).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_public_address_matches(const plexauth_resource *h, int *out);
/**
 * dnsRebindingProtection: The network blocks *.plex.direct names (DNS rebinding protection).
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_dns_rebinding_protection(const plexauth_resource *h, int *out);
/**
 * natLoopbackSupported: The router supports NAT loopback.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_resource_nat_loopback_supported(const plexauth_resource *h, int *out);
/**
 * connections: The addresses it is reachable at.
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_resource_connections_count(const plexauth_resource *h);
/**
 * connections[index].
 *
 * @param h The Resource (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_connection *plexauth_resource_connections_at(const plexauth_resource *h, size_t index);

/* ------------------------------------------------------------------------ */
/* get_nonce                                                                */
/* ------------------------------------------------------------------------ */

/** get_nonce's result: a single-use nonce for a device JWT (valid 5 minutes). */
typedef struct plexauth_nonce plexauth_nonce;

/**
 * A nonce for the device JWT (JWT device authentication; valid 5 minutes, single use). No token is
 * sent. GET {clients.plex.tv}/auth/nonce without X-Plex-Token; success is 200 application/json.
 * Blocks until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_nonce_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_nonce(plexauth_nonce **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_nonce(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_get_nonce_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_nonce_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_nonce_start(): the status
 * plexauth_client_get_nonce() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_nonce_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_nonce_finish(plexauth_nonce **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_nonce_free(plexauth_nonce *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_nonce_response(const plexauth_nonce *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_nonce_json(const plexauth_nonce *r, size_t *len);

/* Nonce (plexauth_nonce) */
/**
 * nonce: The nonce.
 *
 * @param h The Nonce (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_nonce_nonce(const plexauth_nonce *h);

/* ------------------------------------------------------------------------ */
/* get_jwks                                                                 */
/* ------------------------------------------------------------------------ */

/** get_jwks's result: the keys plex.tv signs its JWTs with (it rotates them). */
typedef struct plexauth_jwks plexauth_jwks;
/** A public key of plex.tv's key set (get_jwks), or a device's public key. */
typedef struct plexauth_jwk plexauth_jwk;

/**
 * The public keys plex.tv signs its JWTs with (a JSON Web Key Set; plex.tv rotates them). No token
 * is sent. GET {clients.plex.tv}/auth/keys without X-Plex-Token; success is 200 application/json.
 * Blocks until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_jwks_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwks(plexauth_jwks **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_jwks(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_get_jwks_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwks_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_jwks_start(): the status
 * plexauth_client_get_jwks() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_jwks_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwks_finish(plexauth_jwks **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_jwks_free(plexauth_jwks *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_jwks_response(const plexauth_jwks *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_jwks_json(const plexauth_jwks *r, size_t *len);

/* Jwks (plexauth_jwks) */
/**
 * keys: The keys.
 *
 * @param h The Jwks (borrowed; NULL gives the absent answer).
 * @return The number of entries (0 when absent).
 */
PLEXAUTH_API size_t plexauth_jwks_keys_count(const plexauth_jwks *h);
/**
 * keys[index].
 *
 * @param h The Jwks (borrowed; NULL gives the absent answer).
 * @param index 0 .. count - 1.
 * @return The entry, borrowed from h (do not free it); NULL when out of range.
 */
PLEXAUTH_API const plexauth_jwk *plexauth_jwks_keys_at(const plexauth_jwks *h, size_t index);

/* Jwk (plexauth_jwk) */
/**
 * kty: Key type: "OKP".
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_kty(const plexauth_jwk *h);
/**
 * crv: Curve: "Ed25519".
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_crv(const plexauth_jwk *h);
/**
 * x: The public key, base64url.
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_x(const plexauth_jwk *h);
/**
 * kid: The key's id (plex.tv puts it in its JWTs' header).
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_kid(const plexauth_jwk *h);
/**
 * use: "sig".
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_use(const plexauth_jwk *h);
/**
 * alg: "EdDSA".
 *
 * @param h The Jwk (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwk_alg(const plexauth_jwk *h);

/* ------------------------------------------------------------------------ */
/* exchange_device_jwt                                                      */
/* ------------------------------------------------------------------------ */

/** exchange_device_jwt's result: a Plex JWT (valid 7 days) for this device. */
typedef struct plexauth_jwt_token plexauth_jwt_token;

/**
 * Exchanges a device JWT (signed with the registered device key: plexauth_device_key_sign_jwt) for
 * a Plex JWT. No token is sent. POST {clients.plex.tv}/auth/token without X-Plex-Token; success is
 * 200 application/json. any 4XX with Plex code 1097 gives PLEXAUTH_E_JWT_ISSUER_MISMATCH. Never
 * retried after a 4XX. Blocks until the call (with its retries) ends. Any thread: the client may
 * be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_jwt_token_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param jwt The signed device JWT. (required, must not be empty, secret: wiped and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_exchange_device_jwt(plexauth_jwt_token **out, plexauth_client *client, const char *jwt, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_exchange_device_jwt(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_exchange_device_jwt_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param jwt The signed device JWT. (required, must not be empty, secret: wiped and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_exchange_device_jwt_start(plexauth_call **call, plexauth_client *client, const char *jwt, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_exchange_device_jwt_start(): the status
 * plexauth_client_exchange_device_jwt() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_jwt_token_free());
 *   NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_exchange_device_jwt_finish(plexauth_jwt_token **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_jwt_token_free(plexauth_jwt_token *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_jwt_token_response(const plexauth_jwt_token *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_jwt_token_json(const plexauth_jwt_token *r, size_t *len);

/* JwtToken (plexauth_jwt_token) */
/**
 * auth_token: The Plex JWT, used as X-Plex-Token with plex.tv.
 *
 * @param h The JwtToken (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_jwt_token_auth_token(const plexauth_jwt_token *h);

/* ------------------------------------------------------------------------ */
/* register_jwk                                                             */
/* ------------------------------------------------------------------------ */

/**
 * Registers a device key's public JWK for the token's account and device (POST /auth/jwk, JSON
 * body {"jwk":{...}}): JWT logins with that key work from then on.
 * plexauth_client_register_device_key() does this with a plexauth_device_key. POST
 * {clients.plex.tv}/auth/jwk with X-Plex-Token; success is 204. Never retried after a 4XX. Blocks
 * until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param client The client (not NULL).
 * @param jwk The device key's public JWK (plexauth_device_key_jwk()). (required, must not be
 *   empty, a JSON object's text, sent as that object).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_register_jwk(plexauth_client *client, const char *jwk, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_register_jwk(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_register_jwk_finish(). The arguments
 * are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param jwk The device key's public JWK (plexauth_device_key_jwk()). (required, must not be
 *   empty, a JSON object's text, sent as that object).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_register_jwk_start(plexauth_call **call, plexauth_client *client, const char *jwk, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_register_jwk_start(): the status
 * plexauth_client_register_jwk() would have returned, with *err set likewise. Any thread.
 *
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_register_jwk_finish(plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* create_jwk_pin                                                           */
/* ------------------------------------------------------------------------ */


/**
 * Creates a PIN that carries the device's public key (JWT device authentication: PIN or hosted
 * login with no legacy token). Poll it with get_jwk_pin (plexauth_client_wait_for_jwk_pin polls it
 * for you); once approved, its authToken is a Plex JWT and the key is registered for the account.
 * No token is sent. POST {clients.plex.tv}/pins without X-Plex-Token; success is 201
 * application/json. Blocks until the call (with its retries) ends. Any thread: the client may be
 * shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_pin_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param jwk The device key's public JWK (plexauth_device_key_jwk()). (required, must not be
 *   empty, a JSON object's text, sent as that object).
 * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
 *   4-character one for plex.tv/link (15 minutes).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_create_jwk_pin(plexauth_pin **out, plexauth_client *client, const char *jwk, int strong, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_create_jwk_pin(): checks the arguments (errors are returned at
 * once), queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs
 * once when it completes. Take the outcome with plexauth_client_create_jwk_pin_finish(). The
 * arguments are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param jwk The device key's public JWK (plexauth_device_key_jwk()). (required, must not be
 *   empty, a JSON object's text, sent as that object).
 * @param strong Non-zero: a long code for the hosted login page (lives 30 minutes) instead of a
 *   4-character one for plex.tv/link (15 minutes).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_create_jwk_pin_start(plexauth_call **call, plexauth_client *client, const char *jwk, int strong, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_create_jwk_pin_start(): the status
 * plexauth_client_create_jwk_pin() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_pin_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_create_jwk_pin_finish(plexauth_pin **out, plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* get_jwk_pin                                                              */
/* ------------------------------------------------------------------------ */


/**
 * Polls a PIN made by create_jwk_pin, proving the device holds the key with a device JWT signed by
 * it (in the query, as plex.tv requires; redacted from every log line and message). Its authToken
 * is a Plex JWT once the user approved. No token is sent. GET
 * {clients.plex.tv}/pins/{id}?deviceJWT={device_jwt} without X-Plex-Token; success is 200
 * application/json. HTTP 404 with Plex code 1020 gives PLEXAUTH_E_PIN_EXPIRED. Blocks until the
 * call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_pin_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param id The PIN's id (create_jwk_pin's id).
 * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
 *   (required, must not be empty, secret: wiped and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwk_pin(plexauth_pin **out, plexauth_client *client, int64_t id, const char *device_jwt, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_jwk_pin(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_get_jwk_pin_finish(). The arguments are
 * copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param id The PIN's id (create_jwk_pin's id).
 * @param device_jwt A device JWT signed with the PIN's key (plexauth_device_key_sign_jwt()).
 *   (required, must not be empty, secret: wiped and redacted).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwk_pin_start(plexauth_call **call, plexauth_client *client, int64_t id, const char *device_jwt, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_jwk_pin_start(): the status
 * plexauth_client_get_jwk_pin() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with plexauth_pin_free()); NULL
 *   otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_jwk_pin_finish(plexauth_pin **out, plexauth_call *call, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* get_identity                                                             */
/* ------------------------------------------------------------------------ */

/** get_identity's result: a Plex Media Server's /identity (no token needed). */
typedef struct plexauth_server_identity plexauth_server_identity;

/**
 * A Plex Media Server's identity (GET /identity: machineIdentifier, version, claimed), the
 * cheapest check that an address reaches the right server. The server needs no token for it; the
 * client's is sent when set. GET {PMS}/identity with X-Plex-Token; success is 200 application/json
 * or XML. Blocks until the call (with its retries) ends. Any thread: the client may be shared.
 *
 * @param[out] out Receives a new result on success (free it with plexauth_server_identity_free()),
 *   NULL otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param[out] err Receives an owned error on failure (free it with plexauth_error_free()), NULL on
 *   success; may be NULL.
 * @return PLEXAUTH_OK, or the failure's status (any status).
 */
PLEXAUTH_API plexauth_status plexauth_client_get_identity(plexauth_server_identity **out, plexauth_client *client, const plexauth_call_options *opts, plexauth_error **err);
/**
 * Non-blocking plexauth_client_get_identity(): checks the arguments (errors are returned at once),
 * queues the call on `loop` and sets *call to the pending call. done(call, user_data) runs once
 * when it completes. Take the outcome with plexauth_client_get_identity_finish(). The arguments
 * are copied: they may be freed on return. Any thread.
 *
 * @param[out] call Receives the pending call on success (free it with plexauth_call_free()), NULL
 *   otherwise.
 * @param client The client (not NULL).
 * @param opts Per-call options, or NULL for none.
 * @param loop The loop to run on, or NULL for the client's own (a thread-mode loop made on first
 *   use).
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error when the call could not be started, NULL otherwise; may
 *   be NULL.
 * @return PLEXAUTH_OK when the call was started, or why it was not.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_identity_start(plexauth_call **call, plexauth_client *client, const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done, void *user_data, plexauth_error **err);
/**
 * The outcome of a completed call made by plexauth_client_get_identity_start(): the status
 * plexauth_client_get_identity() would have returned, with *err set likewise. Any thread.
 *
 * @param[out] out Receives the result on success, once (free it with
 *   plexauth_server_identity_free()); NULL otherwise.
 * @param call The completed call (not NULL).
 * @param[out] err Receives an owned error on failure, NULL on success; may be NULL.
 * @return The call's status; PLEXAUTH_E_INVALID_ARGUMENT when it is still pending, was started for
 *   another operation, or its result was already taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_get_identity_finish(plexauth_server_identity **out, plexauth_call *call, plexauth_error **err);
/**
 * Frees the result and everything borrowed from it. Not while another thread still reads it.
 *
 * @param r The result; NULL is accepted.
 */
PLEXAUTH_API void plexauth_server_identity_free(plexauth_server_identity *r);
/**
 * The HTTP response behind the result.
 *
 * @param r The result; NULL is accepted.
 * @return The response, borrowed from r; NULL when r is NULL.
 */
PLEXAUTH_API const plexauth_response *plexauth_server_identity_response(const plexauth_server_identity *r);
/**
 * The parsed result as compact JSON with the wire names (known fields only; absent fields left
 * out, null kept, times as Unix seconds). Made on first use; any thread.
 *
 * @param r The result; NULL is accepted.
 * @param[out] len Receives the length; may be NULL.
 * @return The JSON text, borrowed from r; NULL only when r is NULL or memory ran out.
 */
PLEXAUTH_API const char *plexauth_server_identity_json(const plexauth_server_identity *r, size_t *len);

/* ServerIdentity (plexauth_server_identity) */
/**
 * machineIdentifier: The server's identifier: a resource's clientIdentifier.
 *
 * @param h The ServerIdentity (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_server_identity_machine_identifier(const plexauth_server_identity *h);
/**
 * version: The server's version.
 *
 * @param h The ServerIdentity (borrowed; NULL gives the absent answer).
 * @return The value, borrowed from h; NULL when absent or null.
 */
PLEXAUTH_API const char *plexauth_server_identity_version(const plexauth_server_identity *h);
/**
 * claimed: Claimed by a plex.tv account.
 *
 * @param h The ServerIdentity (borrowed; NULL gives the absent answer).
 * @param[out] out Receives 0 or 1 when present; untouched otherwise.
 * @return 1 when present (and *out written), else 0.
 */
PLEXAUTH_API int plexauth_server_identity_claimed(const plexauth_server_identity *h, int *out);
/* END GENERATED: operations */

/* ------------------------------------------------------------------------ */
/* Login journey: device identity, hosted login URL, waiting for a PIN       */
/* ------------------------------------------------------------------------ */

/** A buffer of this size holds any client identifier (with its NUL). */
#define PLEXAUTH_CLIENT_ID_MAX 129

/**
 * A stable device identity: the client identifier stored in a file, or a new
 * random UUIDv4 written there once (mode 0600, atomically; missing folders are
 * created with mode 0700), so that repeated runs never register new devices
 * with plex.tv. A file that does not hold a client identifier is left
 * untouched (PLEXAUTH_E_INVALID_ARGUMENT). Any thread; concurrent callers on
 * one path all get the same identifier.
 *
 * @param path The file; NULL: $XDG_CONFIG_HOME/plexauth/client_id (or ~/.config/plexauth/client_id).
 * @param[out] out Receives the identifier and its NUL.
 * @param out_size The size of out; PLEXAUTH_CLIENT_ID_MAX always suffices.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_INVALID_ARGUMENT (bad arguments, out too
 *   small, a file without an identifier, or the file system refused: the
 *   message says why); PLEXAUTH_E_INTERNAL when no random bytes could be had.
 */
PLEXAUTH_API plexauth_status plexauth_client_id_load_or_create(const char *path, char *out, size_t out_size,
                                                               plexauth_error **err);

/**
 * The hosted login page for a PIN's code:
 * https://app.plex.tv/auth#?clientID=..&code=..&context%5Bdevice%5D%5Bproduct%5D=..[&forwardUrl=..]
 * with the client's client_id and client_name (X-Plex-Product), every value
 * percent-encoded. Sends nothing. Any thread.
 *
 * @param client The client whose identity the page shows (it must have a client_id).
 * @param code A strong PIN's code (plexauth_client_create_pin() with strong != 0).
 * @param forward_url Where the page forwards after the approval, without the
 *   token (poll the PIN): an absolute http(s) URL; NULL: none.
 * @param[out] out Receives the URL and its NUL.
 * @param out_size The size of out.
 * @param[out] needed Receives the size the URL takes (with its NUL); may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT when out is too small
 *   (nothing copied; *needed says how much), the client has no client_id, or
 *   forward_url is not http(s).
 */
PLEXAUTH_API plexauth_status plexauth_login_url(const plexauth_client *client, const char *code,
                                               const char *forward_url, char *out, size_t out_size,
                                               size_t *needed, plexauth_error **err);

/**
 * Progress of plexauth_client_wait_for_pin(), called before each wait between
 * polls on the waiting thread. Must not call back into the same client.
 *
 * @param user_data The pointer given to plexauth_client_wait_for_pin().
 * @param code The PIN's code (borrowed for the call).
 * @param seconds_left Seconds until the PIN expires; -1 when unknown.
 * @return 0 to keep waiting, non-zero to stop (the wait then fails with PLEXAUTH_E_CANCELLED).
 */
typedef int (*plexauth_pin_progress_fn)(void *user_data, const char *code, int64_t seconds_left);

/**
 * Waits until the user approves a PIN (at plex.tv/link or on the hosted login
 * page): polls GET {plex.tv}/pins/{id} from this client (whose client
 * identifier must be the one that created the PIN) until its authToken is
 * set. Blocks the calling thread; any thread.
 *
 * @param[out] out Receives the approved PIN, whose plexauth_pin_auth_token()
 *   is the account's token; free it with plexauth_pin_free().
 * @param client The client.
 * @param id The PIN's id (plexauth_pin_id()).
 * @param poll_interval_ms The pause between polls: 100 .. 60000; 0: 1000.
 * @param timeout_ms A limit on the whole wait; 0: until the PIN expires.
 * @param progress Called before each pause; may be NULL.
 * @param user_data Passed to progress.
 * @param opts Per-call options for every poll (e.g. a cancel token), or NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_PIN_EXPIRED (plex.tv says so, or its
 *   expiresAt passed); PLEXAUTH_E_TIMEOUT (timeout_ms passed);
 *   PLEXAUTH_E_CANCELLED (the cancel token, within ~100 ms even mid-wait, or
 *   the progress callback); or a poll's own error after its retries.
 */
PLEXAUTH_API plexauth_status plexauth_client_wait_for_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                                          int64_t poll_interval_ms, int64_t timeout_ms,
                                                          plexauth_pin_progress_fn progress, void *user_data,
                                                          const plexauth_call_options *opts, plexauth_error **err);

/* ------------------------------------------------------------------------ */
/* Connecting to a server                                                   */
/* ------------------------------------------------------------------------ */

/** plexauth_connect_options_set_locations(): the server's LAN addresses. */
#define PLEXAUTH_LOCATION_LOCAL 1
/** plexauth_connect_options_set_locations(): its public addresses. */
#define PLEXAUTH_LOCATION_REMOTE 2
/** plexauth_connect_options_set_locations(): plex.tv's relay (bandwidth-limited: tried last). */
#define PLEXAUTH_LOCATION_RELAY 4

/** How plexauth_client_connect() races a server's connections. */
typedef struct plexauth_connect_options plexauth_connect_options;
/** Remembered good connections, one per server (machineIdentifier -> uri). Thread-safe. */
typedef struct plexauth_connect_cache plexauth_connect_cache;
/** The connection plexauth_client_connect() chose, and what happened to every candidate. */
typedef struct plexauth_connect_result plexauth_connect_result;

/**
 * Makes connect options with the defaults: every location, https and http, a 250 ms stagger,
 * a 100 ms grace window, a 10 s deadline, no cache, no cancel token.
 * @param[out] out Receives the options; free them with plexauth_connect_options_free().
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_new(plexauth_connect_options **out, plexauth_error **err);
/**
 * Frees connect options (a cache set on them lives on while others hold it).
 * @param opts The options, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_connect_options_free(plexauth_connect_options *opts);
/**
 * Which locations to try.
 * @param opts The options.
 * @param mask PLEXAUTH_LOCATION_LOCAL | PLEXAUTH_LOCATION_REMOTE | PLEXAUTH_LOCATION_RELAY (non-zero).
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL or a mask outside 1..7.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_locations(plexauth_connect_options *opts, unsigned mask);
/**
 * Which schemes to try: https (the connection's uri, often a *.plex.direct name) and plain http
 * (http://address:port, never for a server that requires https).
 * @param opts The options.
 * @param https Non-zero: try https.
 * @param http Non-zero: try http.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL or both zero.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_schemes(plexauth_connect_options *opts, int https, int http);
/**
 * The head start of each probe over the next: the next candidate starts this long after the one
 * before, or as soon as that one fails.
 * @param opts The options.
 * @param ms 0 (all at once) .. 60000.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL or out of range.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_stagger_ms(plexauth_connect_options *opts, int64_t ms);
/**
 * How long a success waits for a more preferred candidate still being probed.
 * @param opts The options.
 * @param ms 0 .. 60000.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL or out of range.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_grace_ms(plexauth_connect_options *opts, int64_t ms);
/**
 * The limit on the whole connect: probes still running then are abandoned.
 * @param opts The options.
 * @param ms 1 .. 600000.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL or out of range.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_deadline_ms(plexauth_connect_options *opts, int64_t ms);
/**
 * Remembers what worked: the server's last good uri is tried first, and the winner is stored.
 * @param opts The options.
 * @param cache The cache (shared: it may be freed before the options), or NULL for none.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL opts.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_cache(plexauth_connect_options *opts,
                                                                plexauth_connect_cache *cache);
/**
 * A cancel token that stops the connect (and its probes) with PLEXAUTH_E_CANCELLED.
 * @param opts The options.
 * @param cancel The token (shared), or NULL for none.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL opts.
 */
PLEXAUTH_API plexauth_status plexauth_connect_options_set_cancel(plexauth_connect_options *opts,
                                                                 plexauth_cancel *cancel);

/**
 * Makes an empty connection cache.
 * @param[out] out Receives the cache; free it with plexauth_connect_cache_free().
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out NULL) or PLEXAUTH_E_OUT_OF_MEMORY.
 */
PLEXAUTH_API plexauth_status plexauth_connect_cache_new(plexauth_connect_cache **out, plexauth_error **err);
/**
 * Releases the caller's reference (options holding the cache keep it alive).
 * @param cache The cache, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_connect_cache_free(plexauth_connect_cache *cache);
/**
 * Replaces the cache's content with a file written by plexauth_connect_cache_save(). A missing
 * file is an empty cache.
 * @param cache The cache.
 * @param path The file.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_TRANSPORT (unreadable); PLEXAUTH_E_MALFORMED_RESPONSE (not a
 *   cache file, or over 1 MiB); PLEXAUTH_E_INVALID_ARGUMENT (NULL, bad UTF-8).
 */
PLEXAUTH_API plexauth_status plexauth_connect_cache_load(plexauth_connect_cache *cache, const char *path,
                                                         plexauth_error **err);
/**
 * Writes the cache to a file, atomically (a temporary file renamed into place), mode 0600.
 * @param cache The cache.
 * @param path The file.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_TRANSPORT (not writable); PLEXAUTH_E_INVALID_ARGUMENT (NULL).
 */
PLEXAUTH_API plexauth_status plexauth_connect_cache_save(const plexauth_connect_cache *cache, const char *path,
                                                         plexauth_error **err);
/**
 * The number of servers remembered.
 * @param cache The cache.
 * @return Their number; 0 for NULL.
 */
PLEXAUTH_API size_t plexauth_connect_cache_size(const plexauth_connect_cache *cache);

/**
 * Reads a list_resources body (a JSON array of devices, e.g. one kept from an earlier call, or
 * "[one device]") without a request, so that a saved resource can be connected to.
 * @param[out] out Receives the devices; free them with plexauth_resources_free().
 * @param json The JSON text: NUL-terminated UTF-8, at most 16 MiB.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_MALFORMED_RESPONSE (not such an array, "" too);
 *   PLEXAUTH_E_INVALID_ARGUMENT (NULL, not UTF-8, too long).
 */
PLEXAUTH_API plexauth_status plexauth_resources_from_json(plexauth_resources **out, const char *json,
                                                          plexauth_error **err);

/**
 * Finds a working connection to a server of list_resources, fast: its connections are ordered
 * local -> remote -> relay, https before http, IPv6 last (a server the account does not own:
 * no local address unless plex.tv says it is on this network), the remembered one first; each is
 * probed with GET {uri}/identity carrying the client's identity headers and the resource's
 * accessToken, staggered (the next starts after the stagger or when the one before fails), all
 * on one thread. A probe succeeds when the server answers with the resource's clientIdentifier as
 * its machineIdentifier. The best success in that order wins (waiting up to the grace window for
 * a more preferred one still running). Blocks the calling thread (runs on the client's own loop);
 * not from a callback of that loop. *.plex.direct names are pinned to the address they encode
 * (plexauth_config_set_pin_plex_direct), so TLS is verified even where DNS rebinding protection
 * hides them.
 * @param[out] out Receives the result; free it with plexauth_connect_result_free().
 * @param client The client (its identity, TLS settings and log sink are used).
 * @param resource A device of plexauth_resources_devices_at(); read during the call only.
 * @param opts Connect options, or NULL for the defaults.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_UNREACHABLE (nothing answered as that server by the deadline:
 *   the message has a line per candidate); PLEXAUTH_E_CANCELLED; PLEXAUTH_E_INVALID_ARGUMENT
 *   (NULL, or a resource without clientIdentifier).
 */
PLEXAUTH_API plexauth_status plexauth_client_connect(plexauth_connect_result **out, plexauth_client *client,
                                                     const plexauth_resource *resource,
                                                     const plexauth_connect_options *opts, plexauth_error **err);
/**
 * Starts plexauth_client_connect() without blocking; finish it with plexauth_client_connect_finish().
 * @param[out] call Receives the pending call (free it with plexauth_call_free()), NULL on failure.
 * @param client The client.
 * @param resource The device to connect to; copied, so it may be freed after this returns.
 * @param opts Connect options, or NULL for the defaults; copied.
 * @param loop The loop to run on, or NULL for the client's own.
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK when started; PLEXAUTH_E_INVALID_ARGUMENT (NULL, a loop shutting down).
 */
PLEXAUTH_API plexauth_status plexauth_client_connect_start(plexauth_call **call, plexauth_client *client,
                                                           const plexauth_resource *resource,
                                                           const plexauth_connect_options *opts, plexauth_loop *loop,
                                                           plexauth_call_done_fn done, void *user_data,
                                                           plexauth_error **err);
/**
 * Takes the outcome of a completed plexauth_client_connect_start() call.
 * @param[out] out Receives the result (once); free it with plexauth_connect_result_free().
 * @param call The completed call.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return The connect's status (as plexauth_client_connect() returns it); PLEXAUTH_E_INVALID_ARGUMENT
 *   when the call is not a completed connect or its result was taken.
 */
PLEXAUTH_API plexauth_status plexauth_client_connect_finish(plexauth_connect_result **out, plexauth_call *call,
                                                            plexauth_error **err);

/**
 * Frees a connect result; wipes its token.
 * @param result The result, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_connect_result_free(plexauth_connect_result *result);
/**
 * The chosen base URI: use it as the server URL (plexauth_call_options_set_server_url()).
 * @param result The result.
 * @return The URI; NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_connect_result_uri(const plexauth_connect_result *result);
/**
 * The token to use with the server: the resource's accessToken.
 * @param result The result.
 * @return The token; NULL when the resource had none (an owned server: use the account's token).
 */
PLEXAUTH_API const char *plexauth_connect_result_access_token(const plexauth_connect_result *result);
/**
 * The server's machineIdentifier (the resource's clientIdentifier, as the server confirmed).
 * @param result The result.
 * @return The identifier; NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_connect_result_machine_identifier(const plexauth_connect_result *result);
/**
 * The server's name (the resource's).
 * @param result The result.
 * @return The name; NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_connect_result_name(const plexauth_connect_result *result);
/**
 * The server's version, as its /identity answered.
 * @param result The result.
 * @return The version ("" when not sent); NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_connect_result_version(const plexauth_connect_result *result);
/**
 * The time the connect took.
 * @param result The result.
 * @return Milliseconds; 0 for NULL.
 */
PLEXAUTH_API int64_t plexauth_connect_result_elapsed_ms(const plexauth_connect_result *result);
/**
 * The candidates, in preference order (tried or not).
 * @param result The result.
 * @return Their number; 0 for NULL.
 */
PLEXAUTH_API size_t plexauth_connect_result_attempts_count(const plexauth_connect_result *result);
/**
 * A candidate's URI.
 * @param result The result.
 * @param index 0 .. plexauth_connect_result_attempts_count() - 1.
 * @return The URI; NULL for NULL or an index out of range.
 */
PLEXAUTH_API const char *plexauth_connect_result_attempt_uri(const plexauth_connect_result *result, size_t index);
/**
 * A candidate's location.
 * @param result The result.
 * @param index The candidate.
 * @return "local", "remote" or "relay"; NULL for NULL or an index out of range.
 */
PLEXAUTH_API const char *plexauth_connect_result_attempt_location(const plexauth_connect_result *result,
                                                                  size_t index);
/**
 * What happened to a candidate.
 * @param result The result.
 * @param index The candidate.
 * @return "ok" (answered as the server), "failed" (see its status and message), "abandoned"
 *   (still running when the connect ended) or "not_tried"; NULL for NULL or out of range.
 */
PLEXAUTH_API const char *plexauth_connect_result_attempt_outcome(const plexauth_connect_result *result,
                                                                 size_t index);
/**
 * Why a failed candidate failed.
 * @param result The result.
 * @param index The candidate.
 * @return Its status (PLEXAUTH_E_MALFORMED_RESPONSE: another server answered); PLEXAUTH_OK when
 *   it did not fail; PLEXAUTH_E_INVALID_ARGUMENT for NULL or out of range.
 */
PLEXAUTH_API plexauth_status plexauth_connect_result_attempt_status(const plexauth_connect_result *result,
                                                                    size_t index);
/**
 * A failed candidate's error message.
 * @param result The result.
 * @param index The candidate.
 * @return The message; NULL when it did not fail, for NULL or out of range.
 */
PLEXAUTH_API const char *plexauth_connect_result_attempt_message(const plexauth_connect_result *result,
                                                                 size_t index);
/**
 * When a candidate's probe started, from the start of the connect.
 * @param result The result.
 * @param index The candidate.
 * @param[out] out Receives the milliseconds.
 * @return 1 and *out written when it started; 0 when not (or NULL, out of range).
 */
PLEXAUTH_API int plexauth_connect_result_attempt_started_ms(const plexauth_connect_result *result, size_t index,
                                                            int64_t *out);
/**
 * How long a candidate's probe took.
 * @param result The result.
 * @param index The candidate.
 * @param[out] out Receives the milliseconds.
 * @return 1 and *out written when it finished; 0 when not (abandoned, not tried, NULL, out of range).
 */
PLEXAUTH_API int plexauth_connect_result_attempt_elapsed_ms(const plexauth_connect_result *result, size_t index,
                                                            int64_t *out);
/**
 * The whole result as compact JSON: {"uri","machineIdentifier","name","version","accessToken"
 * (absent when none),"elapsedMs","attempts":[{"uri","location","https","ipv6","remembered",
 * "outcome","status" (a status name),"httpStatus","startedMs","elapsedMs","message"}]}.
 * @param result The result.
 * @param[out] len Receives the length in bytes; may be NULL.
 * @return The text (owned by the result); NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_connect_result_json(const plexauth_connect_result *result, size_t *len);

/* ------------------------------------------------------------------------ */
/* JWT device authentication                                                */
/* ------------------------------------------------------------------------ */

/**
 * A device's Ed25519 key pair for JWT device authentication. Its public half goes to plex.tv
 * (plexauth_client_register_device_key(), or a PIN created with it); the private half signs the
 * device JWTs that plex.tv exchanges for Plex JWTs. One key per client identifier, never shared.
 * Freeing it clears the private key. A key does not change once made: any number of threads may
 * use it at once (sign, read its id and JWK, pass it to calls); only freeing it must wait until
 * they are done.
 */
typedef struct plexauth_device_key plexauth_device_key;

/**
 * Makes a new Ed25519 key pair (OpenSSL).
 * @param[out] out Receives the key; free it with plexauth_device_key_free().
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, PLEXAUTH_E_INVALID_ARGUMENT (out NULL), PLEXAUTH_E_INTERNAL (OpenSSL failed).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_generate(plexauth_device_key **out, plexauth_error **err);
/**
 * Reads a key from PKCS#8 PEM text (as plexauth_device_key_to_pem() writes it), e.g. from the
 * application's own keystore.
 * @param[out] out Receives the key; free it with plexauth_device_key_free().
 * @param pem The PEM text ("-----BEGIN PRIVATE KEY-----"), unencrypted, Ed25519.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT (NULL, not an Ed25519 PEM key).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_from_pem(plexauth_device_key **out, const char *pem,
                                                          plexauth_error **err);
/**
 * Writes the private key as PKCS#8 PEM text into the caller's buffer (for a keystore of its own).
 * The text is a secret: wipe it when done.
 * @param key The key.
 * @param buf The buffer (NUL-terminated on success).
 * @param size Its size in bytes (about 120 are needed).
 * @param[out] len Receives the text's length (also when the buffer is too small); may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT (NULL, buffer too small).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_to_pem(const plexauth_device_key *key, char *buf, size_t size,
                                                        size_t *len, plexauth_error **err);
/**
 * Reads a key file written by plexauth_device_key_save(). A file readable by other users is
 * refused, as ssh refuses such keys.
 * @param[out] out Receives the key; free it with plexauth_device_key_free().
 * @param path The file.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_TRANSPORT (unreadable, missing); PLEXAUTH_E_INVALID_ARGUMENT (not a
 *   key, permissions too open, NULL).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_load(plexauth_device_key **out, const char *path,
                                                      plexauth_error **err);
/**
 * Writes the key to a file as PKCS#8 PEM, mode 0600, atomically (a temporary file renamed into place).
 * @param key The key.
 * @param path The file.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_TRANSPORT (not writable); PLEXAUTH_E_INVALID_ARGUMENT (NULL).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_save(const plexauth_device_key *key, const char *path,
                                                      plexauth_error **err);
/**
 * Reads the key file, or makes a new key and saves it there (mode 0600) when there is none.
 * @param[out] out Receives the key; free it with plexauth_device_key_free().
 * @param path The file.
 * @param[out] created Receives 1 when a new key was made, else 0; may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return As plexauth_device_key_load() and plexauth_device_key_save().
 */
PLEXAUTH_API plexauth_status plexauth_device_key_load_or_create(plexauth_device_key **out, const char *path,
                                                                int *created, plexauth_error **err);
/** Passed to a keystore's read function; the function hands the stored key over with
 *  plexauth_key_sink_set(). Valid only during that call. */
typedef struct plexauth_key_sink plexauth_key_sink;

/**
 * Reads the device key from the application's own keystore (a system keychain, a secret service,
 * an encrypted database) for plexauth_device_key_load_or_create_with(). Called once, on the
 * calling thread.
 * @param user_data The pointer given with the function.
 * @param sink Where to put the stored key's PKCS#8 PEM text (plexauth_key_sink_set()). Not calling
 *   it means the keystore holds no key yet.
 * @return 0 on success, whether a key was stored or not. Non-zero fails the call with
 *   PLEXAUTH_E_CALLBACK, and so does a key text that plexauth_key_sink_set() refused.
 */
typedef int (*plexauth_keystore_read_fn)(void *user_data, plexauth_key_sink *sink);
/**
 * Writes the device key into the application's own keystore. Called once, on the calling thread.
 * @param user_data The pointer given with the function.
 * @param pem The private key as PKCS#8 PEM text, NUL-terminated. A secret, borrowed for the call
 *   only: the library wipes it when the function returns, so copy it, never keep the pointer.
 * @param len Its length in bytes.
 * @return 0 when the key is stored; non-zero fails the call with PLEXAUTH_E_CALLBACK.
 */
typedef int (*plexauth_keystore_write_fn)(void *user_data, const char *pem, size_t len);
/**
 * Hands the stored key to the library from inside a keystore's read function (copied, and the
 * copy wiped after use).
 * @param sink The read function's sink.
 * @param pem The PEM text's bytes; need not be NUL-terminated.
 * @param len The number of bytes.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT for NULL, over 64 KiB, invalid UTF-8 or a NUL
 *   byte (the call then fails with PLEXAUTH_E_CALLBACK). Whether it is a key is checked afterwards.
 */
PLEXAUTH_API plexauth_status plexauth_key_sink_set(plexauth_key_sink *sink, const char *pem, size_t len);
/**
 * As plexauth_device_key_load_or_create(), with the application's keystore instead of a file:
 * reads the stored key through `read`; when there is none, makes a new key and stores it through
 * `write` before returning it. A stored key that is not an Ed25519 PKCS#8 PEM key is an error, never
 * replaced (a registered device would lose its key).
 * @param[out] out Receives the key; free it with plexauth_device_key_free(). NULL on failure.
 * @param read The keystore's read function.
 * @param write The keystore's write function (called only when a key was made).
 * @param user_data Passed to both.
 * @param[out] created Receives 1 when a new key was made and stored, else 0; may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_CALLBACK (a function returned non-zero, or the key text was
 *   refused: no key is returned, a new key that could not be stored included);
 *   PLEXAUTH_E_INVALID_ARGUMENT (NULL out, read or write; the stored text is not a key).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_load_or_create_with(plexauth_device_key **out,
                                                                     plexauth_keystore_read_fn read,
                                                                     plexauth_keystore_write_fn write,
                                                                     void *user_data, int *created,
                                                                     plexauth_error **err);
/**
 * As plexauth_device_key_save(), into the application's keystore: calls `write` once with the key's
 * PKCS#8 PEM text (wiped afterwards).
 * @param key The key.
 * @param write The keystore's write function.
 * @param user_data Passed to it.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_CALLBACK (write returned non-zero); PLEXAUTH_E_INVALID_ARGUMENT (NULL).
 */
PLEXAUTH_API plexauth_status plexauth_device_key_save_with(const plexauth_device_key *key,
                                                           plexauth_keystore_write_fn write, void *user_data,
                                                           plexauth_error **err);
/**
 * Frees a key; OpenSSL clears the private key.
 * @param key The key, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_device_key_free(plexauth_device_key *key);
/**
 * The key's id: its RFC 7638 thumbprint (base64url of SHA-256), the "kid" of its JWK and device JWTs;
 * plex.tv echoes it as the "thumbprint" claim of the Plex JWTs it issues for this device.
 * @param key The key.
 * @return The id (owned by the key); NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_device_key_id(const plexauth_device_key *key);
/**
 * The public JWK: {"kty":"OKP","crv":"Ed25519","x":...,"use":"sig","alg":"EdDSA","kid":...}.
 * @param key The key.
 * @return The JSON text (owned by the key); NULL for NULL.
 */
PLEXAUTH_API const char *plexauth_device_key_jwk(const plexauth_device_key *key);
/**
 * Signs a device JWT: header {"alg":"EdDSA","typ":"JWT","kid"}, claims {"nonce" (when given),
 * "scope","aud":"plex.tv","iss": client_id,"iat": now,"exp": now + lifetime_s}.
 * plexauth_client_jwt_login() does this itself; this is for PIN polling and for checking.
 * @param key The key.
 * @param client_id The X-Plex-Client-Identifier the JWT is sent with (plex.tv checks iss).
 * @param nonce A nonce of plexauth_client_get_nonce(), or NULL for none.
 * @param scope Comma-separated claims to put in the Plex JWT, or NULL for
 *   "username,email,friendly_name,restricted,anonymous,joinedAt".
 * @param lifetime_s 1 .. 86400 (plex.tv's clients use 300).
 * @param buf The buffer (NUL-terminated on success).
 * @param size Its size in bytes.
 * @param[out] len Receives the JWT's length (also when the buffer is too small); may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT.
 */
PLEXAUTH_API plexauth_status plexauth_device_key_sign_jwt(const plexauth_device_key *key, const char *client_id,
                                                          const char *nonce, const char *scope, int64_t lifetime_s,
                                                          char *buf, size_t size, size_t *len, plexauth_error **err);
/**
 * Registers the device key with plex.tv using a legacy token: POST {clients.plex.tv}/auth/jwk
 * {"jwk": the public JWK}. Field reports: the key is bound to the device that owns the token, and
 * that device's legacy token stops working once a JWT is issued for it; keep the legacy token of
 * a device that talks to Plex Media Server (which does not accept JWTs yet). See docs/jwt.md.
 * @param client The client (its token is the legacy token).
 * @param key The key.
 * @param opts Per-call options, or NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK (any 2XX); PLEXAUTH_E_UNAUTHORIZED (bad token; 422, e.g. the key is taken by
 *   another device); or a call's usual statuses.
 */
PLEXAUTH_API plexauth_status plexauth_client_register_device_key(plexauth_client *client,
                                                                 const plexauth_device_key *key,
                                                                 const plexauth_call_options *opts,
                                                                 plexauth_error **err);
/**
 * Gets a Plex JWT for this device: a nonce (plexauth_client_get_nonce()), a device JWT signed with
 * the registered key (5 minutes), and the exchange (plexauth_client_exchange_device_jwt()). Works
 * before and after the previous JWT expired: this is also the refresh. No token is sent.
 * @param[out] out Receives the result; plexauth_jwt_token_auth_token() is the Plex JWT.
 * @param client The client (its client identifier is the device JWT's iss).
 * @param key The registered device key.
 * @param scope The claims to ask for, or NULL for the default (see plexauth_device_key_sign_jwt()).
 * @param opts Per-call options for the two requests, or NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_JWT_ISSUER_MISMATCH (Plex code 1097); PLEXAUTH_E_UNAUTHORIZED (422:
 *   signature or nonce refused, key not registered); PLEXAUTH_E_TOKEN_EXPIRED (498);
 *   PLEXAUTH_E_RATE_LIMITED; PLEXAUTH_E_INVALID_ARGUMENT (no client identifier); a call's statuses.
 */
PLEXAUTH_API plexauth_status plexauth_client_jwt_login(plexauth_jwt_token **out, plexauth_client *client,
                                                       const plexauth_device_key *key, const char *scope,
                                                       const plexauth_call_options *opts, plexauth_error **err);
/**
 * Starts plexauth_client_jwt_login() without blocking (the nonce, then the exchange, both on the
 * loop); finish it with plexauth_client_jwt_login_finish(). plexauth_call_cancel() stops it at
 * whichever request is in flight.
 * @param[out] call Receives the pending call (free it with plexauth_call_free()), NULL on failure.
 * @param client The client (its client identifier is the device JWT's iss).
 * @param key The registered device key; the call keeps its own reference, so it may be freed after
 *   this returns.
 * @param scope The claims to ask for, or NULL for the default; copied.
 * @param opts Per-call options for the two requests, or NULL; copied.
 * @param loop The loop to run on, or NULL for the client's own.
 * @param done Called once on completion (see plexauth_call_done_fn), or NULL.
 * @param user_data Passed to done.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK when started; PLEXAUTH_E_INVALID_ARGUMENT (NULL, no client identifier, a bad
 *   scope, a loop shutting down).
 */
PLEXAUTH_API plexauth_status plexauth_client_jwt_login_start(plexauth_call **call, plexauth_client *client,
                                                             const plexauth_device_key *key, const char *scope,
                                                             const plexauth_call_options *opts, plexauth_loop *loop,
                                                             plexauth_call_done_fn done, void *user_data,
                                                             plexauth_error **err);
/**
 * The outcome of a completed plexauth_client_jwt_login_start() call.
 * @param[out] out Receives the result (as plexauth_client_jwt_login() gives it); free it with
 *   plexauth_jwt_token_free().
 * @param call The completed call.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return The statuses of plexauth_client_jwt_login(); PLEXAUTH_E_CANCELLED; PLEXAUTH_E_INVALID_ARGUMENT
 *   (NULL, a call not completed yet, of another operation, or already finished).
 */
PLEXAUTH_API plexauth_status plexauth_client_jwt_login_finish(plexauth_jwt_token **out, plexauth_call *call,
                                                              plexauth_error **err);
/**
 * Verifies a Plex JWT against plex.tv's published keys (plexauth_client_get_jwks(), cached for an
 * hour, read again once when the JWT names a key it does not know: plex.tv rotates them): EdDSA,
 * the signature, iss "plex.tv", aud "plex.tv" or the client identifier, exp and iat (60 s leeway),
 * and, given the device key, that the JWT was issued for it (its thumbprint claim).
 * @param client The client.
 * @param jwt The Plex JWT.
 * @param key The device key to check the thumbprint against, or NULL not to.
 * @param[out] expires_at Receives its exp (Unix seconds) when valid; may be NULL.
 * @param opts Per-call options for reading the keys, or NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; PLEXAUTH_E_TOKEN_EXPIRED; PLEXAUTH_E_JWT_INVALID (the message names the check:
 *   malformed, algorithm, unknown_key, signature, issuer, audience, not_yet_valid, thumbprint,
 *   missing_claim); a call's statuses for reading the keys.
 */
PLEXAUTH_API plexauth_status plexauth_client_jwt_verify(plexauth_client *client, const char *jwt,
                                                        const plexauth_device_key *key, int64_t *expires_at,
                                                        const plexauth_call_options *opts, plexauth_error **err);

/**
 * PIN (or hosted) login with the device key and no legacy token: waits until the user approves a
 * PIN made by plexauth_client_create_jwk_pin() with this key's JWK (plexauth_device_key_jwk()).
 * Polls GET {clients.plex.tv}/pins/{id}?deviceJWT=... (plexauth_client_get_jwk_pin()) with a device
 * JWT signed by the key (a fresh nonce, 5 minutes' life) and signs a new one every 4 minutes, so a
 * long wait never sends an expired one. The device JWT travels in the query, as plex.tv requires;
 * it is redacted from every log line and message. Otherwise as plexauth_client_wait_for_pin():
 * same client identifier as the PIN's creator, same statuses, blocks the calling thread.
 *
 * Once approved, plexauth_pin_auth_token() is a Plex JWT (check it with
 * plexauth_client_jwt_verify()) and plex.tv has registered the key for the account: a
 * plexauth_jwt_session with the same key refreshes it from then on.
 *
 * @param[out] out Receives the approved PIN; free it with plexauth_pin_free().
 * @param client The client (it must have a client identifier: the device JWT's iss).
 * @param id The PIN's id (plexauth_pin_id()).
 * @param key The device key whose JWK the PIN carries.
 * @param poll_interval_ms The pause between polls: 100 .. 60000; 0: 1000.
 * @param timeout_ms A limit on the whole wait; 0: until the PIN expires.
 * @param progress Called before each pause; may be NULL.
 * @param user_data Passed to progress.
 * @param opts Per-call options for every request (e.g. a cancel token), or NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return As plexauth_client_wait_for_pin(); also a nonce request's own error, and
 *   PLEXAUTH_E_UNAUTHORIZED when plex.tv refuses the device JWT (422: not signed by the PIN's key).
 */
PLEXAUTH_API plexauth_status plexauth_client_wait_for_jwk_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                                              const plexauth_device_key *key,
                                                              int64_t poll_interval_ms, int64_t timeout_ms,
                                                              plexauth_pin_progress_fn progress, void *user_data,
                                                              const plexauth_call_options *opts,
                                                              plexauth_error **err);

/**
 * A refreshing source of Plex JWTs for one device key: hands out the current JWT and gets a new
 * one (plexauth_client_jwt_login()) when there is none or less than the margin is left. Any
 * number of threads may ask at once: one refreshes, the others wait for it and get its JWT (or
 * its error). Free it with plexauth_jwt_session_free().
 */
typedef struct plexauth_jwt_session plexauth_jwt_session;
/**
 * Makes a session. It uses `client` for its refreshes: the client must outlive the session.
 * @param[out] out Receives the session.
 * @param client The client (its client identifier is the device JWT's iss).
 * @param key The registered device key (copied).
 * @param margin_s Refresh when less than this many seconds are left: 1 .. 604800; 0: 86400 (one day,
 *   as python-plexapi).
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK, or PLEXAUTH_E_INVALID_ARGUMENT (NULL, margin out of range, no client identifier).
 */
PLEXAUTH_API plexauth_status plexauth_jwt_session_new(plexauth_jwt_session **out, plexauth_client *client,
                                                      const plexauth_device_key *key, int64_t margin_s,
                                                      plexauth_error **err);
/**
 * Frees a session and wipes its JWT. Not while another thread uses it.
 * @param session The session, or NULL (ignored).
 */
PLEXAUTH_API void plexauth_jwt_session_free(plexauth_jwt_session *session);
/**
 * Forgets the current JWT, so that the next plexauth_jwt_session_token() refreshes (e.g. after
 * plex.tv answered PLEXAUTH_E_TOKEN_EXPIRED to it). Any thread.
 * @param session The session; NULL is ignored.
 */
PLEXAUTH_API void plexauth_jwt_session_invalidate(plexauth_jwt_session *session);
/**
 * The current Plex JWT, refreshed first when needed (single-flight). Any thread.
 * @param session The session.
 * @param buf The buffer (NUL-terminated on success); a JWT is about 600 bytes.
 * @param size Its size.
 * @param[out] len Receives the JWT's length; may be NULL.
 * @param[out] expires_at Receives its exp (Unix seconds); may be NULL.
 * @param[out] err Receives an owned error on failure; may be NULL.
 * @return PLEXAUTH_OK; the refresh's status (see plexauth_client_jwt_login()), also for the threads
 *   that waited for it; PLEXAUTH_E_INVALID_ARGUMENT (NULL, buffer too small).
 */
PLEXAUTH_API plexauth_status plexauth_jwt_session_token(plexauth_jwt_session *session, char *buf, size_t size,
                                                        size_t *len, int64_t *expires_at, plexauth_error **err);
/**
 * A token provider (plexauth_token_provider_fn) that hands out the session's JWT: pass it with the
 * session as user_data to plexauth_config_set_token_provider(), and every call of a client made
 * from that config sends the current JWT.
 * @param session The session (user_data).
 * @param sink The sink.
 * @return 0, or 1 when no JWT could be had (the call then fails with PLEXAUTH_E_CALLBACK).
 */
PLEXAUTH_API int plexauth_jwt_session_provider(void *session, plexauth_token_sink *sink);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PLEXAUTH_PLEXAUTH_H */
