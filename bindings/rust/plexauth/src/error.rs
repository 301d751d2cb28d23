//! [`Error`] and [`ErrorKind`] (generated from codegen/api.py's statuses into
//! error_kind_gen.rs): every `plexauth_status` and the detail the library
//! attaches to a failure.

use std::fmt;
use std::time::Duration;

use plexauth_sys as sys;

use crate::util::{bytes, opt_i64, opt_string};

/// `Result<T, plexauth::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub use crate::error_kind_gen::ErrorKind;

impl ErrorKind {
    pub(crate) fn from_status(status: sys::plexauth_status) -> ErrorKind {
        ErrorKind::from_code(i32::try_from(status).unwrap_or(i32::MAX))
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
                plex_errors: (0..sys::plexauth_error_plex_errors_count(e))
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
