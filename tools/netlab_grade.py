"""The grader: scores a student's submission stage by stage, from tests whose
verdicts the submission cannot forge. tools/netlab-grade is its command line;
handouts/instructor.md ("Grading") says how to use it and why its verdicts hold.

The pieces, in the order a grading goes:
- find_logic_files: which of the submission's files are a stage's logic files;
- Slot: a prepared build of the kit (one per grading running at once), into
  which a stage's logic files are copied and rebuilt, nothing else;
- Slot.run_test: one test in its own process, its verdict read from a report
  file written by a test program that links no student code;
- Grading: the verdicts as Gradescope's results.json, JUnit XML and a summary.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))
import netlab_stages  # noqa: E402
from netlab_stages import Stage, Test  # noqa: E402

COMPILE_LAUNCHER = Path(__file__).resolve().parent / "netlab_grade_compile.py"

# Limits on what a submission may take.
BUILD_SECONDS = 300  # one stage's rebuild, both logic files and the relinks
LOGIC_FILE_BYTES = 1 << 20
ZIP_BYTES = 100 << 20  # unpacked
ZIP_FILES = 5000
STUDENT_MEMORY = 2 << 30  # address space of each student process
STUDENT_PROCESSES = 64  # processes and threads of the student user at once
STUDENT_FILE_BYTES = 16 << 20  # largest file a student process may write
TEST_OUTPUT_BYTES = 64 << 20  # largest output (and report) of a test program
FEEDBACK_CHARS = 3000  # of one test's message, in results.json and the summary
DIAGNOSTIC_LINES = 30

# The student users' locks: one place for every grader on the machine, whatever its --work.
USER_LOCKS = Path("/run/lock") if Path("/run/lock").is_dir() else Path(tempfile.gettempdir())

# Changes when what a slot's preparation makes or records changes, so that
# older prepared builds are made again.
PREPARED_VERSION = 3

BUILD_SUFFIXES = {".cpp", ".hpp", ".h", ".txt", ".cmake", ".json"}

# Test programs, by kind: which ones are trusted (link no student code), and
# the untrusted ones the grader refuses to score from.
TRUSTED_PROGRAMS = {"unit": "{stage}_graded_unit", "hidden_unit": "{stage}_graded_hidden_unit",
                    "e2e": "{stage}_exercise_e2e", "hidden_e2e": "{stage}_exercise_hidden_e2e"}
UNTRUSTED_PROGRAMS = {"unit": "{stage}_exercise_unit", "hidden_unit": "{stage}_exercise_hidden_unit"}
LOGIC_HOST = "{stage}_logic_host"


class GradingError(Exception):
    """The grader cannot run at all (not a submission's fault); the message says why."""


# ---------------------------------------------------------------- submissions

def unpack_zip(archive: Path, into: Path) -> list[str]:
    """Unpacks a zip safely: no path outside `into`, no links, bounded size.
    Returns what was left out, as sentences."""
    skipped = []
    total = 0
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            if len(members) > ZIP_FILES:
                return [f"{archive.name} holds {len(members)} files, more than {ZIP_FILES}: not unpacked"]
            for member in members:
                name = Path(member.filename)
                is_link = (member.external_attr >> 16) & 0o170000 == 0o120000
                if name.is_absolute() or ".." in name.parts or is_link:
                    skipped.append(f"{archive.name}: {member.filename} left out (a link or a path outside the zip)")
                    continue
                total += member.file_size
                if total > ZIP_BYTES:
                    return skipped + [f"{archive.name} unpacks to more than {ZIP_BYTES >> 20} MiB: the rest is left out"]
                bundle.extract(member, into)
    except (zipfile.BadZipFile, OSError) as error:
        skipped.append(f"{archive.name} could not be unpacked: {error}")
    return skipped


def submitted_files(root: Path) -> list[Path]:
    """Every regular file of a submission, links and system clutter left out."""
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in ("__MACOSX", ".git", "build")
                         and not (Path(folder) / name).is_symlink()]
        for name in names:
            path = Path(folder) / name
            if not name.startswith("._") and path.is_file() and not path.is_symlink():
                files.append(path)
    return sorted(files)


