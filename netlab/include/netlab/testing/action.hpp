#pragma once
// What logic did through a mock, as data. The mocks record one Action per
// call; a stage test lists the Actions a rule expects and compares the two;
// describe() and ask_for() word them for failure messages, here and nowhere else:
//
//   the server received "Ping" from client 1 and sent "Ping" to client 1;
//   expected it to send "Pong" to client 1

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/server.hpp"

namespace netlab::testing {

struct Action {
  enum class Kind {
    send,            // server: send_message(peer, text); client: send_message(text), no peer
    refused_send,    // server: send_message(peer, text) to a client that is not connected (it threw)
    broadcast,       // server: broadcast(text, peer), peer being the one left out, if any
    disconnect,      // server: disconnect(peer)
    receive,         // client: receive_message() returned text
    receive_closed,  // client: receive_message() returned nothing: the server had closed
    close,           // client: close()
    threw,           // the logic ended with an exception; text is its message
  };

  Kind kind;
  std::optional<ClientId> peer;
  std::string text;

  bool operator==(const Action&) const = default;
};

// Prints describe(action): GoogleTest uses it to show an Action.
std::ostream& operator<<(std::ostream& out, const Action& action);

// The Actions a test expects, built the way a rule reads.
Action send(std::string_view text, ClientId to);  // server logic sends text to a client
Action send(std::string_view text);               // client logic sends text to the server
Action broadcast(std::string_view text, std::optional<ClientId> except = std::nullopt);
Action disconnect(ClientId id);
Action receive(std::string_view text);  // client logic waits for a message and gets text
Action receive_nothing();               // ...and learns that the server closed instead
Action close_connection();

// What was done, past tense: "sent \"Pong\" to client 1".
std::string describe(const Action& action);
// The same asked for: "send \"Pong\" to client 1".
std::string ask_for(const Action& action);

// "nothing", or the actions described and joined: "sent \"Ping\", then received \"Pong\"".
std::string describe(const std::vector<Action>& actions);
// "send nothing", or the actions asked for and joined.
std::string ask_for(const std::vector<Action>& actions);

}  // namespace netlab::testing
