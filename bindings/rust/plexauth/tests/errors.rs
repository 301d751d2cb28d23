//! Every error kind the fake can provoke, with the detail each one carries.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plexauth::{CallOptions, ErrorKind, SignIn};
use serde_json::json;

#[test]
fn error_kind_codes_and_names_match_the_library() {
    // Beyond the last status too: a status the library names but the binding
    // maps to Unknown (or the other way round) fails here.
    for code in 1..=64 {
        let kind = ErrorKind::from_code(code);
        // SAFETY: plexauth_status_name returns a static string.
        let name = unsafe { std::ffi::CStr::from_ptr(plexauth_sys::plexauth_status_name(code as u32)) };
        assert_eq!(kind.name(), name.to_str().unwrap(), "status {code}");
        assert_eq!(kind.code(), code);
        assert_eq!(kind.to_string(), kind.name());
    }
    for code in 1..=18 {
        assert!(!matches!(ErrorKind::from_code(code), ErrorKind::Unknown(_)), "{code}");
    }
    assert_eq!(ErrorKind::from_code(0), ErrorKind::Unknown(0));
    assert_eq!(ErrorKind::from_code(999), ErrorKind::Unknown(999));
    assert_eq!(ErrorKind::Unknown(-3).code(), -3);
    assert_eq!(ErrorKind::from_code(4), ErrorKind::TwoFactorRequired);
    assert_eq!(ErrorKind::from_code(6), ErrorKind::Http);
    assert_eq!(ErrorKind::from_code(15), ErrorKind::Callback);
    assert_eq!(ErrorKind::from_code(17), ErrorKind::PinExpired);
    assert_eq!(ErrorKind::from_code(18), ErrorKind::PinRequired);
    assert_eq!(ErrorKind::PinExpired.name(), "pin_expired");
    assert_eq!(ErrorKind::PinRequired.name(), "pin_required");
}

#[test]
fn missing_client_id_is_bad_request_1000() {
    let fake = Fake::start();
    let client = plexauth::Client::builder().plex_tv_url(fake.plex_tv()).no_retry().build().unwrap();
    let e = client.sign_in(&SignIn::new("username@email.com", "password123")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(e.plex_errors().len(), 1);
    assert_eq!(e.plex_errors()[0].code, Some(1000));
    assert_eq!(e.plex_errors()[0].status, Some(400));
    assert_eq!(e.plex_errors()[0].message.as_deref(), Some("X-Plex-Client-Identifier is missing"));
    assert!(e.content_type().unwrap().starts_with("application/json"));
    assert!(String::from_utf8_lossy(e.body().unwrap()).contains("1000"));
    assert_eq!(fake.requests_to("/api/v2/users/signin")[0].header("X-Plex-Client-Identifier"), None);
}

#[test]
fn bad_request_on_a_pms_operation_carries_plex_errors() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults(
        "/security/token",
        json!([{"status": 400, "errors": [{"code": 1000, "message": "type is wrong", "status": 400}]}]),
    );
    let e = client.get_transient_token().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_eq!(e.plex_code(), Some(1000));
    assert_eq!(e.plex_errors()[0].message.as_deref(), Some("type is wrong"));
}

#[test]
fn wrong_password_is_unauthorized_and_never_shows_the_password() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let e = client.sign_in(&SignIn::new("username@email.com", "not-the-password-xyz")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.plex_code(), Some(1001));
    assert_eq!(e.attempts(), 1, "sign-in is never retried after a 4XX");
    for text in [e.to_string(), format!("{e:?}"), String::from_utf8_lossy(e.body().unwrap_or_default()).into()] {
        assert!(!text.contains("not-the-password-xyz"), "{text}");
    }
    assert!(e.to_string().starts_with("unauthorized: "), "{e}");
    assert!(e.to_string().contains("HTTP 401"), "{e}");
}

#[test]
fn missing_or_bad_token_is_unauthorized_401() {
    let fake = Fake::start();
    for client in [fake.builder().build().unwrap(), fake.builder().access_token("bogus-token").build().unwrap()] {
        let e = client.get_token_details().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
        assert_eq!(e.http_status(), Some(401));
        assert_eq!(e.plex_code(), Some(1001));
        let e = client.get_transient_token().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unauthorized);
    }
    assert_eq!(fake.requests_to("/api/v2/user")[0].header("X-Plex-Token"), None);
}

