// Gate 6: secret hygiene. Every operation and every error path runs with the
// log sink at DEBUG; everything logged, every error's message, body, content
// type and Plex error messages, and the CLI's stderr with --verbose are
// captured. No token, password or 2FA code (nor the transient and source
// access tokens the server hands out) may appear in any of it, not even a
// fragment of a token. That includes servers that echo secrets back: in an
// error body, in errors[].message, in a Location header, in the content type,
// and right at the cut where a body is truncated for the log or the error.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hostile.h"

extern char **environ;

namespace hostile {
namespace {

constexpr char kWrongPassword[] = "not-the-password-9";
constexpr char kWrongCode[] = "654321";
constexpr char kServiceToken[] = "h5z3rQxLhJ2lRyB4gN7v";  // services[0].token in the account body

struct Secret {
  std::string value;
  bool random;  // a token: no fragment of 10 bytes may appear either
};

class Secrets : public Integration {
 protected:
  void SetUp() override {
    cfg = fake_config(fake, seed::kTokenA);
    log.attach(cfg.get(), PLEXAUTH_LOG_DEBUG);
    c = new_client(cfg.get());
  }

  // Keeps everything an outcome exposes.
  template <class R>
  R keep(R r) {
    if (const plexauth_error *err = r.error.get()) {
      seen += std::string("message: ") + plexauth_error_message(err) + "\n";
      size_t len = 0;
      if (const char *body = plexauth_error_body(err, &len)) seen += "body: " + std::string(body, len) + "\n";
      if (const char *type = plexauth_error_content_type(err)) seen += std::string("type: ") + type + "\n";
      for (size_t i = 0; i < plexauth_error_plex_errors_count(err); ++i)
        if (const char *m = plexauth_error_plex_error_message(err, i)) seen += std::string("plex: ") + m + "\n";
    }
    ++calls;
    return r;
  }

  std::vector<Secret> secrets() const {
    std::vector<Secret> s = {{seed::kTokenA, true},      {seed::kTokenB, true},
                             {seed::kSourceAccessToken, true}, {kServiceToken, true},
                             {seed::kPasswordA, false},  {seed::kPasswordB, false},
                             {kWrongPassword, false},    {seed::kCodeB, false},
                             {kWrongCode, false}};
    for (const std::string &t : fake.transient_tokens()) s.push_back({t.substr(std::strlen("transient-")), true});
    return s;
  }

  // No secret (nor, for tokens, any 10-byte fragment of one) in `text`.
  void expect_clean(const std::string &text, const std::string &where) const {
    for (const Secret &s : secrets()) {
      const size_t at = text.find(s.value);
      EXPECT_EQ(at, std::string::npos) << where << " contains the secret " << s.value << ", in: "
                                       << text.substr(at < 60 ? 0 : at - 60, 140);
      if (!s.random) continue;
      for (size_t i = 0; i + 10 <= s.value.size(); ++i) {
        const std::string fragment = s.value.substr(i, 10);
        if (const size_t pos = text.find(fragment); pos != std::string::npos) {
          ADD_FAILURE() << where << " contains " << fragment << ", a fragment of " << s.value << ", in: "
                        << text.substr(pos < 60 ? 0 : pos - 60, 120);
          break;
        }
      }
    }
  }

