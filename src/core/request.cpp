#include "core/request.h"

#include <curl/curl.h>
#include <string.h>  // explicit_bzero

#include <cstring>
#include <memory>

#include "core/error.h"

namespace plexauth {

std::string url_escape(std::string_view v) {
  struct Free {
    void operator()(char *p) const noexcept { curl_free(p); }
  };
  std::unique_ptr<char, Free> out(curl_easy_escape(nullptr, v.data(), static_cast<int>(v.size())));
  if (!out) fail(Status::OutOfMemory, "out of memory escaping a value");
  std::string s(out.get());
  explicit_bzero(out.get(), s.size());  // it may have been a password
  return s;
}

std::string build_url(std::string_view base, const Operation &op, const Query &query) {
  std::string url(base);
  url += op.path;
  for (size_t i = 0; i < query.size(); ++i) {
    url += (i == 0 ? '?' : '&');
    url += url_escape(query[i].first);
    url += '=';
    url += url_escape(query[i].second);
  }
  return url;
}

Secret encode_sign_in_form(const SignInRequest &req) {
  if (!req.login || req.login->empty()) fail(Status::InvalidArgument, "sign-in needs a login");
  if (!req.password || req.password->reveal().empty()) fail(Status::InvalidArgument, "sign-in needs a password");
  // Every copy of the password or code is wiped: the escaped parts, and the
  // body, sized up front so that appending never leaves a stale buffer behind
  // (no temporaries such as "&password=" + part either).
  const std::string login = url_escape(*req.login);
  Secret password(url_escape(req.password->reveal()));
  Secret code(req.verification_code ? url_escape(req.verification_code->reveal()) : std::string());
  const char *remember = req.remember_me ? "&rememberMe=true" : "&rememberMe=false";
  std::string body;
  body.reserve(std::strlen("login=&password=&verificationCode=") + login.size() + password.reveal().size() +
               std::strlen(remember) + code.reveal().size());
  body.append("login=").append(login).append("&password=").append(password.reveal()).append(remember);
  if (req.verification_code) body.append("&verificationCode=").append(code.reveal());
  Secret out(body);
  wipe(body);
  return out;
}

std::vector<std::string> build_headers(const Operation &op, const Identity &client, const Identity *override_identity) {
  static const Identity kNone;
  const Identity &over = override_identity ? *override_identity : kNone;
  const std::pair<const char *, const std::optional<std::string> *> identity[] = {
      {"X-Plex-Client-Identifier", over.client_id ? &over.client_id : &client.client_id},
      {"X-Plex-Product", over.client_name ? &over.client_name : &client.client_name},
      {"X-Plex-Version", over.client_version ? &over.client_version : &client.client_version},
      {"X-Plex-Platform", over.platform ? &over.platform : &client.platform},
      {"X-Plex-Device", over.device_nickname ? &over.device_nickname : &client.device_nickname},
  };
  std::vector<std::string> headers;
  headers.reserve(8);
  headers.emplace_back("Accept: application/json");
  for (const auto &[name, value] : identity)
    if (*value && !(*value)->empty()) headers.push_back(std::string(name) + ": " + **value);
  if (op.post) headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
  return headers;
}

}  // namespace plexauth
