//! [`Error`] and [`ErrorKind`]: every `plexauth_status` and the detail the
//! library attaches to a failure.

use std::fmt;
use std::time::Duration;

use plexauth_sys as sys;

use crate::util::{bytes, opt_i64, opt_string};

/// `Result<T, plexauth::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong: one variant per C status code (`plexauth_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument was rejected before anything was sent (NUL byte, control
    /// character, bad URL, value out of range...).
    InvalidArgument,
    /// HTTP 400 with Plex's `errors[]`, e.g. code 1000 "X-Plex-Client-Identifier is missing".
    BadRequest,
    /// HTTP 401 (e.g. code 1001), or plex.tv's 422 "invalid token".
    Unauthorized,
    /// HTTP 401 with Plex code 1029: sign in again with a 2FA verification code.
    TwoFactorRequired,
    /// HTTP 429; see [`Error::retry_after`].
    RateLimited,
    /// Any other HTTP 3XX/4XX/5XX; see [`Error::http_status`].
    Http,
    /// DNS, connect, send/receive failure or connection reset.
    Transport,
    /// The connect timeout or the per-attempt timeout expired.
    Timeout,
    /// The call's [`CancelToken`](crate::CancelToken) was triggered.
    Cancelled,
    /// A success status with the wrong content type or status, or a body that
    /// is not the expected JSON (the message names the field).
    MalformedResponse,
    /// Memory could not be allocated.
    OutOfMemory,
    /// TLS handshake or certificate verification failed.
    Tls,
    /// The body exceeded [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes).
    ResponseTooLarge,
    /// Sign-in refused with Plex code 1031 (sign-ins from this IP are locked). Never retried.
    SignInThrottled,
    /// The token provider failed (it panicked, or gave a token the library refused).
    Callback,
    /// A bug in plexauth.
    Internal,
    /// A status this binding does not know yet (from a newer library).
    Unknown(i32),
}

const KINDS: [ErrorKind; 16] = [
    ErrorKind::InvalidArgument,
    ErrorKind::BadRequest,
    ErrorKind::Unauthorized,
    ErrorKind::TwoFactorRequired,
    ErrorKind::RateLimited,
    ErrorKind::Http,
    ErrorKind::Transport,
    ErrorKind::Timeout,
    ErrorKind::Cancelled,
    ErrorKind::MalformedResponse,
    ErrorKind::OutOfMemory,
    ErrorKind::Tls,
    ErrorKind::ResponseTooLarge,
    ErrorKind::SignInThrottled,
    ErrorKind::Callback,
    ErrorKind::Internal,
];

impl ErrorKind {
    /// The kind for a C status code (1 ..= 16; anything else is `Unknown`).
    pub fn from_code(code: i32) -> ErrorKind {
        usize::try_from(code)
            .ok()
            .and_then(|c| c.checked_sub(1))
            .and_then(|i| KINDS.get(i).copied())
            .unwrap_or(ErrorKind::Unknown(code))
    }

    pub(crate) fn from_status(status: sys::plexauth_status) -> ErrorKind {
        ErrorKind::from_code(i32::try_from(status).unwrap_or(i32::MAX))
    }

    /// The C status code (`PLEXAUTH_E_*`).
    pub fn code(self) -> i32 {
        match self {
            ErrorKind::Unknown(code) => code,
            known => KINDS.iter().position(|k| *k == known).map_or(0, |i| i as i32 + 1),
        }
    }

    /// The stable snake_case name, the same as `plexauth_status_name()`
    /// ("unauthorized", "two_factor_required", "http_error", ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::TwoFactorRequired => "two_factor_required",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Http => "http_error",
            ErrorKind::Transport => "transport",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::MalformedResponse => "malformed_response",
            ErrorKind::OutOfMemory => "out_of_memory",
            ErrorKind::Tls => "tls",
            ErrorKind::ResponseTooLarge => "response_too_large",
            ErrorKind::SignInThrottled => "sign_in_throttled",
            ErrorKind::Callback => "callback_error",
            ErrorKind::Internal => "internal",
            ErrorKind::Unknown(_) => "unknown",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One entry of Plex's `errors[]` array in an error response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlexError {
    /// `code`, e.g. 1001.
    pub code: Option<i64>,
    /// `message`, e.g. "User could not be authenticated".
    pub message: Option<String>,
    /// `status`, e.g. 401.
    pub status: Option<i64>,
}

