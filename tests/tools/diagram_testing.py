"""What the tests of tools/netlab-diagram share: recordings written the way netlab's
Recorder writes them (netlab/include/netlab/record.hpp), and the command run as a user
runs it. tools/ is on PYTHONPATH (ctest sets it), for netlab_diagram."""

import base64
import json
import pathlib
import subprocess
import sys

COMMAND = pathlib.Path(__file__).resolve().parents[2] / "tools" / "netlab-diagram"


def run_command(*arguments):
    """tools/netlab-diagram with these arguments: (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, str(COMMAND), *map(str, arguments)], capture_output=True, text=True,
                          timeout=300)
    return done.returncode, done.stdout, done.stderr


class Program:
    """One program's recording, written as record.cpp writes it."""

    def __init__(self, folder, program, pid, role):
        self.path = pathlib.Path(folder) / f"{program}.{pid}.jsonl"
        self.identity = {"program": program, "pid": pid, "role": role}

    def write(self, t, event, **fields):
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"t": t, **self.identity, "event": event, **fields}, ensure_ascii=False) + "\n")

    def frame(self, t, event, peer, payload):
        try:
            body = {"text": payload.decode("utf-8")}
        except UnicodeDecodeError:
            body = {"base64": base64.b64encode(payload).decode("ascii")}
        self.write(t, event, peer=peer, length=len(payload), **body)


def three_clients(folder):
    """A chat-like run: three clients join; client 1 greets everyone, client 3 answers
    client 1; client 2 leaves and the others are told. Returns the expected text (no times)."""
    server = Program(folder, "chat_server", 100, "server")
    clients = [Program(folder, "chat_client", 200 + n, "client") for n in (1, 2, 3)]
    server.write(1000, "listen", address="127.0.0.1:5000")
    for n, client in enumerate(clients, 1):
        # The client sees its connection a little before the server accepts it.
        client.write(2000 * n - 1, "join", peer="server", address="127.0.0.1:5000", local=f"127.0.0.1:{40000 + n}")
        server.write(2000 * n, "join", peer=f"client {n}", address=f"127.0.0.1:{40000 + n}")
    clients[0].frame(10000, "sent", "server", b"hello all")
    server.frame(10010, "received", "client 1", b"hello all")
    server.frame(10020, "sent", "client 2", b"hello all")
    server.frame(10021, "sent", "client 3", b"hello all")
    clients[2].frame(10030, "received", "server", b"hello all")
    clients[1].frame(10031, "received", "server", b"hello all")
    clients[2].frame(10040, "sent", "server", b"@1 hi")
    server.frame(10050, "received", "client 3", b"@1 hi")
    server.frame(10060, "sent", "client 1", b"hi")
    clients[0].frame(10070, "received", "server", b"hi")
    clients[1].write(10100, "leave", peer="server")
    server.write(10105, "leave", peer="client 2")
    server.frame(10110, "sent", "client 1", b"client 2 left")
    server.frame(10111, "sent", "client 3", b"client 2 left")
    clients[0].frame(10120, "received", "server", b"client 2 left")
    clients[2].frame(10121, "received", "server", b"client 2 left")
    return """\
participants: server (chat_server), client 1 (chat_client), client 2 (chat_client), client 3 (chat_client)
client 1 joins
client 2 joins
client 3 joins
client 1 -> server    hello all
  server -> client 2  hello all
  server -> client 3  hello all
client 3 -> server    @1 hi
  server -> client 1  hi
client 2 leaves
  server -> client 1  client 2 left
  server -> client 3  client 2 left
"""
