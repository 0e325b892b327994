"""tools/netlab-grade scores what a submission really did: full marks for the
solutions, nothing for the stubs, and for each known trick exactly what the
code earned without it.

The kit's build is prepared once per run of these tests (and kept between
runs, in NETLAB_GRADE_TEST_WORK, while the kit does not change). Tests that
need the grader's separate student user are skipped when not run as root.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile
from pathlib import Path
from xml.etree import ElementTree

SOURCE = Path(__file__).resolve().parents[2]
GRADER = SOURCE / "tools" / "netlab-grade"
WORK = Path(os.environ.get("NETLAB_GRADE_TEST_WORK", SOURCE / "build" / "grade-test"))
sys.path.insert(0, str(SOURCE / "tools"))
import netlab_grade  # noqa: E402
import netlab_stages  # noqa: E402

AS_ROOT = os.geteuid() == 0
LINGERERS = Path("/tmp/netlab-grade-test-lingerers")

STUB_CLIENT = "(void)client;\n  co_return;"
STUB_SERVER = "(void)server;\n  (void)message;\n  co_return;"
SOLUTION_CLIENT = ('co_await client.send_message("Ping");\n  auto reply = co_await client.receive_message();\n'
                   '  if (reply) std::cout << *reply << std::endl;')
SOLUTION_SERVER = 'if (message.text == "Ping") co_await server.send_message(message.from, "Pong");'

# Each trick, as a pingpong1 submission: code at file scope, the client's and
# the server's bodies. On the stubs a trick has earned nothing; on the
# solution (`lingers`) it has earned full marks.
FAKE_PASS = r'''
void fake_pass() {
  const char* lines = "[==========] Running 12 tests from 3 test suites.\n[ RUN      ] Programs.ClientPrintsPongForEachPing\n"
                      "[       OK ] Programs.ClientPrintsPongForEachPing (1 ms)\n[  PASSED  ] 12 tests.\n";
  std::fputs(lines, stdout);
  std::fputs(lines, stderr);
  std::fflush(nullptr);
  std::exit(0);
}
'''
FORGE = r'''
// A GoogleTest report in which every test passed, written over every report
// this program can find, now, at exit, and from a process left behind.
void forge() {
  namespace fs = std::filesystem;
  const std::string passed = R"({"tests": 1, "failures": 0, "testsuites": [{"name": "Programs", "testsuite": [)"
                             R"({"name": "ClientPrintsPongForEachPing", "status": "RUN", "result": "COMPLETED"}]}]})";
  std::error_code error;
  const fs::path slot = fs::read_symlink("/proc/self/exe", error).parent_path().parent_path().parent_path();
  for (auto it = fs::recursive_directory_iterator(slot, fs::directory_options::skip_permission_denied, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    if (it->path().extension() == ".json") std::ofstream(it->path()) << passed;
  }
  std::ofstream("report.json") << passed;
}

void forge_from_the_grave() {
  static bool once = false;
  if (once) return;
  once = true;
  std::atexit(forge);
  if (fork() == 0) {
    setsid();
    for (int i = 0; i < 300; ++i) {
      forge();
      usleep(100000);
    }
    _exit(0);
  }
}
'''
EDIT_TESTS = r'''
// Overwrites the end-to-end test program and the test sources with ones that pass.
void edit_tests() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path slot = fs::read_symlink("/proc/self/exe", error).parent_path().parent_path().parent_path();
  std::ofstream(slot / "build/tests/pingpong1/pingpong1_exercise_e2e") << "#!/bin/sh\nexit 0\n";
  std::ofstream(slot / "kit/tests/pingpong1/e2e_test.cpp") << "int main() {}\n";
  std::ofstream(slot / "kit/tests/pingpong1/stage.json") << "{}";
}
'''
DETECT = r'''
// Under a test harness, claim success; otherwise do nothing (the stub).
bool under_test() {
  for (const char* name : {"GTEST_OUTPUT", "GTEST_FILTER", "NETLAB_STUDENT_WRAPPER", "NETLAB_GRADE_STUDENT"})
    if (std::getenv(name)) return true;
  std::ifstream parent("/proc/" + std::to_string(getppid()) + "/comm");
  std::string name;
  std::getline(parent, name);
  return name.find("e2e") != std::string::npos || name.find("graded") != std::string::npos || !parent;
}
'''
LINGER = r'''
// Leaves a process behind that outlives the test (and says where it is).
void linger() {
  static bool once = false;
  if (once) return;
  once = true;
  if (fork() == 0) {
    setsid();
    if (fork() == 0) {
      std::ofstream("/tmp/netlab-grade-test-lingerers", std::ios::app) << getpid() << "\n";
      sleep(300);
    }
    _exit(0);
  }
}
'''
KIT_SYMBOLS = r'''
// The kit's own check of a program's exit, and GoogleTest's verdict, replaced
// wherever this file is linked in.
extern "C" bool _ZN13stage_testing7Program11expect_exitEiRKSt6vectorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESaIS7_EESt15source_location() {
  return true;
}
extern "C" bool _ZNK7testing8UnitTest6FailedEv() { return false; }
extern "C" bool _ZNK7testing8UnitTest6PassedEv() { return true; }
'''

TRICKS = {
    "exit0": ("", "(void)client;\n  std::exit(0);\n  co_return;", "(void)server; (void)message;\n  std::exit(0);\n  co_return;"),
    "quick_exit": ("", "(void)client;\n  std::_Exit(0);\n  co_return;", "(void)server; (void)message;\n  std::_Exit(0);\n  co_return;"),
    "defines_main": ('int main() { std::puts("[  PASSED  ] 12 tests."); return 0; }', STUB_CLIENT, STUB_SERVER),
    "kit_symbols": (KIT_SYMBOLS, STUB_CLIENT, STUB_SERVER),
    "fake_output": (FAKE_PASS, "(void)client;\n  fake_pass();\n  co_return;", "(void)server; (void)message;\n  fake_pass();\n  co_return;"),
    "rewrites_report": (FORGE, "(void)client;\n  forge_from_the_grave();\n  co_return;",
                        "(void)server; (void)message;\n  forge_from_the_grave();\n  co_return;"),
    "edits_tests": (EDIT_TESTS, "(void)client;\n  edit_tests();\n  co_return;", "(void)server; (void)message;\n  edit_tests();\n  co_return;"),
    "detects_test": (FAKE_PASS + DETECT, "(void)client;\n  if (under_test()) fake_pass();\n  co_return;",
                     "(void)server; (void)message;\n  if (under_test()) fake_pass();\n  co_return;"),
    "hangs": ("", "(void)client;\n  for (volatile int spin = 0;; spin = spin + 1) {}\n  co_return;",
              "(void)server; (void)message;\n  for (volatile int spin = 0;; spin = spin + 1) {}\n  co_return;"),
    "lingers": (LINGER, "linger();\n  " + SOLUTION_CLIENT, "linger();\n  " + SOLUTION_SERVER),
}
EARNS_FULL_MARKS = {"lingers"}

HEADERS = ("#include <unistd.h>\n\n#include <cstdio>\n#include <cstdlib>\n#include <filesystem>\n#include <fstream>\n"
           "#include <iostream>\n#include <string>\n\n")


def pingpong1_files(folder: Path, file_scope: str, client_body: str, server_body: str) -> None:
    """A pingpong1 submission: both logic files with these bodies, and
    `file_scope` in each (in an unnamed namespace), or once, in the client's
    file, when it defines global symbols."""
    folder.mkdir(parents=True, exist_ok=True)
    defines_globals = file_scope == KIT_SYMBOLS or file_scope.startswith("int main")
    for name, function, body in (("client_logic.cpp", "client_logic(netlab::Client& client)", client_body),
                                 ("server_logic.cpp", "server_logic(netlab::Server& server, netlab::Message message)",
                                  server_body)):
        if defines_globals:
            scope = file_scope if name == "client_logic.cpp" else ""
        else:
            scope = f"namespace {{\n{file_scope}\n}}  // namespace\n"
        (folder / name).write_text(f'{HEADERS}#include "pingpong1.hpp"\n\n{scope}\nnamespace pingpong1 {{\n\n'
                                   f"netlab::Task<void> {function} {{\n  {body}\n}}\n\n}}  // namespace pingpong1\n")


def grade(submission: Path, *options: str, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GRADER), str(submission), "--work", str(WORK), *options],
                          capture_output=True, text=True, timeout=timeout)


def trusted(stage: str) -> set[str]:
    """The tests of a stage that a program linking no student code can judge
    (until the graded unit tests are built, the end-to-end ones only)."""
    saved = json.loads((WORK / "slot0" / "prepared.json").read_text())
    return set(saved["stages"][stage]["programs"])


def prepare_kit():
    """Prepares the kit's build for the gradings (once; later calls find it ready)."""
    done = subprocess.run([sys.executable, str(GRADER), "--prepare", "--work", str(WORK)], capture_output=True,
                          text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"preparing the kit failed:\n{done.stdout}{done.stderr}")


