// pingpong2 client 2: prints every message from the server and hands it to
// your client2_logic, until you type q (or press Ctrl-C), or the server
// closes the connection. You do not need to change this file.

#include <iostream>

#include "netlab/error.hpp"
#include "netlab/run.hpp"
#include "pingpong2.hpp"

namespace {

netlab::Task<void> answer(netlab::Client& client, netlab::Terminal& terminal) {
  auto print_and_answer = [&client](std::string message) -> netlab::Task<void> {
    std::cout << message << std::endl;
    co_await pingpong2::client2_logic(client, std::move(message));
  };
  terminal.prompt("Waiting for messages to answer (q to quit)\n");
  while (auto line = co_await netlab::next_line(terminal, client, print_and_answer)) {
    if (*line == "q") co_return;
  }
  // No more keyboard (the end of a piped file): answer until the server leaves.
  while (auto message = co_await client.receive_message()) co_await print_and_answer(std::move(*message));
  throw netlab::server_closed();
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
