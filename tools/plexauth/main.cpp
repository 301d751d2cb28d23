// plexauth — the command-line front end of libplexauth.
//
// Built only on the public C header: everything it knows about Plex comes
// through <plexauth/plexauth.h>. The interface (options, environment
// variables, JSON shapes, exit codes) is documented in usage() below and is
// kept stable: other tooling drives it.
#include <plexauth/plexauth.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cinttypes>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <atomic>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.gen.inc"
#include "json_text.h"
#include "qr.h"
#include "secret_input.h"

namespace {

using cli::json_bool_or_null;
using cli::json_int_or_null;
using cli::json_string;
using cli::json_string_or_null;
using cli::printable;

constexpr int kExitUsage = 2;
constexpr int kExitStatusBase = 10;  // a failure with status S exits with 10 + S
constexpr int kLastStatus = PLEXAUTH_STATUS_LAST;

// ------------------------------------------------------------------ handles

template <typename T, void (*Free)(T *)>
struct Freer {
  void operator()(T *p) const noexcept { Free(p); }
};
template <typename T, void (*Free)(T *)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

using ConfigPtr = Owned<plexauth_config, plexauth_config_free>;
using ClientPtr = Owned<plexauth_client, plexauth_client_free>;
using RetryPtr = Owned<plexauth_retry, plexauth_retry_free>;
using SignInPtr = Owned<plexauth_sign_in, plexauth_sign_in_free>;
using AccountPtr = Owned<plexauth_account, plexauth_account_free>;
using TransientPtr = Owned<plexauth_transient_token, plexauth_transient_token_free>;
using SourcePtr = Owned<plexauth_source_info, plexauth_source_info_free>;
using HomePtr = Owned<plexauth_home, plexauth_home_free>;
using ResourcesPtr = Owned<plexauth_resources, plexauth_resources_free>;
using ConnectOptionsPtr = Owned<plexauth_connect_options, plexauth_connect_options_free>;
using ConnectCachePtr = Owned<plexauth_connect_cache, plexauth_connect_cache_free>;
using ConnectResultPtr = Owned<plexauth_connect_result, plexauth_connect_result_free>;
using DeviceKeyPtr = Owned<plexauth_device_key, plexauth_device_key_free>;
using JwtTokenPtr = Owned<plexauth_jwt_token, plexauth_jwt_token_free>;

// ------------------------------------------------------------------ failures

// Bad command line: exit 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct PlexErrorEntry {
  int has_code = 0;
  int64_t code = 0;
  std::optional<std::string> message;
  int has_status = 0;
  int64_t status = 0;
};

// A failed library call, copied out of its plexauth_error: exit 10 + status.
struct Failure {
  plexauth_status status = PLEXAUTH_E_INTERNAL;
  std::string message;
  int http_status = 0;
  std::vector<PlexErrorEntry> plex_errors;
  int has_retry_after = 0;
  int64_t retry_after_ms = 0;
  unsigned attempts = 0;
  std::string hint;  // extra advice, human output only
};

// Takes ownership of err (may be NULL) and frees it.
Failure failure_from(plexauth_status status, plexauth_error *err, const char *fallback_message) {
  Failure f;
  f.status = err ? plexauth_error_status(err) : status;
  f.message = err ? plexauth_error_message(err) : "";
  if (f.message.empty()) f.message = fallback_message;
  if (err) {
    f.http_status = plexauth_error_http_status(err);
    f.attempts = plexauth_error_attempts(err);
    f.has_retry_after = plexauth_error_retry_after_ms(err, &f.retry_after_ms);
    const size_t n = plexauth_error_plex_errors_count(err);
    for (size_t i = 0; i < n; ++i) {
      PlexErrorEntry e;
      e.has_code = plexauth_error_plex_error_code(err, i, &e.code);
      e.has_status = plexauth_error_plex_error_status(err, i, &e.status);
      if (const char *m = plexauth_error_plex_error_message(err, i)) e.message = m;
      f.plex_errors.push_back(std::move(e));
    }
    plexauth_error_free(err);
  }
  return f;
}

// Throws the failure of a library call that returned `status`.
[[noreturn]] void fail(plexauth_status status, plexauth_error *err, const char *fallback_message) {
  throw failure_from(status, err, fallback_message);
}

std::string error_json(const std::string &status_name, const Failure *f, const std::string &message) {
  std::string s = "{\"error\":{\"status\":" + json_string(status_name) + ",\"http_status\":";
  s += (f && f->http_status) ? std::to_string(f->http_status) : "null";
  s += ",\"plex_errors\":[";
  if (f) {
    for (size_t i = 0; i < f->plex_errors.size(); ++i) {
      const PlexErrorEntry &e = f->plex_errors[i];
      if (i) s += ',';
      s += "{\"code\":" + json_int_or_null(e.has_code, e.code);
      s += ",\"message\":" + (e.message ? json_string(*e.message) : std::string("null"));
      s += ",\"status\":" + json_int_or_null(e.has_status, e.status) + "}";
    }
  }
  s += "],\"retry_after_ms\":" + (f ? json_int_or_null(f->has_retry_after, f->retry_after_ms) : "null");
  s += ",\"attempts\":" + std::to_string(f ? f->attempts : 0u);
  s += ",\"message\":" + json_string(message) + "}}\n";
  return s;
}

int report_failure(const Failure &f, bool json) {
  const char *name = plexauth_status_name(f.status);
  if (json) {
    std::fputs(error_json(name, &f, f.message).c_str(), stderr);
  } else {
    std::fprintf(stderr, "plexauth: %s: %s\n", name, printable(f.message).c_str());
    for (const PlexErrorEntry &e : f.plex_errors) {
      std::string line = "plexauth:   Plex error";
      if (e.has_code) line += " " + std::to_string(e.code);
      if (e.has_status) line += " (status " + std::to_string(e.status) + ")";
      if (e.message) line += ": " + printable(*e.message);
      std::fprintf(stderr, "%s\n", line.c_str());
    }
    if (f.has_retry_after) std::fprintf(stderr, "plexauth:   retry after %" PRId64 " ms\n", f.retry_after_ms);
    if (!f.hint.empty()) std::fprintf(stderr, "plexauth: hint: %s\n", f.hint.c_str());
  }
  const int s = static_cast<int>(f.status);
  return (s >= 1 && s <= kLastStatus) ? kExitStatusBase + s : kExitStatusBase + PLEXAUTH_E_INTERNAL;
}

int report_usage_error(const std::string &message, bool json) {
  if (json)
    std::fputs(error_json("usage_error", nullptr, message).c_str(), stderr);
  else
    std::fprintf(stderr, "plexauth: %s\nTry 'plexauth --help' for more information.\n", message.c_str());
  return kExitUsage;
}

// ------------------------------------------------------------------ usage

