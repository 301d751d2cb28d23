//! The login journey's helpers against plexauth-fake: the stable device
//! identity file, the hosted login URL, waiting for a PIN's approval (approve,
//! expire, timeout, cancel, progress) and a per-call access token.

mod common;

use std::ops::ControlFlow;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use plexauth::{client_id_load_or_create, CallOptions, CancelToken, ErrorKind, PinWait};
use serde_json::json;

/// A fresh folder under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("plexauth-rust-journey-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

// ---- client_id_load_or_create ----

#[test]
fn client_id_is_created_once_0600_and_read_back() {
    let dir = TempDir::new();
    let file = dir.path().join("nested/deeper/client_id");
    let id = client_id_load_or_create(Some(&file)).unwrap();
    // A UUIDv4: 8-4-4-4-12 hex digits, version 4.
    assert_eq!(id.len(), 36, "{id}");
    assert_eq!(id.as_bytes()[14], b'4', "{id}");
    assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()), "{id}");
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().unwrap()), 0o700, "missing folders are created 0700");
    assert_eq!(std::fs::read_to_string(&file).unwrap().trim(), id);

    // Same identifier on every later call; the file is not rewritten.
    assert_eq!(client_id_load_or_create(Some(&file)).unwrap(), id);
    assert_eq!(client_id_load_or_create(Some(&file)).unwrap(), id);
}

#[test]
fn client_id_file_with_garbage_is_invalid_argument_and_left_untouched() {
    let dir = TempDir::new();
    let file = dir.path().join("client_id");
    let garbage = "not an id\n\u{1}\u{2} with spaces and control characters\n";
    std::fs::write(&file, garbage).unwrap();
    let e = client_id_load_or_create(Some(&file)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), garbage, "the file must not be touched");
}

#[test]
fn client_id_path_with_a_nul_byte_is_invalid_argument() {
    let e = client_id_load_or_create(Some(Path::new("/tmp/bad\0path"))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
}

// ---- login_url ----

fn url_client() -> plexauth::Client {
    plexauth::Client::builder().client_id("id 1&2").client_name("My Cool App").build().unwrap()
}

const URL: &str =
    "https://app.plex.tv/auth#?clientID=id%201%262&code=ABCD&context%5Bdevice%5D%5Bproduct%5D=My%20Cool%20App";

#[test]
fn login_url_is_the_hosted_page_with_every_value_encoded() {
    let client = url_client();
    assert_eq!(client.login_url("ABCD", None).unwrap(), URL);
    assert_eq!(
        client.login_url("ABCD", Some("https://app.example/cb?flow_id=1")).unwrap(),
        format!("{URL}&forwardUrl=https%3A%2F%2Fapp.example%2Fcb%3Fflow_id%3D1")
    );
}

#[test]
fn login_url_grows_its_buffer_for_a_long_url() {
    let client = url_client();
    let code = "x".repeat(300);
    let forward = format!("https://app.example/{}", "p".repeat(400));
    let url = client.login_url(&code, Some(&forward)).unwrap();
    assert!(url.contains(&format!("&code={code}&")), "{url}");
    assert!(url.ends_with(&"p".repeat(400)), "{url}");
    assert!(url.len() > 700);
}

#[test]
fn login_url_refuses_a_non_http_forward_url_and_a_client_without_id() {
    let e = url_client().login_url("ABCD", Some("myapp://x")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");

    let anonymous = plexauth::Client::builder().client_name("My Cool App").build().unwrap();
    let e = anonymous.login_url("ABCD", None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");

    let e = url_client().login_url("AB\0CD", None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
}

// ---- wait_for_pin ----

/// Waits (up to 10 s) until the fake has seen `n` polls of PIN `id`.
fn await_polls(fake: &Fake, id: i64, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while fake.requests_to(&format!("/api/v2/pins/{id}")).len() < n {
        assert!(Instant::now() < deadline, "fewer than {n} polls of PIN {id} within 10 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn fast_wait<'a>() -> PinWait<'a> {
    PinWait::new().poll_interval(Duration::from_millis(100))
}

#[test]
fn wait_for_pin_returns_the_token_once_another_thread_approves() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();

    let pin = std::thread::scope(|s| {
        s.spawn(|| {
            await_polls(&fake, id, 3);
            fake.control("/_fake/pins/approve", json!({"id": id, "login": EMAIL_A}));
        });
        client.wait_for_pin(id, fast_wait().timeout(Duration::from_secs(20))).unwrap()
    });
    assert_eq!(pin.id, Some(id));
    assert_eq!(pin.auth_token.as_deref(), Some(TOKEN_A));
    assert!(!format!("{pin:?}").contains(TOKEN_A));

    let polls = fake.requests_to(&format!("/api/v2/pins/{id}"));
    assert!(polls.len() >= 4, "{} polls", polls.len());
    for p in &polls {
        assert_eq!(p.method(), "GET");
        assert_eq!(p.header("X-Plex-Token"), None);
        assert_eq!(p.header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
    }
}

#[test]
fn wait_for_pin_that_expires_meanwhile_is_pin_expired() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();
    let e = std::thread::scope(|s| {
        s.spawn(|| {
            await_polls(&fake, id, 2);
            fake.control("/_fake/pins/expire", json!({"id": id}));
        });
        client.wait_for_pin(id, fast_wait().timeout(Duration::from_secs(20))).unwrap_err()
    });
    assert_eq!(e.kind(), ErrorKind::PinExpired, "{e:?}");
}

#[test]
fn wait_for_pin_times_out() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();
    let start = Instant::now();
    let e = client.wait_for_pin(id, fast_wait().timeout(Duration::from_millis(400))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(350) && took < Duration::from_secs(3), "{took:?}");
    assert!(fake.requests_to(&format!("/api/v2/pins/{id}")).len() >= 2);
}

#[test]
fn wait_for_pin_is_cancelled_within_100_ms_even_mid_pause() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();
    let cancel = CancelToken::new();
    let opts = CallOptions::new().cancel(&cancel);
    let (e, cancelled_at) = std::thread::scope(|s| {
        let (remote, fake) = (cancel.clone(), &fake);
        let canceller = s.spawn(move || {
            await_polls(fake, id, 1);
            std::thread::sleep(Duration::from_millis(100)); // well inside the 60 s pause
            let at = Instant::now();
            remote.cancel();
            at
        });
        let wait = PinWait::new().poll_interval(Duration::from_millis(60_000));
        let e = client.wait_for_pin_with(id, wait, &opts).unwrap_err();
        (e, canceller.join().unwrap())
    });
    let took = cancelled_at.elapsed();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e:?}");
    assert!(took < Duration::from_millis(100), "returned {took:?} after the cancel");
    assert_eq!(fake.requests_to(&format!("/api/v2/pins/{id}")).len(), 1);
}

#[test]
fn wait_for_pin_reports_progress_and_stops_when_the_closure_says_so() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let pin = client.create_pin().unwrap();
    let (id, code) = (pin.id.unwrap(), pin.code.unwrap());
    let mut calls: Vec<(String, Option<Duration>)> = Vec::new();
    let wait = fast_wait().progress(|code, left| {
        calls.push((code.to_string(), left));
        if calls.len() == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    let e = client.wait_for_pin(id, wait).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e:?}");
    assert_eq!(calls.len(), 3, "{calls:?}");
    for (c, left) in &calls {
        assert_eq!(c, &code);
        let left = left.expect("the fake's PIN has an expiry");
        assert!(left > Duration::from_secs(800) && left <= Duration::from_secs(900), "{left:?}");
    }
}

#[test]
fn a_panicking_progress_closure_stops_the_wait_with_a_callback_error() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();
    let mut calls = 0;
    let wait = fast_wait().timeout(Duration::from_secs(20)).progress(|_, _| {
        calls += 1;
        panic!("progress exploded");
    });
    let e = client.wait_for_pin(id, wait).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback, "{e:?}");
    assert!(e.message().contains("progress exploded"), "{e}");
    assert_eq!(calls, 1, "not called again after a panic");
    // The client still works.
    assert!(client.get_pin(id).unwrap().auth_token.is_none());
}

