#pragma once
// Task<T>: the coroutine type of netlab.
//
// A Task is lazy: calling a coroutine that returns Task<T> only creates it; the
// body runs when the task is awaited (`co_await`), handed to EventLoop::run or
// TaskGroup::spawn, or to run_sync in a test. Its result, or the exception
// that escaped it, goes to whoever awaits it.
//
// A few library calls do their quick part during the call and return a task
// that is already finished, or one that waits for the rest: send_message
// queues the message when called, and awaiting it is where a sender waits
// for a slow reader. Either way, `co_await` is how every call is used.
//
//     netlab::Task<void> ask(netlab::Client& client, std::string question) {
//       co_await client.send_message(question);
//       auto answer = co_await client.receive_message();
//     }
//
// Forgetting `co_await` in front of a call that returns a Task is a compile
// error in netlab's builds: the Task type is [[nodiscard]], and the project
// compiles with -Werror=unused-result (elsewhere it is a warning).

#include <coroutine>
#include <cstddef>
#include <exception>
#include <new>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace netlab {

template <typename T = void>
class Task;
class TaskGroup;

namespace detail {

// Resumes coroutines one after another from a flat loop (a trampoline), so
// awaiting a task never nests stack frames, however deep tasks await tasks or
// however many complete at once in a loop. Symmetric transfer promises the
// same, but GCC turns it into a real tail call only with optimisation on and
// sanitizers off, and students build at -O0 and under ASan.
//
// The ready coroutines form a stack: the one made ready last runs first, as
// with symmetric transfer (an awaited task runs at once, and its awaiter right
// after it). One event loop runs on one thread, so the stack is per thread.
class Trampoline {
 public:
  // Makes `handle` ready; runs it (and all it makes ready) unless a run is
  // already under way further up this thread's stack, which will get to it.
  static void resume(std::coroutine_handle<> handle) {
    auto& self = instance();
    self.ready_.push_back(handle);
    if (!self.running_) self.run_above(0);
  }

  // Runs `handle` now, until it and all it makes ready have suspended or
  // finished, even in the middle of another run: how a spawned task starts
  // before spawn() returns.
  static void start(std::coroutine_handle<> handle) {
    auto& self = instance();
    const std::size_t floor = self.ready_.size();
    self.ready_.push_back(handle);
    self.run_above(floor);
  }

  // Runs an awaited task's coroutine at once, nested on this stack, if few
  // are nested already; else queues it like resume(). Nesting lets a task
  // that finishes without waiting return to its awaiter like a function
  // call, rather than through the queue twice; the bound keeps the stack
  // bounded however deep tasks await tasks.
  static void run_awaited(std::coroutine_handle<> handle, bool& nested) {
    auto& self = instance();
    if (self.nested_ == kMaxNested) {
      resume(handle);
      return;
    }
    nested = true;
    ++self.nested_;
    handle.resume();  // never throws: every promise stores its exception
    --self.nested_;
    nested = false;
  }

  // Calls f() with every resume it causes held back until it returns, then
  // runs them: for a libuv callback that wakes tasks while it walks state
  // those tasks may change (a map of connections, a list being rebuilt).
  template <typename F>
  static void hold_while(F&& f) {
    auto& self = instance();
    if (self.running_) {  // a run further up will get to them
      f();
      return;
    }
    self.running_ = true;
    struct Release {
      Trampoline& self;
      ~Release() {
        self.running_ = false;
        self.run_above(0);
      }
    } release{self};
    f();
  }

  // Takes `handle` off the queue: its coroutine is being destroyed, perhaps
  // after something woke it but before its turn came.
  static void forget(std::coroutine_handle<> handle) noexcept { std::erase(instance().ready_, handle); }

 private:
  static Trampoline& instance() {
    thread_local Trampoline trampoline;
    return trampoline;
  }

  void run_above(std::size_t floor) {
    const bool outer = !running_;
    running_ = true;
    while (ready_.size() > floor) {
      auto next = ready_.back();
      ready_.pop_back();
      next.resume();  // never throws: every promise stores its exception
    }
    if (outer) running_ = false;
  }

  static constexpr int kMaxNested = 32;

  std::vector<std::coroutine_handle<>> ready_;
  bool running_ = false;
  int nested_ = 0;
};

inline void resume(std::coroutine_handle<> handle) { Trampoline::resume(handle); }

// True in a build under AddressSanitizer (GCC defines a macro, clang answers __has_feature).
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
inline constexpr bool kAddressSanitizer = __has_feature(address_sanitizer);
#else
inline constexpr bool kAddressSanitizer = false;
#endif

// Where coroutine frames come from. A frame is allocated for every call of a
// coroutine, so a message that passes through a few awaited calls costs a few
// malloc/free pairs; recycling freed frames per thread and per size class
// saves most of them. Under AddressSanitizer frames come from the ordinary
// allocator, so that a frame used after it was freed is still caught.
class FramePool {
 public:
  static void* allocate(std::size_t size) {
    if (kRecycle && size <= kLargest) {
      auto& list = lists()[size_class(size)];
      if (list.head != nullptr) {
        --list.count;
        return std::exchange(list.head, list.head->next);
      }
      return ::operator new(rounded(size));
    }
    return ::operator new(size);
  }

