// Every shape of entry point gives the same answers through a logic host as
// in one process: this file is built both ways (tests/grading/CMakeLists.txt).

#include <gtest/gtest.h>

#include "netlab/error.hpp"
#include "netlab/testing/action.hpp"
#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"
#include "sample.hpp"

namespace {

using netlab::ClientId;
using netlab::testing::Action;
using namespace std::chrono_literals;

TEST(EntryPoints, PlainFunctionsOfEveryType) {
  EXPECT_EQ(sample::shout("hi"), "HI!");
  EXPECT_EQ(sample::split(" a b  c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(sample::find({"x", "y"}, 1), "y");
  EXPECT_EQ(sample::find({"x", "y"}, 2), std::nullopt);
  const std::chrono::system_clock::time_point start{};
  EXPECT_EQ(sample::next_minute(start + 90s), start + 120s);
  EXPECT_EQ(sample::reversed({ClientId{3}, "abc"}), (netlab::Message{ClientId{3}, "cba"}));
  EXPECT_TRUE(sample::is_even(-4));
  EXPECT_FALSE(sample::is_even(7));
  EXPECT_EQ(sample::parse_number("-12"), -12);
}

TEST(EntryPoints, AnExceptionKeepsItsTypeAndText) {
  try {
    (void)sample::parse_number("twelve");
    ADD_FAILURE() << "parse_number did not throw";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "not a number: twelve");
  }
}

TEST(EntryPoints, ClientLogicReturnsAValue) {
  ::testing::NiceMock<netlab::testing::MockClient> client;  // no warning for each call: the test reads the history
  client.will_receive({"42"});
  EXPECT_EQ(netlab::run_sync(sample::ask(client, "answer?")), "42");
  EXPECT_EQ(netlab::run_sync(sample::ask(client, "again?")), "(no answer)");
  EXPECT_EQ(client.history(), (std::vector<Action>{netlab::testing::send("answer?"), netlab::testing::receive("42"),
                                                   netlab::testing::send("again?"),
                                                   netlab::testing::receive_nothing()}));
}

TEST(EntryPoints, ServerLogicUsesEveryCallOfTheServer) {
  ::testing::NiceMock<netlab::testing::MockServer> server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  netlab::run_sync(sample::greet(server, ClientId{3}));
  EXPECT_EQ(server.history(),
            (std::vector<Action>{netlab::testing::broadcast("client 3 joined from 127.0.0.1:40003", ClientId{3}),
                                 netlab::testing::send("3 here", ClientId{3}), netlab::testing::disconnect(ClientId{1})}));
}

TEST(EntryPoints, AnErrorOfTheMockReachesTheLogicAndComesBack) {
  ::testing::NiceMock<netlab::testing::MockServer> server;
  server.connect_clients({ClientId{1}});
  EXPECT_THROW(netlab::run_sync(sample::greet(server, ClientId{9})), netlab::Error);
}

TEST(EntryPoints, ObjectsKeepTheirOwnStateUntilDestroyed) {
  sample::Tally apples("apples");
  sample::Tally pears("pears");
  EXPECT_EQ(apples.add(2), 2);
  EXPECT_EQ(apples.add(3), 5);
  EXPECT_EQ(pears.add(10), 10);
  EXPECT_EQ(apples.report(), "apples: 5");
  EXPECT_EQ(pears.report(), "pears: 10");
  sample::reset(apples);
  EXPECT_EQ(apples.report(), "apples: 0");
  EXPECT_EQ(sample::Tally::alive(), 2);
  {
    const sample::Tally plums("plums");
    EXPECT_EQ(sample::Tally::alive(), 3);
  }
  EXPECT_EQ(sample::Tally::alive(), 2);
}

}  // namespace
