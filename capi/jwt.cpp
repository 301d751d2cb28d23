// The C API of JWT device authentication (core/jwt.h): device keys, key
// registration, the nonce -> device JWT -> Plex JWT login, and verification
// of Plex JWTs against plex.tv's rotating keys.
#include <cstdio>
#include <cstring>
#include <string.h>  // explicit_bzero
#include <ctime>

#include "capi/support.h"
#include "core/files.h"
#include "core/jwt.h"
#include "login/login.h"

struct plexauth_device_key {
  explicit plexauth_device_key(plexauth::jwt::DeviceKey k) : key(std::move(k)), jwk(key.public_jwk()) {}
  plexauth::jwt::DeviceKey key;
  std::string jwk;
};

// What a keystore's read function hands over (plexauth_key_sink_set).
struct plexauth_key_sink {
  std::optional<plexauth::Secret> pem;
  bool refused = false;  // sticky: a refused value fails the call
};

// A refreshing source of Plex JWTs: one refresh at a time, whatever the
// number of threads asking (single-flight).
struct plexauth_jwt_session {
  plexauth_client *client = nullptr;  // not owned: it outlives the session (plexauth_jwt_session_new)
  std::unique_ptr<plexauth_device_key> key;
  int64_t margin_s = 86400;
  std::mutex mu;  // the state below
  std::optional<plexauth::Secret> token;
  int64_t exp = 0;
  uint64_t attempts = 0;                       // refreshes tried
  std::optional<plexauth::ErrorInfo> failure;  // of the last one
  std::mutex refresh_mu;                       // held by the one refreshing
};

namespace plexauth::capi {
namespace {

constexpr const char *kDefaultScope = "username,email,friendly_name,restricted,anonymous,joinedAt";
constexpr int64_t kDeviceJwtLifetime = 300;  // 5 minutes, as python-plexapi and streamarr
constexpr int64_t kJwksMaxAge = 3600;         // re-read the key set at least hourly

std::string client_id_of(plexauth_client *client, const plexauth_call_options *opts) {
  if (opts && opts->o.identity.client_id) return *opts->o.identity.client_id;
  const auto &id = client->c.config().identity.client_id;
  if (!id || id->empty())
    fail(Status::InvalidArgument, "JWT device authentication needs a client identifier (plexauth_config_set_client_id)");
  return *id;
}

// The text into the caller's buffer; *len (when given) its length, also
// when the buffer is too small.
void copy_out(const std::string &value, char *buf, size_t size, size_t *len, const char *what) {
  if (len) *len = value.size();
  copy_text(value, buf, size, what);
}

// The longest PEM text taken for a device key: from a file, a caller or a keystore.
constexpr size_t kMaxPem = 64 * 1024;

// The key in the file at `path` (owner-only, as ssh wants), or nullptr when
// there is no such file.
plexauth_device_key *read_key_file(const std::string &path) {
  auto pem = plexauth::read_file_limited(path, kMaxPem, "key file", Status::InvalidArgument, /*owner_only=*/true);
  if (!pem) return nullptr;
  Secret owned(std::move(*pem));
  return new plexauth_device_key(jwt::DeviceKey::from_pem(owned.reveal()));
}

void write_key_file(const plexauth_device_key &key, const char *path) {
  const Secret pem = key.key.to_pem();
  write_private_file(path, pem.reveal(), "key file");
}

// The stored key's PEM text from the keystore's read function: nullopt when
// it holds none.
std::optional<Secret> read_keystore(plexauth_keystore_read_fn read, void *user_data) {
  plexauth_key_sink sink;
  const int rc = read(user_data, &sink);
  if (rc != 0) fail(Status::Callback, "the keystore's read function reported a failure (" + std::to_string(rc) + ")");
  if (sink.refused) fail(Status::Callback, "the keystore's read function gave a key that was refused (see plexauth_key_sink_set)");
  return std::move(sink.pem);
}

void write_keystore(const plexauth_device_key &key, plexauth_keystore_write_fn write, void *user_data) {
  const Secret pem = key.key.to_pem();  // wiped when this returns, whatever the callback did
  const int rc = write(user_data, pem.reveal().c_str(), pem.reveal().size());
  if (rc != 0) fail(Status::Callback, "the keystore's write function reported a failure (" + std::to_string(rc) + ")");
}

// plex.tv's key set, cached per client; `refresh` forces a re-read.
std::vector<jwt::PublicKey> jwks_of(plexauth_client *client, const plexauth_call_options *opts, bool refresh) {
  {
    std::lock_guard<std::mutex> lock(client->jwt_mu);
    if (!refresh && client->jwks_at && std::time(nullptr) - client->jwks_at < kJwksMaxAge) return client->jwks;
  }
  auto r = client->c.run<Jwks>(op::kGetJwks, CallInput{}, opts ? &opts->o : nullptr);
  std::vector<jwt::PublicKey> keys = jwt::parse_jwks(r.response.body);
  std::lock_guard<std::mutex> lock(client->jwt_mu);
  client->jwks = keys;
  client->jwks_at = std::time(nullptr);
  return keys;
}

// The device JWT for `nonce` as the exchange's body {"jwt": "..."}; the JWT
// is a credential (wiped, redacted).
struct ExchangeBody {
  Secret device_jwt, body;
  ExchangeBody(const jwt::DeviceKey &key, const std::string &client_id, const std::string &nonce,
               const std::string &scope)
      : device_jwt(jwt::sign_device_jwt(key, client_id, nonce, scope, std::time(nullptr), kDeviceJwtLifetime)) {
    std::vector<FormField> fields{{"jwt", device_jwt.reveal()}};
    body = encode_json_object(fields);
  }
  CallInput input() const {
    CallInput in;
    in.body = &body;
    in.secrets.push_back(device_jwt.reveal());
    return in;
  }
};

// What take_outcome() checks a jwt_login call against: two requests
// (get_nonce, then exchange_device_jwt), the exchange's result.
constexpr Operation kJwtLoginKind = [] {
  Operation o = op::kExchangeDeviceJwt;
  o.name = "jwt_login";
  return o;
}();

// plexauth_client_jwt_login_start: the nonce, then the exchange, each a job
// on the loop; the second starts from the first one's completion (on the
// loop thread). Holds the loop (Engine::hold) in between.
class JwtLogin : public std::enable_shared_from_this<JwtLogin> {
 public:
  JwtLogin(std::shared_ptr<Engine> engine, std::shared_ptr<Client> client, std::shared_ptr<CallState> state,
           jwt::DeviceKey key, std::string client_id, std::string scope, std::optional<CallOptions> opts)
      : engine_(std::move(engine)),
        client_(std::move(client)),
        state_(std::move(state)),
        key_(std::move(key)),
        client_id_(std::move(client_id)),
        scope_(std::move(scope)),
        opts_(std::move(opts)) {}

