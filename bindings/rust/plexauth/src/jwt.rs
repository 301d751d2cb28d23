//! JWT device authentication (docs/jwt.md): a device's Ed25519 key
//! ([`DeviceKey`], in a file or in the application's own [`KeyStore`]), registering it and getting a Plex JWT with it
//! ([`Client::register_device_key`], [`Client::jwt_login`]), checking a Plex JWT
//! ([`Client::jwt_verify`]) and keeping one fresh for every call of a client
//! ([`JwtSession`], [`ClientBuilder::jwt_session`](crate::ClientBuilder::jwt_session)).
//!
//! These wrap the hand-written C functions `plexauth_device_key_*`,
//! `plexauth_client_register_device_key`, `plexauth_client_jwt_login`,
//! `plexauth_client_jwt_verify` and `plexauth_jwt_session_*`. The single
//! operations (`get_nonce`, `get_jwks`, `exchange_device_jwt`) are generated.

use std::ffi::CStr;
use std::fmt;
use std::os::raw::{c_char, c_int, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Duration;

use plexauth_sys as sys;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::future::{finish_result, try_start, CallFuture};
use crate::login::{panic_message, path_cstring, PinWait};
use crate::models_gen::{JwtToken, Pin};
use crate::options::CallOptions;
use crate::util::{cstring, opt_ptr, wipe, SecretCString};

/// Calls a C function that writes text into a caller's buffer (`buf`, `size`,
/// `*len` = the text's length, also when the buffer is too small), growing the
/// buffer once when it was too small. Every buffer is wiped: the text may be a
/// secret (a PEM key, a JWT).
fn read_text(
    initial: usize,
    mut f: impl FnMut(*mut c_char, usize, *mut usize, *mut *mut sys::plexauth_error) -> sys::plexauth_status,
) -> Result<String> {
    let mut size = initial;
    loop {
        let mut buf: Vec<u8> = vec![0; size];
        let mut needed = 0usize;
        let mut err = ptr::null_mut();
        let status = f(buf.as_mut_ptr().cast(), buf.len(), &mut needed, &mut err);
        if status == sys::PLEXAUTH_OK {
            let len = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            let text = std::str::from_utf8(&buf[..len]).map(str::to_owned);
            wipe(&mut buf);
            return text.map_err(|_| Error::new(ErrorKind::Internal, "the library's text is not valid UTF-8"));
        }
        wipe(&mut buf);
        // SAFETY: `err` is NULL or an error object we now own.
        let error = unsafe { Error::from_raw(status, err) };
        if status == sys::PLEXAUTH_E_INVALID_ARGUMENT && needed >= size && size == initial {
            size = needed + 1; // too small: once more with the size it takes
            continue;
        }
        return Err(error);
    }
}

/// Turns a status and its error object into a Result.
fn status_result(status: sys::plexauth_status, err: *mut sys::plexauth_error) -> Result<()> {
    if status == sys::PLEXAUTH_OK {
        Ok(())
    } else {
        // SAFETY: `err` is NULL or an error object we now own.
        Err(unsafe { Error::from_raw(status, err) })
    }
}

/// A borrowed C string of a live handle as `&str` ("" for NULL or invalid UTF-8).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for `'a`.
unsafe fn borrowed_str<'a>(p: *const c_char) -> &'a str {
    if p.is_null() {
        return "";
    }
    // SAFETY: guaranteed by the caller.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("")
}

/// The application's own keystore for a device key (a system keychain, a
/// secret service, an encrypted database), for
/// [`DeviceKey::load_or_create_with`] and [`DeviceKey::save_with`]. Both are
/// called on the calling thread, at most once per call.
///
/// ```
/// use plexauth::{DeviceKey, KeyStore};
///
/// #[derive(Default)]
/// struct Memory(Option<String>);
///
/// impl KeyStore for Memory {
///     type Error = std::convert::Infallible;
///     fn read(&mut self) -> Result<Option<String>, Self::Error> {
///         Ok(self.0.clone())
///     }
///     fn write(&mut self, pem: &str) -> Result<(), Self::Error> {
///         self.0 = Some(pem.to_owned());
///         Ok(())
///     }
/// }
///
/// let mut store = Memory::default();
/// let (key, created) = DeviceKey::load_or_create_with(&mut store).unwrap();
/// assert!(created);
/// let (again, created) = DeviceKey::load_or_create_with(&mut store).unwrap();
/// assert!(!created && again.id() == key.id());
/// ```
pub trait KeyStore {
    /// The keystore's own error, handed back as [`KeyStoreError::Read`] or
    /// [`KeyStoreError::Write`].
    type Error;

    /// The stored key's PKCS#8 PEM text, or `None` when the keystore holds no
    /// key yet. The returned text is wiped once the library has copied it.
    fn read(&mut self) -> std::result::Result<Option<String>, Self::Error>;

    /// Stores the key's PKCS#8 PEM text. **A secret**, borrowed for the call
    /// only (the library wipes it when this returns): store it, never log it.
    fn write(&mut self, pem: &str) -> std::result::Result<(), Self::Error>;
}

/// A failed [`DeviceKey::load_or_create_with`] or [`DeviceKey::save_with`]:
/// the keystore's own error, or the library's.
#[derive(Debug)]
pub enum KeyStoreError<E> {
    /// [`KeyStore::read`] failed: no key, nothing written.
    Read(E),
    /// [`KeyStore::write`] failed: a new key that could not be stored is not
    /// handed out.
    Write(E),
    /// The library's error: [`ErrorKind::InvalidArgument`] when the stored text
    /// is not an Ed25519 PKCS#8 PEM key (it is never replaced: a registered
    /// device would lose its key); [`ErrorKind::Callback`] when `read` or
    /// `write` panicked (the message carries the panic's) or the text was
    /// refused (a NUL byte, over 64 KiB).
    Plexauth(Error),
}

impl<E> KeyStoreError<E> {
    /// The [`ErrorKind`] of the failure: [`ErrorKind::Callback`] for the
    /// keystore's own errors (the C status).
    pub fn kind(&self) -> ErrorKind {
        match self {
            KeyStoreError::Read(_) | KeyStoreError::Write(_) => ErrorKind::Callback,
            KeyStoreError::Plexauth(e) => e.kind(),
        }
    }
}

impl<E: fmt::Display> fmt::Display for KeyStoreError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyStoreError::Read(e) => write!(f, "the keystore's read failed: {e}"),
            KeyStoreError::Write(e) => write!(f, "the keystore's write failed: {e}"),
            KeyStoreError::Plexauth(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for KeyStoreError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            KeyStoreError::Read(e) | KeyStoreError::Write(e) => Some(e),
            KeyStoreError::Plexauth(e) => Some(e),
        }
    }
}

