#include "core/engine.h"

#include <curl/curl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace plexauth {
namespace {

// How many rounds of "run what is due now" one process() makes before it
// leaves the rest to the next turn (a timer fires at once for it).
constexpr int kRoundsPerProcess = 4;

// Connections one loop opens to one host at most; more concurrent calls
// queue inside libcurl and reuse them. A Plex Media Server (and the fake)
// serves a bounded number of connections at once: opening hundreds would
// leave calls waiting for idle keep-alive connections to time out.
constexpr long kMaxHostConnections = 16;

// Idle connections one loop keeps for reuse. libcurl's default sizes this
// cache at 4 x the transfers in flight at the moment a connection goes idle,
// so a burst that drains faster than it is started (a loaded machine) shrank
// the cache to a few entries, closed warm connections and opened new ones for
// the rest of the burst. A fixed size keeps a full set for two hosts (the PMS
// and plex.tv); libcurl still closes a connection idle for 118 s.
constexpr long kConnectionCache = 2 * kMaxHostConnections;

constexpr int64_t kWatchdogSlackMs = 1000;

}  // namespace

class Engine::Job {
 public:
  enum class State { Queued, Transfer, Waiting, Finished };

  std::shared_ptr<Client> client;
  std::unique_ptr<PreparedCall> call;
  std::function<void(const Response &)> parse;
  Done done;
  std::optional<RetryStepper> stepper;
  Transport::Session *session = nullptr;
  State state = State::Queued;
  int64_t due_ms = 0;  // Waiting: when the next attempt starts
  int64_t watchdog_ms = -1;  // Transfer: when to give up on it if libcurl failed internally (-1: never)
  std::atomic<bool> cancel_requested{false};
  size_t waker = 0;  // on call->cancel, while the job is live
};

struct Engine::Core {
  Mode mode;
  CURLM *multi = nullptr;
  int epfd = -1;
  int evfd = -1;  // wake-ups from other threads
  int tfd = -1;   // the next timer (libcurl's or a retry's)
  std::thread thread;
  std::thread::id loop_thread;  // thread mode: the thread; external: whoever is processing

  // Shared with other threads.
  mutable std::mutex mu;
  std::condition_variable cv;  // processed_ changed (waiters in run())
  std::vector<std::shared_ptr<Job>> incoming;
  struct Timer {
    uint64_t id;
    int64_t due_ms;
    std::function<void(bool)> fn;
  };
  std::vector<Timer> timers;  // (under mu) set, not fired yet
  uint64_t next_timer_id = 1;
  int64_t timers_due_ms = -1;  // the earliest timer's due time (under mu), -1: none
  bool closing = false;
  bool stop = false;
  std::atomic<bool> cancel_flag{false};
  std::atomic<size_t> pending{0};
  std::atomic<size_t> calls{0};  // the callers' calls (call_begun/call_ended)
  uint64_t turns = 0;  // process() turns done (under mu)
  std::mutex process_mu;  // one process() at a time

  // Loop thread only.
  std::vector<std::shared_ptr<Job>> jobs;  // live
  std::unordered_map<CURL *, Job *> transfers;
  int64_t curl_due_ms = -1;
  int64_t armed_due_ms = -2;  // what the timerfd is set to (-1: disarmed; -2: unknown)
  size_t waiting = 0;         // jobs in State::Waiting (the scans below are skipped at 0)
  // curl_multi_socket_action calls that failed (out of memory inside
  // libcurl). After one, a transfer may never hear of its socket or timer
  // again; from then on each transfer has a watchdog: its timeout plus
  // kWatchdogSlackMs, after which it ends as timed out.
  size_t multi_errors = 0;
  bool in_callback = false;

