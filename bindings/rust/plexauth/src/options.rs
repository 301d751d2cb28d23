//! Per-call inputs: [`CallOptions`], [`CancelToken`] and the [`SignIn`] request.

use std::fmt;
use std::os::raw::c_int;
use std::sync::Arc;
use std::time::Duration;

use plexauth_sys as sys;

use crate::config::{RetryChoice, RetryPolicy};
use crate::error::Result;
use crate::future::Loop;
use crate::identity_gen::{identity_setters, Identity, CALL_OPTIONS_SETTERS, SIGN_IN_SETTERS};
use crate::util::{check, cstring, millis, set_opt_str, with_secret, Owned, SecretString};

/// A cancel token. Attach it to calls with [`CallOptions::cancel`]; calling
/// [`cancel`](Self::cancel) from any thread makes every call using it fail
/// promptly with [`ErrorKind::Cancelled`](crate::ErrorKind::Cancelled), whether
/// it is mid-transfer or waiting to retry. A cancelled token stays cancelled.
/// Clones share the same token.
#[derive(Clone)]
pub struct CancelToken(Arc<CancelHandle>);

struct CancelHandle(Owned<sys::plexauth_cancel>);

// SAFETY: the header allows plexauth_cancel_trigger / _is_triggered from any
// thread at any time, and the handle is reference-counted inside the library.
unsafe impl Send for CancelHandle {}
unsafe impl Sync for CancelHandle {}

impl CancelToken {
    /// A new, untriggered token.
    ///
    /// # Panics
    /// When the library cannot allocate it (out of memory).
    pub fn new() -> Self {
        let raw = Owned::new("cancel token", sys::plexauth_cancel_new, sys::plexauth_cancel_free)
            .unwrap_or_else(|e| panic!("plexauth_cancel_new failed: {e}"));
        CancelToken(Arc::new(CancelHandle(raw)))
    }

    /// Cancels every call using this token. Any thread; idempotent.
    pub fn cancel(&self) {
        // SAFETY: the handle is live while `self` exists.
        unsafe { sys::plexauth_cancel_trigger(self.0 .0.as_ptr()) }
    }

    /// Whether [`cancel`](Self::cancel) was called.
    pub fn is_cancelled(&self) -> bool {
        // SAFETY: the handle is live while `self` exists.
        unsafe { sys::plexauth_cancel_is_triggered(self.0 .0.as_ptr()) != 0 }
    }

    pub(crate) fn as_ptr(&self) -> *mut sys::plexauth_cancel {
        self.0 .0.as_ptr()
    }
}

impl Default for CancelToken {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelToken").field("cancelled", &self.is_cancelled()).finish()
    }
}

