#include <algorithm>

#include "netlab/crash.hpp"
#include "netlab/error.hpp"

#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"

namespace netlab::testing {

namespace {

// What a call that fails returns: a task that throws `error` when awaited.
Task<void> failed(std::exception_ptr error) {
  std::rethrow_exception(error);
  co_return;
}

using Kind = Action::Kind;

}  // namespace

MockServer::MockServer() {
  using ::testing::_;
  ON_CALL(*this, send_message(_, _)).WillByDefault([this](ClientId to, std::string_view text) {
    if (!is_connected(to)) {
      history_.push_back({Kind::refused_send, to, std::string(text)});
      return failed(std::make_exception_ptr(client_left(to, "send to")));
    }
    history_.push_back(testing::send(text, to));
    return Task<void>::ready();
  });
  ON_CALL(*this, broadcast(_, _)).WillByDefault([this](std::string_view text, std::optional<ClientId> except) {
    history_.push_back(testing::broadcast(text, except));
    return Task<void>::ready();
  });
  ON_CALL(*this, clients()).WillByDefault([this] { return connected_; });
  ON_CALL(*this, disconnect(_)).WillByDefault([this](ClientId id) {
    history_.push_back(testing::disconnect(id));
    std::erase(connected_, id);
  });
  ON_CALL(*this, peer_address(_)).WillByDefault([this](ClientId id) {
    if (!is_connected(id)) throw client_left(id, "get the address of");
    return "127.0.0.1:" + std::to_string(40000 + id.value);
  });
}

void MockServer::connect_clients(std::vector<ClientId> ids) {
  connected_ = std::move(ids);
  clients_known_ = true;
}

bool MockServer::is_connected(ClientId id) const {
  return !clients_known_ || std::find(connected_.begin(), connected_.end(), id) != connected_.end();
}

MockClient::MockClient() {
  using ::testing::_;
  ON_CALL(*this, send_message(_)).WillByDefault([this](std::string_view text) {
    history_.push_back(testing::send(text));
    return Task<void>::ready();
  });
  ON_CALL(*this, receive_message()).WillByDefault([this] {
    std::optional<std::string> message;
    if (next_ < script_.size()) message = script_[next_++];
    history_.push_back(message ? receive(*message) : receive_nothing());
    note_message_received(message);  // named in a crash report of the logic under test
    return Task<std::optional<std::string>>::ready(std::move(message));
  });
  ON_CALL(*this, close()).WillByDefault([this] {
    history_.push_back(close_connection());
    return Task<void>::ready();
  });
}

void MockClient::will_receive(const std::vector<std::string>& messages) {
  script_.insert(script_.end(), messages.begin(), messages.end());
}

}  // namespace netlab::testing
