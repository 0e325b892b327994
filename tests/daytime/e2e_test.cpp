// daytime: end-to-end tests. They start the real server and client programs
// on a free port of the loopback interface and check what they print: the
// time the server read on its clock, between the test's two readings.
// (They call only the stage header's format_time: an end-to-end test links
// none of your code.)

#include <chrono>
#include <source_location>

#include "daytime.hpp"
#include "netlab/trace.hpp"
#include "stage_test.hpp"

namespace {

using std::chrono::system_clock;

// Runs a client to its end; checks that it printed the date and time of a
// second between `before` and now: its year, month and time, ending in UTC.
bool expect_daytime(Program& client, system_clock::time_point before,
                    std::source_location where = std::source_location::current()) {
  if (!client.expect_exit(0, {"UTC"}, where)) return false;
  const std::string printed = client.process().output().substr(0, client.process().output().find('\n'));
  const auto after = system_clock::now();
  const auto has = [&printed](system_clock::time_point time, const char* format) {
    return printed.find(daytime::format_time(time, format)) != std::string::npos;
  };
  for (auto second = std::chrono::floor<std::chrono::seconds>(before); second <= after;
       second += std::chrono::seconds(1)) {
    if (has(second, "%Y") && has(second, "%B") && has(second, "%H:%M:%S") && printed.ends_with(" UTC")) return true;
  }
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
      << client.name() << " printed " << netlab::in_quotes(printed)
      << "; expected the date and time the server read on its clock, with its year, month and time ("
      << daytime::format_time(after, "%Y, %B, %H:%M:%S") << "), ending in UTC";
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
