#include "netlab/testing/round_trip.hpp"

#include "netlab/tcp_client.hpp"

namespace netlab::testing {

namespace {

Task<std::optional<std::string>> converse(EventLoop& loop, std::uint16_t port, std::string text,
                                          ConnectionOptions options) {
  auto client = co_await TcpClient::connect(loop, "127.0.0.1", port, options);
  co_await client->send_message(text);
  auto reply = co_await client->receive_message();
  co_await client->close();
  co_return reply;
}

}  // namespace

std::optional<std::string> round_trip(EventLoop& loop, std::uint16_t port, std::string_view text,
                                      ConnectionOptions options) {
  return loop.run(converse(loop, port, std::string(text), options));
}

}  // namespace netlab::testing
