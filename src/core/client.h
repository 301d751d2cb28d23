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

class Client {
 public:
  explicit Client(ClientConfig cfg, RetryEnv env = RetryEnv::system());

  Parsed<TransientToken> get_transient_token(std::string_view type, std::string_view scope,
                                             const CallOptions *opts);
  Parsed<SourceInfo> get_source_connection_information(std::string_view source, const CallOptions *opts);
  Parsed<Account> get_token_details(const CallOptions *opts);
  Parsed<Account> post_users_sign_in_data(const SignInRequest &req, const CallOptions *opts);

  const ClientConfig &config() const noexcept { return cfg_; }

 private:
  struct Call {
    const Operation *op;
    Query query;
    const Secret *form = nullptr;              // POST body
    const Identity *identity = nullptr;        // per-request overrides
    Redactor redactor;
    Call(const Operation *o, Query q, const Secret *f = nullptr, const Identity *i = nullptr)
        : op(o), query(std::move(q)), form(f), identity(i) {}
  };
  // Runs the pipeline; on success calls parse(response) and returns the
  // response. Every failure, including a parse failure, is thrown as Error
  // with attempts, HTTP status and a redacted body filled in.
  Response execute(Call &call, const CallOptions *opts, const std::function<void(const Response &)> &parse);
  std::string base_url(const Operation &op, const CallOptions *opts) const;
  void log(LogLevel level, const Redactor &r, const std::string &msg) const;
  bool logs(LogLevel level) const noexcept { return cfg_.log && level <= cfg_.log_level; }

  ClientConfig cfg_;
  RetryEnv env_;
  Transport transport_;
  std::string pms_base_;  // resolved once
  // build_headers for GET [0] and POST [1] operations with the client's
  // identity, built once.
  std::vector<std::string> headers_[2];
};

}  // namespace plexauth
