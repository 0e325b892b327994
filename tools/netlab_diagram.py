"""Sequence diagrams of a netlab run, from what its programs recorded (--record,
NETLAB_RECORD_DIR; the format is in netlab/include/netlab/record.hpp).

Run(read_recordings(paths)) merges the recordings: each program records its
side of each connection; the sides are matched (a client's own address is the
address its server saw), so that one arrow stands for one message, from sender
to receiver, in the order the messages were sent. A message sent and never
received by a program that recorded is drawn as lost. to_text, to_mermaid and
to_html draw it. Texts are shown, never interpreted: control characters and
bytes that are not UTF-8 appear as escapes. tools/netlab-diagram is the command.
"""

import base64
import binascii
import dataclasses
import html
import json
import pathlib
import unicodedata

LABEL_LIMIT = 40  # characters of a message shown on its arrow; the whole text is on hover


class RecordingError(Exception):
    """A recording that cannot be read, or recordings that do not belong to one run."""


@dataclasses.dataclass
class Record:
    where: str  # "file:line", for errors
    t: int  # microseconds since 1970
    program: str
    pid: int
    role: str
    event: str
    fields: dict
    payload: bytes = b""


EVENTS = {"listen", "join", "leave", "sent", "received"}


def parse_line(line, where):
    try:
        fields = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordingError(f"{where}: not a JSON line ({error})") from None
    if not isinstance(fields, dict):
        raise RecordingError(f"{where}: not a recorded event (a JSON object)")

    def field(name, kind):
        value = fields.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise RecordingError(f"{where}: the field {name!r} is missing or not a {kind.__name__}")
        return value

    record = Record(where, field("t", int), field("program", str), field("pid", int), field("role", str),
                    field("event", str), fields)
    if record.role not in ("server", "client"):
        raise RecordingError(f"{where}: unknown role {record.role!r} (server or client)")
    if record.event not in EVENTS:
        raise RecordingError(f"{where}: unknown event {record.event!r} ({', '.join(sorted(EVENTS))})")
    if record.event in ("join", "leave", "sent", "received"):
        field("peer", str)
    if record.event == "join":
        field("address", str)
    if record.event in ("sent", "received"):
        record.payload = payload_of(fields, where)
        if len(record.payload) != field("length", int):
            raise RecordingError(f"{where}: the message has {len(record.payload)} bytes, "
                                 f"its length says {fields['length']}")
    return record


def payload_of(fields, where):
    if isinstance(fields.get("text"), str):
        try:
            return fields["text"].encode("utf-8")
        except UnicodeEncodeError:
            raise RecordingError(f"{where}: the text holds a lone surrogate; "
                                 "bytes that are not UTF-8 go in 'base64'") from None
    if isinstance(fields.get("base64"), str):
        try:
            return base64.b64decode(fields["base64"], validate=True)
        except binascii.Error as error:
            raise RecordingError(f"{where}: the 'base64' field is not base64 ({error})") from None
    raise RecordingError(f"{where}: a message needs a 'text' or a 'base64' field")


