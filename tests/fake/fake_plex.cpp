// FakePlex implementation. See fake_plex.h for what it does.
#include "fake_plex.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "fake_jwt.h"
#include "plex_examples.h"

namespace plexauth_fake {
namespace {

constexpr char kJson[] = "application/json; charset=utf-8";
constexpr int kMaxDelayMs = 60000;
constexpr int kMaxDripMs = 10000;
constexpr int kMaxNestedDepth = 1000000;
constexpr uint64_t kMaxOversizedBytes = uint64_t{4} << 30;  // 4 GiB
constexpr uint64_t kMaxFloodBytes = uint64_t{1} << 30;      // 1 GiB
constexpr int kMaxFloodMs = 60000;
constexpr size_t kChunk = 64 * 1024;

// Account A: the sign-in 201 body of plex-auth-api.md §7, verbatim.
constexpr const char *kAccountA = plexauth::fixtures::kSignIn201Body;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// ------------------------------------------------------------------ JSON

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(Writer &w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

std::string serialize(const rapidjson::Value &v) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  v.Accept(w);
  return {sb.GetString(), sb.GetSize()};
}

rapidjson::Document parse_or_throw(const std::string &json, const char *what = "account JSON") {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) throw std::invalid_argument(std::string(what) + " is not a JSON object");
  return d;
}

std::string errors_json(const std::vector<PlexError> &errors) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("errors");
  w.StartArray();
  for (const auto &e : errors) {
    w.StartObject();
    w.Key("code");
    w.Int64(e.code);
    w.Key("message");
    write_string(w, e.message);
    w.Key("status");
    w.Int(e.status);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

// {"authToken":"<token>"}, to patch into an account body.
std::string token_member(const std::string &token) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("authToken");
  write_string(w, token);
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

// RFC 3339 in UTC, e.g. "2026-10-01T22:39:52Z".
std::string rfc3339(int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// GET /user answers the sign-in body without the sign-in-only members.
std::string user_json_from(const std::string &sign_in_json) {
  rapidjson::Document d = parse_or_throw(sign_in_json);
  for (const char *name : {"pastSubscriptions", "trials"}) {
    auto it = d.FindMember(name);
    if (it != d.MemberEnd()) d.EraseMember(it);  // keeps member order
  }
  return serialize(d);
}

std::string transient_json(const std::string &token) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("MediaContainer");
  w.StartObject();
  w.Key("size");
  w.Int(0);
  w.Key("token");
  write_string(w, token);
  w.EndObject();
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

std::string source_json(const Source &s) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("MediaContainer");
  w.StartObject();
  w.Key("size");
  w.Int(1);
  w.Key("Device");
  w.StartObject();
  w.Key("name");
  write_string(w, s.name);
  w.Key("clientIdentifier");
  write_string(w, s.client_identifier);
  w.Key("accessToken");
  write_string(w, s.access_token);
  w.Key("Connection");
  w.StartArray();
  for (const auto &c : s.connections) {
    w.StartObject();
    w.Key("protocol");
    write_string(w, c.protocol);
    w.Key("address");
    write_string(w, c.address);
    w.Key("port");
    w.Int(c.port);
    w.Key("uri");
    write_string(w, c.uri);
    w.Key("local");
    w.Bool(c.local);
    w.Key("relay");
    w.Bool(c.relay);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

std::string requests_json(const std::vector<RecordedRequest> &log) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartArray();
  for (const auto &r : log) {
    w.StartObject();
    w.Key("method");
    write_string(w, r.method);
    w.Key("path");
    write_string(w, r.path);
    w.Key("query");
    write_string(w, r.query);
    w.Key("headers");
    w.StartObject();
    // Repeated names are joined with ", " (RFC 9110 list syntax).
    for (size_t i = 0; i < r.headers.size(); ++i) {
      if (i > 0 && iequals(r.headers[i].first, r.headers[i - 1].first)) continue;
      std::string value = r.headers[i].second;
      for (size_t j = i + 1; j < r.headers.size() && iequals(r.headers[j].first, r.headers[i].first); ++j) {
        value += ", " + r.headers[j].second;
      }
      write_string(w, r.headers[i].first);
      write_string(w, value);
    }
    w.EndObject();
    w.Key("body");
    write_string(w, r.body);
    w.Key("remote_port");
    w.Int(r.remote_port);
    w.Key("port");
    w.Int(r.port);
    w.Key("connection_id");
    w.Uint64(r.connection_id);
    w.EndObject();
  }
  w.EndArray();
  return {sb.GetString(), sb.GetSize()};
}

// Reads one fault from the control API's JSON. Returns an error message, or
// an empty string on success. Unknown members are errors (they are typos).
std::string fault_from_json(const rapidjson::Value &v, Fault &f) {
  if (!v.IsObject()) return "each fault must be an object";
  for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
    const std::string key(m->name.GetString(), m->name.GetStringLength());
    const rapidjson::Value &x = m->value;
    auto need = [&](bool ok, const char *type) { return ok ? std::string() : key + " must be " + type; };
    std::string error;
    if (key == "status") {
      if ((error = need(x.IsInt() && x.GetInt() >= 100 && x.GetInt() <= 999, "an HTTP status")).empty())
        f.status = x.GetInt();
    } else if (key == "errors") {
      if ((error = need(x.IsArray(), "an array")).empty()) {
        for (const auto &e : x.GetArray()) {
          if (!e.IsObject()) return "errors[] items must be objects";
          PlexError pe;
          auto code = e.FindMember("code");
          auto message = e.FindMember("message");
          auto status = e.FindMember("status");
          if (code != e.MemberEnd() && code->value.IsInt64()) pe.code = code->value.GetInt64();
          if (message != e.MemberEnd() && message->value.IsString()) pe.message = message->value.GetString();
          if (status != e.MemberEnd() && status->value.IsInt()) pe.status = status->value.GetInt();
          f.errors.push_back(std::move(pe));
        }
      }
    } else if (key == "body") {
      if ((error = need(x.IsString(), "a string")).empty()) f.body = std::string(x.GetString(), x.GetStringLength());
    } else if (key == "content_type") {
      if ((error = need(x.IsString(), "a string")).empty()) f.content_type = x.GetString();
    } else if (key == "retry_after") {
      if (x.IsString()) {
        f.retry_after = x.GetString();
      } else if (x.IsUint64()) {
        f.retry_after = std::to_string(x.GetUint64());
      } else {
        error = "retry_after must be a string or a non-negative integer";
      }
    } else if (key == "delay_ms" || key == "drip_ms" || key == "nested_depth") {
      if ((error = need(x.IsInt() && x.GetInt() >= 0, "a non-negative integer")).empty()) {
        (key == "delay_ms" ? f.delay_ms : key == "drip_ms" ? f.drip_ms : f.nested_depth) = x.GetInt();
      }
    } else if (key == "oversized_bytes") {
      if ((error = need(x.IsUint64(), "a non-negative integer")).empty()) f.oversized_bytes = x.GetUint64();
    } else if (key == "drop" || key == "gzip" || key == "truncated_json" || key == "invalid_utf8" ||
               key == "reset") {
      if ((error = need(x.IsBool(), "a boolean")).empty()) {
        (key == "drop"             ? f.drop
         : key == "gzip"           ? f.gzip
         : key == "truncated_json" ? f.truncated_json
         : key == "reset"          ? f.reset
                                   : f.invalid_utf8) = x.GetBool();
      }
    } else if (key == "patch" || key == "duplicate") {
      if ((error = need(x.IsObject(), "an object")).empty()) (key == "patch" ? f.patch : f.duplicate) = serialize(x);
    } else if (key == "content_length") {
      if ((error = need(x.IsUint64() && x.GetUint64() >= 1, "a positive integer")).empty())
        f.content_length = x.GetUint64();
    } else if (key == "location") {
      if ((error = need(x.IsString(), "a string")).empty()) f.location = x.GetString();
    } else if (key == "raw") {
      if ((error = need(x.IsString(), "a string")).empty()) f.raw = std::string(x.GetString(), x.GetStringLength());
    } else if (key == "flood") {
      if ((error = need(x.IsString(), "a string")).empty()) f.flood = std::string(x.GetString(), x.GetStringLength());
    } else if (key == "flood_bytes") {
      if ((error = need(x.IsUint64(), "a non-negative integer")).empty()) f.flood_bytes = x.GetUint64();
    } else {
      error = "unknown fault member: " + key;
    }
    if (!error.empty()) return error;
  }
  return {};
}

// ------------------------------------------------------------------ bodies

// Byte `i` of {"pad":"xxxx...x"} that is exactly `total` bytes long.
std::string padded_json(uint64_t total, uint64_t offset, size_t length) {
  static constexpr char kHead[] = "{\"pad\":\"";
  static constexpr char kTail[] = "\"}";
  constexpr uint64_t head = sizeof kHead - 1;
  constexpr uint64_t tail = sizeof kTail - 1;
  std::string out(length, 'x');
  if (total < head + tail) return out;
  for (size_t k = 0; k < length; ++k) {
    const uint64_t i = offset + k;
    if (i < head) {
      out[k] = kHead[i];
    } else if (i >= total - tail) {
      out[k] = kTail[i - (total - tail)];
    }
  }
  return out;
}

std::string nested_json(int depth) {
  const auto n = static_cast<size_t>(std::min(depth, kMaxNestedDepth));
  return "{\"nested\":" + std::string(n, '[') + std::string(n, ']') + "}";
}

void inject_invalid_utf8(std::string &body) {
  const auto pos = body.find("\":\"");
  if (pos == std::string::npos) {
    body += "\xff";
  } else {
    body.insert(pos + 3, "\xff");
  }
}

// `members` (a JSON object) merged into `body` (a JSON object): replacing
// same-named members in place, or appended (always, with `duplicate`).
// A body that is not a JSON object is left as it is.
std::string merge_members(const std::string &body, const std::string &members, bool duplicate) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) return body;
  rapidjson::Document m = parse_or_throw(members, "a fault's patch/duplicate");
  auto &a = d.GetAllocator();
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    auto same = duplicate ? d.MemberEnd() : d.FindMember(it->name);
    if (same != d.MemberEnd()) {
      same->value.CopyFrom(it->value, a);
    } else {
      d.AddMember(rapidjson::Value(it->name, a), rapidjson::Value(it->value, a), a);  // RapidJSON allows repeats
    }
  }
  return serialize(d);
}

int port_of(const sockaddr_storage &a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in &>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6 &>(a).sin6_port);
  return -1;
}

// Calls fn with the descriptor of the server side of the connection
// local_port <- remote_port, found among this process's descriptors (httplib
// does not hand it to handlers). fn must leave it open: its owner closes it.
template <class Fn>
void with_connection(int local_port, int remote_port, Fn &&fn) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  while (const dirent *e = readdir(dir)) {
    const int fd = std::atoi(e->d_name);
    if (fd <= 2 || fd == dirfd(dir)) continue;
    sockaddr_storage local{};
    sockaddr_storage peer{};
    socklen_t n = sizeof local;
    socklen_t m = sizeof peer;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &n) != 0 || port_of(local) != local_port) continue;
    if (getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &m) != 0 || port_of(peer) != remote_port) continue;
    fn(fd);
  }
  closedir(dir);
}

// Resets (TCP RST) a connection: connect() with AF_UNSPEC aborts an
// established TCP connection, and the descriptor stays open.
void reset_connection(int local_port, int remote_port) {
  with_connection(local_port, remote_port, [](int fd) {
    sockaddr unspec{};
    unspec.sa_family = AF_UNSPEC;
    (void)connect(fd, &unspec, sizeof unspec);
  });
}

// Writes `bytes` on a connection and ends the server's side of it; httplib's
// own response then fails to go out.
// Then writes `flood` repeatedly, flood_bytes in all (bounded by
// kMaxFloodBytes and kMaxFloodMs), stopping early when the client closes.
bool send_all(int fd, const char *p, size_t n, std::chrono::steady_clock::time_point deadline) {
  while (n > 0) {
    const ssize_t w = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      p += w;
      n -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    pollfd pfd{fd, POLLOUT, 0};
    (void)poll(&pfd, 1, 100);
  }
  return true;
}

void write_raw(int local_port, int remote_port, const std::string &bytes, const std::string &flood = {},
               uint64_t flood_bytes = 0) {
  with_connection(local_port, remote_port, [&](int fd) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kMaxFloodMs);
    bool ok = send_all(fd, bytes.data(), bytes.size(), deadline);
    if (!flood.empty()) {
      // Batched, so that small lines do not cost one system call each.
      std::string batch;
      while (batch.size() < 64 * 1024) batch += flood;
      uint64_t left = std::min(flood_bytes, kMaxFloodBytes);
      while (ok && left > 0) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(left, batch.size()));
        ok = send_all(fd, batch.data(), n, deadline);
        left -= n;
      }
    }
    (void)shutdown(fd, SHUT_WR);
  });
}

