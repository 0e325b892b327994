// A server for the process-level fault tests, written as a student would: it
// echoes every message to its sender, and its logic has bugs on purpose.

#include <stdexcept>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message) {
  if (message.text == "throw") throw std::runtime_error("the logic failed on purpose");
  if (message.text == "throw-int") throw 42;
  co_await server.send_message(message.from, message.text);
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {.stage = "faults",
                             .description = "Echoes every message; \"throw\" and \"throw-int\" make its logic throw",
                             .handlers = {.on_message = {"server_logic", server_logic}}});
}
