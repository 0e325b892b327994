"""Releases of this kit, built as students get them (ctest label release; minutes, so
CI runs them as a step of their own):

- LeakCheck: the bundle of pingpong1 and pingpong2 passes the leak check
  (which searches it for every stage's solution lines and hidden names), and
  builds and tests alone in a fresh folder with its README's two commands.
- StageByStage: a student finishes pingpong1 in the bundle of pingpong1, then
  takes pingpong2 the way the student README says (an update unpacked over
  their copy): their logic files are intact and still pass, and pingpong2 is
  there and builds.
"""

import filecmp
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
RELEASE = SOURCE / "tools" / "netlab-release"


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=1800)


class Scratch(unittest.TestCase):
    def setUp(self):
        scratch = tempfile.TemporaryDirectory(prefix="netlab-release-")
        self.addCleanup(scratch.cleanup)
        self.scratch = Path(scratch.name)

    def release(self, *args) -> str:
        result = run([sys.executable, str(RELEASE), *args], SOURCE)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def succeeds(self, command: list[str], cwd: Path) -> str:
        result = run(command, cwd)
        self.assertEqual(result.returncode, 0, f"{' '.join(command)}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return result.stdout


class LeakCheck(Scratch):
    def test_a_bundle_builds_and_tests_alone_without_leaks(self):
        said = self.release("--stages", "pingpong1,pingpong2", str(self.scratch / "netlab.tar.gz"))
        print(said)
        self.assertIn("no solution line, no hidden test", said)
        self.assertIn("`tools/test`", said)
        self.assertRegex(said, r"\d+ public stage tests built, none hidden")


class StageByStage(Scratch):
    def test_a_finished_stage_survives_the_next_release(self):
        student = self.scratch / "student"
        student.mkdir()
        self.release("--no-build", "--stages", "pingpong1", str(self.scratch / "pingpong1.tar.gz"))
        self.succeeds(["tar", "-xzf", str(self.scratch / "pingpong1.tar.gz"), "--strip-components=1", "-C",
                       str(student)], self.scratch)

        # The student finishes pingpong1: the reference logic stands for their work.
        logic = ["client_logic.cpp", "server_logic.cpp"]
        for name in logic:
            (student / "exercises/pingpong1" / name).write_bytes((SOURCE / "solutions/pingpong1" / name).read_bytes())
        self.succeeds(["cmake", "--preset", "dev"], student)
        self.succeeds(["cmake", "--build", "--preset", "dev", "--target", "check_pingpong1"], student)

        # The next stage, taken as the student README says.
        self.release("--no-build", "--stages", "pingpong1,pingpong2", "--update-from", "pingpong1",
                     str(self.scratch / "update.tar.gz"))
        readme = (student / "README.md").read_text()
        self.assertIn("tar -xzf netlab-update.tar.gz --strip-components=1 -C path/to/your/netlab", readme)
        self.succeeds(["tar", "-xzf", str(self.scratch / "update.tar.gz"), "--strip-components=1", "-C",
                       str(student)], self.scratch)

        for name in logic:
            self.assertTrue(filecmp.cmp(student / "exercises/pingpong1" / name, SOURCE / "solutions/pingpong1" / name,
                                        shallow=False), f"the update changed the student's {name}")
        self.assertTrue((student / "exercises/pingpong2/server_logic.cpp").is_file())
        self.assertIn("| pingpong2 |", (student / "README.md").read_text())
        self.succeeds(["cmake", "--build", "--preset", "dev"], student)
        self.succeeds(["cmake", "--build", "--preset", "dev", "--target", "check_pingpong1"], student)
        listing = self.succeeds(["ctest", "--test-dir", "build/dev", "-N", "-L", "^pingpong2$"], student)
        self.assertIn("pingpong2.exercise.ServerLogic.ForwardsPingToTheOtherClient", listing)


if __name__ == "__main__":
    unittest.main()