// A throwaway self-signed certificate (EC P-256, valid for a day) for
// 127.0.0.1, ::1 and localhost, usable as its own CA.
struct TlsIdentity {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{nullptr, EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> cert{nullptr, X509_free};
  std::string pem;
};

TlsIdentity make_tls_identity() {
  auto check = [](bool ok, const char *what) {
    if (!ok) throw std::runtime_error(std::string("the fake Plex server cannot make its certificate: ") + what);
  };
  TlsIdentity id;
  id.key.reset(EVP_EC_gen("P-256"));
  check(id.key != nullptr, "EC key");
  id.cert.reset(X509_new());
  X509 *x = id.cert.get();
  check(x != nullptr, "X509_new");
  std::random_device rd;
  check(X509_set_version(x, 2) == 1 && ASN1_INTEGER_set(X509_get_serialNumber(x), static_cast<long>(rd() >> 1)) == 1 &&
            X509_gmtime_adj(X509_getm_notBefore(x), -3600) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(x), 86400) != nullptr && X509_set_pubkey(x, id.key.get()) == 1,
        "fields");
  X509_NAME *name = X509_get_subject_name(x);
  check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char *>("plexauth-fake"), -1, -1, 0) == 1 &&
            X509_set_issuer_name(x, name) == 1,
        "name");
  const std::pair<int, const char *> extensions[] = {
      {NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost,DNS:*." PLEXAUTH_FAKE_PLEX_DIRECT_HASH ".plex.direct"},
      {NID_basic_constraints, "critical,CA:TRUE"},
      {NID_key_usage, "critical,digitalSignature,keyCertSign"},
  };
  for (const auto &[nid, value] : extensions) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "extension");
    const int added = X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    check(added == 1, "extension");
  }
  check(X509_sign(x, id.key.get(), EVP_sha256()) > 0, "signature");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  check(bio && PEM_write_bio_X509(bio.get(), x) == 1, "PEM");
  char *data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  id.pem.assign(data, static_cast<size_t>(len));
  return id;
}

std::string gzip(const std::string &data) {
  httplib::detail::gzip_compressor gz;
  std::string out;
  gz.compress(data.data(), data.size(), true, [&](const char *d, size_t n) {
    out.append(d, n);
    return true;
  });
  return out;
}

// httplib adds these to Request::headers; they were not on the wire.
bool is_pseudo_header(const std::string &name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" || name == "LOCAL_PORT";
}

// ------------------------------------------------------------------ connections

// httplib enqueues one task per accepted connection; the task runs the whole
// keep-alive loop of that connection. Wrapping the queue gives every
// connection an id, visible to the handlers on that thread.
thread_local uint64_t t_connection_id = 0;

class ConnectionPool : public httplib::TaskQueue {
 public:
  ConnectionPool(size_t threads, std::atomic<uint64_t> &next_id) : pool_(threads), next_id_(next_id) {}
  void enqueue(std::function<void()> fn) override {
    const uint64_t id = ++next_id_;
    pool_.enqueue([fn = std::move(fn), id] {
      t_connection_id = id;
      fn();
      t_connection_id = 0;
    });
  }
  void shutdown() override { pool_.shutdown(); }

 private:
  httplib::ThreadPool pool_;
  std::atomic<uint64_t> &next_id_;
};

// ------------------------------------------------------------------ resources (devices)

// One entry of GET /api/v2/resources: a device of the account, with the
// members plex.tv answers (plex-auth-wave2.md 3.2).
struct DeviceConnection {
  std::string protocol;  // "http" or "https"
  std::string address;
  int port = 0;
  std::string uri;
  bool local = false;
  bool relay = false;
  bool ipv6 = false;
};

struct Device {
  std::string name;
  std::string product = "Plex Media Server";
  std::string product_version = seed::kPmsVersion;
  std::string platform = "Linux";
  std::string platform_version = "6.1.0";
  std::string device = "PC";
  std::string client_identifier;
  std::string created_at;
  std::string last_seen_at;
  std::string provides = "server";
  std::optional<int64_t> owner_id;  // null when owned
  std::optional<std::string> source_title;
  std::string public_address = "127.0.0.1";
  std::optional<std::string> access_token;
  bool owned = true;
  bool home = false;
  bool synced = false;
  bool relay = true;
  bool presence = true;
  bool https_required = false;
  bool public_address_matches = true;
  bool dns_rebinding_protection = false;
  bool nat_loopback_supported = false;
  std::vector<DeviceConnection> connections;
};

// Which connections GET /api/v2/resources keeps (its include* query flags;
// plex.tv drops https, relay and IPv6 connections unless asked for them).
struct IncludeFlags {
  bool https = true;
  bool relay = true;
  bool ipv6 = true;
};

void write_optional(Writer &w, const std::optional<std::string> &s) {
  if (s) {
    write_string(w, *s);
  } else {
    w.Null();
  }
}

std::string devices_json(const std::vector<Device> &devices, IncludeFlags include) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartArray();
  for (const Device &d : devices) {
    w.StartObject();
    const std::pair<const char *, const std::string *> strings[] = {
        {"name", &d.name},
        {"product", &d.product},
        {"productVersion", &d.product_version},
        {"platform", &d.platform},
        {"platformVersion", &d.platform_version},
        {"device", &d.device},
        {"clientIdentifier", &d.client_identifier},
        {"createdAt", &d.created_at},
        {"lastSeenAt", &d.last_seen_at},
        {"provides", &d.provides}};
    for (const auto &[key, value] : strings) {
      w.Key(key);
      write_string(w, *value);
    }
    w.Key("ownerId");
    if (d.owner_id) {
      w.Int64(*d.owner_id);
    } else {
      w.Null();
    }
    w.Key("sourceTitle");
    write_optional(w, d.source_title);
    w.Key("publicAddress");
    write_string(w, d.public_address);
    w.Key("accessToken");
    write_optional(w, d.access_token);
    const std::pair<const char *, bool> flags[] = {{"owned", d.owned},
                                                   {"home", d.home},
                                                   {"synced", d.synced},
                                                   {"relay", d.relay},
                                                   {"presence", d.presence},
                                                   {"httpsRequired", d.https_required},
                                                   {"publicAddressMatches", d.public_address_matches},
                                                   {"dnsRebindingProtection", d.dns_rebinding_protection},
                                                   {"natLoopbackSupported", d.nat_loopback_supported}};
    for (const auto &[key, value] : flags) {
      w.Key(key);
      w.Bool(value);
    }
    w.Key("connections");
    w.StartArray();
    for (const DeviceConnection &c : d.connections) {
      if ((c.protocol == "https" && !include.https) || (c.relay && !include.relay) || (c.ipv6 && !include.ipv6))
        continue;
      w.StartObject();
      w.Key("protocol");
      write_string(w, c.protocol);
      w.Key("address");
      write_string(w, c.address);
      w.Key("port");
      w.Int(c.port);
      w.Key("uri");
      write_string(w, c.uri);
      w.Key("local");
      w.Bool(c.local);
      w.Key("relay");
      w.Bool(c.relay);
      w.Key("IPv6");
      w.Bool(c.ipv6);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  return {sb.GetString(), sb.GetSize()};
}

// https://a-b-c-d.<hash>.plex.direct:PORT for an IPv4 address (empty for
// anything else).
std::string plex_direct_uri(const std::string &ipv4, int port) {
  in_addr v4{};
  if (inet_pton(AF_INET, ipv4.c_str(), &v4) != 1) return {};
  std::string dashed = ipv4;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  return "https://" + dashed + "." + seed::kPlexDirectHash + ".plex.direct:" + std::to_string(port);
}

// Account A's seeded devices (README "Resources"): its own server on the
// fake's port, a server shared with it, a player. The shared server and the
// player point at port 1 of loopback, where nothing listens.
std::vector<Device> seeded_devices(const std::string &host, int port, bool tls, const std::string &now) {
  const bool v6 = host.find(':') != std::string::npos;
  const std::string bracketed = v6 ? "[" + host + "]" : host;
  Device own;
  own.name = seed::kSourceName;
  own.client_identifier = seed::kSourceClientId;
  own.access_token = seed::kSourceAccessToken;
  own.created_at = "2024-03-01T12:00:00Z";
  own.last_seen_at = now;
  own.public_address = "127.0.0.1";
  const std::string scheme = tls ? "https" : "http";
  own.connections.push_back({scheme, host, port, scheme + "://" + bracketed + ":" + std::to_string(port), true, false, v6});
  if (!v6) own.connections.push_back({"https", host, port, plex_direct_uri(host, port), false, false, false});

  Device shared;
  shared.name = seed::kSharedServerName;
  shared.client_identifier = seed::kSharedServerClientId;
  shared.created_at = "2023-07-14T08:30:00Z";
  shared.last_seen_at = now;
  shared.owner_id = seed::kSharedOwnerId;
  shared.source_title = seed::kSharedOwnerTitle;
  shared.owned = false;
  shared.public_address_matches = false;
  shared.connections = {{"http", "127.0.0.1", 1, "http://127.0.0.1:1", false, false, false},
                        {"https", "127.0.0.1", 1, plex_direct_uri("127.0.0.1", 1), false, true, false},
                        {"http", "::1", 1, "http://[::1]:1", false, false, true}};

  Device player;
  player.name = seed::kPlayerName;
  player.product = "Plex for Roku";
  player.product_version = "8.4.1.3046";
  player.platform = "Roku";
  player.platform_version = "12.5.0";
  player.device = "Roku Ultra";
  player.client_identifier = seed::kPlayerClientId;
  player.created_at = "2025-01-02T18:00:00Z";
  player.last_seen_at = now;
  player.provides = "client,player";
  player.access_token = "playerAccessTok00000";
  player.relay = false;
  player.connections = {{"http", "127.0.0.1", 1, "http://127.0.0.1:1", true, false, false}};
  return {own, shared, player};
}

// ------------------------------------------------------------------ PMS answers

// An XML attribute value.
std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

bool wants_json(const httplib::Request &req) {
  return req.get_header_value("Accept").find("json") != std::string::npos;
}

// GET /identity as Plex Media Server answers it (no token needed): XML
// unless Accept asks for JSON.
void identity_reply(const httplib::Request &req, httplib::Response &res, const std::string &machine_id) {
  res.status = 200;
  if (wants_json(req)) {
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartObject();
    w.Key("MediaContainer");
    w.StartObject();
    w.Key("size");
    w.Int(0);
    w.Key("claimed");
    w.Bool(true);
    w.Key("machineIdentifier");
    write_string(w, machine_id);
    w.Key("version");
    w.String(seed::kPmsVersion);
    w.EndObject();
    w.EndObject();
    res.set_content(sb.GetString(), "application/json; charset=utf-8");
  } else {
    res.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MediaContainer size=\"0\" claimed=\"1\" "
                    "machineIdentifier=\"" + xml_escape(machine_id) + "\" version=\"" + seed::kPmsVersion + "\"/>\n",
                    "text/xml;charset=utf-8");
  }
}

// GET / (the root MediaContainer python-plexapi probes), trimmed to the
// members clients read.
void root_reply(const httplib::Request &req, httplib::Response &res, const std::string &machine_id,
                const std::string &friendly_name) {
  res.status = 200;
  if (wants_json(req)) {
    rapidjson::StringBuffer sb;
    Writer w(sb);
    w.StartObject();
    w.Key("MediaContainer");
    w.StartObject();
    w.Key("size");
    w.Int(0);
    w.Key("claimed");
    w.Bool(true);
    w.Key("friendlyName");
    write_string(w, friendly_name);
    w.Key("machineIdentifier");
    write_string(w, machine_id);
    w.Key("myPlex");
    w.Bool(true);
    w.Key("myPlexSigninState");
    w.String("ok");
    w.Key("platform");
    w.String("Linux");
    w.Key("platformVersion");
    w.String("6.1.0");
    w.Key("version");
    w.String(seed::kPmsVersion);
    w.EndObject();
    w.EndObject();
    res.set_content(sb.GetString(), "application/json; charset=utf-8");
  } else {
    res.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MediaContainer size=\"0\" claimed=\"1\" "
                    "friendlyName=\"" + xml_escape(friendly_name) + "\" machineIdentifier=\"" + xml_escape(machine_id) +
                    "\" myPlex=\"1\" myPlexSigninState=\"ok\" platform=\"Linux\" platformVersion=\"6.1.0\" "
                    "version=\"" + seed::kPmsVersion + "\">\n</MediaContainer>\n",
                    "text/xml;charset=utf-8");
  }
}

// PMS's 401 (an HTML page).
void pms_unauthorized(httplib::Response &res) {
  res.status = 401;
  res.set_content("<html><head><title>Unauthorized</title></head><body><h1>401 Unauthorized</h1></body></html>",
                  "text/html");
}

// ------------------------------------------------------------------ state

using SysClock = std::chrono::system_clock;

// JWT device authentication (README "JWT device authentication").
constexpr int64_t kNonceLifetimeS = 300;
constexpr int64_t kJwtLifetimeS = 7 * 24 * 3600;
constexpr int64_t kIatLeewayS = 60;

struct DeviceKey {
  std::string public_raw;  // the raw 32-byte Ed25519 public key
  std::string thumbprint;  // its RFC 7638 thumbprint
  size_t account = 0;      // index in State::accounts
  std::string client_id;   // X-Plex-Client-Identifier that registered it
};

struct IssuedJwt {
  size_t account = 0;
  int64_t exp = 0;       // Unix seconds (the fake's clock)
  bool expired = false;  // expire_jwts()
};

struct Nonce {
  int64_t issued_at = 0;
  bool used = false;
};

struct JwtState {
  std::map<std::string, DeviceKey> device_keys;  // key id (kid, else thumbprint) ->
  std::map<std::string, Nonce> nonces;
  std::vector<jwt::SigningKey> signing_keys;  // published in /auth/keys; back() signs
  int64_t lifetime_s = kJwtLifetimeS;
  std::map<std::string, IssuedJwt> issued;  // Plex JWT -> its account
};

