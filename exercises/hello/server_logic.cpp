// hello: the server's logic. Write your code between the markers below;
// hello.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "hello.hpp"

namespace hello {

netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId client) {
  // *** start ***
  (void)server;  // says "not used yet"; delete these lines when you use them
  (void)client;
  co_return;
  // *** end ***
}

}  // namespace hello
