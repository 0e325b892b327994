// echo client: connects to the server and calls your client_logic for each
// line you type (Ctrl-D quits), each line of a file given on stdin
// (echo_client < notes.txt), or N numbered messages with --count N. You do not
// need to change this file.

#include <CLI/CLI.hpp>

#include "echo.hpp"
#include "netlab/run.hpp"
#include "turns.hpp"

namespace {

netlab::Task<void> send_lines(netlab::Client& client, netlab::Terminal& terminal, int count) {
  if (count > 0) {
    for (int number = 1; number <= count; ++number) co_await echo::client_logic(client, echo::numbered_message(number));
    co_return;
  }
  while (true) {
    terminal.prompt("Message to send (Ctrl-D to quit): ");
    auto line = co_await netlab::next_line(terminal, client, stage_driver::print_line);
    if (!line) co_return;
    co_await echo::client_logic(client, *line);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int count = 0;
  return netlab::run_client(
      argc, argv,
      {
          .stage = "echo",
          .description = "echo client: sends each line you type and prints the reply",
          .main = {"client_logic",
                   [&count](netlab::Client& client, netlab::Terminal& terminal) {
                     return send_lines(client, terminal, count);
                   }},
          .add_options =
              [&count](CLI::App& app) {
                app.add_option("--count", count, "send N numbered messages (\"message 1\"...), print each reply, then exit")
                    ->check(CLI::Range(1, 1000000));
              },
      });
}
