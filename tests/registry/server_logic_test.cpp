// registry: tests of server_logic alone, with a mock server and a registry of
// the test's own. The rules are at the top of exercises/registry/registry.hpp;
// each test is one of them.

#include "stage_test.hpp"
#include "registry.hpp"

namespace {

using registry::Registry;

// server_logic with the test's registry, as expect_server calls logic.
auto with(Registry& users) {
  return [&users](netlab::Server& server, Message message) {
    return registry::server_logic(server, users, std::move(message));
  };
}

std::string error(const char* reason) { return registry::format_error(reason); }

// Registers and logs in `client` as `name`, checking the replies on the way.
void log_in(MockServer& server, Registry& users, ClientId client, const std::string& name) {
  expect_server(server, with(users), {client, "REGISTER " + name}, {send("OK registered as " + name, client)});
  expect_server(server, with(users), {client, "LOGIN " + name}, {send("OK logged in as " + name, client)});
}

class ServerLogic : public ::testing::Test {
 protected:
  void SetUp() override { server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}}); }

  MockServer server;
  Registry users;
};

// --- REGISTER

TEST_F(ServerLogic, RegisterAcceptsAFreeName) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})},
                "the reply goes to the client who asked, and to nobody else");
}

TEST_F(ServerLogic, RegisterRefusesATakenName) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{2}, "REGISTER alice"}, {send(error(registry::kNameTaken), ClientId{2})},
                "client 1 registered alice first");
}

TEST_F(ServerLogic, ANameInAnotherCaseOfAToZIsTaken) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{2}, "REGISTER ALICE"}, {send(error(registry::kNameTaken), ClientId{2})},
                "the case of A-Z does not count: check with registry.is_taken");
}

TEST_F(ServerLogic, AClientRegistersOnlyOnce) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "REGISTER bob"},
                {send(error(registry::kAlreadyRegistered), ClientId{1})}, "client 1 registered alice already");
  expect_server(server, with(users), {ClientId{2}, "REGISTER bob"}, {send("OK registered as bob", ClientId{2})},
                "the refused request changed nothing: bob is still free");
}

TEST_F(ServerLogic, NamesMayHoldUtf8CommasQuotesAndColons) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER Zoë"}, {send("OK registered as Zoë", ClientId{1})});
  expect_server(server, with(users), {ClientId{2}, "REGISTER o'neil,\"jr\":"},
                {send("OK registered as o'neil,\"jr\":", ClientId{2})}, "commas, quotes and colons are fine");
  expect_server(server, with(users), {ClientId{3}, "REGISTER 李小龍🐉"},
                {send("OK registered as 李小龍🐉", ClientId{3})}, "letters of any language are fine");
}

// --- the name rules (parse_request finds what is wrong; the reply says it)

TEST_F(ServerLogic, AnEmptyNameIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER "},
                {send("ERROR a name cannot be empty", ClientId{1})},
                "a malformed request gets format_error(request.problem)");
}

TEST_F(ServerLogic, ANameOverTheLimitIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER " + std::string(33, 'a')},
                {send("ERROR a name has at most 32 characters; this one has 33", ClientId{1})},
                "a malformed request gets format_error(request.problem)");
}

TEST_F(ServerLogic, TheLimitCountsCharactersNotBytes) {
  std::string name;
  for (int i = 0; i < 32; ++i) name += "é";  // 32 characters, 64 bytes
  expect_server(server, with(users), {ClientId{1}, "REGISTER " + name},
                {send("OK registered as " + name, ClientId{1})}, "32 characters is the limit, whatever their bytes");
}

TEST_F(ServerLogic, NamesWithWhiteSpaceAreRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice smith"},
                {send("ERROR a name cannot contain white space (U+0020, character 6)", ClientId{1})},
                "a malformed request gets format_error(request.problem)");
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice\u00a0smith"},
                {send("ERROR a name cannot contain white space (U+00A0, character 6)", ClientId{1})},
                "a no-break space is white space too");
}

TEST_F(ServerLogic, NamesWithControlCharactersAreRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER al\tice"},
                {send("ERROR a name cannot contain control characters (U+0009, character 3)", ClientId{1})},
                "a malformed request gets format_error(request.problem)");
  expect_server(server, with(users), {ClientId{1}, "LOGIN alice\n"},
                {send("ERROR a name cannot contain control characters (U+000A, character 6)", ClientId{1})},
                "a line feed would split the list of names");
}

TEST_F(ServerLogic, NamesThatAreNotUtf8AreRefused) {
  for (const char* name : {"\xff", "al\xc3", "\xc0\xa1", "\xed\xa0\x80"}) {
    expect_server(server, with(users), {ClientId{1}, "REGISTER " + std::string(name)},
                  {send(error(registry::name_problem(name)->c_str()), ClientId{1})},
                  "a malformed request gets format_error(request.problem)");
  }
}

// --- LOGIN

TEST_F(ServerLogic, LoginWithTheRegisteredNameSucceeds) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "LOGIN alice"}, {send("OK logged in as alice", ClientId{1})});
}

