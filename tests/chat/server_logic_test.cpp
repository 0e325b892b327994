// chat: tests of the server's handlers, through the given chat::server_logic
// and chat::on_leave, with a mock server and a registry of the test's own.
// The rules are at the top of exercises/chat/chat.hpp; each test is one.

#include "stage_test.hpp"
#include "chat.hpp"

namespace {

using chat::Registry;

// chat::server_logic with the test's registry, as expect_server calls logic.
auto with(Registry& users) {
  return [&users](netlab::Server& server, Message message) {
    return chat::server_logic(server, users, std::move(message));
  };
}

std::string error(const char* reason) { return chat::format_error(reason); }

// Clients 1 to 4 are connected; alice (1) and bob (2) are logged in, carol (3)
// has registered but not logged in, client 4 has done nothing.
class ServerLogic : public ::testing::Test {
 protected:
  void SetUp() override {
    server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}, ClientId{4}});
    for (const auto& [client, name] : {std::pair{ClientId{1}, "alice"}, {ClientId{2}, "bob"}, {ClientId{3}, "carol"}}) {
      users.register_name(client, name);
    }
    users.log_in(ClientId{1});
    users.log_in(ClientId{2});
  }

  // Client `client` leaves: the server program's on_leave, then the server forgets it.
  void leave(ClientId client, const std::vector<netlab::testing::Action>& expected, std::string_view why = {}) {
    std::vector<ClientId> others;
    for (const ClientId id : server.clients()) {
      if (id != client) others.push_back(id);
    }
    server.connect_clients(others);
    expect_server_run(server, "announce_leave", "saw " + to_string(client) + " leave",
                      chat::on_leave(server, users, client), expected, why);
  }

  MockServer server;
  Registry users;
};

// --- a message to one user

TEST_F(ServerLogic, ADirectMessageGoesToTheNamedUserOnly) {
  expect_server(server, with(users), {ClientId{1}, "MSG bob hi bob"},
                {send("MSG alice hi bob", ClientId{2}), send("OK sent to bob", ClientId{1})},
                "bob gets it with the sender's name, then the sender gets the reply");
}

TEST_F(ServerLogic, ADirectMessageNamesTheRecipientInAnyCaseOfAToZ) {
  expect_server(server, with(users), {ClientId{1}, "MSG BOB hi"},
                {send("MSG alice hi", ClientId{2}), send("OK sent to bob", ClientId{1})},
                "BOB is bob (logged_in_client_named finds him); the reply spells him as he registered");
}

TEST_F(ServerLogic, ADirectMessageKeepsItsTextAsItIs) {
  const std::string text = "  two  spaces, \"quotes\", Zoë: 🐉 ";
  expect_server(server, with(users), {ClientId{2}, "MSG alice " + text},
                {send("MSG bob " + text, ClientId{1}), send("OK sent to alice", ClientId{2})},
                "the text goes on exactly as it came");
}

TEST_F(ServerLogic, ADirectMessageToAnUnknownUserIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "MSG dave hi"}, {send(error(chat::kNobodyOfThatName), ClientId{1})},
                "nobody registered dave: only the sender hears about it");
}

TEST_F(ServerLogic, ADirectMessageToAUserNotLoggedInIsRefused) {
  expect_server(server, with(users), {ClientId{1}, "MSG carol hi"},
                {send(error(chat::kNobodyOfThatName), ClientId{1})},
                "carol (client 3) registered but has not logged in: she gets nothing");
}

TEST_F(ServerLogic, ADirectMessageToAUserWhoLeftIsRefused) {
  leave(ClientId{2}, {send("LEFT bob", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "MSG bob hi"}, {send(error(chat::kNobodyOfThatName), ClientId{1})},
                "bob (client 2) has left");
}

TEST_F(ServerLogic, ADirectMessageFromAClientNotLoggedInIsRefused) {
  expect_server(server, with(users), {ClientId{3}, "MSG alice hi"}, {send(error(chat::kLogInFirst), ClientId{3})},
                "client 3 (carol) has registered but not logged in");
}

// --- a message to everyone

TEST_F(ServerLogic, AMessageToEveryoneGoesToEveryLoggedInUser) {
  users.log_in(ClientId{3});
  expect_server(server, with(users), {ClientId{2}, "ALL hello all"},
                {send("ALL bob hello all", ClientId{1}), send("ALL bob hello all", ClientId{3}),
                 send("OK sent to everyone", ClientId{2})},
                "alice and carol are logged in (logged_in_clients lists them), then the sender gets the reply");
}

TEST_F(ServerLogic, TheSenderDoesNotGetItsOwnMessageToEveryone) {
  expect_server(server, with(users), {ClientId{1}, "ALL hello"},
                {send("ALL alice hello", ClientId{2}), send("OK sent to everyone", ClientId{1})},
                "the sender's copy is its reply, \"OK sent to everyone\", not the message itself");
}

TEST_F(ServerLogic, ClientsNotLoggedInGetNoMessageToEveryone) {
  expect_server(server, with(users), {ClientId{2}, "ALL hello"},
                {send("ALL bob hello", ClientId{1}), send("OK sent to everyone", ClientId{2})},
                "clients 3 and 4 are connected but not logged in");
}

TEST_F(ServerLogic, AMessageToEveryoneFromAClientNotLoggedInIsRefused) {
  expect_server(server, with(users), {ClientId{4}, "ALL hello"}, {send(error(chat::kLogInFirst), ClientId{4})},
                "client 4 has not even registered");
}

// --- joins and leaves

TEST_F(ServerLogic, AJoinIsAnnouncedToTheOthersLoggedIn) {
  expect_server(server, with(users), {ClientId{3}, "LOGIN carol"},
                {send("OK logged in as carol", ClientId{3}), send("JOINED carol", ClientId{1}),
                 send("JOINED carol", ClientId{2})},
                "after carol's reply, alice and bob hear that she joined; she does not hear it herself");
}

TEST_F(ServerLogic, ALeaveIsAnnouncedToTheOthersLoggedIn) {
  users.log_in(ClientId{3});
  leave(ClientId{1}, {send("LEFT alice", ClientId{2}), send("LEFT alice", ClientId{3})},
        "alice (client 1) was logged in; bob and carol are");
}

TEST_F(ServerLogic, ALeaveIsNotAnnouncedToClientsNotLoggedIn) {
  leave(ClientId{2}, {send("LEFT bob", ClientId{1})}, "carol (client 3) and client 4 have not logged in");
}

TEST_F(ServerLogic, AClientThatLeavesWithoutLoggingInIsNotAnnounced) {
  leave(ClientId{3}, {}, "carol (client 3) registered but never logged in: nobody knew she was here");
  leave(ClientId{2}, {send("LEFT bob", ClientId{1})}, "bob (client 2) was logged in");
}

TEST_F(ServerLogic, AUserWhoLeftGetsNoMoreMessages) {
  leave(ClientId{2}, {send("LEFT bob", ClientId{1})});
  expect_server(server, with(users), {ClientId{1}, "ALL still here?"}, {send("OK sent to everyone", ClientId{1})},
                "bob (client 2) has left: nobody else is logged in");
}

}  // namespace
