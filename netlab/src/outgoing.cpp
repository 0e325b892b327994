#include "outgoing.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "netlab/framing.hpp"

namespace netlab::detail {

namespace {

constexpr std::size_t kFirstChunk = 256;
constexpr std::size_t kLargestChunk = 64 * 1024;

}  // namespace

void Chunk::append_frame(std::string_view payload) noexcept {
  char* out = bytes_.get() + size_;
  write_frame_header(out, payload.size());
  std::memcpy(out + kFrameHeaderSize, payload.data(), payload.size());
  size_ += kFrameHeaderSize + payload.size();
}

void gather(const std::vector<Piece>& pieces, std::vector<uv_buf_t>& bufs) {
  for (const auto& piece : pieces) {
    // libuv's buffers are not const, but a write only reads them.
    bufs.push_back(uv_buf_init(const_cast<char*>(piece.chunk->data()) + piece.begin,
                               static_cast<unsigned>(piece.end - piece.begin)));
  }
}

void OutgoingQueue::append_frame(std::string_view payload) {
  const std::size_t size = kFrameHeaderSize + payload.size();
  if (!own_ || own_->room() < size) {
    const std::size_t previous = own_ ? own_->capacity() : 0;
    own_ = std::make_shared<Chunk>(std::max(size, std::clamp(2 * previous, kFirstChunk, kLargestChunk)));
  }
  const std::size_t begin = own_->size();
  own_->append_frame(payload);
  append(own_, begin, begin + size);
}

void OutgoingQueue::append(const std::shared_ptr<Chunk>& chunk, std::size_t begin, std::size_t end) {
  size_ += end - begin;
  if (!pieces_.empty() && pieces_.back().chunk == chunk && pieces_.back().end == begin) {
    pieces_.back().end = end;
    return;
  }
  pieces_.push_back({chunk, begin, end});
}

void OutgoingQueue::consume(std::size_t bytes) {
  size_ -= bytes;
  if (size_ == 0) {
    release();
    return;
  }
  auto sent = pieces_.begin();
  while (bytes >= sent->end - sent->begin) {
    bytes -= sent->end - sent->begin;
    ++sent;
  }
  sent->begin += bytes;
  pieces_.erase(pieces_.begin(), sent);
}

std::vector<Piece> OutgoingQueue::take_all() {
  auto pieces = std::exchange(pieces_, {});
  release();
  return pieces;
}

void OutgoingQueue::release() noexcept {
  std::vector<Piece>().swap(pieces_);
  size_ = 0;
  own_.reset();
}

std::uint64_t BroadcastLog::append_frame(std::string_view payload) {
  const std::size_t size = kFrameHeaderSize + payload.size();
  if (chunks_.empty() || chunks_.back().chunk->room() < size) {
    chunks_.push_back({end_, std::make_shared<Chunk>(std::max(size, kLargestChunk))});
  }
  chunks_.back().chunk->append_frame(payload);
  end_ += size;
  return end_;
}

void BroadcastLog::copy_to(OutgoingQueue& queue, std::uint64_t from, std::uint64_t to) const {
  for (const auto& [start, chunk] : chunks_) {
    const std::uint64_t stop = start + chunk->size();
    if (stop <= from || start >= to) continue;
    queue.append(chunk, std::max(from, start) - start, std::min(to, stop) - start);
  }
}

void BroadcastLog::trim(std::uint64_t position) {
  // The last chunk stays for the next messages; empty again if nobody holds it.
  const auto passed = [position](const Stored& stored) { return stored.start + stored.chunk->size() <= position; };
  if (chunks_.empty()) return;
  chunks_.erase(chunks_.begin(), std::find_if_not(chunks_.begin(), chunks_.end() - 1, passed));
  auto& last = chunks_.back();
  if (passed(last) && last.chunk.use_count() == 1) {
    last.chunk->clear();
    last.start = position;
  }
}

}  // namespace netlab::detail
