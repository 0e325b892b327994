// chat: end-to-end tests. They start the real server and clients on a free
// port of the loopback interface, type commands into the clients' stdin, and
// check what they print. Each client is started once the server has
// announced the one before, so that client ids are known.

#include <termios.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "netlab/event_loop.hpp"
#include "netlab/framing.hpp"
#include "netlab/testing/raw_peer.hpp"
#include "netlab/testing/round_trip.hpp"
#include "stage_test.hpp"

namespace {

// Starts a client and waits until the server has seen it connect as `id`.
bool start_client(Server& server, std::optional<Program>& client, int id) {
  client.emplace("client", std::vector<std::string>{"--port", server.port()});
  return server.expect_line("client " + std::to_string(id) + " connected");
}

// Types `/register <name>` and `/login <name>` into `client`, waits until it
// is logged in, and until each of `others` has heard that it joined.
bool log_in(Program& client, const std::string& name, const std::vector<Program*>& others = {}) {
  client.process().write_stdin("/register " + name + "\n/login " + name + "\n");
  if (!client.expect_line("logged in as " + name)) return false;
  for (Program* other : others) {
    if (!other->expect_line("* " + name + " joined")) return false;
  }
  return true;
}

// Starts alice, bob and carol (clients 1 to 3) and logs them in.
bool three_logged_in(Server& server, std::optional<Program>& alice, std::optional<Program>& bob,
                     std::optional<Program>& carol) {
  return start_client(server, alice, 1) && start_client(server, bob, 2) && start_client(server, carol, 3) &&
         log_in(*alice, "alice") && log_in(*bob, "bob", {&*alice}) && log_in(*carol, "carol", {&*alice, &*bob});
}

TEST(Programs, ThreeClientsTalkDirectlyAndToEveryone) {
  Server server;
  std::optional<Program> alice, bob, carol;
  if (!three_logged_in(server, alice, bob, carol)) return;

  alice->process().write_stdin("/msg bob hi bob\n");
  if (!bob->expect_line("alice (to you): hi bob") || !alice->expect_line("sent to bob")) return;
  bob->process().write_stdin("hello everyone\n");
  if (!alice->expect_line("bob: hello everyone") || !carol->expect_line("bob: hello everyone") ||
      !bob->expect_line("sent to everyone")) {
    return;
  }
  carol->process().write_stdin("/msg dave hi\n/quit\n");
  if (!carol->expect_exit(0, {"registered as carol", "logged in as carol", "bob: hello everyone",
                              "refused: nobody of that name is logged in"})) {
    return;
  }
  if (!alice->expect_line("* carol left") || !bob->expect_line("* carol left")) return;
  alice->process().write_stdin("/quit\n");
  if (!alice->expect_exit(0, {"registered as alice", "logged in as alice", "* bob joined", "* carol joined",
                              "sent to bob", "bob: hello everyone", "* carol left"})) {
    return;
  }
  if (!bob->expect_line("* alice left")) return;
  bob->process().write_stdin("/quit\n");
  bob->expect_exit(0, {"registered as bob", "logged in as bob", "* carol joined", "alice (to you): hi bob",
                       "sent to everyone", "* carol left", "* alice left"});
}

TEST(Programs, WhatIsOutOfOrderIsRefusedWithTheReason) {
  Server server;
  Program client("client", {"--port", server.port()});
  // Commands the client itself refuses answer at once; the server's replies come as they arrive.
  client.process().write_stdin("/frobnicate\n/msg bob\n");
  if (!client.expect_line("not sent: /msg needs a name and a text")) return;
  client.process().write_stdin("/msg bob hi\nhello?\n/register alice\n/login alice\n/msg bob hi\n/who\n/quit\n");
  client.expect_exit(0, {"unknown command \"/frobnicate\"; /help lists the commands",
                         "not sent: /msg needs a name and a text: /msg NAME TEXT",
                         "refused: log in before sending messages", "refused: log in before sending messages",
                         "registered as alice", "logged in as alice", "refused: nobody of that name is logged in",
                         "logged in now:", "  alice"});
}

TEST(Programs, AClientKilledMidConversationIsAnnouncedAsLeaving) {
  Server server;
  std::optional<Program> alice, bob, carol;
  if (!three_logged_in(server, alice, bob, carol)) return;
  bob->process().write_stdin("hello, and\n");
  if (!alice->expect_line("bob: hello, and")) return;

  bob->process().send_signal(SIGKILL);  // no goodbye: the connection is simply gone
  if (!server.expect_line("client 2 left") || !alice->expect_line("* bob left") ||
      !carol->expect_line("* bob left")) {
    return;
  }
  alice->process().write_stdin("/msg bob are you there?\n");
  if (!alice->expect_line("refused: nobody of that name is logged in")) return;
  carol->process().write_stdin("still here\n");
  alice->expect_line("carol: still here");
}

TEST(Programs, CtrlCOnAClientLeavesCleanly) {
  Server server;
  std::optional<Program> alice, bob, carol;
  if (!three_logged_in(server, alice, bob, carol)) return;
  if (!bob->expect_stops(netlab::kExitInterrupted)) return;
  if (!alice->expect_line("* bob left") || !carol->expect_line("* bob left")) return;
  alice->process().write_stdin("/who\n");
  if (!alice->expect_line("logged in now:")) return;
  alice->expect_line("  carol");
}

TEST(Programs, CtrlCOnTheServerEndsEveryClient) {
  Server server;
  std::optional<Program> alice, bob, carol;
  if (!three_logged_in(server, alice, bob, carol)) return;
  if (!server.expect_stops(0)) return;
  // The server closed every connection as it stopped: each client hears it
  // at once, says so and exits, typing in the middle of a line or not. (On
  // loopback that takes milliseconds; the deadline is generous so that a
  // loaded grading machine costs nobody a point. A client that waits only at
  // the keyboard never exits, and fails.)
  for (Program* client : {&*alice, &*bob, &*carol}) {
    const auto status = client->process().wait(std::chrono::seconds(5));
    EXPECT_EQ(status, kExitServerClosed) << client->name() << " did not exit within 5 s of the server's Ctrl-C with "
                                         << "status " << kExitServerClosed << "; it printed "
                                         << netlab::in_quotes(client->process().output()) << " and "
                                         << netlab::in_quotes(client->process().errors());
    EXPECT_NE(client->process().errors().find("the server closed the connection"), std::string::npos)
        << client->name() << " printed " << netlab::in_quotes(client->process().errors());
  }
}

TEST(Programs, AMessageArrivingWhileYouTypeKeepsYourLine) {
  Server server;
  Program alice("client", {"--port", server.port()}, netlab::testing::Process::Stdio::terminal);
  std::optional<Program> bob;
  if (!server.expect_line("client 1 connected") || !start_client(server, bob, 2)) return;
  if (!log_in(alice, "alice") || !log_in(*bob, "bob", {&alice})) return;

  alice.process().write_stdin("hel");  // half a line, no Enter yet
  bob->process().write_stdin("hi alice\n");
  if (!alice.expect_line("bob: hi alice")) return;
  alice.process().write_stdin("lo\n");
  if (!bob->expect_line("alice: hello")) return;  // the line went whole, as typed in two halves
  // Alice's terminal output is read apart from bob's: wait until the line she
  // finished typing is on her screen before reading it.
  if (!alice.expect_line("> hello")) return;
  const std::string& screen = alice.process().output();
  EXPECT_NE(screen.find("\r\x1b[Kbob: hi alice\r\n> hel"), std::string::npos)
      << "bob's message should clear the line being typed, show itself, and give the line back below it "
         "(\"> hel\"); the terminal showed " << netlab::in_quotes(screen);

  if (!alice.expect_stops(netlab::kExitInterrupted)) return;
  termios settings{};
  ASSERT_EQ(tcgetattr(alice.process().terminal(), &settings), 0);
  EXPECT_TRUE((settings.c_lflag & ICANON) && (settings.c_lflag & ECHO))
      << "after the client ended, its terminal should edit and echo lines again";
}

TEST(Programs, ControlCharactersFromAnotherUserAreShownNotObeyed) {
  Server server;
  std::optional<Program> alice;
  if (!start_client(server, alice, 1) || !log_in(*alice, "alice")) return;
  const auto port = static_cast<std::uint16_t>(std::stoi(server.port()));

  // Client 2 sends what the client program never would.
  netlab::testing::RawPeer mallory(port);
  mallory.send(netlab::encode_frame("REGISTER mallory") + netlab::encode_frame("LOGIN mallory") +
               netlab::encode_frame("ALL \x1b[2J\x1b]0;pwned\x07") +
               netlab::encode_frame("MSG alice over\rwritten\n* bob left") +
               netlab::encode_frame("ALL \xe2\x80\xae" "desrever \xc2\x9b" "31m \xff"));
  if (!alice->expect_line("* mallory joined") || !alice->expect_line("mallory: \\x1b[2J\\x1b]0;pwned\\x07") ||
      !alice->expect_line("mallory (to you): over\\rwritten\\n* bob left") ||
      !alice->expect_line("mallory: \\u202edesrever \\u009b31m \\xff")) {
    return;
  }
  const std::string& shown = alice->process().output();
  for (const std::string_view raw : {"\x1b", "\r", "\x07", "\xe2\x80\xae", "\xc2\x9b", "\xff"}) {
    EXPECT_EQ(shown.find(raw), std::string::npos)
        << "alice's client printed " << netlab::in_quotes(raw) << " as it is: " << netlab::in_quotes(shown);
  }

  // A name cannot carry them in the first place, and a malformed request gets its reason.
  netlab::EventLoop loop;
  EXPECT_EQ(netlab::testing::round_trip(loop, port, "REGISTER \x1b[31mroot"),
            "ERROR a name cannot contain control characters (U+001B, character 1)");
  EXPECT_EQ(netlab::testing::round_trip(loop, port, "MSG alice"),
            "ERROR MSG needs a name and a text: MSG <name> <text>");
  alice->process().write_stdin("/who\n");
  alice->expect_line("  mallory");
}

}  // namespace
