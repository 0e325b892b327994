// pingpong2: tests of client1_logic and client2_logic alone, with a mock client.

#include "stage_test.hpp"
#include "pingpong2.hpp"

namespace {

TEST(Client1Logic, SendsPingAndPrintsTheReply) {
  MockClient client;
  client.will_receive({"Pong"});
  const auto run = run_client("client1_logic", client, pingpong2::client1_logic(client));
  expect_client(run, {send("Ping"), receive("Pong")});
  expect_printed(run, "Pong");
}

TEST(Client1Logic, PrintsWhatTheServerSaysInstead) {
  MockClient client;
  client.will_receive({pingpong2::kNoOtherClient});
  const auto run = run_client("client1_logic", client, pingpong2::client1_logic(client));
  expect_printed(run, pingpong2::kNoOtherClient);
}

// A client that uses *reply unchecked crashes here, and the crash hint says why.
TEST(Client1Logic, ChecksTheReplyBeforeUsingIt) {
  MockClient client;  // no reply scripted: the server closes instead
  const auto run = run_client("client1_logic", client, pingpong2::client1_logic(client));
  expect_client(run, {send("Ping"), receive_nothing()});
}

TEST(Client2Logic, AnswersPingWithPong) {
  MockClient client;
  const auto run = run_client(called_with("client2_logic", "Ping"), client, pingpong2::client2_logic(client, "Ping"));
  expect_client(run, {send("Pong")}, "client2_logic is given the message; it need not receive one itself");
}

TEST(Client2Logic, AnswersOnlyPing) {
  MockClient client;
  // A Ping first, so that a client that never answers cannot pass this test.
  auto run = run_client(called_with("client2_logic", "Ping"), client, pingpong2::client2_logic(client, "Ping"));
  expect_client(run, {send("Pong")});
  for (const char* other : {"Pong", "ping", pingpong2::kNoOtherClient}) {
    run = run_client(called_with("client2_logic", other), client, pingpong2::client2_logic(client, other));
    expect_client(run, {}, "only \"Ping\" gets an answer");
  }
}

}  // namespace
