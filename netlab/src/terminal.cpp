#include "netlab/terminal.hpp"

#include <termios.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "netlab/crash.hpp"

namespace netlab {

namespace {

// The keyboard's settings before we took over its line editing, to put back.
std::optional<termios> saved_settings;

void restore_settings() {
  if (!saved_settings) return;
  ::tcsetattr(STDIN_FILENO, TCSANOW, &*saved_settings);
  saved_settings.reset();
}

// Turns the terminal's line editing and echo off (signals such as Ctrl-C
// stay on), so that keys arrive one by one. False if it cannot.
bool edit_lines_ourselves() {
  termios settings{};
  if (::tcgetattr(STDIN_FILENO, &settings) != 0) return false;
  const termios saved = settings;
  settings.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);
  settings.c_cc[VMIN] = 1;
  settings.c_cc[VTIME] = 0;
  if (::tcsetattr(STDIN_FILENO, TCSANOW, &settings) != 0) return false;
  static const bool restored_at_exit = std::atexit(restore_settings) == 0;  // also when the program calls exit()
  (void)restored_at_exit;
  saved_settings = saved;
  return true;
}

constexpr char kCtrlD = 0x04, kCtrlH = 0x08, kCtrlU = 0x15, kEscape = 0x1b, kDelete = 0x7f;
constexpr std::string_view kEraseLine = "\r\x1b[K";  // to the start of the line, and clear it

}  // namespace

Terminal::Terminal(EventLoop& loop) : loop_(loop), interactive_(uv_guess_handle(STDIN_FILENO) == UV_TTY) {}

Terminal::~Terminal() { restore_settings(); }

void Terminal::echo(std::string_view text) const {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Terminal::prompt(std::string_view text) {
  if (!interactive_) return;
  const std::size_t last_line = text.rfind('\n');
  prompt_ = text.substr(last_line == std::string_view::npos ? 0 : last_line + 1);
  echo(text);
}

void Terminal::print(std::string_view text) {
  if (!editing_) return echo(text);
  echo(std::string(kEraseLine) + std::string(text) + prompt_ + partial_);
}

void Terminal::open() {
  opened_ = true;
  int status = UV_EINVAL;
  switch (uv_guess_handle(STDIN_FILENO)) {
    case UV_TTY:
      status = stdin_.open(loop_.uv(), this, [](uv_loop_t* loop, Stdin* handle) {
        return uv_tty_init(loop, &handle->tty, STDIN_FILENO, 0);
      });
      // Only when what we echo reaches the same person: not with `| tee`.
      editing_ = status == 0 && ::isatty(STDOUT_FILENO) && edit_lines_ourselves();
      break;
    case UV_NAMED_PIPE:
    case UV_TCP:
      status = stdin_.open(loop_.uv(), this, [](uv_loop_t* loop, Stdin* handle) {
        return uv_pipe_init(loop, &handle->pipe, 0);
      });
      if (status == 0) status = uv_pipe_open(&stdin_.get()->pipe, STDIN_FILENO);
      break;
    default: {
      // A regular file or /dev/null: reading it never blocks for long, so
      // read it all now rather than involve libuv's thread pool.
      std::array<char, 4096> buffer;
      ssize_t nread = 0;
      while ((nread = ::read(STDIN_FILENO, buffer.data(), buffer.size())) > 0) on_read(nread, buffer.data());
      on_read(UV_EOF, nullptr);
      return;
    }
  }
  if (status < 0) {
    stdin_.close();
    on_read(UV_EOF, nullptr);  // no usable stdin: nothing to read
    return;
  }
  uv_read_start(
      stdin_.stream(),
      [](uv_handle_t*, std::size_t, uv_buf_t* buf) {
        thread_local std::array<char, 4096> buffer;
        *buf = uv_buf_init(buffer.data(), buffer.size());
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        static_cast<Terminal*>(stream->data)->on_read(nread, buf->base);
      });
}

void Terminal::on_read(ssize_t nread, const char* data) {
  if (nread == 0) return;
  if (nread < 0) {
    if (!partial_.empty()) lines_.push_back(std::exchange(partial_, {}));  // a last line without newline
    close();
    return;
  }
  for (const char* c = data; c != data + nread; ++c) {
    if (editing_) {
      on_key(*c);
      if (ended_) return;
    } else if (*c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      lines_.push_back(std::exchange(partial_, {}));
    } else {
      partial_ += *c;
    }
  }
  wake();
}

void Terminal::on_key(char key) {
  // An escape sequence (arrow keys, Home...): ESC [ parameters final-byte, or ESC O letter. Ignored.
  if (escape_ == 1) {
    escape_ = key == '[' || key == 'O' ? 2 : 0;
    return;
  }
  if (escape_ == 2) {
    if (key >= 0x40 && key <= 0x7e) escape_ = 0;
    return;
  }
  switch (key) {
    case '\n':
      echo("\n");
      prompt_.clear();  // used: the next prompt() gives the next one
      lines_.push_back(std::exchange(partial_, {}));
      return;
    case kDelete:
    case kCtrlH:
      if (partial_.empty()) return;
      // A whole character: its UTF-8 continuation bytes (10xxxxxx), then its first byte.
      while (partial_.size() > 1 && (static_cast<unsigned char>(partial_.back()) & 0xc0U) == 0x80) partial_.pop_back();
      partial_.pop_back();
      // The line drawn again rather than "\b \b": a character may take two
      // columns (日) or none (a combining accent), and the screen must show
      // exactly what will be sent.
      echo(std::string(kEraseLine) + prompt_ + partial_);
      return;
    case kCtrlU:
      partial_.clear();
      echo(std::string(kEraseLine) + prompt_);
      return;
    case kCtrlD:
      if (partial_.empty()) close();
      return;
    case kEscape:
      escape_ = 1;
      return;
    default:
      if (static_cast<unsigned char>(key) < 0x20) return;  // other control keys: nothing to type
      partial_ += key;
      echo(std::string_view(&key, 1));
  }
}

void Terminal::close() {
  // Whatever is printed next (a goodbye, an error, the shell's prompt) starts a line of its own.
  if (editing_ && !(prompt_.empty() && partial_.empty())) echo("\n");
  editing_ = false;
  ended_ = true;
  stdin_.close();
  restore_settings();
  wake();
}

void Terminal::wake() {
  // The reader keeps its claim until it runs (it may wait in the trampoline's queue).
  if (reader_ && !reader_woken_ && ready()) {
    reader_woken_ = true;
    detail::resume(reader_);
  }
}

Task<std::optional<std::string>> Terminal::read_line() {
  if (reader_) throw std::logic_error("Terminal::read_line: another task is already reading the keyboard");
  if (!opened_ && !ended_) open();
  struct LineAwaiter {
    Terminal& terminal;
    bool await_ready() const noexcept { return terminal.ready(); }
    void await_suspend(std::coroutine_handle<> handle) noexcept {
      terminal.reader_ = handle;
      terminal.reader_woken_ = false;
    }
    void await_resume() const noexcept {}
    ~LineAwaiter() {  // after its task ran again, or was destroyed while waiting
      terminal.reader_ = {};
      terminal.reader_woken_ = false;
    }
  };
  co_await LineAwaiter{*this};
  if (lines_.empty()) co_return std::nullopt;
  std::string line = std::move(lines_.front());
  lines_.erase(lines_.begin());
  note_line_typed(line);
  co_return line;
}

}  // namespace netlab
