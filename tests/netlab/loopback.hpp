#pragma once
// Helpers for the loopback tests of tests/netlab.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <coroutine>
#include <cstdint>
#include <string>
#include <string_view>

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

// A misbehaving peer: a plain blocking socket on 127.0.0.1, which sends
// exactly the bytes a test gives it. Connecting completes in the kernel's
// backlog, so the test needs no running loop for it.
class RawPeer {
 public:
  explicit RawPeer(std::uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawPeer() { close(); }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  [[nodiscard]] bool connected() const noexcept { return connected_; }
  bool send(std::string_view bytes) { return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool connected_ = false;
};

}  // namespace netlab::test
