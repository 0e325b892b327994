// The benchmark framing in asio: a 4-byte big-endian length, then the payload.
#pragma once

#include <asio.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

inline constexpr std::size_t frame_header_size = 4;
inline constexpr std::uint32_t max_payload_size = 1u << 20;

// Appends one whole frame to `out`; frames appended to one string go out in one write.
inline void append_frame(std::string& out, std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size());
  const char header[frame_header_size] = {static_cast<char>(length >> 24), static_cast<char>(length >> 16),
                                          static_cast<char>(length >> 8), static_cast<char>(length)};
  out.append(header, frame_header_size);
  out.append(payload);
}

// Reads a socket in chunks and hands out every whole frame of a chunk before the
// next read. Reading a frame at a time (async_read of the header, then of the
// payload) would suspend the reader once per frame, so a writer woken by the first
// frame would send each reply on its own; here it wakes once per chunk.
class FrameReader {
 public:
  // The buffer starts small, so that an idle connection costs little, and doubles
  // whenever a read fills it, up to max_chunk_size, so that a busy connection gets
  // many frames per recv. It also grows to hold a larger frame. It never shrinks.
  static constexpr std::size_t first_chunk_size = 1024;
  static constexpr std::size_t max_chunk_size = 64 * 1024;

  // Reads once, then calls on_frame(std::string_view payload) for each whole frame
  // received so far; the view is valid during the call only. Throws
  // asio::system_error at the end of the stream or on a socket error, and
  // std::length_error for a header over max_payload_size.
  template <typename OnFrame>
  asio::awaitable<void> read_some(asio::ip::tcp::socket& socket, OnFrame on_frame) {
    const std::size_t space = buffer_.size() - filled_;
    const std::size_t received =
        co_await socket.async_read_some(asio::buffer(buffer_.data() + filled_, space), asio::use_awaitable);
    filled_ += received;
    std::size_t start = 0;
    while (filled_ - start >= frame_header_size) {
      const auto* header = reinterpret_cast<const unsigned char*>(buffer_.data() + start);
      const std::uint32_t length = std::uint32_t{header[0]} << 24 | std::uint32_t{header[1]} << 16 |
                                   std::uint32_t{header[2]} << 8 | std::uint32_t{header[3]};
      if (length > max_payload_size) {
        throw std::length_error("a " + std::to_string(length) + "-byte frame is over the limit");
      }
      if (filled_ - start - frame_header_size < length) {
        if (buffer_.size() < frame_header_size + length) buffer_.resize(frame_header_size + length);
        break;
      }
      on_frame(std::string_view(buffer_.data() + start + frame_header_size, length));
      start += frame_header_size + length;
    }
    // Keep the start of the next frame at the front, where the next read appends to it.
    std::memmove(buffer_.data(), buffer_.data() + start, filled_ - start);
    filled_ -= start;
    if (received == space && buffer_.size() < max_chunk_size) buffer_.resize(2 * buffer_.size());
  }

 private:
  std::vector<char> buffer_ = std::vector<char>(first_chunk_size);
  std::size_t filled_ = 0;
};

}  // namespace bench