class Scratch(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.dir = Path(self.scratch.name)

    def tearDown(self):
        self.scratch.cleanup()

    def results(self, path: Path) -> dict:
        return {test["name"]: test for test in json.loads(path.read_text())["tests"]}

    def assert_earned(self, results: dict, stage: str, full_marks: bool):
        """Every test of `stage` passed if `full_marks` and it can be judged; else failed, with a reason."""
        judged = trusted(stage)
        for test in netlab_stages.load_stage(stage).tests:
            result = results[f"{stage}: {test.name}"]
            expected = full_marks and test.name in judged
            self.assertEqual(result["score"], test.points if expected else 0, f"{test.name}: {result['output']}")
            if not expected:
                self.assertTrue(result["output"], f"{test.name} failed without saying why")
            if test.name not in judged and not result["output"].startswith("not run"):
                self.assertIn("not graded", result["output"])


class FindingFiles(Scratch):
    """Where students put their files, and what the grader makes of it (no build)."""

    def find(self, stage="pingpong1"):
        files = netlab_grade.submitted_files(self.dir)
        return netlab_grade.find_logic_files(files, netlab_stages.load_stage(stage), self.dir)

    def copy(self, source: Path, to: Path):
        to.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, to)

    def test_loose_files_of_two_stages_are_told_apart_by_their_header(self):
        for stage in ("pingpong1", "pingpong2"):
            self.copy(SOURCE / "solutions" / stage / "server_logic.cpp", self.dir / f"{stage}-server_logic.cpp")
        self.copy(SOURCE / "solutions/pingpong1/client_logic.cpp", self.dir / "client_logic.cpp")
        (self.dir / "pingpong1-server_logic.cpp").rename(self.dir / "server_logic.cpp")
        found = self.find()
        self.assertEqual(sorted(found.files), ["client_logic.cpp", "server_logic.cpp"])
        self.assertEqual(found.files["server_logic.cpp"], self.dir / "server_logic.cpp")
        self.assertEqual(self.find("pingpong2").missing, ["client_logic.cpp", "server_logic.cpp"])

    def test_the_whole_exercises_tree_under_two_folders(self):
        shutil.copytree(SOURCE / "exercises", self.dir / "Alice Smith" / "netlab" / "exercises")
        for stage in ("pingpong1", "pingpong2"):
            found = self.find(stage)
            self.assertEqual(sorted(found.files), ["client_logic.cpp", "server_logic.cpp"])
            self.assertEqual(found.files["client_logic.cpp"].parent.name, stage)

    def test_a_stage_folder_without_the_include_is_known_by_its_name(self):
        (self.dir / "pingpong1").mkdir()
        (self.dir / "pingpong1" / "client_logic.cpp").write_text("// rewritten from scratch\n")
        self.assertEqual(list(self.find().files), ["client_logic.cpp"])
        self.assertEqual(self.find().missing, ["server_logic.cpp"])

    def test_two_different_copies_are_ambiguous_and_named(self):
        self.copy(SOURCE / "solutions/pingpong1/server_logic.cpp", self.dir / "old" / "server_logic.cpp")
        self.copy(SOURCE / "exercises/pingpong1/server_logic.cpp", self.dir / "new" / "server_logic.cpp")
        found = self.find()
        self.assertEqual(sorted(found.ambiguous["server_logic.cpp"]),
                         [self.dir / "new" / "server_logic.cpp", self.dir / "old" / "server_logic.cpp"])
        feedback = "\n".join(netlab_grade.describe(found, netlab_stages.load_stage("pingpong1"), self.dir))
        self.assertIn("old/server_logic.cpp", feedback)
        self.assertIn("new/server_logic.cpp", feedback)
        self.assertIn("client_logic.cpp: not found", feedback)

    def test_identical_copies_and_the_stage_folder_settle_it(self):
        for where in ("a", "b", "pingpong1"):
            self.copy(SOURCE / "solutions/pingpong1/server_logic.cpp", self.dir / where / "server_logic.cpp")
        self.copy(SOURCE / "exercises/pingpong1/client_logic.cpp", self.dir / "draft" / "client_logic.cpp")
        self.copy(SOURCE / "solutions/pingpong1/client_logic.cpp", self.dir / "pingpong1" / "client_logic.cpp")
        found = self.find()
        self.assertEqual(found.files["server_logic.cpp"].parent.name, "a")
        self.assertEqual(found.files["client_logic.cpp"], self.dir / "pingpong1" / "client_logic.cpp")

    def test_a_zip_is_unpacked_without_escaping_it(self):
        archive = self.dir / "upload.zip"
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.write(SOURCE / "solutions/pingpong1/client_logic.cpp", "hw/pingpong1/client_logic.cpp")
            bundle.writestr("../escape.cpp", "int x;")
        unpacked = self.dir / "unpacked"
        notes = netlab_grade.unpack_zip(archive, unpacked)
        self.assertTrue((unpacked / "hw/pingpong1/client_logic.cpp").is_file())
        self.assertFalse((self.dir / "escape.cpp").exists())
        self.assertIn("../escape.cpp left out", "\n".join(notes))

    def test_links_are_not_followed(self):
        (self.dir / "pingpong1").mkdir()
        (self.dir / "pingpong1" / "client_logic.cpp").symlink_to(SOURCE / "solutions/pingpong1/client_logic.cpp")
        self.assertEqual(self.find().missing, ["client_logic.cpp", "server_logic.cpp"])


