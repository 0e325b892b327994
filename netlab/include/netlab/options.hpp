#pragma once
// Settings shared by TcpClient and TcpServer connections.

#include <chrono>
#include <cstddef>

#include "netlab/framing.hpp"
#include "netlab/trace.hpp"

namespace netlab {

struct ConnectionOptions {
  // A peer that announces a larger message is disconnected, with an error
  // naming it and the size; sending a larger one throws.
  std::size_t max_payload = kDefaultMaxPayload;
  // send_message completes at once while less than this waits to go out on a
  // connection, and waits for the backlog to drain below a quarter of it when
  // more does. It also bounds what a connection buffers of received messages
  // nobody has read yet (reading pauses above it).
  std::size_t high_water = std::size_t{1} << 20;
  // How long close() may take: it sends what is queued, then waits for the
  // peer to close its side too (so the last messages are not lost to a
  // reset). After this long, the connection is closed anyway.
  std::chrono::milliseconds linger{500};
  // How long connecting may take before TcpClient::connect gives up.
  std::chrono::milliseconds connect_timeout{10'000};
  TraceOptions trace;
};

}  // namespace netlab
