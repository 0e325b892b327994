// registry: end-to-end tests. They start the real server and clients on a
// free port of the loopback interface, type commands into the clients' stdin,
// and check what they print. Each client is started once the server has
// announced the one before, so that client ids are known.

#include <cstdint>
#include <string>

#include "netlab/event_loop.hpp"
#include "netlab/testing/round_trip.hpp"
#include "registry.hpp"
#include "stage_test.hpp"

namespace {

const std::string kOneil = "o'neil,\"jr\":";  // a name a protocol might trip on

// Starts a client and waits until the server has seen it connect as `id`.
bool start_client(Server& server, std::optional<Program>& client, int id) {
  client.emplace("client", std::vector<std::string>{"--port", server.port()});
  return server.expect_line("client " + std::to_string(id) + " connected");
}

// Types `register <name>` and `login <name>` into `client`, and waits until it is logged in.
bool log_in(Program& client, const std::string& name) {
  client.process().write_stdin("register " + name + "\nlogin " + name + "\n");
  return client.expect_line("logged in as " + name);
}

TEST(Programs, ThreeClientsRegisterLogInAndSeeEachOther) {
  Server server;
  std::optional<Program> alice, zoe, oneil;
  if (!start_client(server, alice, 1) || !start_client(server, zoe, 2) || !start_client(server, oneil, 3)) return;

  if (!log_in(*alice, "alice") || !log_in(*zoe, "Zoë")) return;
  oneil->process().write_stdin("register " + kOneil + "\nlogin " + kOneil + "\nwho\nquit\n");
  if (!oneil->expect_exit(0, {"registered as " + kOneil, "logged in as " + kOneil, "logged in now:", "  alice",
                              "  Zoë", "  " + kOneil})) {
    return;
  }
  if (!server.expect_line("client 3 left")) return;
  alice->process().write_stdin("who\nquit\n");
  alice->expect_exit(0, {"registered as alice", "logged in as alice", "logged in now:", "  alice", "  Zoë"});
  zoe->process().write_stdin("quit\n");
  zoe->expect_exit(0, {"registered as Zoë", "logged in as Zoë"});
}

TEST(Programs, WhatIsOutOfOrderIsRefusedWithTheReason) {
  Server server;
  Program client("client", {"--port", server.port()});
  client.process().write_stdin(
      "who\nlogin alice\nregister alice\nregister bob\nlogin bob\nlogin alice\nlogin alice\nwho\nquit\n");
  client.expect_exit(0, {"refused: log in before asking who is here", "refused: register a name before logging in",
                         "registered as alice", "refused: you have already registered a name",
                         "refused: log in with the name you registered", "logged in as alice",
                         "refused: you are already logged in", "logged in now:", "  alice"});
}

TEST(Programs, ATakenNameIsRefusedWhateverItsCase) {
  Server server;
  std::optional<Program> first, second;
  if (!start_client(server, first, 1) || !start_client(server, second, 2)) return;
  first->process().write_stdin("register alice\n");
  if (!first->expect_line("registered as alice")) return;
  second->process().write_stdin("register alice\nregister ALICE\nregister bob\nquit\n");
  second->expect_exit(0, {"refused: that name is taken", "refused: that name is taken", "registered as bob"});
  first->process().write_stdin("login alice\nquit\n");
  first->expect_exit(0, {"registered as alice", "logged in as alice"});
}

TEST(Programs, BadNamesAreRefusedWithTheReason) {
  Server server;
  Program client("client", {"--port", server.port()});
  client.process().write_stdin("register alice smith\nregister " + std::string(33, 'a') +
                               "\nregister a\x01z\nregister \xff\nregister\nlogin \nquit\n");
  client.expect_exit(0, {"refused: a name cannot contain white space (U+0020, character 6)",
                         "refused: a name has at most 32 characters; this one has 33",
                         "refused: a name cannot contain control characters (U+0001, character 2)",
                         "refused: a name must be UTF-8 text: byte 1 is not", registry::kEmptyNameNotSent,
                         registry::kEmptyNameNotSent});
}

TEST(Programs, AClientThatLeavesIsLoggedOutAndItsNameIsFree) {
  Server server;
  std::optional<Program> alice, bob, carol, newcomer;
  if (!start_client(server, alice, 1) || !start_client(server, bob, 2) || !start_client(server, carol, 3)) return;
  if (!log_in(*alice, "alice") || !log_in(*bob, "bob") || !log_in(*carol, "carol")) return;

  bob->expect_stops(130);  // Ctrl-C in the middle of the session
  if (!server.expect_line("client 2 left")) return;
  alice->process().write_stdin("who\n");
  if (!alice->expect_line("carol")) return;
  if (!start_client(server, newcomer, 4)) return;
  newcomer->process().write_stdin("register bob\nlogin bob\nwho\nquit\n");
  newcomer->expect_exit(0, {"registered as bob", "logged in as bob", "logged in now:", "  alice", "  carol", "  bob"});
  alice->process().write_stdin("quit\n");
  alice->expect_exit(0, {"registered as alice", "logged in as alice", "logged in now:", "  alice", "  carol"});
}

TEST(Programs, AMalformedRequestGetsTheReasonAndDisconnectsNobody) {
  Server server;
  std::optional<Program> alice, bob;
  if (!start_client(server, alice, 1) || !start_client(server, bob, 2)) return;
  if (!log_in(*alice, "alice") || !log_in(*bob, "bob")) return;

  // Client 3 sends what the client program never would.
  const auto port = static_cast<std::uint16_t>(std::stoi(server.port()));
  netlab::EventLoop loop;
  EXPECT_EQ(netlab::testing::round_trip(loop, port, "HELLO"),
            "ERROR unknown request \"HELLO\": the requests are REGISTER <name>, LOGIN <name> and WHO")
      << "a client sent \"HELLO\"";
  if (!server.expect_line("client 3 left")) return;

  alice->process().write_stdin("who\nquit\n");
  alice->expect_exit(0, {"registered as alice", "logged in as alice", "logged in now:", "  alice", "  bob"});
  bob->process().write_stdin("who\nquit\n");
  bob->expect_exit(0, {"registered as bob", "logged in as bob", "logged in now:", "  bob"});
}

}  // namespace
