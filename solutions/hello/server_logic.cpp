// hello: the server's logic. Write your code between the markers below;
// hello.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "hello.hpp"

namespace hello {

netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId client) {
  // *** start ***
  co_await server.send_message(client, kGreeting);
  std::cout << "Message sent!" << std::endl;
  server.disconnect(client);
  // *** end ***
}

}  // namespace hello
