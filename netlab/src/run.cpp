#include "netlab/run.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "netlab/crash.hpp"
#include "netlab/error.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/first_of.hpp"
#include "netlab/record.hpp"
#include "netlab/tcp_client.hpp"
#include "netlab/tcp_server.hpp"

namespace netlab {

namespace {

struct CommonOptions {
  std::string host = "127.0.0.1";
  int port = kDefaultPort;
  bool trace = false;
  bool trace_hex = false;
  bool quiet = false;  // servers: no line per client that connects or leaves
  std::string record;  // --record FILE

  // Throws Error if the recording cannot be opened.
  [[nodiscard]] ConnectionOptions connection(const std::string& program, Recorder::Role role) const {
    ConnectionOptions options;
    options.trace.enabled = trace || trace_hex;
    options.trace.hex = trace_hex;
    options.recorder = open_recording(program, role);
    return options;
  }

  // --record FILE, else NETLAB_RECORD_DIR/PROGRAM.PID.jsonl: so that the
  // programs a test starts record without a flag, each in a file of its own.
  [[nodiscard]] std::shared_ptr<Recorder> open_recording(const std::string& program, Recorder::Role role) const {
    std::string path = record;
    if (path.empty()) {
      const char* directory = std::getenv("NETLAB_RECORD_DIR");
      if (directory == nullptr || *directory == '\0') return nullptr;
      path = (std::filesystem::path(directory) / (program + "." + std::to_string(::getpid()) + ".jsonl")).string();
    }
    return std::make_shared<Recorder>(path, program, role);
  }
};

void add_common_options(CLI::App& app, CommonOptions& options, bool server) {
  app.add_option("--host", options.host,
                 server ? "address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every interface"
                        : "the server's host name or address")
      ->capture_default_str();
  app.add_option("--port", options.port, server ? "TCP port to listen on; 0 picks any free port" : "the server's port")
      ->check(CLI::Range(server ? 0 : 1, 65535))
      ->capture_default_str();
  app.add_flag("--trace", options.trace, "print every message sent or received");
  app.add_flag("--trace-hex", options.trace_hex, "like --trace, with a hex dump of each message");
  if (server) app.add_flag("--quiet", options.quiet, "print no line for each client that connects or leaves");
  app.add_option("--record", options.record,
                 "append a JSON line for every message sent or received to FILE; tools/netlab-diagram draws it")
      ->type_name("FILE");
}

// Parses the shared flags and the program's own. Returns the exit status when
// the program is to stop here (--help, or a flag that is wrong).
std::optional<int> parse_flags(CLI::App& app, CommonOptions& options, bool server,
                               const std::function<void(CLI::App&)>& add_options, int argc, char** argv) {
  add_common_options(app, options, server);
  if (add_options) add_options(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return std::nullopt;
}

// SIGINT (Ctrl-C) and SIGTERM, as something to co_await
// (https://docs.libuv.org/en/v1.x/signal.html). A second signal exits at once.
class StopSignals {
 public:
  explicit StopSignals(EventLoop& loop) {
    for (std::size_t i = 0; i < handles_.size(); ++i) {
      handles_[i].open(loop.uv(), this, uv_signal_init);
      uv_signal_start(
          handles_[i].get(),
          [](uv_signal_t* handle, int signal) {
            auto& self = *static_cast<StopSignals*>(handle->data);
            if (self.received_ != 0) {
              std::fprintf(stderr, "stopping now\n");
              std::_Exit(128 + signal);
            }
            self.received_ = signal;
            if (self.waiter_) detail::resume(std::exchange(self.waiter_, {}));
          },
          i == 0 ? SIGINT : SIGTERM);
    }
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Completes with the signal's number once one arrives.
  Task<int> wait() {
    struct SignalAwaiter {
      StopSignals& self;
      bool await_ready() const noexcept { return self.received_ != 0; }
      void await_suspend(std::coroutine_handle<> handle) noexcept { self.waiter_ = handle; }
      int await_resume() const noexcept { return self.received_; }
      ~SignalAwaiter() { self.waiter_ = {}; }
    };
    co_return co_await SignalAwaiter{*this};
  }

 private:
  std::array<detail::UvHandle<uv_signal_t>, 2> handles_;
  std::coroutine_handle<> waiter_;
  int received_ = 0;
};

// How the program was started (pingpong1_server, pingpong1_server_solution, ...),
// for --help and for the start of every line it prints on stderr.
std::string program_name(char** argv, std::string fallback) {
  if (argv == nullptr || argv[0] == nullptr || *argv[0] == '\0') return fallback;
  return std::filesystem::path(argv[0]).filename().string();
}

// The server closed the connection, or it was lost: not the client's error.
bool connection_ended(const Error& error) {
  return error.code() == UV_EOF || error.code() == UV_ECONNRESET || error.code() == UV_EPIPE;
}

const char* signal_name(int signal) { return signal == SIGINT ? "Ctrl-C" : "SIGTERM"; }

Task<void> announce(const ClientHandler& handler, Server& server, ClientId id, bool connected) {
  if (connected) {
    std::cout << id << " connected from " << server.peer_address(id) << std::endl;
  } else {
    std::cout << id << " left" << std::endl;
  }
  if (handler) co_await handler.function(server, id);
}

// Prints a line when a client connects or leaves, then calls the stage's handler.
ClientHandler announced(ClientHandler handler, bool connected) {
  std::string name = !handler.name.empty() ? handler.name : connected ? "on_connect" : "on_disconnect";
  return {std::move(name), [handler = std::move(handler), connected](Server& server, ClientId id) {
            return announce(handler, server, id, connected);
          }};
}

Task<void> serve(EventLoop& loop, TcpServer& server, const CommonOptions& options,
                 const std::function<void()>& on_listening) {
  StopSignals signals(loop);
  co_await server.listen(options.host, static_cast<std::uint16_t>(options.port));
  std::cout << "listening on " << server.address() << std::endl;
  if (on_listening) on_listening();
  const int signal = co_await signals.wait();
  std::cout << signal_name(signal) << ": closing " << server.clients().size() << " connection(s) and stopping"
            << std::endl;
  co_await server.close();
}

Task<void> stop_on_signal(StopSignals& signals, TcpClient& client, Terminal& terminal, bool& interrupted) {
  co_await signals.wait();
  interrupted = true;
  terminal.close();
  co_await client.close();
}

Task<int> connect_and_run(EventLoop& loop, Terminal& terminal, const ClientProgram& program,
                          const CommonOptions& options, ConnectionOptions connection) {
  auto client = co_await TcpClient::connect(loop, options.host, static_cast<std::uint16_t>(options.port),
                                            std::move(connection));
  StopSignals signals(loop);
  bool interrupted = false;
  TaskGroup watcher;
  watcher.spawn(stop_on_signal(signals, *client, terminal, interrupted), "the Ctrl-C watcher");
  begin_logic_call(program.main.name);
  try {
    co_await program.main.function(*client, terminal);
  } catch (...) {
    end_logic_call(0);
    terminal.close();  // a line half typed ends here, before the error is printed
    if (!interrupted) throw;  // after Ctrl-C, an error from the closed connection is expected
  }
  end_logic_call(0);
  co_await client->close();
  co_return interrupted ? kExitInterrupted : kExitFinished;
}

}  // namespace

Task<std::optional<std::string>> next_line(Terminal& terminal, Client& client,
                                           const std::function<Task<void>(std::string)>& on_message) {
  while (true) {
    auto next = co_await first_of(terminal.read_line(), client.receive_message());
    if (next.index() == 0) co_return std::move(std::get<0>(next));
    auto& message = std::get<1>(next);
    if (!message) throw server_closed();
    co_await on_message(std::move(*message));
  }
}

int run_server(int argc, char** argv, ServerProgram program) {
  CLI::App app{program.description, program_name(argv, program.stage + "_server")};
  CommonOptions options;
  if (auto status = parse_flags(app, options, true, program.add_options, argc, argv)) return *status;

  ServerHandlers handlers = std::move(program.handlers);
  if (!options.quiet) {
    handlers.on_connect = announced(std::move(handlers.on_connect), true);
    handlers.on_disconnect = announced(std::move(handlers.on_disconnect), false);
  }

  // Every line on stderr starts with the program's name, so in a terminal
  // full of servers and clients a student sees which stage said what.
  const std::string name = app.get_name();
  report_crashes(name);
  EventLoop loop;
  try {
    TcpServer server(loop, std::move(handlers), options.connection(name, Recorder::Role::server));
    server.set_error_reporter([&name](const std::string& line) { std::cerr << name << ": " << line << std::endl; });
    loop.run(serve(loop, server, options, program.on_listening));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << name << ": error: " << e.what() << std::endl;
    return 1;
  }
}

int run_client(int argc, char** argv, ClientProgram program) {
  CLI::App app{program.description, program_name(argv, program.stage + "_client")};
  CommonOptions options;
  if (auto status = parse_flags(app, options, false, program.add_options, argc, argv)) return *status;

  const std::string name = app.get_name();
  report_crashes(name);
  EventLoop loop;
  Terminal terminal(loop);
  try {
    return loop.run(
        connect_and_run(loop, terminal, program, options, options.connection(name, Recorder::Role::client)));
  } catch (const Error& e) {
    if (connection_ended(e)) {
      std::cerr << name << ": " << e.what() << std::endl;
      return kExitServerClosed;
    }
    std::cerr << name << ": error: " << e.what() << std::endl;
  } catch (...) {
    // Student code may throw anything; what escapes it must not reach std::terminate.
    std::cerr << name << ": error in " << program.main.name << ": " << describe(std::current_exception())
              << std::endl;
  }
  return kExitError;
}

}  // namespace netlab
