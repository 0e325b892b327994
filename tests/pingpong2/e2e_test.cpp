// pingpong2: end-to-end tests. They start the real server and client programs
// (Server and Program start them by role) on a free port of the loopback
// interface and check what they print. Each client is started once
// the server has announced the one before, so that client ids are known.

#include "pingpong2.hpp"
#include "stage_test.hpp"

namespace {

TEST(Programs, PingGoesToTheOtherClientAndPongComesBack) {
  Server server;
  Program client1("client1", {"--port", server.port()});
  if (!server.expect_line("client 1 connected")) return;
  Program client2("client2", {"--port", server.port()});
  if (!server.expect_line("client 2 connected")) return;

  client1.process().write_stdin("\n\nq\n");
  if (!client1.expect_exit(0, {"Pong", "Pong"})) return;
  client2.expect_line("Ping");
  client2.expect_line("Ping");
  server.expect_line("client 1 left");
  // Stopping the server closes client 2's connection: client 2 ends too.
  server.expect_stops(0);
  client2.expect_exit(kExitServerClosed, {"Ping", "Ping"});
}

TEST(Programs, AClientAloneIsToldSo) {
  Server server;
  Program client("client1", {"--port", server.port(), "--count", "1"});
  client.expect_exit(0, {pingpong2::kNoOtherClient});
}

TEST(Programs, AThirdClientWaitsItsTurn) {
  Server server;
  Program answerer("client2", {"--port", server.port()});
  if (!server.expect_line("client 1 connected")) return;
  Program player("client1", {"--port", server.port()});
  if (!server.expect_line("client 2 connected")) return;

  Program third("client1", {"--port", server.port(), "--count", "1"});
  if (!third.expect_exit(0, {pingpong2::kWaitYourTurn})) return;
  player.process().write_stdin("\nq\n");
  player.expect_exit(0, {"Pong"});
}

TEST(Programs, ANewcomerPlaysOnceAPlayerHasLeft) {
  Server server;
  Program answerer("client2", {"--port", server.port()});
  if (!server.expect_line("client 1 connected")) return;
  Program first("client1", {"--port", server.port(), "--count", "1"});
  if (!first.expect_exit(0, {"Pong"})) return;
  if (!server.expect_line("client 2 left")) return;

  Program second("client1", {"--port", server.port(), "--count", "1"});
  second.expect_exit(0, {"Pong"});
}

TEST(Programs, WhenClient2LeavesClient1IsAlone) {
  Server server;
  Program answerer("client2", {"--port", server.port()});
  if (!server.expect_line("client 1 connected")) return;
  Program player("client1", {"--port", server.port()});
  if (!server.expect_line("client 2 connected")) return;
  player.process().write_stdin("\n");
  if (!player.expect_line("Pong")) return;

  answerer.expect_stops(130);  // Ctrl-C
  if (!server.expect_line("client 1 left")) return;
  player.process().write_stdin("\nq\n");
  player.expect_exit(0, {"Pong", pingpong2::kNoOtherClient});
}

}  // namespace
