// daytime: end-to-end tests. They start the real server and client programs
// on a free port of the loopback interface and check what they print: the
// time the server read on its clock, between the test's two readings.

#include <chrono>
#include <source_location>

#include "daytime.hpp"
#include "stage_test.hpp"

namespace {

using std::chrono::system_clock;

// Runs a client to its end; checks that it printed the daytime line of a
// second between `before` and now.
bool expect_daytime(Program& client, system_clock::time_point before,
                    std::source_location where = std::source_location::current()) {
  if (!client.expect_exit(0, {"UTC"}, where)) return false;
  const std::string printed = client.process().output().substr(0, client.process().output().find('\n'));
  const auto after = system_clock::now();
  for (auto second = std::chrono::floor<std::chrono::seconds>(before); second <= after;
       second += std::chrono::seconds(1)) {
    if (printed == daytime::daytime_text(second)) return true;
  }
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
      << client.name() << " printed \"" << printed << "\"; expected the time the server read on its clock, "
      << daytime::daytime_text(after);
  return false;
}

TEST(Programs, ClientPrintsTheDateAndTime) {
  Server server;
  const auto before = system_clock::now();
  Program client("client", {"--port", server.port()});
  if (!expect_daytime(client, before)) return;
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, ServerAnswersClientAfterClient) {
  Server server;
  for (int client_number = 1; client_number <= 3; ++client_number) {
    const auto before = system_clock::now();
    Program client("client", {"--port", server.port()});
    if (!expect_daytime(client, before)) return;
  }
}

TEST(Programs, ServerAnswersSeveralClientsAtOnce) {
  Server server;
  const auto before = system_clock::now();
  Program first("client", {"--host", "127.0.0.1", "--port", server.port()});
  Program second("client", {"--host", "127.0.0.1", "--port", server.port()});
  Program third("client", {"--host", "127.0.0.1", "--port", server.port()});
  if (!expect_daytime(first, before) || !expect_daytime(second, before)) return;
  expect_daytime(third, before);
}

}  // namespace
