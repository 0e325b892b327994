#include "netlab/tcp_client.hpp"

#include <coroutine>

#include "address.hpp"
#include "connection.hpp"
#include "netlab/crash.hpp"
#include "netlab/error.hpp"
#include "netlab/record.hpp"

namespace netlab {

namespace {

constexpr int kTimedOut = UV_ETIMEDOUT;

// One connection attempt. The request outlives a task destroyed while
// connecting: the awaiter aborts the connection, libuv calls back with
// UV_ECANCELED, and the callback frees the request.
struct Attempt {
  uv_connect_t request{};
  std::coroutine_handle<> waiter;
  int status = 0;
  bool done = false;
};

struct AttemptAwaiter {
  Attempt* attempt;
  detail::Connection& connection;
  bool await_ready() const noexcept { return attempt->done; }
  void await_suspend(std::coroutine_handle<> handle) noexcept { attempt->waiter = handle; }
  int await_resume() const noexcept { return attempt->status; }
  ~AttemptAwaiter() {
    if (attempt->waiter) {
      attempt->waiter = {};
      connection.abort();
    }
  }
};

Task<int> attempt_connect(EventLoop& loop, detail::Connection& connection, const sockaddr_storage& address,
                          std::chrono::milliseconds timeout) {
  auto* attempt = new Attempt;
  attempt->request.data = attempt;
  const int started = uv_tcp_connect(&attempt->request, connection.tcp(), reinterpret_cast<const sockaddr*>(&address),
                                     [](uv_connect_t* request, int status) {
                                       auto* attempt = static_cast<Attempt*>(request->data);
                                       attempt->status = status;
                                       attempt->done = true;
                                       if (auto waiter = std::exchange(attempt->waiter, {})) {
                                         detail::resume(waiter);
                                       } else {
                                         delete attempt;  // its task is gone
                                       }
                                     });
  if (started < 0) {
    delete attempt;
    co_return started;
  }
  bool timed_out = false;
  Timer deadline(loop);
  deadline.start(timeout, [&] {
    timed_out = true;
    connection.abort();
  });
  const int status = co_await AttemptAwaiter{attempt, connection};
  delete attempt;
  co_return timed_out ? kTimedOut : status;
}

std::string connect_advice(int status, const std::string& where, std::chrono::milliseconds timeout) {
  switch (status) {
    case UV_ECONNREFUSED:
      return "no server is listening at " + where +
             ". Is the server started? Start it first (in another terminal), and check that --host and --port "
             "match the address it printed after \"listening on\"";
    case kTimedOut:
      return "could not connect to " + where + ": nothing answered within " + std::to_string(timeout.count()) +
             " ms. Check --host (is it the server machine's address?) and that no firewall blocks the port";
    case UV_ENETUNREACH:
    case UV_EHOSTUNREACH:
    case UV_EADDRNOTAVAIL:
      return "cannot reach " + where + " (" + uv_strerror(status) + "): check --host";
    default:
      return "could not connect to " + where + ": " + uv_strerror(status);
  }
}

}  // namespace

Error server_closed(std::string_view action) {
  std::string message(action);
  if (!message.empty()) message += ": ";
  return Error(UV_EOF, message + "the server closed the connection (it stopped, or it disconnected this client)");
}

Task<std::unique_ptr<TcpClient>> TcpClient::connect(EventLoop& loop, std::string host, std::uint16_t port,
                                                    ConnectionOptions options) {
  const auto addresses = co_await detail::resolve(loop, host, port);
  const auto group = std::make_shared<const detail::ConnectionGroup>(options);
  int status = UV_EAI_NONAME;
  for (const auto& address : addresses) {
    auto connection = detail::Connection::create(loop, group);
    status = co_await attempt_connect(loop, *connection, address, options.connect_timeout);
    if (status == 0) {
      connection->start();
      if (options.recorder) {
        options.recorder->joined("server", connection->peer(), detail::local_address(*connection->tcp()));
      }
      co_return std::unique_ptr<TcpClient>(new TcpClient(std::move(connection)));
    }
    connection->abort();
  }
  throw Error(status, connect_advice(status, detail::join_host_port(host, port), options.connect_timeout));
}

TcpClient::TcpClient(std::shared_ptr<detail::Connection> connection) : connection_(std::move(connection)) {}

TcpClient::~TcpClient() { connection_->abort(); }

Task<void> TcpClient::send_message(std::string_view text) {
  // A netlab server that closed its side reads nothing more: say so, rather
  // than send into a connection that the next write finds reset.
  if (connection_->is_open() && connection_->peer_closed()) throw server_closed("cannot send");
  return connection_->send(text);
}

Task<std::optional<std::string>> TcpClient::receive_message() {
  if (auto message = connection_->try_receive()) {
    note_message_received(message);
    return Task<std::optional<std::string>>::ready(std::move(message));
  }
  return wait_for_message();
}

Task<std::optional<std::string>> TcpClient::wait_for_message() {
  auto message = co_await connection_->receive();
  note_message_received(message);
  co_return message;
}

Task<void> TcpClient::close() {
  connection_->close();
  return connection_->closed();
}

void TcpClient::abort() { connection_->abort(); }

const std::string& TcpClient::peer_address() const { return connection_->peer(); }

}  // namespace netlab
