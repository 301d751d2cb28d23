//! [`Client`] and the four operations.

use std::fmt;
use std::ptr::{self, NonNull};

use plexauth_sys as sys;

use crate::config::{ClientBuilder, LogCallback};
use crate::error::{Error, ErrorKind, Result};
use crate::models::{Account, SourceInfo, TransientToken};
use crate::options::{CallOptions, SignIn};
use crate::util::{cstring, Owned};

/// A Plex authentication client: a snapshot of its configuration plus a pool
/// of keep-alive connections. `Send + Sync`: share it (e.g. in an `Arc`) and
/// call it from many threads at once.
///
/// Each operation has a plain form and a `_with` form that also takes
/// [`CallOptions`] (server URL, timeout, retry policy, cancel token).
pub struct Client {
    raw: NonNull<sys::plexauth_client>,
    // The log closure handed to the C client as user_data. Declared after `raw`
    // and dropped only after Drop::drop has freed the C client.
    _log: Option<Box<LogCallback>>,
}

// SAFETY: the header states that plexauth_client is safe to use from many
// threads at once; the log closure is Send + Sync.
unsafe impl Send for Client {}
unsafe impl Sync for Client {}

impl Drop for Client {
    fn drop(&mut self) {
        // SAFETY: we own the client; `&mut self` means no call is in progress.
        unsafe { sys::plexauth_client_free(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client").finish_non_exhaustive()
    }
}

impl Client {
    /// A builder; see [`ClientBuilder`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    pub(crate) fn from_config(cfg: &Owned<sys::plexauth_config>, log: Option<Box<LogCallback>>) -> Result<Client> {
        let mut raw = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: `cfg` is live; the config is copied into the client.
        let status = unsafe { sys::plexauth_client_new(&mut raw, cfg.as_ptr(), &mut err) };
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let raw =
            NonNull::new(raw).ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_client_new returned NULL"))?;
        Ok(Client { raw, _log: log })
    }

    /// Runs one operation: builds the C call options, calls `op`, turns a
    /// failure into [`Error`], copies the result out with `map` and frees it.
    fn run<R, T>(
        &self,
        opts: &CallOptions,
        free: unsafe extern "C" fn(*mut R),
        op: impl FnOnce(
            *mut *mut R,
            *mut sys::plexauth_client,
            *const sys::plexauth_call_options,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
        map: unsafe fn(Owned<R>) -> T,
    ) -> Result<T> {
        let raw_opts = opts.to_raw()?;
        let opts_ptr = raw_opts.as_ref().map_or(ptr::null(), |o| o.as_ptr().cast_const());
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let status = op(&mut out, self.raw.as_ptr(), opts_ptr, &mut err);
        let result = Owned::from_raw(out, free);
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let result = result.ok_or_else(|| Error::new(ErrorKind::Internal, "the library returned no result"))?;
        // SAFETY: `result` is a live result of the type `map` expects.
        Ok(unsafe { map(result) })
    }

    /// `GET {PMS}/security/token?type=delegation&scope=all`: a transient token
    /// with the caller's access level (sends X-Plex-Token).
    pub fn get_transient_token(&self) -> Result<TransientToken> {
        self.get_transient_token_with(None, None, &CallOptions::default())
    }

    /// [`get_transient_token`](Self::get_transient_token) with explicit `type`
    /// and `scope` (None: "delegation" and "all", the only documented values)
    /// and call options.
    pub fn get_transient_token_with(
        &self,
        type_: Option<&str>,
        scope: Option<&str>,
        opts: &CallOptions,
    ) -> Result<TransientToken> {
        let type_ = type_.map(|t| cstring("type", t)).transpose()?;
        let scope = scope.map(|s| cstring("scope", s)).transpose()?;
        let as_ptr = |s: &Option<std::ffi::CString>| s.as_ref().map_or(ptr::null(), |s| s.as_ptr());
        self.run(
            opts,
            sys::plexauth_transient_token_free,
            // SAFETY: all pointers are valid for the call.
            |out, client, o, err| unsafe {
                sys::plexauth_client_get_transient_token(out, client, as_ptr(&type_), as_ptr(&scope), o, err)
            },
            TransientToken::from_raw,
        )
    }

    /// `GET {PMS}/security/resources?source=...`: connection details and an
    /// access token for a source the server knows, e.g. `server://<client-identifier>`.
    pub fn get_source_connection_information(&self, source: &str) -> Result<SourceInfo> {
        self.get_source_connection_information_with(source, &CallOptions::default())
    }

    /// [`get_source_connection_information`](Self::get_source_connection_information) with call options.
    pub fn get_source_connection_information_with(&self, source: &str, opts: &CallOptions) -> Result<SourceInfo> {
        let source = cstring("source", source)?;
        self.run(
            opts,
            sys::plexauth_source_info_free,
            // SAFETY: all pointers are valid for the call.
            |out, client, o, err| unsafe {
                sys::plexauth_client_get_source_connection_information(out, client, source.as_ptr(), o, err)
            },
            SourceInfo::from_raw,
        )
    }

    /// `GET {plex.tv}/user`: the account behind the client's token.
    pub fn get_token_details(&self) -> Result<Account> {
        self.get_token_details_with(&CallOptions::default())
    }

    /// [`get_token_details`](Self::get_token_details) with call options.
    pub fn get_token_details_with(&self, opts: &CallOptions) -> Result<Account> {
        self.run(
            opts,
            sys::plexauth_account_free,
            // SAFETY: all pointers are valid for the call.
            |out, client, o, err| unsafe { sys::plexauth_client_get_token_details(out, client, o, err) },
            Account::from_raw,
        )
    }

    /// `POST {plex.tv}/users/signin` with login and password (never sends
    /// X-Plex-Token). An account with 2FA fails with
    /// [`ErrorKind::TwoFactorRequired`] until the request carries the
    /// verification code. Never retried after a 4XX.
    pub fn sign_in(&self, request: &SignIn) -> Result<Account> {
        self.sign_in_with(request, &CallOptions::default())
    }

    /// [`sign_in`](Self::sign_in) with call options.
    pub fn sign_in_with(&self, request: &SignIn, opts: &CallOptions) -> Result<Account> {
        let req = request.to_raw()?;
        self.run(
            opts,
            sys::plexauth_account_free,
            // SAFETY: all pointers are valid for the call.
            |out, client, o, err| unsafe {
                sys::plexauth_client_post_users_sign_in_data(out, client, req.as_ptr(), o, err)
            },
            Account::from_raw,
        )
    }
}
