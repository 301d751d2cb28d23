//! JWT device authentication against plexauth-fake, which checks every device
//! JWT for real (signature, kid, iss, aud, exp/iat, a single-use nonce) and
//! signs its Plex JWTs with a key it can rotate and expire: device keys (PEM,
//! files, permissions), register + login + verify, the Plex JWT as plex.tv's
//! token, key rotation, expiry and the refreshing session shared by threads,
//! the distinct statuses, and no secret in any message or Debug output.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use common::*;
use std::ops::ControlFlow;

use plexauth::{CallOptions, Client, DeviceKey, ErrorKind, JwtSession, KeyStore, KeyStoreError, PinWait};
use serde_json::{json, Value};

const JWK_PATH: &str = "/api/v2/auth/jwk";
const NONCE_PATH: &str = "/api/v2/auth/nonce";
const EXCHANGE_PATH: &str = "/api/v2/auth/token";
const KEYS_PATH: &str = "/api/v2/auth/keys";

/// A fresh folder under the temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("plexauth-rust-jwt-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A JWT's header and claims, decoded.
fn decode(jwt: &str) -> (Value, Value) {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "a compact JWS has three parts");
    let part = |s: &str| -> Value { serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap() };
    (part(parts[0]), part(parts[1]))
}

/// A device: a client with account A's legacy token (for registering), a new key.
struct Device {
    fake: Fake,
    client: Arc<Client>,
    key: DeviceKey,
}

impl Device {
    fn new() -> Device {
        let fake = Fake::start();
        let client = Arc::new(fake.builder().access_token(TOKEN_A).build().unwrap());
        Device { fake, client, key: DeviceKey::generate().unwrap() }
    }
    fn registered() -> Device {
        let d = Device::new();
        d.client.register_device_key(&d.key).unwrap();
        d
    }
    fn jwt(&self) -> String {
        self.client.jwt_login(&self.key, None).unwrap().auth_token.expect("a Plex JWT")
    }
    fn count(&self, path: &str) -> usize {
        self.fake.requests_to(path).len()
    }
    fn advance_clock(&self, seconds: i64) {
        self.fake.control("/_fake/clock", json!({ "advance_s": seconds }));
    }
}

#[test]
fn keys_and_sessions_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<DeviceKey>();
    send_sync::<JwtSession>();
    send_sync::<plexauth::SessionJwt>();
    // A key shared by threads signs from each of them.
    let key = Arc::new(DeviceKey::generate().unwrap());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let key = key.clone();
            std::thread::spawn(move || key.sign_jwt(&format!("device-{i}"), None, None, Duration::from_secs(60)))
        })
        .collect();
    for (i, h) in handles.into_iter().enumerate() {
        let (header, claims) = decode(&h.join().unwrap().unwrap());
        assert_eq!(header["kid"], key.id());
        assert_eq!(claims["iss"], format!("device-{i}"));
        assert!(claims.get("nonce").is_none(), "no nonce given: {claims}");
    }
}

#[test]
fn keys_round_trip_through_pem_and_files_with_mode_0600() {
    let key = DeviceKey::generate().unwrap();
    assert_eq!(key.id().len(), 43, "base64url of a SHA-256: {}", key.id());
    let jwk: Value = serde_json::from_str(key.jwk()).unwrap();
    assert_eq!(jwk["kty"], "OKP");
    assert_eq!(jwk["crv"], "Ed25519");
    assert_eq!(jwk["alg"], "EdDSA");
    assert_eq!(jwk["kid"], key.id());
    assert!(jwk.get("d").is_none(), "no private part in the JWK: {jwk}");
    assert_ne!(DeviceKey::generate().unwrap().id(), key.id(), "a new pair each time");

    let pem = key.to_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
    assert!(pem.trim_end().ends_with("-----END PRIVATE KEY-----"));
    assert_eq!(DeviceKey::from_pem(&pem).unwrap().id(), key.id());
    let debug = format!("{key:?}");
    assert!(debug.contains(key.id()), "{debug}");
    let secret = pem.lines().nth(1).unwrap();
    assert!(!debug.contains(secret), "Debug shows the private key: {debug}");

    let dir = TempDir::new();
    let path = dir.path("device_key.pem");
    key.save(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), pem);
    assert_eq!(DeviceKey::load(&path).unwrap().id(), key.id());

    let (again, created) = DeviceKey::load_or_create(&path).unwrap();
    assert!(!created);
    assert_eq!(again.id(), key.id());
    let fresh_path = dir.path("fresh.pem");
    let (fresh, created) = DeviceKey::load_or_create(&fresh_path).unwrap();
    assert!(created);
    assert_ne!(fresh.id(), key.id());
    assert_eq!(mode(&fresh_path), 0o600);
    assert_eq!(DeviceKey::load(&fresh_path).unwrap().id(), fresh.id());

    // A key file others may read is refused, as ssh refuses such keys.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let e = DeviceKey::load(&path).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
    let e2 = DeviceKey::load_or_create(&path).unwrap_err();
    assert_eq!(e2.kind(), ErrorKind::InvalidArgument, "{e2:?}");
    for text in [e.to_string(), format!("{e:?}"), e2.to_string()] {
        assert!(!text.contains(secret), "the key shows: {text}");
    }
    let e = DeviceKey::load(dir.path("missing.pem")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e:?}");
}

