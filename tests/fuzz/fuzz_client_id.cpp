// The client_id file's contents (load_or_create_client_id): an accepted
// identifier is the contents less one trailing newline, 1..128 printable
// ASCII characters without a space (so it can never inject a header); all
// else is refused.
#include <string>

#include "fuzz_input.h"
#include "login/login.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view contents(reinterpret_cast<const char *>(data), size);
  const auto id = plexauth::parse_client_id_file(contents);
  std::string_view expected = contents;
  if (!expected.empty() && expected.back() == '\n') expected.remove_suffix(1);
  bool valid = !expected.empty() && expected.size() <= 128;
  for (char c : expected) valid = valid && c > 0x20 && c < 0x7F;
  FUZZ_CHECK(id.has_value() == valid);
  if (id) FUZZ_CHECK(*id == expected);
  return 0;
}
