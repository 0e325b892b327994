#pragma once
// Shared by the client drivers of the stages: runs one turn of a
// client's logic each time the user presses Enter (q quits), or `count` turns
// in a row when the program was started with --count. At the keyboard it
// watches the server too: a message nobody asked for is printed, and a
// server that leaves ends the program at once.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <iostream>
#include <string>

#include "netlab/client.hpp"
#include "netlab/run.hpp"
#include "netlab/task.hpp"
#include "netlab/terminal.hpp"

namespace stage_driver {

// Adds `--count N` to a client program; `count` stays 0 when it is not given.
inline void add_count_option(CLI::App& app, int& count) {
  app.add_option("--count", count, "send N Pings without waiting for Enter, print each reply, then exit")->check(CLI::PositiveNumber);
}

inline netlab::Task<void> print_line(std::string text) {
  std::cout << text << std::endl;
  co_return;
}

inline netlab::Task<void> take_turns(netlab::Client& client, netlab::Terminal& terminal, int count, std::string prompt,
                                     std::function<netlab::Task<void>()> turn) {
  for (int done = 0; count == 0 || done < count; ++done) {
    if (count == 0) {
      terminal.prompt(prompt);
      auto line = co_await netlab::next_line(terminal, client, print_line);
      if (!line || *line == "q") co_return;
    }
    co_await turn();
    // Show what the turn printed now, also when stdout is a pipe (a test, or `| tee`).
    std::cout.flush();
    std::fflush(stdout);
  }
}

}  // namespace stage_driver
