#pragma once
// MockClient: a Client for testing client logic without a network.
//
//     netlab::testing::MockClient client;
//     client.will_receive({"Pong"});
//     EXPECT_CALL(client, send_message("Ping"));
//     netlab::run_sync(client_logic(client));
//
// Every call completes at once. receive_message() returns the scripted
// messages in order, then nothing (as if the server had closed). By default
// each call is also recorded in history(), as data (action.hpp).

#include <gmock/gmock.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/testing/action.hpp"

namespace netlab::testing {

class MockClient : public Client {
 public:
  MockClient();

  MOCK_METHOD(Task<void>, send_message, (std::string_view text), (override));
  MOCK_METHOD(Task<std::optional<std::string>>, receive_message, (), (override));
  MOCK_METHOD(Task<void>, close, (), (override));

  // What receive_message() returns next, in order (appended to what is left).
  void will_receive(const std::vector<std::string>& messages);
  // The scripted messages not received yet.
  [[nodiscard]] std::size_t unread() const noexcept { return script_.size() - next_; }

  // What the logic did through the default actions, one Action per call, in order.
  [[nodiscard]] const std::vector<Action>& history() const noexcept { return history_; }

 private:
  std::vector<std::string> script_;
  std::size_t next_ = 0;
  std::vector<Action> history_;
};

}  // namespace netlab::testing
