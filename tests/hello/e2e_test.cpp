// hello: end-to-end tests. They start the real server and client programs
// on a free port of the loopback interface and check what they print.

#include "stage_test.hpp"

namespace {

TEST(Programs, ClientPrintsHelloWorld) {
  Server server;
  Program client("client", {"--port", server.port()});
  if (!client.expect_exit(0, {"Hello World!"})) return;
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

// "Waiting for connection..." and "Connection request accepted!" come from the
// server program; "Message sent!" from on_connect.
TEST(Programs, ServerPrintsEachStep) {
  Server server;
  if (!server.expect_line("Waiting for connection...")) return;
  Program client("client", {"--port", server.port()});
  if (!server.expect_line("Connection request accepted!")) return;
  if (!server.expect_line("Message sent!")) return;
  server.expect_line("Waiting for connection...");
  client.expect_exit(0, {"Hello World!"});
}

TEST(Programs, ServerKeepsAcceptingAfterAClientLeaves) {
  Server server;
  for (int client_number = 1; client_number <= 3; ++client_number) {
    Program client("client", {"--port", server.port()});
    if (!client.expect_exit(0, {"Hello World!"})) return;
  }
}

TEST(Programs, ServerGreetsSeveralClientsAtOnce) {
  Server server;
  Program first("client", {"--port", server.port()});
  Program second("client", {"--port", server.port()});
  Program third("client", {"--port", server.port()});
  first.expect_exit(0, {"Hello World!"});
  second.expect_exit(0, {"Hello World!"});
  third.expect_exit(0, {"Hello World!"});
}

}  // namespace
