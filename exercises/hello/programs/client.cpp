// hello client: connects to the server and calls your client_logic once; the
// program ends when client_logic returns. You do not need to change this file.

#include "hello.hpp"
#include "netlab/run.hpp"

int main(int argc, char** argv) {
  return netlab::run_client(
      argc, argv,
      {
          .stage = "hello",
          .description = "hello client: prints what the server sends, until it closes the connection",
          .main = {"client_logic",
                   [](netlab::Client& client, netlab::Terminal&) { return hello::client_logic(client); }},
      });
}
