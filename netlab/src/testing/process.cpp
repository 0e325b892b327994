#include "netlab/testing/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace netlab::testing {

namespace {

using Clock = std::chrono::steady_clock;

void check(bool ok, const char* what) {
  if (!ok) throw std::system_error(errno, std::generic_category(), what);
}

int decode_status(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status); }

}  // namespace

Process::Process(std::vector<std::string> argv, Stdio stdio) {
  int in[2], out[2], err[2];
  check(pipe2(err, O_CLOEXEC) == 0, "pipe2");
  if (stdio == Stdio::terminal) {
    // Both ends of a pseudo-terminal: the program's (the "slave") serves as its stdin and stdout.
    check(openpty(&in[1], &in[0], nullptr, nullptr, nullptr) == 0, "openpty");
    for (int fd : {in[0], in[1]}) fcntl(fd, F_SETFD, FD_CLOEXEC);
    out[0] = fcntl(in[1], F_DUPFD_CLOEXEC, 0);
    out[1] = fcntl(in[0], F_DUPFD_CLOEXEC, 0);
    terminal_ = fcntl(in[1], F_DUPFD_CLOEXEC, 0);
    check(out[0] >= 0 && out[1] >= 0 && terminal_ >= 0, "dup");
  } else {
    check(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0, "pipe2");
  }
  const pid_t test = getpid();
  pid_ = fork();
  check(pid_ >= 0, "fork");
  if (pid_ == 0) {
    // If the test dies without its destructors (a crash, a timeout's SIGKILL),
    // what it started dies with it: no server outlives its test.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != test) _exit(127);  // it died before the line above
    // Started as a shell starts it: with SIGPIPE's default action, which this
    // test process ignores (below) and would otherwise hand down.
    signal(SIGPIPE, SIG_DFL);
    if (stdio == Stdio::terminal) {
      setsid();  // a session of its own, whose controlling terminal is this one: Ctrl-C works on it
      ioctl(in[0], TIOCSCTTY, 0);
    }
    dup2(in[0], STDIN_FILENO);
    dup2(out[1], STDOUT_FILENO);
    dup2(err[1], STDERR_FILENO);
    std::vector<char*> args;
    for (auto& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  stdin_ = in[1];
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
  signal(SIGPIPE, SIG_IGN);  // writing to a program that has exited must not kill the test
}

Process::~Process() {
  if (!status_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  for (int fd : {stdin_, stdout_fd_, stderr_fd_, terminal_}) {
    if (fd >= 0) close(fd);
  }
}

void Process::pump(std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}};
  if (stdout_fd_ < 0 && stderr_fd_ < 0) return;
  if (poll(fds, 2, static_cast<int>(timeout.count())) <= 0) return;
  char buffer[4096];
  for (auto& [fd, into] : {std::pair<int&, std::string&>{stdout_fd_, stdout_}, {stderr_fd_, stderr_}}) {
    for (const auto& polled : fds) {
      if (polled.fd != fd || fd < 0 || polled.revents == 0) continue;
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n > 0) {
        into.append(buffer, static_cast<std::size_t>(n));
      } else {
        close(fd);
        fd = -1;
      }
    }
  }
}

std::optional<std::string> Process::wait_for_line(std::string_view text, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    for (std::size_t end; (end = stdout_.find('\n', scanned_)) != std::string::npos;) {
      std::string line = stdout_.substr(scanned_, end - scanned_);
      scanned_ = end + 1;
      if (line.find(text) != std::string::npos) return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || stdout_fd_ < 0) return std::nullopt;
    pump(left);
  }
}

void Process::write_stdin(std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = write(stdin_, text.data(), text.size());
    if (n <= 0) return;  // the program has stopped reading
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void Process::close_stdin() {
  if (stdin_ >= 0) close(stdin_);
  stdin_ = -1;
}

void Process::send_signal(int signal) {
  if (!status_) kill(pid_, signal);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!status_) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = decode_status(status);
      break;
    }
    // Reading keeps a chatty program from blocking on a full pipe, even when
    // the test only asks, wait(0ms), between other work; the short poll
    // bounds how late its exit is noticed once its pipes are closed.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pump(std::clamp(left, std::chrono::milliseconds{0}, std::chrono::milliseconds{10}));
    if (left.count() <= 0) return std::nullopt;
  }
  // Collect the last output; a grandchild still holding the pipes must not hang the test.
  const auto drain_deadline = Clock::now() + std::chrono::seconds{2};
  while ((stdout_fd_ >= 0 || stderr_fd_ >= 0) && Clock::now() < drain_deadline) pump(std::chrono::milliseconds{100});
  return status_;
}

std::uint16_t listening_port(std::string_view line) {
  const auto colon = line.rfind(':');
  if (line.find("listening on") == std::string_view::npos || colon == std::string_view::npos) {
    throw std::invalid_argument("not a \"listening on HOST:PORT\" line: " + std::string(line));
  }
  return static_cast<std::uint16_t>(std::stoi(std::string(line.substr(colon + 1))));
}

}  // namespace netlab::testing