enum class TokenState { ok, expired, invalid };

struct Pin {
  int64_t id = 0;
  std::string code;
  std::string client_id;              // X-Plex-Client-Identifier of its creator
  std::optional<std::string> product;  // X-Plex-Product of its creator, if sent
  int64_t created_at = 0;             // Unix seconds (the fake's clock)
  int64_t expires_in = 0;             // seconds
  bool expired = false;               // expire_pin()
  std::optional<std::string> auth_token;  // set once approved
  std::optional<size_t> approved_account;  // index in State::accounts, once approved
  // A PIN created with a JWK (JWT device authentication): polls with a
  // deviceJWT signed by it get a Plex JWT as authToken once approved.
  std::optional<DeviceKey> jwk;
  std::string jwk_id;                    // its kid, else its thumbprint
  std::optional<std::string> plex_jwt;  // issued at the first approved poll
};

// PIN creations of one client identifier.
struct PinQuota {
  size_t created = 0;
  std::optional<SysClock::time_point> reopens;  // the window ends (with a numeric Retry-After)
};

struct HomeUser {
  size_t account = 0;  // index in State::accounts
  std::string uuid;
  int64_t id = 0;
  std::string pin;  // non-empty: protected
};

struct State {
  std::vector<Account> accounts;
  std::vector<std::string> user_bodies;  // parallel to accounts
  std::vector<bool> echo_token;          // parallel: /user answers the token used (Home users)
  std::map<std::string, size_t> tokens;  // token -> account index
  std::set<std::string> revoked;
  std::vector<std::string> transient;  // in issue order
  std::map<std::string, Source> sources;
  std::map<size_t, std::vector<Device>> devices;  // account index -> GET /api/v2/resources

  std::chrono::seconds clock_offset{0};
  std::map<int64_t, Pin> pins;
  int64_t next_pin_id = seed::kPinId + 1;
  std::map<std::string, PinQuota> pin_quotas;  // by client identifier
  std::optional<size_t> pin_limit;             // per client identifier; nullopt: unlimited
  std::string pin_retry_after;
  size_t home_admin = 0;            // account index of the Home's admin
  std::vector<HomeUser> home_users;  // the Home's managed users
  JwtState jwt;

  void add_account(Account a, bool echo = false) {
    user_bodies.push_back(user_json_from(a.json));
    echo_token.push_back(echo);
    if (!a.token.empty()) tokens[a.token] = accounts.size();
    accounts.push_back(std::move(a));
  }
  SysClock::time_point now() const { return SysClock::now() + clock_offset; }
  int64_t now_unix() const {
    return std::chrono::duration_cast<std::chrono::seconds>(now().time_since_epoch()).count();
  }
  bool is_live(const Pin &p) const { return !p.expired && now_unix() < p.created_at + p.expires_in; }
  Pin *find_pin(int64_t id) {
    auto it = pins.find(id);
    return it == pins.end() ? nullptr : &it->second;
  }
  const Pin *find_pin(int64_t id) const {
    auto it = pins.find(id);
    return it == pins.end() ? nullptr : &it->second;
  }
  // Members of the Home whose token this is: the admin and the managed users.
  bool in_home(size_t account) const {
    if (account == home_admin) return true;
    return std::any_of(home_users.begin(), home_users.end(), [&](const HomeUser &u) { return u.account == account; });
  }
  const Account *find(std::string_view login) const {
    for (const auto &a : accounts) {
      if (iequals(a.email, login) || iequals(a.username, login)) return &a;
    }
    return nullptr;
  }
  size_t index_of(std::string_view login) const {
    const Account *a = find(login);
    if (a == nullptr) throw std::invalid_argument("no such account: " + std::string(login));
    return static_cast<size_t>(a - accounts.data());
  }
  bool is_valid_account_token(const std::string &token) const {
    return !token.empty() && tokens.count(token) != 0 && revoked.count(token) == 0;
  }
  // A token plex.tv accepts: an account's, or an unexpired Plex JWT the fake
  // issued (PMS does not accept those, as field reports say of real PMS).
  TokenState plex_tv_token(const std::string &token, size_t &account) const {
    if (is_valid_account_token(token)) {
      account = tokens.at(token);
      return TokenState::ok;
    }
    auto it = jwt.issued.find(token);
    if (token.empty() || it == jwt.issued.end()) return TokenState::invalid;
    if (it->second.expired || now_unix() >= it->second.exp) return TokenState::expired;
    account = it->second.account;
    return TokenState::ok;
  }
  bool is_valid_pms_token(const std::string &token) const {
    return is_valid_account_token(token) ||
           (!token.empty() && std::find(transient.begin(), transient.end(), token) != transient.end());
  }
};

// A managed Home user's account body: account_json() with the Home members.
std::string home_user_json(int64_t id, std::string_view uuid, std::string_view username, bool is_protected) {
  const std::string email = std::string(uuid) + "@home.invalid";
  rapidjson::Document d = parse_or_throw(account_json(id, uuid, username, email, "US", "", false));
  d["hasPassword"].SetBool(false);
  d["protected"].SetBool(is_protected);
  d["home"].SetBool(true);
  d["homeAdmin"].SetBool(false);
  d["homeSize"].SetInt(3);
  return serialize(d);
}

State seeded_state() {
  State s;
  s.add_account({seed::kEmailA, seed::kUsernameA, seed::kPasswordA, "", seed::kTokenA,
                 serialize(parse_or_throw(kAccountA))});
  s.add_account({seed::kEmailB, seed::kUsernameB, seed::kPasswordB, seed::kCodeB, seed::kTokenB,
                 account_json(seed::kIdB, seed::kUuidB, seed::kUsernameB, seed::kEmailB, "IT", seed::kTokenB,
                              true)});
  // Account A's Home. The managed users have no password (no sign-in) and no
  // token of their own: each switch issues one.
  s.home_admin = 0;
  const std::tuple<const char *, int64_t, const char *, const char *> home[] = {
      {seed::kHomeProtectedUuid, seed::kHomeProtectedId, seed::kHomeProtectedUsername, seed::kHomeProtectedPin},
      {seed::kHomeOpenUuid, seed::kHomeOpenId, seed::kHomeOpenUsername, ""}};
  for (const auto &[uuid, id, username, pin] : home) {
    s.home_users.push_back(HomeUser{s.accounts.size(), uuid, id, pin});
    s.add_account({std::string(uuid) + "@home.invalid", username, "", "", "",
                   home_user_json(id, uuid, username, pin[0] != '\0')},
                  true);
  }
  s.pins[seed::kPinId] = Pin{seed::kPinId, seed::kPinCode, seed::kPinClientId, std::string("plexauth tests"),
                             s.now_unix(), int64_t{10} * 365 * 24 * 3600, false, std::nullopt, std::nullopt,
                             std::nullopt, "", std::nullopt};
  s.revoked.insert(seed::kRevokedToken);
  s.sources[seed::kSource] = Source{
      seed::kSource,
      seed::kSourceName,
      seed::kSourceClientId,
      seed::kSourceAccessToken,
      {Connection{"https", "10.0.0.5", 32400, "https://10.0.0.5:32400", true, false},
       Connection{"https", "203.0.113.7", 8443, "https://203-0-113-7.3381b62b9ab74e37.plex.direct:8443", false,
                  true}}};
  return s;
}

// ------------------------------------------------------------------ topology

constexpr size_t kMaxTopologyConnections = 64;
constexpr size_t kTopologyThreads = 4;  // per listener: one per open client connection

enum class Behaviour { ok, wrong_id, unauthorized, blackhole, refuse };

struct TopologyConnection {
  Behaviour behaviour = Behaviour::ok;
  std::string protocol = "http";
  bool local = false;
  bool relay = false;
  bool ipv6 = false;
  bool plex_direct = false;
  int delay_ms = 0;
};

struct TopologyServer {
  Device device;  // without connections
  std::vector<TopologyConnection> connections;
};

// Reads POST /_fake/topology's body. Returns an error message, or an empty
// string on success. Unknown members are errors (they are typos).
std::string topology_from_json(const std::string &json, std::vector<TopologyServer> &out) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return "the topology must be a JSON object";
  for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
    if (std::string(m->name.GetString()) != "servers") return "unknown topology member: " + std::string(m->name.GetString());
  }
  auto servers = d.FindMember("servers");
  if (servers == d.MemberEnd() || !servers->value.IsArray()) return "servers must be an array";
  size_t total = 0;
  for (const auto &sv : servers->value.GetArray()) {
    if (!sv.IsObject()) return "each server must be an object";
    TopologyServer ts;
    Device &dev = ts.device;
    bool owner_id_set = false;
    bool source_title_set = false;
    for (auto m = sv.MemberBegin(); m != sv.MemberEnd(); ++m) {
      const std::string key(m->name.GetString(), m->name.GetStringLength());
      const rapidjson::Value &x = m->value;
      std::string *string_field = key == "name"               ? &dev.name
                                  : key == "clientIdentifier" ? &dev.client_identifier
                                  : key == "product"          ? &dev.product
                                  : key == "productVersion"   ? &dev.product_version
                                  : key == "platform"         ? &dev.platform
                                  : key == "platformVersion"  ? &dev.platform_version
                                  : key == "device"           ? &dev.device
                                  : key == "provides"         ? &dev.provides
                                  : key == "publicAddress"    ? &dev.public_address
                                                              : nullptr;
      bool *bool_field = key == "owned"                    ? &dev.owned
                         : key == "home"                   ? &dev.home
                         : key == "synced"                 ? &dev.synced
                         : key == "relay"                  ? &dev.relay
                         : key == "presence"               ? &dev.presence
                         : key == "httpsRequired"          ? &dev.https_required
                         : key == "publicAddressMatches"   ? &dev.public_address_matches
                         : key == "dnsRebindingProtection" ? &dev.dns_rebinding_protection
                         : key == "natLoopbackSupported"   ? &dev.nat_loopback_supported
                                                           : nullptr;
      if (string_field != nullptr) {
        if (!x.IsString()) return "server " + key + " must be a string";
        string_field->assign(x.GetString(), x.GetStringLength());
      } else if (bool_field != nullptr) {
        if (!x.IsBool()) return "server " + key + " must be a boolean";
        *bool_field = x.GetBool();
      } else if (key == "accessToken" || key == "sourceTitle") {
        auto &field = key == "accessToken" ? dev.access_token : dev.source_title;
        if (x.IsString()) {
          field = std::string(x.GetString(), x.GetStringLength());
        } else if (!x.IsNull()) {
          return "server " + key + " must be a string or null";
        }
        if (key == "sourceTitle") source_title_set = true;
      } else if (key == "ownerId") {
        if (x.IsInt64()) {
          dev.owner_id = x.GetInt64();
        } else if (!x.IsNull()) {
          return "server ownerId must be an integer or null";
        }
        owner_id_set = true;
      } else if (key == "connections") {
        if (!x.IsArray()) return "server connections must be an array";
        for (const auto &cv : x.GetArray()) {
          if (!cv.IsObject()) return "each connection must be an object";
          if (++total > kMaxTopologyConnections)
            return "at most " + std::to_string(kMaxTopologyConnections) + " connections in all";
          TopologyConnection c;
          bool protocol_set = false;
          for (auto cm = cv.MemberBegin(); cm != cv.MemberEnd(); ++cm) {
            const std::string ck(cm->name.GetString(), cm->name.GetStringLength());
            const rapidjson::Value &y = cm->value;
            bool *flag = ck == "local" ? &c.local : ck == "relay" ? &c.relay : ck == "IPv6" ? &c.ipv6
                       : ck == "plex_direct" ? &c.plex_direct : nullptr;
            if (flag != nullptr) {
              if (!y.IsBool()) return "connection " + ck + " must be a boolean";
              *flag = y.GetBool();
            } else if (ck == "behaviour") {
              const std::string b = y.IsString() ? y.GetString() : "";
              if (b == "ok") {
                c.behaviour = Behaviour::ok;
              } else if (b == "wrong_id") {
                c.behaviour = Behaviour::wrong_id;
              } else if (b == "unauthorized") {
                c.behaviour = Behaviour::unauthorized;
              } else if (b == "blackhole") {
                c.behaviour = Behaviour::blackhole;
              } else if (b == "refuse") {
                c.behaviour = Behaviour::refuse;
              } else {
                return "connection behaviour must be ok, wrong_id, unauthorized, blackhole or refuse";
              }
            } else if (ck == "protocol") {
              const std::string pr = y.IsString() ? y.GetString() : "";
              if (pr != "http" && pr != "https") return "connection protocol must be http or https";
              c.protocol = pr;
              protocol_set = true;
            } else if (ck == "delay_ms") {
              if (!y.IsInt() || y.GetInt() < 0 || y.GetInt() > kMaxDelayMs)
                return "connection delay_ms must be an integer from 0 to " + std::to_string(kMaxDelayMs);
              c.delay_ms = y.GetInt();
            } else {
              return "unknown connection member: " + ck;
            }
          }
          if (c.plex_direct) {
            if (protocol_set && c.protocol != "https") return "a plex_direct connection is https";
            c.protocol = "https";
          }
          if (c.delay_ms > 0 && (c.behaviour == Behaviour::blackhole || c.behaviour == Behaviour::refuse))
            return "delay_ms applies to ok, wrong_id and unauthorized connections";
          ts.connections.push_back(c);
        }
      } else {
        return "unknown server member: " + key;
      }
    }
    if (dev.client_identifier.empty()) return "each server needs a clientIdentifier";
    if (!dev.owned) {
      if (!owner_id_set) dev.owner_id = seed::kSharedOwnerId;
      if (!source_title_set) dev.source_title = std::string(seed::kSharedOwnerTitle);
    }
    dev.created_at = "2024-03-01T12:00:00Z";
    out.push_back(std::move(ts));
  }
  return {};
}

