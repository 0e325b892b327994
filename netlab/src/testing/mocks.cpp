#include <algorithm>
#include <sstream>

#include "netlab/error.hpp"

#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"
#include "netlab/testing/history.hpp"
#include "netlab/trace.hpp"

namespace netlab::testing {

namespace {

// What a call that fails returns: a task that throws `error` when awaited.
Task<void> failed(std::exception_ptr error) {
  std::rethrow_exception(error);
  co_return;
}

std::string in_quotes(std::string_view text) { return "\"" + escape(text) + "\""; }

std::string name(ClientId id) {
  std::ostringstream out;
  out << id;
  return out.str();
}

}  // namespace

std::string join_history(const std::vector<std::string>& lines) {
  if (lines.empty()) return "nothing";
  std::string joined = lines.front();
  for (std::size_t i = 1; i < lines.size(); ++i) joined += ", then " + lines[i];
  return joined;
}

MockServer::MockServer() {
  using ::testing::_;
  ON_CALL(*this, send_message(_, _)).WillByDefault([this](ClientId to, std::string_view text) {
    if (!is_connected(to)) {
      history_.push_back("tried to send " + in_quotes(text) + " to " + name(to) + ", who is not connected");
      return failed(std::make_exception_ptr(client_left(to, "send to")));
    }
    history_.push_back("sent " + in_quotes(text) + " to " + name(to));
    return Task<void>::ready();
  });
  ON_CALL(*this, broadcast(_, _)).WillByDefault([this](std::string_view text, std::optional<ClientId> except) {
    history_.push_back("broadcast " + in_quotes(text) + (except ? " to everyone except " + name(*except) : " to everyone"));
    return Task<void>::ready();
  });
  ON_CALL(*this, clients()).WillByDefault([this] { return connected_; });
  ON_CALL(*this, disconnect(_)).WillByDefault([this](ClientId id) {
    history_.push_back("disconnected " + name(id));
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

std::string MockServer::describe_history() const { return join_history(history_); }

MockClient::MockClient() {
  using ::testing::_;
  ON_CALL(*this, send_message(_)).WillByDefault([this](std::string_view text) {
    history_.push_back("sent " + in_quotes(text));
    return Task<void>::ready();
  });
  ON_CALL(*this, receive_message()).WillByDefault([this] {
    if (next_ == script_.size()) {
      history_.push_back("received nothing (the server had closed)");
      return Task<std::optional<std::string>>::ready(std::nullopt);
    }
    history_.push_back("received " + in_quotes(script_[next_]));
    return Task<std::optional<std::string>>::ready(script_[next_++]);
  });
  ON_CALL(*this, close()).WillByDefault([this] {
    history_.push_back("closed the connection");
    return Task<void>::ready();
  });
}

void MockClient::will_receive(const std::vector<std::string>& messages) {
  script_.insert(script_.end(), messages.begin(), messages.end());
}

std::string MockClient::describe_history() const { return join_history(history_); }

}  // namespace netlab::testing
