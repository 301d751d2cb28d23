// A tiny reader that turns a fuzzer's bytes into a sequence of choices and
// strings, for the targets that need structure (fuzz_capi, fuzz_classify).
// Self-contained so that the targets also build with g++ as corpus replays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace fuzz {

class Input {
 public:
  Input(const uint8_t *data, size_t size) : p_(data), end_(data + size) {}

  bool empty() const { return p_ == end_; }
  uint8_t byte() { return p_ == end_ ? 0 : *p_++; }
  uint32_t u32() {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | byte();
    return v;
  }
  uint64_t u64() { return (static_cast<uint64_t>(u32()) << 32) | u32(); }
  double f64() {
    const uint64_t bits = u64();
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  // A string of up to 255 bytes (one length byte, then that many bytes or
  // whatever is left). May hold any byte, NUL included.
  std::string str() {
    size_t n = byte();
    if (n > static_cast<size_t>(end_ - p_)) n = static_cast<size_t>(end_ - p_);
    std::string s(reinterpret_cast<const char *>(p_), n);
    p_ += n;
    return s;
  }
  // The rest of the input.
  std::string rest() {
    std::string s(reinterpret_cast<const char *>(p_), static_cast<size_t>(end_ - p_));
    p_ = end_;
    return s;
  }

 private:
  const uint8_t *p_;
  const uint8_t *end_;
};

}  // namespace fuzz

// A property every input must keep; a violation aborts, which libFuzzer (and
// the replay driver, through ctest) reports as a crash.
#define FUZZ_CHECK(cond)                                                           \
  do {                                                                             \
    if (!(cond)) {                                                                 \
      std::fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                \
    }                                                                              \
  } while (0)
