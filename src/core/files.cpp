#include "core/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(Status::Transport, std::string("cannot read the ") + what + " (not a regular file)");
  }
  if (owner_only && (st.st_mode & 077)) {
    ::close(fd);
    fail(Status::InvalidArgument, std::string("the ") + what + " is readable by other users: chmod 600 it");
  }
  const auto over = [&] {
    ::close(fd);
    fail(too_large, std::string("the ") + what + " is over " + std::to_string(limit) + " bytes");
  };
  if (static_cast<size_t>(st.st_size) > limit) over();
  std::string text;
  text.resize(limit + 1);  // one more byte shows a file that grew past the limit
  size_t got = 0;
  for (;;) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      wipe(text);
      fail(Status::Transport, std::string("cannot read the ") + what);
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
    if (got > limit) {
      wipe(text);
      over();
    }
  }
  ::close(fd);
  text.resize(got);
  return text;
}

}  // namespace plexauth
