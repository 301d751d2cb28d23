// Gate 5: bad input from callers. The test reads include/plexauth/plexauth.h,
// lists every function it declares (name and parameter names), and requires
// an entry for each in the table below (and no entry that the header lacks).
// For each function it then makes, from one set of valid arguments:
//   - the valid call (the baseline),
//   - one call per pointer parameter with NULL in that place,
//   - one call per string parameter with "", invalid UTF-8, a control
//     character and a 1 MB string in that place,
// and checks the documented outcome of each:
//   status functions   PLEXAUTH_E_INVALID_ARGUMENT, nothing sent to the
//                      server, *out left NULL, *err a proper error object;
//                      except where NULL is documented as meaningful (err,
//                      opts, a setter's value = "clear", type/scope =
//                      default, callbacks and their user data), which gives
//                      the baseline's outcome;
//   getters            NULL / 0 (plexauth_error_message: ""), and *out left
//                      untouched when they return 0;
//   free functions     NULL accepted.
// Nothing may crash. The numeric ranges are checked at the end.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <utility>

#include "hostile.h"

#ifndef PLEXAUTH_PUBLIC_HEADER
#error "PLEXAUTH_PUBLIC_HEADER must name include/plexauth/plexauth.h"
#endif

namespace hostile {
namespace {

// ------------------------------------------------------------------ the header

struct Declared {
  std::string name;
  std::vector<std::string> params;  // parameter names, in order
};

// Comments and preprocessor lines (with their continuations) blanked out.
std::string declarations_only(const std::string &text) {
  std::string out;
  bool line_start = true;
  bool directive = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      const size_t end = text.find("*/", i + 2);
      i = end == std::string::npos ? text.size() : end + 1;
      out += ' ';
      continue;
    }
    if (ch == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      out += '\n';
      line_start = true;
      directive = false;
      continue;
    }
    if (line_start && ch == '#') directive = true;
    if (ch == '\n') {
      const bool continued = directive && i > 0 && text[i - 1] == '\\';
      directive = continued;
      line_start = true;
      out += '\n';
      continue;
    }
    if (ch != ' ' && ch != '\t') line_start = false;
    out += directive ? ' ' : ch;
  }
  return out;
}

bool is_ident(char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; }

