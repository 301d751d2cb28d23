// Connecting to a server: which of its advertised connections (a resource
// of list_resources) to use, found by racing /identity probes on the
// non-blocking engine (issue 12; facts: plex-auth-wave2.md §3).
//
// connect_candidates() orders the addresses to try: local -> remote ->
// relay, and within a location https (the connection's uri, often a
// *.plex.direct name) before http (http://address:port, dropped when the
// server requires https), IPv6 last. Local addresses of a server the
// account does not own are skipped unless plex.tv says it is on the
// caller's network (publicAddressMatches), as python-plexapi skips them and
// primuse keeps them. A remembered good uri goes first.
//
// Connector races them: the first probe starts at once, each next one
// `stagger_ms` later or as soon as the one before fails (happy eyeballs).
// A probe is GET {uri}/identity with the client's identity headers and the
// server's token; it succeeds when the server answers 200 with the expected
// machineIdentifier. The best success in preference order wins: when one
// succeeds while a more preferred probe is still running, the connector
// waits up to `grace_ms` for it. Everything ends by `deadline_ms`; the
// outcome has a report line per candidate.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/engine.h"
#include "core/error.h"
#include "core/secret.h"
#include "models/fields.h"

namespace plexauth {

enum class Location { Local = 1, Remote = 2, Relay = 4 };
const char *location_name(Location l) noexcept;

struct ConnectPolicy {
  unsigned locations = 7;  // Location bits
  bool https = true;
  bool http = true;
  int64_t stagger_ms = 250;
  int64_t grace_ms = 100;
  int64_t deadline_ms = 10000;
  bool check_identity = true;  // the answer's machineIdentifier must be the resource's clientIdentifier
};

struct Candidate {
  std::string uri;
  Location location = Location::Remote;
  bool https = false;
  bool ipv6 = false;
  bool remembered = false;  // the cache's last good uri
};

// The candidates for `r` under `p`, best first; `remembered` (a uri that
// worked before) moves to the front when it is still advertised.
std::vector<Candidate> connect_candidates(const Resource &r, const ConnectPolicy &p, std::string_view remembered);

// What happened to one candidate.
struct Attempt {
  Candidate candidate;
  enum class Outcome { NotTried, Ok, Failed, Abandoned } outcome = Outcome::NotTried;
  Status status = Status::Ok;  // Failed: why
  int http_status = 0;
  int64_t started_ms = -1;  // since the connect began; -1: not started
  int64_t elapsed_ms = -1;  // the probe's own time; -1: not finished
  std::string message;      // Failed: the error (redacted)
};
const char *outcome_name(Attempt::Outcome o) noexcept;

struct ConnectResult {
  std::string uri;                  // the winner
  std::string machine_identifier;   // the resource's
  std::string name;                 // the resource's
  std::optional<Secret> access_token;  // the token to use with it
  std::string version;              // from /identity
  int64_t elapsed_ms = 0;
  std::vector<Attempt> attempts;    // one per candidate, in preference order
};
// One line per attempt ("1. local https https://... ok 12 ms"), for the
// log and for error messages.
std::string report_text(const std::vector<Attempt> &attempts);

// Remembered good connections per server (machineIdentifier -> uri).
// Thread-safe. Files are JSON {"version":1,"servers":{"<id>":"<uri>"}},
// written atomically with mode 0600.
class ConnectCache {
 public:
  std::optional<std::string> get(const std::string &machine_id) const;
  void put(const std::string &machine_id, const std::string &uri);
  void forget(const std::string &machine_id);
  size_t size() const;
  // Missing file: empty cache, no error. Throws Error (Transport for I/O,
  // MalformedResponse for a file that is not such JSON, InvalidArgument).
  void load(const std::string &path);
  void save(const std::string &path) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> uris_;
};

// Starts connecting to `resource` on `engine` with `client`'s identity.
// `done` runs once, on the engine's thread, with the result or the error
// (Unreachable with the report in its message, Cancelled, InvalidArgument
// for a resource without identifier or connections). Returns a handle
// whose cancel() stops it (thread-safe). `base` holds per-call settings
// (identity overrides, cancel token) applied to every probe.
class Connector {
 public:
  using Done = std::function<void(ConnectResult *result, Error *error)>;
  static std::shared_ptr<Connector> start(std::shared_ptr<Engine> engine, std::shared_ptr<Client> client,
                                          const Resource &resource, const ConnectPolicy &policy,
                                          std::shared_ptr<ConnectCache> cache, const CallOptions *base, Done done);
  virtual ~Connector() = default;
  virtual void cancel() = 0;
};

}  // namespace plexauth
