#include "connection.hpp"

#include <signal.h>

#include <algorithm>
#include <array>
#include <utility>

#include "address.hpp"
#include "netlab/record.hpp"
#include "netlab/trace.hpp"

namespace netlab::detail {

namespace {

// libuv asks for a buffer before each read and hands it back, filled, to the
// read callback, which decodes it at once. So one buffer per thread serves
// every connection, and an idle connection holds no read buffer at all.
constexpr std::size_t kReadBufferSize = 64 * 1024;

// A write to a peer that has gone raises SIGPIPE, whose default action ends
// the process without a word. Ignored, the write fails with EPIPE instead,
// which becomes an Error that says what happened. A handler the program set
// itself is left alone.
void ignore_broken_pipes() {
  static const bool ignored = [] {
    struct sigaction action {};
    sigaction(SIGPIPE, nullptr, &action);
    if (action.sa_handler == SIG_DFL) signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)ignored;
}

// Why a send failed, in words: mostly because the peer has gone.
std::string send_failure(int status, const std::string& peer) {
  if (status == UV_EPIPE || status == UV_ECONNRESET) {
    return "connection lost: could not send to " + peer +
           ": it has closed the connection (its program stopped, or it closed this connection)";
  }
  return "connection lost: could not send to " + peer + " (" + uv_strerror(status) + ")";
}

}  // namespace

std::shared_ptr<Connection> Connection::create(EventLoop& loop, std::shared_ptr<const ConnectionGroup> group) {
  ignore_broken_pipes();
  auto connection = std::make_shared<Connection>(Key{}, loop, std::move(group));
  connection->self_ = connection;
  return connection;
}

Connection::Connection(Key, EventLoop& loop, std::shared_ptr<const ConnectionGroup> group)
    : group_(std::move(group)), decoder_(options().max_payload), broadcast_position_(group_->broadcasts.end()) {
  tcp_.open(loop.uv(), this, uv_tcp_init);
}

Connection::Watch& Connection::watch() {
  if (!watch_) watch_ = std::make_unique<Watch>();
  return *watch_;
}

void Connection::start() {
  sockaddr_storage address{};
  int length = sizeof address;
  // A peer that reset the connection before it was accepted has no address any more.
  peer_ = uv_tcp_getpeername(tcp(), reinterpret_cast<sockaddr*>(&address), &length) == 0 ? format_address(address)
                                                                                         : "unknown peer";
  uv_tcp_nodelay(tcp(), 1);  // frames are flushed once per loop turn already; don't let Nagle delay them
  resume_reading();
}

void Connection::resume_reading() {
  if (reading_ || read_ended_ || state_ == State::closed) return;
  start_reading();
}

void Connection::start_reading() {
  reading_ = true;
  watch_partial_frame();
  uv_read_start(
      stream(),
      [](uv_handle_t*, std::size_t, uv_buf_t* buf) {
        thread_local std::array<char, kReadBufferSize> buffer;
        *buf = uv_buf_init(buffer.data(), buffer.size());
      },
      [](uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
        static_cast<Connection*>(stream->data)->on_read(nread, buf);
      });
}

void Connection::on_read(ssize_t nread, const uv_buf_t* buf) {
  if (nread == 0) return;  // nothing this time (EAGAIN)
  if (state_ == State::closing) {
    // After close(), what still arrives is discarded. The peer's EOF (or an
    // error) means it has closed too; once our side is shut down, we are done.
    if (nread < 0) {
      peer_closed_ = true;
      uv_read_stop(stream());
      reading_ = false;
      if (shutdown_done_) close_handle();
    }
    return;
  }
  if (nread > 0) {
    deliver(std::string_view(buf->base, static_cast<std::size_t>(nread)));
    return;
  }
  if (nread == UV_EOF && decoder_.partial_bytes() == 0) {
    read_ended_ = true;
    peer_closed_ = true;
    uv_read_stop(stream());
    reading_ = false;
    wake_reader();
    return;
  }
  if (nread == UV_EOF) {
    fail(Error(UV_EOF, "connection lost: " + peer_ + " closed the connection in the middle of a message (" +
                           std::to_string(decoder_.partial_bytes()) + " bytes of it had arrived)"));
    return;
  }
  const std::string why = nread == UV_ECONNRESET ? "the program on the other side stopped or crashed"
                                                 : std::string(uv_strerror(static_cast<int>(nread)));
  fail(Error(static_cast<int>(nread), "connection lost: " + peer_ + " reset the connection (" + why + ")"));
}

void Connection::deliver(std::string_view bytes) {
  try {
    if (options().observed()) {
      decoder_.feed(bytes, [this](std::string_view payload) { observe(Direction::received, payload); });
    } else {
      decoder_.feed(bytes);
    }
  } catch (const Error& error) {
    // Messages before the oversized one are still delivered, then the error.
    fail(Error(error.code(), peer_ + " sent a bad header: " + error.what() + ": closing that connection"));
    return;
  }
  if (decoder_.pending_bytes() > options().high_water && reading_) {
    uv_read_stop(stream());  // the logic reads slower than the peer sends: let TCP push back
    reading_ = false;
  }
  watch_partial_frame();
  wake_reader();
}

void Connection::watch_partial_frame() {
  // While reading is paused, an unfinished message waits on us, not on the peer.
  if (state_ != State::open || !reading_ || decoder_.partial_bytes() == 0) {
    if (watch_ && watch_->partial_frame) watch_->partial_frame->stop();
    return;
  }
  auto& timer = watch().partial_frame;
  if (!timer) timer = std::make_unique<Timer>(loop());
  // Restarted by every read that leaves a message unfinished: the peer must go quiet for the whole timeout.
  timer->start(options().partial_frame_timeout, [this] {
    fail(Error(UV_ETIMEDOUT, peer_ + " stopped in the middle of a message: " +
                                 std::to_string(decoder_.partial_bytes()) + " bytes of it arrived, then nothing for " +
                                 std::to_string(options().partial_frame_timeout.count()) +
                                 " ms (partial_frame_timeout): closing that connection"));
  });
}

void Connection::queue(std::string_view payload) {
  catch_up();
  admit(payload);
  outgoing_.append_frame(payload);
  after_queue();
}

void Connection::catch_up_to(std::uint64_t to) {
  if (broadcast_position_ >= to) return;  // never back: the client may have passed over its own broadcast
  const std::uint64_t from = std::exchange(broadcast_position_, to);
  if (state_ != State::open) return;
  if (buffered() + (to - from) > options().max_backlog) {
    fail_backlog(to - from);
    return;
  }
  // No flush of its own: the server's catch-up pass flushes every client
  // this turn, and the other callers queue or close next.
  group_->broadcasts.copy_to(outgoing_, from, to);
}

void Connection::pass_over(std::uint64_t from, std::uint64_t to) {
  catch_up_to(from);
  broadcast_position_ = std::max(broadcast_position_, to);
}

// Sending waits until just before the loop polls again, so that everything
// queued in one turn goes out in one write.
void Connection::after_queue() { loop().schedule(*this); }

void Connection::admit(std::string_view payload) {
  if (state_ == State::open && payload.size() <= options().max_payload &&
      buffered() + kFrameHeaderSize + payload.size() > options().max_backlog) {
    fail_backlog(kFrameHeaderSize + payload.size());
  }
  if (state_ != State::open) {
    if (failure_) throw Error(failure_->code(), std::string("cannot send: ") + failure_->what());
    throw Error(UV_EPIPE, "cannot send to " + peer_ + ": the connection is closed");
  }
  check_size(options(), payload.size());
  if (options().observed()) observe(Direction::sent, payload);
}

void Connection::observe(Direction direction, std::string_view payload) const {
  trace_frame(options().trace, direction, peer_, payload);
  if (options().recorder) options().recorder->frame(direction, peer_, payload);
}

void Connection::record_leave() const {
  if (options().recorder) options().recorder->left(peer_);
}

void Connection::check_size(const ConnectionOptions& options, std::size_t size) {
  // A header holds 32 bits, and so does the length of a libuv write buffer,
  // which holds a whole frame.
  const std::size_t limit = std::min<std::size_t>(options.max_payload, UINT32_MAX - kFrameHeaderSize);
  if (size > limit) {
    throw Error(UV_EMSGSIZE, "cannot send a message of " + std::to_string(size) + " bytes: the limit is " +
                                 std::to_string(limit) + " bytes");
  }
}

void Connection::fail_backlog(std::size_t more) {
  // The peer reads far slower than it is sent to. Dropping it is what keeps
  // the sender's memory bounded; the error tells the sender why.
  fail(Error(UV_ENOBUFS, peer_ + " does not keep up: " + std::to_string(buffered()) +
                             " bytes already wait to go out to it, and " + std::to_string(more) +
                             " more would pass the " + std::to_string(options().max_backlog) +
                             "-byte limit (max_backlog): closing that connection"));
}

Task<void> Connection::drained() {
  const auto keep_alive = self_;  // the waiting task may outlive its owner's reference
  // Everyone waiting is woken together once the backlog is down to a quarter
  // of the mark, and all go on: each sender adds at most one message before
  // it waits again, and max_backlog bounds the rest.
  if (buffered() > options().high_water && state_ != State::closed) co_await watch().drain_waiters.wait();
  if (state_ == State::closed && failure_) throw Error(failure_->code(), failure_->what());
}

Task<void> Connection::send(std::string_view payload) {
  queue(payload);
  if (buffered() > options().high_water) return drained();
  return Task<void>::ready();
}

std::optional<std::string> Connection::try_receive() {
  if (reader_ || !decoder_.has_frame()) return std::nullopt;
  return take_message();
}

void Connection::flush() {
  if (state_ == State::closed || in_flight_ || outgoing_.empty()) return;  // a write in flight calls flush again
  // Only the buffer descriptions; a thread's one list serves every connection.
  thread_local std::vector<uv_buf_t> bufs;
  bufs.clear();
  gather(outgoing_.pieces(), bufs);
  int written = uv_try_write(stream(), bufs.data(), static_cast<unsigned>(bufs.size()));
  if (written == UV_EAGAIN || written == UV_ENOSYS) written = 0;
  if (written < 0) {
    fail(Error(written, send_failure(written, peer_)));
    return;
  }
  outgoing_.consume(static_cast<std::size_t>(written));
  if (outgoing_.empty()) {
    after_write();
    return;
  }
  // The kernel's buffer is full: libuv sends the rest when it can. New
  // messages queue behind it in outgoing_ meanwhile.
  in_flight_ = std::make_unique<InFlight>();
  in_flight_->left = outgoing_.size();
  in_flight_->pieces = outgoing_.take_all();
  in_flight_->request.data = this;
  bufs.clear();
  gather(in_flight_->pieces, bufs);
  uv_write(&in_flight_->request, stream(), bufs.data(), static_cast<unsigned>(bufs.size()),
           [](uv_write_t* req, int status) {
             auto& self = *static_cast<Connection*>(req->data);
             self.in_flight_.reset();
             if (status == UV_ECANCELED) return;  // closing: the close callback finishes up
             if (status < 0) {
               self.fail(Error(status, send_failure(status, self.peer_)));
               return;
             }
             if (self.watch_->stall) self.watch_->stall->stop();  // a write that follows starts watching anew
             self.flush();
             self.after_write();
           });
  watch_stalled_write();
}

void Connection::watch_stalled_write() {
  auto& watch = this->watch();
  watch.write_queue_seen = uv_stream_get_write_queue_size(stream());
  watch.write_progress_at = uv_now(loop().uv());
  if (!watch.stall) watch.stall = std::make_unique<Timer>(loop());
  // libuv reports nothing until the whole write is done, so progress is
  // sampled: a few checks per timeout keep the detection close to it.
  const auto period = std::max(options().stall_timeout / 4, std::chrono::milliseconds{1});
  watch.stall->start(period, [this] { check_stalled_write(); }, period);
}

void Connection::check_stalled_write() {
  const std::size_t waiting = uv_stream_get_write_queue_size(stream());
  const std::uint64_t now = uv_now(loop().uv());
  auto& watch = *watch_;
  if (waiting < watch.write_queue_seen) {
    watch.write_queue_seen = waiting;
    watch.write_progress_at = now;
    return;
  }
  // While closing, the linger time bounds the wait already.
  if (state_ != State::open || now - watch.write_progress_at < static_cast<std::uint64_t>(options().stall_timeout.count())) {
    return;
  }
  fail(Error(UV_ETIMEDOUT, peer_ + " has read nothing for " + std::to_string(options().stall_timeout.count()) +
                               " ms while " + std::to_string(buffered()) +
                               " bytes waited to go out to it (stall_timeout): closing that connection"));
}

void Connection::after_write() {
  if (watch_ && buffered() <= options().high_water / 4) watch_->drain_waiters.wake_all();
  if (state_ == State::closing && buffered() == 0 && !watch().shutdown_started) start_shutdown();
}

void Connection::close() {
  catch_up();  // the broadcasts before the close still go out
  if (state_ != State::open) return;
  record_leave();
  state_ = State::closing;
  watch_partial_frame();  // the linger time bounds what is left
  if (!read_ended_) {
    read_ended_ = true;  // we close: a waiting receive gets "closed", not an error
    wake_reader();
  }
  if (state_ != State::closing) return;  // the woken reader aborted us
  // However the peer behaves, the connection is closed within the linger time.
  auto& linger = watch().linger;
  linger = std::make_unique<Timer>(loop());
  linger->start(options().linger, [this] { close_handle(); });
  // Read on, discarding, to see the peer close its side.
  if (!reading_ && !peer_closed_) start_reading();
  if (buffered() == 0) {
    start_shutdown();
  } else {
    flush();
  }
}

void Connection::start_shutdown() {
  auto& watch = this->watch();
  watch.shutdown_started = true;
  watch.shutdown.data = this;
  const int status = uv_shutdown(&watch.shutdown, stream(), [](uv_shutdown_t* req, int status) {
    auto& self = *static_cast<Connection*>(req->data);
    // Wait for the peer to close its side too: closing while its data is
    // unread in our kernel would send a reset, which can destroy what we sent.
    self.shutdown_done_ = true;
    if (status < 0 || self.peer_closed_) self.close_handle();
  });
  if (status < 0) close_handle();
}

void Connection::abort() {
  if (state_ == State::closed) return;
  read_ended_ = true;
  close_handle();
}

void Connection::fail(Error error) {
  if (state_ == State::closed) return;
  failure_ = std::make_unique<Error>(std::move(error));
  read_ended_ = true;
  close_handle();
}

void Connection::close_handle() {
  if (state_ == State::closed) return;
  if (state_ == State::open) record_leave();
  state_ = State::closed;
  reading_ = false;
  loop().cancel(*this);
  if (watch_) {
    // The timers stop now; the block itself (with the shutdown request libuv
    // may still hold until the close callback) lives as long as the object.
    watch_->linger.reset();
    watch_->stall.reset();
    watch_->partial_frame.reset();
  }
  tcp_.close<on_closed>();
  wake_reader();
  if (watch_) watch_->drain_waiters.wake_all();
}

void Connection::on_closed(uv_tcp_t* tcp) {
  auto& self = *static_cast<Connection*>(tcp->data);
  auto keep_alive_until_return = std::move(self.self_);
  self.outgoing_.consume(self.outgoing_.size());
  if (self.watch_) self.watch_->close_waiters.wake_all();
}

Task<void> Connection::closed() {
  while (state_ != State::closed || self_ != nullptr) co_await watch().close_waiters.wait();
}

void Connection::wake_reader() {
  // The reader keeps its claim until it runs: a woken reader may wait in the
  // trampoline's queue, and nobody else may take its message meanwhile.
  if (reader_ && !reader_woken_ && receive_ready()) {
    reader_woken_ = true;
    resume(reader_);
  }
}

bool Connection::receive_ready() const noexcept { return decoder_.has_frame() || read_ended_; }

bool Connection::Receive::await_ready() const {
  if (connection_.reader_) {
    throw std::logic_error("receive_message: another task is already waiting for a message here");
  }
  return connection_.receive_ready();
}

void Connection::Receive::await_suspend(std::coroutine_handle<> handle) noexcept {
  connection_.reader_ = handle;
  connection_.reader_woken_ = false;
  waiting_ = true;
}

std::optional<std::string> Connection::Receive::await_resume() {
  if (std::exchange(waiting_, false)) {
    connection_.reader_ = {};
    connection_.reader_woken_ = false;
  }
  if (!rethrow_ && !connection_.decoder_.has_frame()) return std::nullopt;
  return connection_.take_message();
}

Connection::Receive::~Receive() {
  if (waiting_) {  // its task was destroyed while waiting
    connection_.reader_ = {};
    connection_.reader_woken_ = false;
  }
}

std::optional<std::string> Connection::take_message() {
  if (auto message = decoder_.next()) {
    if (decoder_.pending_bytes() <= options().high_water) resume_reading();
    return message;
  }
  if (failure_) throw Error(failure_->code(), failure_->what());
  return std::nullopt;
}

}  // namespace netlab::detail
