// A client for the run helper tests: sends each line typed (or each
// --message), prints each reply, and with --throw fails as buggy logic would.

#include <CLI/CLI.hpp>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "netlab/run.hpp"

namespace {

netlab::Task<void> client_logic(netlab::Client& client, std::string text, bool fail) {
  if (fail) throw std::runtime_error("client logic gave up");
  co_await client.send_message(text);
  auto reply = co_await client.receive_message();
  std::cout << (reply ? "reply: " + *reply : "the server closed the connection") << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> messages;
  bool fail = false;
  auto main_logic = [&](netlab::Client& client, netlab::Terminal& terminal) -> netlab::Task<void> {
    for (const auto& message : messages) co_await client_logic(client, message, fail);
    if (!messages.empty()) co_return;
    while (auto line = co_await terminal.read_line()) co_await client_logic(client, *line, fail);
  };
  return netlab::run_client(argc, argv,
                            {.stage = "echo",
                             .description = "Sends lines to the echo server and prints the replies",
                             .main = {"client_logic", main_logic},
                             .add_options = [&](CLI::App& app) {
                               app.add_option("--message", messages, "send these instead of reading stdin");
                               app.add_flag("--throw", fail, "make the logic throw");
                             }});
}
