"""The student's check of one stage (tools/check <stage>): builds the stage's
programs and tests from the student's files, runs the tests, and prints a
checklist in the manner of CS50's check50:

    :) client logic: sends Ping and reads the reply
    :( server logic: answers Ping with Pong
        server_logic was given "Ping" from client 1 and sent nothing;
        expected it to send "Pong" to client 1
    ...
    7 of 12 checks pass. Start with the first :( above: server logic: answers Ping with Pong

A compile error is shown as one, the first diagnostic in the student's own
files first; the tests then do not run at all, so no test program left from
an earlier build can answer for the current code. The exit status is 0 only
when every check passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netlab_diagram  # noqa: E402
import netlab_stages  # noqa: E402
from netlab_stages import ManifestError, Stage  # noqa: E402

PRESET = "dev"
# Seconds a test may run when its manifest gives no time limit: ctest's own
# limit, above the limits the manifests and cmake/stages.cmake set.
CTEST_TIMEOUT = 60

_ERROR = re.compile(r"^(?P<file>[^:\s][^:]*):\d+:(?:\d+:)? (?:fatal error|error): ")
# Where the diagnostic shown ends: the next one (its notes belong to it).
_NEXT_DIAGNOSTIC = re.compile(r"^[^:\s][^:]*:(\d+:(\d+:)? (fatal error|error|warning):| In )")
_NINJA_NOISE = re.compile(r"^(\[\d+/\d+\] |FAILED: |ninja: |In file included from |\s*from )")
_FAILURE = re.compile(r"^.*: Failure$")  # "file.cpp:12: Failure", "unknown file: Failure"
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@dataclass
class Result:
    """One test's outcome, as ctest reported it."""

    name: str  # Suite.Test
    passed: bool
    message: str  # what the test said when it failed: the teaching message
    timed_out: bool = False
    diagram: str | None = None  # a failed end-to-end test's conversation, drawn: a page to open


def words(name: str, proper: set[str]) -> str:
    """'ClientLogic.SendsPingAndReadsTheReply' -> 'client logic: sends Ping and reads the reply'.
    Words in `proper` (the protocol's own words, such as Ping) keep their capital."""
    def spell(part: str) -> str:
        return " ".join(word if word in proper else word.lower() for word in _WORD.findall(part))

    suite, _, test = name.partition(".")
    return f"{spell(suite)}: {spell(test)}"


def protocol_words(stage: Stage) -> set[str]:
    """The words the stage header writes in double quotes ("Ping"): spelled as they are."""
    header = stage.exercise_dir / f"{stage.name}.hpp"
    text = header.read_text() if header.exists() else ""
    return set(re.findall(r'"([A-Z][A-Za-z]*)"', text))


def first_compile_error(output: str, student_files: list[Path], build_dir: Path, root: Path) -> tuple[str, int]:
    """The diagnostic to show for a failed build, and how many errors there
    were in all. The first error in the student's files comes first (with
    the lines and notes under it); else the first error anywhere. Paths,
    which the compiler writes from the build directory, are shown from `root`."""
    lines = output.splitlines()
    student = {path.resolve() for path in student_files}
    errors = [i for i, line in enumerate(lines) if _ERROR.match(line)]

    def path_of(i: int) -> Path:
        return (build_dir / _ERROR.match(lines[i]).group("file")).resolve()

    chosen = next((i for i in errors if path_of(i) in student), errors[0] if errors else None)
    if chosen is None:  # no compiler diagnostic: a link error, or cmake's own
        shown = [line for line in lines if line.strip() and not _NINJA_NOISE.match(line)]
        return "\n".join(shown[:20]), 0
    path = path_of(chosen)
    shown_path = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    block = [shown_path + lines[chosen][len(_ERROR.match(lines[chosen]).group("file")):]]
    for line in lines[chosen + 1:]:
        if _NEXT_DIAGNOSTIC.match(line) or _NINJA_NOISE.match(line) or len(block) == 12:
            break
        block.append(line)
    return "\n".join(block), len(errors)


