//! The login journeys against plexauth-fake: PIN login (create, approve, poll),
//! expiry, linking a code, signing out and switching to a Plex Home user.

mod common;

use common::*;
use plexauth::{CallOptions, ErrorKind};
use serde_json::json;

/// A client of the device that shows the PIN: a client id, no token.
fn device(fake: &Fake) -> plexauth::Client {
    fake.builder().build().unwrap()
}

#[test]
fn create_pin_gives_a_4_character_code_and_sends_no_token() {
    let fake = Fake::start();
    // A token is configured, but create_pin never sends it.
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let pin = client.create_pin().unwrap();

    assert!(pin.id.is_some_and(|id| id > 0), "{pin:?}");
    assert_eq!(pin.code.as_deref().map(str::len), Some(4), "{pin:?}");
    assert_eq!(pin.expires_in, Some(900));
    assert_eq!(pin.auth_token, None, "not approved yet");
    assert_eq!(pin.response.status, 201);
    let (created, expires) = (pin.created_at.expect("createdAt"), pin.expires_at.expect("expiresAt"));
    assert!(expires > created, "{created} .. {expires}");
    assert!(pin.json().contains("\"code\""), "{}", pin.json());

    let reqs = fake.requests_to("/api/v2/pins");
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method(), "POST");
    assert!(!reqs[0].query().contains("strong"), "{}", reqs[0].query());
    assert_eq!(reqs[0].header("X-Plex-Token"), None);
    assert_eq!(reqs[0].header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
}

#[test]
fn create_pin_strong_gives_a_25_character_code() {
    let fake = Fake::start();
    let pin = device(&fake).create_pin_with(true, &CallOptions::new()).unwrap();
    assert_eq!(pin.code.as_deref().map(str::len), Some(25), "{pin:?}");
    assert_eq!(pin.expires_in, Some(1800));
    assert_eq!(fake.requests_to("/api/v2/pins")[0].query(), "strong=true");
}

#[test]
fn create_pin_without_a_client_identifier_fails() {
    let fake = Fake::start();
    let client = plexauth::Client::builder().plex_tv_url(fake.plex_tv()).no_retry().build().unwrap();
    let e = client.create_pin().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadRequest, "{e:?}");
    assert_eq!(e.http_status(), Some(400));
    assert_eq!(e.plex_code(), Some(1000));
    assert_eq!(fake.requests_to("/api/v2/pins")[0].header("X-Plex-Client-Identifier"), None);
}

#[test]
fn pin_login_create_approve_poll_gives_the_token() {
    let fake = Fake::start();
    let client = device(&fake);
    let pin = client.create_pin().unwrap();
    let id = pin.id.unwrap();

    // Polled before approval: no token yet.
    let polled = client.get_pin(id).unwrap();
    assert_eq!(polled.id, Some(id));
    assert_eq!(polled.code, pin.code);
    assert_eq!(polled.auth_token, None);
    assert_eq!(polled.response.status, 200);

    fake.control("/_fake/pins/approve", json!({"id": id, "login": EMAIL_A}));
    let approved = client.get_pin(id).unwrap();
    assert_eq!(approved.auth_token.as_deref(), Some(TOKEN_A));
    let debug = format!("{approved:?}");
    assert!(!debug.contains(TOKEN_A), "Debug shows the PIN's token: {debug}");
    assert!(debug.contains("auth_token: Some(\"<redacted>\")"), "{debug}");

    let reqs = fake.requests_to(&format!("/api/v2/pins/{id}"));
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[1].method(), "GET");
    assert_eq!(reqs[1].header("X-Plex-Token"), None, "get_pin never sends a token");
    assert_eq!(reqs[1].header("X-Plex-Client-Identifier"), Some(CLIENT_ID));

    // The token the PIN gave works.
    let signed_in = fake.builder().access_token(approved.auth_token.unwrap()).build().unwrap();
    assert_eq!(signed_in.ping().unwrap().pong, Some(true));
}

#[test]
fn an_expired_pin_is_pin_expired() {
    let fake = Fake::start();
    let client = device(&fake);
    let id = client.create_pin().unwrap().id.unwrap();
    fake.control("/_fake/pins/expire", json!({"id": id}));

    let e = client.get_pin(id).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinExpired, "{e:?}");
    assert_eq!(e.http_status(), Some(404));
    assert_eq!(e.plex_code(), Some(1020));
    assert!(e.to_string().starts_with("pin_expired: "), "{e}");
}

