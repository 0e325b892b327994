"""The course's stages as the kit's tools see them: which stages there are,
what each one's manifest declares, and what makes a stage complete.

The top-level CMakeLists.txt names the stages in course order, one
`netlab_add_stage(<stage>)` line each; each stage's manifest is
tests/<stage>/stage.json (handouts/instructor.md documents its fields).
cmake/stages.cmake builds from the same manifest; the checker, the grader and
the release command read it through this module.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

START_MARKER = "*** start ***"
END_MARKER = "*** end ***"

UNIT_TIME_LIMIT = 10  # seconds, as NETLAB_UNIT_TIME_LIMIT in cmake/stages.cmake
E2E_TIME_LIMIT = 30
VISIBILITIES = ("visible", "after_published", "after_due_date", "hidden")
TEST_KINDS = ("unit", "e2e", "hidden_unit", "hidden_e2e")

_STAGE_LINE = re.compile(r"^\s*netlab_add_stage\(\s*([A-Za-z0-9_]+)\s*\)", re.MULTILINE)
_TEST_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
_MANIFEST_KEYS = {"title", "builds_on", "programs", "logic", "entry_points", "unit", "e2e", "hidden", "diagram",
                  "tests"}
_QUALIFIED_NAME = re.compile(r"^[A-Za-z_]\w*(::~?[A-Za-z_]\w*)+$")
_QUALIFIERS = {"const", "noexcept"}
_TEST_KEYS = {"name", "points", "visibility", "time_limit"}


class ManifestError(Exception):
    """A manifest that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Test:
    name: str  # GoogleTest's Suite.Test
    points: float
    visibility: str = "visible"
    time_limit: float | None = None  # seconds; None: the default of its kind


@dataclass(frozen=True)
class EntryPoint:
    """A function of a stage's logic that graded tests call through a logic
    host (cmake/stages.cmake, tools/netlab-entry-points), as the manifest
    declares it: its declaration with the scope spelled out and parameter
    types only, e.g. `netlab::Task<void> pingpong1::server_logic(netlab::Server&, netlab::Message)`,
    `std::string doctor::Doctor::reply(std::string_view) const`, `doctor::Doctor::~Doctor()`."""
    signature: str
    result: str  # "" for a constructor or a destructor
    scope: str  # "pingpong1", "doctor::Doctor"
    name: str  # "server_logic", "Doctor", "~Doctor"
    parameters: tuple[str, ...]
    qualifiers: tuple[str, ...]  # "const", "noexcept"
    static: bool = False  # a static method, declared "static ..."

    @property
    def qualified_name(self) -> str:
        return f"{self.scope}::{self.name}"

    @property
    def is_constructor(self) -> bool:
        return self.name == self.scope.split("::")[-1]

    @property
    def is_destructor(self) -> bool:
        return self.name.startswith("~")


