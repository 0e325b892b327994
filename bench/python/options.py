"""Command-line flags of the Python server and client: the same flags as every other
implementation's programs (bench/README.md lists them)."""

import argparse

WORKLOADS = ("pingpong", "pipeline", "fanout", "idle")


def positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text}")
    return value


def parse_options(role: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=f"asyncio benchmark {role}")
    parser.add_argument("--workload", required=True, choices=WORKLOADS)
    parser.add_argument("--host", default="127.0.0.1")
    if role == "server":
        parser.add_argument("--port", type=int, default=0, help="0 (the default) picks a free port")
    else:
        parser.add_argument("--port", type=int, required=True)
        parser.add_argument("--duration", type=float, default=2.0, help="length of the measured phase")
        parser.add_argument("--clients", type=positive, default=100, help="fanout receivers or idle connections")
        parser.add_argument("--window", type=positive, default=1000, help="messages in flight (pipeline, fanout)")
        parser.add_argument("--payload", type=int, default=32, help="payload bytes per frame (pipeline, fanout)")
    return parser.parse_args()
