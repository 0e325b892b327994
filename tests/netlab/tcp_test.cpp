// TcpServer and TcpClient over loopback, on ephemeral ports.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <cstdio>
#include <memory>
#include <thread>
#include <string>
#include <vector>

#include "loopback.hpp"
#include "netlab/error.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/first_of.hpp"
#include "netlab/tcp_client.hpp"
#include "netlab/tcp_server.hpp"
#include "netlab/testing/raw_peer.hpp"
#include "netlab/testing/round_trip.hpp"

namespace netlab {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

Task<void> pong(Server& server, Message message) {
  if (message.text == "Ping") co_await server.send_message(message.from, "Pong");
}

Task<void> echo(Server& server, Message message) { co_await server.send_message(message.from, message.text); }

class Loopback : public ::testing::Test {
 protected:
  void start(ServerHandlers handlers, ConnectionOptions options = {}, const std::string& host = "127.0.0.1") {
    server_ = std::make_unique<TcpServer>(loop_, std::move(handlers), options);
    server_->set_error_reporter([this](const std::string& line) {
      reports_.push_back(line);
      reported_.set();
    });
    loop_.run(server_->listen(host, 0));
  }

  Task<std::unique_ptr<TcpClient>> connect(ConnectionOptions options = {}) {
    return TcpClient::connect(loop_, "127.0.0.1", server_->port(), options);
  }

  // What a client gets back for one message.
  std::optional<std::string> ask(const std::string& text) { return testing::round_trip(loop_, server_->port(), text); }

  std::string all_reports() const {
    std::string joined;
    for (const auto& line : reports_) joined += line + "\n";
    return joined;
  }