// Interrupts a topology's delays when it is torn down.
struct Gate {
  std::mutex m;
  std::condition_variable cv;
  bool closed = false;
  // Sleeps up to ms; false when the gate closed.
  bool wait_ms(int ms) {
    std::unique_lock<std::mutex> lock(m);
    return !cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return closed; });
  }
  void close() {
    {
      std::lock_guard<std::mutex> lock(m);
      closed = true;
    }
    cv.notify_all();
  }
};

// One topology connection's port: an HTTP(S) server, or a bare socket
// (blackhole: listening, never accepting; refuse: bound, not listening).
struct Listener {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int fd = -1;
  int port = 0;

  Listener() = default;
  Listener(const Listener &) = delete;
  Listener &operator=(const Listener &) = delete;
  ~Listener() {
    if (server) server->stop();
    if (thread.joinable()) thread.join();
    if (fd >= 0) ::close(fd);  // a blackhole's queued connections are reset
  }
};

struct Topology {
  std::shared_ptr<Gate> gate = std::make_shared<Gate>();
  std::vector<std::unique_ptr<Listener>> listeners;

  Topology() = default;
  Topology(Topology &&) = default;
  Topology &operator=(Topology &&) = default;
  ~Topology() { tear_down(); }

  // Stops and closes every listener (joining their threads): call without
  // the fake's mutex held, as their handlers take it.
  void tear_down() {
    if (gate) gate->close();
    listeners.clear();
  }
};

