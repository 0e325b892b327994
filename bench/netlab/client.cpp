// netlab's benchmark client for the pingpong and pipeline workloads, written
// as a stage's client_logic would be, run by netlab::run_client.

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "netlab/framing.hpp"
#include "netlab/run.hpp"

namespace {

using netlab::Client;
using netlab::Task;
using Clock = std::chrono::steady_clock;

struct Settings {
  std::string workload;
  double duration = 2.0;
  std::size_t window = 1000;
  std::size_t payload = 32;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Reading the clock costs as much as a message: look every 256 of them.
bool time_left(std::uint64_t count, Clock::time_point start, double duration) {
  return count % 256 != 0 || seconds_since(start) < duration;
}

Task<void> pingpong(Client& client, const Settings& settings) {
  std::uint64_t round_trips = 0;
  const auto start = Clock::now();
  while (time_left(round_trips, start, settings.duration)) {
    co_await client.send_message("Ping");
    auto reply = co_await client.receive_message();
    if (reply != "Pong") throw std::runtime_error("expected Pong, got " + reply.value_or("(closed)"));
    ++round_trips;
  }
  std::printf("result %.1f round trips/s\n", static_cast<double>(round_trips) / seconds_since(start));
}

// Keeps `window` messages in flight: every echo that comes back is answered
// with a new message.
Task<void> pipeline(Client& client, const Settings& settings) {
  const std::string payload(settings.payload, 'p');
  std::uint64_t echoes = 0;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < settings.window; ++i) co_await client.send_message(payload);
  while (time_left(echoes, start, settings.duration)) {
    auto echo = co_await client.receive_message();
    if (!echo || echo->size() != payload.size()) throw std::runtime_error("an echo came back wrong");
    ++echoes;
    co_await client.send_message(payload);
  }
  const double seconds = seconds_since(start);
  std::printf("result %.1f msgs/s\n", static_cast<double>(echoes) / seconds);
  std::printf("result %.2f MB/s\n",
              static_cast<double>(echoes) * static_cast<double>(netlab::kFrameHeaderSize + payload.size()) / seconds /
                  1e6);
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  return netlab::run_client(
      argc, argv,
      {.stage = "bench",
       .description = "netlab's client for bench/run (pingpong and pipeline)",
       .main = {"client_logic",
                [&settings](Client& client, netlab::Terminal&) {
                  return settings.workload == "pingpong" ? pingpong(client, settings) : pipeline(client, settings);
                }},
       .add_options = [&settings](CLI::App& app) {
         app.add_option("--workload", settings.workload)->required()->check(CLI::IsMember({"pingpong", "pipeline"}));
         app.add_option("--duration", settings.duration, "seconds to measure")->check(CLI::PositiveNumber);
         app.add_option("--window", settings.window, "messages in flight (pipeline)")->check(CLI::PositiveNumber);
         app.add_option("--payload", settings.payload, "payload bytes per message (pipeline)");
       }});
}
