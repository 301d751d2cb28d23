#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "core/error.h"
#include "core/secret.h"

namespace plexauth {

void write_private_file(const std::string &path, std::string_view text, const char *what) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) fail(Status::Transport, std::string("cannot write the ") + what);
  size_t off = 0;
  bool ok = true;
  while (ok && off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) ok = false;
    else off += static_cast<size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail(Status::Transport, std::string("cannot write the ") + what);
  }
}

std::optional<std::string> read_file_limited(const std::string &path, size_t limit, const char *what,
                                             Status too_large, bool owner_only) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail(Status::Transport, std::string("cannot read the ") + what);
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    fail(Status::Transport, std::string("cannot read the ") + what + " (not a regular file)");
  if (owner_only && (st.st_mode & 077))
    fail(Status::InvalidArgument, std::string("the ") + what + " is readable by other users: chmod 600 it");
  const auto over = [&] { fail(too_large, std::string("the ") + what + " is over " + std::to_string(limit) + " bytes"); };
  if (static_cast<size_t>(st.st_size) > limit) over();
  // Sized by the file plus one byte (which shows a file that grew), not by
  // the limit; grown while it grows (a file of /proc reports size 0). The
  // text may be a private key: every buffer it leaves is wiped.
  struct Text {
    std::string s;
    ~Text() { wipe(s); }
  } text;
  text.s.resize(static_cast<size_t>(st.st_size) + 1);
  size_t got = 0;
  for (;;) {
    if (got == text.s.size()) {  // (got <= limit here: more was refused below)
      std::string bigger(std::min(limit + 1, std::max<size_t>(2 * got, 256)), '\0');
      std::copy_n(text.s.data(), got, bigger.data());
      wipe(text.s);
      text.s.swap(bigger);
    }
    const ssize_t n = ::read(fd, text.s.data() + got, text.s.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(Status::Transport, std::string("cannot read the ") + what);
    if (n == 0) break;
    got += static_cast<size_t>(n);
    if (got > limit) over();
  }
  text.s.resize(got);
  return std::move(text.s);  // (the moved-from string the destructor wipes is empty)
}

}  // namespace plexauth
