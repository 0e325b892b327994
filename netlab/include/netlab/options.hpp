#pragma once
// Settings shared by TcpClient and TcpServer connections.

#include <chrono>
#include <cstddef>
#include <memory>

#include "netlab/framing.hpp"
#include "netlab/trace.hpp"

namespace netlab {

class Recorder;

struct ConnectionOptions {
  // A peer that announces a larger message is disconnected, with an error
  // naming it and the size; sending a larger one throws.
  std::size_t max_payload = kDefaultMaxPayload;
  // send_message completes at once while less than this waits to go out on a
  // connection, and waits for the backlog to drain below a quarter of it when
  // more does. It also bounds what a connection buffers of received messages
  // nobody has read yet (reading pauses above it).
  std::size_t high_water = std::size_t{1} << 20;
  // The most bytes that may wait to go out on one connection. send_message
  // holds a sender back at high_water, but many senders at once (every
  // session sending to one client, a broadcast) can queue more for a peer
  // that reads slowly. A message that would take the backlog past this limit
  // is not queued: the peer is disconnected instead, with an error saying it
  // did not keep up, and the send throws that error. Keep it above
  // high_water + max_payload.
  std::size_t max_backlog = std::size_t{8} << 20;
  // A peer that takes none of the bytes waiting to go out to it for this long
  // has stopped reading (its program is stuck, paused, or never reads): it is
  // disconnected with an error saying so, and whoever waits to send to it gets
  // that error rather than waiting forever. Bytes count as waiting once the
  // kernel's socket buffers are full, so a peer that reads now and then is safe.
  std::chrono::milliseconds stall_timeout{30'000};
  // A peer that goes quiet in the middle of a message (part of its header or
  // payload arrived, then nothing for this long) is disconnected with an error
  // naming it. Quiet between messages is fine: an idle client stays connected.
  std::chrono::milliseconds partial_frame_timeout{30'000};
  // How long close() may take: it sends what is queued, then waits for the
  // peer to close its side too (so the last messages are not lost to a
  // reset). After this long, the connection is closed anyway.
  std::chrono::milliseconds linger{500};
  // How long connecting may take before TcpClient::connect gives up.
  std::chrono::milliseconds connect_timeout{10'000};
  TraceOptions trace;
  // Set: every frame and every connection that opens or closes is recorded
  // there (record.hpp). Shared by the connections of one program.
  std::shared_ptr<Recorder> recorder;

  // True when frames are traced or recorded: only then does anything look at
  // them one by one.
  [[nodiscard]] bool observed() const noexcept { return trace.enabled || recorder != nullptr; }
};

}  // namespace netlab
