// Command-line flags of the asio server and client: the same flags as every other
// implementation's programs (bench/README.md lists them).
#pragma once

#include <cstddef>
#include <string>

namespace bench {

enum class Workload { pingpong, pipeline, fanout, idle };
enum class Role { server, client };

struct Options {
  Workload workload = Workload::pingpong;
  std::string host = "127.0.0.1";
  unsigned short port = 0;        // server: 0 picks a free port
  double duration_seconds = 2.0;  // client: length of the measured phase
  std::size_t clients = 100;      // client: fanout receivers or idle connections
  std::size_t window = 1000;      // client: messages in flight (pipeline, fanout)
  std::size_t payload_size = 32;  // client: payload bytes per frame (pipeline, fanout)
};

// Parses argv for the given role; prints usage and exits on --help or a bad flag.
Options parse_options(int argc, char** argv, Role role);

}  // namespace bench