  static void deallocate(void* frame, std::size_t size) noexcept {
    if (kRecycle && size <= kLargest) {
      auto& list = lists()[size_class(size)];
      if (list.count < kKeepPerClass) {
        ++list.count;
        list.head = new (frame) Free{list.head};
        return;
      }
      ::operator delete(frame);
      return;
    }
    ::operator delete(frame);
  }

 private:
  static constexpr bool kRecycle = !kAddressSanitizer;
  static constexpr std::size_t kGranule = 16;  // malloc's own granule: rounding wastes nothing
  static constexpr std::size_t kClasses = 64;  // frames up to 1 KiB
  static constexpr std::size_t kLargest = kGranule * kClasses;
  static constexpr std::size_t kKeepPerClass = 256;

  struct Free {
    Free* next;
  };
  struct List {
    Free* head = nullptr;
    std::size_t count = 0;
  };
  struct Lists {
    List lists[kClasses];
    ~Lists() {
      for (std::size_t i = 0; i < kClasses; ++i) {
        while (lists[i].head != nullptr) {
          // Unsized: clang 14 has no sized deallocation unless asked for it.
          ::operator delete(std::exchange(lists[i].head, lists[i].head->next));
        }
      }
    }
  };

  static std::size_t size_class(std::size_t size) noexcept { return (size - 1) / kGranule; }
  static std::size_t rounded(std::size_t size) noexcept { return (size_class(size) + 1) * kGranule; }
  static List* lists() noexcept {
    thread_local Lists pool;
    return pool.lists;
  }
};

// The outcome of a task: nothing yet, a value, or an exception.
template <typename T>
class Result {
 public:
  template <typename U>
  void set_value(U&& value) {
    state_.template emplace<1>(std::forward<U>(value));
  }
  void set_exception(std::exception_ptr error) noexcept { state_.template emplace<2>(error); }
  [[nodiscard]] bool ready() const noexcept { return state_.index() != 0; }
  T take() {
    if (state_.index() == 2) std::rethrow_exception(std::get<2>(state_));
    return std::move(std::get<1>(state_));
  }

 private:
  std::variant<std::monostate, T, std::exception_ptr> state_;
};

template <>
class Result<void> {
 public:
  void set_value() noexcept { ready_ = true; }
  void set_exception(std::exception_ptr error) noexcept {
    error_ = error;
    ready_ = true;
  }
  [[nodiscard]] bool ready() const noexcept { return ready_; }
  void take() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  bool ready_ = false;
  std::exception_ptr error_;
};

// Told when a task that nobody awaits finishes: how a TaskGroup learns it
// may destroy the task, without a second coroutine frame to await it.
class FinishHook {
 public:
  virtual void finished(void* frame) noexcept = 0;

 protected:
  ~FinishHook() = default;
};

template <typename T>
class PromiseBase {
 public:
  static void* operator new(std::size_t size) { return FramePool::allocate(size); }
  static void operator delete(void* frame, std::size_t size) noexcept { FramePool::deallocate(frame, size); }

  std::suspend_always initial_suspend() noexcept { return {}; }

  auto final_suspend() noexcept {
    struct ResumeAwaiter {
      std::coroutine_handle<> continuation;
      FinishHook* hook;
      bool await_ready() noexcept { return false; }
      bool nested;
      void await_suspend(std::coroutine_handle<> self) noexcept {
        if (hook != nullptr) {
          hook->finished(self.address());  // may destroy this frame: nothing may follow
        } else if (continuation && !nested) {
          resume(continuation);
        }
        // Nested: the awaiter is below on this stack and goes on by itself.
      }
      void await_resume() noexcept {}
    };
    return ResumeAwaiter{continuation_, hook_, nested_};
  }

  void unhandled_exception() noexcept { result_.set_exception(std::current_exception()); }

  void set_continuation(std::coroutine_handle<> continuation) noexcept { continuation_ = continuation; }
  // Runs this task for its awaiter (see Trampoline::run_awaited); true if
  // the awaiter must suspend, false if the task has finished already.
  bool run_for_awaiter(std::coroutine_handle<> self) noexcept {
    Trampoline::run_awaited(self, nested_);
    return !self.done();
  }
  void set_finish_hook(FinishHook* hook) noexcept { hook_ = hook; }
  Result<T>& result() noexcept { return result_; }

 protected:
  Result<T> result_;