// A TCP socket on 127.0.0.1, ephemeral port: listening (backlog 128) or only
// bound. Throws std::runtime_error.
std::unique_ptr<Listener> bare_socket(bool listening) {
  auto l = std::make_unique<Listener>();
  l->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (l->fd < 0) throw std::runtime_error("the fake Plex server cannot open a socket");
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t n = sizeof a;
  if (::bind(l->fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || (listening && ::listen(l->fd, 128) != 0) ||
      ::getsockname(l->fd, reinterpret_cast<sockaddr *>(&a), &n) != 0) {
    ::close(l->fd);
    throw std::runtime_error("the fake Plex server cannot bind a topology port");
  }
  l->port = ntohs(a.sin_port);
  return l;
}

// A PIN as plex.tv answers it (the 2026 capture's members and order).
std::string pin_json(const Pin &p) {
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("id");
  w.Int64(p.id);
  w.Key("code");
  write_string(w, p.code);
  w.Key("product");
  if (p.product) {
    write_string(w, *p.product);
  } else {
    w.Null();
  }
  w.Key("trusted");
  w.Bool(false);
  w.Key("qr");
  write_string(w, "https://plex.tv/api/v2/pins/qr/" + p.code);
  w.Key("clientIdentifier");
  write_string(w, p.client_id);
  w.Key("location");
  w.StartObject();
  for (const auto &[k, v] : {std::pair<const char *, const char *>{"code", "XX"}, {"continent_code", "XX"},
                             {"country", "Nowhere"}, {"city", "Nowhere"}, {"time_zone", "Etc/UTC"},
                             {"postal_code", "00000"}, {"subdivisions", "Nowhere"}, {"coordinates", "0, 0"}}) {
    w.Key(k);
    w.String(v);
  }
  for (const char *k : {"european_union_member", "in_privacy_restricted_country", "in_privacy_restricted_region"}) {
    w.Key(k);
    w.Bool(false);
  }
  w.EndObject();
  w.Key("expiresIn");
  w.Int64(p.expires_in);
  w.Key("createdAt");
  write_string(w, rfc3339(p.created_at));
  w.Key("expiresAt");
  write_string(w, rfc3339(p.created_at + p.expires_in));
  w.Key("authToken");
  if (p.auth_token) {
    write_string(w, *p.auth_token);
  } else {
    w.Null();
  }
  w.Key("newRegistration");
  if (p.auth_token) {
    w.Bool(false);
  } else {
    w.Null();
  }
  w.EndObject();
  return {sb.GetString(), sb.GetSize()};
}

void json_reply(httplib::Response &res, int status, const std::string &body) {
  res.status = status;
  res.set_content(body, kJson);
}

void error_reply(httplib::Response &res, int status, int64_t code, const std::string &message) {
  json_reply(res, status, errors_json({PlexError{code, message, status}}));
}

void unauthorized(httplib::Response &res) { error_reply(res, 401, 1001, "User could not be authenticated"); }

// HTTP 498, as plex.tv answers an expired Plex JWT.
void token_expired(httplib::Response &res) { error_reply(res, 498, 1096, "Token Expired"); }

// Untrusted JSON: iterative parsing, so deep nesting cannot exhaust the stack.
bool parse_untrusted(const std::string &text, rapidjson::Document &d) {
  d.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  return !d.HasParseError() && d.IsObject();
}

std::optional<std::string> string_member(const rapidjson::Value &o, const char *name) {
  if (!o.IsObject()) return std::nullopt;
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// A device's public JWK ({"kty":"OKP","crv":"Ed25519","x":...,"use":"sig",
// "alg":"EdDSA","kid":...}; use, alg and kid optional, but right when given):
// fills the key and its id (kid when given, else the thumbprint). Returns
// false when it is malformed.
bool parse_device_jwk(const rapidjson::Value &jwk, DeviceKey &key, std::string &key_id) {
  if (!jwk.IsObject()) return false;
  const auto kty = string_member(jwk, "kty"), crv = string_member(jwk, "crv"), x = string_member(jwk, "x");
  if (kty != "OKP" || crv != "Ed25519" || !x) return false;
  const auto raw = jwt::b64url_decode(*x);
  if (!raw || raw->size() != 32) return false;
  auto present = [&](const char *name) { return jwk.FindMember(name) != jwk.MemberEnd(); };
  if (present("use") && string_member(jwk, "use") != "sig") return false;
  if (present("alg") && string_member(jwk, "alg") != "EdDSA") return false;
  std::optional<std::string> kid;
  if (present("kid")) {
    kid = string_member(jwk, "kid");
    if (!kid || kid->empty() || kid->size() > 256) return false;
  }
  key.public_raw = *raw;
  key.thumbprint = jwt::thumbprint(*x);
  key_id = kid ? *kid : key.thumbprint;
  return true;
}

// A compact JWS split and decoded; false unless it has three base64url parts
// whose first two are JSON objects.
struct Jws {
  std::string signing_input;  // header.payload, as sent
  std::string signature;
  rapidjson::Document header, payload;
};
bool parse_jws(const std::string &text, Jws &out) {
  const size_t a = text.find('.');
  if (a == std::string::npos) return false;
  const size_t b = text.find('.', a + 1);
  if (b == std::string::npos || text.find('.', b + 1) != std::string::npos) return false;
  const auto h = jwt::b64url_decode(std::string_view(text).substr(0, a));
  const auto p = jwt::b64url_decode(std::string_view(text).substr(a + 1, b - a - 1));
  const auto sig = jwt::b64url_decode(std::string_view(text).substr(b + 1));
  if (!h || !p || !sig || !parse_untrusted(*h, out.header) || !parse_untrusted(*p, out.payload)) return false;
  out.signing_input = text.substr(0, b);
  out.signature = *sig;
  return true;
}

bool aud_has_plex_tv(const rapidjson::Value &claims) {
  auto it = claims.FindMember("aud");
  if (it == claims.MemberEnd()) return false;
  if (it->value.IsString()) return std::string_view(it->value.GetString(), it->value.GetStringLength()) == "plex.tv";
  if (!it->value.IsArray()) return false;
  for (const auto &v : it->value.GetArray()) {
    if (v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == "plex.tv") return true;
  }
  return false;
}

std::optional<double> number_member(const rapidjson::Value &o, const char *name) {
  auto it = o.FindMember(name);
  if (it == o.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  return it->value.GetDouble();
}

// The checks of a device JWT after its key was found: the Ed25519 signature,
// iss == the request's client identifier == the key's, aud has plex.tv,
// exp > now, iat <= now + leeway. The error to answer, if any.
std::optional<PlexError> check_device_jwt(const Jws &jws, const DeviceKey &key, const std::string &client_id,
                                          int64_t now) {
  const PlexError sig_failed{1099, "Signature Verification Failed", 422};
  if (!jwt::verify(key.public_raw, jws.signing_input, jws.signature)) return sig_failed;
  const rapidjson::Value &claims = jws.payload;
  const auto iss = string_member(claims, "iss");
  if (!iss || client_id.empty() || *iss != client_id || *iss != key.client_id)
    return PlexError{1097, "Issuer does not match the client identifier", 422};
  if (!aud_has_plex_tv(claims)) return sig_failed;
  const auto exp = number_member(claims, "exp"), iat = number_member(claims, "iat");
  if (!exp || !iat) return sig_failed;
  if (!(*exp > static_cast<double>(now)) || !(*iat <= static_cast<double>(now + kIatLeewayS)))
    return PlexError{1096, "Token Expired", 498};
  return std::nullopt;
}

}  // namespace

// ------------------------------------------------------------------ public helpers

std::string account_json(int64_t id, std::string_view uuid, std::string_view username, std::string_view email,
                         std::string_view country, std::string_view token, bool two_factor_enabled) {
  rapidjson::Document d = parse_or_throw(kAccountA);
  auto &a = d.GetAllocator();
  auto set_string = [&](const char *name, std::string_view value) {
    d[name].SetString(value.data(), static_cast<rapidjson::SizeType>(value.size()), a);
  };
  d["id"].SetInt64(id);
  set_string("uuid", uuid);
  set_string("username", username);
  set_string("title", username);
  set_string("friendlyName", username);
  set_string("email", email);
  set_string("country", country);
  set_string("authToken", token);
  set_string("thumb", "https://plex.tv/users/" + std::string(uuid) + "/avatar?c=8372075101");
  d["twoFactorEnabled"].SetBool(two_factor_enabled);
  return serialize(d);
}

bool is_loopback_host(std::string_view host) {
  const std::string h(host);
  if (h == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  return false;
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
  for (const auto &[k, v] : headers) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

std::optional<std::string> RecordedRequest::query_param(std::string_view name) const {
  httplib::Params params;
  httplib::detail::parse_query_text(query, params);
  auto it = params.find(std::string(name));
  if (it == params.end()) return std::nullopt;
  return it->second;
}

// ------------------------------------------------------------------ the server

struct FakePlex::Impl {
  explicit Impl(Options o);
  void stop();

  // Sleeps up to ms; false when the server is stopping.
  bool sleep_ms(int ms);
  void install_routes();
  void handle(const httplib::Request &req, httplib::Response &res);
  void record(const httplib::Request &req);
  std::optional<Fault> take_fault(const std::string &path);
  size_t connection_count() const;
  void reset();
  void approve_pin(int64_t id, const std::string &login);
  void expire_pin(int64_t id);
  State seeded() const;  // seeded_state() with the devices that name this server's port

  // Topology.
  std::string set_topology(const std::string &json);
  void clear_topology();
  std::unique_ptr<Listener> http_listener(const TopologyConnection &c, const std::string &machine_id,
                                          const std::string &name, const std::shared_ptr<Gate> &gate);

  // Normal behaviour.
  void route(const httplib::Request &req, httplib::Response &res);
  void sign_in(const httplib::Request &req, httplib::Response &res);
  void user(const httplib::Request &req, httplib::Response &res);
  void ping(const httplib::Request &req, httplib::Response &res);
  void transient_token(const httplib::Request &req, httplib::Response &res);
  void resources(const httplib::Request &req, httplib::Response &res);
  void create_pin(const httplib::Request &req, httplib::Response &res);
  void get_pin(const httplib::Request &req, httplib::Response &res, const std::string &id);
  void link_pin(const httplib::Request &req, httplib::Response &res);
  void sign_out(const httplib::Request &req, httplib::Response &res);
  void switch_home_user(const httplib::Request &req, httplib::Response &res, const std::string &user);
  void home_users(const httplib::Request &req, httplib::Response &res);
  void account_resources(const httplib::Request &req, httplib::Response &res);
  void pms_root(const httplib::Request &req, httplib::Response &res);
  std::string random_string(const char *alphabet, size_t n);  // call with mu held

  // JWT device authentication.
  void auth_nonce(const httplib::Request &req, httplib::Response &res);
  void auth_jwk(const httplib::Request &req, httplib::Response &res);
  void auth_token(const httplib::Request &req, httplib::Response &res);
  void auth_keys(const httplib::Request &req, httplib::Response &res);
  // Signs a Plex JWT for the device key's account and remembers it; call with mu held.
  std::string issue_plex_jwt(const DeviceKey &device, const std::string &key_id, const std::string &scope);
  void rotate_signing_key(bool drop_old);
  std::string uuid4();  // call with mu held

  // Faults.
  using ByteSource = std::function<std::string(uint64_t offset, size_t length)>;
  void apply(const Fault &f, const httplib::Request &req, httplib::Response &res);
  void serve(httplib::Response &res, uint64_t total, ByteSource source, const std::string &type, const Fault &f,
             const httplib::Request &req);
  void serve_gzip_stream(httplib::Response &res, uint64_t total, ByteSource source, const std::string &type);

  Options opts;
  std::string host;
  jwt::SigningKey startup_key;  // the signing key made at start; reset() restores it
  TlsIdentity tls;  // empty without Options::tls
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int port = 0;
  std::atomic<uint64_t> next_connection_id{0};

  mutable std::mutex mu;
  std::condition_variable stop_cv;
  bool stopping = false;
  State state;
  std::map<std::string, std::deque<Fault>> faults;
  std::vector<RecordedRequest> log;
  std::mt19937_64 rng{std::random_device{}()};
  Topology topology;  // guarded by mu; torn down outside it
};

FakePlex::Impl::Impl(Options o)
    : opts(std::move(o)), host(opts.host), startup_key(jwt::generate_signing_key()), state(seeded_state()) {
  state.jwt.signing_keys = {startup_key};
  if (!is_loopback_host(host)) throw std::invalid_argument("the fake Plex server serves loopback only: " + host);
  if (host == "localhost") host = "127.0.0.1";
  if (opts.tls) {
    tls = make_tls_identity();
    server = std::make_unique<httplib::SSLServer>(tls.cert.get(), tls.key.get());
    if (!server->is_valid()) throw std::runtime_error("the fake Plex server cannot set up TLS");
  } else {
    server = std::make_unique<httplib::Server>();
  }
  server->set_tcp_nodelay(true);  // no Nagle delay between the header and body writes
  server->set_keep_alive_max_count(100000);
  server->set_keep_alive_timeout(opts.keep_alive_timeout_s);
  server->new_task_queue = [this] { return new ConnectionPool(opts.threads, next_connection_id); };
  install_routes();
  // httplib listens with a backlog of 5: a client opening more connections
  // at once (the non-blocking engine opens up to 16) would see SYNs dropped
  // and retried a second later. The listening socket is remembered here and
  // its backlog raised after the bind (listen() again does that on Linux).
  int listen_fd = -1;
  server->set_socket_options([&listen_fd](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;
  });

  port = opts.port == 0 ? server->bind_to_any_port(host) : (server->bind_to_port(host, opts.port) ? opts.port : -1);
  if (port <= 0) throw std::runtime_error("the fake Plex server cannot listen on " + host);
  state.devices[0] = seeded().devices[0];  // they name the port
  if (listen_fd >= 0) ::listen(listen_fd, 1024);
  thread = std::thread([this] { server->listen_after_bind(); });
  for (int i = 0; i < 500 && !server->is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (!server->is_running()) {
    stop();
    throw std::runtime_error("the fake Plex server did not start");
  }
}

void FakePlex::Impl::stop() {
  Topology old;
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
    std::swap(old, topology);
  }
  old.tear_down();
  stop_cv.notify_all();
  server->stop();
  if (thread.joinable()) thread.join();
}

bool FakePlex::Impl::sleep_ms(int ms) {
  std::unique_lock<std::mutex> lock(mu);
  return !stop_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
}

void FakePlex::Impl::install_routes() {
  server->Post("/_fake/faults", [this](const httplib::Request &req, httplib::Response &res) {
    rapidjson::Document d;
    d.Parse(req.body.data(), req.body.size());
    auto bad = [&](const std::string &why) {
      rapidjson::StringBuffer sb;
      Writer w(sb);
      w.StartObject();
      w.Key("error");
      write_string(w, why);
      w.EndObject();
      json_reply(res, 400, sb.GetString());
    };
    if (d.HasParseError() || !d.IsObject()) return bad("the body must be a JSON object");
    auto path = d.FindMember("path");
    auto list = d.FindMember("faults");
    if (path == d.MemberEnd() || !path->value.IsString() || path->value.GetStringLength() == 0)
      return bad("path must be a non-empty string");
    if (list == d.MemberEnd() || !list->value.IsArray()) return bad("faults must be an array");
    std::vector<Fault> parsed;
    for (const auto &v : list->value.GetArray()) {
      Fault f;
      const std::string error = fault_from_json(v, f);
      if (!error.empty()) return bad(error);
      parsed.push_back(std::move(f));
    }
    size_t queued = 0;
    {
      std::lock_guard<std::mutex> lock(mu);
      auto &q = faults[path->value.GetString()];
      for (auto &f : parsed) q.push_back(std::move(f));
      queued = q.size();
    }
    json_reply(res, 200, "{\"queued\":" + std::to_string(queued) + "}");
  });
  server->Get("/_fake/requests", [this](const httplib::Request &, httplib::Response &res) {
    std::vector<RecordedRequest> copy;
    {
      std::lock_guard<std::mutex> lock(mu);
      copy = log;
    }
    json_reply(res, 200, requests_json(copy));
  });
  server->Get("/_fake/connections", [this](const httplib::Request &, httplib::Response &res) {
    json_reply(res, 200, "{\"count\":" + std::to_string(connection_count()) + "}");
  });
  server->Post("/_fake/reset", [this](const httplib::Request &, httplib::Response &res) {
    reset();
    json_reply(res, 200, "{\"reset\":true}");
  });
  server->Post("/_fake/topology", [this](const httplib::Request &req, httplib::Response &res) {
    auto fail = [&](int status, const char *what) {
      rapidjson::StringBuffer sb;
      Writer w(sb);
      w.StartObject();
      w.Key("error");
      w.String(what);
      w.EndObject();
      json_reply(res, status, sb.GetString());
    };
    try {
      json_reply(res, 200, set_topology(req.body));
    } catch (const std::invalid_argument &e) {
      fail(400, e.what());
    } catch (const std::exception &e) {
      fail(500, e.what());
    }
  });
  // The PIN and clock controls: a JSON object in, {"ok":true} or 400/404 {"error":"..."} out.
  auto control = [this](const char *path, std::function<std::string(const rapidjson::Document &)> act) {
    server->Post(path, [act](const httplib::Request &req, httplib::Response &res) {
      auto reply = [&](int status, const char *key, const std::string &text) {
        rapidjson::StringBuffer sb;
        Writer w(sb);
        w.StartObject();
        w.Key(key);
        if (status == 200) {
          w.Bool(true);
        } else {
          write_string(w, text);
        }
        w.EndObject();
        json_reply(res, status, sb.GetString());
      };
      rapidjson::Document d;
      const std::string body = req.body.empty() ? "{}" : req.body;  // no body: no members
      d.Parse(body.data(), body.size());
      if (d.HasParseError() || !d.IsObject()) return reply(400, "error", "the body must be a JSON object");
      try {
        const std::string error = act(d);
        if (!error.empty()) return reply(400, "error", error);
      } catch (const std::invalid_argument &e) {
        return reply(404, "error", e.what());
      }
      reply(200, "ok", "");
    });
  };
  auto pin_id = [](const rapidjson::Document &d, int64_t &id) {
    auto it = d.FindMember("id");
    if (it == d.MemberEnd() || !it->value.IsInt64()) return false;
    id = it->value.GetInt64();
    return true;
  };
  control("/_fake/pins/approve", [this, pin_id](const rapidjson::Document &d) -> std::string {
    int64_t id = 0;
    if (!pin_id(d, id)) return "id must be an integer";
    auto login = d.FindMember("login");
    if (login == d.MemberEnd() || !login->value.IsString()) return "login must be a string";
    approve_pin(id, login->value.GetString());
    return {};
  });
  control("/_fake/pins/expire", [this, pin_id](const rapidjson::Document &d) -> std::string {
    int64_t id = 0;
    if (!pin_id(d, id)) return "id must be an integer";
    expire_pin(id);
    return {};
  });
  control("/_fake/pins/limit", [this](const rapidjson::Document &d) -> std::string {
    std::optional<size_t> limit;
    std::string retry_after;
    for (auto m = d.MemberBegin(); m != d.MemberEnd(); ++m) {
      const std::string key = m->name.GetString();
      const rapidjson::Value &x = m->value;
      if (key == "per_client") {
        if (x.IsUint64()) {
          limit = static_cast<size_t>(x.GetUint64());
        } else if (!x.IsNull()) {
          return "per_client must be a non-negative integer or null (unlimited)";
        }
      } else if (key == "retry_after") {
        if (x.IsString()) {
          retry_after = x.GetString();
        } else if (x.IsUint64()) {
          retry_after = std::to_string(x.GetUint64());
        } else {
          return "retry_after must be a string or a non-negative integer";
        }
      } else {
        return "unknown member: " + key;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    state.pin_limit = limit;
    state.pin_retry_after = retry_after;
    return {};
  });
  control("/_fake/clock", [this](const rapidjson::Document &d) -> std::string {
    auto by = d.FindMember("advance_s");
    if (by == d.MemberEnd() || !by->value.IsInt64() || by->value.GetInt64() < 0)
      return "advance_s must be a non-negative integer";
    std::lock_guard<std::mutex> lock(mu);
    state.clock_offset += std::chrono::seconds(by->value.GetInt64());
    return {};
  });

  control("/_fake/jwt/rotate", [this](const rapidjson::Document &d) -> std::string {
    auto drop = d.FindMember("drop_old");
    if (drop != d.MemberEnd() && !drop->value.IsBool()) return "drop_old must be a boolean";
    rotate_signing_key(drop != d.MemberEnd() && drop->value.GetBool());
    return {};
  });
  control("/_fake/jwt/lifetime", [this](const rapidjson::Document &d) -> std::string {
    auto s = d.FindMember("seconds");
    if (s == d.MemberEnd() || !s->value.IsInt64() || s->value.GetInt64() <= 0 ||
        s->value.GetInt64() > int64_t{100} * 365 * 24 * 3600)
      return "seconds must be a positive integer (at most 100 years)";
    std::lock_guard<std::mutex> lock(mu);
    state.jwt.lifetime_s = s->value.GetInt64();
    return {};
  });
  control("/_fake/jwt/expire", [this](const rapidjson::Document &) -> std::string {
    std::lock_guard<std::mutex> lock(mu);
    for (auto &[token, issued] : state.jwt.issued) issued.expired = true;
    return {};
  });

  auto any = [this](const httplib::Request &req, httplib::Response &res) { handle(req, res); };
  server->Get(".*", any);
  server->Post(".*", any);
  server->Put(".*", any);
  server->Patch(".*", any);
  server->Delete(".*", any);
}

void FakePlex::Impl::handle(const httplib::Request &req, httplib::Response &res) {
  if (req.path.rfind("/_fake/", 0) == 0) return error_reply(res, 404, 1002, "Unknown control endpoint");
  record(req);
  if (auto fault = take_fault(req.path)) return apply(*fault, req, res);
  route(req, res);
}

void FakePlex::Impl::record(const httplib::Request &req) {
  RecordedRequest r;
  r.method = req.method;
  r.path = req.path;
  const auto q = req.target.find('?');
  if (q != std::string::npos) r.query = req.target.substr(q + 1);
  for (const auto &[name, value] : req.headers) {
    if (!is_pseudo_header(name)) r.headers.emplace_back(name, value);
  }
  r.body = req.body;
  r.remote_port = req.remote_port;
  r.port = req.local_port;
  r.connection_id = t_connection_id;
  std::lock_guard<std::mutex> lock(mu);
  log.push_back(std::move(r));
}

std::optional<Fault> FakePlex::Impl::take_fault(const std::string &path) {
  std::lock_guard<std::mutex> lock(mu);
  auto it = faults.find(path);
  if (it == faults.end() || it->second.empty()) return std::nullopt;
  Fault f = std::move(it->second.front());
  it->second.pop_front();
  return f;
}

size_t FakePlex::Impl::connection_count() const {
  std::lock_guard<std::mutex> lock(mu);
  std::set<uint64_t> ids;
  for (const auto &r : log) ids.insert(r.connection_id);
  return ids.size();
}

void FakePlex::Impl::reset() {
  Topology old;
  {
    std::lock_guard<std::mutex> lock(mu);
    state = seeded();
    faults.clear();
    log.clear();
    std::swap(old, topology);
  }
  old.tear_down();
}

State FakePlex::Impl::seeded() const {
  State s = seeded_state();
  s.devices[0] = seeded_devices(host, port, opts.tls, rfc3339(s.now_unix()));
  s.jwt.signing_keys = {startup_key};
  return s;
}

// ------------------------------------------------------------------ topology

void FakePlex::Impl::clear_topology() {
  Topology old;
  {
    std::lock_guard<std::mutex> lock(mu);
    std::swap(old, topology);
    state.devices[0] = seeded().devices[0];
  }
  old.tear_down();
}

std::string FakePlex::Impl::set_topology(const std::string &json) {
  std::vector<TopologyServer> servers;
  const std::string error = topology_from_json(json, servers);
  if (!error.empty()) throw std::invalid_argument(error);
  const bool https = std::any_of(servers.begin(), servers.end(), [](const TopologyServer &s) {
    return std::any_of(s.connections.begin(), s.connections.end(), [](const TopologyConnection &c) {
      return c.protocol == "https" && (c.behaviour == Behaviour::ok || c.behaviour == Behaviour::wrong_id ||
                                       c.behaviour == Behaviour::unauthorized);
    });
  });
  clear_topology();  // the old one's ports close first
  if (https) {
    std::lock_guard<std::mutex> lock(mu);
    if (!tls.cert) tls = make_tls_identity();  // the same certificate serves the main port with Options::tls
  }
  Topology fresh;
  std::vector<Device> devices;
  std::string last_seen;
  {
    std::lock_guard<std::mutex> lock(mu);
    last_seen = rfc3339(state.now_unix());
  }
  for (TopologyServer &ts : servers) {
    Device dev = ts.device;
    dev.last_seen_at = last_seen;
    for (const TopologyConnection &c : ts.connections) {
      std::unique_ptr<Listener> l;
      switch (c.behaviour) {
        case Behaviour::blackhole: l = bare_socket(true); break;
        case Behaviour::refuse: l = bare_socket(false); break;
        case Behaviour::ok: l = http_listener(c, dev.client_identifier, dev.name, fresh.gate); break;
        case Behaviour::wrong_id: l = http_listener(c, seed::kWrongMachineIdentifier, dev.name, fresh.gate); break;
        case Behaviour::unauthorized: l = http_listener(c, "", dev.name, fresh.gate); break;
      }
      DeviceConnection dc;
      dc.protocol = c.protocol;
      dc.address = "127.0.0.1";
      dc.port = l->port;
      dc.uri = c.plex_direct ? plex_direct_uri("127.0.0.1", l->port)
                             : c.protocol + "://127.0.0.1:" + std::to_string(l->port);
      dc.local = c.local;
      dc.relay = c.relay;
      dc.ipv6 = c.ipv6;
      dev.connections.push_back(std::move(dc));
      fresh.listeners.push_back(std::move(l));  // on a throw, `fresh` closes what is open
    }
    devices.push_back(std::move(dev));
  }
  std::string body = devices_json(devices, IncludeFlags{});
  Topology replaced;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (stopping) throw std::runtime_error("the fake Plex server is stopping");
    std::swap(replaced, topology);  // a concurrent set_topology's, if any
    topology = std::move(fresh);
    state.devices[0] = std::move(devices);
  }
  replaced.tear_down();
  return body;
}

// An HTTP(S) listener of the topology. `machine_id` empty: 401 to everything.
std::unique_ptr<Listener> FakePlex::Impl::http_listener(const TopologyConnection &c, const std::string &machine_id,
                                                        const std::string &name, const std::shared_ptr<Gate> &gate) {
  auto l = std::make_unique<Listener>();
  if (c.protocol == "https") {
    l->server = std::make_unique<httplib::SSLServer>(tls.cert.get(), tls.key.get());
    if (!l->server->is_valid()) throw std::runtime_error("the fake Plex server cannot set up TLS");
  } else {
    l->server = std::make_unique<httplib::Server>();
  }
  httplib::Server &srv = *l->server;
  srv.set_tcp_nodelay(true);
  srv.set_keep_alive_max_count(1000);
  srv.set_keep_alive_timeout(2);
  srv.new_task_queue = [this] { return new ConnectionPool(kTopologyThreads, next_connection_id); };
  const int delay = c.delay_ms;
  auto handler = [this, gate, delay, machine_id, name](const httplib::Request &req, httplib::Response &res) {
    record(req);
    if (delay > 0 && !gate->wait_ms(delay)) {
      res.status = 503;
      return;
    }
    if (machine_id.empty()) return pms_unauthorized(res);
    if (req.method == "GET" && req.path == "/identity") return identity_reply(req, res, machine_id);
    if (req.method == "GET" && req.path == "/") return root_reply(req, res, machine_id, name);
    res.status = 404;
  };
  srv.Get(".*", handler);
  srv.Post(".*", handler);
  srv.Put(".*", handler);
  srv.Patch(".*", handler);
  srv.Delete(".*", handler);
  srv.Options(".*", handler);
  l->port = srv.bind_to_any_port("127.0.0.1");
  if (l->port <= 0) throw std::runtime_error("the fake Plex server cannot bind a topology port");
  l->thread = std::thread([&srv] { srv.listen_after_bind(); });
  for (int i = 0; i < 500 && !srv.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!srv.is_running()) throw std::runtime_error("a topology listener did not start");
  return l;
}

void FakePlex::Impl::approve_pin(int64_t id, const std::string &login) {
  std::lock_guard<std::mutex> lock(mu);
  Pin *pin = state.find_pin(id);
  if (pin == nullptr) throw std::invalid_argument("no such PIN: " + std::to_string(id));
  const Account &a = state.accounts[state.index_of(login)];
  if (a.token.empty()) throw std::invalid_argument("the account has no token of its own: " + login);
  pin->auth_token = a.token;
  pin->approved_account = state.index_of(login);
}

void FakePlex::Impl::expire_pin(int64_t id) {
  std::lock_guard<std::mutex> lock(mu);
  Pin *pin = state.find_pin(id);
  if (pin == nullptr) throw std::invalid_argument("no such PIN: " + std::to_string(id));
  pin->expired = true;
}

// ------------------------------------------------------------------ normal behaviour

void FakePlex::Impl::route(const httplib::Request &req, httplib::Response &res) {
  const std::string &m = req.method;
  const std::string &p = req.path;
  if (p == "/api/v2/users/signin" && m == "POST") return sign_in(req, res);
  if (p == "/api/v2/user" && m == "GET") return user(req, res);
  if (p == "/api/v2/ping" && m == "GET") return ping(req, res);
  if (p == "/security/token" && (m == "GET" || m == "POST")) return transient_token(req, res);
  if (p == "/security/resources" && m == "GET") return resources(req, res);
  if (p == "/api/v2/pins" && m == "POST") return create_pin(req, res);
  if (p == "/api/v2/pins/link" && m == "PUT") return link_pin(req, res);
  static const std::string kPins = "/api/v2/pins/";
  if (p.rfind(kPins, 0) == 0 && m == "GET") return get_pin(req, res, p.substr(kPins.size()));
  if (p == "/api/v2/users/signout" && m == "DELETE") return sign_out(req, res);
  if (p == "/api/home/users" && m == "GET") return home_users(req, res);
  if (p == "/api/v2/resources" && m == "GET") return account_resources(req, res);
  if (p == "/api/v2/auth/nonce" && m == "GET") return auth_nonce(req, res);
  if (p == "/api/v2/auth/jwk" && m == "POST") return auth_jwk(req, res);
  if (p == "/api/v2/auth/token" && m == "POST") return auth_token(req, res);
  if (p == "/api/v2/auth/keys" && m == "GET") return auth_keys(req, res);
  if (p == "/identity" && m == "GET") return identity_reply(req, res, seed::kSourceClientId);
  if (p == "/" && m == "GET") return pms_root(req, res);
  static const std::string kHome = "/api/v2/home/users/";
  static const std::string kSwitch = "/switch";
  if (p.rfind(kHome, 0) == 0 && p.size() > kHome.size() + kSwitch.size() &&
      p.compare(p.size() - kSwitch.size(), kSwitch.size(), kSwitch) == 0 && m == "POST") {
    const std::string user = p.substr(kHome.size(), p.size() - kHome.size() - kSwitch.size());
    if (user.find('/') == std::string::npos) return switch_home_user(req, res, user);
  }
  error_reply(res, 404, 1002, "Not found");
}

std::string FakePlex::Impl::random_string(const char *alphabet, size_t n) {
  const size_t k = std::strlen(alphabet);
  std::string out;
  for (size_t i = 0; i < n; ++i) out += alphabet[rng() % k];
  return out;
}

// POST /api/v2/pins[?strong=true]: 201 a new PIN. No token needed (one sent is
// ignored). Per client identifier at most pin_limit creations, then 429.
void FakePlex::Impl::create_pin(const httplib::Request &req, httplib::Response &res) {
  const std::string client_id = req.get_header_value("X-Plex-Client-Identifier");
  if (client_id.empty()) return error_reply(res, 400, 1000, "X-Plex-Client-Identifier is missing");
  bool strong = iequals(req.get_param_value("strong"), "true") || req.get_param_value("strong") == "1";
  // A JSON body (JWT device authentication): {"jwk":{...},"strong":true}.
  std::optional<DeviceKey> jwk;
  std::string jwk_id;
  if (req.get_header_value("Content-Type").rfind("application/json", 0) == 0 && !req.body.empty()) {
    rapidjson::Document d;
    if (!parse_untrusted(req.body, d)) return error_reply(res, 400, 1000, "The body must be a JSON object");
    auto s = d.FindMember("strong");
    if (s != d.MemberEnd()) {
      if (!s->value.IsBool()) return error_reply(res, 400, 1000, "strong must be a boolean");
      strong = strong || s->value.GetBool();
    }
    auto j = d.FindMember("jwk");
    if (j != d.MemberEnd()) {
      jwk.emplace();
      if (!parse_device_jwk(j->value, *jwk, jwk_id)) return error_reply(res, 400, 1000, "Invalid JWK");
      jwk->client_id = client_id;
    }
  }
  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    PinQuota &quota = state.pin_quotas[client_id];
    const auto now = state.now();
    if (quota.reopens && now >= *quota.reopens) quota = PinQuota{};
    if (state.pin_limit && quota.created >= *state.pin_limit) {
      if (!quota.reopens) {
        const std::string &ra = state.pin_retry_after;
        if (!ra.empty() && std::all_of(ra.begin(), ra.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
            ra.size() < 10) {
          quota.reopens = now + std::chrono::seconds(std::stoll(ra));
        }
      }
      if (!state.pin_retry_after.empty()) res.set_header("Retry-After", state.pin_retry_after);
      return error_reply(res, 429, 1003, "Too many PIN requests: try again later");
    }
    ++quota.created;
    Pin pin;
    pin.id = state.next_pin_id++;
    pin.client_id = client_id;
    if (req.has_header("X-Plex-Product")) pin.product = req.get_header_value("X-Plex-Product");
    pin.created_at = state.now_unix();
    pin.expires_in = strong ? 1800 : 900;
    // A code no live PIN has.
    for (;;) {
      pin.code = strong ? random_string("abcdefghijklmnopqrstuvwxyz0123456789", 25)
                        : random_string("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 4);
      if (std::none_of(state.pins.begin(), state.pins.end(), [&](const auto &kv) {
            return iequals(kv.second.code, pin.code) && state.is_live(kv.second);
          }))
        break;
    }
    pin.jwk = std::move(jwk);
    pin.jwk_id = jwk_id;
    body = pin_json(pin);
    state.pins[pin.id] = std::move(pin);
  }
  json_reply(res, 201, body);
}

// GET /api/v2/pins/{id}: 200 the PIN for the client identifier that created
// it while it lives; 404 code 1020 otherwise.
void FakePlex::Impl::get_pin(const httplib::Request &req, httplib::Response &res, const std::string &id) {
  const std::string client_id = req.get_header_value("X-Plex-Client-Identifier");
  if (client_id.empty()) return error_reply(res, 400, 1000, "X-Plex-Client-Identifier is missing");
  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    Pin *pin = nullptr;
    if (!id.empty() && id.size() < 19 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
      pin = state.find_pin(std::stoll(id));
    if (pin == nullptr || pin->client_id != client_id || !state.is_live(*pin)) {
      return error_reply(res, 404, 1020, "Code not found or expired");
    }
    if (!pin->jwk) {
      body = pin_json(*pin);
    } else {
      // A JWK PIN: the token is a Plex JWT, and only for a deviceJWT signed
      // with the PIN's key (no nonce needed).
      Pin shown = *pin;
      shown.auth_token.reset();
      if (req.has_param("deviceJWT")) {
        Jws jws;
        if (!parse_jws(req.get_param_value("deviceJWT"), jws) || string_member(jws.header, "alg") != "EdDSA")
          return error_reply(res, 422, 1099, "Signature Verification Failed");
        if (auto e = check_device_jwt(jws, *pin->jwk, client_id, state.now_unix()))
          return error_reply(res, e->status, e->code, e->message);
        if (pin->approved_account && !pin->plex_jwt) {
          // Approved: the key is registered for the account and this device, as POST /auth/jwk does.
          for (const auto &[kid, k] : state.jwt.device_keys) {
            if ((k.thumbprint == pin->jwk->thumbprint || kid == pin->jwk_id) && k.client_id != client_id)
              return error_reply(res, 422, 1098, "Thumbprint Already Taken");
          }
          pin->jwk->account = *pin->approved_account;
          state.jwt.device_keys[pin->jwk_id] = *pin->jwk;
          pin->plex_jwt = issue_plex_jwt(*pin->jwk, pin->jwk_id, string_member(jws.payload, "scope").value_or(""));
        }
        shown.auth_token = pin->plex_jwt;
      }
      body = pin_json(shown);
    }
  }
  json_reply(res, 200, body);
}

// PUT /api/v2/pins/link, form code=...: approves the live PIN with that code
// (case-insensitive) for the token's account; 204.
void FakePlex::Impl::link_pin(const httplib::Request &req, httplib::Response &res) {
  const std::string token = req.get_header_value("X-Plex-Token");
  httplib::Params form;
  httplib::detail::parse_query_text(req.body, form);
  auto code = form.find("code");
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_account_token(token)) return unauthorized(res);
    if (code == form.end() || code->second.empty()) return error_reply(res, 400, 1000, "code is missing");
    Pin *found = nullptr;
    for (auto &[pin_id, pin] : state.pins) {
      if (iequals(pin.code, code->second) && state.is_live(pin)) found = &pin;
    }
    if (found == nullptr) return error_reply(res, 404, 1020, "Code not found or expired");
    const Account &a = state.accounts[state.tokens.at(token)];
    found->auth_token = a.token.empty() ? token : a.token;
    found->approved_account = state.tokens.at(token);
  }
  res.status = 204;
}

// DELETE /api/v2/users/signout: 204, and the token is no longer accepted.
void FakePlex::Impl::sign_out(const httplib::Request &req, httplib::Response &res) {
  const std::string token = req.get_header_value("X-Plex-Token");
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_account_token(token)) return unauthorized(res);
    state.tokens.erase(token);
  }
  res.status = 204;
}

// An XML attribute value.
static std::string xml_attr(std::string_view s) { return xml_escape(s); }

// GET /api/home/users (plex.tv's v1 route): 200 application/xml, whatever the
// Accept header, as plex.tv's v1 routes answer (plex-auth-wave2.md 4.4): a
// MediaContainer with one User element per member of the caller's Home
// (booleans "1"/"0"). A caller outside a Home gets an empty container.
void FakePlex::Impl::home_users(const httplib::Request &req, httplib::Response &res) {
  const std::string token = req.get_header_value("X-Plex-Token");
  std::string users;
  size_t count = 0;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_account_token(token)) return unauthorized(res);
    const size_t caller = state.tokens.at(token);
    auto user = [&](size_t account, bool admin, bool restricted, const std::string &profile, bool has_password,
                    bool is_protected) {
      const rapidjson::Document a = parse_or_throw(state.accounts[account].json);
      auto str = [&](const char *k) { return a.HasMember(k) && a[k].IsString() ? std::string(a[k].GetString()) : ""; };
      users += "<User id=\"" + std::to_string(a["id"].GetInt64()) + "\" uuid=\"" + xml_attr(str("uuid")) +
               "\" admin=\"" + (admin ? "1" : "0") + "\" guest=\"0\" restricted=\"" + (restricted ? "1" : "0") +
               "\" restrictionProfile=\"" + xml_attr(profile) + "\" hasPassword=\"" + (has_password ? "1" : "0") +
               "\" protected=\"" + (is_protected ? "1" : "0") + "\" title=\"" + xml_attr(str("title")) +
               "\" username=\"" + (restricted ? "" : xml_attr(str("username"))) + "\" email=\"" +
               (restricted ? "" : xml_attr(str("email"))) + "\" thumb=\"" + xml_attr(str("thumb")) + "\">\n"
               "    <Profile autoSelectAudio=\"1\"/>\n  </User>\n";
      ++count;
    };
    if (state.in_home(caller)) {
      user(state.home_admin, true, false, "", true, false);
      for (const HomeUser &u : state.home_users)
        user(u.account, false, true, u.pin.empty() ? "" : "little_kid", false, !u.pin.empty());
    }
  }
  const std::string n = std::to_string(count);
  res.status = 200;
  res.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<MediaContainer friendlyName=\"myPlex\" "
                  "identifier=\"com.plexapp.plugins.myplex\" machineIdentifier=\"" + std::string(seed::kSourceClientId) +
                  "\" totalSize=\"" + n + "\" size=\"" + n + "\">\n  " + users + "</MediaContainer>\n",
                  "application/xml");
}

