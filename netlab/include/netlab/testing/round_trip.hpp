#pragma once
// round_trip: one well-behaved client's conversation with a server, for tests
// that check a server still serves (after a misbehaving peer, say).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "netlab/event_loop.hpp"
#include "netlab/options.hpp"

namespace netlab::testing {

// Connects to 127.0.0.1:`port`, sends `text`, and returns the reply (nothing
// if the server closed instead), then closes. Runs `loop` until done.
std::optional<std::string> round_trip(EventLoop& loop, std::uint16_t port, std::string_view text,
                                      ConnectionOptions options = {});

}  // namespace netlab::testing