  // Caller holds state_->mu (the canceller is set before completion can run).
  void start() {
    auto call = std::make_unique<PreparedCall>();
    client_->prepare(*call, op::kGetNonce, CallInput{}, options());
    auto nonce = std::make_shared<std::optional<Nonce>>();
    std::weak_ptr<JwtLogin> weak = weak_from_this();
    state_->canceller = [weak] {
      if (auto self = weak.lock()) self->cancel();
    };
    engine_->hold();
    try {
      set_job(engine_->start(
          client_, std::move(call),
          [nonce](const Response &r) { *nonce = parse_model<Nonce>(r.body, envelope_of(op::kGetNonce, r)); },
          [self = shared_from_this(), nonce](Response *r, Error *e) {
            if (!r) return self->complete(nullptr, e);
            self->exchange((*nonce)->nonce.value_or(""));
          }));
    } catch (...) {
      engine_->release();
      throw;
    }
  }

 private:
  const CallOptions *options() const { return opts_ ? &*opts_ : nullptr; }

  void set_job(std::shared_ptr<Engine::Job> job) {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = std::move(job);
  }

  void cancel() {
    std::shared_ptr<Engine::Job> job;
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancelled_ = true;
      job = job_;
    }
    if (job) engine_->cancel(job);
  }

  // On the loop thread, after the nonce.
  void exchange(const std::string &nonce) noexcept {
    try {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (cancelled_) fail(Status::Cancelled, "cancelled");
      }
      const ExchangeBody body(key_, client_id_, nonce, scope_);
      auto call = std::make_unique<PreparedCall>();
      client_->prepare(*call, op::kExchangeDeviceJwt, body.input(), options());
      auto value = std::make_shared<std::optional<JwtToken>>();
      set_job(engine_->start(
          client_, std::move(call),
          [value](const Response &r) {
            *value = parse_model<JwtToken>(r.body, envelope_of(op::kExchangeDeviceJwt, r));
          },
          [self = shared_from_this(), value](Response *r, Error *e) {
            if (!r) return self->complete(nullptr, e);
            self->complete(
                [&](CallState &s) {
                  s.result = std::unique_ptr<void, void (*)(void *)>(
                      new plexauth_jwt_token(std::move(*r), std::move(**value)),
                      [](void *p) { delete static_cast<plexauth_jwt_token *>(p); });
                },
                nullptr);
          }));
    } catch (Error &e) {
      complete(nullptr, &e);
    } catch (...) {
      Error e(Status::OutOfMemory, "out of memory");
      complete(nullptr, &e);
    }
  }