impl<E> From<Error> for KeyStoreError<E> {
    fn from(e: Error) -> Self {
        KeyStoreError::Plexauth(e)
    }
}

/// What the keystore trampolines see through `user_data`: the store and the
/// first failure of its functions (never unwound into C).
struct StoreState<'s, S: KeyStore> {
    store: &'s mut S,
    failure: Option<KeyStoreError<S::Error>>,
}

impl<S: KeyStore> StoreState<'_, S> {
    /// Runs a keystore function behind the FFI: its error or panic is kept
    /// for the caller, and the C function gets non-zero.
    fn run(&mut self, f: impl FnOnce(&mut S) -> std::result::Result<(), KeyStoreError<S::Error>>) -> c_int {
        let store = &mut *self.store;
        match catch_unwind(AssertUnwindSafe(|| f(store))) {
            Ok(Ok(())) => 0,
            Ok(Err(e)) => {
                self.failure = Some(e);
                1
            }
            Err(payload) => {
                let message = format!("the keystore panicked: {}", panic_message(payload.as_ref()));
                self.failure = Some(KeyStoreError::Plexauth(Error::new(ErrorKind::Callback, message)));
                1
            }
        }
    }

    /// The call's outcome: the keystore's failure first, then the library's.
    fn finish(self, result: Result<()>) -> std::result::Result<(), KeyStoreError<S::Error>> {
        match (self.failure, result) {
            (Some(failure), _) => Err(failure),
            (None, r) => r.map_err(KeyStoreError::Plexauth),
        }
    }
}

