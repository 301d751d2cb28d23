// FakePlex: an in-process fake of plex.tv and Plex Media Server for tests.
//
// One loopback HTTP (or, with Options::tls, HTTPS) server (cpp-httplib)
// answers both:
//   PMS      base_url()     GET /identity (no token), GET / (token),
//                           GET /security/token, GET /security/resources
//   plex.tv  plex_tv_url()  POST /users/signin, GET /user, GET /ping,
//                           POST /pins, GET /pins/{id}, PUT /pins/link,
//                           DELETE /users/signout, POST /home/users/{user}/switch,
//                           GET /resources (the account's devices, a JSON array)
//                           GET /auth/nonce, POST /auth/jwk, POST /auth/token,
//                           GET /auth/keys (JWT device authentication, Ed25519)
//                           (= base_url() + "/api/v2")
//            plex.tv v1     GET /api/home/users (XML, as plex.tv's v1 routes answer)
// It answers like the real services do (plex-auth-api.md), holds accounts,
// tokens and sources, records every request, counts client connections, and
// can be told to misbehave per path with a queue of faults.
//
// The same state and behaviour are reachable over HTTP on the same port
// (for out-of-process tests, see the plexauth-fake program):
//   POST /_fake/faults       {"path":"/api/v2/user","faults":[{...}, ...]}
//   GET  /_fake/requests     [{method, path, query, headers{}, body, remote_port, port, connection_id}]
//   GET  /_fake/connections  {"count":N}
//   POST /_fake/reset        back to the seeded state
//   POST /_fake/pins/approve {"id":N,"login":"<email or user name>"}
//   POST /_fake/pins/expire  {"id":N}
//   POST /_fake/pins/limit   {"per_client":N,"retry_after":"1"}
//   POST /_fake/clock        {"advance_s":N}
//   POST /_fake/jwt/rotate   {"drop_old":false}
//   POST /_fake/jwt/lifetime {"seconds":N}
//   POST /_fake/jwt/expire
//   POST /_fake/topology     {"servers":[{name, clientIdentifier, accessToken,
//                             connections:[{behaviour, protocol, local, relay,
//                             IPv6, delay_ms, plex_direct}]}]}
// Control requests are neither recorded nor counted as connections.
//
// JWT device authentication (tests/fake/README.md): a device registers an
// Ed25519 JWK with an account token (key id: its kid, else its RFC 7638
// thumbprint), then trades a device JWT (EdDSA, kid, iss = its client
// identifier, aud plex.tv, exp/iat, a single-use nonce from /auth/nonce) for
// a Plex JWT signed with the fake's current signing key (GET /auth/keys
// publishes it and older ones). The fake verifies signatures for real
// (OpenSSL). An issued Plex JWT is the account's token for plex.tv's /user,
// /ping and /resources until it expires (then HTTP 498 code 1096); PMS
// routes refuse it (401). A PIN created with a JSON {"jwk":...} body answers
// a Plex JWT, once approved, to polls with ?deviceJWT= signed by that key.
//
// Topology (set_topology, POST /_fake/topology): account A's resources are
// replaced by the given servers, and every connection of theirs gets its own
// loopback listener on an ephemeral port, behaving as asked:
//   ok            HTTP (protocol "https": HTTPS with the fake's certificate)
//                 answering GET /identity and GET / with the server's
//                 clientIdentifier, after delay_ms
//   wrong_id      the same, with machineIdentifier seed::kWrongMachineIdentifier
//   unauthorized  401 to everything
//   blackhole     a listening socket that never accepts (no thread)
//   refuse        a port bound but not listening: connections are refused
// Requests to ok/wrong_id/unauthorized listeners go to the same log, with
// RecordedRequest::port the listener's port. reset() and stop() tear the
// topology down (its ports then refuse connections).
//
// Thread-safe: every method may be called from any thread while the server
// runs. The server stops in stop() or in the destructor.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plexauth_fake {

// The seeded data (tests/fake/README.md). Tests use these names instead of
// repeating the literals.
// The fake's TLS certificate also names *.<this>.plex.direct, like a Plex
// Media Server's (seed::kPlexDirectHash).
#define PLEXAUTH_FAKE_PLEX_DIRECT_HASH "0123456789abcdef0123456789abcdef"

