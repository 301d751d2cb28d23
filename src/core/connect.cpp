#include "core/connect.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <utility>

#include "core/json.h"  // first: it configures RapidJSON
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/files.h"
#include "core/operations.gen.h"
#include "core/validate.h"
#include "models/models.h"

namespace plexauth {
namespace {

int rank(Location l) { return l == Location::Local ? 0 : l == Location::Remote ? 1 : 2; }

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// A base URL the library accepts (http/https, no query, fragment or
// userinfo), else nullopt: what a server advertises is not trusted.
std::optional<std::string> usable(std::string_view uri) {
  if (!starts_with(uri, "https://") && !starts_with(uri, "http://")) return std::nullopt;
  try {
    return check_base_url(uri, "connection uri");
  } catch (const Error &) {
    return std::nullopt;
  }
}

}  // namespace

const char *location_name(Location l) noexcept {
  switch (l) {
    case Location::Local: return "local";
    case Location::Remote: return "remote";
    case Location::Relay: return "relay";
  }
  return "?";
}

const char *outcome_name(Attempt::Outcome o) noexcept {
  switch (o) {
    case Attempt::Outcome::NotTried: return "not_tried";
    case Attempt::Outcome::Ok: return "ok";
    case Attempt::Outcome::Failed: return "failed";
    case Attempt::Outcome::Abandoned: return "abandoned";
  }
  return "?";
}

std::vector<Candidate> connect_candidates(const Resource &r, const ConnectPolicy &p, std::string_view remembered) {
  struct Ranked {
    Candidate c;
    int scheme;
    size_t index;
  };
  std::vector<Ranked> all;
  const bool owned = r.owned.value_or(false);
  const bool same_network = r.public_address_matches.value_or(false);
  const bool https_required = r.https_required.value_or(false);
  const std::vector<Connection> none;
  const std::vector<Connection> &conns = r.connections ? *r.connections : none;
  for (size_t i = 0; i < conns.size(); ++i) {
    const Connection &c = conns[i];
    const Location loc = c.relay.value_or(false) ? Location::Relay
                         : c.local.value_or(false) ? Location::Local
                                                   : Location::Remote;
    if (!(p.locations & static_cast<unsigned>(loc))) continue;
    if (loc == Location::Local && !owned && !same_network) continue;  // a friend's LAN address, seen from elsewhere
    const bool ipv6 = c.ipv6.value_or(false);
    const std::string uri = c.uri.value_or("");
    if (starts_with(uri, "https://")) {
      if (p.https)
        if (auto u = usable(uri)) all.push_back({Candidate{*u, loc, true, ipv6, false}, 0, i});
    } else if (starts_with(uri, "http://")) {
      if (p.http && !https_required)
        if (auto u = usable(uri)) all.push_back({Candidate{*u, loc, false, ipv6, false}, 1, i});
      continue;  // already the plain address
    }
    // The plain-HTTP form of the address (python-plexapi's httpuri); a
    // relay only speaks https.
    if (p.http && !https_required && loc != Location::Relay && c.address && !c.address->empty() && c.port &&
        *c.port > 0 && *c.port < 65536) {
      const std::string host = ipv6 && c.address->find(':') != std::string::npos ? "[" + *c.address + "]" : *c.address;
      if (auto u = usable("http://" + host + ":" + std::to_string(*c.port)))
        all.push_back({Candidate{*u, loc, false, ipv6, false}, 1, i});
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Ranked &a, const Ranked &b) {
    if (rank(a.c.location) != rank(b.c.location)) return rank(a.c.location) < rank(b.c.location);
    if (a.c.ipv6 != b.c.ipv6) return !a.c.ipv6;  // IPv6 only as a last resort within a location
    if (a.scheme != b.scheme) return a.scheme < b.scheme;
    return a.index < b.index;
  });
  std::vector<Candidate> out;
  for (Ranked &x : all) {
    const bool dup = std::any_of(out.begin(), out.end(), [&](const Candidate &c) { return c.uri == x.c.uri; });
    if (!dup) out.push_back(std::move(x.c));
  }
  if (!remembered.empty()) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Candidate &c) { return c.uri == remembered; });
    if (it != out.end()) {
      it->remembered = true;
      std::rotate(out.begin(), it, it + 1);
    }
  }
  return out;
}

