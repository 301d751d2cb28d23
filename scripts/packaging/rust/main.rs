// Packaging test (scripts/packaging-test.sh): a program depending on the
// plexauth crate with the `bundled` feature, built and run with no plexauth
// environment variable. Asks the fake Plex server (127.0.0.1:<argv[1]>) for
// the seeded account and pings.
fn main() {
    let port: u16 = std::env::args().nth(1).and_then(|p| p.parse().ok()).expect("usage: scratch PORT");
    let client = plexauth::Client::builder()
        .access_token("CxoUzBTSV5hsxjTpFKaf") // the fake's seeded token (test data)
        .client_id("3381b62b-9ab7-4e37-827b-203e9809eb58")
        .plex_tv_url(format!("http://127.0.0.1:{port}/api/v2"))
        .no_retry()
        .build()
        .expect("client");
    let account = client.get_token_details().expect("get_token_details");
    assert_eq!(account.username.as_deref(), Some("Username"));
    assert_eq!(client.ping().expect("ping").pong, Some(true));
    println!("rust: bundled {} ok", plexauth::library_version());
}
