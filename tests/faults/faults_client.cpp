// A client for the process-level fault tests, written as a student would: it
// sends each line typed and prints the reply, and its logic has bugs on purpose.
//
//   send TEXT   sends TEXT and goes on at once
//   wait        waits for a message from the server
//   throw       throws a std::runtime_error
//   throw-int   throws something that is not a std::exception
//   crash-index TEXT   sends TEXT, then reads its reply one past the end: crashes
//   TEXT        sends TEXT, then waits for the reply and prints "reply: ..."
//
// Between commands it watches the connection too: a server that leaves is
// noticed at once, and a message nobody waited for is printed.

#include <iostream>
#include <optional>
#include <string>
#include <stdexcept>

#include "netlab/error.hpp"
#include "netlab/run.hpp"

namespace {

netlab::Task<void> unexpected(std::string message) {
  std::cout << "unexpected: " << message << std::endl;
  co_return;
}

netlab::Task<void> client_logic(netlab::Client& client, netlab::Terminal& terminal) {
  while (auto line = co_await netlab::next_line(terminal, client, unexpected)) {
    if (*line == "throw") throw std::runtime_error("the logic failed on purpose");
    if (*line == "throw-int") throw 42;
    if (line->starts_with("crash-index ")) {
      co_await client.send_message(line->substr(12));
      const auto reply = co_await client.receive_message();
      std::cout << (*reply)[reply->size() + 1] << std::endl;
    }
    if (line->starts_with("send ")) {
      co_await client.send_message(line->substr(5));
      continue;
    }
    if (*line != "wait") co_await client.send_message(*line);
    std::cout << "waiting" << std::endl;
    const auto reply = co_await client.receive_message();
    if (!reply) throw netlab::server_closed();
    std::cout << "reply: " << *reply << std::endl;
  }
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {.stage = "faults",
                             .description = "Sends each line and prints the reply; \"throw\" makes its logic throw",
                             .main = {"client_logic", client_logic}});
}
