// Raw libuv benchmark server, the reference the other implementations are compared to.
//   pingpong, idle: answers "Ping" with "Pong"
//   pipeline:       echoes every frame to its sender
//   fanout:         relays every frame to every other client; the frames of one
//                   read go to each receiver in one write, tried at once
// Prints "listening on HOST:PORT" first, then serves until SIGINT or SIGTERM.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "framed_conn.h"
#include "options.h"

typedef struct {
  framed_conn conn;  // first member: a framed_conn* is also a client*
  size_t slot;       // index in server.clients
} client;

static struct {
  uv_loop_t *loop;
  workload workload;
  uv_tcp_t listener;
  uv_signal_t interrupt;
  uv_signal_t terminate;
  client **clients;  // an array, so that a broadcast walks contiguous memory
  size_t client_count;
  size_t client_capacity;
  byte_buffer relay;  // fanout: frames of the current read, for every other client
} server;

static void answer_ping(framed_conn *conn, const char *payload, size_t length) {
  if (length == 4 && memcmp(payload, "Ping", 4) == 0) {
    framed_conn_send(conn, "Pong", 4);
  } else {
    fprintf(stderr, "expected \"Ping\", got %zu other bytes; closing that connection\n", length);
    framed_conn_close(conn);
  }
}

static void echo(framed_conn *conn, const char *payload, size_t length) { framed_conn_send(conn, payload, length); }

static void collect_for_relay(framed_conn *sender, const char *payload, size_t length) {
  (void)sender;
  frame_append(&server.relay, payload, length);
}

// Once per read, not per frame: each receiver gets one write for the whole batch,
// and as no copy is made for a receiver whose socket takes it at once, memory stays
// flat however many receivers there are.
static void relay_to_others(framed_conn *sender) {
  for (size_t i = 0; i < server.client_count; ++i) {
    framed_conn *receiver = &server.clients[i]->conn;
    if (receiver != sender) framed_conn_send_frames(receiver, server.relay.data, server.relay.length);
  }
  server.relay.length = 0;
}

static void forget_client(framed_conn *conn) {
  client *gone = (client *)conn;
  client *last = server.clients[--server.client_count];
  server.clients[gone->slot] = last;
  last->slot = gone->slot;
  free(gone);
}

static void on_connection(uv_stream_t *listener, int status) {
  if (status < 0) {
    fprintf(stderr, "accept failed: %s\n", uv_strerror(status));
    return;
  }
  static const framed_conn_handlers handlers[] = {
      [WORKLOAD_PINGPONG] = {.on_frame = answer_ping, .on_close = forget_client},
      [WORKLOAD_PIPELINE] = {.on_frame = echo, .on_close = forget_client},
      [WORKLOAD_FANOUT] = {.on_frame = collect_for_relay, .on_read_done = relay_to_others, .on_close = forget_client},
      [WORKLOAD_IDLE] = {.on_frame = answer_ping, .on_close = forget_client},
  };
  client *accepted = malloc(sizeof *accepted);
  if (accepted == NULL) {
    fprintf(stderr, "out of memory for a new client\n");
    abort();
  }
  framed_conn_init(server.loop, &accepted->conn, &handlers[server.workload]);
  if (server.client_count == server.client_capacity) {
    server.client_capacity = server.client_capacity ? 2 * server.client_capacity : 64;
    server.clients = realloc(server.clients, server.client_capacity * sizeof *server.clients);
    if (server.clients == NULL) {
      fprintf(stderr, "out of memory for %zu clients\n", server.client_capacity);
      abort();
    }
  }
  accepted->slot = server.client_count;
  server.clients[server.client_count++] = accepted;

  status = uv_accept(listener, (uv_stream_t *)&accepted->conn.tcp);
  if (status < 0) {
    fprintf(stderr, "accept failed: %s\n", uv_strerror(status));
    framed_conn_close(&accepted->conn);
    return;
  }
  framed_conn_start(&accepted->conn);
}

static void stop(uv_signal_t *signal, int signal_number) {
  (void)signal;
  (void)signal_number;
  uv_close((uv_handle_t *)&server.listener, NULL);
  uv_close((uv_handle_t *)&server.interrupt, NULL);
  uv_close((uv_handle_t *)&server.terminate, NULL);
  for (size_t i = 0; i < server.client_count; ++i) framed_conn_close(&server.clients[i]->conn);
  framing_shutdown();
}

static int listen_and_announce(const options *options) {
  struct sockaddr_in address;
  int status = uv_ip4_addr(options->host, options->port, &address);
  if (status == 0) status = uv_tcp_init(server.loop, &server.listener);
  if (status == 0) status = uv_tcp_bind(&server.listener, (const struct sockaddr *)&address, 0);
  // A deep backlog: the idle workload connects thousands of clients in a burst.
  if (status == 0) status = uv_listen((uv_stream_t *)&server.listener, 1024, on_connection);
  if (status < 0) {
    fprintf(stderr, "cannot listen on %s:%d: %s\n", options->host, options->port, uv_strerror(status));
    return status;
  }
  struct sockaddr_in bound;
  int bound_length = sizeof bound;
  uv_tcp_getsockname(&server.listener, (struct sockaddr *)&bound, &bound_length);
  printf("listening on %s:%d\n", options->host, ntohs(bound.sin_port));
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  options options = parse_options(argc, argv, ROLE_SERVER);
  server.loop = uv_default_loop();
  server.workload = options.workload;
  framing_init(server.loop);
  if (listen_and_announce(&options) < 0) return 1;

  uv_signal_init(server.loop, &server.interrupt);
  uv_signal_start(&server.interrupt, stop, SIGINT);
  uv_signal_init(server.loop, &server.terminate);
  uv_signal_start(&server.terminate, stop, SIGTERM);

  uv_run(server.loop, UV_RUN_DEFAULT);
  free(server.clients);
  byte_buffer_free(&server.relay);
  return uv_loop_close(server.loop) == 0 ? 0 : 1;
}
