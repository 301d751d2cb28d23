//! list_resources and connect against the fake's topology of loopback servers
//! (tests/fake/README.md "Topology"): real black holes, a refusal, a server answering with
//! another identifier, and a relay that answers.

mod common;

use std::time::{Duration, Instant};

use common::*;
use plexauth::{CancelToken, Client, ConnectCache, ConnectOptions, ErrorKind, Location, Outcome, Resource};
use serde_json::{json, Value};

const OFFICE: &str = "0ff1ce0000000000";
const OFFICE_TOKEN: &str = "officeTok123";
/// What the fake's wrong_id connections answer as machineIdentifier.
const WRONG_ID: &str = "ffffffffffffffffffffffffffffffff";

/// Replaces account A's resources with one server, Office, with these connections.
fn topology(fake: &Fake, connections: Value) {
    fake.control(
        "/_fake/topology",
        json!({"servers": [{"name": "Office", "clientIdentifier": OFFICE, "owned": true,
                            "accessToken": OFFICE_TOKEN, "connections": connections}]}),
    );
}

fn client(fake: &Fake) -> Client {
    fake.builder().access_token(TOKEN_A).clients_url(fake.plex_tv()).build().unwrap()
}

fn list_office(client: &Client) -> Resource {
    let all = client.list_resources().unwrap();
    all.devices.into_iter().find(|d| d.client_identifier.as_deref() == Some(OFFICE)).expect("Office is listed")
}

fn opts(stagger_ms: u64, grace_ms: u64, deadline_ms: u64) -> ConnectOptions {
    ConnectOptions::new()
        .stagger(Duration::from_millis(stagger_ms))
        .grace(Duration::from_millis(grace_ms))
        .deadline(Duration::from_millis(deadline_ms))
}

#[test]
fn list_resources_gives_account_a_devices() {
    let fake = Fake::start();
    let client = client(&fake);
    let all = client.list_resources().unwrap();
    let sent = fake.requests_to("/api/v2/resources");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].query(), "includeHttps=1&includeRelay=1&includeIPv6=1");
    assert_eq!(sent[0].header("X-Plex-Token"), Some(TOKEN_A));
    assert_eq!(all.devices.len(), 3, "{all:?}");
    let (living, shared, player) = (&all.devices[0], &all.devices[1], &all.devices[2]);
    assert_eq!(living.name.as_deref(), Some("Living Room"));
    assert_eq!(living.owned, Some(true));
    assert_eq!(living.access_token.as_deref(), Some("srcAccessTok0123456789"));
    assert!(!living.connections.is_empty() && living.connections[0].uri.is_some());
    assert!(!format!("{all:?}").contains("srcAccessTok0123456789"), "Debug hides the token");
    assert_eq!(shared.access_token, None, "a null accessToken reads as absent");
    assert_eq!(shared.owned, Some(false));
    assert!(shared.owner_id.is_some());
    assert!(shared.connections.iter().any(|c| c.ipv6 == Some(true)));
    assert_eq!(player.provides.as_deref(), Some("client,player"));
}

