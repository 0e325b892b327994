"""tools/check's reading of what the build and the tests printed: test names
in words, the first compile error in the student's file first, the teaching
message under a failure, and the last line."""

import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import netlab_check  # noqa: E402
import netlab_stages  # noqa: E402
from netlab_check import Result  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


class Words(unittest.TestCase):
    def test_a_test_name_reads_as_a_rule(self):
        self.assertEqual(netlab_check.words("ClientLogic.SendsPingAndReadsTheReply", {"Ping"}),
                         "client logic: sends Ping and reads the reply")

    def test_numbers_and_capitals_become_words(self):
        self.assertEqual(netlab_check.words("Client1Logic.PrintsWhatTheServerSaysInstead", set()),
                         "client 1 logic: prints what the server says instead")

    def test_the_protocol_words_are_those_the_stage_header_quotes(self):
        stage = netlab_stages.load_stage("pingpong1", ROOT)
        self.assertTrue({"Ping", "Pong"} <= netlab_check.protocol_words(stage))


SOURCE = Path("/src")
BUILD = SOURCE / "build" / "dev"  # where the compiler runs: paths in its messages start from here
BUILD_OUTPUT = """\
[1/4] Building CXX object netlab/CMakeFiles/netlab.dir/src/run.cpp.o
FAILED: tests/CMakeFiles/x.dir/exercises/pingpong1/server_logic.cpp.o
In file included from /src/netlab/include/netlab/server.hpp:3,
                 from /src/exercises/pingpong1/pingpong1.hpp:22:
/src/netlab/include/netlab/task.hpp:40:3: error: no matching function for call to 'resume'
   40 |   resume(x);
      |   ^~~~~~
../../exercises/pingpong1/server_logic.cpp:12:5: error: 'sever' was not declared in this scope; did you mean 'server'?
   12 |     sever.send_message(message.from, "Pong");
      |     ^~~~~
      |     server
../../exercises/pingpong1/server_logic.cpp:8:49: warning: unused parameter 'server' [-Wunused-parameter]
../../exercises/pingpong1/server_logic.cpp:14:1: error: expected ';' before '}' token
ninja: build stopped: subcommand failed.
"""


class CompileErrors(unittest.TestCase):
    def test_the_first_error_in_the_students_file_comes_first(self):
        shown, count = netlab_check.first_compile_error(
            BUILD_OUTPUT, [Path("/src/exercises/pingpong1/server_logic.cpp")], BUILD, SOURCE)
        self.assertTrue(shown.startswith("exercises/pingpong1/server_logic.cpp:12:5: error: 'sever'"), shown)
        self.assertIn("did you mean 'server'", shown)
        self.assertNotIn("ninja", shown)
        self.assertNotIn(":14:1", shown, "one diagnostic, not the ones after it")
        self.assertNotIn("warning", shown)
        self.assertEqual(count, 3)

    def test_without_one_in_the_students_files_the_first_error_anywhere(self):
        shown, _ = netlab_check.first_compile_error(
            BUILD_OUTPUT, [Path("/src/exercises/pingpong1/client_logic.cpp")], BUILD, SOURCE)
        self.assertTrue(shown.startswith("netlab/include/netlab/task.hpp:40:3: error"), shown)

    def test_a_link_error_is_shown_without_the_build_tools_noise(self):
        output = ("[3/4] Linking CXX executable bin/pingpong1_server\nFAILED: bin/pingpong1_server\n"
                  "/usr/bin/ld: server_logic.cpp.o: undefined reference to `pingpong1::helper()'\n"
                  "collect2: error: ld returned 1 exit status\nninja: build stopped: subcommand failed.\n")
        shown, count = netlab_check.first_compile_error(output, [], BUILD, SOURCE)
        self.assertIn("undefined reference to `pingpong1::helper()'", shown)
        self.assertNotIn("ninja", shown)
        self.assertNotIn("FAILED", shown)


GTEST_OUTPUT = """\
Running main() from gmock_main.cc
/src/tests/pingpong1/server_logic_test.cpp:9: Failure
Failed
server_logic was given "Ping" from client 1 and did nothing;
expected it to send "Pong" to client 1
[  FAILED  ] ServerLogic.AnswersPingWithPong (0 ms)
"""


class FirstBuild(unittest.TestCase):
    """A build that takes minutes is announced, so that the wait does not look like a hang."""

    def test_the_first_build_the_first_check_of_a_stage_and_later_ones(self):
        stage = netlab_stages.load_stage("pingpong1", ROOT)
        with tempfile.TemporaryDirectory() as folder:
            build = Path(folder)
            note = netlab_check.first_build_note(stage, ["unit", "e2e"], build)
            self.assertIn("The first build compiles the netlab library and the tests too: several minutes", note)
            (build / "tests" / "stages").mkdir(parents=True)
            (build / "tests" / "stages" / "libnetlab_stage_testing.a").touch()
            note = netlab_check.first_build_note(stage, ["unit", "e2e"], build)
            self.assertIn("The first check of pingpong1 compiles its tests too", note)
            (build / "tests" / "pingpong1").mkdir()
            for kind in ("unit", "e2e"):
                (build / "tests" / "pingpong1" / f"pingpong1_exercise_{kind}").touch()
            self.assertEqual(netlab_check.first_build_note(stage, ["unit", "e2e"], build), "")