void print_usage(std::FILE *out) {
  std::fputs(
      "usage: plexauth [global options] COMMAND [command options]\n"
      "\n"
      "Plex authentication from the command line (libplexauth).\n"
      "\n"
      "Global options (an option beats its environment variable; global options\n"
      "may also follow the command):\n"
      "  --server URL              PMS base URL, required by transient-token and\n"
      "                            source-info               [env PLEX_SERVER]\n"
      "  --plex-tv URL             plex.tv API base, default https://plex.tv/api/v2\n"
      "                                                          [env PLEX_TV_URL]\n"
      "  --token TOKEN             access token (X-Plex-Token)   [env PLEX_TOKEN]\n"
      "                            Prefer PLEX_TOKEN: the command line of a process\n"
      "                            is visible to other users (ps).\n"
      "  --client-id ID            X-Plex-Client-Identifier      [env PLEX_CLIENT_ID]\n"
      "                            Use one stable value per installation.\n"
      "  --client-name NAME        X-Plex-Product                [env PLEX_CLIENT_NAME]\n"
      "  --client-version V        X-Plex-Version                [env PLEX_CLIENT_VERSION]\n"
      "  --platform P              X-Plex-Platform               [env PLEX_PLATFORM]\n"
      "  --device-nickname D       X-Plex-Device                 [env PLEX_DEVICE_NICKNAME]\n"
      "  --timeout-ms N            per-attempt timeout in ms, 0 = none (default 30000)\n"
      "  --no-retry                one attempt only; wins over any --retry-* option\n"
      "  --retry-initial-ms N      first backoff wait (default 500)\n"
      "  --retry-max-interval-ms N cap on each wait (default 60000)\n"
      "  --retry-exponent X        backoff growth factor (default 1.5)\n"
      "  --retry-max-elapsed-ms N  no retry past this much time (default 300000)\n"
      "  --retry-max-attempts N    attempts in all, 0 = no cap (default 0)\n"
      "  --client-id-file PATH   where the installation's client identifier is kept when\n"
      "                          --client-id is not given (created once; default\n"
      "                          $XDG_CONFIG_HOME/plexauth/client_id)  [env PLEX_CLIENT_ID_FILE]\n"
      "  --token-file PATH       read the token from the first line of PATH\n"
      "                          (e.g. written by login --save)        [env PLEX_TOKEN_FILE]\n"
      "                          The token: --token, else --token-file, else\n"
      "                          PLEX_TOKEN, else PLEX_TOKEN_FILE.\n"
      "  --json                    success: one JSON object on stdout;\n"
      "                            failure: one JSON object on stderr\n"
      "  --verbose                 log requests and responses to stderr, secrets redacted\n"
      "  -h, --help                show this help\n"
      "\n"
      "Commands:\n"
      "  sign-in --login LOGIN [--password-stdin] [--code-stdin | --code CODE] [--remember]\n"
      "      Sign in to plex.tv; prints the account and its auth token.\n"
      "      --password-stdin  read the password from the first line of stdin.\n"
      "                        Without it the password is asked on the terminal,\n"
      "                        without echo. A password is never taken from argv.\n"
      "      --code-stdin      read the 2FA verification code from the next line of\n"
      "                        stdin (after the password, with --password-stdin)\n"
      "      --code CODE       the 2FA code as an argument, for compatibility only:\n"
      "                        other users can see it with ps. Prefer --code-stdin.\n"
      "      --remember        send rememberMe=true (default false)\n"
      "      When stdin is a terminal and plex.tv asks for a 2FA code, the code is\n"
      "      asked on the terminal and the sign-in is tried once more.\n"
      "  token-details\n"
      "      The account behind the token (the token itself is not printed,\n"
      "      except in --json output, which is the account object as sent).\n"
      "  transient-token [--type delegation] [--scope all]\n"
      "      Ask the PMS for a temporary token with the token's access.\n"
      "  source-info --source SOURCE\n"
      "      Connection details and access token the PMS has for a source,\n"
      "      e.g. --source server://<client-identifier>.\n"
      "  login [--strong] [--forward-url URL] [--timeout-s N] [--poll-ms N] [--save FILE]\n"
      "        [--qr[=unicode|ascii] | --no-qr] [--jwt [--key FILE]]\n"
      "      Sign in with a PIN: prints the code to enter at https://plex.tv/link and\n"
      "      the hosted login page's address, then waits (a countdown on a terminal)\n"
      "      until the user approves it, the PIN expires or Ctrl-C. --strong: a long\n"
      "      code for the hosted page (30 min) instead of 4 characters (15 min).\n"
      "      --save FILE: store the token there (mode 0600) instead of printing it;\n"
      "      later commands read it with --token-file FILE.\n"
      "      The hosted page's address is also drawn as a QR code (libqrencode) when\n"
      "      the output is a terminal, or always with --qr: half blocks (unicode,\n"
      "      the default) or --qr=ascii; drawn for a dark background (the light\n"
      "      modules are drawn). --no-qr: never.\n"
      "      --jwt: JWT device authentication with no legacy token: the PIN carries\n"
      "      the device key's public half (--key FILE, default device_key.pem next\n"
      "      to the client id; made when missing) and the result is a Plex JWT,\n"
      "      refreshed later with `jwt refresh` (the approval registered the key).\n"
      "  sign-out\n"
      "      Invalidate the token at plex.tv (ends this device's session).\n"
      "  switch-user --user UUID [--pin-stdin]\n"
      "      Switch to a Plex Home user with the (admin's) token; prints that user's\n"
      "      token. --pin-stdin: the user's PIN from the first line of stdin (asked\n"
      "      on the terminal when plex.tv wants one). The PIN never goes in argv.\n"
      "  home-users\n"
      "      The members of the token's Plex Home: uuid, id, name, role and whether\n"
      "      switching to them needs a PIN (\"protected\"); --json: the container\n"
      "      under its wire names, {\"size\":...,\"User\":[{\"id\":...,\"uuid\":...,...}]}.\n"
      "  servers [--all] [--owned]\n"
      "      The account's servers (plex.tv's resources): name, owner, whether plex.tv\n"
      "      sees them online, identifier and connections. --all: every device\n"
      "      (players too); --owned: only the account's own.\n"
      "  connect [NAME|ID] [--stagger-ms N] [--grace-ms N] [--deadline-ms N]\n"
      "          [--https-only] [--cache FILE | --no-cache]\n"
      "      Find a working connection to a server (by name or identifier; may be\n"
      "      left out when the account has one server): its addresses are probed\n"
      "      with /identity, local first, relay last, each a stagger (default 250)\n"
      "      after the one before; prints the chosen URI and what happened to each\n"
      "      candidate. The good one is remembered in FILE (default: connections.json\n"
      "      next to the stored client identifier) and tried first next time.\n"
      "  jwt keygen|register|login|refresh|verify [--key FILE] [--scope S] [--save FILE]\n"
      "      JWT device authentication (docs/jwt.md). The device's Ed25519 key lives in\n"
      "      FILE (mode 0600; default: device_key.pem next to the stored client\n"
      "      identifier; made on first use). keygen: make it (or show it): its id and\n"
      "      public JWK. register: register it with plex.tv using the (legacy) token\n"
      "      (that device's legacy token stops working once a JWT is issued for it).\n"
      "      login / refresh: nonce, signed device JWT, exchange: prints the Plex JWT,\n"
      "      or stores it in --save FILE (mode 0600). verify: checks the token (--token,\n"
      "      PLEX_TOKEN, --token-file) against plex.tv's keys and this device key.\n"
      "  version\n"
      "      The versions of this program and of the loaded library.\n"
#define PLEXAUTH_CLI_USAGE(name, fn, type, summary) "  " name "\n      " summary "\n"
      PLEXAUTH_CLI_GENERIC_COMMANDS(PLEXAUTH_CLI_USAGE)
#undef PLEXAUTH_CLI_USAGE
      "\n"
      "JSON output (--json):\n"
      "  sign-in, token-details  the account under its wire names: {\"authToken\":...,...}\n"
      "  transient-token         {\"token\":...}\n"
      "  source-info             {\"name\":...,\"clientIdentifier\":...,\"accessToken\":...,\n"
      "                           \"connections\":[{\"protocol\":...,\"address\":...,\"port\":...,\n"
      "                           \"uri\":...,\"local\":...,\"relay\":...}]}\n"
      "  version                 {\"cli\":...,\"library\":...}\n"
      "  servers                 {\"devices\":[{\"name\":...,\"clientIdentifier\":...,\"connections\":[...]}]}\n"
      "  connect                 {\"uri\":...,\"accessToken\":...,\"attempts\":[{\"uri\":...,\"outcome\":...}]}\n"
      "  other commands          the result under its wire names, e.g. ping: {\"pong\":true}\n"
      "  failure (stderr)        {\"error\":{\"status\":NAME,\"http_status\":N|null,\n"
      "                           \"plex_errors\":[{\"code\":...,\"message\":...,\"status\":...}],\n"
      "                           \"retry_after_ms\":N|null,\"attempts\":N,\"message\":...}}\n"
      "                          (status \"usage_error\" for a bad command line)\n"
      "  Absent fields are null.\n"
      "\n"
      "Exit status:\n"
      "  0   success\n"
      "  2   usage error: unknown command or option, missing or invalid value,\n"
      "      no password available\n",
      out);
  for (int s = 1; s <= kLastStatus; ++s)
    std::fprintf(out, "  %-3d %s\n", kExitStatusBase + s, plexauth_status_name(static_cast<plexauth_status>(s)));
  std::fputs(
      "\n"
      "Examples:\n"
      "  export PLEX_CLIENT_ID=3381b62b-9ab7-4e37-827b-203e9809eb58\n"
      "  plexauth sign-in --login me@example.com          # asks for the password\n"
      "  printf '%s\\n' \"$PASSWORD\" | plexauth --json sign-in --login me@example.com --password-stdin\n"
      "  printf '%s\\n%s\\n' \"$PASSWORD\" \"$CODE\" | plexauth sign-in --login me@example.com \\\n"
      "      --password-stdin --code-stdin\n"
      "  PLEX_TOKEN=... plexauth token-details\n"
      "  PLEX_TOKEN=... plexauth --server http://127.0.0.1:32400 source-info --source server://ID\n",
      out);
}

// ------------------------------------------------------------------ arguments

struct OptionSpec {
  const char *name;
  bool takes_value;
  const char *command;  // nullptr: a global option
  bool secret;          // wiped from argv once copied
  const char *implicit = nullptr;  // a value option that may come bare: this value (--qr = --qr=unicode)
};

constexpr OptionSpec kOptions[] = {
    {"--server", true, nullptr, false},
    {"--plex-tv", true, nullptr, false},
    {"--token", true, nullptr, true},
    {"--client-id", true, nullptr, false},
    {"--client-name", true, nullptr, false},
    {"--client-version", true, nullptr, false},
    {"--platform", true, nullptr, false},
    {"--device-nickname", true, nullptr, false},
    {"--device-name", true, nullptr, false},
    {"--timeout-ms", true, nullptr, false},
    {"--no-retry", false, nullptr, false},
    {"--retry-initial-ms", true, nullptr, false},
    {"--retry-max-interval-ms", true, nullptr, false},
    {"--retry-exponent", true, nullptr, false},
    {"--retry-max-elapsed-ms", true, nullptr, false},
    {"--retry-max-attempts", true, nullptr, false},
    {"--client-id-file", true, nullptr, false},
    {"--token-file", true, nullptr, false},
    {"--json", false, nullptr, false},
    {"--verbose", false, nullptr, false},
    {"--login", true, "sign-in", false},
    {"--password-stdin", false, "sign-in", false},
    {"--code", true, "sign-in", true},
    {"--code-stdin", false, "sign-in", false},
    {"--remember", false, "sign-in", false},
    {"--type", true, "transient-token", false},
    {"--scope", true, "transient-token", false},
    {"--source", true, "source-info", false},
    {"--strong", false, "login", false},
    {"--forward-url", true, "login", false},
    {"--timeout-s", true, "login", false},
    {"--poll-ms", true, "login", false},
    {"--save", true, "login", false},
    {"--qr", true, "login", false, "unicode"},
    {"--no-qr", false, "login", false},
    {"--jwt", false, "login", false},
    {"--key", true, "login", false},
    {"--user", true, "switch-user", false},
    {"--all", false, "servers", false},
    {"--owned", false, "servers", false},
    {"--stagger-ms", true, "connect", false},
    {"--grace-ms", true, "connect", false},
    {"--deadline-ms", true, "connect", false},
    {"--https-only", false, "connect", false},
    {"--cache", true, "connect", false},
    {"--no-cache", false, "connect", false},
    {"--key", true, "jwt", false},
    {"--scope", true, "jwt", false},
    {"--save", true, "jwt", false},
    {"--pin-stdin", false, "switch-user", false},
};