  void complete(const std::function<void(CallState &)> &set_result, Error *e) noexcept {
    set_job(nullptr);
    complete_call(state_, set_result ? set_result : [](CallState &) {}, set_result ? nullptr : e);
    engine_->release();
  }

  std::shared_ptr<Engine> engine_;
  std::shared_ptr<Client> client_;
  std::shared_ptr<CallState> state_;
  const jwt::DeviceKey key_;
  const std::string client_id_, scope_;
  const std::optional<CallOptions> opts_;
  std::mutex mu_;
  bool cancelled_ = false;
  std::shared_ptr<Engine::Job> job_;  // the request in flight
};

}  // namespace
}  // namespace plexauth::capi

using namespace plexauth::capi;  // NOLINT
using plexauth::Status;

extern "C" {

plexauth_status plexauth_device_key_generate(plexauth_device_key **out, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    *out = new plexauth_device_key(plexauth::jwt::DeviceKey::generate());
  });
}

plexauth_status plexauth_device_key_from_pem(plexauth_device_key **out, const char *pem, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(pem, "pem");
    const size_t len = ::strnlen(pem, kMaxPem + 1);  // PEM text has line breaks: no check_text
    if (len > kMaxPem || !plexauth::is_valid_utf8(std::string_view(pem, len)))
      plexauth::fail(Status::InvalidArgument, "pem is not PEM text (too long or not UTF-8)");
    *out = new plexauth_device_key(plexauth::jwt::DeviceKey::from_pem(pem));
  });
}

plexauth_status plexauth_device_key_to_pem(const plexauth_device_key *key, char *buf, size_t size, size_t *len,
                                           plexauth_error **err) {
  return guard(err, [&] {
    require(key, "key");
    const plexauth::Secret pem = key->key.to_pem();
    copy_out(pem.reveal(), buf, size, len, "the PEM text");
  });
}

plexauth_status plexauth_device_key_load(plexauth_device_key **out, const char *path, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    check_path(path);
    *out = read_key_file(path);
    if (!*out) fail(Status::Transport, "cannot read the key file: it does not exist");
  });
}

plexauth_status plexauth_device_key_save(const plexauth_device_key *key, const char *path, plexauth_error **err) {
  return guard(err, [&] {
    require(key, "key");
    check_path(path);
    write_key_file(*key, path);
  });
}

plexauth_status plexauth_device_key_load_or_create(plexauth_device_key **out, const char *path, int *created,
                                                   plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    if (created) *created = 0;
    check_path(path);
    if ((*out = read_key_file(path))) return;
    auto key = std::make_unique<plexauth_device_key>(plexauth::jwt::DeviceKey::generate());
    write_key_file(*key, path);
    if (created) *created = 1;
    *out = key.release();
  });
}

plexauth_status plexauth_key_sink_set(plexauth_key_sink *sink, const char *pem, size_t len) {
  return guard(nullptr, [&] {
    require(sink, "sink");
    try {
      require(pem, "pem");
      const std::string_view text(pem, len);
      if (len > kMaxPem) plexauth::fail(Status::InvalidArgument, "pem is over 64 KiB: not a device key");
      if (!plexauth::is_valid_utf8(text) || text.find('\0') != std::string_view::npos)
        plexauth::fail(Status::InvalidArgument, "pem is not PEM text (not UTF-8, or a NUL inside)");
      sink->pem.emplace(text);
    } catch (...) {
      sink->refused = true;
      throw;
    }
  });
}

