// pingpong1: end-to-end tests. They start the real server and client programs
// (Server and Program start them by role) on a free port of the loopback
// interface and check what they print.

#include "stage_test.hpp"

namespace {

TEST(Programs, ClientPrintsPongForEachPing) {
  Server server;
  Program client("client", {"--port", server.port(), "--count", "3"});
  if (!client.expect_exit(0, {"Pong", "Pong", "Pong"})) return;
  server.expect_line("client 1 connected");
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, EnterSendsPingAndQQuits) {
  Server server;
  Program client("client", {"--port", server.port()});
  client.process().write_stdin("\n\nq\n");
  client.expect_exit(0, {"Pong", "Pong"});
}

TEST(Programs, ServerKeepsServingAfterAClientLeaves) {
  Server server;
  Program first("client", {"--port", server.port(), "--count", "1"});
  if (!first.expect_exit(0, {"Pong"})) return;
  server.expect_line("client 1 left");
  Program second("client", {"--port", server.port(), "--count", "1"});
  second.expect_exit(0, {"Pong"});
}

}  // namespace
