// An example netlab client, no stage's answer: it sends a number to
// countdown_server and prints every message that comes back, up to "Liftoff!".

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> launch(netlab::Client& client, int from) {
  co_await client.send_message(std::to_string(from));
  // Several messages answer one: read until the last one, or until the server closes.
  while (auto count = co_await client.receive_message()) {
    std::cout << *count << std::endl;
    if (*count == "Liftoff!") co_return;
  }
  std::cout << "the server closed the connection before liftoff" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  int from = 3;
  return netlab::run_client(argc, argv,
                            {.stage = "countdown",
                             .description = "countdown client: asks the server to count down, prints each number",
                             .main = {"launch", [&from](netlab::Client& client,
                                                        netlab::Terminal&) { return launch(client, from); }},
                             .add_options = [&from](CLI::App& app) {
                               app.add_option("--from", from, "the number to count down from (3)")
                                   ->check(CLI::Range(0, 100));
                             }});
}
