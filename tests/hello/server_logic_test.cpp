// hello: tests of on_connect alone, with a mock server.

#include "stage_test.hpp"
#include "hello.hpp"

namespace {

TEST(OnConnect, SendsHelloWorldThenDisconnects) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  expect_server_run(server, "on_connect", "saw client 1 connect", hello::on_connect(server, ClientId{1}),
                    {send("Hello World!", ClientId{1}), disconnect(ClientId{1})});
}

TEST(OnConnect, GreetsTheClientThatConnected) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server_run(server, "on_connect", "saw client 3 connect", hello::on_connect(server, ClientId{3}),
                    {send("Hello World!", ClientId{3}), disconnect(ClientId{3})},
                    "the greeting goes to the client on_connect is called for, and only that client is disconnected");
}

TEST(OnConnect, GreetsEachClientInTurn) {
  MockServer server;
  for (const ClientId client : {ClientId{1}, ClientId{2}}) {
    server.connect_clients({client});
    expect_server_run(server, "on_connect", "saw " + netlab::to_string(client) + " connect",
                      hello::on_connect(server, client), {send("Hello World!", client), disconnect(client)});
  }
}

}  // namespace
