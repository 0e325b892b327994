// daytime: the server's logic. Write your code between the markers below;
// daytime.hpp says what to do. The rest of this file stays as it is.

#include "daytime.hpp"

namespace daytime {

std::string daytime_text(Time now) {
  // *** start ***
  return format_time(now, "%A, %B %d, %Y %H:%M:%S UTC");
  // *** end ***
}

netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId client, Time now) {
  // *** start ***
  co_await server.send_message(client, daytime_text(now));
  server.disconnect(client);
  // *** end ***
}

}  // namespace daytime