#[test]
fn bad_pem_text_is_invalid_argument_without_quoting_it() {
    let key = DeviceKey::generate().unwrap();
    let pem = key.to_pem().unwrap();
    let body = pem.lines().nth(1).unwrap();
    let broken = pem.replace(body, &body[..body.len() - 4]);
    for text in ["", "not a key", broken.as_str(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
        let e = DeviceKey::from_pem(text).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
        assert!(!format!("{e} {e:?}").contains(&body[..20]), "{e}");
    }
    let e = DeviceKey::from_pem("a\0b").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

/// An application's keystore in memory: what it holds and what it was asked.
#[derive(Default)]
struct MemoryStore {
    stored: Option<String>,
    reads: usize,
    writes: Vec<String>,
    read_error: Option<std::io::ErrorKind>,
    write_error: Option<std::io::ErrorKind>,
    panic_in_read: bool,
}

impl KeyStore for MemoryStore {
    type Error = std::io::Error;
    fn read(&mut self) -> Result<Option<String>, std::io::Error> {
        self.reads += 1;
        assert!(!self.panic_in_read, "the keychain fell over");
        match self.read_error {
            Some(kind) => Err(std::io::Error::new(kind, "keychain locked")),
            None => Ok(self.stored.clone()),
        }
    }
    fn write(&mut self, pem: &str) -> Result<(), std::io::Error> {
        self.writes.push(pem.to_owned());
        match self.write_error {
            Some(kind) => Err(std::io::Error::new(kind, "read-only keystore")),
            None => {
                self.stored = Some(pem.to_owned());
                Ok(())
            }
        }
    }
}

#[test]
fn a_keystore_gets_a_new_key_once_and_its_key_logs_in() {
    let mut store = MemoryStore::default();
    let (made, created) = DeviceKey::load_or_create_with(&mut store).unwrap();
    assert!(created);
    assert_eq!((store.reads, store.writes.len()), (1, 1));
    let written = store.writes[0].clone();
    assert!(written.starts_with("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");
    assert_eq!(written, made.to_pem().unwrap());
    assert_eq!(DeviceKey::from_pem(&written).unwrap().id(), made.id(), "the written PEM is that key");

    let (again, created) = DeviceKey::load_or_create_with(&mut store).unwrap();
    assert!(!created);
    assert_eq!(again.id(), made.id());
    assert_eq!(again.jwk(), made.jwk());
    assert_eq!((store.reads, store.writes.len()), (2, 1), "a stored key is not written again");

    // save_with writes the text to_pem gives, once, and reads nothing.
    let mut other = MemoryStore::default();
    made.save_with(&mut other).unwrap();
    assert_eq!(other.writes, vec![made.to_pem().unwrap()]);
    assert_eq!(other.reads, 0);

    // The key from the keystore registers and logs in against the fake.
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    client.register_device_key(&again).unwrap();
    let body: Value = serde_json::from_str(fake.requests_to(JWK_PATH)[0].body()).unwrap();
    assert_eq!(body["jwk"], serde_json::from_str::<Value>(again.jwk()).unwrap());
    let jwt = client.jwt_login(&again, None).unwrap().auth_token.expect("a Plex JWT");
    assert_eq!(decode(&jwt).1["thumbprint"], made.id());
    assert!(client.jwt_verify(&jwt, Some(&again)).unwrap() > now());
    let with_jwt = fake.builder().access_token(jwt.clone()).build().unwrap();
    assert!(with_jwt.get_token_details().unwrap().username.is_some());
    assert_eq!(fake.requests_to("/api/v2/user").last().unwrap().header("X-Plex-Token"), Some(jwt.as_str()));
}

#[test]
fn a_failing_keystore_gives_its_own_error_and_no_key() {
    // read fails: its error, nothing written.
    let mut store = MemoryStore { read_error: Some(std::io::ErrorKind::PermissionDenied), ..Default::default() };
    let e = DeviceKey::load_or_create_with(&mut store).unwrap_err();
    match &e {
        KeyStoreError::Read(io) => assert_eq!(io.kind(), std::io::ErrorKind::PermissionDenied),
        other => panic!("not the keystore's read error: {other:?}"),
    }
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert!(e.to_string().contains("keychain locked"), "{e}");
    assert!(std::error::Error::source(&e).is_some());
    assert_eq!((store.reads, store.writes.len()), (1, 0));

    // write fails: its error, and a new key that could not be stored is not handed out.
    let mut store = MemoryStore { write_error: Some(std::io::ErrorKind::ReadOnlyFilesystem), ..Default::default() };
    match DeviceKey::load_or_create_with(&mut store).unwrap_err() {
        KeyStoreError::Write(io) => assert_eq!(io.kind(), std::io::ErrorKind::ReadOnlyFilesystem),
        other => panic!("not the keystore's write error: {other:?}"),
    }
    assert_eq!((store.reads, store.writes.len()), (1, 1));
    assert!(store.stored.is_none());
    let key = DeviceKey::generate().unwrap();
    assert!(matches!(key.save_with(&mut store), Err(KeyStoreError::Write(_))));

    // A panic in the keystore does not cross the C frame: ErrorKind::Callback with its message.
    let mut store = MemoryStore { panic_in_read: true, ..Default::default() };
    let e = DeviceKey::load_or_create_with(&mut store).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback, "{e:?}");
    assert!(e.to_string().contains("the keychain fell over"), "{e}");
    assert!(store.writes.is_empty());
}

#[test]
fn a_keystore_holding_no_key_text_is_an_error_and_kept() {
    let secret = "c2VjcmV0LWtleS1tYXRlcmlhbA";
    let garbage = format!("-----BEGIN PRIVATE KEY-----\n{secret}==\n-----END PRIVATE KEY-----\n");
    for text in [garbage.as_str(), "hello", ""] {
        let mut store = MemoryStore { stored: Some(text.to_owned()), ..Default::default() };
        let e = DeviceKey::load_or_create_with(&mut store).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
        assert!(matches!(e, KeyStoreError::Plexauth(_)));
        assert!(!format!("{e} {e:?}").contains(secret), "{e}");
        assert!(store.writes.is_empty(), "a stored text that is not a key is never replaced");
        assert_eq!(store.stored.as_deref(), Some(text));
    }
    // Text the library refuses before parsing (a NUL, over 64 KiB): a callback failure,
    // never taken for "no key stored".
    for text in ["PEM\0text".to_owned(), "A".repeat(65 * 1024)] {
        let mut store = MemoryStore { stored: Some(text), ..Default::default() };
        let e = DeviceKey::load_or_create_with(&mut store).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Callback, "{e:?}");
        assert!(store.writes.is_empty());
    }
}

#[test]
fn register_login_verify_and_use_the_plex_jwt_with_plex_tv() {
    let fake = Fake::start();
    let (builder, lines) = fake.logged_builder();
    let client = builder.access_token(TOKEN_A).build().unwrap();
    let key = DeviceKey::generate().unwrap();

    client.register_device_key(&key).unwrap();
    let reg = &fake.requests_to(JWK_PATH)[0];
    assert_eq!(reg.method(), "POST");
    assert_eq!(reg.header("X-Plex-Token"), Some(TOKEN_A), "registered with the legacy token");
    assert_eq!(reg.header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
    let body: Value = serde_json::from_str(reg.body()).unwrap();
    assert_eq!(body["jwk"], serde_json::from_str::<Value>(key.jwk()).unwrap());

    let token = client.jwt_login(&key, None).unwrap();
    let jwt = token.auth_token.clone().expect("a Plex JWT");
    assert_eq!(token.response.status, 200);
    assert!(!format!("{token:?}").contains(&jwt), "Debug shows the JWT");
    let nonce = &fake.requests_to(NONCE_PATH)[0];
    assert_eq!(nonce.header("X-Plex-Token"), None, "no token for a nonce");
    let exchange = &fake.requests_to(EXCHANGE_PATH)[0];
    assert_eq!(exchange.method(), "POST");
    assert_eq!(exchange.header("X-Plex-Token"), None, "no token for the exchange");
    let device_jwt = serde_json::from_str::<Value>(exchange.body()).unwrap()["jwt"].as_str().unwrap().to_string();
    let (header, claims) = decode(&device_jwt);
    assert_eq!(header, json!({"alg": "EdDSA", "typ": "JWT", "kid": key.id()}));
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["aud"], "plex.tv");
    assert!(claims["nonce"].as_str().is_some_and(|n| !n.is_empty()), "{claims}");

    // The Plex JWT: issued by plex.tv for this device key, valid 7 days.
    let (_, plex_claims) = decode(&jwt);
    assert_eq!(plex_claims["thumbprint"], key.id());
    let exp = client.jwt_verify(&jwt, Some(&key)).unwrap();
    assert_eq!(Some(exp), plex_claims["exp"].as_i64());
    assert!(exp > now() + 6 * 86400, "7 days: {exp}");
    assert_eq!(client.jwt_verify(&jwt, None).unwrap(), exp, "without the thumbprint check");

    // plex.tv takes it as the account's token.
    let with_jwt = fake.builder().access_token(jwt.clone()).build().unwrap();
    let legacy = client.get_token_details().unwrap();
    let me = with_jwt.get_token_details().unwrap();
    assert!(me.username.is_some());
    assert_eq!((me.id, me.username), (legacy.id, legacy.username), "the same account");
    assert_eq!(fake.requests_to("/api/v2/user").last().unwrap().header("X-Plex-Token"), Some(jwt.as_str()));
    assert_eq!(with_jwt.ping().unwrap().pong, Some(true));

    // Nothing secret in the debug log: the legacy token, the device JWT, the Plex JWT.
    let log = lines.lock().unwrap().join("\n");
    assert!(!log.is_empty());
    for secret in [TOKEN_A, jwt.as_str(), device_jwt.as_str(), device_jwt.rsplit('.').next().unwrap()] {
        assert!(!log.contains(secret), "a secret in the log");
    }
}

#[test]
fn a_device_jwt_signed_by_hand_is_exchanged_and_a_foreign_iss_is_issuer_mismatch() {
    let d = Device::registered();
    let nonce = d.client.get_nonce().unwrap().nonce.expect("a nonce");
    let device_jwt = d.key.sign_jwt(CLIENT_ID, Some(&nonce), Some("username,email"), Duration::from_secs(300)).unwrap();
    let (header, claims) = decode(&device_jwt);
    assert_eq!(header["kid"], d.key.id());
    assert_eq!(claims["nonce"], nonce.as_str());
    assert_eq!(claims["scope"], "username,email");
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 300);
    let jwt = d.client.exchange_device_jwt(&device_jwt).unwrap().auth_token.unwrap();
    assert!(d.client.jwt_verify(&jwt, Some(&d.key)).unwrap() > now());

    // plex.tv's 1097: the device JWT's iss is not the X-Plex-Client-Identifier it came with.
    let nonce = d.client.get_nonce().unwrap().nonce.unwrap();
    let foreign = d.key.sign_jwt("someone-else", Some(&nonce), None, Duration::from_secs(300)).unwrap();
    let e = d.client.exchange_device_jwt(&foreign).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::JwtIssuerMismatch, "{e:?}");
    assert_eq!(e.kind().code(), 21);
    assert_eq!(e.plex_code(), Some(1097));
    assert_eq!(e.attempts(), 1, "never retried after a 4XX");
    assert!(!format!("{e} {e:?}").contains(&foreign), "{e}");

    // Through jwt_login: a client identifier (the device JWT's iss) that is not the one
    // the key was registered under.
    let other = d.fake.builder().client_id("another-device").build().unwrap();
    let e = other.jwt_login(&d.key, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::JwtIssuerMismatch, "{e:?}");
    assert_eq!(e.plex_code(), Some(1097));

    // Out-of-range arguments never reach the library's signer.
    for lifetime in [Duration::ZERO, Duration::from_secs(86_401)] {
        let e = d.key.sign_jwt(CLIENT_ID, None, None, lifetime).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{lifetime:?}: {e:?}");
    }
    assert_eq!(d.key.sign_jwt("", None, None, Duration::from_secs(60)).unwrap_err().kind(), ErrorKind::InvalidArgument);
}