class Failures(unittest.TestCase):
    def test_the_message_is_what_the_test_said_without_its_file_and_line(self):
        self.assertEqual(netlab_check.failure_message(GTEST_OUTPUT),
                         'server_logic was given "Ping" from client 1 and did nothing;\n'
                         'expected it to send "Pong" to client 1')

    def test_a_crashed_test_program_is_explained_by_its_crash_report(self):
        output = ("Note: Google Test filter = ClientLogic.ChecksTheReplyBeforeUsingIt\n"
                  "[ RUN      ] ClientLogic.ChecksTheReplyBeforeUsingIt\n"
                  "pingpong1_exercise_unit: client_logic crashed, after receive_message() gave nothing (the server "
                  "had closed the connection): a library check failed: this->_M_is_engaged()\n"
                  "  hint: an empty std::optional was used\n")
        self.assertEqual(netlab_check.failure_message(output),
                         "pingpong1_exercise_unit: client_logic crashed, after receive_message() gave nothing (the "
                         "server had closed the connection): a library check failed: "
                         "this->_M_is_engaged()\n  hint: an empty std::optional was used")

    def test_ctests_junit_file_gives_one_result_per_test_of_the_stage(self):
        junit = """<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux" tests="3" failures="1">
  <testcase name="pingpong1.exercise.ServerLogic.AnswersPingWithPong" classname="x" time="0.01" status="fail">
    <failure message="Failed"/>
    <system-out>{}</system-out>
  </testcase>
  <testcase name="pingpong1.exercise.ServerLogic.AnswersOnlyPing" classname="x" time="0.01" status="run">
    <system-out></system-out>
  </testcase>
  <testcase name="pingpong2.exercise.ServerLogic.ForwardsPingToTheOtherClient" status="run"/>
</testsuite>
""".format(GTEST_OUTPUT.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;"))
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "junit.xml"
            path.write_text(junit)
            results = netlab_check.parse_junit(path, "pingpong1")
        self.assertEqual([(r.name, r.passed) for r in results],
                         [("ServerLogic.AnswersPingWithPong", False), ("ServerLogic.AnswersOnlyPing", True)])
        self.assertIn('expected it to send "Pong" to client 1', results[0].message)


class Checklist(unittest.TestCase):
    def setUp(self):
        self.stage = netlab_stages.load_stage("pingpong1", ROOT)

    def test_a_line_per_check_the_message_under_a_failure_and_the_count_last(self):
        text, all_passed = netlab_check.checklist([
            Result("ServerLogic.AnswersPingWithPong", False, "expected it to send \"Pong\""),
            Result("ClientLogic.SendsPingAndReadsTheReply", True, ""),
            Result("Programs.ClientPrintsPongForEachPing", False, "", timed_out=True),
        ], self.stage, {})
        lines = text.splitlines()
        self.assertFalse(all_passed)
        self.assertEqual(lines[0], ":) client logic: sends Ping and reads the reply", "the manifest's order")
        self.assertEqual(lines[1], ":( server logic: answers Ping with Pong")
        self.assertEqual(lines[2], '    expected it to send "Pong"')
        self.assertIn("timed out", lines[4])
        self.assertEqual(lines[-1], "1 of 3 checks pass. Start with the first :( above: server logic: answers Ping with Pong")

    def test_a_failed_conversation_points_to_its_diagram(self):
        text, _ = netlab_check.checklist([
            Result("Programs.ClientPrintsPongForEachPing", False, "printed nothing",
                   diagram="build/dev/recordings/pingpong1/Programs.ClientPrintsPongForEachPing.html")], self.stage, {})
        self.assertEqual(text.splitlines()[1:3], [
            "    printed nothing",
            "    the conversation, as it happened: open "
            "build/dev/recordings/pingpong1/Programs.ClientPrintsPongForEachPing.html in a browser"])

    def test_a_recorded_conversation_is_drawn_and_nothing_else(self):
        with tempfile.TemporaryDirectory() as scratch:
            root = Path(scratch)
            recorded, unit = root / "Programs.Talk", root / "ServerLogic.Rule"
            recorded.mkdir()
            unit.mkdir()
            (recorded / "s.1.jsonl").write_text(
                '{"t":1,"program":"s","pid":1,"role":"server","event":"join","peer":"client 1","address":"a"}\n'
                '{"t":2,"program":"s","pid":1,"role":"server","event":"received","peer":"client 1","length":4,'
                '"text":"Ping"}\n')
            self.assertEqual(netlab_check.draw_conversation(recorded, root), "Programs.Talk.html")
            self.assertIn("Ping", (root / "Programs.Talk.html").read_text())
            self.assertIsNone(netlab_check.draw_conversation(unit, root))

    def test_all_passing(self):
        text, all_passed = netlab_check.checklist([Result("ServerLogic.AnswersPingWithPong", True, "")], self.stage, {})
        self.assertTrue(all_passed)
        self.assertEqual(text.splitlines()[-1], "1 of 1 checks pass.")


if __name__ == "__main__":
    unittest.main()
