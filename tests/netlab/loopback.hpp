#pragma once
// Helpers for the loopback tests of tests/netlab.

#include <coroutine>
#include <utility>

#include "netlab/task.hpp"

namespace netlab::test {

// Something a task waits for and another part of the test signals.
class Event {
 public:
  void set() {
    set_ = true;
    if (waiter_) detail::resume(std::exchange(waiter_, {}));
  }
  [[nodiscard]] bool is_set() const noexcept { return set_; }
  Task<void> wait() {
    struct Awaiter {
      Event& event;
      bool await_ready() const noexcept { return event.set_; }
      void await_suspend(std::coroutine_handle<> handle) noexcept { event.waiter_ = handle; }
      void await_resume() const noexcept {}
    };
    co_await Awaiter{*this};
  }

 private:
  bool set_ = false;
  std::coroutine_handle<> waiter_;
};

}  // namespace netlab::test
