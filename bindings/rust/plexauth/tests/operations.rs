//! The four operations against plexauth-fake: parsed fields and the bytes on the wire.

mod common;

use common::*;
use plexauth::{CallOptions, ErrorKind, SignIn};

#[test]
fn get_transient_token_sends_token_and_default_query() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();

    let t = client.get_transient_token().unwrap();
    let token = t.token.clone().expect("token");
    assert!(token.starts_with("transient-"), "{token}");
    assert_eq!(t.response.status, 200);
    assert!(t.response.content_type.starts_with("application/json"), "{}", t.response.content_type);
    assert!(t.response.text().contains(&token));
    assert!(t.response.header("content-type").is_some());
    assert!(!format!("{t:?}").contains(&token), "Debug must not show the token");

    let reqs = fake.requests_to("/security/token");
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method(), "GET");
    assert_eq!(reqs[0].query(), "type=delegation&scope=all");
    assert_eq!(reqs[0].header("X-Plex-Token"), Some(TOKEN_A));
    assert_eq!(reqs[0].header("Accept"), Some("application/json"));
}

#[test]
fn get_transient_token_with_explicit_type_and_scope() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let t = client.get_transient_token_with(Some("delegation"), Some("all"), &CallOptions::new()).unwrap();
    assert!(t.token.unwrap().starts_with("transient-"));
    assert_eq!(fake.requests_to("/security/token")[0].query(), "type=delegation&scope=all");
}

#[test]
fn transient_token_works_as_token_for_source_connection_information() {
    let fake = Fake::start();
    let admin = fake.builder().access_token(TOKEN_A).build().unwrap();
    let transient = admin.get_transient_token().unwrap().token.unwrap();

    let client = fake.builder().access_token(transient.clone()).build().unwrap();
    let s = client.get_source_connection_information(SOURCE).unwrap();
    assert_eq!(s.name.as_deref(), Some("Living Room"));
    assert_eq!(fake.requests_to("/security/resources")[0].header("X-Plex-Token"), Some(transient.as_str()));
}

#[test]
fn get_source_connection_information_parses_device_and_connections() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let s = client.get_source_connection_information(SOURCE).unwrap();

    assert_eq!(s.name.as_deref(), Some("Living Room"));
    assert_eq!(s.client_identifier.as_deref(), Some("3381b62b9ab74e37"));
    assert_eq!(s.access_token.as_deref(), Some("srcAccessTok0123456789"));
    assert!(!format!("{s:?}").contains("srcAccessTok0123456789"));
    assert_eq!(s.connections.len(), 2);
    let local = &s.connections[0];
    assert_eq!(local.protocol.as_deref(), Some("https"));
    assert_eq!(local.address.as_deref(), Some("10.0.0.5"));
    assert_eq!(local.port, Some(32400));
    assert_eq!(local.uri.as_deref(), Some("https://10.0.0.5:32400"));
    assert_eq!(local.local, Some(true));
    assert_eq!(local.relay, Some(false));
    assert_eq!(s.connections[1].relay, Some(true));
    assert_eq!(s.connections[1].local, Some(false));
    assert_eq!(s.response.status, 200);

    let req = &fake.requests_to("/security/resources")[0];
    assert_eq!(req.method(), "GET");
    // The source is percent-encoded in the query.
    assert_eq!(req.query(), "source=server%3A%2F%2F3381b62b9ab74e37");
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));
}

#[test]
fn source_info_without_a_device_is_success_with_every_field_absent() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    // A 200 without a Device is success with every field absent.
    fake.faults(
        "/security/resources",
        serde_json::json!([{"status": 200, "body": "{\"MediaContainer\":{\"size\":0}}"}]),
    );
    let s = client.get_source_connection_information("server://nope").unwrap();
    assert_eq!((s.name, s.client_identifier, s.access_token), (None, None, None));
    assert!(s.connections.is_empty());
}