#[test]
fn revoked_token_422_is_unauthorized() {
    let fake = Fake::start();
    let client = fake.builder().access_token(REVOKED).build().unwrap();
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.http_status(), Some(422));
    assert_eq!(e.plex_code(), Some(1001));
    assert_eq!(e.plex_errors()[0].status, Some(422));
    assert!(!e.to_string().contains(REVOKED));
}

#[test]
fn rate_limited_carries_retry_after() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", json!([{"status": 429, "retry_after": "7"}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited);
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.attempts(), 1);
}

#[test]
fn rate_limited_get_is_retried_after_retry_after() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).retry(fast_retry(3)).build().unwrap();
    fake.faults("/api/v2/user", json!([{"status": 429, "retry_after": "1"}]));
    let start = Instant::now();
    let a = client.get_token_details().unwrap();
    assert_eq!(a.id, Some(13692262));
    assert!(start.elapsed() >= Duration::from_millis(900), "Retry-After: 1 was not honoured: {:?}", start.elapsed());
    assert_eq!(fake.requests_to("/api/v2/user").len(), 2);
}

#[test]
fn server_errors_are_retried_with_an_exact_attempt_count() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).retry(fast_retry(3)).build().unwrap();
    fake.faults("/security/token", json!([{"status": 500}, {"status": 502}, {"status": 503}, {"status": 504}]));
    let e = client.get_transient_token().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.http_status(), Some(503));
    assert_eq!(e.attempts(), 3);
    assert_eq!(fake.requests_to("/security/token").len(), 3);

    // The fourth fault is still queued; the next call retries past it.
    let t = client.get_transient_token().unwrap();
    assert!(t.token.is_some());
    assert_eq!(fake.requests_to("/security/token").len(), 5);
}

#[test]
fn http_error_for_other_statuses() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let e = client.get_source_connection_information("server://unknown").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.plex_code(), Some(1002));
    assert_eq!(e.attempts(), 1);

    // Redirects are never followed (the token would travel on): an HTTP error too.
    fake.faults("/api/v2/user", json!([{"status": 302}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.http_status(), Some(302));
}

#[test]
fn timeout_per_attempt() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).timeout(Duration::from_millis(300)).build().unwrap();
    fake.faults("/api/v2/user", json!([{"delay_ms": 3000}]));
    let start = Instant::now();
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.http_status(), None);
    assert!(start.elapsed() < Duration::from_millis(2500), "{:?}", start.elapsed());
}

#[test]
fn cancel_from_another_thread_mid_transfer() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", json!([{"delay_ms": 5000}]));
    let cancel = plexauth::CancelToken::new();
    let trigger = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            cancel.cancel();
        })
    };
    let start = Instant::now();
    let e = client.get_token_details_with(&CallOptions::new().cancel(&cancel)).unwrap_err();
    trigger.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(cancel.is_cancelled());
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(250) && took < Duration::from_millis(2500), "{took:?}");
}

#[test]
fn cancel_during_backoff_wait() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).retry(fast_retry(5)).build().unwrap();
    // Retry-After: 10 puts the call into a long backoff wait after the first 503
    // (still within fast_retry's 20 s max_elapsed, so the retry is planned).
    fake.faults("/security/token", json!([{"status": 503, "retry_after": "10"}]));
    let cancel = plexauth::CancelToken::new();
    let c2 = cancel.clone();
    let trigger = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        c2.cancel();
    });
    let start = Instant::now();
    let e = client.get_transient_token_with(None, None, &CallOptions::new().cancel(&cancel)).unwrap_err();
    trigger.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert_eq!(fake.requests_to("/security/token").len(), 1);
}

#[test]
fn an_already_cancelled_token_fails_before_sending() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let cancel = plexauth::CancelToken::new();
    cancel.cancel();
    let e = client.get_token_details_with(&CallOptions::new().cancel(&cancel)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled);
    assert_eq!(e.attempts(), 0);
    assert!(fake.requests().is_empty());
}

#[test]
fn malformed_response_wrong_content_type() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", json!([{"status": 200, "body": "<html>hi</html>", "content_type": "text/html"}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedResponse);
    assert_eq!(e.http_status(), Some(200));
    assert_eq!(e.content_type(), Some("text/html"));
    assert_eq!(e.body(), Some(&b"<html>hi</html>"[..]));
}

