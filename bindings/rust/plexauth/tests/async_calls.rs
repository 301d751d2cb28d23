//! The `_async` twins (CallFuture over the non-blocking C calls) against plexauth-fake, on tokio
//! and on a minimal hand-written executor: results, concurrency on one loop thread, errors,
//! cancellation by dropping the future.

mod common;

use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Wake};
use std::time::{Duration, Instant};

use common::*;
use plexauth::{CallOptions, CancelToken, Client, ErrorKind, Loop, SignIn};
use serde_json::json;

fn os_threads() -> usize {
    std::fs::read_dir("/proc/self/task").map(|d| d.count()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_operations_at_once_with_join() {
    let fake = Fake::start();
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let sign_in = SignIn::new(EMAIL_A, "password123");
    let (details, transient, source, pong) = tokio::join!(
        client.get_token_details_async(),
        client.get_transient_token_async(),
        client.get_source_connection_information_async(SOURCE),
        client.ping_async(),
    );
    let details = details.unwrap();
    assert_eq!(details.id, Some(13692262));
    assert_eq!(details.response.status, 200);
    assert!(transient.unwrap().token.unwrap().starts_with("transient-"));
    assert_eq!(source.unwrap().name.as_deref(), Some("Living Room"));
    assert_eq!(pong.unwrap().response.status, 200);
    let signed_in = client.sign_in_async(&sign_in).await.unwrap();
    assert_eq!(signed_in.response.status, 201);
    assert_eq!(signed_in.id, Some(13692262));
    let wrong = client.sign_in_async(&SignIn::new(EMAIL_A, "not-the-password-xyz")).await.unwrap_err();
    assert_eq!(wrong.kind(), ErrorKind::Unauthorized);
    assert_eq!(fake.requests_to("/api/v2/user").len(), 1);
    assert_eq!(fake.requests_to("/security/token")[0].header("X-Plex-Token"), Some(TOKEN_A));
    let signin = fake.requests_to("/api/v2/users/signin");
    assert_eq!(signin.len(), 2);
    assert_eq!(signin[0].body(), "login=username%40email.com&password=password123&rememberMe=false");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_calls_in_flight_on_one_loop_thread() {
    let fake = Fake::start();
    let n = 64;
    fake.faults("/api/v2/user", json!(vec![json!({"delay_ms": 400}); n]));
    let client = Arc::new(fake.builder().access_token(TOKEN_A).build().unwrap());
    client.get_transient_token_async().await.unwrap(); // the client's loop thread exists now
    let before = os_threads();
    let start = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = Arc::clone(&client);
        tasks.spawn(async move { c.get_token_details_async().await });
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let during = os_threads();
    let mut ids = Vec::new();
    while let Some(r) = tasks.join_next().await {
        ids.push(r.unwrap().unwrap().id);
    }
    // All at once: 64 x 400 ms one after the other would take 25 s.
    assert!(start.elapsed() < Duration::from_secs(8), "{:?}", start.elapsed());
    assert_eq!(ids, vec![Some(13692262); n]);
    assert_eq!(fake.requests_to("/api/v2/user").len(), n);
    // No thread per call (64 in flight): at most a helper or two of libcurl or tokio.
    assert!(during <= before + 2, "{before} threads before, {during} with {n} calls in flight");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_the_blocking_kinds() {
    let fake = Fake::start();
    let client = fake.builder().access_token("wrong-token").build().unwrap();
    let e = client.get_token_details_async().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unauthorized);
    assert_eq!(e.http_status(), Some(401));
    assert_eq!(e.attempts(), 1);
    let blocking = client.get_token_details().unwrap_err();
    assert_eq!(blocking.kind(), e.kind());

    fake.faults("/security/token", json!([{"status": 503}]));
    let ok = fake.builder().access_token(TOKEN_A).build().unwrap();
    let e = ok.get_transient_token_with_async(None, None, &CallOptions::new().no_retry()).await.unwrap_err();
    assert_eq!(e.http_status(), Some(503));

    // Bad arguments fail at once, as a ready future: nothing is sent.
    let e = ok.get_source_connection_information_async("bad\0source").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(fake.requests_to("/security/resources").is_empty());
}

async fn wait_until_idle(event_loop: &Loop) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while event_loop.pending() != 0 {
        assert!(Instant::now() < deadline, "{} calls still pending", event_loop.pending());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_future_cancels_the_call() {
    let fake = Fake::start();
    fake.faults("/api/v2/user", json!([{"delay_ms": 5000}, {"delay_ms": 5000}]));
    let client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let event_loop = Loop::new().unwrap();
    let opts = CallOptions::new().on_loop(&event_loop);
    let start = Instant::now();
    let timed_out = tokio::time::timeout(Duration::from_millis(300), client.get_token_details_with_async(&opts)).await;
    assert!(timed_out.is_err(), "the fake delays 5 s");
    // The future was dropped by the timeout: its call was cancelled, and leaves the loop at its
    // next turn (not after the 5 s the server takes).
    wait_until_idle(&event_loop).await;
    assert!(start.elapsed() < Duration::from_secs(2));

    // Drop while another is pending on the same loop: that one is left alone.
    let slow = client.get_token_details_with_async(&opts);
    let quick = client.get_transient_token_with_async(None, None, &opts);
    assert!(event_loop.pending() >= 1, "the slow call is on the loop");
    drop(slow);
    assert!(quick.await.unwrap().token.is_some());
    wait_until_idle(&event_loop).await;
    assert!(start.elapsed() < Duration::from_secs(4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_token_and_shared_loop() {
    let fake = Fake::start();
    fake.faults("/api/v2/user", json!([{"delay_ms": 5000}]));
    let event_loop = Loop::new().unwrap();
    let a = fake.builder().access_token(TOKEN_A).build().unwrap();
    let b = fake.builder().access_token(TOKEN_B).build().unwrap();
    let cancel = CancelToken::new();
    let opts = CallOptions::new().on_loop(&event_loop).cancel(&cancel);
    let canceller = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            cancel.cancel();
        })
    };
    let start = Instant::now();
    let (cancelled, other) =
        tokio::join!(a.get_token_details_with_async(&opts), b.get_transient_token_with_async(None, None, &opts));
    canceller.await.unwrap();
    assert_eq!(cancelled.unwrap_err().kind(), ErrorKind::Cancelled);
    assert!(start.elapsed() < Duration::from_secs(2));
    // b's call ran on the same loop and was not affected.
    assert!(other.unwrap().token.unwrap().starts_with("transient-"));
    wait_until_idle(&event_loop).await; // (the loop counts a call until its callback has returned)
}

/// A minimal executor (park/unpark): the futures need no particular runtime.
fn block_on<F: Future>(f: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Arc::new(Unpark(std::thread::current())).into();
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park_timeout(Duration::from_secs(10));
    }
}

#[test]
fn runs_without_a_runtime() {
    let fake = Fake::start();
    fake.faults("/api/v2/user", json!([{"delay_ms": 200}]));
    let client: Client = fake.builder().access_token(TOKEN_A).build().unwrap();
    let start = Instant::now();
    let a = block_on(client.get_token_details_async()).unwrap();
    assert_eq!(a.id, Some(13692262));
    assert!(start.elapsed() >= Duration::from_millis(200));
    block_on(client.sign_out_async()).unwrap();
    assert_eq!(fake.requests_to("/api/v2/users/signout")[0].method(), "DELETE");
}
