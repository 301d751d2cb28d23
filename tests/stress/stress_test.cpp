// Stress: 8 threads share one plexauth_client for thousands of calls (all
// four operations, some with injected 5XX/429/slow answers and short retry
// policies) while 2 other threads cancel in-flight calls at random through
// their cancel tokens. Built for ThreadSanitizer (scripts/hardening/
// sanitizers.sh), it also runs in the normal build.
//
// Every call must end OK or with a status that its operation and the faults
// explain, consistently with the HTTP responses the library logged for it,
// and the totals must add up with the fake server's request log and fault
// queues.
//
// PLEXAUTH_STRESS_CALLS (default 3000) and PLEXAUTH_STRESS_SEED change the
// load; the summary line gives the figures recorded in docs/reliability.md.
#include <algorithm>
#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <vector>

#include "support.h"

namespace itest {
namespace {

constexpr int kWorkers = 8;
constexpr int kCancellers = 2;

size_t env_or(const char *name, size_t fallback) {
  const char *v = std::getenv(name);
  return v != nullptr && *v != '\0' ? static_cast<size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

enum class Op { Transient, Source, TokenDetails, SignInA, SignInB, SignInWrongPassword, SignInNoCode };
constexpr std::array<Op, 7> kOps = {Op::Transient, Op::Source,         Op::TokenDetails,   Op::SignInA,
                                    Op::SignInB,   Op::SignInWrongPassword, Op::SignInNoCode};

const char *path_of(Op op) {
  switch (op) {
    case Op::Transient: return kTokenPath;
    case Op::Source: return kResourcesPath;
    case Op::TokenDetails: return kUserPath;
    default: return kSignInPath;
  }
}
int success_status(Op op) { return path_of(op) == kSignInPath ? 201 : 200; }
bool is_fault_status(int s) { return s == 429 || s == 500 || s == 503; }

// What the library logged (at debug level, on the calling thread) for one
// call: one "GET|POST <url> (attempt n)" line per attempt and one
// "HTTP <status> ..." line per response received. statuses holds one entry
// per attempt: the HTTP status it received, 0 when it received none
// (cancelled mid-transfer or timed out).
struct Trace {
  std::vector<int> statuses;
  size_t attempts() const { return statuses.size(); }
  size_t responses() const { return statuses.size() - std::count(statuses.begin(), statuses.end(), 0); }
  int last() const { return statuses.empty() ? -1 : statuses.back(); }
};
thread_local Trace *t_trace = nullptr;

void on_log(void *, plexauth_log_level level, const char *message) {
  if (t_trace == nullptr || level != PLEXAUTH_LOG_DEBUG) return;
  const std::string_view m(message);
  if (m.rfind("GET http", 0) == 0 || m.rfind("POST http", 0) == 0) {
    t_trace->statuses.push_back(0);
  } else if (m.size() > 8 && m.rfind("HTTP ", 0) == 0 && !t_trace->statuses.empty()) {
    t_trace->statuses.back() = std::atoi(std::string(m.substr(5, 3)).c_str());
  }
}

// The cancel tokens of the calls in progress; the cancellers pick from it.
class InFlight {
 public:
  void add(plexauth_cancel *c) {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back(c);
  }
  void remove(plexauth_cancel *c) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find(calls_.begin(), calls_.end(), c);
    if (it != calls_.end()) {
      *it = calls_.back();
      calls_.pop_back();
    }
  }
  bool cancel_one(std::mt19937_64 &rng) {
    std::lock_guard<std::mutex> lock(mu_);
    if (calls_.empty()) return false;
    plexauth_cancel_trigger(calls_[rng() % calls_.size()]);
    return true;
  }

 private:
  std::mutex mu_;
  std::vector<plexauth_cancel *> calls_;
};

struct Record {
  Op op = Op::Transient;
  plexauth_status status = PLEXAUTH_E_INTERNAL;
  unsigned reported_attempts = 0;  // plexauth_error_attempts, failures only
  bool cancellable = false;
  bool pre_cancelled = false;
  bool triggered = false;  // its cancel token was triggered (by the end of the call)
  Trace trace;
  std::string problem;  // a wrong result value, described
};

// Runs one operation; returns its status and checks the value on success.
plexauth_status run_op(Op op, plexauth_client *client, const plexauth_call_options *opts, Record &rec,
                       unsigned *attempts) {
  auto finish = [&](auto &r, auto check) {
    if (r.status == PLEXAUTH_OK) {
      check(r.value.get());
    } else {
      *attempts = plexauth_error_attempts(r.error.get());
    }
    return r.status;
  };
  auto expect_str = [&](const char *got, std::string_view want, const char *what) {
    if (got == nullptr || std::string_view(got) != want) rec.problem = std::string(what) + " is wrong";
  };
  switch (op) {
    case Op::Transient: {
      auto r = get_transient_token(client, opts);
      return finish(r, [&](const plexauth_transient_token *t) {
        const char *tok = plexauth_transient_token_token(t);
        if (tok == nullptr || std::string_view(tok).rfind("transient-", 0) != 0) rec.problem = "no transient token";
      });
    }
    case Op::Source: {
      auto r = get_source_info(client, seed::kSource, opts);
      return finish(r, [&](const plexauth_source_info *s) {
        expect_str(plexauth_source_info_name(s), seed::kSourceName, "source name");
        if (plexauth_source_info_connections_count(s) != 2) rec.problem = "connection count";
      });
    }
    case Op::TokenDetails: {
      auto r = get_token_details(client, opts);
      return finish(r, [&](const plexauth_account *a) { expect_str(plexauth_account_username(a), "Username", "username"); });
    }
    case Op::SignInA:
    case Op::SignInB:
    case Op::SignInWrongPassword:
    case Op::SignInNoCode: {
      auto req = op == Op::SignInA               ? sign_in_request(seed::kEmailA, seed::kPasswordA)
                 : op == Op::SignInB             ? sign_in_request(seed::kUsernameB, seed::kPasswordB, seed::kCodeB)
                 : op == Op::SignInWrongPassword ? sign_in_request(seed::kEmailA, "not-the-password")
                                                 : sign_in_request(seed::kEmailB, seed::kPasswordB);
      auto r = sign_in(client, req.get(), opts);
      return finish(r, [&](const plexauth_account *a) {
        expect_str(plexauth_account_auth_token(a), op == Op::SignInA ? seed::kTokenA : seed::kTokenB, "auth token");
      });
    }
  }
  return PLEXAUTH_E_INTERNAL;
}

// The one way each call may legitimately end, given its operation and the
// responses it received; "" when it is consistent.
std::string check(const Record &r) {
  const Trace &t = r.trace;
  const int last = t.last();  // what the last attempt received: -1 no attempt, 0 no response
  if (!r.problem.empty()) return r.problem;
  if (r.status != PLEXAUTH_OK && r.reported_attempts != t.attempts()) return "attempt count differs from the log";
  if (r.pre_cancelled) return r.status == PLEXAUTH_E_CANCELLED && t.attempts() == 0 ? "" : "pre-cancelled call ran";
  switch (r.status) {
    case PLEXAUTH_OK:
      if (r.op == Op::SignInWrongPassword || r.op == Op::SignInNoCode) return "a refused sign-in succeeded";
      return last == success_status(r.op) ? "" : "OK without a success response";
    case PLEXAUTH_E_CANCELLED:
      return r.cancellable && r.triggered ? "" : "cancelled without a trigger";
    case PLEXAUTH_E_UNAUTHORIZED:
      return r.op == Op::SignInWrongPassword && last == 401 ? "" : "unexpected unauthorized";
    case PLEXAUTH_E_TWO_FACTOR_REQUIRED:
      return r.op == Op::SignInNoCode && last == 401 ? "" : "unexpected two_factor_required";
    case PLEXAUTH_E_RATE_LIMITED:
      return last == 429 ? "" : "rate_limited without a 429";
    case PLEXAUTH_E_HTTP:
      return last >= 500 ? "" : "http_error without a 5XX";
    case PLEXAUTH_E_TIMEOUT:
      return last == 0 ? "" : "timeout on an answered attempt";
    default:
      return std::string("unexpected status ") + plexauth_status_name(r.status);
  }
}

TEST(Stress, ManyThreadsOneClientFaultsAndRandomCancels) {
  const size_t total_calls = env_or("PLEXAUTH_STRESS_CALLS", 3000);
  const uint64_t seed_value = env_or("PLEXAUTH_STRESS_SEED", std::random_device{}());
  std::cout << "stress: " << total_calls << " calls, seed " << seed_value << std::endl;

  FakePlex fake;
  auto cfg = fake_config(fake, seed::kTokenA);
  ASSERT_EQ(plexauth_config_set_log(cfg.get(), PLEXAUTH_LOG_DEBUG, &on_log, nullptr), PLEXAUTH_OK);
  auto client = new_client(cfg.get());
  ASSERT_NE(client, nullptr);
  cfg.reset();

  // Read-only options shared by many threads' calls: at most 2 attempts, no cancel.
  auto shared_opts = call_options();
  ASSERT_EQ(plexauth_call_options_set_retry(shared_opts.get(), fast_retry(2).get()), PLEXAUTH_OK);
  auto two_attempts = fast_retry(2);

  InFlight in_flight;
  std::atomic<bool> done{false};
  std::atomic<size_t> triggers{0};
  std::map<std::string, size_t> faults_queued;
  std::mutex faults_mu;
  std::vector<std::vector<Record>> records(kWorkers);

  const auto start = Clock::now();
  std::vector<std::thread> cancellers;
  for (int c = 0; c < kCancellers; ++c) {
    cancellers.emplace_back([&, c] {
      std::mt19937_64 rng(seed_value * 31 + 1000 + c);
      while (!done.load()) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 6000));
        if (in_flight.cancel_one(rng)) ++triggers;
      }
    });
  }
  std::vector<std::thread> workers;
  for (int w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      std::mt19937_64 rng(seed_value * 31 + w);
      auto roll = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
      const size_t n = total_calls / kWorkers + (static_cast<size_t>(w) < total_calls % kWorkers ? 1 : 0);
      for (size_t i = 0; i < n; ++i) {
        Record rec;
        rec.op = kOps[roll(100) < 90 ? roll(5) : 5 + roll(2)];  // refused sign-ins now and then

        bool short_timeout = roll(100) < 3;
        if (roll(100) < 15) {  // a fault for whichever call reaches this path next
          Fault f;
          switch (roll(6)) {
            case 0: f = status_fault(503, "0"); break;
            case 1: f = status_fault(500); break;
            case 2: f = status_fault(429, "0"); break;
            case 3: f = status_fault(429); break;
            case 4: f = delay_fault(30); break;
            default:  // times out calls with a 100 ms limit (likely this one)
              f = delay_fault(250);
              short_timeout = true;
              break;
          }
          std::lock_guard<std::mutex> lock(faults_mu);
          fake.add_fault(path_of(rec.op), f);
          ++faults_queued[path_of(rec.op)];
        }

        Owned<plexauth_call_options> own;
        Owned<plexauth_cancel> cancel;
        const plexauth_call_options *opts = shared_opts.get();
        if (roll(100) >= 10) {
          own = call_options();
          cancel = new_cancel();
          EXPECT_EQ(plexauth_call_options_set_cancel(own.get(), cancel.get()), PLEXAUTH_OK);
          const unsigned policy = roll(100);
          if (policy < 40) {  // else the client's policy
            const plexauth_retry *retry = policy < 15 ? nullptr : two_attempts.get();  // NULL: no retries
            EXPECT_EQ(plexauth_call_options_set_retry(own.get(), retry), PLEXAUTH_OK);
          }
          if (short_timeout) {
            EXPECT_EQ(plexauth_call_options_set_timeout_ms(own.get(), 100), PLEXAUTH_OK);
          }
          rec.cancellable = true;
          rec.pre_cancelled = roll(100) < 2;
          if (rec.pre_cancelled) plexauth_cancel_trigger(cancel.get());
          opts = own.get();
          if (!short_timeout) in_flight.add(cancel.get());  // else left to time out
        }

        t_trace = &rec.trace;
        rec.status = run_op(rec.op, client.get(), opts, rec, &rec.reported_attempts);
        t_trace = nullptr;
        if (cancel) {
          in_flight.remove(cancel.get());
          rec.triggered = plexauth_cancel_is_triggered(cancel.get()) != 0;
        }
        records[w].push_back(std::move(rec));
      }
    });
  }
  for (auto &t : workers) t.join();
  done = true;
  for (auto &t : cancellers) t.join();
  const long long elapsed_ms = ms_since(start);

  // Per call: a legitimate ending, consistent with what it received.
  std::map<plexauth_status, size_t> by_status;
  std::map<std::string, size_t> attempts, responses;
  size_t calls = 0, pre_cancelled = 0, fault_responses = 0, bad = 0;
  for (const auto &per_worker : records) {
    for (const Record &r : per_worker) {
      ++calls;
      ++by_status[r.status];
      pre_cancelled += r.pre_cancelled;
      attempts[path_of(r.op)] += r.trace.attempts();
      responses[path_of(r.op)] += r.trace.responses();
      for (int s : r.trace.statuses) fault_responses += is_fault_status(s);
      const std::string problem = check(r);
      if (!problem.empty() && ++bad <= 20) {
        ADD_FAILURE() << "op " << static_cast<int>(r.op) << " ended " << plexauth_status_name(r.status) << ": "
                      << problem << " (attempts " << r.trace.attempts() << ", responses " << r.trace.responses()
                      << ", last " << r.trace.last() << ")";
      }
    }
  }
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(calls, total_calls);

  // Totals against the fake: every response received was recorded there,
  // and nothing was recorded that no attempt sent. (An attempt may end
  // without a response when it was cancelled mid-transfer or timed out.)
  size_t recorded_total = 0, responses_total = 0, queued_total = 0, pending_total = 0;
  for (const char *path : {kTokenPath, kResourcesPath, kUserPath, kSignInPath}) {
    const size_t recorded = fake.requests_to(path).size();
    EXPECT_GE(recorded, responses[path]) << path;
    EXPECT_LE(recorded, attempts[path]) << path;
    recorded_total += recorded;
    responses_total += responses[path];
    queued_total += faults_queued[path];
    pending_total += fake.pending_faults(path);
  }
  EXPECT_EQ(recorded_total, fake.requests().size()) << "requests to unexpected paths";
  // Every 429/5XX received came from a consumed fault; every consumed fault
  // answered a recorded request.
  const size_t consumed = queued_total - pending_total;
  EXPECT_LE(fault_responses, consumed);
  EXPECT_LE(consumed, recorded_total);

  // Both outcomes were exercised.
  EXPECT_GT(by_status[PLEXAUTH_OK], calls / 3);
  EXPECT_GT(by_status[PLEXAUTH_E_CANCELLED], pre_cancelled) << "no call was cancelled mid-flight";
  EXPECT_LE(by_status[PLEXAUTH_E_CANCELLED], triggers.load() + pre_cancelled);

  std::cout << "stress: " << calls << " calls in " << elapsed_ms << " ms on " << kWorkers << " threads; "
            << triggers.load() << " random cancels + " << pre_cancelled << " pre-cancelled -> "
            << by_status[PLEXAUTH_E_CANCELLED] << " cancelled; " << recorded_total << " requests ("
            << (attempts[kTokenPath] + attempts[kResourcesPath] + attempts[kUserPath] + attempts[kSignInPath])
            << " attempts, " << responses_total << " responses); " << queued_total << " faults queued, "
            << consumed << " consumed, " << fault_responses << " 429/5XX received; statuses:";
  for (const auto &[status, count] : by_status) std::cout << " " << plexauth_status_name(status) << "=" << count;
  std::cout << std::endl;
}

}  // namespace
}  // namespace itest
