//! What the result models share: the kept C result ([`Kept`]) and the HTTP
//! response ([`RawResponse`]). The models themselves (one per model of
//! codegen/api.py) are generated into `models_gen.rs`: their fields are copied
//! out of the C result through its typed getters, and the C result is kept
//! (shared by clones) for what is read on demand: the response's headers and
//! body and the result's JSON.
//!
//! `Debug` output never shows tokens, secrets or response bodies.

use std::borrow::Cow;
use std::fmt;
use std::os::raw::c_char;
use std::sync::{Arc, OnceLock};

use plexauth_sys as sys;

use crate::util::{borrowed_bytes, list, opt_string, Owned};

const REDACTED: &str = "<redacted>";

/// Shows `Some("<redacted>")` for a present secret, `None` otherwise.
pub(crate) fn redacted(v: &Option<String>) -> Option<&'static str> {
    v.as_ref().map(|_| REDACTED)
}

/// An operation's C result type (`plexauth_<m>`) and its `_free`,
/// `_response` and `_json` functions (implemented in models_gen.rs).
pub(crate) trait CResult {
    const FREE: unsafe extern "C" fn(*mut Self);
    const RESPONSE: unsafe extern "C" fn(*const Self) -> *const sys::plexauth_response;
    const JSON: unsafe extern "C" fn(*const Self, *mut usize) -> *const c_char;
}

/// A C result kept alive for the views borrowed from it.
pub(crate) struct Kept<T: CResult>(Owned<T>);

// SAFETY: `CResult` is implemented only for result objects, and plexauth.h
// says result objects are immutable and their getters may be called from any
// thread.
unsafe impl<T: CResult> Send for Kept<T> {}
unsafe impl<T: CResult> Sync for Kept<T> {}

impl<T: CResult + 'static> Kept<T> {
    pub(crate) fn new(owned: Owned<T>) -> Arc<Self> {
        Arc::new(Kept(owned))
    }

    pub(crate) fn ptr(&self) -> *const T {
        self.0.as_ptr().cast_const()
    }

    /// The result's HTTP response, which keeps the result alive.
    pub(crate) fn response(self: &Arc<Self>) -> RawResponse {
        // SAFETY: the result is live while `self` is, and the response is
        // borrowed from it (or NULL).
        unsafe { RawResponse::from_raw((T::RESPONSE)(self.ptr()), self.clone()) }
    }

    /// The result as compact JSON, borrowed from the result.
    pub(crate) fn json(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: the result is live while `self` is; the text is borrowed
        // from it (built once, under std::call_once, and kept).
        unsafe { borrowed_bytes((T::JSON)(self.ptr(), &mut len), len) }
    }
}

// Two results' C objects are equal when their JSON is: it tells a null from
// an absent field, which the `Option` fields do not.
impl<T: CResult + 'static> PartialEq for Kept<T> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other) || self.json() == other.json()
    }
}

impl<T: CResult + 'static> Eq for Kept<T> {}

/// The HTTP response behind a result. The status and content type are copied;
/// the headers are copied on first use and the body is borrowed from the
/// library's result, which the response keeps alive.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    /// HTTP status code, e.g. 200 or 201.
    pub status: u16,
    /// The Content-Type header ("" when absent).
    pub content_type: String,
    raw: ResponseRef,
    headers: OnceLock<Vec<(String, String)>>,
}

/// A `plexauth_response` (or NULL) borrowed from the result `_owner` keeps alive.
#[derive(Clone)]
struct ResponseRef {
    ptr: *const sys::plexauth_response,
    _owner: Arc<dyn Send + Sync>,
}

// SAFETY: `ptr` points into an immutable C result kept alive by `_owner`; its
// getters may be called from any thread (plexauth.h).
unsafe impl Send for ResponseRef {}
unsafe impl Sync for ResponseRef {}

impl RawResponse {
    /// Headers as received (name, value), in order. Copied from the library's
    /// result on the first call (invalid UTF-8 replaced).
    pub fn headers(&self) -> &[(String, String)] {
        let r = self.raw.ptr;
        self.headers.get_or_init(|| {
            // SAFETY: `r` is NULL or live while `self` is (see ResponseRef); the
            // getters accept NULL and out-of-range indexes (NULL / 0).
            unsafe {
                list(sys::plexauth_response_headers_count(r), |i| {
                    Some((
                        opt_string(sys::plexauth_response_header_name(r, i))?,
                        opt_string(sys::plexauth_response_header_value(r, i)).unwrap_or_default(),
                    ))
                })
            }
        })
    }

    /// The first header with that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers().iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The body, unmodified (borrowed from the library's result).
    pub fn body(&self) -> &[u8] {
        let mut len = 0usize;
        // SAFETY: the response is NULL or live while `self` is; the body is
        // `len` bytes owned by it (NULL for a NULL response).
        unsafe { borrowed_bytes(sys::plexauth_response_body(self.raw.ptr, &mut len), len) }
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.body())
    }

    /// # Safety
    /// `r` is NULL or a valid response owned by the result `owner` keeps alive.
    pub(crate) unsafe fn from_raw(r: *const sys::plexauth_response, owner: Arc<dyn Send + Sync>) -> RawResponse {
        // SAFETY: `r` is NULL or valid (caller); the getters accept NULL; the
        // content type is copied at once.
        let (status, content_type) = unsafe {
            (
                u16::try_from(sys::plexauth_response_status(r)).unwrap_or(0),
                opt_string(sys::plexauth_response_content_type(r)).unwrap_or_default(),
            )
        };
        RawResponse { status, content_type, raw: ResponseRef { ptr: r, _owner: owner }, headers: OnceLock::new() }
    }
}

impl PartialEq for RawResponse {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.content_type == other.content_type
            && self.body() == other.body()
            && self.headers() == other.headers()
    }
}

impl Eq for RawResponse {}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("headers", &self.headers().iter().map(|(n, _)| n).collect::<Vec<_>>())
            .field("body_len", &self.body().len())
            .finish()
    }
}
