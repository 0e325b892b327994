// pingpong2 client 1: connects to the server and calls your client1_logic
// each time you press Enter (q quits), or N times with --count N. You do not
// need to change this file.

#include "netlab/run.hpp"
#include "pingpong2.hpp"
#include "turns.hpp"

int main(int argc, char** argv) {
  int count = 0;
  return netlab::run_client(
      argc, argv,
      {
          .stage = "pingpong2",
          .description = "pingpong2 client 1: sends Ping each time you press Enter, and prints the reply",
          .main = {"client1_logic",
                   [&count](netlab::Client& client, netlab::Terminal& terminal) {
                     return stage_driver::take_turns(client, terminal, count, "Press Enter to send Ping (q to quit): ",
                                                     [&client] { return pingpong2::client1_logic(client); });
                   }},
          .add_options = [&count](CLI::App& app) { stage_driver::add_count_option(app, count); },
      });
}