#[test]
fn get_token_details_parses_every_account_field() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let a = client.get_token_details().unwrap();

    assert_eq!(a.id, Some(13692262));
    assert_eq!(a.uuid.as_deref(), Some("dae343c1f45beb4f"));
    assert_eq!(a.username.as_deref(), Some("Username"));
    assert_eq!(a.title.as_deref(), Some("UsernameTitle"));
    assert_eq!(a.email.as_deref(), Some("username@email.com"));
    assert_eq!(a.friendly_name.as_deref(), Some("friendlyUsername"));
    assert_eq!(a.locale, None); // null on the wire
    assert_eq!(a.confirmed, Some(false));
    assert_eq!(a.joined_at, Some(1721154902));
    assert_eq!(a.email_only_auth, Some(false));
    assert_eq!(a.has_password, Some(true));
    assert_eq!(a.protected, Some(false));
    assert_eq!(a.thumb.as_deref(), Some("https://plex.tv/users/a4f43c1ebfde43a5/avatar?c=8372075101"));
    assert_eq!(a.auth_token.as_deref(), Some(TOKEN_A));
    assert_eq!(a.mailing_list_status.as_deref(), Some("active"));
    assert_eq!(a.mailing_list_active, Some(false));
    assert_eq!(a.scrobble_types.as_deref(), Some(""));
    assert_eq!(a.country.as_deref(), Some("US"));
    assert_eq!(a.subscription_description, None);
    assert_eq!(a.restricted, Some(false));
    assert_eq!(a.anonymous, Some(false));
    assert_eq!(a.home, Some(false));
    assert_eq!(a.guest, Some(false));
    assert_eq!(a.home_size, Some(1));
    assert_eq!(a.home_admin, Some(false));
    assert_eq!(a.max_home_size, Some(15));
    assert_eq!(a.remember_expires_at, Some(1722364046));
    assert_eq!(a.ads_consent, None);
    assert_eq!(a.ads_consent_set_at, None);
    assert_eq!(a.ads_consent_reminder_at, None);
    assert_eq!(a.experimental_features, Some(false));
    assert_eq!(a.two_factor_enabled, Some(false));
    assert_eq!(a.backup_codes_created, Some(false));
    assert_eq!(a.attribution_partner, None);
    assert_eq!(a.pin, None);
    assert!(a.entitlements.is_empty());
    assert!(a.roles.is_empty());
    assert!(a.subscriptions.is_empty());

    let sub = a.subscription.as_ref().expect("subscription");
    assert_eq!(sub.active, Some(false));
    assert_eq!(sub.subscribed_at, None);
    assert_eq!(sub.status.as_deref(), Some("Inactive"));
    assert_eq!(sub.payment_service, None);
    assert_eq!(sub.plan, None);
    assert_eq!(sub.features, ["guided-upgrade", "two-factor-authentication"]);

    let p = a.profile.as_ref().expect("profile");
    assert_eq!(p.auto_select_audio, Some(true));
    assert_eq!(p.default_audio_language.as_deref(), Some("ja"));
    assert_eq!(p.default_subtitle_language.as_deref(), Some("en"));
    assert_eq!(p.auto_select_subtitle, Some(1));
    assert_eq!(p.default_subtitle_accessibility, Some(0));
    assert_eq!(p.default_subtitle_forced, Some(0));
    assert_eq!(p.watched_indicator, Some(1));
    assert_eq!(p.media_reviews_visibility, Some(0));

    assert_eq!(a.services.len(), 2);
    assert_eq!(a.services[0].identifier.as_deref(), Some("metadata"));
    assert_eq!(a.services[0].endpoint.as_deref(), Some("https://metadata.provider.plex.tv"));
    assert_eq!(a.services[0].token.as_deref(), Some("h5z3rQxLhJ2lRyB4gN7v"));
    assert_eq!(a.services[0].secret, None);
    assert_eq!(a.services[0].status.as_deref(), Some("online"));
    assert_eq!(a.services[1].identifier.as_deref(), Some("community"));
    assert_eq!(a.services[1].token, None);

    // GET /user carries no pastSubscriptions / trials.
    assert!(a.past_subscriptions.is_empty());
    assert_eq!(a.trial_count, 0);

    // The re-serialised JSON and the raw response.
    let json: serde_json::Value = serde_json::from_str(&a.json()).expect("account JSON");
    assert_eq!(json["id"], 13692262);
    assert_eq!(json["locale"], serde_json::Value::Null);
    assert_eq!(a.response.status, 200);
    let raw: serde_json::Value = serde_json::from_slice(a.response.body()).unwrap();
    assert_eq!(raw["uuid"], "dae343c1f45beb4f");

    let dbg = format!("{a:?}");
    assert!(!dbg.contains(TOKEN_A) && !dbg.contains("h5z3rQxLhJ2lRyB4gN7v"), "Debug leaks a token: {dbg}");

    let req = &fake.requests_to("/api/v2/user")[0];
    assert_eq!(req.method(), "GET");
    assert_eq!(req.header("X-Plex-Token"), Some(TOKEN_A));
}

