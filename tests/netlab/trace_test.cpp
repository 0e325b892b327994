// What --trace prints.

#include <gtest/gtest.h>

#include "netlab/trace.hpp"

namespace netlab {
namespace {

TEST(Trace, EscapesWhatIsNotPrintable) {
  EXPECT_EQ(escape("Ping"), "Ping");
  EXPECT_EQ(escape("a \"b\"\n\t\\"), "a \\\"b\\\"\\n\\t\\\\");
  EXPECT_EQ(escape(std::string("\0\x7f\xff", 3)), "\\x00\\x7f\\xff");
}

TEST(Trace, OneLinePerFrameWithDirectionPeerAndLength) {
  EXPECT_EQ(format_frame(Direction::sent, "127.0.0.1:5000", "Ping", false), "-> 127.0.0.1:5000  4 bytes  \"Ping\"\n");
  EXPECT_EQ(format_frame(Direction::received, "[::1]:5000", "x", false), "<- [::1]:5000  1 byte  \"x\"\n");
}

TEST(Trace, HexDumpHasSixteenBytesARow) {
  const std::string text = format_frame(Direction::sent, "p", "0123456789abcdefZ", true);
  EXPECT_EQ(text,
            "-> p  17 bytes  \"0123456789abcdefZ\"\n"
            "    000000  30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66\n"
            "    000010  5a\n");
}

}  // namespace
}  // namespace netlab