// Operations without options of their own: one generic command each (generated from codegen/api.py).
#define PLEXAUTH_CLI_NAME(name, fn, type, summary) name,
constexpr const char *kCommands[] = {"sign-in",     "token-details", "transient-token", "source-info", "login",
                                     "sign-out",    "switch-user",   "home-users",      "version",
                                     "servers",     "connect",       "jwt",
                                     PLEXAUTH_CLI_GENERIC_COMMANDS(PLEXAUTH_CLI_NAME)};
#undef PLEXAUTH_CLI_NAME

void wipe_string(std::string &s) {
  volatile char *p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = 0;
  s.clear();
}

struct Args {
  std::string command;
  std::string target;  // connect's NAME|ID
  std::map<std::string, std::string> values;  // last occurrence wins
  std::set<std::string> flags;

  ~Args() {
    for (auto &kv : values) wipe_string(kv.second);
  }
  bool has(const char *flag) const { return flags.count(flag) != 0; }
  const std::string *value(const char *option) const {
    auto it = values.find(option);
    return it == values.end() ? nullptr : &it->second;
  }
};

// The option of that name for `command` (several commands may have one of
// the same name, e.g. --save), else the first of that name.
const OptionSpec *find_option(std::string_view name, std::string_view command = {}) {
  const OptionSpec *first = nullptr;
  for (const OptionSpec &o : kOptions) {
    if (name != o.name) continue;
    if (!o.command || command == o.command) return &o;
    if (!first) first = &o;
  }
  return first;
}

bool is_command(std::string_view s) {
  for (const char *c : kCommands)
    if (s == c) return true;
  return false;
}

// Parses argv. Values of secret options are wiped from argv (so that they no
// longer show in /proc/PID/cmdline) once copied.
void parse_args(int argc, char **argv, Args &a) {
  for (int i = 1; i < argc; ++i) {
    char *arg = argv[i];
    const std::string_view s(arg);
    if (s.size() < 2 || s.compare(0, 2, "--") != 0) {
      if ((a.command == "connect" || a.command == "jwt") && a.target.empty() && !s.empty() && s[0] != '-') {
        a.target = std::string(s);
        continue;
      }
      if (!a.command.empty() || s.empty() || s[0] == '-') {
        // Do not echo the argument: it might be a misplaced secret.
        throw UsageError(s.size() > 0 && s[0] == '-' ? "unknown option (options start with --)"
                                                      : "unexpected argument #" + std::to_string(i));
      }
      if (!is_command(s)) throw UsageError("unknown command '" + printable(s) + "'");
      a.command = std::string(s);
      continue;
    }
    const size_t eq = s.find('=');
    const std::string name(s.substr(0, eq));
    if (name == "--password")
      throw UsageError(
          "a password is never taken from the command line: use --password-stdin, "
          "or let plexauth ask on the terminal");
    const OptionSpec *spec = find_option(name, a.command);
    if (!spec) throw UsageError("unknown option " + printable(name));
    if (spec->command && a.command != spec->command)
      throw UsageError("option " + name + " belongs to the " + spec->command + " command");
    if (!spec->takes_value) {
      if (eq != std::string_view::npos) throw UsageError("option " + name + " takes no value");
      a.flags.insert(name);
      continue;
    }
    char *value = nullptr;
    if (eq != std::string_view::npos) {
      value = arg + eq + 1;
    } else if (spec->implicit) {
      a.values[name] = spec->implicit;
      continue;
    } else {
      if (i + 1 >= argc) throw UsageError("option " + name + " needs a value");
      value = argv[++i];
    }
    a.values[name] = value;
    if (spec->secret) std::memset(value, 0, std::strlen(value));
  }
}

// An option's value, else its environment variable's (when non-empty).
struct Setting {
  std::string value;
  std::string origin;  // "--server" or "PLEX_SERVER", for messages
};

std::optional<Setting> setting(const Args &a, const char *option, const char *env) {
  if (const std::string *v = a.value(option)) return Setting{*v, option};
  if (env) {
    const char *e = std::getenv(env);
    if (e && *e) return Setting{e, env};
  }
  return std::nullopt;
}

int64_t parse_int(const Setting &s) {
  const char *str = s.value.c_str();
  char *end = nullptr;
  errno = 0;
  const long long v = std::strtoll(str, &end, 10);
  if (errno != 0 || end == str || *end != '\0') throw UsageError("invalid number for " + s.origin);
  return static_cast<int64_t>(v);
}

double parse_double(const Setting &s) {
  const char *str = s.value.c_str();
  char *end = nullptr;
  errno = 0;
  const double v = std::strtod(str, &end);
  if (errno != 0 || end == str || *end != '\0' || !std::isfinite(v)) throw UsageError("invalid number for " + s.origin);
  return v;
}

// A setter's status for a value from the command line or the environment.
void check_value(plexauth_status st, const std::string &origin) {
  if (st == PLEXAUTH_E_OUT_OF_MEMORY) throw std::bad_alloc();
  if (st != PLEXAUTH_OK) throw UsageError("invalid value for " + origin);
}

// ------------------------------------------------------------------ client

void log_to_stderr(void *, plexauth_log_level level, const char *message) {
  const char *name = level == PLEXAUTH_LOG_ERROR  ? "error"
                     : level == PLEXAUTH_LOG_WARN ? "warn"
                     : level == PLEXAUTH_LOG_INFO ? "info"
                                                  : "debug";
  // Messages are meant to be one line; a multi-line one keeps its line breaks.
  std::fprintf(stderr, "plexauth: [%s] %s\n", name, printable(message ? message : "", true).c_str());
}

// The retry policy from --retry-* (applied on top of the library's defaults),
// or nothing when no --retry-* option is given.
RetryPtr make_retry(const Args &a) {
  using IntSetter = plexauth_status (*)(plexauth_retry *, int64_t);
  static const struct {
    const char *option;
    IntSetter set;
  } int_settings[] = {
      {"--retry-initial-ms", plexauth_retry_set_initial_interval_ms},
      {"--retry-max-interval-ms", plexauth_retry_set_max_interval_ms},
      {"--retry-max-elapsed-ms", plexauth_retry_set_max_elapsed_ms},
  };
  const auto exponent = setting(a, "--retry-exponent", nullptr);
  const auto attempts = setting(a, "--retry-max-attempts", nullptr);
  bool any = exponent || attempts;
  for (const auto &s : int_settings) any = any || a.value(s.option);
  if (!any) return nullptr;

  plexauth_retry *raw = nullptr;
  if (plexauth_status st = plexauth_retry_new(&raw)) fail(st, nullptr, "could not create a retry policy");
  RetryPtr retry(raw);
  for (const auto &s : int_settings)
    if (auto v = setting(a, s.option, nullptr)) check_value(s.set(retry.get(), parse_int(*v)), v->origin);
  if (exponent) check_value(plexauth_retry_set_exponent(retry.get(), parse_double(*exponent)), exponent->origin);
  if (attempts) {
    const int64_t n = parse_int(*attempts);
    if (n < 0 || n > static_cast<int64_t>(UINT_MAX)) throw UsageError("invalid value for --retry-max-attempts");
    check_value(plexauth_retry_set_max_attempts(retry.get(), static_cast<unsigned>(n)), attempts->origin);
  }
  return retry;
}

struct Context {
  ClientPtr client;
  bool json = false;
  bool have_token = false;
  std::string client_id;
};

// The first line of a token file written by `login --save` (or by hand).
std::string read_token_file(const std::string &path) {
  FILE *f = std::fopen(path.c_str(), "re");
  if (!f) throw UsageError("cannot read the token file " + printable(path) + ": " + std::strerror(errno));
  std::string token;
  int c;
  while ((c = std::fgetc(f)) != EOF && c != '\n' && token.size() <= 16384) token += static_cast<char>(c);
  std::fclose(f);
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty() || token.size() > 16384)
    throw UsageError("the token file " + printable(path) + " does not hold a token on its first line");
  return token;
}

// The token the user named. A flag beats the environment: --token, then
// --token-file, then PLEX_TOKEN, then PLEX_TOKEN_FILE (so that
// `--token-file jwt` means that file even with PLEX_TOKEN exported).
std::optional<Setting> token_setting(const Args &a) {
  if (const std::string *v = a.value("--token")) return Setting{*v, "--token"};
  if (const std::string *f = a.value("--token-file")) return Setting{read_token_file(*f), "--token-file"};
  if (const char *e = std::getenv("PLEX_TOKEN"); e && *e) return Setting{e, "PLEX_TOKEN"};
  if (const char *f = std::getenv("PLEX_TOKEN_FILE"); f && *f) return Setting{read_token_file(f), "PLEX_TOKEN_FILE"};
  return std::nullopt;
}

