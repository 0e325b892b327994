#include "netlab/tcp_server.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "address.hpp"
#include "connection.hpp"
#include "netlab/crash.hpp"
#include "outgoing.hpp"
#include "wait_list.hpp"
#include "netlab/error.hpp"
#include "netlab/framing.hpp"
#include "netlab/record.hpp"
#include "netlab/trace.hpp"

namespace netlab {

namespace {

std::string listen_advice(int status, const std::string& where, std::uint16_t port) {
  switch (status) {
    case UV_EADDRINUSE:
      return "port " + std::to_string(port) + " is already in use at " + where +
             ": another program (perhaps an earlier server, still running in another terminal) listens there. "
             "Stop it, or choose another port: --port " + std::to_string(port == 65535 ? 1024 : port + 1) +
             ", or --port 0 for any free one";
    case UV_EACCES:
      return "not allowed to listen at " + where + ": ports below 1024 need administrator rights. "
             "Choose a port from 1024 to 65535 with --port";
    case UV_EADDRNOTAVAIL:
      return "cannot listen at " + where + ": that address does not belong to this machine. "
             "Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)";
    default:
      return "cannot listen at " + where + ": " + uv_strerror(status);
  }
}

}  // namespace

std::string to_string(ClientId id) { return "client " + std::to_string(id.value); }

std::ostream& operator<<(std::ostream& out, ClientId id) { return out << to_string(id); }

Error client_left(ClientId id, std::string_view action) {
  return Error(UV_ENOTCONN, "cannot " + std::string(action) + " " + to_string(id) +
                                ": that client has left (server.clients() lists who is still connected)");
}

// A broadcast appends its frame to the group's log and touches no client but
// the sender: its cost does not grow with the number of clients. The clients
// are caught up once per loop turn, each with pieces of the log, and flushed.
class TcpServer::Broadcasts final : public detail::BeforePoll {
 public:
  explicit Broadcasts(TcpServer& server) : server_(server), log_(server.group_->broadcasts) {}
  ~Broadcasts() { server_.loop_.cancel(*this); }
  Broadcasts(const Broadcasts&) = delete;
  Broadcasts& operator=(const Broadcasts&) = delete;

  // Appends the frame of `text` to the log; every client is caught up at the
  // end of this turn. The sender, if given, passes over it.
  void append(std::string_view text, detail::Connection* sender) {
    const std::uint64_t start = log_.end();
    const std::uint64_t end = log_.append_frame(text);
    if (sender != nullptr) sender->pass_over(start, end);
    server_.loop_.schedule(*this);
  }
  // True when more than the high-water mark waits in the log: a broadcast
  // then waits for the end of the turn (passed()), as a send waits for its
  // backlog to drain, so that a broadcasting loop lets the loop turn.
  [[nodiscard]] bool full() const noexcept {
    return log_.end() - caught_up_to_ > server_.group_->options.high_water;
  }
  detail::WaitList::Waiter passed() { return passed_.wait(); }

  // The clients left with more than the high-water mark to send after the
  // last catch-up (a broadcast waits for them); weak, so that a client that
  // leaves is not kept.
  [[nodiscard]] const std::vector<std::weak_ptr<detail::Connection>>& backed_up() const { return backed_up_; }

  void before_poll() override {
    // A connection that fails here wakes tasks (its session, senders waiting
    // for it); they run once the pass is over, so that none of them sees the
    // map or the list below half walked, nor broadcasts into the pass.
    detail::Trampoline::hold_while([this] { catch_up_all(); });
  }

 private:
  void catch_up_all() {
    std::vector<std::shared_ptr<detail::Connection>> connections;
    connections.reserve(server_.connections_.size());
    for (const auto& [id, connection] : server_.connections_) connections.push_back(connection);
    backed_up_.clear();
    for (const auto& connection : connections) {
      connection->catch_up();
      connection->before_poll();  // flush
      if (connection->is_open() && connection->buffered() > server_.group_->options.high_water) {
        backed_up_.push_back(connection);
      }
    }
    caught_up_to_ = log_.end();
    log_.trim(caught_up_to_);
    passed_.wake_all();
  }

