// Raw libuv benchmark client. It measures one workload against the server of any
// implementation, since they all speak the same frames:
//   pingpong  one connection: send "Ping", wait for "Pong", repeat.
//   pipeline  one connection keeps --window frames of --payload bytes in flight and
//             answers every echo with a new frame.
//   fanout    --clients silent receivers and one sender; the sender numbers its
//             messages and stays at most --window messages ahead of the slowest receiver.
//   idle      opens --clients connections; each makes one Ping/Pong round trip (so the
//             server has surely accepted it), then "ready N" is printed and all of them
//             stay open, silent, until SIGINT or SIGTERM.
//   chat      fanout through a server of the chat stage (exercises/chat/chat.hpp):
//             --clients users register and log in, then one more, "sender", sends
//             "ALL <text>" as fanout's sender does, and each user gets
//             "ALL sender <text>"; the text starts with the message's number.
// Timed workloads print "result VALUE UNIT" lines at the end of --duration seconds.
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <uv.h>

#include "framed_conn.h"
#include "options.h"

// Connections being set up at once (connect plus, for idle, the first round trip).
// Bounded so that a server with a short accept backlog is not flooded with SYNs,
// which the kernel would drop and retry a second later.
enum { CONNECTS_IN_FLIGHT = 64 };

enum {
  SEQUENCE_SIZE = 8,       // fanout messages start with their number, big-endian
  CHAT_DIGITS = 16,        // chat texts start with their number, in decimal
  PROBE_INTERVAL_MS = 5,   // fanout, before the measurement: see start_probing
  SPARE_DESCRIPTORS = 32,  // the loop's own, stdio, and some slack
};

// chat: where a user is in logging in; each request has exactly one reply.
typedef enum { CHAT_REGISTERING, CHAT_LOGGING_IN, CHAT_LOGGED_IN } chat_state;

typedef struct {
  framed_conn conn;       // first member: a framed_conn* is also a peer*
  int64_t last_sequence;  // fanout and chat receivers: the last message number seen, -1 before
  chat_state chat_state;
} peer;

typedef struct {
  uv_connect_t request;  // first member: a uv_connect_t* is also a connect_request*
  void (*on_connected)(framed_conn *conn);
} connect_request;

static options opts;
static uv_loop_t *loop;
static struct sockaddr_in server_address;
static uv_signal_t interrupt, terminate;
static bool finishing;  // we are closing the connections, the server did not

static peer *peers;           // every connection this client opens
static size_t peers_started;  // peers[0, peers_started) have been initialized
static char *payload;         // the --payload bytes sent in pipeline and fanout frames
static char *chat_request;    // chat: "ALL " and a text of --payload bytes

static uv_timer_t measurement_timer;
static uint64_t measurement_start_ns;
static uint64_t replies;  // pingpong round trips, pipeline echoes, fanout and chat deliveries

// fanout and chat: receivers are peers[0, clients), the sender is peers[clients].
static uv_timer_t probe_timer;
static uv_check_t window_refill;
static size_t receivers_connected;
static size_t receivers_heard_from;  // fanout: a message; chat: that the sender joined
static size_t receivers_logged_in;   // chat
static uint64_t next_sequence;
static bool measuring;

// idle
static size_t idle_answered;

static _Noreturn void die(const char *format, ...) {
  va_list arguments;
  va_start(arguments, format);
  fprintf(stderr, "client: ");
  vfprintf(stderr, format, arguments);
  fputc('\n', stderr);
  va_end(arguments);
  exit(1);
}

static void *allocate(size_t size) {
  void *memory = calloc(1, size > 0 ? size : 1);  // a usable pointer even for --payload 0
  if (memory == NULL) die("out of memory (%zu bytes)", size);
  return memory;
}

static void close_handle(uv_handle_t *handle) {
  if (!uv_is_closing(handle)) uv_close(handle, NULL);
}

// Closes everything, so that uv_run returns.
static void finish(void) {
  if (finishing) return;  // a signal may come after the measurement ended
  finishing = true;
  for (size_t i = 0; i < peers_started; ++i) framed_conn_close(&peers[i].conn);
  close_handle((uv_handle_t *)&measurement_timer);
  close_handle((uv_handle_t *)&probe_timer);
  close_handle((uv_handle_t *)&window_refill);
  close_handle((uv_handle_t *)&interrupt);
  close_handle((uv_handle_t *)&terminate);
  framing_shutdown();
}