namespace seed {
inline constexpr char kPlexDirectHash[] = PLEXAUTH_FAKE_PLEX_DIRECT_HASH;
inline constexpr char kEmailA[] = "username@email.com";
inline constexpr char kUsernameA[] = "Username";
inline constexpr char kPasswordA[] = "password123";
inline constexpr char kTokenA[] = "CxoUzBTSV5hsxjTpFKaf";
inline constexpr int64_t kIdA = 13692262;
inline constexpr char kUuidA[] = "dae343c1f45beb4f";

inline constexpr char kEmailB[] = "user12345@example.com";
inline constexpr char kUsernameB[] = "user12345";
inline constexpr char kPasswordB[] = "hunter2-secret";
inline constexpr char kCodeB[] = "123456";  // B has two-factor authentication on
inline constexpr char kTokenB[] = "gHjKlMnOpQrStUvWxYz";
inline constexpr int64_t kIdB = 475829302;
inline constexpr char kUuidB[] = "a1b2c3d4e5f67890";

// GET /api/v2/user with this token answers 422 {"errors":[{"code":1001,"message":"Invalid token","status":422}]}.
inline constexpr char kRevokedToken[] = "revokedTokenXXXXXXXX";

inline constexpr char kSource[] = "server://3381b62b9ab74e37";
inline constexpr char kSourceName[] = "Living Room";
inline constexpr char kSourceClientId[] = "3381b62b9ab74e37";
inline constexpr char kSourceAccessToken[] = "srcAccessTok0123456789";

// GET /api/v2/resources (account A, seeded): the owned server kSourceName
// (clientIdentifier kSourceClientId, accessToken kSourceAccessToken) whose
// connections are the fake's own port (base_url(), local) and
// https://127-0-0-1.<kPlexDirectHash>.plex.direct:PORT (remote; serves only
// with Options::tls); a server shared with A by kSharedOwnerTitle (accessToken
// null); and a player. Account B has none.
inline constexpr char kPmsVersion[] = "1.41.3.9314-a0bfb8370";  // GET /identity's version
inline constexpr char kSharedServerName[] = "Friend's Server";
inline constexpr char kSharedServerClientId[] = "5a4ed5e7f00d5a4ed5e7f00d5a4ed5e7";
inline constexpr int64_t kSharedOwnerId = 31415926;
inline constexpr char kSharedOwnerTitle[] = "friend";
inline constexpr char kPlayerName[] = "Living Room TV";
inline constexpr char kPlayerClientId[] = "b1a7e2d0c0ffee00b1a7e2d0c0ffee00";
// The machineIdentifier a topology connection with behaviour "wrong_id" answers.
inline constexpr char kWrongMachineIdentifier[] = "ffffffffffffffffffffffffffffffff";

// A PIN made at start-up (for the bad-input sweep): created by this client
// identifier (tests/integration/support.h kClientId), expiring in ten years.
inline constexpr int64_t kPinId = 1000001;
inline constexpr char kPinCode[] = "SEED";
inline constexpr char kPinClientId[] = "3381b62b-9ab7-4e37-827b-203e9809eb58";
// PINs created later get ids from kPinId + 1 up.

// Account A's Plex Home: A is its admin; two managed users. Switching to the
// protected one needs its PIN, also from the admin.
inline constexpr char kHomeProtectedUuid[] = "homeuser0000uuid";
inline constexpr int64_t kHomeProtectedId = 20000001;
inline constexpr char kHomeProtectedUsername[] = "Kid";
inline constexpr char kHomeProtectedPin[] = "1234";
inline constexpr char kHomeOpenUuid[] = "homeuser0001uuid";
inline constexpr int64_t kHomeOpenId = 20000002;
inline constexpr char kHomeOpenUsername[] = "Guest Room";
}  // namespace seed

// One entry of Plex's errors[] array.
struct PlexError {
  int64_t code = 0;
  std::string message;
  int status = 0;
};

