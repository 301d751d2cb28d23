//! Connecting to a server (plexauth.h, "Connecting to a server"): [`Client::connect`] races the
//! connections of a device of [`Client::list_resources`] and returns the best one that answers
//! as that server.
//!
//! A [`Resource`] is an owned copy (its C object belongs to the [`Resources`](crate::Resources)
//! result, which the device does not keep), so `connect` hands it back to the library the way
//! plexauth.h offers for a saved device: it writes the device as its wire JSON (every field, under
//! plex.tv's member names), reads that with `plexauth_resources_from_json("[...]")` and passes the
//! one device to `plexauth_client_connect` (or `_start`). The JSON buffer, which holds the
//! device's access token, is wiped. The result is read from `plexauth_connect_result_json`.

use std::fmt;
use std::path::Path;
use std::ptr::{self, NonNull};
use std::sync::Arc;
use std::time::Duration;

use plexauth_sys as sys;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::future::{try_start, CallFuture};
use crate::models::redacted;
use crate::models_gen::{Connection, Resource};
use crate::options::{CallOptions, CancelToken};
use crate::util::{borrowed_bytes, check, cstring, wipe, Owned};

/// Where a connection of a server is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// The server's LAN addresses.
    Local,
    /// Its public addresses.
    Remote,
    /// plex.tv's relay (bandwidth-limited: tried last).
    Relay,
}

impl Location {
    fn bit(self) -> u32 {
        match self {
            Location::Local => sys::PLEXAUTH_LOCATION_LOCAL,
            Location::Remote => sys::PLEXAUTH_LOCATION_REMOTE,
            Location::Relay => sys::PLEXAUTH_LOCATION_RELAY,
        }
    }

    fn from_name(name: &str) -> Option<Location> {
        match name {
            "local" => Some(Location::Local),
            "remote" => Some(Location::Remote),
            "relay" => Some(Location::Relay),
            _ => None,
        }
    }
}

/// What happened to one candidate connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Outcome {
    /// It answered as the server.
    Ok,
    /// It failed: see [`ConnectAttempt::status`] and [`ConnectAttempt::message`].
    Failed,
    /// It was still running when the connect ended.
    Abandoned,
    /// It was not tried (the connect ended first).
    NotTried,
}

/// How [`Client::connect`] races a server's connections. The defaults: every location, https
/// and http, a 250 ms stagger, a 100 ms grace window, a 10 s deadline, no cache, no cancel token.
#[derive(Clone, Debug, Default)]
pub struct ConnectOptions {
    locations: Option<Vec<Location>>,
    schemes: Option<(bool, bool)>,
    stagger: Option<Duration>,
    grace: Option<Duration>,
    deadline: Option<Duration>,
    cache: Option<ConnectCache>,
    cancel: Option<CancelToken>,
}

