// The C API of connection selection (core/connect.h): connect options, the
// connection cache, plexauth_client_connect[_start/_finish] and the result.
#include "core/json.h"  // first: it configures RapidJSON
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstring>

#include "capi/support.h"
#include "core/connect.h"

struct plexauth_connect_options {
  plexauth::ConnectPolicy policy;
  std::shared_ptr<plexauth::ConnectCache> cache;
  std::shared_ptr<plexauth::CancelToken> cancel;
};

struct plexauth_connect_cache {
  std::shared_ptr<plexauth::ConnectCache> c;
};

struct plexauth_connect_result {
  plexauth::ConnectResult r;
  std::string json;
};

namespace plexauth::capi {
namespace {

// The descriptor take_outcome() checks a connect's calls against (a connect
// is no single operation; its probes are get_identity calls).
constexpr Operation kConnect{"connect", Method::Get, Host::Pms, "/identity", 200, true, false, true,
                             Body::None, nullptr, 0, nullptr, 0, false};

void check_range(int64_t ms, int64_t lo, int64_t hi, const char *what) {
  if (ms < lo || ms > hi)
    fail(Status::InvalidArgument, std::string(what) + " must be " + std::to_string(lo) + " .. " + std::to_string(hi));
}

std::string result_json(const ConnectResult &r) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  auto str = [&](const char *k, const std::string &v) {
    w.Key(k);
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  str("uri", r.uri);
  str("machineIdentifier", r.machine_identifier);
  str("name", r.name);
  str("version", r.version);
  if (r.access_token) str("accessToken", r.access_token->reveal());
  w.Key("elapsedMs");
  w.Int64(r.elapsed_ms);
  w.Key("attempts");
  w.StartArray();
  for (const Attempt &a : r.attempts) {
    w.StartObject();
    str("uri", a.candidate.uri);
    str("location", location_name(a.candidate.location));
    w.Key("https");
    w.Bool(a.candidate.https);
    w.Key("ipv6");
    w.Bool(a.candidate.ipv6);
    w.Key("remembered");
    w.Bool(a.candidate.remembered);
    str("outcome", outcome_name(a.outcome));
    str("status", status_name(a.status));
    w.Key("httpStatus");
    w.Int(a.http_status);
    w.Key("startedMs");
    w.Int64(a.started_ms);
    w.Key("elapsedMs");
    w.Int64(a.elapsed_ms);
    str("message", a.message);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

plexauth_connect_result *new_result(ConnectResult &&r) {
  auto out = std::make_unique<plexauth_connect_result>();
  out->r = std::move(r);
  out->json = result_json(out->r);
  return out.release();
}

const Attempt *attempt(const plexauth_connect_result *r, size_t i) noexcept {
  return r && i < r->r.attempts.size() ? &r->r.attempts[i] : nullptr;
}

// Starts a connect on `engine`; on_done(result or error) on its thread.
std::shared_ptr<Connector> start_connect(plexauth_client *client, const plexauth_resource *resource,
                                         const plexauth_connect_options *opts, std::shared_ptr<Engine> engine,
                                         Connector::Done done) {
  require(client, "client");
  require(resource, "resource");
  const plexauth_connect_options defaults;
  const plexauth_connect_options &o = opts ? *opts : defaults;
  CallOptions base;
  base.cancel = o.cancel;
  return Connector::start(std::move(engine), client->cp, *from_handle<Resource>(resource), o.policy, o.cache, &base,
                          std::move(done));
}

}  // namespace
}  // namespace plexauth::capi

using namespace plexauth::capi;  // NOLINT
using plexauth::Status;

extern "C" {

plexauth_status plexauth_connect_options_new(plexauth_connect_options **out, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    *out = new plexauth_connect_options();
  });
}

void plexauth_connect_options_free(plexauth_connect_options *opts) { delete opts; }

plexauth_status plexauth_connect_options_set_locations(plexauth_connect_options *opts, unsigned mask) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    if (mask < 1 || mask > 7) plexauth::fail(Status::InvalidArgument, "locations must be a non-zero PLEXAUTH_LOCATION_* mask");
    opts->policy.locations = mask;
  });
}

plexauth_status plexauth_connect_options_set_schemes(plexauth_connect_options *opts, int https, int http) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    if (!https && !http) plexauth::fail(Status::InvalidArgument, "at least one of https and http is needed");
    opts->policy.https = https != 0;
    opts->policy.http = http != 0;
  });
}