#[test]
fn connect_picks_the_relay_past_a_black_hole_a_refusal_and_a_wrong_server() {
    let fake = Fake::start();
    topology(
        &fake,
        json!([{"behaviour": "blackhole", "local": true}, {"behaviour": "refuse"}, {"behaviour": "wrong_id"},
               {"behaviour": "ok", "relay": true, "delay_ms": 20}]),
    );
    let client = client(&fake);
    let office = list_office(&client);
    let ports: Vec<i64> = office.connections.iter().filter_map(|c| c.port).collect();
    let r = client.connect(&office, &opts(50, 20, 5000)).unwrap();
    assert_eq!((r.machine_identifier.as_str(), r.name.as_str()), (OFFICE, "Office"));
    assert_eq!(r.access_token.as_deref(), Some(OFFICE_TOKEN));
    assert!(!format!("{r:?}").contains(OFFICE_TOKEN), "Debug hides the token");
    assert_eq!(r.attempts.len(), 4, "{r:?}");
    let seen: Vec<_> = r.attempts.iter().map(|a| (a.location, a.outcome, a.status)).collect();
    assert_eq!(
        seen,
        [
            (Location::Local, Outcome::Abandoned, None),
            (Location::Remote, Outcome::Failed, Some(ErrorKind::Transport)),
            (Location::Remote, Outcome::Failed, Some(ErrorKind::MalformedResponse)),
            (Location::Relay, Outcome::Ok, None),
        ]
    );
    assert!(r.attempts[2].message.as_deref().unwrap_or("").contains(WRONG_ID), "{:?}", r.attempts[2]);
    assert_eq!(r.uri, r.attempts[3].uri);
    assert!(r.uri.starts_with("http://127.0.0.1:"), "{}", r.uri);
    assert!(r.attempts.iter().all(|a| !a.https && !a.ipv6 && !a.remembered && a.started.is_some()));
    assert!(r.attempts[3].elapsed.unwrap() >= Duration::from_millis(20), "the relay answers after 20 ms");
    assert_eq!(r.attempts[3].http_status, Some(200));
    // The wrong server and the relay answered: both probes carried the client's identity and the
    // server's own token.
    let probes: Vec<_> = fake
        .requests_to("/identity")
        .into_iter()
        .filter(|q| q.0["port"].as_i64().is_some_and(|p| ports.contains(&p)))
        .collect();
    assert_eq!(probes.len(), 2, "{probes:?}");
    for p in probes {
        assert_eq!(p.header("X-Plex-Client-Identifier"), Some(CLIENT_ID));
        assert_eq!(p.header("X-Plex-Token"), Some(OFFICE_TOKEN));
    }
}

#[test]
fn black_holes_are_unreachable_at_the_deadline() {
    let fake = Fake::start();
    topology(
        &fake,
        json!([{"behaviour": "blackhole", "local": true}, {"behaviour": "blackhole"},
               {"behaviour": "blackhole", "relay": true}]),
    );
    let client = client(&fake);
    let office = list_office(&client);
    let t0 = Instant::now();
    let e = client.connect(&office, &opts(20, 0, 300)).unwrap_err();
    let took = t0.elapsed();
    assert_eq!(e.kind(), ErrorKind::Unreachable, "{e}");
    assert!(e.message().contains("within 300 ms") && e.message().contains("3. "), "{e}");
    assert!(!format!("{e} {e:?}").contains(OFFICE_TOKEN));
    assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn a_cancel_token_stops_a_connect() {
    let fake = Fake::start();
    topology(&fake, json!([{"behaviour": "blackhole"}, {"behaviour": "blackhole"}]));
    let client = client(&fake);
    let office = list_office(&client);
    let token = CancelToken::new();
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            token.cancel();
        })
    };
    let t0 = Instant::now();
    let e = client.connect(&office, &opts(50, 0, 60_000).cancel(&token)).unwrap_err();
    canceller.join().unwrap();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    assert!(t0.elapsed() < Duration::from_secs(5), "{:?}", t0.elapsed());
}