  explicit Core(Mode m) : mode(m) {
    multi = curl_multi_init();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (!multi || epfd < 0 || evfd < 0 || tfd < 0) {
      const bool oom = !multi;
      close_all();
      fail(oom ? Status::OutOfMemory : Status::Internal, "could not set up the event loop (epoll, eventfd, timerfd)");
    }
    for (int fd : {evfd, tfd}) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = fd;
      epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &Core::on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &Core::on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, kMaxHostConnections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, kConnectionCache);
  }
  ~Core() { close_all(); }

  void close_all() noexcept {
    if (multi) curl_multi_cleanup(multi);
    for (int fd : {epfd, evfd, tfd})
      if (fd >= 0) ::close(fd);
    multi = nullptr;
    epfd = evfd = tfd = -1;
  }

  void wake() noexcept {
    const uint64_t one = 1;
    ssize_t n = ::write(evfd, &one, sizeof one);
    (void)n;  // EAGAIN: the counter is already non-zero, the loop wakes anyway
  }

  static int on_socket(CURL *, curl_socket_t s, int what, void *user, void *) {
    auto *core = static_cast<Core *>(user);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(core->epfd, EPOLL_CTL_DEL, s, nullptr);
      return 0;
    }
    epoll_event ev{};
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    ev.data.fd = s;
    if (epoll_ctl(core->epfd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT)
      if (epoll_ctl(core->epfd, EPOLL_CTL_ADD, s, &ev) != 0) return -1;
    return 0;
  }

  static int on_timer(CURLM *, long timeout_ms, void *user) {
    auto *core = static_cast<Core *>(user);
    core->curl_due_ms = timeout_ms < 0 ? -1 : steady_now_ms() + timeout_ms;
    return 0;
  }

  // The earliest of libcurl's timer and the retry timers; -1: none.
  int64_t next_due_ms() const {
    int64_t due = curl_due_ms;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (timers_due_ms >= 0 && (due < 0 || timers_due_ms < due)) due = timers_due_ms;
    }
    if (waiting == 0 && multi_errors == 0) return due;
    for (const auto &j : jobs) {
      if (j->state == Job::State::Waiting && (due < 0 || j->due_ms < due)) due = j->due_ms;
      if (multi_errors && j->state == Job::State::Transfer && j->watchdog_ms >= 0 && (due < 0 || j->watchdog_ms < due))
        due = j->watchdog_ms;
    }
    return due;
  }

  void socket_action(curl_socket_t fd, int flags) {
    int running = 0;
    if (curl_multi_socket_action(multi, fd, flags, &running) != CURLM_OK) ++multi_errors;
  }

  void arm_timer() {
    const int64_t due = next_due_ms();
    if (due == armed_due_ms && due > steady_now_ms()) return;  // already set so (a due time now or past re-arms)
    armed_due_ms = due;
    itimerspec spec{};
    if (due >= 0) {
      const int64_t left = std::max<int64_t>(due - steady_now_ms(), 0);
      spec.it_value.tv_sec = left / 1000;
      spec.it_value.tv_nsec = left % 1000 * 1000000 + 1;  // never 0: that disarms
    }
    timerfd_settime(tfd, 0, &spec, nullptr);
  }

  void drain(int fd) noexcept {
    uint64_t v = 0;
    while (::read(fd, &v, sizeof v) > 0) {
    }
  }

  // -------------------------------------------------------------- one call

  void start_attempt(Job &job) {
    if (job.state == Job::State::Waiting) --waiting;
    job.state = Job::State::Queued;
    PreparedCall &c = *job.call;
    if (job.cancel_requested.load() || (c.cancel && c.cancel->triggered())) {
      conclude(job, RetryStop::Cancelled);
      return;
    }
    job.state = Job::State::Transfer;
    try {
      job.client->begin_attempt(c, job.stepper->attempts() + 1);
    } catch (Error &e) {  // the token provider failed: the call ends with its error, as a blocking one does
      finish(job, nullptr, &e);
      return;
    } catch (...) {
      fail_oom(job);
      return;
    }
    std::exception_ptr failed;
    try {
      job.session = job.client->transport().begin(c.req);
      CURL *easy = Transport::easy_of(job.session);
      transfers[easy] = &job;  // before the transfer can complete
      job.watchdog_ms = c.req.timeout_ms > 0 ? steady_now_ms() + c.req.timeout_ms + kWatchdogSlackMs : -1;
      if (curl_multi_add_handle(multi, easy) != CURLM_OK) {
        transfers.erase(easy);
        Transport::discard(job.session);
        job.session = nullptr;
        fail(Status::Internal, "curl_multi_add_handle failed");
      }
      return;
    } catch (...) {
      if (job.session) {  // the map insert failed
        Transport::discard(job.session);
        job.session = nullptr;
      }
      failed = std::current_exception();
    }
    try {
      const AttemptVerdict v = job.client->finish_attempt(c, [&]() -> Response { std::rethrow_exception(failed); });
      after_attempt(job, v);
    } catch (...) {
      fail_oom(job);
    }
  }

  // A step of the job's own ran out of memory: the call ends with
  // OutOfMemory (no allocation here: the message fits the string's inline
  // buffer), its transfer, if any, abandoned.
  void fail_oom(Job &job) noexcept {
    if (job.state == Job::State::Finished) return;
    if (job.session) {
      CURL *easy = Transport::easy_of(job.session);
      curl_multi_remove_handle(multi, easy);
      transfers.erase(easy);
      Transport::discard(job.session);
      job.session = nullptr;
    }
    if (job.state == Job::State::Waiting) --waiting;
    Error e(Status::OutOfMemory, "out of memory");
    finish(job, nullptr, &e);
  }

  // The transfer ended (done) or is abandoned (cancelled).
  void end_transfer(Job &job, CURLcode result, bool cancelled) {
    Transport::Session *s = job.session;
    // Made before the session leaves the job: building it may run out of
    // memory, and then fail_oom still finds (and frees) the session.
    std::function<Response()> exchange;
    try {
      exchange = [this, &job, &s, result, cancelled] {
        return job.client->transport().end(s, job.call->req, multi, result, !cancelled, cancelled);
      };
    } catch (...) {
      fail_oom(job);
      return;
    }
    transfers.erase(Transport::easy_of(s));
    job.session = nullptr;
    try {
      // end() takes the session over first thing, whatever happens after.
      const AttemptVerdict v = job.client->finish_attempt(*job.call, exchange);
      after_attempt(job, v);
    } catch (...) {
      fail_oom(job);
    }
  }

  void after_attempt(Job &job, const AttemptVerdict &v) {
    const RetryStepper::Next next = job.stepper->after(v);
    if (next.stop != RetryStop::Done) {
      conclude(job, next.stop);
      return;
    }
    job.client->note_wait(*job.call, next.wait_ms);
    job.state = Job::State::Waiting;
    ++waiting;
    job.due_ms = steady_now_ms() + next.wait_ms;
  }

  void conclude(Job &job, RetryStop why) {
    RetryOutcome outcome;
    outcome.attempts = job.stepper->attempts();
    outcome.stop = why;
    try {
      Response r = job.client->conclude(*job.call, outcome, job.parse);
      finish(job, &r, nullptr);
    } catch (Error &e) {
      finish(job, nullptr, &e);
    } catch (...) {
      fail_oom(job);
    }
  }

  void finish(Job &job, Response *r, Error *e) {
    job.state = Job::State::Finished;
    if (job.call->cancel && job.waker) job.call->cancel->remove_waker(job.waker);
    job.waker = 0;
    in_callback = true;
    job.done(r, e);  // noexcept by contract
    in_callback = false;
    job.done = nullptr;
    job.parse = nullptr;
    pending.fetch_sub(1);
  }

  void cancel_job(Job &job) {
    switch (job.state) {
      case Job::State::Transfer:
        if (job.session) end_transfer(job, CURLE_OK, true);
        break;
      case Job::State::Waiting:
        --waiting;
        job.state = Job::State::Queued;
        conclude(job, RetryStop::Cancelled);
        break;
      case Job::State::Queued:
        conclude(job, RetryStop::Cancelled);
        break;
      case Job::State::Finished:
        break;
    }
  }

  // ---------------------------------------------------------------- timers

  void refresh_timers_due() {  // under mu
    timers_due_ms = -1;
    for (const Timer &t : timers)
      if (timers_due_ms < 0 || t.due_ms < timers_due_ms) timers_due_ms = t.due_ms;
  }

  // Runs the timers due by `now` (all of them, with shutting_down, at
  // shutdown); true if any ran.
  bool run_timers(int64_t now, bool shutting_down) {
    std::vector<Timer> due;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (timers.empty() || (!shutting_down && (timers_due_ms < 0 || timers_due_ms > now))) return false;
      try {
        for (size_t i = 0; i < timers.size();) {
          if (shutting_down || timers[i].due_ms <= now) {
            due.push_back(std::move(timers[i]));
            timers.erase(timers.begin() + static_cast<std::ptrdiff_t>(i));
          } else {
            ++i;
          }
        }
      } catch (...) {  // out of memory: what was taken runs, the rest at the next turn
      }
      refresh_timers_due();
    }
    std::sort(due.begin(), due.end(), [](const Timer &a, const Timer &b) { return a.due_ms < b.due_ms; });
    for (Timer &t : due) {
      in_callback = true;
      try {
        t.fn(shutting_down);
      } catch (...) {  // a timer's work must not throw; nothing to tell
      }
      in_callback = false;
    }
    return !due.empty();
  }

  // ---------------------------------------------------------------- a turn

  void take_incoming() {
    std::vector<std::shared_ptr<Job>> fresh;
    try {
      std::lock_guard<std::mutex> lock(mu);
      if (incoming.empty()) return;
      jobs.reserve(jobs.size() + incoming.size());
      fresh.swap(incoming);
    } catch (...) {  // out of memory: they stay queued, the next turn tries again
      wake();
      return;
    }
    for (auto &j : fresh) {
      jobs.push_back(j);  // reserved: no allocation
      start_attempt(*j);
    }
  }

  void read_done() {
    int queued = 0;
    while (CURLMsg *m = curl_multi_info_read(multi, &queued)) {
      if (m->msg != CURLMSG_DONE) continue;
      const auto it = transfers.find(m->easy_handle);
      if (it == transfers.end()) continue;
      end_transfer(*it->second, m->data.result, false);
    }
  }

  void socket_events() {
    epoll_event evs[64];
    for (int round = 0; round < 16; ++round) {
      const int n = epoll_wait(epfd, evs, 64, 0);
      if (n <= 0) return;
      for (int i = 0; i < n; ++i) {
        const int fd = evs[i].data.fd;
        if (fd == evfd || fd == tfd) continue;
        int flags = 0;
        if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) flags |= CURL_CSELECT_IN;
        if (evs[i].events & EPOLLOUT) flags |= CURL_CSELECT_OUT;
        if (evs[i].events & EPOLLERR) flags |= CURL_CSELECT_ERR;
        socket_action(fd, flags);
      }
      read_done();
      if (n < 64) return;
    }
  }

  void turn() {
    drain(evfd);
    drain(tfd);
    take_incoming();
    if (cancel_flag.exchange(false))
      for (size_t i = 0; i < jobs.size(); ++i) {
        Job &j = *jobs[i];
        if (j.state != Job::State::Finished &&
            (j.cancel_requested.load() || (j.call->cancel && j.call->cancel->triggered())))
          cancel_job(j);
      }
    socket_events();
    for (int round = 0; round < kRoundsPerProcess; ++round) {
      const int64_t now = steady_now_ms();
      bool ran = false;
      if (curl_due_ms >= 0 && curl_due_ms <= now) {
        curl_due_ms = -1;
        socket_action(CURL_SOCKET_TIMEOUT, 0);
        read_done();
        ran = true;
      }
      for (size_t i = 0; multi_errors > 0 && i < jobs.size(); ++i) {
        Job &j = *jobs[i];
        if (j.state == Job::State::Transfer && j.session && j.watchdog_ms >= 0 && j.watchdog_ms <= now) {
          end_transfer(j, CURLE_OPERATION_TIMEDOUT, false);
          ran = true;
        }
      }
      for (size_t i = 0; waiting > 0 && i < jobs.size(); ++i) {
        Job &j = *jobs[i];
        if (j.state == Job::State::Waiting && j.due_ms <= now) {
          start_attempt(j);
          ran = true;
        }
      }
      if (run_timers(now, false)) {
        take_incoming();  // calls the timers started
        ran = true;
      }
      if (!ran) break;
    }
    bool closing_now = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      closing_now = closing && mode == Mode::External;
    }
    if (closing_now) cancel_all();
    jobs.erase(std::remove_if(jobs.begin(), jobs.end(),
                              [](const std::shared_ptr<Job> &j) { return j->state == Job::State::Finished; }),
               jobs.end());
    arm_timer();
    {
      std::lock_guard<std::mutex> lock(mu);
      ++turns;
    }
    cv.notify_all();
  }

  // Cancels and completes everything (shutdown). Calls not started yet are
  // completed as they are (no transfer begins); nothing here allocates a
  // list, so out of memory cannot strand a call (a stranded one would keep
  // its client and this engine alive through its completion's state).
  void cancel_all() {
    std::vector<std::shared_ptr<Job>> fresh;
    {
      std::lock_guard<std::mutex> lock(mu);
      fresh.swap(incoming);
    }
    for (auto &j : fresh) cancel_job(*j);
    for (size_t i = 0; i < jobs.size(); ++i) cancel_job(*jobs[i]);
    jobs.clear();
    run_timers(0, true);
    // What the timers' work started (refused: the engine is closing) and
    // completed is done; nothing is left running.
  }

  void thread_main() {
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (stop) break;
      }
      pollfd p{epfd, POLLIN, 0};
      ::poll(&p, 1, -1);
      turn();
    }
    cancel_all();
    std::lock_guard<std::mutex> lock(mu);
    ++turns;
    cv.notify_all();
  }
};

