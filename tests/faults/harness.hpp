#pragma once
// What the fault tests share: a misbehaving peer on a raw socket, a way to
// wait (with a deadline) for what a server reports, and the process figures
// (memory, open files) that must come back to their baseline.

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/event_loop.hpp"
#include "netlab/task.hpp"
#include "netlab/tcp_server.hpp"
#include "netlab/testing/raw_peer.hpp"

namespace netlab::faults {

using testing::RawPeer;

// Something a test waits for, up to a deadline, and another part of it
// signals. A notify() with no task waiting is not remembered: check the
// condition before waiting.
class Signal {
 public:
  explicit Signal(EventLoop& loop) : loop_(loop) {}

  // Wakes the task waiting, if any.
  void notify();
  // Completes at the next notify() (true) or once `timeout` has passed (false).
  Task<bool> wait(std::chrono::milliseconds timeout);

 private:
  EventLoop& loop_;
  std::coroutine_handle<> waiter_;
};

// Collects the lines a TcpServer reports (set_error_reporter).
class Reports {
 public:
  Reports(EventLoop& loop, TcpServer& server);

  // Runs the loop until a line containing `text` is reported; returns it, or
  // nothing if `timeout` passes first.
  std::optional<std::string> wait_for(std::string_view text, std::chrono::milliseconds timeout);
  [[nodiscard]] const std::vector<std::string>& lines() const noexcept { return lines_; }
  // Every line, one per line: for failure messages.
  [[nodiscard]] std::string all() const;

 private:
  EventLoop& loop_;
  std::vector<std::string> lines_;
  Signal reported_;
};

// Figures of this process, from /proc/self and the allocator, taken after
// freed memory is handed back to the system.
struct ProcessFigures {
  std::size_t rss_kib = 0;     // VmRSS
  std::size_t open_fds = 0;    // entries of /proc/self/fd
  std::size_t heap_bytes = 0;  // bytes allocated and not freed (ASan's count under ASan)
};
ProcessFigures process_figures();
// Bytes allocated and not freed yet: cheaper than process_figures().
std::size_t heap_bytes();

// Runs the loop until `done()` holds or `timeout` passes; returns done().
// For conditions nothing signals, such as closed sockets being released.
bool run_until(EventLoop& loop, const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace netlab::faults
