// The stage test helpers hold students to what the handouts say.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "logic_testing.hpp"

namespace {

using stage_testing::ClientRun;
using stage_testing::expect_printed;

ClientRun printed(std::string text) { return {"client_logic", {}, std::move(text)}; }

TEST(ExpectPrinted, AReplyOnALineOfItsOwnPasses) {
  expect_printed(printed("Pong\n"), "Pong");
  expect_printed(printed("got: Pong\nbye\n"), "Pong");
}

// "Print the reply on a line of its own": without its newline, the next
// prompt or reply would run on after it.
TEST(ExpectPrinted, AReplyWithoutItsNewlineFailsAndSaysSo) {
  EXPECT_NONFATAL_FAILURE(expect_printed(printed("Pong"), "Pong"),
                          "client_logic printed \"Pong\" without a newline after it; expected it to print \"Pong\" "
                          "on a line of its own");
  EXPECT_NONFATAL_FAILURE(expect_printed(printed("Ping\nPong"), "Pong"), "without a newline after it");
}

TEST(ExpectPrinted, NothingPrintedSaysNothing) {
  EXPECT_NONFATAL_FAILURE(expect_printed(printed(""), "Pong"), "client_logic did nothing and printed nothing");
}

TEST(CalledWith, AFailureSaysWhatTheLogicWasGiven) {
  EXPECT_EQ(stage_testing::called_with("client2_logic", "Ping"), "client2_logic(client, \"Ping\")");
}

}  // namespace