// The last identifier in `s` (or the one after "(*" for a function pointer).
std::string param_name(const std::string &s) {
  const size_t fp = s.find("(*");
  size_t end = std::string::npos;
  if (fp != std::string::npos) {
    size_t b = fp + 2;
    while (b < s.size() && s[b] == ' ') ++b;
    size_t e = b;
    while (e < s.size() && is_ident(s[e])) ++e;
    return s.substr(b, e - b);
  }
  end = s.size();
  while (end > 0 && !is_ident(s[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && is_ident(s[begin - 1])) --begin;
  return s.substr(begin, end - begin);
}

std::vector<Declared> declared_functions() {
  std::ifstream in(PLEXAUTH_PUBLIC_HEADER);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = declarations_only(buffer.str());
  std::vector<Declared> out;
  for (size_t at = text.find("PLEXAUTH_API"); at != std::string::npos; at = text.find("PLEXAUTH_API", at + 1)) {
    const size_t open = text.find('(', at);
    size_t name_end = open;
    while (name_end > at && !is_ident(text[name_end - 1])) --name_end;
    size_t name_begin = name_end;
    while (name_begin > at && is_ident(text[name_begin - 1])) --name_begin;
    Declared d;
    d.name = text.substr(name_begin, name_end - name_begin);
    int depth = 0;
    std::string current;
    size_t i = open + 1;
    for (; i < text.size(); ++i) {
      const char ch = text[i];
      if (ch == '(') ++depth;
      if (ch == ')' && depth-- == 0) break;
      if (ch == ',' && depth == 0) {
        d.params.push_back(param_name(current));
        current.clear();
      } else {
        current += ch;
      }
    }
    if (current.find_first_not_of(" \t\n") != std::string::npos && param_name(current) != "void")
      d.params.push_back(param_name(current));
    out.push_back(d);
    at = i;
  }
  return out;
}

// ------------------------------------------------------------------ what the calls use

bool valid_utf8(const std::string &s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

enum class BadString { Empty, InvalidUtf8, Control, Huge };
constexpr BadString kBadStrings[] = {BadString::Empty, BadString::InvalidUtf8, BadString::Control, BadString::Huge};

const char *bad_string(BadString kind) {
  static const std::string huge(1 << 20, 'a');
  switch (kind) {
    case BadString::Empty: return "";
    case BadString::InvalidUtf8: return "ok\xC3\x28\xFF";
    case BadString::Control: return "ok\r\nX-Injected: 1";
    case BadString::Huge: return huge.c_str();
  }
  return "";
}

const char *bad_string_name(BadString kind) {
  switch (kind) {
    case BadString::Empty: return "\"\"";
    case BadString::InvalidUtf8: return "invalid UTF-8";
    case BadString::Control: return "CR LF";
    case BadString::Huge: return "1 MB";
  }
  return "?";
}

int provide_nothing(void *, plexauth_token_sink *) { return 0; }
int keystore_empty(void *, plexauth_key_sink *) { return 0; }
int keystore_keep(void *, const char *, size_t) { return 0; }
void log_nowhere(void *, plexauth_log_level, const char *) {}
void count_completion(plexauth_call *, void *) {}

template <class T>
void free_any(T *p) {
  Free{}(p);
}
template <class T>
struct Tag {};
Fault canned(int status, std::string body) {
  Fault f;
  f.status = status;
  f.body = std::move(body);
  return f;
}

struct Ctx;
plexauth_call *start_for_sweep(Ctx &c, const std::string &op);  // bad_input_table.gen.inc

// The objects the calls are made with: a fake server, a client for it,
// results of every kind, an error, and scratch objects for the setters.
struct Ctx {
  FakePlex fake;
  Owned<plexauth_client> client = new_client(fake_config(fake, seed::kTokenA).get());
  Owned<plexauth_call_options> opts = no_retry();
  Owned<plexauth_sign_in> signin = sign_in_request(seed::kEmailA, seed::kPasswordA);
  Owned<plexauth_error> error = failed();
  Owned<plexauth_retry> retry = fast_retry();
  Owned<plexauth_cancel> cancel = new_cancel();
  Owned<plexauth_config> scratch_cfg = fake_config(fake, nullptr);
  Owned<plexauth_call_options> scratch_opts = call_options();
  Owned<plexauth_retry> scratch_retry = fast_retry();
  Owned<plexauth_sign_in> scratch_signin = sign_in_request(nullptr, nullptr);
  Owned<plexauth_cancel> scratch_cancel = new_cancel();
  // The non-blocking starts: an external loop that is never driven, and
  // options whose cancel token is already triggered, so a started call
  // sends nothing and completes cancelled when the loop runs.
  Owned<plexauth_loop> loop = [] {
    plexauth_loop *l = nullptr;
    EXPECT_EQ(plexauth_loop_new(&l, PLEXAUTH_LOOP_EXTERNAL, nullptr), PLEXAUTH_OK);
    return Owned<plexauth_loop>(l);
  }();
  Owned<plexauth_cancel> triggered = [] {
    auto t = new_cancel();
    plexauth_cancel_trigger(t.get());
    return t;
  }();
  Owned<plexauth_call_options> cancelled_opts = [this] {
    auto o = no_retry();
    EXPECT_EQ(plexauth_call_options_set_cancel(o.get(), triggered.get()), PLEXAUTH_OK);
    return o;
  }();
  std::map<std::string, plexauth_call *> finished_;
  // A completed (cancelled) call of `op`, for the _finish functions.
  plexauth_call *finished(const std::string &op) {
    auto it = finished_.find(op);
    if (it != finished_.end()) return it->second;
    plexauth_call *call = start_for_sweep(*this, op);
    EXPECT_EQ(plexauth_call_wait(call, 5000, nullptr), PLEXAUTH_OK) << op;
    keep_.emplace_back(call, [](void *p) { plexauth_call_free(static_cast<plexauth_call *>(p)); });
    return finished_[op] = call;
  }
  int64_t i64 = 0;
  int i = 0;
  size_t len = 0;
  // Set while sweeping a function that changes the fake's state (sign_out
  // revokes the client's token): every call then starts from the seeded state.
  bool reset_before_each_call = false;
  // Output buffers of the login helpers, and a private folder for the
  // client identifier file (also the default one: XDG_CONFIG_HOME).
  char buf[4096] = {0};
  char id_buf[PLEXAUTH_CLIENT_ID_MAX] = {0};
  std::string dir = [] {
    std::string t = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                    "/plexauth-bad-input-XXXXXX";
    return mkdtemp(t.data()) ? t : std::string("/tmp");
  }();
  std::string id_path = dir + "/client_id";
  std::string cache_path = dir + "/connections.json";
  // Connecting: options (scratch ones for the setters; ones whose cancel
  // token is triggered for the starts), a cache, and a result of a real
  // connect to the fake (its /identity answered by a canned body).
  Owned<plexauth_connect_options> scratch_connect = new_connect_options();
  Owned<plexauth_connect_options> cancelled_connect = [this] {
    auto o = new_connect_options();
    EXPECT_EQ(plexauth_connect_options_set_cancel(o.get(), triggered.get()), PLEXAUTH_OK);
    return o;
  }();
  Owned<plexauth_connect_cache> cache = [] {
    plexauth_connect_cache *k = nullptr;
    EXPECT_EQ(plexauth_connect_cache_new(&k, nullptr), PLEXAUTH_OK);
    return Owned<plexauth_connect_cache>(k);
  }();
  static Owned<plexauth_connect_options> new_connect_options() {
    plexauth_connect_options *o = nullptr;
    EXPECT_EQ(plexauth_connect_options_new(&o, nullptr), PLEXAUTH_OK);
    return Owned<plexauth_connect_options>(o);
  }
  Owned<plexauth_resources> reachable;  // one server: the fake
  const plexauth_resource *reachable_server() {
    if (!reachable) {
      const std::string port = std::to_string(fake.port());
      const std::string json = R"([{"name":"Sweep","clientIdentifier":"sweep0machine","owned":true,"connections":[)"
                               R"({"protocol":"http","address":"127.0.0.1","port":)" + port +
                               R"(,"uri":"http://127.0.0.1:)" + port + R"(","local":true}]}])";
      plexauth_resources *r = nullptr;
      EXPECT_EQ(plexauth_resources_from_json(&r, json.c_str(), nullptr), PLEXAUTH_OK);
      reachable.reset(r);
    }
    return plexauth_resources_devices_at(reachable.get(), 0);
  }
  // JWT device authentication: a key saved in the sweep's folder, registered
  // with the fake for account A, and a Plex JWT the fake issued for it.
  std::string key_path = dir + "/device_key.pem";
  std::string key_path2 = dir + "/device_key2.pem";
  Owned<plexauth_device_key> key = [this] {
    plexauth_device_key *k = nullptr;
    EXPECT_EQ(plexauth_device_key_load_or_create(&k, key_path.c_str(), nullptr, nullptr), PLEXAUTH_OK);
    return Owned<plexauth_device_key>(k);
  }();
  std::string pem = [this] {
    char text[512];
    EXPECT_EQ(plexauth_device_key_to_pem(key.get(), text, sizeof text, nullptr, nullptr), PLEXAUTH_OK);
    return std::string(text);
  }();
  const plexauth_device_key *registered_key() {
    plexauth_error *e = nullptr;
    EXPECT_EQ(plexauth_client_register_device_key(client.get(), key.get(), opts.get(), &e), PLEXAUTH_OK)
        << plexauth_error_message(e);
    plexauth_error_free(e);
    return key.get();
  }
  std::unique_ptr<plexauth_jwt_session, void (*)(plexauth_jwt_session *)> session_{nullptr, plexauth_jwt_session_free};
  plexauth_jwt_session *session_made() {
    plexauth_jwt_session *s = nullptr;
    EXPECT_EQ(plexauth_jwt_session_new(&s, client.get(), registered_key(), 0, nullptr), PLEXAUTH_OK);
    return s;
  }
  plexauth_jwt_session *session() {
    if (!session_) session_.reset(session_made());
    return session_.get();
  }
  std::string plex_jwt_;
  const char *plex_jwt() {
    if (plex_jwt_.empty()) {
      plexauth_jwt_token *t = nullptr;
      plexauth_error *e = nullptr;
      EXPECT_EQ(plexauth_client_jwt_login(&t, client.get(), registered_key(), nullptr, opts.get(), &e), PLEXAUTH_OK)
          << plexauth_error_message(e);
      plexauth_error_free(e);
      if (t) plex_jwt_ = plexauth_jwt_token_auth_token(t);
      plexauth_jwt_token_free(t);
    }
    return plex_jwt_.c_str();
  }
  Owned<plexauth_connect_result> connected;
  const plexauth_connect_result *connect_result() {
    if (!connected) {
      fake.add_fault("/identity", canned(200, R"({"MediaContainer":{"machineIdentifier":"sweep0machine","version":"1.2"}})"));
      plexauth_connect_result *r = nullptr;
      plexauth_error *e = nullptr;
      EXPECT_EQ(plexauth_client_connect(&r, client.get(), reachable_server(), nullptr, &e), PLEXAUTH_OK)
          << plexauth_error_message(e);
      plexauth_error_free(e);
      connected.reset(r);
    }
    return connected.get();
  }
  std::vector<std::shared_ptr<void>> keep_;

  // An error with everything: 429, Retry-After, errors[], a body.
  Owned<plexauth_error> failed() {
    Fault f = plex_error_fault(429, 1001, "Slow down");
    f.retry_after = "3";
    fake.add_fault(kUserPath, f);
    auto r = get_token_details(client.get(), opts.get());
    EXPECT_EQ(r.status, PLEXAUTH_E_RATE_LIMITED) << describe(r);
    return std::move(r.error);
  }
  // A fresh result of every result type, made by its operation against the
  // fake answering the every-field body (generated: bad_input_table.gen.inc).
  template <class T>
  T *make();
  // One result of each type, kept for the getters' calls.
  template <class T>
  const T *kept() {
    static T *made = nullptr;  // per type; reset when a new Ctx keeps one
    static const Ctx *owner = nullptr;
    if (owner != this || !made) {
      made = make<T>();
      owner = this;
      keep_.emplace_back(made, [](void *p) { free_any(static_cast<T *>(p)); });
    }
    return made;
  }
  const plexauth_account *acc() { return kept<plexauth_account>(); }
  template <class T>
  T **slot() {
    static T *s = nullptr;
    return &s;
  }
};

// Type-directed valid arguments for getters: every parameter type that has
// one obvious valid value (the generated file adds every result and model).
const plexauth_error *arg(Ctx &c, Tag<const plexauth_error *>) { return c.error.get(); }
const plexauth_response *arg(Ctx &c, Tag<const plexauth_response *>) { return plexauth_account_response(c.acc()); }
const plexauth_cancel *arg(Ctx &c, Tag<const plexauth_cancel *>) { return c.cancel.get(); }
int64_t *arg(Ctx &c, Tag<int64_t *>) { return &c.i64; }
int *arg(Ctx &c, Tag<int *>) { return &c.i; }
size_t *arg(Ctx &c, Tag<size_t *>) { return &c.len; }
size_t arg(Ctx &, Tag<size_t>) { return 0; }
const plexauth_connect_result *arg(Ctx &c, Tag<const plexauth_connect_result *>) { return c.connect_result(); }
const plexauth_device_key *arg(Ctx &c, Tag<const plexauth_device_key *>) { return c.key.get(); }
plexauth_status arg(Ctx &, Tag<plexauth_status>) { return PLEXAUTH_E_RATE_LIMITED; }


template <class T>
T *sentinel() {
  return reinterpret_cast<T *>(uintptr_t{0x5a});
}
long g_calls = 0;  // calls made by the sweeps, for the report line
constexpr int64_t kUntouched64 = 0x5a5a5a5a5a5a5a5a;
constexpr int kUntouched = 0x5a5a5a5a;

plexauth_call *start_hand_written_for_sweep(Ctx &c, const std::string &op) {
  plexauth_call *call = nullptr;
  if (op == "post_users_sign_in_data") {
    EXPECT_EQ(plexauth_client_post_users_sign_in_data_start(&call, c.client.get(), c.signin.get(),
                                                            c.cancelled_opts.get(), c.loop.get(), nullptr, nullptr,
                                                            nullptr),
              PLEXAUTH_OK);
  }
  if (op == "connect") {
    EXPECT_EQ(plexauth_client_connect_start(&call, c.client.get(), c.reachable_server(), c.cancelled_connect.get(),
                                            c.loop.get(), nullptr, nullptr, nullptr),
              PLEXAUTH_OK);
  }
  if (op == "jwt_login") {
    EXPECT_EQ(plexauth_client_jwt_login_start(&call, c.client.get(), c.key.get(), nullptr, c.cancelled_opts.get(),
                                              c.loop.get(), nullptr, nullptr, nullptr),
              PLEXAUTH_OK);
  }
  EXPECT_NE(call, nullptr) << op << ": no start for the sweep";
  return call;
}

#include "bad_input_table.gen.inc"

// ------------------------------------------------------------------ the table

struct Entry;
using Check = std::function<void(Ctx &, const Declared &, const Entry &)>;

struct Entry {
  size_t arity = 0;
  Check check;
  // Status functions: what the valid call gives, and what "" gives in a
  // string parameter (INVALID_ARGUMENT unless said otherwise).
  plexauth_status baseline = PLEXAUTH_OK;
  plexauth_status empty = PLEXAUTH_E_INVALID_ARGUMENT;
  // plexauth_error_message: "" rather than NULL for a NULL error.
  bool empty_string_result = false;
  // What "" gives in one named string parameter, where it differs from `empty`.
  std::map<std::string, plexauth_status> empty_in;
  // The function changes the fake's state: reset it before each call and after the sweep.
  bool changes_state = false;

  Entry &gives(plexauth_status s) {
    baseline = s;
    return *this;
  }
  Entry &empty_gives(plexauth_status s) {
    empty = s;
    return *this;
  }
  Entry &empty_string_for_null() {
    empty_string_result = true;
    return *this;
  }
  Entry &empty_in_gives(const std::string &param, plexauth_status s) {
    empty_in[param] = s;
    return *this;
  }
  Entry &resets_fake() {
    changes_state = true;
    return *this;
  }
};

// May this parameter be NULL, giving the valid call's outcome? (plexauth.h:
// the error out-param and an operation's opts are optional; a setter's NULL value
// clears the setting; NULL type/scope mean the defaults; callbacks and user
// data may be NULL; the version parts and lengths are optional out-params.)
bool null_allowed(const std::string &fn, const std::vector<std::string> &params, size_t i, bool out_param) {
  static const std::set<std::string> anywhere = {"user_data", "destroy", "major", "minor", "patch", "len"};
  const std::string &p = params[i];
  if (anywhere.count(p) || (p == "err" && out_param) || (p == "opts" && i > 0)) return true;
  // A setter (not a getter such as plexauth_account_ads_consent_set_at).
  static const char *const setters[] = {"plexauth_config_set_", "plexauth_call_options_set_", "plexauth_sign_in_set_",
                                        "plexauth_retry_set_", "plexauth_connect_options_set_"};
  for (const char *prefix : setters)
    if (fn.rfind(prefix, 0) == 0 && i > 0) return true;
  const bool is_start = fn.size() > 6 && fn.compare(fn.size() - 6, 6, "_start") == 0;
  const std::string op = is_start ? fn.substr(0, fn.size() - 6) : fn;  // a start takes its operation's arguments
  if (op == "plexauth_client_get_transient_token" && (p == "type" || p == "scope")) return true;
  if (op == "plexauth_client_switch_home_user" && p == "pin") return true;  // NULL: no PIN
  // The login helpers: NULL path = the default one, NULL forward_url = none,
  // NULL needed = not wanted, NULL progress = no progress calls.
  if (fn == "plexauth_client_id_load_or_create" && p == "path") return true;
  if (fn == "plexauth_login_url" && (p == "forward_url" || p == "needed")) return true;
  if ((fn == "plexauth_client_wait_for_pin" || fn == "plexauth_client_wait_for_jwk_pin") && p == "progress") return true;
  // JWT: NULL nonce = none, scope = the default, key = no thumbprint check; optional out-params.
  if (fn == "plexauth_device_key_sign_jwt" && (p == "nonce" || p == "scope")) return true;
  if (op == "plexauth_client_jwt_login" && p == "scope") return true;
  if (fn == "plexauth_client_jwt_verify" && (p == "key" || p == "expires_at")) return true;
  if ((fn == "plexauth_device_key_load_or_create" || fn == "plexauth_device_key_load_or_create_with") &&
      p == "created")
    return true;
  if (fn == "plexauth_jwt_session_token" && p == "expires_at") return true;
  // A start without a loop uses the client's own; without a callback, none is called.
  if (is_start && (p == "loop" || p == "done")) return true;
  return false;
}

template <class R>
struct Returned {
  // What a getter gives: the value, with strings copied.
  static auto keep(R r) {
    if constexpr (std::is_same_v<R, const char *>) {
      return r ? std::optional<std::string>(r) : std::nullopt;
    } else {
      return r;
    }
  }
};

template <class R, class... A>
class Sweep {
 public:
  using Args = std::tuple<A...>;
  static constexpr bool kStatus = std::is_same_v<R, plexauth_status>;

  Sweep(R (*fn)(A...), std::function<Args(Ctx &)> valid) : fn_(fn), valid_(std::move(valid)) {}

  void run(Ctx &c, const Declared &d, const Entry &e) const {
    // The baseline.
    Args args = valid_(c);
    auto base = call(c, d, args, "the valid call");
    if constexpr (kStatus) {
      EXPECT_EQ(base, e.baseline) << d.name << ": the valid call";
    }
    // NULL in each pointer parameter.
    for_each_param([&](auto index) {
      constexpr size_t I = decltype(index)::value;
      using P = std::tuple_element_t<I, Args>;
      if constexpr (std::is_pointer_v<P>) {
        Args a = valid_(c);
        std::get<I>(a) = nullptr;
        const std::string what = "NULL " + d.params[I];
        auto got = call(c, d, a, what);
        if (null_allowed(d.name, d.params, I, std::is_pointer_v<std::remove_pointer_t<P>>)) {
          if constexpr (!std::is_void_v<R>) expect_same(got, base, d.name + ": " + what);
        } else {
          expect_empty(got, e, d.name + ": " + what);
        }
      }
    });
    // Bad strings in each string parameter.
    for_each_param([&](auto index) {
      constexpr size_t I = decltype(index)::value;
      using P = std::tuple_element_t<I, Args>;
      if constexpr (std::is_same_v<P, const char *>) {
        for (BadString kind : kBadStrings) {
          Args a = valid_(c);
          std::get<I>(a) = bad_string(kind);
          const std::string what = std::string(bad_string_name(kind)) + " " + d.params[I];
          auto got = call(c, d, a, what);
          if constexpr (kStatus) {
            const auto special = e.empty_in.find(d.params[I]);
            const plexauth_status empty = special != e.empty_in.end() ? special->second : e.empty;
            const plexauth_status want = kind == BadString::Empty ? empty : PLEXAUTH_E_INVALID_ARGUMENT;
            EXPECT_EQ(got, want) << d.name << ": " << what << " gave " << plexauth_status_name(got);
          } else {
            expect_empty(got, e, d.name + ": " + what);
          }
        }
      }
    });
  }

 private:
  template <class F>
  static void for_each_param(F &&f) {
    for_each_index(std::forward<F>(f), std::index_sequence_for<A...>{});
  }
  template <class F, size_t... I>
  static void for_each_index(F &&f, std::index_sequence<I...>) {
    (f(std::integral_constant<size_t, I>{}), ...);
  }

  // Makes one call: out-params start as sentinels and are checked and freed
  // afterwards; an INVALID_ARGUMENT call must not have reached the server.
  auto call(Ctx &c, const Declared &d, Args &args, const std::string &what) const {
    prepare(args);
    ++g_calls;
    if (c.reset_before_each_call) c.fake.reset();
    const size_t sent_before = c.fake.requests().size();
    if constexpr (std::is_void_v<R>) {
      std::apply(fn_, args);
      finish(d, args, PLEXAUTH_OK, what);
      return 0;
    } else {
      R r = std::apply(fn_, args);
      plexauth_status status = PLEXAUTH_OK;
      if constexpr (kStatus) {
        status = r;
        if (r == PLEXAUTH_E_INVALID_ARGUMENT) {
          EXPECT_EQ(c.fake.requests().size(), sent_before) << d.name << ": " << what << ": something was sent";
        }
      }
      finish(d, args, status, what);
      return Returned<R>::keep(r);
    }
  }

  static void prepare(Args &args) {
    std::apply([](auto &...a) { (prepare_one(a), ...); }, args);
  }
  template <class P>
  static void prepare_one(P p) {
    if constexpr (std::is_pointer_v<P> && !std::is_const_v<std::remove_pointer_t<P>>) {
      using T = std::remove_pointer_t<P>;
      if (p == nullptr) return;
      if constexpr (std::is_pointer_v<T>) {
        *p = sentinel<std::remove_pointer_t<T>>();  // an out-param: must be overwritten
      } else if constexpr (std::is_same_v<T, int64_t>) {
        *p = kUntouched64;
      } else if constexpr (std::is_same_v<T, int>) {
        *p = kUntouched;
      }
    }
  }

  // Out-params: on failure *out is NULL and *err a proper error; on success
  // *out is a new object and *err NULL. Everything returned is freed.
  void finish(const Declared &d, Args &args, plexauth_status status, const std::string &what) const {
    for_each_param([&](auto index) {
      constexpr size_t I = decltype(index)::value;
      using P = std::tuple_element_t<I, Args>;
      if constexpr (std::is_pointer_v<P> && std::is_pointer_v<std::remove_pointer_t<P>>) {
        using T = std::remove_pointer_t<std::remove_pointer_t<P>>;
        P p = std::get<I>(args);
        if (p == nullptr) return;
        const std::string where = d.name + ": " + what + ": *" + d.params[I];
        if (*p == sentinel<T>()) {
          ADD_FAILURE() << where << " was not written";
          *p = nullptr;
          return;
        }
        if constexpr (std::is_same_v<T, plexauth_error>) {
          if (status == PLEXAUTH_OK) {
            EXPECT_EQ(*p, nullptr) << where << " on success";
          } else if (*p == nullptr) {
            ADD_FAILURE() << where << ": no error object for " << plexauth_status_name(status);
          } else {
            EXPECT_EQ(plexauth_error_status(*p), status) << where;
            const std::string message = plexauth_error_message(*p);
            EXPECT_FALSE(message.empty()) << where;
            EXPECT_LT(message.size(), 1024u) << where << ": the message echoes the input";
            EXPECT_TRUE(valid_utf8(message)) << where << ": " << message;
            EXPECT_EQ(message.find("X-Injected"), std::string::npos) << where << ": " << message;
          }
        } else {
          if (status == PLEXAUTH_OK) {
            EXPECT_NE(*p, nullptr) << where << " on success";
          } else {
            EXPECT_EQ(*p, nullptr) << where << " on failure";
          }
        }
        if (*p != nullptr) free_any(*p);
        *p = nullptr;
      }
    });
  }

  template <class V>
  static void expect_same(const V &got, const V &base, const std::string &what) {
    EXPECT_TRUE(got == base) << what << ": differs from the valid call";
  }

  template <class V>
  static void expect_empty(const V &got, const Entry &e, const std::string &what) {
    if constexpr (kStatus) {
      EXPECT_EQ(got, PLEXAUTH_E_INVALID_ARGUMENT) << what << " gave " << plexauth_status_name(got);
    } else if constexpr (std::is_same_v<R, const char *>) {
      if (e.empty_string_result) {
        EXPECT_EQ(got, std::optional<std::string>("")) << what;
      } else {
        EXPECT_EQ(got, std::nullopt) << what << " gave \"" << got.value_or("") << "\"";
      }
    } else if constexpr (std::is_pointer_v<R>) {
      EXPECT_EQ(got, nullptr) << what;
    } else if constexpr (!std::is_void_v<R>) {
      EXPECT_EQ(got, R{0}) << what;
    }
  }

  R (*fn_)(A...);
  std::function<Args(Ctx &)> valid_;
};

// An entry made from explicit valid arguments...
template <class R, class... A, class Valid>
Entry sweep(R (*fn)(A...), Valid valid) {
  Entry e;
  e.arity = sizeof...(A);
  auto s = std::make_shared<Sweep<R, A...>>(fn, [valid](Ctx &c) { return std::tuple<A...>(valid(c)); });
  e.check = [s](Ctx &c, const Declared &d, const Entry &self) { s->run(c, d, self); };
  return e;
}
// ...or, for getters, from the type-directed ones, plus the check that a
// getter returning 0 leaves *out untouched.
template <class R, class... A>
Entry getter(R (*fn)(A...)) {
  Entry e = sweep(fn, [](Ctx &c) { return std::tuple<A...>(arg(c, Tag<A>{})...); });
  if constexpr (std::is_same_v<R, int> && sizeof...(A) >= 2) {
    Check sweep_check = e.check;
    e.check = [fn, sweep_check](Ctx &c, const Declared &d, const Entry &self) {
      sweep_check(c, d, self);
      std::tuple<A...> a(arg(c, Tag<A>{})...);
      c.i64 = kUntouched64;
      c.i = kUntouched;
      if (std::apply(fn, a) == 0) {
        EXPECT_EQ(c.i64, kUntouched64) << d.name << " returned 0 but wrote *out";
        EXPECT_EQ(c.i, kUntouched) << d.name << " returned 0 but wrote *out";
      }
    };
  }
  return e;
}
// A free function: NULL is accepted; a fresh object is freed.
template <class T, class Make>
Entry frees(void (*fn)(T *), Make make) {
  Entry e;
  e.arity = 1;
  e.check = [fn, make](Ctx &c, const Declared &, const Entry &) {
    fn(nullptr);
    fn(make(c));
  };
  return e;
}

template <class T>
T *made(plexauth_status (*ctor)(T **)) {
  T *p = nullptr;
  EXPECT_EQ(ctor(&p), PLEXAUTH_OK);
  return p;
}

// plexauth_token_sink_set exists only inside a token provider: each bad
// token is handed over in a call of its own, which then fails with
// PLEXAUTH_E_CALLBACK before anything is sent; the valid one succeeds.
Entry token_sink_entry() {
  Entry e;
  e.arity = 3;
  e.check = [](Ctx &c, const Declared &, const Entry &) {
    struct Probe {
      std::function<plexauth_status(plexauth_token_sink *)> hand_over;
      plexauth_status got = PLEXAUTH_E_INTERNAL;
      static int provide(void *self, plexauth_token_sink *sink) {
        auto *p = static_cast<Probe *>(self);
        p->got = p->hand_over(sink);
        return 0;
      }
    };
    auto attempt = [&](std::function<plexauth_status(plexauth_token_sink *)> hand_over, plexauth_status want_set,
                       plexauth_status want_call, const std::string &what) {
      Probe probe{std::move(hand_over)};
      auto cfg = fake_config(c.fake, nullptr);
      ASSERT_EQ(plexauth_config_set_token_provider(cfg.get(), &Probe::provide, &probe, nullptr), PLEXAUTH_OK);
      auto client = new_client(cfg.get());
      const size_t sent = c.fake.requests().size();
      auto r = get_token_details(client.get(), c.opts.get());
      EXPECT_EQ(probe.got, want_set) << "plexauth_token_sink_set: " << what;
      EXPECT_EQ(r.status, want_call) << "plexauth_token_sink_set: " << what << ": " << describe(r);
      if (want_call == PLEXAUTH_E_CALLBACK) {
        EXPECT_EQ(c.fake.requests().size(), sent) << what << ": sent";
      }
    };
    const std::string token = seed::kTokenA;
    attempt([&](plexauth_token_sink *s) { return plexauth_token_sink_set(s, token.data(), token.size()); },
            PLEXAUTH_OK, PLEXAUTH_OK, "the valid token");
    attempt([&](plexauth_token_sink *) { return plexauth_token_sink_set(nullptr, token.data(), token.size()); },
            PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_UNAUTHORIZED, "NULL sink (so no token was handed over)");
    attempt([&](plexauth_token_sink *s) { return plexauth_token_sink_set(s, nullptr, 5); },
            PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_CALLBACK, "NULL token");
    attempt([&](plexauth_token_sink *s) { return plexauth_token_sink_set(s, "", 0); }, PLEXAUTH_OK,
            PLEXAUTH_E_UNAUTHORIZED, "\"\" (no token)");
    for (BadString kind : {BadString::InvalidUtf8, BadString::Control, BadString::Huge}) {
      const char *bad = bad_string(kind);
      attempt([&](plexauth_token_sink *s) { return plexauth_token_sink_set(s, bad, std::strlen(bad)); },
              PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_CALLBACK, bad_string_name(kind));
    }
    attempt([&](plexauth_token_sink *s) { return plexauth_token_sink_set(s, "tok\0en", 6); },
            PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_CALLBACK, "an embedded NUL");
  };
  return e;
}

// plexauth_key_sink_set exists only inside a keystore's read function: each
// bad text fails plexauth_device_key_load_or_create_with with
// PLEXAUTH_E_CALLBACK (never "no key stored": nothing is written); the key's
// own PEM text loads that key.
Entry key_sink_entry() {
  Entry e;
  e.arity = 3;
  e.check = [](Ctx &c, const Declared &, const Entry &) {
    struct Probe {
      std::function<plexauth_status(plexauth_key_sink *)> hand_over;
      plexauth_status got = PLEXAUTH_E_INTERNAL;
      int writes = 0;
      static int read(void *self, plexauth_key_sink *sink) {
        auto *p = static_cast<Probe *>(self);
        p->got = p->hand_over(sink);
        return 0;
      }
      static int write(void *self, const char *, size_t) { return ++static_cast<Probe *>(self)->writes, 0; }
    };
    auto attempt = [&](std::function<plexauth_status(plexauth_key_sink *)> hand_over, plexauth_status want_set,
                       plexauth_status want_call, const std::string &what) {
      Probe probe{std::move(hand_over)};
      plexauth_device_key *k = nullptr;
      const plexauth_status st =
          plexauth_device_key_load_or_create_with(&k, &Probe::read, &Probe::write, &probe, nullptr, nullptr);
      Owned<plexauth_device_key> key(k);
      EXPECT_EQ(probe.got, want_set) << "plexauth_key_sink_set: " << what;
      EXPECT_EQ(st, want_call) << "plexauth_key_sink_set: " << what;
      EXPECT_EQ(probe.writes, 0) << what << ": a key was made and written";
      if (st == PLEXAUTH_OK) {
        EXPECT_STREQ(plexauth_device_key_id(key.get()), plexauth_device_key_id(c.key.get()));
      }
    };
    const std::string pem = c.pem;
    attempt([&](plexauth_key_sink *s) { return plexauth_key_sink_set(s, pem.data(), pem.size()); }, PLEXAUTH_OK,
            PLEXAUTH_OK, "the key's PEM text");
    attempt([&](plexauth_key_sink *s) { return plexauth_key_sink_set(s, nullptr, 5); }, PLEXAUTH_E_INVALID_ARGUMENT,
            PLEXAUTH_E_CALLBACK, "NULL text");
    attempt([&](plexauth_key_sink *s) { return plexauth_key_sink_set(s, "", 0); }, PLEXAUTH_OK,
            PLEXAUTH_E_INVALID_ARGUMENT, "\"\" (a stored text that is not a key)");
    for (BadString kind : {BadString::InvalidUtf8, BadString::Huge}) {
      const char *bad = bad_string(kind);
      attempt([&](plexauth_key_sink *s) { return plexauth_key_sink_set(s, bad, std::strlen(bad)); },
              PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_CALLBACK, bad_string_name(kind));
    }
    attempt([&](plexauth_key_sink *s) { return plexauth_key_sink_set(s, "PEM\0text", 8); },
            PLEXAUTH_E_INVALID_ARGUMENT, PLEXAUTH_E_CALLBACK, "an embedded NUL");
    EXPECT_EQ(plexauth_key_sink_set(nullptr, pem.data(), pem.size()), PLEXAUTH_E_INVALID_ARGUMENT);
  };
  return e;
}

#define GET(fn) {#fn, getter(&fn)}
#define SWEEP(fn, ...) {#fn, sweep(&fn, [](Ctx & c) { (void)c; return std::make_tuple(__VA_ARGS__); })}
#define FREES(fn, ...) {#fn, frees(&fn, [](Ctx & c) { (void)c; return __VA_ARGS__; })}

// plexauth_client_id_load_or_create, with XDG_CONFIG_HOME pointing into the
// sweep's private folder while it runs (NULL path means the default path).
Entry client_id_entry();
Entry resources_from_json_entry();
// plexauth_jwt_session_invalidate: NULL ignored, a session forgets its JWT
// (the next token is a new exchange).
template <class F>
Entry call_getter_like(F fn) {
  Entry e;
  e.arity = 1;
  e.check = [fn](Ctx &c, const Declared &, const Entry &) {
    fn(nullptr);
    char buf[4096];
    ASSERT_EQ(plexauth_jwt_session_token(c.session(), buf, sizeof buf, nullptr, nullptr, nullptr), PLEXAUTH_OK);
    const size_t before = c.fake.requests().size();
    fn(c.session());
    ASSERT_EQ(plexauth_jwt_session_token(c.session(), buf, sizeof buf, nullptr, nullptr, nullptr), PLEXAUTH_OK);
    EXPECT_GT(c.fake.requests().size(), before) << "invalidate did not make the next token a refresh";
  };
  return e;
}
// plexauth_jwt_session_provider is called by the library with a live sink:
// through a client whose provider it is (and with NULL user data: a failed call).
Entry session_provider_entry() {
  Entry e;
  e.arity = 2;
  e.check = [](Ctx &c, const Declared &, const Entry &) {
    for (bool with_session : {true, false}) {
      auto cfg = fake_config(c.fake, nullptr);
      ASSERT_EQ(plexauth_config_set_token_provider(cfg.get(), &plexauth_jwt_session_provider,
                                                   with_session ? c.session() : nullptr, nullptr),
                PLEXAUTH_OK);
      auto client = new_client(cfg.get());
      auto r = get_token_details(client.get(), c.opts.get());
      EXPECT_EQ(r.status, with_session ? PLEXAUTH_OK : PLEXAUTH_E_CALLBACK) << describe(r);
    }
  };
  return e;
}

// The generated entries whose valid call meets the fake's state.
void adjust_generated(std::map<std::string, Entry> &t) {
  // sign_out revokes the sweep client's token (A's): each call starts from
  // the seeded state, and the next function's sweep too.
  t.at("plexauth_client_sign_out").resets_fake();
  // The sweep's user (homeuser0000uuid) is protected with PIN 1234 and the
  // sweep's PIN is "x": the valid call is refused with 1041, as is NULL (no
  // PIN) and "" (sent as pin=, which plex.tv takes as no PIN).
  // A device JWT of "x" is not a JWT: plex.tv refuses it (422).
  t.at("plexauth_client_exchange_device_jwt").gives(PLEXAUTH_E_UNAUTHORIZED);
  t.at("plexauth_client_switch_home_user")
      .gives(PLEXAUTH_E_PIN_REQUIRED)
      .empty_in_gives("pin", PLEXAUTH_E_PIN_REQUIRED);
}

// A loop getter: the value for the sweep's loop, `null_value` for NULL.
template <class R>
Entry loop_getter(R (*fn)(const plexauth_loop *), R null_value) {
  Entry e;
  e.arity = 1;
  e.check = [fn, null_value](Ctx &c, const Declared &d, const Entry &) {
    ++g_calls;
    EXPECT_EQ(fn(nullptr), null_value) << d.name << ": NULL loop";
    ++g_calls;
    fn(c.loop.get());
  };
  return e;
}
// A pending-call function that takes only the call: NULL is left alone.
template <class R>
Entry call_getter(R (*fn)(plexauth_call *)) {
  Entry e;
  e.arity = 1;
  e.check = [fn](Ctx &c, const Declared &, const Entry &) {
    g_calls += 2;
    fn(nullptr);
    fn(c.finished("ping"));
  };
  return e;
}
Entry call_getter(int (*fn)(const plexauth_call *)) {
  Entry e;
  e.arity = 1;
  e.check = [fn](Ctx &c, const Declared &d, const Entry &) {
    g_calls += 2;
    EXPECT_EQ(fn(nullptr), 0) << d.name;
    EXPECT_EQ(fn(c.finished("ping")), 1) << d.name;
  };
  return e;
}

std::map<std::string, Entry> table() {
  std::map<std::string, Entry> t = {
      PLEXAUTH_GENERATED_SWEEP_ENTRIES
      // version, status names, errors
      SWEEP(plexauth_version, &c.i, &c.i, &c.i),
      GET(plexauth_status_name),
      FREES(plexauth_error_free, c.failed().release()),
      {"plexauth_error_status", getter(&plexauth_error_status).gives(PLEXAUTH_E_RATE_LIMITED)},
      {"plexauth_error_message", getter(&plexauth_error_message).empty_string_for_null()},
      GET(plexauth_error_http_status),
      GET(plexauth_error_attempts),
      GET(plexauth_error_retry_after_ms),
      GET(plexauth_error_plex_errors_count),
      GET(plexauth_error_plex_error_code),
      GET(plexauth_error_plex_error_status),
      GET(plexauth_error_plex_error_message),
      GET(plexauth_error_content_type),
      GET(plexauth_error_body),
      {"plexauth_token_sink_set", token_sink_entry()},
      // retry
      SWEEP(plexauth_retry_new, c.slot<plexauth_retry>()),
      FREES(plexauth_retry_free, made(&plexauth_retry_new)),
      SWEEP(plexauth_retry_set_initial_interval_ms, c.scratch_retry.get(), int64_t{100}),
      SWEEP(plexauth_retry_set_max_interval_ms, c.scratch_retry.get(), int64_t{1000}),
      SWEEP(plexauth_retry_set_exponent, c.scratch_retry.get(), 1.5),
      SWEEP(plexauth_retry_set_max_elapsed_ms, c.scratch_retry.get(), int64_t{1000}),
      SWEEP(plexauth_retry_set_max_attempts, c.scratch_retry.get(), 3u),
      SWEEP(plexauth_retry_set_retry_connection_errors, c.scratch_retry.get(), 1),
      // cancel
      SWEEP(plexauth_cancel_new, c.slot<plexauth_cancel>()),
      SWEEP(plexauth_cancel_trigger, c.scratch_cancel.get()),
      GET(plexauth_cancel_is_triggered),
      FREES(plexauth_cancel_free, made(&plexauth_cancel_new)),
      // config
      SWEEP(plexauth_config_new, c.slot<plexauth_config>()),
      FREES(plexauth_config_free, made(&plexauth_config_new)),
      {"plexauth_config_set_access_token",
       sweep(&plexauth_config_set_access_token, [](Ctx &c) { return std::make_tuple(c.scratch_cfg.get(), "tok"); })
           .empty_gives(PLEXAUTH_OK)},
      SWEEP(plexauth_config_set_token_provider, c.scratch_cfg.get(), &provide_nothing, nullptr, nullptr),
      SWEEP(plexauth_config_set_server_url, c.scratch_cfg.get(), "http://127.0.0.1:32400"),
      SWEEP(plexauth_config_set_server_protocol, c.scratch_cfg.get(), "http"),
      SWEEP(plexauth_config_set_server_ip, c.scratch_cfg.get(), "127.0.0.1"),
      SWEEP(plexauth_config_set_server_port, c.scratch_cfg.get(), 32400),
      SWEEP(plexauth_config_set_plex_tv_url, c.scratch_cfg.get(), "https://plex.tv/api/v2"),
      SWEEP(plexauth_config_set_connect_timeout_ms, c.scratch_cfg.get(), int64_t{1000}),
      SWEEP(plexauth_config_set_timeout_ms, c.scratch_cfg.get(), int64_t{1000}),
      SWEEP(plexauth_config_set_retry, c.scratch_cfg.get(), c.retry.get()),
      SWEEP(plexauth_config_set_max_response_bytes, c.scratch_cfg.get(), size_t{1} << 23),
      {"plexauth_config_set_ca_bundle",
       sweep(&plexauth_config_set_ca_bundle,
             [](Ctx &c) { return std::make_tuple(c.scratch_cfg.get(), "/etc/ssl/certs/ca-certificates.crt"); })
           .empty_gives(PLEXAUTH_OK)},
      SWEEP(plexauth_config_set_insecure_skip_tls_verify, c.scratch_cfg.get(), 0),
      SWEEP(plexauth_config_set_use_env_proxy, c.scratch_cfg.get(), 1),
      SWEEP(plexauth_config_set_pin_plex_direct, c.scratch_cfg.get(), 1),
      SWEEP(plexauth_config_set_log, c.scratch_cfg.get(), PLEXAUTH_LOG_DEBUG, &log_nowhere, nullptr),
      {"plexauth_config_set_clients_url",
       sweep(&plexauth_config_set_clients_url,
             [](Ctx &c) { return std::make_tuple(c.scratch_cfg.get(), "https://clients.plex.tv/api/v2"); })},
      // client
      SWEEP(plexauth_client_new, c.slot<plexauth_client>(), c.scratch_cfg.get(), c.slot<plexauth_error>()),
      FREES(plexauth_client_free, new_client(c.scratch_cfg.get()).release()),
      // call options
      SWEEP(plexauth_call_options_new, c.slot<plexauth_call_options>()),
      FREES(plexauth_call_options_free, made(&plexauth_call_options_new)),
      SWEEP(plexauth_call_options_set_server_url, c.scratch_opts.get(), "http://127.0.0.1:1"),
      SWEEP(plexauth_call_options_set_timeout_ms, c.scratch_opts.get(), int64_t{1000}),
      SWEEP(plexauth_call_options_set_retry, c.scratch_opts.get(), c.retry.get()),
      SWEEP(plexauth_call_options_clear_retry, c.scratch_opts.get()),
      SWEEP(plexauth_call_options_set_cancel, c.scratch_opts.get(), c.scratch_cancel.get()),
      // raw response
      GET(plexauth_response_status),
      GET(plexauth_response_content_type),
      GET(plexauth_response_headers_count),
      GET(plexauth_response_header_name),
      GET(plexauth_response_header_value),
      SWEEP(plexauth_response_header, plexauth_account_response(c.acc()), "Content-Type"),
      GET(plexauth_response_body),
      // operation 1
      // operation 2
      // operations 3 and 4
      SWEEP(plexauth_sign_in_new, c.slot<plexauth_sign_in>()),
      FREES(plexauth_sign_in_free, made(&plexauth_sign_in_new)),
      {"plexauth_sign_in_set_login",
       sweep(&plexauth_sign_in_set_login,
             [](Ctx &c) { return std::make_tuple(c.scratch_signin.get(), "me@example.com"); })
           .empty_gives(PLEXAUTH_OK)},  // "" is refused by the sign-in itself (below)
      {"plexauth_sign_in_set_password",
       sweep(&plexauth_sign_in_set_password, [](Ctx &c) { return std::make_tuple(c.scratch_signin.get(), "pw"); })
           .empty_gives(PLEXAUTH_OK)},
      SWEEP(plexauth_sign_in_set_remember_me, c.scratch_signin.get(), 1),
      {"plexauth_sign_in_set_verification_code",
       sweep(&plexauth_sign_in_set_verification_code,
             [](Ctx &c) { return std::make_tuple(c.scratch_signin.get(), "123456"); })
           .empty_gives(PLEXAUTH_OK)},
      SWEEP(plexauth_client_post_users_sign_in_data, c.slot<plexauth_account>(), c.client.get(),
            static_cast<const plexauth_sign_in *>(c.signin.get()),
            static_cast<const plexauth_call_options *>(c.opts.get()), c.slot<plexauth_error>()),
      {"plexauth_client_post_users_sign_in_data_start",
       sweep(&plexauth_client_post_users_sign_in_data_start, [](Ctx &c) {
         return std::make_tuple(c.slot<plexauth_call>(), c.client.get(),
                                static_cast<const plexauth_sign_in *>(c.signin.get()),
                                static_cast<const plexauth_call_options *>(c.cancelled_opts.get()), c.loop.get(),
                                &count_completion, static_cast<void *>(nullptr), c.slot<plexauth_error>());
       })},
      // loops and pending calls
      SWEEP(plexauth_loop_new, c.slot<plexauth_loop>(), PLEXAUTH_LOOP_EXTERNAL, c.slot<plexauth_error>()),
      FREES(plexauth_loop_free, [] {
        plexauth_loop *l = nullptr;
        plexauth_loop_new(&l, PLEXAUTH_LOOP_THREAD, nullptr);
        return l;
      }()),
      {"plexauth_loop_fd", loop_getter(&plexauth_loop_fd, -1)},
      {"plexauth_loop_timeout_ms", loop_getter(&plexauth_loop_timeout_ms, int64_t{-1})},
      {"plexauth_loop_pending", loop_getter(&plexauth_loop_pending, size_t{0})},
      SWEEP(plexauth_loop_process, c.loop.get(), c.slot<plexauth_error>()),
      SWEEP(plexauth_loop_run, c.loop.get(), int64_t{0}, c.slot<plexauth_error>()),
      {"plexauth_call_done", call_getter(&plexauth_call_done)},
      {"plexauth_call_cancel", call_getter(&plexauth_call_cancel)},
      SWEEP(plexauth_call_wait, c.finished("ping"), int64_t{0}, c.slot<plexauth_error>()),
      FREES(plexauth_call_free, start_for_sweep(c, "ping")),
      // connecting to a server
      SWEEP(plexauth_connect_options_new, c.slot<plexauth_connect_options>(), c.slot<plexauth_error>()),
      FREES(plexauth_connect_options_free, Ctx::new_connect_options().release()),
      SWEEP(plexauth_connect_options_set_locations, c.scratch_connect.get(), 5u),
      SWEEP(plexauth_connect_options_set_schemes, c.scratch_connect.get(), 1, 0),
      SWEEP(plexauth_connect_options_set_stagger_ms, c.scratch_connect.get(), int64_t{100}),
      SWEEP(plexauth_connect_options_set_grace_ms, c.scratch_connect.get(), int64_t{50}),
      SWEEP(plexauth_connect_options_set_deadline_ms, c.scratch_connect.get(), int64_t{2000}),
      SWEEP(plexauth_connect_options_set_cache, c.scratch_connect.get(), c.cache.get()),
      SWEEP(plexauth_connect_options_set_cancel, c.scratch_connect.get(), c.scratch_cancel.get()),
      SWEEP(plexauth_connect_cache_new, c.slot<plexauth_connect_cache>(), c.slot<plexauth_error>()),
      FREES(plexauth_connect_cache_free, [] {
        plexauth_connect_cache *k = nullptr;
        plexauth_connect_cache_new(&k, nullptr);
        return k;
      }()),
      SWEEP(plexauth_connect_cache_load, c.cache.get(), c.cache_path.c_str(), c.slot<plexauth_error>()),
      SWEEP(plexauth_connect_cache_save, static_cast<const plexauth_connect_cache *>(c.cache.get()),
            c.cache_path.c_str(), c.slot<plexauth_error>()),
      SWEEP(plexauth_connect_cache_size, static_cast<const plexauth_connect_cache *>(c.cache.get())),
      {"plexauth_resources_from_json", resources_from_json_entry()},
      // The every-field resource advertises no usable address: unreachable, nothing sent.
      {"plexauth_client_connect",
       sweep(&plexauth_client_connect,
             [](Ctx &c) {
               return std::make_tuple(c.slot<plexauth_connect_result>(), c.client.get(),
                                      arg(c, Tag<const plexauth_resource *>{}),
                                      static_cast<const plexauth_connect_options *>(c.scratch_connect.get()),
                                      c.slot<plexauth_error>());
             })
           .gives(PLEXAUTH_E_UNREACHABLE)},
      SWEEP(plexauth_client_connect_start, c.slot<plexauth_call>(), c.client.get(), c.reachable_server(),
            static_cast<const plexauth_connect_options *>(c.cancelled_connect.get()), c.loop.get(), &count_completion,
            static_cast<void *>(nullptr), c.slot<plexauth_error>()),
      {"plexauth_client_connect_finish",
       sweep(&plexauth_client_connect_finish,
             [](Ctx &c) {
               return std::make_tuple(c.slot<plexauth_connect_result>(), c.finished("connect"), c.slot<plexauth_error>());
             })
           .gives(PLEXAUTH_E_CANCELLED)},
      FREES(plexauth_connect_result_free, [&c] {
        c.fake.add_fault("/identity", canned(200, R"({"MediaContainer":{"machineIdentifier":"sweep0machine"}})"));
        plexauth_connect_result *r = nullptr;
        EXPECT_EQ(plexauth_client_connect(&r, c.client.get(), c.reachable_server(), nullptr, nullptr), PLEXAUTH_OK);
        return r;
      }()),
      GET(plexauth_connect_result_uri),
      GET(plexauth_connect_result_access_token),
      GET(plexauth_connect_result_machine_identifier),
      GET(plexauth_connect_result_name),
      GET(plexauth_connect_result_version),
      GET(plexauth_connect_result_elapsed_ms),
      GET(plexauth_connect_result_attempts_count),
      GET(plexauth_connect_result_attempt_uri),
      GET(plexauth_connect_result_attempt_location),
      GET(plexauth_connect_result_attempt_outcome),
      GET(plexauth_connect_result_attempt_status),
      GET(plexauth_connect_result_attempt_message),
      GET(plexauth_connect_result_attempt_started_ms),
      GET(plexauth_connect_result_attempt_elapsed_ms),
      GET(plexauth_connect_result_json),
      // JWT device authentication
      SWEEP(plexauth_device_key_generate, c.slot<plexauth_device_key>(), c.slot<plexauth_error>()),
      {"plexauth_device_key_from_pem",  // CR LF and 1 MB of "a" are text, but not a key
       sweep(&plexauth_device_key_from_pem,
             [](Ctx &c) { return std::make_tuple(c.slot<plexauth_device_key>(), c.pem.c_str(), c.slot<plexauth_error>()); })},
      SWEEP(plexauth_device_key_to_pem, static_cast<const plexauth_device_key *>(c.key.get()), c.buf, sizeof c.buf,
            &c.len, c.slot<plexauth_error>()),
      SWEEP(plexauth_device_key_load, c.slot<plexauth_device_key>(), c.key_path.c_str(), c.slot<plexauth_error>()),
      SWEEP(plexauth_device_key_save, static_cast<const plexauth_device_key *>(c.key.get()), c.key_path2.c_str(),
            c.slot<plexauth_error>()),
      SWEEP(plexauth_device_key_load_or_create, c.slot<plexauth_device_key>(), c.key_path.c_str(), &c.i,
            c.slot<plexauth_error>()),
      {"plexauth_key_sink_set", key_sink_entry()},
      SWEEP(plexauth_device_key_load_or_create_with, c.slot<plexauth_device_key>(), &keystore_empty, &keystore_keep,
            nullptr, &c.i, c.slot<plexauth_error>()),
      SWEEP(plexauth_device_key_save_with, static_cast<const plexauth_device_key *>(c.key.get()), &keystore_keep,
            nullptr, c.slot<plexauth_error>()),
      FREES(plexauth_device_key_free, [] {
        plexauth_device_key *k = nullptr;
        plexauth_device_key_generate(&k, nullptr);
        return k;
      }()),
      GET(plexauth_device_key_id),
      GET(plexauth_device_key_jwk),
      {"plexauth_device_key_sign_jwt",  // "" nonce: none; "" scope: an empty scope
       sweep(&plexauth_device_key_sign_jwt,
             [](Ctx &c) {
               return std::make_tuple(static_cast<const plexauth_device_key *>(c.key.get()), "client", "nonce",
                                      "username", int64_t{300}, c.buf, sizeof c.buf, &c.len, c.slot<plexauth_error>());
             })
           .empty_in_gives("nonce", PLEXAUTH_OK)
           .empty_in_gives("scope", PLEXAUTH_OK)},
      SWEEP(plexauth_client_register_device_key, c.client.get(), static_cast<const plexauth_device_key *>(c.key.get()),
            static_cast<const plexauth_call_options *>(c.opts.get()), c.slot<plexauth_error>()),
      {"plexauth_client_jwt_login",  // "" scope: an empty scope
       sweep(&plexauth_client_jwt_login,
             [](Ctx &c) {
               return std::make_tuple(c.slot<plexauth_jwt_token>(), c.client.get(), c.registered_key(), "username",
                                      static_cast<const plexauth_call_options *>(c.opts.get()), c.slot<plexauth_error>());
             })
           .empty_in_gives("scope", PLEXAUTH_OK)},
      SWEEP(plexauth_client_jwt_verify, c.client.get(), c.plex_jwt(), static_cast<const plexauth_device_key *>(c.key.get()),
            &c.i64, static_cast<const plexauth_call_options *>(c.opts.get()), c.slot<plexauth_error>()),
      {"plexauth_client_jwt_login_start",  // "" scope: an empty scope
       sweep(&plexauth_client_jwt_login_start,
             [](Ctx &c) {
               return std::make_tuple(c.slot<plexauth_call>(), c.client.get(),
                                      static_cast<const plexauth_device_key *>(c.key.get()), "username",
                                      static_cast<const plexauth_call_options *>(c.cancelled_opts.get()), c.loop.get(),
                                      &count_completion, static_cast<void *>(nullptr), c.slot<plexauth_error>());
             })
           .empty_in_gives("scope", PLEXAUTH_OK)},
      {"plexauth_client_jwt_login_finish",
       sweep(&plexauth_client_jwt_login_finish,
             [](Ctx &c) {
               return std::make_tuple(c.slot<plexauth_jwt_token>(), c.finished("jwt_login"), c.slot<plexauth_error>());
             })
           .gives(PLEXAUTH_E_CANCELLED)},
      SWEEP(plexauth_jwt_session_new, c.slot<plexauth_jwt_session>(), c.client.get(), c.registered_key(), int64_t{0},
            c.slot<plexauth_error>()),
      FREES(plexauth_jwt_session_free, c.session_made()),
      {"plexauth_jwt_session_invalidate", call_getter_like(&plexauth_jwt_session_invalidate)},
      SWEEP(plexauth_jwt_session_token, c.session(), c.buf, sizeof c.buf, &c.len, &c.i64, c.slot<plexauth_error>()),
      {"plexauth_jwt_session_provider", session_provider_entry()},
      // the login journey's helpers
      {"plexauth_call_options_set_access_token",
       sweep(&plexauth_call_options_set_access_token,
             [](Ctx &c) { return std::make_tuple(c.scratch_opts.get(), "tok"); })
           .empty_gives(PLEXAUTH_OK)},
      {"plexauth_client_id_load_or_create", client_id_entry()},
      {"plexauth_login_url",  // "" forward_url: none, like NULL
       sweep(&plexauth_login_url,
             [](Ctx &c) {
               return std::make_tuple(static_cast<const plexauth_client *>(c.client.get()), "SEED",
                                      "https://app.example/cb", c.buf, sizeof c.buf, &c.len,
                                      c.slot<plexauth_error>());
             })
           .empty_in_gives("forward_url", PLEXAUTH_OK)},
      // The seeded PIN, approved before each call: the first poll has its token.
      {"plexauth_client_wait_for_pin",
       sweep(&plexauth_client_wait_for_pin,
             [](Ctx &c) {
               c.fake.approve_pin(seed::kPinId, seed::kEmailA);
               return std::make_tuple(c.slot<plexauth_pin>(), c.client.get(), seed::kPinId, int64_t{100},
                                      int64_t{5000}, static_cast<plexauth_pin_progress_fn>(nullptr),
                                      static_cast<void *>(nullptr),
                                      static_cast<const plexauth_call_options *>(c.opts.get()),
                                      c.slot<plexauth_error>());
             })},
      // A fresh JWK PIN of the sweep's key, approved before each call.
      {"plexauth_client_wait_for_jwk_pin",
       sweep(&plexauth_client_wait_for_jwk_pin,
             [](Ctx &c) {
               plexauth_pin *pin = nullptr;
               EXPECT_EQ(plexauth_client_create_jwk_pin(&pin, c.client.get(), plexauth_device_key_jwk(c.key.get()), 0,
                                                        nullptr, nullptr),
                         PLEXAUTH_OK);
               int64_t id = 0;
               plexauth_pin_id(pin, &id);
               plexauth_pin_free(pin);
               c.fake.approve_pin(id, seed::kEmailA);
               return std::make_tuple(c.slot<plexauth_pin>(), c.client.get(), id,
                                      static_cast<const plexauth_device_key *>(c.key.get()), int64_t{100},
                                      int64_t{5000}, static_cast<plexauth_pin_progress_fn>(nullptr),
                                      static_cast<void *>(nullptr),
                                      static_cast<const plexauth_call_options *>(c.opts.get()),
                                      c.slot<plexauth_error>());
             })},
  };
  adjust_generated(t);
  return t;
}

// plexauth_resources_from_json reads JSON text: "" and text that is not an
// array of devices are malformed (CR LF is JSON whitespace), not invalid
// arguments; bad UTF-8 is refused as an argument.
Entry resources_from_json_entry() {
  Entry e;
  e.arity = 3;
  e.check = [](Ctx &c, const Declared &, const Entry &) {
    auto parse = [&](plexauth_resources **out, const char *json) {
      plexauth_error *err = nullptr;
      const plexauth_status s = plexauth_resources_from_json(out, json, &err);
      EXPECT_EQ(s == PLEXAUTH_OK, err == nullptr) << plexauth_status_name(s);
      if (s != PLEXAUTH_OK && out) {
        EXPECT_EQ(*out, nullptr);
      }
      plexauth_error_free(err);
      return s;
    };
    plexauth_resources *r = nullptr;
    EXPECT_EQ(parse(&r, R"([{"name":"A","connections":[]}])"), PLEXAUTH_OK);
    EXPECT_EQ(plexauth_resources_devices_count(r), 1u);
    plexauth_resources_free(r);
    EXPECT_EQ(parse(nullptr, "[]"), PLEXAUTH_E_INVALID_ARGUMENT);
    EXPECT_EQ(parse(&r, nullptr), PLEXAUTH_E_INVALID_ARGUMENT);
    EXPECT_EQ(plexauth_resources_from_json(&r, "[]", nullptr), PLEXAUTH_OK);
    plexauth_resources_free(r);
    EXPECT_EQ(parse(&r, bad_string(BadString::InvalidUtf8)), PLEXAUTH_E_INVALID_ARGUMENT);
    for (BadString kind : {BadString::Empty, BadString::Control, BadString::Huge})
      EXPECT_EQ(parse(&r, bad_string(kind)), PLEXAUTH_E_MALFORMED_RESPONSE) << bad_string_name(kind);
    EXPECT_EQ(parse(&r, R"({"name":"not an array"})"), PLEXAUTH_E_MALFORMED_RESPONSE);
    (void)c;
  };
  return e;
}

Entry client_id_entry() {
  Entry e = sweep(&plexauth_client_id_load_or_create, [](Ctx &c) {
    return std::make_tuple(static_cast<const char *>(c.id_path.c_str()), c.id_buf, sizeof c.id_buf,
                           c.slot<plexauth_error>());
  });
  Check inner = e.check;
  e.check = [inner](Ctx &c, const Declared &d, const Entry &self) {
    const char *old = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old ? old : "";
    setenv("XDG_CONFIG_HOME", c.dir.c_str(), 1);
    inner(c, d, self);
    if (old) {
      setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    } else {
      unsetenv("XDG_CONFIG_HOME");
    }
  };
  return e;
}

// ------------------------------------------------------------------ tests

TEST(BadInput, TheHeaderIsReadable) {
  const auto declared = declared_functions();
  ASSERT_GT(declared.size(), 150u) << "could not read " << PLEXAUTH_PUBLIC_HEADER;
  // Spot checks of the parser, on the two unusual declarations.
  for (const Declared &d : declared) {
    if (d.name == "plexauth_config_set_token_provider") {
      EXPECT_EQ(d.params, (std::vector<std::string>{"cfg", "fn", "user_data", "destroy"}));
    }
    if (d.name == "plexauth_call_options_clear_retry") {
      EXPECT_EQ(d.params, std::vector<std::string>{"opts"});
    }
  }
}

TEST(BadInput, EveryPublicFunctionIsInTheTable) {
  const auto declared = declared_functions();
  const auto entries = table();
  std::set<std::string> names;
  for (const Declared &d : declared) {
    names.insert(d.name);
    auto it = entries.find(d.name);
    if (it == entries.end()) {
      ADD_FAILURE() << d.name << " is declared in plexauth.h but has no entry in bad_input_test.cpp";
      continue;
    }
    EXPECT_EQ(it->second.arity, d.params.size()) << d.name << ": the header and the entry disagree";
  }
  for (const auto &[name, entry] : entries)
    EXPECT_TRUE(names.count(name)) << name << " has an entry but is not declared in plexauth.h";
  std::printf("[bad-input] %zu functions declared, %zu entries\n", declared.size(), entries.size());
}

TEST(BadInput, EveryPublicFunctionSurvivesNullEmptyInvalidAndHugeArguments) {
  Ctx c;
  ASSERT_NE(c.acc(), nullptr);
  ASSERT_NE(c.error, nullptr);
  const auto entries = table();
  size_t swept = 0;
  for (const Declared &d : declared_functions()) {
    auto it = entries.find(d.name);
    if (it == entries.end() || it->second.arity != d.params.size()) continue;  // reported above
    SCOPED_TRACE(d.name);
    c.reset_before_each_call = it->second.changes_state;
    it->second.check(c, d, it->second);
    if (c.reset_before_each_call) c.fake.reset();
    c.reset_before_each_call = false;
    ++swept;
  }
  std::printf("[bad-input] %zu functions swept in %ld calls (token sink and frees not counted); %zu requests "
              "reached the fake\n",
              swept, g_calls, c.fake.requests().size());
}

// Empty login or password: the setters accept "", the sign-in refuses it
// before sending anything.
TEST(BadInput, SignInWithAnEmptyLoginOrPasswordSendsNothing) {
  FakePlex fake;
  auto client = new_client(fake_config(fake, nullptr).get());
  for (const auto &[login, password] : {std::pair<const char *, const char *>{"", "pw"}, {"me", ""},
                                        {nullptr, "pw"}, {"me", nullptr}}) {
    auto req = sign_in_request(login, password);
    auto r = sign_in(client.get(), req.get());
    EXPECT_EQ(r.status, PLEXAUTH_E_INVALID_ARGUMENT) << describe(r);
    EXPECT_EQ(plexauth_error_attempts(r.error.get()), 0u);
  }
  EXPECT_TRUE(fake.requests().empty());
}

TEST(BadInput, NumbersOutOfRangeAreRefused) {
  plexauth_config *cfg = nullptr;
  ASSERT_EQ(plexauth_config_new(&cfg), PLEXAUTH_OK);
  Owned<plexauth_config> owned_cfg(cfg);
  for (int port : {0, -1, 65536, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()})
    EXPECT_EQ(plexauth_config_set_server_port(cfg, port), PLEXAUTH_E_INVALID_ARGUMENT) << port;
  for (int port : {1, 65535}) EXPECT_EQ(plexauth_config_set_server_port(cfg, port), PLEXAUTH_OK) << port;
  for (int64_t ms : {int64_t{-1}, int64_t{86400001}, std::numeric_limits<int64_t>::min(),
                     std::numeric_limits<int64_t>::max()}) {
    EXPECT_EQ(plexauth_config_set_timeout_ms(cfg, ms), PLEXAUTH_E_INVALID_ARGUMENT) << ms;
    EXPECT_EQ(plexauth_config_set_connect_timeout_ms(cfg, ms), PLEXAUTH_E_INVALID_ARGUMENT) << ms;
  }
  for (int64_t ms : {int64_t{0}, int64_t{86400000}}) EXPECT_EQ(plexauth_config_set_timeout_ms(cfg, ms), PLEXAUTH_OK);
  for (size_t bytes : {size_t{0}, size_t{1023}, (size_t{1} << 30) + 1, std::numeric_limits<size_t>::max()})
    EXPECT_EQ(plexauth_config_set_max_response_bytes(cfg, bytes), PLEXAUTH_E_INVALID_ARGUMENT) << bytes;
  for (size_t bytes : {size_t{1024}, size_t{1} << 30})
    EXPECT_EQ(plexauth_config_set_max_response_bytes(cfg, bytes), PLEXAUTH_OK) << bytes;
  for (int level : {0, 5, -1, 1000})
    EXPECT_EQ(plexauth_config_set_log(cfg, static_cast<plexauth_log_level>(level), &log_nowhere, nullptr),
              PLEXAUTH_E_INVALID_ARGUMENT)
        << level;

  plexauth_retry *retry = nullptr;
  ASSERT_EQ(plexauth_retry_new(&retry), PLEXAUTH_OK);
  Owned<plexauth_retry> owned_retry(retry);
  for (int64_t ms : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min()}) {
    EXPECT_EQ(plexauth_retry_set_initial_interval_ms(retry, ms), PLEXAUTH_E_INVALID_ARGUMENT) << ms;
    EXPECT_EQ(plexauth_retry_set_max_interval_ms(retry, ms), PLEXAUTH_E_INVALID_ARGUMENT) << ms;
  }
  EXPECT_EQ(plexauth_retry_set_max_elapsed_ms(retry, -1), PLEXAUTH_E_INVALID_ARGUMENT);
  for (double x : {0.0, 0.999, 10.001, -1.0, std::nan(""), std::numeric_limits<double>::infinity()})
    EXPECT_EQ(plexauth_retry_set_exponent(retry, x), PLEXAUTH_E_INVALID_ARGUMENT) << x;
  for (double x : {1.0, 10.0}) EXPECT_EQ(plexauth_retry_set_exponent(retry, x), PLEXAUTH_OK) << x;

  plexauth_call_options *opts = nullptr;
  ASSERT_EQ(plexauth_call_options_new(&opts), PLEXAUTH_OK);
  Owned<plexauth_call_options> owned_opts(opts);
  for (int64_t ms : {int64_t{-2}, int64_t{86400001}})
    EXPECT_EQ(plexauth_call_options_set_timeout_ms(opts, ms), PLEXAUTH_E_INVALID_ARGUMENT) << ms;
  EXPECT_EQ(plexauth_call_options_set_timeout_ms(opts, -1), PLEXAUTH_OK) << "-1: the client's default";

  // One past the last status (PLEXAUTH_E_JWT_INVALID is the last one).
  EXPECT_STREQ(plexauth_status_name(PLEXAUTH_E_JWT_INVALID), "jwt_invalid");
  for (int s : {-1, static_cast<int>(PLEXAUTH_E_JWT_INVALID) + 1, 1000, std::numeric_limits<int>::min()})
    EXPECT_STREQ(plexauth_status_name(static_cast<plexauth_status>(s)), "unknown") << s;
  // Index getters out of range.
  FakePlex fake;
  auto client = new_client(fake_config(fake, seed::kTokenA).get());
  auto acc = get_token_details(client.get());
  ASSERT_EQ(acc.status, PLEXAUTH_OK);
  for (size_t i : {size_t{1000}, std::numeric_limits<size_t>::max()}) {
    EXPECT_EQ(plexauth_account_services_at(acc.value.get(), i), nullptr);
    EXPECT_EQ(plexauth_account_roles_at(acc.value.get(), i), nullptr);
    EXPECT_EQ(plexauth_response_header_name(plexauth_account_response(acc.value.get()), i), nullptr);
  }
}

}  // namespace
}  // namespace hostile
