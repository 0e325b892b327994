"""asyncio benchmark client, for the workloads that measure both ends of the connection:

  pingpong  send "Ping", wait for "Pong", repeat.
  pipeline  keep --window frames of --payload bytes in flight and answer every echo
            with a new frame.

fanout and idle measure the server alone and use the libuv load client for every
implementation. Prints "result VALUE UNIT" lines after --duration seconds.
"""

import asyncio
import sys
import time

from framing import HEADER, frame, read_frame
from options import parse_options


async def ping_pong(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, duration: float) -> None:
    ping = frame(b"Ping")
    round_trips = 0
    start = time.perf_counter()
    while time.perf_counter() - start < duration:
        writer.write(ping)
        await writer.drain()
        reply = await read_frame(reader)
        if reply != b"Pong":
            raise RuntimeError(f'expected "Pong", the server sent {len(reply)} other bytes')
        round_trips += 1
    print(f"result {round_trips / (time.perf_counter() - start):.1f} round trips/s")


async def pipeline(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, duration: float, window: int, payload_size: int
) -> None:
    message = frame(b"x" * payload_size)
    echoes = 0
    start = time.perf_counter()
    for _ in range(window):
        writer.write(message)
    await writer.drain()
    while time.perf_counter() - start < duration:
        echo = await read_frame(reader)
        if len(echo) != payload_size:
            raise RuntimeError(f"sent {payload_size}-byte frames, the server echoed {len(echo)} bytes")
        echoes += 1
        writer.write(message)
        await writer.drain()
    seconds = time.perf_counter() - start
    print(f"result {echoes / seconds:.1f} msgs/s")
    # Frame bytes (header and payload) coming back per second.
    print(f"result {echoes * (HEADER.size + payload_size) / seconds / 1e6:.2f} MB/s")


async def main() -> int:
    options = parse_options("client")
    if options.workload not in ("pingpong", "pipeline"):
        print("client: fanout and idle measure the server; run them with bench/libuv's client", file=sys.stderr)
        return 2
    reader, writer = await asyncio.open_connection(options.host, options.port)
    if options.workload == "pingpong":
        await ping_pong(reader, writer, options.duration)
    else:
        await pipeline(reader, writer, options.duration, options.window, options.payload)
    writer.close()
    await writer.wait_closed()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