@dataclass
class Found:
    """A stage's logic files in a submission: name -> file, and what was wrong."""
    files: dict[str, Path] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[Path]] = field(default_factory=dict)

    def submitted(self) -> bool:
        return bool(self.files) or bool(self.ambiguous)


def find_logic_files(files: list[Path], stage: Stage, root: Path) -> Found:
    """Which submitted file is each of the stage's logic files. A logic file is
    known by its name and by its `#include "<stage>.hpp"` (two stages have a
    client_logic.cpp); failing that, by a folder named after the stage. Copies
    with the same text are one file; different texts are ambiguous."""
    found = Found()
    includes_header = re.compile(rf'#\s*include\s*["<](?:[^">]*/)?{re.escape(stage.name)}\.hpp[">]')
    for name in stage.logic:
        texts = {}
        for path in files:
            if path.name == name and path.stat().st_size <= LOGIC_FILE_BYTES:
                texts[path] = path.read_bytes()
        candidates = [path for path, text in texts.items() if includes_header.search(text.decode(errors="replace"))]
        candidates = candidates or [path for path in texts if stage.name in path.relative_to(root).parts]
        in_stage_folder = [path for path in candidates if path.parent.name == stage.name]
        for choice in (candidates, in_stage_folder):
            if len({texts[path] for path in choice}) == 1:
                found.files[name] = choice[0]
                break
        else:
            if candidates:
                found.ambiguous[name] = candidates
            else:
                found.missing.append(name)
    return found


def describe(found: Found, stage: Stage, root: Path) -> list[str]:
    """Sentences for the feedback about the files found for a stage."""
    lines = [f"{stage.name}/{name}: graded {path.relative_to(root)}" for name, path in found.files.items()]
    for name in found.missing:
        lines.append(f"{stage.name}/{name}: not found in the submission (a file named {name} that includes "
                     f"\"{stage.name}.hpp\"), so the stub was graded in its place")
    for name, paths in found.ambiguous.items():
        listed = ", ".join(str(path.relative_to(root)) for path in paths[:5])
        lines.append(f"{stage.name}/{name}: several different files could be it ({listed}); submit one, in a "
                     f"folder named {stage.name}. The stub was graded in its place")
    return lines


# ---------------------------------------------------------------- isolation

def lock_first_free(folder: Path, name: str, first: int = 0, wait: bool = False):
    """Locks the first of folder/<name>N.lock, from N = `first`, that no one
    else holds (or waits for `first` itself, if `wait`). Returns N and the
    open lock file, which holds the lock until closed."""
    index = first
    while True:
        lock = open(folder / f"{name}{index}.lock", "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            return index, lock
        except BlockingIOError:
            lock.close()
            index += 1


@dataclass
class StudentUser:
    """Who student code runs as. As root: an unprivileged user that no other
    grading on the machine is using, so that its processes can be counted,
    limited and all killed. Not as root: the grader's own user (the summary
    says what that gives up)."""
    name: str
    uid: int
    gid: int
    separate: bool
    lock: object = field(default=None, repr=False, compare=False)  # held while this grading uses the user

    @staticmethod
    def claim() -> "StudentUser":
        """As root, the first netlab-student<N> free on this machine: killing
        every process of the user must never kill another grading's, even
        one with a --work of its own."""
        if os.geteuid() != 0:
            me = pwd.getpwuid(os.getuid())
            return StudentUser(me.pw_name, me.pw_uid, me.pw_gid, separate=False)
        index, lock = lock_first_free(USER_LOCKS, "netlab-student")
        name = f"netlab-student{index}"
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                            "--shell", "/usr/sbin/nologin", name], check=True, capture_output=True)
            entry = pwd.getpwnam(name)
        return StudentUser(name, entry.pw_uid, entry.pw_gid, separate=True, lock=lock)

    def release(self) -> None:
        """Lets another grading use this user (its processes all killed first)."""
        self.kill_everything()
        if self.lock:
            self.lock.close()

    def wrapper(self, seconds: float, home: Path) -> list[str]:
        """The command words put in front of every student program
        (NETLAB_STUDENT_WRAPPER): limits, then the student user, then an
        empty environment. Each word execs the next, so the program keeps
        the process id the test started and gets the test's signals itself."""
        words = ["/usr/bin/prlimit", f"--as={STUDENT_MEMORY}", f"--fsize={STUDENT_FILE_BYTES}", "--core=0",
                 "--nofile=256", f"--cpu={int(seconds) + 1}"]
        if self.separate:
            words += [f"--nproc={STUDENT_PROCESSES}", "/usr/bin/setpriv", f"--reuid={self.uid}",
                      f"--regid={self.gid}", "--clear-groups", "--no-new-privs"]
        return words + ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "LANG=C.UTF-8", f"HOME={home}", f"TMPDIR={home}"]

    def kill_everything(self) -> None:
        """Kills every process of the student user: what a test started and
        what escaped its process group (setsid, double fork)."""
        if not self.separate:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            alive = [pid for pid in _pids() if _real_uid(pid) == self.uid]
            if not alive:
                return
            for pid in alive:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)


