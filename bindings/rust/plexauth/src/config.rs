//! Client configuration: [`ClientBuilder`], [`RetryPolicy`], [`LogLevel`] and
//! the FFI trampolines for the token provider and log callbacks.

use std::ffi::CStr;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use plexauth_sys as sys;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::identity_gen::{identity_setters, Identity, CONFIG_SETTERS};
use crate::jwt::JwtSession;
use crate::util::{check, millis, set_opt_str, with_secret, Owned, SecretString};

/// A retry policy. The defaults are the library's: initial interval 500 ms,
/// exponent 1.5, max interval 60 s, max elapsed 5 min, no attempt cap, and
/// connection errors and timeouts are retried.
///
/// The wait before retry n is `min(max_interval, initial * exponent^n * (1 + j))`
/// with j uniform in [0, 0.25); a Retry-After header (429 or 503) replaces it.
/// Retried: HTTP 5XX, 429 on GET operations, connection errors and timeouts
/// (when enabled). Sign-in is never retried after a 4XX.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    initial_interval: Duration,
    max_interval: Duration,
    exponent: f64,
    max_elapsed: Duration,
    max_attempts: u32,
    retry_connection_errors: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            initial_interval: Duration::from_millis(500),
            max_interval: Duration::from_secs(60),
            exponent: 1.5,
            max_elapsed: Duration::from_secs(300),
            max_attempts: 0,
            retry_connection_errors: true,
        }
    }
}

impl RetryPolicy {
    /// The default policy.
    pub fn new() -> Self {
        Self::default()
    }
    /// The first wait (at least 1 ms).
    pub fn initial_interval(mut self, d: Duration) -> Self {
        self.initial_interval = d;
        self
    }
    /// The longest wait (at least 1 ms).
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }
    /// Growth factor of the wait, 1.0 ..= 10.0.
    pub fn exponent(mut self, e: f64) -> Self {
        self.exponent = e;
        self
    }
    /// No retry whose wait would end later than this after the start; zero
    /// means a single attempt.
    pub fn max_elapsed(mut self, d: Duration) -> Self {
        self.max_elapsed = d;
        self
    }
    /// Total attempts including the first; 0 means no cap.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n;
        self
    }
    /// Whether connection errors and timeouts are retried.
    pub fn retry_connection_errors(mut self, on: bool) -> Self {
        self.retry_connection_errors = on;
        self
    }

    fn to_raw(&self) -> Result<Owned<sys::plexauth_retry>> {
        let r = Owned::new("retry policy", sys::plexauth_retry_new, sys::plexauth_retry_free)?;
        let p = r.as_ptr();
        // SAFETY: `p` is a live retry handle owned by `r`.
        unsafe {
            check(
                "retry initial_interval",
                sys::plexauth_retry_set_initial_interval_ms(p, millis(self.initial_interval)),
            )?;
            check("retry max_interval", sys::plexauth_retry_set_max_interval_ms(p, millis(self.max_interval)))?;
            check("retry exponent", sys::plexauth_retry_set_exponent(p, self.exponent))?;
            check("retry max_elapsed", sys::plexauth_retry_set_max_elapsed_ms(p, millis(self.max_elapsed)))?;
            check("retry max_attempts", sys::plexauth_retry_set_max_attempts(p, self.max_attempts))?;
            check(
                "retry retry_connection_errors",
                sys::plexauth_retry_set_retry_connection_errors(p, c_int::from(self.retry_connection_errors)),
            )?;
        }
        Ok(r)
    }
}

/// Which retry policy applies (client-wide or for one call).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) enum RetryChoice {
    /// The library's default (client) or the client's policy (call).
    #[default]
    Inherit,
    Disabled,
    Policy(RetryPolicy),
}

impl RetryChoice {
    pub(crate) fn is_inherit(&self) -> bool {
        matches!(self, RetryChoice::Inherit)
    }

