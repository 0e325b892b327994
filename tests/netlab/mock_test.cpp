// netlab::testing: what the mocks do by default.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "netlab/error.hpp"
#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"

namespace netlab::testing {
namespace {

Task<void> reply_to_everyone(Server& server, Message message) {
  for (ClientId id : server.clients()) co_await server.send_message(id, "re: " + message.text);
  co_await server.broadcast("done", message.from);
  server.disconnect(message.from);
}

TEST(MockServer, CallsCompleteAtOnceAndAreRecorded) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}});
  EXPECT_CALL(server, send_message(ClientId{1}, "re: hi"));
  EXPECT_CALL(server, send_message(ClientId{2}, "re: hi"));
  EXPECT_CALL(server, broadcast("done", std::optional<ClientId>{ClientId{1}}));
  EXPECT_CALL(server, disconnect(ClientId{1}));
  EXPECT_CALL(server, clients()).Times(::testing::AnyNumber());
  run_sync(reply_to_everyone(server, {ClientId{1}, "hi"}));
  EXPECT_EQ(server.history(), (std::vector<Action>{send("re: hi", ClientId{1}), send("re: hi", ClientId{2}),
                                                  broadcast("done", ClientId{1}), disconnect(ClientId{1})}));
  EXPECT_EQ(describe(server.history()),
            "sent \"re: hi\" to client 1, then sent \"re: hi\" to client 2, then broadcast \"done\" to everyone "
            "except client 1, then disconnected client 1");
  EXPECT_EQ(server.clients(), std::vector<ClientId>{ClientId{2}}) << "disconnect removes the client";
}

TEST(MockServer, NothingDoneReadsAsNothing) {
  ::testing::NiceMock<MockServer> server;
  EXPECT_EQ(describe(server.history()), "nothing");
  EXPECT_EQ(server.peer_address(ClientId{3}), "127.0.0.1:40003");
}

TEST(MockServer, SendingToAClientThatIsNotConnectedThrowsLikeTcpServer) {
  ::testing::NiceMock<MockServer> server;
  server.connect_clients({ClientId{1}});
  auto send_to_two = [](Server& server) -> Task<void> { co_await server.send_message(ClientId{2}, "hi"); };
  try {
    run_sync(send_to_two(server));
    FAIL() << "the mock took a send to a client that is not connected";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("cannot send to client 2: that client has left"));
  }
  EXPECT_EQ(describe(server.history()), "tried to send \"hi\" to client 2, who is not connected");
  EXPECT_THROW((void)server.peer_address(ClientId{2}), Error);
}

Task<std::vector<std::string>> read_all(Client& client) {
  std::vector<std::string> received;
  co_await client.send_message("Ping");
  while (auto message = co_await client.receive_message()) received.push_back(*message);
  co_await client.close();
  co_return received;
}

TEST(MockClient, ReceivesTheScriptThenNothing) {
  ::testing::NiceMock<MockClient> client;
  client.will_receive({"Pong", "again"});
  EXPECT_EQ(run_sync(read_all(client)), (std::vector<std::string>{"Pong", "again"}));
  EXPECT_EQ(client.unread(), 0u);
  EXPECT_EQ(describe(client.history()),
            "sent \"Ping\", then received \"Pong\", then received \"again\", then received nothing (the server had "
            "closed), then closed the connection");
}

}  // namespace
}  // namespace netlab::testing
