#pragma once
// MockServer: a Server for testing server logic without a network.
//
//     netlab::testing::MockServer server;
//     server.connect_clients({ClientId{1}, ClientId{2}});
//     EXPECT_CALL(server, send_message(ClientId{1}, "Pong"));
//     netlab::run_sync(server_logic(server, {ClientId{1}, "Ping"}));
//
// Every call completes at once, so run_sync runs the logic to its end. By
// default each call is also recorded in history(), as data (action.hpp).

#include <gmock/gmock.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/server.hpp"
#include "netlab/testing/action.hpp"

namespace netlab::testing {

class MockServer : public Server {
 public:
  MockServer();

  MOCK_METHOD(Task<void>, send_message, (ClientId to, std::string_view text), (override));
  MOCK_METHOD(Task<void>, broadcast, (std::string_view text, std::optional<ClientId> except), (override));
  MOCK_METHOD(std::vector<ClientId>, clients, (), (const, override));
  MOCK_METHOD(void, disconnect, (ClientId id), (override));
  MOCK_METHOD(std::string, peer_address, (ClientId id), (const, override));

  // Makes clients() list these (in this order). From then on, like
  // TcpServer, send_message and peer_address throw netlab::Error for a client
  // not in the list (before the first call, any id is taken).
  void connect_clients(std::vector<ClientId> ids);

  // What the logic did through the default actions, one Action per call, in order.
  [[nodiscard]] const std::vector<Action>& history() const noexcept { return history_; }

 private:
  [[nodiscard]] bool is_connected(ClientId id) const;

  std::vector<ClientId> connected_;
  bool clients_known_ = false;
  std::vector<Action> history_;
};

}  // namespace netlab::testing