unsafe extern "C" fn keystore_read<S: KeyStore>(user_data: *mut c_void, sink: *mut sys::plexauth_key_sink) -> c_int {
    if user_data.is_null() {
        return 1;
    }
    // SAFETY: `user_data` is the StoreState of the call running on this thread.
    let state = unsafe { &mut *user_data.cast::<StoreState<'_, S>>() };
    state.run(|store| {
        let Some(pem) = store.read().map_err(KeyStoreError::Read)? else {
            return Ok(());
        };
        let mut pem = pem.into_bytes();
        // SAFETY: `sink` is valid during this call; the text is copied. A refused
        // text fails the call in the library (PLEXAUTH_E_CALLBACK).
        unsafe { sys::plexauth_key_sink_set(sink, pem.as_ptr().cast(), pem.len()) };
        wipe(&mut pem);
        Ok(())
    })
}

unsafe extern "C" fn keystore_write<S: KeyStore>(user_data: *mut c_void, pem: *const c_char, len: usize) -> c_int {
    if user_data.is_null() || pem.is_null() {
        return 1;
    }
    // SAFETY: `user_data` is the StoreState of the call running on this thread;
    // `pem` points to `len` bytes valid during this call.
    let (state, bytes) =
        unsafe { (&mut *user_data.cast::<StoreState<'_, S>>(), std::slice::from_raw_parts(pem.cast::<u8>(), len)) };
    state.run(|store| {
        let pem = std::str::from_utf8(bytes)
            .map_err(|_| Error::new(ErrorKind::Internal, "the library's PEM text is not valid UTF-8"))?;
        store.write(pem).map_err(KeyStoreError::Write)
    })
}

/// A device's Ed25519 key pair for JWT device authentication (made by
/// OpenSSL). Its public half goes to plex.tv
/// ([`Client::register_device_key`]); its private half signs the device JWTs
/// that plex.tv exchanges for Plex JWTs ([`Client::jwt_login`]). One key per
/// client identifier, never shared between devices.
///
/// Dropping it frees the key, and OpenSSL clears the private half. `Debug`
/// shows only the key's [`id`](Self::id): the private key is reachable through
/// [`to_pem`](Self::to_pem), [`save`](Self::save) and
/// [`save_with`](Self::save_with) alone.
///
/// `Send + Sync`: a key does not change after it was made, and signing with it
/// from several threads at once is fine.
pub struct DeviceKey {
    raw: NonNull<sys::plexauth_device_key>,
}

// SAFETY: a plexauth_device_key is immutable after creation (its id and JWK are
// computed when it is made); every function taking it reads it only.
unsafe impl Send for DeviceKey {}
unsafe impl Sync for DeviceKey {}

impl Drop for DeviceKey {
    fn drop(&mut self) {
        // SAFETY: we own the key; `&mut self` means nothing borrows it.
        unsafe { sys::plexauth_device_key_free(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKey").field("id", &self.id()).finish_non_exhaustive()
    }
}

impl DeviceKey {
    fn from_out(
        what: &str,
        make: impl FnOnce(*mut *mut sys::plexauth_device_key, *mut *mut sys::plexauth_error) -> sys::plexauth_status,
    ) -> Result<DeviceKey> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        let status = make(&mut out, &mut err);
        let raw = NonNull::new(out);
        if status != sys::PLEXAUTH_OK {
            if let Some(raw) = raw {
                // SAFETY: a key returned despite the failure is ours to free.
                unsafe { sys::plexauth_device_key_free(raw.as_ptr()) };
            }
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let raw = raw.ok_or_else(|| Error::new(ErrorKind::Internal, format!("{what} returned no key")))?;
        Ok(DeviceKey { raw })
    }

    /// A new key pair. [`ErrorKind::Internal`] when OpenSSL fails.
    pub fn generate() -> Result<DeviceKey> {
        // SAFETY: the out-parameters are valid.
        Self::from_out("plexauth_device_key_generate", |out, err| unsafe {
            sys::plexauth_device_key_generate(out, err)
        })
    }

    /// Reads a key from unencrypted PKCS#8 PEM text (as [`to_pem`](Self::to_pem)
    /// writes it), e.g. from the application's own keystore. The copy handed
    /// to the library is wiped afterwards. [`ErrorKind::InvalidArgument`] when
    /// it is not an Ed25519 PEM key (the message never quotes the text).
    pub fn from_pem(pem: &str) -> Result<DeviceKey> {
        let pem = SecretCString::new("pem", pem)?;
        // SAFETY: `pem` is a valid C string for the call; the out-parameters are valid.
        Self::from_out("plexauth_device_key_from_pem", |out, err| unsafe {
            sys::plexauth_device_key_from_pem(out, pem.as_ptr(), err)
        })
    }

    /// Reads a key file written by [`save`](Self::save) or
    /// [`load_or_create`](Self::load_or_create). A file that other users may
    /// read is refused with [`ErrorKind::InvalidArgument`], as ssh refuses
    /// such keys; a missing or unreadable file gives [`ErrorKind::Transport`].
    pub fn load(path: impl AsRef<Path>) -> Result<DeviceKey> {
        let path = path_cstring(path.as_ref())?;
        // SAFETY: `path` is a valid C string; the out-parameters are valid.
        Self::from_out("plexauth_device_key_load", |out, err| unsafe {
            sys::plexauth_device_key_load(out, path.as_ptr(), err)
        })
    }

    /// Reads the key file at `path`, or makes a new key and saves it there
    /// (mode 0600, atomically) when there is none. The flag is true when a new
    /// key was made (register it then: [`Client::register_device_key`]).
    pub fn load_or_create(path: impl AsRef<Path>) -> Result<(DeviceKey, bool)> {
        let path = path_cstring(path.as_ref())?;
        let mut created: c_int = 0;
        // SAFETY: `path` is a valid C string; the out-parameters are valid.
        let key = Self::from_out("plexauth_device_key_load_or_create", |out, err| unsafe {
            sys::plexauth_device_key_load_or_create(out, path.as_ptr(), &mut created, err)
        })?;
        Ok((key, created != 0))
    }

    /// Writes the key to `path` as PKCS#8 PEM, mode 0600, atomically (a
    /// temporary file renamed into place). [`ErrorKind::Transport`] when the
    /// file cannot be written.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path_cstring(path.as_ref())?;
        let mut err = ptr::null_mut();
        // SAFETY: the key is live; `path` is a valid C string.
        let status = unsafe { sys::plexauth_device_key_save(self.raw.as_ptr(), path.as_ptr(), &mut err) };
        status_result(status, err)
    }

    /// As [`load_or_create`](Self::load_or_create), with the application's own
    /// keystore instead of a file: calls [`KeyStore::read`] once; when it holds
    /// no key, makes a new key and calls [`KeyStore::write`] once with its PEM
    /// text before returning it. The flag is true when a new key was made
    /// (register it then: [`Client::register_device_key`]).
    ///
    /// The keystore's own errors come back as [`KeyStoreError::Read`] /
    /// [`KeyStoreError::Write`] (no key is returned, a new key that could not
    /// be stored included); a stored text that is not a key is
    /// [`ErrorKind::InvalidArgument`] and is never replaced; a panic in the
    /// keystore is caught at the FFI boundary and returned as
    /// [`ErrorKind::Callback`].
    pub fn load_or_create_with<S: KeyStore>(
        store: &mut S,
    ) -> std::result::Result<(DeviceKey, bool), KeyStoreError<S::Error>> {
        let mut state = StoreState { store, failure: None };
        let user_data = (&mut state as *mut StoreState<'_, S>).cast::<c_void>();
        let mut created: c_int = 0;
        // SAFETY: the trampolines get `user_data` (the state, alive for the call and
        // used on this thread only); the out-parameters are valid.
        let result = Self::from_out("plexauth_device_key_load_or_create_with", |out, err| unsafe {
            sys::plexauth_device_key_load_or_create_with(
                out,
                Some(keystore_read::<S>),
                Some(keystore_write::<S>),
                user_data,
                &mut created,
                err,
            )
        });
        match result {
            Ok(key) => Ok((key, created != 0)),
            Err(e) => Err(state.failure.unwrap_or(KeyStoreError::Plexauth(e))),
        }
    }

    /// Writes the key into the application's own keystore: calls
    /// [`KeyStore::write`] once with the PKCS#8 PEM text
    /// [`to_pem`](Self::to_pem) gives. Its error comes back as
    /// [`KeyStoreError::Write`]; a panic as [`ErrorKind::Callback`].
    pub fn save_with<S: KeyStore>(&self, store: &mut S) -> std::result::Result<(), KeyStoreError<S::Error>> {
        let mut state = StoreState { store, failure: None };
        let user_data = (&mut state as *mut StoreState<'_, S>).cast::<c_void>();
        let mut err = ptr::null_mut();
        // SAFETY: the key is live; `user_data` is the state, alive for the call and used
        // on this thread only.
        let status = unsafe {
            sys::plexauth_device_key_save_with(self.raw.as_ptr(), Some(keystore_write::<S>), user_data, &mut err)
        };
        state.finish(status_result(status, err))
    }

    /// The private key as PKCS#8 PEM text, for a keystore of the
    /// application's own. **A secret**: never log or print it; the library's
    /// buffer is wiped, the returned `String` is the caller's to protect.
    pub fn to_pem(&self) -> Result<String> {
        // SAFETY: the key is live; the buffer arguments come from read_text.
        read_text(256, |buf, size, len, err| unsafe {
            sys::plexauth_device_key_to_pem(self.raw.as_ptr(), buf, size, len, err)
        })
    }

    /// The key's id: its RFC 7638 thumbprint (base64url of SHA-256), the `kid`
    /// of its JWK and of its device JWTs. Not a secret.
    pub fn id(&self) -> &str {
        // SAFETY: the key is live; the id is owned by it and lives as long as `self`.
        unsafe { borrowed_str(sys::plexauth_device_key_id(self.raw.as_ptr())) }
    }

    /// The public JWK as JSON text:
    /// `{"kty":"OKP","crv":"Ed25519","x":...,"use":"sig","alg":"EdDSA","kid":...}`.
    /// Not a secret (no private part).
    pub fn jwk(&self) -> &str {
        // SAFETY: the key is live; the text is owned by it and lives as long as `self`.
        unsafe { borrowed_str(sys::plexauth_device_key_jwk(self.raw.as_ptr())) }
    }

    /// Signs a device JWT: header `{"alg":"EdDSA","typ":"JWT","kid"}`, claims
    /// `nonce` (when given), `scope` (None: the default
    /// `username,email,friendly_name,restricted,anonymous,joinedAt`), `aud`
    /// "plex.tv", `iss` = `client_id` (the X-Plex-Client-Identifier it will be
    /// sent with: plex.tv checks it), `iat` now and `exp` = `iat` + `lifetime`
    /// (whole seconds, 1 s ..= 1 day; plex.tv's clients use 5 minutes).
    ///
    /// [`Client::jwt_login`] signs its own; this is for PIN polling and checks.
    /// The JWT is a credential: never log it. [`ErrorKind::InvalidArgument`]
    /// for an empty `client_id` or a lifetime out of range.
    pub fn sign_jwt(
        &self,
        client_id: &str,
        nonce: Option<&str>,
        scope: Option<&str>,
        lifetime: Duration,
    ) -> Result<String> {
        let client_id = cstring("client_id", client_id)?;
        let nonce = nonce.map(|n| cstring("nonce", n)).transpose()?;
        let scope = scope.map(|s| cstring("scope", s)).transpose()?;
        let lifetime_s = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
        // SAFETY: the key is live; the strings are valid C strings (or NULL); the buffer
        // arguments come from read_text.
        read_text(1024, |buf, size, len, err| unsafe {
            sys::plexauth_device_key_sign_jwt(
                self.raw.as_ptr(),
                client_id.as_ptr(),
                opt_ptr(&nonce),
                opt_ptr(&scope),
                lifetime_s,
                buf,
                size,
                len,
                err,
            )
        })
    }

    pub(crate) fn as_ptr(&self) -> *const sys::plexauth_device_key {
        self.raw.as_ptr().cast_const()
    }
}

impl Client {
    /// Registers the device key with plex.tv using this client's (legacy)
    /// token: `POST {clients.plex.tv}/auth/jwk {"jwk": ...}` (the public JWK
    /// only). Once per key.
    ///
    /// Field reports (docs/jwt.md): the key is bound to the device that owns
    /// the token, and that device's legacy token stops working once a JWT is
    /// issued for it. Use a client identifier of its own for the JWT.
    ///
    /// Errors: [`ErrorKind::Unauthorized`] (a bad token; 422, e.g. the key is
    /// registered by another device), or a call's usual errors.
    pub fn register_device_key(&self, key: &DeviceKey) -> Result<()> {
        self.register_device_key_with(key, &CallOptions::default())
    }

    /// [`register_device_key`](Self::register_device_key) with call options.
    pub fn register_device_key_with(&self, key: &DeviceKey, opts: &CallOptions) -> Result<()> {
        // SAFETY: the client, the key and the options are live for the call.
        self.run_no_result(opts, |client, o, err| unsafe {
            sys::plexauth_client_register_device_key(client, key.as_ptr(), o, err)
        })
    }

    /// Gets a Plex JWT (valid 7 days) for this device: a nonce, a device JWT
    /// signed with the registered `key` (its `iss` is this client's client
    /// identifier), and the exchange. Works before and after the last JWT
    /// expired: this is also the refresh. Sends no token. `scope`: the claims
    /// to ask for (None: the default, see [`DeviceKey::sign_jwt`]).
    ///
    /// The Plex JWT is [`JwtToken::auth_token`] (hidden by `Debug`); use it as
    /// the access token for plex.tv, not for Plex Media Server (which refuses
    /// JWTs as of 2026). To keep one fresh, use a [`JwtSession`].
    ///
    /// Errors: [`ErrorKind::JwtIssuerMismatch`] (Plex code 1097),
    /// [`ErrorKind::Unauthorized`] (422: signature or nonce refused, key not
    /// registered), [`ErrorKind::TokenExpired`] (498),
    /// [`ErrorKind::RateLimited`], [`ErrorKind::InvalidArgument`] (no client
    /// identifier), or a call's usual errors.
    pub fn jwt_login(&self, key: &DeviceKey, scope: Option<&str>) -> Result<JwtToken> {
        self.jwt_login_with(key, scope, &CallOptions::default())
    }

    /// [`jwt_login`](Self::jwt_login) with call options (for both requests).
    pub fn jwt_login_with(&self, key: &DeviceKey, scope: Option<&str>, opts: &CallOptions) -> Result<JwtToken> {
        let scope = scope.map(|s| cstring("scope", s)).transpose()?;
        self.run(
            opts,
            // SAFETY: every pointer is valid for the call.
            |out, client, o, err| unsafe {
                sys::plexauth_client_jwt_login(out, client, key.as_ptr(), opt_ptr(&scope), o, err)
            },
            JwtToken::from_raw,
        )
    }

    /// [`jwt_login`](Self::jwt_login), non-blocking: a [`CallFuture`] run on the client's loop
    /// (any async runtime). The nonce request and the exchange run one after the other on the
    /// loop (`plexauth_client_jwt_login_start`); the call keeps its own reference to the key,
    /// so `key` may be dropped once this returns. Dropping the future cancels whichever request
    /// is in flight.
    pub fn jwt_login_async(&self, key: &DeviceKey, scope: Option<&str>) -> CallFuture<'_, JwtToken> {
        self.jwt_login_with_async(key, scope, &CallOptions::default())
    }

    /// [`jwt_login_with`](Self::jwt_login_with), non-blocking: a [`CallFuture`] run on the loop of
    /// [`CallOptions::on_loop`] or the client's own; dropping it cancels the call.
    pub fn jwt_login_with_async(
        &self,
        key: &DeviceKey,
        scope: Option<&str>,
        opts: &CallOptions,
    ) -> CallFuture<'_, JwtToken> {
        let scope = try_start!(scope.map(|s| cstring("scope", s)).transpose());
        self.start_call(
            opts,
            // SAFETY: every pointer is valid for the call; the library copies the scope and the
            // options and takes its own reference to the key.
            |call, client, o, l, done, ud, err| unsafe {
                sys::plexauth_client_jwt_login_start(call, client, key.as_ptr(), opt_ptr(&scope), o, l, done, ud, err)
            },
            finish_result(sys::plexauth_client_jwt_login_finish, JwtToken::from_raw),
        )
    }

    /// Verifies a Plex JWT against plex.tv's published keys (read with
    /// `get_jwks`, cached for an hour, read again once when the JWT names a key
    /// it does not know: plex.tv rotates them): EdDSA, the signature, `iss`
    /// and `aud`, `exp` and `iat` (60 s leeway) and, given `key`, that it was
    /// issued for that device key (its `thumbprint` claim). Returns its `exp`
    /// (Unix seconds).
    ///
    /// Errors: [`ErrorKind::TokenExpired`], [`ErrorKind::JwtInvalid`] (the
    /// message names the failed check: `malformed`, `algorithm`,
    /// `unknown_key`, `signature`, `issuer`, `audience`, `not_yet_valid`,
    /// `thumbprint`, `missing_claim`; never the JWT), or the errors of reading
    /// the keys.
    pub fn jwt_verify(&self, jwt: &str, key: Option<&DeviceKey>) -> Result<i64> {
        self.jwt_verify_with(jwt, key, &CallOptions::default())
    }

    /// [`jwt_verify`](Self::jwt_verify) with call options (for reading the keys).
    pub fn jwt_verify_with(&self, jwt: &str, key: Option<&DeviceKey>, opts: &CallOptions) -> Result<i64> {
        let jwt = SecretCString::new("jwt", jwt)?;
        let key = key.map_or(ptr::null(), DeviceKey::as_ptr);
        let mut expires_at = 0i64;
        // SAFETY: every pointer is valid for the call.
        self.run_no_result(opts, |client, o, err| unsafe {
            sys::plexauth_client_jwt_verify(client, jwt.as_ptr(), key, &mut expires_at, o, err)
        })?;
        Ok(expires_at)
    }
}

impl Client {
    /// Creates a PIN that carries `key`'s public JWK (PIN or hosted login with
    /// the device key alone, no legacy token): the generated
    /// [`create_jwk_pin`](Self::create_jwk_pin) with [`DeviceKey::jwk`]. A
    /// 4-character code for plex.tv/link (15 minutes). Wait for it with
    /// [`wait_for_jwk_pin`](Self::wait_for_jwk_pin) and the same key and client
    /// identifier. Sends no token.
    pub fn create_jwk_pin_for_key(&self, key: &DeviceKey) -> Result<Pin> {
        self.create_jwk_pin_for_key_with(key, false, &CallOptions::default())
    }

    /// [`create_jwk_pin_for_key`](Self::create_jwk_pin_for_key) with `strong`
    /// (true: a 25-character code for the hosted login page,
    /// [`login_url`](Self::login_url), living 30 minutes) and call options.
    pub fn create_jwk_pin_for_key_with(&self, key: &DeviceKey, strong: bool, opts: &CallOptions) -> Result<Pin> {
        self.create_jwk_pin_with(key.jwk(), strong, opts)
    }

    /// Waits until the user approves JWK PIN `id` (made with `key`'s JWK:
    /// [`create_jwk_pin_for_key`](Self::create_jwk_pin_for_key)) and returns
    /// it: its `auth_token` is then a Plex JWT for this device key (check it
    /// with [`jwt_verify`](Self::jwt_verify)), and plex.tv has registered the
    /// key for the account, so a [`JwtSession`] with the same key refreshes it
    /// from then on without [`register_device_key`](Self::register_device_key).
    ///
    /// Polls `GET {clients.plex.tv}/pins/{id}?deviceJWT=...` with a device JWT
    /// signed by `key` (a fresh nonce, 5 minutes' life), signing a new one
    /// every 4 minutes of the wait; the device JWT is redacted from every log
    /// line and message. Otherwise as [`wait_for_pin`](Self::wait_for_pin):
    /// `wait`'s interval, timeout and progress closure, the same client
    /// identifier as the PIN's creator, blocks the calling thread.
    ///
    /// Errors: those of [`wait_for_pin`](Self::wait_for_pin), a nonce
    /// request's own, and [`ErrorKind::Unauthorized`] when plex.tv refuses
    /// the device JWT (422: not signed by the PIN's key).
    pub fn wait_for_jwk_pin(&self, id: i64, key: &DeviceKey, wait: PinWait<'_>) -> Result<Pin> {
        self.wait_for_jwk_pin_with(id, key, wait, &CallOptions::default())
    }

    /// [`wait_for_jwk_pin`](Self::wait_for_jwk_pin) with call options (for
    /// every request): a [`CancelToken`](crate::CancelToken), a per-request
    /// timeout, a retry policy, identity.
    pub fn wait_for_jwk_pin_with(
        &self,
        id: i64,
        key: &DeviceKey,
        wait: PinWait<'_>,
        opts: &CallOptions,
    ) -> Result<Pin> {
        self.run_pin_wait(wait, opts, |out, client, poll_ms, timeout_ms, callback, user_data, o, err| {
            // SAFETY: every pointer is valid for the call (see run_pin_wait); the key outlives it.
            unsafe {
                sys::plexauth_client_wait_for_jwk_pin(
                    out,
                    client,
                    id,
                    key.as_ptr(),
                    poll_ms,
                    timeout_ms,
                    callback,
                    user_data,
                    o,
                    err,
                )
            }
        })
    }
}

/// A Plex JWT handed out by [`JwtSession::token`]. `Debug` hides the JWT; the
/// library's copy of it is wiped, this one is the caller's to protect.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionJwt {
    /// The Plex JWT: the access token for plex.tv. A secret.
    pub jwt: String,
    /// Its `exp` claim (Unix seconds).
    pub expires_at: i64,
}

impl fmt::Debug for SessionJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionJwt").field("jwt", &"<redacted>").field("expires_at", &self.expires_at).finish()
    }
}

/// The C session plus the client its refreshes use (kept alive as long as the
/// session: the C session borrows it).
struct SessionInner {
    raw: NonNull<sys::plexauth_jwt_session>,
    // Dropped after Drop::drop has freed the C session.
    _client: Arc<Client>,
}

// SAFETY: the header says plexauth_jwt_session_token and _invalidate may be
// called from any thread at once; the session is freed only when the last
// reference is dropped (no other thread uses it then). The client is Send + Sync.
unsafe impl Send for SessionInner {}
unsafe impl Sync for SessionInner {}

impl Drop for SessionInner {
    fn drop(&mut self) {
        // SAFETY: the last reference: no thread uses the session; it wipes its JWT.
        unsafe { sys::plexauth_jwt_session_free(self.raw.as_ptr()) }
    }
}

/// A refreshing source of Plex JWTs for one device key: [`token`](Self::token)
/// hands out the current JWT and first gets a new one
/// ([`Client::jwt_login`]) when there is none or less than the margin is left.
/// Any number of threads may ask at once: one refreshes, the others wait for it
/// and get its JWT, or its error (a failed refresh is not repeated by each
/// waiter).
///
/// Give it to [`ClientBuilder::jwt_session`](crate::ClientBuilder::jwt_session)
/// and every call of the clients built there sends the current JWT. The
/// session keeps the client it refreshes with (an `Arc`), and every client
/// using it as its token keeps the session, so neither is freed too early.
///
/// `Send + Sync`; clones share one session. Dropping the last clone (and the
/// last client using it) frees it and wipes its JWT.
#[derive(Clone)]
pub struct JwtSession(Arc<SessionInner>);

impl fmt::Debug for JwtSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JwtSession").finish_non_exhaustive()
    }
}

