// hello server: listens for clients and calls your on_connect for each one
// that connects, one after another or several at once, until you stop it
// with Ctrl-C. You do not need to change this file.

#include <iostream>

#include "hello.hpp"
#include "netlab/run.hpp"
#include "speak_first.hpp"

namespace {

void waiting() { std::cout << "Waiting for connection..." << std::endl; }

netlab::Task<void> accepted(netlab::Server& server, netlab::ClientId client) {
  std::cout << "Connection request accepted!" << std::endl;
  co_await hello::on_connect(server, client);
}

netlab::Task<void> left(netlab::Server&, netlab::ClientId) {
  waiting();
  co_return;
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {
                                .stage = "hello",
                                .description = "hello server: greets each client with Hello World! and closes",
                                .handlers = {.on_message = stage_driver::ignore_messages(),
                                             .on_connect = {"on_connect", accepted},
                                             .on_disconnect = {"on_disconnect", left}},
                                .on_listening = waiting,
                            });
}
