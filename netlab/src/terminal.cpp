#include "netlab/terminal.hpp"

#include <unistd.h>

#include <array>
#include <cstdio>
#include <stdexcept>

#include "netlab/crash.hpp"

namespace netlab {

Terminal::Terminal(EventLoop& loop) : loop_(loop), interactive_(uv_guess_handle(STDIN_FILENO) == UV_TTY) {}

void Terminal::prompt(std::string_view text) const {
  if (!interactive_) return;
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Terminal::open() {
  opened_ = true;
  int status = UV_EINVAL;
  switch (uv_guess_handle(STDIN_FILENO)) {
    case UV_TTY:
      status = stdin_.open(loop_.uv(), this, [](uv_loop_t* loop, Stdin* handle) {
        return uv_tty_init(loop, &handle->tty, STDIN_FILENO, 0);
      });
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
    if (*c == '\n') {
      if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
      lines_.push_back(std::exchange(partial_, {}));
    } else {
      partial_ += *c;
    }
  }
  wake();
}

void Terminal::close() {
  ended_ = true;
  stdin_.close();
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
