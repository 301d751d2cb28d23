// get_transient_token's parser: parses or refuses with MALFORMED_RESPONSE.
#include "core/error.h"
#include "fuzz_input.h"
#include "models/models.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  try {
    const plexauth::TransientToken t = plexauth::parse_transient_token(body);
    FUZZ_CHECK(t == t);
  } catch (const plexauth::Error &e) {
    FUZZ_CHECK(e.status() == plexauth::Status::MalformedResponse);
  }
  return 0;
}