std::string report_text(const std::vector<Attempt> &attempts) {
  std::string out;
  for (size_t i = 0; i < attempts.size(); ++i) {
    const Attempt &a = attempts[i];
    out += std::to_string(i + 1) + ". " + location_name(a.candidate.location) + (a.candidate.https ? " https " : " http ") +
           a.candidate.uri + ": " + outcome_name(a.outcome);
    if (a.outcome == Attempt::Outcome::Failed) out += std::string(" (") + status_name(a.status) + ": " + a.message + ")";
    if (a.started_ms >= 0) out += ", started at " + std::to_string(a.started_ms) + " ms";
    if (a.elapsed_ms >= 0) out += ", took " + std::to_string(a.elapsed_ms) + " ms";
    out += "\n";
  }
  return out;
}

// ------------------------------------------------------------------ cache

std::optional<std::string> ConnectCache::get(const std::string &machine_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = uris_.find(machine_id);
  if (it == uris_.end()) return std::nullopt;
  return it->second;
}

void ConnectCache::put(const std::string &machine_id, const std::string &uri) {
  std::lock_guard<std::mutex> lock(mu_);
  uris_[machine_id] = uri;
}

void ConnectCache::forget(const std::string &machine_id) {
  std::lock_guard<std::mutex> lock(mu_);
  uris_.erase(machine_id);
}

size_t ConnectCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return uris_.size();
}

void ConnectCache::load(const std::string &path) {
  const auto file = read_file_limited(path, 1u << 20, "connection cache file", Status::MalformedResponse);
  if (!file) {  // no file yet: nothing remembered
    std::lock_guard<std::mutex> lock(mu_);
    uris_.clear();
    return;
  }
  const std::string &text = *file;
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("servers") || !doc["servers"].IsObject())
    fail(Status::MalformedResponse, "the connection cache file is not {\"version\":1,\"servers\":{...}}");
  std::unordered_map<std::string, std::string> loaded;
  for (auto it = doc["servers"].MemberBegin(); it != doc["servers"].MemberEnd(); ++it) {
    if (!it->value.IsString()) continue;
    const std::string uri(it->value.GetString(), it->value.GetStringLength());
    if (usable(uri)) loaded[std::string(it->name.GetString(), it->name.GetStringLength())] = uri;
  }
  std::lock_guard<std::mutex> lock(mu_);
  uris_ = std::move(loaded);
}

void ConnectCache::save(const std::string &path) const {
  rapidjson::StringBuffer sb;
  {
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::pair<std::string, std::string>> sorted(uris_.begin(), uris_.end());
    std::sort(sorted.begin(), sorted.end());
    w.StartObject();
    w.Key("version");
    w.Int(1);
    w.Key("servers");
    w.StartObject();
    for (const auto &kv : sorted) {
      w.Key(kv.first.c_str(), static_cast<rapidjson::SizeType>(kv.first.size()));
      w.String(kv.second.c_str(), static_cast<rapidjson::SizeType>(kv.second.size()));
    }
    w.EndObject();
    w.EndObject();
  }
  std::string text(sb.GetString(), sb.GetSize());
  text += '\n';
  write_private_file(path, text, "connection cache file");
}

// -------------------------------------------------------------- connector

namespace {

class Race : public Connector, public std::enable_shared_from_this<Race> {
 public:
  Race(std::shared_ptr<Engine> engine, std::shared_ptr<Client> client, ConnectPolicy policy,
       std::shared_ptr<ConnectCache> cache, Done done)
      : engine_(std::move(engine)), client_(std::move(client)), policy_(policy), cache_(std::move(cache)),
        done_(std::move(done)) {}