#[test]
fn wait_for_pin_refuses_an_out_of_range_poll_interval() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let id = client.create_pin().unwrap().id.unwrap();
    for d in [Duration::from_millis(50), Duration::from_secs(61)] {
        let e = client.wait_for_pin(id, PinWait::new().poll_interval(d)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{d:?}: {e:?}");
    }
    assert!(fake.requests_to(&format!("/api/v2/pins/{id}")).is_empty());
}

// ---- per-call access token ----

#[test]
fn a_per_call_access_token_beats_the_clients_and_is_never_shown() {
    let fake = Fake::start();
    let (builder, lines) = fake.logged_builder();
    let client = builder.access_token("badClientToken000000").build().unwrap();
    assert_eq!(client.ping().unwrap_err().kind(), ErrorKind::Unauthorized);

    let opts = CallOptions::new().access_token(TOKEN_A);
    assert_eq!(client.ping_with(&opts).unwrap().pong, Some(true));
    let debug = format!("{opts:?}");
    assert!(!debug.contains(TOKEN_A), "{debug}");
    assert!(debug.contains("<redacted>"), "{debug}");

    let reqs = fake.requests_to("/api/v2/ping");
    assert_eq!(reqs[0].header("X-Plex-Token"), Some("badClientToken000000"));
    assert_eq!(reqs[1].header("X-Plex-Token"), Some(TOKEN_A));

    // A call token that fails: neither the error nor the log shows it.
    let secret = "perCallSecretTokenXYZ";
    let e = client.get_token_details_with(&CallOptions::new().access_token(secret)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    for shown in [e.to_string(), format!("{e:?}"), String::from_utf8_lossy(e.body().unwrap_or_default()).into()] {
        assert!(!shown.contains(secret) && !shown.contains(TOKEN_A), "{shown}");
    }
    let lines = lines.lock().unwrap();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| !l.contains(secret) && !l.contains(TOKEN_A)), "{lines:?}");
    assert_eq!(fake.requests_to("/api/v2/user")[0].header("X-Plex-Token"), Some(secret));
}

#[test]
fn a_per_call_access_token_beats_a_token_provider_and_rejects_a_nul() {
    let fake = Fake::start();
    let client = fake.builder().token_provider(|| Some("providerToken0000000".into())).build().unwrap();
    let me = client.get_token_details_with(&CallOptions::new().access_token(TOKEN_A)).unwrap();
    assert_eq!(me.email.as_deref(), Some(EMAIL_A));
    assert_eq!(fake.requests_to("/api/v2/user")[0].header("X-Plex-Token"), Some(TOKEN_A));

    let e = client.ping_with(&CallOptions::new().access_token("bad\0token")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(!format!("{e:?}").contains("bad\0token"));
}
