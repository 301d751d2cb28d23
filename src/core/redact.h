// Redaction: every string that may reach a log line, an error message or an
// error body goes through here first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace plexauth {

inline constexpr std::string_view kRedacted = "<redacted>";

// One per call, used on the calling thread only (apply() learns values).
class Redactor {
 public:
  // Registers a secret (any non-empty length: a short password is hidden
  // too, at the price of "<redacted>" in unrelated places) in every spelling
  // a server may echo it in: raw, percent-encoded (curl_easy_escape style,
  // upper- and lower-case hex), form-encoded ('+' for space), JSON-escaped
  // (minimal, ASCII-only "\u00e9" style, "\/", and escaped twice, as in a
  // JSON document inside a JSON string) and XML-escaped.
  // Cheap: the spellings are made by the first apply(), so a call that
  // succeeds without logging never pays for them.
  void add(std::string_view secret);
  // Replaces every registered secret, and the string values of members and
  // XML attributes named like credentials ("authToken", "authenticationToken",
  // "accessToken", "token", "password", "verificationCode", "secret",
  // "auth_token", "jwt", "deviceJWT", any case), with <redacted>. Credential values found in the text (also behind
  // escaped keys, or in a JSON document inside a JSON string) and at least 4
  // bytes long are registered first, so that they are hidden wherever they
  // occur, in this text and in every later one.
  std::string apply(std::string_view text) const;

 private:
  void add_spellings(std::string_view secret) const;
  void expand() const;                     // pending_ -> spellings_
  mutable std::vector<Secret> pending_;    // added, spellings not made yet
  mutable std::vector<Secret> spellings_;  // longest first
  mutable std::vector<Secret> seen_;       // what add() and apply() registered
};

}  // namespace plexauth
