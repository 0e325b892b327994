#include <gtest/gtest.h>

#include "netlab/event_loop.hpp"
#include "netlab/tcp_client.hpp"
#include "netlab/tcp_server.hpp"

using namespace netlab;

namespace {

Task<void> pong(Server& server, Message message) {
  if (message.text == "Ping") co_await server.send_message(message.from, "Pong");
}

TEST(Tcp, PingPongOverLoopback) {
  EventLoop loop;
  TcpServer server(loop, {.on_message = {"pong", pong}});
  loop.run(server.listen("127.0.0.1", 0));
  ASSERT_NE(server.port(), 0);
  auto reply = loop.run([](EventLoop& loop, std::uint16_t port) -> Task<std::optional<std::string>> {
    auto client = co_await TcpClient::connect(loop, "127.0.0.1", port);
    co_await client->send_message("Ping");
    auto reply = co_await client->receive_message();
    co_await client->close();
    co_return reply;
  }(loop, server.port()));
  EXPECT_EQ(reply, "Pong");
}

}  // namespace
