#pragma once
// What waits to be sent: an OutgoingQueue per connection, and a BroadcastLog
// per server.
//
// Bytes live in chunks: blocks filled from the front up to a capacity fixed
// when they are made, so bytes never move once written. A queue holds pieces
// of chunks, and several queues can hold pieces of one chunk: a message
// broadcast to a thousand clients is stored once, and the bytes libuv is
// writing stay put while more are added behind them.

#include <uv.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace netlab::detail {

// Bytes written once and never moved: filled from the front, up to the
// capacity it was made with.
class Chunk {
 public:
  explicit Chunk(std::size_t capacity)
      : bytes_(std::make_unique_for_overwrite<char[]>(capacity)), capacity_(capacity) {}

  [[nodiscard]] const char* data() const noexcept { return bytes_.get(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t room() const noexcept { return capacity_ - size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  // Appends the frame for `payload`, which must fit in room().
  void append_frame(std::string_view payload) noexcept;
  // Starts over; only when nobody holds a piece of it.
  void clear() noexcept { size_ = 0; }

 private:
  std::unique_ptr<char[]> bytes_;
  std::size_t capacity_;
  std::size_t size_ = 0;
};

struct Piece {
  std::shared_ptr<Chunk> chunk;
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Appends one buffer per piece to `bufs`, for a write.
void gather(const std::vector<Piece>& pieces, std::vector<uv_buf_t>& bufs);

class OutgoingQueue {
 public:
  // Appends the frame for `payload`, copied into this queue's own chunk,
  // behind what is there (which a write in progress may be sending). When
  // that chunk is full, the next is twice its size, up to 64 KiB: a queue
  // that sends little holds little.
  void append_frame(std::string_view payload);
  // Appends bytes [begin, end) of a chunk that others may share.
  void append(const std::shared_ptr<Chunk>& chunk, std::size_t begin, std::size_t end);

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] const std::vector<Piece>& pieces() const noexcept { return pieces_; }

  // Drops the first `bytes` (sent); the chunks nobody else holds are freed.
  void consume(std::size_t bytes);
  // Hands every piece over (to a write in progress) and leaves the queue empty.
  std::vector<Piece> take_all();

 private:
  // Empty, the queue holds nothing: an idle connection costs no buffer.
  void release() noexcept;

  std::vector<Piece> pieces_;
  std::size_t size_ = 0;
  std::shared_ptr<Chunk> own_;  // where append_frame writes
};

// The messages a server broadcasts, stored once for every client: bytes in
// order, at positions counted from the server's start. Each connection
// remembers how far it has queued, and copies (as pieces) what it has not.
class BroadcastLog {
 public:
  // Appends the frame for `payload`; returns the position it ends at.
  std::uint64_t append_frame(std::string_view payload);
  [[nodiscard]] std::uint64_t end() const noexcept { return end_; }

  // Appends the bytes between positions `from` and `to` to `queue`.
  void copy_to(OutgoingQueue& queue, std::uint64_t from, std::uint64_t to) const;
  // Forgets what lies before `position`: every connection is past it.
  // Queues still holding pieces keep those chunks alive.
  void trim(std::uint64_t position);

 private:
  struct Stored {
    std::uint64_t start;  // the position of the chunk's first byte
    std::shared_ptr<Chunk> chunk;
  };
  std::vector<Stored> chunks_;
  std::uint64_t end_ = 0;
};

}  // namespace netlab::detail
