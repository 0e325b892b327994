// doctor client: prints what the Doctor says, and sends each line you type
// (or each line of a file given on stdin) as your answer, until the Doctor
// says goodbye (type bye, or an empty line) or you press Ctrl-D. You do not
// need to change this file.

#include <iostream>

#include "doctor.hpp"
#include "netlab/error.hpp"
#include "netlab/run.hpp"
#include "turns.hpp"

namespace {

netlab::Task<void> consult(netlab::Client& client, netlab::Terminal& terminal) {
  auto said = co_await client.receive_message();  // the greeting
  while (said) {
    std::cout << *said << std::endl;
    if (*said == doctor::kFarewell) co_return;
    terminal.prompt("> ");
    auto line = co_await netlab::next_line(terminal, client, stage_driver::print_line);
    if (!line) co_return;  // Ctrl-D, or the end of the file
    co_await client.send_message(*line);
    said = co_await client.receive_message();
  }
  throw netlab::server_closed();
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {
                                .stage = "doctor",
                                .description = "doctor client: talk with the Doctor; bye ends the session",
                                .main = {"the conversation", consult},
                            });
}
