// OutgoingQueue and BroadcastLog: what waits to be sent, and who shares it.

#include "outgoing.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "netlab/framing.hpp"

namespace netlab::detail {
namespace {

// The bytes a queue would write, in order.
std::string contents(const std::vector<Piece>& pieces) {
  std::string bytes;
  for (const auto& piece : pieces) bytes.append(piece.chunk->data() + piece.begin, piece.end - piece.begin);
  return bytes;
}

TEST(OutgoingQueue, FramesGoInOrderIntoOneGrowingPiece) {
  OutgoingQueue queue;
  queue.append_frame("Ping");
  queue.append_frame("Pong");
  EXPECT_EQ(contents(queue.pieces()), encode_frame("Ping") + encode_frame("Pong"));
  EXPECT_EQ(queue.pieces().size(), 1u) << "two small frames need one chunk, written with one buffer";
  EXPECT_EQ(queue.size(), 16u);
}

TEST(OutgoingQueue, ConsumeDropsWhatWasSentAcrossPieces) {
  OutgoingQueue queue;
  std::string expected;
  for (int i = 0; i < 100; ++i) {
    const std::string payload(100 + i, static_cast<char>('a' + i % 26));
    queue.append_frame(payload);
    expected += encode_frame(payload);
  }
  ASSERT_GT(queue.pieces().size(), 1u) << "chunks were expected to fill up";
  for (std::size_t sent : {1u, 255u, 256u, 3000u}) {
    queue.consume(sent);
    expected.erase(0, sent);
    ASSERT_EQ(contents(queue.pieces()), expected) << "after consuming " << sent;
    ASSERT_EQ(queue.size(), expected.size());
  }
  queue.consume(queue.size());
  EXPECT_TRUE(queue.empty());
  EXPECT_TRUE(queue.pieces().empty());
}

TEST(OutgoingQueue, NeverWritesIntoAChunkSomeoneElseHolds) {
  // A write in progress holds the pieces it was given; bytes added later
  // must not land in the middle of what it is sending.
  OutgoingQueue queue;
  queue.append_frame("first");
  const std::vector<Piece> in_flight = queue.take_all();
  const std::string sending = contents(in_flight);
  queue.append_frame("second");
  EXPECT_EQ(contents(in_flight), sending);
  EXPECT_EQ(contents(queue.pieces()), encode_frame("second"));
  EXPECT_NE(queue.pieces().front().chunk, in_flight.front().chunk);
}

TEST(OutgoingQueue, DirectFramesBetweenBroadcastsShareOneChunk) {
  // A chat client gets others' lines (pieces of the log) and replies of its
  // own in turn: the replies must not cost a new chunk each.
  BroadcastLog log;
  OutgoingQueue queue;
  std::uint64_t position = log.end();
  for (int i = 0; i < 1000; ++i) {
    const auto end = log.append_frame("line " + std::to_string(i));
    log.copy_to(queue, position, end);
    position = end;
    queue.append_frame("ack " + std::to_string(i));
  }
  std::set<const Chunk*> chunks;
  std::size_t held = 0;
  for (const auto& piece : queue.pieces()) {
    if (chunks.insert(piece.chunk.get()).second) held += piece.chunk->capacity();
  }
  // The log's one 64 KiB chunk, and a few small ones for the replies.
  EXPECT_LE(held, 128u * 1024) << chunks.size() << " chunks for 1000 lines and 1000 replies of 8 to 12 bytes";
}

TEST(BroadcastLog, EveryQueueGetsItsRangeOfTheSameBytes) {
  BroadcastLog log;
  const auto start = log.end();
  const auto after_one = log.append_frame("one");
  const auto after_two = log.append_frame("two");
  OutgoingQueue everything;
  OutgoingQueue only_two;
  log.copy_to(everything, start, after_two);
  log.copy_to(only_two, after_one, after_two);
  EXPECT_EQ(contents(everything.pieces()), encode_frame("one") + encode_frame("two"));
  EXPECT_EQ(contents(only_two.pieces()), encode_frame("two"));
  EXPECT_EQ(everything.pieces().front().chunk, only_two.pieces().front().chunk) << "the bytes were stored twice";
}

TEST(BroadcastLog, MessagesLargerThanAChunkAndManyChunks) {
  BroadcastLog log;
  OutgoingQueue queue;
  std::string expected;
  std::uint64_t position = log.end();
  for (int i = 0; i < 50; ++i) {
    const std::string payload(i % 10 == 0 ? 100'000 : 5'000, static_cast<char>('A' + i % 26));
    const auto end = log.append_frame(payload);
    log.copy_to(queue, position, end);
    position = end;
    expected += encode_frame(payload);
    if (i % 7 == 0) log.trim(position);  // every queue is caught up: what lies behind may go
  }
  EXPECT_EQ(contents(queue.pieces()), expected) << "trimming the log lost bytes a queue still held";
}

}  // namespace
}  // namespace netlab::detail
