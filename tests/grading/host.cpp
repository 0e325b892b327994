// main() of a logic host (host.hpp), and its side of the calls the logic
// makes on its Server and Client.

#include "host.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

namespace logic_host {

namespace {

// The pipes to the test program, moved off stdin and stdout before any call,
// so that what the logic reads or prints never mixes with the protocol.
int requests = -1;
int replies = -1;

// The test program is gone, or said something this host cannot read: there
// is nobody left to answer.
[[noreturn]] void quit(const char* why) {
  if (why != nullptr) std::fprintf(stderr, "logic host: %s\n", why);
  _exit(why == nullptr ? 0 : 3);
}

void send(const std::string& frame) {
  for (std::size_t sent = 0; sent < frame.size();) {
    const ssize_t n = write(replies, frame.data() + sent, frame.size() - sent);
    if (n <= 0) quit(nullptr);
    sent += static_cast<std::size_t>(n);
  }
}

std::string read_exactly(std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t got = 0; got < size;) {
    const ssize_t n = read(requests, bytes.data() + got, size - got);
    if (n <= 0) quit(nullptr);
    got += static_cast<std::size_t>(n);
  }
  return bytes;
}

// The next frame's body.
std::string receive() {
  const std::string header = read_exactly(4);
  std::uint32_t length = 0;
  for (int i = 3; i >= 0; --i) length = (length << 8) | static_cast<std::uint8_t>(header[static_cast<std::size_t>(i)]);
  if (length == 0 || length > kMaxFrame) quit("a frame of an impossible length");
  return read_exactly(length);
}

// Asks the test program to make a call on one of its objects; returns the outcome.
template <typename Value>
Value ask(Writer request) {
  send(std::move(request).finish());
  const std::string body = receive();
  Reader in(body);
  try {
    if (in.kind() != FrameKind::reply) quit("a frame of the wrong kind");
    return get_outcome<Value>(in);
  } catch (const Garbage& garbage) {
    quit(garbage.what());
  }
}

// A call whose result is a Task: made now, as TcpServer queues a message
// when send_message is called; awaiting the task gives its outcome.
template <typename Value>
netlab::Task<Value> rethrow(std::exception_ptr error) {
  co_await netlab::Task<void>::ready();  // a coroutine: the exception waits for the co_await
  std::rethrow_exception(error);
}

template <typename Value>
netlab::Task<Value> ask_task(Writer request) {
  try {
    if constexpr (std::is_void_v<Value>) {
      ask<void>(std::move(request));
      return netlab::Task<void>::ready();
    } else {
      return netlab::Task<Value>::ready(ask<Value>(std::move(request)));
    }
  } catch (...) {
    return rethrow<Value>(std::current_exception());
  }
}

Writer request(std::uint64_t handle, auto method) {
  Writer out(FrameKind::request);
  out.u64(handle);
  out.u8(static_cast<std::uint8_t>(method));
  return out;
}

void serve(std::string_view entry, std::uint64_t self, Reader& in) {
  Writer outcome;
  std::ostringstream printed;
  std::streambuf* const terminal = std::cout.rdbuf(printed.rdbuf());
  bool found = false;
  for (const auto& entry_point : entry_points()) {
    if (entry_point.signature != entry) continue;
    found = true;
    try {
      entry_point.run(self, in, outcome);
    } catch (const Garbage& garbage) {
      quit(garbage.what());
    }
  }
  if (!found) {
    put_outcome<void>(outcome, [&] {
      throw std::logic_error("the logic host has no entry point " + std::string(entry) +
                             ": it was built from another version of the stage");
    });
  }
  std::cout.rdbuf(terminal);
  Writer done(FrameKind::done);
  done.bytes(printed.str());
  done.bytes(outcome.fields());
  send(std::move(done).finish());
}

}  // namespace

netlab::Task<void> RemoteServer::send_message(netlab::ClientId to, std::string_view text) {
  auto out = request(handle_, ServerMethod::send_message);
  Codec<netlab::ClientId>::put(out, to);
  out.bytes(text);
  return ask_task<void>(std::move(out));
}

netlab::Task<void> RemoteServer::broadcast(std::string_view text, std::optional<netlab::ClientId> except) {
  auto out = request(handle_, ServerMethod::broadcast);
  out.bytes(text);
  Codec<std::optional<netlab::ClientId>>::put(out, except);
  return ask_task<void>(std::move(out));
}

std::vector<netlab::ClientId> RemoteServer::clients() const {
  return ask<std::vector<netlab::ClientId>>(request(handle_, ServerMethod::clients));
}

void RemoteServer::disconnect(netlab::ClientId id) {
  auto out = request(handle_, ServerMethod::disconnect);
  Codec<netlab::ClientId>::put(out, id);
  ask<void>(std::move(out));
}

std::string RemoteServer::peer_address(netlab::ClientId id) const {
  auto out = request(handle_, ServerMethod::peer_address);
  Codec<netlab::ClientId>::put(out, id);
  return ask<std::string>(std::move(out));
}

netlab::Task<void> RemoteClient::send_message(std::string_view text) {
  auto out = request(handle_, ClientMethod::send_message);
  out.bytes(text);
  return ask_task<void>(std::move(out));
}

netlab::Task<std::optional<std::string>> RemoteClient::receive_message() {
  return ask_task<std::optional<std::string>>(request(handle_, ClientMethod::receive_message));
}

netlab::Task<void> RemoteClient::close() { return ask_task<void>(request(handle_, ClientMethod::close)); }

}  // namespace logic_host

int main() {
  using namespace logic_host;
  requests = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
  replies = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  const int nothing = open("/dev/null", O_RDONLY);
  if (requests < 0 || replies < 0 || nothing < 0 || dup2(nothing, STDIN_FILENO) < 0 ||
      dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    quit("cannot set up its pipes");
  }
  close(nothing);
  while (true) {
    const std::string body = receive();
    Reader in(body);
    try {
      if (in.kind() != FrameKind::call) quit("a frame of the wrong kind");
      const std::string entry = in.bytes();
      const std::uint64_t self = in.u64();
      serve(entry, self, in);
    } catch (const Garbage& garbage) {
      quit(garbage.what());
    }
  }
}