void make_client(const Args &a, Context &ctx) {
  plexauth_config *raw = nullptr;
  if (plexauth_status st = plexauth_config_new(&raw)) fail(st, nullptr, "could not create a configuration");
  ConfigPtr cfg(raw);

  using StringSetter = plexauth_status (*)(plexauth_config *, const char *);
  static const struct {
    const char *option;
    const char *env;
    StringSetter set;
  } string_settings[] = {
      {"--server", "PLEX_SERVER", plexauth_config_set_server_url},
      {"--plex-tv", "PLEX_TV_URL", plexauth_config_set_plex_tv_url},
      {"--client-id", "PLEX_CLIENT_ID", plexauth_config_set_client_id},
      {"--client-name", "PLEX_CLIENT_NAME", plexauth_config_set_client_name},
      {"--client-version", "PLEX_CLIENT_VERSION", plexauth_config_set_client_version},
      {"--platform", "PLEX_PLATFORM", plexauth_config_set_platform},
      {"--device-nickname", "PLEX_DEVICE_NICKNAME", plexauth_config_set_device_nickname},
      {"--device-name", "PLEX_DEVICE_NAME", plexauth_config_set_device_name},
  };
  for (const auto &s : string_settings) {
    if (auto v = setting(a, s.option, s.env)) {
      check_value(s.set(cfg.get(), v->value.c_str()), v->origin);
      wipe_string(v->value);
    }
  }
  // Without --client-id: the identifier stored for this installation, created
  // once, so that plex.tv sees one device however often the CLI runs.
  if (!setting(a, "--client-id", "PLEX_CLIENT_ID")) {
    const auto file = setting(a, "--client-id-file", "PLEX_CLIENT_ID_FILE");
    char id[PLEXAUTH_CLIENT_ID_MAX];
    plexauth_error *err = nullptr;
    if (plexauth_status st = plexauth_client_id_load_or_create(file ? file->value.c_str() : nullptr, id, sizeof id, &err))
      fail(st, err, "could not load or create the stored client identifier (give --client-id)");
    check_value(plexauth_config_set_client_id(cfg.get(), id), "the stored client identifier");
    ctx.client_id = id;
  } else {
    ctx.client_id = setting(a, "--client-id", "PLEX_CLIENT_ID")->value;
  }
  // The token, or one saved by `login --save` (first line of the file).
  if (auto token = token_setting(a)) {
    check_value(plexauth_config_set_access_token(cfg.get(), token->value.c_str()), token->origin);
    wipe_string(token->value);
    ctx.have_token = true;
  }

  if (auto v = setting(a, "--timeout-ms", nullptr))
    check_value(plexauth_config_set_timeout_ms(cfg.get(), parse_int(*v)), v->origin);

  RetryPtr retry = make_retry(a);  // validated even when --no-retry wins
  if (a.has("--no-retry")) {
    check_value(plexauth_config_set_retry(cfg.get(), nullptr), "--no-retry");
  } else if (retry) {
    check_value(plexauth_config_set_retry(cfg.get(), retry.get()), "the --retry-* options");
  }

  if (a.has("--verbose"))
    check_value(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, log_to_stderr, nullptr),
                "--verbose");

  plexauth_client *client = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_new(&client, cfg.get(), &err))
    fail(st, err, "could not create the client");
  ctx.client.reset(client);
}

// ------------------------------------------------------------------ output

void print_line(const char *label, const std::string &value) {
  std::printf("  %-16s%s\n", label, printable(value).c_str());
}
void print_line(const char *label, const char *value) {
  if (value) print_line(label, std::string(value));
}

std::string yes_no(int value) { return value ? "yes" : "no"; }

std::string format_time(int64_t epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  char buf[64];
  if (!gmtime_r(&t, &tm) || std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
    return std::to_string(epoch);
  return buf;
}

// "Username (username@email.com)"
std::string who(const plexauth_account *a) {
  const char *name = plexauth_account_username(a);
  if (!name) name = plexauth_account_title(a);
  const char *email = plexauth_account_email(a);
  std::string s = name ? name : (email ? email : "an unnamed account");
  if (name && email) s += std::string(" (") + email + ")";
  return printable(s);
}

void print_account_json(const plexauth_account *a) {
  size_t len = 0;
  const char *json = plexauth_account_json(a, &len);
  if (!json) {
    Failure f;
    f.status = PLEXAUTH_E_INTERNAL;
    f.message = "the account could not be serialised";
    throw f;
  }
  std::fwrite(json, 1, len, stdout);
  std::fputc('\n', stdout);
}

// The account without its token (token-details).
void print_account_summary(const plexauth_account *a) {
  std::printf("Account: %s\n", who(a).c_str());
  int64_t n = 0;
  int b = 0;
  if (plexauth_account_id(a, &n)) print_line("id:", std::to_string(n));
  print_line("uuid:", plexauth_account_uuid(a));
  print_line("title:", plexauth_account_title(a));
  print_line("friendly name:", plexauth_account_friendly_name(a));
  print_line("country:", plexauth_account_country(a));
  print_line("locale:", plexauth_account_locale(a));
  if (plexauth_account_joined_at(a, &n)) print_line("joined:", format_time(n));
  if (plexauth_account_two_factor_enabled(a, &b)) print_line("two-factor:", b ? "enabled" : "disabled");
  if (plexauth_account_home_admin(a, &b)) print_line("home admin:", yes_no(b));
  if (const plexauth_subscription *s = plexauth_account_subscription(a)) {
    std::string sub = plexauth_subscription_status(s) ? plexauth_subscription_status(s) : "unknown";
    if (const char *plan = plexauth_subscription_plan(s)) sub += std::string(" (") + plan + ")";
    print_line("subscription:", sub);
  }
}

// ------------------------------------------------------------------ commands

void read_stdin_line(cli::Secret &out, const char *what) {
  switch (cli::read_secret_line(STDIN_FILENO, out)) {
    case cli::ReadResult::ok:
      if (out.empty()) throw UsageError(std::string("empty ") + what + " on stdin");
      return;
    case cli::ReadResult::eof: throw UsageError(std::string("no ") + what + " on stdin");
    case cli::ReadResult::too_long: throw UsageError(std::string("the ") + what + " on stdin is too long");
    case cli::ReadResult::nul: throw UsageError(std::string("the ") + what + " on stdin contains a NUL byte");
    case cli::ReadResult::error: break;
  }
  throw UsageError(std::string("could not read the ") + what + " from stdin");
}

// Asks on the terminal; true when a non-empty line was typed.
// *no_terminal (if given) tells whether there was no terminal at all.
bool ask_on_tty(const std::string &prompt, cli::Secret &out, bool *no_terminal = nullptr) {
  cli::ReadResult r = cli::ReadResult::error;
  const bool asked = cli::prompt_on_tty(prompt.c_str(), out, r);
  if (no_terminal) *no_terminal = !asked;
  return asked && r == cli::ReadResult::ok && !out.empty();
}

void check_set(plexauth_status st, const char *what) {
  if (st == PLEXAUTH_OK) return;
  Failure f = failure_from(st, nullptr, "");
  f.message = std::string("invalid ") + what;
  throw f;
}

int cmd_sign_in(const Args &a, Context &ctx) {
  const std::string *login = a.value("--login");
  if (!login) throw UsageError("sign-in needs --login LOGIN");
  if (a.has("--code-stdin") && a.value("--code")) throw UsageError("give either --code or --code-stdin, not both");

  plexauth_sign_in *raw = nullptr;
  if (plexauth_status st = plexauth_sign_in_new(&raw)) fail(st, nullptr, "could not create a sign-in request");
  SignInPtr req(raw);
  check_set(plexauth_sign_in_set_login(req.get(), login->c_str()), "login");
  check_set(plexauth_sign_in_set_remember_me(req.get(), a.has("--remember") ? 1 : 0), "--remember");
  {
    cli::Secret password;
    if (a.has("--password-stdin")) {
      read_stdin_line(password, "password");
    } else {
      bool no_terminal = false;
      if (!ask_on_tty("Password for " + printable(*login) + ": ", password, &no_terminal))
        throw UsageError(no_terminal ? "no terminal to ask for the password on: use --password-stdin"
                                     : "no password given");
    }
    check_set(plexauth_sign_in_set_password(req.get(), password.c_str()), "password");
  }  // the password buffer is wiped here
  bool code_given = true;
  if (a.has("--code-stdin")) {
    cli::Secret code;
    read_stdin_line(code, "verification code");
    check_set(plexauth_sign_in_set_verification_code(req.get(), code.c_str()), "verification code");
  } else if (const std::string *code = a.value("--code")) {
    check_set(plexauth_sign_in_set_verification_code(req.get(), code->c_str()), "verification code");
  } else {
    code_given = false;
  }

  plexauth_account *account = nullptr;
  plexauth_error *err = nullptr;
  plexauth_status st = plexauth_client_post_users_sign_in_data(&account, ctx.client.get(), req.get(), nullptr, &err);
  if (st == PLEXAUTH_E_TWO_FACTOR_REQUIRED && isatty(STDIN_FILENO)) {
    cli::Secret code;
    if (ask_on_tty("Verification code: ", code)) {  // else: report the 2FA failure
      check_set(plexauth_sign_in_set_verification_code(req.get(), code.c_str()), "verification code");
      code_given = true;
      plexauth_error_free(err);
      err = nullptr;
      st = plexauth_client_post_users_sign_in_data(&account, ctx.client.get(), req.get(), nullptr, &err);
    }
  }
  if (st != PLEXAUTH_OK) {
    Failure f = failure_from(st, err, "sign-in failed");
    if (f.status == PLEXAUTH_E_TWO_FACTOR_REQUIRED && !code_given)
      f.hint = "this account needs a 2FA verification code: give it with --code-stdin (the line after the password)";
    throw f;
  }
  AccountPtr acc(account);
  if (ctx.json) {
    print_account_json(acc.get());
  } else {
    std::printf("Signed in as %s\n", who(acc.get()).c_str());
    const char *token = plexauth_account_auth_token(acc.get());
    std::printf("auth token: %s\n", token ? printable(token).c_str() : "(none in the response)");
  }
  return 0;
}

void add_token_hint(Failure &f, const Context &ctx) {
  if (f.status == PLEXAUTH_E_UNAUTHORIZED && !ctx.have_token)
    f.hint = "no token given: set PLEX_TOKEN (or pass --token)";
}

int cmd_token_details(const Args &, Context &ctx) {
  plexauth_account *account = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_get_token_details(&account, ctx.client.get(), nullptr, &err)) {
    Failure f = failure_from(st, err, "token-details failed");
    add_token_hint(f, ctx);
    throw f;
  }
  AccountPtr acc(account);
  if (ctx.json)
    print_account_json(acc.get());
  else
    print_account_summary(acc.get());
  return 0;
}

