"""asyncio benchmark server, written with streams the way the Python course does.

  pingpong, idle: answers "Ping" with "Pong"
  pipeline:       echoes every frame to its sender
  fanout:         relays every frame to every other client

Prints "listening on HOST:PORT" first, then serves until SIGINT or SIGTERM.
"""

import asyncio
import signal

from framing import frame, read_frame
from options import parse_options


class BenchServer:
    def __init__(self, workload: str):
        self.workload = workload
        self.writers: set[asyncio.StreamWriter] = set()
        self.handlers: set[asyncio.Task] = set()

    async def serve_client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        self.handlers.add(asyncio.current_task())
        try:
            while True:
                payload = await read_frame(reader)
                await self.handle_message(writer, payload)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass  # the client left, the connection broke, or it sent a bad frame
        finally:
            self.writers.discard(writer)
            self.handlers.discard(asyncio.current_task())
            writer.close()

    async def close_all(self) -> None:
        """Closes every connection and waits for its handler to end, so that
        asyncio.run has no handler left to cancel (Python 3.11 logs each one)."""
        for writer in list(self.writers):
            writer.close()
        await asyncio.gather(*self.handlers, return_exceptions=True)

    async def handle_message(self, sender: asyncio.StreamWriter, payload: bytes) -> None:
        if self.workload in ("pingpong", "idle"):
            if payload != b"Ping":
                raise ValueError(f"expected Ping, got {len(payload)} other bytes")
            sender.write(frame(b"Pong"))
            await sender.drain()
        elif self.workload == "pipeline":
            sender.write(frame(payload))
            await sender.drain()
        else:  # fanout
            message = frame(payload)
            for receiver in list(self.writers):  # a copy: clients may leave while we await
                if receiver is not sender:
                    receiver.write(message)
                    await receiver.drain()


async def main() -> None:
    options = parse_options("server")
    bench_server = BenchServer(options.workload)
    # A deep backlog: the idle workload connects in bursts.
    server = await asyncio.start_server(bench_server.serve_client, options.host, options.port, backlog=1024)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on {options.host}:{port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    async with server:
        await stop.wait()
        await bench_server.close_all()


if __name__ == "__main__":
    asyncio.run(main())
