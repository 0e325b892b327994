// Peers that misbehave on the wire, against a TcpServer over loopback: the
// server drops each with a reason in words, keeps serving everyone else, and
// its memory does not grow with what a peer claims or refuses to read.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "harness.hpp"
#include "netlab/testing/round_trip.hpp"
#include "netlab/error.hpp"
#include "netlab/framing.hpp"
#include "netlab/tcp_client.hpp"
#include "netlab/tcp_server.hpp"

namespace netlab::faults {
namespace {

using namespace std::chrono_literals;
using ::testing::AnyOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using End = RawPeer::End;

constexpr auto kDeadline = 5s;
constexpr std::size_t kKiB = 1024;

std::string header(std::uint32_t announced) {
  return {static_cast<char>(announced >> 24), static_cast<char>(announced >> 16), static_cast<char>(announced >> 8),
          static_cast<char>(announced)};
}

Task<void> echo(Server& server, Message message) { co_await server.send_message(message.from, message.text); }

class NetworkFaults : public ::testing::Test {
 protected:
  void start(ServerHandlers handlers, ConnectionOptions options = {}) {
    options_ = options;
    server_ = std::make_unique<TcpServer>(loop_, std::move(handlers), options);
    reports_ = std::make_unique<Reports>(loop_, *server_);
    loop_.run(server_->listen("127.0.0.1", 0));
  }

  Task<std::unique_ptr<TcpClient>> connect() {
    return TcpClient::connect(loop_, "127.0.0.1", server_->port(), options_);
  }

  // A well-behaved client's round trip: the proof that the server serves on.
  std::optional<std::string> ask(const std::string& text) {
    return netlab::testing::round_trip(loop_, server_->port(), text, options_);
  }

  // Runs the loop until `count` clients are connected.
  bool wait_for_clients(std::size_t count) {
    return run_until(loop_, [&] { return server_->clients().size() == count; }, kDeadline);
  }

