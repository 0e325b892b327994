// chat server: keeps the registry, calls chat::server_logic (chat.hpp) for
// every message a client sends, and chat::on_leave when a client leaves. You
// do not need to change this file.

#include "chat.hpp"
#include "netlab/run.hpp"

int main(int argc, char** argv) {
  chat::Registry users;  // the one registry, for every client of this server
  return netlab::run_server(
      argc, argv,
      {
          .stage = "chat",
          .description = "chat server: registers and logs in users, who send messages to one user or to everyone",
          .handlers =
              {
                  .on_message = {"server_logic",
                                 [&users](netlab::Server& server, netlab::Message message) {
                                   return chat::server_logic(server, users, std::move(message));
                                 }},
                  .on_disconnect = {"announce_leave",
                                    [&users](netlab::Server& server, netlab::ClientId client) {
                                      return chat::on_leave(server, users, client);
                                    }},
              },
      });
}
