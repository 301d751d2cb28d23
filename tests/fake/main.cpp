// plexauth-fake: the fake Plex server as a program, for the demo and for
// out-of-process tests (bindings, CLI, the C test).
//
//   plexauth-fake [--host 127.0.0.1] [--port 0] [--port-file PATH] [--max-seconds N]
//                 [--tls CERT_FILE] [--topology FILE] [--topology-out FILE]
//                 [--cert-out FILE]
//
// Prints the port as the first line on stdout (and writes it to --port-file,
// atomically), serves until SIGTERM/SIGINT or --max-seconds (default 600),
// then exits 0. Refuses any host that is not a loopback address (exit 2).
// With --tls it serves HTTPS with a throwaway self-signed certificate, which
// it writes (PEM, atomically) to CERT_FILE before printing the port.
// --topology applies a topology (the JSON of POST /_fake/topology) at start;
// --topology-out gets the resulting resources array, --cert-out the
// certificate its https connections serve (also the --tls one). All files are
// written before the port is printed.
// Prints nothing else; it never prints tokens or passwords.
#include <chrono>
#include <cerrno>
#include <csignal>
#include <pthread.h>
#include <signal.h>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "fake_plex.h"

namespace {

constexpr char kUsage[] =
    "usage: plexauth-fake [--host 127.0.0.1] [--port 0] [--port-file PATH] [--max-seconds N]\n"
    "                     [--tls CERT_FILE] [--topology FILE] [--topology-out FILE] [--cert-out FILE]\n"
    "Serves a fake plex.tv (at /api/v2) and Plex Media Server on one loopback port.\n"
    "--tls: HTTPS with a self-signed certificate, written to CERT_FILE (PEM).\n"
    "--topology: servers on more loopback ports (JSON, see tests/fake/README.md), applied at start;\n"
    "--topology-out: the resulting resources array; --cert-out: the certificate (PEM), if any.\n";

struct Args {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string port_file;
  long max_seconds = 600;
  std::string tls_cert_file;  // non-empty: serve HTTPS
  std::string topology_file;
  std::string topology_out;
  std::string cert_out;
};

bool parse_int(const std::string &s, long lo, long hi, long &out) {
  char *end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < lo || v > hi) return false;
  out = v;
  return true;
}

// Returns false (after printing why) on a bad command line.
bool parse_args(int argc, char **argv, Args &a) {
  for (int i = 1; i < argc; ++i) {
    const std::string opt = argv[i];
    if (opt == "-h" || opt == "--help") {
      std::cout << kUsage;
      std::exit(0);
    }
    if (i + 1 >= argc) {
      std::cerr << "plexauth-fake: " << opt << " needs a value\n" << kUsage;
      return false;
    }
    const std::string value = argv[++i];
    long n = 0;
    if (opt == "--host") {
      a.host = value;
    } else if (opt == "--port" && parse_int(value, 0, 65535, n)) {
      a.port = static_cast<int>(n);
    } else if (opt == "--port-file" && !value.empty()) {
      a.port_file = value;
    } else if (opt == "--max-seconds" && parse_int(value, 1, 86400, n)) {
      a.max_seconds = n;
    } else if (opt == "--tls" && !value.empty()) {
      a.tls_cert_file = value;
    } else if (opt == "--topology" && !value.empty()) {
      a.topology_file = value;
    } else if (opt == "--topology-out" && !value.empty()) {
      a.topology_out = value;
    } else if (opt == "--cert-out" && !value.empty()) {
      a.cert_out = value;
    } else {
      std::cerr << "plexauth-fake: bad option or value: " << opt << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

// Writes then renames, so a reader polling for the file never sees it half
// written.
bool write_file_atomically(const std::string &path, const std::string &text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

bool read_file(const std::string &path, std::string &text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return !in.bad();
}

}  // namespace

int main(int argc, char **argv) {
  Args args;
  if (!parse_args(argc, argv, args)) return 2;
  if (!args.topology_out.empty() && args.topology_file.empty()) {
    std::cerr << "plexauth-fake: --topology-out needs --topology\n";
    return 2;
  }
  std::string topology;
  if (!args.topology_file.empty() && !read_file(args.topology_file, topology)) {
    std::cerr << "plexauth-fake: cannot read " << args.topology_file << "\n";
    return 2;
  }
  if (!plexauth_fake::is_loopback_host(args.host)) {
    std::cerr << "plexauth-fake: refusing to listen on " << args.host << ": only loopback addresses are allowed\n";
    return 2;
  }

  // Block the stop signals in every thread (the server's threads inherit the
  // mask); this thread waits for them with a deadline.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    plexauth_fake::Options options;
    options.host = args.host;
    options.port = args.port;
    options.tls = !args.tls_cert_file.empty();
    plexauth_fake::FakePlex fake(options);
    if (options.tls && !write_file_atomically(args.tls_cert_file, fake.certificate_pem())) {
      std::cerr << "plexauth-fake: cannot write " << args.tls_cert_file << "\n";
      return 1;
    }
    if (!args.topology_file.empty()) {
      std::string resources;
      try {
        resources = fake.set_topology(topology);
      } catch (const std::invalid_argument &e) {
        std::cerr << "plexauth-fake: bad topology in " << args.topology_file << ": " << e.what() << "\n";
        return 2;
      }
      if (!args.topology_out.empty() && !write_file_atomically(args.topology_out, resources + "\n")) {
        std::cerr << "plexauth-fake: cannot write " << args.topology_out << "\n";
        return 1;
      }
    }
    if (!args.cert_out.empty() && !write_file_atomically(args.cert_out, fake.certificate_pem())) {
      std::cerr << "plexauth-fake: cannot write " << args.cert_out << "\n";
      return 1;
    }
    std::cout << fake.port() << std::endl;
    if (!args.port_file.empty() && !write_file_atomically(args.port_file, std::to_string(fake.port()) + "\n")) {
      std::cerr << "plexauth-fake: cannot write " << args.port_file << "\n";
      return 1;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(args.max_seconds);
    for (;;) {
      const auto left = deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) break;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      timespec timeout{};
      timeout.tv_sec = static_cast<time_t>(ns / 1000000000);
      timeout.tv_nsec = static_cast<long>(ns % 1000000000);
      if (sigtimedwait(&stop_signals, nullptr, &timeout) >= 0 || errno != EINTR) break;  // signal or deadline
    }
    fake.stop();
    if (!args.port_file.empty()) std::remove(args.port_file.c_str());
  } catch (const std::exception &e) {
    std::cerr << "plexauth-fake: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
