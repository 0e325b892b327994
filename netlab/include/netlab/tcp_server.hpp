#pragma once
// TcpServer: a Server over TCP, on libuv (https://docs.libuv.org/en/v1.x/tcp.html).
//
// Every client gets a session: a task that calls on_connect, then on_message
// for each of its messages in order, then on_disconnect once it has left.
// Sessions of different clients run side by side on the one loop thread. An
// exception escaping a handler is reported (which handler, which message,
// which client) and the server goes on serving.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/error.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/options.hpp"
#include "netlab/server.hpp"
#include "netlab/task_group.hpp"

namespace netlab {

namespace detail {
class Connection;
struct ConnectionGroup;
}

class TcpServer final : public Server {
 public:
  TcpServer(EventLoop& loop, ServerHandlers handlers, ConnectionOptions options = {});
  // Closes every connection at once; the sessions still running are destroyed.
  ~TcpServer() override;
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  // Binds to `host` at `port` and starts accepting clients. Port 0 picks a
  // free port: port() tells which. Throws netlab::Error with advice when the
  // port is in use, needs privileges, or the host is not an address of this machine.
  Task<void> listen(std::string host, std::uint16_t port);
  // The port listened on (the real one, also after listen(host, 0)).
  [[nodiscard]] std::uint16_t port() const;
  // The address listened on, e.g. "127.0.0.1:5000".
  [[nodiscard]] std::string address() const;

  // Stops accepting and closes every connection gracefully (what is queued is
  // sent). Completes when all are closed: within the linger time.
  Task<void> close();

  // Where errors go: a handler that threw, a connection lost. One line each,
  // without a trailing newline. The default prints to stderr.
  void set_error_reporter(std::function<void(const std::string&)> reporter);

  Task<void> send_message(ClientId to, std::string_view text) override;
  Task<void> broadcast(std::string_view text, std::optional<ClientId> except = std::nullopt) override;
  [[nodiscard]] std::vector<ClientId> clients() const override;
  void disconnect(ClientId id) override;
  [[nodiscard]] std::string peer_address(ClientId id) const override;

 private:
  void accept();
  // What a broadcast waits for: the end of the turn if the log is full, then
  // the clients still over the high-water mark.
  Task<void> wait_after_broadcast();
  Task<void> session(std::shared_ptr<detail::Connection> connection, ClientId id);
  void report_lost(ClientId id, const detail::Connection& connection, const Error& failure);
  class Excerpt;
  // Reports an exception escaping on_message; called in the catch block.
  void report_handler_error(const Excerpt& message, ClientId from, const detail::Connection& connection);
  Task<void> call_client_handler(const ClientHandler& handler, ClientId id, const detail::Connection& connection);
  // The connection of `id`. It lives until its close callback, which runs on
  // a later loop turn, so the reference is good for the call at hand.
  detail::Connection& find(ClientId id, const char* action) const;

  EventLoop& loop_;
  ServerHandlers handlers_;
  std::shared_ptr<detail::ConnectionGroup> group_;  // the options, and the broadcast log
  detail::UvHandle<uv_tcp_t> listener_;
  std::map<ClientId, std::shared_ptr<detail::Connection>> connections_;
  std::uint64_t next_id_ = 1;
  std::function<void(const std::string&)> report_;
  // Broadcast messages are stored once, in the group's log; every client is
  // caught up with it just before the loop polls, or sooner, before anything
  // else is queued for it or it closes.
  class Broadcasts;
  std::unique_ptr<Broadcasts> broadcasts_;
  TaskGroup sessions_;  // last: destroyed first, before the connections they use
};

}  // namespace netlab
