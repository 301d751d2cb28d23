// The non-blocking C API: loops and pending calls (plexauth_loop_*,
// plexauth_call_*). The per-operation _start/_finish entry points are
// generated (capi/generated.cpp) over the helpers here.
#include "capi/async.h"

#include "capi/support.h"

namespace plexauth::capi {

std::shared_ptr<Engine> loop_for(plexauth_client *client, plexauth_loop *loop) {
  if (loop) return loop->e;
  std::lock_guard<std::mutex> lock(client->loop_mu);
  if (!client->loop) client->loop = std::make_shared<Engine>(Engine::Mode::Thread);
  return client->loop;
}

std::unique_ptr<plexauth_call> new_call(std::shared_ptr<Engine> engine, const Operation &kind,
                                        plexauth_call_done_fn done, void *user_data) {
  auto state = std::make_shared<CallState>();
  state->op = &kind;
  state->engine = std::move(engine);
  state->engine->call_begun();
  state->counted = true;
  state->done_fn = done;
  state->user_data = user_data;
  auto handle = std::make_unique<plexauth_call>();
  handle->s = state;
  state->handle = handle.get();
  return handle;
}

plexauth_call *start_prepared(plexauth_client *client, plexauth_loop *loop, const Operation &op,
                              std::unique_ptr<PreparedCall> call, std::function<void(const Response &)> parse,
                              std::function<void(CallState &, Response &)> on_success, plexauth_call_done_fn done,
                              void *user_data) {
  std::shared_ptr<Engine> engine = loop_for(client, loop);
  std::unique_ptr<plexauth_call> handle = new_call(engine, op, done, user_data);
  std::shared_ptr<CallState> state = handle->s;
  // Runs on the loop thread, once.
  Engine::Done complete = [state, on_success = std::move(on_success)](Response *r, Error *e) {
    complete_call(
        state, [&](CallState &s) { on_success(s, *r); }, r ? nullptr : e);
  };
  // Set the job before the loop can complete it: hold the state's lock.
  std::lock_guard<std::mutex> lock(state->mu);
  state->job = engine->start(client->cp, std::move(call), std::move(parse), std::move(complete));
  return handle.release();
}

void complete_call(const std::shared_ptr<CallState> &state, const std::function<void(CallState &)> &set_result,
                   Error *e) noexcept {
  {
    std::unique_lock<std::mutex> lock(state->mu);
    try {
      if (!e) {
        set_result(*state);
      } else {
        state->error = e->info();
      }
    } catch (...) {
      ErrorInfo oom;
      oom.status = Status::OutOfMemory;
      oom.message = "out of memory";
      state->result.reset();
      try {
        state->error = std::move(oom);
      } catch (...) {
      }
    }
    state->done = true;
    state->job.reset();
    state->canceller = nullptr;
    if (!state->freed && state->done_fn) {
      state->in_callback = true;
      state->callback_thread = std::this_thread::get_id();
      lock.unlock();
      state->done_fn(state->handle, state->user_data);
      lock.lock();
      state->in_callback = false;
    }
    if (state->counted) {  // after the callback: a call counts until it has returned
      state->counted = false;
      state->engine->call_ended();
    }
    state->cv.notify_all();
  }
}

void take_outcome(plexauth_call *call, const Operation &op, void **result) {
  require(call, "call");
  CallState &s = *call->s;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.op != &op)
    fail(Status::InvalidArgument, std::string("this call is a ") + s.op->name + ", not a " + op.name);
  if (!s.done)
    fail(Status::InvalidArgument,
         std::string(op.name) + ": the call has not completed yet (wait for its callback or use plexauth_call_wait)");
  if (s.error) throw Error(*s.error);
  if (!result) return;  // an operation without a result
  if (s.taken) fail(Status::InvalidArgument, std::string(op.name) + ": the result was already taken");
  *result = s.result.release();
  s.taken = true;
}

}  // namespace plexauth::capi

using namespace plexauth::capi;  // NOLINT

