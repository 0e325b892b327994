#pragma once
// Process: a program started by an end-to-end test. Its stdin is a pipe the
// test writes to; its stdout and stderr are captured. Every wait takes a
// deadline, and the destructor kills and reaps a process still running, so a
// failing test never leaves one behind; a test that dies without its
// destructors (a crash, a timeout's SIGKILL) takes its processes with it.
//
//     Process server({server_path, "--port", "0"});
//     auto line = server.wait_for_line("listening on", 5s);
//     auto port = listening_port(*line);

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netlab::testing {

class Process {
 public:
  // Where the program's stdin and stdout go: pipes, or a pseudo-terminal, as
  // when a person runs it (stderr stays a pipe).
  enum class Stdio { pipes, terminal };

  explicit Process(std::vector<std::string> argv, Stdio stdio = Stdio::pipes);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Reads stdout until a line containing `text` arrives; returns that line,
  // or nothing if the deadline passes or stdout ends first.
  std::optional<std::string> wait_for_line(std::string_view text, std::chrono::milliseconds timeout);

  // Reads what the program has printed since the last read, without waiting.
  void read_output() { pump(std::chrono::milliseconds{0}); }

  void write_stdin(std::string_view text);
  void close_stdin();
  void send_signal(int signal);

  // Waits for the process to exit; returns its exit status (128 + N if killed
  // by signal N), or nothing if it is still running at the deadline.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  // Everything read so far from stdout / stderr (wait() reads both to the end).
  [[nodiscard]] const std::string& output() const noexcept { return stdout_; }
  [[nodiscard]] const std::string& errors() const noexcept { return stderr_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // With Stdio::terminal, the terminal's side the test holds (tcgetattr on it
  // reads the program's terminal settings); -1 otherwise.
  [[nodiscard]] int terminal() const noexcept { return terminal_; }

 private:
  // Reads whatever is available from stdout and stderr, waiting at most `timeout`.
  void pump(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  int terminal_ = -1;
  std::string stdout_;
  std::string stderr_;
  std::size_t scanned_ = 0;  // stdout before this offset was already searched by wait_for_line
  std::optional<int> status_;
};

// The port of a "listening on HOST:PORT" line.
std::uint16_t listening_port(std::string_view line);

}  // namespace netlab::testing
