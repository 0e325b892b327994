"""tools/netlab-diagram's page in a real browser: Debian's chromium, headless, loads it,
and the test checks that it rendered without errors, with the arrows where the SVG says.

Exits 77 (ctest: skipped) when chromium is not installed, unless NETLAB_REQUIRE_BROWSER
is set, as CI sets it (.ci/run installs chromium). The screenshot is kept as
browser_test.png in the working directory, for a person to look at."""

import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

import netlab_diagram as diagram
from diagram_testing import Program, three_clients
from test_netlab_diagram import SVG, Tags, svg_of

CHROMIUM = shutil.which("chromium")
SCREENSHOT = os.path.abspath("browser_test.png")
ARROW = tuple(bytes.fromhex(diagram.ARROW_COLOUR[1:]))
LOST = tuple(bytes.fromhex(diagram.LOST_COLOUR[1:]))


def a_run(folder):
    """Three clients, a message that tries to end the SVG and run a script, and a lost one."""
    three_clients(folder)
    server, client1 = Program(folder, "chat_server", 100, "server"), Program(folder, "chat_client", 201, "client")
    attack = b"</text></svg><script>document.title='owned'</script>"
    client1.frame(10200, "sent", "server", attack)
    server.frame(10210, "received", "client 1", attack)
    server.frame(10300, "sent", "client 2", b"too late")  # client 2 has left
    return diagram.Run(diagram.read_recordings([folder]))


def chromium(profile, *arguments):
    """Runs headless chromium with a fresh profile and nothing fetched; returns its stdout."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}"]
    done = subprocess.run([CHROMIUM, *flags, *arguments], capture_output=True, timeout=120,
                          env=dict(os.environ, HOME=profile))
    if done.returncode != 0:
        raise AssertionError(f"chromium failed ({done.returncode}): {done.stderr.decode(errors='replace')[-2000:]}")
    return done.stdout.decode("utf-8")


def read_png(path):
    """The pixels of an 8-bit RGB or RGBA PNG (what chromium writes), as rows of (r, g, b)."""
    with open(path, "rb") as stream:
        data = stream.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, compressed = 8, b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "an unexpected kind of PNG"
        elif kind == b"IDAT":
            compressed += body
    channels = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(compressed), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - up_left
                # Paeth: the neighbour nearest the guess; ties go to left, then up.
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up),
                              (abs(guess - up_left), 2, up_left))
                line[i] = (line[i] + nearest[2]) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return rows


def near(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


class InABrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.diagram_run = a_run(cls.folder.name)
        cls.page = os.path.join(cls.folder.name, "run.html")
        with open(cls.page, "w", encoding="utf-8") as out:
            out.write(diagram.to_html(cls.diagram_run))
        with open(cls.page, encoding="utf-8") as written:
            cls.svg = svg_of(written.read())
        cls.width, cls.height = int(cls.svg.get("width")) + 100, int(cls.svg.get("height")) + 200
        cls.profile = os.path.join(cls.folder.name, "profile")

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def test_the_page_renders_as_written_and_runs_nothing(self):
        dom = chromium(self.profile + "-dom", "--dump-dom", f"file://{self.page}")
        tags = Tags()
        tags.feed(dom)
        self.assertNotIn("script", tags.seen, "the attack stayed text")
        self.assertIn("<title>netlab run</title>", dom, "no script changed the page")
        self.assertEqual(dom.count('<g class="message'), len(self.diagram_run.arrows))
        self.assertIn("&lt;/text&gt;&lt;/svg&gt;&lt;script&gt;", dom)

    def test_the_arrows_are_where_the_svg_says(self):
        chromium(self.profile + "-shot", f"--window-size={self.width},{self.height}", f"--screenshot={SCREENSHOT}",
                 f"file://{self.page}")
        pixels = read_png(SCREENSHOT)
        print(f"\nscreenshot: {SCREENSHOT}", file=sys.stderr)
        arrows = []  # (x1, x2, y, head's points, group) as the SVG draws them
        for group in self.svg.iter(f"{SVG}g"):
            if group.get("class", "").startswith("message"):
                line, head = group.find(f"{SVG}line"), group.find(f"{SVG}polygon")
                points = [] if head is None else [tuple(map(int, point.split(",")))
                                                  for point in head.get("points").split()]
                arrows.append((int(line.get("x1")), int(line.get("x2")), int(line.get("y1")), points, group))
        drawn = [arrow for arrow in arrows if arrow[3]]
        self.assertEqual(len(drawn), len(self.diagram_run.arrows) - 1)

        # Where the SVG is on the page depends on fonts: the blue in the screenshot and
        # the blue the SVG draws must have the same extent, which gives the offset
        # (the middle of the two, as antialiasing pales the heads' corners on both sides).
        blue = [(x, y) for y, row in enumerate(pixels) for x, pixel in enumerate(row) if near(pixel, ARROW, 20)]
        self.assertTrue(blue, "no arrow colour anywhere on the screenshot")
        xs = [x for x1, x2, _, points, _ in drawn for x in (x1, x2, *(px for px, _ in points))]
        ys = [py for *_, points, _ in drawn for _, py in points]
        seen_xs, seen_ys = [x for x, _ in blue], [y for _, y in blue]
        self.assertAlmostEqual(max(seen_xs) - min(seen_xs), max(xs) - min(xs), delta=4)
        self.assertAlmostEqual(max(seen_ys) - min(seen_ys), max(ys) - min(ys), delta=4)
        dx = round((min(seen_xs) + max(seen_xs) - min(xs) - max(xs)) / 2)
        dy = round((min(seen_ys) + max(seen_ys) - min(ys) - max(ys)) / 2)

        for x1, x2, y, points, _ in drawn:
            direction = 1 if x2 > x1 else -1
            for fraction in (0.1, 0.5, 0.9):
                x = round(x1 + (x2 - x1) * fraction)
                self.assertTrue(near(pixels[y + dy][x + dx], ARROW), f"arrow at y={y} has no line at x={x}")
                self.assertFalse(near(pixels[y + dy - 18][x + dx], ARROW), f"blue above the arrow at y={y}")
            head_x = sum(px for px, _ in points) // 3
            self.assertTrue(near(pixels[y + dy - 2][head_x + dx], ARROW), f"no head at x={head_x}, y={y}")
            self.assertFalse(near(pixels[y + dy - 3][x1 + direction * 3 + dx], ARROW), f"a head at the tail, y={y}")
            dark = [p for x in range(min(x1, x2), max(x1, x2)) for p in [pixels[y + dy - 10][x + dx]] if sum(p) < 200]
            self.assertTrue(dark, f"no label over the arrow at y={y}")

        (x1, x2, y, _, _), = [arrow for arrow in arrows if not arrow[3]]
        self.assertTrue(near(pixels[y + dy][x1 + (x2 - x1) // 2 + dx], LOST), "the lost message is drawn in red")


if __name__ == "__main__":
    if CHROMIUM is None:
        if os.environ.get("NETLAB_REQUIRE_BROWSER"):
            sys.exit("browser_test: chromium is not installed: bash tools/deps.sh chromium")
        print("browser_test: skipped: chromium is not installed (bash tools/deps.sh chromium)")
        sys.exit(77)
    unittest.main()
