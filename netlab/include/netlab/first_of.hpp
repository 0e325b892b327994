#pragma once
// first_of: wait for two things at once, and go on with whichever comes first.
//
// A client that waits at the keyboard must also notice the server leaving; a
// chat client prints messages while the user types. first_of runs both tasks
// side by side; the first to finish gives its result (or its exception), and
// the other is destroyed where it waits.
//
//     auto next = co_await netlab::first_of(terminal.read_line(), client.receive_message());
//     if (next.index() == 0) {
//       std::optional<std::string> line = std::get<0>(next);     // typed first
//     } else {
//       std::optional<std::string> message = std::get<1>(next);  // arrived first; empty: the server closed
//     }
//
// Nothing is lost by the one that did not finish: terminal.read_line() and
// client.receive_message() take a line or a message only when they finish,
// so what arrives later waits for the next call. Give it only tasks of that
// kind (a send destroyed half way has sent, or not).

#include <coroutine>
#include <exception>
#include <type_traits>
#include <utility>
#include <variant>

#include "netlab/task.hpp"

namespace netlab {

namespace detail {

// What a Task<T> gives as an alternative of first_of's variant.
template <typename T>
using Outcome = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

// One entrant of a race: runs when started, and stays suspended at its end
// so that the race destroys it, finished or not.
class Entrant {
 public:
  struct promise_type {
    Entrant get_return_object() noexcept {
      return Entrant{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_always final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }  // the bodies catch everything
  };

  Entrant() = default;
  Entrant(Entrant&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Entrant& operator=(Entrant&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  ~Entrant() { destroy(); }

  void start() { Trampoline::start(handle_); }
  void destroy() noexcept {
    if (!handle_) return;
    Trampoline::forget(handle_);
    std::exchange(handle_, {}).destroy();
  }

 private:
  explicit Entrant(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
  std::coroutine_handle<promise_type> handle_;
};

template <typename A, typename B>
class Race {
 public:
  Race(Task<A> a, Task<B> b) : a_(std::move(a)), b_(std::move(b)) {}
  Race(const Race&) = delete;
  Race& operator=(const Race&) = delete;

  bool await_ready() const noexcept { return false; }

  bool await_suspend(std::coroutine_handle<> awaiting) {
    // One that finishes at once wins before the other even starts.
    entrants_[0] = enter<0>(std::move(a_), a_result_);
    entrants_[0].start();
    if (winner_ >= 0) return false;
    entrants_[1] = enter<1>(std::move(b_), b_result_);
    entrants_[1].start();
    if (winner_ >= 0) return false;
    awaiting_ = awaiting;
    return true;
  }

  std::variant<Outcome<A>, Outcome<B>> await_resume() {
    awaiting_ = {};
    for (auto& entrant : entrants_) entrant.destroy();  // the other stops where it waits
    if (winner_ == 0) return std::variant<Outcome<A>, Outcome<B>>(std::in_place_index<0>, a_result_.take());
    return std::variant<Outcome<A>, Outcome<B>>(std::in_place_index<1>, b_result_.take());
  }

 private:
  template <int Index, typename T>
  Entrant enter(Task<T> task, Result<Outcome<T>>& result) {
    try {
      if constexpr (std::is_void_v<T>) {
        co_await std::move(task);
        result.set_value(std::monostate{});
      } else {
        result.set_value(co_await std::move(task));
      }
    } catch (...) {
      result.set_exception(std::current_exception());
    }
    if (winner_ < 0) {
      winner_ = Index;
      if (awaiting_) resume(awaiting_);
    }
  }

  Task<A> a_;
  Task<B> b_;
  Result<Outcome<A>> a_result_;
  Result<Outcome<B>> b_result_;
  Entrant entrants_[2];  // after the results they write to: destroyed first
  int winner_ = -1;
  std::coroutine_handle<> awaiting_;
};

}  // namespace detail

// Runs `a` and `b` side by side until one finishes; returns which (the
// variant's index: 0 for `a`, 1 for `b`) and its value, std::monostate for a
// Task<void>; rethrows its exception. The other is destroyed unfinished. A
// task that finishes without waiting wins at once; `b` does not even start
// when `a` does.
template <typename A, typename B>
Task<std::variant<detail::Outcome<A>, detail::Outcome<B>>> first_of(Task<A> a, Task<B> b) {
  co_return co_await detail::Race<A, B>(std::move(a), std::move(b));
}

}  // namespace netlab
