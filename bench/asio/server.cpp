// asio benchmark server, written with C++20 coroutines the way asio's own chat
// server example is: a listener coroutine spawns a session per client, and a
// session is a reader coroutine plus a writer coroutine that drains a queue.
//   pingpong, idle: answers "Ping" with "Pong"
//   pipeline:       echoes every frame to its sender
//   fanout:         relays every frame to every other client
// Prints "listening on HOST:PORT" first, then serves until SIGINT or SIGTERM.
#include <asio.hpp>
#include <csignal>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framing.hpp"
#include "options.hpp"

namespace {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

class Session;

// The connected sessions, and what the workload does with each message.
class Hub {
 public:
  explicit Hub(bench::Workload workload) : workload_(workload) {}

  void join(std::shared_ptr<Session> session) { sessions_.push_back(std::move(session)); }
  void leave(const Session* session) {
    std::erase_if(sessions_, [session](const auto& joined) { return joined.get() == session; });
  }
  void on_message(Session& from, std::string_view payload);

 private:
  bench::Workload workload_;
  std::vector<std::shared_ptr<Session>> sessions_;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Hub& hub)
      : socket_(std::move(socket)), wake_writer_(socket_.get_executor()), hub_(hub) {
    // The writer sleeps on this timer; send() cancels the wait to wake it.
    wake_writer_.expires_at(asio::steady_timer::time_point::max());
  }

  void start() {
    hub_.join(shared_from_this());
    // Each coroutine holds a reference to the session, which lives until both end.
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->read_frames(); }, asio::detached);
    asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->write_frames(); }, asio::detached);
  }

  // Queues one frame; the writer sends everything queued so far in one write.
  void send(std::string_view payload) {
    bench::append_frame(outbox_, payload);
    wake_writer_.cancel_one();
  }

  void stop() {
    if (!socket_.is_open()) return;
    hub_.leave(this);
    asio::error_code ignored;
    socket_.close(ignored);
    wake_writer_.cancel();
  }

 private:
  awaitable<void> read_frames() {
    bench::FrameReader reader;
    try {
      for (;;) {
        co_await reader.read_some(socket_, [this](std::string_view payload) { hub_.on_message(*this, payload); });
      }
    } catch (const std::exception&) {
      stop();  // the client left, the connection broke, or it sent a bad frame
    }
  }

  awaitable<void> write_frames() {
    std::string sending;
    try {
      while (socket_.is_open()) {
        if (outbox_.empty()) {
          asio::error_code woken;  // operation_aborted: send() or stop() cancelled the wait
          co_await wake_writer_.async_wait(asio::redirect_error(use_awaitable, woken));
        } else {
          sending.swap(outbox_);
          co_await asio::async_write(socket_, asio::buffer(sending), use_awaitable);
          sending.clear();
        }
      }
    } catch (const std::exception&) {
      stop();
    }
  }

  tcp::socket socket_;
  asio::steady_timer wake_writer_;
  std::string outbox_;  // frames queued since the writer last took them
  Hub& hub_;
};

void Hub::on_message(Session& from, std::string_view payload) {
  switch (workload_) {
    case bench::Workload::pingpong:
    case bench::Workload::idle:
      if (payload == "Ping") {
        from.send("Pong");
      } else {
        std::cerr << "expected \"Ping\", got " << payload.size() << " other bytes; closing that connection\n";
        from.stop();
      }
      break;
    case bench::Workload::pipeline:
      from.send(payload);
      break;
    case bench::Workload::fanout:
      for (const auto& session : sessions_) {
        if (session.get() != &from) session->send(payload);
      }
      break;
  }
}

awaitable<void> accept_clients(tcp::acceptor& acceptor, Hub& hub) {
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
    socket.set_option(tcp::no_delay(true));  // frames are small and latency matters
    std::make_shared<Session>(std::move(socket), hub)->start();
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Options options = bench::parse_options(argc, argv, bench::Role::server);
  try {
    asio::io_context io(1);  // one thread, like a libuv loop; lets asio skip its locks

    const tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
    tcp::acceptor acceptor(io, endpoint.protocol());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(1024);  // a deep backlog: the idle workload connects in bursts
    std::cout << "listening on " << options.host << ':' << acceptor.local_endpoint().port() << std::endl;

    Hub hub(options.workload);
    asio::co_spawn(io, accept_clients(acceptor, hub), [](std::exception_ptr error) {
      if (error) std::rethrow_exception(error);  // out of io.run(), to the catch below
    });
    asio::signal_set stop_signals(io, SIGINT, SIGTERM);
    stop_signals.async_wait([&io](const asio::error_code&, int) { io.stop(); });
    io.run();
  } catch (const std::exception& error) {
    std::cerr << "server: " << error.what() << '\n';
    return 1;
  }
}
