//! Raw FFI declarations for libplexauth, written by hand from
//! `include/plexauth/plexauth.h` (the C header is the contract; read it for
//! ownership, threading and the meaning of each function).
//!
//! Everything here is `unsafe` to call. Use the `plexauth` crate for a safe API.
//!
//! The library is found at build time through `PLEXAUTH_LIB_DIR` or pkg-config.
//! `tests/header_sync.rs` checks that these declarations and the header list the
//! same functions and the same status values.
#![allow(non_camel_case_types)]
#![allow(missing_docs)]

use std::marker::{PhantomData, PhantomPinned};
use std::os::raw::{c_char, c_int, c_uint, c_void};

// ---------------------------------------------------------------------------
// Version
// ---------------------------------------------------------------------------

pub const PLEXAUTH_VERSION_MAJOR: c_int = 0;
pub const PLEXAUTH_VERSION_MINOR: c_int = 1;
pub const PLEXAUTH_VERSION_PATCH: c_int = 0;
pub const PLEXAUTH_VERSION_STRING: &str = "0.1.0";
pub const PLEXAUTH_VERSION_NUMBER: c_int =
    (PLEXAUTH_VERSION_MAJOR << 16) | (PLEXAUTH_VERSION_MINOR << 8) | PLEXAUTH_VERSION_PATCH;

// ---------------------------------------------------------------------------
// Enums. C enums are passed as plain integers: a Rust `enum` would be UB for
// values a newer library adds, so these are integer types plus constants.
// ---------------------------------------------------------------------------

pub type plexauth_status = c_uint;
pub const PLEXAUTH_OK: plexauth_status = 0;
pub const PLEXAUTH_E_INVALID_ARGUMENT: plexauth_status = 1;
pub const PLEXAUTH_E_BAD_REQUEST: plexauth_status = 2;
pub const PLEXAUTH_E_UNAUTHORIZED: plexauth_status = 3;
pub const PLEXAUTH_E_TWO_FACTOR_REQUIRED: plexauth_status = 4;
pub const PLEXAUTH_E_RATE_LIMITED: plexauth_status = 5;
pub const PLEXAUTH_E_HTTP: plexauth_status = 6;
pub const PLEXAUTH_E_TRANSPORT: plexauth_status = 7;
pub const PLEXAUTH_E_TIMEOUT: plexauth_status = 8;
pub const PLEXAUTH_E_CANCELLED: plexauth_status = 9;
pub const PLEXAUTH_E_MALFORMED_RESPONSE: plexauth_status = 10;
pub const PLEXAUTH_E_OUT_OF_MEMORY: plexauth_status = 11;
pub const PLEXAUTH_E_TLS: plexauth_status = 12;
pub const PLEXAUTH_E_RESPONSE_TOO_LARGE: plexauth_status = 13;
pub const PLEXAUTH_E_SIGN_IN_THROTTLED: plexauth_status = 14;
pub const PLEXAUTH_E_CALLBACK: plexauth_status = 15;
pub const PLEXAUTH_E_INTERNAL: plexauth_status = 16;

pub type plexauth_log_level = c_uint;
pub const PLEXAUTH_LOG_ERROR: plexauth_log_level = 1;
pub const PLEXAUTH_LOG_WARN: plexauth_log_level = 2;
pub const PLEXAUTH_LOG_INFO: plexauth_log_level = 3;
pub const PLEXAUTH_LOG_DEBUG: plexauth_log_level = 4;

// ---------------------------------------------------------------------------
// Opaque handles (the recommended pattern from the Nomicon: not constructible,
// not Send/Sync/Unpin by default).
// ---------------------------------------------------------------------------

macro_rules! opaque {
    ($($name:ident),* $(,)?) => {$(
        #[repr(C)]
        pub struct $name {
            _data: [u8; 0],
            _marker: PhantomData<(*mut u8, PhantomPinned)>,
        }
    )*};
}

opaque!(
    plexauth_error,
    plexauth_token_sink,
    plexauth_retry,
    plexauth_cancel,
    plexauth_config,
    plexauth_client,
    plexauth_call_options,
    plexauth_response,
    plexauth_transient_token,
    plexauth_source_info,
    plexauth_connection,
    plexauth_account,
    plexauth_profile,
    plexauth_subscription,
    plexauth_service,
    plexauth_past_subscription,
    plexauth_sign_in,
);

// ---------------------------------------------------------------------------
// Callbacks
// ---------------------------------------------------------------------------

