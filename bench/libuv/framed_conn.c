#include "framed_conn.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// A uv_write of what uv_try_write left over.
typedef struct pending_write {
  uv_write_t request;
  char *storage;  // the outbox's buffer, handed over whole; freed when written
} pending_write;

static uv_check_t end_of_turn;
static framed_conn *flush_list;  // connections that sent frames during this turn

// Every read lands here, whatever the connection: frames are consumed before the
// read callback returns, so one buffer serves them all.
static char shared_read_buffer[64 * 1024];

static void *allocate(size_t size) {
  void *memory = malloc(size);
  if (memory == NULL) {
    fprintf(stderr, "out of memory (%zu bytes)\n", size);
    abort();
  }
  return memory;
}

// Makes room for `length` more bytes and returns where they go.
static char *buffer_extend(byte_buffer *buffer, size_t length) {
  if (buffer->capacity - buffer->length < length) {
    size_t capacity = buffer->capacity ? buffer->capacity : 64;
    while (capacity - buffer->length < length) capacity *= 2;
    char *grown = realloc(buffer->data, capacity);
    if (grown == NULL) {
      fprintf(stderr, "out of memory (%zu bytes)\n", capacity);
      abort();
    }
    buffer->data = grown;
    buffer->capacity = capacity;
  }
  char *end = buffer->data + buffer->length;
  buffer->length += length;
  return end;
}

static void buffer_append(byte_buffer *buffer, const void *bytes, size_t length) {
  memcpy(buffer_extend(buffer, length), bytes, length);
}

void byte_buffer_free(byte_buffer *buffer) {
  free(buffer->data);
  *buffer = (byte_buffer){0};
}

static uint32_t read_length(const char *header) {
  const unsigned char *bytes = (const unsigned char *)header;
  return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
}


static void flush_scheduled_connections(uv_check_t *check) {
  (void)check;
  framed_conn *conn = flush_list;
  flush_list = NULL;
  while (conn != NULL) {
    framed_conn *next = conn->next_to_flush;
    conn->next_to_flush = NULL;
    conn->flush_scheduled = false;
    framed_conn_flush(conn);
    conn = next;
  }
}

void framing_init(uv_loop_t *loop) {
  uv_check_init(loop, &end_of_turn);
  uv_check_start(&end_of_turn, flush_scheduled_connections);
  // The flush must not keep the loop running on its own once everything else is closed.
  uv_unref((uv_handle_t *)&end_of_turn);
}

void framing_shutdown(void) { uv_close((uv_handle_t *)&end_of_turn, NULL); }

static void allocate_read_buffer(uv_handle_t *handle, size_t suggested_size, uv_buf_t *buffer) {
  (void)handle;
  (void)suggested_size;
  *buffer = uv_buf_init(shared_read_buffer, sizeof shared_read_buffer);
}

static bool payload_too_long(framed_conn *conn, uint32_t length) {
  if (length <= FRAME_MAX_PAYLOAD) return false;
  fprintf(stderr, "closing a connection that announced a %u-byte frame (limit %d)\n", length, FRAME_MAX_PAYLOAD);
  framed_conn_close(conn);
  return true;
}

// Moves bytes into conn->partial until it holds one whole frame, then delivers it.
// Returns how many bytes of `data` it used.
static size_t complete_partial_frame(framed_conn *conn, const char *data, size_t length) {
  size_t used = 0;
  if (conn->partial.length < FRAME_HEADER_SIZE) {
    used = FRAME_HEADER_SIZE - conn->partial.length;
    if (used > length) used = length;
    buffer_append(&conn->partial, data, used);
    if (conn->partial.length < FRAME_HEADER_SIZE) return used;
  }
  uint32_t payload_length = read_length(conn->partial.data);
  if (payload_too_long(conn, payload_length)) return length;
  size_t missing = FRAME_HEADER_SIZE + payload_length - conn->partial.length;
  size_t take = missing < length - used ? missing : length - used;
  buffer_append(&conn->partial, data + used, take);
  used += take;
  if (take == missing) {
    conn->handlers->on_frame(conn, conn->partial.data + FRAME_HEADER_SIZE, payload_length);
    byte_buffer_free(&conn->partial);
  }
  return used;
}

static void deliver_frames(framed_conn *conn, const char *data, size_t length) {
  if (conn->partial.length > 0) {
    size_t used = complete_partial_frame(conn, data, length);
    data += used;
    length -= used;
  }
  while (length >= FRAME_HEADER_SIZE && !conn->closing) {
    uint32_t payload_length = read_length(data);
    if (payload_too_long(conn, payload_length)) return;
    if (length - FRAME_HEADER_SIZE < payload_length) break;
    conn->handlers->on_frame(conn, data + FRAME_HEADER_SIZE, payload_length);
    data += FRAME_HEADER_SIZE + payload_length;
    length -= FRAME_HEADER_SIZE + payload_length;
  }
  // What is left is the start of a frame; the shared buffer is about to be reused.
  if (length > 0 && !conn->closing) buffer_append(&conn->partial, data, length);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buffer) {
  framed_conn *conn = (framed_conn *)stream;
  if (nread < 0) {
    // End of stream or an error such as a reset: either way this peer is gone.
    framed_conn_close(conn);
    return;
  }
  deliver_frames(conn, buffer->base, (size_t)nread);
  if (conn->handlers->on_read_done != NULL && !conn->closing) conn->handlers->on_read_done(conn);
}