TEST_F(ServerLogic, LoginInAnotherCaseOfAToZIsTheSameName) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER Alice"}, {send("OK registered as Alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "LOGIN alice"}, {send("OK logged in as Alice", ClientId{1})},
                "compare with same_name; the reply names the user as registered");
}

TEST_F(ServerLogic, LoginBeforeRegisterIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "LOGIN alice"},
                {send(error(registry::kRegisterFirst), ClientId{1})});
}

TEST_F(ServerLogic, LoginWithAnotherNameIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "LOGIN bob"}, {send(error(registry::kNotYourName), ClientId{1})},
                "client 1 registered alice, not bob");
}

TEST_F(ServerLogic, ANameCannotLogInFromTwoClients) {
  log_in(server, users, ClientId{1}, "alice");
  expect_server(server, with(users), {ClientId{2}, "REGISTER bob"}, {send("OK registered as bob", ClientId{2})});
  expect_server(server, with(users), {ClientId{2}, "LOGIN alice"}, {send(error(registry::kNotYourName), ClientId{2})},
                "alice is client 1's name");
  expect_server(server, with(users), {ClientId{3}, "LOGIN alice"},
                {send(error(registry::kRegisterFirst), ClientId{3})}, "client 3 has registered no name");
}

TEST_F(ServerLogic, LoggingInTwiceIsRefused) {
  log_in(server, users, ClientId{1}, "alice");
  expect_server(server, with(users), {ClientId{1}, "LOGIN alice"},
                {send(error(registry::kAlreadyLoggedIn), ClientId{1})});
}

// --- WHO

TEST_F(ServerLogic, WhoListsTheLoggedInUsers) {
  log_in(server, users, ClientId{1}, "alice");
  expect_server(server, with(users), {ClientId{2}, "REGISTER bob"}, {send("OK registered as bob", ClientId{2})});
  log_in(server, users, ClientId{3}, "o'neil,\"jr\":");
  expect_server(server, with(users), {ClientId{3}, "WHO"}, {send("USERS\nalice\no'neil,\"jr\":", ClientId{3})},
                "bob registered but did not log in; format_users(registry.logged_in_names())");
}

TEST_F(ServerLogic, WhoBeforeLoginIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "WHO"}, {send(error(registry::kLogInFirst), ClientId{1})},
                "client 1 has not even registered");
  expect_server(server, with(users), {ClientId{1}, "REGISTER alice"}, {send("OK registered as alice", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "WHO"}, {send(error(registry::kLogInFirst), ClientId{1})},
                "client 1 registered but has not logged in");
}

// --- a client that leaves (the server program calls users.remove)

TEST_F(ServerLogic, AClientThatLeftIsNotListed) {
  log_in(server, users, ClientId{1}, "alice");
  log_in(server, users, ClientId{2}, "bob");
  users.remove(ClientId{1});
  server.connect_clients({ClientId{2}, ClientId{3}});
  expect_server(server, with(users), {ClientId{2}, "WHO"}, {send("USERS\nbob", ClientId{2})},
                "client 1 (alice) has left");
}

TEST_F(ServerLogic, TheNameOfAClientThatLeftIsFreeAgain) {
  log_in(server, users, ClientId{1}, "alice");
  users.remove(ClientId{1});
  server.connect_clients({ClientId{2}, ClientId{3}});
  expect_server(server, with(users), {ClientId{2}, "REGISTER alice"}, {send("OK registered as alice", ClientId{2})},
                "client 1 (alice) has left, and its name with it");
}

// --- malformed requests

TEST_F(ServerLogic, AnUnknownRequestIsRefusedWithTheReason) {
  const std::string requests = "the requests are REGISTER <name>, LOGIN <name> and WHO";
  expect_server(server, with(users), {ClientId{1}, "HELLO there"},
                {send("ERROR unknown request \"HELLO\": " + requests, ClientId{1})},
                "a malformed request gets format_error(request.problem)");
  expect_server(server, with(users), {ClientId{1}, "register alice"},
                {send("ERROR unknown request \"register\": " + requests, ClientId{1})}, "requests are in capitals");
  expect_server(server, with(users), {ClientId{1}, ""}, {send("ERROR unknown request \"\": " + requests, ClientId{1})},
                "an empty message is a request too, and gets its reply");
}

TEST_F(ServerLogic, ARequestWithoutItsNameIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "REGISTER"},
                {send("ERROR REGISTER needs a name: REGISTER <name>", ClientId{1})},
                "a malformed request gets format_error(request.problem)");
  expect_server(server, with(users), {ClientId{1}, "LOGIN"},
                {send("ERROR LOGIN needs a name: LOGIN <name>", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "WHO alice"},
                {send("ERROR WHO takes no name: send WHO alone", ClientId{1})});
}

TEST_F(ServerLogic, AMalformedRequestChangesNothing) {
  log_in(server, users, ClientId{1}, "alice");
  expect_server(server, with(users), {ClientId{1}, "REGISTER \xff"},
                {send("ERROR a name must be UTF-8 text: byte 1 is not", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "LOGOUT"},
                {send("ERROR unknown request \"LOGOUT\": the requests are REGISTER <name>, LOGIN <name> and WHO",
                      ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "WHO"}, {send("USERS\nalice", ClientId{1})},
                "after two malformed requests, alice is still logged in");
}

}  // namespace
