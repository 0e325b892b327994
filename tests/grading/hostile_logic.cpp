// pingpong1's logic as a submission that tries to fool the grader would write
// it. NETLAB_HOSTILE names the trick; check_graded.py runs the graded tests
// against each and checks that every test fails, says why, and that nothing
// the logic started outlives the test.

#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "pingpong1.hpp"

namespace {

// Writes a process id to the file NETLAB_HOSTILE_PIDS names, so that the
// check can look for that process afterwards.
void note_pid(pid_t pid) {
  if (const char* path = std::getenv("NETLAB_HOSTILE_PIDS")) std::ofstream(path, std::ios::app) << pid << '\n';
}

void misbehave() {
  const std::string_view way = std::getenv("NETLAB_HOSTILE") != nullptr ? std::getenv("NETLAB_HOSTILE") : "";
  if (way == "exit") std::exit(0);
  if (way == "_Exit") std::_Exit(0);
  if (way == "abort") std::abort();
  if (way == "segfault") std::raise(SIGSEGV);
  if (way == "endless_loop") {
    volatile unsigned long spins = 0;
    while (true) spins = spins + 1;
  }
  if (way == "fake_test_output") {
    constexpr const char* kFake = "[       OK ] ServerLogic.AnswersPingWithPong (0 ms)\n[  PASSED  ] 2 tests.\n";
    std::cout << kFake << std::flush;
    std::printf("%s", kFake);
    std::fflush(stdout);
    for (int fd : {1, 2}) (void)!write(fd, kFake, std::char_traits<char>::length(kFake));
  }
  if (way == "garbage_on_the_pipe") {
    constexpr char kGarbage[] = "\x07\x00\x00\x00\x04garbage";
    for (int fd = 0; fd < 64; ++fd) (void)!write(fd, kGarbage, sizeof kGarbage);
  }
  if (way == "lingering_children") {
    // One child stays in the host's process group, one leaves it; the host
    // then ends, and the children hold its pipes open.
    for (bool leave_group : {false, true}) {
      const pid_t child = fork();
      if (child == 0) {
        if (leave_group) setsid();
        for (int second = 0; second < 60; ++second) sleep(1);
        std::_Exit(0);
      }
      note_pid(child);
    }
    std::_Exit(0);
  }
}

}  // namespace

namespace pingpong1 {

netlab::Task<void> client_logic(netlab::Client& client) {
  misbehave();
  co_await client.send_message("Ping");
}

netlab::Task<void> server_logic(netlab::Server& server, netlab::Message message) {
  misbehave();
  co_await server.send_message(message.from, "Ping");  // not Pong: a test must fail on what the logic did
}

}  // namespace pingpong1
