// JWT and JWK parsing (core/jwt.h): any text as a JWT (decode, verify against
// a fixed key set), as a key set (parse_jwks) and as base64url. Checks: only
// JwtInvalid / MalformedResponse errors; verify returns a check, and Ok only
// for a JWT this target could not have signed is impossible (no key of the
// set signs anything here, so Ok never happens); base64url is canonical
// (what decodes encodes back to the same text).
#include "core/jwt.h"
#include "fuzz_input.h"

namespace {
const plexauth::jwt::PublicKey kKey{"kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k",
                                    "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  if (auto bytes = plexauth::jwt::b64url_decode(text)) FUZZ_CHECK(plexauth::jwt::b64url_encode(*bytes) == text);
  try {
    plexauth::jwt::Decoded d = plexauth::jwt::decode(text);
    FUZZ_CHECK(d.signing_input.size() < text.size());
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::JwtInvalid || e.status() == plexauth::Status::MalformedResponse);
  }
  plexauth::jwt::Expectations e;
  e.client_id = "client";
  e.now = 1700000000;
  // The RFC 8037 example key: its signatures over fuzzed input never verify.
  FUZZ_CHECK(plexauth::jwt::verify(text, {kKey}, e, nullptr) != plexauth::jwt::Check::Ok);
  try {
    for (const auto &k : plexauth::jwt::parse_jwks(text)) FUZZ_CHECK(!k.kid.empty() && !k.x.empty());
  } catch (const plexauth::Error &err) {
    FUZZ_CHECK(err.status() == plexauth::Status::MalformedResponse);
  }
  return 0;
}