def _split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at each `separator` outside <>, () and []."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in "<([":
            depth += 1
        elif char in ">)]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def parse_entry_point(signature: str) -> EntryPoint:
    """Reads an entry point's declaration; raises ValueError saying what is wrong with it."""
    text = " ".join(signature.split())
    static = text.startswith("static ")
    if static:
        text = text[len("static "):]
    close = text.rfind(")")
    if close < 0:
        raise ValueError("no parameter list")
    qualifiers = tuple(text[close + 1:].split())
    if set(qualifiers) - _QUALIFIERS:
        raise ValueError(f"after the parameters, only {' and '.join(sorted(_QUALIFIERS))} may come")
    depth, open_ = 0, -1
    for index in range(close, -1, -1):
        depth += {")": 1, "(": -1}.get(text[index], 0)
        if depth == 0:
            open_ = index
            break
    if open_ < 0:
        raise ValueError("unbalanced parentheses")
    parameters = _split_top_level(text[open_ + 1:close], ",")
    if parameters in ([""], ["void"]):
        parameters = []
    if any(not parameter for parameter in parameters):
        raise ValueError("an empty parameter")
    head = _split_top_level(text[:open_].strip(), " ")
    name, result = head[-1], " ".join(head[:-1])
    if not _QUALIFIED_NAME.match(name):
        raise ValueError(f"{name!r} is not a qualified name such as pingpong1::server_logic "
                         "(the namespace or class spelled out)")
    scope, _, name = name.rpartition("::")
    entry = EntryPoint(signature, result, scope, name, tuple(parameters), qualifiers, static)
    if not result and not (entry.is_constructor or entry.is_destructor):
        raise ValueError("no result type")
    if result and (entry.is_constructor or entry.is_destructor):
        raise ValueError("a constructor or destructor has no result type")
    return entry


@dataclass
class Stage:
    name: str
    root: Path
    title: str
    programs: list[str]
    logic: list[str]
    test_files: dict[str, list[str]]  # kind (unit, e2e, hidden_unit, hidden_e2e) -> files
    tests: list[Test]
    entry_points: list[EntryPoint] = field(default_factory=list)
    diagram: str | None = None
    manifest: dict = field(default_factory=dict, repr=False)
    # Earlier stages whose header and logic this one uses (the student's own carry forward).
    builds_on: list[str] = field(default_factory=list)

    @property
    def exercise_dir(self) -> Path:
        return self.root / "exercises" / self.name

    @property
    def solution_dir(self) -> Path:
        return self.root / "solutions" / self.name

    @property
    def test_dir(self) -> Path:
        return self.root / "tests" / self.name

    @property
    def manifest_path(self) -> Path:
        return self.test_dir / "stage.json"

    @property
    def handout(self) -> Path:
        return self.root / "handouts" / f"{self.name}.md"

    def test_file_paths(self, kind: str) -> list[Path]:
        folder = self.test_dir / "hidden" if kind.startswith("hidden_") else self.test_dir
        return [folder / name for name in self.test_files.get(kind, [])]

    def max_points(self) -> float:
        return sum(test.points for test in self.tests)

    @property
    def header(self) -> Path:
        return self.exercise_dir / f"{self.name}.hpp"

    def classes(self) -> set[str]:
        """The classes the stage header defines: the scopes of entry points that are methods."""
        if not self.header.is_file():
            return set()
        return set(re.findall(r"\b(?:class|struct)\s+([A-Za-z_]\w*)\s*(?:final\s*)?[:{]", self.header.read_text()))

    def is_method(self, entry: EntryPoint) -> bool:
        return not entry.static and entry.scope.split("::")[-1] in self.classes()


def declared_stages(root: Path = ROOT) -> list[str]:
    """The stages named in the top-level CMakeLists.txt, in course order."""
    return _STAGE_LINE.findall((root / "CMakeLists.txt").read_text())


def load_stage(name: str, root: Path = ROOT) -> Stage:
    path = root / "tests" / name / "stage.json"
    where = path.relative_to(root)
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise ManifestError(f"{where}: missing (handouts/instructor.md, \"Adding a stage\", says what it holds)")
    except json.JSONDecodeError as error:
        raise ManifestError(f"{where}:{error.lineno}: not valid JSON: {error.msg}")
    if not isinstance(manifest, dict):
        raise ManifestError(f"{where}: must hold one JSON object")

    def strings(value, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise ManifestError(f"{where}: \"{key}\" must be a list of names")
        return value

    unknown = set(manifest) - _MANIFEST_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; "
                            f"known: {', '.join(sorted(_MANIFEST_KEYS))}")
    for key in ("title", "programs", "logic", "tests"):
        if key not in manifest:
            raise ManifestError(f"{where}: no \"{key}\"")
    if not isinstance(manifest["title"], str):
        raise ManifestError(f"{where}: \"title\" must be a string")

    test_files = {kind: strings(manifest.get(kind, []), kind) for kind in ("unit", "e2e")}
    hidden = manifest.get("hidden", {})
    if not isinstance(hidden, dict) or set(hidden) - {"unit", "e2e"}:
        raise ManifestError(f"{where}: \"hidden\" must be {{\"unit\": [...], \"e2e\": [...]}}")
    for kind in ("unit", "e2e"):
        test_files[f"hidden_{kind}"] = strings(hidden.get(kind, []), f"hidden.{kind}")

    tests = []
    if not isinstance(manifest["tests"], list):
        raise ManifestError(f"{where}: \"tests\" must be a list of {{\"name\": ..., \"points\": ...}}")
    for entry in manifest["tests"]:
        if not isinstance(entry, dict) or set(entry) - _TEST_KEYS or "name" not in entry or "points" not in entry:
            raise ManifestError(f"{where}: each test is {{\"name\": \"Suite.Test\", \"points\": N}} with optional "
                                f"\"visibility\" and \"time_limit\", not {json.dumps(entry)}")
        test = entry["name"]
        if not isinstance(test, str) or not _TEST_NAME.match(test):
            raise ManifestError(f"{where}: test name {json.dumps(test)} is not GoogleTest's Suite.Test")
        points = entry["points"]
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            raise ManifestError(f"{where}: {test}: points must be a number, 0 or more")
        visibility = entry.get("visibility", "visible")
        if visibility not in VISIBILITIES:
            raise ManifestError(f"{where}: {test}: visibility must be one of {', '.join(VISIBILITIES)}")
        time_limit = entry.get("time_limit")
        if time_limit is not None and (isinstance(time_limit, bool) or not isinstance(time_limit, (int, float))
                                       or time_limit <= 0):
            raise ManifestError(f"{where}: {test}: time_limit must be a number of seconds")
        tests.append(Test(test, points, visibility, time_limit))
    entry_points = []
    for signature in strings(manifest.get("entry_points", []), "entry_points"):
        try:
            entry_points.append(parse_entry_point(signature))
        except ValueError as error:
            raise ManifestError(f"{where}: entry point {json.dumps(signature)}: {error}")

    names = [test.name for test in tests]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ManifestError(f"{where}: listed more than once: {', '.join(repeated)}")

    return Stage(name=name, root=root, title=manifest["title"],
                 programs=strings(manifest["programs"], "programs"), logic=strings(manifest["logic"], "logic"),
                 test_files=test_files, tests=tests, entry_points=entry_points, diagram=manifest.get("diagram"),
                 manifest=manifest, builds_on=strings(manifest.get("builds_on", []), "builds_on"))


def load_stages(root: Path = ROOT) -> list[Stage]:
    return [load_stage(name, root) for name in declared_stages(root)]


def bases(stage: Stage) -> list[Stage]:
    """The stages `stage` builds on, and theirs, earliest first."""
    found: list[Stage] = []
    for name in stage.builds_on:
        for base in [*bases(load_stage(name, stage.root)), load_stage(name, stage.root)]:
            if base.name not in [known.name for known in found]:
                found.append(base)
    return found


def student_regions(text: str) -> tuple[list[tuple[int, str]], list[list[str]]]:
    """Splits a logic file into the lines outside its student regions (marker
    lines included), each with its number from 1, and the lines of each
    region. Raises ValueError for a marker out of place."""
    outside: list[tuple[int, str]] = []
    regions: list[list[str]] = []
    inside = False
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = START_MARKER in line, END_MARKER in line
        if (start and inside) or (end and not inside):
            raise ValueError(f"line {number}: a marker out of place: {line.strip()}")
        if start:
            outside.append((number, line))
            regions.append([])
            inside = True
        elif end:
            outside.append((number, line))
            inside = False
        elif inside:
            regions[-1].append(line)
        else:
            outside.append((number, line))
    if inside:
        raise ValueError(f"a `{START_MARKER}` without its `{END_MARKER}`")
    return outside, regions


def _code_only(text: str) -> str:
    """`text` with its comments, string and character literals blanked out."""
    return re.sub(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', " ", text, flags=re.DOTALL)


def defined_functions(text: str) -> list[str]:
    """The qualified names of the functions C++ code defines outside anonymous
    namespaces. Outside the student regions of a logic file, these are the
    functions a graded test may call, each of which must be an entry point: a
    definition `netlab::Task<void> client_logic(netlab::Client& client) {`
    inside `namespace pingpong1 {` is pingpong1::client_logic. In a stage
    header, a method defined inside its class is found too (toy::Parrot::name)."""
    code = _code_only(text)
    # Per open brace: the name of a namespace ("" if anonymous) or class, None for other blocks.
    scopes: list[str | None] = []
    names = []
    statement = ""
    for char in code:
        if char == "{":
            namespace = re.search(r"\bnamespace\s*([\w:]*)\s*$", statement)
            a_class = re.match(r"\s*(?:class|struct)\s+([A-Za-z_]\w*)[^(]*$", statement)
            if namespace:
                scopes.append(namespace.group(1))
            elif a_class:
                scopes.append(a_class.group(1))
            else:
                call = re.search(r"([A-Za-z_~][\w:~]*)\s*\(", statement)
                if call and all(scope for scope in scopes) and "=" not in statement.split("(")[0]:
                    names.append("::".join([*scopes, call.group(1)]))
                scopes.append(None)
            statement = ""
        elif char == "}":
            if scopes:
                scopes.pop()
            statement = ""
        elif char == ";":
            statement = ""
        else:
            statement += char
    return names


def built_tests(program: Path) -> list[str]:
    """The tests a GoogleTest program holds, as Suite.Test names."""
    listing = subprocess.run([str(program), "--gtest_list_tests"], capture_output=True, text=True, timeout=60,
                             check=True).stdout
    tests, suite = [], None
    for line in listing.splitlines():
        line = line.split("  #")[0].rstrip()
        if line and not line.startswith(" ") and line.endswith("."):
            suite = line
        elif line.startswith("  ") and suite:
            tests.append(suite + line.strip())
    return tests