  void setup(const Resource &r, const CallOptions *base) {
    if (base) {
      base_.identity = base->identity;
      base_.cancel = base->cancel;
    }
    base_.retry_overridden = true;  // one probe per candidate: the race is the retry
    machine_id_ = r.client_identifier.value_or("");
    name_ = r.name.value_or("");
    if (r.access_token && !r.access_token->empty()) token_.emplace(*r.access_token);
    if (token_) base_.access_token = *token_;
    std::string remembered;
    if (cache_ && !machine_id_.empty())
      if (auto u = cache_->get(machine_id_)) remembered = *u;
    for (Candidate &c : connect_candidates(r, policy_, remembered)) {
      Attempt a;
      a.candidate = std::move(c);
      attempts_.push_back(std::move(a));
    }
    jobs_.resize(attempts_.size());
    versions_.resize(attempts_.size());
  }

  // The race itself runs on the engine's thread from here on.
  void begin(bool shutting_down) {
    t0_ = steady_now_ms();
    if (shutting_down) return end_with(Status::Cancelled, "the loop was shut down");
    if (base_.cancel && base_.cancel->triggered()) return end_with(Status::Cancelled, "cancelled");
    if (machine_id_.empty() && policy_.check_identity)
      return end_with(Status::InvalidArgument, "the resource has no clientIdentifier to check the server against");
    if (attempts_.empty())
      return end_with(Status::Unreachable, "the resource \"" + name_ + "\" has no connection to try under the policy");
    auto self = shared_from_this();
    try {
      deadline_timer_ = engine_->after(policy_.deadline_ms, [self](bool) { self->on_deadline(); });
      if (base_.cancel)
        waker_ = base_.cancel->add_waker([self] {
          try {
            self->cancel();
          } catch (...) {
          }
        });
    } catch (const Error &e) {
      return end_with(e.info().status, e.info().message);
    } catch (...) {
      return end_with(Status::OutOfMemory, "out of memory");
    }
    launch_next();
  }

  void cancel() override {
    auto self = shared_from_this();
    try {
      engine_->after(0, [self](bool) { self->end_with(Status::Cancelled, "cancelled"); });
    } catch (...) {  // shutting down: the shutdown ends the race
    }
  }

 private:
  size_t running() const {
    return static_cast<size_t>(std::count_if(attempts_.begin(), attempts_.end(), [](const Attempt &a) {
      return a.started_ms >= 0 && a.outcome == Attempt::Outcome::NotTried;
    }));
  }

  void launch_next() {
    if (finished_) return;
    if (stagger_timer_) {
      engine_->cancel_timer(stagger_timer_);
      stagger_timer_ = 0;
    }
    // Once one answered, only the more preferred ones still running matter.
    if (std::any_of(attempts_.begin(), attempts_.end(), [](const Attempt &a) { return a.outcome == Attempt::Outcome::Ok; }))
      return settle();
    while (next_ < attempts_.size()) {
      const size_t i = next_++;
      if (launch(i)) break;  // a failed launch is recorded; try the next
    }
    if (next_ < attempts_.size()) {
      auto self = shared_from_this();
      try {
        stagger_timer_ = engine_->after(policy_.stagger_ms, [self](bool down) {
          self->stagger_timer_ = 0;
          if (!down) self->launch_next();
        });
      } catch (...) {
        stagger_timer_ = 0;  // shutting down: the running probes end the race
      }
    }
    settle();
  }

  bool launch(size_t i) {
    Attempt &a = attempts_[i];
    a.started_ms = steady_now_ms() - t0_;
    const int64_t left = policy_.deadline_ms - a.started_ms;
    try {
      CallOptions opts = base_;
      opts.server_url = a.candidate.uri;
      opts.timeout_ms = std::max<int64_t>(left, 1);
      auto call = std::make_unique<PreparedCall>();
      client_->prepare(*call, op::kGetIdentity, CallInput{}, &opts);
      auto parsed = std::make_shared<ServerIdentity>();
      std::weak_ptr<Race> weak = shared_from_this();
      const int64_t started = steady_now_ms();
      jobs_[i] = engine_->start(
          client_, std::move(call),
          [parsed](const Response &r) { *parsed = parse_model<ServerIdentity>(r.body, envelope_of(op::kGetIdentity, r)); },
          [weak, i, parsed, started](Response *r, Error *e) {
            if (auto self = weak.lock()) self->on_probe(i, r, e, *parsed, steady_now_ms() - started);
          });
      return true;
    } catch (const Error &e) {
      fail_attempt(a, e.info().status, e.info().message, 0, 0);
    } catch (...) {
      fail_attempt(a, Status::OutOfMemory, "out of memory", 0, 0);
    }
    return false;
  }

