//! Client and per-call options, callbacks and threads.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use plexauth::{CallOptions, CancelToken, Client, ErrorKind, LogLevel, SignIn};
use serde_json::json;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<Client>();
    assert_send_sync::<CancelToken>();
    assert_send_sync::<plexauth::Error>();
    assert_send_sync::<plexauth::Account>();
    assert_send_sync::<plexauth::ClientBuilder>();
    assert_send_sync::<CallOptions>();
    assert_send_sync::<SignIn>();
}

#[test]
fn pms_address_from_protocol_ip_and_port() {
    let fake = Fake::start();
    let client = Client::builder()
        .access_token(TOKEN_A)
        .server_protocol("http")
        .server_ip("127.0.0.1")
        .server_port(fake.port)
        .no_retry()
        .build()
        .unwrap();
    assert!(client.get_transient_token().unwrap().token.is_some());
    assert_eq!(fake.requests_to("/security/token").len(), 1);
}

#[test]
fn server_url_beats_protocol_ip_and_port() {
    let fake = Fake::start();
    let client = Client::builder()
        .access_token(TOKEN_A)
        .server_url(format!("{}/", fake.base())) // one trailing '/' is removed
        .server_protocol("https")
        .server_ip("192.0.2.1")
        .server_port(1)
        .no_retry()
        .build()
        .unwrap();
    client.get_source_connection_information(SOURCE).unwrap();
    assert_eq!(fake.requests_to("/security/resources").len(), 1);
}

#[test]
fn per_call_server_url_overrides_the_client() {
    let fake = Fake::start();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .access_token(TOKEN_A)
        .server_url(format!("http://127.0.0.1:{closed}"))
        .plex_tv_url(format!("http://127.0.0.1:{closed}/api/v2"))
        .client_id(CLIENT_ID)
        .no_retry()
        .build()
        .unwrap();
    assert_eq!(client.get_token_details().unwrap_err().kind(), ErrorKind::Transport);

    let pms = CallOptions::new().server_url(fake.base());
    let tv = CallOptions::new().server_url(fake.plex_tv());
    assert!(client.get_transient_token_with(None, None, &pms).unwrap().token.is_some());
    assert_eq!(client.get_source_connection_information_with(SOURCE, &pms).unwrap().connections.len(), 2);
    assert_eq!(client.get_token_details_with(&tv).unwrap().id, Some(13692262));
    let a = client.sign_in_with(&SignIn::new("username@email.com", "password123"), &tv).unwrap();
    assert_eq!(a.id, Some(13692262));
    let paths: Vec<String> = fake.requests().iter().map(|r| r.path().to_string()).collect();
    assert_eq!(paths, ["/security/token", "/security/resources", "/api/v2/user", "/api/v2/users/signin"]);
}

#[test]
fn per_call_identity_overrides_the_client_for_that_call_only() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).client_name("Client Wide").platform("Linux").build().unwrap();
    let opts = CallOptions::new()
        .client_id("per-call-id")
        .client_name("Per Call")
        .client_version("9.9")
        .platform("Windows")
        .device_nickname("per-call-device")
        .device_name("Per Call Name");
    client.ping_with(&opts).unwrap();
    client.ping().unwrap();
    let reqs = fake.requests_to("/api/v2/ping");
    let headers = |r: &Request| {
        [
            "X-Plex-Client-Identifier",
            "X-Plex-Product",
            "X-Plex-Version",
            "X-Plex-Platform",
            "X-Plex-Device",
            "X-Plex-Device-Name",
        ]
        .map(|h| r.header(h).map(str::to_string))
    };
    assert_eq!(
        headers(&reqs[0]).map(Option::unwrap),
        ["per-call-id", "Per Call", "9.9", "Windows", "per-call-device", "Per Call Name"]
    );
    // Unset on the client: the library's defaults (its version, the host name), no nickname.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap().trim().to_string();
    assert_eq!(
        headers(&reqs[1]),
        [
            Some(CLIENT_ID.to_string()),
            Some("Client Wide".into()),
            Some(plexauth::library_version()),
            Some("Linux".into()),
            None,
            Some(host)
        ]
    );
    // A control character is rejected before anything is sent.
    let e = client.ping_with(&CallOptions::new().client_id("bad\nid")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(fake.requests_to("/api/v2/ping").len(), 2);
}

