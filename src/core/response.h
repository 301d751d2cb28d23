// A received HTTP response, kept whole so that results can expose it raw.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plexauth {

struct Header {
  std::string name;
  std::string value;
};

struct Response {
  int status = 0;
  std::string content_type;  // "" when absent
  std::vector<Header> headers;
  std::string body;

  // First header with that name, case-insensitive; nullptr when absent.
  const std::string *header(std::string_view name) const noexcept;
};

// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b) noexcept;

// True when the media type (before any ';') is application/json or +json.
bool is_json_content_type(std::string_view content_type) noexcept;

}  // namespace plexauth
