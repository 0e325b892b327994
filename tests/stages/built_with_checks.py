"""Every file compiled into a stage's programs and tests (drivers, logic, tests,
and with NETLAB_GRADING the logic hosts' generated dispatchers) is compiled with the library checks that crash reports explain
(_GLIBCXX_ASSERTIONS). An inline function compiled both with and without them,
such as std::optional's operator*, is linked once, from the first object that
has it: one driver built without them turned a student's `*reply` on an empty
optional back into silent undefined behaviour in the programs run by hand.

    built_with_checks.py BUILD_DIR SOURCE_DIR
"""

import json
import sys
from pathlib import Path


def main(build: Path, source: Path) -> int:
    stage_folders = [source / "exercises", source / "solutions"]
    stage_folders += [manifest.parent for manifest in (source / "tests").glob("*/stage.json")]
    commands = json.loads((build / "compile_commands.json").read_text())

    def of_a_stage(file: Path) -> bool:
        return any(file.is_relative_to(folder) for folder in stage_folders) or file.name.endswith("_dispatch.cpp")

    stage_files = [entry for entry in commands if of_a_stage(Path(entry["file"]).resolve())]
    without = sorted({entry["file"] for entry in stage_files
                      if "-D_GLIBCXX_ASSERTIONS" not in entry.get("command", " ".join(entry.get("arguments", [])))})
    for file in without:
        print(f"{file}: compiled without -D_GLIBCXX_ASSERTIONS (cmake/stages.cmake says why it needs them)")
    if not stage_files:
        print(f"no stage file in {build}/compile_commands.json")
    print(f"{len(stage_files) - len(without)} of {len(stage_files)} compilations of stage files have the checks")
    return 1 if without or not stage_files else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2]).resolve()))
