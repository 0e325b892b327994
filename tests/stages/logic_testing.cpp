#include "logic_testing.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "netlab/crash.hpp"
#include "netlab/trace.hpp"

namespace stage_testing {

namespace {

using netlab::in_quotes;
using netlab::to_string;
using netlab::testing::ask_for;
using netlab::testing::describe;

// "did nothing", or what was done: "sent \"Pong\" to client 2, then ...".
std::string did(const std::vector<Action>& actions) {
  return actions.empty() ? "did nothing" : describe(actions);
}

// Runs logic to its end; an exception it throws becomes the last thing it did.
void run(netlab::Task<void> logic, std::vector<Action>& did) {
  try {
    netlab::run_sync(std::move(logic));
  } catch (const std::exception& error) {
    did.push_back({Action::Kind::threw, std::nullopt, error.what()});
  } catch (...) {
    did.push_back({Action::Kind::threw, std::nullopt, "something that is not a std::exception"});
  }
}

// What `history` holds past its first `before` entries.
std::vector<Action> since(const std::vector<Action>& history, std::size_t before) {
  return {history.begin() + static_cast<std::ptrdiff_t>(before), history.end()};
}

std::string ending(std::string_view why) { return why.empty() ? "" : " (" + std::string(why) + ")"; }

// Names the logic call under way for the crash report (netlab/crash.hpp)
// while one run of logic lasts.
class CrashReportNames {
 public:
  explicit CrashReportNames(std::string_view function, const netlab::Message* message = nullptr) {
    if (message != nullptr) {
      netlab::begin_logic_call(function, message->text, message->from.value, {});
    } else {
      netlab::begin_logic_call(function);
    }
    client_ = message != nullptr ? message->from.value : 0;
  }
  ~CrashReportNames() { netlab::end_logic_call(client_); }
  CrashReportNames(const CrashReportNames&) = delete;
  CrashReportNames& operator=(const CrashReportNames&) = delete;

 private:
  std::uint64_t client_ = 0;
};

void fail_at(const std::source_location& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
}

}  // namespace

namespace {

// expect_server_run, naming the message handled (if any) in a crash report.
void check_server_run(netlab::testing::MockServer& server, std::string_view function, std::string_view situation,
                      const netlab::Message* message, netlab::Task<void> logic, const std::vector<Action>& expected,
                      std::string_view why, const std::source_location& where) {
  const std::size_t before = server.history().size();
  std::vector<Action> extra;
  {
    const CrashReportNames names(function, message);
    run(std::move(logic), extra);
  }
  std::vector<Action> actions = since(server.history(), before);
  actions.insert(actions.end(), extra.begin(), extra.end());
  if (actions == expected) return;
  fail_at(where, "the server " + std::string(situation) + " and " + did(actions) + "; expected it to " +
                     ask_for(expected) + ending(why));
}

}  // namespace

void expect_server(netlab::testing::MockServer& server, const ServerLogic& logic, const netlab::Message& message,
                   const std::vector<Action>& expected, std::string_view why, std::source_location where) {
  check_server_run(server, "server_logic", "received " + in_quotes(message.text) + " from " + to_string(message.from),
                   &message, logic(server, message), expected, why, where);
}

void expect_server_run(netlab::testing::MockServer& server, std::string_view function, std::string_view situation,
                       netlab::Task<void> logic, const std::vector<Action>& expected, std::string_view why,
                       std::source_location where) {
  check_server_run(server, function, situation, nullptr, std::move(logic), expected, why, where);
}

void expect_returned(std::string_view call, std::string_view returned, std::string_view expected,
                     std::string_view why, std::source_location where) {
  if (returned == expected) return;
  fail_at(where, std::string(call) + " returned " + in_quotes(returned) + "; expected " + in_quotes(expected) +
                     ending(why));
}

ClientRun run_client(std::string function, netlab::testing::MockClient& client, netlab::Task<void> logic) {
  ClientRun result{std::move(function), {}, {}};
  const std::size_t before = client.history().size();
  std::ostringstream printed;
  std::streambuf* const terminal = std::cout.rdbuf(printed.rdbuf());
  std::vector<Action> extra;
  {
    const CrashReportNames names(result.function);
    run(std::move(logic), extra);  // catches everything, so std::cout is always given back
  }
  std::cout.rdbuf(terminal);
  result.did = since(client.history(), before);
  result.did.insert(result.did.end(), extra.begin(), extra.end());
  result.printed = printed.str();
  return result;
}

void expect_client(const ClientRun& run, const std::vector<Action>& expected, std::string_view why,
                   std::source_location where) {
  if (run.did == expected) return;
  fail_at(where, run.function + " " + did(run.did) + "; expected it to " + ask_for(expected) + ending(why));
}

void expect_printed(const ClientRun& run, std::string_view text, std::source_location where) {
  const std::string expected = "; expected it to print " + in_quotes(text) + " on a line of its own, with std::cout";
  std::istringstream lines(run.printed);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(text) == std::string::npos) continue;
    if (!lines.eof()) return;  // the line ended with a newline
    return fail_at(where, run.function + " printed " + in_quotes(run.printed) + " without a newline after it" +
                              expected + ": end the line, with std::endl or \"\\n\"");
  }
  fail_at(where, run.function + " " + did(run.did) + " and printed " +
                     (run.printed.empty() ? std::string("nothing") : in_quotes(run.printed)) + expected);
}

std::string called_with(std::string_view function, std::string_view argument) {
  return std::string(function) + "(client, " + in_quotes(argument) + ")";
}

void explain_crashes(const char* program) {
  netlab::report_crashes(program != nullptr ? std::filesystem::path(program).filename().string() : "stage tests");
}

}  // namespace stage_testing
