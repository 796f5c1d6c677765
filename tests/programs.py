"""Programs the suite runs that pip cannot install, looked up in ``tests/system-packages.txt``.

``make test`` installs them first (its ``system-deps`` prerequisite). A test that finds one missing fails
(never skips) with a line that names the program, its Debian package and the make target that installs it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

LIST = Path(__file__).resolve().parent / "system-packages.txt"
TARGET = "make system-deps"


@dataclass(frozen=True)
class Program:
    """One line of the list: where the tests look for ``program``, and the ``package`` that ships it."""

    program: str
    package: str
    purpose: str


def listed(path: Path = LIST) -> dict[str, Program]:
    """Every program in the list, by its base name (``chromium`` for ``/usr/bin/chromium``)."""
    programs: dict[str, Program] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        program, package, *purpose = line.split()
        programs[Path(program).name] = Program(program, package, " ".join(purpose))
    return programs


def find(program: Program) -> str | None:
    """The program's path when it is installed: a listed path must exist there, a bare name on PATH."""
    if "/" in program.program:
        path = Path(program.program)
        return str(path) if path.is_file() and shutil.which(str(path)) else None
    return shutil.which(program.program)


def missing_message(program: Program) -> str:
    return (
        f"{program.program} is not installed (Debian package {program.package}; {program.purpose}): "
        f"`{TARGET}` installs it, and `make test` runs that first"
    )


def require(name: str, path: Path = LIST) -> str:
    """The installed path of listed program ``name``, or a failed test that says how to install it."""
    program = listed(path)[name]
    found = find(program)
    if found is None:
        pytest.fail(missing_message(program), pytrace=False)
    return found
