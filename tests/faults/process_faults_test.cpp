// Real programs built with run_server and run_client (faults_server.cpp,
// faults_client.cpp): a server killed under its clients, a client killed
// under its server, and logic that throws on either side. Whatever happens,
// the survivors say what happened in words and exit cleanly: no terminate,
// no sanitizer report, no hang.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <string>
#include <vector>

#include "netlab/run.hpp"
#include "netlab/task.hpp"
#include "netlab/testing/process.hpp"

namespace netlab::faults {
namespace {

using namespace std::chrono_literals;
using netlab::testing::Process;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

// Programs start slowly under sanitizers; these bound each wait, not the test.
constexpr auto kStartup = 10s;
constexpr auto kDeadline = 5s;

void expect_no_crash(const Process& program) {
  for (const char* crash : {"terminate called", "Sanitizer", "runtime error:", "Aborted", "Segmentation fault"}) {
    EXPECT_THAT(program.errors(), Not(HasSubstr(crash))) << "stdout:\n" << program.output();
  }
}

class ProcessFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<Process>(std::vector<std::string>{FAULTS_SERVER, "--port", "0"});
    const auto line = server_->wait_for_line("listening on", kStartup);
    ASSERT_TRUE(line) << server_->errors();
    port_ = std::to_string(testing::listening_port(*line));
  }

  // A client that has connected and had one message echoed.
  std::unique_ptr<Process> connected_client() {
    auto client = std::make_unique<Process>(std::vector<std::string>{FAULTS_CLIENT, "--port", port_});
    client->write_stdin("hello\n");
    EXPECT_TRUE(client->wait_for_line("reply: hello", kStartup)) << client->errors();
    return client;
  }

  // Stops the server as Ctrl-C would; it must exit cleanly.
  void stop_server() {
    server_->send_signal(SIGINT);
    EXPECT_EQ(server_->wait(kDeadline), 0) << server_->errors();
    expect_no_crash(*server_);
  }

  std::unique_ptr<Process> server_;
  std::string port_;
};

TEST_F(ProcessFaults, ServerKilledUnderItsClientsLeavesThemSayingSoAndExitingCleanly) {
  std::vector<std::unique_ptr<Process>> clients;
  for (int i = 0; i < 3; ++i) clients.push_back(connected_client());
  // Two wait for a message from the server; the third waits at the keyboard.
  for (int i = 0; i < 2; ++i) {
    clients[i]->write_stdin("wait\n");
    ASSERT_TRUE(clients[i]->wait_for_line("waiting", kDeadline));
  }
  server_->send_signal(SIGKILL);
  ASSERT_TRUE(server_->wait(kDeadline));

  for (auto& client : clients) {
    const auto status = client->wait(kDeadline);
    ASSERT_TRUE(status) << "a client did not notice its server was gone";
    EXPECT_EQ(*status, kExitServerClosed) << client->errors();
    EXPECT_THAT(client->errors(), AnyOf(HasSubstr("faults_client: the server closed the connection"),
                                        HasSubstr("faults_client: connection lost: 127.0.0.1:")));
    expect_no_crash(*client);
  }
}

// Stopped with Ctrl-C, a server closes every connection; a client waiting at
// the keyboard says so at once, without waiting for Enter, and the server is
// not kept waiting for it.
TEST_F(ProcessFaults, AClientAtTheKeyboardNoticesAtOnceThatTheServerStopped) {
  auto client = connected_client();
  stop_server();
  EXPECT_EQ(client->wait(kDeadline), kExitServerClosed) << "stdout:\n" << client->output() << client->errors();
  EXPECT_THAT(client->errors(),
              HasSubstr("faults_client: the server closed the connection (it stopped, or it disconnected this client)"));
  expect_no_crash(*client);
}

TEST_F(ProcessFaults, ClientKilledUnderItsServerIsSeenLeavingAndTheOthersAreServed) {
  auto doomed = connected_client();
  doomed->write_stdin("send one more\n");
  doomed->send_signal(SIGKILL);
  ASSERT_TRUE(doomed->wait(kDeadline));
  EXPECT_TRUE(server_->wait_for_line("client 1 left", kDeadline)) << server_->errors();

  auto survivor = connected_client();
  survivor->close_stdin();
  EXPECT_EQ(survivor->wait(kDeadline), 0) << survivor->errors();
  stop_server();
}

