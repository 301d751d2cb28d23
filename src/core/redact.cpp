#include "core/redact.h"

#include <algorithm>
#include <array>

#include "core/secret.h"

namespace plexauth {
namespace {

constexpr std::array<std::string_view, 6> kSecretKeys = {"authToken", "accessToken",      "token",
                                                         "password",  "verificationCode", "secret"};

// Blanks the string value after "key": for each credential-like key.
void redact_json_members(std::string &s) {
  for (std::string_view key : kSecretKeys) {
    std::string needle;
    needle.reserve(key.size() + 2);
    needle.append("\"").append(key).append("\"");
    size_t pos = 0;
    while ((pos = s.find(needle, pos)) != std::string::npos) {
      size_t i = pos + needle.size();
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
      if (i >= s.size() || s[i] != ':') {
        pos = i;
        continue;
      }
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
      if (i >= s.size() || s[i] != '"') {
        pos = i;
        continue;
      }
      const size_t start = i + 1;
      size_t end = start;
      while (end < s.size() && s[end] != '"') end += (s[end] == '\\') ? 2 : 1;
      end = std::min(end, s.size());
      s.replace(start, end - start, kRedacted);
      pos = start + kRedacted.size();
    }
  }
}

}  // namespace

void Redactor::add(std::string_view secret) {
  if (secret.size() < 4) return;
  for (const Secret &known : secrets_)
    if (known.reveal() == secret) return;
  secrets_.emplace_back(secret);
}

std::string Redactor::apply(std::string_view text) const {
  std::string out(text);
  for (const Secret &known : secrets_) {
    const std::string &secret = known.reveal();
    size_t pos = 0;
    while ((pos = out.find(secret, pos)) != std::string::npos) {
      out.replace(pos, secret.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  redact_json_members(out);
  return out;
}

}  // namespace plexauth
