//! Plex authentication over libplexauth's C ABI: sign in (with 2FA) or with a
//! PIN, link a code, sign out, switch to a Plex Home user, look up the account
//! behind a token, ping plex.tv to check and keep a token alive, get a
//! transient token from a Plex Media Server and a source's connection details, list
//! the account's servers and find a working connection to one ([`Client::connect`]),
//! and authenticate a device with its own key and short-lived Plex JWTs
//! ([`DeviceKey`], [`Client::jwt_login`], [`JwtSession`]).
//!
//! Build a [`Client`] with [`Client::builder`], call its methods, and match on
//! [`Error::kind`] when something fails. Results are owned structs
//! ([`Account`], [`Pin`], [`Pong`], [`TransientToken`], [`SourceInfo`]) with `Option`
//! for absent fields and the raw HTTP response attached. The models, the
//! operations taking plain arguments and [`ErrorKind`] are generated from the
//! API description (codegen/api.py).
//!
//! # Sign-in with two-factor authentication
//!
//! This example runs against the test server when `PLEXAUTH_FAKE` names the
//! `plexauth-fake` program (as in the crate's test setup); otherwise it stops
//! right away, as there is nothing to talk to.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # struct Fake(std::process::Child);
//! # impl Drop for Fake { fn drop(&mut self) { let _ = self.0.kill(); let _ = self.0.wait(); } }
//! # let Some(program) = std::env::var_os("PLEXAUTH_FAKE") else { return Ok(()) };
//! # let port_file = std::env::temp_dir().join(format!("plexauth-doctest-{}.port", std::process::id()));
//! # let _ = std::fs::remove_file(&port_file);
//! # let _fake = Fake(std::process::Command::new(program)
//! #     .args(["--host", "127.0.0.1", "--port", "0", "--max-seconds", "60", "--port-file"]).arg(&port_file)
//! #     .stdout(std::process::Stdio::null()).spawn()?);
//! # let mut port = String::new();
//! # for _ in 0..200 {
//! #     port = std::fs::read_to_string(&port_file).unwrap_or_default().trim().to_string();
//! #     if !port.is_empty() { break }
//! #     std::thread::sleep(std::time::Duration::from_millis(50));
//! # }
//! # let plex_tv_url = format!("http://127.0.0.1:{port}/api/v2");
//! use plexauth::{Client, ErrorKind, SignIn};
//!
//! let client = Client::builder()
//!     .client_id("3381b62b-9ab7-4e37-827b-203e9809eb58") // one stable value per installation
//!     .client_name("My Plex Tool")
//!     .plex_tv_url(&plex_tv_url) // leave out to talk to plex.tv
//!     .build()?;
//!
//! let request = SignIn::new("user12345@example.com", "hunter2-secret");
//! let account = match client.sign_in(&request) {
//!     Ok(account) => account,
//!     Err(e) if e.kind() == ErrorKind::TwoFactorRequired => {
//!         let code = "123456"; // ask the user
//!         client.sign_in(&request.verification_code(code))?
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! assert_eq!(account.id, Some(475829302));
//! let token = account.auth_token.expect("a signed-in account has a token");
//!
//! // Later, with the saved token: whose token is it?
//! let client = Client::builder().access_token(token).plex_tv_url(&plex_tv_url).build()?;
//! let me = client.get_token_details()?;
//! assert_eq!(me.username.as_deref(), Some("user12345"));
//! # let _ = std::fs::remove_file(&port_file);
//! # Ok(())
//! # }
//! ```
//!
//! # Threads and callbacks
//!
//! [`Client`], [`CancelToken`], [`DeviceKey`] and [`JwtSession`] are `Send +
//! Sync`. The token provider and log closures run on the thread making the
//! request; a panic inside them is caught at the FFI boundary and never
//! unwinds into C.

// The *_gen modules are written by codegen/emit_rust.py from codegen/api.py
// (`cargo fmt` leaves them as generated, so that `generate.py --check` holds).
mod client;
mod config;
mod connect;
mod error;
#[rustfmt::skip]
mod error_kind_gen;
mod future;
mod jwt;
#[rustfmt::skip]
mod identity_gen;
mod login;
mod models;
#[rustfmt::skip]
mod models_gen;
#[rustfmt::skip]
mod operations_gen;
mod options;
mod util;

pub use client::Client;
pub use config::{ClientBuilder, LogLevel, RetryPolicy};
pub use connect::{ConnectAttempt, ConnectCache, ConnectOptions, ConnectResult, Location, Outcome};
pub use error::{Error, ErrorKind, PlexError, Result};
pub use future::{CallFuture, Loop};
pub use jwt::{DeviceKey, JwtSession, KeyStore, KeyStoreError, SessionJwt};
pub use login::{client_id_load_or_create, PinWait};
pub use models::RawResponse;
// Every model of codegen/api.py (Account, Billing, Connection, PastSubscription,
// Pin, Pong, Profile, Service, SourceInfo, Subscription, TransientToken, ...).
pub use models_gen::*;
pub use options::{CallOptions, CancelToken, SignIn};

/// The version of the libplexauth loaded at run time, e.g. "0.2.0".
pub fn library_version() -> String {
    // SAFETY: plexauth_version returns a static string and accepts NULL out-params.
    let v = unsafe { plexauth_sys::plexauth_version(std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut()) };
    // SAFETY: a static NUL-terminated string (or NULL).
    unsafe { util::opt_string(v) }.unwrap_or_default()
}

/// Compiles the README's examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
