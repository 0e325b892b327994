// hello: the client's logic. Write your code between the markers below;
// hello.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "hello.hpp"

namespace hello {

netlab::Task<void> client_logic(netlab::Client& client) {
  // *** start ***
  while (true) {
    auto message = co_await client.receive_message();
    if (!message) break;  // the server closed the connection
    std::cout << *message << std::endl;
  }
  // *** end ***
}

}  // namespace hello