plexauth_status plexauth_device_key_load_or_create_with(plexauth_device_key **out, plexauth_keystore_read_fn read,
                                                        plexauth_keystore_write_fn write, void *user_data,
                                                        int *created, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    if (created) *created = 0;
    if (!read) fail(Status::InvalidArgument, "read must not be NULL");
    if (!write) fail(Status::InvalidArgument, "write must not be NULL");
    if (auto pem = read_keystore(read, user_data)) {
      // A stored key that does not parse is an error, never replaced: the
      // registered device would lose its key.
      try {
        *out = new plexauth_device_key(plexauth::jwt::DeviceKey::from_pem(pem->reveal()));
      } catch (const plexauth::Error &e) {
        plexauth::fail(e.status(), std::string("the keystore's key: ") + e.what());
      }
      return;
    }
    auto key = std::make_unique<plexauth_device_key>(plexauth::jwt::DeviceKey::generate());
    write_keystore(*key, write, user_data);
    if (created) *created = 1;
    *out = key.release();
  });
}

plexauth_status plexauth_device_key_save_with(const plexauth_device_key *key, plexauth_keystore_write_fn write,
                                              void *user_data, plexauth_error **err) {
  return guard(err, [&] {
    require(key, "key");
    if (!write) fail(Status::InvalidArgument, "write must not be NULL");
    write_keystore(*key, write, user_data);
  });
}

void plexauth_device_key_free(plexauth_device_key *key) { delete key; }

const char *plexauth_device_key_id(const plexauth_device_key *key) { return key ? key->key.kid().c_str() : nullptr; }

const char *plexauth_device_key_jwk(const plexauth_device_key *key) { return key ? key->jwk.c_str() : nullptr; }

plexauth_status plexauth_device_key_sign_jwt(const plexauth_device_key *key, const char *client_id, const char *nonce,
                                             const char *scope, int64_t lifetime_s, char *buf, size_t size,
                                             size_t *len, plexauth_error **err) {
  return guard(err, [&] {
    require(key, "key");
    require(client_id, "client_id");
    plexauth::check_text(client_id, "client_id", 256);
    if (!*client_id) plexauth::fail(Status::InvalidArgument, "client_id must not be empty");
    if (nonce) plexauth::check_text(nonce, "nonce", 256);
    if (scope) plexauth::check_text(scope, "scope", 1024);
    if (lifetime_s < 1 || lifetime_s > 86400) plexauth::fail(Status::InvalidArgument, "lifetime_s must be 1 .. 86400");
    const std::string jwt = plexauth::jwt::sign_device_jwt(key->key, client_id, nonce ? nonce : "",
                                                           scope ? scope : kDefaultScope, std::time(nullptr), lifetime_s);
    copy_out(jwt, buf, size, len, "the JWT");
  });
}

plexauth_status plexauth_client_register_device_key(plexauth_client *client, const plexauth_device_key *key,
                                                    const plexauth_call_options *opts, plexauth_error **err) {
  return run_operation(err, [&] {
    require(client, "client");
    require(key, "key");
    // register_jwk (the API table) with the key's public JWK.
    std::vector<plexauth::FormField> fields{{"jwk", key->jwk, plexauth::FormField::As::Object}};
    const plexauth::Secret body = plexauth::encode_json_object(fields);
    plexauth::CallInput in;
    in.body = &body;
    client->c.run_void(plexauth::op::kRegisterJwk, in, opts ? &opts->o : nullptr);
  });
}

plexauth_status plexauth_client_jwt_login(plexauth_jwt_token **out, plexauth_client *client,
                                          const plexauth_device_key *key, const char *scope,
                                          const plexauth_call_options *opts, plexauth_error **err) {
  return run_operation(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    require(key, "key");
    if (scope) plexauth::check_text(scope, "scope", 1024);
    const std::string client_id = client_id_of(client, opts);
    const plexauth::CallOptions *o = opts ? &opts->o : nullptr;
    auto nonce = client->c.run<plexauth::Nonce>(plexauth::op::kGetNonce, plexauth::CallInput{}, o);
    const ExchangeBody body(key->key, client_id, nonce.value.nonce.value_or(""), scope ? scope : kDefaultScope);
    auto r = client->c.run<plexauth::JwtToken>(plexauth::op::kExchangeDeviceJwt, body.input(), o);
    *out = new plexauth_jwt_token(std::move(r.response), std::move(r.value));
  });
}

