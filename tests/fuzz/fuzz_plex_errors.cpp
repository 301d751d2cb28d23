// The error-body parser and the classification of a whole response: any
// status, Content-Type, Retry-After and body give one verdict; Plex's
// errors[] never throws.
//
// Input: status (2 bytes), operation (1), Content-Type (str), Retry-After
// (str), then the body (the rest).
#include "core/operation.h"
#include "fuzz_input.h"
#include "core/operations.gen.h"

namespace {
const plexauth::Operation *const kOps[] = {&plexauth::op::kGetTransientToken, &plexauth::op::kGetSourceConnectionInformation,
                                           &plexauth::op::kGetTokenDetails, &plexauth::op::kPostUsersSignInData};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // The whole input as an error body first.
  const std::string_view whole(reinterpret_cast<const char *>(data), size);
  const auto errors = plexauth::parse_plex_errors(whole);
  FUZZ_CHECK(errors.size() <= size);

  fuzz::Input in(data, size);
  plexauth::Response resp;
  resp.status = 100 + (static_cast<int>(in.byte()) << 8 | in.byte()) % 500;
  const plexauth::Operation &op = *kOps[in.byte() % 4];
  resp.content_type = in.str();
  std::string retry_after = in.str();
  if (!retry_after.empty()) resp.headers.push_back({"Retry-After", std::move(retry_after)});
  resp.body = in.rest();

  const plexauth::Classified c = plexauth::classify(op, resp, 1700000000);
  if (c.ok) {
    FUZZ_CHECK(resp.status == op.success_status);
    return 0;
  }
  const plexauth::ErrorInfo &e = c.error;
  FUZZ_CHECK(e.status != plexauth::Status::Ok);
  FUZZ_CHECK(e.http_status == resp.status);
  FUZZ_CHECK(!e.message.empty());
  FUZZ_CHECK(e.plex_errors.size() == (resp.status >= 400 ? plexauth::parse_plex_errors(resp.body).size() : 0));
  if (c.verdict.retryable) FUZZ_CHECK(resp.status >= 500 || (resp.status == 429 && op.retry_rate_limited));
  if (!op.retry_rate_limited) FUZZ_CHECK(!(c.verdict.retryable && resp.status < 500));  // sign-in: never after a 4XX
  if (e.retry_after_ms) FUZZ_CHECK(*e.retry_after_ms >= 0);
  return 0;
}