#[test]
fn device_name_is_sent_as_x_plex_device_name() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).device_name("Living Room TV").build().unwrap();
    client.ping().unwrap();
    client.create_pin().unwrap();
    client.sign_in(&SignIn::new(EMAIL_A, "password123").device_name("Signing In")).unwrap();
    assert_eq!(fake.requests_to("/api/v2/ping")[0].header("X-Plex-Device-Name"), Some("Living Room TV"));
    assert_eq!(fake.requests_to("/api/v2/pins")[0].header("X-Plex-Device-Name"), Some("Living Room TV"));
    assert_eq!(fake.requests_to("/api/v2/users/signin")[0].header("X-Plex-Device-Name"), Some("Signing In"));
}

#[test]
fn per_call_timeout_overrides_the_client() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).timeout(Duration::from_secs(30)).build().unwrap();
    fake.faults("/api/v2/user", json!([{"delay_ms": 3000}]));
    let start = Instant::now();
    let e = client.get_token_details_with(&CallOptions::new().timeout(Duration::from_millis(300))).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(start.elapsed() < Duration::from_millis(2500), "{:?}", start.elapsed());
}

#[test]
fn per_call_retry_and_no_retry() {
    let fake = Fake::start();
    // Client without retries; the call brings its own policy.
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", json!([{"status": 503}, {"status": 500}]));
    let a = client.get_token_details_with(&CallOptions::new().retry(fast_retry(3))).unwrap();
    assert_eq!(a.id, Some(13692262));
    assert_eq!(fake.requests_to("/api/v2/user").len(), 3);

    // Client with retries; the call turns them off.
    let client = fake.builder().access_token(TOKEN_A).retry(fast_retry(5)).build().unwrap();
    fake.faults("/security/token", json!([{"status": 503}]));
    let e = client.get_transient_token_with(None, None, &CallOptions::new().no_retry()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.attempts(), 1);
    assert_eq!(fake.requests_to("/security/token").len(), 1);
}

