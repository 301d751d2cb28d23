// A Plex Media Server's /identity body (get_identity, connect's probe): JSON,
// or XML when the first byte is '<', as PMS answers by default. The round
// trip of fuzz_model.h.
#include "core/operations.gen.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  plexauth::Envelope env = plexauth::envelope_of(plexauth::op::kGetIdentity);
  env.xml = !body.empty() && body[0] == '<';
  return fuzz::round_trip<plexauth::ServerIdentity>(body, env);
}