static void on_signal(uv_signal_t *signal, int signal_number) {
  (void)signal;
  (void)signal_number;
  finish();
}

static void on_peer_closed(framed_conn *conn) {
  (void)conn;
  if (!finishing) die("the server closed a connection");
}

static void on_connect(uv_connect_t *request, int status) {
  framed_conn *conn = (framed_conn *)request->handle;
  void (*on_connected)(framed_conn *) = ((connect_request *)request)->on_connected;
  free(request);
  if (status == UV_ECANCELED) return;  // closed by finish() before it connected
  if (status < 0) die("cannot connect to %s:%d: %s", opts.host, opts.port, uv_strerror(status));
  framed_conn_start(conn);
  on_connected(conn);
}

static void start_peer(const framed_conn_handlers *handlers, void (*on_connected)(framed_conn *conn)) {
  peer *next = &peers[peers_started++];
  framed_conn_init(loop, &next->conn, handlers);
  next->last_sequence = -1;
  next->chat_state = CHAT_REGISTERING;
  connect_request *request = allocate(sizeof *request);
  request->on_connected = on_connected;
  int status = uv_tcp_connect(&request->request, &next->conn.tcp, (const struct sockaddr *)&server_address, on_connect);
  if (status < 0) die("cannot connect to %s:%d: %s", opts.host, opts.port, uv_strerror(status));
}

static void report(double seconds) {
  switch (opts.workload) {
    case WORKLOAD_PINGPONG:
      printf("result %.1f round trips/s\n", (double)replies / seconds);
      break;
    case WORKLOAD_PIPELINE:
      printf("result %.1f msgs/s\n", (double)replies / seconds);
      // Frame bytes (header and payload) coming back per second.
      printf("result %.2f MB/s\n", (double)replies * (double)(FRAME_HEADER_SIZE + opts.payload_size) / seconds / 1e6);
      break;
    case WORKLOAD_FANOUT:
    case WORKLOAD_CHAT:
      printf("result %.1f deliveries/s\n", (double)replies / seconds);
      break;
    case WORKLOAD_IDLE:
      break;  // idle reports "ready"; bench/run measures the server
  }
  fflush(stdout);
}

static void end_measurement(uv_timer_t *timer) {
  (void)timer;
  report((double)(uv_hrtime() - measurement_start_ns) / 1e9);
  finish();
}

static void start_measurement(void) {
  replies = 0;
  measurement_start_ns = uv_hrtime();
  uv_timer_start(&measurement_timer, end_measurement, (uint64_t)(opts.duration_seconds * 1000.0), 0);
}

static void expect_pong(const char *reply, size_t length) {
  if (length != 4 || memcmp(reply, "Pong", 4) != 0) die("expected \"Pong\", the server sent %zu other bytes", length);
}

// ---- pingpong ----

static void on_pong(framed_conn *conn, const char *reply, size_t length) {
  expect_pong(reply, length);
  ++replies;
  framed_conn_send(conn, "Ping", 4);
}

static const framed_conn_handlers pingpong_handlers = {.on_frame = on_pong, .on_close = on_peer_closed};

static void start_pingpong(framed_conn *conn) {
  start_measurement();
  framed_conn_send(conn, "Ping", 4);
}

// ---- pipeline ----

static void on_echo(framed_conn *conn, const char *echo, size_t length) {
  (void)echo;
  if (length != opts.payload_size) die("sent %zu-byte frames, the server echoed %zu bytes", opts.payload_size, length);
  ++replies;
  framed_conn_send(conn, payload, opts.payload_size);
}

static const framed_conn_handlers pipeline_handlers = {.on_frame = on_echo, .on_close = on_peer_closed};

static void start_pipeline(framed_conn *conn) {
  start_measurement();
  for (size_t i = 0; i < opts.window; ++i) framed_conn_send(conn, payload, opts.payload_size);
}

// ---- fanout ----

static framed_conn *fanout_sender(void) { return &peers[opts.clients].conn; }

