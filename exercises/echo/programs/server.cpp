// echo server: listens for clients and calls your server_logic for every
// message one of them sends, until you stop it with Ctrl-C. You do not need
// to change this file.

#include "echo.hpp"
#include "netlab/run.hpp"

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {
                                .stage = "echo",
                                .description = "echo server: answers each message with a changed version of it",
                                .handlers = {.on_message = {"server_logic", echo::server_logic}},
                            });
}
