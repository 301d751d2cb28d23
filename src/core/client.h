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

 private:
  // Runs the pipeline; on success calls parse(response) and returns the
  // response. Every failure, including a parse failure, is thrown as Error
  // with attempts, HTTP status and a redacted body filled in.
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
