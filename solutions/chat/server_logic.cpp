// chat: the server's logic. Write your code between the markers below;
// chat.hpp says what to do. The rest of this file stays as it is.

#include <optional>
#include <string>

#include "chat.hpp"

namespace chat {

netlab::Task<void> send_direct(netlab::Server& server, const Registry& users, netlab::ClientId from, std::string to,
                               std::string text) {
  // *** start ***
  if (!users.is_logged_in(from)) {
    co_await server.send_message(from, format_error(kLogInFirst));
    co_return;
  }
  const std::optional<netlab::ClientId> recipient = logged_in_client_named(server, users, to);
  if (!recipient) {
    co_await server.send_message(from, format_error(kNobodyOfThatName));
    co_return;
  }
  co_await server.send_message(*recipient, format_direct(*users.name_of(from), text));
  co_await server.send_message(from, format_sent_to(*users.name_of(*recipient)));
  // *** end ***
}

netlab::Task<void> send_to_everyone(netlab::Server& server, const Registry& users, netlab::ClientId from,
                                    std::string text) {
  // *** start ***
  if (!users.is_logged_in(from)) {
    co_await server.send_message(from, format_error(kLogInFirst));
    co_return;
  }
  const std::string delivery = format_to_everyone(*users.name_of(from), text);
  for (const netlab::ClientId client : logged_in_clients(server, users)) {
    if (client != from) co_await server.send_message(client, delivery);
  }
  co_await server.send_message(from, kSentToEveryone);
  // *** end ***
}

netlab::Task<void> announce_join(netlab::Server& server, const Registry& users, netlab::ClientId client) {
  // *** start ***
  const std::string announcement = format_joined(*users.name_of(client));
  for (const netlab::ClientId other : logged_in_clients(server, users)) {
    if (other != client) co_await server.send_message(other, announcement);
  }
  // *** end ***
}

netlab::Task<void> announce_leave(netlab::Server& server, const Registry& users, netlab::ClientId client) {
  // *** start ***
  if (!users.is_logged_in(client)) co_return;
  const std::string announcement = format_left(*users.name_of(client));
  for (const netlab::ClientId other : logged_in_clients(server, users)) {
    co_await server.send_message(other, announcement);
  }
  // *** end ***
}

}  // namespace chat
