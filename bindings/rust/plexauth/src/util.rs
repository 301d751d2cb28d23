//! Small FFI helpers shared by the safe wrappers: string conversion in both
//! directions, owned handles, status checks and wiping secrets.

use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_int};
use std::ptr::NonNull;
use std::sync::atomic::{compiler_fence, Ordering};
use std::time::Duration;

use plexauth_sys as sys;

use crate::error::{Error, ErrorKind, Result};

/// A handle the library allocated, freed by its matching `plexauth_*_free`.
pub(crate) struct Owned<T> {
    ptr: NonNull<T>,
    free: unsafe extern "C" fn(*mut T),
}

impl<T> Owned<T> {
    /// Calls a `plexauth_*_new(&out)` constructor.
    pub(crate) fn new(
        what: &str,
        new: unsafe extern "C" fn(*mut *mut T) -> sys::plexauth_status,
        free: unsafe extern "C" fn(*mut T),
    ) -> Result<Self> {
        let mut out = std::ptr::null_mut();
        // SAFETY: `new` writes a fresh handle to `out` on success.
        let status = unsafe { new(&mut out) };
        check(what, status)?;
        Self::from_raw(out, free).ok_or_else(|| Error::new(ErrorKind::Internal, format!("{what} returned NULL")))
    }

    /// Takes ownership of `ptr` (None when it is NULL).
    pub(crate) fn from_raw(ptr: *mut T, free: unsafe extern "C" fn(*mut T)) -> Option<Self> {
        NonNull::new(ptr).map(|ptr| Owned { ptr, free })
    }

    pub(crate) fn as_ptr(&self) -> *mut T {
        self.ptr.as_ptr()
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: we own the handle and free it exactly once with its own free function.
        unsafe { (self.free)(self.ptr.as_ptr()) }
    }
}

/// Turns a setter's status into a Result; the message names the setting.
pub(crate) fn check(what: &str, status: sys::plexauth_status) -> Result<()> {
    if status == sys::PLEXAUTH_OK {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::from_status(status), format!("{what} was rejected")))
    }
}

/// A NUL-terminated copy of a (non-secret) string; interior NULs are an
/// InvalidArgument error naming the setting.
pub(crate) fn cstring(what: &str, value: &str) -> Result<CString> {
    CString::new(value).map_err(|_| nul_error(what))
}

/// The pointer of an optional C string (NULL for None: the library's default).
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

fn nul_error(what: &str) -> Error {
    Error::new(ErrorKind::InvalidArgument, format!("{what} contains a NUL byte"))
}

/// Like [`cstring`], for secrets: `f` gets a temporary NUL-terminated copy that
/// is wiped as soon as `f` returns.
pub(crate) fn with_secret<T>(what: &str, value: &str, f: impl FnOnce(*const c_char) -> T) -> Result<T> {
    if value.as_bytes().contains(&0) {
        return Err(nul_error(what));
    }
    let mut buf = Vec::with_capacity(value.len() + 1);
    buf.extend_from_slice(value.as_bytes());
    buf.push(0);
    let out = f(buf.as_ptr().cast());
    wipe(&mut buf);
    Ok(out)
}

/// A NUL-terminated copy of a secret argument (a Home user PIN, ...), wiped
/// when dropped. Never shown: it has no Debug.
pub(crate) struct SecretCString(Vec<u8>);

impl SecretCString {
    /// Copies `value`; an interior NUL is an InvalidArgument error naming the
    /// argument (never showing the value).
    pub(crate) fn new(what: &str, value: &str) -> Result<Self> {
        if value.as_bytes().contains(&0) {
            return Err(nul_error(what));
        }
        let mut buf = Vec::with_capacity(value.len() + 1);
        buf.extend_from_slice(value.as_bytes());
        buf.push(0);
        Ok(SecretCString(buf))
    }

    pub(crate) fn as_ptr(&self) -> *const c_char {
        self.0.as_ptr().cast()
    }
}