  EventLoop loop_;
  ConnectionOptions options_;
  std::unique_ptr<TcpServer> server_;  // after the loop: destroyed before it
  std::unique_ptr<Reports> reports_;
};

TEST_F(NetworkFaults, ClientsVanishingMidFrameAreReportedAndTheOthersServed) {
  start({.on_message = {"echo", echo}});
  RawPeer leaver(server_->port());
  ASSERT_TRUE(leaver.send(header(10) + "Pin"));
  leaver.close();
  RawPeer crasher(server_->port());
  ASSERT_TRUE(crasher.send(header(10) + "Pin"));
  crasher.reset();

  // The kernel may deliver the reset as a reset or, when it came before the
  // server accepted, as an end of stream: either is reported as a loss.
  EXPECT_TRUE(reports_->wait_for("closed the connection in the middle of a message (7 bytes of it had arrived)",
                                 kDeadline))
      << reports_->all();
  ASSERT_TRUE(run_until(loop_, [&] { return reports_->lines().size() == 2; }, kDeadline)) << reports_->all();
  for (const auto& report : reports_->lines()) {
    EXPECT_THAT(report, HasSubstr("connection lost: "));
    EXPECT_THAT(report, AnyOf(HasSubstr("in the middle of a message"), HasSubstr("reset the connection")));
  }
  EXPECT_EQ(ask("still there?"), "still there?");
  EXPECT_TRUE(server_->clients().empty());
}

// A write to a peer that has gone raises SIGPIPE, whose default action ends
// the process without a word: the library must turn it into an Error.
TEST_F(NetworkFaults, LogicThatKeepsSendingToAClientThatLeftGetsAnErrorNotSigpipe) {
  std::string failure;
  start({.on_message = {"keeps sending", [&](Server& server, Message message) -> Task<void> {
                          try {
                            for (int i = 0; i < 1000; ++i) {
                              co_await server.send_message(message.from, "are you still there?");
                              co_await loop_.sleep(2ms);
                            }
                          } catch (const Error& error) {
                            failure = error.what();
                          }
                        }}});
  RawPeer leaver(server_->port());
  ASSERT_TRUE(leaver.send(header(2) + "hi"));
  leaver.close();
  EXPECT_TRUE(run_until(loop_, [&] { return !failure.empty(); }, kDeadline)) << "the logic was never told";
  EXPECT_THAT(failure, HasSubstr("it has closed the connection (its program stopped, or it closed this connection)"));
}

TEST_F(NetworkFaults, LyingLengthHeadersCloseOnlyThatConnectionAndAllocateNothing) {
  start({.on_message = {"echo", echo}});
  ASSERT_EQ(ask("warm-up"), "warm-up");
  for (const std::uint32_t announced : {std::uint32_t{kDefaultMaxPayload + 1}, 0x7fffffffU, 0xffffffffU}) {
    SCOPED_TRACE("a header announcing " + std::to_string(announced) + " bytes");
    const auto before = process_figures();
    RawPeer liar(server_->port());
    ASSERT_TRUE(liar.send(header(announced) + std::string(100, 'x')));
    const auto report = reports_->wait_for("sent a bad header: a message of " + std::to_string(announced) + " bytes was announced", kDeadline);
    ASSERT_TRUE(report) << reports_->all();
    EXPECT_THAT(*report, HasSubstr("more than the 1048576-byte limit"));
    EXPECT_THAT(*report, HasSubstr("closing that connection"));
    EXPECT_NE(liar.wait_for_end(kDeadline), End::still_open) << "the liar's connection must be closed";
    EXPECT_LT(process_figures().heap_bytes, before.heap_bytes + 64 * kKiB)
        << "the server allocated for what the header claimed";
  }
  EXPECT_EQ(ask("still there?"), "still there?");
}

TEST_F(NetworkFaults, FrameExactlyAtTheLimitArrivesAndOneByteOverIsRefused) {
  auto measure = [](Server& server, Message message) -> Task<void> {
    co_await server.send_message(message.from, std::to_string(message.text.size()));
  };
  start({.on_message = {"measure", measure}});
  EXPECT_EQ(ask(std::string(kDefaultMaxPayload, 'L')), std::to_string(kDefaultMaxPayload));

  RawPeer over(server_->port());
  ASSERT_TRUE(over.send(header(kDefaultMaxPayload + 1) + std::string(64 * kKiB, 'L')));
  EXPECT_TRUE(reports_->wait_for("a message of 1048577 bytes was announced", kDeadline)) << reports_->all();
  EXPECT_NE(over.wait_for_end(kDeadline), End::still_open);
  EXPECT_EQ(ask(""), "0");
}

TEST_F(NetworkFaults, NonUtf8BytesArriveUnchangedAndTheTraceEscapesThem) {
  std::FILE* trace = std::tmpfile();
  ASSERT_NE(trace, nullptr);
  ConnectionOptions traced;
  traced.trace = {.enabled = true, .hex = false, .out = trace};
  start({.on_message = {"echo", echo}}, traced);

  std::string bytes;
  for (int byte = 0; byte < 256; ++byte) bytes += static_cast<char>(byte);
  // Invalid UTF-8: a lone continuation byte, an overlong '/', a UTF-16 surrogate, a code point past U+10FFFF.
  bytes += "\x80|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80|\xc3";
  EXPECT_EQ(ask(bytes), bytes);

  std::rewind(trace);
  std::string printed;
  for (int c; (c = std::fgetc(trace)) != EOF;) printed += static_cast<char>(c);
  std::fclose(trace);
  EXPECT_THAT(printed, HasSubstr("\\x00\\x01"));
  EXPECT_THAT(printed, HasSubstr("\\xed\\xa0\\x80"));
  for (const char c : printed) {
    ASSERT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7f))
        << "the trace printed the raw byte " << static_cast<int>(static_cast<unsigned char>(c))
        << ": a peer could drive the student's terminal";
  }
}