impl ConnectOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The locations to try (at least one).
    pub fn locations(mut self, locations: &[Location]) -> Self {
        self.locations = Some(locations.to_vec());
        self
    }

    /// The schemes to try: https (the connection's uri, often a *.plex.direct name) and plain
    /// http (http://address:port, never for a server that requires https); not both false.
    pub fn schemes(mut self, https: bool, http: bool) -> Self {
        self.schemes = Some((https, http));
        self
    }

    /// The head start of each probe over the next (which starts then, or as soon as the one
    /// before fails): 0 (all at once) .. 60 s.
    pub fn stagger(mut self, d: Duration) -> Self {
        self.stagger = Some(d);
        self
    }

    /// How long a success waits for a more preferred candidate still being probed: 0 .. 60 s.
    pub fn grace(mut self, d: Duration) -> Self {
        self.grace = Some(d);
        self
    }

    /// The limit on the whole connect (1 ms .. 10 min): probes still running then are abandoned.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// Remember what worked: the server's last good uri is tried first, and the winner is stored.
    pub fn cache(mut self, cache: &ConnectCache) -> Self {
        self.cache = Some(cache.clone());
        self
    }

    /// A token that stops the connect (and its probes) with [`ErrorKind::Cancelled`].
    pub fn cancel(mut self, token: &CancelToken) -> Self {
        self.cancel = Some(token.clone());
        self
    }

    fn to_raw(&self) -> Result<Owned<sys::plexauth_connect_options>> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid out-params.
        let status = unsafe { sys::plexauth_connect_options_new(&mut out, &mut err) };
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let o = Owned::from_raw(out, sys::plexauth_connect_options_free)
            .ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_connect_options_new returned NULL"))?;
        let p = o.as_ptr();
        let ms = |what: &str, d: Duration| {
            i64::try_from(d.as_millis())
                .map_err(|_| Error::new(ErrorKind::InvalidArgument, format!("{what} is too long")))
        };
        // SAFETY (every setter below): `p` is live; the values are copied or shared by the library.
        if let Some(locations) = &self.locations {
            let mask = locations.iter().fold(0, |m, l| m | l.bit());
            check("locations", unsafe { sys::plexauth_connect_options_set_locations(p, mask) })?;
        }
        if let Some((https, http)) = self.schemes {
            check("schemes", unsafe {
                sys::plexauth_connect_options_set_schemes(p, i32::from(https), i32::from(http))
            })?;
        }
        if let Some(d) = self.stagger {
            check("stagger", unsafe { sys::plexauth_connect_options_set_stagger_ms(p, ms("stagger", d)?) })?;
        }
        if let Some(d) = self.grace {
            check("grace", unsafe { sys::plexauth_connect_options_set_grace_ms(p, ms("grace", d)?) })?;
        }
        if let Some(d) = self.deadline {
            // A non-zero deadline under 1 ms is 1 ms, never 0 (which the library refuses).
            let v = if d.is_zero() { 0 } else { ms("deadline", d)?.max(1) };
            check("deadline", unsafe { sys::plexauth_connect_options_set_deadline_ms(p, v) })?;
        }
        if let Some(cache) = &self.cache {
            check("cache", unsafe { sys::plexauth_connect_options_set_cache(p, cache.as_ptr()) })?;
        }
        if let Some(token) = &self.cancel {
            check("cancel", unsafe { sys::plexauth_connect_options_set_cancel(p, token.as_ptr()) })?;
        }
        Ok(o)
    }
}

/// Remembered good connections, one per server (machineIdentifier -> uri). `Send + Sync`;
/// clones share the cache (give the same one to many connects, clients and threads).
#[derive(Clone)]
pub struct ConnectCache(Arc<CacheHandle>);

struct CacheHandle(NonNull<sys::plexauth_connect_cache>);

// SAFETY: plexauth.h says the cache is thread-safe; it is reference-counted inside the library
// (options holding it keep it alive).
unsafe impl Send for CacheHandle {}
unsafe impl Sync for CacheHandle {}

impl Drop for CacheHandle {
    fn drop(&mut self) {
        // SAFETY: the last owner on the Rust side.
        unsafe { sys::plexauth_connect_cache_free(self.0.as_ptr()) }
    }
}

impl ConnectCache {
    /// An empty cache.
    pub fn new() -> Result<ConnectCache> {
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: valid out-params.
        let status = unsafe { sys::plexauth_connect_cache_new(&mut out, &mut err) };
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let raw = NonNull::new(out)
            .ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_connect_cache_new returned NULL"))?;
        Ok(ConnectCache(Arc::new(CacheHandle(raw))))
    }

    /// Replaces the content with a file written by [`save`](Self::save); a missing file is an
    /// empty cache. Errors: [`ErrorKind::Transport`] (unreadable), [`ErrorKind::MalformedResponse`]
    /// (not a cache file), [`ErrorKind::InvalidArgument`] (a path that is not UTF-8, ...).
    pub fn load(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = path_cstring(path.as_ref())?;
        let mut err = ptr::null_mut();
        // SAFETY: the cache is live; `p` outlives the call.
        let status = unsafe { sys::plexauth_connect_cache_load(self.as_ptr(), p.as_ptr(), &mut err) };
        // SAFETY: `err` is NULL or an error object we now own.
        (status == sys::PLEXAUTH_OK).then_some(()).ok_or_else(|| unsafe { Error::from_raw(status, err) })
    }

