// The client: a config snapshot, a transport, and the one request pipeline
// that runs every operation.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/config.h"
#include "core/operation.h"
#include "core/redact.h"
#include "core/request.h"
#include "core/response.h"
#include "core/retry.h"
#include "core/transport.h"
#include "models/models.h"

namespace plexauth {

template <class T>
struct Parsed {
  Response response;
  T value;
};

// What one call of an operation sends besides the descriptor: its path and
// query parameters (checked: valid UTF-8, no control characters, non-empty
// where the description says so), its encoded body, identity overrides of
// its request object, and the secrets it carries (redacted from everything
// the call reports).
struct CallInput {
  Query path;
  Query query;
  const Secret *body = nullptr;
  const Identity *identity = nullptr;
  std::vector<std::string_view> secrets;
};

// One call of an operation, prepared by Client::prepare: everything its
// attempts need, owned (the caller's inputs may go away once prepare()
// returns), and the state of its attempts. Not movable: the request points
// into it. Used by one thread at a time.
struct PreparedCall {
  PreparedCall() = default;
  PreparedCall(const PreparedCall &) = delete;
  PreparedCall &operator=(const PreparedCall &) = delete;

  const Operation *op = nullptr;
  std::string url;
  std::vector<std::string> own_headers;               // when the call overrides the identity
  const std::vector<std::string> *headers = nullptr;  // own_headers, or the client's
  std::optional<Secret> body;
  Redactor redactor;
  std::optional<RetryPolicy> policy;
  std::shared_ptr<CancelToken> cancel;
  std::optional<Secret> access_token;  // the call's own
  HttpRequest req;
  // Attempts so far.
  std::optional<Secret> token_header;
  std::optional<Response> success;
  std::optional<Error> last_error;
  int64_t started_ms = 0;
  int64_t attempt_started_us = 0;
  unsigned unreachable = 0;  // attempts that never reached the server
  int64_t first_unreachable_ms = 0;
};

// The input of a sign-in whose form body (encode_sign_in_form(req)) is
// `form`; both must outlive the call's prepare().
CallInput sign_in_input(const SignInRequest &req, const Secret &form);

class Client {
 public:
  explicit Client(ClientConfig cfg, RetryEnv env = RetryEnv::system());

  // Runs any operation whose result is the model M (op::k..., generated from
  // codegen/api.py): build -> send -> classify -> retry -> parse.
  template <class M>
  Parsed<M> run(const Operation &op, const CallInput &in, const CallOptions *opts) {
    Parsed<M> out;
    out.response = execute(op, in, opts, [&](const Response &r) { out.value = parse_model<M>(r.body, envelope_of(op, r)); });
    return out;
  }
  // An operation without a result (204).
  Response run_void(const Operation &op, const CallInput &in, const CallOptions *opts);

  Parsed<Account> post_users_sign_in_data(const SignInRequest &req, const CallOptions *opts);

  const ClientConfig &config() const noexcept { return cfg_; }

  // The pipeline in steps, shared by the blocking calls (execute) and the
  // engine (core/engine.h), so that both behave alike:
  //   prepare -> { begin_attempt -> finish_attempt -> RetryStepper } -> conclude.
  // prepare checks the input (throws Error) and copies what the call needs.
  void prepare(PreparedCall &c, const Operation &op, const CallInput &in, const CallOptions *opts) const;
  // Resolves the token for attempt n (1-based) into c.req and logs the
  // request. Throws Error(Callback) when the token provider fails.
  void begin_attempt(PreparedCall &c, unsigned n) const;
  // Runs exchange() (one HTTP exchange of c.req, which returns the response
  // or throws Error) and classifies the outcome into c.success or
  // c.last_error; says whether it may be retried.
  AttemptVerdict finish_attempt(PreparedCall &c, const std::function<Response()> &exchange) const;
  // Logs the wait before a retry.
  void note_wait(PreparedCall &c, int64_t wait_ms) const;
  // After the last attempt: on success calls parse(response) and returns the
  // response; every failure, a parse failure too, is thrown as Error with
  // attempts, HTTP status and a redacted body filled in.
  Response conclude(PreparedCall &c, const RetryOutcome &outcome,
                    const std::function<void(const Response &)> &parse) const;

  // A line for the client's log sink from work built on calls (a connect's
  // report), redacted with `r`, when the sink takes that level.
  void note(LogLevel level, const Redactor &r, const std::string &msg) const { log(level, r, msg); }

  Transport &transport() noexcept { return transport_; }
  const RetryEnv &retry_env() const noexcept { return env_; }

 private:
  // The blocking pipeline: all of the steps above on the calling thread.
  Response execute(const Operation &op, const CallInput &in, const CallOptions *opts,
                   const std::function<void(const Response &)> &parse);
  std::string base_url(const Operation &op, const CallOptions *opts) const;
  void log(LogLevel level, const Redactor &r, const std::string &msg) const;
  bool logs(LogLevel level) const noexcept { return cfg_.log && level <= cfg_.log_level; }

  ClientConfig cfg_;
  RetryEnv env_;
  Transport transport_;
  std::string pms_base_;  // resolved once
  // build_headers for each body kind (none, form, JSON) with the client's
  // identity, built once.
  std::vector<std::string> headers_[3];
};

}  // namespace plexauth
