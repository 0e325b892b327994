#pragma once
// Helpers for the stages' unit tests: run a stage's logic against the mocks,
// then say in one sentence a student can act on what it did and what was
// expected instead:
//
//   the server received "Ping" from client 1 and did nothing;
//   expected it to send "Pong" to client 1
//
// What logic did and what a test expects are both lists of
// netlab::testing::Action (send, broadcast, receive...), compared as data and
// worded in one place. Failures are reported at the line of the test.

#include <functional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/server.hpp"
#include "netlab/task.hpp"
#include "netlab/testing/action.hpp"
#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"

namespace stage_testing {

using netlab::testing::Action;

using ServerLogic = std::function<netlab::Task<void>(netlab::Server&, netlab::Message)>;

// Hands `message` to server logic (named `function` in messages), runs it to
// its end, and checks that it did exactly `expected` (nothing, when empty).
// `why`, if given, ends the failure message.
void expect_server(netlab::testing::MockServer& server, const ServerLogic& logic, const netlab::Message& message,
                   const std::vector<Action>& expected, std::string_view why = {},
                   std::source_location where = std::source_location::current());

// The same for any run of server logic, such as a hook for a client that
// connected: `situation` says what the server saw ("saw client 3 connect").
void expect_server_run(netlab::testing::MockServer& server, std::string_view function, std::string_view situation,
                       netlab::Task<void> logic, const std::vector<Action>& expected, std::string_view why = {},
                       std::source_location where = std::source_location::current());

// Checks what a function of the stage returned: `call` says how it was
// called, for the message ("daytime_text(Monday, February 22, 1982 17:37:43 UTC)"):
//
//   daytime_text(...) returned ""; expected "Monday, February 22, 1982 17:37:43 UTC"
void expect_returned(std::string_view call, std::string_view returned, std::string_view expected,
                     std::string_view why = {}, std::source_location where = std::source_location::current());

// What client logic did in one run, and what it printed on std::cout meanwhile.
struct ClientRun {
  std::string function;      // e.g. "client_logic", for messages
  std::vector<Action> did;   // what it did through the mock, in order
  std::string printed;
};

// Runs client logic to its end, capturing what it prints.
ClientRun run_client(std::string function, netlab::testing::MockClient& client, netlab::Task<void> logic);

// Checks that the run did exactly `expected`.
void expect_client(const ClientRun& run, const std::vector<Action>& expected, std::string_view why = {},
                   std::source_location where = std::source_location::current());

// Checks that the run printed `text` on a line of its own (with or without
// words around it, but with the newline that ends the line).
void expect_printed(const ClientRun& run, std::string_view text,
                    std::source_location where = std::source_location::current());

// How a failure names a client logic call with its argument, so that it says
// what the logic was given: called_with("client2_logic", "Ping") is
// `client2_logic(client, "Ping")`.
std::string called_with(std::string_view function, std::string_view argument);

// Makes a crash while logic runs (a failed library check such as `*reply` on
// an empty optional, a segmentation fault, std::terminate) print which logic
// function crashed, on what input, and a hint that fits the check that fired
// (netlab/crash.hpp). main() calls it once with argv[0].
void explain_crashes(const char* program);

}  // namespace stage_testing