pub type plexauth_log_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, level: plexauth_log_level, message: *const c_char)>;
pub type plexauth_token_provider_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, sink: *mut plexauth_token_sink) -> c_int>;
pub type plexauth_destroy_fn = Option<unsafe extern "C" fn(user_data: *mut c_void)>;

extern "C" {
    // Version and status names
    pub fn plexauth_version(major: *mut c_int, minor: *mut c_int, patch: *mut c_int) -> *const c_char;
    pub fn plexauth_status_name(status: plexauth_status) -> *const c_char;

    // Error detail
    pub fn plexauth_error_free(err: *mut plexauth_error);
    pub fn plexauth_error_status(err: *const plexauth_error) -> plexauth_status;
    pub fn plexauth_error_message(err: *const plexauth_error) -> *const c_char;
    pub fn plexauth_error_http_status(err: *const plexauth_error) -> c_int;
    pub fn plexauth_error_attempts(err: *const plexauth_error) -> c_uint;
    pub fn plexauth_error_retry_after_ms(err: *const plexauth_error, out: *mut i64) -> c_int;
    pub fn plexauth_error_plex_error_count(err: *const plexauth_error) -> usize;
    pub fn plexauth_error_plex_error_code(err: *const plexauth_error, index: usize, out: *mut i64) -> c_int;
    pub fn plexauth_error_plex_error_status(err: *const plexauth_error, index: usize, out: *mut i64) -> c_int;
    pub fn plexauth_error_plex_error_message(err: *const plexauth_error, index: usize) -> *const c_char;
    pub fn plexauth_error_content_type(err: *const plexauth_error) -> *const c_char;
    pub fn plexauth_error_body(err: *const plexauth_error, len: *mut usize) -> *const c_char;

    // Token provider sink
    pub fn plexauth_token_sink_set(sink: *mut plexauth_token_sink, token: *const c_char, len: usize)
        -> plexauth_status;

    // Retry policy
    pub fn plexauth_retry_new(out: *mut *mut plexauth_retry) -> plexauth_status;
    pub fn plexauth_retry_free(retry: *mut plexauth_retry);
    pub fn plexauth_retry_set_initial_interval_ms(retry: *mut plexauth_retry, ms: i64) -> plexauth_status;
    pub fn plexauth_retry_set_max_interval_ms(retry: *mut plexauth_retry, ms: i64) -> plexauth_status;
    pub fn plexauth_retry_set_exponent(retry: *mut plexauth_retry, exponent: f64) -> plexauth_status;
    pub fn plexauth_retry_set_max_elapsed_ms(retry: *mut plexauth_retry, ms: i64) -> plexauth_status;
    pub fn plexauth_retry_set_max_attempts(retry: *mut plexauth_retry, attempts: c_uint) -> plexauth_status;
    pub fn plexauth_retry_set_retry_connection_errors(retry: *mut plexauth_retry, enabled: c_int) -> plexauth_status;

    // Cancellation
    pub fn plexauth_cancel_new(out: *mut *mut plexauth_cancel) -> plexauth_status;
    pub fn plexauth_cancel_trigger(cancel: *mut plexauth_cancel);
    pub fn plexauth_cancel_is_triggered(cancel: *const plexauth_cancel) -> c_int;
    pub fn plexauth_cancel_free(cancel: *mut plexauth_cancel);

    // Client configuration
    pub fn plexauth_config_new(out: *mut *mut plexauth_config) -> plexauth_status;
    pub fn plexauth_config_free(cfg: *mut plexauth_config);
    pub fn plexauth_config_set_access_token(cfg: *mut plexauth_config, token: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_token_provider(
        cfg: *mut plexauth_config,
        fn_: plexauth_token_provider_fn,
        user_data: *mut c_void,
        destroy: plexauth_destroy_fn,
    ) -> plexauth_status;
    pub fn plexauth_config_set_client_id(cfg: *mut plexauth_config, value: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_client_name(cfg: *mut plexauth_config, value: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_client_version(cfg: *mut plexauth_config, value: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_platform(cfg: *mut plexauth_config, value: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_device_nickname(cfg: *mut plexauth_config, value: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_server_url(cfg: *mut plexauth_config, url: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_server_protocol(cfg: *mut plexauth_config, protocol: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_server_ip(cfg: *mut plexauth_config, ip: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_server_port(cfg: *mut plexauth_config, port: c_int) -> plexauth_status;
    pub fn plexauth_config_set_plex_tv_url(cfg: *mut plexauth_config, url: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_connect_timeout_ms(cfg: *mut plexauth_config, ms: i64) -> plexauth_status;
    pub fn plexauth_config_set_timeout_ms(cfg: *mut plexauth_config, ms: i64) -> plexauth_status;
    pub fn plexauth_config_set_retry(cfg: *mut plexauth_config, retry: *const plexauth_retry) -> plexauth_status;
    pub fn plexauth_config_set_max_response_bytes(cfg: *mut plexauth_config, bytes: usize) -> plexauth_status;
    pub fn plexauth_config_set_ca_bundle(cfg: *mut plexauth_config, path: *const c_char) -> plexauth_status;
    pub fn plexauth_config_set_insecure_skip_tls_verify(cfg: *mut plexauth_config, insecure: c_int) -> plexauth_status;
    pub fn plexauth_config_set_use_env_proxy(cfg: *mut plexauth_config, use_env: c_int) -> plexauth_status;
    pub fn plexauth_config_set_log(
        cfg: *mut plexauth_config,
        max_level: plexauth_log_level,
        fn_: plexauth_log_fn,
        user_data: *mut c_void,
    ) -> plexauth_status;

    // Client
    pub fn plexauth_client_new(
        out: *mut *mut plexauth_client,
        cfg: *const plexauth_config,
        err: *mut *mut plexauth_error,
    ) -> plexauth_status;
    pub fn plexauth_client_free(client: *mut plexauth_client);

    // Per-call options
    pub fn plexauth_call_options_new(out: *mut *mut plexauth_call_options) -> plexauth_status;
    pub fn plexauth_call_options_free(opts: *mut plexauth_call_options);
    pub fn plexauth_call_options_set_server_url(
        opts: *mut plexauth_call_options,
        url: *const c_char,
    ) -> plexauth_status;
    pub fn plexauth_call_options_set_timeout_ms(opts: *mut plexauth_call_options, ms: i64) -> plexauth_status;
    pub fn plexauth_call_options_set_retry(
        opts: *mut plexauth_call_options,
        retry: *const plexauth_retry,
    ) -> plexauth_status;
    pub fn plexauth_call_options_clear_retry(opts: *mut plexauth_call_options) -> plexauth_status;
    pub fn plexauth_call_options_set_cancel(
        opts: *mut plexauth_call_options,
        cancel: *mut plexauth_cancel,
    ) -> plexauth_status;

    // Raw response
    pub fn plexauth_response_status(resp: *const plexauth_response) -> c_int;
    pub fn plexauth_response_content_type(resp: *const plexauth_response) -> *const c_char;
    pub fn plexauth_response_header_count(resp: *const plexauth_response) -> usize;
    pub fn plexauth_response_header_name(resp: *const plexauth_response, index: usize) -> *const c_char;
    pub fn plexauth_response_header_value(resp: *const plexauth_response, index: usize) -> *const c_char;
    pub fn plexauth_response_header(resp: *const plexauth_response, name: *const c_char) -> *const c_char;
    pub fn plexauth_response_body(resp: *const plexauth_response, len: *mut usize) -> *const c_char;

    // Operation 1: get_transient_token
    pub fn plexauth_client_get_transient_token(
        out: *mut *mut plexauth_transient_token,
        client: *mut plexauth_client,
        type_: *const c_char,
        scope: *const c_char,
        opts: *const plexauth_call_options,
        err: *mut *mut plexauth_error,
    ) -> plexauth_status;
    pub fn plexauth_transient_token_free(t: *mut plexauth_transient_token);
    pub fn plexauth_transient_token_token(t: *const plexauth_transient_token) -> *const c_char;
    pub fn plexauth_transient_token_response(t: *const plexauth_transient_token) -> *const plexauth_response;

    // Operation 2: get_source_connection_information
    pub fn plexauth_client_get_source_connection_information(
        out: *mut *mut plexauth_source_info,
        client: *mut plexauth_client,
        source: *const c_char,
        opts: *const plexauth_call_options,
        err: *mut *mut plexauth_error,
    ) -> plexauth_status;
    pub fn plexauth_source_info_free(s: *mut plexauth_source_info);
    pub fn plexauth_source_info_name(s: *const plexauth_source_info) -> *const c_char;
    pub fn plexauth_source_info_client_identifier(s: *const plexauth_source_info) -> *const c_char;
    pub fn plexauth_source_info_access_token(s: *const plexauth_source_info) -> *const c_char;
    pub fn plexauth_source_info_connection_count(s: *const plexauth_source_info) -> usize;
    pub fn plexauth_source_info_connection(s: *const plexauth_source_info, index: usize) -> *const plexauth_connection;
    pub fn plexauth_source_info_response(s: *const plexauth_source_info) -> *const plexauth_response;
    pub fn plexauth_connection_protocol(c: *const plexauth_connection) -> *const c_char;
    pub fn plexauth_connection_address(c: *const plexauth_connection) -> *const c_char;
    pub fn plexauth_connection_uri(c: *const plexauth_connection) -> *const c_char;
    pub fn plexauth_connection_port(c: *const plexauth_connection, out: *mut i64) -> c_int;
    pub fn plexauth_connection_local(c: *const plexauth_connection, out: *mut c_int) -> c_int;
    pub fn plexauth_connection_relay(c: *const plexauth_connection, out: *mut c_int) -> c_int;

    // Operations 3 and 4: the account
    pub fn plexauth_client_get_token_details(
        out: *mut *mut plexauth_account,
        client: *mut plexauth_client,
        opts: *const plexauth_call_options,
        err: *mut *mut plexauth_error,
    ) -> plexauth_status;

    pub fn plexauth_sign_in_new(out: *mut *mut plexauth_sign_in) -> plexauth_status;
    pub fn plexauth_sign_in_free(req: *mut plexauth_sign_in);
    pub fn plexauth_sign_in_set_login(req: *mut plexauth_sign_in, login: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_password(req: *mut plexauth_sign_in, password: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_remember_me(req: *mut plexauth_sign_in, remember_me: c_int) -> plexauth_status;
    pub fn plexauth_sign_in_set_verification_code(req: *mut plexauth_sign_in, code: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_client_id(req: *mut plexauth_sign_in, value: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_client_name(req: *mut plexauth_sign_in, value: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_client_version(req: *mut plexauth_sign_in, value: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_platform(req: *mut plexauth_sign_in, value: *const c_char) -> plexauth_status;
    pub fn plexauth_sign_in_set_device_nickname(req: *mut plexauth_sign_in, value: *const c_char) -> plexauth_status;

    pub fn plexauth_client_post_users_sign_in_data(
        out: *mut *mut plexauth_account,
        client: *mut plexauth_client,
        req: *const plexauth_sign_in,
        opts: *const plexauth_call_options,
        err: *mut *mut plexauth_error,
    ) -> plexauth_status;

    pub fn plexauth_account_free(a: *mut plexauth_account);
    pub fn plexauth_account_response(a: *const plexauth_account) -> *const plexauth_response;
    pub fn plexauth_account_json(a: *const plexauth_account, len: *mut usize) -> *const c_char;

    // Account strings
    pub fn plexauth_account_auth_token(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_uuid(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_username(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_title(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_email(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_friendly_name(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_locale(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_thumb(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_mailing_list_status(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_scrobble_types(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_country(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_subscription_description(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_pin(a: *const plexauth_account) -> *const c_char;
    pub fn plexauth_account_attribution_partner(a: *const plexauth_account) -> *const c_char;
    // Account integers
    pub fn plexauth_account_id(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_joined_at(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_home_size(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_max_home_size(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_remember_expires_at(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_ads_consent_reminder_at(a: *const plexauth_account, out: *mut i64) -> c_int;
    pub fn plexauth_account_ads_consent_set_at(a: *const plexauth_account, out: *mut i64) -> c_int;
    // Account booleans
    pub fn plexauth_account_ads_consent(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_anonymous(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_backup_codes_created(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_confirmed(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_email_only_auth(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_experimental_features(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_guest(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_has_password(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_home(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_home_admin(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_mailing_list_active(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_protected(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_restricted(a: *const plexauth_account, out: *mut c_int) -> c_int;
    pub fn plexauth_account_two_factor_enabled(a: *const plexauth_account, out: *mut c_int) -> c_int;
    // Account lists
    pub fn plexauth_account_entitlement_count(a: *const plexauth_account) -> usize;
    pub fn plexauth_account_entitlement(a: *const plexauth_account, index: usize) -> *const c_char;
    pub fn plexauth_account_role_count(a: *const plexauth_account) -> usize;
    pub fn plexauth_account_role(a: *const plexauth_account, index: usize) -> *const c_char;
    // Account nested objects
    pub fn plexauth_account_profile(a: *const plexauth_account) -> *const plexauth_profile;
    pub fn plexauth_account_subscription(a: *const plexauth_account) -> *const plexauth_subscription;
    pub fn plexauth_account_subscriptions_count(a: *const plexauth_account) -> usize;
    pub fn plexauth_account_subscriptions_at(a: *const plexauth_account, index: usize) -> *const plexauth_subscription;
    pub fn plexauth_account_service_count(a: *const plexauth_account) -> usize;
    pub fn plexauth_account_service(a: *const plexauth_account, index: usize) -> *const plexauth_service;
    pub fn plexauth_account_past_subscription_count(a: *const plexauth_account) -> usize;
    pub fn plexauth_account_past_subscription(
        a: *const plexauth_account,
        index: usize,
    ) -> *const plexauth_past_subscription;
    pub fn plexauth_account_trial_count(a: *const plexauth_account) -> usize;

    // UserProfile
    pub fn plexauth_profile_auto_select_audio(p: *const plexauth_profile, out: *mut c_int) -> c_int;
    pub fn plexauth_profile_default_audio_language(p: *const plexauth_profile) -> *const c_char;
    pub fn plexauth_profile_default_subtitle_language(p: *const plexauth_profile) -> *const c_char;
    pub fn plexauth_profile_auto_select_subtitle(p: *const plexauth_profile, out: *mut i64) -> c_int;
    pub fn plexauth_profile_default_subtitle_accessibility(p: *const plexauth_profile, out: *mut i64) -> c_int;
    pub fn plexauth_profile_default_subtitle_forced(p: *const plexauth_profile, out: *mut i64) -> c_int;
    pub fn plexauth_profile_watched_indicator(p: *const plexauth_profile, out: *mut i64) -> c_int;
    pub fn plexauth_profile_media_reviews_visibility(p: *const plexauth_profile, out: *mut i64) -> c_int;

    // Subscription
    pub fn plexauth_subscription_active(s: *const plexauth_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_subscription_subscribed_at(s: *const plexauth_subscription) -> *const c_char;
    pub fn plexauth_subscription_status(s: *const plexauth_subscription) -> *const c_char;
    pub fn plexauth_subscription_payment_service(s: *const plexauth_subscription) -> *const c_char;
    pub fn plexauth_subscription_plan(s: *const plexauth_subscription) -> *const c_char;
    pub fn plexauth_subscription_feature_count(s: *const plexauth_subscription) -> usize;
    pub fn plexauth_subscription_feature(s: *const plexauth_subscription, index: usize) -> *const c_char;

    // Service
    pub fn plexauth_service_identifier(s: *const plexauth_service) -> *const c_char;
    pub fn plexauth_service_endpoint(s: *const plexauth_service) -> *const c_char;
    pub fn plexauth_service_token(s: *const plexauth_service) -> *const c_char;
    pub fn plexauth_service_secret(s: *const plexauth_service) -> *const c_char;
    pub fn plexauth_service_status(s: *const plexauth_service) -> *const c_char;

    // PastSubscription
    pub fn plexauth_past_subscription_id(p: *const plexauth_past_subscription) -> *const c_char;
    pub fn plexauth_past_subscription_mode(p: *const plexauth_past_subscription) -> *const c_char;
    pub fn plexauth_past_subscription_renews_at(p: *const plexauth_past_subscription, out: *mut i64) -> c_int;
    pub fn plexauth_past_subscription_ends_at(p: *const plexauth_past_subscription, out: *mut i64) -> c_int;
    pub fn plexauth_past_subscription_canceled(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_grace_period(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_on_hold(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_can_reactivate(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_can_upgrade(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_can_downgrade(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_can_convert(p: *const plexauth_past_subscription, out: *mut c_int) -> c_int;
    pub fn plexauth_past_subscription_type(p: *const plexauth_past_subscription) -> *const c_char;
    pub fn plexauth_past_subscription_transfer(p: *const plexauth_past_subscription) -> *const c_char;
    pub fn plexauth_past_subscription_state(p: *const plexauth_past_subscription) -> *const c_char;
    pub fn plexauth_past_subscription_billing_payment_method_id(
        p: *const plexauth_past_subscription,
        out: *mut i64,
    ) -> c_int;
    pub fn plexauth_past_subscription_billing_internal_payment_method(
        p: *const plexauth_past_subscription,
    ) -> *const c_char;
}
