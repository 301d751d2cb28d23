#include "core/operation.h"

#include <string>

#include "core/json.h"
#include "core/xml.h"

namespace plexauth {
namespace {

bool blank(std::string_view s) noexcept {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

bool has_code(const std::vector<PlexErrorEntry> &errors, int64_t code) noexcept {
  for (const auto &e : errors)
    if (e.code && *e.code == code) return true;
  return false;
}

std::string describe(const std::vector<PlexErrorEntry> &errors) {
  std::string out;
  for (const auto &e : errors) {
    if (!out.empty()) out += "; ";
    out += e.message ? *e.message : std::string("(no message)");
    if (e.code) out += " (Plex code " + std::to_string(*e.code) + ")";
  }
  return out;
}

}  // namespace

Envelope envelope_of(const Operation &op, const Response &resp) noexcept {
  Envelope e = envelope_of(op);
  e.xml = op.xml && xml::is_xml_content_type(resp.content_type);
  return e;
}

std::vector<PlexErrorEntry> parse_plex_errors(std::string_view body) {
  std::vector<PlexErrorEntry> out;
  if (blank(body)) return out;
  rapidjson::Document doc;
  try {
    json::parse(doc, body, "error body");
  } catch (const Error &) {
    return out;
  } catch (const JsonAssertion &) {
    return out;
  }
  if (!doc.IsObject()) return out;
  const auto it = doc.FindMember("errors");
  if (it == doc.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto &item : it->value.GetArray()) {
    if (!item.IsObject()) continue;
    PlexErrorEntry e;
    if (auto m = item.FindMember("code"); m != item.MemberEnd() && m->value.IsInt64()) e.code = m->value.GetInt64();
    if (auto m = item.FindMember("status"); m != item.MemberEnd() && m->value.IsInt64())
      e.status = m->value.GetInt64();
    if (auto m = item.FindMember("message"); m != item.MemberEnd() && m->value.IsString())
      e.message = std::string(m->value.GetString(), m->value.GetStringLength());
    out.push_back(std::move(e));
  }
  return out;
}

Classified classify(const Operation &op, const Response &resp, int64_t now_epoch_s) {
  Classified c;
  const int st = resp.status;
  ErrorInfo &e = c.error;
  e.http_status = st;
  const std::string head = std::string(op.name) + ": HTTP " + std::to_string(st);

  // An operation without a result (204) reads nothing: any 2XX will do
  // (plex.tv answers some of them 200 or 201 with a body it never documents).
  if (op.success_status == 204 && st >= 200 && st < 300) {
    c.ok = true;
    return c;
  }
  if (st == op.success_status) {
    const bool json = is_json_content_type(resp.content_type) || (op.xml && xml::is_xml_content_type(resp.content_type));
    if (json || ((op.empty_ok || st == 204) && blank(resp.body))) {
      c.ok = true;
      return c;
    }
    e.status = Status::MalformedResponse;
    e.message = head + (op.xml ? ": expected application/json or XML, got '" : ": expected application/json, got '") +
                (resp.content_type.empty() ? std::string("no content type") : resp.content_type) + "'";
    return c;
  }
  if (st < 300) {
    e.status = Status::MalformedResponse;
    e.message = head + ": unexpected status (expected " + std::to_string(op.success_status) + ")";
    return c;
  }
  if (st < 400) {
    e.status = Status::Http;
    const std::string *loc = resp.header("Location");
    e.message = head + ": redirect not followed (redirects are never followed, so X-Plex-Token is not sent "
                       "elsewhere)" + (loc ? "; Location: " + *loc : std::string());
    return c;
  }

  e.plex_errors = parse_plex_errors(resp.body);
  const std::string detail = e.plex_errors.empty() ? std::string() : ": " + describe(e.plex_errors);
  if (st == 429 || st == 503) {
    if (const std::string *ra = resp.header("Retry-After")) e.retry_after_ms = parse_retry_after_ms(*ra, now_epoch_s);
  }

  const PlexCodeRule *rule = nullptr;
  for (size_t i = 0; i < op.plex_code_count && !rule; ++i) {
    const PlexCodeRule &r = op.plex_codes[i];
    if ((r.http_status == 0 || r.http_status == st) && has_code(e.plex_errors, r.code)) rule = &r;
  }
  if (rule) {
    e.status = rule->status;
    e.message = head + ": " + rule->message + detail;
  } else if (st == 400) {
    e.status = Status::BadRequest;
    e.message = head + ": bad request" + detail;
  } else if (st == 401 || st == 422) {
    e.status = Status::Unauthorized;
    e.message = head + (st == 422 ? ": invalid token" : ": unauthorized") + detail;
  } else if (st == 498) {
    e.status = Status::TokenExpired;
    e.message = head + ": token expired" + detail;
  } else if (st == 429) {
    e.status = Status::RateLimited;
    e.message = head + ": rate limited" + detail;
  } else {
    e.status = Status::Http;
    e.message = head + detail;
  }

  // Only idempotent operations retry a 429 (sign-in: repeated failures lock the IP out).
  if (st >= 500) {
    c.verdict.retryable = true;
  } else if (st == 429 && op.retry_rate_limited) {
    c.verdict.retryable = true;
  }
  if (c.verdict.retryable) c.verdict.retry_after_ms = e.retry_after_ms;
  return c;
}

}  // namespace plexauth
