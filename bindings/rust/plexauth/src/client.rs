//! [`Client`], how an operation runs, and sign-in (the operation that takes a
//! request object). The other operations are generated: operations_gen.rs.

use std::fmt;
use std::ptr::{self, NonNull};

use plexauth_sys as sys;

use crate::config::{ClientBuilder, LogCallback};
use crate::error::{Error, ErrorKind, Result};
use crate::models::CResult;
use crate::models_gen::Account;
use crate::options::{CallOptions, SignIn};
use crate::util::Owned;

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

    pub(crate) fn as_ptr(&self) -> *mut sys::plexauth_client {
        self.raw.as_ptr()
    }

    /// Runs one operation: builds the C call options, calls `op`, turns a
    /// failure into [`Error`], copies the result out with `map` and frees it.
    pub(crate) fn run<R: CResult, T>(
        &self,
        opts: &CallOptions,
        op: impl FnOnce(
            *mut *mut R,
            *mut sys::plexauth_client,
            *const sys::plexauth_call_options,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
        map: unsafe fn(Owned<R>) -> T,
    ) -> Result<T> {
        let mut out = ptr::null_mut();
        let status = self.call(opts, |client, o, err| op(&mut out, client, o, err));
        // Taken first, so that a result is freed whatever the status.
        let result = Owned::from_raw(out, R::FREE);
        status?;
        let result = result.ok_or_else(|| Error::new(ErrorKind::Internal, "the library returned no result"))?;
        // SAFETY: `result` is a live result of the type `map` expects.
        Ok(unsafe { map(result) })
    }

    /// Runs one operation without a result (success is a 204): builds the C
    /// call options, calls `op` and turns a failure into [`Error`].
    pub(crate) fn run_no_result(
        &self,
        opts: &CallOptions,
        op: impl FnOnce(
            *mut sys::plexauth_client,
            *const sys::plexauth_call_options,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
    ) -> Result<()> {
        self.call(opts, op)
    }

    /// Builds the C call options and calls `op` with them; a status other than
    /// OK becomes an [`Error`] (the error object copied and freed).
    fn call(
        &self,
        opts: &CallOptions,
        op: impl FnOnce(
            *mut sys::plexauth_client,
            *const sys::plexauth_call_options,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
    ) -> Result<()> {
        let raw_opts = opts.to_raw()?;
        let opts_ptr = raw_opts.as_ref().map_or(ptr::null(), |o| o.as_ptr().cast_const());
        let mut err = ptr::null_mut();
        let status = op(self.raw.as_ptr(), opts_ptr, &mut err);
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        Ok(())
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
            // SAFETY: all pointers are valid for the call.
            |out, client, o, err| unsafe {
                sys::plexauth_client_post_users_sign_in_data(out, client, req.as_ptr(), o, err)
            },
            Account::from_raw,
        )
    }

    /// [`sign_in`](Self::sign_in), non-blocking: a [`CallFuture`](crate::CallFuture) run on the
    /// client's loop (any async runtime); dropping it cancels the call.
    pub fn sign_in_async(&self, request: &SignIn) -> crate::CallFuture<'_, Account> {
        self.sign_in_with_async(request, &CallOptions::default())
    }

    /// [`sign_in_with`](Self::sign_in_with), non-blocking: a [`CallFuture`](crate::CallFuture) run
    /// on the loop of [`CallOptions::on_loop`] or the client's own; dropping it cancels the call.
    pub fn sign_in_with_async(&self, request: &SignIn, opts: &CallOptions) -> crate::CallFuture<'_, Account> {
        let req = crate::future::try_start!(request.to_raw());
        self.start_call(
            opts,
            // SAFETY: all pointers are valid for the call; the request is copied by the library.
            |call, client, o, l, done, ud, err| unsafe {
                sys::plexauth_client_post_users_sign_in_data_start(call, client, req.as_ptr(), o, l, done, ud, err)
            },
            crate::future::finish_result(sys::plexauth_client_post_users_sign_in_data_finish, Account::from_raw),
        )
    }
}
