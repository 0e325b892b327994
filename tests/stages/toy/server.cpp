// toy_server: the server of the stage helpers' own end-to-end tests
// (program_testing_test.cpp). Each message it knows goes wrong one way:
//
//   ask     answered with "answer"
//   hush    never answered
//   bye     its sender is disconnected
//   crash   the logic crashes, on an empty std::optional

#include <optional>
#include <string>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message) {
  if (message.text == "ask") co_await server.send_message(message.from, "answer");
  if (message.text == "bye") server.disconnect(message.from);
  if (message.text == "crash") {
    const std::optional<std::string> nothing;
    co_await server.send_message(message.from, *nothing);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {.stage = "toy",
                             .description = "toy server: answers ask, ignores hush, disconnects on bye, crashes on crash",
                             .handlers = {.on_message = {"server_logic", server_logic}}});
}