Engine::Engine(Mode mode) : core_(std::make_shared<Core>(mode)) {
  if (mode == Mode::Thread) {
    std::shared_ptr<Core> core = core_;
    core_->thread = std::thread([core] { core->thread_main(); });
    core_->loop_thread = core_->thread.get_id();
  }
}

Engine::~Engine() { shutdown(); }

void Engine::shutdown() {
  Core &c = *core_;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    if (c.closing) return;
    c.closing = true;
    c.stop = true;
  }
  if (c.mode == Mode::Thread) {
    c.wake();
    if (c.thread.get_id() == std::this_thread::get_id())
      c.thread.detach();  // from a callback: the thread finishes the turn, cancels the rest and ends
    else if (c.thread.joinable())
      c.thread.join();
  } else if (c.in_callback && c.loop_thread == std::this_thread::get_id()) {
    c.cancel_flag.store(true);  // from a callback: the current turn cancels the rest when it ends
  } else {
    std::lock_guard<std::mutex> lock(c.process_mu);
    c.cancel_all();
  }
}

std::shared_ptr<Engine::Job> Engine::start(std::shared_ptr<Client> client, std::unique_ptr<PreparedCall> call,
                                           std::function<void(const Response &)> parse, Done done) {
  auto job = std::make_shared<Job>();
  job->client = std::move(client);
  job->call = std::move(call);
  job->parse = std::move(parse);
  job->done = std::move(done);
  job->stepper.emplace(job->call->policy, job->client->retry_env());
  Core *core = core_.get();
  if (job->call->cancel) {
    job->waker = job->call->cancel->add_waker([core] {
      core->cancel_flag.store(true);
      core->wake();
    });
  }
  {
    std::lock_guard<std::mutex> lock(core->mu);
    if (core->closing) {
      if (job->waker) job->call->cancel->remove_waker(job->waker);
      fail(Status::InvalidArgument, "the loop is shutting down");
    }
    try {
      core->incoming.push_back(job);
    } catch (...) {
      if (job->waker) job->call->cancel->remove_waker(job->waker);
      throw;
    }
    core->pending.fetch_add(1);
  }
  core->wake();
  return job;
}