impl Drop for SecretCString {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// The pointer of an optional secret (NULL for None: not sent).
pub(crate) fn opt_secret_ptr(s: &Option<SecretCString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), SecretCString::as_ptr)
}

/// Overwrites `buf` with zeros in a way the optimiser keeps.
pub(crate) fn wipe(buf: &mut [u8]) {
    for b in buf.iter_mut() {
        // SAFETY: `b` is a valid, exclusive reference.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
    compiler_fence(Ordering::SeqCst);
}

/// A String that is wiped when dropped and never shown by Debug.
#[derive(Clone, Default)]
pub(crate) struct SecretString(String);

impl SecretString {
    pub(crate) fn new(s: String) -> Self {
        SecretString(s)
    }
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        // SAFETY: zero bytes are valid UTF-8.
        wipe(unsafe { self.0.as_bytes_mut() });
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// Copies a borrowed C string (NULL gives None). Invalid UTF-8 is replaced.
///
/// # Safety
/// `p` is NULL or a valid NUL-terminated string.
pub(crate) unsafe fn opt_string(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: guaranteed by the caller.
    let s = unsafe { CStr::from_ptr(p) };
    // to_str first: its check is several times faster than to_string_lossy's
    // on valid text, which is what the library gives.
    Some(s.to_str().map_or_else(|_| s.to_string_lossy().into_owned(), str::to_owned))
}

/// Copies `len` bytes at `p` (NULL gives an empty Vec).
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes.
pub(crate) unsafe fn bytes(p: *const c_char, len: usize) -> Vec<u8> {
    // SAFETY: guaranteed by the caller; the bytes are copied at once.
    unsafe { borrowed_bytes(p, len) }.to_vec()
}

/// Borrows `len` bytes at `p` (NULL gives an empty slice).
///
/// # Safety
/// `p` is NULL or points to `len` bytes that stay valid and unchanged for `'a`.
pub(crate) unsafe fn borrowed_bytes<'a>(p: *const c_char, len: usize) -> &'a [u8] {
    if p.is_null() {
        &[]
    } else {
        // SAFETY: guaranteed by the caller.
        unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }
    }
}

/// Reads an optional integer through a `int getter(obj, int64_t *out)`.
pub(crate) fn opt_i64(get: impl FnOnce(*mut i64) -> c_int) -> Option<i64> {
    let mut v = 0i64;
    (get(&mut v) == 1).then_some(v)
}

/// Reads an optional boolean through a `int getter(obj, int *out)`.
pub(crate) fn opt_bool(get: impl FnOnce(*mut c_int) -> c_int) -> Option<bool> {
    let mut v: c_int = 0;
    (get(&mut v) == 1).then_some(v != 0)
}

/// Copies a count-plus-index list.
pub(crate) fn list<T>(count: usize, get: impl Fn(usize) -> Option<T>) -> Vec<T> {
    (0..count).filter_map(get).collect()
}

/// A timeout for the C API: 0 stays 0 ("no limit"); anything else is at least
/// 1 ms, so a tiny non-zero duration never turns into "no limit".
pub(crate) fn millis(d: Duration) -> i64 {
    if d.is_zero() {
        0
    } else {
        i64::try_from(d.as_millis()).unwrap_or(i64::MAX).max(1)
    }
}

/// A string setter of the C API (`plexauth_<object>_set_<field>(obj, value)`).
pub(crate) type StrSetter<T> = unsafe extern "C" fn(*mut T, *const c_char) -> sys::plexauth_status;

/// Calls a string setter when `value` is Some.
pub(crate) fn set_opt_str<T>(obj: *mut T, what: &str, value: Option<&str>, setter: StrSetter<T>) -> Result<()> {
    match value {
        None => Ok(()),
        Some(v) => {
            let c = cstring(what, v)?;
            // SAFETY: `obj` is a live handle of the setter's type; `c` outlives the call (the value is copied).
            check(what, unsafe { setter(obj, c.as_ptr()) })
        }
    }
}
