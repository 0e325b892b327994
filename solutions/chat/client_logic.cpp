// chat: the client's logic. Write your code between the markers below;
// chat.hpp says what to do. The rest of this file stays as it is.

#include <string>
#include <string_view>

#include "chat.hpp"

namespace chat {

std::string describe(std::string_view message) {
  // *** start ***
  const Incoming incoming = parse_incoming(message);
  switch (incoming.kind) {
    case Incoming::Kind::direct:
      return incoming.name + " (to you): " + incoming.text;
    case Incoming::Kind::everyone:
      return incoming.name + ": " + incoming.text;
    case Incoming::Kind::joined:
      return "* " + incoming.name + " joined";
    case Incoming::Kind::left:
      return "* " + incoming.name + " left";
    case Incoming::Kind::reply:
      return registry::describe_reply(incoming.text);
    case Incoming::Kind::unexpected:
      break;
  }
  return "unexpected message: " + incoming.text;
  // *** end ***
}

}  // namespace chat