#[test]
fn an_unregistered_key_is_unauthorized() {
    let d = Device::new();
    let e = d.client.jwt_login(&d.key, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.http_status(), Some(422));
    // Registered by this device, the same key is refused for another (422: taken).
    d.client.register_device_key(&d.key).unwrap();
    let other = d.fake.builder().client_id("another-device").access_token(TOKEN_A).build().unwrap();
    let e = other.register_device_key(&d.key).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
}

#[test]
fn tampered_forged_and_foreign_jwts_fail_verify_with_jwt_invalid() {
    let d = Device::registered();
    let jwt = d.jwt();
    let check = |bad: &str, reason: &[&str]| {
        let e = d.client.jwt_verify(bad, Some(&d.key)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::JwtInvalid, "{e:?}");
        assert_eq!(e.kind().code(), 22);
        assert!(reason.iter().any(|r| e.message().contains(r)), "{}", e.message());
        for text in [e.to_string(), format!("{e:?}")] {
            assert!(!text.contains(&jwt) && !text.contains(jwt.rsplit('.').next().unwrap()), "the JWT shows: {text}");
        }
    };
    // The payload changed under the signature.
    let dot = jwt.find('.').unwrap();
    let mut tampered = jwt.clone().into_bytes();
    tampered[dot + 5] = if tampered[dot + 5] == b'A' { b'B' } else { b'A' };
    check(&String::from_utf8(tampered).unwrap(), &["signature", "malformed"]);
    // Claims of our own choosing, signed with the device key instead of plex.tv's.
    let (header, mut claims) = decode(&jwt);
    claims["exp"] = json!(now() + 365 * 86400);
    let enc = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    let sig = jwt.rsplit('.').next().unwrap();
    check(&format!("{}.{}.{sig}", enc(&header), enc(&claims)), &["signature"]);
    check("not.a.jwt", &["malformed"]);
    // Issued for another device key: the thumbprint check.
    let other = DeviceKey::generate().unwrap();
    let e = d.client.jwt_verify(&jwt, Some(&other)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::JwtInvalid);
    assert!(e.message().contains("thumbprint"), "{}", e.message());
    // The untouched one still passes.
    assert!(d.client.jwt_verify(&jwt, Some(&d.key)).is_ok());
}

