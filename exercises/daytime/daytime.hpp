#pragma once
// daytime: the server tells each client that connects the date and time, in
// the spirit of RFC 867 (the Daytime Protocol), then closes the connection;
// the client prints it.
//
//     client                                          server
//       |  ------------- connects ------------->        |   on_connect(server, client, now)
//       |  <-- "Monday, November 30, 2026 09:05:07 UTC"  |   sends daytime_text(now),
//       |  <-------------- closes --------------        |   disconnects the client
//     prints the line, then ends
//
// You write the two functions below, in server_logic.cpp, between the lines
// `*** start ***` and `*** end ***`. The client program is given. Everything
// else is given too; handouts/daytime.md explains how to build, run and test.

#include <chrono>
#include <ctime>
#include <iomanip>
#include <sstream>
#include <string>

#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace daytime {

using Time = std::chrono::system_clock::time_point;

// Writes `time` as text, in UTC, following `format`: the codes of C's
// strftime, the same as Python's time.strftime. For example
//   %A  the weekday    Monday         %H  the hour, 00-23     17
//   %B  the month      February       %M  the minute          37
//   %d  the day, 01-31 22             %S  the second          43
//   %Y  the year       1982
// so format_time(time, "%H:%M") gives "17:37". Given: you call it.
inline std::string format_time(Time time, const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream text;
  text << std::put_time(&utc, format);
  return text.str();
}

// The line the server sends for the time `now`.
//
// To do:
//   Return `now` written the way RFC 867's example is, in UTC:
//     "Monday, February 22, 1982 17:37:43 UTC"
//   the weekday, a comma, the month, the day (two digits: "January 01"), a
//   comma, the year, the time, and "UTC". Use format_time.
std::string daytime_text(Time now);

// The server's answer to a client that connects. The server program calls it
// each time a client connects, with the time of the connection as `now`.
//
// To do:
//   1. Send daytime_text(now) to the client.
//   2. Disconnect the client.
//   Use the `now` you are given, not the clock: the tests choose the time.
//
// Parameters:
//   server  the server: use it to send messages and to disconnect clients.
//   client  the client that just connected (a ClientId).
//   now     the time it connected.
//
// Calls you can use:
//   co_await server.send_message(client, text);
//       sends `text` to the client `client`.
//   server.disconnect(client);
//       closes the connection to `client`, once what you sent has gone out.
netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId client, Time now);

}  // namespace daytime
