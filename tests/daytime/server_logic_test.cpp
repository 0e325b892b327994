// daytime: tests of daytime_text and on_connect alone, with a mock server.
// Each test chooses the time, so none depends on the clock.

#include "stage_test.hpp"
#include "daytime.hpp"

namespace {

using namespace std::chrono;

daytime::Time at(year_month_day date, hours hour, minutes minute, seconds second) {
  return sys_days{date} + hour + minute + second;
}

const daytime::Time kRfcExample = at(1982y / February / 22, 17h, 37min, 43s);
constexpr const char* kRfcExampleText = "Monday, February 22, 1982 17:37:43 UTC";

TEST(DaytimeText, WritesTheTimeAsRfc867Does) {
  expect_returned("daytime_text(1982-02-22 17:37:43 UTC)", daytime::daytime_text(kRfcExample), kRfcExampleText);
}

TEST(DaytimeText, FollowsTheTimeItIsGiven) {
  expect_returned("daytime_text(2026-11-30 09:05:07 UTC)",
                  daytime::daytime_text(at(2026y / November / 30, 9h, 5min, 7s)),
                  "Monday, November 30, 2026 09:05:07 UTC");
  expect_returned("daytime_text(2000-01-01 00:00:00 UTC)", daytime::daytime_text(at(2000y / January / 1, 0h, 0min, 0s)),
                  "Saturday, January 01, 2000 00:00:00 UTC", "the day has two digits, as %d writes it");
}

TEST(OnConnect, SendsTheTimeThenDisconnects) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  expect_server_run(server, "on_connect", "saw client 1 connect at 1982-02-22 17:37:43 UTC",
                    daytime::on_connect(server, ClientId{1}, kRfcExample),
                    {send(kRfcExampleText, ClientId{1}), disconnect(ClientId{1})});
}

TEST(OnConnect, SendsTheTimeItIsGiven) {
  MockServer server;
  server.connect_clients({ClientId{1}});
  expect_server_run(server, "on_connect", "saw client 1 connect at 1999-12-31 23:59:59 UTC",
                    daytime::on_connect(server, ClientId{1}, at(1999y / December / 31, 23h, 59min, 59s)),
                    {send("Friday, December 31, 1999 23:59:59 UTC", ClientId{1}), disconnect(ClientId{1})},
                    "use the `now` on_connect is given, not the clock");
}

TEST(OnConnect, AnswersTheClientThatConnected) {
  MockServer server;
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server_run(server, "on_connect", "saw client 2 connect at 1982-02-22 17:37:43 UTC",
                    daytime::on_connect(server, ClientId{2}, kRfcExample),
                    {send(kRfcExampleText, ClientId{2}), disconnect(ClientId{2})},
                    "the time goes to the client on_connect is called for, and only that client is disconnected");
}

}  // namespace
