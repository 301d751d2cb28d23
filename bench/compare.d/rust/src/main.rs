//! bench/compare's Rust driver: the workload of driver.h through the plexauth crate.
//!
//!     plexauth-bench-driver PLEX_TV_URL N
//!     environment: PLEXAUTH_BENCH_TOKEN, PLEXAUTH_BENCH_LOGIN, PLEXAUTH_BENCH_PASSWORD
use std::time::{Instant, SystemTime, UNIX_EPOCH};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    assert_eq!(args.len(), 3, "usage: plexauth-bench-driver PLEX_TV_URL N");
    let n: usize = args[2].parse().expect("N");
    let token = env("PLEXAUTH_BENCH_TOKEN");
    let client = plexauth::Client::builder()
        .access_token(token.as_str())
        .plex_tv_url(args[1].as_str())
        .client_id("3381b62b-9ab7-4e37-827b-203e9809eb58")
        .client_name("Plex for Roku")
        .client_version("2.4.1")
        .platform("Roku")
        .device_nickname("Roku 3")
        .build()
        .expect("client");

    let call = || client.get_token_details().expect("get_token_details").id.expect("id");
    call();
    let first = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();

    let mut lat = Vec::with_capacity(n);
    let start = Instant::now();
    let mut t = start;
    for _ in 0..n {
        call();
        let now = Instant::now();
        lat.push((now - t).as_nanos());
        t = now;
    }
    let elapsed = (t - start).as_nanos();

    let request = plexauth::SignIn::new(env("PLEXAUTH_BENCH_LOGIN"), env("PLEXAUTH_BENCH_PASSWORD"));
    let s0 = Instant::now();
    let account = client.sign_in(&request).expect("sign-in");
    let sign_in = s0.elapsed().as_nanos();
    assert_eq!(account.auth_token.as_deref(), Some(token.as_str()), "sign-in token");

    let lat: Vec<String> = lat.iter().map(|v| v.to_string()).collect();
    println!(
        "{{\"first_ns\":{first},\"elapsed_ns\":{elapsed},\"sign_in_ns\":{sign_in},\"lat_ns\":[{}]}}",
        lat.join(",")
    );
}
