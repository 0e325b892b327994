// The example programs over loopback: what tools/demo shows, as a test.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "netlab/event_loop.hpp"
#include "netlab/testing/process.hpp"
#include "netlab/testing/round_trip.hpp"

using namespace std::chrono_literals;
using netlab::testing::listening_port;
using netlab::testing::Process;

namespace {

class Countdown : public testing::Test {
 protected:
  void SetUp() override {
    auto line = server_.wait_for_line("listening on", 10s);
    ASSERT_TRUE(line) << "countdown_server did not start:\n" << server_.errors();
    port_ = std::to_string(listening_port(*line));
  }

  Process server_{{COUNTDOWN_SERVER, "--port", "0"}};
  std::string port_;
};

TEST_F(Countdown, ClientPrintsEachNumberThenLiftoff) {
  Process client({COUNTDOWN_CLIENT, "--port", port_, "--from", "3"});
  ASSERT_EQ(client.wait(20s), 0) << client.errors();
  EXPECT_EQ(client.output(), "3\n2\n1\nLiftoff!\n");
}

TEST_F(Countdown, ServerAnswersWhatIsNotANumberWithAdvice) {
  netlab::EventLoop loop;
  EXPECT_EQ(netlab::testing::round_trip(loop, static_cast<std::uint16_t>(std::stoi(port_)), "ten"),
            "send a number from 0 to 100");
}

}  // namespace