#[test]
fn the_cache_tries_the_remembered_connection_first_and_survives_a_file() {
    let fake = Fake::start();
    topology(&fake, json!([{"behaviour": "blackhole", "local": true}, {"behaviour": "ok"}]));
    let client = client(&fake);
    let office = list_office(&client);
    let cache = ConnectCache::new().unwrap();
    assert!(cache.is_empty());
    let o = opts(100, 0, 5000).cache(&cache);
    let first = client.connect(&office, &o).unwrap();
    assert_eq!(first.attempts[0].location, Location::Local);
    assert!(!first.attempts[0].remembered);
    assert_eq!(first.uri, first.attempts[1].uri);
    assert!(first.attempts[1].started.unwrap() >= Duration::from_millis(50), "after the stagger");
    assert_eq!(cache.len(), 1);
    let second = client.connect(&office, &o).unwrap();
    let a = &second.attempts[0];
    assert!(a.remembered && a.outcome == Outcome::Ok && a.uri == first.uri, "{second:?}");
    assert_eq!(second.uri, first.uri);

    let dir = std::env::temp_dir().join(format!("plexauth-rust-connect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("connections.json");
    cache.save(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let loaded = ConnectCache::new().unwrap();
    loaded.load(&path).unwrap();
    assert_eq!(loaded.len(), 1);
    let third = client.connect(&office, &ConnectOptions::new().cache(&loaded)).unwrap();
    assert!(third.attempts[0].remembered && third.attempts[0].outcome == Outcome::Ok, "{third:?}");
    assert_eq!(third.attempts[1].outcome, Outcome::NotTried, "the black hole is never probed");
    // Not a cache file; then a missing file is an empty cache.
    std::fs::write(&path, "<html>").unwrap();
    assert_eq!(loaded.load(&path).unwrap_err().kind(), ErrorKind::MalformedResponse);
    std::fs::remove_file(&path).unwrap();
    loaded.load(&path).unwrap();
    assert!(loaded.is_empty());
    let _ = std::fs::remove_dir(&dir);
}

#[test]
fn bad_input_is_invalid_argument() {
    let fake = Fake::start();
    topology(&fake, json!([{"behaviour": "ok"}]));
    let client = client(&fake);
    let office = list_office(&client);
    let mut no_id = office.clone();
    no_id.client_identifier = None;
    let mut nul = office.clone();
    nul.name = Some("a\0b".into());
    let cases: Vec<(&str, &Resource, ConnectOptions)> = vec![
        ("no clientIdentifier", &no_id, ConnectOptions::new()),
        ("a NUL in a field", &nul, ConnectOptions::new()),
        ("no location", &office, ConnectOptions::new().locations(&[])),
        ("no scheme", &office, ConnectOptions::new().schemes(false, false)),
        ("stagger over a minute", &office, ConnectOptions::new().stagger(Duration::from_secs(120))),
        ("grace over a minute", &office, ConnectOptions::new().grace(Duration::from_secs(120))),
        ("zero deadline", &office, ConnectOptions::new().deadline(Duration::ZERO)),
        ("deadline over 10 minutes", &office, ConnectOptions::new().deadline(Duration::from_secs(3600))),
    ];
    for (what, res, o) in &cases {
        let e = client.connect(res, o).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{what}: {e}");
    }
    let e = ConnectCache::new().unwrap().save("").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    // Valid options still connect (only the remote connection: the location filter works).
    let r = client.connect(&office, &ConnectOptions::new().locations(&[Location::Remote]).schemes(false, true));
    assert_eq!(r.unwrap().attempts.len(), 1);
    let e = client.connect(&office, &ConnectOptions::new().locations(&[Location::Local, Location::Relay]));
    assert_eq!(e.unwrap_err().kind(), ErrorKind::Unreachable, "no local or relay connection to try");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_async_runs_on_the_loop_and_dropping_it_cancels() {
    let fake = Fake::start();
    topology(&fake, json!([{"behaviour": "blackhole"}, {"behaviour": "ok", "relay": true}]));
    let client = client(&fake);
    let office = list_office(&client);
    let r = client.connect_async(&office, &opts(50, 0, 5000)).await.unwrap();
    assert_eq!(r.attempts[1].location, Location::Relay);
    assert_eq!(r.uri, r.attempts[1].uri);
    assert_eq!(r.attempts[0].outcome, Outcome::Abandoned);
    // Black holes only, a long deadline: the timeout drops the future, which cancels the call.
    topology(&fake, json!([{"behaviour": "blackhole"}, {"behaviour": "blackhole"}]));
    let holes = list_office(&client);
    let t0 = Instant::now();
    let pending = client.connect_async(&holes, &opts(50, 0, 60_000));
    assert!(tokio::time::timeout(Duration::from_millis(150), pending).await.is_err());
    assert!(t0.elapsed() < Duration::from_secs(5));
    let e = client.connect_async(&no_identifier(&holes), &ConnectOptions::new()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
}

fn no_identifier(r: &Resource) -> Resource {
    let mut r = r.clone();
    r.client_identifier = None;
    r
}
