// The hosted login page's URL (login_url): any client id, code, product and
// forward URL either gives a URL or is refused as INVALID_ARGUMENT. A URL
// starts with https://app.plex.tv/auth#?, holds only printable ASCII without
// space, quote or angle bracket, and its parameters decode back to exactly
// the values given, in order (so no value can add or change a parameter).
#include <string>
#include <vector>

#include "core/error.h"
#include "fuzz_input.h"
#include "login/login.h"

namespace {

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      FUZZ_CHECK(i + 2 < s.size());
      const int h = hex(s[i + 1]), l = hex(s[i + 2]);
      FUZZ_CHECK(h >= 0 && l >= 0);
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Input in(data, size);
  const std::string client_id = in.str(), code = in.str(), product = in.str(), forward = in.rest();
  std::string url;
  try {
    url = plexauth::login_url(client_id, code, product, forward);
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::InvalidArgument);
    return 0;
  }
  static const std::string kPrefix = "https://app.plex.tv/auth#?";
  FUZZ_CHECK(url.compare(0, kPrefix.size(), kPrefix) == 0);
  for (char c : url) FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '"' && c != '<' && c != '>' && c != '\'');
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view rest(url);
  rest.remove_prefix(kPrefix.size());
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    FUZZ_CHECK(eq != std::string_view::npos);
    params.emplace_back(std::string(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
  }
  std::vector<std::pair<std::string, std::string>> expected = {{"clientID", client_id}, {"code", code}};
  if (!product.empty()) expected.emplace_back("context%5Bdevice%5D%5Bproduct%5D", product);
  if (!forward.empty()) expected.emplace_back("forwardUrl", forward);
  FUZZ_CHECK(params == expected);
  return 0;
}