static const char CHAT_SENDER[] = "sender";
static const char CHAT_TO_EVERYONE[] = "ALL ";                      // a request
static const char CHAT_FROM_SENDER[] = "ALL sender ";               // its delivery
static const char CHAT_SENT_TO_EVERYONE[] = "OK sent to everyone";  // its reply
enum { CHAT_TO_EVERYONE_SIZE = sizeof CHAT_TO_EVERYONE - 1, CHAT_FROM_SENDER_SIZE = sizeof CHAT_FROM_SENDER - 1 };

static void send_next_message(void) {
  if (opts.workload == WORKLOAD_CHAT) {
    char *digits = chat_request + CHAT_TO_EVERYONE_SIZE;
    uint64_t rest = next_sequence;
    for (int digit = CHAT_DIGITS - 1; digit >= 0; --digit, rest /= 10) digits[digit] = (char)('0' + rest % 10);
    framed_conn_send(fanout_sender(), chat_request, CHAT_TO_EVERYONE_SIZE + opts.payload_size);
  } else {
    for (int byte = 0; byte < SEQUENCE_SIZE; ++byte) payload[byte] = (char)(next_sequence >> (56 - 8 * byte));
    framed_conn_send(fanout_sender(), payload, opts.payload_size);
  }
  ++next_sequence;
}

// Runs at the end of every loop turn: tops the sender up to --window messages ahead
// of the slowest receiver, so the server's queues stay bounded whatever it does.
static void refill_window(uv_check_t *check) {
  (void)check;
  int64_t slowest = peers[0].last_sequence;
  for (size_t i = 1; i < opts.clients; ++i) {
    if (peers[i].last_sequence < slowest) slowest = peers[i].last_sequence;
  }
  while (next_sequence <= (uint64_t)slowest + opts.window) send_next_message();
  framed_conn_flush(fanout_sender());
}

// Every receiver is known to the server now: from here on each gets every message.
static void start_measuring_deliveries(void) {
  measuring = true;
  uv_timer_stop(&probe_timer);
  start_measurement();
  uv_check_start(&window_refill, refill_window);
}

// `receiver` got message `sequence`: after its first, each must be the next.
static void count_delivery(peer *receiver, int64_t sequence) {
  if (receiver->last_sequence >= 0 && sequence != receiver->last_sequence + 1) {
    die("a receiver got message %" PRId64 " right after %" PRId64 ": the server lost or reordered messages",
        sequence, receiver->last_sequence);
  }
  receiver->last_sequence = sequence;
  if (measuring) ++replies;
}

static void on_relayed(framed_conn *conn, const char *message, size_t length) {
  peer *receiver = (peer *)conn;
  if (length != opts.payload_size) die("sent %zu-byte messages, a receiver got %zu bytes", opts.payload_size, length);
  int64_t sequence = 0;
  for (int byte = 0; byte < SEQUENCE_SIZE; ++byte) sequence = sequence << 8 | (unsigned char)message[byte];
  if (receiver->last_sequence < 0) ++receivers_heard_from;
  count_delivery(receiver, sequence);
  if (!measuring && receivers_heard_from == opts.clients) start_measuring_deliveries();
}

static void on_frame_to_sender(framed_conn *conn, const char *message, size_t length) {
  (void)conn;
  (void)message;
  die("the sender got a %zu-byte frame back; the server must relay to the other clients only", length);
}

static const framed_conn_handlers receiver_handlers = {.on_frame = on_relayed, .on_close = on_peer_closed};
static const framed_conn_handlers sender_handlers = {.on_frame = on_frame_to_sender, .on_close = on_peer_closed};

static void send_probe(uv_timer_t *timer) {
  (void)timer;
  send_next_message();
}

// Until every receiver has heard a message, the server may not have accepted them
// all; probes go out every few milliseconds, outside the measurement, until then.
static void start_probing(framed_conn *conn) {
  (void)conn;
  uv_timer_start(&probe_timer, send_probe, 0, PROBE_INTERVAL_MS);
}

// ---- chat ----

static bool is_text(const char *message, size_t length, const char *text) {
  return length == strlen(text) && memcmp(message, text, length) == 0;
}

static bool starts_with(const char *message, size_t length, const char *prefix) {
  return length >= strlen(prefix) && memcmp(message, prefix, strlen(prefix)) == 0;
}