    /// Applies the choice with `plexauth_config_set_retry` or `plexauth_call_options_set_retry`
    /// (for both, NULL means "no retries").
    pub(crate) fn apply<T>(
        &self,
        obj: *mut T,
        setter: unsafe extern "C" fn(*mut T, *const sys::plexauth_retry) -> sys::plexauth_status,
    ) -> Result<()> {
        let policy = match self {
            RetryChoice::Inherit => return Ok(()),
            RetryChoice::Disabled => None,
            RetryChoice::Policy(p) => Some(p.to_raw()?),
        };
        let ptr = policy.as_ref().map_or(std::ptr::null(), |p| p.as_ptr().cast_const());
        // SAFETY: `obj` is live; the policy is copied by the setter.
        check("retry policy", unsafe { setter(obj, ptr) })
    }
}

/// Severity of a log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LogLevel {
    /// Errors.
    Error = 1,
    /// Warnings.
    Warn = 2,
    /// Informational lines.
    Info = 3,
    /// Debugging detail (one line per request, retry, ...).
    Debug = 4,
}

impl LogLevel {
    fn from_raw(level: sys::plexauth_log_level) -> LogLevel {
        match level {
            sys::PLEXAUTH_LOG_ERROR => LogLevel::Error,
            sys::PLEXAUTH_LOG_WARN => LogLevel::Warn,
            sys::PLEXAUTH_LOG_INFO => LogLevel::Info,
            _ => LogLevel::Debug,
        }
    }
}

type TokenProvider = Arc<dyn Fn() -> Option<String> + Send + Sync>;
pub(crate) type LogCallback = Arc<dyn Fn(LogLevel, &str) + Send + Sync>;

#[derive(Clone)]
enum Token {
    Fixed(SecretString),
    Provider(TokenProvider),
    Session(JwtSession),
}

/// Builds a [`Client`]. Every setting is optional; see the C header for the
/// defaults (no token, no identity headers, PMS `https://10.10.10.47:32400`,
/// plex.tv `https://plex.tv/api/v2`, connect timeout 10 s, per-attempt timeout
/// 30 s, the default [`RetryPolicy`], 8 MiB response cap, the system CAs).
///
/// Values are checked when [`build`](Self::build) is called: a NUL byte, a
/// control character, a URL that is not absolute http(s) or an out-of-range
/// number gives [`ErrorKind::InvalidArgument`].
#[derive(Clone, Default)]
pub struct ClientBuilder {
    token: Option<Token>,
    identity: Identity,
    server_url: Option<String>,
    server_protocol: Option<String>,
    server_ip: Option<String>,
    server_port: Option<u16>,
    plex_tv_url: Option<String>,
    clients_url: Option<String>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    retry: RetryChoice,
    max_response_bytes: Option<usize>,
    ca_bundle: Option<PathBuf>,
    insecure_skip_tls_verify: bool,
    log: Option<(LogLevel, LogCallback)>,
}

