#!/usr/bin/env python3
"""Checks the graded test programs (NETLAB_GRADING, cmake/stages.cmake).

    check_graded.py alike [VARIANT GRADED IN_PROCESS]...
        Each graded program gives the verdicts and failure messages of the
        same tests run in one process; every test passes on the solution
        variant and fails on the exercise (the stubs).
    check_graded.py hostile WAY GRADED HOST
        The graded program, with HOST as its logic host misbehaving in WAY
        (tests/grading/hostile_logic.cpp), fails each test with a message
        that says what happened, prints no output of the host as its own,
        and leaves no process behind.

Exit status 0 when everything checked holds, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Two tests of pingpong1, one of client logic and one of server logic.
HOSTILE_TESTS = ["ClientLogic.SendsPingAndReadsTheReply", "ServerLogic.AnswersPingWithPong"]
# What each failed test must say, for each way of misbehaving.
HOSTILE_MESSAGES = {
    "exit": "ended the program with exit status 0",
    "_Exit": "ended the program with exit status 0",
    "abort": "crashed with signal 6 (Aborted)",
    "segfault": "crashed with signal 11 (Segmentation fault)",
    "endless_loop": "did not finish within 2 s",
    "fake_test_output": "expected it to",
    "garbage_on_the_pipe": "sent something that is not the protocol",
    "lingering_children": "ended the program with exit status 0",
}
# What hostile_logic.cpp prints to pass for GoogleTest.
FAKE_LINES = ("[       OK ] ServerLogic.AnswersPingWithPong", "[  PASSED  ] 2 tests.")


def run_tests(program: str, *arguments: str, env: dict | None = None) -> tuple[int, str, dict[str, list[str]], float]:
    """Runs a GoogleTest program; returns its exit status, its stdout, each
    test's failure messages (empty when it passed), and the time it took."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        start = time.monotonic()
        finished = subprocess.run([program, f"--gtest_output=json:{report}", *arguments], capture_output=True,
                                  text=True, errors="replace", env={**os.environ, **(env or {})}, timeout=240)
        took = time.monotonic() - start
        results = {}
        if report.is_file():
            for suite in json.loads(report.read_text())["testsuites"]:
                for test in suite["testsuite"]:
                    results[f"{suite['name']}.{test['name']}"] = [f["failure"] for f in test.get("failures", [])]
    return finished.returncode, finished.stdout, results, took


def check_alike(triples: list[str]) -> list[str]:
    problems = []
    for variant, graded, in_process in zip(triples[::3], triples[1::3], triples[2::3]):
        _, _, expected, _ = run_tests(in_process)
        status, _, got, took = run_tests(graded)
        name = Path(graded).name
        print(f"{name}: {len(got)} tests in {took:.1f} s")
        if not expected:
            problems.append(f"{Path(in_process).name} reported no tests")
        for test, failures in expected.items():
            if test not in got:
                problems.append(f"{name}: {test} has no verdict")
            elif got[test] != failures:
                problems.append(f"{name}: {test} reports {got[test]}, where in one process it reports {failures}")
            elif variant == "solution" and failures:
                problems.append(f"{name}: {test} fails on the solution: {failures}")
            elif variant == "exercise" and not failures:
                problems.append(f"{name}: {test} passes on the stubs")
        if set(got) - set(expected):
            problems.append(f"{name}: tests that {Path(in_process).name} does not have: {sorted(set(got) - set(expected))}")
        if (status == 0) != (variant == "solution"):
            problems.append(f"{name} exited with status {status}")
    return problems


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def check_hostile(way: str, graded: str, host: str) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        pids = Path(folder) / "pids"
        # The wrapper sets the host's misbehaviour, as a grader's wrapper would set its limits.
        # A short deadline for the endless loop; for the others a long one, so
        # that even a loaded machine sees them end by themselves.
        env = {"NETLAB_LOGIC_HOST": host, "NETLAB_LOGIC_TIMEOUT": "2" if way == "endless_loop" else "30",
               "NETLAB_STUDENT_WRAPPER": f"env NETLAB_HOSTILE={way} NETLAB_HOSTILE_PIDS={pids}"}
        status, output, results, took = run_tests(graded, "--gtest_filter=" + ":".join(HOSTILE_TESTS), env=env)
        print(f"{way}: exit status {status} after {took:.1f} s")
        if status != 1:
            problems.append(f"the graded program exited with status {status}, not 1 (tests failed)")
        for test in HOSTILE_TESTS:
            failures = results.get(test)
            if failures is None:
                problems.append(f"{test} has no verdict")
            elif not failures:
                problems.append(f"{test} PASSED")
            elif not any(HOSTILE_MESSAGES[way] in failure for failure in failures):
                problems.append(f"{test} fails without saying {HOSTILE_MESSAGES[way]!r}: {failures}")
            else:
                print(f"  {test} fails, saying:")
                for failure in failures:
                    print("    " + failure.split("\n", 1)[-1].replace("\n", "\n    "))
        for line in output.splitlines():
            if line.startswith(FAKE_LINES):
                problems.append(f"the graded program printed the host's line as its own: {line!r}")
        for pid in (int(word) for word in (pids.read_text().split() if pids.is_file() else [])):
            if alive(pid):
                problems.append(f"process {pid}, started by the logic, outlived its test")
                os.kill(pid, signal.SIGKILL)
        if way == "lingering_children" and not pids.is_file():
            problems.append("the logic noted no children: the check checked nothing")
    return problems


def main() -> int:
    if len(sys.argv) >= 5 and sys.argv[1] == "alike" and (len(sys.argv) - 2) % 3 == 0:
        problems = check_alike(sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "hostile" and sys.argv[2] in HOSTILE_MESSAGES:
        problems = check_hostile(*sys.argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
