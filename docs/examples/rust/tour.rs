//! Every plexauth flow in Rust, as docs/guide-rust.md shows it: the guide includes the
//! regions between the marker comments verbatim; tests/docs/check_guides.py checks that, and
//! scripts/test.sh runs this program against plexauth-fake (tests/docs/run_tour.sh).
//!
//! Servers come from the environment, always named explicitly: PLEX_SERVER (the PMS base URL)
//! and PLEX_TV_URL (the plex.tv API base); PLEXAUTH_CLIENT_ID_FILE optionally says where the
//! device identity is kept. Secrets come from standard input, one per line: the password, the
//! 2FA code, the Home user's PIN. Never from argv.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const LOGIN: &str = "user12345"; // an account with 2FA
const SOURCE: &str = "server://3381b62b9ab74e37";
const HOME_USER: &str = "homeuser0000uuid"; // a protected Plex Home user

fn main() -> ExitCode {
    match tour() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("failed: {e}"); // messages never contain secrets
            ExitCode::FAILURE
        }
    }
}

fn tour() -> Result<(), Box<dyn std::error::Error>> {
    let (Ok(pms), Ok(plex_tv)) = (std::env::var("PLEX_SERVER"), std::env::var("PLEX_TV_URL")) else {
        return Err("set PLEX_SERVER and PLEX_TV_URL".into());
    };
    let mut lines = std::io::stdin().lines();
    let mut secret = move || lines.next().unwrap_or_else(|| Ok(String::new()));
    let (password, code, home_pin) = (secret()?, secret()?, secret()?);

    // [setup]
    use plexauth::{CallOptions, Client, ErrorKind, PinWait, RetryPolicy, SignIn};

    // One stable identity per installation: plex.tv lists it as one device.
    let id_file = std::env::var_os("PLEXAUTH_CLIENT_ID_FILE").map(PathBuf::from);
    let client_id = plexauth::client_id_load_or_create(id_file.as_deref())?; // None: the default file
    let client = Client::builder()
        .client_id(client_id)
        .client_name("My Plex Tool")
        .client_version("1.0")
        .platform("Linux")
        .server_url(pms) // always name your server
        .plex_tv_url(plex_tv)
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(10)) // per attempt
        .retry(RetryPolicy::new().max_attempts(3).max_elapsed(Duration::from_secs(20)))
        .build()?;
    // [end]

    // [sign_in]
    let request = SignIn::new(LOGIN, password);
    let account = match client.sign_in(&request) {
        Err(e) if e.kind() == ErrorKind::TwoFactorRequired => {
            client.sign_in(&request.verification_code(code))? // ask for the code, sign in again
        }
        other => other?,
    }; // SignIn wipes the password and the code when it is dropped
    let token = account.auth_token.unwrap_or_default(); // store it safely
    println!("signed in as {}", account.username.as_deref().unwrap_or("?"));
    // [end]

    // [token]
    let as_user = CallOptions::new().access_token(&token); // this call's token only
    let me = client.get_token_details_with(&as_user)?;
    let active = me.subscription.as_ref().and_then(|s| s.active).unwrap_or(false);
    println!(
        "token details: {} <{}>, Plex Pass {}",
        me.username.as_deref().unwrap_or("?"),
        me.email.as_deref().unwrap_or("?"),
        if active { "active" } else { "inactive" }
    );
    let pong = client.ping_with(&as_user)?; // keeps the token alive
    println!("ping: {}", if pong.pong == Some(true) { "pong" } else { "no pong" });
    // [end]

    // [pms]
    let transient = client.get_transient_token_with(None, None, &as_user)?; // type=delegation, scope=all
    println!("transient token: {}", if transient.token.is_some() { "received" } else { "none" });
    let source = client.get_source_connection_information_with(SOURCE, &as_user)?;
    let uris: Vec<String> = source
        .connections
        .iter()
        .map(|c| c.uri.clone().unwrap_or_default() + if c.local == Some(true) { " (local)" } else { "" })
        .collect();
    println!("source {}: {}", source.name.as_deref().unwrap_or("?"), uris.join(" "));
    // [end]

    // [pin_login]
    let pin = client.create_pin_with(true, &CallOptions::new())?; // strong: for the hosted page
    let (id, pin_code) = (pin.id.unwrap_or_default(), pin.code.unwrap_or_default());
    println!("open {} in a browser", client.login_url(&pin_code, None)?); // or Some(forward URL)
    let wait = PinWait::new()
        .poll_interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(60)) // give up after a minute
        .progress(|shown, left| {
            // on this thread, before each pause between polls
            println!("waiting for code {shown} to be approved ({} s left)", left.unwrap_or_default().as_secs());
            ControlFlow::Continue(()) // Break(()) stops the wait: ErrorKind::Cancelled
        });
    let approved = client.wait_for_pin(id, wait)?; // or ErrorKind::PinExpired / Timeout / Cancelled
    let admin_token = approved.auth_token.unwrap_or_default();
    println!("PIN approved");
    // [end]

    // [home]
    let as_admin = CallOptions::new().access_token(&admin_token);
    let kid = match client.switch_home_user_with(HOME_USER, None, &as_admin) {
        Err(e) if e.kind() == ErrorKind::PinRequired => {
            // a protected user: ask for the PIN
            client.switch_home_user_with(HOME_USER, Some(&home_pin), &as_admin)?
        }
        other => other?,
    };
    let name = kid.title.as_deref().unwrap_or("?"); // its own token: kid.auth_token
    println!("switched to {name}");
    // [end]

    // [servers]
    let resources = client.list_resources_with(&as_admin)?; // the account's servers, players, ...
    let cache = plexauth::ConnectCache::new()?; // remembers what worked (save/load: a file)
    for device in &resources.devices {
        if !device.provides.as_deref().unwrap_or("").contains("server") {
            continue; // a player or another client
        }
        // Every location, https and http, staggered; the cache's connection first.
        let options = plexauth::ConnectOptions::new().deadline(Duration::from_secs(5)).cache(&cache);
        let server_name = device.name.as_deref().unwrap_or("?");
        let conn = match client.connect(device, &options) {
            Err(e) if e.kind() == ErrorKind::Unreachable => {
                // nothing answered as that server
                println!("server {server_name}: unreachable");
                continue;
            }
            other => other?,
        };
        // An owned server may come without a token of its own: use the account's.
        let server_token = conn.access_token.as_deref().unwrap_or(&admin_token);
        let at_server = CallOptions::new().server_url(&conn.uri).access_token(server_token);
        let identity = client.get_identity_with(&at_server)?;
        let version = identity.version.as_deref().unwrap_or("?");
        println!("server {}: {} in {} ms, version {version}", conn.name, conn.uri, conn.elapsed.as_millis());
    }
    // [end]

    // [errors]
    let revoked = CallOptions::new().access_token("revokedTokenXXXXXXXX").no_retry().timeout(Duration::from_secs(5));
    match client.ping_with(&revoked) {
        Err(e) if e.kind() == ErrorKind::Unauthorized => {
            // match the kind, never the text
            let (http, plex) = (e.http_status().unwrap_or(0), e.plex_code().unwrap_or(0));
            println!("refused: {}, HTTP {http}, Plex code {plex}", e.kind());
        }
        other => println!("unexpected: {other:?}"),
    }
    // [end]

    // [sign_out]
    client.sign_out_with(&as_user)?; // plex.tv invalidates the token
    println!("signed out");
    // [end]
    Ok(())
}