int cmd_transient_token(const Args &a, Context &ctx) {
  const std::string *type = a.value("--type");
  const std::string *scope = a.value("--scope");
  plexauth_transient_token *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_get_transient_token(&raw, ctx.client.get(), type ? type->c_str() : nullptr,
                                                               scope ? scope->c_str() : nullptr, nullptr, &err)) {
    Failure f = failure_from(st, err, "transient-token failed");
    add_token_hint(f, ctx);
    throw f;
  }
  TransientPtr t(raw);
  const char *token = plexauth_transient_token_token(t.get());
  if (ctx.json)
    std::printf("{\"token\":%s}\n", json_string_or_null(token).c_str());
  else
    std::printf("transient token: %s\n", token ? printable(token).c_str() : "(none in the response)");
  return 0;
}

int cmd_source_info(const Args &a, Context &ctx) {
  const std::string *source = a.value("--source");
  if (!source) throw UsageError("source-info needs --source SOURCE");
  plexauth_source_info *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st =
          plexauth_client_get_source_connection_information(&raw, ctx.client.get(), source->c_str(), nullptr, &err)) {
    Failure f = failure_from(st, err, "source-info failed");
    add_token_hint(f, ctx);
    throw f;
  }
  SourcePtr s(raw);
  const size_t n = plexauth_source_info_connections_count(s.get());
  if (ctx.json) {
    std::string out = "{\"name\":" + json_string_or_null(plexauth_source_info_name(s.get()));
    out += ",\"clientIdentifier\":" + json_string_or_null(plexauth_source_info_client_identifier(s.get()));
    out += ",\"accessToken\":" + json_string_or_null(plexauth_source_info_access_token(s.get()));
    out += ",\"connections\":[";
    for (size_t i = 0; i < n; ++i) {
      const plexauth_connection *c = plexauth_source_info_connections_at(s.get(), i);
      int64_t port = 0;
      int local = 0, relay = 0;
      const int has_port = plexauth_connection_port(c, &port);
      const int has_local = plexauth_connection_local(c, &local);
      const int has_relay = plexauth_connection_relay(c, &relay);
      if (i) out += ',';
      out += "{\"protocol\":" + json_string_or_null(plexauth_connection_protocol(c));
      out += ",\"address\":" + json_string_or_null(plexauth_connection_address(c));
      out += ",\"port\":" + json_int_or_null(has_port, port);
      out += ",\"uri\":" + json_string_or_null(plexauth_connection_uri(c));
      out += ",\"local\":" + json_bool_or_null(has_local, local);
      out += ",\"relay\":" + json_bool_or_null(has_relay, relay) + "}";
    }
    out += "]}\n";
    std::fputs(out.c_str(), stdout);
    return 0;
  }
  const char *name = plexauth_source_info_name(s.get());
  const char *id = plexauth_source_info_client_identifier(s.get());
  if (!name && !id && n == 0 && !plexauth_source_info_access_token(s.get())) {
    std::printf("The server knows no device for %s\n", printable(*source).c_str());
    return 0;
  }
  std::printf("Source: %s\n", printable(name ? name : "(unnamed)").c_str());
  print_line("identifier:", id);
  print_line("access token:", plexauth_source_info_access_token(s.get()));
  std::printf("  connections:    %zu\n", n);
  for (size_t i = 0; i < n; ++i) {
    const plexauth_connection *c = plexauth_source_info_connections_at(s.get(), i);
    const char *uri = plexauth_connection_uri(c);
    std::string line = uri ? printable(uri) : "(no uri)";
    int flag = 0;
    if (plexauth_connection_local(c, &flag) && flag) line += "  local";
    if (plexauth_connection_relay(c, &flag) && flag) line += "  relay";
    std::printf("    %s\n", line.c_str());
  }
  return 0;
}

int cmd_version(const Context &ctx) {
  const char *library = plexauth_version(nullptr, nullptr, nullptr);
  if (ctx.json)
    std::printf("{\"cli\":%s,\"library\":%s}\n", json_string(PLEXAUTH_VERSION_STRING).c_str(),
                json_string_or_null(library).c_str());
  else
    std::printf("plexauth %s (libplexauth %s)\n", PLEXAUTH_VERSION_STRING, library ? library : "unknown");
  return 0;
}

// ------------------------------------------------------------------ login

// Ctrl-C / SIGTERM during a wait trigger the cancel token from a watcher
// thread (the library's cancel is not async-signal-safe; sigwait is).
class SignalCancel {
 public:
  explicit SignalCancel(plexauth_cancel *cancel) : cancel_(cancel) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old_);
    watcher_ = std::thread([this, set] {
      const timespec tick{0, 50 * 1000 * 1000};
      while (!done_.load()) {
        siginfo_t info;
        if (sigtimedwait(&set, &info, &tick) > 0) {
          interrupted_.store(true);
          plexauth_cancel_trigger(cancel_);
          return;
        }
      }
    });
  }
  ~SignalCancel() {
    done_.store(true);
    watcher_.join();
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  bool interrupted() const { return interrupted_.load(); }

 private:
  plexauth_cancel *cancel_;
  sigset_t old_;
  std::atomic<bool> done_{false}, interrupted_{false};
  std::thread watcher_;
};

// Writes the token to path with mode 0600, atomically (a temporary file
// renamed into place), so that no other user can ever read it.
void save_token(const std::string &path, const char *token) {
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw UsageError("cannot create " + printable(tmp) + ": " + std::strerror(errno));
  const std::string line = std::string(token) + "\n";
  const bool ok = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    throw UsageError("cannot write the token to " + printable(path) + ": " + std::strerror(errno));
  }
}

int pin_progress(void *user_data, const char *, int64_t seconds_left) {
  if (*static_cast<bool *>(user_data) && seconds_left >= 0) {
    std::fprintf(stderr, "\r  waiting for approval: %" PRId64 ":%02" PRId64 " left ", seconds_left / 60,
                 seconds_left % 60);
    std::fflush(stderr);
  }
  return 0;
}

int cmd_sign_out(const Args &, Context &ctx) {
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_sign_out(ctx.client.get(), nullptr, &err)) {
    Failure f = failure_from(st, err, "sign-out failed");
    add_token_hint(f, ctx);
    throw f;
  }
  if (ctx.json)
    std::printf("{\"signed_out\":true}\n");
  else
    std::printf("Signed out: plex.tv no longer accepts this token.\n");
  return 0;
}

int cmd_switch_user(const Args &a, Context &ctx) {
  const std::string *user = a.value("--user");
  if (!user || user->empty()) throw UsageError("switch-user needs --user UUID");
  cli::Secret pin;
  bool have_pin = false;
  if (a.has("--pin-stdin")) {
    read_stdin_line(pin, "PIN");
    have_pin = true;
  }
  plexauth_account *account = nullptr;
  plexauth_error *err = nullptr;
  plexauth_status st = plexauth_client_switch_home_user(&account, ctx.client.get(), user->c_str(),
                                                        have_pin ? pin.c_str() : nullptr, nullptr, &err);
  if (st == PLEXAUTH_E_PIN_REQUIRED && !have_pin && ask_on_tty("PIN of " + printable(*user) + ": ", pin)) {
    plexauth_error_free(err);
    err = nullptr;
    have_pin = true;
    st = plexauth_client_switch_home_user(&account, ctx.client.get(), user->c_str(), pin.c_str(), nullptr, &err);
  }
  if (st != PLEXAUTH_OK) {
    Failure f = failure_from(st, err, "switch-user failed");
    if (st == PLEXAUTH_E_PIN_REQUIRED)
      f.hint = have_pin ? "the PIN was not accepted" : "this user is protected: give its PIN with --pin-stdin";
    add_token_hint(f, ctx);
    throw f;
  }
  AccountPtr acc(account);
  if (ctx.json) {
    print_account_json(acc.get());
  } else {
    std::printf("Switched to %s\n", who(acc.get()).c_str());
    const char *token = plexauth_account_auth_token(acc.get());
    std::printf("auth token: %s\n", token ? printable(token).c_str() : "(none in the response)");
  }
  return 0;
}

