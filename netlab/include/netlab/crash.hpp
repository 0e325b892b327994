#pragma once
// Crash reports for programs built with the run helpers (and the stage
// test programs, which call report_crashes themselves). When logic code
// crashes (a failed library check such as `*reply` on an empty optional, a
// segmentation fault, std::terminate), the program prints, before it dies,
// which logic function was running, what it was handling, and a hint that
// fits the check that fired (or none): instead of a raw libstdc++ assertion
// and "Aborted".

#include <cstdint>
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
void begin_logic_call(std::string_view function) noexcept;  // a call with no input worth naming (a turn)
void begin_logic_call(std::string_view function, std::string_view message, std::uint64_t client,
                      std::string_view peer) noexcept;
// Ends the call begun for `client` (0 for a call without one), unless another
// has begun since: a call that waited and resumed is then reported without
// its input, never with another call's.
void end_logic_call(std::uint64_t client) noexcept;

}  // namespace netlab
