// hello: tests of client_logic alone, with a mock client.

#include "stage_test.hpp"
#include "hello.hpp"

namespace {

TEST(ClientLogic, PrintsTheGreeting) {
  MockClient client;
  client.will_receive({"Hello World!"});
  const auto run = run_client("client_logic", client, hello::client_logic(client));
  expect_printed(run, "Hello World!");
}

TEST(ClientLogic, PrintsWhatTheServerReallySent) {
  MockClient client;
  client.will_receive({"Bonjour tout le monde !"});
  const auto run = run_client("client_logic", client, hello::client_logic(client));
  expect_printed(run, "Bonjour tout le monde !");
}

TEST(ClientLogic, ReceivesUntilTheServerCloses) {
  MockClient client;
  client.will_receive({"Hello World!"});
  const auto run = run_client("client_logic", client, hello::client_logic(client));
  expect_client(run, {receive("Hello World!"), receive_nothing()},
                "keep receiving until receive_message() returns nothing: the server has closed the connection");
}

TEST(ClientLogic, PrintsEveryMessageBeforeTheClose) {
  MockClient client;
  client.will_receive({"Hello World!", "Goodbye!"});
  const auto run = run_client("client_logic", client, hello::client_logic(client));
  expect_printed(run, "Hello World!");
  expect_printed(run, "Goodbye!");
}

// A client that uses *message unchecked crashes here, and the crash hint says why.
TEST(ClientLogic, ChecksTheMessageBeforeUsingIt) {
  MockClient client;  // nothing scripted: the server closes at once
  const auto run = run_client("client_logic", client, hello::client_logic(client));
  expect_client(run, {receive_nothing()});
}

}  // namespace
