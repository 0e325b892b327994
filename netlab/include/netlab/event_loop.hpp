#pragma once
// EventLoop: owns one libuv loop (https://docs.libuv.org/en/v1.x/loop.html)
// and runs netlab's tasks on it. One thread, no locks: every callback and every
// task of a loop runs on the thread that calls run().

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/task.hpp"
#include "netlab/uv_handle.hpp"

namespace netlab {

class EventLoop;

namespace detail {

// Work that runs once, just before the loop next waits for I/O: connections
// use it to send everything queued during one loop turn in one write.
class BeforePoll {
 public:
  virtual void before_poll() = 0;

 protected:
  BeforePoll() = default;
  ~BeforePoll() = default;
  BeforePoll(const BeforePoll&) = delete;
  BeforePoll& operator=(const BeforePoll&) = delete;

 private:
  friend class netlab::EventLoop;
  bool scheduled_ = false;
};

}  // namespace detail

class EventLoop {
 public:
  EventLoop();
  // Waits for libuv to release every handle, and closes the loop. Objects
  // that use the loop (servers, clients, timers) must be destroyed before it:
  // in a debug build (and so in every test) a handle still open here is a bug,
  // reported with its type ("timer", "tcp", ...) before the program aborts;
  // otherwise it is closed.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Runs the loop until `task` finishes, then returns its value or rethrows
  // its exception. Call it from main() or a test, never from inside a task.
  // Throws std::logic_error if the task waits for something that can no
  // longer happen (the loop has nothing left to do).
  template <typename T>
  T run(Task<T> task);

  // Completes after `delay`.
  Task<void> sleep(std::chrono::milliseconds delay);

  // The libuv loop, for code that creates handles on it. Its `data` points
  // back at this EventLoop.
  uv_loop_t* uv() noexcept { return &loop_; }

  // Runs `hook->before_poll()` once, before the loop next waits for I/O. Scheduling
  // a hook that is already scheduled does nothing; cancel() before destroying one.
  void schedule(detail::BeforePoll& hook);
  void cancel(detail::BeforePoll& hook) noexcept;

 private:
  bool run_once();

  uv_loop_t loop_{};
  detail::UvHandle<uv_prepare_t> prepare_;
  detail::UvHandle<uv_idle_t> idle_;  // active while hooks wait for the next turn (see schedule)
  std::vector<detail::BeforePoll*> scheduled_;
  std::vector<detail::BeforePoll*> running_;  // the hooks of the turn under way
};

template <typename T>
T EventLoop::run(Task<T> task) {
  detail::Result<T> result;
  auto runner = detail::store_result(std::move(task), &result);
  runner.start();
  while (!result.ready()) {
    if (!run_once() && !result.ready()) {
      runner.destroy();
      throw std::logic_error(
          "EventLoop::run: the task is waiting, but nothing is left that could wake it "
          "(no open connection, timer or pending request)");
    }
  }
  return result.take();
}

// A one-shot or repeating timer (https://docs.libuv.org/en/v1.x/timer.html).
// Destroying it stops it; the callback never runs after that.
class Timer {
 public:
  explicit Timer(EventLoop& loop);
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Calls `callback` after `delay` (and then every `repeat`, if nonzero),
  // replacing any earlier start.
  void start(std::chrono::milliseconds delay, std::function<void()> callback,
             std::chrono::milliseconds repeat = std::chrono::milliseconds{0});
  void stop() noexcept;

 private:
  std::function<void()> callback_;
  detail::UvHandle<uv_timer_t> handle_;
};

}  // namespace netlab
