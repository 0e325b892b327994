// registry: the client's logic. Write your code between the markers below;
// registry.hpp says what to do. The rest of this file stays as it is.

#include <iostream>
#include <string>

#include "registry.hpp"

namespace registry {

netlab::Task<void> ask_to_register(netlab::Client& client, std::string name) {
  // *** start ***
  (void)client;  // says "not used yet"; delete these lines when you use them
  (void)name;
  co_return;
  // *** end ***
}

netlab::Task<void> ask_to_log_in(netlab::Client& client, std::string name) {
  // *** start ***
  (void)client;
  (void)name;
  co_return;
  // *** end ***
}

netlab::Task<void> ask_who(netlab::Client& client) {
  // *** start ***
  (void)client;
  co_return;
  // *** end ***
}

}  // namespace registry