uint64_t Engine::after(int64_t delay_ms, std::function<void(bool)> fn) {
  Core &c = *core_;
  const int64_t due = steady_now_ms() + std::max<int64_t>(delay_ms, 0);
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    if (c.closing) fail(Status::InvalidArgument, "the loop is shutting down");
    id = c.next_timer_id++;
    c.timers.push_back(Core::Timer{id, due, std::move(fn)});
    if (c.timers_due_ms < 0 || due < c.timers_due_ms) c.timers_due_ms = due;
  }
  // The loop re-arms its timer at the end of a turn; from another thread
  // (or outside a turn) only a wake-up makes one happen. A wake-up from the
  // loop's own thread costs one spare turn.
  c.wake();
  return id;
}

void Engine::cancel_timer(uint64_t id) {
  Core &c = *core_;
  std::function<void(bool)> dropped;  // destroyed outside the lock
  std::lock_guard<std::mutex> lock(c.mu);
  for (size_t i = 0; i < c.timers.size(); ++i)
    if (c.timers[i].id == id) {
      dropped = std::move(c.timers[i].fn);
      c.timers.erase(c.timers.begin() + static_cast<std::ptrdiff_t>(i));
      c.refresh_timers_due();
      break;
    }
}

void Engine::hold() { core_->pending.fetch_add(1); }

