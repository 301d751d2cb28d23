//! The login journey's helpers: a stable device identity
//! ([`client_id_load_or_create`]), the hosted login page
//! ([`Client::login_url`]) and waiting for a PIN's approval
//! ([`Client::wait_for_pin`] with a [`PinWait`]).

use std::any::Any;
use std::ffi::{CStr, CString};
use std::fmt;
use std::ops::ControlFlow;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::ptr;
use std::time::Duration;

use plexauth_sys as sys;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::models_gen::Pin;
use crate::options::CallOptions;
use crate::util::{cstring, millis, opt_ptr, opt_string};

/// A stable device identity: the client identifier stored in the file at
/// `path`, or a new random UUIDv4 written there once (mode 0600, atomically;
/// missing folders are created 0700), so that repeated runs never register new
/// devices with plex.tv. `None`: `$XDG_CONFIG_HOME/plexauth/client_id` (or
/// `~/.config/plexauth/client_id`).
///
/// A file that does not hold a client identifier is left untouched and gives
/// [`ErrorKind::InvalidArgument`]. Any thread; concurrent callers on one path
/// all get the same identifier.
///
/// ```no_run
/// let id = plexauth::client_id_load_or_create(None)?;
/// let client = plexauth::Client::builder().client_id(id).build()?;
/// # let _ = client;
/// # Ok::<(), plexauth::Error>(())
/// ```
pub fn client_id_load_or_create(path: Option<&Path>) -> Result<String> {
    let path = path.map(path_cstring).transpose()?;
    let mut buf = [0 as c_char; sys::PLEXAUTH_CLIENT_ID_MAX];
    let mut err = ptr::null_mut();
    // SAFETY: `path` is NULL or a valid C string; `buf` has buf.len() writable bytes.
    let status =
        unsafe { sys::plexauth_client_id_load_or_create(opt_ptr(&path), buf.as_mut_ptr(), buf.len(), &mut err) };
    if status != sys::PLEXAUTH_OK {
        // SAFETY: `err` is NULL or an error object we now own.
        return Err(unsafe { Error::from_raw(status, err) });
    }
    // SAFETY: on success the library wrote a NUL-terminated identifier into `buf`.
    Ok(unsafe { opt_string(buf.as_ptr()) }.unwrap_or_default())
}

#[cfg(unix)]
pub(crate) fn path_cstring(path: &Path) -> Result<CString> {
    use std::os::unix::ffi::OsStrExt;
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| Error::new(ErrorKind::InvalidArgument, "path contains a NUL byte"))
}

#[cfg(not(unix))]
pub(crate) fn path_cstring(path: &Path) -> Result<CString> {
    let s = path.to_str().ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "path is not valid UTF-8"))?;
    cstring("path", s)
}

/// The progress closure of a [`PinWait`]: the PIN's code and the time left
/// until it expires (None when unknown); `ControlFlow::Break(())` stops the wait.
type Progress<'a> = dyn FnMut(&str, Option<Duration>) -> ControlFlow<()> + 'a;

/// How [`Client::wait_for_pin`] waits: the poll interval, an overall timeout
/// and a progress closure. `PinWait::new()` polls every second until the PIN
/// is approved or expires.
///
/// ```
/// use std::ops::ControlFlow;
/// use std::time::Duration;
///
/// let wait = plexauth::PinWait::new()
///     .poll_interval(Duration::from_secs(2))
///     .timeout(Duration::from_secs(300))
///     .progress(|code, left| {
///         println!("enter {code} at plex.tv/link ({left:?} left)");
///         ControlFlow::Continue(())
///     });
/// # let _ = wait;
/// ```
#[derive(Default)]
pub struct PinWait<'a> {
    poll_interval: Option<Duration>,
    timeout: Option<Duration>,
    progress: Option<Box<Progress<'a>>>,
}