  TcpServer& server_;
  detail::BroadcastLog& log_;
  std::uint64_t caught_up_to_ = 0;  // every client has been handed the log up to here
  std::vector<std::weak_ptr<detail::Connection>> backed_up_;
  detail::WaitList passed_;  // broadcasts waiting for the end of the turn
};

TcpServer::TcpServer(EventLoop& loop, ServerHandlers handlers, ConnectionOptions options)
    : loop_(loop),
      handlers_(std::move(handlers)),
      group_(std::make_shared<detail::ConnectionGroup>(options)),
      report_([](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }),
      broadcasts_(std::make_unique<Broadcasts>(*this)) {
  sessions_.set_error_handler([this](std::string_view name, std::exception_ptr error) {
    report_(std::string(name) + " failed: " + describe(error));
  });
}

TcpServer::~TcpServer() {
  sessions_.clear();
  // Aborting wakes tasks waiting to send, which may call back into this
  // server: let them find it empty, not a map being walked.
  const auto connections = std::move(connections_);
  connections_.clear();
  for (const auto& [id, connection] : connections) connection->abort();
}

void TcpServer::set_error_reporter(std::function<void(const std::string&)> reporter) {
  report_ = std::move(reporter);
}

Task<void> TcpServer::listen(std::string host, std::uint16_t port) {
  if (listener_) throw std::logic_error("TcpServer::listen: this server is already listening");
  const std::string where = detail::join_host_port(host, port);
  const auto addresses = co_await detail::resolve(loop_, host, port);
  listener_.open(loop_.uv(), this, uv_tcp_init);
  int status = uv_tcp_bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addresses.front()), 0);
  if (status == 0) {
    status = uv_listen(listener_.stream(), SOMAXCONN, [](uv_stream_t* listener, int status) {
      auto& self = *static_cast<TcpServer*>(listener->data);
      if (status < 0) {
        self.report_(std::string("cannot accept a new client: ") + uv_strerror(status) +
                     (status == UV_EMFILE ? " (the process has too many connections open; raise `ulimit -n`)" : ""));
        return;
      }
      self.accept();
    });
  }
  if (status < 0) {
    listener_.close();
    throw Error(status, listen_advice(status, where, port));
  }
  if (group_->options.recorder) group_->options.recorder->listening(address());
}

std::uint16_t TcpServer::port() const {
  if (!listener_) return 0;
  sockaddr_storage address{};
  int length = sizeof address;
  uv_tcp_getsockname(listener_.get(), reinterpret_cast<sockaddr*>(&address), &length);
  return ntohs(address.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6&>(address).sin6_port
                                             : reinterpret_cast<const sockaddr_in&>(address).sin_port);
}

std::string TcpServer::address() const {
  if (!listener_) return "(not listening)";
  return detail::local_address(*listener_.get());
}

void TcpServer::accept() {
  auto connection = detail::Connection::create(loop_, group_);
  if (int status = uv_accept(listener_.stream(), connection->stream()); status < 0) {
    connection->abort();
    report_(std::string("cannot accept a new client: ") + uv_strerror(status));
    return;
  }
  connection->start();
  const ClientId id{next_id_++};
  if (group_->options.recorder) group_->options.recorder->joined(to_string(id), connection->peer());
  connections_.emplace(id, connection);
  sessions_.spawn(session(std::move(connection), id), "client session");
}

// The start of a message, kept for an error report: the handler takes the
// message itself, and a copy of the whole would cost an allocation per message.
class TcpServer::Excerpt {
 public:
  explicit Excerpt(std::string_view text) : size_(std::min(text.size(), kSize)), cut_(text.size() > kSize) {
    std::copy_n(text.data(), size_, chars_.data());
  }
  [[nodiscard]] std::string quoted() const {
    std::string text = "\"";
    text += escape(std::string_view(chars_.data(), size_));
    text += cut_ ? "...\"" : "\"";
    return text;
  }

 private:
  static constexpr std::size_t kSize = 60;
  std::array<char, kSize> chars_;
  std::uint8_t size_;
  bool cut_;
};

