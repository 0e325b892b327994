#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string_view>

namespace bench {
namespace {

std::string usage(std::string_view program, Role role) {
  std::string text = "usage: " + std::string(program) +
                     " --workload pingpong|pipeline|fanout|idle [--host ADDR] [--port N]";
  if (role == Role::server) {
    return text +
           "\n  --port  port to listen on; 0 (the default) picks a free one.\n"
           "  The first line on stdout is \"listening on HOST:PORT\".\n";
  }
  return text +
         " [--duration SECONDS] [--clients N] [--window N] [--payload BYTES]\n"
         "  --port      server port (required)\n"
         "  --duration  length of the measured phase (default 2)\n"
         "  --clients   fanout receivers or idle connections (default 100)\n"
         "  --window    messages in flight for pipeline and fanout (default 1000)\n"
         "  --payload   payload bytes per frame for pipeline and fanout (default 32)\n";
}

[[noreturn]] void fail_usage(std::string_view program, Role role, std::string_view problem) {
  std::cerr << program << ": " << problem << '\n' << usage(program, role);
  std::exit(2);
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<Workload> parse_workload(std::string_view name) {
  if (name == "pingpong") return Workload::pingpong;
  if (name == "pipeline") return Workload::pipeline;
  if (name == "fanout") return Workload::fanout;
  if (name == "idle") return Workload::idle;
  return std::nullopt;
}

}  // namespace

Options parse_options(int argc, char** argv, Role role) {
  const std::string_view program = argv[0];
  Options options;
  bool workload_given = false;
  bool port_given = false;

  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (flag == "--help") {
      std::cout << usage(program, role);
      std::exit(0);
    }
    // Both "--flag value" and "--flag=value", as getopt_long and argparse accept.
    std::string_view value;
    if (const auto equals = flag.find('='); equals != std::string_view::npos) {
      value = flag.substr(equals + 1);
      flag = flag.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      fail_usage(program, role, "missing value for " + std::string(flag));
    }
    const auto bad = [&] { fail_usage(program, role, "bad " + std::string(flag) + ": " + std::string(value)); };
    const auto count = [&] {
      const auto parsed = parse_number<std::size_t>(value);
      if (!parsed || *parsed == 0) bad();
      return *parsed;
    };

    if (flag == "--workload") {
      const auto workload = parse_workload(value);
      if (!workload) bad();
      options.workload = *workload;
      workload_given = true;
    } else if (flag == "--host") {
      options.host = value;
    } else if (flag == "--port") {
      const auto port = parse_number<unsigned short>(value);
      if (!port) bad();
      options.port = *port;
      port_given = true;
    } else if (role == Role::client && flag == "--duration") {
      const auto seconds = parse_number<double>(value);
      if (!seconds || !(*seconds > 0)) bad();
      options.duration_seconds = *seconds;
    } else if (role == Role::client && flag == "--clients") {
      options.clients = count();
    } else if (role == Role::client && flag == "--window") {
      options.window = count();
    } else if (role == Role::client && flag == "--payload") {
      const auto bytes = parse_number<std::size_t>(value);
      if (!bytes) bad();
      options.payload_size = *bytes;
    } else {
      fail_usage(program, role, "unknown flag: " + std::string(flag));
    }
  }
  if (!workload_given) fail_usage(program, role, "--workload is required");
  if (role == Role::client && (!port_given || options.port == 0)) fail_usage(program, role, "--port is required");
  return options;
}

}  // namespace bench