void Engine::release() {
  core_->pending.fetch_sub(1);
  core_->cv.notify_all();
}

void Engine::cancel(const std::shared_ptr<Job> &job) {
  if (!job) return;
  job->cancel_requested.store(true);
  core_->cancel_flag.store(true);
  core_->wake();
}

Engine::Mode Engine::mode() const noexcept { return core_->mode; }
int Engine::fd() const noexcept { return core_->epfd; }
size_t Engine::pending() const { return core_->pending.load(); }

void Engine::call_begun() noexcept { core_->calls.fetch_add(1); }
void Engine::call_ended() noexcept { core_->calls.fetch_sub(1); }
size_t Engine::calls() const noexcept { return core_->calls.load(); }

bool Engine::on_loop_thread() const noexcept {
  return core_->mode == Mode::Thread ? core_->loop_thread == std::this_thread::get_id() : core_->in_callback;
}

int64_t Engine::timeout_ms() const {
  Core &c = *core_;
  {
    std::lock_guard<std::mutex> lock(c.mu);
    if (!c.incoming.empty()) return 0;
  }
  if (c.cancel_flag.load()) return 0;
  itimerspec spec{};
  if (timerfd_gettime(c.tfd, &spec) != 0) return 0;
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) return -1;
  return static_cast<int64_t>(spec.it_value.tv_sec) * 1000 + (spec.it_value.tv_nsec + 999999) / 1000000;
}

