// netlab::testing::Process, the end-to-end tests' hold on the programs they
// start: it reads what they print however it is waited on, and nothing it
// started outlives the test.

#include "netlab/testing/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

namespace netlab::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(Process, AProgramThatPrintsMuchIsReadWhileATestOnlyAsksIfItEnded) {
  // A megabyte is more than a pipe holds: unread, the program would block
  // writing and never exit, however often the test asks.
  Process chatty({"/bin/sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; exit 3"});
  std::optional<int> status;
  for (const auto deadline = Clock::now() + 10s; !status && Clock::now() < deadline;) {
    status = chatty.wait(0ms);
    if (!status) std::this_thread::sleep_for(1ms);  // the test's other work
  }
  ASSERT_EQ(status, 3) << "the program never ended; " << chatty.output().size() << " bytes of its output were read";
  EXPECT_EQ(chatty.output(), std::string(1000000, 'x'));
}

// Whether `pid` has ended (a zombie waiting for its new parent counts).
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string number, name, state;
  return !(stat >> number >> name >> state) || state == "Z";
}

TEST(Process, WhatADyingTestStartedDiesWithIt) {
  int channel[2];
  ASSERT_EQ(pipe(channel), 0);
  const pid_t test = fork();
  ASSERT_GE(test, 0);
  if (test == 0) {
    // A test that starts a program, then is killed as ctest kills one that
    // timed out: no destructor runs.
    Process sleeper({"/bin/sleep", "60"});
    const pid_t pid = sleeper.pid();
    (void)!write(channel[1], &pid, sizeof pid);
    raise(SIGKILL);
  }
  close(channel[1]);
  pid_t sleeper = -1;
  ASSERT_EQ(read(channel[0], &sleeper, sizeof sleeper), static_cast<ssize_t>(sizeof sleeper));
  close(channel[0]);
  int status = 0;
  ASSERT_EQ(waitpid(test, &status, 0), test);

  const auto deadline = Clock::now() + 5s;
  while (!ended(sleeper) && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(ended(sleeper)) << "the program the killed test started is still running";
  if (!ended(sleeper)) kill(sleeper, SIGKILL);
}

}  // namespace
}  // namespace netlab::testing
