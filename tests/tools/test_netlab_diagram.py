"""tools/netlab-diagram: merging recordings, the three outputs, hostile texts, and bad
input. The tests marked "real run" start the echo programs of tests/netlab (ECHO_SERVER,
ECHO_CLIENT, given by CMake) with NETLAB_RECORD_DIR set, so the C++ recorder and this
reader are tested together."""

import html.parser
import json
import os
import pathlib
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import xml.etree.ElementTree as ElementTree

import netlab_diagram as diagram
from diagram_testing import Program, run_command, three_clients

SVG = "{http://www.w3.org/2000/svg}"

HOSTILE = [
    b"<script>alert(1)</script>",
    b"</text></svg><script>document.write('owned')</script>",
    b"a;b#c %% end",
    b"end",
    bytes(range(32)) + b"\x7f",
    b"\xff\xfe not UTF-8 \xc3",
    "\u202eevil \u2028 line".encode(),
    b"&lt; is not <",
    b"",
    b"  spaced  ",
    b"M" * (1 << 20),
]


def run_of(folder):
    return diagram.Run(diagram.read_recordings([folder]))


def hostile_run(folder):
    server = Program(folder, "s", 1, "server")
    client = Program(folder, "c", 2, "client")
    client.write(10, "join", peer="server", address="127.0.0.1:5000", local="127.0.0.1:40001")
    server.write(11, "join", peer="client 1", address="127.0.0.1:40001")
    for n, text in enumerate(HOSTILE):
        client.frame(100 + 10 * n, "sent", "server", text)
        server.frame(101 + 10 * n, "received", "client 1", text)
    return run_of(folder)