    /// Writes the cache to a file atomically (a temporary file renamed into place), mode 0600.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = path_cstring(path.as_ref())?;
        let mut err = ptr::null_mut();
        // SAFETY: the cache is live; `p` outlives the call.
        let status = unsafe { sys::plexauth_connect_cache_save(self.as_ptr(), p.as_ptr(), &mut err) };
        // SAFETY: `err` is NULL or an error object we now own.
        (status == sys::PLEXAUTH_OK).then_some(()).ok_or_else(|| unsafe { Error::from_raw(status, err) })
    }

    /// The number of servers remembered.
    pub fn len(&self) -> usize {
        // SAFETY: the cache is live while `self` is.
        unsafe { sys::plexauth_connect_cache_size(self.as_ptr()) }
    }

    /// Whether no server is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn as_ptr(&self) -> *mut sys::plexauth_connect_cache {
        self.0 .0.as_ptr()
    }
}

impl fmt::Debug for ConnectCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectCache").field("len", &self.len()).finish()
    }
}

fn path_cstring(path: &Path) -> Result<std::ffi::CString> {
    let s = path.to_str().ok_or_else(|| Error::new(ErrorKind::InvalidArgument, "path is not valid UTF-8"))?;
    cstring("path", s)
}

/// The connection [`Client::connect`] chose, and what happened to every candidate.
/// `Debug` hides the access token.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectResult {
    /// The chosen base URI: use it as the server URL ([`CallOptions::server_url`]).
    pub uri: String,
    /// The server's machineIdentifier (the resource's clientIdentifier, as the server confirmed).
    pub machine_identifier: String,
    /// The server's name (the resource's).
    pub name: String,
    /// The server's version, as its /identity answered ("" when not sent).
    pub version: String,
    /// The token to use with the server: the resource's accessToken; None when it had none (an
    /// owned server: use the account's token).
    pub access_token: Option<String>,
    /// The time the connect took.
    pub elapsed: Duration,
    /// The candidates, in preference order (tried or not).
    pub attempts: Vec<ConnectAttempt>,
}

impl fmt::Debug for ConnectResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectResult")
            .field("uri", &self.uri)
            .field("machine_identifier", &self.machine_identifier)
            .field("name", &self.name)
            .field("version", &self.version)
            .field("access_token", &redacted(&self.access_token))
            .field("elapsed", &self.elapsed)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// One candidate connection of a connect.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectAttempt {
    /// The URI probed.
    pub uri: String,
    /// Where it is.
    pub location: Location,
    /// An https URI.
    pub https: bool,
    /// An IPv6 address.
    pub ipv6: bool,
    /// The cache's uri for the server (tried first).
    pub remembered: bool,
    /// What happened to it.
    pub outcome: Outcome,
    /// Why a failed candidate failed ([`ErrorKind::MalformedResponse`]: another server
    /// answered); None when it did not fail.
    pub status: Option<ErrorKind>,
    /// The HTTP status of its answer, when one came.
    pub http_status: Option<u16>,
    /// When its probe started, from the start of the connect; None when it did not start.
    pub started: Option<Duration>,
    /// How long its probe took; None when it did not finish.
    pub elapsed: Option<Duration>,
    /// A failed candidate's error message.
    pub message: Option<String>,
}

impl ConnectResult {
    /// Reads `plexauth_connect_result_json`.
    fn from_json(json: &[u8]) -> Result<ConnectResult> {
        let bad = || Error::new(ErrorKind::Internal, "the library's connect result could not be read");
        let v: Value = serde_json::from_slice(json).map_err(|_| bad())?;
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
        let b = |v: &Value, k: &str| v.get(k).and_then(Value::as_bool).unwrap_or(false);
        let ms = |v: &Value, k: &str| {
            v.get(k).and_then(Value::as_i64).and_then(|m| u64::try_from(m).ok()).map(Duration::from_millis)
        };
        let attempts = v.get("attempts").and_then(Value::as_array).ok_or_else(bad)?;
        Ok(ConnectResult {
            uri: s(&v, "uri").ok_or_else(bad)?,
            machine_identifier: s(&v, "machineIdentifier").unwrap_or_default(),
            name: s(&v, "name").unwrap_or_default(),
            version: s(&v, "version").unwrap_or_default(),
            access_token: s(&v, "accessToken"),
            elapsed: ms(&v, "elapsedMs").unwrap_or_default(),
            attempts: attempts
                .iter()
                .map(|a| {
                    let status = s(a, "status").unwrap_or_default();
                    Ok(ConnectAttempt {
                        uri: s(a, "uri").unwrap_or_default(),
                        location: s(a, "location").as_deref().and_then(Location::from_name).ok_or_else(bad)?,
                        https: b(a, "https"),
                        ipv6: b(a, "ipv6"),
                        remembered: b(a, "remembered"),
                        outcome: match s(a, "outcome").as_deref() {
                            Some("ok") => Outcome::Ok,
                            Some("failed") => Outcome::Failed,
                            Some("abandoned") => Outcome::Abandoned,
                            Some("not_tried") => Outcome::NotTried,
                            _ => return Err(bad()),
                        },
                        status: (status != "ok").then(|| kind_named(&status)),
                        http_status: a
                            .get("httpStatus")
                            .and_then(Value::as_u64)
                            .and_then(|h| u16::try_from(h).ok())
                            .filter(|h| *h != 0),
                        started: ms(a, "startedMs"),
                        elapsed: ms(a, "elapsedMs"),
                        message: s(a, "message").filter(|m| !m.is_empty()),
                    })
                })
                .collect::<Result<_>>()?,
        })
    }
}