#[test]
fn an_unknown_pin_or_one_polled_by_another_client_is_pin_expired() {
    let fake = Fake::start();
    let client = device(&fake);
    let id = client.create_pin().unwrap().id.unwrap();

    let e = client.get_pin(id + 1_000_000).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinExpired, "{e:?}");

    let other = CallOptions::new().client_id("another-client-0000");
    let e = client.get_pin_with(id, &other).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinExpired, "{e:?}");
    // The int path parameter is on the wire as is.
    assert_eq!(fake.requests_to(&format!("/api/v2/pins/{id}")).len(), 1);
    assert_eq!(fake.requests_to(&format!("/api/v2/pins/{}", id + 1_000_000)).len(), 1);
}

#[test]
fn link_pin_links_a_code_to_the_signed_in_account() {
    let fake = Fake::start();
    let tv = device(&fake);
    let pin = tv.create_pin().unwrap();
    let code = pin.code.clone().unwrap();

    let phone = fake.builder().access_token(TOKEN_A).build().unwrap();
    let () = phone.link_pin(&code).unwrap();

    let req = &fake.requests_to("/api/v2/pins/link")[0];
    assert_eq!(req.method(), "PUT");
    assert_eq!(req.body(), format!("code={code}"));
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));
    assert!(req.header("Content-Type").unwrap_or_default().starts_with("application/x-www-form-urlencoded"));

    // The TV's poll now gets the phone's account token.
    assert_eq!(tv.get_pin(pin.id.unwrap()).unwrap().auth_token.as_deref(), Some(TOKEN_A));
}

#[test]
fn link_pin_with_an_expired_or_empty_code_fails() {
    let fake = Fake::start();
    let tv = device(&fake);
    let pin = tv.create_pin().unwrap();
    fake.control("/_fake/pins/expire", json!({"id": pin.id.unwrap()}));
    let phone = fake.builder().access_token(TOKEN_A).build().unwrap();

    let e = phone.link_pin_with(pin.code.as_deref().unwrap(), &CallOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinExpired, "{e:?}");
    assert_eq!(e.http_status(), Some(404));

    let e = phone.link_pin("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e:?}");
    assert_eq!(e.attempts(), 0);
    assert_eq!(fake.requests_to("/api/v2/pins/link").len(), 1, "an empty code is never sent");
}

#[test]
fn sign_out_invalidates_the_token() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    assert_eq!(client.ping().unwrap().pong, Some(true));

    let () = client.sign_out().unwrap();
    let req = &fake.requests_to("/api/v2/users/signout")[0];
    assert_eq!(req.method(), "DELETE");
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));

    let e = client.ping().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
    assert_eq!(e.http_status(), Some(401));
    let e = client.sign_out_with(&CallOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e:?}");
}

#[test]
fn switch_home_user_with_a_wrong_or_no_pin_is_pin_required_and_never_shows_the_pin() {
    let fake = Fake::start();
    let (builder, lines) = fake.logged_builder();
    let client = builder.access_token(TOKEN_A).build().unwrap();

    let wrong = "wrongPinQz7";
    let e = client.switch_home_user_with(HOME_PROTECTED, Some(wrong), &CallOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinRequired, "{e:?}");
    assert_eq!(e.http_status(), Some(403));
    assert_eq!(e.plex_code(), Some(1041));
    assert_eq!(e.attempts(), 1, "never retried after a 4XX");
    let body = String::from_utf8_lossy(e.body().unwrap_or_default()).into_owned();
    for text in [e.to_string(), format!("{e:?}"), e.message().to_string(), body] {
        assert!(!text.contains(wrong), "the PIN shows: {text}");
    }
    // It was sent (in the query, as plex.tv wants), but no log line shows it.
    let req = &fake.requests_to(&format!("/api/v2/home/users/{HOME_PROTECTED}/switch"))[0];
    assert_eq!(req.method(), "POST");
    assert_eq!(req.query(), format!("pin={wrong}"));
    let lines = lines.lock().unwrap().clone();
    assert!(!lines.is_empty(), "no log lines at Debug level");
    for line in &lines {
        assert!(!line.contains(wrong), "the PIN in a log line: {line}");
    }

    let e = client.switch_home_user(HOME_PROTECTED).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::PinRequired, "{e:?}");
    let req = &fake.requests_to(&format!("/api/v2/home/users/{HOME_PROTECTED}/switch"))[1];
    assert!(!req.query().contains("pin"), "no PIN: none sent ({})", req.query());
}