  EventLoop loop_;
  std::unique_ptr<TcpServer> server_;  // after the loop: destroyed before it
  std::vector<std::string> reports_;
  test::Event reported_;
};

TEST_F(Loopback, PingGetsPong) {
  start({.on_message = {"pong", pong}});
  EXPECT_EQ(ask("Ping"), "Pong");
}

TEST_F(Loopback, PortZeroPicksAPortThatCanBeReadBack) {
  start({.on_message = {"pong", pong}});
  ASSERT_NE(server_->port(), 0);
  EXPECT_EQ(server_->address(), "127.0.0.1:" + std::to_string(server_->port()));
}

TEST_F(Loopback, Ipv6Loopback) {
  try {
    start({.on_message = {"pong", pong}}, {}, "::1");
  } catch (const Error& error) {
    GTEST_SKIP() << "no IPv6 loopback on this machine: " << error.what();
  }
  auto conversation = [&]() -> Task<std::string> {
    auto client = co_await TcpClient::connect(loop_, "::1", server_->port());
    std::string peer = client->peer_address();
    co_await client->send_message("Ping");
    EXPECT_EQ(co_await client->receive_message(), "Pong");
    co_await client->close();
    co_return peer;
  };
  EXPECT_EQ(loop_.run(conversation()), "[::1]:" + std::to_string(server_->port()));
}

// RFC 6761: localhost and the names under .localhost are this machine, with
// or without /etc/hosts; the system resolver knows no "anything.localhost".
TEST_F(Loopback, LocalhostNamesAreThisMachineWithoutTheResolver) {
  start({.on_message = {"pong", pong}}, {}, "localhost");
  for (const char* host : {"localhost", "LocalHost", "localhost.", "pingpong.localhost"}) {
    SCOPED_TRACE(host);
    auto conversation = [&]() -> Task<std::optional<std::string>> {
      auto client = co_await TcpClient::connect(loop_, host, server_->port());
      co_await client->send_message("Ping");
      co_return co_await client->receive_message();
    };
    EXPECT_EQ(loop_.run(conversation()), "Pong");
  }
}

TEST_F(Loopback, ASendAfterTheServerClosedSaysSo) {
  start({.on_message = {"pong", pong}});
  auto conversation = [&]() -> Task<std::string> {
    auto client = co_await connect();
    co_await server_->close();
    EXPECT_EQ(co_await client->receive_message(), std::nullopt);
    try {
      co_await client->send_message("Ping");
    } catch (const Error& error) {
      co_return error.what();
    }
    co_return "no error";
  };
  EXPECT_EQ(loop_.run(conversation()),
            "cannot send: the server closed the connection (it stopped, or it disconnected this client)");
}

// The way a client waits for the keyboard and the network at once: a
// receive that loses the race takes no message with it.
TEST_F(Loopback, FirstOfAReceiveAndATimerLosesNoMessage) {
  start({.on_message = {"echo", echo}});
  auto conversation = [&]() -> Task<std::vector<std::string>> {
    auto client = co_await connect();
    auto quiet = co_await first_of(loop_.sleep(1ms), client->receive_message());
    EXPECT_EQ(quiet.index(), 0u) << "nothing was sent, yet a message arrived";
    std::vector<std::string> received;
    for (const char* text : {"one", "two", "three"}) {
      co_await client->send_message(text);
      // Whichever wins, the echo comes out once: from the race, or after it.
      auto raced = co_await first_of(loop_.sleep(0ms), client->receive_message());
      if (raced.index() == 1) {
        received.push_back(std::get<1>(raced).value_or("(closed)"));
      } else {
        received.push_back((co_await client->receive_message()).value_or("(closed)"));
      }
    }
    co_return received;
  };
  EXPECT_THAT(loop_.run(conversation()), ::testing::ElementsAre("one", "two", "three"));
}

TEST_F(Loopback, MessagesKeepSpacesNewlinesAndBinaryBytes) {
  start({.on_message = {"echo", echo}});
  const std::string odd = std::string("two words\nand a newline, a NUL \0 and \xff\xfe", 40);
  EXPECT_EQ(ask(odd), odd);
  EXPECT_EQ(ask(""), "");
}

TEST_F(Loopback, TwoHundredClientsOnOneLoopThread) {
  start({.on_message = {"echo", echo}});
  constexpr int kClients = 200;
  constexpr int kMessages = 10;
  int finished = 0;
  auto one_client = [&](int index) -> Task<void> {
    auto client = co_await connect();
    for (int i = 0; i < kMessages; ++i) co_await client->send_message(std::to_string(index) + "/" + std::to_string(i));
    for (int i = 0; i < kMessages; ++i) {
      EXPECT_EQ(co_await client->receive_message(), std::to_string(index) + "/" + std::to_string(i));
    }
    co_await client->close();
    ++finished;
  };
  TaskGroup clients;
  for (int i = 0; i < kClients; ++i) clients.spawn(one_client(i), "client " + std::to_string(i));
  auto all_done = [&]() -> Task<void> {
    while (clients.size() > 0) co_await loop_.sleep(1ms);
  };
  loop_.run(all_done());
  EXPECT_EQ(finished, kClients);
  EXPECT_TRUE(reports_.empty()) << all_reports();
}

TEST_F(Loopback, BroadcastReachesEveryoneButTheSender) {
  auto relay = [](Server& server, Message message) -> Task<void> {
    co_await server.broadcast(message.text, message.from);
    co_await server.broadcast("end");
  };
  start({.on_message = {"relay", relay}});
  constexpr int kListeners = 100;
  auto conversation = [&]() -> Task<void> {
    std::vector<std::unique_ptr<TcpClient>> listeners;
    for (int i = 0; i < kListeners; ++i) listeners.push_back(co_await connect());
    auto sender = co_await connect();
    while (server_->clients().size() < kListeners + 1) co_await loop_.sleep(1ms);  // the server accepts asynchronously
    co_await sender->send_message("hello");
    EXPECT_EQ(co_await sender->receive_message(), "end") << "the sender got its own message back";
    for (auto& listener : listeners) {
      EXPECT_EQ(co_await listener->receive_message(), "hello");
      EXPECT_EQ(co_await listener->receive_message(), "end");
    }
  };
  loop_.run(conversation());
}

TEST_F(Loopback, BroadcastsAndDirectSendsArriveInTheOrderTheyWereMade) {
  // Broadcasts wait in the server's log until the end of the loop turn;
  // a direct send in between must still come after the broadcasts before it.
  auto mix = [](Server& server, Message message) -> Task<void> {
    const ClientId other{message.from.value == 1 ? 2U : 1U};
    co_await server.send_message(message.from, "1 direct");
    co_await server.broadcast("2 everyone");
    co_await server.send_message(message.from, "3 direct");
    co_await server.broadcast("4 all but the sender", message.from);
    co_await server.send_message(other, "5 direct to the other");
    co_await server.broadcast("6 everyone");
  };
  start({.on_message = {"mix", mix}});
  auto conversation = [&]() -> Task<void> {
    auto first = co_await connect();
    auto second = co_await connect();
    while (server_->clients().size() < 2) co_await loop_.sleep(1ms);
    co_await first->send_message("go");
    for (const char* expected : {"1 direct", "2 everyone", "3 direct", "6 everyone"}) {
      EXPECT_EQ(co_await first->receive_message(), expected);
    }
    for (const char* expected : {"2 everyone", "4 all but the sender", "5 direct to the other", "6 everyone"}) {
      EXPECT_EQ(co_await second->receive_message(), expected);
    }
  };
  loop_.run(conversation());
  EXPECT_TRUE(reports_.empty()) << all_reports();
}

TEST_F(Loopback, AClientGetsOnlyTheBroadcastsMadeAfterItJoined) {
  auto relay = [](Server& server, Message message) -> Task<void> { co_await server.broadcast(message.text); };
  start({.on_message = {"relay", relay}});
  auto conversation = [&]() -> Task<void> {
    auto early = co_await connect();
    co_await early->send_message("before");
    EXPECT_EQ(co_await early->receive_message(), "before");
    auto late = co_await connect();
    while (server_->clients().size() < 2) co_await loop_.sleep(1ms);
    co_await early->send_message("after");
    EXPECT_EQ(co_await early->receive_message(), "after");
    EXPECT_EQ(co_await late->receive_message(), "after") << "a client got a broadcast from before it joined";
  };
  loop_.run(conversation());
}

TEST_F(Loopback, ALongBroadcastLoopArrivesWholeAndInOrder) {
  // Far more than the high-water mark in one handler call, with no wait in
  // between: the clients are caught up along the way, and nothing is lost.
  ConnectionOptions options;
  options.high_water = 16 * 1024;
  constexpr int kMessages = 5000;
  auto flood = [](Server& server, Message) -> Task<void> {
    for (int i = 0; i < kMessages; ++i) co_await server.broadcast("message " + std::to_string(i));
  };
  start({.on_message = {"flood", flood}}, options);
  auto conversation = [&]() -> Task<void> {
    auto listener = co_await connect();
    auto sender = co_await connect();
    while (server_->clients().size() < 2) co_await loop_.sleep(1ms);
    co_await sender->send_message("go");
    for (int i = 0; i < kMessages; ++i) {
      const auto got = co_await listener->receive_message();
      if (got != "message " + std::to_string(i)) {
        ADD_FAILURE() << "message " << i << " arrived as " << got.value_or("(closed)");
        co_return;
      }
    }
  };
  loop_.run(conversation());
  EXPECT_TRUE(reports_.empty()) << all_reports();
}

TEST_F(Loopback, ABroadcastLoopLetsTheServerServeOthers) {
  // A handler broadcasting in a loop waits for the end of the loop turn
  // whenever more than the high-water mark is waiting, as a send does: other
  // clients' messages are handled meanwhile, not after the loop.
  ConnectionOptions options;
  options.high_water = 16 * 1024;
  constexpr int kFlood = 1000;
  auto serve = [](Server& server, Message message) -> Task<void> {
    if (message.text != "flood") {
      co_await server.broadcast(message.text);
      co_return;
    }
    const std::string chunk(4 * 1024, 'x');
    for (int i = 0; i < kFlood; ++i) co_await server.broadcast(chunk);
  };
  start({.on_message = {"serve", serve}}, options);
  auto conversation = [&]() -> Task<int> {
    auto listener = co_await connect();
    auto flooder = co_await connect();
    auto marker = co_await connect();
    while (server_->clients().size() < 3) co_await loop_.sleep(1ms);
    co_await flooder->send_message("flood");
    co_await marker->send_message("mark");
    for (int floods = 0; floods <= kFlood; ++floods) {
      if (co_await listener->receive_message() == "mark") co_return floods;
    }
    co_return -1;
  };
  const int floods_before_mark = loop_.run(conversation());
  EXPECT_GE(floods_before_mark, 0) << "the mark never arrived";
  EXPECT_LT(floods_before_mark, 100) << "the other client's message waited for most of the broadcast loop";
}

TEST_F(Loopback, ADepartureAnnouncedWhileBroadcastsFlow) {
  // As in a chat: every message goes to the others, and a client that
  // vanishes (a reset, noticed while the server writes to it) is announced.
  auto relay = [](Server& server, Message message) -> Task<void> {
    co_await server.broadcast(message.text, message.from);
  };
  auto announce = [](Server& server, ClientId id) -> Task<void> {
    co_await server.broadcast("left " + std::to_string(id.value));
  };
  start({.on_message = {"relay", relay}, .on_disconnect = {"announce", announce}});
  constexpr int kMessages = 200;
  auto conversation = [&]() -> Task<void> {
    auto listener = co_await connect();
    auto vanishing = std::make_unique<testing::RawPeer>(server_->port());
    auto sender = co_await connect();
    while (server_->clients().size() < 3) co_await loop_.sleep(1ms);
    for (int i = 0; i < kMessages; ++i) {
      co_await sender->send_message("m" + std::to_string(i));
      if (i == kMessages / 2) vanishing->reset();
    }
    int next = 0;
    bool announced = false;
    while (next < kMessages || !announced) {
      const auto got = co_await listener->receive_message();
      if (got == "left 2") {
        EXPECT_FALSE(announced) << "announced twice";
        announced = true;
      } else if (got == "m" + std::to_string(next)) {
        ++next;
      } else {
        ADD_FAILURE() << "expected m" << next << " or the departure, got " << got.value_or("(closed)");
        co_return;
      }
    }
  };
  loop_.run(conversation());
}

TEST_F(Loopback, HooksSeeClientsConnectAndLeave) {
  std::vector<std::string> events;
  test::Event left;
  auto on_connect = [&](Server& server, ClientId id) -> Task<void> {
    const auto ids = server.clients();
    events.push_back("connect " + std::to_string(id.value) + " listed=" +
                     std::to_string(std::count(ids.begin(), ids.end(), id)) +
                     " local=" + std::to_string(server.peer_address(id).rfind("127.0.0.1:", 0) == 0));
    co_return;
  };
  auto on_disconnect = [&](Server& server, ClientId id) -> Task<void> {
    const auto ids = server.clients();
    events.push_back("leave " + std::to_string(id.value) + " listed=" +
                     std::to_string(std::count(ids.begin(), ids.end(), id)));
    left.set();
    co_return;
  };
  start({.on_message = {"pong", pong}, .on_connect = {"on_connect", on_connect}, .on_disconnect = {"on_disconnect", on_disconnect}});
  EXPECT_EQ(ask("Ping"), "Pong");
  loop_.run(left.wait());
  EXPECT_EQ(events, (std::vector<std::string>{"connect 1 listed=1 local=1", "leave 1 listed=0"}));
}

TEST_F(Loopback, ServerDisconnectSendsWhatWasQueuedThenClosesCleanly) {
  auto goodbye = [](Server& server, Message message) -> Task<void> {
    co_await server.send_message(message.from, "last words");
    server.disconnect(message.from);
    server.disconnect(message.from);  // twice: harmless
  };
  start({.on_message = {"goodbye", goodbye}});
  auto conversation = [&]() -> Task<void> {
    auto client = co_await connect();
    co_await client->send_message("bye");
    EXPECT_EQ(co_await client->receive_message(), "last words");
    EXPECT_EQ(co_await client->receive_message(), std::nullopt) << "a clean close reads as no message";
    EXPECT_EQ(co_await client->receive_message(), std::nullopt);
    // The server reads nothing more: a send says so rather than vanish.
    EXPECT_THROW(co_await client->send_message("anyone?"), Error);
    co_await client->close();
  };
  loop_.run(conversation());
}

TEST_F(Loopback, ClientCloseFlushesEveryQueuedMessage) {
  constexpr int kMessages = 20'000;
  int received = 0;
  test::Event left;
  auto count = [&](Server&, Message message) -> Task<void> {
    EXPECT_EQ(message.text, "message " + std::to_string(received));
    ++received;
    co_return;
  };
  auto on_disconnect = [&](Server&, ClientId) -> Task<void> {
    left.set();
    co_return;
  };
  start({.on_message = {"count", count}, .on_disconnect = {"on_disconnect", on_disconnect}});
  auto sender = [&]() -> Task<void> {
    auto client = co_await connect();
    for (int i = 0; i < kMessages; ++i) co_await client->send_message("message " + std::to_string(i));
    co_await client->close();
  };
  loop_.run(sender());
  loop_.run(left.wait());
  EXPECT_EQ(received, kMessages);
}

TEST_F(Loopback, MessageAtTheLimitArrivesAndOneByteMoreIsRefusedBeforeSending) {
  start({.on_message = {"echo", echo}});
  const std::string largest(kDefaultMaxPayload, 'L');
  EXPECT_EQ(ask(largest), largest);
  auto too_large = [&]() -> Task<void> {
    auto client = co_await connect();
    co_await client->send_message(std::string(kDefaultMaxPayload + 1, 'L'));
  };
  try {
    loop_.run(too_large());
    FAIL() << "sending 1 MiB + 1 byte did not throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), UV_EMSGSIZE);
    EXPECT_THAT(error.what(), HasSubstr("the limit is 1048576 bytes"));
  }
}

TEST_F(Loopback, LyingHeaderClosesOnlyThatConnection) {
  start({.on_message = {"pong", pong}});
  testing::RawPeer liar(server_->port());
  ASSERT_TRUE(liar.send(std::string("\x00\x20\x00\x00", 4)));  // announces 2 MiB
  loop_.run(reported_.wait());
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_THAT(reports_[0], HasSubstr("client 1 (127.0.0.1:"));
  EXPECT_THAT(reports_[0], HasSubstr("2097152 bytes"));
  EXPECT_THAT(reports_[0], HasSubstr("1048576-byte limit"));
  EXPECT_EQ(ask("Ping"), "Pong") << "the other clients must be served on";
}

TEST_F(Loopback, DisconnectMidMessageIsReportedInWords) {
  start({.on_message = {"pong", pong}});
  testing::RawPeer quitter(server_->port());
  ASSERT_TRUE(quitter.send(std::string("\x00\x00\x00\x0aPin", 7)));  // 3 of 10 bytes
  quitter.close();
  loop_.run(reported_.wait());
  ASSERT_EQ(reports_.size(), 1u);
  EXPECT_THAT(reports_[0], HasSubstr("connection lost"));
  EXPECT_THAT(reports_[0], HasSubstr("in the middle of a message (7 bytes of it had arrived)"));
  EXPECT_EQ(ask("Ping"), "Pong");
}

TEST_F(Loopback, ClientSeesTheServerVanishMidMessage) {
  // A bare listening socket plays a server that dies halfway through a message.
  testing::RawListener listener;
  auto conversation = [&]() -> Task<void> {
    auto client = co_await TcpClient::connect(loop_, "127.0.0.1", listener.port());
    const int server_side = listener.accept();  // already queued by the kernel: no wait
    EXPECT_EQ(send(server_side, "\x00\x00\x00\x05Po", 6, MSG_NOSIGNAL), 6);
    close(server_side);
    try {
      co_await client->receive_message();
      ADD_FAILURE() << "a message cut short must not read as a clean close";
    } catch (const Error& error) {
      EXPECT_THAT(error.what(), HasSubstr("connection lost: 127.0.0.1:"));
      EXPECT_THAT(error.what(), HasSubstr("in the middle of a message"));
    }
  };
  loop_.run(conversation());
}

TEST_F(Loopback, PortInUseGivesAdvice) {
  start({.on_message = {"pong", pong}});
  TcpServer second(loop_, {.on_message = {"pong", pong}});
  try {
    loop_.run(second.listen("127.0.0.1", server_->port()));
    FAIL() << "two servers listened on one port";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), UV_EADDRINUSE);
    EXPECT_THAT(error.what(), HasSubstr("port " + std::to_string(server_->port()) + " is already in use"));
    EXPECT_THAT(error.what(), HasSubstr("--port 0"));
  }
}