#[test]
fn after_plex_tv_rotates_its_key_a_new_jwt_still_verifies() {
    let d = Device::registered();
    let first = d.jwt();
    d.client.jwt_verify(&first, Some(&d.key)).unwrap();
    d.client.jwt_verify(&first, Some(&d.key)).unwrap();
    assert_eq!(d.count(KEYS_PATH), 1, "the key set is cached");

    d.fake.control("/_fake/jwt/rotate", json!({ "drop_old": true }));
    let second = d.jwt();
    assert_ne!(decode(&second).0["kid"], decode(&first).0["kid"], "signed with the new key");
    d.client.jwt_verify(&second, Some(&d.key)).unwrap();
    assert_eq!(d.count(KEYS_PATH), 2, "an unknown kid reads the key set again, once");

    // A JWT of the dropped key no longer verifies.
    let e = d.client.jwt_verify(&first, Some(&d.key)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::JwtInvalid, "{e:?}");
    assert!(e.message().contains("unknown_key"), "{}", e.message());
}

#[test]
fn a_session_is_the_token_of_every_call_and_refreshes_after_expiry() {
    let d = Device::registered();
    let session = JwtSession::new(d.client.clone(), &d.key, Duration::ZERO).unwrap();
    let user = d.fake.builder().jwt_session(&session).build().unwrap();
    assert_eq!(d.count(EXCHANGE_PATH), 0, "nothing is fetched before it is needed");

    assert_eq!(user.get_token_details().unwrap().username.as_deref(), Some("Username"));
    let current = session.token().unwrap();
    assert!(current.expires_at > now() + 6 * 86400, "{current:?}");
    assert!(!format!("{current:?}").contains(&current.jwt), "Debug shows the JWT");
    assert_eq!(d.fake.requests_to("/api/v2/user").last().unwrap().header("X-Plex-Token"), Some(current.jwt.as_str()));
    assert_eq!(d.client.jwt_verify(&current.jwt, Some(&d.key)).unwrap(), current.expires_at);
    user.ping().unwrap();
    assert_eq!(d.count(EXCHANGE_PATH), 1, "still fresh: one exchange");

    // plex.tv expires it early (498): the call says token_expired; invalidate, and
    // the next call refreshes once.
    d.fake.control("/_fake/jwt/expire", json!({}));
    d.advance_clock(1); // a new iat: Ed25519 signs the same claims the same way
    let e = user.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TokenExpired, "{e:?}");
    assert_eq!(e.kind().code(), 20);
    assert_eq!(e.http_status(), Some(498));
    assert!(!format!("{e} {e:?}").contains(&current.jwt));
    session.invalidate();
    user.get_token_details().unwrap();
    assert_eq!(d.count(EXCHANGE_PATH), 2);
    let renewed = session.token().unwrap();
    assert_ne!(renewed.jwt, current.jwt);
    assert_eq!(d.fake.requests_to("/api/v2/user").last().unwrap().header("X-Plex-Token"), Some(renewed.jwt.as_str()));
    assert_eq!(d.count(EXCHANGE_PATH), 2);
}