impl<'a> PinWait<'a> {
    /// Poll every second, no timeout (the PIN's expiry ends the wait), no progress closure.
    pub fn new() -> Self {
        Self::default()
    }
    /// The pause between polls, 100 ms ..= 60 s (default 1 s; others give
    /// [`ErrorKind::InvalidArgument`]).
    pub fn poll_interval(mut self, d: Duration) -> Self {
        self.poll_interval = Some(d);
        self
    }
    /// Give up with [`ErrorKind::Timeout`] after this long; `Duration::ZERO`
    /// (the default) waits until the PIN expires.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }
    /// Called on the waiting thread before each pause between polls, with the
    /// PIN's code and the time left until it expires (None when unknown).
    /// Return `ControlFlow::Break(())` to stop: the wait then fails with
    /// [`ErrorKind::Cancelled`]. A panic inside it is caught at the FFI
    /// boundary, stops the wait and fails it with [`ErrorKind::Callback`]
    /// (carrying the panic message). It must not call the same client.
    pub fn progress<F>(mut self, f: F) -> Self
    where
        F: FnMut(&str, Option<Duration>) -> ControlFlow<()> + 'a,
    {
        self.progress = Some(Box::new(f));
        self
    }
}

impl fmt::Debug for PinWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PinWait")
            .field("poll_interval", &self.poll_interval)
            .field("timeout", &self.timeout)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// What the progress trampoline sees through `user_data`.
struct ProgressState<'p, 'a> {
    progress: &'p mut Progress<'a>,
    panic: Option<String>,
}

unsafe extern "C" fn progress_trampoline(user_data: *mut c_void, code: *const c_char, seconds_left: i64) -> c_int {
    if user_data.is_null() {
        return 1;
    }
    // SAFETY: `user_data` is the ProgressState of the wait_for_pin call that is running on this thread.
    let state = unsafe { &mut *user_data.cast::<ProgressState<'_, '_>>() };
    if state.panic.is_some() {
        return 1;
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `code` is NULL or a NUL-terminated string valid for this call.
        let code = if code.is_null() { Default::default() } else { unsafe { CStr::from_ptr(code) }.to_string_lossy() };
        let left = u64::try_from(seconds_left).ok().map(Duration::from_secs);
        (state.progress)(&code, left)
    }));
    match outcome {
        Ok(ControlFlow::Continue(())) => 0,
        Ok(ControlFlow::Break(())) => 1,
        Err(payload) => {
            state.panic = Some(panic_message(payload.as_ref()));
            1
        }
    }
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a non-string panic payload".to_string())
}

impl Client {
    /// The hosted login page for a PIN's code:
    /// `https://app.plex.tv/auth#?clientID=..&code=..&context%5Bdevice%5D%5Bproduct%5D=..[&forwardUrl=..]`,
    /// with the client's `client_id` and `client_name`, every value
    /// percent-encoded. Use a strong PIN's code
    /// ([`create_pin_with(true, ..)`](Self::create_pin_with)). `forward_url`
    /// must be an absolute http(s) URL: the page forwards there after the
    /// approval, without the token (wait for the PIN with
    /// [`wait_for_pin`](Self::wait_for_pin)).
    ///
    /// [`ErrorKind::InvalidArgument`] when the client has no client id or
    /// `forward_url` is not http(s). Sends nothing.
    pub fn login_url(&self, code: &str, forward_url: Option<&str>) -> Result<String> {
        let code = cstring("code", code)?;
        let forward_url = forward_url.map(|u| cstring("forward_url", u)).transpose()?;
        let mut buf: Vec<u8> = vec![0; 256];
        loop {
            let mut needed = 0usize;
            let mut err = ptr::null_mut();
            // SAFETY: the client is live; the strings are valid C strings; `buf` has buf.len() writable bytes.
            let status = unsafe {
                sys::plexauth_login_url(
                    self.as_ptr(),
                    code.as_ptr(),
                    opt_ptr(&forward_url),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    &mut needed,
                    &mut err,
                )
            };
            if status == sys::PLEXAUTH_OK {
                let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
                buf.truncate(len);
                return String::from_utf8(buf)
                    .map_err(|_| Error::new(ErrorKind::Internal, "the login URL is not valid UTF-8"));
            }
            // SAFETY: `err` is NULL or an error object we now own.
            let error = unsafe { Error::from_raw(status, err) };
            if status == sys::PLEXAUTH_E_INVALID_ARGUMENT && needed > buf.len() {
                buf.resize(needed, 0); // too small: once more with the size it takes
                continue;
            }
            return Err(error);
        }
    }

