// Pong parser (ping): see fuzz_model.h.
#include "core/operations.gen.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  return fuzz::round_trip<plexauth::Pong>({reinterpret_cast<const char *>(data), size},
                                          plexauth::envelope_of(plexauth::op::kPing));
}