impl ClientBuilder {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The access token sent as `X-Plex-Token`. Replaces a token provider.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token::Fixed(SecretString::new(token.into())));
        self
    }

    /// A closure that supplies the token for every HTTP attempt (not for
    /// sign-in), called on the thread making the request, possibly from several
    /// threads at once. `None` means "send no token". A panic inside it is
    /// caught and fails the call with [`ErrorKind::Callback`]. Replaces a fixed token.
    pub fn token_provider<F>(mut self, provider: F) -> Self
    where
        F: Fn() -> Option<String> + Send + Sync + 'static,
    {
        self.token = Some(Token::Provider(Arc::new(provider)));
        self
    }

    /// Sends the current Plex JWT of `session` as the token of every call
    /// (refreshed by the session when needed, one refresh for all threads;
    /// `plexauth_jwt_session_provider`). The client keeps the session alive.
    /// A refresh that fails fails the call with [`ErrorKind::Callback`]; after
    /// a call failed with [`ErrorKind::TokenExpired`] (plex.tv can expire a
    /// JWT early), call [`JwtSession::invalidate`] and try again. Replaces a
    /// fixed token or a provider.
    pub fn jwt_session(mut self, session: &JwtSession) -> Self {
        self.token = Some(Token::Session(session.clone()));
        self
    }

    identity_setters!(" (every call)");

    /// The PMS base URL, e.g. `http://127.0.0.1:32400`. When set, protocol, ip
    /// and port are ignored.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }
    /// PMS protocol, "http" or "https".
    pub fn server_protocol(mut self, protocol: impl Into<String>) -> Self {
        self.server_protocol = Some(protocol.into());
        self
    }
    /// PMS host name or IP address.
    pub fn server_ip(mut self, ip: impl Into<String>) -> Self {
        self.server_ip = Some(ip.into());
        self
    }
    /// PMS port (1 ..= 65535).
    pub fn server_port(mut self, port: u16) -> Self {
        self.server_port = Some(port);
        self
    }
    /// The plex.tv API base, default `https://plex.tv/api/v2`.
    pub fn plex_tv_url(mut self, url: impl Into<String>) -> Self {
        self.plex_tv_url = Some(url.into());
        self
    }
    /// The clients.plex.tv API base (list_resources), default `https://clients.plex.tv/api/v2`,
    /// or the plex.tv URL when only [`plex_tv_url`](Self::plex_tv_url) was set.
    pub fn clients_url(mut self, url: impl Into<String>) -> Self {
        self.clients_url = Some(url.into());
        self
    }

    /// Connect timeout; `Duration::ZERO` means no limit.
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }
    /// Limit on each HTTP attempt as a whole; `Duration::ZERO` means no limit.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }
    /// The retry policy for every call (a call may override it).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = RetryChoice::Policy(policy);
        self
    }
    /// No retries: one attempt per call (a call may override it).
    pub fn no_retry(mut self) -> Self {
        self.retry = RetryChoice::Disabled;
        self
    }
    /// Cap on a response body after decompression, 1 KiB ..= 1 GiB.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }
    /// A PEM CA bundle used to verify HTTPS servers (instead of the system's).
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }
    /// Disables TLS verification. Dangerous; the library logs a warning.
    pub fn insecure_skip_tls_verify(mut self, insecure: bool) -> Self {
        self.insecure_skip_tls_verify = insecure;
        self
    }
    /// Receives the library's log lines up to `max_level`. Lines are already
    /// redacted (tokens, passwords and codes read `<redacted>`). Called on the
    /// thread making the request, possibly from several at once; it must not
    /// call the same client. A panic inside it is caught and ignored.
    pub fn log<F>(mut self, max_level: LogLevel, callback: F) -> Self
    where
        F: Fn(LogLevel, &str) + Send + Sync + 'static,
    {
        self.log = Some((max_level, Arc::new(callback)));
        self
    }

    /// Creates the client. The builder can be reused.
    pub fn build(&self) -> Result<Client> {
        let cfg = Owned::new("config", sys::plexauth_config_new, sys::plexauth_config_free)?;
        let c = cfg.as_ptr();
        match &self.token {
            None => {}
            Some(Token::Fixed(token)) => {
                // SAFETY: `c` is a live config; the token is copied.
                let status = with_secret("access_token", token.as_str(), |t| unsafe {
                    sys::plexauth_config_set_access_token(c, t)
                })?;
                check("access_token", status)?;
            }
            Some(Token::Provider(provider)) => set_token_provider(c, provider.clone())?,
            Some(Token::Session(session)) => session.install(c)?,
        }
        self.identity.apply(c, CONFIG_SETTERS)?;
        set_opt_str(c, "server_url", self.server_url.as_deref(), sys::plexauth_config_set_server_url)?;
        set_opt_str(c, "server_protocol", self.server_protocol.as_deref(), sys::plexauth_config_set_server_protocol)?;
        set_opt_str(c, "server_ip", self.server_ip.as_deref(), sys::plexauth_config_set_server_ip)?;
        set_opt_str(c, "plex_tv_url", self.plex_tv_url.as_deref(), sys::plexauth_config_set_plex_tv_url)?;
        set_opt_str(c, "clients_url", self.clients_url.as_deref(), sys::plexauth_config_set_clients_url)?;
        let ca_bundle = match &self.ca_bundle {
            None => None,
            Some(p) => Some(
                p.to_str()
                    .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "ca_bundle path is not valid UTF-8"))?,
            ),
        };
        set_opt_str(c, "ca_bundle", ca_bundle, sys::plexauth_config_set_ca_bundle)?;
        self.retry.apply(c, sys::plexauth_config_set_retry)?;
        // SAFETY: `c` is a live config for all of these.
        unsafe {
            if let Some(port) = self.server_port {
                check("server_port", sys::plexauth_config_set_server_port(c, c_int::from(port)))?;
            }
            if let Some(d) = self.connect_timeout {
                check("connect_timeout", sys::plexauth_config_set_connect_timeout_ms(c, millis(d)))?;
            }
            if let Some(d) = self.timeout {
                check("timeout", sys::plexauth_config_set_timeout_ms(c, millis(d)))?;
            }
            if let Some(n) = self.max_response_bytes {
                check("max_response_bytes", sys::plexauth_config_set_max_response_bytes(c, n))?;
            }
            if self.insecure_skip_tls_verify {
                check("insecure_skip_tls_verify", sys::plexauth_config_set_insecure_skip_tls_verify(c, 1))?;
            }
        }
        // The log sink has no destroy callback in the C API: the client keeps
        // the boxed closure alive and drops it after freeing the C client.
        let log = self.log.as_ref().map(|(level, cb)| (*level, Box::new(cb.clone())));
        if let Some((level, cb)) = &log {
            let user_data = (&**cb as *const LogCallback).cast_mut().cast::<c_void>();
            // SAFETY: `c` is live; `user_data` stays valid as long as the client (see Client::_log).
            check("log", unsafe {
                sys::plexauth_config_set_log(c, *level as sys::plexauth_log_level, Some(log_trampoline), user_data)
            })?;
        }
        Client::from_config(&cfg, log.map(|(_, cb)| cb))
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = match &self.token {
            None => "none",
            Some(Token::Fixed(_)) => "<redacted>",
            Some(Token::Provider(_)) => "<provider>",
            Some(Token::Session(_)) => "<jwt session>",
        };
        f.debug_struct("ClientBuilder")
            .field("token", &token)
            .field("identity", &self.identity)
            .field("server_url", &self.server_url)
            .field("server_protocol", &self.server_protocol)
            .field("server_ip", &self.server_ip)
            .field("server_port", &self.server_port)
            .field("plex_tv_url", &self.plex_tv_url)
            .field("clients_url", &self.clients_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("ca_bundle", &self.ca_bundle)
            .field("insecure_skip_tls_verify", &self.insecure_skip_tls_verify)
            .field("log", &self.log.as_ref().map(|(level, _)| level))
            .finish()
    }
}

