#pragma once
// Connection: one framed TCP connection on libuv, shared by TcpClient and
// TcpServer (https://docs.libuv.org/en/v1.x/stream.html).
//
// Writes: send() appends the frame to an outgoing queue and returns; just
// before the loop next polls, everything queued goes out in one vectored
// uv_try_write, and whatever the kernel did not take goes to one uv_write.
// So a loop of sends costs one system call per loop turn, not one per
// message. A server's broadcasts are stored once, in the BroadcastLog its
// connections share (ConnectionGroup), and each connection queues pieces of
// it (catch_up): before anything else it queues and before it closes, so
// that its messages stay in order.
//
// Reads: bytes go into a FrameDecoder, which holds them until the logic takes
// its messages; reading pauses while whole messages over the high-water mark
// wait there.
//
// Misbehaving peers are dropped with a reason (see ConnectionOptions): one
// that lets max_backlog pile up, reads nothing for stall_timeout while bytes
// wait for it, or stops mid-message for partial_frame_timeout.
//
// Lifetime: the object keeps itself alive (self_) until libuv's close callback
// for its uv_tcp_t, so the callbacks of its requests (writes, shutdown) never
// see a dead object.

#include <uv.h>

#include <coroutine>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/error.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/framing.hpp"
#include "netlab/options.hpp"
#include "outgoing.hpp"
#include "wait_list.hpp"

namespace netlab::detail {

// What the connections of one server (or one client) share.
struct ConnectionGroup {
  explicit ConnectionGroup(const ConnectionOptions& options) : options(options) {}

  const ConnectionOptions options;
  BroadcastLog broadcasts;  // a server's; a client's stays empty
};

class Connection final : public BeforePoll {
 public:
  // A connection whose uv_tcp_t is initialised but not yet connected or
  // accepted; what the group broadcast before it was made is not for it.
  static std::shared_ptr<Connection> create(EventLoop& loop, std::shared_ptr<const ConnectionGroup> group);

  uv_tcp_t* tcp() noexcept { return tcp_.get(); }
  uv_stream_t* stream() noexcept { return tcp_.stream(); }

  // Once connected: remembers the peer's address and starts reading.
  void start();
  [[nodiscard]] const std::string& peer() const noexcept { return peer_; }
  // True until close() or abort() is called or the connection fails.
  [[nodiscard]] bool is_open() const noexcept { return state_ == State::open; }
  // True once the peer has closed its side (end of stream).
  [[nodiscard]] bool peer_closed() const noexcept { return peer_closed_; }
  [[nodiscard]] std::size_t buffered() const noexcept {
    return outgoing_.size() + (in_flight_ ? in_flight_->left : 0);
  }
  // Throws Error if a message of `size` bytes is over the limit of `options`.
  static void check_size(const ConnectionOptions& options, std::size_t size);

  // Traces and records one frame to or from the peer.
  void observe(Direction direction, std::string_view payload) const;

  // Queues one message without waiting, after the group's broadcasts not yet
  // queued here. Throws Error if the connection is not open or the message
  // is larger than max_payload.
  void queue(std::string_view payload);
  // Queues the group's broadcasts not yet queued here; dropped (max_backlog)
  // if that is too much. Sending is left to the caller.
  void catch_up() { catch_up_to(group_->broadcasts.end()); }
  // Catches up to position `from` of the group's broadcasts and passes over
  // what lies between it and `to`: the broadcast this client sent.
  void pass_over(std::uint64_t from, std::uint64_t to);
  // Completes at once if no more than the high-water mark waits to go out,
  // else once the backlog has drained to a quarter of it. Throws Error if
  // the connection fails first.
  Task<void> drained();
  // queue(), then a ready task, or drained() if the backlog is over the
  // high-water mark: so a send with room costs no coroutine frame.
  Task<void> send(std::string_view payload);
  // A message already received, if there is one and nobody waits for it.
  std::optional<std::string> try_receive();

  // co_await receive(): the next message; nothing after a clean close by
  // either side; throws Error if the connection failed. One receiver at a
  // time. An awaiter rather than a Task: no coroutine frame per message.
  class Receive {
   public:
    Receive(Connection& connection, bool rethrow) noexcept : connection_(connection), rethrow_(rethrow) {}
    Receive(const Receive&) = delete;
    Receive& operator=(const Receive&) = delete;
    ~Receive();
    bool await_ready() const;
    void await_suspend(std::coroutine_handle<> handle) noexcept;
    std::optional<std::string> await_resume();