// One fault, consumed by one request to its path. Plain data: set the fields
// you need, leave the others at their defaults.
//
// The body: `errors` (JSON {"errors":[...]}) or `body` (raw, with
// `content_type`) or a generated body (`oversized_bytes`, `nested_depth`)
// replaces the normal answer; the status is then `status` (200 when 0).
// Otherwise the normal answer is produced, and `status` (when non-zero)
// replaces its status; a replacement status >= 300 also empties the body.
// The modifiers apply on top, in this order: `patch` / `duplicate`,
// `truncated_json`, `invalid_utf8`, `gzip`, then delivery with `drop` /
// `reset` / `drip_ms` / `content_length`.
struct Fault {
  int status = 0;
  std::vector<PlexError> errors;
  std::optional<std::string> body;
  std::string content_type;  // default "application/json; charset=utf-8"
  std::string retry_after;   // Retry-After header, sent verbatim ("2" or an HTTP-date)
  int delay_ms = 0;          // wait before answering (capped at 60 s; stop() interrupts it)
  bool drop = false;         // declare Content-Length, send half the body, close the connection
  int drip_ms = 0;           // send the body one byte every drip_ms (capped at 10 s per byte)
  bool gzip = false;         // gzip the body and send Content-Encoding: gzip
  uint64_t oversized_bytes = 0;  // body: a valid JSON object of exactly this many bytes,
                                 // generated while sending (with gzip: after decompression)
  int nested_depth = 0;          // body: {"nested":[[[...]]]} nested this deep
  bool truncated_json = false;   // cut the body in half (Content-Length stays consistent)
  bool invalid_utf8 = false;     // put an invalid UTF-8 byte at the start of the first string value
  // A JSON object: each member replaces the same-named top-level member of
  // the (JSON object) body, in place, or is appended (e.g. wrong JSON types:
  // R"({"id":"13692262","subscription":[]})").
  std::string patch;
  // A JSON object: each member is appended to the (JSON object) body after
  // its own members, so that those names occur twice (duplicate keys).
  std::string duplicate;
  bool reset = false;  // send half the body, then reset the connection (TCP RST)
  // Announce this Content-Length whatever the body's real size (>= 1). Shorter
  // than the body: the whole body is still sent, so the rest follows as stray
  // bytes on the connection. Longer: the connection is closed after the body.
  std::optional<uint64_t> content_length;
  std::string location;  // Location header (with a 3XX status: a redirect)
  // Bytes written instead of any HTTP response (e.g. "garbage\r\n", or a
  // status line from another protocol); the connection is then closed.
  std::optional<std::string> raw;
  // After `raw`: this string written again and again, `flood_bytes` in all
  // (at most 1 GiB, and for at most 60 s), or until the client goes away
  // (e.g. a chunked body's end followed by trailer lines forever).
  std::string flood;
  uint64_t flood_bytes = 0;
};

struct Account {
  std::string email;
  std::string username;
  std::string password;
  std::string verification_code;  // non-empty: two-factor authentication is on
  std::string token;
  // The full sign-in (201) body. GET /user answers it without
  // pastSubscriptions and trials. Build one with account_json().
  std::string json;
};

// Account A's body (plex-auth-api.md §7) with these fields replaced.
std::string account_json(int64_t id, std::string_view uuid, std::string_view username, std::string_view email,
                         std::string_view country, std::string_view token, bool two_factor_enabled);

struct Connection {
  std::string protocol;
  std::string address;
  int port = 0;
  std::string uri;
  bool local = false;
  bool relay = false;
};

struct Source {
  std::string source;  // e.g. "server://3381b62b9ab74e37"
  std::string name;
  std::string client_identifier;
  std::string access_token;
  std::vector<Connection> connections;
};

struct RecordedRequest {
  std::string method;
  std::string path;   // decoded path, no query
  std::string query;  // raw query string as sent, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names as received
  std::string body;
  int remote_port = 0;
  int port = 0;                // the (local) port it arrived on: the fake's, or a topology listener's
  uint64_t connection_id = 0;  // one id per accepted TCP connection

  // First header with that name (case-insensitive).
  std::optional<std::string> header(std::string_view name) const;
  // First query parameter with that name, percent-decoded.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Options {
  std::string host = "127.0.0.1";  // must be a loopback address
  int port = 0;                    // 0: any free port
  int keep_alive_timeout_s = 5;
  size_t threads = 32;  // one per open client connection
  // Serve HTTPS with a throwaway self-signed certificate (for 127.0.0.1, ::1
  // and localhost) made at start-up; certificate_pem() gives it to trust.
  bool tls = false;
};

// True for 127.0.0.0/8, ::1, ::ffff:127.x.y.z and "localhost".
bool is_loopback_host(std::string_view host);

class FakePlex {
 public:
  // Seeds the state and starts serving on a background thread. Throws
  // std::invalid_argument for a non-loopback host and std::runtime_error when
  // it cannot listen.
  FakePlex();
  explicit FakePlex(Options options);
  ~FakePlex();
  FakePlex(const FakePlex &) = delete;
  FakePlex &operator=(const FakePlex &) = delete;