/// The kind named by `plexauth_status_name` (an unknown name: `Unknown(-1)`).
fn kind_named(name: &str) -> ErrorKind {
    (1..=64).map(ErrorKind::from_code).find(|k| k.name() == name).unwrap_or(ErrorKind::Unknown(-1))
}

/// A device as plex.tv's JSON (only the fields present). The destructuring names every field, so
/// a field added to the model does not build here until it is written too.
fn resource_json(r: &Resource) -> Value {
    let Resource {
        name,
        product,
        product_version,
        platform,
        platform_version,
        device,
        client_identifier,
        created_at,
        last_seen_at,
        provides,
        owner_id,
        source_title,
        public_address,
        access_token,
        owned,
        home,
        synced,
        relay,
        presence,
        https_required,
        public_address_matches,
        dns_rebinding_protection,
        nat_loopback_supported,
        connections,
    } = r;
    let mut m = Map::new();
    put(&mut m, "name", name);
    put(&mut m, "product", product);
    put(&mut m, "productVersion", product_version);
    put(&mut m, "platform", platform);
    put(&mut m, "platformVersion", platform_version);
    put(&mut m, "device", device);
    put(&mut m, "clientIdentifier", client_identifier);
    put(&mut m, "createdAt", created_at);
    put(&mut m, "lastSeenAt", last_seen_at);
    put(&mut m, "provides", provides);
    put(&mut m, "ownerId", owner_id);
    put(&mut m, "sourceTitle", source_title);
    put(&mut m, "publicAddress", public_address);
    put(&mut m, "accessToken", access_token);
    put(&mut m, "owned", owned);
    put(&mut m, "home", home);
    put(&mut m, "synced", synced);
    put(&mut m, "relay", relay);
    put(&mut m, "presence", presence);
    put(&mut m, "httpsRequired", https_required);
    put(&mut m, "publicAddressMatches", public_address_matches);
    put(&mut m, "dnsRebindingProtection", dns_rebinding_protection);
    put(&mut m, "natLoopbackSupported", nat_loopback_supported);
    m.insert("connections".into(), Value::Array(connections.iter().map(connection_json).collect()));
    Value::Object(m)
}

fn connection_json(c: &Connection) -> Value {
    let Connection { protocol, address, port, uri, local, relay, ipv6 } = c;
    let mut m = Map::new();
    put(&mut m, "protocol", protocol);
    put(&mut m, "address", address);
    put(&mut m, "port", port);
    put(&mut m, "uri", uri);
    put(&mut m, "local", local);
    put(&mut m, "relay", relay);
    put(&mut m, "IPv6", ipv6);
    Value::Object(m)
}

fn put<T: Clone + Into<Value>>(m: &mut Map<String, Value>, key: &str, v: &Option<T>) {
    if let Some(v) = v {
        m.insert(key.into(), v.clone().into());
    }
}

fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a.iter().any(has_nul),
        Value::Object(m) => m.values().any(has_nul),
        _ => false,
    }
}

