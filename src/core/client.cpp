#include "core/client.h"

#include <curl/curl.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>

#include "core/json.h"
#include "core/operations.gen.h"
#include "core/request.h"
#include "core/validate.h"

namespace plexauth {
namespace {

// plex.tv's v1 routes (/api/...): the plex.tv base less a trailing /v2
// (https://plex.tv/api/v2 -> https://plex.tv/api); a base without one is used as it is.
std::string v1_base(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() >= 3 && base.compare(base.size() - 3, 3, "/v2") == 0) base.resize(base.size() - 3);
  return base;
}

constexpr size_t kErrorBodyLimit = 4096;
// Messages (ours, and Plex's errors[].message) are capped, at a UTF-8
// boundary: a server controls parts of them (a Location, its own messages).
constexpr size_t kErrorMessageLimit = 1024;

// Truncates at a UTF-8 boundary.
std::string truncate_utf8(std::string_view s, size_t limit) {
  if (s.size() <= limit) return std::string(s);
  size_t n = limit;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

int64_t now_epoch_s() { return static_cast<int64_t>(std::time(nullptr)); }

// A server that cannot be reached (connection refused, name not resolved, no
// connection within the connect timeout) gets its own, short retry budget:
// the call ends at the kUnreachableAttempts-th such attempt, or at the first
// one kUnreachableBudgetMs or more after the first, whatever the policy says.
constexpr unsigned kUnreachableAttempts = 3;
constexpr int64_t kUnreachableBudgetMs = 2000;

const char *env_value(const char *name) {
  const char *v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// The environment variable naming the proxy libcurl would use for `url`, when
// that proxy is reached over plain http:// and the target is http:// too (so
// the proxy sees the X-Plex-Token); nullptr otherwise. Only "*" and an exact
// host in no_proxy are honoured here (libcurl's own matching is wider, so this
// may warn when libcurl would in fact go direct, never the other way round).
const char *cleartext_proxy_env(const std::string &url) {
  if (url.rfind("http://", 0) != 0) return nullptr;  // https: the token travels inside a CONNECT tunnel
  const char *name = nullptr;
  for (const char *n : {"http_proxy", "all_proxy", "ALL_PROXY"})
    if (env_value(n)) {
      name = n;
      break;
    }
  if (!name) return nullptr;
  const std::string proxy = env_value(name);
  const bool plain = proxy.find("://") == std::string::npos || proxy.rfind("http://", 0) == 0;
  if (!plain) return nullptr;
  std::string host = url.substr(7);
  host = host.substr(0, host.find_first_of(":/"));
  for (const char *n : {"no_proxy", "NO_PROXY"}) {
    const char *np = env_value(n);
    if (!np) continue;
    std::string list = std::string(",") + np + ",";
    if (list.find(",*,") != std::string::npos || list.find("," + host + ",") != std::string::npos) return nullptr;
  }
  return name;
}

}  // namespace

Client::Client(ClientConfig cfg, RetryEnv env)
    : cfg_(std::move(cfg)),
      env_(env),
      transport_(TransportSettings{cfg_.max_response_bytes, cfg_.ca_bundle.value_or(""), cfg_.insecure_skip_tls_verify,
                                   cfg_.use_env_proxy, cfg_.pin_plex_direct,
                                   std::string("plexauth/") + PLEXAUTH_VERSION_FROM_BUILD}) {
  if (cfg_.server_url) {
    pms_base_ = *cfg_.server_url;
  } else {
    const bool v6 = cfg_.server_ip.find(':') != std::string::npos;
    pms_base_ = cfg_.server_protocol + "://" + (v6 ? "[" + cfg_.server_ip + "]" : cfg_.server_ip) + ":" +
                std::to_string(cfg_.server_port);
  }
  apply_default_identity(cfg_.identity);
  for (Body body : {Body::None, Body::Form, Body::Json})
    headers_[static_cast<int>(body)] = build_headers(body, cfg_.identity, nullptr);
  const Redactor none;
  if (cfg_.insecure_skip_tls_verify)
    log(LogLevel::Warn, none, "TLS certificate verification is DISABLED for this client; do not use this in production");
  if (!cfg_.identity.client_id)
    log(LogLevel::Warn, none,
        "no client_id set: X-Plex-Client-Identifier is not sent, so plex.tv rejects sign-in and may report a new "
        "device; set one stable value per installation");
}

void Client::log(LogLevel level, const Redactor &r, const std::string &msg) const {
  if (!logs(level)) return;
  try {
    cfg_.log(level, r.apply(msg));
  } catch (...) {
    // a log sink must never break a call
  }
}

std::string Client::base_url(const Operation &op, const CallOptions *opts) const {
  if (opts && opts->server_url) return *opts->server_url;
  switch (op.host) {
    case Host::Pms: return pms_base_;
    case Host::PlexTv: return cfg_.plex_tv_url;
    case Host::Clients:
      return cfg_.clients_url_set || cfg_.plex_tv_url == kDefaultPlexTvUrl ? cfg_.clients_url : cfg_.plex_tv_url;
    case Host::PlexTvV1: return v1_base(cfg_.plex_tv_url);
  }
  return cfg_.plex_tv_url;
}

namespace {

const char *method_name(Method m) noexcept {
  switch (m) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
  }
  return "GET";
}

void check_params(const Query &params) {
  for (const Param &p : params) {
    const std::string what(p.name);
    check_text(p.value, what.c_str());
    if (p.non_empty && p.value.empty()) fail(Status::InvalidArgument, what + " must not be empty");
  }
}

}  // namespace

Response Client::run_void(const Operation &op, const CallInput &in, const CallOptions *opts) {
  return execute(op, in, opts, [](const Response &) {});
}

void Client::prepare(PreparedCall &c, const Operation &op, const CallInput &in, const CallOptions *opts) const {
  check_params(in.path);
  check_params(in.query);
  for (std::string_view secret : in.secrets) c.redactor.add(secret);
  c.op = &op;
  c.url = build_url(base_url(op, opts), op, in.query, in.path);
  const CallOptions defaults;
  const CallOptions &o = opts ? *opts : defaults;
  // Headers common to every attempt (the client's, unless the call or its
  // request overrides the identity); the token is resolved per attempt.
  c.headers = &headers_[static_cast<int>(op.body)];
  if (in.identity || any(o.identity)) {
    Identity over = o.identity;
    if (in.identity) overlay(over, *in.identity);
    c.own_headers = build_headers(op.body, cfg_.identity, &over);
    c.headers = &c.own_headers;
  }
  if (op.sends_token && cfg_.access_token) c.redactor.add(cfg_.access_token->reveal());
  if (op.sends_token && o.access_token) {
    c.redactor.add(o.access_token->reveal());
    c.access_token = o.access_token;
  }
  c.policy = o.retry_overridden ? o.retry : cfg_.retry;
  c.cancel = o.cancel;

  HttpRequest &req = c.req;
  // POST and PUT send their body (or an empty one, with Content-Length: 0).
  req.post = op.has_body() || op.method == Method::Post || op.method == Method::Put;
  if (op.method == Method::Put || op.method == Method::Delete) req.custom_method = method_name(op.method);
  req.url = c.url;
  req.connect_timeout_ms = cfg_.connect_timeout_ms;
  req.timeout_ms = o.timeout_ms ? *o.timeout_ms : cfg_.timeout_ms;
  req.cancel = c.cancel.get();
  req.headers = c.headers;
  if (in.body) {
    c.body = *in.body;
    req.body = c.body->reveal();  // a view of the call's own copy
  }
  c.started_ms = env_.clock->now_ms();

  if (op.sends_token && (cfg_.access_token || cfg_.token_provider || o.access_token) && cfg_.use_env_proxy &&
      logs(LogLevel::Warn))
    if (const char *env = cleartext_proxy_env(c.url))
      log(LogLevel::Warn, c.redactor,
          std::string(op.name) + ": the X-Plex-Token will travel in clear text through the http:// proxy named by " +
              env + "; use https, or plexauth_config_set_use_env_proxy(cfg, 0) to ignore proxy variables");
}

void Client::begin_attempt(PreparedCall &c, unsigned n) const {
  const Operation &op = *c.op;
  HttpRequest &req = c.req;
  c.last_error.reset();
  req.secret_header = nullptr;
  c.token_header.reset();
  if (op.sends_token) {
    std::optional<std::string> token;
    if (c.access_token) {  // the call's own token beats the client's
      token = c.access_token->reveal();
    } else if (cfg_.token_provider) {
      token = cfg_.token_provider();  // may throw Error(Callback)
      if (token) check_text(*token, "the token from the token provider");
    } else if (cfg_.access_token) {
      token = cfg_.access_token->reveal();
    }
    if (token && !token->empty()) {
      c.redactor.add(*token);
      c.token_header = Secret("X-Plex-Token: " + *token);
      wipe(*token);
      req.secret_header = c.token_header->reveal().c_str();
    }
  }
  if (logs(LogLevel::Debug)) {
    std::string line = std::string(method_name(op.method)) + " " + c.url + " (attempt " + std::to_string(n) + ")";
    for (const std::string &h : *c.headers) line += "\n  " + h;
    if (req.secret_header) line.append("\n  ").append(req.secret_header);  // redacted by log()
    if (c.body) line += "\n  body: " + std::to_string(req.body.size()) + " bytes (not logged)";
    log(LogLevel::Debug, c.redactor, line);
  }
  c.attempt_started_us = steady_now_us();
}

AttemptVerdict Client::finish_attempt(PreparedCall &c, const std::function<Response()> &exchange) const {
  const Operation &op = *c.op;
  AttemptVerdict verdict;
  try {
    Response resp = exchange();
    if (logs(LogLevel::Debug)) {
      log(LogLevel::Debug, c.redactor,
          "HTTP " + std::to_string(resp.status) + " " + resp.content_type + ", " + std::to_string(resp.body.size()) +
              " bytes in " + std::to_string(static_cast<double>(steady_now_us() - c.attempt_started_us) / 1000.0) +
              " ms\n  body: " + truncate_utf8(c.redactor.apply(resp.body), 1024));  // redacted before the cut
    }
    Classified cl = classify(op, resp, now_epoch_s());
    if (cl.ok) {
      c.success = std::move(resp);
      return verdict;
    }
    cl.error.content_type = resp.content_type;
    if (!resp.body.empty()) cl.error.body = truncate_utf8(c.redactor.apply(resp.body), kErrorBodyLimit);
    c.last_error.emplace(std::move(cl.error));
    verdict = cl.verdict;
  } catch (Error &e) {
    const Status s = e.status();
    verdict.retryable =
        c.policy && c.policy->retry_connection_errors && (s == Status::Transport || s == Status::Timeout);
    if (e.info().not_connected) {
      const int64_t now = env_.clock->now_ms();
      if (c.unreachable++ == 0) c.first_unreachable_ms = now;
      if (c.unreachable >= kUnreachableAttempts || now - c.first_unreachable_ms >= kUnreachableBudgetMs)
        verdict.retryable = false;
    }
    e.info().message = std::string(op.name) + ": " + e.info().message;
    c.last_error.emplace(std::move(e));
  }
  return verdict;
}

void Client::note_wait(PreparedCall &c, int64_t wait_ms) const {
  if (logs(LogLevel::Info) && c.last_error)
    log(LogLevel::Info, c.redactor,
        std::string(c.op->name) + ": retrying in " + std::to_string(wait_ms) + " ms after " + c.last_error->what());
}

Response Client::execute(const Operation &op, const CallInput &in, const CallOptions *opts,
                         const std::function<void(const Response &)> &parse) {
  PreparedCall c;
  prepare(c, op, in, opts);
  const RetryOutcome outcome = run_with_retry(
      c.policy, env_, c.cancel.get(),
      [&](unsigned n) {
        begin_attempt(c, n);
        return finish_attempt(c, [&] { return transport_.perform(c.req); });
      },
      [&](int64_t wait_ms) { note_wait(c, wait_ms); });
  return conclude(c, outcome, parse);
}

Response Client::conclude(PreparedCall &c, const RetryOutcome &outcome,
                          const std::function<void(const Response &)> &parse) const {
  const Operation &op = *c.op;
  Redactor &redactor = c.redactor;
  std::optional<Response> &success = c.success;
  std::optional<Error> &last_error = c.last_error;
  ErrorInfo info;
  if (success) {
    try {
      parse(*success);
      return std::move(*success);
    } catch (Error &e) {
      info = std::move(e.info());
      info.http_status = success->status;
      info.content_type = success->content_type;
      info.body = truncate_utf8(redactor.apply(success->body), kErrorBodyLimit);
      info.message = std::string(op.name) + ": " + info.message;
    } catch (const JsonAssertion &) {
      info.status = Status::MalformedResponse;
      info.message = std::string(op.name) + ": the response body could not be read";
      info.http_status = success->status;
    }
  } else if (outcome.stop == RetryStop::Cancelled && (!last_error || last_error->status() != Status::Cancelled)) {
    info.status = Status::Cancelled;
    info.message = std::string(op.name) + ": the call was cancelled";
    if (last_error) {
      info.http_status = last_error->info().http_status;
      info.retry_after_ms = last_error->info().retry_after_ms;
    }
  } else if (last_error) {
    info = std::move(last_error->info());
  } else {
    info.status = Status::Internal;
    info.message = std::string(op.name) + ": no attempt was made";
  }
  info.attempts = outcome.attempts;
  if (info.status == Status::Transport || info.status == Status::Timeout)
    info.message += " (" + std::to_string(info.attempts) + (info.attempts == 1 ? " attempt" : " attempts") + " in " +
                    std::to_string(env_.clock->now_ms() - c.started_ms) + " ms)";
  // Everything the error exposes is redacted: the server may echo secrets
  // back anywhere (errors[].message, a Content-Type, the body). Bodies were
  // redacted before being cut, so that no secret is split across the cut.
  // The body first: credential values seen in it are then hidden by value
  // in the message too.
  if (info.body) info.body = redactor.apply(*info.body);
  info.message = truncate_utf8(redactor.apply(info.message), kErrorMessageLimit);
  if (info.content_type) info.content_type = truncate_utf8(redactor.apply(*info.content_type), kErrorMessageLimit);
  for (PlexErrorEntry &e : info.plex_errors)
    if (e.message) e.message = truncate_utf8(redactor.apply(*e.message), kErrorMessageLimit);
  log(LogLevel::Debug, redactor, info.message);
  throw Error(std::move(info));
}

CallInput sign_in_input(const SignInRequest &req, const Secret &form) {
  CallInput in;
  in.body = &form;
  in.identity = &req.identity;
  in.secrets.push_back(req.password->reveal());
  if (req.verification_code) in.secrets.push_back(req.verification_code->reveal());
  return in;
}

Parsed<Account> Client::post_users_sign_in_data(const SignInRequest &req, const CallOptions *opts) {
  const Secret form = encode_sign_in_form(req);
  return run<Account>(op::kPostUsersSignInData, sign_in_input(req, form), opts);
}

}  // namespace plexauth
