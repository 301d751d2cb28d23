#include "core/request.h"

#include <curl/curl.h>
#include <string.h>  // explicit_bzero
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <memory>

#include "core/error.h"
#include "core/json.h"

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

std::string build_url(std::string_view base, const Operation &op, const Query &query, const Query &path) {
  std::string url(base);
  for (std::string_view rest = op.path; !rest.empty();) {
    const size_t open = rest.find('{');
    url.append(rest.substr(0, open));
    if (open == std::string_view::npos) break;
    const size_t close = rest.find('}', open);
    if (close == std::string_view::npos) fail(Status::Internal, std::string(op.name) + ": unterminated path parameter");
    const std::string_view name = rest.substr(open + 1, close - open - 1);
    const Param *p = nullptr;
    for (const Param &candidate : path)
      if (candidate.name == name) p = &candidate;
    if (!p) fail(Status::Internal, std::string(op.name) + ": no value for path parameter " + std::string(name));
    url += url_escape(p->value);
    rest.remove_prefix(close + 1);
  }
  // A path may carry a fixed query (e.g. list_resources' include flags).
  const bool has_query = std::string_view(op.path).find('?') != std::string_view::npos;
  for (size_t i = 0; i < query.size(); ++i) {
    url += (i == 0 && !has_query ? '?' : '&');
    url += url_escape(query[i].name);
    url += '=';
    url += url_escape(query[i].value);
  }
  return url;
}

Secret encode_form(const std::vector<FormField> &fields) {
  // The escaped parts and the body are wiped (no temporaries such as
  // "&password=" + part either): sized up front, so that appending never
  // leaves a stale buffer behind.
  std::vector<Secret> parts;
  parts.reserve(fields.size());
  size_t size = 0;
  for (const FormField &f : fields) {
    parts.emplace_back(url_escape(f.value));
    size += f.name.size() + 2 + parts.back().reveal().size();
  }
  std::string body;
  body.reserve(size);
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) body += '&';
    body.append(fields[i].name).append("=").append(parts[i].reveal());
  }
  Secret out(body);
  wipe(body);
  return out;
}

Secret encode_json_object(const std::vector<FormField> &fields) {
  for (const FormField &f : fields) {
    if (f.as == FormField::As::Boolean && f.value != "true" && f.value != "false")
      fail(Status::Internal, std::string(f.name) + " is not a JSON boolean");
    if (f.as != FormField::As::Object) continue;
    rapidjson::Document d;
    try {
      json::parse(d, f.value, "value");
    } catch (const Error &) {
      d.SetNull();
    }
    if (!d.IsObject()) fail(Status::InvalidArgument, std::string(f.name) + " must be a JSON object");
  }
  size_t size = 2;
  for (const FormField &f : fields) size += 6 * (f.name.size() + f.value.size()) + 6;
  std::string body;
  body.reserve(size);  // never reallocates: no stale copy of a secret
  auto add = [&](std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    body += '"';
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"' || c == '\\') {
        body += '\\';
        body += ch;
      } else if (c < 0x20) {
        body += "\\u00";
        body += hex[c >> 4];
        body += hex[c & 15];
      } else {
        body += ch;
      }
    }
    body += '"';
  };
  body += '{';
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) body += ',';
    add(fields[i].name);
    body += ':';
    if (fields[i].as != FormField::As::String)
      body.append(fields[i].value);
    else
      add(fields[i].value);
  }
  body += '}';
  return Secret(std::move(body));
}

Secret encode_sign_in_form(const SignInRequest &req) {
  if (!req.login || req.login->empty()) fail(Status::InvalidArgument, "sign-in needs a login");
  if (!req.password || req.password->reveal().empty()) fail(Status::InvalidArgument, "sign-in needs a password");
  std::vector<FormField> fields{{"login", *req.login},
                                {"password", req.password->reveal()},
                                {"rememberMe", req.remember_me ? "true" : "false"}};
  if (req.verification_code) fields.push_back({"verificationCode", req.verification_code->reveal()});
  return encode_form(fields);
}

bool any(const Identity &id) noexcept {
#define PLEXAUTH_IDENTITY_ANY(member, header) \
  if (id.member) return true;
  PLEXAUTH_IDENTITY(PLEXAUTH_IDENTITY_ANY)
#undef PLEXAUTH_IDENTITY_ANY
  return false;
}

void overlay(Identity &base, const Identity &over) {
#define PLEXAUTH_IDENTITY_OVERLAY(member, header) \
  if (over.member) base.member = over.member;
  PLEXAUTH_IDENTITY(PLEXAUTH_IDENTITY_OVERLAY)
#undef PLEXAUTH_IDENTITY_OVERLAY
}

namespace {
// A platform or host name fit for a header: 1-255 printable ASCII characters.
std::optional<std::string> header_safe(const char *s) {
  const std::string v(s);
  if (v.empty() || v.size() > 255) return std::nullopt;
  for (unsigned char c : v)
    if (c < 0x20 || c > 0x7e) return std::nullopt;
  return v;
}
}  // namespace

void apply_default_identity(Identity &id) {
  if (!id.client_name) id.client_name = kDefaultProduct;
  if (!id.client_version) id.client_version = PLEXAUTH_VERSION_FROM_BUILD;
  if (!id.platform) {
    struct utsname u {};
    if (uname(&u) == 0) id.platform = header_safe(u.sysname);
  }
  if (!id.device_name) {
    char host[256] = {};
    if (gethostname(host, sizeof host - 1) == 0) id.device_name = header_safe(host);
  }
}

std::vector<std::string> build_headers(Body body, const Identity &client, const Identity *override_identity) {
  static const Identity kNone;
  const Identity &over = override_identity ? *override_identity : kNone;
  std::vector<std::string> headers;
  headers.reserve(8);
  headers.emplace_back("Accept: application/json");
#define PLEXAUTH_IDENTITY_HEADER(member, header)                                \
  if (const auto &v = over.member ? over.member : client.member; v && !v->empty()) \
    headers.push_back(std::string(header ": ") + *v);
  PLEXAUTH_IDENTITY(PLEXAUTH_IDENTITY_HEADER)
#undef PLEXAUTH_IDENTITY_HEADER
  if (body == Body::Form) headers.emplace_back("Content-Type: application/x-www-form-urlencoded");
  if (body == Body::Json) headers.emplace_back("Content-Type: application/json");
  return headers;
}

}  // namespace plexauth
