// pingpong2: the clients' logic. Write your code between the markers below;
// pingpong2.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "pingpong2.hpp"

namespace pingpong2 {

netlab::Task<void> client1_logic(netlab::Client& client) {
  // *** start ***
  co_await client.send_message("Ping");
  auto reply = co_await client.receive_message();
  if (reply) std::cout << *reply << std::endl;
  // *** end ***
}

netlab::Task<void> client2_logic(netlab::Client& client, std::string message) {
  // *** start ***
  if (message == "Ping") {
    co_await client.send_message("Pong");
  }
  // *** end ***
}

}  // namespace pingpong2
