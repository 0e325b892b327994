#include "harness.hpp"

#include <malloc.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <utility>

// From <sanitizer/allocator_interface.h>, which GCC does not install; called
// only in a build under AddressSanitizer, which defines them.
extern "C" {
std::size_t __sanitizer_get_current_allocated_bytes();
void __sanitizer_purge_allocator();
}

namespace netlab::faults {

using Clock = std::chrono::steady_clock;

void Signal::notify() {
  if (waiter_) detail::resume(std::exchange(waiter_, {}));
}

Task<bool> Signal::wait(std::chrono::milliseconds timeout) {
  struct Awaiter {
    Signal& signal;
    Timer& deadline;
    std::chrono::milliseconds timeout;
    bool timed_out = false;

    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> handle) {
      signal.waiter_ = handle;
      deadline.start(timeout, [this] {
        if (auto waiter = std::exchange(signal.waiter_, {})) {
          timed_out = true;
          detail::resume(waiter);
        }
      });
    }
    bool await_resume() const noexcept { return !timed_out; }
    ~Awaiter() { signal.waiter_ = {}; }
  };
  Timer deadline(loop_);
  co_return co_await Awaiter{*this, deadline, timeout};
}

Reports::Reports(EventLoop& loop, TcpServer& server) : loop_(loop), reported_(loop) {
  server.set_error_reporter([this](const std::string& line) {
    lines_.push_back(line);
    reported_.notify();
  });
}

std::optional<std::string> Reports::wait_for(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::size_t checked = 0;
  while (true) {
    for (; checked < lines_.size(); ++checked) {
      if (lines_[checked].find(text) != std::string::npos) return lines_[checked];
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || !loop_.run(reported_.wait(left))) return std::nullopt;
  }
}

std::string Reports::all() const {
  std::string joined;
  for (const auto& line : lines_) joined += line + "\n";
  return joined.empty() ? "(nothing reported)\n" : joined;
}

ProcessFigures process_figures() {
  // Freed memory the allocator keeps for reuse (or, under ASan, in
  // quarantine) is handed back first: the figures count what is live.
  if constexpr (detail::kAddressSanitizer) {
    __sanitizer_purge_allocator();
  } else {
    malloc_trim(0);
  }
  ProcessFigures figures;
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) figures.rss_kib = std::stoul(line.substr(6));
  }
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++figures.open_fds;
  --figures.open_fds;  // the directory iterator's own descriptor
  figures.heap_bytes = heap_bytes();
  return figures;
}

std::size_t heap_bytes() {
  if constexpr (detail::kAddressSanitizer) return __sanitizer_get_current_allocated_bytes();
  return mallinfo2().uordblks;
}

bool run_until(EventLoop& loop, const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!done() && Clock::now() < deadline) loop.run(loop.sleep(std::chrono::milliseconds{1}));
  return done();
}

}  // namespace netlab::faults