  void fail_attempt(Attempt &a, Status s, std::string message, int http, int64_t elapsed) {
    a.outcome = Attempt::Outcome::Failed;
    a.status = s;
    a.http_status = http;
    a.elapsed_ms = elapsed;
    a.message = std::move(message);
  }

  void on_probe(size_t i, Response *r, Error *e, const ServerIdentity &id, int64_t elapsed) {
    jobs_[i].reset();
    if (finished_) return;
    // Only the cancel token or a shutdown cancels a probe of a race still
    // running: the race is cancelled then.
    if (e && e->info().status == Status::Cancelled) return end_with(Status::Cancelled, "cancelled");
    Attempt &a = attempts_[i];
    if (r) {
      const std::string got = id.machine_identifier.value_or("");
      if (policy_.check_identity && got != machine_id_) {
        fail_attempt(a, Status::MalformedResponse,
                     got.empty() ? "no machineIdentifier in /identity" : "another server answered (machineIdentifier " + got + ")",
                     r->status, elapsed);
      } else {
        a.outcome = Attempt::Outcome::Ok;
        a.http_status = r->status;
        a.elapsed_ms = elapsed;
        versions_[i] = id.version.value_or("");
      }
    } else {
      fail_attempt(a, e->info().status, e->info().message, e->info().http_status, elapsed);
    }
    if (a.outcome == Attempt::Outcome::Failed) launch_next();  // the next one need not wait for its turn
    else settle();
  }

  // Ends the race when its outcome is known.
  void settle() {
    if (finished_) return;
    size_t best = attempts_.size();
    for (size_t i = 0; i < attempts_.size(); ++i)
      if (attempts_[i].outcome == Attempt::Outcome::Ok) {
        best = i;
        break;
      }
    if (best < attempts_.size()) {
      bool better_running = false;
      for (size_t i = 0; i < best; ++i)
        if (attempts_[i].started_ms >= 0 && attempts_[i].outcome == Attempt::Outcome::NotTried) better_running = true;
      if (!better_running) return win(best);
      if (!grace_timer_) {
        auto self = shared_from_this();
        try {
          grace_timer_ = engine_->after(policy_.grace_ms, [self](bool) {
            self->grace_timer_ = 0;
            self->on_grace();
          });
        } catch (...) {
          return win(best);
        }
      }
      return;
    }
    if (running() == 0 && next_ >= attempts_.size())
      end_with(Status::Unreachable, "no connection of \"" + name_ + "\" answered as that server within " +
                                        std::to_string(policy_.deadline_ms) + " ms");
  }

  void on_grace() {
    if (finished_) return;
    for (size_t i = 0; i < attempts_.size(); ++i)
      if (attempts_[i].outcome == Attempt::Outcome::Ok) return win(i);
  }

  void on_deadline() {
    deadline_timer_ = 0;
    if (finished_) return;
    for (size_t i = 0; i < attempts_.size(); ++i)
      if (attempts_[i].outcome == Attempt::Outcome::Ok) return win(i);
    end_with(Status::Unreachable, "no connection of \"" + name_ + "\" answered as that server within " +
                                      std::to_string(policy_.deadline_ms) + " ms");
  }

