#!/usr/bin/env python3
"""Compiler launcher of the grader's kit builds (tools/netlab-grade sets it as
CMAKE_CXX_COMPILER_LAUNCHER): `netlab_grade_compile.py [launcher...] compiler args...`.

A student's logic file is compiled as the student user, with limits, so that
an `#include` of a hidden test or of a solution fails like any unreadable
file: the compiler runs with the student's rights, writes into a folder of
theirs, and the object is moved into the build tree afterwards. Every other
file (the kit's own) is compiled as it would be without this launcher.

The grader says who the student user is in NETLAB_GRADE_STUDENT ("uid:gid"),
and where the kit's exercises are in NETLAB_GRADE_EXERCISES; without them
(preparing the kit, or a grader not run as root) this launcher only runs the command.
"""

import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

COMPILE_SECONDS = 120  # CPU time of one compile: a template explosion stops here
COMPILE_MEMORY = 3 << 30  # bytes of address space


def student_source(command: list[str], exercises: Path) -> bool:
    """Whether the command compiles a logic file: exercises/<stage>/<file>.cpp."""
    if "-c" not in command or command.index("-c") + 1 >= len(command):
        return False
    source = Path(command[command.index("-c") + 1]).resolve()
    return source.parent.parent == exercises and source.parent.name != "common"


def compile_as(student: str, command: list[str]) -> int:
    uid, gid = (int(part) for part in student.split(":"))
    outputs = {}  # flag -> the path the build wants
    with tempfile.TemporaryDirectory(prefix="netlab-compile-") as scratch:
        os.chown(scratch, uid, gid)
        command = list(command)
        for flag, name in (("-o", "out.o"), ("-MF", "out.d")):
            if flag in command:
                where = command.index(flag) + 1
                outputs[flag] = command[where]
                command[where] = os.path.join(scratch, name)

        def drop_rights():
            resource.setrlimit(resource.RLIMIT_CPU, (COMPILE_SECONDS, COMPILE_SECONDS))
            resource.setrlimit(resource.RLIMIT_AS, (COMPILE_MEMORY, COMPILE_MEMORY))
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)

        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "TMPDIR": scratch, "HOME": scratch, "CCACHE_DISABLE": "1"}
        status = subprocess.call(command, env=env, preexec_fn=drop_rights)
        if status == 0:
            for flag, path in outputs.items():
                shutil.move(os.path.join(scratch, "out.o" if flag == "-o" else "out.d"), path)
                os.chown(path, os.getuid(), os.getgid())  # the build tree's, not the student's to rewrite
        return status


def main() -> int:
    command = sys.argv[1:]
    student = os.environ.get("NETLAB_GRADE_STUDENT")
    exercises = os.environ.get("NETLAB_GRADE_EXERCISES")
    if student and exercises and student_source(command, Path(exercises).resolve()):
        return compile_as(student, command)
    os.execvp(command[0], command)


if __name__ == "__main__":
    sys.exit(main())