TEST_F(Loopback, NoServerListeningGivesAdvice) {
  const auto port = testing::unused_port();
  try {
    loop_.run(TcpClient::connect(loop_, "127.0.0.1", port));
    FAIL() << "connected to a port nobody listens on";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), UV_ECONNREFUSED);
    EXPECT_THAT(error.what(), HasSubstr("no server is listening at 127.0.0.1:" + std::to_string(port)));
    EXPECT_THAT(error.what(), HasSubstr("Is the server started?"));
  }
}

TEST_F(Loopback, UnknownHostGivesAdvice) {
  try {
    loop_.run(TcpClient::connect(loop_, "no-such-host.invalid", 5000));
    FAIL() << "connected to a host that does not exist";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("host not found: \"no-such-host.invalid\""));
    EXPECT_THAT(error.what(), HasSubstr("--host"));
  }
}

TEST_F(Loopback, SendingToAClientThatLeftSaysSo) {
  test::Event left;
  auto on_disconnect = [&](Server&, ClientId) -> Task<void> {
    left.set();
    co_return;
  };
  start({.on_message = {"pong", pong}, .on_disconnect = {"on_disconnect", on_disconnect}});
  EXPECT_EQ(ask("Ping"), "Pong");
  loop_.run(left.wait());
  try {
    loop_.run(server_->send_message(ClientId{1}, "still there?"));
    FAIL() << "sending to a client that left did not throw";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), UV_ENOTCONN);
    EXPECT_THAT(error.what(), HasSubstr("cannot send to client 1: that client has left"));
  }
  EXPECT_THROW((void)server_->peer_address(ClientId{1}), Error);
}