// Rows indented by two spaces, each column as wide as its widest cell.
void print_table(const std::vector<std::vector<std::string>> &rows) {
  std::vector<size_t> width(rows.empty() ? 0 : rows[0].size(), 0);
  for (const auto &r : rows)
    for (size_t c = 0; c < r.size() && c < width.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const auto &r : rows) {
    std::string line = " ";
    for (size_t c = 0; c < r.size(); ++c) line += " " + r[c] + (c + 1 < r.size() ? std::string(width[c] - r[c].size() + 1, ' ') : "");
    std::printf("%s\n", line.c_str());
  }
}

int cmd_home_users(const Args &, Context &ctx) {
  plexauth_home *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_list_home_users(&raw, ctx.client.get(), nullptr, &err)) {
    Failure f = failure_from(st, err, "home-users failed");
    add_token_hint(f, ctx);
    throw f;
  }
  HomePtr home(raw);
  if (ctx.json) {
    size_t len = 0;
    const char *text = plexauth_home_json(home.get(), &len);
    if (!text) throw std::bad_alloc();
    std::fwrite(text, 1, len, stdout);
    std::fputc('\n', stdout);
    return 0;
  }
  // One row per member, columns as wide as their widest cell.
  std::vector<std::vector<std::string>> rows = {{"UUID", "ID", "NAME", "ROLE", "PIN"}};
  const size_t n = plexauth_home_users_count(home.get());
  for (size_t i = 0; i < n; ++i) {
    const plexauth_home_user *u = plexauth_home_users_at(home.get(), i);
    int64_t id = 0;
    int admin = 0, restricted = 0, guest = 0, prot = 0;
    const char *title = plexauth_home_user_title(u);
    const char *username = plexauth_home_user_username(u);
    const std::string name = title && *title ? title : (username ? username : "");
    const bool has_id = plexauth_home_user_id(u, &id) != 0;
    plexauth_home_user_admin(u, &admin);
    plexauth_home_user_restricted(u, &restricted);
    plexauth_home_user_guest(u, &guest);
    plexauth_home_user_protected(u, &prot);
    const char *role = admin ? "admin" : restricted ? "managed" : guest ? "guest" : "member";
    rows.push_back({printable(plexauth_home_user_uuid(u) ? plexauth_home_user_uuid(u) : ""),
                    has_id ? std::to_string(id) : "", printable(name), role, prot ? "protected" : "none"});
  }
  std::printf("Plex Home: %zu member%s\n", n, n == 1 ? "" : "s");
  print_table(rows);
  return 0;
}

// ------------------------------------------------------------ servers, connect

bool provides_server(const plexauth_resource *d) {
  const char *p = plexauth_resource_provides(d);
  if (!p) return false;
  std::string s = std::string(",") + p + ",";
  return s.find(",server,") != std::string::npos;
}

ResourcesPtr list_resources(Context &ctx) {
  plexauth_resources *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_list_resources(&raw, ctx.client.get(), nullptr, &err)) {
    Failure f = failure_from(st, err, "listing the account's servers failed");
    add_token_hint(f, ctx);
    throw f;
  }
  return ResourcesPtr(raw);
}

std::string device_json(const plexauth_resource *d) {
  auto str = [](const char *k, const char *v) { return std::string("\"") + k + "\":" + cli::json_string_or_null(v); };
  auto boolean = [](const char *k, int present, int v) { return std::string("\"") + k + "\":" + cli::json_bool_or_null(present, v); };
  int b = 0;
  int64_t n = 0;
  std::string s = "{" + str("name", plexauth_resource_name(d)) + "," + str("product", plexauth_resource_product(d)) + "," +
                  str("productVersion", plexauth_resource_product_version(d)) + "," +
                  str("clientIdentifier", plexauth_resource_client_identifier(d)) + "," +
                  str("provides", plexauth_resource_provides(d)) + ",";
  const int has_owner = plexauth_resource_owner_id(d, &n);
  s += "\"ownerId\":" + cli::json_int_or_null(has_owner, n) + "," + str("sourceTitle", plexauth_resource_source_title(d)) +
       "," + str("publicAddress", plexauth_resource_public_address(d)) + "," +
       str("accessToken", plexauth_resource_access_token(d)) + ",";
  int p = plexauth_resource_owned(d, &b);
  s += boolean("owned", p, b) + ",";
  p = plexauth_resource_presence(d, &b);
  s += boolean("presence", p, b) + ",";
  p = plexauth_resource_https_required(d, &b);
  s += boolean("httpsRequired", p, b) + ",";
  p = plexauth_resource_public_address_matches(d, &b);
  s += boolean("publicAddressMatches", p, b) + ",\"connections\":[";
  for (size_t i = 0; i < plexauth_resource_connections_count(d); ++i) {
    const plexauth_connection *c = plexauth_resource_connections_at(d, i);
    int64_t port = 0;
    const int has_port = plexauth_connection_port(c, &port);
    int local = 0, relay = 0, v6 = 0;
    const int hl = plexauth_connection_local(c, &local), hr = plexauth_connection_relay(c, &relay),
              h6 = plexauth_connection_ipv6(c, &v6);
    s += std::string(i ? "," : "") + "{" + str("protocol", plexauth_connection_protocol(c)) + "," +
         str("address", plexauth_connection_address(c)) + ",\"port\":" + cli::json_int_or_null(has_port, port) + "," +
         str("uri", plexauth_connection_uri(c)) + "," + boolean("local", hl, local) + "," + boolean("relay", hr, relay) +
         "," + boolean("IPv6", h6, v6) + "}";
  }
  return s + "]}";
}

int cmd_servers(const Args &a, Context &ctx) {
  ResourcesPtr all = list_resources(ctx);
  std::vector<const plexauth_resource *> shown;
  for (size_t i = 0; i < plexauth_resources_devices_count(all.get()); ++i) {
    const plexauth_resource *d = plexauth_resources_devices_at(all.get(), i);
    int owned = 0;
    plexauth_resource_owned(d, &owned);
    if (!a.has("--all") && !provides_server(d)) continue;
    if (a.has("--owned") && !owned) continue;
    shown.push_back(d);
  }
  if (ctx.json) {
    std::string out = "{\"devices\":[";
    for (size_t i = 0; i < shown.size(); ++i) out += (i ? "," : "") + device_json(shown[i]);
    std::printf("%s]}\n", out.c_str());
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"NAME", "OWNER", "ONLINE", "IDENTIFIER", "CONNECTIONS"}};
  for (const plexauth_resource *d : shown) {
    int owned = 0, presence = 0;
    plexauth_resource_owned(d, &owned);
    const int has_presence = plexauth_resource_presence(d, &presence);
    const char *title = plexauth_resource_source_title(d);
    const char *name = plexauth_resource_name(d);
    const char *id = plexauth_resource_client_identifier(d);
    rows.push_back({printable(name ? name : ""), owned ? "you" : printable(title ? title : "shared"),
                    has_presence ? yes_no(presence) : "?", printable(id ? id : ""),
                    std::to_string(plexauth_resource_connections_count(d))});
  }
  const size_t n = shown.size();
  std::printf("%zu %s\n", n, a.has("--all") ? (n == 1 ? "device" : "devices") : (n == 1 ? "server" : "servers"));
  print_table(rows);
  return 0;
}

// connections.json next to the stored client identifier.
std::string default_cache_path(const Args &a) {
  if (auto file = setting(a, "--client-id-file", "PLEX_CLIENT_ID_FILE")) {
    const size_t slash = file->value.rfind('/');
    return (slash == std::string::npos ? std::string(".") : file->value.substr(0, slash)) + "/connections.json";
  }
  const char *xdg = std::getenv("XDG_CONFIG_HOME");
  const char *home = std::getenv("HOME");
  const std::string base = xdg && *xdg ? xdg : std::string(home ? home : ".") + "/.config";
  return base + "/plexauth/connections.json";
}