#[test]
fn a_session_refreshes_by_itself_when_less_than_the_margin_is_left() {
    let d = Device::registered();
    // JWTs of 63 s, refreshed when less than 60 s are left: fresh for about 3 s.
    d.fake.control("/_fake/jwt/lifetime", json!({ "seconds": 63 }));
    let session = JwtSession::new(d.client.clone(), &d.key, Duration::from_secs(60)).unwrap();
    let first = session.token().unwrap();
    let lifetime = first.expires_at - decode(&first.jwt).1["iat"].as_i64().unwrap();
    assert_eq!(lifetime, 63);
    assert_eq!(session.token().unwrap().jwt, first.jwt, "still fresh");
    assert_eq!(d.count(EXCHANGE_PATH), 1);

    std::thread::sleep(Duration::from_millis(4200));
    let second = session.token().unwrap();
    assert_eq!(d.count(EXCHANGE_PATH), 2, "refreshed within the margin");
    assert_ne!(second.jwt, first.jwt);
    assert!(second.expires_at > first.expires_at);
    d.client.jwt_verify(&second.jwt, Some(&d.key)).unwrap();

    // A margin longer than the lifetime refreshes on every ask.
    let eager = JwtSession::new(d.client.clone(), &d.key, Duration::from_secs(7200)).unwrap();
    eager.token().unwrap();
    d.advance_clock(1);
    eager.token().unwrap();
    assert_eq!(d.count(EXCHANGE_PATH), 4);

    // Margins out of range.
    for margin in [Duration::from_millis(500), Duration::from_secs(604_801)] {
        let e = JwtSession::new(d.client.clone(), &d.key, margin).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{margin:?}: {e:?}");
    }
}