plexauth_status plexauth_connect_options_set_stagger_ms(plexauth_connect_options *opts, int64_t ms) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    check_range(ms, 0, 60000, "stagger_ms");
    opts->policy.stagger_ms = ms;
  });
}

plexauth_status plexauth_connect_options_set_grace_ms(plexauth_connect_options *opts, int64_t ms) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    check_range(ms, 0, 60000, "grace_ms");
    opts->policy.grace_ms = ms;
  });
}

plexauth_status plexauth_connect_options_set_deadline_ms(plexauth_connect_options *opts, int64_t ms) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    check_range(ms, 1, 600000, "deadline_ms");
    opts->policy.deadline_ms = ms;
  });
}

plexauth_status plexauth_connect_options_set_cache(plexauth_connect_options *opts, plexauth_connect_cache *cache) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    opts->cache = cache ? cache->c : nullptr;
  });
}

plexauth_status plexauth_connect_options_set_cancel(plexauth_connect_options *opts, plexauth_cancel *cancel) {
  return guard(nullptr, [&] {
    require(opts, "opts");
    opts->cancel = cancel ? cancel->t : nullptr;
  });
}

plexauth_status plexauth_connect_cache_new(plexauth_connect_cache **out, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    auto c = std::make_unique<plexauth_connect_cache>();
    c->c = std::make_shared<plexauth::ConnectCache>();
    *out = c.release();
  });
}

void plexauth_connect_cache_free(plexauth_connect_cache *cache) { delete cache; }

plexauth_status plexauth_connect_cache_load(plexauth_connect_cache *cache, const char *path, plexauth_error **err) {
  return guard(err, [&] {
    require(cache, "cache");
    check_path(path);
    cache->c->load(path);
  });
}

plexauth_status plexauth_connect_cache_save(const plexauth_connect_cache *cache, const char *path,
                                            plexauth_error **err) {
  return guard(err, [&] {
    require(cache, "cache");
    check_path(path);
    cache->c->save(path);
  });
}

size_t plexauth_connect_cache_size(const plexauth_connect_cache *cache) {
  if (!cache) return 0;
  try {
    return cache->c->size();
  } catch (...) {
    return 0;
  }
}

plexauth_status plexauth_resources_from_json(plexauth_resources **out, const char *json, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(json, "json");
    const size_t len = ::strnlen(json, 16u * 1024 * 1024 + 1);
    if (len > 16u * 1024 * 1024) plexauth::fail(Status::InvalidArgument, "json is over 16 MiB");
    if (!plexauth::is_valid_utf8(std::string_view(json, len)))
      plexauth::fail(Status::InvalidArgument, "json is not valid UTF-8");
    plexauth::Resources value =
        plexauth::parse_model<plexauth::Resources>(std::string_view(json, len), envelope_of(plexauth::op::kListResources));
    *out = new plexauth_resources(plexauth::Response{}, std::move(value));
  });
}

plexauth_status plexauth_client_connect(plexauth_connect_result **out, plexauth_client *client,
                                        const plexauth_resource *resource, const plexauth_connect_options *opts,
                                        plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    std::shared_ptr<plexauth::Engine> engine = loop_for(client, nullptr);
    if (engine->on_loop_thread())
      plexauth::fail(Status::InvalidArgument, "plexauth_client_connect from a callback of the client's own loop");
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    std::optional<plexauth::ConnectResult> result;
    std::optional<plexauth::ErrorInfo> error;
    start_connect(client, resource, opts, engine, [&](plexauth::ConnectResult *r, plexauth::Error *e) {
      std::lock_guard<std::mutex> lock(mu);
      try {
        if (r) result.emplace(std::move(*r));
        else error.emplace(e->info());
      } catch (...) {
        result.reset();
        error.emplace();
        error->status = Status::OutOfMemory;
      }
      done = true;
      cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done; });
    if (error) throw plexauth::Error(std::move(*error));
    *out = new_result(std::move(*result));
  });
}