int cmd_connect(const Args &a, Context &ctx) {
  ResourcesPtr all = list_resources(ctx);
  std::vector<const plexauth_resource *> servers, matches;
  for (size_t i = 0; i < plexauth_resources_devices_count(all.get()); ++i) {
    const plexauth_resource *d = plexauth_resources_devices_at(all.get(), i);
    if (!provides_server(d)) continue;
    servers.push_back(d);
    const char *name = plexauth_resource_name(d);
    const char *id = plexauth_resource_client_identifier(d);
    if (!a.target.empty() && ((name && a.target == name) || (id && a.target == id))) matches.push_back(d);
  }
  if (a.target.empty()) matches = servers;
  if (matches.size() != 1) {
    std::string names;
    for (const plexauth_resource *d : servers) {
      const char *name = plexauth_resource_name(d);
      names += std::string(names.empty() ? "" : ", ") + printable(name ? name : "?");
    }
    Failure f;
    f.status = PLEXAUTH_E_INVALID_ARGUMENT;
    f.message = (matches.empty() ? (a.target.empty() ? std::string("the account has no server")
                                                     : "no server is named " + printable(a.target))
                                 : std::string("the account has several servers: name one")) +
                (names.empty() ? "" : " (servers: " + names + ")");
    throw f;
  }
  plexauth_connect_options *raw_opts = nullptr;
  if (plexauth_status st = plexauth_connect_options_new(&raw_opts, nullptr)) fail(st, nullptr, "out of memory");
  ConnectOptionsPtr opts(raw_opts);
  if (auto v = setting(a, "--stagger-ms", nullptr))
    check_value(plexauth_connect_options_set_stagger_ms(opts.get(), parse_int(*v)), v->origin);
  if (auto v = setting(a, "--grace-ms", nullptr))
    check_value(plexauth_connect_options_set_grace_ms(opts.get(), parse_int(*v)), v->origin);
  if (auto v = setting(a, "--deadline-ms", nullptr))
    check_value(plexauth_connect_options_set_deadline_ms(opts.get(), parse_int(*v)), v->origin);
  if (a.has("--https-only")) check_value(plexauth_connect_options_set_schemes(opts.get(), 1, 0), "--https-only");
  if (a.has("--no-cache") && a.value("--cache")) throw UsageError("give either --cache or --no-cache, not both");
  ConnectCachePtr cache;
  std::string cache_path;
  if (!a.has("--no-cache")) {
    cache_path = a.value("--cache") ? *a.value("--cache") : default_cache_path(a);
    plexauth_connect_cache *raw_cache = nullptr;
    if (plexauth_status st = plexauth_connect_cache_new(&raw_cache, nullptr)) fail(st, nullptr, "out of memory");
    cache.reset(raw_cache);
    plexauth_error *err = nullptr;
    if (plexauth_connect_cache_load(cache.get(), cache_path.c_str(), &err) != PLEXAUTH_OK) {
      std::fprintf(stderr, "plexauth: ignoring the connection cache %s: %s\n", printable(cache_path).c_str(),
                   printable(plexauth_error_message(err)).c_str());
      plexauth_error_free(err);
    }
    check_value(plexauth_connect_options_set_cache(opts.get(), cache.get()), "the connection cache");
  }
  plexauth_connect_result *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_client_connect(&raw, ctx.client.get(), matches[0], opts.get(), &err))
    throw failure_from(st, err, "connect failed");
  ConnectResultPtr result(raw);
  if (cache) {
    const size_t slash = cache_path.rfind('/');
    if (slash != std::string::npos) ::mkdir(cache_path.substr(0, slash).c_str(), 0700);  // one level, as the id file's
    plexauth_error *save_err = nullptr;
    if (plexauth_connect_cache_save(cache.get(), cache_path.c_str(), &save_err) != PLEXAUTH_OK) {
      std::fprintf(stderr, "plexauth: could not save the connection cache %s: %s\n", printable(cache_path).c_str(),
                   printable(plexauth_error_message(save_err)).c_str());
      plexauth_error_free(save_err);
    }
  }
  if (ctx.json) {
    size_t len = 0;
    const char *text = plexauth_connect_result_json(result.get(), &len);
    std::fwrite(text, 1, len, stdout);
    std::fputc('\n', stdout);
    return 0;
  }
  const plexauth_connect_result *r = result.get();
  std::printf("%s\n", printable(plexauth_connect_result_uri(r)).c_str());
  print_line("server:", plexauth_connect_result_name(r));
  print_line("identifier:", plexauth_connect_result_machine_identifier(r));
  print_line("version:", plexauth_connect_result_version(r));
  print_line("took:", std::to_string(plexauth_connect_result_elapsed_ms(r)) + " ms");
  print_line("token:", plexauth_connect_result_access_token(r) ? "the server's own (use --json to see it)"
                                                               : "the account's");
  std::printf("  candidates:\n");
  for (size_t i = 0; i < plexauth_connect_result_attempts_count(r); ++i) {
    int64_t started = 0, took = 0;
    const bool has_start = plexauth_connect_result_attempt_started_ms(r, i, &started) == 1;
    const bool has_took = plexauth_connect_result_attempt_elapsed_ms(r, i, &took) == 1;
    const std::string outcome = plexauth_connect_result_attempt_outcome(r, i);
    std::string line = "    " + std::to_string(i + 1) + ". " + plexauth_connect_result_attempt_location(r, i) + " " +
                       printable(plexauth_connect_result_attempt_uri(r, i)) + "  " + outcome;
    if (outcome == "failed")
      line += std::string(" (") + plexauth_status_name(plexauth_connect_result_attempt_status(r, i)) + ": " +
              printable(plexauth_connect_result_attempt_message(r, i)) + ")";
    if (has_start) line += ", started +" + std::to_string(started) + " ms";
    if (has_took) line += ", " + std::to_string(took) + " ms";
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

// ------------------------------------------------------------------ jwt

std::string default_key_path(const Args &a) {
  std::string cache = default_cache_path(a);
  return cache.substr(0, cache.rfind('/')) + "/device_key.pem";
}

// The device key of --key FILE, or of the default file next to the client
// identifier; made (mode 0600) when the file does not exist yet.
DeviceKeyPtr device_key(const Args &a, std::string &path, int &created) {
  path = a.value("--key") ? *a.value("--key") : default_key_path(a);
  if (!a.value("--key")) ::mkdir(path.substr(0, path.rfind('/')).c_str(), 0700);
  plexauth_device_key *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = plexauth_device_key_load_or_create(&raw, path.c_str(), &created, &err))
    throw failure_from(st, err, "could not load or create the device key");
  return DeviceKeyPtr(raw);
}

int cmd_jwt(const Args &a, Context &ctx) {
  const std::string &sub = a.target;
  if (sub != "keygen" && sub != "register" && sub != "login" && sub != "refresh" && sub != "verify")
    throw UsageError("jwt needs a subcommand: keygen, register, login, refresh or verify");
  std::string path;
  int created = 0;
  DeviceKeyPtr key = device_key(a, path, created);
  plexauth_error *err = nullptr;
  if (sub == "keygen") {
    if (ctx.json) {
      std::printf("{\"kid\":%s,\"jwk\":%s,\"created\":%s}\n", cli::json_string(plexauth_device_key_id(key.get())).c_str(),
                  plexauth_device_key_jwk(key.get()), created ? "true" : "false");
    } else {
      std::printf("%s device key %s in %s\n", created ? "Made" : "Using", plexauth_device_key_id(key.get()),
                  printable(path).c_str());
      std::printf("  public JWK: %s\n", plexauth_device_key_jwk(key.get()));
    }
    return 0;
  }
  if (sub == "register") {
    if (plexauth_status st = plexauth_client_register_device_key(ctx.client.get(), key.get(), nullptr, &err)) {
      Failure f = failure_from(st, err, "registering the device key failed");
      add_token_hint(f, ctx);
      throw f;
    }
    if (ctx.json) std::printf("{\"registered\":%s}\n", cli::json_string(plexauth_device_key_id(key.get())).c_str());
    else std::printf("Registered device key %s\n", plexauth_device_key_id(key.get()));
    return 0;
  }
  if (sub == "verify") {
    if (!ctx.have_token) throw UsageError("jwt verify checks the token: give --token, PLEX_TOKEN or --token-file");
    int64_t exp = 0;
    // The token to check is the one the client was made with, read again (the config keeps it write-only).
    std::string text = token_setting(a)->value;
    plexauth_status st = plexauth_client_jwt_verify(ctx.client.get(), text.c_str(), key.get(), &exp, nullptr, &err);
    wipe_string(text);
    if (st) throw failure_from(st, err, "the JWT is not valid");
    if (ctx.json) std::printf("{\"valid\":true,\"exp\":%lld}\n", static_cast<long long>(exp));
    else std::printf("Valid Plex JWT for this device, expires %s\n", format_time(exp).c_str());
    return 0;
  }
  // login / refresh: the same exchange (a refresh needs only the key).
  const std::string *scope = a.value("--scope");
  plexauth_jwt_token *tok = nullptr;
  if (plexauth_status st = plexauth_client_jwt_login(&tok, ctx.client.get(), key.get(), scope ? scope->c_str() : nullptr,
                                                     nullptr, &err))
    throw failure_from(st, err, "getting a Plex JWT failed");
  JwtTokenPtr jwt(tok);
  const char *text = plexauth_jwt_token_auth_token(jwt.get());
  int64_t exp = 0;
  plexauth_error *verr = nullptr;
  const bool verified = plexauth_client_jwt_verify(ctx.client.get(), text, key.get(), &exp, nullptr, &verr) == PLEXAUTH_OK;
  plexauth_error_free(verr);
  if (const std::string *save = a.value("--save")) {
    save_token(*save, text);
    std::printf("Got a Plex JWT%s%s; saved in %s (mode 0600): use --token-file %s\n", verified ? ", expires " : "",
                verified ? format_time(exp).c_str() : " (not verified against plex.tv's keys)", printable(*save).c_str(),
                printable(*save).c_str());
  } else if (ctx.json) {
    std::printf("{\"auth_token\":%s,\"verified\":%s,\"exp\":%s}\n", cli::json_string(text).c_str(),
                verified ? "true" : "false", cli::json_int_or_null(verified, exp).c_str());
  } else {
    std::printf("%s\n", text);
  }
  return 0;
}

// A terminal that shows UTF-8 (the locale's variables say so).
bool utf8_locale() {
  for (const char *name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const char *v = std::getenv(name);
    if (!v || !*v) continue;
    std::string s(v);
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s.find("utf-8") != std::string::npos || s.find("utf8") != std::string::npos;
  }
  return false;
}

