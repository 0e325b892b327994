#pragma once
// echo: the server answers each message with a changed version of it; the
// client sends a series of messages and prints each reply.
//
//     client                              server
//       |  -------- "Hello" -------->       |   server_logic: the reply is changed("Hello"),
//       |  <------- "olleH" ---------       |   sent back to the client who sent "Hello"
//     prints "olleH"
//       |  -------- "netlab" ------->       |   ...and so on, for every message,
//       |  <------- "balten" --------       |   from every client connected
//
// You write the three functions below: changed and server_logic in
// server_logic.cpp, client_logic in client_logic.cpp, between the lines
// `*** start ***` and `*** end ***`. Everything else is given;
// handouts/echo.md explains how to build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it, as you put `await` in front of a call in Python.

#include <string>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace echo {

// What the client sends with --count N: "message 1", "message 2", ...
inline std::string numbered_message(int number) { return "message " + std::to_string(number); }

// Your change: the server's reply to `text`.
//
// To do:
//   Return a changed version of `text`. You choose the change: reversed,
//   upper-cased, with its length in front ("5: Hello")... The tests check
//   that it really depends on the message:
//     - the reply is not the message unchanged;
//     - the same message always gets the same reply;
//     - different messages get different replies.
//   They try it on the messages listed in handouts/echo.md.
std::string changed(const std::string& text);

// The server's reaction to one message. The server program calls it for every
// message a client sends.
//
// To do:
//   Send changed(message.text) back to the client who sent the message.
//
// Parameters:
//   server   the server: use it to send messages to clients.
//   message  the message that arrived: message.text is its text,
//            message.from the client who sent it (a ClientId).
//
// Calls you can use:
//   co_await server.send_message(to, text);
//       sends `text` to the client `to`, such as message.from.
netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message);

// The client's turn. The client program calls it for every line you type
// (or every line of a file given on stdin, or N times with --count N).
//
// To do:
//   1. Send `line` to the server.
//   2. Wait for the reply.
//   3. Print the reply on a line of its own, with std::cout.
//
// Parameters:
//   client  your connection to the server.
//   line    the message to send.
//
// Calls you can use:
//   co_await client.send_message(text);
//   auto reply = co_await client.receive_message();
//       `reply` is a std::optional<std::string>, empty when the server closed
//       the connection: check `if (reply)` before you use `*reply`.
netlab::Task<void> client_logic(netlab::Client& client, std::string line);

}  // namespace echo