/// Per-call overrides: base URL, timeout, retry policy, cancel token, access
/// token and the client identity headers. `CallOptions::default()` changes nothing.
///
/// ```
/// use std::time::Duration;
/// use plexauth::{CallOptions, CancelToken, RetryPolicy};
///
/// let cancel = CancelToken::new();
/// let opts = CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::new().max_attempts(3))
///     .cancel(&cancel);
/// # let _ = opts;
/// ```
#[derive(Clone, Debug, Default)]
pub struct CallOptions {
    server_url: Option<String>,
    timeout: Option<Duration>,
    retry: RetryChoice,
    cancel: Option<CancelToken>,
    access_token: Option<SecretString>,
    identity: Identity,
    event_loop: Option<Loop>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }
    /// Base URL for this call: the PMS base for PMS operations, the plex.tv API
    /// base for plex.tv operations.
    pub fn server_url(mut self, url: impl Into<String>) -> Self {
        self.server_url = Some(url.into());
        self
    }
    /// Per-attempt timeout for this call; `Duration::ZERO` means no limit.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }
    /// Retry policy for this call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = RetryChoice::Policy(policy);
        self
    }
    /// No retries for this call.
    pub fn no_retry(mut self) -> Self {
        self.retry = RetryChoice::Disabled;
        self
    }
    /// Attaches a cancel token (a clone is kept).
    pub fn cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    /// `X-Plex-Token` for this call only: beats the client's token and token
    /// provider, so that one client can serve many users. Wiped from memory
    /// when the options are dropped; never shown by `Debug`, nor logged.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SecretString::new(token.into()));
        self
    }

    identity_setters!(" for this call, instead of the client's");

    /// Runs the `_async` calls given these options on `event_loop` (a clone is kept) instead of
    /// the client's own loop. The blocking calls ignore it.
    pub fn on_loop(mut self, event_loop: &Loop) -> Self {
        self.event_loop = Some(event_loop.clone());
        self
    }

    pub(crate) fn event_loop(&self) -> Option<&Loop> {
        self.event_loop.as_ref()
    }

    pub(crate) fn cancel_token(&self) -> Option<&CancelToken> {
        self.cancel.as_ref()
    }

    /// The C options for a call, or None when nothing is overridden (NULL).
    pub(crate) fn to_raw(&self) -> Result<Option<Owned<sys::plexauth_call_options>>> {
        if self.server_url.is_none()
            && self.timeout.is_none()
            && self.retry.is_inherit()
            && self.cancel.is_none()
            && self.access_token.is_none()
            && self.identity.is_empty()
        {
            return Ok(None);
        }
        let opts = Owned::new("call options", sys::plexauth_call_options_new, sys::plexauth_call_options_free)?;
        let o = opts.as_ptr();
        set_opt_str(o, "server_url", self.server_url.as_deref(), sys::plexauth_call_options_set_server_url)?;
        self.identity.apply(o, CALL_OPTIONS_SETTERS)?;
        self.retry.apply(o, sys::plexauth_call_options_set_retry)?;
        if let Some(token) = &self.access_token {
            // SAFETY: `o` is live; the token is copied (and wiped when the options are freed).
            let status = with_secret("access_token", token.as_str(), |t| unsafe {
                sys::plexauth_call_options_set_access_token(o, t)
            })?;
            check("access_token", status)?;
        }
        // SAFETY: `o` is live; the cancel handle is reference-counted by the library.
        unsafe {
            if let Some(d) = self.timeout {
                check("timeout", sys::plexauth_call_options_set_timeout_ms(o, millis(d)))?;
            }
            if let Some(c) = &self.cancel {
                check("cancel", sys::plexauth_call_options_set_cancel(o, c.as_ptr()))?;
            }
        }
        Ok(Some(opts))
    }
}

/// A sign-in request (`POST {plex.tv}/users/signin`). The password and code
/// are wiped from memory when the request is dropped, and `Debug` hides them.
///
/// ```
/// let req = plexauth::SignIn::new("username@email.com", "password123")
///     .remember_me(true)
///     .client_id("my-app-install-42");
/// assert!(!format!("{req:?}").contains("password123"));
/// ```
#[derive(Clone, Debug)]
pub struct SignIn {
    login: String,
    password: SecretString,
    remember_me: bool,
    verification_code: Option<SecretString>,
    identity: Identity,
}

impl SignIn {
    /// A request with the account's e-mail or user name and its password.
    pub fn new(login: impl Into<String>, password: impl Into<String>) -> Self {
        SignIn {
            login: login.into(),
            password: SecretString::new(password.into()),
            remember_me: false,
            verification_code: None,
            identity: Identity::default(),
        }
    }
    /// `rememberMe` (default false; always sent).
    pub fn remember_me(mut self, remember: bool) -> Self {
        self.remember_me = remember;
        self
    }
    /// The 2FA `verificationCode`, after a [`TwoFactorRequired`](crate::ErrorKind::TwoFactorRequired) error.
    pub fn verification_code(mut self, code: impl Into<String>) -> Self {
        self.verification_code = Some(SecretString::new(code.into()));
        self
    }
    identity_setters!(" for this request, instead of the client's");

    pub(crate) fn to_raw(&self) -> Result<Owned<sys::plexauth_sign_in>> {
        let req = Owned::new("sign-in request", sys::plexauth_sign_in_new, sys::plexauth_sign_in_free)?;
        let r = req.as_ptr();
        let login = cstring("login", &self.login)?;
        // SAFETY: `r` is live; every value is copied by its setter.
        unsafe {
            check("login", sys::plexauth_sign_in_set_login(r, login.as_ptr()))?;
            let status = with_secret("password", self.password.as_str(), |p| sys::plexauth_sign_in_set_password(r, p))?;
            check("password", status)?;
            if let Some(code) = &self.verification_code {
                let status = with_secret("verification_code", code.as_str(), |c| {
                    sys::plexauth_sign_in_set_verification_code(r, c)
                })?;
                check("verification_code", status)?;
            }
            check("remember_me", sys::plexauth_sign_in_set_remember_me(r, c_int::from(self.remember_me)))?;
        }
        self.identity.apply(r, SIGN_IN_SETTERS)?;
        Ok(req)
    }
}
