#pragma once
// TcpClient: a Client over TCP, on libuv (https://docs.libuv.org/en/v1.x/tcp.html).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "netlab/client.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/options.hpp"

namespace netlab {

namespace detail {
class Connection;
}

class TcpClient final : public Client {
 public:
  // Connects to `host` (a name, or an IPv4 or IPv6 literal) at `port`, trying
  // each of its addresses in turn. Throws netlab::Error with advice when the
  // host is not found, nobody listens there, or it cannot be reached in time.
  static Task<std::unique_ptr<TcpClient>> connect(EventLoop& loop, std::string host, std::uint16_t port,
                                                  ConnectionOptions options = {});

  // Closes the connection at once if close() was not awaited.
  ~TcpClient() override;
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;

  Task<void> send_message(std::string_view text) override;
  Task<std::optional<std::string>> receive_message() override;
  Task<void> close() override;

  // Closes at once, dropping whatever is still queued; a waiting
  // receive_message() returns nothing.
  void abort();

  // The server's address, e.g. "127.0.0.1:5000".
  [[nodiscard]] const std::string& peer_address() const;

 private:
  explicit TcpClient(std::shared_ptr<detail::Connection> connection);
  Task<std::optional<std::string>> wait_for_message();
  std::shared_ptr<detail::Connection> connection_;
};

}  // namespace netlab