extern "C" {

plexauth_status plexauth_loop_new(plexauth_loop **out, int mode, plexauth_error **err) {
  return guard(err, [&] {
    require(out, "out");
    *out = nullptr;
    if (mode != PLEXAUTH_LOOP_THREAD && mode != PLEXAUTH_LOOP_EXTERNAL)
      plexauth::fail(plexauth::Status::InvalidArgument, "mode must be PLEXAUTH_LOOP_THREAD or PLEXAUTH_LOOP_EXTERNAL");
    auto loop = std::make_unique<plexauth_loop>();
    loop->e = std::make_shared<plexauth::Engine>(mode == PLEXAUTH_LOOP_THREAD ? plexauth::Engine::Mode::Thread
                                                                              : plexauth::Engine::Mode::External);
    *out = loop.release();
  });
}

void plexauth_loop_free(plexauth_loop *loop) {
  if (!loop) return;
  try {
    loop->e->shutdown();
  } catch (...) {
  }
  delete loop;
}

int plexauth_loop_fd(const plexauth_loop *loop) { return loop ? loop->e->fd() : -1; }

int64_t plexauth_loop_timeout_ms(const plexauth_loop *loop) {
  if (!loop) return -1;
  try {
    return loop->e->timeout_ms();
  } catch (...) {
    return 0;
  }
}

plexauth_status plexauth_loop_process(plexauth_loop *loop, plexauth_error **err) {
  return guard(err, [&] {
    require(loop, "loop");
    loop->e->process();
  });
}

plexauth_status plexauth_loop_run(plexauth_loop *loop, int64_t timeout_ms, plexauth_error **err) {
  return guard(err, [&] {
    require(loop, "loop");
    plexauth::Engine &e = *loop->e;
    // Until every job is done: the calls, and the requests of cancelled ones winding down.
    if (!e.run(timeout_ms, [&] { return e.pending() == 0; }))
      plexauth::fail(plexauth::Status::Timeout, std::to_string(e.calls()) + " calls still pending after " +
                                                    std::to_string(timeout_ms) + " ms");
  });
}

size_t plexauth_loop_pending(const plexauth_loop *loop) { return loop ? loop->e->calls() : 0; }

int plexauth_call_done(const plexauth_call *call) {
  if (!call) return 0;
  std::lock_guard<std::mutex> lock(call->s->mu);
  return call->s->done ? 1 : 0;
}

void plexauth_call_cancel(plexauth_call *call) {
  if (!call) return;
  std::shared_ptr<plexauth::Engine::Job> job;
  std::function<void()> canceller;
  {
    std::lock_guard<std::mutex> lock(call->s->mu);
    if (call->s->done) return;
    job = call->s->job;
    canceller = call->s->canceller;
  }
  try {
    if (job) call->s->engine->cancel(job);
    if (canceller) canceller();
  } catch (...) {
  }
}

plexauth_status plexauth_call_wait(plexauth_call *call, int64_t timeout_ms, plexauth_error **err) {
  return guard(err, [&] {
    require(call, "call");
    CallState &s = *call->s;
    const auto done = [&] {
      std::lock_guard<std::mutex> lock(s.mu);
      return s.done;
    };
    if (s.engine->mode() == plexauth::Engine::Mode::Thread && s.engine->on_loop_thread() && !done())
      plexauth::fail(plexauth::Status::InvalidArgument, "plexauth_call_wait from a callback of the call's own loop");
    if (!s.engine->run(timeout_ms, done))
      plexauth::fail(plexauth::Status::Timeout, "the call did not complete within " + std::to_string(timeout_ms) + " ms");
  });
}

void plexauth_call_free(plexauth_call *call) {
  if (!call) return;
  std::shared_ptr<CallState> s = call->s;
  std::shared_ptr<plexauth::Engine::Job> job;
  std::function<void()> canceller;
  {
    std::unique_lock<std::mutex> lock(s->mu);
    s->freed = true;
    s->handle = nullptr;
    if (!s->done) {
      job = s->job;
      canceller = s->canceller;
    }
    while (s->in_callback && s->callback_thread != std::this_thread::get_id()) s->cv.wait(lock);
    s->result.reset();  // a result not taken
  }
  try {
    if (job) s->engine->cancel(job);
    if (canceller) canceller();
  } catch (...) {
  }
  delete call;
}

}  // extern "C"