  Owned<plexauth_config> cfg;
  LogCapture log;
  Owned<plexauth_client> c;
  std::string seen;  // error texts
  int calls = 0;
};

Fault echo_fault(int status, const std::string &body, const std::string &type) {
  return body_fault(status, body, type);
}

TEST_F(Secrets, NoSecretInLogsOrErrorsThroughEveryOperationAndErrorPath) {
  auto once = no_retry();
  // --- sign-in: success, 2FA needed, wrong code, right code, wrong password
  auto a = sign_in_request(seed::kEmailA, seed::kPasswordA);
  ASSERT_EQ(plexauth_sign_in_set_remember_me(a.get(), 1), PLEXAUTH_OK);
  EXPECT_EQ(keep(sign_in(c.get(), a.get())).status, PLEXAUTH_OK);
  auto b = sign_in_request(seed::kEmailB, seed::kPasswordB);
  EXPECT_EQ(keep(sign_in(c.get(), b.get())).status, PLEXAUTH_E_TWO_FACTOR_REQUIRED);
  auto b_wrong = sign_in_request(seed::kEmailB, seed::kPasswordB, kWrongCode);
  EXPECT_EQ(keep(sign_in(c.get(), b_wrong.get())).status, PLEXAUTH_E_TWO_FACTOR_REQUIRED);
  auto b_right = sign_in_request(seed::kEmailB, seed::kPasswordB, seed::kCodeB);
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get())).status, PLEXAUTH_OK);
  auto wrong = sign_in_request(seed::kEmailA, kWrongPassword);
  EXPECT_EQ(keep(sign_in(c.get(), wrong.get())).status, PLEXAUTH_E_UNAUTHORIZED);
  // ... refused for a missing client identifier, throttled, 5XX retried, timed out
  {
    auto bare = fake_config(fake, nullptr);
    ASSERT_EQ(plexauth_config_set_client_id(bare.get(), nullptr), PLEXAUTH_OK);
    log.attach(bare.get());
    auto anonymous = new_client(bare.get());
    EXPECT_EQ(keep(sign_in(anonymous.get(), a.get())).status, PLEXAUTH_E_BAD_REQUEST);
  }
  fake.add_fault(kSignInPath, plex_error_fault(429, 1031, "Too many sign-in attempts"));
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get())).status, PLEXAUTH_E_SIGN_IN_THROTTLED);
  fake.add_faults(kSignInPath, {status_fault(502), status_fault(503, "0")});
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get())).status, PLEXAUTH_OK);
  fake.add_fault(kSignInPath, delay_fault(1500));
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(once.get(), 300), PLEXAUTH_OK);
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get(), once.get())).status, PLEXAUTH_E_TIMEOUT);
  ASSERT_EQ(plexauth_call_options_set_timeout_ms(once.get(), -1), PLEXAUTH_OK);
  EXPECT_EQ(keep(sign_in(c.get(), nullptr)).status, PLEXAUTH_E_INVALID_ARGUMENT);

  // --- token details: success (A and B), revoked, unknown, retried 5XX, 429
  EXPECT_EQ(keep(get_token_details(c.get())).status, PLEXAUTH_OK);
  auto with_b = fake_config(fake, seed::kTokenB);
  log.attach(with_b.get());
  auto cb = new_client(with_b.get());
  EXPECT_EQ(keep(get_token_details(cb.get())).status, PLEXAUTH_OK);
  for (const char *token : {seed::kRevokedToken, "unknownTokenYYYYYYYY"}) {
    auto bad = fake_config(fake, token);
    log.attach(bad.get());
    auto cbad = new_client(bad.get());
    EXPECT_NE(keep(get_token_details(cbad.get())).status, PLEXAUTH_OK);
  }
  fake.add_faults(kUserPath, {status_fault(500), status_fault(429, "0")});
  EXPECT_EQ(keep(get_token_details(c.get())).status, PLEXAUTH_OK);
  fake.add_fault(kUserPath, status_fault(429, "120"));
  EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_RATE_LIMITED);

  // --- PMS: a transient token, then the source with it (and with A's token)
  auto t = keep(get_transient_token(c.get()));
  ASSERT_EQ(t.status, PLEXAUTH_OK) << describe(t);
  const std::string transient = plexauth_transient_token_token(t.value.get());
  auto with_transient = fake_config(fake, transient.c_str());
  log.attach(with_transient.get());
  auto ct = new_client(with_transient.get());
  EXPECT_EQ(keep(get_source_info(ct.get(), seed::kSource)).status, PLEXAUTH_OK);
  EXPECT_EQ(keep(get_source_info(c.get(), seed::kSource)).status, PLEXAUTH_OK);
  EXPECT_EQ(keep(get_source_info(c.get(), "server://unknown")).status, PLEXAUTH_E_HTTP);
  EXPECT_EQ(keep(get_transient_token(c.get(), nullptr, "bogus", "all")).status, PLEXAUTH_E_BAD_REQUEST);

  // --- a token provider
  struct Provider {
    static int give(void *, plexauth_token_sink *sink) {
      return plexauth_token_sink_set(sink, seed::kTokenB, std::strlen(seed::kTokenB));
    }
  };
  auto provided = fake_config(fake, nullptr);
  ASSERT_EQ(plexauth_config_set_token_provider(provided.get(), &Provider::give, nullptr, nullptr), PLEXAUTH_OK);
  log.attach(provided.get());
  auto cp = new_client(provided.get());
  fake.add_fault(kUserPath, status_fault(503));
  EXPECT_EQ(keep(get_token_details(cp.get())).status, PLEXAUTH_OK);

  // --- a failing provider, a cancelled call, an oversized answer, an
  // insecure client (its warning)
  struct Failing {
    static int give(void *, plexauth_token_sink *) { return 7; }
  };
  auto failing = fake_config(fake, nullptr);
  ASSERT_EQ(plexauth_config_set_token_provider(failing.get(), &Failing::give, nullptr, nullptr), PLEXAUTH_OK);
  ASSERT_EQ(plexauth_config_set_insecure_skip_tls_verify(failing.get(), 1), PLEXAUTH_OK);
  log.attach(failing.get());
  auto cf = new_client(failing.get());
  EXPECT_EQ(keep(get_token_details(cf.get())).status, PLEXAUTH_E_CALLBACK);
  auto cancel = new_cancel();
  plexauth_cancel_trigger(cancel.get());
  auto cancelled = call_options();
  ASSERT_EQ(plexauth_call_options_set_cancel(cancelled.get(), cancel.get()), PLEXAUTH_OK);
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get(), cancelled.get())).status, PLEXAUTH_E_CANCELLED);
  Fault big;
  big.oversized_bytes = 9 << 20;
  fake.add_fault(kUserPath, big);
  EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_RESPONSE_TOO_LARGE);

  // --- hostile deliveries
  Fault drop;
  drop.drop = true;
  Fault reset;
  reset.reset = true;
  Fault truncated;
  truncated.truncated_json = true;
  Fault bad_utf8;
  bad_utf8.invalid_utf8 = true;
  Fault wrong_type;
  wrong_type.patch = R"({"authToken":12})";
  for (const Fault &f : {drop, reset, truncated, bad_utf8, wrong_type}) {
    fake.add_fault(kUserPath, f);
    EXPECT_NE(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_OK);
    fake.add_fault(kSignInPath, f);
    EXPECT_NE(keep(sign_in(c.get(), b_right.get(), once.get())).status, PLEXAUTH_OK);
  }

  // --- servers that echo secrets back
  const std::string a_token = seed::kTokenA;
  const std::string echo_form = std::string("login=") + seed::kEmailB + "&password=" + seed::kPasswordB +
                                "&verificationCode=" + seed::kCodeB;
  fake.add_fault(kSignInPath, echo_fault(500, "<html><pre>" + echo_form + "</pre></html>", "text/html"));
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get(), once.get())).status, PLEXAUTH_E_HTTP);
  fake.add_fault(kSignInPath, plex_error_fault(401, 1001, "Wrong password " + std::string(seed::kPasswordB) +
                                                              " or code " + seed::kCodeB));
  EXPECT_EQ(keep(sign_in(c.get(), b_right.get(), once.get())).status, PLEXAUTH_E_UNAUTHORIZED);
  fake.add_fault(kUserPath, plex_error_fault(401, 1001, "Token " + a_token + " is not valid"));
  EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_UNAUTHORIZED);
  fake.add_fault(kUserPath, echo_fault(200, "not json " + a_token, "text/plain; token=" + a_token));
  EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_MALFORMED_RESPONSE);
  Fault redirect;
  redirect.status = 302;
  redirect.location = fake.plex_tv_url() + "/user?X-Plex-Token=" + a_token;
  fake.add_fault(kUserPath, redirect);
  EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_HTTP);
  // A token right where the body is cut: 1024 bytes for the debug log, 4096
  // for the error body.
  for (size_t cut : {size_t{1024}, size_t{4096}}) {
    for (size_t before : {size_t{10}, size_t{15}, size_t{19}}) {
      fake.add_fault(kUserPath, echo_fault(500, std::string(cut - before, '.') + a_token + " tail", "text/plain"));
      EXPECT_EQ(keep(get_token_details(c.get(), once.get())).status, PLEXAUTH_E_HTTP);
    }
  }

  std::printf("[secrets] %d calls, %zu log lines (%zu bytes), %zu bytes of error text checked\n", calls,
              log.lines().size(), log.text().size(), seen.size());
  ASSERT_GT(log.lines().size(), 50u) << "DEBUG logging did not happen";
  EXPECT_TRUE(log.contains(PLEXAUTH_LOG_DEBUG, "X-Plex-Token: <redacted>")) << "the request dump";
  expect_clean(log.text(), "the log");
  expect_clean(seen, "the errors");
}

