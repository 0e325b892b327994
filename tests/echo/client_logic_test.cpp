// echo: tests of client_logic alone, with a mock client.

#include "stage_test.hpp"
#include "echo.hpp"

namespace {

TEST(ClientLogic, SendsTheLineAndPrintsTheReply) {
  MockClient client;
  client.will_receive({"olleH"});
  const auto run = run_client("client_logic", client, echo::client_logic(client, "Hello"));
  expect_client(run, {send("Hello"), receive("olleH")});
  expect_printed(run, "olleH");
}

TEST(ClientLogic, SendsWhateverLineItIsGiven) {
  MockClient client;
  client.will_receive({"2 egassem", "A LINE FROM A FILE"});
  auto run = run_client("client_logic", client, echo::client_logic(client, "message 2"));
  expect_client(run, {send("message 2"), receive("2 egassem")});
  run = run_client("client_logic", client, echo::client_logic(client, "a line from a file"));
  expect_client(run, {send("a line from a file"), receive("A LINE FROM A FILE")});
  expect_printed(run, "A LINE FROM A FILE");
}

// A client that uses *reply unchecked crashes here, and the crash hint says why.
TEST(ClientLogic, ChecksTheReplyBeforeUsingIt) {
  MockClient client;  // no reply scripted: the server closes instead
  const auto run = run_client("client_logic", client, echo::client_logic(client, "Hello"));
  expect_client(run, {send("Hello"), receive_nothing()});
}

}  // namespace
