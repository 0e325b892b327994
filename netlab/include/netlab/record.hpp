#pragma once
// Recording: a program started with `--record FILE` (or with NETLAB_RECORD_DIR
// set, see run.hpp) writes one JSON line to FILE for every frame it sends or
// receives and for every connection that opens or closes. The recordings of
// the programs of one run merge into a sequence diagram: tools/netlab-diagram.
//
//   {"t":1764489600318215,"program":"pingpong2_server","pid":4242,"role":"server","event":"received","peer":"client 1","length":4,"text":"Ping"}
//
// Every line has
//   t        microseconds since 1970 (CLOCK_REALTIME): every program on one
//            machine reads the same clock, so their lines can be merged;
//   program  the program's name; pid its process id;
//   role     "server" or "client";
//   event    one of
//     listen    a server accepts clients at `address`;
//     join      a connection opened: on a server, `peer` is the client's id
//               ("client 3") and `address` its address; on a client, `peer`
//               is "server", `address` the server's and `local` the client's
//               own, the address the server sees;
//     leave     the connection to `peer` closed (either side closed it, or it failed);
//     sent, received
//               one frame to or from `peer`, of `length` bytes, with its
//               payload in `text` when it is valid UTF-8 (JSON escapes, so
//               every byte survives), else in `base64` (RFC 4648, padded).
//
// Lines are written whole with one write(2) each, unbuffered: a recording
// survives a crash, and programs given the same FILE append without mixing
// their lines.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "netlab/trace.hpp"

namespace netlab {

class Recorder {
 public:
  enum class Role { server, client };
  // What becomes of what `path` holds already: kept, the new lines after it,
  // or thrown away (a new run).
  enum class Start { append, afresh };

  // Opens (creates, or appends to / empties) `path`. Throws Error naming the file if it cannot.
  Recorder(const std::string& path, std::string program, Role role, Start start = Start::append);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void listening(std::string_view address);
  // A connection to `address` opened; later calls name that address, and
  // the recording names the peer `peer` ("client 3", "server").
  void joined(std::string_view peer, std::string_view address, std::string_view local = {});
  void left(std::string_view address);
  void frame(Direction direction, std::string_view address, std::string_view payload);

 private:
  // Writes `{"t":...,"program":...,"event":"<event>"<fields>}` and a newline.
  void write(std::string_view event, std::string_view fields);
  std::string peer_field(std::string_view address) const;

  int fd_ = -1;
  std::string path_;
  std::string identity_;  // the program, pid and role fields, written on every line
  std::unordered_map<std::string, std::string> peers_;  // address -> name
  bool failed_ = false;  // a write failed once (disk full?): said so, and no more lines
};

// The text of `text` as a JSON string literal, quotes included. `text` must be valid UTF-8.
std::string json_string(std::string_view text);
bool is_valid_utf8(std::string_view text);
std::string base64(std::string_view bytes);

}  // namespace netlab
