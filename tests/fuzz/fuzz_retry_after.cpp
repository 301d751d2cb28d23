// Retry-After (delta-seconds or HTTP-date, via curl_getdate) and the
// ISO-8601 date-times of the account: never negative, never overflowing,
// delta-seconds exact.
//
// Input: "now" (8 bytes, as Unix seconds in [0, 2^40)), then the text.
#include "core/retry.h"
#include "core/error.h"
#include "fuzz_input.h"
#include "models/models.h"

#include <algorithm>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz::Input in(data, size);
  const int64_t now = static_cast<int64_t>(in.u64() % (uint64_t{1} << 40));
  const std::string text = in.rest();

  if (const auto ms = plexauth::parse_retry_after_ms(text, now)) {
    FUZZ_CHECK(*ms >= 0);
    // Plain delta-seconds (after trimming blanks) read exactly, or clamp.
    std::string_view v(text);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    const bool digits = std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      while (v.size() > 1 && v.front() == '0') v.remove_prefix(1);
      if (v.size() <= 15) FUZZ_CHECK(*ms == std::stoll(std::string(v)) * 1000);
    }
  }
  // The same text as an ISO-8601 date-time; the result must survive
  // conversion back to a calendar date.
  if (const auto secs = plexauth::parse_iso8601(text)) {
    FUZZ_CHECK(*secs > -(int64_t{1} << 40) && *secs < (int64_t{1} << 40));
  }
  return 0;
}