plexauth_status plexauth_client_jwt_login_start(plexauth_call **call, plexauth_client *client,
                                                const plexauth_device_key *key, const char *scope,
                                                const plexauth_call_options *opts, plexauth_loop *loop,
                                                plexauth_call_done_fn done, void *user_data, plexauth_error **err) {
  return guard(err, [&] {
    require(call, "call");
    *call = nullptr;
    require(client, "client");
    require(key, "key");
    if (scope) plexauth::check_text(scope, "scope", 1024);
    std::string client_id = client_id_of(client, opts);
    std::shared_ptr<plexauth::Engine> engine = loop_for(client, loop);
    std::unique_ptr<plexauth_call> handle = new_call(engine, kJwtLoginKind, done, user_data);
    auto login = std::make_shared<JwtLogin>(engine, client->cp, handle->s, key->key.share(), std::move(client_id),
                                            scope ? scope : kDefaultScope,
                                            opts ? std::optional<plexauth::CallOptions>(opts->o) : std::nullopt);
    std::lock_guard<std::mutex> lock(handle->s->mu);
    login->start();
    *call = handle.release();
  });
}

plexauth_status plexauth_client_jwt_login_finish(plexauth_jwt_token **out, plexauth_call *call, plexauth_error **err) {
  return finish_call<plexauth::JwtToken>(out, call, kJwtLoginKind, err);
}

plexauth_status plexauth_client_wait_for_jwk_pin(plexauth_pin **out, plexauth_client *client, int64_t id,
                                                 const plexauth_device_key *key, int64_t poll_interval_ms,
                                                 int64_t timeout_ms, plexauth_pin_progress_fn progress,
                                                 void *user_data, const plexauth_call_options *opts,
                                                 plexauth_error **err) {
  return run_operation(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    require(key, "key");
    const std::string client_id = client_id_of(client, opts);
    const plexauth::CallOptions *o = opts ? &opts->o : nullptr;
    plexauth::PinWait wait = pin_wait(poll_interval_ms, timeout_ms, progress, user_data);
    // A fresh nonce for each device JWT, as python-plexapi signs it (plex.tv
    // may not need one here; a nonce costs one request every 4 minutes).
    wait.device_jwt = [&] {
      auto nonce = client->c.run<plexauth::Nonce>(plexauth::op::kGetNonce, plexauth::CallInput{}, o);
      return plexauth::Secret(plexauth::jwt::sign_device_jwt(key->key, client_id, nonce.value.nonce.value_or(""),
                                                             kDefaultScope, std::time(nullptr), kDeviceJwtLifetime));
    };
    auto r = plexauth::wait_for_pin(client->c, id, wait, o);
    *out = new plexauth_pin(std::move(r.response), std::move(r.value));
  });
}

plexauth_status plexauth_client_jwt_verify(plexauth_client *client, const char *jwt, const plexauth_device_key *key,
                                           int64_t *expires_at, const plexauth_call_options *opts,
                                           plexauth_error **err) {
  return run_operation(err, [&] {
    require(client, "client");
    require(jwt, "jwt");
    plexauth::check_text(jwt, "jwt", 16384);
    if (!*jwt) plexauth::fail(Status::InvalidArgument, "jwt must not be empty");
    plexauth::jwt::Expectations e;
    e.client_id = client_id_of(client, opts);
    e.thumbprint = key ? key->key.kid() : std::string();
    e.now = std::time(nullptr);
    auto keys = jwks_of(client, opts, false);
    plexauth::jwt::Decoded d;
    plexauth::jwt::Check c = plexauth::jwt::verify(jwt, keys, e, &d);
    if (c == plexauth::jwt::Check::UnknownKey) {  // plex.tv rotated its keys: read them again, once
      keys = jwks_of(client, opts, true);
      c = plexauth::jwt::verify(jwt, keys, e, &d);
    }
    if (c == plexauth::jwt::Check::Expired)
      plexauth::fail(Status::TokenExpired, "the JWT expired (check: expired); refresh it with the device key");
    if (c != plexauth::jwt::Check::Ok)
      plexauth::fail(Status::JwtInvalid, std::string("the JWT failed verification (check: ") +
                                             plexauth::jwt::check_name(c) + ")");
    if (expires_at && d.exp) *expires_at = *d.exp;
  });
}

