// registry server: keeps the registry, calls your server_logic for every
// message a client sends, and removes a client from the registry when it
// leaves. You do not need to change this file.

#include "netlab/run.hpp"
#include "registry.hpp"

namespace {

// Called when a client has left: it is logged out and its name is free again.
netlab::Task<void> forget(registry::Registry& users, netlab::ClientId client) {
  users.remove(client);
  co_return;
}

}  // namespace

int main(int argc, char** argv) {
  registry::Registry users;  // the one registry, for every client of this server
  return netlab::run_server(
      argc, argv,
      {
          .stage = "registry",
          .description = "registry server: registers usernames, logs clients in, tells who is logged in",
          .handlers =
              {
                  .on_message = {"server_logic",
                                 [&users](netlab::Server& server, netlab::Message message) {
                                   return registry::server_logic(server, users, std::move(message));
                                 }},
                  .on_disconnect = {"Registry::remove",
                                    [&users](netlab::Server&, netlab::ClientId client) {
                                      return forget(users, client);
                                    }},
              },
      });
}
