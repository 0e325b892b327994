#pragma once
// hello: the first server and client. The server greets each client that
// connects with "Hello World!" and closes the connection; the client prints
// what it receives.
//
//     client                              server
//       |  ------- connects ------->        |   on_connect is called:
//       |  <---- "Hello World!" ----        |   sends the greeting,
//       |  <------- closes ---------        |   prints "Message sent!", disconnects
//     prints "Hello World!", then ends
//
// You write the two functions below: on_connect in server_logic.cpp and
// client_logic in client_logic.cpp, between the lines `*** start ***` and
// `*** end ***`. Everything else is given; handouts/hello.md explains how to
// build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it, as you put `await` in front of a call in Python. Without
// co_await the call never happens, and the compiler stops with an error that
// says so.

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace hello {

// What the server sends to every client.
inline constexpr const char* kGreeting = "Hello World!";

// The server's greeting. The server program calls it each time a client
// connects (it has accepted the connection for you, and printed
// "Connection request accepted!").
//
// To do:
//   1. Send kGreeting to the client.
//   2. Print "Message sent!" on a line of its own, with std::cout.
//   3. Disconnect the client.
//
// Parameters:
//   server  the server: use it to send messages and to disconnect clients.
//   client  the client that just connected (a ClientId).
//
// Calls you can use:
//   co_await server.send_message(client, text);
//       sends `text` to the client `client`.
//   server.disconnect(client);
//       closes the connection to `client`, once what you sent has gone out.
//       It returns nothing to wait for: no co_await.
netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId client);

// The client. The client program calls it once, right after it connected.
//
// To do:
//   Wait for a message from the server and print it on a line of its own,
//   with std::cout. Go on until the server closes the connection: then
//   return, and the program ends.
//
// Parameters:
//   client  your connection to the server.
//
// Calls you can use:
//   auto message = co_await client.receive_message();
//       waits for the next message from the server. `message` is a
//       std::optional<std::string>: `*message` is the text. It is empty when
//       the server closed the connection; check `if (message)` (or
//       `if (!message)`) before you use `*message`.
netlab::Task<void> client_logic(netlab::Client& client);

}  // namespace hello
