// Reading secrets (passwords, 2FA codes) from stdin or the terminal without
// leaving copies behind: byte-by-byte read(2) (no stdio buffer holds the
// rest of the input), a fixed buffer wiped on destruction, and echo turned
// off while the user types.
#pragma once

#include <cstddef>

namespace cli {

class Secret {
 public:
  static constexpr size_t kCapacity = 1024;

  Secret() = default;
  ~Secret() { wipe(); }
  Secret(const Secret &) = delete;
  Secret &operator=(const Secret &) = delete;

  const char *c_str() const { return buf_; }
  size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  // Appends one byte; false when the buffer is full.
  bool push(char c);
  void pop_back() {
    if (len_ > 0) buf_[--len_] = '\0';
  }
  void wipe();

 private:
  char buf_[kCapacity + 1] = {};
  size_t len_ = 0;
};

enum class ReadResult {
  ok,        // a line (possibly empty) was read
  eof,       // end of input before any byte
  too_long,  // longer than Secret::kCapacity
  nul,       // the line holds a NUL byte (a C string would end there)
  error,     // read(2) failed
};

// Reads one line from fd into `out` (which is cleared first), up to '\n' or
// end of input; the '\n' and one trailing '\r' are dropped.
ReadResult read_secret_line(int fd, Secret &out);

// Writes `prompt` to /dev/tty and reads one line from it with echo off
// (restored afterwards, also when SIGINT/SIGTERM/SIGHUP/SIGQUIT arrive
// meanwhile). Returns false, without touching `result`, when the process has
// no terminal.
bool prompt_on_tty(const char *prompt, Secret &out, ReadResult &result);

}  // namespace cli