TEST_F(NetworkFaults, PeerStallingMidFrameIsDroppedAfterTheTimeoutAndAnIdlePeerIsNot) {
  ConnectionOptions options;
  options.partial_frame_timeout = 200ms;
  start({.on_message = {"echo", echo}}, options);
  const auto started = std::chrono::steady_clock::now();
  RawPeer idle(server_->port());
  RawPeer half_header(server_->port());
  ASSERT_TRUE(half_header.send(header(10).substr(0, 2)));
  RawPeer half_payload(server_->port());
  ASSERT_TRUE(half_payload.send(header(10) + "Ping"));

  const auto header_report = reports_->wait_for("2 bytes of it arrived, then nothing for 200 ms", kDeadline);
  const auto payload_report = reports_->wait_for("8 bytes of it arrived, then nothing for 200 ms", kDeadline);
  ASSERT_TRUE(header_report && payload_report) << reports_->all();
  EXPECT_THAT(*header_report, HasSubstr("stopped in the middle of a message"));
  EXPECT_THAT(*header_report, HasSubstr("(partial_frame_timeout): closing that connection"));
  // libuv times from the loop's cached clock, which may lag a few milliseconds behind `started`.
  EXPECT_GE(std::chrono::steady_clock::now() - started, 190ms) << "dropped before the timeout";
  EXPECT_NE(half_header.wait_for_end(kDeadline), End::still_open);
  EXPECT_NE(half_payload.wait_for_end(kDeadline), End::still_open);
  EXPECT_EQ(idle.wait_for_end(0ms), End::still_open) << "a client quiet between messages must stay connected";
  EXPECT_EQ(server_->clients().size(), 1u);
}

TEST_F(NetworkFaults, ReaderThatNeverReadsIsDroppedAndMemoryStaysBounded) {
  ConnectionOptions options;
  options.high_water = 64 * kKiB;
  options.max_backlog = 1024 * kKiB;
  options.stall_timeout = 300ms;
  constexpr int kAfterTheDrop = 20;
  constexpr int kAtMost = 4000;  // 64 MiB: far more than the kernel buffers of a never-reading peer
  const std::string chunk(16 * kKiB, 'x');
  const auto baseline = process_figures();
  std::size_t heap_peak = baseline.heap_bytes;
  int sent = 0;
  // On "go": broadcasts until the peer that never reads has been dropped, and a few more, then says "done".
  auto flood = [&](Server& server, Message message) -> Task<void> {
    for (int left = kAfterTheDrop; left > 0 && sent < kAtMost; ++sent) {
      co_await server.broadcast(chunk);
      heap_peak = std::max(heap_peak, heap_bytes());
      if (server.clients().size() == 1) --left;
    }
    co_await server.send_message(message.from, "done");
  };
  start({.on_message = {"flood", flood}}, options);
  RawPeer never_reads(server_->port(), 4096);
  ASSERT_TRUE(wait_for_clients(1));

  auto talker = [&]() -> Task<int> {
    auto client = co_await connect();
    co_await client->send_message("go");
    int received = 0;
    while (co_await client->receive_message() != "done") ++received;
    co_await client->close();
    co_return received;
  };
  const int received = loop_.run(talker());

  EXPECT_LT(sent, kAtMost) << "the peer that never reads was never dropped";
  EXPECT_EQ(received, sent) << "the reading client must get every broadcast";
  const auto report = reports_->wait_for("has read nothing for 300 ms", kDeadline);
  ASSERT_TRUE(report) << reports_->all();
  EXPECT_THAT(*report, HasSubstr("(stall_timeout): closing that connection"));
  EXPECT_NE(never_reads.wait_for_end(kDeadline), End::still_open);
  const std::size_t growth = heap_peak - baseline.heap_bytes;
  std::printf("figure: slow reader: %d broadcasts of %zu KiB, peak heap growth %zu KiB (max_backlog %zu KiB)\n", sent,
              chunk.size() / kKiB, growth / kKiB, options.max_backlog / kKiB);
  EXPECT_LT(growth, 2 * options.max_backlog) << "the server's memory grew with what the peer would not read";
}

