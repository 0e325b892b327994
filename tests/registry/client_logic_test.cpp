// registry: tests of the client's requests alone, with a mock client.

#include "stage_test.hpp"
#include "registry.hpp"

namespace {

TEST(ClientLogic, RegisterSendsTheRequestAndPrintsTheReply) {
  MockClient client;
  client.will_receive({"OK registered as alice"});
  const auto run = run_client("ask_to_register", client, registry::ask_to_register(client, "alice"));
  expect_client(run, {send("REGISTER alice"), receive("OK registered as alice")});
  expect_printed(run, "registered as alice");
}

TEST(ClientLogic, LoginSendsTheRequestAndPrintsTheReply) {
  MockClient client;
  client.will_receive({"OK logged in as alice"});
  const auto run = run_client("ask_to_log_in", client, registry::ask_to_log_in(client, "alice"));
  expect_client(run, {send("LOGIN alice"), receive("OK logged in as alice")});
  expect_printed(run, "logged in as alice");
}

TEST(ClientLogic, WhoPrintsEveryName) {
  MockClient client;
  client.will_receive({"USERS\nalice\no'neil,\"jr\":\nZoë"});
  const auto run = run_client("ask_who", client, registry::ask_who(client));
  expect_client(run, {send("WHO"), receive("USERS\nalice\no'neil,\"jr\":\nZoë")});
  expect_printed(run, "  alice");
  expect_printed(run, "  o'neil,\"jr\":");
  expect_printed(run, "  Zoë");
}

TEST(ClientLogic, SendsTheNameExactlyAsTyped) {
  MockClient client;
  client.will_receive({"OK registered as Zoë,\"z\":", "OK logged in as Zoë,\"z\":"});
  auto run = run_client("ask_to_register", client, registry::ask_to_register(client, "Zoë,\"z\":"));
  expect_client(run, {send("REGISTER Zoë,\"z\":"), receive("OK registered as Zoë,\"z\":")},
                "use format_register(name): the name goes as it is, commas, quotes and all");
  run = run_client("ask_to_log_in", client, registry::ask_to_log_in(client, "Zoë,\"z\":"));
  expect_client(run, {send("LOGIN Zoë,\"z\":"), receive("OK logged in as Zoë,\"z\":")},
                "use format_login(name): the name goes as it is, commas, quotes and all");
}

TEST(ClientLogic, PrintsTheReasonOfARefusal) {
  MockClient client;
  client.will_receive({"ERROR that name is taken"});
  const auto run = run_client("ask_to_register", client, registry::ask_to_register(client, "alice"));
  expect_printed(run, "refused: that name is taken");
}

TEST(ClientLogic, AnEmptyNameIsNotSent) {
  MockClient client;
  auto run = run_client("ask_to_register", client, registry::ask_to_register(client, ""));
  expect_client(run, {}, "an empty name is refused before anything is sent");
  expect_printed(run, registry::kEmptyNameNotSent);
  run = run_client("ask_to_log_in", client, registry::ask_to_log_in(client, ""));
  expect_client(run, {}, "an empty name is refused before anything is sent");
  expect_printed(run, registry::kEmptyNameNotSent);
}

// A client that uses *reply unchecked crashes here, and the crash hint says why.
TEST(ClientLogic, ChecksTheReplyBeforeUsingIt) {
  MockClient client;  // no reply scripted: the server closes instead
  auto run = run_client("ask_to_register", client, registry::ask_to_register(client, "alice"));
  expect_client(run, {send("REGISTER alice"), receive_nothing()});
  run = run_client("ask_who", client, registry::ask_who(client));
  expect_client(run, {send("WHO"), receive_nothing()});
}

}  // namespace