TEST_F(Loopback, AnExceptionInLogicIsReportedAndTheServerServesOn) {
  auto fragile = [](Server& server, Message message) -> Task<void> {
    if (message.text == "boom") throw std::runtime_error("the logic tripped");
    co_await pong(server, std::move(message));
  };
  start({.on_message = {"server_logic", fragile}});
  auto conversation = [&]() -> Task<void> {
    auto client = co_await connect();
    co_await client->send_message("boom");
    co_await client->send_message("Ping");
    EXPECT_EQ(co_await client->receive_message(), "Pong") << "the same client must be served after the error";
    co_await client->close();
  };
  loop_.run(conversation());
  EXPECT_EQ(ask("Ping"), "Pong");
  ASSERT_EQ(reports_.size(), 1u) << all_reports();
  EXPECT_THAT(reports_[0], HasSubstr("error in server_logic, handling \"boom\" from client 1 (127.0.0.1:"));
  EXPECT_THAT(reports_[0], HasSubstr("the logic tripped"));
}

TEST_F(Loopback, SendWaitsWhileASlowReaderHasABacklog) {
  constexpr int kMessages = 100;
  const std::string chunk(64 * 1024, 'c');
  int sent = 0;
  test::Event done;
  auto flood = [&](Server& server, Message message) -> Task<void> {
    for (; sent < kMessages; ++sent) co_await server.send_message(message.from, chunk);
    done.set();
  };
  ConnectionOptions small;
  small.high_water = 64 * 1024;
  start({.on_message = {"flood", flood}}, small);
  auto conversation = [&]() -> Task<void> {
    auto client = co_await connect(small);
    co_await client->send_message("go");
    // The client reads nothing for a while: the server must be held back.
    co_await loop_.sleep(200ms);
    EXPECT_FALSE(done.is_set()) << "6.4 MB went out to a client that read nothing: no backpressure";
    EXPECT_LT(sent, kMessages);
    for (int i = 0; i < kMessages; ++i) EXPECT_EQ((co_await client->receive_message())->size(), chunk.size());
    co_await done.wait();
    co_await client->close();
  };
  loop_.run(conversation());
  EXPECT_EQ(sent, kMessages);
}

