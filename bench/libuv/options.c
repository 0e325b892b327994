#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const workload_names[] = {"pingpong", "pipeline", "fanout", "idle", "chat"};

static void print_usage(FILE *out, const char *program, role role) {
  fprintf(out, "usage: %s --workload pingpong|pipeline|fanout|idle%s [--host ADDR] [--port N]", program,
          role == ROLE_CLIENT ? "|chat" : "");
  if (role == ROLE_CLIENT) {
    fprintf(out,
            " [--duration SECONDS] [--clients N] [--window N] [--payload BYTES]\n"
            "  --port      server port (required)\n"
            "  --duration  length of the measured phase (default 2)\n"
            "  --clients   fanout or chat receivers, or idle connections (default 100)\n"
            "  --window    messages in flight for pipeline, fanout and chat (default 1000)\n"
            "  --payload   payload bytes per frame for pipeline and fanout, text bytes per chat message (default 32)\n"
            "  chat drives a server of the chat stage (REGISTER, LOGIN, ALL): --clients users\n"
            "  log in, then one more sends to everyone as fanout's sender does.\n");
  } else {
    fprintf(out,
            "\n  --port  port to listen on; 0 (the default) picks a free one.\n"
            "  The first line on stdout is \"listening on HOST:PORT\".\n");
  }
}

static void fail_usage(const char *program, role role, const char *problem, const char *value) {
  fprintf(stderr, "%s: %s%s\n", program, problem, value ? value : "");
  print_usage(stderr, program, role);
  exit(2);
}

static unsigned long parse_count(const char *program, role role, const char *flag, const char *text) {
  char *end = NULL;
  unsigned long value = strtoul(text, &end, 10);
  if (*text == '\0' || *end != '\0' || text[0] == '-') {
    fail_usage(program, role, flag, text);
  }
  return value;
}

options parse_options(int argc, char **argv, role role) {
  options result = {
      .workload = WORKLOAD_PINGPONG,
      .host = "127.0.0.1",
      .port = role == ROLE_SERVER ? 0 : -1,
      .duration_seconds = 2.0,
      .clients = 100,
      .window = 1000,
      .payload_size = 32,
  };
  bool workload_given = false;
  const char *program = argv[0];

  enum { FLAG_WORKLOAD = 1, FLAG_HOST, FLAG_PORT, FLAG_DURATION, FLAG_CLIENTS, FLAG_WINDOW, FLAG_PAYLOAD, FLAG_HELP };
  static const struct option server_flags[] = {
      {"workload", required_argument, NULL, FLAG_WORKLOAD},
      {"host", required_argument, NULL, FLAG_HOST},
      {"port", required_argument, NULL, FLAG_PORT},
      {"help", no_argument, NULL, FLAG_HELP},
      {NULL, 0, NULL, 0},
  };
  static const struct option client_flags[] = {
      {"workload", required_argument, NULL, FLAG_WORKLOAD},
      {"host", required_argument, NULL, FLAG_HOST},
      {"port", required_argument, NULL, FLAG_PORT},
      {"duration", required_argument, NULL, FLAG_DURATION},
      {"clients", required_argument, NULL, FLAG_CLIENTS},
      {"window", required_argument, NULL, FLAG_WINDOW},
      {"payload", required_argument, NULL, FLAG_PAYLOAD},
      {"help", no_argument, NULL, FLAG_HELP},
      {NULL, 0, NULL, 0},
  };

  opterr = 0;  // our own message, with the usage, instead of getopt's
  int flag;
  while ((flag = getopt_long(argc, argv, "", role == ROLE_SERVER ? server_flags : client_flags, NULL)) != -1) {
    switch (flag) {
      case FLAG_WORKLOAD:
        for (size_t i = 0; i < sizeof workload_names / sizeof workload_names[0]; ++i) {
          if (strcmp(optarg, workload_names[i]) == 0) {
            result.workload = (workload)i;
            workload_given = true;
          }
        }
        if (!workload_given) fail_usage(program, role, "unknown workload: ", optarg);
        break;
      case FLAG_HOST:
        result.host = optarg;
        break;
      case FLAG_PORT: {
        unsigned long port = parse_count(program, role, "bad --port: ", optarg);
        if (port > 65535) fail_usage(program, role, "bad --port: ", optarg);
        result.port = (int)port;
        break;
      }
      case FLAG_DURATION: {
        char *end = NULL;
        result.duration_seconds = strtod(optarg, &end);
        if (*end != '\0' || !(result.duration_seconds > 0)) fail_usage(program, role, "bad --duration: ", optarg);
        break;
      }
      case FLAG_CLIENTS:
        result.clients = parse_count(program, role, "bad --clients: ", optarg);
        break;
      case FLAG_WINDOW:
        result.window = parse_count(program, role, "bad --window: ", optarg);
        break;
      case FLAG_PAYLOAD:
        result.payload_size = parse_count(program, role, "bad --payload: ", optarg);
        break;
      case FLAG_HELP:
        print_usage(stdout, program, role);
        exit(0);
      default:
        fail_usage(program, role, "unknown or incomplete flag: ", argv[optind - 1]);
    }
  }
  if (optind < argc) fail_usage(program, role, "unexpected argument: ", argv[optind]);
  if (!workload_given) fail_usage(program, role, "--workload is required", NULL);
  if (role == ROLE_SERVER && result.workload == WORKLOAD_CHAT) {
    fail_usage(program, role, "no chat server here: chat drives the chat stage's server (bench/README.md)", NULL);
  }
  if (role == ROLE_CLIENT && result.port <= 0) fail_usage(program, role, "--port is required", NULL);
  if (result.clients == 0 || result.window == 0) fail_usage(program, role, "--clients and --window must be positive", NULL);
  return result;
}