void framed_conn_init(uv_loop_t *loop, framed_conn *conn, const framed_conn_handlers *handlers) {
  *conn = (framed_conn){.handlers = handlers};
  uv_tcp_init(loop, &conn->tcp);
}

void framed_conn_start(framed_conn *conn) {
  uv_tcp_nodelay(&conn->tcp, 1);
  int status = uv_read_start((uv_stream_t *)&conn->tcp, allocate_read_buffer, on_read);
  if (status < 0) {
    fprintf(stderr, "cannot read from a connection: %s\n", uv_strerror(status));
    framed_conn_close(conn);
  }
}

void frame_append(byte_buffer *buffer, const void *payload, size_t length) {
  unsigned char *frame = (unsigned char *)buffer_extend(buffer, FRAME_HEADER_SIZE + length);
  frame[0] = (unsigned char)(length >> 24);
  frame[1] = (unsigned char)(length >> 16);
  frame[2] = (unsigned char)(length >> 8);
  frame[3] = (unsigned char)length;
  memcpy(frame + FRAME_HEADER_SIZE, payload, length);
}

static void schedule_flush(framed_conn *conn) {
  if (conn->flush_scheduled) return;
  conn->flush_scheduled = true;
  conn->next_to_flush = flush_list;
  flush_list = conn;
}

void framed_conn_send(framed_conn *conn, const void *payload, size_t length) {
  if (conn->closing) return;
  frame_append(&conn->outbox, payload, length);
  schedule_flush(conn);
}

void framed_conn_send_frames(framed_conn *conn, const char *frames, size_t length) {
  if (conn->closing || length == 0) return;
  size_t written = 0;
  if (conn->writing == NULL && conn->outbox.length == 0) {
    uv_buf_t buffer = uv_buf_init((char *)frames, (unsigned)length);
    int status = uv_try_write((uv_stream_t *)&conn->tcp, &buffer, 1);
    if (status >= 0) {
      written = (size_t)status;
    } else if (status != UV_EAGAIN) {
      framed_conn_close(conn);
      return;
    }
  }
  if (written < length) {
    buffer_append(&conn->outbox, frames + written, length - written);
    schedule_flush(conn);
  }
}

static void on_written(uv_write_t *request, int status) {
  framed_conn *conn = (framed_conn *)request->handle;
  free(conn->writing->storage);
  free(conn->writing);
  conn->writing = NULL;
  if (status < 0) {
    framed_conn_close(conn);  // the peer is gone, or this is the close cancelling the write
    return;
  }
  framed_conn_flush(conn);  // frames queued while this write was in flight
}

void framed_conn_flush(framed_conn *conn) {
  if (conn->writing != NULL || conn->outbox.length == 0 || conn->closing) return;

  uv_stream_t *stream = (uv_stream_t *)&conn->tcp;
  uv_buf_t everything = uv_buf_init(conn->outbox.data, (unsigned)conn->outbox.length);
  int written = uv_try_write(stream, &everything, 1);
  if (written == UV_EAGAIN) written = 0;
  if (written < 0) {
    framed_conn_close(conn);
    return;
  }
  size_t rest = conn->outbox.length - (size_t)written;
  if (rest == 0) {
    byte_buffer_free(&conn->outbox);
    return;
  }

  // The socket buffer is full. The outbox's buffer goes to one uv_write for the
  // rest, without a copy, and the outbox starts afresh for the next turns' frames.
  conn->writing = allocate(sizeof *conn->writing);
  conn->writing->storage = conn->outbox.data;
  uv_buf_t leftover = uv_buf_init(conn->outbox.data + written, (unsigned)rest);
  conn->outbox = (byte_buffer){0};
  int status = uv_write(&conn->writing->request, stream, &leftover, 1, on_written);
  if (status < 0) {
    free(conn->writing->storage);
    free(conn->writing);
    conn->writing = NULL;
    framed_conn_close(conn);
  }
}

static void on_tcp_closed(uv_handle_t *handle) {
  framed_conn *conn = (framed_conn *)handle;
  byte_buffer_free(&conn->partial);
  byte_buffer_free(&conn->outbox);
  // Nothing can be left in flush_list: it is emptied at every check phase, which
  // comes before the close callbacks of the same loop turn, and a closing
  // connection never schedules a flush.
  conn->handlers->on_close(conn);
}

void framed_conn_close(framed_conn *conn) {
  if (conn->closing) return;
  conn->closing = true;
  uv_close((uv_handle_t *)&conn->tcp, on_tcp_closed);
}
