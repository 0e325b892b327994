// asio benchmark client with C++20 coroutines, for the workloads that measure both
// ends of the connection:
//   pingpong  send "Ping", wait for "Pong", repeat.
//   pipeline  keep --window frames of --payload bytes in flight and answer every
//             echo with a new frame.
// fanout and idle measure the server alone and use the libuv load client for every
// implementation. Prints "result VALUE UNIT" lines after --duration seconds.
#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>

#include "framing.hpp"
#include "options.hpp"

namespace {

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

awaitable<void> ping_pong(tcp::socket& socket, const bench::Options& options) {
  bench::FrameReader reader;
  std::string ping;
  bench::append_frame(ping, "Ping");
  std::uint64_t round_trips = 0;

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(options.duration_seconds);
  while (Clock::now() < end) {
    co_await asio::async_write(socket, asio::buffer(ping), use_awaitable);
    const std::uint64_t before = round_trips;
    while (round_trips == before) {
      co_await reader.read_some(socket, [&round_trips](std::string_view reply) {
        if (reply != "Pong") {
          throw std::runtime_error("expected \"Pong\", the server sent " + std::to_string(reply.size()) +
                                   " other bytes");
        }
        ++round_trips;
      });
    }
  }
  std::printf("result %.1f round trips/s\n", static_cast<double>(round_trips) / seconds_since(start));
}

awaitable<void> pipeline(tcp::socket& socket, const bench::Options& options) {
  bench::FrameReader reader;
  const std::string payload(options.payload_size, 'x');
  std::string outbox;
  std::uint64_t echoes = 0;
  const auto answer_echo = [&](std::string_view echo) {
    if (echo.size() != payload.size()) {
      throw std::runtime_error("sent " + std::to_string(payload.size()) + "-byte frames, the server echoed " +
                               std::to_string(echo.size()) + " bytes");
    }
    ++echoes;
    bench::append_frame(outbox, payload);
  };

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(options.duration_seconds);
  for (std::size_t i = 0; i < options.window; ++i) bench::append_frame(outbox, payload);
  while (Clock::now() < end) {
    // Everything answered since the last write goes out in one write.
    co_await asio::async_write(socket, asio::buffer(outbox), use_awaitable);
    outbox.clear();
    while (outbox.empty()) co_await reader.read_some(socket, answer_echo);
  }
  const double seconds = seconds_since(start);
  std::printf("result %.1f msgs/s\n", static_cast<double>(echoes) / seconds);
  // Frame bytes (header and payload) coming back per second.
  std::printf("result %.2f MB/s\n",
              static_cast<double>(echoes * (bench::frame_header_size + payload.size())) / seconds / 1e6);
}

awaitable<void> run(const bench::Options& options) {
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await socket.async_connect({asio::ip::make_address(options.host), options.port}, use_awaitable);
  socket.set_option(tcp::no_delay(true));  // frames are small and latency matters
  if (options.workload == bench::Workload::pingpong) {
    co_await ping_pong(socket, options);
  } else {
    co_await pipeline(socket, options);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Options options = bench::parse_options(argc, argv, bench::Role::client);
  if (options.workload != bench::Workload::pingpong && options.workload != bench::Workload::pipeline) {
    std::cerr << "client: fanout and idle measure the server; run them with bench/libuv's client\n";
    return 2;
  }
  try {
    asio::io_context io(1);  // one thread, like a libuv loop; lets asio skip its locks
    asio::co_spawn(io, run(options), [](std::exception_ptr error) {
      if (error) std::rethrow_exception(error);  // out of io.run(), to the catch below
    });
    io.run();
  } catch (const std::exception& error) {
    std::cerr << "client: " << error.what() << '\n';
    return 1;
  }
}