// ------------------------------------------------------------------ the CLI

#ifdef PLEXAUTH_CLI_PATH

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the CLI with `args`, `input` on stdin and `env` added to a copy of
// this process's environment without any PLEX_* variable. Bounded: 20 s.
CliRun run_cli(const std::vector<std::string> &args, const std::string &input, const std::vector<std::string> &env) {
  char dir_template[] = "/tmp/plexauth-cli-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string in_path = dir + "/in", out_path = dir + "/out", err_path = dir + "/err";
  std::ofstream(in_path) << input;
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&files, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&files, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> argv_s = {PLEXAUTH_CLI_PATH};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (auto &s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char **e = environ; *e; ++e)
    if (std::strncmp(*e, "PLEX_", 5) != 0) env_s.emplace_back(*e);
  env_s.insert(env_s.end(), env.begin(), env.end());
  std::vector<char *> envp;
  for (auto &s : env_s) envp.push_back(s.data());
  envp.push_back(nullptr);
  CliRun r;
  pid_t pid = 0;
  if (posix_spawn(&pid, PLEXAUTH_CLI_PATH, &files, nullptr, argv.data(), envp.data()) == 0) {
    int status = 0;
    for (int i = 0; i < 2000; ++i) {
      if (waitpid(pid, &status, WNOHANG) == pid) break;
      if (i == 1999) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        ADD_FAILURE() << "the CLI did not finish within 20 s";
      }
      usleep(10000);
    }
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  posix_spawn_file_actions_destroy(&files);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  for (const auto &p : {in_path, out_path, err_path}) unlink(p.c_str());
  rmdir(dir.c_str());
  return r;
}

