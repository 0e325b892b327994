#include "program_testing.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iterator>
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

bool fail_at(const std::source_location& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
  return false;
}

}  // namespace

Program::Program(std::string_view role, std::vector<std::string> args)
    : name_(name_of(command(role, args))), process_(wrapped(command(role, std::move(args)))) {}

std::string Program::story() const {
  const auto out = lines_of(process_.output());
  const auto err = lines_of(process_.errors());
  std::string text = out.empty() ? "printed nothing" : "printed " + joined(out);
  if (!err.empty()) text += ", and on stderr " + joined(err);
  return text;
}

bool Program::expect_line(std::string_view text, std::source_location where) {
  if (process_.wait_for_line(text, kDeadline)) return true;
  return fail_at(where, name_ + " " + story() + "; expected a line with " + netlab::in_quotes(text) + " within " +
                            std::to_string(kDeadline.count()) + " ms");
}

std::optional<std::string> Program::expect_next_line(std::source_location where) {
  if (auto line = process_.wait_for_line("", kDeadline)) return line;
  fail_at(where, name_ + " " + story() + "; expected another line within " + std::to_string(kDeadline.count()) + " ms");
  return std::nullopt;
}

bool Program::expect_exit(int status, const std::vector<std::string>& lines, std::source_location where) {
  const auto exited = process_.wait(kDeadline);
  const auto printed = lines_of(process_.output());
  bool as_expected = printed.size() == lines.size();
  for (std::size_t i = 0; as_expected && i < lines.size(); ++i) {
    as_expected = printed[i].find(lines[i]) != std::string::npos;
  }
  const std::string expected =
      lines.empty() ? "print nothing" : "print " + joined(lines) + (lines.size() > 1 ? ", one per line" : "");
  if (!exited) {
    return fail_at(where, name_ + " " + story() + " and was still running after " +
                              std::to_string(kDeadline.count()) + " ms; expected it to " + expected + " and exit");
  }
  if (!as_expected) return fail_at(where, name_ + " " + story() + "; expected it to " + expected);
  if (*exited != status) {
    return fail_at(where, name_ + " " + story() + " and exited with status " + std::to_string(*exited) +
                              "; expected status " + std::to_string(status));
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

Server::Server(std::string_view role) : Program(role, {"--host", "127.0.0.1", "--port", "0"}) {
  const auto line = process().wait_for_line("listening on", kDeadline);
  if (!line) {
    process().wait(kDeadline);
    throw std::runtime_error(name() + " did not start listening: " + process().output() + process().errors());
  }
  port_ = netlab::testing::listening_port(*line);
}

}  // namespace stage_testing