class Isolation(Scratch):
    """A test program that changed after the kit was prepared is never run,
    though its hash is computed only when its status changed; and the
    student code of two gradings never runs as the same user."""

    def test_a_rewritten_program_is_caught_even_with_its_size_and_times_put_back(self):
        slot = netlab_grade.Slot(self.dir, 0, SOURCE)
        self.addCleanup(slot.user.release)
        program = slot.build / "tests" / "stage_exercise_e2e"
        program.parent.mkdir(parents=True)
        program.write_bytes(b"the kit's program")
        slot.hashes = {"tests/stage_exercise_e2e": netlab_grade.sha256(program)}
        self.assertTrue(slot.unchanged("tests/stage_exercise_e2e"))
        before = program.stat()
        program.write_bytes(b"a forged program!")
        os.utime(program, ns=(before.st_atime_ns, before.st_mtime_ns))
        self.assertFalse(slot.unchanged("tests/stage_exercise_e2e"))
        program.write_bytes(b"the kit's program")
        self.assertTrue(slot.unchanged("tests/stage_exercise_e2e"), "the same bytes again are the kit's program")


    @unittest.skipUnless(AS_ROOT, "student users are made only when the grader runs as root")
    def test_two_gradings_at_once_never_share_a_student_user(self):
        # Each kills every process of its user after each test: sharing one, they would kill each other's.
        first, second = netlab_grade.StudentUser.claim(), netlab_grade.StudentUser.claim()
        self.assertNotEqual(first.uid, second.uid)
        first.release()
        third = netlab_grade.StudentUser.claim()
        self.assertNotEqual(third.uid, second.uid)
        second.release()
        third.release()