// A server that echoes the password and code back in the spellings it
// received them in (application/x-www-form-urlencoded: '+' for space), or
// percent-encoded, JSON-escaped, or as server-issued tokens in JSON and XML:
// in the error body, in errors[].message and in a redirect's Location. None of
// it may reach the error's message, body or the debug log. The 3-byte code is
// hidden too (short secrets used to be skipped).
TEST_F(Secrets, EchoedSecretsAreHiddenInEverySpelling) {
  const std::string password = "p@ss w\"rd+é&=";
  const std::string form = "p%40ss+w%22rd%2B%C3%A9%26%3D";         // as the form body carries it
  const std::string percent = "p%40ss%20w%22rd%2B%C3%A9%26%3D";     // curl_easy_escape
  const std::string json = "p@ss w\\\"rd+\\u00e9&=";                // JSON, ASCII-only
  const std::string code = "987";
  const std::string issued = "SrvIssuedTok42abcdef";                // a token only the server knows
  auto once = no_retry();
  auto req = sign_in_request(seed::kEmailA, password.c_str(), code.c_str());
  const std::string echoed = "login=username%40email.com&password=" + form + "&verificationCode=" + code;

  fake.add_fault(kSignInPath, body_fault(400,
                                         R"({"errors":[{"code":1000,"message":"bad body: )" + echoed + " / " + percent +
                                             " / " + json + R"(","status":400}],"received":")" + echoed +
                                             R"(","user":{"auth\u0054oken":")" + issued + R"("},"note":")" + issued +
                                             R"("})",
                                         kJson));
  auto bad = keep(sign_in(c.get(), req.get(), once.get()));
  EXPECT_EQ(bad.status, PLEXAUTH_E_BAD_REQUEST) << describe(bad);

  Fault redirect;
  redirect.status = 302;
  redirect.location = fake.plex_tv_url() + "/users/signin?" + echoed + "&pw=" + percent;
  fake.add_fault(kSignInPath, redirect);
  auto moved = keep(sign_in(c.get(), req.get(), once.get()));
  EXPECT_EQ(moved.status, PLEXAUTH_E_HTTP) << describe(moved);
  EXPECT_NE(plexauth_error_message(moved.error.get()), std::string()) << describe(moved);

  fake.add_fault(kSignInPath, body_fault(401, R"(<Response code="401" authenticationToken=")" + issued +
                                                  R"(" password=")" + form + R"(">)" + issued + "</Response>",
                                         "application/xml"));
  auto xml = keep(sign_in(c.get(), req.get(), once.get()));
  EXPECT_NE(xml.status, PLEXAUTH_OK) << describe(xml);

  const std::string everything = seen + log.text();
  for (const std::string &secret : {password, form, percent, json, issued, std::string("987"), std::string("w%22rd")}) {
    const size_t at = everything.find(secret);
    EXPECT_EQ(at, std::string::npos) << "leaked " << secret << " in: "
                                     << everything.substr(at < 80 ? 0 : at - 80, 200);
  }
  EXPECT_NE(everything.find("<redacted>"), std::string::npos);
}