void Engine::process() {
  Core &c = *core_;
  if (c.mode != Mode::External) fail(Status::InvalidArgument, "process() is for loops in external mode");
  if (c.in_callback && c.loop_thread == std::this_thread::get_id())
    fail(Status::InvalidArgument, "process() called from a completion callback of the same loop");
  std::lock_guard<std::mutex> lock(c.process_mu);
  c.loop_thread = std::this_thread::get_id();
  c.turn();
}

bool Engine::run(int64_t timeout_ms, const std::function<bool()> &until) {
  Core &c = *core_;
  const int64_t deadline = timeout_ms < 0 ? -1 : steady_now_ms() + timeout_ms;
  for (;;) {
    if (until()) return true;
    const int64_t left = deadline < 0 ? -1 : deadline - steady_now_ms();
    if (deadline >= 0 && left <= 0) return until();
    if (c.mode == Mode::External && !(c.in_callback && c.loop_thread == std::this_thread::get_id())) {
      std::unique_lock<std::mutex> plock(c.process_mu, std::try_to_lock);
      if (plock.owns_lock()) {
        pollfd p{c.epfd, POLLIN, 0};
        const int64_t wait = left < 0 ? 100 : std::min<int64_t>(left, 100);
        ::poll(&p, 1, static_cast<int>(wait));
        c.loop_thread = std::this_thread::get_id();
        c.turn();
        continue;
      }
    }
    // Someone else drives the loop: wait for its next turn (bounded, so
    // that until() is re-read even if no turn comes).
    std::unique_lock<std::mutex> lock(c.mu);
    const uint64_t seen = c.turns;
    c.cv.wait_for(lock, std::chrono::milliseconds(left < 0 ? 50 : std::min<int64_t>(left, 50)),
                  [&] { return c.turns != seen; });
  }
}

}  // namespace plexauth
