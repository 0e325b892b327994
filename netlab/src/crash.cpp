#include "netlab/crash.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>

#include "netlab/task_group.hpp"

namespace netlab {

namespace {

// A string of at most N bytes, held in place.
template <std::size_t N>
struct Fixed {
  std::array<char, N> chars;
  std::size_t size = 0;
  bool cut = false;
  void assign(std::string_view text) noexcept {
    size = std::min(text.size(), N);
    cut = text.size() > N;
    if (size != 0) std::memcpy(chars.data(), text.data(), size);  // an empty view may hold no pointer
  }
  [[nodiscard]] std::string_view view() const noexcept { return {chars.data(), size}; }
};

// What a report needs, kept where a signal handler can read it without
// allocating: the handlers may run in the middle of malloc.
struct CrashState {
  bool installed = false;
  bool reported = false;  // a report is out: the abort that follows adds none
  bool in_call = false;
  std::string program = "netlab";
  Fixed<64> function;
  Fixed<60> message;  // as long as a server's error report quotes
  std::uint64_t client = 0;
  Fixed<64> peer;
  // A client's input: the line typed last, and what receive_message() gave since.
  bool line_typed = false;
  Fixed<60> line;
  enum class Received { nothing_yet, message, closed } received = Received::nothing_yet;
  Fixed<60> reply;
  std::array<struct sigaction, NSIG> previous{};
};

CrashState& state() {
  static CrashState crash;  // lives to the end: a crash may come during exit
  return crash;
}

// A line built in a fixed buffer, written with one write(2): async-signal-safe.
class Line {
 public:
  Line& operator<<(std::string_view text) {
    const std::size_t n = std::min(text.size(), buffer_.size() - size_);
    std::memcpy(buffer_.data() + size_, text.data(), n);
    size_ += n;
    return *this;
  }
  Line& operator<<(std::uint64_t number) {
    char digits[20];
    int count = 0;
    do {
      digits[count++] = static_cast<char>('0' + number % 10);
      number /= 10;
    } while (number != 0);
    while (count > 0) *this << std::string_view(&digits[--count], 1);
    return *this;
  }
  // `text` in double quotes, control bytes and quotes escaped as in a trace.
  void quoted(std::string_view text, bool cut) {
    static constexpr char kHex[] = "0123456789abcdef";
    *this << "\"";
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte == '"' || byte == '\\') {
        const char escaped[2] = {'\\', c};
        *this << std::string_view(escaped, 2);
      } else if (byte < 0x20 || byte == 0x7f) {
        const char escaped[4] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 15]};
        *this << std::string_view(escaped, 4);
      } else {
        *this << std::string_view(&c, 1);
      }
    }
    *this << (cut ? "...\"" : "\"");
  }
  void write() const {
    std::size_t done = 0;
    while (done < size_) {
      const ssize_t n = ::write(STDERR_FILENO, buffer_.data() + done, size_ - done);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

 private:
  std::array<char, 2048> buffer_;
  std::size_t size_ = 0;
};

// ", after the line "hello" was typed and receive_message() gave "HELLO"",
// or nothing when a client's logic has read nothing yet.
void client_input(Line& line) {
  using Received = CrashState::Received;
  const auto& crash = state();
  if (!crash.line_typed && crash.received == Received::nothing_yet) return;
  line << ", after ";
  if (crash.line_typed) {
    if (crash.line.size == 0) {
      line << "an empty line was typed";
    } else {
      line << "the line ";
      line.quoted(crash.line.view(), crash.line.cut);
      line << " was typed";
    }
    if (crash.received != Received::nothing_yet) line << " and ";
  }
  if (crash.received == Received::message) {
    line << "receive_message() gave ";
    line.quoted(crash.reply.view(), crash.reply.cut);
  } else if (crash.received == Received::closed) {
    line << "receive_message() gave nothing (the server had closed the connection)";
  }
}

// "pingpong1_server: server_logic crashed, handling "Ping" from client 1 (127.0.0.1:53122): "
// "pingpong1_client: client_logic crashed, after receive_message() gave "Pong": "
void start_report(Line& line) {
  auto& crash = state();
  line << crash.program << ": ";
  if (!crash.in_call) {
    line << "crashed: ";
    return;
  }
  line << crash.function.view() << " crashed";
  if (crash.client != 0) {
    line << ", handling ";
    line.quoted(crash.message.view(), crash.message.cut);
    line << " from client " << crash.client;
    if (crash.peer.size != 0) line << " (" << crash.peer.view() << ")";
  } else {
    client_input(line);
  }
  line << ": ";
}

void end_report(Line& line, std::string_view hint) {
  line << "\n";
  if (!hint.empty()) line << "  hint: " << hint << "\n";
  line.write();
  state().reported = true;
}

// The hint for a failed libstdc++ check, by the condition it checks and
// whether server logic was handling a client's message.
std::string_view hint_for_check(std::string_view condition, bool serving) {
  if (condition.find("_M_is_engaged") != std::string_view::npos) {
    return "an empty std::optional was used (`*x` or `x->` on an optional that holds nothing). Check it first, "
           "`if (x)`; receive_message() gives an empty one when the connection has closed";
  }
  if (condition.find("__n < this->size()") != std::string_view::npos ||
      condition.find("__pos <= size()") != std::string_view::npos) {
    return serving ? "an index out of range: `v[i]` needs `i < v.size()`. Check the size before you index; "
                     "server.clients() lists only the clients connected now"
                   : "an index out of range: `v[i]` needs `i < v.size()`. Check the size before you index";
  }
  if (condition.find("!this->empty()") != std::string_view::npos) {
    return "front(), back() or pop on an empty container: check `empty()` first";
  }
  return {};
}

// A fault at an address this low is a null pointer (or a member of one).
constexpr std::uintptr_t kNullPage = 4096;

void on_signal(int signal, siginfo_t* info, void*) {
  auto& crash = state();
  if (!crash.reported) {
    Line line;
    start_report(line);
    std::string_view hint;
    switch (signal) {
      case SIGSEGV:
      case SIGBUS:
        line << "invalid memory access (" << (signal == SIGSEGV ? "segmentation fault" : "bus error") << ")";
        if (reinterpret_cast<std::uintptr_t>(info->si_addr) < kNullPage) {
          hint = "a null pointer was used: check a pointer before you follow it";
        }
        break;
      case SIGFPE:
        line << "arithmetic error (SIGFPE)";
        hint = "an integer division by zero: check the divisor first";
        break;
      case SIGILL:
        line << "illegal instruction (SIGILL)";
        break;
      default:
        line << "aborted (SIGABRT)";
        break;
    }
    end_report(line, hint);
  }
  // The action from before (the default, or a sanitizer's report) takes
  // over: a fault happens again when this returns, and abort() raises again.
  sigaction(signal, &crash.previous[static_cast<std::size_t>(signal)], nullptr);
}

[[noreturn]] void on_terminate() {
  Line line;
  start_report(line);
  line << "std::terminate was called";
  if (const auto error = std::current_exception()) {
    const std::string what = describe(error);  // may allocate: std::terminate is no signal handler
    line << " with an exception nobody caught: " << what;
  }
  end_report(line, {});
  std::abort();
}

}  // namespace

