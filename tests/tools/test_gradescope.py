"""The Gradescope autograder zip of pingpong1 and pingpong2, run as Gradescope
runs it (ctest label release): a scratch root laid out as
/autograder/{source,submission,results} (the scripts take it from
NETLAB_AUTOGRADER), the zip unpacked into source/,
setup.sh run once, then run_autograder for a correct submission, a broken one
and a hostile one. Prints the zip's size and the times of setup.sh and of each
grading.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
RELEASE = SOURCE / "tools" / "netlab-release"
SOLUTIONS = SOURCE / "solutions"


def unzip(archive: Path, into: Path) -> None:
    """As Gradescope's unzip does: files with their modes (zipfile alone drops the executable bit)."""
    with zipfile.ZipFile(archive) as zipped:
        for info in zipped.infolist():
            zipped.extract(info, into)
            mode = info.external_attr >> 16
            if mode:
                (into / info.filename).chmod(mode & 0o777)


def stage_scores(results: dict) -> dict[str, float]:
    scores: dict[str, float] = {}
    for test in results["tests"]:
        for stage in test.get("tags", []):
            scores[stage] = scores.get(stage, 0) + test["score"]
    return scores


class Gradescope(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.TemporaryDirectory(prefix="netlab-gradescope-")
        root = Path(cls.scratch.name)
        root.chmod(0o755)  # as /autograder's parent is: the grader runs student code as another user
        cls.autograder = root / "autograder"
        archive = root / "autograder.zip"
        made = subprocess.run([sys.executable, str(RELEASE), "--gradescope", "--stages", "pingpong1,pingpong2",
                               str(archive)],
                              capture_output=True, text=True, timeout=300)
        if made.returncode != 0:
            raise AssertionError(made.stdout + made.stderr)
        print(f"figure: the autograder zip: {archive.stat().st_size / 1024:.0f} KiB")
        unzip(archive, cls.autograder / "source")
        # Gradescope copies run_autograder to /autograder before it runs it.
        shutil.copy2(cls.autograder / "source" / "run_autograder", cls.autograder / "run_autograder")
        cls.env = {"NETLAB_AUTOGRADER": str(cls.autograder), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"}
        started = time.monotonic()
        setup = subprocess.run(["bash", str(cls.autograder / "source" / "setup.sh")], cwd=cls.autograder / "source",
                               env=cls.env, capture_output=True, text=True, timeout=3600)
        if setup.returncode != 0:
            raise AssertionError(f"setup.sh failed:\n{setup.stdout[-3000:]}{setup.stderr[-3000:]}")
        print(f"figure: setup.sh: {time.monotonic() - started:.0f} s")

    @classmethod
    def tearDownClass(cls):
        cls.scratch.cleanup()

    def grade(self, files: dict[str, str | bytes]) -> dict:
        submission, results = self.autograder / "submission", self.autograder / "results"
        for folder in (submission, results):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
        for relative, content in files.items():
            path = submission / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
        started = time.monotonic()
        graded = subprocess.run([str(self.autograder / "run_autograder")], cwd=self.autograder, env=self.env,
                                capture_output=True, text=True, timeout=1800)
        print(f"figure: run_autograder, {self.id().split('.')[-1]}: {time.monotonic() - started:.0f} s")
        self.assertEqual(graded.returncode, 0, graded.stdout[-3000:] + graded.stderr[-3000:])
        return json.loads((results / "results.json").read_text())

    def solution(self, stage: str) -> dict[str, bytes]:
        """A student's finished stage, as the exercises/ tree they would zip."""
        return {f"exercises/{stage}/{path.name}": path.read_bytes() for path in (SOLUTIONS / stage).iterdir()}

    def full_marks(self, stage: str) -> float:
        manifest = json.loads((SOURCE / "tests" / stage / "stage.json").read_text())
        return sum(test["points"] for test in manifest["tests"])

    def test_a_correct_submission_gets_full_marks(self):
        results = self.grade(self.solution("pingpong1") | self.solution("pingpong2"))
        self.assertEqual(stage_scores(results), {"pingpong1": self.full_marks("pingpong1"),
                                                 "pingpong2": self.full_marks("pingpong2")})
        self.assertEqual(results["score"], self.full_marks("pingpong1") + self.full_marks("pingpong2"))

    def test_a_stage_that_does_not_compile_scores_nothing_and_the_other_is_graded(self):
        files = self.solution("pingpong1") | self.solution("pingpong2")
        broken = "exercises/pingpong1/server_logic.cpp"
        files[broken] = files[broken].replace(b"co_await server.send_message", b"co_await server.send_mesage")
        results = self.grade(files)
        self.assertEqual(stage_scores(results).get("pingpong1", 0), 0)
        self.assertEqual(stage_scores(results)["pingpong2"], self.full_marks("pingpong2"))

    def test_a_hostile_submission_gets_only_what_it_earned(self):
        # pingpong1's client logic exits with status 0 before doing anything, hoping the test
        # process reports success; its server logic is right, so those tests still score.
        files = self.solution("pingpong1")
        client = "exercises/pingpong1/client_logic.cpp"
        files[client] = files[client].replace(b"// *** start ***", b"// *** start ***\n  std::exit(0);") \
                                     .replace(b"#include <iostream>", b"#include <cstdlib>\n#include <iostream>")
        results = self.grade(files)
        pingpong1 = [test for test in results["tests"] if test.get("tags") == ["pingpong1"]]
        client_tests = [test for test in pingpong1 if "ClientLogic." in test["name"] or "Programs." in test["name"]]
        server_tests = [test for test in pingpong1 if "ServerLogic." in test["name"]]
        self.assertTrue(client_tests and server_tests)
        self.assertEqual([test["name"] for test in client_tests if test["score"] > 0], [])
        self.assertEqual([test["name"] for test in server_tests if test["score"] < test["max_score"]], [])
        self.assertEqual(stage_scores(results).get("pingpong2", 0), 0)


if __name__ == "__main__":
    unittest.main()