def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _real_uid(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Uid:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def run_limited(command: list[str], *, cwd: Path, env: dict, seconds: float, output: Path,
                file_bytes: int | None = None) -> tuple[int | None, float]:
    """Runs a trusted command (a build, a test program) in a session of its
    own, its output into `output` (no file it writes over `file_bytes`);
    kills the whole session at the end. Returns its exit status (None when
    it ran out of time; -N for signal N) and the seconds it took."""
    def limit_files():
        if file_bytes:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))

    start = time.monotonic()
    with open(output, "wb") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                   stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=limit_files)
        try:
            status = process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            status = None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    return status, time.monotonic() - start


def read_capped(path: Path, limit: int = 64 << 10) -> str:
    with open(path, "rb") as source:
        return source.read(limit).decode(errors="replace")


# ---------------------------------------------------------------- verdicts

@dataclass
class Verdict:
    stage: str
    test: Test
    passed: bool
    message: str = ""  # why it failed, for the student
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return self.test.points if self.passed else 0


def read_report(report: Path, name: str) -> tuple[bool, str] | None:
    """The verdict of test `name` in a GoogleTest JSON report: passed, and the
    failure messages; None when the report has no such test."""
    try:
        data = json.loads(report.read_text())
    except (OSError, ValueError):
        return None
    suite_name, test_name = name.split(".", 1)
    for suite in data.get("testsuites", []):
        for case in suite.get("testsuite", []):
            if suite.get("name") == suite_name and case.get("name") == test_name:
                failures = [entry.get("failure", "") for entry in case.get("failures", [])]
                # A failure starts with the test file's "path:line"; the student needs the rest.
                messages = [re.sub(r"^[^\n]*:\d+\n(Failed\n)?", "", text, count=1).strip() for text in failures]
                passed = case.get("status") == "RUN" and case.get("result") == "COMPLETED" and not failures
                return passed, "\n".join(messages)
    return None