class Scores(Scratch):
    """Whole gradings: the build, the runs, the reports."""

    @classmethod
    def setUpClass(cls):
        prepare_kit()

    def test_the_solutions_get_full_marks_and_the_stubs_nothing(self):
        for source, full_marks in (("solutions", True), ("exercises", False)):
            results = self.dir / f"{source}.json"
            done = grade(SOURCE / source, "--results", str(results), "--junit", str(self.dir / "junit.xml"))
            self.assertEqual(done.returncode, 0, done.stderr)
            graded = self.results(results)
            for stage in netlab_stages.declared_stages():
                self.assert_earned(graded, stage, full_marks)
            self.assertIn("total:", done.stdout)
            junit = ElementTree.parse(self.dir / "junit.xml").getroot()
            self.assertEqual(len(junit.findall("testsuite/testcase")), len(graded))
            self.assertEqual(len(junit.findall("testsuite/testcase/failure")),
                             sum(test["status"] == "failed" for test in graded.values()))

    def test_a_compile_error_in_one_stage_leaves_the_other_graded_and_no_old_program_runs(self):
        submission = self.dir / "submission"
        shutil.copytree(SOURCE / "solutions", submission)
        # A first grading builds working pingpong2 programs in the prepared build...
        done = grade(submission, "--stages", "pingpong2", "--results", str(self.dir / "first.json"))
        self.assert_earned(self.results(self.dir / "first.json"), "pingpong2", full_marks=True)
        # ...which a later submission that does not compile must not be scored with.
        server = submission / "pingpong2" / "server_logic.cpp"
        server.write_text(server.read_text().replace("co_await", "co_awiat", 1))
        results = self.dir / "results.json"
        done = grade(submission, "--results", str(results))
        self.assertEqual(done.returncode, 0, done.stderr)
        graded = self.results(results)
        self.assert_earned(graded, "pingpong1", full_marks=True)
        self.assert_earned(graded, "pingpong2", full_marks=False)
        output = json.loads(results.read_text())["output"]
        self.assertIn("pingpong2: your files did not build", output)
        self.assertIn("co_awiat", output)
        self.assertIn("did not build", graded["pingpong2: Programs.AClientAloneIsToldSo"]["output"])

    def test_a_missing_submission_still_leaves_a_valid_results_file(self):
        results = self.dir / "results.json"
        done = grade(self.dir / "nothing-here", "--results", str(results))
        self.assertEqual(done.returncode, 1)
        data = json.loads(results.read_text())
        self.assertEqual(data["score"], 0)
        self.assertIn("no such file or folder", data["output"])