TEST_F(Secrets, NoSecretOnTheCliStderrWithVerbose) {
  const std::vector<std::string> global = {"--verbose", "--server",      fake.base_url(),    "--plex-tv",
                                           fake.plex_tv_url(), "--client-id", kClientId, "--retry-initial-ms",
                                           "10"};
  auto cli = [&](std::vector<std::string> args, const std::string &input, std::vector<std::string> env = {}) {
    std::vector<std::string> all = global;
    all.insert(all.end(), args.begin(), args.end());
    return run_cli(all, input, env);
  };
  const std::string token_a = std::string("PLEX_TOKEN=") + seed::kTokenA;
  std::vector<CliRun> runs;
  auto expect_exit = [&](CliRun r, int code, const std::string &what) {
    EXPECT_EQ(r.exit_code, code) << what << "\nstderr:\n" << r.err;
    runs.push_back(std::move(r));
  };
  const std::string pw_a = std::string(seed::kPasswordA) + "\n";
  const std::string pw_b = std::string(seed::kPasswordB) + "\n";
  expect_exit(cli({"sign-in", "--login", seed::kEmailA, "--password-stdin", "--remember"}, pw_a), 0, "sign-in A");
  EXPECT_NE(runs.back().out.find(seed::kTokenA), std::string::npos) << "stdout shows the token (that is its job)";
  expect_exit(cli({"--json", "sign-in", "--login", seed::kEmailB, "--password-stdin", "--code-stdin"},
                  pw_b + seed::kCodeB + "\n"),
              0, "sign-in B with the code");
  expect_exit(cli({"sign-in", "--login", seed::kEmailB, "--password-stdin"}, pw_b), 14, "sign-in B, no code");
  expect_exit(cli({"--json", "sign-in", "--login", seed::kEmailB, "--password-stdin", "--code-stdin"},
                  pw_b + kWrongCode + "\n"),
              14, "sign-in B, wrong code");
  expect_exit(cli({"sign-in", "--login", seed::kEmailA, "--password-stdin"}, std::string(kWrongPassword) + "\n"),
              13, "sign-in A, wrong password");
  expect_exit(cli({"token-details"}, "", {token_a}), 0, "token-details");
  expect_exit(cli({"--json", "token-details"}, "", {token_a}), 0, "token-details --json");
  expect_exit(cli({"token-details"}, "", {std::string("PLEX_TOKEN=") + seed::kRevokedToken}), 13, "revoked");
  expect_exit(cli({"transient-token"}, "", {token_a}), 0, "transient-token");
  expect_exit(cli({"source-info", "--source", seed::kSource}, "", {token_a}), 0, "source-info");
  fake.add_fault(kUserPath, plex_error_fault(401, 1001, std::string("Token ") + seed::kTokenA + " is not valid"));
  expect_exit(cli({"--json", "token-details"}, "", {token_a}), 13, "token-details, echoed token");
  fake.add_fault(kSignInPath, plex_error_fault(401, 1001, std::string("Bad password ") + seed::kPasswordA));
  expect_exit(cli({"--json", "sign-in", "--login", seed::kEmailA, "--password-stdin"}, pw_a), 13,
              "sign-in, echoed password");
  fake.add_faults(kUserPath, {status_fault(503), status_fault(500)});
  expect_exit(cli({"token-details"}, "", {token_a}), 0, "token-details after two 5XX");

  std::string all_err;
  for (const CliRun &r : runs) all_err += r.err;
  std::printf("[secrets] CLI: %zu runs, %zu bytes of --verbose stderr checked\n", runs.size(), all_err.size());
  EXPECT_NE(all_err.find("X-Plex-Token: <redacted>"), std::string::npos) << "--verbose logged no request";
  expect_clean(all_err, "the CLI's stderr");
}

#endif  // PLEXAUTH_CLI_PATH

}  // namespace
}  // namespace hostile
