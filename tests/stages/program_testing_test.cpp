// The end-to-end helpers say which side failed and how, as soon as that is
// known. Each test runs the toy stage's programs (toy/) so that one side goes
// wrong one way, and reads the failure the helper reports. How long each
// wait took is printed as a figure; the tests assert the cause named.

#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <string>

#include "program_testing.hpp"

namespace {

using namespace std::chrono_literals;
using stage_testing::Program;
using stage_testing::Server;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSilence = std::to_string(stage_testing::kSilence.count()) + " ms";

// The failure `expectation` reports, which must be exactly one; prints how
// long it took to be known.
std::string failure_of(const std::function<void()>& expectation) {
  ::testing::TestPartResultArray failures;
  const auto start = std::chrono::steady_clock::now();
  {
    const ::testing::ScopedFakeTestPartResultReporter capture(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    expectation();
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  std::cout << "figure: " << ::testing::UnitTest::GetInstance()->current_test_info()->name()
            << ": the failure was known after " << took.count() << " ms (the deadline is "
            << stage_testing::kDeadline.count() << " ms)" << std::endl;
  EXPECT_EQ(failures.size(), 1) << "expected the helper to report one failure";
  return failures.size() == 0 ? "" : failures.GetTestPartResult(0).message();
}

// Started with the toy server: the client sends `text` and prints the reply.
std::vector<std::string> sending(const Server& server, std::string text) {
  return {"--port", server.port(), "--send", std::move(text)};
}

TEST(EndToEndFailures, AServerThatNeverAnswersIsBlamedOnceItFallsSilent) {
  Server server;
  Program client("client", sending(server, "hush"));
  EXPECT_THAT(failure_of([&] { client.expect_line("reply"); }),
              HasSubstr("printed nothing; expected a line with \"reply\", but the server never answered (it received "
                        "\"hush\" from client 1, then sent nothing for " + kSilence + ")"));

  Program next("client", sending(server, "hush"));
  EXPECT_THAT(failure_of([&] { next.expect_next_line(); }),
              HasSubstr("expected another line, but the server never answered (it received \"hush\" from client 2"));

  Program last("client", sending(server, "hush"));
  EXPECT_THAT(failure_of([&] { last.expect_exit(0, {"reply: answer"}); }),
              HasSubstr("and had not exited: the server never answered (it received \"hush\" from client 3"));
}

TEST(EndToEndFailures, AServerThatCrashesIsBlamedWithWhatItWasHandling) {
  Server server;
  Program client("client", sending(server, "crash"));
  const std::string failure = failure_of([&] { client.expect_line("reply"); });
  EXPECT_THAT(failure, HasSubstr(server.name() + " crashed (killed by SIGABRT, status 134)"));
  EXPECT_THAT(failure, HasSubstr("\"toy_server: server_logic crashed, handling \\\"crash\\\" from client 1 (127.0.0.1:"));
  EXPECT_THAT(failure, HasSubstr("a library check failed: this->_M_is_engaged()"));
}

TEST(EndToEndFailures, AClientThatExitsIsBlamedWithItsStatusAndWhatItPrinted) {
  Server server;
  Program client("client", sending(server, "bye"));
  const std::string failure = failure_of([&] { client.expect_line("reply"); });
  EXPECT_THAT(failure, HasSubstr("printed nothing, and on stderr \"toy_client: the server closed the connection"));
  EXPECT_THAT(failure, HasSubstr("expected a line with \"reply\", but it exited with status 3"));
  EXPECT_THAT(failure, Not(HasSubstr("the server never answered"))) << "the server did what it was asked: disconnect";

  Program again("client", sending(server, "bye"));
  EXPECT_THAT(failure_of([&] { again.expect_exit(0, {"reply: answer"}); }),
              HasSubstr("and exited with status 3; expected it to print \"reply: answer\""));
}

TEST(EndToEndFailures, AClientThatCrashesIsBlamedWithWhatItWasHandling) {
  Server server;
  const std::vector<std::string> unchecked{"--port", server.port(), "--send", "bye", "--unchecked"};
  const std::string report = "toy_client: client_logic crashed, after receive_message() gave nothing (the server had "
                             "closed the connection): a library check failed: this->_M_is_engaged()";

  Program client("client", unchecked);
  const std::string failure = failure_of([&] { client.expect_line("reply"); });
  EXPECT_THAT(failure, HasSubstr("expected a line with \"reply\", but it crashed (killed by SIGABRT, status 134)"));
  EXPECT_THAT(failure, HasSubstr(report));

  // Seen from another program's wait.
  Program other("client", unchecked);
  const std::string seen = failure_of([&] { server.expect_line("a line it never prints"); });
  EXPECT_THAT(seen, HasSubstr("but " + other.name() + " crashed (killed by SIGABRT, status 134) meanwhile"));
  EXPECT_THAT(seen, HasSubstr(report));
}

// Clients of one test end in any order: one that exits cleanly is no answer.
TEST(EndToEndFailures, AnotherClientEndingCleanlyDoesNotEndTheWait) {
  Server server;
  Program leaving("client", {"--port", server.port()});  // exits when its input ends
  ASSERT_TRUE(server.expect_line("client 1 connected"));
  Program client("client", sending(server, "hush"));
  ASSERT_TRUE(server.expect_line("client 2 connected"));

  leaving.process().close_stdin();
  const std::string failure = failure_of([&] { client.expect_line("reply"); });
  EXPECT_THAT(failure, HasSubstr("but the server never answered (it received \"hush\" from client 2"));
  EXPECT_THAT(failure, Not(HasSubstr("exited with status 0")));
  EXPECT_EQ(leaving.process().wait(0ms), 0) << "the other client was to end, cleanly, while the test waited";
}

}  // namespace
