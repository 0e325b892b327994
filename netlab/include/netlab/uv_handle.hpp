#pragma once
// detail::UvHandle<T>: how netlab owns every libuv handle
// (https://docs.libuv.org/en/v1.x/handle.html).
//
// libuv needs a handle's memory until the callback of its uv_close, which
// runs on a later loop turn, when the object that closed it may be gone. So
// a UvHandle allocates its uv_*_t, closes it exactly once (close() or the
// destructor) and frees it in that callback. Once closed, libuv runs none of
// its callbacks, so `data` (which points at the owner) is never followed into
// a dead owner; the owner no longer sees the handle either: get() is null.

#include <uv.h>

#include <utility>

namespace netlab::detail {

template <typename T>  // uv_tcp_t, uv_timer_t, ...: a handle type, or a union of them
class UvHandle {
 public:
  UvHandle() noexcept = default;
  ~UvHandle() { close(); }
  UvHandle(const UvHandle&) = delete;
  UvHandle& operator=(const UvHandle&) = delete;

  // Makes the handle with `init(loop, handle, args...)` (uv_timer_init,
  // uv_tcp_init, ...), its `data` pointing at `owner`. Returns init's status;
  // when it fails, nothing is open.
  template <typename Init, typename... Args>
  int open(uv_loop_t* loop, void* owner, Init init, Args... args) {
    close();
    auto* handle = new T{};
    if (const int status = init(loop, handle, args...); status < 0) {
      delete handle;  // never initialised, so not for uv_close
      return status;
    }
    handle_ = handle;
    base()->data = owner;
    return 0;
  }

  // Closes the handle, if open. In the close callback, `OnClosed(handle)`
  // runs (if given) and then the handle is freed: an owner that must outlive
  // the handle's requests learns there that libuv is done with them.
  template <void (*OnClosed)(T*) = nullptr>
  void close() noexcept {
    if (handle_ == nullptr) return;
    uv_close(reinterpret_cast<uv_handle_t*>(std::exchange(handle_, nullptr)), [](uv_handle_t* closed) {
      auto* handle = reinterpret_cast<T*>(closed);
      if constexpr (OnClosed != nullptr) OnClosed(handle);
      delete handle;
    });
  }

  [[nodiscard]] T* get() const noexcept { return handle_; }
  [[nodiscard]] uv_handle_t* base() const noexcept { return reinterpret_cast<uv_handle_t*>(handle_); }
  // For the stream calls (uv_read_start, uv_write, ...) of a TCP, pipe or tty handle.
  [[nodiscard]] uv_stream_t* stream() const noexcept { return reinterpret_cast<uv_stream_t*>(handle_); }
  explicit operator bool() const noexcept { return handle_ != nullptr; }

 private:
  T* handle_ = nullptr;
};

}  // namespace netlab::detail
