#pragma once
// WaitList: coroutines waiting for the same thing (a connection to drain, or
// to close), to be woken together.
//
// Each waiter is a node inside its own coroutine frame. A resumed coroutine
// may destroy other waiters' frames (ending a task group, say), so nodes
// unlink themselves when destroyed, from whichever list holds them at the
// time, including the batch being woken.

#include <coroutine>
#include <utility>

#include "netlab/task.hpp"

namespace netlab::detail {

class WaitList {
 public:
  class Waiter {
   public:
    explicit Waiter(WaitList& list) noexcept : list_(list) {}
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;
    ~Waiter() { unlink(); }

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) noexcept {
      handle_ = handle;
      link_after(&list_.head_);
    }
    void await_resume() const noexcept {}

   private:
    friend class WaitList;
    void link_after(Waiter** prev) noexcept {
      next_ = *prev;
      if (next_ != nullptr) next_->prev_ = &next_;
      prev_ = prev;
      *prev = this;
    }
    void unlink() noexcept {
      if (prev_ == nullptr) return;
      *prev_ = next_;
      if (next_ != nullptr) next_->prev_ = prev_;
      prev_ = nullptr;
      next_ = nullptr;
    }

    WaitList& list_;
    std::coroutine_handle<> handle_;
    Waiter* next_ = nullptr;
    Waiter** prev_ = nullptr;  // the pointer that points at this waiter
  };

  WaitList() = default;
  WaitList(const WaitList&) = delete;
  WaitList& operator=(const WaitList&) = delete;

  // co_await list.wait() suspends until the next wake_all().
  Waiter wait() noexcept { return Waiter(*this); }

  // Resumes everyone waiting now; whoever waits again waits for the next call.
  void wake_all() {
    Waiter* batch = std::exchange(head_, nullptr);
    if (batch != nullptr) batch->prev_ = &batch;
    while (batch != nullptr) {
      Waiter* waiter = batch;
      waiter->unlink();
      resume(std::exchange(waiter->handle_, {}));
    }
  }

 private:
  Waiter* head_ = nullptr;
};

}  // namespace netlab::detail
