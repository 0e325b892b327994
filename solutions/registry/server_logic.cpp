// registry: the server's logic. Write your code between the markers below;
// registry.hpp says what to do. The rest of this file stays as it is.

#include <optional>
#include <string>

#include "registry.hpp"

namespace registry {

netlab::Task<void> server_logic(netlab::Server& server, Registry& registry, netlab::Message message) {
  // *** start ***
  const Request request = parse_request(message.text);
  const netlab::ClientId from = message.from;
  const std::optional<std::string> my_name = registry.name_of(from);
  std::string reply;

  switch (request.kind) {
    case Request::Kind::malformed:
      reply = format_error(request.problem);
      break;
    case Request::Kind::register_name:
      if (my_name) {
        reply = format_error(kAlreadyRegistered);
      } else if (registry.is_taken(request.name)) {
        reply = format_error(kNameTaken);
      } else {
        registry.register_name(from, request.name);
        reply = format_registered(request.name);
      }
      break;
    case Request::Kind::log_in:
      if (!my_name) {
        reply = format_error(kRegisterFirst);
      } else if (registry.is_logged_in(from)) {
        reply = format_error(kAlreadyLoggedIn);
      } else if (!same_name(*my_name, request.name)) {
        reply = format_error(kNotYourName);
      } else {
        registry.log_in(from);
        reply = format_logged_in(*my_name);
      }
      break;
    case Request::Kind::who:
      reply = registry.is_logged_in(from) ? format_users(registry.logged_in_names()) : format_error(kLogInFirst);
      break;
  }
  co_await server.send_message(from, reply);
  // *** end ***
}

}  // namespace registry
