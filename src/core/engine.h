// The non-blocking engine: many calls of many clients in flight on one
// thread, over one libcurl multi handle driven by its socket interface.
//
// Each call runs the same steps as a blocking one (Client::prepare,
// begin_attempt, finish_attempt, conclude, RetryStepper): only the waiting
// differs. Transfers wait in epoll; retry waits are timers; cancellation is
// a flag the loop reads when it is woken.
//
// Two ways to drive it:
//   - Mode::Thread: the engine owns a thread that runs the loop; completion
//     callbacks (and the clients' token providers and log sinks) run there.
//   - Mode::External: the host watches fd() (readable when process() has
//     work: a socket is ready, a timer is due, a call was started or
//     cancelled) and calls process(), which runs everything, callbacks
//     included, on the host's thread. No library thread exists.
// fd() is an epoll descriptor holding the transfers' sockets, an eventfd
// (wake-ups from other threads) and a timerfd (libcurl's and the retries'
// timers), so one descriptor is all a host needs to watch; timeout_ms() is
// there for hosts that prefer a timeout of their own. Linux only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "core/client.h"
#include "core/error.h"

namespace plexauth {

class Engine {
 public:
  enum class Mode { Thread, External };

  // Called once per started call, on the loop's thread, with the response
  // (success: parse already ran on it) or the error. Must not throw.
  using Done = std::function<void(Response *response, Error *error)>;

  // Throws Error (OutOfMemory, Internal) when the loop cannot be set up.
  explicit Engine(Mode mode);
  // Cancels every call still in flight and completes it (its Done runs with
  // Status::Cancelled: on the loop thread in thread mode, here in external
  // mode), then stops the thread. From the loop's own thread (a callback
  // dropping the last reference) the thread winds down after the callback.
  ~Engine();  // shutdown()
  // The same, explicitly (idempotent). Afterwards start() fails and the
  // engine only keeps its memory for handles that still point at it.
  void shutdown();
  Engine(const Engine &) = delete;
  Engine &operator=(const Engine &) = delete;

  class Job;
  // Starts a prepared call of `client` (thread-safe, cheap: the call is
  // queued and the loop woken). parse(response) runs on the loop thread
  // before done (a parse failure becomes the call's error, as in blocking
  // calls). Throws Error(InvalidArgument) when the engine is shutting down.
  std::shared_ptr<Job> start(std::shared_ptr<Client> client, std::unique_ptr<PreparedCall> call,
                             std::function<void(const Response &)> parse, Done done);
  // Asks for the call to stop (thread-safe; a finished call is left alone).
  // It completes with Status::Cancelled at the loop's next turn.
  void cancel(const std::shared_ptr<Job> &job);

  Mode mode() const noexcept;
  int fd() const noexcept;
  // Milliseconds until process() is due at the latest (0: now), -1: none.
  int64_t timeout_ms() const;
  // External mode: runs everything that is due, without blocking. Throws
  // Error(InvalidArgument) in thread mode, or from inside a callback of this
  // engine (re-entry).
  void process();
  // External mode: waits on fd() and processes until until() holds or
  // timeout_ms passes (-1: no limit); false on timeout. If another thread
  // is processing, waits for it instead. Thread mode: waits only.
  bool run(int64_t timeout_ms, const std::function<bool()> &until);
  // Timers, for work of its own that the loop runs (connection racing,
  // core/connect.h). after() runs fn(false) on the loop thread delay_ms
  // from now (thread-safe; 0: at the next turn); shutdown runs every timer
  // still set with fn(true) instead, so that work waiting on one completes.
  // Returns an id for cancel_timer(), never 0. Throws Error(InvalidArgument)
  // when the engine is shutting down (fn does not run then).
  uint64_t after(int64_t delay_ms, std::function<void(bool shutting_down)> fn);
  // Unsets a timer (thread-safe; an id that fired or is unknown is ignored).
  // From the loop thread, fn does not run after this returns.
  void cancel_timer(uint64_t id);
  // Work other than calls that pending() should count (a connect in
  // progress): hold() adds one, release() removes it.
  void hold();
  void release();

  // Jobs started and not completed yet (and holds): the work run() and
  // shutdown() wait for, the requests of cancelled calls included.
  size_t pending() const;
  // The callers' calls, as plexauth_loop_pending() counts them: a call that
  // runs several jobs one after the other or at once (a JWT login, a
  // connect) counts once, from call_begun() to call_ended() (capi/async).
  void call_begun() noexcept;
  void call_ended() noexcept;
  size_t calls() const noexcept;
  // Whether the calling thread is this engine's own loop thread.
  bool on_loop_thread() const noexcept;

 private:
  struct Core;
  std::shared_ptr<Core> core_;
};

}  // namespace plexauth