#[test]
fn retry_max_elapsed_zero_means_a_single_attempt() {
    let fake = Fake::start();
    let policy = fast_retry(0).max_elapsed(Duration::ZERO);
    let client = fake.builder().access_token(TOKEN_A).retry(policy).build().unwrap();
    fake.faults("/api/v2/user", json!([{"status": 503}, {"status": 503}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.attempts(), 1);
}

#[test]
fn token_provider_is_called_once_per_attempt() {
    let fake = Fake::start();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = fake
        .builder()
        .token_provider(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Some(TOKEN_A.to_string())
        })
        .retry(fast_retry(5))
        .build()
        .unwrap();
    fake.faults("/api/v2/user", json!([{"status": 503}, {"status": 502}]));
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    let wire = fake.requests_to("/api/v2/user");
    assert_eq!(wire.len(), 3);
    assert!(wire.iter().all(|r| r.header("X-Plex-Token") == Some(TOKEN_A)));

    // Not called for sign-in (no token is sent there).
    client.sign_in(&SignIn::new("username@email.com", "password123")).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(fake.requests_to("/api/v2/users/signin")[0].header("X-Plex-Token"), None);
}

#[test]
fn token_provider_can_rotate_tokens_and_send_none() {
    let fake = Fake::start();
    let tokens = Arc::new(Mutex::new(vec![None, Some(TOKEN_B.to_string()), Some(TOKEN_A.to_string())]));
    let client = fake.builder().token_provider(move || tokens.lock().unwrap().pop().flatten()).build().unwrap();
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
    assert_eq!(client.get_token_details().unwrap().id, Some(475829302));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    let sent: Vec<Option<String>> =
        fake.requests_to("/api/v2/user").iter().map(|r| r.header("X-Plex-Token").map(str::to_string)).collect();
    assert_eq!(sent, [Some(TOKEN_A.to_string()), Some(TOKEN_B.to_string()), None]);
}

#[test]
fn token_provider_is_dropped_with_the_last_client() {
    struct DropFlag(Arc<AtomicUsize>);
    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let fake = Fake::start();
    let dropped = Arc::new(AtomicUsize::new(0));
    let flag = DropFlag(dropped.clone());
    let builder = fake.builder().token_provider(move || {
        let _keep = &flag;
        Some(TOKEN_A.to_string())
    });
    let c1 = builder.build().unwrap();
    let c2 = builder.build().unwrap();
    drop(builder);
    assert_eq!(c1.get_token_details().unwrap().id, Some(13692262));
    drop(c1);
    assert_eq!(dropped.load(Ordering::SeqCst), 0, "still held by c2");
    assert_eq!(c2.get_token_details().unwrap().id, Some(13692262));
    drop(c2);
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

#[test]
fn log_callback_gets_redacted_lines() {
    let fake = Fake::start();
    let lines = Arc::new(Mutex::new(Vec::<(LogLevel, String)>::new()));
    let sink = lines.clone();
    let client = fake
        .builder()
        .access_token(TOKEN_A)
        .retry(fast_retry(2))
        .log(LogLevel::Debug, move |level, line| sink.lock().unwrap().push((level, line.to_string())))
        .build()
        .unwrap();
    fake.faults("/api/v2/user", json!([{"status": 503}]));
    client.get_token_details().unwrap();
    client.sign_in(&SignIn::new("user12345", "hunter2-secret").verification_code("123456")).unwrap();
    drop(client);

    let lines = lines.lock().unwrap();
    assert!(!lines.is_empty(), "no log lines at Debug level");
    for (_, line) in lines.iter() {
        for secret in [TOKEN_A, TOKEN_B, "hunter2-secret", "123456"] {
            assert!(!line.contains(secret), "secret in log line: {line}");
        }
    }
}

#[test]
fn log_level_filters_and_a_panicking_logger_is_contained() {
    let fake = Fake::start();
    let count = Arc::new(AtomicUsize::new(0));
    let c = count.clone();
    let client = fake
        .builder()
        .access_token(TOKEN_A)
        .log(LogLevel::Error, move |level, _| {
            assert_eq!(level, LogLevel::Error);
            c.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    client.get_token_details().unwrap(); // a success logs nothing at Error level
    assert_eq!(count.load(Ordering::SeqCst), 0);

    let client =
        fake.builder().access_token(TOKEN_A).log(LogLevel::Debug, |_, _| panic!("logger exploded")).build().unwrap();
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
}

#[test]
fn insecure_skip_tls_verify_logs_a_warning_when_the_client_is_created() {
    let fake = Fake::start();
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let sink = warnings.clone();
    let builder = fake.builder().access_token(TOKEN_A).log(LogLevel::Warn, move |level, line| {
        sink.lock().unwrap().push((level, line.to_string()));
    });
    builder.build().unwrap();
    assert!(warnings.lock().unwrap().is_empty());
    let client = builder.insecure_skip_tls_verify(true).build().unwrap();
    assert_eq!(warnings.lock().unwrap().iter().filter(|(level, _)| *level == LogLevel::Warn).count(), 1);
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
}

#[test]
fn identity_settings_and_ca_bundle_and_max_response_bytes_are_accepted() {
    let fake = Fake::start();
    let ca = ["/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/cert.pem"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("a system CA bundle");
    let client = fake
        .builder()
        .access_token(TOKEN_A)
        .client_name("N")
        .client_version("V")
        .platform("P")
        .device_nickname("D")
        .ca_bundle(ca)
        .max_response_bytes(64 * 1024)
        .connect_timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
}

#[test]
fn one_client_shared_by_many_threads() {
    let fake = Fake::start();
    let client = Arc::new(fake.builder().access_token(TOKEN_A).build().unwrap());
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    match i % 3 {
                        0 => assert_eq!(client.get_token_details().unwrap().id, Some(13692262)),
                        1 => assert!(client.get_transient_token().unwrap().token.unwrap().starts_with("transient-")),
                        _ => assert_eq!(
                            client.get_source_connection_information(SOURCE).unwrap().name.as_deref(),
                            Some("Living Room")
                        ),
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(fake.requests().len(), 40);
}

#[test]
fn one_cancel_token_stops_calls_on_several_threads() {
    let fake = Fake::start();
    let client = Arc::new(fake.builder().access_token(TOKEN_A).build().unwrap());
    fake.faults("/api/v2/user", json!([{"delay_ms": 5000}, {"delay_ms": 5000}, {"delay_ms": 5000}]));
    let cancel = CancelToken::new();
    let opts = CallOptions::new().cancel(&cancel);
    let start = Instant::now();
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let (client, opts) = (client.clone(), opts.clone());
            std::thread::spawn(move || client.get_token_details_with(&opts).unwrap_err().kind())
        })
        .collect();
    std::thread::sleep(Duration::from_millis(400));
    cancel.cancel();
    for h in handles {
        assert_eq!(h.join().unwrap(), ErrorKind::Cancelled);
    }
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
}

#[test]
fn library_version_is_reported() {
    assert_eq!(plexauth::library_version().split('.').count(), 3);
}