    /// Waits until the user approves PIN `id` (at plex.tv/link or on the
    /// hosted login page) and returns the PIN, whose `auth_token` is the
    /// account's token. Polls `GET {plex.tv}/pins/{id}` as `wait` says; this
    /// client's client id must be the one that created the PIN. Blocks the
    /// calling thread.
    ///
    /// Errors: [`ErrorKind::PinExpired`] (plex.tv says so, or its expiry
    /// passed), [`ErrorKind::Timeout`] (the wait's timeout passed),
    /// [`ErrorKind::Cancelled`] (the progress closure stopped it, or the cancel
    /// token of [`wait_for_pin_with`](Self::wait_for_pin_with)'s options, within
    /// ~100 ms even mid-pause), [`ErrorKind::Callback`] (the progress closure
    /// panicked), or a poll's own error after its retries.
    pub fn wait_for_pin(&self, id: i64, wait: PinWait<'_>) -> Result<Pin> {
        self.wait_for_pin_with(id, wait, &CallOptions::default())
    }

    /// [`wait_for_pin`](Self::wait_for_pin) with call options (for every poll):
    /// a [`CancelToken`](crate::CancelToken), a per-poll timeout, a retry policy, identity.
    pub fn wait_for_pin_with(&self, id: i64, wait: PinWait<'_>, opts: &CallOptions) -> Result<Pin> {
        self.run_pin_wait(wait, opts, |out, client, poll_ms, timeout_ms, callback, user_data, o, err| {
            // SAFETY: every pointer is valid for the call (see run_pin_wait).
            unsafe {
                sys::plexauth_client_wait_for_pin(out, client, id, poll_ms, timeout_ms, callback, user_data, o, err)
            }
        })
    }

    /// Runs a PIN wait of the C API (`plexauth_client_wait_for_pin` and its kin):
    /// `wait`'s poll interval and timeout in milliseconds, its progress closure
    /// behind the trampoline, the panic of the closure turned into
    /// [`ErrorKind::Callback`].
    #[allow(clippy::type_complexity)]
    pub(crate) fn run_pin_wait(
        &self,
        wait: PinWait<'_>,
        opts: &CallOptions,
        op: impl FnOnce(
            *mut *mut sys::plexauth_pin,
            *mut sys::plexauth_client,
            i64,
            i64,
            sys::plexauth_pin_progress_fn,
            *mut c_void,
            *const sys::plexauth_call_options,
            *mut *mut sys::plexauth_error,
        ) -> sys::plexauth_status,
    ) -> Result<Pin> {
        let PinWait { poll_interval, timeout, mut progress } = wait;
        let poll_ms = poll_interval.map_or(0, millis);
        let timeout_ms = timeout.map_or(0, millis);
        let mut state = progress.as_deref_mut().map(|progress| ProgressState { progress, panic: None });
        let (callback, user_data): (sys::plexauth_pin_progress_fn, *mut c_void) = match state.as_mut() {
            Some(s) => (Some(progress_trampoline), (s as *mut ProgressState<'_, '_>).cast()),
            None => (None, ptr::null_mut()),
        };
        // `user_data` (the progress state) outlives the call and is only used on this thread.
        let result = self.run(
            opts,
            |out, client, o, err| op(out, client, poll_ms, timeout_ms, callback, user_data, o, err),
            Pin::from_raw,
        );
        if let Some(message) = state.and_then(|s| s.panic) {
            return Err(Error::new(ErrorKind::Callback, format!("the progress closure panicked: {message}")));
        }
        result
    }
}
