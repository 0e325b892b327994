// The frame codec: a 4-byte big-endian length, then the payload.

#include <gtest/gtest.h>
#include <uv.h>

#include <string>
#include <vector>

#include "netlab/error.hpp"
#include "netlab/framing.hpp"

namespace netlab {
namespace {

// Feeds `bytes`, then takes every whole frame.
std::vector<std::string> decode(FrameDecoder& decoder, std::string_view bytes) {
  decoder.feed(bytes);
  std::vector<std::string> frames;
  while (auto payload = decoder.next()) frames.push_back(std::move(*payload));
  EXPECT_FALSE(decoder.has_frame());
  EXPECT_EQ(decoder.pending_bytes(), 0u);
  return frames;
}

std::string stream_of(const std::vector<std::string>& payloads) {
  std::string bytes;
  for (const auto& payload : payloads) append_frame(bytes, payload);
  return bytes;
}

TEST(Framing, HeaderIsFourBytesBigEndian) {
  EXPECT_EQ(encode_frame("Ping"), std::string("\0\0\0\4Ping", 8));
  EXPECT_EQ(encode_frame(std::string(0x01020304 & 0xffff, 'x')).substr(0, 4), std::string("\0\0\x03\x04", 4));
}

TEST(Framing, DecodesOneWholeFrame) {
  FrameDecoder decoder;
  EXPECT_EQ(decode(decoder, encode_frame("Ping")), std::vector<std::string>{"Ping"});
  EXPECT_EQ(decoder.partial_bytes(), 0u);
}

TEST(Framing, EmptyPayloadIsAMessage) {
  FrameDecoder decoder;
  EXPECT_EQ(decode(decoder, encode_frame("") + encode_frame("") + encode_frame("x")),
            (std::vector<std::string>{"", "", "x"}));
}

TEST(Framing, ManyFramesInOneRead) {
  std::vector<std::string> payloads;
  for (int i = 0; i < 1000; ++i) payloads.push_back("message " + std::to_string(i));
  FrameDecoder decoder;
  EXPECT_EQ(decode(decoder, stream_of(payloads)), payloads);
}

TEST(Framing, SplitAtEveryByteBoundary) {
  const std::vector<std::string> payloads = {"Ping", "", "with spaces and \n newline", std::string(300, 'z')};
  const std::string bytes = stream_of(payloads);
  for (std::size_t first = 0; first <= bytes.size(); ++first) {
    for (std::size_t second = first; second <= bytes.size(); second += 7) {
      FrameDecoder decoder;
      auto frames = decode(decoder, std::string_view(bytes).substr(0, first));
      for (auto& frame : decode(decoder, std::string_view(bytes).substr(first, second - first))) frames.push_back(frame);
      for (auto& frame : decode(decoder, std::string_view(bytes).substr(second))) frames.push_back(frame);
      ASSERT_EQ(frames, payloads) << "split at " << first << " and " << second;
      ASSERT_EQ(decoder.partial_bytes(), 0u);
    }
  }
}

TEST(Framing, OneByteAtATime) {
  const std::vector<std::string> payloads = {"a", "", "Pong"};
  const std::string bytes = stream_of(payloads);
  FrameDecoder decoder;
  std::vector<std::string> frames;
  for (char byte : bytes) {
    for (auto& frame : decode(decoder, std::string_view(&byte, 1))) frames.push_back(frame);
  }
  EXPECT_EQ(frames, payloads);
}

TEST(Framing, BinaryPayloadPassesUnchanged) {
  std::string binary;
  for (int byte = 0; byte < 256; ++byte) binary += static_cast<char>(byte);
  FrameDecoder decoder;
  EXPECT_EQ(decode(decoder, encode_frame(binary)), std::vector<std::string>{binary});
}

TEST(Framing, PayloadExactlyAtTheLimitIsAccepted) {
  FrameDecoder decoder(1000);
  EXPECT_EQ(decode(decoder, encode_frame(std::string(1000, 'x'))).size(), 1u);
}

TEST(Framing, HeaderOverTheLimitThrowsNamingSizeAndLimit) {
  FrameDecoder decoder(1000);
  try {
    decode(decoder, encode_frame(std::string(1001, 'x')));
    FAIL() << "a 1001-byte frame passed a 1000-byte limit";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), UV_EMSGSIZE);
    EXPECT_NE(std::string(error.what()).find("1001"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("1000-byte limit"), std::string::npos) << error.what();
  }
  EXPECT_EQ(decoder.partial_bytes(), kFrameHeaderSize) << "the refused header is held, however the stream was split";
}

TEST(Framing, LyingHeaderHoldsOnlyWhatArrived) {
  // A header announcing 4 GiB - 1 is refused at once, before any payload.
  FrameDecoder strict;
  EXPECT_THROW(decode(strict, std::string("\xff\xff\xff\xff", 4)), Error);

  // One announcing the full limit, followed by a few bytes, holds those few.
  FrameDecoder decoder;
  const std::string header = encode_frame(std::string(kDefaultMaxPayload, 'x')).substr(0, 4);
  EXPECT_TRUE(decode(decoder, header + "abc").empty());
  EXPECT_EQ(decoder.partial_bytes(), 4u + 3u);
}

TEST(Framing, FramesBeforeAnOversizedOneAreDelivered) {
  FrameDecoder decoder(10);
  const std::string bytes = encode_frame("ok") + encode_frame(std::string(11, 'x'));
  EXPECT_THROW(decoder.feed(bytes), Error);
  EXPECT_EQ(decoder.next(), std::optional<std::string>("ok"));
  EXPECT_EQ(decoder.next(), std::nullopt);
}

TEST(Framing, FeedReportsEachFrameItCompletesAndKeepsItForNext) {
  FrameDecoder decoder;
  const std::string bytes = encode_frame("one") + encode_frame("two");
  std::vector<std::string> seen;
  const auto see = [&](std::string_view payload) { seen.emplace_back(payload); };
  decoder.feed(std::string_view(bytes).substr(0, 10), see);  // "one" and half of "two"'s header
  EXPECT_EQ(seen, std::vector<std::string>{"one"});
  decoder.feed(std::string_view(bytes).substr(10), see);
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(decoder.pending_bytes(), bytes.size());
  EXPECT_EQ(decoder.next(), std::optional<std::string>("one"));
  EXPECT_EQ(decoder.next(), std::optional<std::string>("two"));
}

TEST(Framing, MessagesLeftUntakenSurviveLaterReads) {
  // The logic may take fewer messages than arrived before the next read.
  FrameDecoder decoder;
  std::vector<std::string> taken;
  for (int i = 0; i < 100; ++i) {
    decoder.feed(encode_frame("m" + std::to_string(2 * i)) + encode_frame("m" + std::to_string(2 * i + 1)));
    taken.push_back(*decoder.next());  // one of the two; the other waits
  }
  while (auto payload = decoder.next()) taken.push_back(std::move(*payload));
  ASSERT_EQ(taken.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(taken[i], "m" + std::to_string(i));
}

}  // namespace
}  // namespace netlab
