// registry: the client's logic. Write your code between the markers below;
// registry.hpp says what to do. The rest of this file stays as it is.

#include <iostream>
#include <string>

#include "registry.hpp"

namespace registry {

netlab::Task<void> ask_to_register(netlab::Client& client, std::string name) {
  // *** start ***
  if (name.empty()) {
    std::cout << kEmptyNameNotSent << std::endl;
    co_return;
  }
  co_await client.send_message(format_register(name));
  auto reply = co_await client.receive_message();
  if (reply) std::cout << describe_reply(*reply) << std::endl;
  // *** end ***
}

netlab::Task<void> ask_to_log_in(netlab::Client& client, std::string name) {
  // *** start ***
  if (name.empty()) {
    std::cout << kEmptyNameNotSent << std::endl;
    co_return;
  }
  co_await client.send_message(format_login(name));
  auto reply = co_await client.receive_message();
  if (reply) std::cout << describe_reply(*reply) << std::endl;
  // *** end ***
}

netlab::Task<void> ask_who(netlab::Client& client) {
  // *** start ***
  co_await client.send_message(kWho);
  auto reply = co_await client.receive_message();
  if (reply) std::cout << describe_reply(*reply) << std::endl;
  // *** end ***
}

}  // namespace registry
