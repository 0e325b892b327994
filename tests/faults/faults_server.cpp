// A server for the process-level fault tests, written as a student would: it
// echoes every message to its sender, and its logic has bugs on purpose:
// "throw" and "throw-int" throw; "crash-index", "crash-optional",
// "crash-null" and "crash-terminate" crash the way student logic does.

#include <exception>
#include <optional>
#include <stdexcept>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message) {
  if (message.text == "throw") throw std::runtime_error("the logic failed on purpose");
  if (message.text == "throw-int") throw 42;
  if (message.text == "crash-index") {
    const auto clients = server.clients();
    co_await server.send_message(clients[clients.size() + 1], "the third client");
  }
  if (message.text == "crash-optional") {
    const std::optional<std::string> nothing;
    co_await server.send_message(message.from, *nothing);
  }
  if (message.text == "crash-null") {
    volatile int* nowhere = nullptr;
    co_await server.send_message(message.from, std::to_string(*nowhere));
  }
  if (message.text == "crash-terminate") std::terminate();
  co_await server.send_message(message.from, message.text);
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {.stage = "faults",
                             .description = "Echoes every message; some make its logic throw or crash (see the source)",
                             .handlers = {.on_message = {"server_logic", server_logic}}});
}