#[test]
fn a_session_shared_by_threads_exchanges_once() {
    let d = Device::registered();
    let session = JwtSession::new(d.client.clone(), &d.key, Duration::ZERO).unwrap();
    const THREADS: usize = 8;
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (session, barrier) = (session.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                session.token().map(|t| t.jwt)
            })
        })
        .collect();
    let got: Vec<String> = handles.into_iter().map(|h| h.join().unwrap().unwrap()).collect();
    assert!(got.iter().all(|jwt| *jwt == got[0]), "one JWT for all");
    assert_eq!(d.count(EXCHANGE_PATH), 1, "one refresh for all");
    assert_eq!(d.count(NONCE_PATH), 1);

    // Clients of several threads using the session as their token: still no refresh.
    let user = Arc::new(d.fake.builder().jwt_session(&session).build().unwrap());
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let user = user.clone();
            std::thread::spawn(move || user.ping().map(|p| p.pong))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), Some(true));
    }
    assert_eq!(d.count(EXCHANGE_PATH), 1);
    for r in d.fake.requests_to("/api/v2/ping") {
        assert_eq!(r.header("X-Plex-Token"), Some(got[0].as_str()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_shared_by_async_tasks_exchanges_once() {
    let d = Device::registered();
    let session = JwtSession::new(d.client.clone(), &d.key, Duration::ZERO).unwrap();
    let user = Arc::new(d.fake.builder().jwt_session(&session).build().unwrap());
    let tasks: Vec<_> = (0..6)
        .map(|_| {
            let user = user.clone();
            tokio::spawn(async move { user.get_token_details_async().await.map(|a| a.username) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().as_deref(), Some("Username"));
    }
    let requests = d.fake.requests();
    assert_eq!(requests.iter().filter(|r| r.path() == EXCHANGE_PATH).count(), 1);
    let jwt = session.token().unwrap().jwt;
    let user_requests: Vec<_> = requests.iter().filter(|r| r.path() == "/api/v2/user").collect();
    assert_eq!(user_requests.len(), 6);
    assert!(user_requests.iter().all(|r| r.header("X-Plex-Token") == Some(jwt.as_str())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jwt_login_async_runs_nonce_and_exchange_on_a_loop_and_drop_cancels_it() {
    let d = Device::registered();
    // The key is dropped right after the start: the call holds its own reference.
    let key = DeviceKey::from_pem(&d.key.to_pem().unwrap()).unwrap();
    let pending = d.client.jwt_login_async(&key, Some("username,email"));
    drop(key);
    let token = pending.await.unwrap();
    let jwt = token.auth_token.expect("a Plex JWT");
    assert_eq!(token.response.status, 200);
    assert!(d.client.jwt_verify(&jwt, Some(&d.key)).unwrap() > now(), "issued for the device key");
    let device_jwt = {
        let exchange = &d.fake.requests_to(EXCHANGE_PATH)[0];
        assert_eq!(exchange.header("X-Plex-Token"), None, "no token for the exchange");
        serde_json::from_str::<Value>(exchange.body()).unwrap()["jwt"].as_str().unwrap().to_string()
    };
    let (_, claims) = decode(&device_jwt);
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(claims["scope"], "username,email");
    assert_eq!((d.count(NONCE_PATH), d.count(EXCHANGE_PATH)), (1, 1));

    // On a loop of the caller's; an unregistered key is the blocking form's 422.
    let event_loop = plexauth::Loop::new().unwrap();
    let other = DeviceKey::generate().unwrap();
    let e = d.client.jwt_login_with_async(&other, None, &CallOptions::new().on_loop(&event_loop)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.http_status(), Some(422));

    // Dropped while the exchange is held back 5 s: cancelled at once, nothing left on the loop.
    d.fake.faults(EXCHANGE_PATH, json!([{"delay_ms": 5000}]));
    let start = std::time::Instant::now();
    let opts = CallOptions::new().on_loop(&event_loop);
    let timed_out =
        tokio::time::timeout(Duration::from_millis(500), d.client.jwt_login_with_async(&d.key, None, &opts)).await;
    assert!(timed_out.is_err(), "the exchange is delayed 5 s");
    while event_loop.pending() != 0 {
        assert!(start.elapsed() < Duration::from_secs(3), "the dropped login still runs");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // A name that C cannot take fails the future, and starts nothing.
    let e = d.client.jwt_login_async(&d.key, Some("a\0b")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(d.count(NONCE_PATH), 3, "no nonce asked for the refused scope");
}

#[test]
fn a_failed_refresh_is_every_callers_error_and_fails_the_calls_that_need_it() {
    let d = Device::new(); // the key is not registered: the exchange is refused
    let session = JwtSession::new(d.client.clone(), &d.key, Duration::ZERO).unwrap();
    let e = session.token().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.http_status(), Some(422));
    let user = d.fake.builder().jwt_session(&session).build().unwrap();
    let e = user.ping().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback, "no JWT to send: {e:?}");
    assert!(d.fake.requests_to("/api/v2/ping").is_empty(), "nothing sent without a token");
    // Registered now: the next ask refreshes and works.
    d.client.register_device_key(&d.key).unwrap();
    assert_eq!(user.ping().unwrap().pong, Some(true));
}

#[test]
fn a_client_keeps_its_session_and_the_session_its_client() {
    let d = Device::registered();
    let user = {
        let refresh = Arc::new(d.fake.builder().build().unwrap()); // no token: nonce and exchange need none
        let session = JwtSession::new(refresh, &d.key, Duration::ZERO).unwrap();
        let builder = d.fake.builder().jwt_session(&session);
        assert!(format!("{builder:?}").contains("<jwt session>"));
        builder.build().unwrap()
        // The builder, the session handle and the refresh client's Arc are dropped here.
    };
    assert_eq!(user.get_token_details().unwrap().username.as_deref(), Some("Username"));
    assert_eq!(d.count(EXCHANGE_PATH), 1);
    let e = JwtSession::new(
        Arc::new(Client::builder().plex_tv_url(d.fake.plex_tv()).build().unwrap()),
        &d.key,
        Duration::ZERO,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "no client identifier: {e:?}");
}

#[test]
fn jwk_pin_login_with_the_device_key_alone_gives_a_plex_jwt_for_that_key() {
    let fake = Fake::start();
    // A new device: a client identifier, no token at all.
    let (builder, lines) = fake.logged_builder();
    let client = Arc::new(builder.build().unwrap());
    let key = DeviceKey::generate().unwrap();

    let pin = client.create_jwk_pin_for_key_with(&key, true, &CallOptions::new()).unwrap();
    let (id, code) = (pin.id.expect("an id"), pin.code.clone().expect("a code"));
    assert_eq!(code.len(), 25, "strong: {pin:?}");
    assert_eq!(pin.auth_token, None);
    let create = &fake.requests_to("/api/v2/pins")[0];
    assert_eq!(create.method(), "POST");
    assert_eq!(create.query(), "");
    assert_eq!(create.header("Content-Type"), Some("application/json"));
    assert_eq!(create.header("X-Plex-Token"), None);
    assert_eq!(create.body(), format!("{{\"jwk\":{},\"strong\":true}}", key.jwk()));

    // The user approves while the device waits (after its second poll).
    let poll_path = format!("/api/v2/pins/{id}");
    let mut seen = Vec::new();
    let wait = PinWait::new().poll_interval(Duration::from_millis(100)).timeout(Duration::from_secs(10)).progress(
        |shown, left| {
            seen.push((shown.to_string(), left));
            if seen.len() == 2 {
                fake.control("/_fake/pins/approve", json!({ "id": id, "login": EMAIL_A }));
            }
            ControlFlow::Continue(())
        },
    );
    let approved = client.wait_for_jwk_pin(id, &key, wait).unwrap();
    assert!(seen.len() >= 2 && seen.iter().all(|(shown, _)| *shown == code), "{seen:?}");
    assert!(seen[0].1.is_some_and(|left| left <= Duration::from_secs(1800)), "{seen:?}");
    let jwt = approved.auth_token.clone().expect("an approved JWK PIN has a Plex JWT");
    assert!(!format!("{approved:?}").contains(&jwt), "Debug shows the JWT");

    // A Plex JWT issued for this device key, the account's token for plex.tv.
    assert_eq!(decode(&jwt).1["thumbprint"], key.id());
    assert!(client.jwt_verify(&jwt, Some(&key)).unwrap() > now());
    let other = DeviceKey::generate().unwrap();
    assert_eq!(client.jwt_verify(&jwt, Some(&other)).unwrap_err().kind(), ErrorKind::JwtInvalid);
    let me = fake.builder().access_token(jwt.clone()).build().unwrap().get_token_details().unwrap();
    assert_eq!(me.email.as_deref(), Some(EMAIL_A));

    // Each poll proves the key: a device JWT in the query (signed once in a short wait), no token.
    let polls = fake.requests_to(&poll_path);
    assert!(polls.len() >= 3, "{} polls", polls.len());
    let query = polls[0].query().to_string();
    let device_jwt = query.strip_prefix("deviceJWT=").expect("deviceJWT in the query").to_string();
    for p in &polls {
        assert_eq!(p.method(), "GET");
        assert_eq!(p.query(), query, "signed once within 4 minutes");
        assert_eq!(p.header("X-Plex-Token"), None);
    }
    let (header, claims) = decode(&device_jwt);
    assert_eq!(header["kid"], key.id());
    assert_eq!(claims["iss"], CLIENT_ID);
    assert_eq!(fake.requests_to(NONCE_PATH).len(), 1);
    let log = lines.lock().unwrap().join("\n");
    assert!(log.contains("deviceJWT="), "the polls were logged (redacted)");
    assert!(!log.contains(&device_jwt[..40]), "the device JWT in the log");
    assert!(!log.contains(jwt.rsplit('.').next().unwrap()), "the Plex JWT in the log");

    // The approval registered the key: a session refreshes with it, no register call.
    let session = JwtSession::new(client.clone(), &key, Duration::ZERO).unwrap();
    let fresh = session.token().unwrap();
    client.jwt_verify(&fresh.jwt, Some(&key)).unwrap();
    assert_eq!(fake.requests_to(JWK_PATH).len(), 0);
    assert_eq!(fake.requests_to(EXCHANGE_PATH).len(), 1);
}

#[test]
fn a_jwk_pin_polled_with_another_key_is_unauthorized_and_a_stopped_wait_cancelled() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let key = DeviceKey::generate().unwrap();
    let pin = client.create_jwk_pin_for_key(&key).unwrap();
    let id = pin.id.unwrap();
    assert_eq!(pin.code.as_deref().map(str::len), Some(4));
    assert_eq!(fake.requests_to("/api/v2/pins")[0].body(), format!("{{\"jwk\":{}}}", key.jwk()), "strong not sent");

    // Stopped by the progress closure before approval.
    let wait = PinWait::new().poll_interval(Duration::from_millis(100)).progress(|_, _| ControlFlow::Break(()));
    let e = client.wait_for_jwk_pin(id, &key, wait).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e:?}");

    fake.control("/_fake/pins/approve", json!({ "id": id, "login": EMAIL_A }));
    let other = DeviceKey::generate().unwrap();
    let wait = PinWait::new().poll_interval(Duration::from_millis(100)).timeout(Duration::from_secs(10));
    let e = client.wait_for_jwk_pin_with(id, &other, wait, &CallOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.http_status(), Some(422));
    let device_jwt = fake.requests_to(&format!("/api/v2/pins/{id}")).last().unwrap().query().to_string();
    let device_jwt = device_jwt.strip_prefix("deviceJWT=").unwrap();
    assert!(!format!("{e} {e:?}").contains(&device_jwt[..40]), "{e}");
    // A plain poll without a device JWT never shows the token either.
    assert_eq!(client.get_pin(id).unwrap().auth_token, None);
    // And the right key still gets it.
    let approved = client.wait_for_jwk_pin(id, &key, PinWait::new().timeout(Duration::from_secs(10))).unwrap();
    client.jwt_verify(approved.auth_token.as_deref().unwrap(), Some(&key)).unwrap();
}
