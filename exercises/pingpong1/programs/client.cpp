// pingpong1 client: connects to the server and calls your client_logic each
// time you press Enter (q quits), or N times with --count N. You do not need
// to change this file.

#include "netlab/run.hpp"
#include "pingpong1.hpp"
#include "turns.hpp"

int main(int argc, char** argv) {
  int count = 0;
  return netlab::run_client(
      argc, argv,
      {
          .stage = "pingpong1",
          .description = "pingpong1 client: sends Ping each time you press Enter, and prints the reply",
          .main = {"client_logic",
                   [&count](netlab::Client& client, netlab::Terminal& terminal) {
                     return stage_driver::take_turns(client, terminal, count, "Press Enter to send Ping (q to quit): ",
                                                     [&client] { return pingpong1::client_logic(client); });
                   }},
          .add_options = [&count](CLI::App& app) { stage_driver::add_count_option(app, count); },
      });
}
