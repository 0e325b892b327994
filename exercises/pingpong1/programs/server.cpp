// pingpong1 server: listens for clients and calls your server_logic for every
// message one of them sends. You do not need to change this file.

#include "netlab/run.hpp"
#include "pingpong1.hpp"

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {
                                .stage = "pingpong1",
                                .description = "pingpong1 server: answers each Ping with a Pong",
                                .handlers = {.on_message = {"server_logic", pingpong1::server_logic}},
                            });
}
