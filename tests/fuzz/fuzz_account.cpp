// UserPlexAccount parser (get_token_details, post_users_sign_in_data):
// any body either parses or is refused with MALFORMED_RESPONSE, and an
// accepted account survives the round trip through its JSON form
// (plexauth_account_json): it parses again and, unless the body holds a
// floating-point number (json_doubles.h; only free-form objects can), comes
// back unchanged.
#include "core/error.h"
#include "fuzz_input.h"
#include "json_doubles.h"
#include "models/models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  plexauth::Account account;
  try {
    account = plexauth::parse_account(body);
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::MalformedResponse);
    return 0;
  }
  const std::string json = plexauth::account_to_json(account);
  plexauth::Account again;
  try {
    again = plexauth::parse_account(json);
  } catch (const plexauth::Error &e) {
    std::fprintf(stderr, "re-parse failed: %s\n", e.what());
    FUZZ_CHECK(!"account_to_json output parses");
  }
  rapidjson::Document doc;
  plexauth::json::parse(doc, body);  // parse_account accepted it
  if (fuzz::has_double(doc)) return 0;
  FUZZ_CHECK(again == account);
  FUZZ_CHECK(plexauth::account_to_json(again) == json);
  return 0;
}
