// netlab's benchmark server: each workload's logic is a server_logic
// function, as a stage would write it, run by netlab::run_server.

#include <CLI/CLI.hpp>

#include <map>
#include <string>
#include <vector>

#include "netlab/run.hpp"

namespace {

using netlab::Message;
using netlab::Server;
using netlab::Task;

Task<void> pong(Server& server, Message message) {
  if (message.text == "Ping") co_await server.send_message(message.from, "Pong");
}

Task<void> echo(Server& server, Message message) {
  co_await server.send_message(message.from, message.text);
}

Task<void> relay(Server& server, Message message) {
  co_await server.broadcast(message.text, message.from);
}

using Logic = Task<void> (*)(Server&, Message);
const std::map<std::string, Logic> kLogic = {
    {"pingpong", pong}, {"pipeline", echo}, {"fanout", relay}, {"idle", pong}};

}  // namespace

int main(int argc, char** argv) {
  // bench/run reads only the first line of stdout: a line per client would
  // fill the pipe and stall the server, so it runs --quiet.
  std::vector<char*> args(argv, argv + argc);
  std::string quiet = "--quiet";
  args.push_back(quiet.data());

  Logic logic = pong;
  return netlab::run_server(
      static_cast<int>(args.size()), args.data(),
      {.stage = "bench",
       .description = "netlab's server for bench/run",
       .handlers = {.on_message = {"server_logic",
                                   [&logic](Server& server, Message message) {
                                     return logic(server, std::move(message));
                                   }}},
       .add_options = [&logic](CLI::App& app) {
         app.add_option_function<std::string>(
                "--workload", [&logic](const std::string& workload) { logic = kLogic.at(workload); },
                "pingpong, pipeline, fanout or idle")
             ->required()
             ->check(CLI::IsMember({"pingpong", "pipeline", "fanout", "idle"}));
       }});
}