def failure_message(output: str) -> str:
    """The teaching message in a failed test's output: what GoogleTest
    printed under each "file:line: Failure", without that line."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    for line in output.splitlines():
        if _FAILURE.match(line):
            current = []
            blocks.append(current)
        elif line.startswith("[ ") or line.startswith("[="):
            current = None
        elif current is not None and line != "Failed":
            current.append(line)
    if not blocks:  # no failed expectation: the test program crashed, and its crash report says how
        return "\n".join(line for line in output.splitlines()
                         if line.strip() and not line.startswith(("[", "Running main()", "Note: Google Test")))
    messages = ["\n".join(block).strip() for block in blocks]
    # A rule checked in a loop fails the same way each time: once is enough.
    return "\n".join(dict.fromkeys(message for message in messages if message))


def parse_junit(path: Path, stage: str) -> list[Result]:
    """ctest's JUnit file: one Result per test of the stage's exercise."""
    prefix = f"{stage}.exercise."
    results = []
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        name = case.get("name", "")
        if not name.startswith(prefix):
            continue
        status = case.get("status", "")
        output = "".join(node.text or "" for node in case.iter("system-out"))
        failure = case.find("failure")
        passed = status == "run" and failure is None
        timed_out = "Timeout" in (failure.get("message", "") if failure is not None else "") or "***Timeout" in output
        results.append(Result(name[len(prefix):], passed, "" if passed else failure_message(output), timed_out))
    return results


def order(results: list[Result], stage: Stage) -> list[Result]:
    """The manifest's order (unit tests, then end-to-end), tests it does not list last."""
    rank = {test.name: i for i, test in enumerate(stage.tests)}
    return sorted(results, key=lambda result: rank.get(result.name, len(rank)))


def indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line if line.strip() else "" for line in text.splitlines())


def checklist(results: list[Result], stage: Stage, time_limits: dict[str, float]) -> tuple[str, bool]:
    """The checklist printed for `results`, and whether every check passed."""
    proper = protocol_words(stage)
    lines = []
    failed = []
    for result in order(results, stage):
        title = words(result.name, proper)
        if result.passed:
            lines.append(f":) {title}")
            continue
        failed.append(title)
        lines.append(f":( {title}")
        if result.timed_out:
            limit = time_limits.get(result.name)
            lines.append(indent(f"took too long: stopped after {limit:g} s (timed out)" if limit
                                else "took too long: stopped (timed out)"))
        if result.message:
            lines.append(indent(result.message))
        elif not result.timed_out:
            lines.append(indent("failed without a message (it crashed? see `ctest --test-dir build/dev "
                                f"-R {stage.name}.exercise.{result.name} --output-on-failure`)"))
        if result.diagram:
            lines.append(indent(f"the conversation, as it happened: open {result.diagram} in a browser"))
    passed = len(results) - len(failed)
    lines.append("")
    summary = f"{passed} of {len(results)} checks pass."
    if failed:
        summary += f" Start with the first :( above: {failed[0]}"
    lines.append(summary)
    return "\n".join(lines), not failed


def run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)


def draw_conversation(folder: Path, root: Path) -> str | None:
    """The page drawing what a test's programs recorded (relative to root), or None
    when they recorded nothing (a unit test) or it cannot be drawn."""
    if not any(folder.glob("*.jsonl")):
        return None
    try:
        conversation = netlab_diagram.Run(netlab_diagram.read_recordings([folder]))
    except netlab_diagram.RecordingError:
        return None
    page = folder.parent / f"{folder.name}.html"
    page.write_text(netlab_diagram.to_html(conversation, title=f"the conversation of {folder.name}"), encoding="utf-8")
    return str(page.relative_to(root))


