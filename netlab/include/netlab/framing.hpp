#pragma once
// Framing: how messages cross a TCP connection.
//
// TCP carries a stream of bytes, not messages: one send may arrive in several
// reads, and several sends in one read. netlab therefore sends every message
// as one frame: a 4-byte unsigned length in network byte order (big-endian),
// then that many bytes of payload.
//
//     "Ping"  ->  00 00 00 04 50 69 6e 67

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace netlab {

inline constexpr std::size_t kFrameHeaderSize = 4;
// The largest payload a connection accepts unless told otherwise.
inline constexpr std::size_t kDefaultMaxPayload = std::size_t{1} << 20;  // 1 MiB

// Appends the frame for `payload` (header, then payload) to `out`.
void append_frame(std::string& out, std::string_view payload);
std::string encode_frame(std::string_view payload);

// Reassembles frames from the bytes of a stream, however they were split.
//
//     FrameDecoder decoder;
//     decoder.feed(bytes_just_read, [](std::string payload) { ... });
//
// Memory never grows with what a header claims: a header that announces more
// than max_payload throws at once, and a frame in progress holds only the bytes
// that have arrived.
class FrameDecoder {
 public:
  // A limit above 4 GiB - 1 means none: no header can announce more.
  explicit FrameDecoder(std::size_t max_payload = kDefaultMaxPayload)
      : max_payload_(static_cast<std::uint32_t>(std::min<std::size_t>(max_payload, UINT32_MAX))) {}

  // Calls on_frame(std::string payload) for every frame that `bytes` completes,
  // in order. Throws netlab::Error (code UV_EMSGSIZE) at a header that announces
  // more than max_payload bytes; the stream cannot be decoded after that.
  template <typename OnFrame>
  void feed(std::string_view bytes, OnFrame&& on_frame);

  // Bytes of an unfinished frame, header included: nonzero when the stream
  // stopped in the middle of a message.
  [[nodiscard]] std::size_t partial_bytes() const noexcept { return header_filled_ + payload_.size(); }
  // The payload size announced by the unfinished frame's header, once it is complete.
  [[nodiscard]] std::size_t expected_payload() const noexcept { return expected_; }

 private:
  // Consumes header bytes from the front of `bytes`; true once the header is complete.
  bool read_header(std::string_view& bytes);
  // The payload size a complete header announces.
  static std::size_t length_in(const char* header) noexcept;

  // Narrow fields: every connection has a decoder, idle or not.
  std::uint32_t max_payload_;
  std::uint32_t expected_ = 0;
  std::array<unsigned char, kFrameHeaderSize> header_{};
  std::uint8_t header_filled_ = 0;
  std::string payload_;
};

template <typename OnFrame>
void FrameDecoder::feed(std::string_view bytes, OnFrame&& on_frame) {
  while (!bytes.empty()) {
    if (header_filled_ == 0 && payload_.empty() && bytes.size() >= kFrameHeaderSize) {
      // The common case: a whole header, and often the whole frame, in this
      // read. Anything else, a refusal included, takes the one path below.
      const std::size_t announced = length_in(bytes.data());
      if (announced <= max_payload_ && announced <= bytes.size() - kFrameHeaderSize) {
        on_frame(std::string(bytes.substr(kFrameHeaderSize, announced)));
        bytes.remove_prefix(kFrameHeaderSize + announced);
        continue;
      }
    }
    if (header_filled_ < kFrameHeaderSize && !read_header(bytes)) return;
    const std::size_t wanted = expected_ - payload_.size();
    const std::size_t taken = wanted < bytes.size() ? wanted : bytes.size();
    payload_.append(bytes.data(), taken);
    bytes.remove_prefix(taken);
    if (payload_.size() < expected_) return;
    header_filled_ = 0;
    expected_ = 0;
    on_frame(std::exchange(payload_, std::string{}));
  }
}

}  // namespace netlab
