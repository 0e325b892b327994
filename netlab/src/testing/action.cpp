#include "netlab/testing/action.hpp"

#include "netlab/trace.hpp"

namespace netlab::testing {

namespace {

using Kind = Action::Kind;

std::string everyone_but(const std::optional<ClientId>& except) {
  return except ? "everyone except " + to_string(*except) : "everyone";
}

template <typename Word>
std::string join(const std::vector<Action>& actions, Word word) {
  std::string joined;
  for (const auto& action : actions) joined += (joined.empty() ? "" : ", then ") + word(action);
  return joined;
}

}  // namespace

Action send(std::string_view text, ClientId to) { return {Kind::send, to, std::string(text)}; }
Action send(std::string_view text) { return {Kind::send, std::nullopt, std::string(text)}; }
Action broadcast(std::string_view text, std::optional<ClientId> except) {
  return {Kind::broadcast, except, std::string(text)};
}
Action disconnect(ClientId id) { return {Kind::disconnect, id, {}}; }
Action receive(std::string_view text) { return {Kind::receive, std::nullopt, std::string(text)}; }
Action receive_nothing() { return {Kind::receive_closed, std::nullopt, {}}; }
Action close_connection() { return {Kind::close, std::nullopt, {}}; }

std::string describe(const Action& action) {
  switch (action.kind) {
    case Kind::send:
      return "sent " + in_quotes(action.text) + (action.peer ? " to " + to_string(*action.peer) : "");
    case Kind::refused_send:
      return "tried to send " + in_quotes(action.text) + " to " + to_string(*action.peer) + ", who is not connected";
    case Kind::broadcast:
      return "broadcast " + in_quotes(action.text) + " to " + everyone_but(action.peer);
    case Kind::disconnect:
      return "disconnected " + to_string(*action.peer);
    case Kind::receive:
      return "received " + in_quotes(action.text);
    case Kind::receive_closed:
      return "received nothing (the server had closed)";
    case Kind::close:
      return "closed the connection";
    case Kind::threw:
      return "threw an exception: " + action.text;
  }
  return "did something unknown";
}

std::string ask_for(const Action& action) {
  switch (action.kind) {
    case Kind::send:
      return "send " + in_quotes(action.text) + " to " + (action.peer ? to_string(*action.peer) : "the server");
    case Kind::refused_send:
      return "send " + in_quotes(action.text) + " to " + to_string(*action.peer);
    case Kind::broadcast:
      return "broadcast " + in_quotes(action.text) + " to " + everyone_but(action.peer);
    case Kind::disconnect:
      return "disconnect " + to_string(*action.peer);
    case Kind::receive:
    case Kind::receive_closed:
      return "wait for the reply with receive_message()";
    case Kind::close:
      return "close the connection";
    case Kind::threw:
      return "throw an exception: " + action.text;
  }
  return "do something unknown";
}

std::ostream& operator<<(std::ostream& out, const Action& action) { return out << describe(action); }

std::string describe(const std::vector<Action>& actions) {
  return actions.empty() ? "nothing" : join(actions, [](const Action& action) { return describe(action); });
}

std::string ask_for(const std::vector<Action>& actions) {
  return actions.empty() ? "send nothing" : join(actions, [](const Action& action) { return ask_for(action); });
}

}  // namespace netlab::testing