static void chat_name(peer *user, char *name, size_t size) {
  size_t index = (size_t)(user - peers);
  if (index == opts.clients) {
    snprintf(name, size, "%s", CHAT_SENDER);
  } else {
    snprintf(name, size, "user%zu", index);
  }
}

static _Noreturn void die_unexpected(peer *user, const char *expected, const char *message, size_t length) {
  enum { QUOTED = 80 };  // bytes of the message shown
  char name[32];
  chat_name(user, name, sizeof name);
  die("%s got \"%.*s\"; expected \"%s\"", name, (int)(length < QUOTED ? length : QUOTED), message, expected);
}

// Sends REGISTER and LOGIN at once: the server answers each in turn.
static void chat_log_in(framed_conn *conn) {
  char name[32];
  char request[64];
  chat_name((peer *)conn, name, sizeof name);
  framed_conn_send(conn, request, (size_t)snprintf(request, sizeof request, "REGISTER %s", name));
  framed_conn_send(conn, request, (size_t)snprintf(request, sizeof request, "LOGIN %s", name));
}

// Checks the replies to chat_log_in; true once `user` is logged in.
static bool chat_logged_in(peer *user, const char *message, size_t length) {
  if (user->chat_state == CHAT_LOGGED_IN) return true;
  char name[32];
  char expected[64];
  chat_name(user, name, sizeof name);
  snprintf(expected, sizeof expected,
           user->chat_state == CHAT_REGISTERING ? "OK registered as %s" : "OK logged in as %s", name);
  if (!is_text(message, length, expected)) die_unexpected(user, expected, message, length);
  ++user->chat_state;
  return false;
}

static void on_chat_to_sender(framed_conn *conn, const char *message, size_t length) {
  if (chat_logged_in((peer *)conn, message, length) && !is_text(message, length, CHAT_SENT_TO_EVERYONE)) {
    die_unexpected((peer *)conn, CHAT_SENT_TO_EVERYONE, message, length);
  }
}

static const framed_conn_handlers chat_sender_handlers = {.on_frame = on_chat_to_sender, .on_close = on_peer_closed};

static void on_chat_to_receiver(framed_conn *conn, const char *message, size_t length) {
  peer *receiver = (peer *)conn;
  if (!chat_logged_in(receiver, message, length)) {
    if (receiver->chat_state == CHAT_LOGGED_IN && ++receivers_logged_in == opts.clients) {
      start_peer(&chat_sender_handlers, chat_log_in);
    }
  } else if (starts_with(message, length, CHAT_FROM_SENDER)) {
    static const char expected[] = "ALL sender <the text sent: its number, then x up to --payload bytes>";
    if (length != CHAT_FROM_SENDER_SIZE + opts.payload_size) die_unexpected(receiver, expected, message, length);
    int64_t sequence = 0;
    for (int digit = 0; digit < CHAT_DIGITS; ++digit) {
      char c = message[CHAT_FROM_SENDER_SIZE + digit];
      if (c < '0' || c > '9') die_unexpected(receiver, expected, message, length);
      sequence = sequence * 10 + (c - '0');
    }
    count_delivery(receiver, sequence);
  } else if (is_text(message, length, "JOINED sender")) {
    if (++receivers_heard_from == opts.clients) start_measuring_deliveries();
  } else if (!starts_with(message, length, "JOINED ")) {  // the users who logged in after this one
    die_unexpected(receiver, "JOINED <name>\" or \"ALL sender <text>", message, length);
  }
}

static const framed_conn_handlers chat_receiver_handlers = {.on_frame = on_chat_to_receiver,
                                                            .on_close = on_peer_closed};

// ---- fanout and chat: connecting the receivers ----

static void connect_more_receivers(void);

static void receiver_connected(framed_conn *conn) {
  if (opts.workload == WORKLOAD_CHAT) chat_log_in(conn);
  if (++receivers_connected < opts.clients) {
    connect_more_receivers();
  } else if (opts.workload == WORKLOAD_FANOUT) {
    start_peer(&sender_handlers, start_probing);
  }  // chat: the sender starts once every receiver is logged in
}

