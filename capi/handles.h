// Definitions of the opaque C handles. capi/ only translates: each handle
// wraps a core object.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "plexauth/plexauth.h"
#include "core/response.h"
#include "models/models.h"

struct plexauth_response {
  plexauth::Response r;
};

struct plexauth_transient_token {
  plexauth_response response;
  plexauth::TransientToken t;
};

struct plexauth_connection {
  plexauth::Connection c;
};

struct plexauth_source_info {
  plexauth_response response;
  plexauth::SourceInfo s;
  std::vector<plexauth_connection> connections;  // views built from s
};

struct plexauth_account {
  plexauth_response response;
  plexauth::Account a;
  mutable std::once_flag json_once;
  mutable std::string json;
};
