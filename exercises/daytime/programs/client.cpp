// daytime client: connects to a daytime server (--host, --port) and prints
// what it sends, until it closes the connection. You do not need to change
// this file.

#include <iostream>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> print_until_closed(netlab::Client& client, netlab::Terminal&) {
  while (auto message = co_await client.receive_message()) std::cout << *message << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {
                                .stage = "daytime",
                                .description = "daytime client: prints the date and time the server sends",
                                .main = {"receive_message", print_until_closed},
                            });
}