/// A failed call: the [`ErrorKind`] plus everything the library reported.
///
/// `Display` shows the kind, the message and the HTTP status. Neither it nor
/// the library's message ever contains a token, password or 2FA code; the body
/// is kept (truncated to 4 KiB, known secrets redacted by the library) but not
/// printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<Inner>);

// Boxed so that `Result<T, Error>` stays one pointer wide on the error side.
#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    http_status: Option<u16>,
    attempts: u32,
    retry_after: Option<Duration>,
    plex_errors: Vec<PlexError>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

impl Error {
    /// An error raised on the Rust side (before the library was called).
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            http_status: None,
            attempts: 0,
            retry_after: None,
            plex_errors: Vec::new(),
            content_type: None,
            body: None,
        }))
    }

    /// Copies a failed call's status and error object, then frees the object.
    ///
    /// # Safety
    /// `err` is NULL or an error object returned by the library, not used afterwards.
    pub(crate) unsafe fn from_raw(status: sys::plexauth_status, err: *mut sys::plexauth_error) -> Error {
        let kind = ErrorKind::from_status(status);
        if err.is_null() {
            return Error::new(kind, format!("plexauth call failed: {kind}"));
        }
        let e = err.cast_const();
        // SAFETY: `e` is a valid error object until freed below; its strings are borrowed from it.
        let error = unsafe {
            let mut body_len = 0usize;
            let body_ptr = sys::plexauth_error_body(e, &mut body_len);
            Error(Box::new(Inner {
                kind,
                message: opt_string(sys::plexauth_error_message(e)).unwrap_or_default(),
                http_status: u16::try_from(sys::plexauth_error_http_status(e)).ok().filter(|s| *s != 0),
                attempts: sys::plexauth_error_attempts(e),
                retry_after: opt_i64(|out| sys::plexauth_error_retry_after_ms(e, out))
                    .map(|ms| Duration::from_millis(u64::try_from(ms).unwrap_or(0))),
                plex_errors: (0..sys::plexauth_error_plex_error_count(e))
                    .map(|i| PlexError {
                        code: opt_i64(|out| sys::plexauth_error_plex_error_code(e, i, out)),
                        message: opt_string(sys::plexauth_error_plex_error_message(e, i)),
                        status: opt_i64(|out| sys::plexauth_error_plex_error_status(e, i, out)),
                    })
                    .collect(),
                content_type: opt_string(sys::plexauth_error_content_type(e)),
                body: (!body_ptr.is_null()).then(|| bytes(body_ptr, body_len)),
            }))
        };
        // SAFETY: we own `err` and nothing borrowed from it is left.
        unsafe { sys::plexauth_error_free(err) };
        error
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// A human-readable message in English (never holds a secret).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The HTTP status of the last response; None when no response was received.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }

    /// How many HTTP attempts were made (0 when the call failed before sending).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The last response's Retry-After (seconds or HTTP-date form), when sent.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// Plex's `errors[]` entries from the last response.
    pub fn plex_errors(&self) -> &[PlexError] {
        &self.0.plex_errors
    }

    /// The first Plex error code, if any (1001, 1029, ...).
    pub fn plex_code(&self) -> Option<i64> {
        self.0.plex_errors.iter().find_map(|e| e.code)
    }

    /// The Content-Type of the last response.
    pub fn content_type(&self) -> Option<&str> {
        self.0.content_type.as_deref()
    }

    /// The last response body, truncated to 4 KiB with known secrets redacted.
    pub fn body(&self) -> Option<&[u8]> {
        self.0.body.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.kind, self.0.message)?;
        if let Some(status) = self.0.http_status {
            write!(f, " (HTTP {status})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("message", &self.0.message)
            .field("http_status", &self.0.http_status)
            .field("attempts", &self.0.attempts)
            .field("retry_after", &self.0.retry_after)
            .field("plex_errors", &self.0.plex_errors)
            .field("content_type", &self.0.content_type)
            .field("body_len", &self.0.body.as_ref().map(Vec::len))
            .finish()
    }
}

impl std::error::Error for Error {}