/// The device as a one-device `plexauth_resources` (read from its JSON, which is wiped).
fn resource_to_raw(r: &Resource) -> Result<Owned<sys::plexauth_resources>> {
    let device = resource_json(r);
    if has_nul(&device) {
        // As for every other string argument (the library would call the text malformed).
        return Err(Error::new(ErrorKind::InvalidArgument, "the resource contains a NUL byte"));
    }
    let mut json = serde_json::to_vec(&Value::Array(vec![device]))
        .map_err(|_| Error::new(ErrorKind::InvalidArgument, "the resource cannot be written as JSON"))?;
    json.push(0); // JSON escapes a NUL inside a string, so this is the only one
    let mut out = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: `json` is NUL-terminated and outlives the call; valid out-params.
    let status = unsafe { sys::plexauth_resources_from_json(&mut out, json.as_ptr().cast(), &mut err) };
    wipe(&mut json); // the access token
    if status != sys::PLEXAUTH_OK {
        // SAFETY: `err` is NULL or an error object we now own.
        return Err(unsafe { Error::from_raw(status, err) });
    }
    Owned::from_raw(out, sys::plexauth_resources_free)
        .ok_or_else(|| Error::new(ErrorKind::Internal, "plexauth_resources_from_json returned NULL"))
}

/// Copies a connect result out of the library (then it is freed, its token wiped).
///
/// # Safety
/// `result` is a live connect result.
unsafe fn read_result(result: &Owned<sys::plexauth_connect_result>) -> Result<ConnectResult> {
    let mut len = 0usize;
    // SAFETY: the result is live (caller); the text is borrowed from it while it is.
    let json = unsafe { borrowed_bytes(sys::plexauth_connect_result_json(result.as_ptr(), &mut len), len) };
    ConnectResult::from_json(json)
}

impl Client {
    /// Finds a working connection to a server of [`list_resources`](Self::list_resources), fast:
    /// its connections are ordered local -> remote -> relay, https before http, IPv6 last (the
    /// cache's remembered one first), each probed with `GET {uri}/identity` carrying the client's
    /// identity headers and the resource's access token, staggered; a probe succeeds when the
    /// server answers with the resource's clientIdentifier, and the best success wins (waiting up
    /// to the grace window for a more preferred one). Blocks the calling thread.
    ///
    /// Errors: [`ErrorKind::Unreachable`] (nothing answered as that server by the deadline: the
    /// message has a line per candidate), [`ErrorKind::Cancelled`] (the options' cancel token),
    /// [`ErrorKind::InvalidArgument`] (a resource without clientIdentifier, options out of range).
    pub fn connect(&self, resource: &Resource, opts: &ConnectOptions) -> Result<ConnectResult> {
        let res = resource_to_raw(resource)?;
        let copts = opts.to_raw()?;
        let mut out = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: every pointer is live for the call; the device is read during it only.
        let status = unsafe {
            let device = sys::plexauth_resources_devices_at(res.as_ptr(), 0);
            sys::plexauth_client_connect(&mut out, self.as_ptr(), device, copts.as_ptr(), &mut err)
        };
        let result = Owned::from_raw(out, sys::plexauth_connect_result_free);
        if status != sys::PLEXAUTH_OK {
            // SAFETY: `err` is NULL or an error object we now own.
            return Err(unsafe { Error::from_raw(status, err) });
        }
        let result = result.ok_or_else(|| Error::new(ErrorKind::Internal, "the library returned no result"))?;
        // SAFETY: a live connect result.
        unsafe { read_result(&result) }
    }

