// pingpong1: the client's logic. Write your code between the markers below;
// pingpong1.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "pingpong1.hpp"

namespace pingpong1 {

netlab::Task<void> client_logic(netlab::Client& client) {
  // *** start ***
  co_await client.send_message("Ping");
  auto reply = co_await client.receive_message();
  if (reply) std::cout << *reply << std::endl;
  // *** end ***
}

}  // namespace pingpong1
