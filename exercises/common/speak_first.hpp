#pragma once
// Shared by the server drivers of the stages where the server speaks first
// and then closes the connection (hello, daytime): their clients send
// nothing, and what a stray client sends gets no answer.

#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace stage_driver {

inline netlab::MessageHandler ignore_messages() {
  return {"on_message", [](netlab::Server&, netlab::Message) -> netlab::Task<void> { co_return; }};
}

}  // namespace stage_driver
