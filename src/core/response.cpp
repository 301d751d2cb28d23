#include "core/response.h"

namespace plexauth {

namespace {
constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view trim(std::string_view s) noexcept {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

const std::string *Response::header(std::string_view name) const noexcept {
  for (const auto &h : headers)
    if (iequals(h.name, name)) return &h.value;
  return nullptr;
}

bool is_json_content_type(std::string_view content_type) noexcept {
  const std::string_view media = trim(content_type.substr(0, content_type.find(';')));
  if (iequals(media, "application/json")) return true;
  constexpr std::string_view suffix = "+json";
  const auto slash = media.find('/');
  return slash != std::string_view::npos && slash > 0 && media.size() > slash + 1 + suffix.size() &&
         iequals(media.substr(media.size() - suffix.size()), suffix);
}

}  // namespace plexauth
