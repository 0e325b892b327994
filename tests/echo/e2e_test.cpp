// echo: end-to-end tests. They start the real server and client programs on a
// free port of the loopback interface and check what they print; the replies
// expected are changed(...) of the messages sent, whatever your change is.

#include <string>
#include <vector>

#include "echo.hpp"
#include "stage_test.hpp"

namespace {

TEST(Programs, ClientPrintsAReplyForEachLine) {
  Server server;
  Program client("client", {"--port", server.port()});
  client.process().write_stdin("Hello\nnetlab\n");
  client.process().close_stdin();  // the end of input, as Ctrl-D or the end of a file
  if (!client.expect_exit(0, {echo::changed("Hello"), echo::changed("netlab")})) return;
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, CountSendsNumberedMessages) {
  Server server;
  Program client("client", {"--port", server.port(), "--count", "3"});
  client.expect_exit(0, {echo::changed(echo::numbered_message(1)), echo::changed(echo::numbered_message(2)),
                         echo::changed(echo::numbered_message(3))});
}

TEST(Programs, ServerServesOneClientAfterAnother) {
  Server server;
  for (int client_number = 1; client_number <= 3; ++client_number) {
    Program client("client", {"--port", server.port(), "--count", "2"});
    if (!client.expect_exit(0, {echo::changed(echo::numbered_message(1)), echo::changed(echo::numbered_message(2))})) {
      return;
    }
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
      const std::string text = std::string(round) + " message of client " + std::to_string(i + 1);
      clients[i]->process().write_stdin(text + "\n");
      if (!clients[i]->expect_line(echo::changed(text))) return;
      replies[i].push_back(echo::changed(text));
    }
  }
  for (std::size_t i = 0; i < clients.size(); ++i) {
    clients[i]->process().close_stdin();
    clients[i]->expect_exit(0, replies[i]);
  }
}

}  // namespace
