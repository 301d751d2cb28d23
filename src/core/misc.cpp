// Small pieces of the core with no better home: status names, secret
// wiping and the cancel token.
#include <string.h>  // explicit_bzero

#include "core/config.h"
#include "core/error.h"
#include "core/secret.h"

namespace plexauth {

const char *status_name(Status s) noexcept {
  switch (s) {
#define PLEXAUTH_STATUS_CASE(name, value, text) \
  case Status::name:                            \
    return text;
    PLEXAUTH_STATUSES(PLEXAUTH_STATUS_CASE)
#undef PLEXAUTH_STATUS_CASE
  }
  return "unknown";
}

void wipe(std::string &s) noexcept {
  // Cover the whole buffer, including bytes past size() left by earlier values.
  s.resize(s.capacity());
  explicit_bzero(s.data(), s.size());
  s.clear();
}

void CancelToken::trigger() {
  // Wakers run under the lock so that once remove_waker() returns, its
  // waker can no longer be running (the transfer it wakes may be gone).
  std::lock_guard<std::mutex> lock(mu_);
  flag_.store(true, std::memory_order_release);
  cv_.notify_all();
  for (auto &w : wakers_) w.second();
}

bool CancelToken::sleep_for_ms(int64_t ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return !cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return triggered(); });
}

size_t CancelToken::add_waker(std::function<void()> waker) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t id = next_id_++;
  wakers_.emplace(id, std::move(waker));
  return id;
}

void CancelToken::remove_waker(size_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  wakers_.erase(id);
}

}  // namespace plexauth