TEST_F(Loopback, ABulkUploadToAPeerThatOnlyReadsFinishes) {
  // The peer reads in another thread, so nothing else wakes this loop: sends
  // queued by a sender that a flush woke must still go out.
  testing::RawListener listener;
  std::size_t received = 0;
  std::thread sink([&] {
    const int peer = listener.accept();
    char buffer[65536];
    for (ssize_t n; (n = read(peer, buffer, sizeof buffer)) > 0;) received += static_cast<std::size_t>(n);
    close(peer);
  });

  constexpr int kMessages = 2000;
  const std::string message(800, 'u');
  ConnectionOptions small;
  small.high_water = 1000;
  bool timed_out = false;
  auto upload = [&]() -> Task<void> {
    auto client = co_await TcpClient::connect(loop_, "127.0.0.1", listener.port(), small);
    Timer watchdog(loop_);
    watchdog.start(10s, [&] {
      timed_out = true;
      client->abort();
    });
    for (int i = 0; i < kMessages; ++i) co_await client->send_message(message);
    co_await client->close();
  };
  try {
    loop_.run(upload());
  } catch (const Error& error) {
    ADD_FAILURE() << error.what();
  }
  sink.join();
  EXPECT_FALSE(timed_out) << "the upload stalled with bytes queued and nothing to wake the loop";
  EXPECT_EQ(received, kMessages * (kFrameHeaderSize + message.size()));
}

