#include "secret_input.h"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

namespace cli {

bool Secret::push(char c) {
  if (len_ >= kCapacity) return false;
  buf_[len_++] = c;
  buf_[len_] = '\0';
  return true;
}

void Secret::wipe() {
  // volatile: the compiler may not drop stores to a buffer about to die.
  volatile char *p = buf_;
  for (size_t i = 0; i < sizeof buf_; ++i) p[i] = 0;
  len_ = 0;
}

ReadResult read_secret_line(int fd, Secret &out) {
  out.wipe();
  bool any = false;
  bool nul = false;
  for (;;) {
    char c = 0;
    const ssize_t n = ::read(fd, &c, 1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ReadResult::error;
    }
    if (n == 0) break;
    any = true;
    if (c == '\n') break;
    if (c == '\0') nul = true;  // refused below: a C string would stop here
    if (!out.push(c)) {
      out.wipe();
      // Consume the rest of the line so that it does not become the next one.
      while (::read(fd, &c, 1) == 1 && c != '\n') {
      }
      c = 0;
      return ReadResult::too_long;
    }
    c = 0;
  }
  if (!any) return ReadResult::eof;
  if (nul) {
    out.wipe();
    return ReadResult::nul;
  }
  if (out.size() > 0 && out.c_str()[out.size() - 1] == '\r') out.pop_back();
  return ReadResult::ok;
}

namespace {

// State for restoring the terminal from a signal handler.
int g_tty_fd = -1;
struct termios g_saved_termios;
volatile sig_atomic_t g_echo_off = 0;

constexpr int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void restore_and_reraise(int sig) {
  if (g_echo_off) tcsetattr(g_tty_fd, TCSAFLUSH, &g_saved_termios);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void write_all(int fd, const char *s) {
  size_t left = std::strlen(s);
  while (left > 0) {
    const ssize_t n = ::write(fd, s, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

bool prompt_on_tty(const char *prompt, Secret &out, ReadResult &result) {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return false;

  struct termios saved;
  const bool is_terminal = tcgetattr(fd, &saved) == 0;
  struct sigaction old_actions[sizeof kRestoreSignals / sizeof kRestoreSignals[0]];
  if (is_terminal) {
    g_tty_fd = fd;
    g_saved_termios = saved;
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof kRestoreSignals / sizeof kRestoreSignals[0]; ++i)
      sigaction(kRestoreSignals[i], &sa, &old_actions[i]);
    struct termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO | ECHOE | ECHOK | ECHONL);
    g_echo_off = 1;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }

  write_all(fd, prompt);
  result = read_secret_line(fd, out);

  if (is_terminal) {
    tcsetattr(fd, TCSAFLUSH, &saved);
    g_echo_off = 0;
    for (size_t i = 0; i < sizeof kRestoreSignals / sizeof kRestoreSignals[0]; ++i)
      sigaction(kRestoreSignals[i], &old_actions[i], nullptr);
    write_all(fd, "\n");  // the user's Enter was not echoed
  }
  ::close(fd);
  return true;
}

}  // namespace cli
