"""tools/netlab-stages finds each kind of missing piece, and says which and where.

Each test copies the kit's stage pieces into a scratch folder, takes one piece
away (or spoils it), and runs the checker there.
"""

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
CHECKER = SOURCE / "tools" / "netlab-stages"
sys.path.insert(0, str(SOURCE / "tools"))
import netlab_stages  # noqa: E402

STAGE = "pingpong1"


class MissingPieces(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.TemporaryDirectory()
        self.root = Path(self.scratch.name)
        for name in ("CMakeLists.txt", "README.md"):
            shutil.copy(SOURCE / name, self.root / name)
        for folder in ("exercises", "solutions", "tests", "handouts"):
            shutil.copytree(SOURCE / folder, self.root / folder,
                            ignore=shutil.ignore_patterns("__pycache__"))

    def tearDown(self):
        self.scratch.cleanup()

    def check(self, *extra):
        return subprocess.run([sys.executable, str(CHECKER), "--root", str(self.root), *extra],
                              capture_output=True, text=True, timeout=60)

    def assert_finds(self, *words, extra=()):
        result = self.check(*extra)
        self.assertEqual(result.returncode, 1, f"the checker passed a broken stage:\n{result.stdout}")
        for word in words:
            self.assertIn(word, result.stdout)

    def edit(self, relative, old, new):
        path = self.root / relative
        text = path.read_text()
        self.assertIn(old, text)
        path.write_text(text.replace(old, new, 1))

    def test_the_copy_is_complete(self):
        result = self.check()
        self.assertEqual(result.returncode, 0, result.stdout)
        self.assertIn("all complete", result.stdout)

    def test_a_missing_handout(self):
        (self.root / "handouts" / f"{STAGE}.md").unlink()
        self.assert_finds(f"handouts/{STAGE}.md, the stage's handout, is missing")

    def test_a_missing_readme_row(self):
        readme = self.root / "README.md"
        readme.write_text("\n".join(line for line in readme.read_text().splitlines()
                                    if not line.startswith(f"| {STAGE} |")))
        self.assert_finds(f"README.md: the stage map has no row for {STAGE}")

    def test_a_missing_manifest(self):
        (self.root / "tests" / STAGE / "stage.json").unlink()
        self.assert_finds(f"tests/{STAGE}/stage.json: missing")

    def test_a_broken_manifest(self):
        self.edit(f"tests/{STAGE}/stage.json", '"points": 2', '"points": "two"')
        self.assert_finds(f"tests/{STAGE}/stage.json", "points must be a number")

    def test_building_on_a_later_stage(self):
        self.edit("tests/registry/stage.json", '"title"', '"builds_on": ["chat"],\n  "title"')
        self.assert_finds('tests/registry/stage.json: "builds_on" names chat, which is not a stage before registry')

    def test_no_entry_points(self):
        path = self.root / "tests" / STAGE / "stage.json"
        manifest = json.loads(path.read_text())
        del manifest["entry_points"]
        path.write_text(json.dumps(manifest))
        self.assert_finds(f"tests/{STAGE}/stage.json: the stage has unit tests but no \"entry_points\"")

    def test_an_entry_point_not_declared(self):
        self.edit(f"tests/{STAGE}/stage.json",
                  '"netlab::Task<void> pingpong1::client_logic(netlab::Client&)",', "")
        self.assert_finds(f"exercises/{STAGE}/client_logic.cpp defines {STAGE}::client_logic, which is not in the "
                          "manifest's \"entry_points\"")

    def test_an_entry_point_that_no_logic_file_defines(self):
        self.edit(f"tests/{STAGE}/stage.json", "pingpong1::client_logic(", "pingpong1::client_logik(")
        self.assert_finds("entry point netlab::Task<void> pingpong1::client_logik(netlab::Client&) is defined in "
                          "no logic file")

    def test_an_entry_point_without_its_scope(self):
        self.edit(f"tests/{STAGE}/stage.json", "pingpong1::client_logic(", "client_logic(")
        self.assert_finds(f"tests/{STAGE}/stage.json: entry point", "is not a qualified name")

    def test_a_method_written_in_the_header(self):
        self.edit(f"exercises/{STAGE}/{STAGE}.hpp", f"namespace {STAGE} {{",
                  f"namespace {STAGE} {{\n\nclass Score {{\n public:\n  int add(int points);\n"
                  "  int total() const { return total_; }\n\n private:\n  int total_ = 0;\n};")
        self.edit(f"tests/{STAGE}/stage.json", '"entry_points": [', f'"entry_points": ["int {STAGE}::Score::add(int)",')
        for folder in ("exercises", "solutions"):
            self.edit(f"{folder}/{STAGE}/server_logic.cpp", f"}}  // namespace {STAGE}",
                      f"int Score::add(int points) {{ return total_ += points; }}\n\n}}  // namespace {STAGE}")
        self.assert_finds(f"exercises/{STAGE}/{STAGE}.hpp defines {STAGE}::Score::total inside its class")

    def test_a_missing_solution(self):
        (self.root / "solutions" / STAGE / "server_logic.cpp").unlink()
        self.assert_finds(f"solutions/{STAGE}/server_logic.cpp is missing")

    def test_a_missing_stub(self):
        (self.root / "exercises" / STAGE / "client_logic.cpp").unlink()
        self.assert_finds(f"exercises/{STAGE}/client_logic.cpp (a logic file in the manifest) is missing")

    def test_a_missing_program(self):
        (self.root / "exercises" / STAGE / "programs" / "client.cpp").unlink()
        self.assert_finds(f"exercises/{STAGE}/programs/client.cpp (program \"client\" in the manifest) is missing")

    def test_a_missing_stage_header(self):
        (self.root / "exercises" / STAGE / f"{STAGE}.hpp").unlink()
        self.assert_finds(f"exercises/{STAGE}/{STAGE}.hpp, the stage header, is missing")

    def test_a_missing_test_file(self):
        (self.root / "tests" / STAGE / "e2e_test.cpp").unlink()
        self.assert_finds(f"tests/{STAGE}/e2e_test.cpp (listed in the manifest's \"e2e\") is missing")

    def test_a_test_file_not_in_the_manifest(self):
        (self.root / "tests" / STAGE / "extra_test.cpp").write_text("// forgotten\n")
        self.assert_finds(f"tests/{STAGE}/extra_test.cpp is not in the manifest")

    def test_stubs_out_of_sync_with_solutions(self):
        self.edit(f"solutions/{STAGE}/server_logic.cpp", "namespace pingpong1 {", "namespace pingpong1 {  // changed")
        self.assert_finds(f"exercises/{STAGE}/server_logic.cpp", f"solutions/{STAGE}/server_logic.cpp",
                          "must differ only between the markers")

    def test_a_stub_without_markers(self):
        path = self.root / "exercises" / STAGE / "server_logic.cpp"
        path.write_text(path.read_text().replace("*** start ***", "").replace("*** end ***", ""))
        self.assert_finds(f"exercises/{STAGE}/server_logic.cpp has no student region")

    def test_a_stage_without_its_line(self):
        self.edit("CMakeLists.txt", f"netlab_add_stage({STAGE})\n", "")
        self.assert_finds(f"exercises/{STAGE} looks like a stage, but CMakeLists.txt has no "
                          f"netlab_add_stage({STAGE}) line")

    def fake_build(self, names):
        """A build folder whose test programs list `names`, as GoogleTest would."""
        build = self.root / "build"
        program = build / "tests" / STAGE / f"{STAGE}_solution_unit"
        program.parent.mkdir(parents=True)
        suites = {}
        for name in names:
            suite, test = name.split(".")
            suites.setdefault(suite, []).append(test)
        listing = "".join(f"{suite}.\n" + "".join(f"  {test}\n" for test in tests) for suite, tests in suites.items())
        program.write_text(f"#!/bin/sh\ncat <<'EOF'\n{listing}EOF\n")
        program.chmod(0o755)
        # The stage's end-to-end test program lists nothing.
        e2e = program.with_name(f"{STAGE}_solution_e2e")
        e2e.write_text("#!/bin/sh\n")
        e2e.chmod(0o755)
        return build

    def manifest_tests(self):
        return [test.name for test in netlab_stages.load_stage(STAGE, self.root).tests]

    def test_the_manifest_matches_the_built_tests(self):
        build = self.fake_build(self.manifest_tests())
        result = self.check("--build", str(build))
        self.assertIn(f"{STAGE}: complete", result.stdout)

    def test_a_built_test_without_points(self):
        build = self.fake_build(self.manifest_tests() + ["ServerLogic.SomethingNew"])
        self.assert_finds("test ServerLogic.SomethingNew is built but not listed, so it scores nothing",
                          extra=("--build", str(build)))

    def test_a_listed_test_that_is_not_built(self):
        names = self.manifest_tests()
        build = self.fake_build(names[1:])
        self.assert_finds(f"test {names[0]} is listed but no test program has it", extra=("--build", str(build)))


if __name__ == "__main__":
    unittest.main()