plexauth_status plexauth_client_connect_start(plexauth_call **call, plexauth_client *client,
                                              const plexauth_resource *resource, const plexauth_connect_options *opts,
                                              plexauth_loop *loop, plexauth_call_done_fn done, void *user_data,
                                              plexauth_error **err) {
  return guard(err, [&] {
    require(call, "call");
    *call = nullptr;
    require(client, "client");
    std::shared_ptr<plexauth::Engine> engine = loop_for(client, loop);
    std::unique_ptr<plexauth_call> handle = new_call(engine, kConnect, done, user_data);
    std::shared_ptr<CallState> state = handle->s;
    std::lock_guard<std::mutex> lock(state->mu);  // the canceller is set before completion can run
    auto connector = start_connect(client, resource, opts, engine, [state](plexauth::ConnectResult *r, plexauth::Error *e) {
      complete_call(
          state,
          [&](CallState &s) {
            plexauth_connect_result *h = new_result(std::move(*r));
            s.result = std::unique_ptr<void, void (*)(void *)>(
                h, [](void *p) { delete static_cast<plexauth_connect_result *>(p); });
          },
          r ? nullptr : e);
    });
    std::weak_ptr<plexauth::Connector> weak = connector;
    state->canceller = [weak] {
      if (auto c = weak.lock()) c->cancel();
    };
    *call = handle.release();
  });
}

plexauth_status plexauth_client_connect_finish(plexauth_connect_result **out, plexauth_call *call,
                                               plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    void *r = nullptr;
    take_outcome(call, kConnect, &r);
    *out = static_cast<plexauth_connect_result *>(r);
  });
}

void plexauth_connect_result_free(plexauth_connect_result *result) {
  if (!result) return;
  plexauth::wipe(result->json);
  delete result;
}

const char *plexauth_connect_result_uri(const plexauth_connect_result *r) { return r ? r->r.uri.c_str() : nullptr; }

const char *plexauth_connect_result_access_token(const plexauth_connect_result *r) {
  return r && r->r.access_token ? r->r.access_token->reveal().c_str() : nullptr;
}

const char *plexauth_connect_result_machine_identifier(const plexauth_connect_result *r) {
  return r ? r->r.machine_identifier.c_str() : nullptr;
}

const char *plexauth_connect_result_name(const plexauth_connect_result *r) { return r ? r->r.name.c_str() : nullptr; }

const char *plexauth_connect_result_version(const plexauth_connect_result *r) {
  return r ? r->r.version.c_str() : nullptr;
}

int64_t plexauth_connect_result_elapsed_ms(const plexauth_connect_result *r) { return r ? r->r.elapsed_ms : 0; }

size_t plexauth_connect_result_attempts_count(const plexauth_connect_result *r) {
  return r ? r->r.attempts.size() : 0;
}

const char *plexauth_connect_result_attempt_uri(const plexauth_connect_result *r, size_t i) {
  const plexauth::Attempt *a = attempt(r, i);
  return a ? a->candidate.uri.c_str() : nullptr;
}

const char *plexauth_connect_result_attempt_location(const plexauth_connect_result *r, size_t i) {
  const plexauth::Attempt *a = attempt(r, i);
  return a ? plexauth::location_name(a->candidate.location) : nullptr;
}

const char *plexauth_connect_result_attempt_outcome(const plexauth_connect_result *r, size_t i) {
  const plexauth::Attempt *a = attempt(r, i);
  return a ? plexauth::outcome_name(a->outcome) : nullptr;
}

plexauth_status plexauth_connect_result_attempt_status(const plexauth_connect_result *r, size_t i) {
  const plexauth::Attempt *a = attempt(r, i);
  return a ? static_cast<plexauth_status>(a->status) : PLEXAUTH_E_INVALID_ARGUMENT;
}

const char *plexauth_connect_result_attempt_message(const plexauth_connect_result *r, size_t i) {
  const plexauth::Attempt *a = attempt(r, i);
  return a && a->outcome == plexauth::Attempt::Outcome::Failed ? a->message.c_str() : nullptr;
}

int plexauth_connect_result_attempt_started_ms(const plexauth_connect_result *r, size_t i, int64_t *out) {
  const plexauth::Attempt *a = attempt(r, i);
  if (!a || !out || a->started_ms < 0) return 0;
  *out = a->started_ms;
  return 1;
}

int plexauth_connect_result_attempt_elapsed_ms(const plexauth_connect_result *r, size_t i, int64_t *out) {
  const plexauth::Attempt *a = attempt(r, i);
  if (!a || !out || a->elapsed_ms < 0) return 0;
  *out = a->elapsed_ms;
  return 1;
}

const char *plexauth_connect_result_json(const plexauth_connect_result *r, size_t *len) {
  if (!r) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = r->json.size();
  return r->json.c_str();
}

}  // extern "C"
