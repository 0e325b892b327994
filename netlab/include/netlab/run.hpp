#pragma once
// Run helpers: turn a stage's logic into a program with the flags every
// netlab program shares:
//
//   --host HOST    where the server listens / where the client connects (127.0.0.1)
//   --port PORT    the TCP port (5000; a server takes 0 for any free port)
//   --trace        print every message sent or received
//   --trace-hex    the same, with a hex dump of each message
//   --quiet        (servers) no line per client that connects or leaves
//   --record FILE  write what crosses the wire to FILE, as JSON lines (record.hpp):
//                  a server empties FILE first, a client appends to it, so the
//                  programs of one run, the server started first, share one FILE
//   --help
//
// With NETLAB_RECORD_DIR=DIR in the environment, a program started without
// --record records to DIR/PROGRAM.PID.jsonl: so an end-to-end test's programs
// record a run with no change to the test.
//
// A server prints `listening on HOST:PORT` once it accepts clients, and one
// line per client that connects or leaves. Ctrl-C (SIGINT) or SIGTERM closes
// every connection and exits within a second. Errors a student will meet
// (port in use, no server listening, host not found, connection lost) are
// printed as advice, and an exception escaping logic code names the function.

#include <functional>
#include <optional>
#include <string>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"
#include "netlab/terminal.hpp"

namespace CLI {
class App;
}

namespace netlab {

inline constexpr std::uint16_t kDefaultPort = 5000;

struct ServerProgram {
  std::string stage;        // e.g. "pingpong1": names the program when argv[0] cannot
  std::string description;  // one line for --help
  ServerHandlers handlers;
  // Extra flags; include <CLI/CLI.hpp> to add them.
  std::function<void(CLI::App&)> add_options = {};
  // Called once the server listens, after it printed `listening on HOST:PORT`.
  std::function<void()> on_listening = {};
};

// Parses the flags, listens, and serves until SIGINT or SIGTERM. Returns the
// exit status for main(): 0 after a clean stop, 1 when the server could not start.
int run_server(int argc, char** argv, ServerProgram program);

// What a client program does once connected: typically read lines from the
// terminal and call the stage's client logic. It is named after that logic
// function, so an exception escaping it names the function too.
using ClientMain = Named<std::function<Task<void>(Client&, Terminal&)>>;

struct ClientProgram {
  std::string stage;
  std::string description;
  ClientMain main;
  // Extra flags, e.g. `--count N`; include <CLI/CLI.hpp> to add them.
  std::function<void(CLI::App&)> add_options = {};
};

// The next line typed at `terminal` (without its newline), or nothing at the
// end of input (Ctrl-D, or the end of a piped file). While it waits, each
// message the server sends is handed to `on_message`; if the server closes
// the connection first, it throws server_closed(). How a client program
// waits at the keyboard and still notices the server at once.
Task<std::optional<std::string>> next_line(Terminal& terminal, Client& client,
                                           const std::function<Task<void>(std::string)>& on_message);

// The exit statuses of a client program, for scripts and tests.
inline constexpr int kExitFinished = 0;      // its main finished
inline constexpr int kExitError = 1;         // an error, printed: no server, a bad flag, an exception in logic
inline constexpr int kExitServerClosed = 3;  // the server closed the connection, or it was lost (printed)
inline constexpr int kExitInterrupted = 130;  // Ctrl-C (128 + SIGINT, as a shell reports it)

// Parses the flags, connects, runs `main`, then closes the connection (what
// was sent last still arrives). Returns one of the exit statuses above. A
// main that finds the server gone (an empty receive_message() where it
// needs more) throws server_closed(): the program says so and exits with
// kExitServerClosed.
int run_client(int argc, char** argv, ClientProgram program);

}  // namespace netlab