// POST /api/v2/home/users/{uuid or id}/switch[?pin=NNNN]: 201 the Home user's
// account with a new token. A protected user needs its PIN (403 code 1041),
// from the admin too.
void FakePlex::Impl::switch_home_user(const httplib::Request &req, httplib::Response &res, const std::string &user) {
  const std::string token = req.get_header_value("X-Plex-Token");
  const std::string pin = req.get_param_value("pin");
  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_account_token(token)) return unauthorized(res);
    const size_t caller = state.tokens.at(token);
    std::optional<size_t> target;
    std::string wanted_pin;
    if (state.in_home(caller)) {
      for (const HomeUser &u : state.home_users) {
        if (u.uuid == user || std::to_string(u.id) == user) {
          target = u.account;
          wanted_pin = u.pin;
        }
      }
      const std::string admin_uuid = parse_or_throw(state.accounts[state.home_admin].json)["uuid"].GetString();
      if (user == admin_uuid) target = state.home_admin;
    }
    if (!target) return error_reply(res, 404, 1002, "User not found");
    if (!wanted_pin.empty() && pin != wanted_pin) {
      return error_reply(res, 403, 1041, "A valid PIN is required to perform this action");
    }
    const std::string issued = "home-" + random_string("0123456789abcdef", 24);
    state.tokens[issued] = *target;
    body = merge_members(state.accounts[*target].json, token_member(issued), false);
  }
  json_reply(res, 201, body);
}