def first_build_note(stage: Stage, kinds: list[str], build_dir: Path) -> str:
    """A word before a build that takes minutes, so that the wait does not look like a hang: the first
    build compiles the netlab library and the test helpers, the first check of a stage its tests."""
    later = "later checks rebuild only what you changed"
    if not (build_dir / "tests" / "stages" / "libnetlab_stage_testing.a").exists():
        return f"The first build compiles the netlab library and the tests too: several minutes, once; {later}."
    tests = [build_dir / "tests" / stage.name / f"{stage.name}_exercise_{kind}" for kind in kinds]
    if not all(test.exists() for test in tests):
        return f"The first check of {stage.name} compiles its tests too: a minute or more; {later}."
    return ""


def check(stage: Stage, root: Path) -> int:
    build_dir = root / "build" / PRESET
    if not (build_dir / "CMakeCache.txt").exists():
        print(f"Configuring the build (once): cmake --preset {PRESET}")
        configured = run(["cmake", "--preset", PRESET], root)
        if configured.returncode != 0:
            print(configured.stdout)
            print(f":( the build could not be configured (cmake --preset {PRESET}, above)")
            return 1

    kinds = [kind for kind in netlab_stages.TEST_KINDS if stage.test_files.get(kind)]
    targets = [f"{stage.name}_{role}" for role in stage.programs] + [f"{stage.name}_exercise_{kind}" for kind in kinds]
    print(f"Checking {stage.name}: building your files in exercises/{stage.name}/ ...", flush=True)
    if note := first_build_note(stage, kinds, build_dir):
        print(indent(note), flush=True)
    built = run(["cmake", "--build", "--preset", PRESET, "--target", *targets], root)
    if built.returncode != 0:
        student_files = [stage.exercise_dir / name for name in stage.logic]
        diagnostic, count = first_compile_error(built.stdout, student_files, build_dir, root)
        print(":( your code compiles")
        print(indent(diagnostic))
        if count > 1:
            print(indent(f"({count - 1} more error(s) after this one; fix this one first, then build again)"))
        print()
        print(f"0 of {len(stage.tests)} checks ran: the tests run once the code compiles.")
        return 1

    # The programs of each end-to-end test record their conversation here, a
    # folder per test (tests/stages/main.cpp); a failed one is drawn below.
    recordings = build_dir / "recordings" / stage.name
    shutil.rmtree(recordings, ignore_errors=True)
    recordings.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        junit = Path(scratch) / "results.xml"
        ran = run(["ctest", "--test-dir", str(build_dir), "-L", f"^{stage.name}$", "-L", "^exercise$",
                   "--timeout", str(CTEST_TIMEOUT), "-j", str(os.cpu_count() or 1), "--output-junit", str(junit)],
                  root, env=dict(os.environ, NETLAB_RECORD_DIR=str(recordings)))
        if not junit.exists():
            print(ran.stdout)
            print(":( the tests could not be run (ctest, above)")
            return 1
        results = parse_junit(junit, stage.name)
    if not results:
        print(f":( no tests of {stage.name} were found in build/{PRESET}: run `cmake --preset {PRESET}`, then check again")
        return 1
    for result in results:
        if not result.passed:
            result.diagram = draw_conversation(recordings / result.name, root)
    limits = {test.name: test.time_limit for test in stage.tests if test.time_limit}
    text, all_passed = checklist(results, stage, limits)
    print(text)
    return 0 if all_passed else 1


def main(argv: list[str]) -> int:
    root = netlab_stages.ROOT
    stages = netlab_stages.declared_stages(root)
    if len(argv) != 1 or argv[0] not in stages:
        print("usage: tools/check STAGE", file=sys.stderr)
        print(f"  where STAGE is one of: {', '.join(stages)}", file=sys.stderr)
        return 2
    try:
        stage = netlab_stages.load_stage(argv[0], root)
    except ManifestError as error:
        print(f"tools/check: {error}", file=sys.stderr)
        return 2
    return check(stage, root)