  // Stops what still runs; the attempts it leaves are Abandoned.
  void wind_down() {
    finished_ = true;
    for (uint64_t *t : {&stagger_timer_, &grace_timer_, &deadline_timer_})
      if (*t) {
        engine_->cancel_timer(*t);
        *t = 0;
      }
    if (waker_ && base_.cancel) base_.cancel->remove_waker(waker_);
    waker_ = 0;
    for (size_t i = 0; i < attempts_.size(); ++i) {
      Attempt &a = attempts_[i];
      if (a.started_ms >= 0 && a.outcome == Attempt::Outcome::NotTried) a.outcome = Attempt::Outcome::Abandoned;
      if (jobs_[i]) {
        engine_->cancel(jobs_[i]);
        jobs_[i].reset();
      }
    }
  }

  // The report in the client's log: which candidate won (or that none did)
  // and what happened to each.
  void log_report(LogLevel level, const std::string &head) {
    try {
      Redactor r;
      if (token_) r.add(token_->reveal());
      client_->note(level, r, head + "\n" + report_text(attempts_));
    } catch (...) {  // logging never breaks a connect
    }
  }

  void win(size_t i) {
    wind_down();
    log_report(LogLevel::Info, "connect \"" + name_ + "\": " + attempts_[i].candidate.uri + " after " +
                                   std::to_string(steady_now_ms() - t0_) + " ms");
    ConnectResult res;
    try {
      res.uri = attempts_[i].candidate.uri;
      res.machine_identifier = machine_id_;
      res.name = name_;
      res.access_token = token_;
      res.version = versions_[i];
      res.elapsed_ms = steady_now_ms() - t0_;
      res.attempts = attempts_;
      if (cache_ && !machine_id_.empty()) cache_->put(machine_id_, res.uri);
    } catch (...) {
      Error oom(Status::OutOfMemory, "out of memory");
      return complete(nullptr, &oom);
    }
    complete(&res, nullptr);
  }

  void end_with(Status s, const std::string &why) {
    if (finished_) return;
    wind_down();
    std::string msg;
    try {
      msg = why;
      if (!attempts_.empty() && s != Status::InvalidArgument) msg += ":\n" + report_text(attempts_);
    } catch (...) {
      s = Status::OutOfMemory;
    }
    log_report(LogLevel::Warn, "connect \"" + name_ + "\": " + status_name(s));
    Error e(s, std::move(msg));
    try {
      e.info().attempts = static_cast<unsigned>(
          std::count_if(attempts_.begin(), attempts_.end(), [](const Attempt &a) { return a.started_ms >= 0; }));
    } catch (...) {
    }
    complete(nullptr, &e);
  }

  void complete(ConnectResult *r, Error *e) {
    Done done = std::move(done_);
    done_ = nullptr;
    if (done) done(r, e);
    engine_->release();
  }

  std::shared_ptr<Engine> engine_;
  std::shared_ptr<Client> client_;
  ConnectPolicy policy_;
  std::shared_ptr<ConnectCache> cache_;
  Done done_;
  CallOptions base_;
  std::string machine_id_, name_;
  std::optional<Secret> token_;
  std::vector<Attempt> attempts_;
  std::vector<std::shared_ptr<Engine::Job>> jobs_;
  std::vector<std::string> versions_;  // each Ok attempt's server version
  size_t next_ = 0;
  int64_t t0_ = 0;
  bool finished_ = false;
  uint64_t stagger_timer_ = 0, grace_timer_ = 0, deadline_timer_ = 0;
  size_t waker_ = 0;
};

}  // namespace

std::shared_ptr<Connector> Connector::start(std::shared_ptr<Engine> engine, std::shared_ptr<Client> client,
                                            const Resource &resource, const ConnectPolicy &policy,
                                            std::shared_ptr<ConnectCache> cache, const CallOptions *base, Done done) {
  if (policy.stagger_ms < 0 || policy.grace_ms < 0 || policy.deadline_ms <= 0)
    fail(Status::InvalidArgument, "connect: stagger and grace must be >= 0 and the deadline > 0");
  auto race = std::make_shared<Race>(engine, std::move(client), policy, std::move(cache), std::move(done));
  race->setup(resource, base);
  engine->hold();
  try {
    engine->after(0, [race](bool down) { race->begin(down); });
  } catch (...) {
    engine->release();
    throw;
  }
  return race;
}

}  // namespace plexauth
