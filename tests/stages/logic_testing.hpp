#pragma once
// Helpers for the stages' unit tests: run a stage's logic against the mocks,
// then say in one sentence a student can act on what it did and what was
// expected instead:
//
//   the server received "Ping" from client 1 and did nothing;
//   expected it to send "Pong" to client 1
//
// Failures are reported at the line of the test that asked for the check.

#include <functional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/server.hpp"
#include "netlab/task.hpp"
#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"

namespace stage_testing {

// One thing logic should do, in two voices: as the mocks write it in their
// history ("sent \"Pong\" to client 1") and as a failure message asks for it
// ("send \"Pong\" to client 1").
struct Action {
  std::string done;
  std::string wanted;
};

// Server logic sends `text` to client `to`.
Action send(std::string_view text, netlab::ClientId to);
// Client logic sends `text` to the server.
Action send(std::string_view text);
// Client logic waits for a message and receives `text`; or, without `text`,
// learns that the server closed the connection.
Action receive(std::string_view text);
Action receive_nothing();

using ServerLogic = std::function<netlab::Task<void>(netlab::Server&, netlab::Message)>;

// Hands `message` to server logic, runs it to its end, and checks that it did
// exactly `expected` (nothing, when empty). `why`, if given, ends the message.
void expect_server(netlab::testing::MockServer& server, const ServerLogic& logic, const netlab::Message& message,
                   const std::vector<Action>& expected, std::string_view why = {},
                   std::source_location where = std::source_location::current());

// What client logic did in one run, and what it printed on std::cout meanwhile.
struct ClientRun {
  std::string function;           // e.g. "client_logic", for messages
  std::vector<std::string> did;  // the mock's history of this run
  std::string printed;
};

// Runs client logic to its end, capturing what it prints.
ClientRun run_client(std::string function, netlab::testing::MockClient& client, netlab::Task<void> logic);

// Checks that the run did exactly `expected`.
void expect_client(const ClientRun& run, const std::vector<Action>& expected, std::string_view why = {},
                   std::source_location where = std::source_location::current());

// Checks that the run printed `text` (on a line of its own, with or without
// words around it).
void expect_printed(const ClientRun& run, std::string_view text,
                    std::source_location where = std::source_location::current());

// Makes an abort while logic runs (a failed library check, such as *reply on
// an empty optional) print what the logic was doing and the likely cause,
// after the check's own message. main() calls it once.
void explain_crashes();

}  // namespace stage_testing
