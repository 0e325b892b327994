#include "netlab/framing.hpp"

#include <uv.h>

#include "netlab/error.hpp"

namespace netlab {

void append_frame(std::string& out, std::string_view payload) {
  const auto size = static_cast<std::uint32_t>(payload.size());
  const char header[kFrameHeaderSize] = {
      static_cast<char>(size >> 24), static_cast<char>(size >> 16),
      static_cast<char>(size >> 8), static_cast<char>(size)};
  out.append(header, kFrameHeaderSize);
  out.append(payload);
}

std::string encode_frame(std::string_view payload) {
  std::string frame;
  frame.reserve(kFrameHeaderSize + payload.size());
  append_frame(frame, payload);
  return frame;
}

bool FrameDecoder::read_header(std::string_view& bytes) {
  while (header_filled_ < kFrameHeaderSize && !bytes.empty()) {
    header_[header_filled_++] = static_cast<unsigned char>(bytes.front());
    bytes.remove_prefix(1);
  }
  if (header_filled_ < kFrameHeaderSize) return false;
  const std::size_t announced = length_in(reinterpret_cast<const char*>(header_.data()));
  if (announced > max_payload_) {
    throw Error(UV_EMSGSIZE, "a message of " + std::to_string(announced) + " bytes was announced, more than the " +
                                 std::to_string(max_payload_) + "-byte limit");
  }
  expected_ = static_cast<std::uint32_t>(announced);
  return true;
}

std::size_t FrameDecoder::length_in(const char* header) noexcept {
  const auto byte = [header](int i) { return std::size_t{static_cast<unsigned char>(header[i])}; };
  return (byte(0) << 24) | (byte(1) << 16) | (byte(2) << 8) | byte(3);
}

}  // namespace netlab