TEST_F(ProcessFaults, ServerLogicThatThrowsIsReportedAndTheServerServesOn) {
  auto client = connected_client();
  client->write_stdin("send throw\nsend throw-int\nstill served?\n");
  EXPECT_TRUE(client->wait_for_line("reply: still served?", kDeadline)) << server_->errors();
  auto other = connected_client();
  for (auto* program : {client.get(), other.get()}) {
    program->write_stdin("wait\n");
    ASSERT_TRUE(program->wait_for_line("waiting", kDeadline));
  }
  stop_server();

  const std::string& report = server_->errors();
  EXPECT_THAT(report, HasSubstr("error in server_logic, handling \"throw\" from client 1 (127.0.0.1:"));
  EXPECT_THAT(report, HasSubstr("): the logic failed on purpose. The server goes on serving its clients"));
  EXPECT_THAT(report, HasSubstr("handling \"throw-int\" from client 1 (127.0.0.1:"));
  EXPECT_THAT(report, HasSubstr("an exception that is not a std::exception"));
  for (auto* program : {client.get(), other.get()}) {
    EXPECT_EQ(program->wait(kDeadline), kExitServerClosed) << program->errors();
    EXPECT_THAT(program->errors(), HasSubstr("the server closed the connection"));
  }
}

TEST_F(ProcessFaults, ClientLogicThatThrowsExitsWithAReadableError) {
  struct Case {
    const char* line;
    const char* error;
  };
  for (const Case& bug : {Case{"throw", "error in client_logic: the logic failed on purpose"},
                          Case{"throw-int", "error in client_logic: an exception that is not a std::exception"}}) {
    SCOPED_TRACE(bug.line);
    auto client = connected_client();
    client->write_stdin(std::string(bug.line) + "\n");
    EXPECT_EQ(client->wait(kDeadline), 1);
    EXPECT_THAT(client->errors(), HasSubstr(bug.error));
    expect_no_crash(*client);
  }
  EXPECT_TRUE(server_->wait_for_line("client 2 left", kDeadline)) << server_->errors();
  stop_server();
  EXPECT_THAT(server_->errors(), Not(HasSubstr("error"))) << "a client's bug is not the server's error";
}

// A crash in logic (a failed library check, a segmentation fault,
// std::terminate) names the function, the message and client it was
// handling, and a hint that fits the check that fired, or none.
TEST_F(ProcessFaults, ACrashInServerLogicSaysWhereAndGivesTheHintThatFits) {
  struct Case {
    const char* message;
    const char* report;
    const char* hint;  // nullptr: no hint fits
  };
  for (const Case& crash : {
           Case{"crash-index", "a library check failed: __n < this->size()", "hint: an index out of range"},
           Case{"crash-optional", "a library check failed: this->_M_is_engaged()",
                "hint: an empty std::optional was used"},
           Case{"crash-null", "invalid memory access (segmentation fault)", "hint: a null pointer was used"},
           Case{"crash-terminate", "std::terminate was called", nullptr},
       }) {
    SCOPED_TRACE(crash.message);
    // Under the sanitizers, UBSan stops a null load before it faults, with a report of its own.
    if (detail::kAddressSanitizer && crash.message == std::string("crash-null")) continue;
    if (crash.message != std::string("crash-index")) SetUp();  // the last one crashed
    auto client = connected_client();
    client->write_stdin(std::string("send ") + crash.message + "\n");
    const auto status = server_->wait(kDeadline);
    ASSERT_TRUE(status) << "the server did not crash: " << server_->errors();
    EXPECT_NE(*status, 0);
    const std::string& report = server_->errors();
    EXPECT_THAT(report, HasSubstr(std::string("faults_server: server_logic crashed, handling \"") + crash.message +
                                  "\" from client 1 (127.0.0.1:"));
    EXPECT_THAT(report, HasSubstr(crash.report));
    if (crash.hint != nullptr) {
      EXPECT_THAT(report, HasSubstr(crash.hint));
    } else {
      EXPECT_THAT(report, Not(HasSubstr("hint:")));
    }
    EXPECT_THAT(report, Not(HasSubstr("*reply"))) << "a hint about a variable this logic does not have";
    if (crash.message == std::string("crash-index")) {
      EXPECT_THAT(report, HasSubstr("server.clients() lists only"));
    }
    client->wait(kDeadline);
  }
}

// A crash in client logic names the function and what it was handling: the
// line typed, and what receive_message() gave it.
TEST_F(ProcessFaults, ACrashInClientLogicSaysWhatItWasHandling) {
  auto client = connected_client();
  client->write_stdin("crash-index hello\n");
  const auto status = client->wait(kDeadline);
  ASSERT_TRUE(status) << "the client did not crash: " << client->errors();
  EXPECT_NE(*status, 0);
  EXPECT_THAT(client->errors(), HasSubstr("faults_client: client_logic crashed, after the line \"crash-index hello\" "
                                          "was typed and receive_message() gave \"hello\": a library check failed: "
                                          "__pos <= size()"));
  EXPECT_THAT(client->errors(), HasSubstr("hint: an index out of range"));
  EXPECT_THAT(client->errors(), Not(HasSubstr("server.clients()"))) << "a hint about the server, to a client";
  EXPECT_TRUE(server_->wait_for_line("client 1 left", kDeadline)) << server_->errors();
  stop_server();
}

}  // namespace
}  // namespace netlab::faults
