#pragma once
// RawPeer: a misbehaving peer for tests, on a plain blocking socket.

#include <chrono>
#include <cstdint>
#include <string_view>

namespace netlab::testing {

// A misbehaving peer: a plain blocking socket connected to 127.0.0.1, which
// sends exactly the bytes it is given and reads only when asked. Connecting
// completes in the kernel's backlog, so no loop needs to run for it.
class RawPeer {
 public:
  // `receive_buffer`, if nonzero, shrinks the socket's receive buffer, so a
  // peer that never reads backs the server up sooner.
  explicit RawPeer(std::uint16_t port, int receive_buffer = 0);
  ~RawPeer();
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;

  // True if every byte was handed to the kernel.
  bool send(std::string_view bytes);

  enum class End { closed, reset, still_open };
  // Reads (and discards) until the other side ends the connection or
  // `timeout` passes; says how it ended.
  End wait_for_end(std::chrono::milliseconds timeout);

  // Closes cleanly (FIN), as a program that exits does.
  void close();
  // Closes with a reset (RST) instead, as the kernel of a crashed program may.
  void reset();

 private:
  int fd_ = -1;
};

// A bare listening socket on 127.0.0.1, for a test that plays a server by
// hand (one that dies mid-message, or reads in another thread).
class RawListener {
 public:
  RawListener();
  ~RawListener();
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // The next connection's socket (blocking until one arrives); the caller closes it.
  int accept();

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// A port on 127.0.0.1 that nobody listened on a moment ago: for tests of
// "no server is listening".
std::uint16_t unused_port();

}  // namespace netlab::testing
