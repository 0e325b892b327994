// pingpong2 server: listens for clients and calls your server_logic for every
// message one of them sends. You do not need to change this file.

#include "netlab/run.hpp"
#include "pingpong2.hpp"

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {
                                .stage = "pingpong2",
                                .description = "pingpong2 server: passes each message on to the other client",
                                .handlers = {.on_message = {"server_logic", pingpong2::server_logic}},
                            });
}