/// Hands a boxed provider to the config; the library calls `token_destroy`
/// when the last config or client holding it is freed.
fn set_token_provider(cfg: *mut sys::plexauth_config, provider: TokenProvider) -> Result<()> {
    let user_data = Box::into_raw(Box::new(provider)).cast::<c_void>();
    // SAFETY: `cfg` is live; ownership of `user_data` passes to the library.
    let status =
        unsafe { sys::plexauth_config_set_token_provider(cfg, Some(token_trampoline), user_data, Some(token_destroy)) };
    // On failure the header does not say whether `destroy` ran, so the box is
    // leaked rather than risk a double free (this only happens on OOM).
    check("token_provider", status)
}

unsafe extern "C" fn token_trampoline(user_data: *mut c_void, sink: *mut sys::plexauth_token_sink) -> c_int {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `user_data` is the boxed provider installed by set_token_provider, alive until token_destroy.
        let provider = unsafe { &*user_data.cast::<TokenProvider>() };
        match provider() {
            None => true,
            Some(token) => {
                let token = SecretString::new(token);
                // SAFETY: `sink` is valid during this call; the token is copied.
                let status =
                    unsafe { sys::plexauth_token_sink_set(sink, token.as_str().as_ptr().cast(), token.as_str().len()) };
                status == sys::PLEXAUTH_OK
            }
        }
    }));
    match outcome {
        Ok(true) => 0,
        _ => 1,
    }
}

unsafe extern "C" fn token_destroy(user_data: *mut c_void) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: called once by the library with the pointer from Box::into_raw.
        drop(unsafe { Box::from_raw(user_data.cast::<TokenProvider>()) });
    }));
}

unsafe extern "C" fn log_trampoline(user_data: *mut c_void, level: sys::plexauth_log_level, message: *const c_char) {
    if user_data.is_null() || message.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `user_data` is the client's boxed callback (alive while the client is);
        // `message` is valid for this call.
        let (callback, message) = unsafe { (&*user_data.cast::<LogCallback>(), CStr::from_ptr(message)) };
        callback(LogLevel::from_raw(level), &message.to_string_lossy());
    }));
}