// The login URL as a QR code: with --qr[=STYLE] always, by default only on a
// terminal, never with --no-qr.
void check_qr_options(const Args &a) {
  const std::string *style = a.value("--qr");
  if (style && a.has("--no-qr")) throw UsageError("give either --qr or --no-qr, not both");
  if (style && *style != "unicode" && *style != "ascii") throw UsageError("--qr takes unicode or ascii");
}

void print_qr(const Args &a, FILE *out, const std::string &url) {
  const std::string *style = a.value("--qr");
  if (a.has("--no-qr") || (!style && !isatty(fileno(out)))) return;
  if (!cli::qr_available()) {
    if (style) std::fputs("(no QR code: this plexauth was built without libqrencode)\n", stderr);
    return;
  }
  const cli::QrStyle s = style ? (*style == "ascii" ? cli::QrStyle::ascii : cli::QrStyle::unicode)
                               : (utf8_locale() ? cli::QrStyle::unicode : cli::QrStyle::ascii);
  const std::string text = cli::qr_text(url, s);
  if (!text.empty()) std::fprintf(out, "\n%s\n", text.c_str());
}

int cmd_login(const Args &a, Context &ctx) {
  check_qr_options(a);
  // --jwt / --key: JWT device authentication, the PIN carries the device key's public half.
  DeviceKeyPtr key;
  if (a.has("--jwt") || a.value("--key")) {
    std::string path;
    int created = 0;
    key = device_key(a, path, created);
    std::fprintf(ctx.json ? stderr : stdout, "%s device key %s (%s)\n", created ? "Made" : "Using",
                 plexauth_device_key_id(key.get()), printable(path).c_str());
  }
  plexauth_pin *raw = nullptr;
  plexauth_error *err = nullptr;
  const int strong = a.has("--strong") ? 1 : 0;
  if (plexauth_status st = key ? plexauth_client_create_jwk_pin(&raw, ctx.client.get(), plexauth_device_key_jwk(key.get()),
                                                                strong, nullptr, &err)
                               : plexauth_client_create_pin(&raw, ctx.client.get(), strong, nullptr, &err))
    throw failure_from(st, err, "could not create a PIN");
  std::unique_ptr<plexauth_pin, void (*)(plexauth_pin *)> pin(raw, plexauth_pin_free);
  int64_t id = 0;
  plexauth_pin_id(pin.get(), &id);
  const char *code = plexauth_pin_code(pin.get());
  const std::string *forward = a.value("--forward-url");
  size_t needed = 0;
  plexauth_login_url(ctx.client.get(), code, forward ? forward->c_str() : nullptr, nullptr, 0, &needed, nullptr);
  std::string url(needed ? needed : 1, '\0');
  if (plexauth_status st = plexauth_login_url(ctx.client.get(), code, forward ? forward->c_str() : nullptr, url.data(),
                                              url.size(), &needed, &err))
    throw failure_from(st, err, "could not build the login URL");
  url.resize(needed - 1);
  // The code and the addresses go to stderr in --json mode (stdout is the result).
  FILE *info = ctx.json ? stderr : stdout;
  std::fprintf(info, "Code: %s\nEnter it at https://plex.tv/link, or open:\n  %s\n", printable(code).c_str(),
               url.c_str());
  print_qr(a, info, url);
  std::fflush(info);

  plexauth_cancel *cancel_raw = nullptr;
  if (plexauth_status st = plexauth_cancel_new(&cancel_raw)) fail(st, nullptr, "could not create a cancel token");
  std::unique_ptr<plexauth_cancel, void (*)(plexauth_cancel *)> cancel(cancel_raw, plexauth_cancel_free);
  plexauth_call_options *opts_raw = nullptr;
  if (plexauth_status st = plexauth_call_options_new(&opts_raw)) fail(st, nullptr, "could not create call options");
  std::unique_ptr<plexauth_call_options, void (*)(plexauth_call_options *)> opts(opts_raw, plexauth_call_options_free);
  plexauth_call_options_set_cancel(opts.get(), cancel.get());
  int64_t timeout_ms = 0, poll_ms = 0;
  if (auto v = setting(a, "--timeout-s", nullptr)) timeout_ms = parse_int(*v) * 1000;
  if (auto v = setting(a, "--poll-ms", nullptr)) poll_ms = parse_int(*v);
  bool countdown = isatty(STDERR_FILENO) != 0;
  plexauth_status st;
  plexauth_pin *approved_raw = nullptr;
  {
    SignalCancel on_signal(cancel.get());
    st = key ? plexauth_client_wait_for_jwk_pin(&approved_raw, ctx.client.get(), id, key.get(), poll_ms, timeout_ms,
                                                pin_progress, &countdown, opts.get(), &err)
             : plexauth_client_wait_for_pin(&approved_raw, ctx.client.get(), id, poll_ms, timeout_ms, pin_progress,
                                            &countdown, opts.get(), &err);
  }
  if (countdown) std::fputc('\n', stderr);
  if (st != PLEXAUTH_OK) {
    Failure f = failure_from(st, err, "login failed");
    if (st == PLEXAUTH_E_PIN_EXPIRED) f.hint = "the PIN expired before it was approved: run login again";
    throw f;
  }
  std::unique_ptr<plexauth_pin, void (*)(plexauth_pin *)> approved(approved_raw, plexauth_pin_free);
  const char *token = plexauth_pin_auth_token(approved.get());
  if (const std::string *save = a.value("--save")) {
    save_token(*save, token);
    if (ctx.json)
      std::printf("{\"saved\":%s}\n", json_string(*save).c_str());
    else
      std::printf("Signed in; the %s is saved in %s (mode 0600): use --token-file %s\n", key ? "Plex JWT" : "token",
                  printable(*save).c_str(), printable(*save).c_str());
  } else if (ctx.json) {
    std::printf("{\"authToken\":%s}\n", json_string(token).c_str());
  } else {
    std::printf("Signed in.\n%s: %s\n", key ? "Plex JWT" : "auth token", printable(token).c_str());
  }
  return 0;
}

// A command for an operation without options: its result as JSON (wire
// names) on stdout, with or without --json.
template <class R>
int cmd_generic(const char *name, plexauth_status (*fn)(R **, plexauth_client *, const plexauth_call_options *,
                                                        plexauth_error **),
                void (*free_fn)(R *), const char *(*json_fn)(const R *, size_t *), Context &ctx) {
  R *raw = nullptr;
  plexauth_error *err = nullptr;
  if (plexauth_status st = fn(&raw, ctx.client.get(), nullptr, &err)) {
    Failure f = failure_from(st, err, (std::string(name) + " failed").c_str());
    add_token_hint(f, ctx);
    throw f;
  }
  std::unique_ptr<R, void (*)(R *)> result(raw, free_fn);
  size_t len = 0;
  const char *text = json_fn(result.get(), &len);
  if (!text) throw std::bad_alloc();
  std::fwrite(text, 1, len, stdout);
  std::fputc('\n', stdout);
  return 0;
}

int run(int argc, char **argv, bool json) {
  Args args;
  parse_args(argc, argv, args);
  Context ctx;
  ctx.json = json;
  if (args.command.empty()) throw UsageError("no command given");
  if (args.command == "version") return cmd_version(ctx);
  // The library's PMS default (the seed's https://10.10.10.47:32400) is kept
  // for compatibility, but the CLI contacts no server the user did not name.
  if ((args.command == "transient-token" || args.command == "source-info") &&
      !setting(args, "--server", "PLEX_SERVER"))
    throw UsageError(args.command + " needs the server: give --server URL or set PLEX_SERVER");
  make_client(args, ctx);
  if (args.command == "sign-in") return cmd_sign_in(args, ctx);
  if (args.command == "token-details") return cmd_token_details(args, ctx);
  if (args.command == "transient-token") return cmd_transient_token(args, ctx);
  if (args.command == "source-info") return cmd_source_info(args, ctx);
  if (args.command == "login") return cmd_login(args, ctx);
  if (args.command == "sign-out") return cmd_sign_out(args, ctx);
  if (args.command == "switch-user") return cmd_switch_user(args, ctx);
  if (args.command == "home-users") return cmd_home_users(args, ctx);
  if (args.command == "servers") return cmd_servers(args, ctx);
  if (args.command == "connect") return cmd_connect(args, ctx);
  if (args.command == "jwt") return cmd_jwt(args, ctx);
#define PLEXAUTH_CLI_RUN(name, fn, type, summary) \
  if (args.command == name) return cmd_generic<type>(name, &fn, &type##_free, &type##_json, ctx);
  PLEXAUTH_CLI_GENERIC_COMMANDS(PLEXAUTH_CLI_RUN)
#undef PLEXAUTH_CLI_RUN
  throw UsageError("unknown command '" + printable(args.command) + "'");
}

}  // namespace

int main(int argc, char **argv) {
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view s(argv[i]);
    if (s == "--help" || s == "-h") {
      print_usage(stdout);
      return 0;
    }
    if (s == "--json") json = true;
  }
  int rc = 0;
  try {
    rc = run(argc, argv, json);
  } catch (const UsageError &e) {
    rc = report_usage_error(e.what(), json);
  } catch (const Failure &f) {
    rc = report_failure(f, json);
  } catch (const std::bad_alloc &) {
    Failure f;
    f.status = PLEXAUTH_E_OUT_OF_MEMORY;
    f.message = "out of memory";
    rc = report_failure(f, json);
  }
  return rc;
}
