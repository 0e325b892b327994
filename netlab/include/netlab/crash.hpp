#pragma once
// Crash reports for programs built with the run helpers (and the stage
// test programs, which call report_crashes themselves). When logic code
// crashes (a failed library check such as `*reply` on an empty optional, a
// segmentation fault, std::terminate), the program prints, before it dies,
// which logic function was running, what it was handling, and a hint that
// fits the check that fired (or none): instead of a raw libstdc++ assertion
// and "Aborted".
//
// What a call was handling, its input, is for server logic the message and
// the client that sent it. For client logic it is what the logic read: the
// line typed last (the registry client's "register alice", the line echo's
// client_logic sends), and the last thing receive_message() gave since then
// (a message, or nothing: the server had closed the connection). A report
// names the arguments a call was given only where they are among those (a
// unit test names them in the function, e.g. `client2_logic(client, "Ping")`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netlab {

// Installs the handlers, once per process. `program` starts the report
// ("pingpong1_server: ..."). Under a sanitizer, its own report follows.
void report_crashes(std::string program);

// The logic call under way, named in a crash report until it ends:
// "server_logic, handling "Ping" from client 1 (127.0.0.1:53122)"; `peer`
// may be empty (a mock's client has no address). What it
// names is copied (the message cut to an excerpt), so nothing it refers to
// can be gone by the time of a crash. Costs a few short copies, and nothing
// before report_crashes() was called.
// A call handling no message: client logic (its input is noted as it
// reads, below), or a server's hook.
void begin_logic_call(std::string_view function) noexcept;
void begin_logic_call(std::string_view function, std::string_view message, std::uint64_t client,
                      std::string_view peer) noexcept;
// A client's input (see above), noted for the call under way: Terminal
// notes each line it reads, TcpClient and MockClient what each
// receive_message() gives. A line typed starts a new turn: what was received
// before it is forgotten.
void note_line_typed(std::string_view line) noexcept;
void note_message_received(const std::optional<std::string>& message) noexcept;
// Ends the call begun for `client` (0 for a call without one), unless another
// has begun since: a call that waited and resumed is then reported without
// its input, never with another call's.
void end_logic_call(std::uint64_t client) noexcept;

}  // namespace netlab
