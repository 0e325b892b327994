// echo: end-to-end tests. They start the real server and client programs on a
// free port of the loopback interface and read the replies the client
// prints. The change is yours, so they check what the unit tests check of
// changed(), over the wire: a reply is never the message unchanged, the same
// message gets the same reply, different messages get different replies.

#include <optional>
#include <source_location>
#include <string>
#include <vector>

#include "echo.hpp"
#include "netlab/trace.hpp"
#include "stage_test.hpp"

namespace {

// Reads the replies `client` prints to `messages`, one line each; fails the
// test and returns nothing if one does not come, or is its message unchanged.
std::optional<std::vector<std::string>> expect_replies(Program& client, const std::vector<std::string>& messages,
                                                       std::source_location where = std::source_location::current()) {
  std::vector<std::string> replies;
  for (const auto& message : messages) {
    auto reply = client.expect_next_line(where);
    if (!reply) return std::nullopt;
    if (*reply == message) {
      ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
          << client.name() << " printed " << netlab::in_quotes(*reply) << " for the message " << netlab::in_quotes(message)
          << ", the message unchanged; expected the server's changed version of it";
      return std::nullopt;
    }
    replies.push_back(*reply);
  }
  return replies;
}

// Checks that two replies differ as their messages do: equal for the same
// message, different for different ones.
void expect_related(const std::string& message1, const std::string& reply1, const std::string& message2,
                    const std::string& reply2, std::source_location where = std::source_location::current()) {
  if ((message1 == message2) == (reply1 == reply2)) return;
  ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line()))
      << "the reply to " << netlab::in_quotes(message1) << " was " << netlab::in_quotes(reply1) << " and the reply to "
      << netlab::in_quotes(message2) << " was " << netlab::in_quotes(reply2) << "; expected "
      << (message1 == message2 ? "the same reply to the same message" : "different replies to different messages");
}

std::vector<std::string> numbered_messages(int count) {
  std::vector<std::string> messages;
  for (int number = 1; number <= count; ++number) messages.push_back(echo::numbered_message(number));
  return messages;
}

TEST(Programs, ClientPrintsAReplyForEachLine) {
  Server server;
  Program client("client", {"--port", server.port()});
  const std::vector<std::string> messages = {"Hello", "netlab", "Hello"};
  client.process().write_stdin("Hello\nnetlab\nHello\n");
  client.process().close_stdin();  // the end of input, as Ctrl-D or the end of a file
  const auto replies = expect_replies(client, messages);
  if (!replies) return;
  expect_related(messages[0], (*replies)[0], messages[1], (*replies)[1]);
  expect_related(messages[0], (*replies)[0], messages[2], (*replies)[2]);
  if (!client.expect_exit(0, *replies)) return;
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, CountSendsNumberedMessages) {
  Server server;
  Program client("client", {"--port", server.port(), "--count", "3"});
  const auto messages = numbered_messages(3);
  const auto replies = expect_replies(client, messages);
  if (!replies) return;
  expect_related(messages[0], (*replies)[0], messages[1], (*replies)[1]);
  expect_related(messages[1], (*replies)[1], messages[2], (*replies)[2]);
  client.expect_exit(0, *replies);
}

// Each client is served to its end, then the next: the same messages get the
// same replies from one client to the next.
TEST(Programs, ServerServesOneClientAfterAnother) {
  Server server;
  const auto messages = numbered_messages(2);
  std::vector<std::string> first_replies;
  for (int client_number = 1; client_number <= 3; ++client_number) {
    Program client("client", {"--port", server.port(), "--count", "2"});
    const auto replies = expect_replies(client, messages);
    if (!replies || !client.expect_exit(0, *replies)) return;
    if (first_replies.empty()) first_replies = *replies;
    expect_related(messages[0], first_replies[0], messages[0], (*replies)[0]);
  }
}

// Three clients connected at once, taking turns: a server that served one
// client to its end before it accepted the next would leave the second waiting.
TEST(Programs, ServerServesSeveralClientsAtOnce) {
  Server server;
  Program first("client", {"--port", server.port()});
  Program second("client", {"--port", server.port()});
  Program third("client", {"--port", server.port()});
  const std::vector<Program*> clients = {&first, &second, &third};
  std::vector<std::vector<std::string>> replies(clients.size());
  for (const char* round : {"first", "second"}) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      const std::string message = std::string(round) + " message of client " + std::to_string(i + 1);
      clients[i]->process().write_stdin(message + "\n");
      const auto reply = expect_replies(*clients[i], {message});
      if (!reply) return;
      replies[i].push_back(reply->front());
    }
  }
  expect_related("first message of client 1", replies[0][0], "first message of client 2", replies[1][0]);
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i]->process().close_stdin();
    clients[i]->expect_exit(0, replies[i]);
  }
}

}  // namespace