   private:
    Connection& connection_;
    bool rethrow_;
    bool waiting_ = false;
  };
  Receive receive() noexcept { return Receive(*this, true); }
  // Like receive(), but nothing rather than an exception when the connection
  // failed; failure() says why.
  Receive next_message() noexcept { return Receive(*this, false); }
  [[nodiscard]] const Error* failure() const noexcept { return failure_.get(); }

  // Sends everything queued (after catch_up()), shuts down the sending side,
  // waits (up to the linger time) for the peer to close, then closes.
  // Returns at once.
  void close();
  // Closes now; whatever is queued is dropped.
  void abort();
  // Completes when the connection is fully closed.
  Task<void> closed();

  void before_poll() override { flush(); }

 private:
  enum class State : std::uint8_t { open, closing, closed };

  // Only create() makes connections; the key lets it use std::make_shared,
  // which puts the object and its reference count in one allocation.
  struct Key {};

 public:
  Connection(Key, EventLoop& loop, std::shared_ptr<const ConnectionGroup> group);

 private:
  // The bytes handed to one uv_write, alive until its callback.
  struct InFlight {
    uv_write_t request{};
    std::vector<Piece> pieces;
    std::size_t left = 0;  // not yet confirmed sent
  };


  [[nodiscard]] const ConnectionOptions& options() const noexcept { return group_->options; }
  void catch_up_to(std::uint64_t position);
  void admit(std::string_view payload);
  // The connection stops being open: recorded as the peer leaving.
  void record_leave() const;
  void fail_backlog(std::size_t more);
  void after_queue();
  void flush();
  void after_write();
  void watch_stalled_write();
  void check_stalled_write();
  void watch_partial_frame();
  void start_shutdown();
  void on_read(ssize_t nread, const uv_buf_t* buf);
  void deliver(std::string_view bytes);
  void resume_reading();
  void start_reading();
  void fail(Error error);
  void close_handle();
  static void on_closed(uv_tcp_t* tcp);
  void wake_reader();
  [[nodiscard]] bool receive_ready() const noexcept;
  std::optional<std::string> take_message();

  // The small fields first: they fit in the padding after BeforePoll's
  // flag, and every idle connection is eight bytes smaller for it.
  State state_ = State::open;
  bool reading_ = false;
  bool read_ended_ = false;   // EOF, failure, or closed by us: receive() gets no more
  bool peer_closed_ = false;  // the peer sent EOF
  bool shutdown_done_ = false;  // our sending side is shut down
  bool reader_woken_ = false;   // the task in receive() is queued to run
  std::shared_ptr<const ConnectionGroup> group_;
  UvHandle<uv_tcp_t> tcp_;
  std::shared_ptr<Connection> self_;  // alive until the close callback
  std::string peer_;
  std::unique_ptr<Error> failure_;

  FrameDecoder decoder_;  // the inbox: messages received, not yet taken
  std::coroutine_handle<> reader_;  // the task waiting in receive(), until it runs again

  OutgoingQueue outgoing_;       // queued, not yet handed to the kernel or libuv
  std::uint64_t broadcast_position_;  // how far into the group's broadcasts is queued
  std::unique_ptr<InFlight> in_flight_;  // only while libuv writes what the kernel did not take at once
  // What only a busy, stuck or closing connection needs, allocated on first
  // use: an idle connection stays small.
  struct Watch {
    std::unique_ptr<Timer> linger;         // bounds close()
    std::unique_ptr<Timer> stall;          // runs while libuv holds bytes the kernel would not take
    std::size_t write_queue_seen = 0;      // libuv's write queue size at the last stall check
    std::uint64_t write_progress_at = 0;   // uv_now() when the peer last took some of it
    std::unique_ptr<Timer> partial_frame;  // runs while a message is half arrived
    uv_shutdown_t shutdown{};
    bool shutdown_started = false;
    WaitList drain_waiters;  // senders waiting for the backlog to drain
    WaitList close_waiters;  // tasks waiting for the close to complete
  };
  Watch& watch();
  // The loop this connection's handle belongs to (the loop's data points at
  // it); only while the handle is open.
  EventLoop& loop() const noexcept { return *static_cast<EventLoop*>(tcp_.get()->loop->data); }
  std::unique_ptr<Watch> watch_;
};

}  // namespace netlab::detail
