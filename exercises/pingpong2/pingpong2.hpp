#pragma once
// pingpong2: one server, two clients. The server passes messages between
// them: what one client sends goes to the other, never back to the sender.
//
//   client 1                      server                      client 2
//   (pingpong2_client1)                                       (pingpong2_client2)
//      | ------- "Ping" ------->    |                             |
//      |                            | ------- "Ping" ------->     |   prints "Ping"
//      |                            |     <------ "Pong" -------  |   client2_logic answers
//      | <------ "Pong" --------    |                             |
//   prints "Pong"
//
// The rules of the server (server_logic):
//   - The first two clients to connect are the players. A message from one
//     player goes to the other player, unchanged.
//   - A player alone (nobody else connected) gets kNoOtherClient back, so it
//     is not left waiting for an answer that cannot come.
//   - A third client may connect, but it waits its turn: each message it
//     sends gets kWaitYourTurn back. When a player leaves, the first client
//     waiting becomes a player (server.clients() lists clients in the order
//     they connected, and a client that left is no longer in it).
//
// You write the three functions below, between the lines `*** start ***` and
// `*** end ***`: client1_logic and client2_logic in client_logic.cpp,
// server_logic in server_logic.cpp. handouts/pingpong2.md explains how to
// build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it. Without co_await the call never happens, and the compiler
// stops with an error that says so.

#include <string>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace pingpong2 {

// What the server sends back, instead of forwarding a message, when it cannot.
inline constexpr const char* kNoOtherClient = "Nobody else is connected: start another client";
inline constexpr const char* kWaitYourTurn = "Two clients are already playing: wait until one of them leaves";

// Client 1's turn: the program pingpong2_client1 calls it each time you
// press Enter, or N times with --count N. The same as pingpong1's client.
//
// To do:
//   1. Send "Ping" to the server.
//   2. Wait for the reply (the other client's "Pong", or a word from the server).
//   3. Print the reply on a line of its own, with std::cout.
//
// Parameters:
//   client  your connection to the server.
//
// Calls you can use:
//   co_await client.send_message(text);
//   auto reply = co_await client.receive_message();
//       `reply` is a std::optional<std::string>, empty when the server closed
//       the connection: check `if (reply)` before you use `*reply`.
netlab::Task<void> client1_logic(netlab::Client& client);

// Client 2's answer to one message. The program pingpong2_client2 waits for
// messages from the server, prints each one, and calls this function with it.
//
// To do:
//   If the message is "Ping", send "Pong" to the server. Anything else gets no
//   answer (answering everything would answer the server's own words too).
//
// Parameters:
//   client   your connection to the server.
//   message  the message that just arrived.
//
// Calls you can use:
//   co_await client.send_message(text);
netlab::Task<void> client2_logic(netlab::Client& client, std::string message);

// The server's reaction to one message; called for every message a client
// sends. Follow the rules at the top of this file.
//
// To do:
//   1. Find the players: the first two clients in server.clients().
//   2. If the sender is not one of them, send it kWaitYourTurn.
//   3. Else, if there is no other player, send the sender kNoOtherClient.
//   4. Else, send message.text to the other player: never back to the sender.
//
// Parameters:
//   server   the server: use it to see who is connected and to send messages.
//   message  the message that arrived: message.text is its text,
//            message.from the client who sent it (a ClientId).
//
// Calls you can use:
//   std::vector<netlab::ClientId> ids = server.clients();
//       the clients connected now, in the order they connected. ClientIds
//       compare with == and !=.
//   co_await server.send_message(to, text);
//       sends `text` to the client `to`.
netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message);

}  // namespace pingpong2
