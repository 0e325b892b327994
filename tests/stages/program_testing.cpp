#include "program_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "netlab/trace.hpp"

namespace stage_testing {

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The program's path, then its arguments.
std::vector<std::string> command(std::string_view role, std::vector<std::string> args) {
  args.insert(args.begin(), program_path(role));
  return args;
}

// The command run: `argv` behind the words of NETLAB_STUDENT_WRAPPER, if any.
// The grader sets it to a command that runs a student's program with limits,
// as another user, and execs it, so signals and exit statuses stay the program's.
std::vector<std::string> wrapped(std::vector<std::string> argv) {
  const char* wrapper = std::getenv("NETLAB_STUDENT_WRAPPER");
  std::istringstream words(wrapper ? wrapper : "");
  std::vector<std::string> prefix{std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  argv.insert(argv.begin(), prefix.begin(), prefix.end());
  return argv;
}

// "pingpong1_client --count 3": the program's file name and its arguments.
std::string name_of(const std::vector<std::string>& argv) {
  std::string name = std::filesystem::path(argv.at(0)).filename().string();
  for (std::size_t i = 1; i < argv.size(); ++i) name += " " + argv[i];
  return name;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += (text.empty() ? "" : ", ") + netlab::in_quotes(line);
  return text;
}

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// The programs of the test under way, watched while it waits for one of them.
std::vector<Program*>& started() {
  static std::vector<Program*> programs;
  return programs;
}

// One message in a --trace: `09:15:02.123456  <- 127.0.0.1:40000  4 bytes  "Ping"`.
const std::regex kTraceLine(R"(^\d\d:\d\d:\d\d\.\d{6}  (->|<-) (\S+)  \d+ bytes?  (".*")$)");

std::string how_it_ended(int status) {
  if (status > 128) {
    const char* signal = sigabbrev_np(status - 128);
    return "crashed (killed by SIG" + std::string(signal != nullptr ? signal : "?") + ", status " +
           std::to_string(status) + ")";
  }
  return "exited with status " + std::to_string(status);
}

bool fail_at(const std::source_location& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
  return false;
}

}  // namespace

Program::Program(std::string_view role, std::vector<std::string> args, netlab::testing::Process::Stdio stdio)
    : name_(name_of(command(role, args))), process_(wrapped(command(role, std::move(args))), stdio) {
  started().push_back(this);
}

Program::~Program() { std::erase(started(), this); }

std::string Program::story() const {
  const auto out = lines_of(process_.output());
  auto err = lines_of(process_.errors());
  std::erase_if(err, [](const std::string& line) { return std::regex_match(line, kTraceLine); });
  std::string text = out.empty() ? "printed nothing" : "printed " + joined(out);
  if (!err.empty()) text += ", and on stderr " + joined(err);
  return text;
}

std::string Program::last_on_the_wire() const {
  const std::string silence = std::to_string(kSilence.count()) + " ms";
  const auto lines = lines_of(process_.errors());
  const auto last = std::find_if(lines.rbegin(), lines.rend(),
                                 [](const std::string& line) { return std::regex_match(line, kTraceLine); });
  if (last == lines.rend()) return "no message reached the server in " + silence;
  std::smatch match;
  std::regex_match(*last, match, kTraceLine);
  // "client 2 connected from 127.0.0.1:40000" names the peer.
  std::string peer = match[2].str();
  for (const auto& line : lines_of(process_.output())) {
    const auto at = line.find(" connected from " + peer);
    if (at != std::string::npos && line.size() == at + 16 + peer.size()) peer = line.substr(0, at);
  }
  if (match[1] == "<-") {
    return "the server never answered (it received " + match[3].str() + " from " + peer + ", then sent nothing for " +
           silence + ")";
  }
  return "the server sent " + match[3].str() + " to " + peer + ", and nothing came back for " + silence;
}

std::string Program::crashes_elsewhere() {
  std::string crashes;
  for (Program* other : started()) {
    if (other == this) continue;
    const auto status = other->process_.wait(milliseconds{0});
    if (status && *status > 128) crashes += "; meanwhile " + other->name_ + " " + how_it_ended(*status) + ", having " + other->story();
  }
  return crashes;
}

std::string Program::wait_watching(const std::function<bool(milliseconds)>& done) {
  constexpr milliseconds kSlice{50};
  std::vector<Program*> others;
  for (Program* other : started()) {
    if (other != this && !other->process_.wait(milliseconds{0})) others.push_back(other);
  }
  const auto total_output = [] {
    std::size_t size = 0;
    for (const Program* program : started()) size += program->process_.output().size() + program->process_.errors().size();
    return size;
  };
  const auto start = Clock::now();
  auto last_change = start;
  std::size_t seen = total_output();
  while (!done(kSlice)) {
    // Another client that finishes cleanly is no news (clients of one test end
    // in any order); a crash, an error or the server ending is the answer.
    for (auto other = others.begin(); other != others.end();) {
      (*other)->process_.read_output();
      const auto status = (*other)->process_.wait(milliseconds{0});
      if (status && (*status != 0 || (*other)->server_)) {
        return (*other)->name_ + " " + how_it_ended(*status) + " meanwhile, having " + (*other)->story();
      }
      other = status ? others.erase(other) : other + 1;
    }
    const auto now = Clock::now();
    if (const std::size_t size = total_output(); size != seen) {
      seen = size;
      last_change = now;
    }
    if (now - start >= kDeadline) return "it was still running after " + std::to_string(kDeadline.count()) + " ms";
    if (now - last_change >= kSilence) {
      for (const Program* program : started()) {
        if (program->server_) return program->last_on_the_wire();
      }
      return "nothing happened for " + std::to_string(kSilence.count()) + " ms";
    }
  }
  return "";
}

bool Program::expect_line(std::string_view text, std::source_location where) {
  const std::string why = wait_watching([&](milliseconds slice) { return process_.wait_for_line(text, slice).has_value(); });
  if (why.empty()) return true;
  return fail_at(where, name_ + " " + story() + "; expected a line with " + netlab::in_quotes(text) + ", but " + why);
}

std::optional<std::string> Program::expect_next_line(std::source_location where) {
  if (auto line = process_.wait_for_line("", kDeadline)) return line;
  fail_at(where, name_ + " " + story() + "; expected another line within " + std::to_string(kDeadline.count()) + " ms");
  return std::nullopt;
}

bool Program::expect_exit(int status, const std::vector<std::string>& lines, std::source_location where) {
  std::optional<int> exited;
  const std::string why = wait_watching([&](milliseconds slice) {
    exited = process_.wait(slice);
    return exited.has_value();
  });
  const auto printed = lines_of(process_.output());
  bool as_expected = printed.size() == lines.size();
  for (std::size_t i = 0; as_expected && i < lines.size(); ++i) {
    as_expected = printed[i].find(lines[i]) != std::string::npos;
  }
  const std::string expected =
      lines.empty() ? "print nothing" : "print " + joined(lines) + (lines.size() > 1 ? ", one per line" : "");
  if (!exited) {
    return fail_at(where, name_ + " " + story() + " and had not exited: " + why + ". Expected it to " + expected +
                              " and exit");
  }
  if (!as_expected) return fail_at(where, name_ + " " + story() + "; expected it to " + expected + crashes_elsewhere());
  if (*exited != status) {
    return fail_at(where, name_ + " " + story() + " and " + how_it_ended(*exited) + "; expected status " +
                              std::to_string(status) + crashes_elsewhere());
  }
  return true;
}

bool Program::expect_stops(int status, std::source_location where) {
  process_.send_signal(SIGINT);
  const auto exited = process_.wait(kDeadline);
  if (exited == status) return true;
  return fail_at(where, name_ + " " + story() + (exited ? " and exited with status " + std::to_string(*exited)
                                                        : std::string(" and did not stop")) +
                            " after Ctrl-C; expected it to stop with status " + std::to_string(status));
}

Server::Server(std::string_view role) : Program(role, {"--host", "127.0.0.1", "--port", "0", "--trace"}) {
  server_ = true;
  const auto line = process().wait_for_line("listening on", kDeadline);
  if (!line) {
    process().wait(kDeadline);
    throw std::runtime_error(name() + " did not start listening: " + process().output() + process().errors());
  }
  port_ = netlab::testing::listening_port(*line);
}

}  // namespace stage_testing