 private:
  std::coroutine_handle<> continuation_;
  FinishHook* hook_ = nullptr;
  bool nested_ = false;  // running nested in its awaiter's await_suspend
};

template <typename T>
class Promise : public PromiseBase<T> {
 public:
  Task<T> get_return_object() noexcept;
  template <typename U>
  void return_value(U&& value) {
    this->result_.set_value(std::forward<U>(value));
  }
};

template <>
class Promise<void> : public PromiseBase<void> {
 public:
  Task<void> get_return_object() noexcept;
  void return_void() noexcept { result_.set_value(); }
};

}  // namespace detail

template <typename T>
class [[nodiscard("a Task runs only when awaited: add co_await in front of the call")]] Task {
 public:
  using promise_type = detail::Promise<T>;
  using value_type = T;

  // A task that has already finished: co_await gives `value` back at once,
  // with no coroutine frame and no suspension. For calls that can often
  // complete on the spot (a send with room in the buffer, a receive with a
  // message already in), so that they cost no more than a function call.
  template <typename U = T>
    requires(!std::is_void_v<U>)
  static Task ready(U value) {
    Task task;
    task.ready_.emplace(std::move(value));
    return task;
  }
  static Task ready()
    requires std::is_void_v<T>
  {
    return Task{};
  }

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})), ready_(std::move(other.ready_)) {}
  Task& operator=(Task&& other) noexcept {
    if (this != &other) {
      destroy();
      handle_ = std::exchange(other.handle_, {});
      ready_ = std::move(other.ready_);
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;

  // Destroying a task that has not finished destroys its frame and, with it,
  // every task it was awaiting: nothing leaks, nothing resumes later.
  ~Task() { destroy(); }

  auto operator co_await() && noexcept {
    struct Awaiter {
      Task& task;
      bool await_ready() const noexcept { return !task.handle_; }
      bool await_suspend(std::coroutine_handle<> awaiting) noexcept {
        task.handle_.promise().set_continuation(awaiting);
        return task.handle_.promise().run_for_awaiter(task.handle_);
      }
      T await_resume() {
        if (task.handle_) return task.handle_.promise().result().take();
        if constexpr (!std::is_void_v<T>) return std::move(*task.ready_);
      }
    };
    return Awaiter{*this};
  }

 private:
  friend class detail::Promise<T>;
  friend class TaskGroup;
  Task() noexcept = default;
  explicit Task(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}

  void destroy() noexcept {
    if (!handle_) return;
    if (!handle_.done()) detail::Trampoline::forget(handle_);
    std::exchange(handle_, {}).destroy();
  }

  std::coroutine_handle<promise_type> handle_;
  // The value of a ready() task; a Task<void> needs none (no frame means ready).
  struct NoValue {
    NoValue() = default;
    template <typename U>
    void emplace(U&&) {}
  };
  [[no_unique_address]] std::conditional_t<std::is_void_v<T>, NoValue, std::optional<T>> ready_;
};

namespace detail {

template <typename T>
Task<T> Promise<T>::get_return_object() noexcept {
  return Task<T>{std::coroutine_handle<Promise<T>>::from_promise(*this)};
}

inline Task<void> Promise<void>::get_return_object() noexcept {
  return Task<void>{std::coroutine_handle<Promise<void>>::from_promise(*this)};
}

// A coroutine that nobody awaits: it starts when start() is called and frees
// itself when it finishes. Its owner may destroy() it while it is suspended.
// The bodies that use it catch every exception themselves.
class Detached {
 public:
  struct promise_type {
    Detached get_return_object() noexcept {
      return Detached{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { std::terminate(); }
  };

  void start() { Trampoline::start(handle_); }
  void destroy() {
    Trampoline::forget(handle_);
    handle_.destroy();
  }
  [[nodiscard]] void* address() const noexcept { return handle_.address(); }

 private:
  explicit Detached(std::coroutine_handle<promise_type> handle) noexcept : handle_(handle) {}
  std::coroutine_handle<promise_type> handle_;
};

// Awaits `task` and stores its outcome in `*result`.
template <typename T>
Detached store_result(Task<T> task, Result<T>* result) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      result->set_value();
    } else {
      result->set_value(co_await std::move(task));
    }
  } catch (...) {
    result->set_exception(std::current_exception());
  }
}

}  // namespace detail

// Runs `task` to completion on this thread without an event loop and returns
// its value (or rethrows its exception). For tests with mocks, whose calls all
// complete at once. A task that waits for real I/O or a timer cannot finish
// here: run_sync destroys it and throws std::logic_error saying so.
template <typename T>
T run_sync(Task<T> task) {
  detail::Result<T> result;
  auto runner = detail::store_result(std::move(task), &result);
  runner.start();
  if (!result.ready()) {
    runner.destroy();
    throw std::logic_error(
        "run_sync: the task is still waiting for something (a network operation or a timer?). "
        "run_sync can only finish tasks whose every co_await completes at once, as with mocks; "
        "use EventLoop::run for real I/O");
  }
  return result.take();
}

}  // namespace netlab
