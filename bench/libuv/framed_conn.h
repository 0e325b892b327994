// A TCP connection that speaks the benchmark framing (a 4-byte big-endian length,
// then that many payload bytes) on libuv, written the way a careful libuv program is:
//
//  - Reading: every connection reads into one shared buffer, and frames are handed
//    out straight from it. Only the start of a frame split across two reads is copied,
//    into that connection's `partial` buffer.
//  - Writing: frames sent during one loop turn are appended to the connection's
//    outbox and flushed once, at the end of the turn (a uv_check handle): uv_try_write
//    first, and only what the socket does not take at once goes into a single uv_write.
//    So a connection has at most one write request in flight, however many frames it
//    sends, and most turns need no request at all. Bytes that are already whole
//    frames (a relay to many receivers) can skip the copy into the outbox:
//    framed_conn_send_frames writes them at once when nothing is queued ahead.
//  - Memory: buffers are released as soon as they are empty, so an idle connection
//    costs its struct and nothing else.
//
// One event loop per process: framing_init() sets up the end-of-turn flush for it.
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

enum {
  FRAME_HEADER_SIZE = 4,
  FRAME_MAX_PAYLOAD = 1 << 20,  // a longer header closes the connection
};

typedef struct {
  char *data;
  size_t length;
  size_t capacity;
} byte_buffer;

typedef struct framed_conn framed_conn;

// What a program does with a connection's events; one table serves many connections.
typedef struct {
  // Called for every complete frame; `payload` is valid only during the call.
  void (*on_frame)(framed_conn *conn, const char *payload, size_t length);
  // Optional: called after the frames of one read have all been delivered.
  void (*on_read_done)(framed_conn *conn);
  // Called once the connection is fully closed; the owner may free it from here.
  void (*on_close)(framed_conn *conn);
} framed_conn_handlers;

struct framed_conn {
  uv_tcp_t tcp;  // first member: a uv_tcp_t* is also a framed_conn*
  const framed_conn_handlers *handlers;
  byte_buffer partial;            // start of a frame split across reads
  byte_buffer outbox;             // frames sent since the last flush
  struct pending_write *writing;  // the uv_write in flight, or NULL
  framed_conn *next_to_flush;     // link in the end-of-turn flush list
  bool flush_scheduled;
  bool closing;  // uv_is_closing() without a call into libuv for every frame
};

// Appends one frame (header and payload) to `buffer`.
void frame_append(byte_buffer *buffer, const void *payload, size_t length);
void byte_buffer_free(byte_buffer *buffer);

// Sets up the end-of-turn flush on `loop`; call once before any connection exists.
void framing_init(uv_loop_t *loop);
// Closes the flush handle so that the loop can end; call after closing every connection.
void framing_shutdown(void);

// Initializes the TCP handle; connect or accept on conn->tcp, then start reading.
void framed_conn_init(uv_loop_t *loop, framed_conn *conn, const framed_conn_handlers *handlers);
// Turns off Nagle (frames are small and latency matters) and starts delivering frames.
void framed_conn_start(framed_conn *conn);
// Queues one frame; it goes out at the end of this loop turn. Ignored once closing.
void framed_conn_send(framed_conn *conn, const void *payload, size_t length);
// Sends bytes that are already whole frames, such as frames relayed to many
// receivers. If nothing is queued ahead of them they are written at once, straight
// from `frames`; only what the socket does not take is copied and queued.
void framed_conn_send_frames(framed_conn *conn, const char *frames, size_t length);
// Writes what is queued now instead of at the end of the turn.
void framed_conn_flush(framed_conn *conn);
// Closes the connection (idempotent); on_close runs when libuv is done with it.
void framed_conn_close(framed_conn *conn);
