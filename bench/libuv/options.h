// Command-line flags shared by the libuv server and client. Every implementation
// (libuv, asio, Python, netlab) takes the same flags, so bench/run drives them alike;
// bench/README.md lists them.
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  WORKLOAD_PINGPONG,  // "Ping" -> "Pong", one round trip at a time
  WORKLOAD_PIPELINE,  // the server echoes every frame to its sender
  WORKLOAD_FANOUT,    // the server relays every frame to all other clients
  WORKLOAD_IDLE,      // like pingpong; the client opens many connections and waits
  WORKLOAD_CHAT,      // client only: fanout through the chat stage's protocol and server
} workload;

typedef enum { ROLE_SERVER, ROLE_CLIENT } role;

typedef struct {
  workload workload;
  const char *host;
  int port;
  double duration_seconds;  // client: how long the measured phase lasts
  size_t clients;           // client: fanout or chat receivers, or idle connections
  size_t window;            // client: messages in flight (pipeline, fanout, chat)
  size_t payload_size;      // client: payload bytes per frame (pipeline, fanout), text bytes (chat)
} options;

// Parses argv for the given role; prints usage and exits on --help or a bad flag.
options parse_options(int argc, char **argv, role role);
