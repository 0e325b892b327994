// toy_client: the client of the stage helpers' own end-to-end tests
// (program_testing_test.cpp).
//
//   toy_client --send TEXT   sends TEXT and prints the reply ("reply: answer"); if
//                            the server closes the connection instead, says so
//                            and exits with status 3
//   ... --unchecked          uses the reply without checking it, as a student's
//                            `*reply` does: crashes when there is none
//   toy_client               sends nothing; exits (0) when its input ends

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

#include "netlab/error.hpp"
#include "netlab/run.hpp"

namespace {

struct Options {
  std::string send;
  bool unchecked = false;
};

netlab::Task<void> client_logic(netlab::Client& client, netlab::Terminal& terminal, const Options& options) {
  if (options.send.empty()) {
    while (co_await terminal.read_line()) {
    }
    co_return;
  }
  co_await client.send_message(options.send);
  const auto reply = co_await client.receive_message();
  if (!reply && !options.unchecked) throw netlab::server_closed();
  std::cout << "reply: " << *reply << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  return netlab::run_client(
      argc, argv,
      {.stage = "toy",
       .description = "toy client: sends one message and prints the reply",
       .main = {"client_logic",
                [&options](netlab::Client& client, netlab::Terminal& terminal) {
                  return client_logic(client, terminal, options);
                }},
       .add_options =
           [&options](CLI::App& app) {
             app.add_option("--send", options.send, "the message to send");
             app.add_flag("--unchecked", options.unchecked, "use the reply without checking that there is one");
           }});
}
