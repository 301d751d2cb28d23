// Definitions of the opaque C handles. capi/ only translates: each handle
// wraps a core object.
//
// Two kinds of result handle:
//   - an operation's result (plexauth_account, plexauth_pong, ...) owns the
//     response and the parsed model: capi::Result<M>, one struct per model in
//     handles.gen.h, built with new plexauth_x(std::move(response), std::move(model));
//   - a nested model (plexauth_connection, plexauth_profile, ...) is never
//     defined: a pointer to one is the address of the core object inside its
//     owner, converted with to_handle/from_handle and never dereferenced as
//     anything else. It lives as long as the owner.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/client.h"
#include "core/engine.h"
#include "core/jwt.h"
#include "core/response.h"
#include "models/models.h"
#include "plexauth/plexauth.h"

struct plexauth_response {
  plexauth::Response r;
};
struct plexauth_retry {
  plexauth::RetryPolicy p;
};
struct plexauth_cancel {
  std::shared_ptr<plexauth::CancelToken> t;
};
struct plexauth_config {
  plexauth::ClientConfig cfg;
};
struct plexauth_client {
  explicit plexauth_client(plexauth::ClientConfig cfg)
      : cp(std::make_shared<plexauth::Client>(std::move(cfg))), c(*cp) {}
  // Freeing the client shuts its own loop down (its calls complete as
  // cancelled); calls on other loops keep the core client alive until they
  // complete.
  ~plexauth_client() {
    if (loop) loop->shutdown();
  }
  plexauth_client(const plexauth_client &) = delete;
  plexauth_client &operator=(const plexauth_client &) = delete;
  std::shared_ptr<plexauth::Client> cp;
  plexauth::Client &c;
  std::mutex loop_mu;
  std::shared_ptr<plexauth::Engine> loop;  // for starts without a loop; made on first use
  // plex.tv's JWT signing keys (plexauth_client_jwt_verify), cached.
  std::mutex jwt_mu;
  std::vector<plexauth::jwt::PublicKey> jwks;
  int64_t jwks_at = 0;
};
struct plexauth_call_options {
  plexauth::CallOptions o;
};
struct plexauth_sign_in {
  plexauth::SignInRequest r;
};
struct plexauth_token_sink {
  std::optional<std::string> token;
  bool refused = false;
};

namespace plexauth::capi {

template <class M>
struct Result {
  Result(Response r, M v) : response{std::move(r)}, value(std::move(v)) {}
  plexauth_response response;
  M value;
  mutable std::once_flag json_once;  // json is built by the first plexauth_x_json
  mutable std::string json;
};

// The C handle type of each model (specialised in handles.gen.h).
template <class M> struct HandleOf;

template <class M>
const typename HandleOf<M>::type *to_handle(const M *m) noexcept {
  return reinterpret_cast<const typename HandleOf<M>::type *>(m);
}
template <class M>
const M *from_handle(const typename HandleOf<M>::type *h) noexcept {
  return reinterpret_cast<const M *>(h);
}

}  // namespace plexauth::capi

#include "capi/handles.gen.h"
