#include "proxy.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "netlab/trace.hpp"

extern char** environ;

namespace logic_host {

// The file name of the host this program uses unless NETLAB_LOGIC_HOST names
// another: default_host.cpp, compiled into each graded program with its own.
const char* default_host_name();

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How often a wait looks whether the host is still alive: a host that exits
// while a child it forked holds its pipes open never closes them.
constexpr milliseconds kTick{20};
// How much of what the host wrote on its stdout and stderr is kept for a
// failure message: its last words (an assertion, a sanitizer's report).
constexpr std::size_t kOutputKept = 2000;

// std::cout as main() found it: a Task's printed text goes where the test
// points std::cout (run_client captures it); when the test does not, it is
// shown quoted, so that nothing the host prints can pass for the test program's own output.
std::streambuf* const terminal = std::cout.rdbuf();

milliseconds call_timeout() {
  const char* text = std::getenv("NETLAB_LOGIC_TIMEOUT");
  const double seconds = text != nullptr ? std::atof(text) : 0;
  return milliseconds(seconds > 0 ? static_cast<long>(seconds * 1000) : 5000);
}

std::string host_path() {
  if (const char* path = std::getenv("NETLAB_LOGIC_HOST"); path != nullptr && *path != '\0') {
    return std::filesystem::absolute(path).string();  // a wrapper may change directory
  }
  return (std::filesystem::read_symlink("/proc/self/exe").parent_path() / default_host_name()).string();
}

// NETLAB_STUDENT_WRAPPER's words, then the host.
std::vector<std::string> host_command() {
  const char* wrapper = std::getenv("NETLAB_STUDENT_WRAPPER");
  std::istringstream words_of_wrapper(wrapper != nullptr ? wrapper : "");
  std::vector<std::string> words;
  for (std::string word; words_of_wrapper >> word;) words.push_back(word);
  words.push_back(host_path());
  return words;
}

// "pingpong1::server_logic", from the entry point's signature.
std::string name_of(std::string_view entry) {
  entry = entry.substr(0, entry.find('('));
  return std::string(entry.substr(entry.rfind(' ') + 1));
}

std::string seconds(milliseconds time) {
  std::ostringstream text;
  text << static_cast<double>(time.count()) / 1000 << " s";
  return text.str();
}

// Kills and reaps what the host left behind: descendants that left its
// process group are this program's children (it is their subreaper).
void reap_orphans() {
  for (int round = 0; round < 100; ++round) {
    std::ifstream listing("/proc/thread-self/children");
    std::vector<pid_t> children;
    for (pid_t child; listing >> child;) children.push_back(child);
    if (children.empty()) return;
    for (pid_t child : children) kill(child, SIGKILL);
    for (pid_t child : children) waitpid(child, nullptr, 0);
  }
}

// A host failure: the call cannot go on, and the test fails. The message
// reads "the logic <what> while running <entry point><hint>".
struct HostFailed {
  std::string what;
  std::string hint;
};

// The logic host of the test under way: started at the first call of the
// test, killed (with its whole process group) when the test ends.
class Host {
 public:
  explicit Host(const ::testing::TestInfo* test);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  [[nodiscard]] const ::testing::TestInfo* test() const noexcept { return test_; }
  // Why the host can take no more calls in this test, if it cannot.
  [[nodiscard]] const std::optional<std::string>& broken() const noexcept { return broken_; }
  [[nodiscard]] const std::optional<HostFailed>& cannot_start() const noexcept { return cannot_start_; }

  void send(const std::string& frame, Clock::time_point deadline);
  // The next frame's body (kind and fields).
  std::string receive(Clock::time_point deadline);

  // Ends the host for the rest of the test, reports `failure` (what happened
  // while running `entry`) as a test failure, and returns the exception the
  // call throws.
  std::runtime_error fail(const std::string& entry, const HostFailed& failure);

 private:
  // Waits up to `timeout` for input from the host, keeping its output.
  void wait(int events, milliseconds timeout);
  void drain_output();
  [[nodiscard]] bool running() const;
  // Why the host stopped answering: how it ended.
  [[noreturn]] void ended();
  void stop() noexcept;