    /// [`connect`](Self::connect), non-blocking: a [`CallFuture`] run on the client's loop (any
    /// async runtime); dropping it cancels the connect and its probes.
    pub fn connect_async(&self, resource: &Resource, opts: &ConnectOptions) -> CallFuture<'_, ConnectResult> {
        let res = try_start!(resource_to_raw(resource));
        let copts = try_start!(opts.to_raw());
        self.start_call(
            &CallOptions::default(),
            // SAFETY: every pointer is live for the call; the device and the options are copied.
            |call, client, _o, l, done, ud, err| unsafe {
                let device = sys::plexauth_resources_devices_at(res.as_ptr(), 0);
                sys::plexauth_client_connect_start(call, client, device, copts.as_ptr(), l, done, ud, err)
            },
            Box::new(|call| {
                let mut out = ptr::null_mut();
                let mut err = ptr::null_mut();
                // SAFETY: `call` is a completed connect; valid out-params.
                let status = unsafe { sys::plexauth_client_connect_finish(&mut out, call, &mut err) };
                let result = Owned::from_raw(out, sys::plexauth_connect_result_free);
                if status != sys::PLEXAUTH_OK {
                    // SAFETY: `err` is NULL or an error object we now own.
                    return Err(unsafe { Error::from_raw(status, err) });
                }
                let result = result.ok_or_else(|| Error::new(ErrorKind::Internal, "the library returned no result"))?;
                // SAFETY: a live connect result.
                unsafe { read_result(&result) }
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_read_from_the_library_json() {
        let json = br#"{"uri":"http://127.0.0.1:9","machineIdentifier":"m","name":"n","version":"1","accessToken":"t",
            "elapsedMs":12,"attempts":[{"uri":"http://127.0.0.1:8","location":"local","https":false,"ipv6":true,
            "remembered":true,"outcome":"failed","status":"malformed_response","httpStatus":200,"startedMs":0,
            "elapsedMs":3,"message":"another server"},{"uri":"http://127.0.0.1:9","location":"relay","https":true,
            "ipv6":false,"remembered":false,"outcome":"not_tried","status":"ok","httpStatus":0,"startedMs":-1,
            "elapsedMs":-1,"message":""}]}"#;
        let r = ConnectResult::from_json(json).unwrap();
        assert_eq!(r.access_token.as_deref(), Some("t"));
        assert_eq!(r.elapsed, Duration::from_millis(12));
        let a = &r.attempts[0];
        assert_eq!(
            (a.location, a.outcome, a.status),
            (Location::Local, Outcome::Failed, Some(ErrorKind::MalformedResponse))
        );
        assert!(a.ipv6 && a.remembered && !a.https);
        assert_eq!(
            (a.http_status, a.started, a.elapsed),
            (Some(200), Some(Duration::ZERO), Some(Duration::from_millis(3)))
        );
        let b = &r.attempts[1];
        assert_eq!((b.location, b.outcome, b.status, b.http_status), (Location::Relay, Outcome::NotTried, None, None));
        assert_eq!((b.started, b.elapsed, b.message.as_deref()), (None, None, None));
        assert!(!format!("{r:?}").contains("\"t\""), "Debug hides the token");
        assert_eq!(kind_named("unreachable"), ErrorKind::Unreachable);
        assert!(ConnectResult::from_json(b"{}").is_err());
        assert!(ConnectResult::from_json(b"not json").is_err());
    }

    /// A device with every field goes to C and back unchanged (the JSON names are the wire's).
    #[test]
    fn a_device_round_trips_through_its_json() {
        let body = br#"[{"name":"N","product":"P","productVersion":"1","platform":"Linux","platformVersion":"6",
            "device":"PC","clientIdentifier":"abc","createdAt":1,"lastSeenAt":2,"provides":"server","ownerId":3,
            "sourceTitle":"S","publicAddress":"203.0.113.7","accessToken":"tok","owned":false,"home":true,
            "synced":false,"relay":true,"presence":true,"httpsRequired":false,"publicAddressMatches":true,
            "dnsRebindingProtection":false,"natLoopbackSupported":true,"connections":[{"protocol":"https",
            "address":"::1","port":32400,"uri":"https://[::1]:32400","local":true,"relay":false,"IPv6":true}]}]"#;
        let mut text = body.to_vec();
        text.push(0);
        let mut out = ptr::null_mut();
        // SAFETY: NUL-terminated text, valid out-params.
        let status = unsafe { sys::plexauth_resources_from_json(&mut out, text.as_ptr().cast(), ptr::null_mut()) };
        assert_eq!(status, sys::PLEXAUTH_OK);
        // SAFETY: a live result.
        let all = unsafe { crate::Resources::from_raw(Owned::from_raw(out, sys::plexauth_resources_free).unwrap()) };
        let device = &all.devices[0];
        assert_eq!(device.nat_loopback_supported, Some(true));
        assert_eq!(device.connections[0].ipv6, Some(true));
        // SAFETY: a live result.
        let back = unsafe { crate::Resources::from_raw(resource_to_raw(device).unwrap()) };
        assert_eq!(&back.devices[0], device);
    }
}