void begin_logic_call(std::string_view function) noexcept { begin_logic_call(function, {}, 0, {}); }

void begin_logic_call(std::string_view function, std::string_view message, std::uint64_t client,
                      std::string_view peer) noexcept {
  auto& crash = state();
  if (!crash.installed) return;
  crash.in_call = true;
  crash.function.assign(function);
  crash.message.assign(message);
  crash.client = client;
  crash.peer.assign(peer);
  crash.line_typed = false;
  crash.received = CrashState::Received::nothing_yet;
}

void note_line_typed(std::string_view line) noexcept {
  auto& crash = state();
  if (!crash.installed) return;
  crash.line_typed = true;
  crash.line.assign(line);
  crash.received = CrashState::Received::nothing_yet;
}

void note_message_received(const std::optional<std::string>& message) noexcept {
  auto& crash = state();
  if (!crash.installed) return;
  crash.received = message ? CrashState::Received::message : CrashState::Received::closed;
  crash.reply.assign(message ? std::string_view(*message) : std::string_view());
}

void end_logic_call(std::uint64_t client) noexcept {
  auto& crash = state();
  if (crash.client == client) crash.in_call = false;
}

void report_crashes(std::string program) {
  auto& crash = state();
  crash.program = std::move(program);
  if (std::exchange(crash.installed, true)) return;
  // A stack overflow is a crash too: its handler needs a stack of its own.
  static std::array<char, 64 * 1024> alternate_stack;
  stack_t stack{};
  stack.ss_sp = alternate_stack.data();
  stack.ss_size = alternate_stack.size();
  sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&action.sa_mask);
  for (const int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) {
    sigaction(signal, &action, &crash.previous[static_cast<std::size_t>(signal)]);
  }
  std::set_terminate(on_terminate);
}

}  // namespace netlab

// libstdc++ (GCC 12 and later) calls this when a check of _GLIBCXX_ASSERTIONS
// fails, which the logic of every stage is built with. Its own version prints
// the raw condition and aborts; a program's definition takes precedence over
// the shared library's, so this one names the logic call and gives the hint
// that fits the condition. With another standard library the SIGABRT handler
// still reports the call, without a hint.
namespace std {
[[noreturn]] void __glibcxx_assert_fail(const char* file, int line, const char* function,
                                        const char* condition) noexcept {
  (void)file;
  (void)line;
  using netlab::Line;
  Line report;
  netlab::start_report(report);
  std::string_view where(function);
  where = where.substr(0, where.find(" [with "));  // the template arguments would fill the screen
  report << "a library check failed: " << condition << " (in " << where << ")";
  const auto& crash = netlab::state();
  netlab::end_report(report, netlab::hint_for_check(condition, crash.in_call && crash.client != 0));
  std::abort();
}
}  // namespace std
