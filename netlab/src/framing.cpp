#include "netlab/framing.hpp"

#include <uv.h>

#include "netlab/error.hpp"

namespace netlab {

void append_frame(std::string& out, std::string_view payload) {
  char header[kFrameHeaderSize];
  write_frame_header(header, payload.size());
  out.append(header, kFrameHeaderSize);
  out.append(payload);
}

std::string encode_frame(std::string_view payload) {
  std::string frame;
  frame.reserve(kFrameHeaderSize + payload.size());
  append_frame(frame, payload);
  return frame;
}

void FrameDecoder::append(std::string_view bytes) {
  if (head_ > 0 && head_ >= bytes_.size() - head_) {
    // More taken than left: move the rest to the front, at most once per
    // byte taken, so that the buffer cannot creep forward forever.
    bytes_.erase(0, head_);
    complete_ -= head_;
    head_ = 0;
  }
  bytes_.append(bytes);
}

void FrameDecoder::release() noexcept {
  std::string().swap(bytes_);
  head_ = complete_ = 0;
}

bool FrameDecoder::complete_one() {
  if (bytes_.size() - complete_ < kFrameHeaderSize) return false;
  const std::size_t announced = read_frame_header(bytes_.data() + complete_);
  if (announced > max_payload_) {
    bytes_.resize(complete_ + kFrameHeaderSize);  // hold the refused header, nothing after it
    throw Error(UV_EMSGSIZE, "a message of " + std::to_string(announced) + " bytes was announced, more than the " +
                                 std::to_string(max_payload_) + "-byte limit");
  }
  if (bytes_.size() - complete_ - kFrameHeaderSize < announced) return false;
  complete_ += kFrameHeaderSize + announced;
  return true;
}

}  // namespace netlab