TEST_F(Loopback, CloseEndsEveryClientAndStopsAccepting) {
  start({.on_message = {"pong", pong}});
  auto conversation = [&]() -> Task<void> {
    auto first = co_await connect();
    auto second = co_await connect();
    while (server_->clients().size() < 2) co_await loop_.sleep(1ms);
    co_await server_->close();
    EXPECT_EQ(co_await first->receive_message(), std::nullopt);
    EXPECT_EQ(co_await second->receive_message(), std::nullopt);
  };
  loop_.run(conversation());
  EXPECT_THROW(loop_.run(connect()), Error) << "a closed server still accepts";
}

TEST_F(Loopback, OneReceiverAtATime) {
  start({.on_message = {"pong", pong}});
  auto conversation = [&]() -> Task<void> {
    auto client = co_await connect();
    TaskGroup readers;
    readers.spawn([](Client& client) -> Task<void> { co_await client.receive_message(); }(*client), "first reader");
    EXPECT_THROW(co_await client->receive_message(), std::logic_error);
  };
  loop_.run(conversation());
}

TEST_F(Loopback, TracePrintsEveryFrame) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  ConnectionOptions traced;
  traced.trace = {.enabled = true, .hex = true, .out = out};
  start({.on_message = {"pong", pong}}, traced);
  EXPECT_EQ(ask("Ping"), "Pong");
  std::rewind(out);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), out));
  std::fclose(out);
  EXPECT_THAT(text, HasSubstr("<- 127.0.0.1:"));
  EXPECT_THAT(text, HasSubstr("4 bytes  \"Ping\"\n    000000  50 69 6e 67\n"));
  EXPECT_THAT(text, HasSubstr("-> 127.0.0.1:"));
  EXPECT_THAT(text, HasSubstr("4 bytes  \"Pong\"\n"));
}

}  // namespace
}  // namespace netlab
