// registry client: reads commands, one per line, from the keyboard or from a
// pipe, and calls your ask_to_register, ask_to_log_in and ask_who. You do not
// need to change this file.
//
//   register <name>   login <name>   who   quit
//
// The name is everything after the first space, exactly as typed.

#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>

#include "netlab/run.hpp"
#include "registry.hpp"

namespace {

constexpr const char* kCommands = "commands: register <name>, login <name>, who, quit";

netlab::Task<void> run_commands(netlab::Client& client, netlab::Terminal& terminal) {
  terminal.prompt(std::string(kCommands) + "\n");
  while (true) {
    terminal.prompt("> ");
    const auto line = co_await terminal.read_line();
    if (!line || *line == "quit") co_return;
    const std::string_view text = *line;
    const std::size_t space = text.find(' ');
    const std::string_view command = text.substr(0, space);
    const std::string name(space == std::string_view::npos ? "" : text.substr(space + 1));

    if (command == "register") {
      co_await registry::ask_to_register(client, name);
    } else if (command == "login") {
      co_await registry::ask_to_log_in(client, name);
    } else if (command == "who") {
      co_await registry::ask_who(client);
    } else if (!command.empty()) {
      std::cout << "unknown command " << netlab::in_quotes(command) << "; " << kCommands << std::endl;
    }
    // Show what the command printed now, also when stdout is a pipe (a test, or `| tee`).
    std::cout.flush();
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {
                                .stage = "registry",
                                .description = "registry client: register, log in and ask who is logged in; "
                                               "commands from the keyboard or stdin",
                                .main = {"ask_to_register, ask_to_log_in or ask_who", run_commands},
                            });
}
