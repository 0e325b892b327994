// chat: tests of describe alone: what the client shows for each kind of
// message from the server.

#include "stage_test.hpp"
#include "chat.hpp"

namespace {

// Checks what chat::describe returns for `message`.
void expect_shown(const std::string& message, std::string_view shown, std::string_view why = {},
                  std::source_location where = std::source_location::current()) {
  expect_returned("describe(" + netlab::in_quotes(message) + ")",
                  chat::describe(message), shown, why, where);
}

TEST(ClientLogic, ShowsADirectMessageWithItsSender) {
  expect_shown("MSG alice hi bob", "alice (to you): hi bob");
}

TEST(ClientLogic, ShowsAMessageToEveryoneWithItsSender) {
  expect_shown("ALL alice hello all", "alice: hello all");
}

TEST(ClientLogic, ShowsWhoJoined) { expect_shown("JOINED bob", "* bob joined"); }

TEST(ClientLogic, ShowsWhoLeft) { expect_shown("LEFT bob", "* bob left"); }

TEST(ClientLogic, ShowsTheRepliesAsRegistryDescribesThem) {
  expect_shown("OK sent to bob", "sent to bob", "a reply is shown as registry::describe_reply(incoming.text)");
  expect_shown("ERROR nobody of that name is logged in", "refused: nobody of that name is logged in");
  expect_shown("USERS\nalice\nbob", "logged in now:\n  alice\n  bob");
}

TEST(ClientLogic, ShowsAnUnexpectedMessageAsSuch) {
  expect_shown("HELLO there", "unexpected message: HELLO there");
}

TEST(ClientLogic, KeepsTheTextOfAMessageAsItIs) {
  expect_shown("ALL Zoë  two  spaces: \"ok\" 🐉", "Zoë:  two  spaces: \"ok\" 🐉",
               "the text is everything after the name and one space");
}

// What another user sends must not drive your terminal: parse_incoming
// gives names and texts made visible; show them as they come from it.
TEST(ClientLogic, ControlCharactersInAMessageAreShownNotObeyed) {
  expect_shown("ALL mallory \x1b[2J\x1b]0;pwned\x07", "mallory: \\x1b[2J\\x1b]0;pwned\\x07",
               "an ANSI escape (clear the screen, set the title) is shown as text");
  expect_shown("MSG mallory over\rwritten", "mallory (to you): over\\rwritten", "\\r would overwrite the line");
  expect_shown("ALL mallory two\n* bob left", "mallory: two\\n* bob left", "a line feed would fake a line of its own");
  expect_shown("ALL mallory \xe2\x80\xae" "desrever", "mallory: \\u202edesrever",
               "a bidirectional override would reverse what follows");
  expect_shown("ALL mallory \xc2\x9b" "31m \xff", "mallory: \\u009b31m \\xff", "a C1 control; a byte that is not UTF-8");
}

TEST(ClientLogic, ControlCharactersInANameAreShownNotObeyed) {
  expect_shown("JOINED \x1b[31mroot", "* \\x1b[31mroot joined");
  expect_shown("MSG a\rb hi", "a\\rb (to you): hi");
}

}  // namespace