#[test]
fn malformed_response_bad_json_or_missing_field() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults(
        "/api/v2/user",
        json!([{"truncated_json": true}, {"status": 200, "body": "{\"id\":\"not a number\"}"}]),
    );
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedResponse);
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedResponse);
    assert!(e.message().contains("id"), "the message names the field: {}", e.message());
}

#[test]
fn response_too_large() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).max_response_bytes(4096).build().unwrap();
    fake.faults("/api/v2/user", json!([{"oversized_bytes": 100000}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResponseTooLarge);
    // The same client still works for a normal body (about 1.6 KB).
    assert_eq!(client.get_token_details().unwrap().id, Some(13692262));
}

#[test]
fn sign_in_throttled_1031_is_not_retried() {
    let fake = Fake::start();
    let client = fake.builder().retry(fast_retry(3)).build().unwrap();
    fake.faults(
        "/api/v2/users/signin",
        json!([{"status": 401, "errors": [{"code": 1031, "message": "Too many attempts", "status": 401}]}]),
    );
    let e = client.sign_in(&SignIn::new("username@email.com", "password123")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SignInThrottled);
    assert_eq!(e.plex_code(), Some(1031));
    assert_eq!(e.attempts(), 1);
    assert_eq!(fake.requests_to("/api/v2/users/signin").len(), 1);
}

#[test]
fn transport_error_when_the_connection_drops() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", json!([{"drop": true}]));
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e:?}");
}

#[test]
fn transport_error_when_nothing_listens() {
    // Take a free port, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = plexauth::Client::builder()
        .access_token(TOKEN_A)
        .plex_tv_url(format!("http://127.0.0.1:{port}/api/v2"))
        .retry(fast_retry(2))
        .build()
        .unwrap();
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport);
    assert_eq!(e.http_status(), None);
    assert_eq!(e.attempts(), 2, "connection errors are retried");
}

#[test]
fn tls_error_when_speaking_https_to_a_plain_http_server() {
    let fake = Fake::start();
    let client = fake.builder().plex_tv_url(format!("https://127.0.0.1:{}/api/v2", fake.port)).build().unwrap();
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Tls, "{e:?}");
}

#[test]
fn invalid_arguments_are_rejected_before_sending() {
    let fake = Fake::start();
    // Interior NUL bytes are caught on the Rust side, never a panic.
    let e = fake.builder().client_id("a\0b").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.message().contains("client_id"), "{}", e.message());
    let e = fake.builder().access_token("sec\0ret-xyz").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(!format!("{e} {e:?}").contains("ret-xyz"), "{e}");

    // Values the library refuses.
    for builder in [
        fake.builder().server_url("ftp://example"),
        fake.builder().plex_tv_url("not a url"),
        fake.builder().server_port(0),
        fake.builder().client_name("line\r\nbreak"),
        fake.builder().max_response_bytes(10),
        fake.builder().retry(plexauth::RetryPolicy::new().exponent(0.5)),
        fake.builder().retry(plexauth::RetryPolicy::new().initial_interval(Duration::ZERO)),
    ] {
        let e = builder.build().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{builder:?}");
    }

    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let e = client.get_source_connection_information("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.attempts(), 0);
    let e = client.get_source_connection_information("server://a\0b").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = client.sign_in(&SignIn::new("username@email.com", "pass\0word-secret")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(!format!("{e} {e:?}").contains("word-secret"));
    let e = client.sign_in(&SignIn::new("", "password123")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = client.get_token_details_with(&CallOptions::new().server_url("gopher://x")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(fake.requests().is_empty(), "nothing may be sent");
}

#[test]
fn a_panicking_token_provider_is_a_callback_error() {
    let fake = Fake::start();
    let client = fake.builder().token_provider(|| panic!("provider exploded")).build().unwrap();
    let e = client.get_token_details().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
    assert!(fake.requests().is_empty());
    // The client stays usable and the panic did not cross into C.
    let e = client.get_transient_token().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Callback);
}

#[test]
fn a_token_the_library_refuses_is_a_callback_error() {
    let fake = Fake::start();
    let client = fake.builder().token_provider(|| Some("bad\ntoken".to_string())).build().unwrap();
    assert_eq!(client.get_token_details().unwrap_err().kind(), ErrorKind::Callback);
}