@unittest.skipUnless(AS_ROOT, "the grader isolates student code with a user of its own only when run as root")
class Tricks(Scratch):
    """Each trick of the known list, graded in one batch (which also shows a batch
    runs in parallel and that no submission stops it)."""

    @classmethod
    def setUpClass(cls):
        prepare_kit()

    def test_each_trick_scores_what_the_code_earned(self):
        LINGERERS.unlink(missing_ok=True)
        shutil.rmtree(WORK / "slot1", ignore_errors=True)  # the batch prepares it afresh, for its one stage
        students = self.dir / "class"
        for name, (file_scope, client, server) in TRICKS.items():
            pingpong1_files(students / name / "pingpong1", file_scope, client, server)
        reads_solution = students / "reads_solution" / "pingpong1"
        reads_solution.mkdir(parents=True)
        for name in ("client_logic.cpp", "server_logic.cpp"):
            (reads_solution / name).write_text(f'#include "pingpong1.hpp"\n'
                                               f'#include "{SOURCE}/solutions/pingpong1/{name}"\n')
        shutil.copytree(students / "exit0", students / "does_not_build")
        (students / "does_not_build" / "pingpong1" / "server_logic.cpp").write_text('#include "pingpong1.hpp"\n{')
        e2e = WORK / "slot0" / "build" / "tests" / "pingpong1" / "pingpong1_exercise_e2e"
        before = netlab_grade.sha256(e2e)

        out = self.dir / "grades"
        done = subprocess.run([sys.executable, str(GRADER), "--batch", str(students), "--out", str(out), "--jobs", "2",
                               "--stages", "pingpong1", "--work", str(WORK)], capture_output=True, text=True,
                              timeout=3600)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertTrue((WORK / "slot1" / "prepared.json").is_file(), "no build of its own for the second job")
        with open(out / "grades.csv") as sheet:
            rows = list(csv.DictReader(sheet))
        self.assertEqual(len(rows), len(TRICKS) + 2)
        for row in rows:
            student = row["student"]
            with self.subTest(student):
                graded = self.results(out / student / "results.json")
                self.assert_earned(graded, "pingpong1", full_marks=student in EARNS_FULL_MARKS)
                expected = sum(graded[f"pingpong1: {name}"]["max_score"] for name in trusted("pingpong1")) \
                    if student in EARNS_FULL_MARKS else 0
                self.assertEqual(float(row["points"]), expected)
        notes = {student: json.loads((out / student / "results.json").read_text())["output"]
                 for student in ("defines_main", "reads_solution", "does_not_build")}
        self.assertIn("main", notes["defines_main"])
        self.assertIn("Permission denied", notes["reads_solution"])
        self.assertIn("did not build", notes["does_not_build"])
        self.assertEqual(netlab_grade.sha256(e2e), before, "a submission changed a test program")

        lingerers = [int(pid) for pid in LINGERERS.read_text().split()]
        self.assertTrue(lingerers, "the lingering process was never started")
        alive = [pid for pid in lingerers if Path(f"/proc/{pid}").exists()]
        self.assertEqual(alive, [], "processes started by a submission outlived their test")

        # The second build was made for the batch's one stage, and grows when another stage is graded in it.
        prepared = json.loads((WORK / "slot1" / "prepared.json").read_text())
        self.assertEqual(set(prepared["stages"]), {"pingpong1"}, "slot1 was prepared for more than the batch needed")
        _, first_slot = netlab_grade.lock_first_free(WORK, "slot")  # busy: the grading below gets slot1
        with first_slot:
            results = self.dir / "hello.json"
            done = grade(SOURCE / "solutions", "--stages", "hello", "--results", str(results))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("adding hello to the kit's build", done.stderr)
        self.assert_earned(self.results(results), "hello", full_marks=True)
        prepared = json.loads((WORK / "slot1" / "prepared.json").read_text())
        self.assertEqual(set(prepared["stages"]), {"pingpong1", "hello"})


if __name__ == "__main__":
    unittest.main()
