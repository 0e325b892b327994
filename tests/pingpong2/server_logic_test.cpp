// pingpong2: tests of server_logic alone, with a mock server. The rules are
// at the top of exercises/pingpong2/pingpong2.hpp.

#include "stage_test.hpp"
#include "pingpong2.hpp"

namespace {

constexpr const char* kNeverBack = "the other client, never back to the sender";

TEST(ServerLogic, ForwardsPingToTheOtherClient) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}});
  expect_server(server, pingpong2::server_logic, {ClientId{1}, "Ping"}, {send("Ping", ClientId{2})}, kNeverBack);
}

TEST(ServerLogic, ForwardsPongBackToClient1) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}});
  expect_server(server, pingpong2::server_logic, {ClientId{2}, "Pong"}, {send("Pong", ClientId{1})}, kNeverBack);
}

TEST(ServerLogic, ForwardsAnyMessageUnchanged) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}});
  expect_server(server, pingpong2::server_logic, {ClientId{2}, "Hello, client 1"},
                {send("Hello, client 1", ClientId{1})}, "the server passes every message on as it is");
}

TEST(ServerLogic, WorksWithWhateverIdsTheClientsHave) {
  MockServer server;
  server.connect_clients({ClientId{4}, ClientId{7}});  // clients 1, 2, 3, 5 and 6 have left
  expect_server(server, pingpong2::server_logic, {ClientId{7}, "Ping"}, {send("Ping", ClientId{4})},
                "find the other client in server.clients(); do not assume it is client 1 or 2");
  expect_server(server, pingpong2::server_logic, {ClientId{4}, "Pong"}, {send("Pong", ClientId{7})},
                "find the other client in server.clients(); do not assume it is client 1 or 2");
}

TEST(ServerLogic, TellsAClientAloneThatNobodyElseIsConnected) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  expect_server(server, pingpong2::server_logic, {ClientId{1}, "Ping"}, {send(pingpong2::kNoOtherClient, ClientId{1})},
                "with nobody to forward to, the sender gets pingpong2::kNoOtherClient, not its own Ping back");
}

TEST(ServerLogic, AThirdClientWaitsItsTurn) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server(server, pingpong2::server_logic, {ClientId{3}, "Ping"}, {send(pingpong2::kWaitYourTurn, ClientId{3})},
                "the first two clients play; a third gets pingpong2::kWaitYourTurn");
  expect_server(server, pingpong2::server_logic, {ClientId{1}, "Ping"}, {send("Ping", ClientId{2})},
                "client 2 is client 1's partner; client 3 is only waiting");
  expect_server(server, pingpong2::server_logic, {ClientId{2}, "Pong"}, {send("Pong", ClientId{1})},
                "client 1 is client 2's partner; client 3 is only waiting");
}

TEST(ServerLogic, AWaitingClientPlaysOnceAPlayerHasLeft) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{3}});  // client 2 has left; client 3 was waiting
  expect_server(server, pingpong2::server_logic, {ClientId{3}, "Ping"}, {send("Ping", ClientId{1})},
                "with client 2 gone, the players are client 1 and client 3");
  expect_server(server, pingpong2::server_logic, {ClientId{1}, "Pong"}, {send("Pong", ClientId{3})},
                "with client 2 gone, the players are client 1 and client 3");
}

TEST(ServerLogic, AClientLeftAloneIsToldSo) {
  MockServer server;
  server.connect_clients({ClientId{2}});  // client 1 has left
  expect_server(server, pingpong2::server_logic, {ClientId{2}, "Ping"}, {send(pingpong2::kNoOtherClient, ClientId{2})},
                "client 1 has left, so nobody can answer: the sender gets pingpong2::kNoOtherClient");
}

}  // namespace
