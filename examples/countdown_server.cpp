// An example netlab server, no stage's answer: it counts down from the number
// a client sends, one message per number, then sends "Liftoff!". tools/demo
// runs it with countdown_client.

#include <charconv>
#include <string>
#include <system_error>

#include "netlab/run.hpp"

namespace {

constexpr int kHighest = 100;

netlab::Task<void> count_down(netlab::Server& server, netlab::Message message) {
  const std::string& text = message.text;
  int from = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), from);
  if (error != std::errc{} || end != text.data() + text.size() || from < 0 || from > kHighest) {
    co_await server.send_message(message.from, "send a number from 0 to " + std::to_string(kHighest));
    co_return;
  }
  for (int number = from; number > 0; --number) co_await server.send_message(message.from, std::to_string(number));
  co_await server.send_message(message.from, "Liftoff!");
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_server(argc, argv,
                            {.stage = "countdown",
                             .description = "countdown server: counts down from each number a client sends",
                             .handlers = {.on_message = {"count_down", count_down}}});
}
