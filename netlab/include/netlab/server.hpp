#pragma once
// Server: the clients connected to one server, as server logic sees it.
//
// TcpServer implements it over the network; netlab::testing::MockServer
// implements it for tests of the logic alone.

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netlab/task.hpp"

namespace netlab {

// Names one connected client. Ids count from 1 in the order clients connect,
// and are never reused while the server runs.
struct ClientId {
  std::uint64_t value = 0;
  auto operator<=>(const ClientId&) const = default;
};

// "client 3": how messages, traces and test failures name a client.
std::string to_string(ClientId id);
std::ostream& operator<<(std::ostream& out, ClientId id);

// The error for a call naming a client that is not connected, e.g.
// client_left(ClientId{3}, "send to"): "cannot send to client 3: that client has left ...".
class Error;
Error client_left(ClientId id, std::string_view action);

// One message received by the server.
struct Message {
  // A constructor rather than an aggregate: GCC 12 miscompiles an aggregate
  // temporary with a std::string inside a co_await expression (a double free).
  Message(ClientId from, std::string text) : from(from), text(std::move(text)) {}
  bool operator==(const Message&) const = default;

  ClientId from;     // who sent it
  std::string text;  // what they sent
};

class Server {
 public:
  virtual ~Server() = default;

  // Sends `text` to one client: copied into that client's outgoing queue
  // during the call, and awaiting it completes at once unless a lot is
  // already waiting to go to that client.
  // Throws netlab::Error if that client has left.
  virtual Task<void> send_message(ClientId to, std::string_view text) = 0;

  // Sends `text` to every connected client, except `except` if given.
  virtual Task<void> broadcast(std::string_view text, std::optional<ClientId> except = std::nullopt) = 0;

  // The clients connected now, in the order they connected: not one that
  // has left, nor one being disconnected (disconnect(), or the server stopping).
  [[nodiscard]] virtual std::vector<ClientId> clients() const = 0;

  // Sends what is queued for `id`, then closes its connection. Disconnecting
  // a client that has already left does nothing.
  virtual void disconnect(ClientId id) = 0;

  // Where `id` connects from, e.g. "127.0.0.1:53122" or "[::1]:53122".
  // Throws netlab::Error if that client has left.
  [[nodiscard]] virtual std::string peer_address(ClientId id) const = 0;
};

// What a stage's server logic looks like. A logic function carries its name,
// so that an error escaping it can say where it came from.
template <typename Function>
struct Named {
  std::string name;
  Function function;
  explicit operator bool() const noexcept { return static_cast<bool>(function); }
};

// Called for every message a client sends, one message of a client at a time.
using MessageHandler = Named<std::function<Task<void>(Server&, Message)>>;
// Called when a client connects (before its first message) or has left.
using ClientHandler = Named<std::function<Task<void>(Server&, ClientId)>>;

struct ServerHandlers {
  MessageHandler on_message;
  ClientHandler on_connect = {};     // optional
  ClientHandler on_disconnect = {};  // optional
};

}  // namespace netlab

template <>
struct std::hash<netlab::ClientId> {
  std::size_t operator()(netlab::ClientId id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};