TEST_F(NetworkFaults, BacklogPastTheCapDropsThePeerAndEverySenderHearsWhy) {
  ConnectionOptions options;
  options.high_water = 64 * kKiB;
  options.max_backlog = 256 * kKiB;
  options.stall_timeout = 60s;  // only the cap may act here
  const std::string chunk(64 * kKiB, 'x');
  ClientId target;
  // Queues a burst for the target, then replies with what happened. A send
  // queues during the call, so the burst passes the cap within one loop turn
  // however much of it the kernel would have taken: one sender at a time,
  // waiting for each send to drain, may never reach the cap before
  // stall_timeout.
  auto pile_on = [&](Server& server, Message message) -> Task<void> {
    std::string outcome = "sent everything";
    try {
      std::vector<Task<void>> burst;
      for (int i = 0; i < 8; ++i) burst.push_back(server.send_message(target, chunk));
      for (auto& sent : burst) co_await std::move(sent);
    } catch (const Error& error) {
      outcome = std::string("refused: ") + error.what();
    }
    co_await server.send_message(message.from, outcome);
  };
  start({.on_message = {"pile_on", pile_on}}, options);
  RawPeer never_reads(server_->port(), 4096);
  ASSERT_TRUE(wait_for_clients(1));
  target = server_->clients().front();

  constexpr int kSenders = 8;
  std::vector<std::string> outcomes;
  Signal all_done(loop_);
  auto sender = [&]() -> Task<void> {
    auto client = co_await connect();
    co_await client->send_message("go");
    outcomes.push_back((co_await client->receive_message()).value_or("(closed)"));
    co_await client->close();
    if (outcomes.size() == kSenders) all_done.notify();
  };
  TaskGroup senders;
  for (int i = 0; i < kSenders; ++i) senders.spawn(sender(), "sender");
  ASSERT_TRUE(outcomes.size() == kSenders || loop_.run(all_done.wait(kDeadline))) << reports_->all();

  // Senders learn why from the send that failed, or, once the target is gone, that it has left.
  for (const auto& outcome : outcomes) {
    EXPECT_THAT(outcome, AnyOf(HasSubstr("does not keep up"), HasSubstr("that client has left")));
  }
  EXPECT_THAT(outcomes, Contains(HasSubstr("-byte limit (max_backlog): closing that connection")));
  const auto report = reports_->wait_for("does not keep up", kDeadline);
  ASSERT_TRUE(report) << reports_->all();
  EXPECT_THAT(*report, HasSubstr("262144-byte limit (max_backlog): closing that connection"));
  EXPECT_NE(never_reads.wait_for_end(kDeadline), End::still_open);
}

TEST_F(NetworkFaults, RandomBytesFromManyPeersNeverCrashTheServer) {
  ConnectionOptions options;
  options.partial_frame_timeout = 100ms;
  start({.on_message = {"echo", echo}}, options);
  ASSERT_EQ(ask("warm-up"), "warm-up");
  const auto baseline = process_figures();

  // Each peer sends random bytes, often behind a plausible header, then
  // leaves cleanly, resets, or stays. A decoder run on the same bytes tells
  // which peers the server must keep: those that sent whole frames and stayed.
  constexpr int kPeers = 300;
  std::mt19937 random(5);
  std::vector<std::unique_ptr<RawPeer>> stayed;
  std::size_t must_keep = 0;
  std::size_t bytes_sent = 0;
  for (int i = 0; i < kPeers; ++i) {
    std::string bytes;
    if (random() % 2 == 0) bytes = header(random() % 24);
    for (auto n = random() % 48; n > 0; --n) bytes += static_cast<char>(random());
    bytes_sent += bytes.size();
    auto peer = std::make_unique<RawPeer>(server_->port());
    ASSERT_TRUE(peer->send(bytes));
    switch (random() % 3) {
      case 0: peer->close(); break;
      case 1: peer->reset(); break;
      default: {
        FrameDecoder decoder;
        bool whole_frames = true;
        try {
          decoder.feed(bytes);
          whole_frames = decoder.partial_bytes() == 0;
        } catch (const Error&) {
          whole_frames = false;
        }
        must_keep += whole_frames ? 1 : 0;
        stayed.push_back(std::move(peer));
      }
    }
  }
  EXPECT_TRUE(run_until(loop_, [&] { return server_->clients().size() == must_keep; }, kDeadline))
      << server_->clients().size() << " still connected, expected " << must_keep << "\n" << reports_->all();
  stayed.clear();
  EXPECT_TRUE(run_until(loop_, [&] { return server_->clients().empty(); }, kDeadline));
  EXPECT_TRUE(run_until(loop_, [&] { return process_figures().open_fds == baseline.open_fds; }, kDeadline))
      << "open files: " << process_figures().open_fds << ", before: " << baseline.open_fds;
  for (const auto& line : reports_->lines()) {
    EXPECT_THAT(line, AnyOf(HasSubstr("connection lost"), HasSubstr("in the middle of a message"),
                            HasSubstr("bytes was announced")))
        << "an unexpected report";
  }
  std::printf("figure: random bytes: %d peers, %zu bytes, %zu reports, open files %zu -> %zu\n", kPeers, bytes_sent,
              reports_->lines().size(), baseline.open_fds, process_figures().open_fds);
  EXPECT_EQ(ask("still there?"), "still there?");
}

}  // namespace
}  // namespace netlab::faults
