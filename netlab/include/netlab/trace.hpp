#pragma once
// Tracing: with --trace, every frame sent or received is printed, so a
// student sees what really crossed the wire.
//
//   20:41:07.318215  -> 127.0.0.1:5000  4 bytes  "Ping"
//   20:41:07.318630  <- 127.0.0.1:5000  4 bytes  "Pong"
//
// Text is escaped (\n, \t, \", \\, \xNN for other unprintable bytes); with
// hex on, a hex dump of the payload follows each line.

#include <cstdio>
#include <string>
#include <string_view>

namespace netlab {

struct TraceOptions {
  bool enabled = false;
  bool hex = false;           // also dump every payload in hex
  std::FILE* out = stderr;    // where the lines go
};

enum class Direction { sent, received };

// The payload as a C-style string literal body: printable ASCII as is,
// everything else escaped.
std::string escape(std::string_view text);

// The escaped text in double quotes, as messages about a text show it: "Ping".
std::string in_quotes(std::string_view text);

// The trace line(s) for one frame, newline-terminated, without the time stamp.
std::string format_frame(Direction direction, std::string_view peer, std::string_view payload, bool hex);

// Prints the trace of one frame, time-stamped, if tracing is enabled.
void trace_frame(const TraceOptions& options, Direction direction, std::string_view peer,
                 std::string_view payload);

}  // namespace netlab
