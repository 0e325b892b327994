// pingpong1: end-to-end tests. They start the real server and client programs
// (SERVER_PROGRAM and CLIENT_PROGRAM, given by CMake) on a free port of the
// loopback interface and check what they print.

#include <gtest/gtest.h>

#include "program_testing.hpp"

namespace {

using stage_testing::Program;
using stage_testing::Server;

TEST(Programs, ClientPrintsPongForEachPing) {
  Server server(SERVER_PROGRAM);
  Program client({CLIENT_PROGRAM, "--port", server.port(), "--count", "3"});
  if (!client.expect_exit(0, {"Pong", "Pong", "Pong"})) return;
  server.expect_line("client 1 connected");
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, EnterSendsPingAndQQuits) {
  Server server(SERVER_PROGRAM);
  Program client({CLIENT_PROGRAM, "--port", server.port()});
  client.process().write_stdin("\n\nq\n");
  client.expect_exit(0, {"Pong", "Pong"});
}

TEST(Programs, ServerKeepsServingAfterAClientLeaves) {
  Server server(SERVER_PROGRAM);
  Program first({CLIENT_PROGRAM, "--port", server.port(), "--count", "1"});
  if (!first.expect_exit(0, {"Pong"})) return;
  server.expect_line("client 1 left");
  Program second({CLIENT_PROGRAM, "--port", server.port(), "--count", "1"});
  second.expect_exit(0, {"Pong"});
}

}  // namespace