static void connect_more_receivers(void) {
  const framed_conn_handlers *handlers = opts.workload == WORKLOAD_CHAT ? &chat_receiver_handlers : &receiver_handlers;
  while (peers_started < opts.clients && peers_started - receivers_connected < CONNECTS_IN_FLIGHT) {
    start_peer(handlers, receiver_connected);
  }
}

// ---- idle ----

static void connect_more_idle(void);

static void on_idle_pong(framed_conn *conn, const char *reply, size_t length) {
  (void)conn;
  expect_pong(reply, length);
  if (++idle_answered == opts.clients) {
    printf("ready %zu\n", opts.clients);
    fflush(stdout);
  } else {
    connect_more_idle();
  }
}

static const framed_conn_handlers idle_handlers = {.on_frame = on_idle_pong, .on_close = on_peer_closed};

static void send_one_ping(framed_conn *conn) { framed_conn_send(conn, "Ping", 4); }

static void connect_more_idle(void) {
  while (peers_started < opts.clients && peers_started - idle_answered < CONNECTS_IN_FLIGHT) {
    start_peer(&idle_handlers, send_one_ping);
  }
}

// ----

// fanout and idle hold one descriptor per connection, more than the usual soft limit.
static void raise_descriptor_limit(size_t needed) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
  limit.rlim_cur = limit.rlim_max;
  if (limit.rlim_max < needed || setrlimit(RLIMIT_NOFILE, &limit) != 0) {
    die("%zu connections need %zu file descriptors, the hard limit is %ju; raise it (ulimit -Hn) and retry",
        opts.clients, needed, (uintmax_t)limit.rlim_max);
  }
}

int main(int argc, char **argv) {
  opts = parse_options(argc, argv, ROLE_CLIENT);
  if (opts.workload == WORKLOAD_FANOUT && opts.payload_size < SEQUENCE_SIZE) {
    die("fanout numbers its messages: --payload must be at least %d", SEQUENCE_SIZE);
  }
  if (opts.workload == WORKLOAD_CHAT && opts.payload_size < CHAT_DIGITS) {
    die("chat numbers its messages: --payload must be at least %d", CHAT_DIGITS);
  }
  int status = uv_ip4_addr(opts.host, opts.port, &server_address);
  if (status < 0) die("bad server address %s:%d: %s", opts.host, opts.port, uv_strerror(status));

  loop = uv_default_loop();
  framing_init(loop);
  uv_timer_init(loop, &measurement_timer);
  uv_timer_init(loop, &probe_timer);
  uv_check_init(loop, &window_refill);
  uv_signal_init(loop, &interrupt);
  uv_signal_start(&interrupt, on_signal, SIGINT);
  uv_signal_init(loop, &terminate);
  uv_signal_start(&terminate, on_signal, SIGTERM);

  payload = allocate(opts.payload_size);
  memset(payload, 'x', opts.payload_size);
  chat_request = allocate(CHAT_TO_EVERYONE_SIZE + opts.payload_size);
  memcpy(chat_request, CHAT_TO_EVERYONE, CHAT_TO_EVERYONE_SIZE);
  memcpy(chat_request + CHAT_TO_EVERYONE_SIZE, payload, opts.payload_size);

  switch (opts.workload) {
    case WORKLOAD_PINGPONG:
      peers = allocate(sizeof *peers);
      start_peer(&pingpong_handlers, start_pingpong);
      break;
    case WORKLOAD_PIPELINE:
      peers = allocate(sizeof *peers);
      start_peer(&pipeline_handlers, start_pipeline);
      break;
    case WORKLOAD_FANOUT:
    case WORKLOAD_CHAT:
      raise_descriptor_limit(opts.clients + 1 + SPARE_DESCRIPTORS);
      peers = allocate((opts.clients + 1) * sizeof *peers);
      connect_more_receivers();
      break;
    case WORKLOAD_IDLE:
      raise_descriptor_limit(opts.clients + SPARE_DESCRIPTORS);
      peers = allocate(opts.clients * sizeof *peers);
      connect_more_idle();
      break;
  }

  uv_run(loop, UV_RUN_DEFAULT);
  free(peers);
  free(payload);
  free(chat_request);
  return uv_loop_close(loop) == 0 ? 0 : 1;
}