def read_recordings(paths):
    """Every record of the given files and folders (their *.jsonl files)."""
    files = []
    for path in map(pathlib.Path, paths):
        if path.is_dir():
            found = sorted(path.rglob("*.jsonl"))
            if not found:
                raise RecordingError(f"{path}: no recordings (*.jsonl) in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise RecordingError(f"{path}: no such file or folder")
    records = []
    for file in files:
        with open(file, "rb") as stream:
            for number, line in enumerate(stream, 1):
                if line.strip():
                    records.append(parse_line(line, f"{file}:{number}"))
    if not records:
        raise RecordingError("the recordings are empty: did the programs run with --record or NETLAB_RECORD_DIR?")
    return records


@dataclasses.dataclass(eq=False)
class Participant:
    name: str  # "server", "client 2"
    programs: list = dataclasses.field(default_factory=list)  # the programs that recorded as it
    address: str | None = None  # a server's listening address; a client's, as its server saw it
    joined: int | None = None
    left: int | None = None

    def saw(self, joined=None, left=None):
        """Either side may record a join or a leave first: the earlier counts."""
        if joined is not None:
            self.joined = joined if self.joined is None else min(self.joined, joined)
        if left is not None:
            self.left = left if self.left is None else min(self.left, left)


@dataclasses.dataclass(eq=False)
class Arrow:
    sender: Participant
    receiver: Participant
    payload: bytes
    sent: int | None  # time, if the sender recorded it
    received: int | None  # time, if the receiver recorded it
    lost: bool = False  # the receiver recorded, and this never arrived

    @property
    def t(self):
        return self.sent if self.sent is not None else self.received


@dataclasses.dataclass(eq=False)
class Step:
    t: int
    kind: str  # "join", "message", "leave"
    participant: Participant
    arrow: Arrow | None = None


class Run:
    """The recordings of one run, merged: participants (servers first, then clients in the
    order they joined) and steps in time order."""

    def __init__(self, records):
        programs = {}  # (program, pid) -> its records, in the order written
        for record in records:
            programs.setdefault((record.program, record.pid), []).append(record)
        for key, rs in programs.items():
            if any(r.role != rs[0].role for r in rs):
                raise RecordingError(f"{rs[0].where}: {key[0]} (pid {key[1]}) recorded as both server and client")
        servers = [(key, rs) for key, rs in programs.items() if rs[0].role == "server"]
        clients = sorted(((key, rs) for key, rs in programs.items() if rs[0].role == "client"),
                         key=lambda key_records: key_records[1][0].t)

        self.servers, self.clients = [], []
        self.ends = {}  # (program, pid, peer as that program names it) -> (its participant, the peer's)
        self.recorded = set()  # participants some program recorded as
        for (program, pid), rs in servers:
            server = Participant("server" if len(servers) == 1 else f"server ({shown(program)} {pid})", [program])
            self.servers.append(server)
            self.recorded.add(server)
            for record in rs:
                peer = record.fields.get("peer")
                if record.event == "listen":
                    server.address = record.fields["address"]
                    server.saw(joined=record.t)
                elif record.event == "join":
                    client = Participant(shown(peer) if len(servers) == 1 else f"{server.name}: {shown(peer)}",
                                         address=record.fields["address"], joined=record.t)
                    self.clients.append(client)
                    self.ends[program, pid, peer] = (server, client)
                elif record.event == "leave" and (program, pid, peer) in self.ends:
                    self.ends[program, pid, peer][1].saw(left=record.t)
        for (program, pid), rs in clients:
            join = next((r for r in rs if r.event == "join"), None)
            client = self.client_seen_at(join) or Participant(f"client ({shown(program)} {pid})")
            if client not in self.clients:
                self.clients.append(client)
            client.programs.append(program)
            self.recorded.add(client)
            for record in rs:
                if record.event == "join":
                    client.saw(joined=record.t)
                    self.ends[program, pid, record.fields["peer"]] = (client, self.server_at(record.fields["address"]))
                elif record.event == "leave":
                    client.saw(left=record.t)
        self.clients.sort(key=lambda p: p.joined if p.joined is not None else 0)
        self.participants = self.servers + self.clients
        self.arrows = self.pair_messages(records)
        self.steps = self.order_steps()
        self.start = self.steps[0].t if self.steps else 0

    def client_seen_at(self, join):
        """The client a server saw at the address this client connected from; if a port
        served several clients in turn, the one that joined nearest in time."""
        if join is None or "local" not in join.fields:
            return None
        seen = [c for c in self.clients if c.address == join.fields["local"] and not c.programs]
        return min(seen, key=lambda c: abs(c.joined - join.t), default=None)

    def server_at(self, address):
        for server in self.servers:
            if server.address == address or len(self.servers) == 1:
                return server
        server = Participant("server" if not self.servers else f"server at {address}", address=address)
        self.servers.append(server)  # a server that recorded nothing
        return server

    def pair_messages(self, records):
        """One arrow per message: the n-th message one side sent on a connection is the n-th
        the other side received (TCP keeps the order)."""
        sent, received = {}, {}  # (sender, receiver) -> [record]
        for record in records:
            if record.event not in ("sent", "received"):
                continue
            this, other = self.ends.get((record.program, record.pid, record.fields["peer"]), (None, None))
            if this is None:
                raise RecordingError(f"{record.where}: a message with {record.fields['peer']}, who never joined")
            if record.event == "sent":
                sent.setdefault((this, other), []).append(record)
            else:
                received.setdefault((other, this), []).append(record)
        arrows = []
        for sender, receiver in list(sent) + [pair for pair in received if pair not in sent]:
            outgoing, incoming = sent.get((sender, receiver), []), received.get((sender, receiver), [])
            for index in range(max(len(outgoing), len(incoming))):
                out = outgoing[index] if index < len(outgoing) else None
                arrived = incoming[index] if index < len(incoming) else None
                if out and arrived and out.payload != arrived.payload:
                    raise RecordingError(f"{out.where} and {arrived.where}: one message, two different texts; "
                                         "are these recordings of one run?")
                arrows.append(Arrow(sender, receiver, (out or arrived).payload, out.t if out else None,
                                    arrived.t if arrived else None, lost=not arrived and receiver in self.recorded))
        return arrows

    def order_steps(self):
        steps = [Step(arrow.t, "message", arrow.sender, arrow) for arrow in self.arrows]
        for client in self.clients:
            if client.joined is not None:
                steps.append(Step(client.joined, "join", client))
            if client.left is not None:
                steps.append(Step(client.left, "leave", client))
        rank = {"join": 0, "message": 1, "leave": 2}
        return sorted(steps, key=lambda step: (step.t, rank[step.kind]))

    def seconds(self, t):
        return f"+{(t - self.start) / 1e6:.3f} s"


def shown(text):
    """A message's text (bytes) or a name (str) as it may be shown, like --trace shows it:
    UTF-8 as is; backslash, control and format characters (newline, bidi overrides, ...)
    and bytes that are not UTF-8 as escapes."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="surrogateescape")  # a bad byte becomes U+DC80..U+DCFF
    if text.isascii() and text.isprintable() and "\\" not in text:
        return text  # most messages: nothing to escape
    return "".join(map(shown_character, text))


def shown_character(char):
    code = ord(char)
    if char in ESCAPES:
        return ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return char


ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def label(payload):
    """What an arrow says: the text, shortened past LABEL_LIMIT characters (an escape is
    kept whole), quoted if empty or space-edged."""
    # Only the start of a long message can show, and each byte shows as one character or more.
    start = payload[:4 * LABEL_LIMIT].decode("utf-8", errors="surrogateescape")
    pieces = [shown_character(char) for char in start]
    if sum(map(len, pieces)) > LABEL_LIMIT or len(payload) > 4 * LABEL_LIMIT:
        kept, length = [], 0
        for piece in pieces:
            if length + len(piece) > LABEL_LIMIT - 1:
                break
            kept.append(piece)
            length += len(piece)
        text = f"{''.join(kept)}… ({len(payload)} bytes)"
    else:
        text = "".join(pieces)
    if not text or text != text.strip():
        text = f'"{text}"'
    return text


# --- plain text ---------------------------------------------------------------

def to_text(run, times=True):
    width = max(len(p.name) for p in run.participants)
    lines = ["participants: " + ", ".join(describe(p) for p in run.participants)]
    for step in run.steps:
        time = f"{run.seconds(step.t):>11}  " if times else ""
        if step.kind == "message":
            arrow = step.arrow
            mark = "-x" if arrow.lost else "->"
            note = "   (never arrived)" if arrow.lost else ""
            lines.append(f"{time}{arrow.sender.name:>{width}} {mark} {arrow.receiver.name:<{width}}  "
                         f"{label(arrow.payload)}{note}")
        else:
            lines.append(f"{time}{step.participant.name:>{width}} {'joins' if step.kind == 'join' else 'leaves'}")
    return "\n".join(lines) + "\n"


def programs_of(participant):
    return shown(", ".join(dict.fromkeys(participant.programs))) or "not recorded"


def describe(participant):
    return f"{participant.name} ({programs_of(participant)})"


# --- Mermaid -------------------------------------------------------------------

def mermaid_text(text):
    """Mermaid reads entity codes (#59;) in texts: what it would take for syntax becomes one."""
    escaped = "".join(MERMAID_CODES.get(char, char) for char in text)
    if escaped.lower() == "end":  # a bare "end" closes a block
        escaped = f"#{ord(escaped[0])};{escaped[1:]}"
    return escaped


MERMAID_CODES = {char: f"#{ord(char)};" for char in "#;<>&"}


def to_mermaid(run):
    ids = {server: "server" if server.name == "server" else f"s{n}" for n, server in enumerate(run.servers, 1)}
    ids.update({client: f"c{n}" for n, client in enumerate(run.clients, 1)})
    lines = ["sequenceDiagram"]
    for participant, alias in ids.items():
        named = "" if alias == participant.name else f" as {mermaid_text(participant.name)}"
        lines.append(f"    participant {alias}{named}")
    for step in run.steps:
        if step.kind == "message":
            arrow = step.arrow
            lines.append(f"    {ids[arrow.sender]}{'-x' if arrow.lost else '->>'}{ids[arrow.receiver]}: "
                         f"{mermaid_text(label(arrow.payload))}")
        else:
            lines.append(f"    Note over {ids[step.participant]}: {'joins' if step.kind == 'join' else 'leaves'}")
    return "\n".join(lines) + "\n"


# --- HTML with SVG -------------------------------------------------------------

COLUMN = 200  # px between lifelines
ROW = 36  # px between steps
TIME_MARGIN = 90  # px on the left, for the times
HEAD = 56  # px of participant boxes at the top
ARROW_COLOUR = "#1f5fbf"
LOST_COLOUR = "#c0392b"


def esc(text):
    return html.escape(text, quote=True)


def to_html(run, times=True, title="netlab run"):
    columns = {p: TIME_MARGIN + COLUMN // 2 + index * COLUMN for index, p in enumerate(run.participants)}
    rows = {id(step): HEAD + 30 + index * ROW for index, step in enumerate(run.steps)}
    bottom = HEAD + 30 + len(run.steps) * ROW
    width = TIME_MARGIN + len(run.participants) * COLUMN + 10
    height = bottom + 20
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="12" role="img" aria-label="{esc(title)}">']
    for participant in run.participants:
        x = columns[participant]
        start = next((rows[id(s)] for s in run.steps if s.kind == "join" and s.participant is participant), HEAD)
        end = next((rows[id(s)] for s in run.steps if s.kind == "leave" and s.participant is participant), bottom)
        svg.append(f'<g class="participant"><title>{esc(describe(participant))}</title>'
                   f'<rect x="{x - 80}" y="8" width="160" height="40" rx="4" fill="#eef2fb" stroke="#5b6b8c"/>'
                   f'<text x="{x}" y="26" text-anchor="middle" font-weight="bold">{esc(participant.name)}</text>'
                   f'<text x="{x}" y="41" text-anchor="middle" font-size="10" fill="#555">'
                   f'{esc(programs_of(participant))}</text>'
                   f'<line class="lifeline" x1="{x}" y1="{start}" x2="{x}" y2="{end}" stroke="#999" '
                   'stroke-dasharray="4 4"/></g>')
    for step in run.steps:
        y = rows[id(step)]
        if times:
            svg.append(f'<text class="time" x="8" y="{y + 4}" fill="#666" font-size="11">'
                       f'{esc(run.seconds(step.t))}</text>')
        if step.kind == "message":
            svg.append(svg_arrow(step.arrow, columns, y, times))
        else:
            joins = step.kind == "join"
            x = columns[step.participant]
            svg.append(f'<g class="{step.kind}"><rect x="{x - 28}" y="{y - 10}" width="56" height="20" rx="10" '
                       f'fill="{"#dff3e4" if joins else "#f8e0dd"}" stroke="{"#3c8d50" if joins else "#b0453a"}"/>'
                       f'<text x="{x}" y="{y + 4}" text-anchor="middle">{"joins" if joins else "leaves"}</text></g>')
    svg.append("</svg>")
    counted = f"{len(run.arrows)} message{'s' if len(run.arrows) != 1 else ''}"
    lost = sum(arrow.lost for arrow in run.arrows)
    if lost:
        counted += f", {lost} never arrived"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{esc(title)}</title>
<style>body {{ font-family: "DejaVu Sans", sans-serif; margin: 16px; color: #222; }} h1 {{ font-size: 18px; }}</style>
</head>
<body>
<h1>{esc(title)}</h1>
<p>{esc(", ".join(describe(p) for p in run.participants))}: {counted}. Hover over an arrow for its whole text.</p>
{"".join(line + chr(10) for line in svg)}</body>
</html>
"""


def svg_arrow(arrow, columns, y, times):
    x1, x2 = columns[arrow.sender], columns[arrow.receiver]
    direction = 1 if x2 > x1 else -1
    colour = LOST_COLOUR if arrow.lost else ARROW_COLOUR
    if arrow.lost:  # stops short of the receiver, with a cross
        x2 = x1 + (x2 - x1) * 3 // 4
    tip = x2 - direction * 2
    hover = f"{arrow.sender.name} → {arrow.receiver.name}, {len(arrow.payload)} bytes"
    if times and arrow.sent is not None and arrow.received is not None:
        hover += f", {(arrow.received - arrow.sent) / 1000:.3f} ms on the way"
    if arrow.lost:
        hover += ", never arrived"
    dashes = ' stroke-dasharray="6 3"' if arrow.lost else ""
    # The label first, so that the arrow is drawn over it; its white outline keeps it
    # readable where it crosses a lifeline.
    parts = [f'<g class="message{" lost" if arrow.lost else ""}">',
             f'<title>{esc(hover)}:\n{esc(shown(arrow.payload))}</title>',
             f'<text x="{(x1 + x2) // 2}" y="{y - 6}" text-anchor="middle" stroke="white" stroke-width="4" '
             f'paint-order="stroke">{esc(label(arrow.payload))}</text>',
             f'<line class="arrow" x1="{x1}" y1="{y}" x2="{tip - direction * 8}" y2="{y}" stroke="{colour}" '
             f'stroke-width="2"{dashes}/>']
    if arrow.lost:
        parts.append(f'<path d="M{x2 - 6} {y - 6}L{x2 + 6} {y + 6}M{x2 - 6} {y + 6}L{x2 + 6} {y - 6}" '
                     f'stroke="{colour}" stroke-width="2"/>')
    else:
        parts.append(f'<polygon class="head" points="{tip},{y} {tip - direction * 10},{y - 5} '
                     f'{tip - direction * 10},{y + 5}" fill="{colour}"/>')
    return "".join(parts) + "</g>"
