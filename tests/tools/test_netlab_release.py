"""tools/netlab-release: what a student bundle and the Gradescope zip hold and
never hold, the leak check finding what was planted, and bad input.

Each test copies the kit into a scratch folder (with a hidden test added to
pingpong1, which has none of its own), releases it without building, and
looks inside. The builds are release_build_test.py's (label release).
"""

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
RELEASE = SOURCE / "tools" / "netlab-release"
KIT = ["CMakeLists.txt", "CMakePresets.json", "README.md", ".gitignore", "cmake", "netlab", "examples", "exercises",
       "solutions", "tests", "handouts", "tools"]

HIDDEN_TEST = """#include "pingpong1.hpp"
#include "stage_test.hpp"

TEST(SecretRules, AnswersPingTwice) {
  EXPECT_TRUE(true);
}
"""


def copy_kit(root: Path) -> None:
    root.mkdir()
    for name in KIT:
        source = SOURCE / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "build"))
        else:
            shutil.copy2(source, root / name)
    hidden = root / "tests" / "pingpong1" / "hidden"
    hidden.mkdir()
    (hidden / "secret_rules_test.cpp").write_text(HIDDEN_TEST)
    manifest_path = root / "tests" / "pingpong1" / "stage.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["hidden"] = {"unit": ["secret_rules_test.cpp"]}
    manifest["tests"].append({"name": "SecretRules.AnswersPingTwice", "points": 1, "visibility": "hidden"})
    manifest_path.write_text(json.dumps(manifest, indent=2))


class Release(unittest.TestCase):
    def setUp(self):
        scratch = tempfile.TemporaryDirectory()
        self.addCleanup(scratch.cleanup)
        self.scratch = Path(scratch.name)
        self.root = self.scratch / "kit"
        copy_kit(self.root)

    def release(self, *args):
        return subprocess.run([sys.executable, str(RELEASE), "--root", str(self.root), "--no-build", *args],
                              capture_output=True, text=True, timeout=120)

    def bundle(self, *args) -> Path:
        out = self.scratch / "bundle"
        result = self.release(*args, str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        return out

    def files(self, folder: Path) -> set[str]:
        return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()}

    def plant(self, relative: str, text: str) -> None:
        with open(self.root / relative, "a") as file:
            file.write(text)


