// 1,000 clients connect, talk and leave while another keeps talking: the open
// files, the live heap and the resident memory come back to their baseline.

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>

#include "harness.hpp"
#include "netlab/tcp_client.hpp"
#include "netlab/tcp_server.hpp"

namespace netlab::faults {
namespace {

using namespace std::chrono_literals;

constexpr int kWarmUpClients = 100;
constexpr int kClients = 1000;
constexpr int kAtOnce = 50;
constexpr int kMessagesEach = 3;
constexpr std::size_t kKiB = 1024;

Task<void> echo(Server& server, Message message) { co_await server.send_message(message.from, message.text); }

class Churn {
 public:
  Churn() : reports_(loop_, server_) { loop_.run(server_.listen("127.0.0.1", 0)); }

  // Starts the client that talks all along.
  void start_flow() { background_.spawn(flow(), "the flow"); }

  // `clients` clients, kAtOnce at a time, each sending kMessagesEach messages,
  // reading the echoes and leaving. Returns once the server has let them all go.
  void round(int clients) {
    int next = 0;
    int workers = kAtOnce;
    Signal finished(loop_);
    auto worker = [&]() -> Task<void> {
      while (next < clients) {
        const int index = next++;
        auto client = co_await TcpClient::connect(loop_, "127.0.0.1", server_.port());
        for (int i = 0; i < kMessagesEach; ++i) co_await client->send_message(std::to_string(index));
        for (int i = 0; i < kMessagesEach; ++i) EXPECT_EQ(co_await client->receive_message(), std::to_string(index));
        co_await client->close();
      }
      if (--workers == 0) finished.notify();
    };
    TaskGroup group;
    for (int i = 0; i < kAtOnce; ++i) group.spawn(worker(), "churning client");
    ASSERT_TRUE(workers == 0 || loop_.run(finished.wait(60s))) << next << " clients started, " << workers
                                                                 << " workers still running";
    ASSERT_TRUE(run_until(loop_, [&] { return server_.clients().size() == 1; }, 5s))
        << server_.clients().size() << " clients still connected";
  }

  // Runs the loop until the open files are back to `count`, closing included.
  bool settle(std::size_t open_fds) {
    return run_until(loop_, [&] { return process_figures().open_fds == open_fds; }, 5s);
  }

  [[nodiscard]] int flowed() const noexcept { return flowed_; }
  [[nodiscard]] const Reports& reports() const noexcept { return reports_; }

 private:
  Task<void> flow() {
    auto client = co_await TcpClient::connect(loop_, "127.0.0.1", server_.port());
    while (true) {
      co_await client->send_message("flowing");
      if (co_await client->receive_message() != "flowing") co_return;
      ++flowed_;
    }
  }

  EventLoop loop_;
  TcpServer server_{loop_, {.on_message = {"echo", echo}}};
  Reports reports_;
  int flowed_ = 0;
  TaskGroup background_;  // last: destroyed first, while the client it uses is alive
};

TEST(Churn, ThousandClientsComeAndGoAndEverythingReturnsToBaseline) {
  Churn churn;
  churn.start_flow();
  // The first clients grow what is kept for reuse (allocator pools, the
  // loop's table of descriptors); the baseline is taken after them.
  churn.round(kWarmUpClients);
  const auto before = process_figures();
  const int flowed_before = churn.flowed();

  churn.round(kClients);
  ASSERT_TRUE(churn.settle(before.open_fds)) << "open files: " << process_figures().open_fds
                                             << ", before the churn: " << before.open_fds;
  const auto after = process_figures();

  std::printf("figure: churn: %d clients came and went, %d messages flowed meanwhile\n", kClients,
              churn.flowed() - flowed_before);
  std::printf("figure: open files %zu -> %zu, RSS %zu KiB -> %zu KiB, live heap %zu KiB -> %zu KiB\n", before.open_fds,
              after.open_fds, before.rss_kib, after.rss_kib, before.heap_bytes / kKiB, after.heap_bytes / kKiB);
  EXPECT_GT(churn.flowed(), flowed_before) << "messages must flow during the churn";
  EXPECT_EQ(after.open_fds, before.open_fds);
  EXPECT_LE(after.heap_bytes, before.heap_bytes + 64 * kKiB) << "the heap grew: something leaks per client";
  // Under ASan the live heap, which ASan counts itself, is the figure to trust:
  // its own bookkeeping grows resident memory with every allocation made.
  if (!detail::kAddressSanitizer) {
    EXPECT_LE(after.rss_kib, before.rss_kib + 2 * kKiB) << "resident memory grew by more than 2 MiB";
  }
  EXPECT_TRUE(churn.reports().lines().empty()) << churn.reports().all();
}

}  // namespace
}  // namespace netlab::faults
