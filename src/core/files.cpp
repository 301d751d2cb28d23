#include "core/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "core/error.h"

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

}  // namespace plexauth