class WhatABundleHolds(Release):
    def test_the_chosen_stages_stubs_tests_and_handouts(self):
        files = self.files(self.bundle("--stages", "pingpong1"))
        for name in ("exercises/pingpong1/client_logic.cpp", "exercises/pingpong1/programs/server.cpp",
                     "exercises/common/turns.hpp", "tests/pingpong1/e2e_test.cpp", "tests/stages/stage_test.hpp",
                     "handouts/pingpong1.md", "netlab/src/run.cpp", "examples/countdown_server.cpp",
                     "tools/demo", "tools/test", "README.md", "CMakePresets.json"):
            self.assertIn(name, files)
        self.assertFalse([name for name in files if "pingpong2" in name], "a stage that was not chosen")

    def test_never_solutions_hidden_tests_or_the_maintainers_part(self):
        bundle = self.bundle()
        files = self.files(bundle)
        for prefix in ("solutions/", "tests/pingpong1/hidden/", "tests/netlab/", "tests/faults/", "tests/tools/",
                       "bench/", "fuzz/", "handouts/instructor.md", "cmake/maintainers.cmake",
                       "tools/netlab-release", "tools/release/"):
            self.assertFalse([name for name in files if name.startswith(prefix)], prefix)
        manifest = json.loads((bundle / "tests/pingpong1/stage.json").read_text())
        self.assertNotIn("hidden", manifest)
        self.assertNotIn("SecretRules.AnswersPingTwice", [test["name"] for test in manifest["tests"]])
        self.assertEqual(len(manifest["tests"]), 12)

    def test_build_files_name_only_what_the_bundle_has(self):
        bundle = self.bundle("--stages", "pingpong2")
        build = (bundle / "CMakeLists.txt").read_text()
        self.assertIn("netlab_add_stage(pingpong2)", build)
        self.assertNotIn("netlab_add_stage(pingpong1)", build)
        self.assertNotIn("maintainers", build)
        presets = json.loads((bundle / "CMakePresets.json").read_text())
        self.assertEqual([preset["name"] for preset in presets["configurePresets"]], ["dev", "asan"])
        readme = (bundle / "README.md").read_text()
        self.assertIn("| pingpong2 |", readme)
        self.assertNotIn("| pingpong1 |", readme)
        self.assertIn("tools/demo\ntools/test\n", readme)

    def test_a_stage_comes_with_the_stages_it_builds_on(self):
        result = self.release("--stages", "chat", str(self.scratch / "bundle"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("chat builds on registry", result.stderr)
        self.assertIn("--stages registry,chat", result.stderr)
        files = self.files(self.bundle("--stages", "registry,chat", "--update-from", "registry"))
        self.assertIn("exercises/chat/server_logic.cpp", files)
        self.assertIn("exercises/registry/registry.hpp", files)
        self.assertNotIn("exercises/registry/registry.cpp", files, "the student's registry stays as it is")

    def test_an_update_leaves_out_the_logic_files_students_have(self):
        bundle = self.bundle("--stages", "pingpong1,pingpong2", "--update-from", "pingpong1")
        files = self.files(bundle)
        self.assertNotIn("exercises/pingpong1/client_logic.cpp", files)
        self.assertNotIn("exercises/pingpong1/server_logic.cpp", files)
        for name in ("exercises/pingpong1/pingpong1.hpp", "exercises/pingpong1/programs/client.cpp",
                     "exercises/pingpong2/client_logic.cpp", "tests/pingpong1/stage.json", "CMakeLists.txt"):
            self.assertIn(name, files)

    def test_a_tarball_unpacks_to_one_folder_with_tools_executable(self):
        out = self.scratch / "bundle.tar.gz"
        result = self.release("--stages", "pingpong1", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        with tarfile.open(out) as tar:
            members = {member.name: member for member in tar.getmembers()}
        self.assertEqual({name.split("/")[0] for name in members}, {"netlab"})
        self.assertTrue(members["netlab/tools/demo"].mode & 0o100)
        self.assertIn("netlab/exercises/pingpong1/server_logic.cpp", members)


class TheLeakCheck(Release):
    def assert_refused(self, *words, args=()):
        result = self.release(*args, str(self.scratch / "bundle"))
        self.assertEqual(result.returncode, 1, f"released despite the leak:\n{result.stdout}")
        for word in words:
            self.assertIn(word, result.stderr)
        self.assertFalse((self.scratch / "bundle").exists(), "a refused release was written anyway")

    def test_finds_a_solution_line_in_the_library(self):
        self.plant("netlab/include/netlab/server.hpp", "\n//   if (message.text == \"Ping\") {\n")
        self.assert_refused("netlab/include/netlab/server.hpp", "of solutions/pingpong1/server_logic.cpp")

    def test_finds_a_solution_line_in_a_handouts_prose(self):
        # Code a handout shows (`...`, code blocks) is taught on purpose; prose is not.
        self.plant("handouts/pingpong1.md", "\nHint: write if (message.text == \"Ping\") { and go on.\n")
        self.assert_refused("handouts/pingpong1.md", "of solutions/pingpong1/server_logic.cpp")

    def test_finds_a_later_stages_solution_in_an_earlier_stages_files(self):
        solution = (self.root / "solutions/pingpong2/server_logic.cpp").read_text()
        line = [text for text in solution.splitlines() if "players.resize" in text][0]
        self.plant("exercises/pingpong1/pingpong1.hpp", f"\n// {line.strip()}\n")
        self.assert_refused("exercises/pingpong1/pingpong1.hpp", "solutions/pingpong2/server_logic.cpp",
                            args=("--stages", "pingpong1"))

    def test_finds_a_hidden_test_name(self):
        self.plant("tests/pingpong1/e2e_test.cpp", "\n// see SecretRules.AnswersPingTwice\n")
        self.assert_refused("tests/pingpong1/e2e_test.cpp", "hidden test of pingpong1")

    def test_finds_a_hidden_file_name(self):
        self.plant("handouts/pingpong1.md", "\nThe grader also runs secret_rules_test.cpp.\n")
        self.assert_refused("handouts/pingpong1.md", "hidden test file")

    def test_a_line_the_stage_header_gives_is_no_secret(self):
        # pingpong1.hpp shows `auto reply = co_await client.receive_message();` as a call to use; the
        # solution has the same line; that alone must not stop a release.
        header = (self.root / "exercises/pingpong1/pingpong1.hpp").read_text()
        self.assertIn("auto reply = co_await client.receive_message();", header)
        self.bundle()


class TheGradescopeZip(Release):
    def test_scripts_at_the_root_the_kit_with_hidden_tests_inside_no_solutions(self):
        out = self.scratch / "autograder.zip"
        result = self.release("--gradescope", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        with zipfile.ZipFile(out) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            manifest = json.loads(archive.read("netlab/tests/pingpong1/stage.json"))
        self.assertTrue(infos["setup.sh"].external_attr >> 16 & 0o100)
        self.assertTrue(infos["run_autograder"].external_attr >> 16 & 0o100)
        for name in ("netlab/tools/netlab-grade", "netlab/tests/pingpong1/hidden/secret_rules_test.cpp",
                     "netlab/exercises/pingpong1/server_logic.cpp", "netlab/CMakeLists.txt"):
            self.assertIn(name, infos)
        self.assertIn("SecretRules.AnswersPingTwice", [test["name"] for test in manifest["tests"]])
        self.assertFalse([name for name in infos if "solutions/" in name or name.startswith("netlab/bench/")])

    def test_refuses_a_kit_whose_exercises_hold_the_solution(self):
        solution = (self.root / "solutions/pingpong1/server_logic.cpp").read_text()
        (self.root / "exercises/pingpong1/server_logic.cpp").write_text(solution)
        result = self.release("--gradescope", str(self.scratch / "autograder.zip"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("exercises/pingpong1/server_logic.cpp holds its solution, not the stub", result.stderr)


class BadInput(Release):
    def test_an_unknown_stage(self):
        result = self.release("--stages", "pingpong9", str(self.scratch / "out"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("no stage pingpong9; the stages are ", result.stderr)
        self.assertIn("pingpong1, pingpong2", result.stderr)

    def test_an_update_from_a_stage_not_released(self):
        result = self.release("--stages", "pingpong2", "--update-from", "pingpong1", str(self.scratch / "out"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("--update-from pingpong1: not among the stages of this release", result.stderr)

    def test_an_existing_output_is_kept(self):
        (self.scratch / "out").mkdir()
        (self.scratch / "out" / "mine.txt").write_text("keep me")
        result = self.release(str(self.scratch / "out"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("already exists", result.stderr)
        self.assertEqual((self.scratch / "out" / "mine.txt").read_text(), "keep me")

    def test_a_zip_is_for_gradescope(self):
        result = self.release(str(self.scratch / "out.zip"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("a .zip is --gradescope's", result.stderr)


if __name__ == "__main__":
    unittest.main()
