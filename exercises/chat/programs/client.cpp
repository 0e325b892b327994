// chat client: reads commands and messages from the keyboard (or a pipe) and
// shows what the server sends, as it arrives, with your chat::describe. You do
// not need to change this file.
//
//   /register NAME   /login NAME   /who   /msg NAME TEXT   /quit   /help
//   any other line is a message to everyone (start it with // to send a leading /)
//
// Each request goes at once; its reply is shown when it arrives, among the
// messages of others. On /quit (or at the end of piped input) the client
// waits for the replies still due, then leaves.

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "chat.hpp"
#include "netlab/error.hpp"
#include "netlab/run.hpp"

namespace {

constexpr const char* kHelp =
    "/register NAME    register a name\n"
    "/login NAME       log in with it\n"
    "/who              who is logged in\n"
    "/msg NAME TEXT    a message to NAME only\n"
    "TEXT              a message to everyone (//TEXT sends /TEXT)\n"
    "/quit             leave\n"
    "/help             this list\n";
constexpr const char* kHint = "/help lists the commands";

// Shows `text` line by line, each made visible (chat::visible): whatever
// describe() returns, nothing in it can drive the terminal. While a line is
// half typed, the text goes above it, and the line stays as it was.
void show(netlab::Terminal& terminal, std::string_view text) {
  std::string lines;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    lines += chat::visible(text.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  terminal.print(lines);
}

// The request a line asks for, or nothing (after printing why) if it asks for none.
std::optional<std::string> request_for(std::string_view line) {
  if (line.empty()) return std::nullopt;
  if (line.starts_with("//")) return chat::format_all(line.substr(1));
  if (!line.starts_with("/")) return chat::format_all(line);
  const std::size_t space = line.find(' ');
  const std::string_view command = line.substr(0, space);
  const std::string_view argument = space == std::string_view::npos ? "" : line.substr(space + 1);

  if (command == "/register" || command == "/login") {
    if (argument.empty()) {
      std::cout << registry::kEmptyNameNotSent << std::endl;
      return std::nullopt;
    }
    return command == "/register" ? registry::format_register(argument) : registry::format_login(argument);
  }
  if (command == "/who") return registry::kWho;
  if (command == "/msg") {
    const std::size_t gap = argument.find(' ');
    if (gap == std::string_view::npos || gap == 0 || gap + 1 == argument.size()) {
      std::cout << "not sent: /msg needs a name and a text: /msg NAME TEXT" << std::endl;
      return std::nullopt;
    }
    return chat::format_msg(argument.substr(0, gap), argument.substr(gap + 1));
  }
  if (command == "/help") {
    std::cout << kHelp << std::flush;
  } else {
    std::cout << "unknown command " << netlab::in_quotes(command) << "; " << kHint << std::endl;
  }
  return std::nullopt;
}

// Shows one message from the server; `replies_due` counts the requests whose reply has not come yet.
netlab::Task<void> show_incoming(netlab::Terminal& terminal, int& replies_due, std::string message) {
  if (chat::is_reply(message)) --replies_due;
  show(terminal, chat::describe(message));
  co_return;
}

netlab::Task<void> chat_session(netlab::Client& client, netlab::Terminal& terminal) {
  int replies_due = 0;
  const auto on_message = [&terminal, &replies_due](std::string message) {
    return show_incoming(terminal, replies_due, std::move(message));
  };
  terminal.prompt(std::string(kHelp) + "> ");
  while (true) {
    const auto line = co_await netlab::next_line(terminal, client, on_message);
    if (!line || *line == "/quit") break;
    if (auto request = request_for(*line)) {
      co_await client.send_message(*request);
      ++replies_due;
    }
    terminal.prompt("> ");
  }
  while (replies_due > 0) {
    auto message = co_await client.receive_message();
    if (!message) throw netlab::server_closed();
    co_await on_message(std::move(*message));
  }
}

}  // namespace

int main(int argc, char** argv) {
  return netlab::run_client(argc, argv,
                            {
                                .stage = "chat",
                                .description = "chat client: talk to one user or to everyone; "
                                               "commands and messages from the keyboard or stdin",
                                .main = {"describe", chat_session},
                            });
}