plexauth_status plexauth_jwt_session_new(plexauth_jwt_session **out, plexauth_client *client,
                                         const plexauth_device_key *key, int64_t margin_s, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    require(client, "client");
    require(key, "key");
    if (margin_s < 0 || margin_s > 7 * 86400) plexauth::fail(Status::InvalidArgument, "margin_s must be 0 .. 604800");
    client_id_of(client, nullptr);  // refuses a client without identifier now, not at the first refresh
    auto s = std::make_unique<plexauth_jwt_session>();
    s->client = client;
    s->key = std::make_unique<plexauth_device_key>(plexauth::jwt::DeviceKey::from_pem(key->key.to_pem().reveal()));
    s->margin_s = margin_s ? margin_s : 86400;
    *out = s.release();
  });
}

void plexauth_jwt_session_free(plexauth_jwt_session *session) { delete session; }

void plexauth_jwt_session_invalidate(plexauth_jwt_session *session) {
  if (!session) return;
  std::lock_guard<std::mutex> lock(session->mu);
  session->token.reset();
  session->exp = 0;
}

plexauth_status plexauth_jwt_session_token(plexauth_jwt_session *session, char *buf, size_t size, size_t *len,
                                           int64_t *expires_at, plexauth_error **err) {
  return guard(err, [&] {
    require(session, "session");
    plexauth_jwt_session &s = *session;
    auto fresh = [&]() { return s.token && s.exp - s.margin_s > std::time(nullptr); };
    auto hand_out = [&]() {  // under s.mu
      copy_out(s.token->reveal(), buf, size, len, "the JWT");
      if (expires_at) *expires_at = s.exp;
    };
    uint64_t seen = 0;
    {
      std::lock_guard<std::mutex> lock(s.mu);
      if (fresh()) return hand_out();
      seen = s.attempts;
    }
    std::lock_guard<std::mutex> refreshing(s.refresh_mu);
    {
      std::lock_guard<std::mutex> lock(s.mu);
      if (fresh()) return hand_out();                        // another thread refreshed meanwhile
      if (s.attempts != seen && s.failure) throw plexauth::Error(*s.failure);  // ...and failed: its error
      ++s.attempts;
    }
    plexauth_jwt_token *got = nullptr;
    plexauth_error *e = nullptr;
    const plexauth_status st = plexauth_client_jwt_login(&got, s.client, s.key.get(), nullptr, nullptr, &e);
    if (st != PLEXAUTH_OK) {
      plexauth::ErrorInfo info = e ? e->info : plexauth::ErrorInfo{};
      info.status = static_cast<Status>(st);
      plexauth_error_free(e);
      std::lock_guard<std::mutex> lock(s.mu);
      s.failure = info;
      throw plexauth::Error(std::move(info));
    }
    std::unique_ptr<plexauth_jwt_token, void (*)(plexauth_jwt_token *)> owned(got, plexauth_jwt_token_free);
    const std::string &jwt = *owned->value.auth_token;
    int64_t exp = 0;
    try {
      exp = plexauth::jwt::decode(jwt).exp.value_or(0);
    } catch (const plexauth::Error &) {
    }
    if (exp <= std::time(nullptr))
      plexauth::fail(Status::JwtInvalid, "plex.tv returned a JWT without a future exp claim");
    std::lock_guard<std::mutex> lock(s.mu);
    s.token.emplace(jwt);
    s.exp = exp;
    s.failure.reset();
    hand_out();
  });
}

int plexauth_jwt_session_provider(void *session, plexauth_token_sink *sink) {
  auto *s = static_cast<plexauth_jwt_session *>(session);
  char token[16385];
  size_t len = 0;
  if (plexauth_jwt_session_token(s, token, sizeof token, &len, nullptr, nullptr) != PLEXAUTH_OK) return 1;
  const plexauth_status st = plexauth_token_sink_set(sink, token, len);
  explicit_bzero(token, sizeof token);
  return st == PLEXAUTH_OK ? 0 : 1;
}

}  // extern "C"
