// daytime server: listens for clients and calls your on_connect for each one
// that connects, with the time it connected, until you stop it with Ctrl-C.
// You do not need to change this file.

#include <chrono>

#include "daytime.hpp"
#include "netlab/run.hpp"
#include "speak_first.hpp"

int main(int argc, char** argv) {
  return netlab::run_server(
      argc, argv,
      {
          .stage = "daytime",
          .description = "daytime server: tells each client the date and time, then closes",
          .handlers = {.on_message = stage_driver::ignore_messages(),
                       .on_connect = {"on_connect",
                                      [](netlab::Server& server, netlab::ClientId client) {
                                        return daytime::on_connect(server, client, std::chrono::system_clock::now());
                                      }}},
      });
}
