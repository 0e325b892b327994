// hello: the client's logic. Write your code between the markers below;
// hello.hpp says what to do. The rest of this file stays as it is.

#include <iostream>

#include "hello.hpp"

namespace hello {

netlab::Task<void> client_logic(netlab::Client& client) {
  // *** start ***
  (void)client;  // says "not used yet"; delete this line when you use client
  co_return;
  // *** end ***
}

}  // namespace hello