class Merging(unittest.TestCase):
    def test_three_clients_merge_into_the_order_things_happened(self):
        with tempfile.TemporaryDirectory() as folder:
            expected = three_clients(folder)
            self.assertEqual(diagram.to_text(run_of(folder), times=False), expected)

    def test_the_order_of_the_files_does_not_matter(self):
        with tempfile.TemporaryDirectory() as folder:
            expected = three_clients(folder)
            files = sorted(os.listdir(folder), reverse=True)
            run = diagram.Run(diagram.read_recordings([os.path.join(folder, name) for name in files]))
            self.assertEqual(diagram.to_text(run, times=False), expected)

    def test_one_arrow_per_message_with_both_times(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            run = run_of(folder)
        self.assertEqual(len(run.arrows), 7)
        first = run.steps[3].arrow
        self.assertEqual((first.sender.name, first.receiver.name, first.sent, first.received),
                         ("client 1", "server", 10000, 10010))

    def test_a_message_the_receiver_never_recorded_is_lost(self):
        with tempfile.TemporaryDirectory() as folder:
            server = Program(folder, "s", 1, "server")
            client = Program(folder, "c", 2, "client")
            client.write(10, "join", peer="server", address="127.0.0.1:5000", local="127.0.0.1:40001")
            server.write(11, "join", peer="client 1", address="127.0.0.1:40001")
            server.frame(20, "sent", "client 1", b"bye")
            client.write(15, "leave", peer="server")
            run = run_of(folder)
        self.assertEqual(diagram.to_text(run, times=False).splitlines()[-1],
                         "  server -x client 1  bye   (never arrived)")
        self.assertIn("    server-xc1: bye", diagram.to_mermaid(run))
        self.assertIn('class="message lost"', diagram.to_html(run))

    def test_one_side_alone_still_draws(self):
        with tempfile.TemporaryDirectory() as folder:
            client = Program(folder, "c", 2, "client")
            client.write(10, "join", peer="server", address="127.0.0.1:5000", local="127.0.0.1:40001")
            client.frame(20, "sent", "server", b"Ping")
            client.frame(30, "received", "server", b"Pong")
            text = diagram.to_text(run_of(folder), times=False)
        self.assertEqual(text, "participants: server (not recorded), client (c 2) (c)\n"
                               "client (c 2) joins\n"
                               "client (c 2) -> server        Ping\n"
                               "      server -> client (c 2)  Pong\n")

    def test_times_are_seconds_since_the_first_step(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            text = diagram.to_text(run_of(folder))
        self.assertRegex(text.splitlines()[1], r"^ +\+0\.000 s  client 1 joins$")
        self.assertRegex(text.splitlines()[4], r"^ +\+0\.008 s  client 1 -> server")


class Outputs(unittest.TestCase):
    def test_html_is_well_formed_with_an_arrow_per_message(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            run = run_of(folder)
        page = diagram.to_html(run)
        tags = Tags()
        tags.feed(page)
        tags.close()
        self.assertEqual(tags.open, [], "every element is closed")
        svg = svg_of(page)
        self.assertEqual(len(svg.findall(f".//{SVG}g[@class='message']")), len(run.arrows))
        self.assertEqual(len(svg.findall(f".//{SVG}line[@class='arrow']")), 7)
        self.assertEqual(len(svg.findall(f".//{SVG}g[@class='join']")), 3)
        self.assertEqual(len(svg.findall(f".//{SVG}g[@class='leave']")), 1)
        self.assertNotIn("http://", page.replace("http://www.w3.org/2000/svg", ""), "nothing loads from the network")

    def test_mermaid_names_clients_and_notes_joins_and_leaves(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            text = diagram.to_mermaid(run_of(folder))
        self.assertEqual(text.splitlines()[:9], [
            "sequenceDiagram",
            "    participant server",
            "    participant c1 as client 1",
            "    participant c2 as client 2",
            "    participant c3 as client 3",
            "    Note over c1: joins",
            "    Note over c2: joins",
            "    Note over c3: joins",
            "    c1->>server: hello all",
        ])
        self.assertIn("    Note over c2: leaves", text)

    def test_the_command_line_writes_each_output(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            page = os.path.join(folder, "run.html.out")
            self.assertEqual(run_command("--html", page, folder)[0], 0)
            with open(page, encoding="utf-8") as written:
                self.assertIn("<svg", written.read())
            status, out, _ = run_command("--mermaid", folder)
            self.assertEqual((status, out.splitlines()[0]), (0, "sequenceDiagram"))
            status, out, _ = run_command("--no-times", folder)
            self.assertEqual(out, three_clients(tempfile.mkdtemp()))


class HostileTexts(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as folder:
            cls.hostile = hostile_run(folder)

    def test_a_long_label_is_shortened_whatever_its_characters(self):
        self.assertEqual(diagram.label("😀".encode() * 41), "😀" * 39 + "… (164 bytes)")
        self.assertEqual(diagram.label(b"x" * 40), "x" * 40)
        self.assertEqual(diagram.label(b"\x00" * 41), "\\x00" * 9 + "… (41 bytes)", "escapes kept whole")

    def test_shown_escapes_what_is_not_plain_text(self):
        self.assertEqual(diagram.shown(b"a\\b\n\t\x00\x1b[31m\xff\xc3"), "a\\\\b\\n\\t\\x00\\x1b[31m\\xff\\xc3")
        self.assertEqual(diagram.shown("\u202e\u2028é✓".encode()), "\\u202e\\u2028é✓")

    def test_html_shows_every_text_and_runs_none(self):
        page = diagram.to_html(self.hostile)
        tags = Tags()
        tags.feed(page)
        self.assertNotIn("script", tags.seen)
        self.assertIsNone(re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e\u2028]", page), "no control characters")
        groups = svg_of(page).findall(f".//{SVG}g[@class='message']")
        self.assertEqual(len(groups), len(HOSTILE))
        for text, group in zip(HOSTILE, groups):
            hover = group.find(f"{SVG}title").text
            self.assertEqual(hover.split(":\n", 1)[1], diagram.shown(text), "the whole text on hover")
            shown_label = group.find(f"{SVG}text").text
            self.assertLessEqual(len(shown_label), diagram.LABEL_LIMIT + len(" (1048576 bytes)"))
        self.assertEqual(groups[0].find(f"{SVG}text").text, "<script>alert(1)</script>")
        self.assertEqual(groups[-1].find(f"{SVG}text").text, "M" * 39 + "… (1048576 bytes)")

    def test_mermaid_lines_hold_no_syntax(self):
        lines = [line for line in diagram.to_mermaid(self.hostile).splitlines() if "->>" in line]
        self.assertEqual(len(lines), len(HOSTILE), "one line per message: no newline got through")
        for line in lines:
            text = re.sub(r"#\d+;", "", line.split(": ", 1)[1])
            self.assertNotRegex(text, r"[;#<>&]", line)
            self.assertNotEqual(text.strip().lower(), "end", line)
        self.assertEqual(lines[3], "    c1->>server: #101;nd")
        self.assertEqual(lines[2], "    c1->>server: a#59;b#35;c %% end")

    def test_text_has_one_line_per_step(self):
        lines = diagram.to_text(self.hostile, times=False).splitlines()
        self.assertEqual(len(lines), 1 + len(self.hostile.steps))
        self.assertIn('client 1 -> server    ""', lines)
        self.assertIn('client 1 -> server    "  spaced  "', lines)


class BadInput(unittest.TestCase):
    def check_error(self, lines, message):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "bad.jsonl")
            with open(path, "wb") as out:
                out.write(lines)
            status, _, errors = run_command(path)
        self.assertEqual(status, 1)
        self.assertIn(message, errors)

    def test_each_mistake_is_named_with_its_line(self):
        good = b'{"t":1,"program":"s","pid":1,"role":"server","event":"listen","address":"a"}\n'
        self.check_error(good + b"not json\n", "bad.jsonl:2: not a JSON line")
        self.check_error(b'{"t":"1"}', "bad.jsonl:1: the field 't' is missing or not a int")
        self.check_error(good.replace(b"listen", b"shout"), "bad.jsonl:1: unknown event 'shout'")
        self.check_error(good.replace(b"server", b"judge"), "bad.jsonl:1: unknown role 'judge'")
        self.check_error(b'{"t":1,"program":"s","pid":1,"role":"server","event":"sent","peer":"client 1","length":3,'
                         b'"text":"ab"}', "bad.jsonl:1: the message has 2 bytes, its length says 3")
        self.check_error(b'{"t":1,"program":"s","pid":1,"role":"server","event":"sent","peer":"client 1","length":1,'
                         b'"base64":"!!"}', "bad.jsonl:1: the 'base64' field is not base64")
        self.check_error(good + b'{"t":2,"program":"s","pid":1,"role":"server","event":"sent","peer":"client 9",'
                         b'"length":1,"text":"x"}', "bad.jsonl:2: a message with client 9, who never joined")
        self.check_error(b"", "the recordings are empty")

    def test_a_missing_path_or_an_empty_folder_is_named(self):
        self.assertIn("/no/such/run: no such file or folder", run_command("/no/such/run")[2])
        with tempfile.TemporaryDirectory() as folder:
            self.assertIn(f"{folder}: no recordings (*.jsonl) in this folder", run_command(folder)[2])

    def test_recordings_of_two_runs_do_not_merge(self):
        with tempfile.TemporaryDirectory() as folder:
            three_clients(folder)
            with open(os.path.join(folder, "chat_client.201.jsonl"), "a", encoding="utf-8") as out:
                out.write('{"t":99999,"program":"chat_client","pid":201,"role":"client","event":"sent","peer":"server",'
                          '"length":5,"text":"other"}\n')
            with open(os.path.join(folder, "chat_server.100.jsonl"), "a", encoding="utf-8") as out:
                out.write('{"t":99999,"program":"chat_server","pid":100,"role":"server","event":"received",'
                          '"peer":"client 1","length":5,"text":"OTHER"}\n')
            self.assertIn("one message, two different texts", run_command(folder)[2])


class HandoutRuns(unittest.TestCase):
    def test_the_files_a_handout_records_and_draws_are_ignored_by_git(self):
        root = pathlib.Path(__file__).resolve().parents[2]
        ignored = {line.lstrip("/") for line in (root / ".gitignore").read_text().splitlines()
                   if line and not line.startswith("#")}
        written = set()
        for handout in (root / "handouts").glob("*.md"):
            written |= set(re.findall(r"--(?:record|html) ([\w./-]+)", handout.read_text()))
        self.assertTrue(written, "the handouts show how to record and draw a run")
        for name in sorted(written):
            self.assertIn(name, ignored, f"a handout writes {name}: git status would show it, to be committed")


FAKE_E2E = """#!{python}
# A stage's end-to-end tests, as far as --handouts sees them: they record a run, then pass (or fail).
import json, os, sys
assert sys.argv[1:] == ["--gtest_filter=Programs.Talk"], sys.argv
if os.path.exists(os.path.join(os.path.dirname(__file__), "fail")):
    print("[  FAILED  ] Programs.Talk")
    sys.exit(1)
def record(program, role, t, event, **fields):
    with open(os.path.join(os.environ["NETLAB_RECORD_DIR"], program + ".jsonl"), "a") as out:
        out.write(json.dumps(dict(t=t, program=program, pid=1, role=role, event=event, **fields)) + "\\n")
record("toy_server", "server", 1, "join", peer="client 1", address="127.0.0.1:40001")
record("toy_client", "client", 2, "join", peer="server", address="127.0.0.1:5000", local="127.0.0.1:40001")
text = "Ping"
counter = os.path.join(os.path.dirname(__file__), "runs")
if os.path.exists(counter):  # a text that differs each run, as a time of day would
    runs = int(open(counter).read()) + 1
    open(counter, "w").write(str(runs))
    text = "Ping %d" % runs
record("toy_client", "client", 3, "sent", peer="server", length=len(text), text=text)
record("toy_server", "server", 4, "received", peer="client 1", length=len(text), text=text)
print("[  PASSED  ] 1 test.")
"""


class Handouts(unittest.TestCase):
    """--handouts, on a toy stage whose end-to-end test is a script."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.folder.name) / "source"
        self.build = pathlib.Path(self.folder.name) / "build"
        (self.root / "tests" / "toy").mkdir(parents=True)
        (self.root / "handouts").mkdir()
        (self.root / "CMakeLists.txt").write_text("netlab_add_stage(toy)\n")
        (self.root / "tests" / "toy" / "stage.json").write_text(json.dumps({
            "title": "toy", "programs": ["server", "client"], "logic": ["logic.cpp"], "e2e": ["e2e_test.cpp"],
            "diagram": "Programs.Talk", "tests": [{"name": "Programs.Talk", "points": 1}]}))
        self.handout = self.root / "handouts" / "toy.md"
        self.handout.write_text("# toy\n\n<!-- diagram:start -->\n<!-- diagram:end -->\n\nThe end.\n")
        self.e2e = self.build / "tests" / "toy" / "toy_solution_e2e"
        self.e2e.parent.mkdir(parents=True)
        self.e2e.write_text(FAKE_E2E.format(python=sys.executable))
        self.e2e.chmod(0o755)

    def tearDown(self):
        self.folder.cleanup()

    def handouts(self, *more):
        return run_command("--handouts", "--root", self.root, "--build", self.build, *more)

    def test_draws_the_reference_run_between_the_markers(self):
        self.assertEqual(self.handouts()[0], 0)
        self.assertEqual(self.handout.read_text(), "# toy\n\n<!-- diagram:start -->\n"
                         "<!-- Drawn by tools/netlab-diagram --handouts from the run of Programs.Talk on the solution: "
                         "redraw, don't edit. -->\n```mermaid\nsequenceDiagram\n    participant server\n"
                         "    participant c1 as client 1\n    Note over c1: joins\n    c1->>server: Ping\n```\n"
                         "<!-- diagram:end -->\n\nThe end.\n")
        self.assertEqual(self.handouts("--check"), (0, "1 handout diagram(s) current\n", ""))

    def test_check_names_a_diagram_out_of_date_and_the_command_that_redraws_it(self):
        self.handouts()
        self.handout.write_text(self.handout.read_text().replace("Ping", "Pong"))
        status, _, errors = self.handouts("--check")
        self.assertEqual(status, 1)
        self.assertIn("handouts/toy.md: its diagram is not the one the reference run draws now; redraw it: "
                      f"tools/netlab-diagram --handouts --build {self.build}", errors)
        self.assertIn("Pong", self.handout.read_text(), "--check changes nothing")

    def test_a_text_that_differs_from_run_to_run_is_drawn_as_such(self):
        (self.e2e.parent / "runs").write_text("0")
        self.assertEqual(self.handouts()[0], 0)
        self.assertIn("    c1->>server: (differs from run to run)\n", self.handout.read_text())
        self.assertEqual(self.handouts("--check")[0], 0, "and it stays current")

    def test_each_missing_piece_is_named(self):
        self.handout.write_text("# toy\n")
        self.assertIn("handouts/toy.md: no place for the diagram: put the lines <!-- diagram:start --> and "
                      "<!-- diagram:end --> where it goes", self.handouts()[2])
        self.handout.write_text("<!-- diagram:start -->\n<!-- diagram:end -->\n")
        (self.e2e.parent / "fail").touch()
        self.assertIn("Programs.Talk of toy did not pass on the solution:\n[  FAILED  ] Programs.Talk",
                      self.handouts()[2])
        self.e2e.unlink()
        self.assertIn(f"{self.e2e} is not built", self.handouts()[2])


@unittest.skipUnless(os.environ.get("ECHO_SERVER"), "needs ECHO_SERVER and ECHO_CLIENT (set by ctest)")
class RealRun(unittest.TestCase):
    """The C++ recorder and this reader together, through the echo programs."""

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.env = dict(os.environ, NETLAB_RECORD_DIR=self.folder.name)
        self.server = subprocess.Popen([os.environ["ECHO_SERVER"], "--port", "0"], env=self.env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.port = listening_port(self.server)

    def tearDown(self):
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=10)
        finally:
            self.server.kill()
            self.server.wait()
            self.server.stdout.close()
            self.server.stderr.close()
            self.folder.cleanup()

    def client(self, stdin):
        done = subprocess.run([os.environ["ECHO_CLIENT"], "--port", str(self.port)], input=stdin, env=self.env,
                              capture_output=True, timeout=30)
        self.assertEqual(done.returncode, 0, done.stderr)

    def stop_server(self):
        self.server.send_signal(signal.SIGTERM)
        self.assertEqual(self.server.wait(timeout=10), 0)

    def test_three_clients_one_after_another(self):
        for text in (b"one", b"two", b"three"):
            self.client(text + b"\n")
        self.stop_server()
        expected = "participants: server (echo_server), client 1 (echo_client), client 2 (echo_client), " \
                   "client 3 (echo_client)\n"
        for n, text in enumerate(("one", "two", "three"), 1):
            expected += (f"client {n} joins\nclient {n} -> server    {text}\n"
                         f"  server -> client {n}  {text}\nclient {n} leaves\n")
        self.assertEqual(diagram.to_text(run_of(self.folder.name), times=False), expected)

    def test_every_byte_survives_the_recording(self):
        every_byte = bytes(b for b in range(1, 256) if b != ord("\n"))
        megabyte = (b"\xff\x00<svg>" * (1 << 17))[: 1 << 20]
        self.client(every_byte + b"\n" + megabyte + b"\n")
        self.stop_server()
        run = run_of(self.folder.name)
        self.assertEqual([(a.sender.name, a.payload, a.lost) for a in run.arrows], [
            ("client 1", every_byte, False), ("client 1", megabyte, False),
            ("server", every_byte, False), ("server", megabyte, False)])


def listening_port(server):
    deadline = time.monotonic() + 10
    line = b""
    while time.monotonic() < deadline and not line.endswith(b"\n"):
        if select.select([server.stdout], [], [], 0.1)[0]:
            line += os.read(server.stdout.fileno(), 1)
    match = re.search(rb"listening on 127\.0\.0\.1:(\d+)", line)
    if not match:
        raise AssertionError(f"the server did not start: {line!r}")
    return int(match.group(1))


def svg_of(page):
    return ElementTree.fromstring(page[page.index("<svg"):page.index("</svg>") + len("</svg>")])


class Tags(html.parser.HTMLParser):
    """The elements of a page: which were seen, which are still open."""
    VOID = {"meta", "br", "img", "link", "input", "hr"}

    def __init__(self):
        super().__init__()
        self.seen, self.open = set(), []

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.seen.add(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()


if __name__ == "__main__":
    unittest.main()
