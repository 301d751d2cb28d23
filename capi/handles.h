// Definitions of the opaque C handles. capi/ only translates: each handle
// wraps a core object.
//
// Results are built from the response and the parsed model:
//   new plexauth_transient_token(std::move(response), std::move(token))
//   new plexauth_source_info(std::move(response), std::move(source_info))
//   new plexauth_account(std::move(response), std::move(account))
//
// Nested results (plexauth_connection, plexauth_profile, plexauth_subscription,
// plexauth_service, plexauth_past_subscription) are never defined: a pointer
// to one is the address of the core object inside its owner
// (plexauth::Connection, Profile, ...), converted with to_handle/from_handle
// and never dereferenced as anything else. They live as long as the owner.
#pragma once

#include <mutex>
#include <string>
#include <utility>

#include "core/response.h"
#include "models/models.h"
#include "plexauth/plexauth.h"

struct plexauth_response {
  plexauth::Response r;
};

struct plexauth_transient_token {
  plexauth_transient_token(plexauth::Response r, plexauth::TransientToken v)
      : response{std::move(r)}, t(std::move(v)) {}
  plexauth_response response;
  plexauth::TransientToken t;
};

struct plexauth_source_info {
  plexauth_source_info(plexauth::Response r, plexauth::SourceInfo v) : response{std::move(r)}, s(std::move(v)) {}
  plexauth_response response;
  plexauth::SourceInfo s;
};

struct plexauth_account {
  plexauth_account(plexauth::Response r, plexauth::Account v) : response{std::move(r)}, a(std::move(v)) {}
  plexauth_response response;
  plexauth::Account a;
  mutable std::once_flag json_once;  // json is built by the first plexauth_account_json
  mutable std::string json;
};

namespace plexauth::capi {

// The C handle type of each nested model.
template <class M> struct HandleOf;
template <> struct HandleOf<Connection> { using type = plexauth_connection; };
template <> struct HandleOf<Profile> { using type = plexauth_profile; };
template <> struct HandleOf<Subscription> { using type = plexauth_subscription; };
template <> struct HandleOf<Service> { using type = plexauth_service; };
template <> struct HandleOf<PastSubscription> { using type = plexauth_past_subscription; };

template <class M>
const typename HandleOf<M>::type *to_handle(const M *m) noexcept {
  return reinterpret_cast<const typename HandleOf<M>::type *>(m);
}
template <class M>
const M *from_handle(const typename HandleOf<M>::type *h) noexcept {
  return reinterpret_cast<const M *>(h);
}

}  // namespace plexauth::capi