#[test]
fn results_outlive_the_client_and_give_json_headers_and_body_on_demand() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<plexauth::Account>();
    send_sync::<plexauth::RawResponse>();
    send_sync::<plexauth::TransientToken>();
    send_sync::<plexauth::SourceInfo>();

    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let a = client.get_token_details().unwrap();
    let again = client.get_token_details().unwrap();
    let t = client.get_transient_token().unwrap();
    let s = client.get_source_connection_information(SOURCE).unwrap();
    drop(client);

    // A clone, read on another thread, gives the same JSON.
    let copy = a.clone();
    let json = std::thread::spawn(move || copy.json().into_owned()).join().unwrap();
    assert_eq!(json, a.json());
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed["uuid"], "dae343c1f45beb4f");
    assert_eq!(parsed["authToken"], TOKEN_A);

    let body: serde_json::Value = serde_json::from_slice(a.response.body()).unwrap();
    assert_eq!(body["id"], 13692262);
    let length = a.response.body().len().to_string();
    assert_eq!(a.response.header("content-length"), Some(length.as_str()));
    let content_type = a.response.headers().iter().find(|(n, _)| n.eq_ignore_ascii_case("Content-Type"));
    assert_eq!(content_type.map(|(_, v)| v), Some(&a.response.content_type));
    assert!(t.response.text().contains(t.token.as_deref().unwrap()));
    assert!(String::from_utf8_lossy(s.response.body()).contains("Living Room"));

    // Equality compares the contents, not the library's objects.
    assert_eq!(a, again);
    assert_eq!(a.response, again.response);
    let mut other = again.clone();
    other.username = Some("someone else".into());
    assert_ne!(a, other);
    assert_ne!(t.response, s.response);
}

#[test]
fn sign_in_sends_the_form_and_identity_headers_but_no_token() {
    let fake = Fake::start();
    let client = fake
        .builder()
        .access_token(TOKEN_B) // must not be sent on sign-in
        .client_name("Plex for Roku")
        .client_version("2.4.1")
        .platform("Roku")
        .device_nickname("Roku 3")
        .build()
        .unwrap();
    let a = client.sign_in(&SignIn::new("username@email.com", "password123")).unwrap();

    assert_eq!(a.response.status, 201);
    assert_eq!(a.id, Some(13692262));
    assert_eq!(a.auth_token.as_deref(), Some(TOKEN_A));
    assert_eq!(a.trial_count, 0);
    assert_eq!(a.past_subscriptions.len(), 1);
    let past = &a.past_subscriptions[0];
    assert_eq!(past.id, None);
    assert_eq!(past.mode, None);
    assert_eq!(past.renews_at, None);
    assert_eq!(past.ends_at, Some(1556281940));
    assert_eq!(past.billing.payment_method_id, None);
    assert_eq!(past.billing.internal_payment_method.as_deref(), Some("{}"));
    for flag in [
        past.canceled,
        past.grace_period,
        past.on_hold,
        past.can_reactivate,
        past.can_upgrade,
        past.can_downgrade,
        past.can_convert,
    ] {
        assert_eq!(flag, Some(false));
    }
    assert_eq!(past.type_.as_deref(), Some("plexpass"));
    assert_eq!(past.transfer, None);
    assert_eq!(past.state.as_deref(), Some("ended"));

    let req = &fake.requests_to("/api/v2/users/signin")[0];
    assert_eq!(req.method(), "POST");
    assert_eq!(req.body(), "login=username%40email.com&password=password123&rememberMe=false");
    assert!(req.header("Content-Type").unwrap().starts_with("application/x-www-form-urlencoded"));
    assert_eq!(req.header("X-Plex-Token"), None);
    assert_eq!(req.header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
    assert_eq!(req.header("X-Plex-Product"), Some("Plex for Roku"));
    assert_eq!(req.header("X-Plex-Version"), Some("2.4.1"));
    assert_eq!(req.header("X-Plex-Platform"), Some("Roku"));
    assert_eq!(req.header("X-Plex-Device"), Some("Roku 3"));
}

#[test]
fn sign_in_request_overrides_identity_and_sends_remember_me() {
    let fake = Fake::start();
    let client = fake.builder().client_name("Client Product").platform("Linux").build().unwrap();
    let req = SignIn::new("Username", "password123")
        .remember_me(true)
        .client_id("per-request-id")
        .client_name("Per Request Product")
        .client_version("9.9")
        .platform("Per Request Platform")
        .device_nickname("Per Request Device");
    let a = client.sign_in(&req).unwrap();
    assert_eq!(a.username.as_deref(), Some("Username"));

    let wire = &fake.requests_to("/api/v2/users/signin")[0];
    assert_eq!(wire.body(), "login=Username&password=password123&rememberMe=true");
    assert_eq!(wire.header("X-Plex-Client-Identifier"), Some("per-request-id"));
    assert_eq!(wire.header("X-Plex-Product"), Some("Per Request Product"));
    assert_eq!(wire.header("X-Plex-Version"), Some("9.9"));
    assert_eq!(wire.header("X-Plex-Platform"), Some("Per Request Platform"));
    assert_eq!(wire.header("X-Plex-Device"), Some("Per Request Device"));
}

#[test]
fn sign_in_with_two_factor_code() {
    let fake = Fake::start();
    let client = fake.builder().build().unwrap();
    let req = SignIn::new("user12345@example.com", "hunter2-secret");

    let e = client.sign_in(&req).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TwoFactorRequired);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.plex_code(), Some(1029));
    assert_eq!(e.plex_errors()[0].message.as_deref(), Some("Please enter the verification code"));
    assert_eq!(e.attempts(), 1);

    // A wrong code is still "two-factor required".
    let wrong = client.sign_in(&req.clone().verification_code("000000")).unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::TwoFactorRequired);

    let a = client.sign_in(&req.verification_code("123456")).unwrap();
    assert_eq!(a.id, Some(475829302));
    assert_eq!(a.uuid.as_deref(), Some("a1b2c3d4e5f67890"));
    assert_eq!(a.username.as_deref(), Some("user12345"));
    assert_eq!(a.country.as_deref(), Some("IT"));
    assert_eq!(a.auth_token.as_deref(), Some(TOKEN_B));
    assert_eq!(a.two_factor_enabled, Some(true));

    let bodies: Vec<String> = fake.requests_to("/api/v2/users/signin").iter().map(|r| r.body().to_string()).collect();
    assert_eq!(
        bodies,
        [
            "login=user12345%40example.com&password=hunter2-secret&rememberMe=false",
            "login=user12345%40example.com&password=hunter2-secret&rememberMe=false&verificationCode=000000",
            "login=user12345%40example.com&password=hunter2-secret&rememberMe=false&verificationCode=123456",
        ]
    );
}

