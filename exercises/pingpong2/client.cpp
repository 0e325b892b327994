// pingpong2 client. Without --answer it is client 1: it calls your
// client1_logic each time you press Enter (q quits), or N times with
// --count N. With --answer it is client 2: it prints every message from the
// server and hands it to your client2_logic, until the server closes the
// connection or you press Ctrl-C. You do not need to change this file.

#include <iostream>

#include "netlab/run.hpp"
#include "pingpong2.hpp"
#include "turns.hpp"

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
  bool answering = false;
  int count = 0;
  return netlab::run_client(
      argc, argv,
      {
          .stage = "pingpong2",
          .description = "pingpong2 client: client 1 sends Ping each time you press Enter; "
                         "client 2 (--answer) answers each Ping with Pong",
          .main = {"client1_logic or client2_logic",
                   [&](netlab::Client& client, netlab::Terminal& terminal) {
                     if (answering) return answer(client, terminal);
                     return stage_driver::take_turns(terminal, count, "Press Enter to send Ping (q to quit): ",
                                                     [&client] { return pingpong2::client1_logic(client); });
                   }},
          .add_options =
              [&](CLI::App& app) {
                auto* answer_flag =
                    app.add_flag("--answer", answering, "be client 2: print each message and answer it (client2_logic)");
                stage_driver::add_count_option(app, count);
                app.get_option("--count")->excludes(answer_flag);
              },
      });
}
