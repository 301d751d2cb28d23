// Redaction: every string that may reach a log line, an error message or an
// error body goes through here first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"

namespace plexauth {

inline constexpr std::string_view kRedacted = "<redacted>";

class Redactor {
 public:
  // Secrets shorter than 4 bytes are not registered (they would match
  // everywhere and are not worth hiding by substring).
  void add(std::string_view secret);
  // Replaces every registered secret, and the string values of JSON members
  // named like credentials ("authToken", "accessToken", "token", "password",
  // "verificationCode", "secret"), with <redacted>.
  std::string apply(std::string_view text) const;

 private:
  std::vector<Secret> secrets_;
};

}  // namespace plexauth