  const ::testing::TestInfo* test_;
  pid_t pid_ = -1;
  int to_host_ = -1;
  int from_host_ = -1;
  int output_ = -1;
  std::string incoming_;
  std::string output_tail_;
  std::optional<std::string> broken_;
  std::optional<HostFailed> cannot_start_;
};

Host::Host(const ::testing::TestInfo* test) : test_(test) {
  int to_host[2], from_host[2], output[2];
  if (pipe2(to_host, O_CLOEXEC) != 0 || pipe2(from_host, O_CLOEXEC) != 0 || pipe2(output, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_adddup2(&files, to_host[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&files, from_host[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&files, output[1], STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // Its own process group, killed whole at the end of the test; SIGPIPE as
  // a program normally has it (this program ignores it).
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);

  auto command = host_command();
  std::vector<char*> argv;
  for (auto& word : command) argv.push_back(word.data());
  argv.push_back(nullptr);
  const int error = posix_spawnp(&pid_, argv[0], &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  for (int fd : {to_host[0], from_host[1], output[1]}) close(fd);
  to_host_ = to_host[1];
  from_host_ = from_host[0];
  output_ = output[0];
  for (int fd : {to_host_, from_host_, output_}) fcntl(fd, F_SETFL, O_NONBLOCK);
  if (error != 0) {
    pid_ = -1;
    cannot_start_ = HostFailed{"could not start (" + command.front() + ": " + std::strerror(error) + ")",
                               ": build the logic host, or set NETLAB_LOGIC_HOST to its path"};
  }
}

Host::~Host() { stop(); }

void Host::stop() noexcept {
  if (pid_ > 0) {
    // The group first, while the unreaped host keeps its id from being reused.
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  reap_orphans();
  for (int* fd : {&to_host_, &from_host_, &output_}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

bool Host::running() const {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0;
}

void Host::drain_output() {
  char buffer[4096];
  ssize_t n = -1;
  while (output_ >= 0 && (n = read(output_, buffer, sizeof buffer)) > 0) {
    output_tail_.append(buffer, static_cast<std::size_t>(n));
    if (output_tail_.size() > 2 * kOutputKept) output_tail_.erase(0, output_tail_.size() - kOutputKept);
  }
  if (n == 0) {  // closed: a poll on it would return at once from now on
    close(output_);
    output_ = -1;
  }
}

void Host::wait(int events, milliseconds timeout) {
  pollfd fds[2] = {{events == POLLOUT ? to_host_ : from_host_, static_cast<short>(events), 0}, {output_, POLLIN, 0}};
  poll(fds, 2, static_cast<int>(timeout.count()));
  drain_output();
}

void Host::send(const std::string& frame, Clock::time_point deadline) {
  std::string_view rest = frame;
  while (!rest.empty()) {
    const ssize_t n = write(to_host_, rest.data(), rest.size());
    if (n > 0) {
      rest.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno != EAGAIN && errno != EINTR) ended();  // EPIPE: the host is gone
    if (!running()) ended();
    if (Clock::now() >= deadline) throw HostFailed{"did not finish in time", ""};
    wait(POLLOUT, kTick);
  }
}

std::string Host::receive(Clock::time_point deadline) {
  while (true) {
    if (incoming_.size() >= 4) {
      std::uint32_t length = 0;
      for (int i = 3; i >= 0; --i) length = (length << 8) | static_cast<std::uint8_t>(incoming_[static_cast<std::size_t>(i)]);
      if (length == 0 || length > kMaxFrame) throw Garbage("a frame announcing " + std::to_string(length) + " bytes");
      if (incoming_.size() >= 4 + std::size_t{length}) {
        std::string body = incoming_.substr(4, length);
        incoming_.erase(0, 4 + std::size_t{length});
        return body;
      }
    }
    char buffer[65536];
    const ssize_t n = read(from_host_, buffer, sizeof buffer);
    if (n > 0) {
      incoming_.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EINTR) || !running()) ended();
    if (Clock::now() >= deadline) throw HostFailed{"did not finish in time", ""};
    wait(POLLIN, std::min(kTick, std::chrono::duration_cast<milliseconds>(deadline - Clock::now()) + milliseconds{1}));
  }
}

void Host::ended() {
  // The host closed its pipe or is gone; wait a little for its exit status.
  const auto deadline = Clock::now() + std::chrono::seconds{2};
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == 0 &&
         Clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds{5});
    drain_output();
  }
  drain_output();
  if (info.si_pid == 0) throw HostFailed{"closed the logic host's pipe", ""};
  if (info.si_code == CLD_EXITED) {
    const std::string status = std::to_string(info.si_status);
    throw HostFailed{"ended the program with exit status " + status,
                     " (exit(" + status + ") or _Exit(" + status + ") end the whole program: logic returns instead)"};
  }
  throw HostFailed{"crashed with signal " + std::to_string(info.si_status) + " (" + strsignal(info.si_status) + ")", ""};
}

std::runtime_error Host::fail(const std::string& entry, const HostFailed& failure) {
  broken_ = failure.what + " while running " + name_of(entry) + failure.hint;
  stop();
  std::string details = "the logic " + *broken_ + ".";
  const auto last = output_tail_.size() > kOutputKept ? output_tail_.substr(output_tail_.size() - kOutputKept)
                                                      : output_tail_;
  if (!last.empty()) details += " Its last output: " + netlab::in_quotes(last);
  ADD_FAILURE_AT("the logic host", -1) << details;
  return std::runtime_error("the logic " + *broken_);
}

// Ends the host when its test ends.
class EndOfTest : public ::testing::EmptyTestEventListener {
  void OnTestEnd(const ::testing::TestInfo&) override;
};

std::optional<Host>& current_host() {
  static std::optional<Host> host;
  return host;
}

void EndOfTest::OnTestEnd(const ::testing::TestInfo&) { current_host().reset(); }

const ::testing::TestInfo* this_test() { return ::testing::UnitTest::GetInstance()->current_test_info(); }

Host& host_for_this_test() {
  static const bool setup = [] {
    signal(SIGPIPE, SIG_IGN);  // a host gone mid-write is an answer, not the end of this program
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    ::testing::UnitTest::GetInstance()->listeners().Append(new EndOfTest);
    return true;
  }();
  (void)setup;
  auto& host = current_host();
  if (!host || host->test() != this_test()) {
    host.reset();
    host.emplace(this_test());
  }
  return *host;
}



}  // namespace

Call::Call(std::string_view entry, const void* self) : entry_(entry) {
  frame_.bytes(entry);
  frame_.u64(object_key(self));
}

void Call::put_object(ObjectKind kind, void* address) {
  frame_.u64(objects_.size());
  objects_.push_back({kind, address});
}

std::string Call::run() && {
  Host& host = host_for_this_test();
  if (host.broken()) throw std::runtime_error("the logic was not run: it " + *host.broken());
  if (host.cannot_start()) throw host.fail(entry_, *host.cannot_start());
  const auto timeout = call_timeout();
  const auto deadline = Clock::now() + timeout;
  try {
    host.send(std::move(frame_).finish(), deadline);
    while (true) {
      const std::string body = host.receive(deadline);
      Reader in(body);
      const FrameKind kind = in.kind();
      if (kind == FrameKind::done) {
        const std::string printed = in.bytes();
        std::string outcome = in.bytes();
        in.expect_end();
        if (std::cout.rdbuf() != terminal) {
          std::cout << printed;
        } else if (!printed.empty()) {
          std::cout << name_of(entry_) << " printed " << netlab::in_quotes(printed) << '\n';
        }
        return outcome;
      }
      if (kind != FrameKind::request) throw Garbage("a frame of the wrong kind");
      Writer reply(FrameKind::reply);
      serve(in, reply);
      host.send(std::move(reply).finish(), deadline);
    }
  } catch (const Garbage& garbage) {
    throw host.fail(entry_, {"sent something that is not the protocol (" + std::string(garbage.what()) + ")",
                             " (did it write on a file descriptor it does not own?)"});
  } catch (HostFailed& failure) {
    if (failure.what == "did not finish in time") {
      failure = {"did not finish within " + seconds(timeout), " (an endless loop, or waiting for something that never comes?)"};
    }
    throw host.fail(entry_, failure);
  }
}

void Call::serve(Reader& in, Writer& out) const {
  const std::uint64_t handle = in.u64();
  const std::uint8_t method = in.u8();
  if (handle >= objects_.size()) throw Garbage("a request to an object the call did not pass");
  const Object& object = objects_[handle];
  const bool known = object.kind == ObjectKind::server ? method < static_cast<std::uint8_t>(ServerMethod::count)
                                                       : method < static_cast<std::uint8_t>(ClientMethod::count);
  if (!known) throw Garbage("a request for an unknown method");

  if (object.kind == ObjectKind::server) {
    auto& server = *static_cast<netlab::Server*>(object.address);
    switch (static_cast<ServerMethod>(method)) {
      case ServerMethod::send_message: {
        const auto to = Codec<netlab::ClientId>::get(in);
        const auto text = in.bytes();
        in.expect_end();
        put_outcome<netlab::Task<void>>(out, [&] { return server.send_message(to, text); });
        return;
      }
      case ServerMethod::broadcast: {
        const auto text = in.bytes();
        const auto except = Codec<std::optional<netlab::ClientId>>::get(in);
        in.expect_end();
        put_outcome<netlab::Task<void>>(out, [&] { return server.broadcast(text, except); });
        return;
      }
      case ServerMethod::clients:
        in.expect_end();
        put_outcome<std::vector<netlab::ClientId>>(out, [&] { return server.clients(); });
        return;
      case ServerMethod::disconnect: {
        const auto id = Codec<netlab::ClientId>::get(in);
        in.expect_end();
        put_outcome<void>(out, [&] { server.disconnect(id); });
        return;
      }
      case ServerMethod::peer_address: {
        const auto id = Codec<netlab::ClientId>::get(in);
        in.expect_end();
        put_outcome<std::string>(out, [&] { return server.peer_address(id); });
        return;
      }
      case ServerMethod::count:
        break;
    }
  } else {
    auto& client = *static_cast<netlab::Client*>(object.address);
    switch (static_cast<ClientMethod>(method)) {
      case ClientMethod::send_message: {
        const auto text = in.bytes();
        in.expect_end();
        put_outcome<netlab::Task<void>>(out, [&] { return client.send_message(text); });
        return;
      }
      case ClientMethod::receive_message:
        in.expect_end();
        put_outcome<netlab::Task<std::optional<std::string>>>(out, [&] { return client.receive_message(); });
        return;
      case ClientMethod::close:
        in.expect_end();
        put_outcome<netlab::Task<void>>(out, [&] { return client.close(); });
        return;
      case ClientMethod::count:
        break;
    }
  }
}

void forget(std::string_view entry, const void* self) noexcept {
  const auto& host = current_host();
  if (!host || host->test() != this_test() || host->broken() || host->cannot_start()) return;  // nothing to forget
  try {
    (void)Call(entry, self).run();
  } catch (...) {
    // A host that cannot hear it has failed the test already, or is gone.
  }
}

}  // namespace logic_host
