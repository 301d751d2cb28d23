//! Test harness: one `plexauth-fake` process per test (tests run in parallel
//! and faults/request logs are per server), started on port 0 with
//! --port-file, waited for with a deadline, killed on drop. Its control API
//! (`/_fake/faults`, `/_fake/requests`) is reached with ureq.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plexauth::{ClientBuilder, LogLevel, RetryPolicy};
use serde_json::{json, Value};

pub const TOKEN_A: &str = "CxoUzBTSV5hsxjTpFKaf";
pub const TOKEN_B: &str = "gHjKlMnOpQrStUvWxYz";
pub const REVOKED: &str = "revokedTokenXXXXXXXX";
pub const SOURCE: &str = "server://3381b62b9ab74e37";
pub const CLIENT_ID: &str = "3381b62b-9ab7-4e37-827b-203e9809eb58";
/// Account A's e-mail (TOKEN_A's account).
pub const EMAIL_A: &str = "username@email.com";
/// Account A's Plex Home users: the first protected with PIN "1234", the second unprotected.
pub const HOME_PROTECTED: &str = "homeuser0000uuid";
pub const HOME_OPEN: &str = "homeuser0001uuid";
pub const HOME_PIN: &str = "1234";

pub struct Fake {
    child: Child,
    port_file: PathBuf,
    pub port: u16,
}

impl Fake {
    pub fn start() -> Fake {
        let program = std::env::var_os("PLEXAUTH_FAKE")
            .expect("set PLEXAUTH_FAKE to the plexauth-fake program (<build>/tests/fake/plexauth-fake)");
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port_file = std::env::temp_dir().join(format!("plexauth-rust-{}-{n}.port", std::process::id()));
        let _ = std::fs::remove_file(&port_file);
        let child = Command::new(&program)
            .args(["--host", "127.0.0.1", "--port", "0", "--max-seconds", "300", "--port-file"])
            .arg(&port_file)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", PathBuf::from(&program).display()));
        let mut fake = Fake { child, port_file, port: 0 };
        let deadline = Instant::now() + Duration::from_secs(10);
        while fake.port == 0 {
            if let Some(port) = std::fs::read_to_string(&fake.port_file).ok().and_then(|s| s.trim().parse().ok()) {
                fake.port = port;
            } else if let Ok(Some(status)) = fake.child.try_wait() {
                panic!("plexauth-fake exited early: {status}");
            } else if Instant::now() > deadline {
                panic!("plexauth-fake did not write its port file within 10 s");
            } else {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        fake
    }

    /// PMS base URL.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// plex.tv API base URL.
    pub fn plex_tv(&self) -> String {
        format!("{}/api/v2", self.base())
    }

    /// A builder pointed at this fake, with a client id, short timeouts and no retries.
    pub fn builder(&self) -> ClientBuilder {
        plexauth::Client::builder()
            .server_url(self.base())
            .plex_tv_url(self.plex_tv())
            .client_id(CLIENT_ID)
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .no_retry()
    }

    /// `builder()` with every debug log line kept, to check that no secret reaches them.
    pub fn logged_builder(&self) -> (ClientBuilder, Arc<Mutex<Vec<String>>>) {
        let lines = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = lines.clone();
        let builder = self.builder().log(LogLevel::Debug, move |_, line| sink.lock().unwrap().push(line.to_string()));
        (builder, lines)
    }

    /// Queues faults for a path (each request to it consumes one).
    pub fn faults(&self, path: &str, faults: Value) {
        let resp = ureq::post(&format!("{}/_fake/faults", self.base()))
            .timeout(Duration::from_secs(5))
            .send_json(json!({ "path": path, "faults": faults }))
            .expect("POST /_fake/faults");
        assert_eq!(resp.status(), 200);
    }

    /// Calls a control endpoint (`/_fake/pins/approve`, ...) with a JSON body; 2XX expected.
    pub fn control(&self, path: &str, body: Value) {
        let resp = ureq::post(&format!("{}{path}", self.base()))
            .timeout(Duration::from_secs(5))
            .send_json(body)
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        assert!((200..300).contains(&resp.status()), "POST {path}: {}", resp.status());
    }

    /// The recorded requests, oldest first.
    pub fn requests(&self) -> Vec<Request> {
        let v: Value = ureq::get(&format!("{}/_fake/requests", self.base()))
            .timeout(Duration::from_secs(5))
            .call()
            .expect("GET /_fake/requests")
            .into_json()
            .expect("JSON");
        v.as_array().expect("array").iter().cloned().map(Request).collect()
    }

    /// The recorded requests to one path.
    pub fn requests_to(&self, path: &str) -> Vec<Request> {
        self.requests().into_iter().filter(|r| r.path() == path).collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.port_file);
    }
}

/// One recorded request: {method, path, query, headers{}, body, ...}.
#[derive(Debug, Clone)]
pub struct Request(pub Value);

impl Request {
    pub fn method(&self) -> &str {
        self.0["method"].as_str().unwrap()
    }
    pub fn path(&self) -> &str {
        self.0["path"].as_str().unwrap()
    }
    pub fn query(&self) -> &str {
        self.0["query"].as_str().unwrap()
    }
    pub fn body(&self) -> &str {
        self.0["body"].as_str().unwrap()
    }
    /// A header by name, case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.0["headers"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str().unwrap())
    }
}

/// Retries fast: 10 ms waits, up to `attempts` attempts.
pub fn fast_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::new()
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(20))
        .max_elapsed(Duration::from_secs(20))
        .max_attempts(attempts)
}
