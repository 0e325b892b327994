#include "logic_testing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <iostream>
#include <sstream>

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

// What to print if the program aborts now; set while logic runs.
std::atomic<const char*> crash_hint{nullptr};

extern "C" void on_abort(int signal) {
  if (const char* hint = crash_hint.load()) {
    // Only async-signal-safe calls here.
    (void)!::write(STDERR_FILENO, hint, std::strlen(hint));
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Sets the crash hint for the lifetime of one run of logic.
class CrashHint {
 public:
  explicit CrashHint(std::string text) : text_(std::move(text)) { crash_hint.store(text_.c_str()); }
  ~CrashHint() { crash_hint.store(nullptr); }
  CrashHint(const CrashHint&) = delete;
  CrashHint& operator=(const CrashHint&) = delete;

 private:
  std::string text_;
};

std::string crash_text(const std::string& function) {
  return "\nThe test program crashed inside " + function +
         ". If the line above mentions _M_is_engaged, it used *reply (or reply->...) while reply was "
         "empty: receive_message() returns nothing when the connection is closed. Check `if (reply)` first.\n";
}

void fail_at(const std::source_location& where, const std::string& message) {
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << message;
}

}  // namespace

void expect_server(netlab::testing::MockServer& server, const ServerLogic& logic, const netlab::Message& message,
                   const std::vector<Action>& expected, std::string_view why, std::source_location where) {
  expect_server_run(server, "server_logic", "received " + in_quotes(message.text) + " from " + to_string(message.from),
                    logic(server, message), expected, why, where);
}

void expect_server_run(netlab::testing::MockServer& server, std::string_view function, std::string_view situation,
                       netlab::Task<void> logic, const std::vector<Action>& expected, std::string_view why,
                       std::source_location where) {
  const std::size_t before = server.history().size();
  std::vector<Action> extra;
  {
    const CrashHint hint(crash_text(std::string(function)));
    run(std::move(logic), extra);
  }
  std::vector<Action> actions = since(server.history(), before);
  actions.insert(actions.end(), extra.begin(), extra.end());
  if (actions == expected) return;
  fail_at(where, "the server " + std::string(situation) + " and " + did(actions) + "; expected it to " +
                     ask_for(expected) + ending(why));
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
    const CrashHint hint(crash_text(result.function));
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
  std::istringstream lines(run.printed);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(text) != std::string::npos) return;
  }
  fail_at(where, run.function + " " + did(run.did) + " and printed " +
                     (run.printed.empty() ? std::string("nothing") : in_quotes(run.printed)) +
                     "; expected it to print " + in_quotes(text) + " on a line of its own, with std::cout");
}

void explain_crashes() { std::signal(SIGABRT, on_abort); }

}  // namespace stage_testing
