// pingpong2 client 2: prints every message from the server and hands it to
// your client2_logic, until the server closes the connection or you press
// Ctrl-C. You do not need to change this file.

#include <iostream>

#include "netlab/run.hpp"
#include "pingpong2.hpp"

namespace {

netlab::Task<void> answer(netlab::Client& client, netlab::Terminal& terminal) {
  terminal.prompt("Waiting for messages to answer (Ctrl-C to quit)\n");
  while (true) {
    auto message = co_await client.receive_message();
    if (!message) break;
    std::cout << *message << std::endl;
    co_await pingpong2::client2_logic(client, *message);
  }
  std::cout << "connection closed" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {
                                .stage = "pingpong2",
                                .description = "pingpong2 client 2: prints each message and answers it",
                                .main = {"client2_logic", answer},
                            });
}