#[test]
fn token_from_sign_in_gives_the_same_account_in_token_details() {
    let fake = Fake::start();
    let signed_in = fake
        .builder()
        .build()
        .unwrap()
        .sign_in(&SignIn::new("user12345", "hunter2-secret").verification_code("123456"))
        .unwrap();
    let client = fake.builder().access_token(signed_in.auth_token.clone().unwrap()).build().unwrap();
    let me = client.get_token_details().unwrap();
    assert_eq!(me.id, signed_in.id);
    assert_eq!(me.email.as_deref(), Some("user12345@example.com"));
}

#[test]
fn gzip_encoded_responses_are_decoded() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    fake.faults("/api/v2/user", serde_json::json!([{"gzip": true}]));
    let a = client.get_token_details().unwrap();
    assert_eq!(a.id, Some(13692262));
    assert_eq!(a.response.header("Content-Encoding"), Some("gzip"));
}

#[test]
fn ping_sends_the_token_and_reads_pong() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let p = client.ping().unwrap();
    assert_eq!(p.pong, Some(true));
    assert_eq!(p.response.status, 200);
    assert_eq!(p.json(), r#"{"pong":true}"#);

    let reqs = fake.requests_to("/api/v2/ping");
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method(), "GET");
    assert_eq!(reqs[0].header("X-Plex-Token"), Some(TOKEN_A));
    assert_eq!(reqs[0].header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
}

#[test]
fn ping_with_call_options_uses_the_per_call_url() {
    let fake = Fake::start();
    // The client's own plex.tv URL has nothing listening: only the per-call URL can answer.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client =
        fake.builder().plex_tv_url(format!("http://127.0.0.1:{closed}/api/v2")).access_token(TOKEN_A).build().unwrap();
    assert_eq!(client.ping().unwrap_err().kind(), ErrorKind::Transport);
    let p = client.ping_with(&CallOptions::new().server_url(fake.plex_tv())).unwrap();
    assert_eq!(p.pong, Some(true));
    assert_eq!(fake.requests_to("/api/v2/ping").len(), 1);
}

#[test]
fn ping_with_a_missing_or_bad_token_is_unauthorized() {
    let fake = Fake::start();
    for client in [fake.builder().build().unwrap(), fake.builder().access_token("bogus-ping-token").build().unwrap()] {
        let e = client.ping().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unauthorized, "{e}");
        assert_eq!(e.http_status(), Some(401));
        assert_eq!(e.plex_code(), Some(1001));
        assert!(!format!("{e} {e:?}").contains("bogus-ping-token"));
    }
}
