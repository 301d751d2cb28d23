// The non-blocking C API's handles and the helpers the generated
// plexauth_client_<op>_start/_finish entry points call (capi/generated.cpp).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "capi/guard.h"
#include "capi/handles.h"
#include "core/engine.h"

struct plexauth_loop {
  std::shared_ptr<plexauth::Engine> e;
};

namespace plexauth::capi {

// What a plexauth_call handle and the engine's completion share. The handle
// may be freed before completion; the completion keeps this alive.
struct CallState {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  bool freed = false;
  bool in_callback = false;
  std::thread::id callback_thread;
  const Operation *op = nullptr;
  std::shared_ptr<Engine> engine;
  std::shared_ptr<Engine::Job> job;
  std::function<void()> canceller;  // work that is not one job (a connect): how to stop it
  plexauth_call_done_fn done_fn = nullptr;
  void *user_data = nullptr;
  plexauth_call *handle = nullptr;
  // The outcome: a result handle (type-erased, checked against op by
  // finish) or an error.
  std::unique_ptr<void, void (*)(void *)> result{nullptr, [](void *) {}};
  bool taken = false;
  std::optional<ErrorInfo> error;
  // Counted in engine->calls() (plexauth_loop_pending) from new_call until
  // its callback has returned, or until it is destroyed if it never started.
  bool counted = false;

  CallState() = default;
  CallState(const CallState &) = delete;
  CallState &operator=(const CallState &) = delete;
  ~CallState() {
    if (counted) engine->call_ended();
  }
};

}  // namespace plexauth::capi

struct plexauth_call {
  std::shared_ptr<plexauth::capi::CallState> s;
};

namespace plexauth::capi {

// The loop a start uses: the given one, or the client's own (made on first use).
std::shared_ptr<Engine> loop_for(plexauth_client *client, plexauth_loop *loop);

// A call handle and its state for work on `engine` (kind: the descriptor
// finish checks), its callback not run yet.
std::unique_ptr<plexauth_call> new_call(std::shared_ptr<Engine> engine, const Operation &kind,
                                        plexauth_call_done_fn done, void *user_data);

// Queues a prepared call; on_success(response) builds the result handle on
// the loop thread.
plexauth_call *start_prepared(plexauth_client *client, plexauth_loop *loop, const Operation &op,
                              std::unique_ptr<PreparedCall> call, std::function<void(const Response &)> parse,
                              std::function<void(CallState &, Response &)> on_success, plexauth_call_done_fn done,
                              void *user_data);

// Starts `op` whose result is the model M (or nothing, for M = void).
template <class M>
plexauth_call *start_call(plexauth_client *client, const Operation &op, const CallInput &in,
                          const plexauth_call_options *opts, plexauth_loop *loop, plexauth_call_done_fn done,
                          void *user_data) {
  auto call = std::make_unique<PreparedCall>();
  client->c.prepare(*call, op, in, opts ? &opts->o : nullptr);
  if constexpr (std::is_void_v<M>) {
    return start_prepared(
        client, loop, op, std::move(call), [](const Response &) {}, [](CallState &, Response &) {}, done, user_data);
  } else {
    using H = typename HandleOf<M>::type;
    auto value = std::make_shared<std::optional<M>>();
    const Operation *o = &op;  // a static descriptor (operations.gen.h)
    return start_prepared(
        client, loop, op, std::move(call),
        [value, o](const Response &r) { *value = parse_model<M>(r.body, envelope_of(*o, r)); },
        [value](CallState &s, Response &r) {
          s.result = std::unique_ptr<void, void (*)(void *)>(new H(std::move(r), std::move(**value)),
                                                             [](void *p) { delete static_cast<H *>(p); });
        },
        done, user_data);
  }
}

// Records a completion (the result handle made by set_result, or the
// error) and runs the call's callback: what every kind of call does when it
// ends, on the loop thread.
void complete_call(const std::shared_ptr<CallState> &state, const std::function<void(CallState &)> &set_result,
                   Error *e) noexcept;

// Checks that `call` is a completed call of `op` and reports its outcome;
// on success hands the result over (once). Throws Error.
void take_outcome(plexauth_call *call, const Operation &op, void **result);

template <class M>
plexauth_status finish_call(typename HandleOf<M>::type **out, plexauth_call *call, const Operation &op,
                            plexauth_error **err) noexcept {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    void *r = nullptr;
    take_outcome(call, op, &r);
    *out = static_cast<typename HandleOf<M>::type *>(r);
  });
}

inline plexauth_status finish_void_call(plexauth_call *call, const Operation &op, plexauth_error **err) noexcept {
  return guard(err, [&] { take_outcome(call, op, nullptr); });
}

}  // namespace plexauth::capi