void FakePlex::Impl::sign_in(const httplib::Request &req, httplib::Response &res) {
  if (req.get_header_value("X-Plex-Client-Identifier").empty()) {
    return error_reply(res, 400, 1000, "X-Plex-Client-Identifier is missing");
  }
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return error_reply(res, 400, 1000, "The body must be application/x-www-form-urlencoded");
  }
  httplib::Params form;
  httplib::detail::parse_query_text(req.body, form);
  auto field = [&](const char *name) -> std::optional<std::string> {
    auto it = form.find(name);
    if (it == form.end()) return std::nullopt;
    return it->second;
  };
  const auto login = field("login");
  const auto password = field("password");
  const auto code = field("verificationCode");

  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    const Account *a = login ? state.find(*login) : nullptr;
    if (a == nullptr || a->password.empty() || !password || *password != a->password) return unauthorized(res);
    if (!a->verification_code.empty() && code != a->verification_code) {
      return error_reply(res, 401, 1029, "Please enter the verification code");
    }
    body = a->json;
  }
  json_reply(res, 201, body);
}

void FakePlex::Impl::user(const httplib::Request &req, httplib::Response &res) {
  const std::string token = req.get_header_value("X-Plex-Token");
  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (state.revoked.count(token) != 0) return error_reply(res, 422, 1001, "Invalid token");
    size_t index = 0;
    const TokenState ts = state.plex_tv_token(token, index);
    if (ts == TokenState::expired) return token_expired(res);
    if (ts == TokenState::invalid) return unauthorized(res);
    body = state.user_bodies[index];
    if (state.echo_token[index]) body = merge_members(body, token_member(token), false);
  }
  json_reply(res, 200, body);
}

// GET /api/v2/ping: {"pong":true} for a valid account token.
void FakePlex::Impl::ping(const httplib::Request &req, httplib::Response &res) {
  {
    std::lock_guard<std::mutex> lock(mu);
    size_t index = 0;
    const TokenState ts = state.plex_tv_token(req.get_header_value("X-Plex-Token"), index);
    if (ts == TokenState::expired) return token_expired(res);
    if (ts == TokenState::invalid) return unauthorized(res);
  }
  json_reply(res, 200, R"({"pong":true})");
}

void FakePlex::Impl::transient_token(const httplib::Request &req, httplib::Response &res) {
  std::string token;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_pms_token(req.get_header_value("X-Plex-Token"))) return unauthorized(res);
    if (req.get_param_value("type") != "delegation" || req.get_param_value("scope") != "all") {
      return error_reply(res, 400, 1000, "type must be delegation and scope must be all");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    token = "transient-";
    for (int i = 0; i < 32; ++i) token += kHex[rng() % 16];
    state.transient.push_back(token);
  }
  json_reply(res, 200, transient_json(token));
}

void FakePlex::Impl::resources(const httplib::Request &req, httplib::Response &res) {
  Source source;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_pms_token(req.get_header_value("X-Plex-Token"))) return unauthorized(res);
    const std::string wanted = req.get_param_value("source");
    if (wanted.empty()) return error_reply(res, 400, 1000, "source is missing");
    auto it = state.sources.find(wanted);
    if (it == state.sources.end()) return error_reply(res, 404, 1002, "Source not found");
    source = it->second;
  }
  json_reply(res, 200, source_json(source));
}

// GET /api/v2/resources: the account's devices, a JSON array. Without
// includeHttps=1 / includeRelay=1 / includeIPv6=1 the https / relay / IPv6
// connections are left out, as plex.tv does.
void FakePlex::Impl::account_resources(const httplib::Request &req, httplib::Response &res) {
  auto flag = [&](const char *name) {
    const std::string v = req.get_param_value(name);
    return v == "1" || iequals(v, "true");
  };
  const IncludeFlags include{flag("includeHttps"), flag("includeRelay"), flag("includeIPv6")};
  std::string body;
  {
    std::lock_guard<std::mutex> lock(mu);
    const std::string token = req.get_header_value("X-Plex-Token");
    size_t index = 0;
    const TokenState ts = state.plex_tv_token(token, index);
    if (ts == TokenState::expired) return token_expired(res);
    if (ts == TokenState::invalid) return unauthorized(res);
    auto it = state.devices.find(index);
    body = devices_json(it == state.devices.end() ? std::vector<Device>{} : it->second, include);
  }
  json_reply(res, 200, body);
}

// GET / on the fake's PMS: the root MediaContainer, for a token it accepts
// (an account's, a transient one, or the server's accessToken); 401 otherwise.
void FakePlex::Impl::pms_root(const httplib::Request &req, httplib::Response &res) {
  const std::string token = req.get_header_value("X-Plex-Token");
  {
    std::lock_guard<std::mutex> lock(mu);
    if (!state.is_valid_pms_token(token) && token != seed::kSourceAccessToken) return pms_unauthorized(res);
  }
  root_reply(req, res, seed::kSourceClientId, seed::kSourceName);
}

// ------------------------------------------------------------------ JWT device authentication

std::string FakePlex::Impl::uuid4() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string u;
  for (int i = 0; i < 32; ++i) {
    unsigned v = static_cast<unsigned>(rng() % 16);
    if (i == 12) v = 4;                  // version 4
    if (i == 16) v = 8 | (v & 3);        // variant 10xx
    if (i == 8 || i == 12 || i == 16 || i == 20) u += '-';
    u += kHex[v];
  }
  return u;
}

// GET /api/v2/auth/nonce: 200 {"nonce":"<uuid4>"}, single use, valid 5 minutes.
void FakePlex::Impl::auth_nonce(const httplib::Request &req, httplib::Response &res) {
  if (req.get_header_value("X-Plex-Client-Identifier").empty())
    return error_reply(res, 422, 1000, "X-Plex-Client-Identifier is missing");
  std::string nonce;
  {
    std::lock_guard<std::mutex> lock(mu);
    const int64_t now = state.now_unix();
    auto &nonces = state.jwt.nonces;
    for (auto it = nonces.begin(); it != nonces.end();) {  // forget the stale ones
      it = now - it->second.issued_at > kNonceLifetimeS ? nonces.erase(it) : std::next(it);
    }
    nonce = uuid4();
    nonces[nonce] = Nonce{now, false};
  }
  json_reply(res, 200, R"({"nonce":")" + nonce + "\"}");
}

// POST /api/v2/auth/jwk {"jwk":{...}} with an account token: registers the
// device key for the token's account and the X-Plex-Client-Identifier; 204.
void FakePlex::Impl::auth_jwk(const httplib::Request &req, httplib::Response &res) {
  const std::string client_id = req.get_header_value("X-Plex-Client-Identifier");
  std::lock_guard<std::mutex> lock(mu);
  size_t account = 0;
  const TokenState ts = state.plex_tv_token(req.get_header_value("X-Plex-Token"), account);
  if (ts == TokenState::expired) return token_expired(res);
  if (ts == TokenState::invalid) return unauthorized(res);
  if (client_id.empty()) return error_reply(res, 422, 1000, "X-Plex-Client-Identifier is missing");
  rapidjson::Document d;
  DeviceKey key;
  std::string key_id;
  if (!parse_untrusted(req.body, d) || !d.HasMember("jwk") || !parse_device_jwk(d["jwk"], key, key_id))
    return error_reply(res, 400, 1000, "Invalid JWK");
  for (const auto &[id, k] : state.jwt.device_keys) {
    if ((k.thumbprint == key.thumbprint || id == key_id) && k.client_id != client_id)
      return error_reply(res, 422, 1098, "Thumbprint Already Taken");
  }
  key.account = account;
  key.client_id = client_id;
  state.jwt.device_keys[key_id] = std::move(key);
  res.status = 204;
}

// POST /api/v2/auth/token {"jwt":"<device JWT>"}: verifies the device JWT
// and answers 200 {"auth_token":"<Plex JWT>"}.
void FakePlex::Impl::auth_token(const httplib::Request &req, httplib::Response &res) {
  const std::string client_id = req.get_header_value("X-Plex-Client-Identifier");
  rapidjson::Document body;
  if (!parse_untrusted(req.body, body) || !string_member(body, "jwt"))
    return error_reply(res, 400, 1000, "jwt is missing");
  const std::string device_jwt = *string_member(body, "jwt");
  auto refuse = [&] { error_reply(res, 422, 1099, "Signature Verification Failed"); };
  Jws jws;
  if (!parse_jws(device_jwt, jws) || string_member(jws.header, "alg") != "EdDSA") return refuse();
  const auto kid = string_member(jws.header, "kid");
  std::string token;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto key = kid ? state.jwt.device_keys.find(*kid) : state.jwt.device_keys.end();
    if (key == state.jwt.device_keys.end()) return refuse();
    const int64_t now = state.now_unix();
    if (auto e = check_device_jwt(jws, key->second, client_id, now)) return error_reply(res, e->status, e->code, e->message);
    const rapidjson::Value &claims = jws.payload;
    const auto nonce_text = string_member(claims, "nonce");
    auto nonce = nonce_text ? state.jwt.nonces.find(*nonce_text) : state.jwt.nonces.end();
    if (nonce == state.jwt.nonces.end() || nonce->second.used || now - nonce->second.issued_at > kNonceLifetimeS)
      return error_reply(res, 422, 1095, "Invalid nonce");
    nonce->second.used = true;
    token = issue_plex_jwt(key->second, key->first, string_member(claims, "scope").value_or(""));
  }
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("auth_token");
  write_string(w, token);
  w.EndObject();
  json_reply(res, 200, sb.GetString());
}

