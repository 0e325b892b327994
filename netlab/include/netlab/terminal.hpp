#pragma once
// Terminal: lines typed on the keyboard (or piped into stdin), read without
// blocking the event loop, so a client can wait for the keyboard and the
// network at the same time.

#include <coroutine>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/event_loop.hpp"
#include "netlab/task.hpp"

namespace netlab {

class Terminal {
 public:
  explicit Terminal(EventLoop& loop);
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // The next line (without its newline), or nothing at the end of input:
  // Ctrl-D, the end of a piped file, or after close(). One reader at a time.
  Task<std::optional<std::string>> read_line();

  // Prints `text` (no newline added) when interactive; scripted runs stay quiet.
  void prompt(std::string_view text) const;

  // Stops reading: a waiting read_line() returns nothing.
  void close();

 private:
  void open();
  void on_read(ssize_t nread, const char* data);
  [[nodiscard]] bool ready() const noexcept { return !lines_.empty() || ended_; }
  void wake();

  union Stdin {
    uv_tty_t tty;
    uv_pipe_t pipe;
  };

  EventLoop& loop_;
  bool interactive_;
  detail::UvHandle<Stdin> stdin_;
  bool opened_ = false;
  bool ended_ = false;
  std::string partial_;             // typed so far, no newline yet
  std::vector<std::string> lines_;  // complete lines not read yet, oldest first
  std::coroutine_handle<> reader_;  // the task waiting in read_line(), until it runs again
  bool reader_woken_ = false;       // ...which is queued to run
};

}  // namespace netlab
