// libFuzzer target: a TcpServer reading what one peer sends over loopback,
// through the connection, the frame decoder, the session and a handler that
// echoes. Whatever the bytes, and however the peer leaves (a clean close or
// a reset, with the server's replies unread):
// - no crash, leak or sanitizer report;
// - the server lets the peer go (a hang is reported by libFuzzer's -timeout).
//
// Input: [how the peer leaves][bytes it sends, in one go].

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <coroutine>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "netlab/event_loop.hpp"
#include "netlab/tcp_server.hpp"

namespace {

netlab::Task<void> echo(netlab::Server& server, netlab::Message message) {
  co_await server.send_message(message.from, message.text);
}

// One server for the whole run, as a real one serves peer after peer.
class Lab {
 public:
  Lab() {
    // What the server reports is expected here: these peers misbehave on purpose.
    server_.set_error_reporter([](const std::string&) {});
    loop_.run(server_.listen("127.0.0.1", 0));
    address_.sin_family = AF_INET;
    address_.sin_port = htons(server_.port());
    address_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  }

  void visit(std::uint8_t how_to_leave, const std::uint8_t* bytes, std::size_t size) {
    const int peer = socket(AF_INET, SOCK_STREAM, 0);
    if (peer < 0 || !connect_to_server(peer)) {
      std::perror("server_session: connecting to the server");
      std::abort();
    }
    for (std::size_t sent = 0; sent < size;) {
      const ssize_t n = send(peer, bytes + sent, size - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server has already closed this connection
      sent += static_cast<std::size_t>(n);
    }
    if (how_to_leave % 2 == 1) {
      const linger reset{1, 0};
      setsockopt(peer, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    }
    close(peer);
    ++visitors_;
    loop_.run(all_gone());
  }

 private:
  // libFuzzer's timer signal may interrupt connect(); the connection then
  // goes on being made in the background, and is done once the socket is writable.
  bool connect_to_server(int peer) const {
    if (connect(peer, reinterpret_cast<const sockaddr*>(&address_), sizeof address_) == 0) return true;
    if (errno != EINTR) return false;
    pollfd writable{peer, POLLOUT, 0};
    while (poll(&writable, 1, 5000) < 0 && errno == EINTR) {
    }
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(peer, SOL_SOCKET, SO_ERROR, &error, &length);
    errno = error;
    return (writable.revents & POLLOUT) != 0 && error == 0;
  }

  netlab::Task<void> on_disconnect(netlab::Server&, netlab::ClientId) {
    ++gone_;
    if (waiter_) netlab::detail::resume(std::exchange(waiter_, {}));
    co_return;
  }

  netlab::Task<void> all_gone() {
    struct Awaiter {
      Lab& lab;
      bool await_ready() const noexcept { return lab.gone_ == lab.visitors_; }
      void await_suspend(std::coroutine_handle<> handle) noexcept { lab.waiter_ = handle; }
      void await_resume() const noexcept {}
    };
    while (gone_ != visitors_) co_await Awaiter{*this};
  }

  netlab::EventLoop loop_;
  netlab::TcpServer server_{
      loop_, {.on_message = {"echo", echo},
              .on_disconnect = {"on_disconnect", [this](netlab::Server& server, netlab::ClientId id) {
                                  return on_disconnect(server, id);
                                }}}};
  sockaddr_in address_{};
  std::uint64_t visitors_ = 0;
  std::uint64_t gone_ = 0;
  std::coroutine_handle<> waiter_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Lab lab;
  if (size == 0) return 0;
  lab.visit(data[0], data + 1, size - 1);
  return 0;
}
