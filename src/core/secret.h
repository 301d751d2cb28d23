// A string that is wiped from memory when destroyed or replaced.
#pragma once

#include <string>
#include <string_view>

namespace plexauth {

void wipe(std::string &s) noexcept;

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string_view v) : value_(v) {}
  explicit Secret(const char *v) : value_(v) {}
  // Takes the buffer over (no copy left behind); the source is wiped.
  explicit Secret(std::string &&v) noexcept : value_(std::move(v)) { wipe(v); }
  Secret(const Secret &o) : value_(o.value_) {}
  Secret(Secret &&o) noexcept : value_(std::move(o.value_)) { wipe(o.value_); }
  Secret &operator=(const Secret &o) {
    if (this != &o) {
      wipe(value_);
      value_ = o.value_;
    }
    return *this;
  }
  Secret &operator=(Secret &&o) noexcept {
    if (this != &o) {
      wipe(value_);
      value_ = std::move(o.value_);
      wipe(o.value_);
    }
    return *this;
  }
  ~Secret() { wipe(value_); }
  const std::string &reveal() const noexcept { return value_; }

 private:
  std::string value_;
};

}  // namespace plexauth