impl JwtSession {
    /// A session refreshing with `client` (its client identifier is the device
    /// JWT's `iss`; nonce and exchange send no token) and `key` (registered;
    /// copied). Refreshes when less than `margin` is left (whole seconds, up to
    /// 7 days); `Duration::ZERO`: one day. [`ErrorKind::InvalidArgument`] for a
    /// margin out of range or a client without a client identifier. Sends
    /// nothing yet.
    pub fn new(client: Arc<Client>, key: &DeviceKey, margin: Duration) -> Result<JwtSession> {
        let margin_s = i64::try_from(margin.as_secs()).unwrap_or(i64::MAX);
        if !margin.is_zero() && margin_s == 0 {
            return Err(Error::new(ErrorKind::InvalidArgument, "margin must be at least one second"));
        }
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: the client and the key are live; the key is copied; the client is kept below.
        let status =
            unsafe { sys::plexauth_jwt_session_new(&mut out, client.as_ptr(), key.as_ptr(), margin_s, &mut err) };
        let raw = NonNull::new(out);
        if status != sys::PLEXAUTH_OK {
            if let Some(raw) = raw {
                // SAFETY: a session returned despite the failure is ours to free.
                unsafe { sys::plexauth_jwt_session_free(raw.as_ptr()) };
            }
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let raw = raw.ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_jwt_session_new returned NULL"))?;
        Ok(JwtSession(Arc::new(SessionInner { raw, _client: client })))
    }

    /// The current Plex JWT and its expiry, refreshed first when needed
    /// (single-flight; blocks the calling thread while it refreshes). Errors:
    /// the refresh's (see [`Client::jwt_login`]), also for the threads that
    /// waited for it.
    pub fn token(&self) -> Result<SessionJwt> {
        let mut expires_at = 0i64;
        let raw = self.0.raw.as_ptr();
        // SAFETY: the session is live; the buffer arguments come from read_text.
        let jwt = read_text(4096, |buf, size, len, err| unsafe {
            sys::plexauth_jwt_session_token(raw, buf, size, len, &mut expires_at, err)
        })?;
        Ok(SessionJwt { jwt, expires_at })
    }

    /// Forgets the current JWT, so that the next [`token`](Self::token) (or
    /// call of a client using the session) refreshes: after plex.tv answered
    /// [`ErrorKind::TokenExpired`] to it (it can expire JWTs early). Any thread.
    pub fn invalidate(&self) {
        // SAFETY: the session is live.
        unsafe { sys::plexauth_jwt_session_invalidate(self.0.raw.as_ptr()) }
    }

    /// Hands the session to a config as its token provider
    /// (`plexauth_jwt_session_provider`); the config (and every client made
    /// from it) keeps a reference until the library destroys the provider.
    pub(crate) fn install(&self, cfg: *mut sys::plexauth_config) -> Result<()> {
        let user_data = Arc::into_raw(Arc::clone(&self.0)).cast_mut().cast::<c_void>();
        // SAFETY: `cfg` is live; the reference passes to the library, released by session_destroy.
        let status = unsafe {
            sys::plexauth_config_set_token_provider(cfg, Some(session_provider), user_data, Some(session_destroy))
        };
        // On failure the header does not say whether `destroy` ran: the
        // reference is leaked rather than risk a double release (OOM only).
        crate::util::check("jwt_session", status)
    }
}

unsafe extern "C" fn session_provider(user_data: *mut c_void, sink: *mut sys::plexauth_token_sink) -> c_int {
    if user_data.is_null() {
        return 1;
    }
    // SAFETY: `user_data` is the reference installed by JwtSession::install, alive until session_destroy.
    let inner = unsafe { &*user_data.cast::<SessionInner>() };
    // SAFETY: the C provider takes the session as its user_data; `sink` is valid for this call.
    unsafe { sys::plexauth_jwt_session_provider(inner.raw.as_ptr().cast(), sink) }
}

unsafe extern "C" fn session_destroy(user_data: *mut c_void) {
    if user_data.is_null() {
        return;
    }
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: called once by the library with the pointer of Arc::into_raw in install.
        drop(unsafe { Arc::from_raw(user_data.cast::<SessionInner>().cast_const()) });
    }));
}
