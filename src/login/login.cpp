#include "login/login.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "core/error.h"
#include "core/operations.gen.h"
#include "core/request.h"
#include "core/validate.h"

namespace plexauth {
namespace {

std::string errno_text(const char *what, const std::string &path) {
  // The path is the caller's own file name: safe to show.
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

// mkdir -p with mode 0700 for the folders it creates.
void make_parents(const std::string &path) {
  for (size_t slash = path.find('/', 1); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    const std::string dir = path.substr(0, slash);
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) fail(Status::InvalidArgument, errno_text("cannot create", dir));
  }
}

std::string uuid4() {
  unsigned char b[16];
  size_t got = 0;
  while (got < sizeof b) {
    const ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(Status::Internal, "getrandom failed");
    got += static_cast<size_t>(n);
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char hex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

}  // namespace

std::optional<std::string> parse_client_id_file(std::string_view contents) {
  if (!contents.empty() && contents.back() == '\n') contents.remove_suffix(1);
  if (contents.empty() || contents.size() > 128) return std::nullopt;
  for (char c : contents)
    if (c <= 0x20 || c >= 0x7F) return std::nullopt;
  return std::string(contents);
}

std::string default_client_id_path() {
  const char *xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/plexauth/client_id";
  const char *home = std::getenv("HOME");
  if (!home || home[0] != '/')
    fail(Status::InvalidArgument, "no client identifier path: neither XDG_CONFIG_HOME nor HOME is an absolute path");
  return std::string(home) + "/.config/plexauth/client_id";
}

std::string load_or_create_client_id(const std::string &path) {
  check_text(path, "client identifier path", 4096);
  if (path.empty()) fail(Status::InvalidArgument, "client identifier path must not be empty");
  for (int attempt = 0; attempt < 2; ++attempt) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
      char buf[160];
      ssize_t n = ::read(fd, buf, sizeof buf);
      ::close(fd);
      if (n < 0) fail(Status::InvalidArgument, errno_text("cannot read", path));
      auto id = parse_client_id_file(std::string_view(buf, static_cast<size_t>(n)));
      if (!id) fail(Status::InvalidArgument, path + " does not hold a client identifier (left untouched)");
      return *id;
    }
    if (errno != ENOENT) fail(Status::InvalidArgument, errno_text("cannot open", path));
    // Create it: a private temporary file renamed into place, so a reader
    // never sees a partial identifier. link() instead of rename() keeps a
    // concurrent creator's identifier if it won the race.
    make_parents(path);
    const std::string id = uuid4();
    const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + uuid4().substr(0, 8);
    const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) fail(Status::InvalidArgument, errno_text("cannot create", tmp));
    const std::string line = id + "\n";
    const bool written = ::write(out, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
                         ::fsync(out) == 0;
    ::close(out);
    const bool linked = written && ::link(tmp.c_str(), path.c_str()) == 0;
    const int link_errno = errno;
    ::unlink(tmp.c_str());
    if (linked) return id;
    if (!written) fail(Status::InvalidArgument, errno_text("cannot write", tmp));
    if (link_errno != EEXIST) {
      errno = link_errno;
      fail(Status::InvalidArgument, errno_text("cannot create", path));
    }
    // Another process created it meanwhile: read theirs.
  }
  fail(Status::InvalidArgument, "cannot create " + path);
}

std::string login_url(std::string_view client_id, std::string_view code, std::string_view product,
                      std::string_view forward_url) {
  check_text(client_id, "client identifier");
  check_text(code, "code");
  check_text(product, "product");
  if (client_id.empty()) fail(Status::InvalidArgument, "the hosted login page needs a client identifier");
  if (code.empty()) fail(Status::InvalidArgument, "the hosted login page needs the PIN's code");
  if (!forward_url.empty()) check_forward_url(forward_url);  // absolute http(s): plex.tv forwards to nothing else
  std::string url = "https://app.plex.tv/auth#?clientID=" + url_escape(client_id) + "&code=" + url_escape(code);
  if (!product.empty()) url += "&context%5Bdevice%5D%5Bproduct%5D=" + url_escape(product);
  if (!forward_url.empty()) url += "&forwardUrl=" + url_escape(forward_url);
  return url;
}

Parsed<Pin> wait_for_pin(Client &client, int64_t id, const PinWait &wait, const CallOptions *opts,
                         const RetryEnv &env) {
  if (wait.poll_interval_ms < 100 || wait.poll_interval_ms > 60000)
    fail(Status::InvalidArgument, "poll interval must be between 100 and 60000 ms");
  if (wait.timeout_ms < 0) fail(Status::InvalidArgument, "timeout must not be negative");
  const std::string id_text = std::to_string(id);
  CancelToken *cancel = opts ? opts->cancel.get() : nullptr;
  if (wait.device_jwt && wait.resign_ms < 1000) fail(Status::InvalidArgument, "re-sign interval must be >= 1000 ms");
  const int64_t started = env.clock->now_ms();
  Secret device_jwt;
  int64_t signed_at = 0;
  for (unsigned polls = 1;; ++polls) {
    CallInput in;
    in.path.push_back({"id", id_text});
    if (wait.device_jwt) {
      if (polls == 1 || env.clock->now_ms() - signed_at >= wait.resign_ms) {
        device_jwt = wait.device_jwt();
        signed_at = env.clock->now_ms();
      }
      in.query.push_back({"deviceJWT", device_jwt.reveal(), true});
      in.secrets.push_back(device_jwt.reveal());
    }
    Parsed<Pin> p = client.run<Pin>(wait.device_jwt ? op::kGetJwkPin : op::kGetPin, in, opts);
    if (p.value.auth_token && !p.value.auth_token->empty()) return p;
    const int64_t now_s = static_cast<int64_t>(std::time(nullptr));
    const int64_t left_s = p.value.expires_at ? *p.value.expires_at - now_s : -1;
    if (p.value.expires_at && left_s <= 0)
      fail(Status::PinExpired, "PIN " + id_text + " expired while waiting for its approval (" +
                                   std::to_string(polls) + " polls)");
    if (wait.progress && !wait.progress(p.value.code.value_or(""), left_s))
      fail(Status::Cancelled, "the wait for the PIN's approval was stopped by the progress callback");
    int64_t pause = wait.poll_interval_ms;
    if (wait.timeout_ms > 0) {
      const int64_t remaining = wait.timeout_ms - (env.clock->now_ms() - started);
      if (remaining <= 0)
        fail(Status::Timeout, "PIN " + id_text + " was not approved within " + std::to_string(wait.timeout_ms) +
                                  " ms (" + std::to_string(polls) + " polls)");
      pause = std::min(pause, remaining);
    }
    if (p.value.expires_at) pause = std::min(pause, left_s * 1000);
    if (!env.sleeper->sleep_ms(pause, cancel)) fail(Status::Cancelled, "the wait for the PIN's approval was cancelled");
  }
}

}  // namespace plexauth
