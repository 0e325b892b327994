#pragma once
// pingpong1: one server, one client.
//
//     client                         server
//       |  ------- "Ping" ------->     |    client_logic sends Ping
//       |                              |    server_logic checks it is a Ping...
//       |  <------ "Pong" --------     |    ...and answers the client who sent it
//     prints "Pong"
//
// You write the two functions below: client_logic in client_logic.cpp and
// server_logic in server_logic.cpp, between the lines `*** start ***` and
// `*** end ***`. Everything else is given; handouts/pingpong1.md explains how
// to build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it, as you put `await` in front of a call in Python. Without
// co_await the call never happens, and the compiler stops with an error that
// says so: "ignoring returned value of type 'netlab::Task<void>' ... add
// co_await in front of the call".

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace pingpong1 {

// The client's turn. The client program calls it each time you press Enter
// (or N times with --count N).
//
// To do:
//   1. Send the message "Ping" to the server.
//   2. Wait for the server's reply.
//   3. Print the reply on a line of its own, with std::cout.
//
// Parameters:
//   client  your connection to the server.
//
// Calls you can use:
//   co_await client.send_message(text);
//       sends `text` (a std::string) to the server.
//   auto reply = co_await client.receive_message();
//       waits for the next message from the server. `reply` is a
//       std::optional<std::string>: `*reply` is the text. It is empty when
//       the server closed the connection instead of answering; check
//       `if (reply)` before you use `*reply`.
netlab::Task<void> client_logic(netlab::Client& client);

// The server's reaction to one message. The server program calls it for every
// message a client sends.
//
// To do:
//   1. Check that the message is "Ping" (exactly that: "ping" is not a Ping).
//   2. If it is, send "Pong" to the client who sent it.
//   Any other message gets no answer.
//
// Parameters:
//   server   the server: use it to send messages to clients.
//   message  the message that arrived: message.text is its text (a
//            std::string), message.from the client who sent it (a ClientId).
//
// Calls you can use:
//   co_await server.send_message(to, text);
//       sends `text` to the client `to` (a ClientId, such as message.from).
netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message);

}  // namespace pingpong1
