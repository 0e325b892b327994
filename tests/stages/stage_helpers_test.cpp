// The stage test helpers hold students to what the handouts say.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <iostream>

#include "logic_testing.hpp"

namespace {

using stage_testing::ClientRun;
using stage_testing::expect_printed;
using stage_testing::run_client;

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

// Client logic with two of a student's first slips: it uses the reply
// without checking that there is one, and reads past its end.
netlab::Task<void> prints_the_reply_unchecked(netlab::Client& client) {
  co_await client.send_message("question");
  const auto reply = co_await client.receive_message();
  std::cout << *reply << " starts with " << (*reply)[1000] << std::endl;
}

// A crash report names what the client logic was handling: what
// receive_message() gave it, or that it gave nothing.
TEST(CrashReportDeathTest, ClientLogicThatCrashesNamesWhatItReceived) {
  netlab::testing::MockClient closed;
  EXPECT_DEATH(run_client("client_logic", closed, prints_the_reply_unchecked(closed)),
               "stage_helpers_test: client_logic crashed, after receive_message\\(\\) gave nothing \\(the server "
               "had closed the connection\\): a library check failed: this->_M_is_engaged\\(\\).*\n"
               "  hint: an empty std::optional was used");

  netlab::testing::MockClient answered;
  answered.will_receive({"Pong"});
  EXPECT_DEATH(run_client(stage_testing::called_with("client2_logic", "Ping"), answered,
                          prints_the_reply_unchecked(answered)),
               "stage_helpers_test: client2_logic\\(client, \"Ping\"\\) crashed, after receive_message\\(\\) gave "
               "\"Pong\": a library check failed: __pos <= size\\(\\).*\n  hint: an index out of range");
}

}  // namespace
