// Shared pieces of the C++ API suite: a FakePlex on 127.0.0.1 and a
// plexauth::Client for it built through the C++ API, a host loop driver for
// external Loops, and a runner that makes one operation each way the C++ API
// offers (blocking, try_, future, callback; client's loop and external Loop).
#pragma once

#include <plexauth/plexauth.hpp>

#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <functional>
#include <memory>
#include <future>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "fake_plex.h"

namespace cpptest {

using plexauth_fake::FakePlex;
using plexauth_fake::Fault;
namespace seed = plexauth_fake::seed;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline constexpr char kClientId[] = "3381b62b-9ab7-4e37-827b-203e9809eb58";  // created the seeded PIN
inline constexpr char kProduct[] = "Plex for Roku";
inline constexpr char kUserPath[] = "/api/v2/user";
inline constexpr char kSignInPath[] = "/api/v2/users/signin";
inline constexpr char kSignOutPath[] = "/api/v2/users/signout";
inline constexpr char kPinsPath[] = "/api/v2/pins";
inline constexpr char kPingPath[] = "/api/v2/ping";
inline constexpr char kTokenPath[] = "/security/token";
inline constexpr char kResourcesPath[] = "/security/resources";

// A config for the fake: both base URLs, an identity, fast retries, long timeouts.
inline plexauth::Config fake_config(const FakePlex &fake, std::optional<std::string_view> token) {
  plexauth::Config cfg;
  cfg.server_url(fake.base_url())
      .plex_tv_url(fake.plex_tv_url())
      .access_token(token)
      .client_id(kClientId)
      .client_name(kProduct)
      .platform("Linux")
      // Generous: the suite also runs under valgrind and sanitizers, where a slow first
      // answer must not become a timeout and a retry (tests count requests and attempts).
      .connect_timeout(10s)
      .timeout(30s)
      .retry(plexauth::Retry().initial_interval(10ms).max_interval(50ms).max_elapsed(10000ms));
  return cfg;
}

// Drives an external loop as a host does (poll its descriptor with its
// timeout, then process) until `until()` or 10 s.
template <class Until>
bool drive(plexauth::Loop &loop, Until until) {
  const auto deadline = Clock::now() + 10s;
  while (!until()) {
    if (Clock::now() > deadline) return false;
    pollfd p{loop.fd(), POLLIN, 0};
    const auto t = loop.timeout();
    const int ms = !t || *t > 100ms ? 100 : static_cast<int>(t->count());
    ::poll(&p, 1, ms);
    loop.process();
  }
  return true;
}

template <class F>
bool ready(const F &f) {
  return f.wait_for(0s) == std::future_status::ready;
}

// How one operation is made each way; each function starts one new call.
template <class R>
struct Ways {
  std::function<R()> blocking;
  std::function<plexauth::Result<R>()> try_;
  std::function<plexauth::Future<R>(plexauth::LoopRef)> future;
  std::function<plexauth::Call(std::function<void(plexauth::Result<R>)>, plexauth::LoopRef)> callback;
};

// Makes the operation six ways (blocking; try_; future and callback on the
// client's own loop; future and callback on an external loop driven by this
// thread) and hands each success to check (with the value, or none for void).
// Callbacks on the client's loop run on another thread; on the external loop,
// on this one.
template <class R, class Check>
void every_way(const Ways<R> &ways, Check check) {
  auto deliver = [&](auto &&...value) { check(std::forward<decltype(value)>(value)...); };
  {
    SCOPED_TRACE("blocking");
    if constexpr (std::is_void_v<R>) {
      ways.blocking();
      deliver();
    } else {
      deliver(ways.blocking());
    }
  }
  {
    SCOPED_TRACE("try_");
    plexauth::Result<R> r = ways.try_();
    ASSERT_TRUE(r.ok()) << r.error().what();
    EXPECT_EQ(r.status(), plexauth::Status::Ok);
    if constexpr (std::is_void_v<R>) {
      deliver();
    } else {
      deliver(std::move(r).value());
    }
  }
  {
    SCOPED_TRACE("future on the client's loop");
    plexauth::Future<R> f = ways.future({});
    ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
    if constexpr (std::is_void_v<R>) {
      f.get();
      deliver();
    } else {
      deliver(f.get());
    }
  }
  auto with_callback = [&](plexauth::LoopRef loop, plexauth::Loop *external) {
    // Shared with the callback, which may outlive this scope if a check fails.
    auto outcome = std::make_shared<std::promise<plexauth::Result<R>>>();
    auto thread = std::make_shared<std::promise<std::thread::id>>();
    auto got = outcome->get_future();
    auto on = thread->get_future();
    plexauth::Call call = ways.callback(
        [outcome, thread](plexauth::Result<R> r) {
          thread->set_value(std::this_thread::get_id());
          outcome->set_value(std::move(r));
        },
        loop);
    if (external) {
      ASSERT_TRUE(drive(*external, [&] { return ready(got); }));
      EXPECT_EQ(on.get(), std::this_thread::get_id()) << "callbacks run inside Loop::process()";
    } else {
      ASSERT_EQ(got.wait_for(10s), std::future_status::ready);
      EXPECT_NE(on.get(), std::this_thread::get_id()) << "callbacks run on the loop's thread";
    }
    EXPECT_TRUE(call.done());
    plexauth::Result<R> r = got.get();
    ASSERT_TRUE(r.ok()) << r.error().what();
    if constexpr (std::is_void_v<R>) {
      deliver();
    } else {
      deliver(std::move(r).value());
    }
  };
  {
    SCOPED_TRACE("callback on the client's loop");
    with_callback({}, nullptr);
  }
  plexauth::Loop loop(plexauth::Loop::Mode::External);
  {
    SCOPED_TRACE("future on an external loop");
    plexauth::Future<R> f = ways.future(loop);
    EXPECT_EQ(loop.pending(), 1u);
    ASSERT_TRUE(drive(loop, [&] { return ready(f); }));
    if constexpr (std::is_void_v<R>) {
      f.get();
      deliver();
    } else {
      deliver(f.get());
    }
  }
  {
    SCOPED_TRACE("callback on an external loop");
    with_callback(loop, &loop);
  }
  EXPECT_EQ(loop.pending(), 0u);
}

// A fake and a client for it signed in as account A; the client goes first.
class CppApi : public ::testing::Test {
 protected:
  plexauth::Client client_with_token(std::optional<std::string_view> token) const {
    return plexauth::Client(fake_config(fake, token));
  }
  FakePlex fake;
  plexauth::Client client = client_with_token(seed::kTokenA);
};

}  // namespace cpptest
