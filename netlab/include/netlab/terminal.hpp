#pragma once
// Terminal: lines typed on the keyboard (or piped into stdin), read without
// blocking the event loop, so a client can wait for the keyboard and the
// network at the same time.
//
// When a person types (stdin and stdout both a terminal), Terminal edits the
// line itself, as a shell does: it echoes what is typed, and Backspace,
// Ctrl-U (erase the line) and Ctrl-D (end, on an empty line) work; Ctrl-C
// still interrupts. So text printed with print() while a line is half typed
// goes above it, and the prompt and the half-typed line come back below,
// unchanged. The terminal's own settings come back when reading ends.

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
  ~Terminal();  // gives the keyboard its settings back
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  // The next line (without its newline), or nothing at the end of input:
  // Ctrl-D, the end of a piped file, or after close(). One reader at a time.
  Task<std::optional<std::string>> read_line();

  // Prints `text` (no newline added) when interactive; scripted runs stay quiet.
  void prompt(std::string_view text);

  // Prints `text` (whole lines, each ending with a newline) for the user to
  // read, in a scripted run too. While a person is typing, it goes above the
  // line being typed, which is then shown again as it was.
  void print(std::string_view text);

  // Stops reading: a waiting read_line() returns nothing.
  void close();

 private:
  void open();
  void on_read(ssize_t nread, const char* data);
  // One key typed while editing the line ourselves.
  void on_key(char key);
  void echo(std::string_view text) const;
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
  bool editing_ = false;            // we echo and edit the line (the terminal's own line editing is off)
  std::string prompt_;              // the prompt before the line being typed, shown again after print()
  int escape_ = 0;                  // inside an escape sequence (an arrow key...): how far
  std::string partial_;             // typed so far, no newline yet
  std::vector<std::string> lines_;  // complete lines not read yet, oldest first
  std::coroutine_handle<> reader_;  // the task waiting in read_line(), until it runs again
  bool reader_woken_ = false;       // ...which is queued to run
};

}  // namespace netlab