  void stop();

  int port() const;
  std::string base_url() const;     // PMS: http://127.0.0.1:PORT (https:// with Options::tls)
  std::string plex_tv_url() const;  // plex.tv API: base_url() + "/api/v2"
  // The self-signed certificate in PEM: made at start-up with Options::tls,
  // or by the first topology with an https connection; empty until then.
  std::string certificate_pem() const;

  void add_account(Account account);
  // Another token for an existing account (by e-mail or user name).
  void add_token(const std::string &token, const std::string &login);
  // GET /api/v2/user answers 422 "Invalid token" for it; PMS rejects it.
  void revoke_token(const std::string &token);
  void add_source(Source source);
  // The bodies the fake answers for an account (by e-mail or user name).
  std::string sign_in_body(const std::string &login) const;
  std::string user_body(const std::string &login) const;
  // Transient tokens issued so far by GET /security/token.
  std::vector<std::string> transient_tokens() const;
  // Whether the token is currently accepted by plex.tv (false after sign-out).
  bool is_valid_token(const std::string &token) const;

  // PINs (POST /api/v2/pins). approve_pin: the PIN's authToken becomes the
  // account's token (by e-mail or user name). expire_pin: GET /pins/{id} and
  // PUT /pins/link answer 404 code 1020 for it from now on. Both throw
  // std::invalid_argument for an unknown PIN or account.
  void approve_pin(int64_t id, const std::string &login);
  void expire_pin(int64_t id);
  // The PIN's code, or nullopt for an unknown id.
  std::optional<std::string> pin_code(int64_t id) const;
  // At most `per_client` PIN creations per X-Plex-Client-Identifier (counted
  // since start or reset(); nullopt: unlimited, the default); later ones are
  // 429, with `retry_after` as Retry-After when non-empty. When retry_after
  // is a number of seconds, the identifier's count starts again that long
  // after its first 429 (the window plex.tv has).
  void set_pin_limit(std::optional<size_t> per_client, std::string retry_after = {});

  // The fake's clock (PIN times and expiry, the PIN limit's window): the
  // system clock plus an offset that advance_clock() moves forward.
  std::chrono::system_clock::time_point now() const;
  void advance_clock(std::chrono::seconds by);

  // JWT device authentication (tests/fake/README.md). The fake signs Plex
  // JWTs with its current signing key (Ed25519, made at start-up).
  // rotate_signing_key: a new key becomes current; the old ones stay in
  // GET /auth/keys unless drop_old. set_jwt_lifetime: the lifetime of Plex
  // JWTs issued from now on (default 7 days; positive). expire_jwts: every
  // Plex JWT issued so far is expired (HTTP 498 code 1096 on use).
  void rotate_signing_key(bool drop_old = false);
  void set_jwt_lifetime(std::chrono::seconds lifetime);
  void expire_jwts();
  // The current signing key's public JWK:
  // {"kty":"OKP","crv":"Ed25519","x":...,"kid":<thumbprint>,"use":"sig","alg":"EdDSA"}
  std::string signing_public_jwk() const;
  // The Plex JWTs issued so far (since start or reset()), in no particular order.
  std::vector<std::string> issued_jwts() const;

  void add_fault(const std::string &path, Fault fault);
  void add_faults(const std::string &path, std::vector<Fault> faults);
  size_t pending_faults(const std::string &path) const;

  // Replaces account A's resources with a topology of servers (the JSON of
  // POST /_fake/topology, see tests/fake/README.md) and opens a loopback
  // listener per connection; the previous topology is torn down first.
  // Returns the resources array (GET /api/v2/resources with every include
  // flag). Throws std::invalid_argument for bad JSON (nothing changes) and
  // std::runtime_error when a listener cannot be opened.
  std::string set_topology(const std::string &json);
  // Tears the topology down and gives account A its seeded resources back.
  void clear_topology();

  std::vector<RecordedRequest> requests() const;
  std::vector<RecordedRequest> requests_to(const std::string &path) const;
  // Distinct client connections that carried at least one recorded request.
  size_t connection_count() const;

  // Forgets recorded requests and connections only.
  void clear_log();
  // Back to the freshly started state: seeded data only (signed-out tokens
  // valid again, PINs and the PIN limit as seeded, the clock unmoved), no
  // faults, empty log, no topology.
  void reset();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace plexauth_fake