def clip(text: str, limit: int = FEEDBACK_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"\n... ({len(text) - limit} more characters cut)"


# ---------------------------------------------------------------- the kit builds

@dataclass
class StageBuild:
    """What a prepared build knows about a stage: the test program that
    judges each test, and what a student's files rebuild."""
    programs: dict[str, str]  # test name -> trusted program (path in the build)
    untrusted: dict[str, str]  # test name -> a program that links student code, never run
    kinds: dict[str, str]  # test name -> unit, e2e, hidden_unit or hidden_e2e
    targets: list[str]  # ninja targets built from the student's files
    outputs: list[str]  # the files they make that tests run (paths in the build)
    logic_objects: str  # the folder of the logic objects


class Slot:
    """A prepared, configured and built copy of the kit (without solutions/),
    kept between gradings: `kit/` is the source, `build/` the build. Grading a
    stage copies its logic files into kit/exercises/<stage>/ and rebuilds only
    what depends on them. One grading at a time uses a slot (a lock file)."""

    def __init__(self, work: Path, index: int, kit_root: Path, log=print):
        self.index = index
        self.root = work / f"slot{index}"
        self.kit = self.root / "kit"
        self.build = self.root / "build"
        self.private = self.root / "private"  # reports and test output: root only
        self.scratch = self.root / "scratch"  # the current directory of student programs
        self.kit_root = kit_root
        self.log = log
        self.user = StudentUser.claim()
        self.stages: dict[str, StageBuild] = {}
        self.hashes: dict[str, str] = {}
        self.verified: dict[str, tuple] = {}  # test program -> its status when its hash last matched

    # Preparing --------------------------------------------------------------
    def kit_files(self) -> list[Path]:
        """The kit's files a grading build uses: all but build trees, git and solutions."""
        left_out = {"build", ".git", "solutions", "__pycache__"}
        files = []
        for folder, subfolders, names in os.walk(self.kit_root):
            subfolders[:] = sorted(name for name in subfolders
                                   if name not in left_out and not name.startswith("build"))
            files += [Path(folder) / name for name in sorted(names) if not name.endswith(".pyc")]
        return files

    def fingerprint(self) -> str:
        """A hash of what the build is made of (not the kit's docs, tools or the grader's own tests)."""
        digest = hashlib.sha256()
        for path in self.kit_files():
            relative = path.relative_to(self.kit_root)
            if path.suffix in BUILD_SUFFIXES and relative.parts[0] not in ("tools", "bench", "fuzz", "docs") \
                    and relative.parts[:2] != ("tests", "grader"):
                digest.update(str(relative).encode() + b"\0" + path.read_bytes())
        digest.update(f"prepared by grader version {PREPARED_VERSION}".encode())
        return digest.hexdigest()

    def prepare(self, stage_names: list[str] | None = None) -> None:
        """Makes the slot's build of these stages (default: all of them), unless
        it was made since the kit last changed. A build made for some stages is
        extended when more are asked for: grading one stage from cold builds
        the library and that stage, not the whole course."""
        stamp = self.root / "prepared.json"
        fingerprint = self.fingerprint()
        saved = json.loads(stamp.read_text()) if stamp.is_file() else {}
        if saved.get("fingerprint") == fingerprint:
            self.stages = {name: StageBuild(**value) for name, value in saved["stages"].items()}
            self.hashes = saved["hashes"]
        else:
            self.log(f"preparing the kit's build in {self.root} (once per kit version)")
            self.copy_kit_and_configure()
        stages = netlab_stages.load_stages(self.kit)
        asked = {stage.name for stage in stages} if stage_names is None else set(stage_names)
        asked |= {base for stage in stages if stage.name in asked for base in stage.builds_on}
        missing = [stage for stage in stages if stage.name in asked and stage.name not in self.stages]
        if not missing:
            return
        if self.stages:
            self.log(f"adding {', '.join(stage.name for stage in missing)} to the kit's build in {self.root}")
        # The stubs back in every stage: a later stage's targets build on an earlier
        # stage's logic, and no student's code is compiled while preparing.
        for stage in stages:
            for name in stage.logic:
                stub = (self.kit_root / "exercises" / stage.name / name).read_bytes()
                copy = self.kit / "exercises" / stage.name / name
                if copy.read_bytes() != stub:
                    copy.write_bytes(stub)  # written now: what was built from it is built again
        targets = subprocess.run(["ninja", "-C", str(self.build), "-t", "targets", "all"], capture_output=True,
                                 text=True, check=True).stdout
        target_names = {line.split(":")[0] for line in targets.splitlines()}
        # Only what grading runs: each stage's test programs and student targets, not the library's tests.
        wanted = [pattern.format(stage=stage.name) for stage in missing
                  for pattern in [*TRUSTED_PROGRAMS.values(), *UNTRUSTED_PROGRAMS.values(), *student_targets(stage)]]
        # A stage whose graded programs do not build (a manifest without entry_points) must not
        # stop the others: its tests then have no trusted program, and are "not graded".
        built = subprocess.run(["ninja", "-C", str(self.build), "-k", "0",
                                *[name for name in wanted if name in target_names]], capture_output=True, text=True)
        if built.returncode != 0:
            failed = [line for line in built.stdout.splitlines() if line.startswith("FAILED: ")]
            self.log("some of the kit's test programs did not build; their tests will not be graded:\n"
                     + "\n".join(failed[:10]))
        for stage in missing:
            self.stages[stage.name] = self.inspect(stage, target_names)
        self.lock_down()
        stamp.write_text(json.dumps({"fingerprint": fingerprint, "hashes": self.hashes,
                                     "stages": {name: vars(build) for name, build in self.stages.items()}}))

    def copy_kit_and_configure(self) -> None:
        """A fresh copy of the kit, configured for grading, nothing built yet."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.stages, self.hashes, self.verified = {}, {}, {}
        for path in self.kit_files():
            target = self.kit / path.relative_to(self.kit_root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        launcher = [sys.executable, str(COMPILE_LAUNCHER)] + shlex.split(os.environ.get("CMAKE_CXX_COMPILER_LAUNCHER", ""))
        configure = ["cmake", "-S", str(self.kit), "-B", str(self.build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug",
                     "-DNETLAB_TESTS=ON", "-DNETLAB_GRADING=ON", "-DCMAKE_CXX_COMPILER_LAUNCHER=" + ";".join(launcher)]
        if shutil.which("ld.gold"):
            # Links (a stage's programs and logic host, with each submission) take half the time of ld's.
            configure.append("-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=gold")
        run_or_explain(configure)

    def inspect(self, stage: Stage, target_names: set[str]) -> StageBuild:
        programs, untrusted, kinds = {}, {}, {}
        for kind in netlab_stages.TEST_KINDS:
            if not stage.test_files[kind]:
                continue
            for table, pattern in ((untrusted, UNTRUSTED_PROGRAMS.get(kind)), (programs, TRUSTED_PROGRAMS[kind])):
                program = pattern and self.build / "tests" / stage.name / pattern.format(stage=stage.name)
                if program and program.is_file():
                    for name in netlab_stages.built_tests(program):
                        table[name] = str(program.relative_to(self.build))
                        kinds[name] = kind
                    if table is programs:
                        self.hashes[str(program.relative_to(self.build))] = sha256(program)
        # The student's targets that the kit could build (no logic host where its generated code failed).
        targets = [name.format(stage=stage.name) for name in student_targets(stage)]
        host = LOGIC_HOST.format(stage=stage.name)
        has_host = (self.build / "tests" / stage.name / host).is_file()
        targets = [name for name in targets if name in target_names and (name != host or has_host)]
        outputs = [f"bin/{stage.name}_{role}" for role in stage.programs]
        if has_host:
            outputs.append(f"tests/{stage.name}/{host}")
        outputs += [str(library.relative_to(self.build)) for library in self.build.rglob(f"lib{stage.name}_exercise_logic.a")]
        return StageBuild(programs, untrusted, kinds, targets, outputs,
                          logic_objects=f"CMakeFiles/{stage.name}_exercise_logic.dir")

    def lock_down(self) -> None:
        """What student code must not read or run: hidden tests, test programs,
        reports. (Student programs run from bin/ and tests/<stage>/, which stay open.)"""
        for hidden in self.kit.glob("tests/*/hidden"):
            hidden.chmod(0o700)
        for program in self.hashes:
            (self.build / program).chmod(0o700)
        for program in {program for build in self.stages.values() for program in build.untrusted.values()}:
            (self.build / program).chmod(0o700)
        self.private.mkdir(mode=0o700, exist_ok=True)

    # Building a student's stage ------------------------------------------------
    def build_stage(self, stage: Stage, files: dict[str, Path],
                    earlier: list[tuple[Stage, dict[str, Path]]] = ()) -> str | None:
        """Copies the student's logic files (the stubs for those missing) in and
        rebuilds; returns None when it built, else the compiler's first lines.
        `earlier` holds the stages it builds on, with the student's files of
        each: they are copied in too, and their logic is rebuilt with it.
        What an earlier build made from student code is deleted first, and
        checked to be remade after, so a failed build can never leave an old
        program to be tested."""
        built = self.stages[stage.name]
        self.user.kill_everything()  # nothing of an earlier grading runs on (each test kills what it started)
        for owner, owner_files in [*earlier, (stage, files)]:
            for name in owner.logic:
                source = owner_files.get(name, self.kit_root / "exercises" / owner.name / name)
                target = self.kit / "exercises" / owner.name / name
                target.write_bytes(source.read_bytes())
                target.chmod(0o644)
        for owner, _ in earlier:
            for library in self.stages[owner.name].outputs:
                if library.endswith(".a"):
                    (self.build / library).unlink(missing_ok=True)
            shutil.rmtree(self.build / self.stages[owner.name].logic_objects, ignore_errors=True)
        for output in built.outputs:
            (self.build / output).unlink(missing_ok=True)
        shutil.rmtree(self.build / built.logic_objects, ignore_errors=True)

        env = dict(os.environ, NETLAB_GRADE_EXERCISES=str(self.kit / "exercises"))
        if self.user.separate:
            env["NETLAB_GRADE_STUDENT"] = f"{self.user.uid}:{self.user.gid}"
        started = time.time()
        log = self.private / "build.log"
        status, _ = run_limited(["ninja", "-C", str(self.build), *built.targets], cwd=self.build, env=env,
                                seconds=BUILD_SECONDS, output=log)
        if status is None:
            return f"the build took longer than {BUILD_SECONDS} s and was stopped"
        if status != 0:
            return self.diagnostics(read_capped(log)) or f"the build failed (status {status}) without a message"
        for output in built.outputs:
            path = self.build / output
            if not path.is_file() or path.stat().st_mtime < started - 1:
                return f"the build did not make {output}"
        return None

    def diagnostics(self, log: str) -> str:
        """The compiler's first messages, with the grader's paths taken out."""
        lines = []
        for line in log.replace(str(self.kit) + "/", "").replace(str(self.build) + "/", "").splitlines():
            if re.match(r"^\[\d+/\d+\] |^FAILED: |^ninja: |^/usr/bin/\S*(c\+\+|g\+\+|ld)\b|^\S*python3? ", line):
                continue
            lines.append(line)
        shown = lines[:DIAGNOSTIC_LINES]
        more = len(lines) - len(shown)
        return "\n".join(shown) + (f"\n... ({more} more lines)" if more > 0 else "")

    # Running a test ------------------------------------------------------------
    def unchanged(self, program: str) -> bool:
        """Whether a test program is still the one built when the kit was
        prepared. Its hash is checked the first time, then only if its status
        has changed since: any write to it changes its ctime, which only the
        kernel sets (hashing each program before each test cost a tenth of a
        second a test)."""
        path = self.build / program
        status = path.stat()
        signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        if self.verified.get(program) == signature:
            return True
        if sha256(path) != self.hashes[program]:
            return False
        self.verified[program] = signature
        return True

    def run_test(self, stage: Stage, test: Test) -> Verdict:
        built = self.stages[stage.name]
        if test.name not in built.programs:
            if test.name in built.untrusted:
                return Verdict(stage.name, test, False,
                               f"not graded: the only program with this test ({Path(built.untrusted[test.name]).name}) "
                               "runs the student's code in its own process, so its verdict could be forged. "
                               "(For the instructor: the kit needs the graded unit tests, built with NETLAB_GRADING=ON.)")
            return Verdict(stage.name, test, False, "not graded: no test program of the kit has this test")
        program = self.build / built.programs[test.name]
        if not self.unchanged(built.programs[test.name]):
            return Verdict(stage.name, test, False, f"not graded: {program.name} changed since the kit was built")
        kind = built.kinds[test.name]
        limit = test.time_limit or (netlab_stages.E2E_TIME_LIMIT if kind.endswith("e2e")
                                    else netlab_stages.UNIT_TIME_LIMIT)

        shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch.mkdir()
        os.chown(self.scratch, self.user.uid, self.user.gid)
        self.scratch.chmod(0o700)
        with tempfile.TemporaryDirectory(dir=self.private) as private:
            report = Path(private) / "report.json"
            output = Path(private) / "output.txt"
            env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                   "NETLAB_STUDENT_WRAPPER": " ".join(self.user.wrapper(limit, self.scratch))}
            command = [str(program), f"--gtest_filter={test.name}", f"--gtest_output=json:{report}"]
            status, seconds = run_limited(command, cwd=self.scratch, env=env, seconds=limit, output=output,
                                          file_bytes=TEST_OUTPUT_BYTES)
            self.user.kill_everything()
            verdict = read_report(report, test.name)
            printed = read_capped(output)
        if status is None:
            return Verdict(stage.name, test, False, f"timed out after {limit:g} s", seconds)
        if verdict is None:
            why = f"the test program was killed by signal {-status}" if status < 0 else \
                  f"the test program exited with status {status}"
            return Verdict(stage.name, test, False, f"no verdict ({why}); a test without a verdict scores 0\n"
                                                     f"{printed[-1500:]}".strip(), seconds)
        passed, message = verdict
        if passed and status != 0:
            passed, message = False, f"the test program exited with status {status} after the test passed"
        return Verdict(stage.name, test, passed, clip(message), seconds)


def student_targets(stage: Stage) -> list[str]:
    """The build targets made from a student's logic files (patterns of {stage})."""
    return ["{stage}_exercise_logic", *[f"{{stage}}_{role}" for role in stage.programs], LOGIC_HOST]


def run_or_explain(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise GradingError(f"preparing the kit failed: {' '.join(command)}\n{(done.stdout + done.stderr)[-4000:]}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextlib.contextmanager
def free_slot(work: Path, kit_root: Path, log=print, wanted: int | None = None,
              stage_names: list[str] | None = None):
    """A slot nobody else is using (a lock file per slot), prepared for these stages (default: all)."""
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)
    index, lock = lock_first_free(work, "slot", wanted or 0, wait=wanted is not None)
    try:
        slot = Slot(work, index, kit_root, log)
        try:
            slot.prepare(stage_names)
            yield slot
        finally:
            slot.user.release()
    finally:
        lock.close()


# ---------------------------------------------------------------- one submission

class Grading:
    """The verdicts of one submission as they come, and the reports made of them.
    results.json is rewritten after each verdict, so it is valid whenever the
    grader stops; a test not graded yet is listed with 0."""

    def __init__(self, stages: list[Stage], results: Path | None):
        self.stages = stages
        self.results = results
        self.notes: list[str] = []  # for everyone: files found, build failures, the grader's own notes
        self.verdicts: dict[tuple[str, str], Verdict] = {}
        self.started = time.monotonic()
        self.write_results()

    def add(self, verdict: Verdict) -> None:
        self.verdicts[(verdict.stage, verdict.test.name)] = verdict
        self.write_results()

    def fail_stage(self, stage: Stage, why: str) -> None:
        for test in stage.tests:
            self.add(Verdict(stage.name, test, False, why))

    def verdict(self, stage: Stage, test: Test) -> Verdict:
        return self.verdicts.get((stage.name, test.name)) or Verdict(stage.name, test, False, "not graded")

    def score(self, stage: Stage | None = None) -> float:
        return sum(self.verdict(each, test).score for each in self.stages if stage in (None, each) for test in each.tests)

    def results_json(self) -> dict:
        tests = []
        for number, stage in enumerate(self.stages, start=1):
            for index, test in enumerate(stage.tests, start=1):
                verdict = self.verdict(stage, test)
                tests.append({"name": f"{stage.name}: {test.name}", "number": f"{number}.{index}",
                              "score": verdict.score, "max_score": test.points,
                              "status": "passed" if verdict.passed else "failed",
                              "output": verdict.message, "tags": [stage.name], "visibility": test.visibility})
        return {"score": self.score(), "execution_time": round(time.monotonic() - self.started, 1),
                "output": "\n".join(self.notes), "visibility": "visible", "stdout_visibility": "hidden",
                "tests": tests}

    def write_results(self) -> None:
        if self.results:
            write_atomically(self.results, json.dumps(self.results_json(), indent=2) + "\n")

    def junit(self) -> str:
        suites = ElementTree.Element("testsuites", name="netlab-grade")
        for stage in self.stages:
            failed = sum(not self.verdict(stage, test).passed for test in stage.tests)
            suite = ElementTree.SubElement(suites, "testsuite", name=stage.name, tests=str(len(stage.tests)),
                                           failures=str(failed))
            ElementTree.SubElement(ElementTree.SubElement(suite, "properties"), "property", name="score",
                                   value=f"{self.score(stage):g}/{stage.max_points():g}")
            for test in stage.tests:
                verdict = self.verdict(stage, test)
                case = ElementTree.SubElement(suite, "testcase", classname=f"{stage.name}.{test.name.split('.')[0]}",
                                              name=test.name.split(".", 1)[1], time=f"{verdict.seconds:.3f}")
                if not verdict.passed:
                    failure = ElementTree.SubElement(case, "failure", message=verdict.message.split("\n")[0][:200])
                    failure.text = verdict.message
        ElementTree.indent(suites)
        return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"

    def summary(self) -> str:
        lines = list(self.notes)
        for stage in self.stages:
            lines.append(f"{stage.name}: {self.score(stage):g}/{stage.max_points():g}")
            for test in stage.tests:
                verdict = self.verdict(stage, test)
                lines.append(f"  {'passed' if verdict.passed else 'FAILED'}  {test.name} "
                             f"({verdict.score:g}/{test.points:g})")
                if not verdict.passed and verdict.message:
                    lines += ["          " + line for line in verdict.message.splitlines()]
        total = sum(stage.max_points() for stage in self.stages)
        lines.append(f"total: {self.score():g}/{total:g}")
        return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text)
    temporary.chmod(0o644)
    os.replace(temporary, path)


def grade(submission: Path, stages: list[Stage], slot: Slot, grading: Grading) -> None:
    """Grades every stage of `stages` into `grading`."""
    if not slot.user.separate:
        grading.notes.append("note: the grader is not running as root, so student code ran as its own user: "
                             "limits applied, but no separate user (see handouts/instructor.md, \"Grading\")")
    with tempfile.TemporaryDirectory(prefix="netlab-submission-") as unpacked:
        root = Path(unpacked) / "submission"
        if submission.is_file():
            root.mkdir()
            grading.notes += unpack_zip(submission, root)
        else:
            shutil.copytree(submission, root, symlinks=True)
        for archive in [path for path in submitted_files(root) if path.suffix == ".zip"]:
            grading.notes += unpack_zip(archive, archive.with_suffix(""))
        files = submitted_files(root)
        for stage in stages:
            found = find_logic_files(files, stage, root)
            grading.notes += describe(found, stage, root)
            if not found.submitted():
                grading.fail_stage(stage, f"not graded: no file of {stage.name} in the submission")
                continue
            # A stage that builds on earlier ones runs the student's own code of those too.
            earlier = []
            for base in netlab_stages.bases(stage):
                found_base = find_logic_files(files, base, root)
                if not found_base.submitted():
                    grading.notes.append(f"{stage.name} builds on {base.name}, and the submission has no file of "
                                         f"{base.name}: {stage.name} was graded with {base.name}'s stubs")
                earlier.append((base, found_base.files))
            problem = slot.build_stage(stage, found.files, earlier)
            if problem:
                grading.notes.append(f"{stage.name}: your files did not build, so no test of {stage.name} "
                                     f"ran:\n{problem}")
                grading.fail_stage(stage, f"not run: {stage.name} did not build (the compiler's messages are at the top)")
                continue
            for test in stage.tests:
                grading.add(slot.run_test(stage, test))
