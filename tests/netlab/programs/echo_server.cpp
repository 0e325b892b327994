// A server for the run helper tests: echoes every message to its sender,
// then throws if it was "boom", as buggy student logic would.

#include <stdexcept>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message) {
  co_await server.send_message(message.from, message.text);
  if (message.text == "boom") throw std::runtime_error("the logic tripped");
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv, {.stage = "echo",
                                         .description = "Echoes every message back to its sender",
                                         .handlers = {.on_message = {"server_logic", server_logic}}});
}
