// echo: tests of changed and server_logic alone, with a mock server. The
// change is yours to choose, so these tests check that the reply depends on
// the message, not which change it is.

#include <source_location>
#include <string>
#include <vector>

#include "stage_test.hpp"
#include "echo.hpp"
#include "netlab/trace.hpp"

namespace {

// Different messages, none a palindrome, each with small letters and none
// another's capitals, so that reversing or upper-casing changes every one of
// them into a different reply. handouts/echo.md lists them.
const std::vector<std::string> kMessages = {"Hello",     "hello world", "netlab", "Ping",
                                            "message 1", "message 2",   "The quick brown fox"};

std::string call(const std::string& text) { return "changed(" + netlab::in_quotes(text) + ")"; }

// The reply to `text`, checked to be a change of it.
std::string changed_checked(const std::string& text, std::source_location where = std::source_location::current()) {
  std::string reply = echo::changed(text);
  if (reply == text) {
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
        << call(text) << " returned " << netlab::in_quotes(reply)
        << ", the message unchanged; expected a changed version of it";
  }
  return reply;
}

TEST(Changed, ChangesEveryMessage) {
  for (const auto& text : kMessages) changed_checked(text);
}

TEST(Changed, GivesTheSameReplyToTheSameMessage) {
  for (const auto& text : kMessages) {
    const std::string first = changed_checked(text);
    expect_returned(call(text) + ", called again,", echo::changed(text), first,
                    "the same message always gets the same reply");
  }
}

TEST(Changed, GivesDifferentRepliesToDifferentMessages) {
  for (std::size_t i = 0; i < kMessages.size(); ++i) {
    const std::string reply = changed_checked(kMessages[i]);
    for (std::size_t j = 0; j < i; ++j) {
      if (echo::changed(kMessages[j]) == reply) {
        ADD_FAILURE() << call(kMessages[i]) << " and " << call(kMessages[j]) << " both returned "
                      << netlab::in_quotes(reply) << "; expected different replies to different messages";
      }
    }
  }
}

TEST(ServerLogic, RepliesToTheSender) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server(server, echo::server_logic, {ClientId{2}, "Hello"}, {send(echo::changed("Hello"), ClientId{2})},
                "the reply is changed(message.text), and it goes back to message.from only");
}

TEST(ServerLogic, RepliesToEveryMessage) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  for (const auto& text : kMessages) {
    expect_server(server, echo::server_logic, {ClientId{1}, text}, {send(echo::changed(text), ClientId{1})},
                  "the reply is changed(message.text)");
  }
}

}  // namespace
