// echo: the client's logic. Write your code between the markers below;
// echo.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "echo.hpp"

namespace echo {

netlab::Task<void> client_logic(netlab::Client& client, std::string line) {
  // *** start ***
  co_await client.send_message(line);
  auto reply = co_await client.receive_message();
  if (reply) std::cout << *reply << std::endl;
  // *** end ***
}

}  // namespace echo