#[test]
fn switch_home_user_with_the_right_pin_gives_the_home_users_account() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let a = client.switch_home_user_with(HOME_PROTECTED, Some(HOME_PIN), &CallOptions::new()).unwrap();

    assert_eq!(a.response.status, 201);
    assert_eq!(a.uuid.as_deref(), Some(HOME_PROTECTED));
    let token = a.auth_token.clone().expect("the Home user's token");
    assert_ne!(token, TOKEN_A);
    assert!(!format!("{a:?}").contains(&token), "Debug shows the token");

    let req = &fake.requests_to(&format!("/api/v2/home/users/{HOME_PROTECTED}/switch"))[0];
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));

    // The new token is the Home user's.
    let home = fake.builder().access_token(token).build().unwrap();
    assert_eq!(home.get_token_details().unwrap().uuid.as_deref(), Some(HOME_PROTECTED));
}

#[test]
fn switch_home_user_to_an_unprotected_user_needs_no_pin() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let a = client.switch_home_user(HOME_OPEN).unwrap();
    assert_eq!(a.uuid.as_deref(), Some(HOME_OPEN));
    assert!(a.auth_token.is_some());
}

#[test]
fn a_pin_with_a_nul_byte_is_rejected_before_sending_and_not_shown() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let e = client.switch_home_user_with(HOME_PROTECTED, Some("12\u{0}secretPin"), &CallOptions::new()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(e.attempts(), 0);
    assert!(e.message().contains("pin"), "{e}");
    assert!(!format!("{e} {e:?}").contains("secretPin"), "{e:?}");
    assert!(fake.requests_to(&format!("/api/v2/home/users/{HOME_PROTECTED}/switch")).is_empty());

    let e = client.switch_home_user("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "an empty user: {e:?}");
}

#[test]
fn create_pin_over_the_limit_is_rate_limited_and_retried_after_retry_after() {
    let fake = Fake::start();
    fake.control("/_fake/pins/limit", json!({"per_client": 1}));
    let client = device(&fake);
    client.create_pin().unwrap();
    let e = client.create_pin().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimited, "{e:?}");
    assert_eq!(e.http_status(), Some(429));
    assert_eq!(e.plex_code(), Some(1003));

    // With Retry-After: 1 the limit lifts a second later, and a retrying client gets its PIN.
    let fake = Fake::start();
    fake.control("/_fake/pins/limit", json!({"per_client": 1, "retry_after": "1"}));
    let client = fake.builder().retry(fast_retry(3)).build().unwrap();
    client.create_pin().unwrap();
    let started = std::time::Instant::now();
    let pin = client.create_pin().unwrap();
    assert_eq!(pin.code.as_deref().map(str::len), Some(4));
    assert!(started.elapsed() >= std::time::Duration::from_millis(900), "Retry-After was not honoured");
    assert_eq!(fake.requests_to("/api/v2/pins").len(), 3);
}

#[test]
fn list_home_users_reads_the_v1_xml_and_tells_who_needs_a_pin() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let home = client.list_home_users().unwrap();
    assert_eq!(home.response.status, 200);
    assert!(home.response.content_type.starts_with("application/xml"), "{}", home.response.content_type);
    assert_eq!((home.size, home.total_size), (Some(3), Some(3)));
    assert_eq!(home.users.len(), 3);
    let user = |uuid: &str| home.users.iter().find(|u| u.uuid.as_deref() == Some(uuid)).expect(uuid).clone();
    let kid = user(HOME_PROTECTED);
    assert_eq!(kid.id, Some(20000001));
    assert_eq!(kid.title.as_deref(), Some("Kid"));
    assert_eq!((kid.protected, kid.restricted, kid.admin), (Some(true), Some(true), Some(false)));
    assert_eq!(user(HOME_OPEN).protected, Some(false));
    assert_eq!(user("dae343c1f45beb4f").admin, Some(true));
    let req = &fake.requests_to("/api/home/users")[0];
    assert_eq!(req.method(), "GET");
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));
    // The flag is what switching needs.
    assert_eq!(client.switch_home_user(HOME_PROTECTED).unwrap_err().kind(), ErrorKind::PinRequired);
    assert!(client.switch_home_user(HOME_OPEN).is_ok());
}

#[test]
fn list_home_users_refuses_a_doctype_and_a_bad_token() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults(
        "/api/home/users",
        json!([{"body": "<!DOCTYPE x [<!ENTITY a 'b'>]><MediaContainer size=\"&a;\"/>", "content_type": "text/xml"}]),
    );
    let e = client.list_home_users().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedResponse, "{e:?}");
    assert!(e.message().contains("DOCTYPE"), "{e:?}");
    let stranger = fake.builder().access_token("notAValidToken000000").build().unwrap();
    assert_eq!(stranger.list_home_users().unwrap_err().kind(), ErrorKind::Unauthorized);
}
