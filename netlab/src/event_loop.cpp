#include "netlab/event_loop.hpp"

#include <algorithm>
#include <cstdio>

#include "netlab/error.hpp"

namespace netlab {

EventLoop::EventLoop() {
  if (int status = uv_loop_init(&loop_); status < 0) throw_uv_error(status, "starting the event loop");
  uv_prepare_init(&loop_, &prepare_);
  prepare_.data = this;
  uv_idle_init(&loop_, &idle_);
  loop_.data = this;  // so that a handle leads back to its EventLoop
}

EventLoop::~EventLoop() {
  // Destroying a suspended task runs the destructors of everything it was
  // awaiting, which unregister themselves from connections and timers.
  spawned_.clear();
  uv_close(reinterpret_cast<uv_handle_t*>(&prepare_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&idle_), nullptr);
  uv_run(&loop_, UV_RUN_NOWAIT);  // lets pending close callbacks free their objects
  // Anything still open belongs to an object that outlived the loop: close it
  // so the loop can be closed, rather than hang here.
  uv_walk(
      &loop_,
      [](uv_handle_t* handle, void*) {
        if (!uv_is_closing(handle)) uv_close(handle, nullptr);
      },
      nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
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
    uv_prepare_start(&prepare_, [](uv_prepare_t* prepare) {
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
        uv_idle_stop(&self.idle_);
      } else {
        uv_idle_start(&self.idle_, [](uv_idle_t*) {});
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

Timer::Timer(EventLoop& loop) : handle_(new uv_timer_t) {
  uv_timer_init(loop.uv(), handle_);
  handle_->data = this;
}

Timer::~Timer() {
  uv_timer_stop(handle_);
  handle_->data = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(handle_),
           [](uv_handle_t* handle) { delete reinterpret_cast<uv_timer_t*>(handle); });
}

void Timer::start(std::chrono::milliseconds delay, std::function<void()> callback,
                  std::chrono::milliseconds repeat) {
  callback_ = std::move(callback);
  uv_timer_start(
      handle_,
      [](uv_timer_t* handle) {
        auto* self = static_cast<Timer*>(handle->data);
        if (self == nullptr) return;
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

void Timer::stop() noexcept { uv_timer_stop(handle_); }

}  // namespace netlab
