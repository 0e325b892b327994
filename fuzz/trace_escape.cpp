// libFuzzer target: escape() and format_frame(), which print what peers send
// when a student runs with --trace. Whatever the bytes:
// - no crash, leak or sanitizer report;
// - the output is printable ASCII and newlines only, so no peer can drive
//   the student's terminal (colours, cursor moves, a cleared screen);
// - escape() loses nothing: undoing its escapes gives back the bytes.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "netlab/trace.hpp"

namespace {

void check(bool holds, const char* rule) {
  if (holds) return;
  std::fprintf(stderr, "trace_escape: broken rule: %s\n", rule);
  std::abort();
}

bool printable(char c) { return c >= 0x20 && c < 0x7f; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  check(false, "\\x is followed by two lowercase hex digits");
  return 0;
}

std::string unescape(std::string_view text) {
  std::string bytes;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      bytes += text[i];
      continue;
    }
    check(i + 1 < text.size(), "a backslash is never last");
    switch (text[++i]) {
      case 'n': bytes += '\n'; break;
      case 'r': bytes += '\r'; break;
      case 't': bytes += '\t'; break;
      case '"': bytes += '"'; break;
      case '\\': bytes += '\\'; break;
      case 'x':
        check(i + 2 < text.size(), "\\x is followed by two hex digits");
        bytes += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
        i += 2;
        break;
      default: check(false, "only \\n \\r \\t \\\" \\\\ and \\xNN are escapes");
    }
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view payload(reinterpret_cast<const char*>(data), size);

  const std::string escaped = netlab::escape(payload);
  for (const char c : escaped) check(printable(c), "escaped text is printable ASCII");
  check(unescape(escaped) == payload, "undoing the escapes gives back the bytes");

  const std::string line = netlab::format_frame(netlab::Direction::received, "127.0.0.1:5000", payload, true);
  std::size_t newlines = 0;
  for (const char c : line) {
    check(printable(c) || c == '\n', "a trace is printable ASCII and newlines");
    newlines += c == '\n' ? 1 : 0;
  }
  check(newlines == 1 + (size + 15) / 16, "one line, then one hex line per 16 bytes");
  return 0;
}
