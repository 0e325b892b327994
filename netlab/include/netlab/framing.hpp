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
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netlab {

inline constexpr std::size_t kFrameHeaderSize = 4;
// The largest payload a connection accepts unless told otherwise.
inline constexpr std::size_t kDefaultMaxPayload = std::size_t{1} << 20;  // 1 MiB

// Writes the header announcing `payload_size` bytes at `out` (4 bytes).
inline void write_frame_header(char* out, std::size_t payload_size) noexcept {
  const auto size = static_cast<std::uint32_t>(payload_size);
  out[0] = static_cast<char>(size >> 24);
  out[1] = static_cast<char>(size >> 16);
  out[2] = static_cast<char>(size >> 8);
  out[3] = static_cast<char>(size);
}
// The payload size announced by the header at `header` (4 bytes).
inline std::size_t read_frame_header(const char* header) noexcept {
  const auto byte = [header](int i) { return std::size_t{static_cast<unsigned char>(header[i])}; };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

// Appends the frame for `payload` (header, then payload) to `out`.
void append_frame(std::string& out, std::string_view payload);
std::string encode_frame(std::string_view payload);

// Reassembles frames from the bytes of a stream, however they were split.
//
//     FrameDecoder decoder;
//     decoder.feed(bytes_just_read);
//     while (auto payload = decoder.next()) { ... }
//
// The decoder holds the bytes it is fed until their frame is taken, and
// builds each message only when next() asks for it: a read that brings a
// thousand small frames costs one copy, not a thousand allocations made
// before the first message is handled.
//
// Memory never grows with what a header claims: a header that announces more
// than max_payload throws at once, and a frame in progress holds only the bytes
// that have arrived.
class FrameDecoder {
 public:
  // A limit above 4 GiB - 1 means none: no header can announce more.
  explicit FrameDecoder(std::size_t max_payload = kDefaultMaxPayload)
      : max_payload_(std::min<std::size_t>(max_payload, UINT32_MAX)) {}

  // Takes the bytes just read. Throws netlab::Error (code UV_EMSGSIZE) at a
  // header that announces more than max_payload bytes: the frames before it
  // can still be taken, and the stream cannot be decoded further.
  void feed(std::string_view bytes) {
    feed(bytes, [](std::string_view) {});
  }
  // The same, and calls on_frame(std::string_view payload) for every frame
  // these bytes complete, in order (tracing shows frames as they arrive).
  // The frames are still there for next().
  template <typename OnFrame>
  void feed(std::string_view bytes, OnFrame&& on_frame);

  // The payload of the oldest whole frame not yet taken, or nothing.
  std::optional<std::string> next() {
    if (head_ == complete_) return std::nullopt;
    const char* frame = bytes_.data() + head_;
    const std::size_t size = read_frame_header(frame);
    std::string payload(frame + kFrameHeaderSize, size);
    head_ += kFrameHeaderSize + size;
    if (head_ == bytes_.size()) release();
    return payload;
  }

  // True if next() has a message to give.
  [[nodiscard]] bool has_frame() const noexcept { return head_ < complete_; }
  // Bytes of the whole frames not yet taken, headers included.
  [[nodiscard]] std::size_t pending_bytes() const noexcept { return complete_ - head_; }
  // Bytes of an unfinished frame, header included: nonzero when the stream
  // stopped in the middle of a message.
  [[nodiscard]] std::size_t partial_bytes() const noexcept { return bytes_.size() - complete_; }

 private:
  void append(std::string_view bytes);
  // Everything was taken: start over, holding no memory.
  void release() noexcept;
  // Past the next whole frame after `complete_`, if there is one.
  bool complete_one();

  std::size_t max_payload_;
  // bytes_[head_, complete_) are whole frames not yet taken; what follows
  // complete_ is the unfinished frame.
  std::string bytes_;
  std::size_t head_ = 0;
  std::size_t complete_ = 0;
};

template <typename OnFrame>
void FrameDecoder::feed(std::string_view bytes, OnFrame&& on_frame) {
  append(bytes);
  while (true) {
    const std::size_t start = complete_;
    if (!complete_one()) return;
    on_frame(std::string_view(bytes_).substr(start + kFrameHeaderSize, complete_ - start - kFrameHeaderSize));
  }
}

}  // namespace netlab
