#include "netlab/event_loop.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "netlab/error.hpp"
#include "netlab/task_group.hpp"

namespace netlab {

EventLoop::EventLoop() {
  if (int status = uv_loop_init(&loop_); status < 0) throw_uv_error(status, "starting the event loop");
  loop_.data = this;  // so that a handle leads back to its EventLoop
  prepare_.open(&loop_, this, uv_prepare_init);
  idle_.open(&loop_, nullptr, uv_idle_init);
}

namespace {

// The types of the handles on `loop` that nobody closed, e.g. "timer, tcp".
std::string open_handles(uv_loop_t* loop) {
  std::string types;
  uv_walk(
      loop,
      [](uv_handle_t* handle, void* types) {
        if (uv_is_closing(handle)) return;
        auto& list = *static_cast<std::string*>(types);
        list += list.empty() ? "" : ", ";
        list += uv_handle_type_name(uv_handle_get_type(handle));
      },
      &types);
  return types;
}

}  // namespace

EventLoop::~EventLoop() {
  prepare_.close();
  idle_.close();
  uv_run(&loop_, UV_RUN_NOWAIT);  // lets pending close callbacks free their objects
  // Anything still open belongs to an object that outlived the loop or never
  // closed its handle: a bug, which a debug build stops at, as libuv's own
  // tests do, and a release build survives by closing it, rather than hang here.
  if (const std::string leaked = open_handles(&loop_); !leaked.empty()) {
#ifndef NDEBUG
    std::fprintf(stderr,
                 "netlab: the event loop was destroyed with handles still open: %s. Whatever uses the loop "
                 "must close its handles and be destroyed before it\n",
                 leaked.c_str());
    std::abort();
#endif
    uv_walk(
        &loop_,
        [](uv_handle_t* handle, void*) {
          if (!uv_is_closing(handle)) uv_close(handle, nullptr);
        },
        nullptr);
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  [[maybe_unused]] const int closed = uv_loop_close(&loop_);
  assert(closed == 0 && "uv_run returned with handles or requests still alive");
}

bool EventLoop::run_once() { return uv_run(&loop_, UV_RUN_ONCE) != 0; }

Task<void> EventLoop::sleep(std::chrono::milliseconds delay) {
  Timer timer(*this);
  struct Wake {
    Timer& timer;
    std::chrono::milliseconds delay;
    bool await_ready() noexcept { return false; }
    void await_suspend(std::coroutine_handle<> sleeper) {
      timer.start(delay, [sleeper] { detail::resume(sleeper); });
    }
    void await_resume() noexcept {}
  };
  co_await Wake{timer, delay};
}

void EventLoop::schedule(detail::BeforePoll& hook) {
  if (hook.scheduled_) return;
  hook.scheduled_ = true;
  if (scheduled_.empty()) {
    uv_prepare_start(prepare_.get(), [](uv_prepare_t* prepare) {
      auto& self = *static_cast<EventLoop*>(prepare->data);
      // Hooks scheduled while these run wait for the next turn.
      self.running_.swap(self.scheduled_);
      for (auto* hook : self.running_) {
        if (hook == nullptr) continue;  // cancelled by an earlier hook
        hook->scheduled_ = false;
        hook->before_poll();
      }
      self.running_.clear();
      // Hooks scheduled during this pass (a sender woken by a flush queues
      // more) run next turn; an active idle handle keeps the poll from
      // blocking until then, as it would with nothing else to wake it.
      if (self.scheduled_.empty()) {
        uv_prepare_stop(prepare);
        uv_idle_stop(self.idle_.get());
      } else {
        uv_idle_start(self.idle_.get(), [](uv_idle_t*) {});
      }
    });
  }
  scheduled_.push_back(&hook);
}

void EventLoop::cancel(detail::BeforePoll& hook) noexcept {
  if (!hook.scheduled_) return;
  hook.scheduled_ = false;
  std::erase(scheduled_, &hook);
  std::replace(running_.begin(), running_.end(), &hook, static_cast<detail::BeforePoll*>(nullptr));
}

Timer::Timer(EventLoop& loop) { handle_.open(loop.uv(), this, uv_timer_init); }

void Timer::start(std::chrono::milliseconds delay, std::function<void()> callback,
                  std::chrono::milliseconds repeat) {
  callback_ = std::move(callback);
  uv_timer_start(
      handle_.get(),
      [](uv_timer_t* handle) {
        auto* self = static_cast<Timer*>(handle->data);
        // The callback may destroy this Timer (a sleeping task that resumes
        // and returns), so it runs from a copy, not from the member.
        auto callback = uv_timer_get_repeat(handle) == 0 ? std::move(self->callback_) : self->callback_;
        try {
          callback();
        } catch (...) {
          // An exception must not unwind through libuv's C code.
          std::fprintf(stderr, "netlab: a timer callback failed: %s\n", describe(std::current_exception()).c_str());
        }
      },
      static_cast<std::uint64_t>(delay.count()), static_cast<std::uint64_t>(repeat.count()));
}

void Timer::stop() noexcept { uv_timer_stop(handle_.get()); }

}  // namespace netlab
