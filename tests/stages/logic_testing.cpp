#include "logic_testing.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <iostream>
#include <sstream>

#include "netlab/testing/history.hpp"
#include "netlab/trace.hpp"

namespace stage_testing {

namespace {

std::string in_quotes(std::string_view text) { return "\"" + netlab::escape(text) + "\""; }

std::string name(netlab::ClientId id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

// "did nothing", or the lines joined: "sent \"Pong\" to client 2, then ...".
std::string did(const std::vector<std::string>& lines) {
  return lines.empty() ? "did nothing" : netlab::testing::join_history(lines);
}

// "send nothing", or what was wanted: "send \"Pong\" to client 1, then ...".
std::string wanted(const std::vector<Action>& expected) {
  if (expected.empty()) return "send nothing";
  std::vector<std::string> lines;
  for (const auto& action : expected) lines.push_back(action.wanted);
  return netlab::testing::join_history(lines);
}

bool matches(const std::vector<std::string>& did, const std::vector<Action>& expected) {
  return std::equal(did.begin(), did.end(), expected.begin(), expected.end(),
                    [](const std::string& line, const Action& action) { return line == action.done; });
}

// Runs logic to its end; an exception it throws becomes the last line of what it did.
void run(netlab::Task<void> logic, std::vector<std::string>& did) {
  try {
    netlab::run_sync(std::move(logic));
  } catch (const std::exception& error) {
    did.push_back(std::string("threw an exception: ") + error.what());
  } catch (...) {
    did.push_back("threw something that is not a std::exception");
  }
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

Action send(std::string_view text, netlab::ClientId to) {
  return {"sent " + in_quotes(text) + " to " + name(to), "send " + in_quotes(text) + " to " + name(to)};
}

Action send(std::string_view text) { return {"sent " + in_quotes(text), "send " + in_quotes(text) + " to the server"}; }

Action receive(std::string_view text) {
  return {"received " + in_quotes(text), "wait for the reply with receive_message()"};
}

Action receive_nothing() {
  return {"received nothing (the server had closed)", "wait for the reply with receive_message()"};
}

void expect_server(netlab::testing::MockServer& server, const ServerLogic& logic, const netlab::Message& message,
                   const std::vector<Action>& expected, std::string_view why, std::source_location where) {
  const std::size_t before = server.history().size();
  std::vector<std::string> extra;
  {
    const CrashHint hint(crash_text("server_logic"));
    run(logic(server, message), extra);
  }
  std::vector<std::string> lines(server.history().begin() + static_cast<std::ptrdiff_t>(before),
                                 server.history().end());
  lines.insert(lines.end(), extra.begin(), extra.end());
  if (matches(lines, expected)) return;
  fail_at(where, "the server received " + in_quotes(message.text) + " from " + name(message.from) + " and " + did(lines) +
                     "; expected it to " + wanted(expected) + ending(why));
}

ClientRun run_client(std::string function, netlab::testing::MockClient& client, netlab::Task<void> logic) {
  ClientRun result{std::move(function), {}, {}};
  const std::size_t before = client.history().size();
  std::ostringstream printed;
  std::streambuf* const terminal = std::cout.rdbuf(printed.rdbuf());
  std::vector<std::string> extra;
  {
    const CrashHint hint(crash_text(result.function));
    run(std::move(logic), extra);  // catches everything, so std::cout is always given back
  }
  std::cout.rdbuf(terminal);
  result.did.assign(client.history().begin() + static_cast<std::ptrdiff_t>(before), client.history().end());
  result.did.insert(result.did.end(), extra.begin(), extra.end());
  result.printed = printed.str();
  return result;
}

void expect_client(const ClientRun& run, const std::vector<Action>& expected, std::string_view why,
                   std::source_location where) {
  if (matches(run.did, expected)) return;
  fail_at(where, run.function + " " + did(run.did) + "; expected it to " + wanted(expected) + ending(why));
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
