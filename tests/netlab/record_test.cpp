// What --record writes: one JSON line per frame and per connection that opens
// or closes, with every payload byte recoverable.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "netlab/error.hpp"
#include "netlab/record.hpp"
#include "netlab/tcp_server.hpp"
#include "netlab/testing/round_trip.hpp"

namespace netlab {
namespace {

using namespace std::string_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(Json, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(json_string("Ping"), "\"Ping\"");
  EXPECT_EQ(json_string("a \"b\"\n\t\\"), "\"a \\\"b\\\"\\n\\t\\\\\"");
  EXPECT_EQ(json_string(std::string("\0\x1f\x7f", 3)), "\"\\u0000\\u001f\\u007f\"");
  EXPECT_EQ(json_string("</script> é ✓"), "\"</script> é ✓\"") << "valid UTF-8 passes through";
}

TEST(Json, TellsValidUtf8FromInvalid) {
  EXPECT_TRUE(is_valid_utf8("plain, é, ✓, 😀"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3")) << "a sequence cut short";
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf")) << "an overlong '/'";
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80")) << "a surrogate";
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80")) << "past U+10FFFF";
}

TEST(Json, Base64AsInRfc4648) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("\xff\xfe"), "//4=");
}

class Recording : public ::testing::Test {
 protected:
  std::vector<std::string> lines() const {
    std::ifstream in(path_);
    std::vector<std::string> read;
    for (std::string line; std::getline(in, line);) read.push_back(line);
    return read;
  }
  void TearDown() override { std::filesystem::remove(path_); }

  const std::string path_ = (std::filesystem::temp_directory_path() /
                             ("netlab_record_test." + std::to_string(::getpid()) + ".jsonl"))
                                .string();
};

TEST_F(Recording, AFrameIsOneLineNamingThePeer) {
  Recorder recorder(path_, "pingpong1_server", Recorder::Role::server);
  recorder.joined("client 1", "127.0.0.1:40000");
  recorder.frame(Direction::received, "127.0.0.1:40000", "Ping");
  recorder.frame(Direction::sent, "127.0.0.1:40000", "\xff\x00"s);
  recorder.left("127.0.0.1:40000");
  const std::string start =
      "\\{\"t\":[0-9]+,\"program\":\"pingpong1_server\",\"pid\":[0-9]+,\"role\":\"server\",\"event\":";
  const std::string peer = "\"peer\":\"client 1\"";
  EXPECT_THAT(lines(), ElementsAre(MatchesRegex(start + "\"join\"," + peer + ",\"address\":\"127.0.0.1:40000\"\\}"),
                                   MatchesRegex(start + "\"received\"," + peer + ",\"length\":4,\"text\":\"Ping\"\\}"),
                                   MatchesRegex(start + "\"sent\"," + peer + ",\"length\":2,\"base64\":\"/wA=\"\\}"),
                                   MatchesRegex(start + "\"leave\"," + peer + "\\}")));
}

TEST_F(Recording, TwoRecordersAppendToOneFile) {
  Recorder server(path_, "s", Recorder::Role::server);
  Recorder client(path_, "c", Recorder::Role::client);
  server.listening("127.0.0.1:5000");
  client.joined("server", "127.0.0.1:5000", "127.0.0.1:40000");
  const auto read = lines();
  ASSERT_EQ(read.size(), 2U);
  EXPECT_THAT(read[0], HasSubstr("\"role\":\"server\",\"event\":\"listen\",\"address\":\"127.0.0.1:5000\""));
  EXPECT_THAT(read[1], HasSubstr("\"event\":\"join\",\"peer\":\"server\",\"address\":\"127.0.0.1:5000\","
                                 "\"local\":\"127.0.0.1:40000\""));
}

TEST_F(Recording, StartedAfreshTheFileHoldsTheNewLinesAlone) {
  Recorder(path_, "s", Recorder::Role::server).listening("127.0.0.1:5000");
  Recorder(path_, "s", Recorder::Role::server, Recorder::Start::afresh).listening("127.0.0.1:6000");
  const auto read = lines();
  ASSERT_EQ(read.size(), 1U);
  EXPECT_THAT(read[0], HasSubstr("\"address\":\"127.0.0.1:6000\""));
}

TEST_F(Recording, AFileThatCannotBeOpenedIsNamed) {
  try {
    Recorder recorder("/nonexistent-directory/run.jsonl", "s", Recorder::Role::server);
    FAIL() << "expected an Error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("cannot record to /nonexistent-directory/run.jsonl: No such file or directory"));
  }
}

Task<void> echo(Server& server, Message message) { co_await server.send_message(message.from, message.text); }

TEST_F(Recording, AServerRecordsItsConversationAsItHappened) {
  ConnectionOptions options;
  options.recorder = std::make_shared<Recorder>(path_, "echo_server", Recorder::Role::server);
  EventLoop loop;
  TcpServer server(loop, {.on_message = {"echo", echo}}, options);
  loop.run(server.listen("127.0.0.1", 0));
  EXPECT_EQ(testing::round_trip(loop, server.port(), "Ping"), "Ping");
  std::vector<std::string> seen;
  for (const auto& line : lines()) {
    const auto at = line.find("\"event\":\"") + 9;
    seen.push_back(line.substr(at, line.find('"', at) - at) + " " +
                   (line.find("\"peer\":\"client 1\"") != std::string::npos ? "client 1" : "-"));
  }
  EXPECT_THAT(seen, ElementsAre("listen -", "join client 1", "received client 1", "sent client 1", "leave client 1"));
}

}  // namespace
}  // namespace netlab
