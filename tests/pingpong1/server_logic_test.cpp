// pingpong1: tests of server_logic alone, with a mock server.

#include "stage_test.hpp"
#include "pingpong1.hpp"

namespace {

TEST(ServerLogic, AnswersPingWithPong) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  expect_server(server, pingpong1::server_logic, {ClientId{1}, "Ping"}, {send("Pong", ClientId{1})});
}

TEST(ServerLogic, AnswersTheClientWhoSentThePing) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server(server, pingpong1::server_logic, {ClientId{2}, "Ping"}, {send("Pong", ClientId{2})},
                "the Pong goes back to message.from, and to nobody else");
}

TEST(ServerLogic, AnswersEveryPing) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  for (int ping = 0; ping < 3; ++ping) {
    expect_server(server, pingpong1::server_logic, {ClientId{1}, "Ping"}, {send("Pong", ClientId{1})});
  }
}

TEST(ServerLogic, AnswersOnlyPing) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  // A Ping first, so that a server that never answers cannot pass this test.
  expect_server(server, pingpong1::server_logic, {ClientId{1}, "Ping"}, {send("Pong", ClientId{1})});
  for (const char* other : {"ping", "PING", "Ping ", "Pong", "Hello", ""}) {
    expect_server(server, pingpong1::server_logic, {ClientId{1}, other}, {},
                  "only the exact message \"Ping\" gets a Pong");
  }
}

}  // namespace
