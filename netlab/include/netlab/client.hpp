#pragma once
// Client: one connection to a server, as client logic sees it.
//
// TcpClient implements it over the network; netlab::testing::MockClient
// implements it for tests of the logic alone.

#include <optional>
#include <string>
#include <string_view>

#include "netlab/task.hpp"

namespace netlab {

class Error;

// The error for a client whose server has closed the connection (a netlab
// server closes only when it stops or disconnects this client), e.g.
// server_closed("cannot send"): "cannot send: the server closed the connection (...)".
Error server_closed(std::string_view action = {});

class Client {
 public:
  virtual ~Client() = default;

  // Sends `text` as one message. Messages arrive whole and in the order they
  // were sent. The text is copied into the outgoing queue during the call
  // (so any string will do, a temporary too); awaiting the call completes at
  // once, unless a lot is already waiting to go out (the server reads
  // slowly): then it waits until that has drained.
  // Throws netlab::Error if the connection is closed or was lost, or the
  // server has closed its side (server_closed()).
  virtual Task<void> send_message(std::string_view text) = 0;

  // Waits for the next message from the server. Returns an empty optional
  // when the server closed the connection cleanly; throws netlab::Error if the
  // connection was lost (for example in the middle of a message).
  virtual Task<std::optional<std::string>> receive_message() = 0;

  // Sends whatever is still queued, then closes the connection. A message
  // sent just before close() is not lost.
  virtual Task<void> close() = 0;
};

}  // namespace netlab
