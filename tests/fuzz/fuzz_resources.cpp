// list_resources' body (a bare JSON array of devices, read as the Resources
// model): the round trip of fuzz_model.h, then connect's candidate list for
// every device: only http(s) base URLs the library accepts, no duplicates,
// local -> remote -> relay.
#include <set>

#include "core/connect.h"
#include "core/operations.gen.h"
#include "core/validate.h"
#include "fuzz_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  const plexauth::Envelope env = plexauth::envelope_of(plexauth::op::kListResources);
  fuzz::round_trip<plexauth::Resources>(body, env);
  plexauth::Resources r;
  try {
    r = plexauth::parse_model<plexauth::Resources>(body, env);
  } catch (const plexauth::Error &) {
    return 0;
  }
  if (!r.devices) return 0;
  for (const plexauth::Resource &d : *r.devices) {
    const auto cs = plexauth::connect_candidates(d, plexauth::ConnectPolicy{}, "");
    std::set<std::string> seen;
    int last = 0;
    for (const plexauth::Candidate &c : cs) {
      FUZZ_CHECK(seen.insert(c.uri).second);
      FUZZ_CHECK(c.uri.rfind(c.https ? "https://" : "http://", 0) == 0);
      FUZZ_CHECK(plexauth::check_base_url(c.uri, "uri") == c.uri);
      const int rank = static_cast<int>(c.location);
      FUZZ_CHECK(rank >= last);
      last = rank;
      if (c.location == plexauth::Location::Local) FUZZ_CHECK(d.owned.value_or(false) || d.public_address_matches.value_or(false));
    }
  }
  return 0;
}