std::string FakePlex::Impl::issue_plex_jwt(const DeviceKey &device, const std::string &key_id,
                                           const std::string &scope) {
  const jwt::SigningKey &signer = state.jwt.signing_keys.back();
  const int64_t now = state.now_unix();
  const int64_t exp = now + state.jwt.lifetime_s;
  const rapidjson::Document account = parse_or_throw(state.accounts[device.account].json);
  auto account_string = [&](const char *name) { return string_member(account, name).value_or(""); };

  rapidjson::StringBuffer hb;
  Writer h(hb);
  h.StartObject();
  h.Key("kid");
  write_string(h, signer.kid);
  h.Key("typ");
  h.String("JWT");
  h.Key("alg");
  h.String("EdDSA");
  h.EndObject();

  rapidjson::StringBuffer cb;
  Writer c(cb);
  c.StartObject();
  c.Key("iss");
  c.String("plex.tv");
  c.Key("aud");
  c.StartArray();
  c.String("plex.tv");
  write_string(c, device.client_id);
  c.EndArray();
  c.Key("iat");
  c.Int64(now);
  c.Key("exp");
  c.Int64(exp);
  c.Key("thumbprint");
  write_string(c, key_id);
  c.Key("scope");
  write_string(c, scope);
  c.Key("user");
  c.StartObject();
  c.Key("id");
  c.Int64(account.HasMember("id") && account["id"].IsInt64() ? account["id"].GetInt64() : 0);
  c.Key("uuid");
  write_string(c, account_string("uuid"));
  c.Key("username");
  write_string(c, account_string("username"));
  c.Key("email");
  write_string(c, account_string("email"));
  c.EndObject();
  c.EndObject();

  const std::string input = jwt::b64url_encode(std::string_view(hb.GetString(), hb.GetSize())) + "." +
                            jwt::b64url_encode(std::string_view(cb.GetString(), cb.GetSize()));
  std::string token = input + "." + jwt::b64url_encode(jwt::sign(signer, input));
  state.jwt.issued[token] = IssuedJwt{device.account, exp, false};
  return token;
}

// GET /api/v2/auth/keys: the signing keys' public JWKs, the current one first.
void FakePlex::Impl::auth_keys(const httplib::Request &, httplib::Response &res) {
  std::string body = R"({"keys":[)";
  {
    std::lock_guard<std::mutex> lock(mu);
    const auto &keys = state.jwt.signing_keys;
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) {
      if (it != keys.rbegin()) body += ',';
      body += jwt::public_jwk_json(*it);
    }
  }
  json_reply(res, 200, body + "]}");
}

void FakePlex::Impl::rotate_signing_key(bool drop_old) {
  jwt::SigningKey fresh = jwt::generate_signing_key();
  std::lock_guard<std::mutex> lock(mu);
  if (drop_old) state.jwt.signing_keys.clear();
  state.jwt.signing_keys.push_back(std::move(fresh));
}

// ------------------------------------------------------------------ faults

void FakePlex::Impl::apply(const Fault &f, const httplib::Request &req, httplib::Response &res) {
  if (f.delay_ms > 0 && !sleep_ms(std::min(f.delay_ms, kMaxDelayMs))) return error_reply(res, 503, 0, "stopping");
  if (f.raw) {
    write_raw(req.local_port, req.remote_port, *f.raw, f.flood, f.flood_bytes);
    res.set_header("Connection", "close");
    return;
  }

  std::string content;
  std::string type;
  const bool replaces = !f.errors.empty() || f.body || f.oversized_bytes > 0 || f.nested_depth > 0;
  if (replaces) {
    res.status = f.status != 0 ? f.status : 200;
    type = kJson;
    if (!f.errors.empty()) {
      content = errors_json(f.errors);
    } else if (f.body) {
      content = *f.body;
    } else if (f.nested_depth > 0) {
      content = nested_json(f.nested_depth);
    }
  } else {
    route(req, res);
    content.swap(res.body);
    type = res.get_header_value("Content-Type");
    if (f.status != 0) {
      res.status = f.status;
      if (f.status >= 300) {
        content.clear();
        type.clear();
      }
    }
  }
  if (!f.content_type.empty()) type = f.content_type;
  res.headers.erase("Content-Type");
  if (!f.patch.empty()) content = merge_members(content, f.patch, false);
  if (!f.duplicate.empty()) content = merge_members(content, f.duplicate, true);
  if (f.truncated_json) content.resize(content.size() / 2);
  if (f.invalid_utf8) inject_invalid_utf8(content);
  if (!f.retry_after.empty()) res.set_header("Retry-After", f.retry_after);
  if (!f.location.empty()) res.set_header("Location", f.location);
  const bool plain_delivery = !f.drop && !f.reset && f.drip_ms <= 0 && !f.content_length;

  if (f.oversized_bytes > 0) {
    const uint64_t total = std::min(f.oversized_bytes, kMaxOversizedBytes);
    ByteSource source = [total](uint64_t offset, size_t length) { return padded_json(total, offset, length); };
    if (f.gzip) return serve_gzip_stream(res, total, std::move(source), type);
    return serve(res, total, std::move(source), type, f, req);
  }
  if (f.gzip) {
    content = gzip(content);
    res.set_header("Content-Encoding", "gzip");
  }
  if (content.empty() && (f.drop || f.reset)) content = R"({"dropped":"this body is never sent in full"})";
  if (!f.gzip && plain_delivery) {
    // A plain body. (An empty one gets Content-Length: 0 and no Content-Type.)
    if (!content.empty() || !type.empty()) res.set_content(content, type.empty() ? kJson : type);
    return;
  }
  if (content.empty()) return;
  auto data = std::make_shared<const std::string>(std::move(content));
  serve(res, data->size(), [data](uint64_t offset, size_t length) { return data->substr(offset, length); }, type, f,
        req);
}

// Sends `total` bytes from `source` with a Content-Length (`total`, or the
// fault's content_length), honouring drop, reset and drip. (A content
// provider also keeps httplib from compressing the body.)
void FakePlex::Impl::serve(httplib::Response &res, uint64_t total, ByteSource source, const std::string &type,
                           const Fault &f, const httplib::Request &req) {
  const uint64_t declared = f.content_length.value_or(total);
  const uint64_t limit = (f.drop || f.reset) ? total / 2 : total;
  const int drip = std::min(f.drip_ms, kMaxDripMs);
  const bool reset = f.reset;
  const int local_port = req.local_port;
  const int remote_port = req.remote_port;
  res.set_content_provider(
      static_cast<size_t>(declared), type.empty() ? kJson : type,
      [this, declared, limit, drip, reset, local_port, remote_port, source = std::move(source)](
          size_t offset, size_t length, httplib::DataSink &sink) {
        if (offset >= limit) {  // drop or reset mid-body, or a body shorter than announced: end here
          if (reset) reset_connection(local_port, remote_port);
          return false;
        }
        if (drip > 0 && offset > 0 && !sleep_ms(drip)) return false;
        if (drip <= 0 && limit > declared) {
          // A body longer than announced: all of it goes out, the rest as stray bytes.
          for (uint64_t at = offset; at < limit; at += kChunk) {
            const std::string bytes = source(at, static_cast<size_t>(std::min<uint64_t>(kChunk, limit - at)));
            if (!sink.write(bytes.data(), bytes.size())) return false;
          }
          return true;
        }
        const uint64_t step = drip > 0 ? 1 : kChunk;
        const auto n = static_cast<size_t>(std::min<uint64_t>({step, length, limit - offset}));
        const std::string bytes = source(offset, n);
        return sink.write(bytes.data(), bytes.size());
      });
}

// Generates, gzips and sends `total` bytes as a chunked body: small on the
// wire, `total` bytes after decompression.
void FakePlex::Impl::serve_gzip_stream(httplib::Response &res, uint64_t total, ByteSource source,
                                       const std::string &type) {
  res.set_header("Content-Encoding", "gzip");
  auto gz = std::make_shared<httplib::detail::gzip_compressor>();
  auto produced = std::make_shared<uint64_t>(0);
  res.set_chunked_content_provider(
      type.empty() ? kJson : type, [gz, produced, total, source = std::move(source)](size_t, httplib::DataSink &sink) {
        const auto n = static_cast<size_t>(std::min<uint64_t>(kChunk, total - *produced));
        const std::string block = source(*produced, n);
        *produced += n;
        const bool last = *produced >= total;
        std::string out;
        const bool ok = gz->compress(block.data(), block.size(), last, [&](const char *data, size_t len) {
          out.append(data, len);
          return true;
        });
        // httplib ends a chunked body at the first empty write: write only bytes.
        if (!ok || (!out.empty() && !sink.write(out.data(), out.size()))) return false;
        if (last) sink.done();
        return true;
      });
}

// ------------------------------------------------------------------ FakePlex

FakePlex::FakePlex() : FakePlex(Options{}) {}
FakePlex::FakePlex(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
FakePlex::~FakePlex() { stop(); }

void FakePlex::stop() { impl_->stop(); }

int FakePlex::port() const { return impl_->port; }

std::string FakePlex::base_url() const {
  const std::string &h = impl_->host;
  return std::string(impl_->opts.tls ? "https://" : "http://") + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(impl_->port);
}

std::string FakePlex::plex_tv_url() const { return base_url() + "/api/v2"; }

std::string FakePlex::certificate_pem() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->tls.pem;
}

void FakePlex::add_account(Account account) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.add_account(std::move(account));
}

void FakePlex::add_token(const std::string &token, const std::string &login) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.tokens[token] = impl_->state.index_of(login);
}

void FakePlex::revoke_token(const std::string &token) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.revoked.insert(token);
}

void FakePlex::add_source(Source source) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto key = source.source;
  impl_->state.sources[key] = std::move(source);
}

std::string FakePlex::sign_in_body(const std::string &login) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->state.accounts[impl_->state.index_of(login)].json;
}

std::string FakePlex::user_body(const std::string &login) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->state.user_bodies[impl_->state.index_of(login)];
}

std::vector<std::string> FakePlex::transient_tokens() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->state.transient;
}

bool FakePlex::is_valid_token(const std::string &token) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->state.is_valid_account_token(token);
}

void FakePlex::approve_pin(int64_t id, const std::string &login) { impl_->approve_pin(id, login); }

void FakePlex::expire_pin(int64_t id) { impl_->expire_pin(id); }

std::optional<std::string> FakePlex::pin_code(int64_t id) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  const Pin *pin = impl_->state.find_pin(id);
  if (pin == nullptr) return std::nullopt;
  return pin->code;
}

void FakePlex::set_pin_limit(std::optional<size_t> per_client, std::string retry_after) {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.pin_limit = per_client;
  impl_->state.pin_retry_after = std::move(retry_after);
}

std::chrono::system_clock::time_point FakePlex::now() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->state.now();
}

void FakePlex::advance_clock(std::chrono::seconds by) {
  if (by.count() < 0) throw std::invalid_argument("the fake's clock only moves forward");
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.clock_offset += by;
}

void FakePlex::rotate_signing_key(bool drop_old) { impl_->rotate_signing_key(drop_old); }

void FakePlex::set_jwt_lifetime(std::chrono::seconds lifetime) {
  if (lifetime.count() <= 0) throw std::invalid_argument("a JWT lifetime must be positive");
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->state.jwt.lifetime_s = lifetime.count();
}

void FakePlex::expire_jwts() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  for (auto &[token, issued] : impl_->state.jwt.issued) issued.expired = true;
}

std::string FakePlex::signing_public_jwk() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return jwt::public_jwk_json(impl_->state.jwt.signing_keys.back());
}

std::vector<std::string> FakePlex::issued_jwts() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<std::string> out;
  for (const auto &[token, issued] : impl_->state.jwt.issued) out.push_back(token);
  return out;
}

void FakePlex::add_fault(const std::string &path, Fault fault) { add_faults(path, {std::move(fault)}); }

void FakePlex::add_faults(const std::string &path, std::vector<Fault> faults) {
  for (const Fault &f : faults) {
    if (!f.patch.empty()) parse_or_throw(f.patch, "Fault::patch");
    if (!f.duplicate.empty()) parse_or_throw(f.duplicate, "Fault::duplicate");
    if (f.content_length && *f.content_length == 0) throw std::invalid_argument("content_length must be positive");
  }
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto &q = impl_->faults[path];
  for (auto &f : faults) q.push_back(std::move(f));
}

size_t FakePlex::pending_faults(const std::string &path) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto it = impl_->faults.find(path);
  return it == impl_->faults.end() ? 0 : it->second.size();
}

std::vector<RecordedRequest> FakePlex::requests() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->log;
}

std::vector<RecordedRequest> FakePlex::requests_to(const std::string &path) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<RecordedRequest> out;
  for (const auto &r : impl_->log) {
    if (r.path == path) out.push_back(r);
  }
  return out;
}

size_t FakePlex::connection_count() const { return impl_->connection_count(); }

void FakePlex::clear_log() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->log.clear();
}

void FakePlex::reset() { impl_->reset(); }

std::string FakePlex::set_topology(const std::string &json) { return impl_->set_topology(json); }

void FakePlex::clear_topology() { impl_->clear_topology(); }

}  // namespace plexauth_fake
