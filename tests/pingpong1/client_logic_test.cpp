// pingpong1: tests of client_logic alone, with a mock client.

#include "stage_test.hpp"
#include "pingpong1.hpp"

namespace {

TEST(ClientLogic, SendsPingAndReadsTheReply) {
  MockClient client;
  client.will_receive({"Pong"});
  const auto run = run_client("client_logic", client, pingpong1::client_logic(client));
  expect_client(run, {send("Ping"), receive("Pong")});
}

TEST(ClientLogic, PrintsTheReply) {
  MockClient client;
  client.will_receive({"Pong"});
  const auto run = run_client("client_logic", client, pingpong1::client_logic(client));
  expect_printed(run, "Pong");
}

TEST(ClientLogic, PrintsWhatTheServerReallySent) {
  MockClient client;
  client.will_receive({"Pong from the test"});
  const auto run = run_client("client_logic", client, pingpong1::client_logic(client));
  expect_printed(run, "Pong from the test");
}

TEST(ClientLogic, SendsOnePingPerTurn) {
  MockClient client;
  client.will_receive({"Pong", "Pong"});
  for (int turn = 0; turn < 2; ++turn) {
    const auto run = run_client("client_logic", client, pingpong1::client_logic(client));
    expect_client(run, {send("Ping"), receive("Pong")}, "each turn is one Ping and its reply");
  }
}

// A client that uses *reply unchecked crashes here, and the crash hint says why.
TEST(ClientLogic, ChecksTheReplyBeforeUsingIt) {
  MockClient client;  // no reply scripted: the server closes instead
  const auto run = run_client("client_logic", client, pingpong1::client_logic(client));
  expect_client(run, {send("Ping"), receive_nothing()});
}

}  // namespace
