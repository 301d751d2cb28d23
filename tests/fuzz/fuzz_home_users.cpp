// Home user list parser (list_home_users), JSON bodies: see fuzz_model.h.
// (switch_home_user's result is the account: fuzz_account.)
#include "core/operations.gen.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz::round_trip<plexauth::HomeUsers>({reinterpret_cast<const char *>(data), size},
                                               plexauth::envelope_of(plexauth::op::kListHomeUsers));
}
