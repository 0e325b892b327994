// libFuzzer target: FrameDecoder, the parser every byte from the network goes
// through. Whatever the bytes:
// - no crash, leak or sanitizer report;
// - the same frames come out however the stream is split into reads;
// - re-encoding the frames gives back exactly the bytes they came from;
// - nothing over the limit is delivered, and the unfinished frame holds the
//   bytes that arrived, no more: memory never follows a lying header.
//
// Input: [limit][split][stream...]. The limit byte is the payload limit in
// bytes (255 stands for the default 1 MiB), so that frames on both sides of
// it are within reach; the split byte seeds the sizes of the reads.

#include <uv.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/error.hpp"
#include "netlab/framing.hpp"

namespace {

void check(bool holds, const char* rule) {
  if (holds) return;
  std::fprintf(stderr, "frame_decoder: broken rule: %s\n", rule);
  std::abort();
}

struct Decoded {
  std::vector<std::string> frames;
  bool refused = false;  // a header announced more than the limit
  std::size_t partial = 0;
};

// Feeds `stream` in one read (seed 0) or in reads of 1 to 16 bytes drawn from `seed`.
Decoded decode(std::string_view stream, std::size_t limit, unsigned seed) {
  netlab::FrameDecoder decoder(limit);
  Decoded decoded;
  unsigned state = seed;
  try {
    while (!stream.empty()) {
      std::size_t read_size = stream.size();
      if (seed != 0) {
        state = state * 1103515245U + 12345U;
        read_size = 1 + (state >> 16) % 16;
      }
      const auto read = stream.substr(0, read_size);
      stream.remove_prefix(read.size());
      decoder.feed(read);
      // Take a frame now and then, not always all: the rest must wait intact.
      if (state % 3 != 0) {
        while (auto payload = decoder.next()) decoded.frames.push_back(std::move(*payload));
      }
    }
  } catch (const netlab::Error& error) {
    check(error.code() == UV_EMSGSIZE, "the only error is a header over the limit");
    decoded.refused = true;
  }
  while (auto payload = decoder.next()) decoded.frames.push_back(std::move(*payload));
  check(!decoder.has_frame() && decoder.pending_bytes() == 0, "every whole frame can be taken");
  decoded.partial = decoder.partial_bytes();
  return decoded;
}

std::size_t announced_at(std::string_view stream, std::size_t offset) {
  std::size_t size = 0;
  for (std::size_t i = 0; i < netlab::kFrameHeaderSize; ++i) {
    size = size << 8 | static_cast<unsigned char>(stream[offset + i]);
  }
  return size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t limit = data[0] == 255 ? netlab::kDefaultMaxPayload : data[0];
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  const Decoded whole = decode(stream, limit, 0);
  const Decoded pieces = decode(stream, limit, data[1] | 1U);
  check(whole.frames == pieces.frames && whole.refused == pieces.refused && whole.partial == pieces.partial,
        "splitting the stream into other reads changes nothing");

  std::string encoded;
  for (const auto& frame : whole.frames) {
    check(frame.size() <= limit, "no frame over the limit is delivered");
    netlab::append_frame(encoded, frame);
  }
  check(stream.substr(0, encoded.size()) == encoded, "the frames re-encode to the bytes they came from");
  const std::size_t rest = stream.size() - encoded.size();
  if (whole.refused) {
    check(rest >= netlab::kFrameHeaderSize && announced_at(stream, encoded.size()) > limit,
          "a stream is refused only at a header over the limit");
    check(whole.partial == netlab::kFrameHeaderSize, "a refused header holds nothing but itself");
  } else {
    check(whole.partial == rest, "the unfinished frame holds exactly the bytes that arrived");
  }
  return 0;
}