// A session lives as long as its client, and its frame is most of what an
// idle client costs: what a message needs beyond the excerpt lives in the
// handler's frame.
Task<void> TcpServer::session(std::shared_ptr<detail::Connection> connection, ClientId id) {
  co_await call_client_handler(handlers_.on_connect, id, *connection);
  while (auto text = co_await connection->next_message()) {
    const Excerpt excerpt(*text);
    begin_logic_call(handlers_.on_message.name, *text, id.value, connection->peer());
    try {
      // Two statements: the Message dies before the wait, so it takes no
      // room in this frame.
      auto handling = handlers_.on_message.function(*this, Message(id, std::move(*text)));
      co_await std::move(handling);
    } catch (...) {
      report_handler_error(excerpt, id, *connection);
    }
    end_logic_call(id.value);
  }
  if (const Error* failure = connection->failure()) report_lost(id, *connection, *failure);
  connections_.erase(id);
  connection->close();
  co_await call_client_handler(handlers_.on_disconnect, id, *connection);
}

void TcpServer::report_lost(ClientId id, const detail::Connection& connection, const Error& failure) {
  report_(to_string(id) + " (" + connection.peer() + "): " + failure.what());
}

void TcpServer::report_handler_error(const Excerpt& message, ClientId from, const detail::Connection& connection) {
  report_("error in " + handlers_.on_message.name + ", handling " + message.quoted() + " from " + to_string(from) +
          " (" + connection.peer() + "): " + describe(std::current_exception()) +
          ". The server goes on serving its clients");
}

Task<void> TcpServer::call_client_handler(const ClientHandler& handler, ClientId id,
                                          const detail::Connection& connection) {
  if (!handler) co_return;
  try {
    co_await handler.function(*this, id);
  } catch (...) {
    report_("error in " + handler.name + " for " + to_string(id) + " (" + connection.peer() + "): " +
            describe(std::current_exception()) + ". The server goes on serving its clients");
  }
}

Task<void> TcpServer::close() {
  listener_.close();
  std::vector<std::shared_ptr<detail::Connection>> closing;
  for (auto& [id, connection] : connections_) {
    connection->close();
    closing.push_back(connection);
  }
  for (auto& connection : closing) co_await connection->closed();
}

detail::Connection& TcpServer::find(ClientId id, const char* action) const {
  auto found = connections_.find(id);
  if (found == connections_.end()) throw client_left(id, action);
  return *found->second;
}

Task<void> TcpServer::send_message(ClientId to, std::string_view text) {
  return find(to, "send to").send(text);
}

Task<void> TcpServer::broadcast(std::string_view text, std::optional<ClientId> except) {
  detail::Connection::check_size(group_->options, text.size());
  detail::Connection* sender = nullptr;
  if (auto found = except ? connections_.find(*except) : connections_.end(); found != connections_.end()) {
    sender = found->second.get();
  }
  if (group_->options.observed()) {
    for (const auto& [id, connection] : connections_) {
      if (connection.get() != sender && connection->is_open()) connection->observe(Direction::sent, text);
    }
  }
  broadcasts_->append(text, sender);
  // Wait for the slow readers, so that a broadcasting loop cannot pile up
  // memory for them; with nothing to wait for, no coroutine frame either.
  if (!broadcasts_->full() && broadcasts_->backed_up().empty()) return Task<void>::ready();
  return wait_after_broadcast();
}

Task<void> TcpServer::wait_after_broadcast() {
  if (broadcasts_->full()) co_await broadcasts_->passed();
  const auto backed_up = broadcasts_->backed_up();
  for (const auto& weak : backed_up) {
    const auto connection = weak.lock();
    if (!connection) continue;
    try {
      co_await connection->drained();
    } catch (const Error&) {
      // That client left meanwhile; the others still have the message.
    }
  }
}

std::vector<ClientId> TcpServer::clients() const {
  std::vector<ClientId> ids;
  ids.reserve(connections_.size());
  // Not one being closed (disconnected, or the server stopping): nothing can be sent to it any more.
  for (const auto& [id, connection] : connections_) {
    if (connection->is_open()) ids.push_back(id);
  }
  return ids;
}

void TcpServer::disconnect(ClientId id) {
  if (auto found = connections_.find(id); found != connections_.end()) found->second->close();
}

std::string TcpServer::peer_address(ClientId id) const { return find(id, "get the address of").peer(); }

}  // namespace netlab
