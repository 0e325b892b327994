#pragma once
// Helpers for the stages' end-to-end tests, which start the real programs on
// the loopback interface and a free port. Every wait has a deadline, and a
// failure says what the program printed.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/run.hpp"
#include "netlab/testing/process.hpp"

namespace stage_testing {

// How long a program may take to do what a test waits for: long enough for a
// loaded machine and a sanitizer build; loopback replies take milliseconds.
inline constexpr std::chrono::milliseconds kDeadline{5000};
// How long nothing may happen (no output from any program of the test, no
// message on the server's wire) before a wait ends as "nobody answered":
// where the answer is known, a failing test need not wait out kDeadline.
inline constexpr std::chrono::milliseconds kSilence{1500};

// Where this stage's program for `role` ("server", "client1"...) is: the
// variant the test program tests. Defined in program_path.cpp, which
// cmake/stages.cmake compiles into each end-to-end test program.
std::string program_path(std::string_view role);

// A program under test, named for messages: "pingpong1_client --count 3".
// While a test waits for one program, it watches the others it started: a
// failure says which side failed and how (the server crashed, and what it
// was handling; the server never answered; the client exited with status N).
class Program {
 public:
  // Starts the stage's program for `role` with `args`:
  //   Program client("client", {"--port", server.port(), "--count", "3"});
  // With Stdio::terminal its stdin and stdout are a terminal, as when a person types.
  Program(std::string_view role, std::vector<std::string> args,
          netlab::testing::Process::Stdio stdio = netlab::testing::Process::Stdio::pipes);
  ~Program();
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;

  netlab::testing::Process& process() noexcept { return process_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

  // Waits up to kDeadline for a line of stdout containing `text`; fails the
  // test (at the caller's line) and returns false if none comes.
  bool expect_line(std::string_view text, std::source_location where = std::source_location::current());

  // Waits up to kDeadline for the next line the program prints and returns
  // it; fails the test (at the caller's line) and returns nothing if none comes.
  std::optional<std::string> expect_next_line(std::source_location where = std::source_location::current());

  // Waits up to kDeadline for the program to exit by itself; checks that it
  // exited with `status` and printed exactly one line per entry of `lines`,
  // each containing that entry. Fails the test and returns false otherwise.
  bool expect_exit(int status, const std::vector<std::string>& lines,
                   std::source_location where = std::source_location::current());

  // Sends SIGINT (Ctrl-C) and checks that the program exits with `status`
  // within kDeadline.
  bool expect_stops(int status, std::source_location where = std::source_location::current());

 private:
  // What it printed, in words; a server's trace lines are left out.
  [[nodiscard]] std::string story() const;
  // Waits (in short slices, calling `done` with each) up to kDeadline for
  // `done` to hold; returns "" if it did, else why the wait ended: another
  // program of the test exited, or nothing happened for kSilence.
  std::string wait_watching(const std::function<bool(std::chrono::milliseconds)>& done);
  // Why a server has not answered, from the last message on its wire.
  [[nodiscard]] std::string last_on_the_wire() const;
  // "; meanwhile <program> crashed ..." for each other program of the test that did.
  std::string crashes_elsewhere();

  std::string name_;
  netlab::testing::Process process_;
  bool server_ = false;  // started with --trace: its stderr shows the wire
  friend class Server;
};

// Starts the stage's server (or the program for `role`) on a free port of
// 127.0.0.1 and waits until it listens; throws, with what it printed, if it does not.
class Server : public Program {
 public:
  explicit Server(std::string_view role = "server");
  [[nodiscard]] std::string port() const { return std::to_string(port_); }

 private:
  std::uint16_t port_ = 0;
};

}  // namespace stage_testing
