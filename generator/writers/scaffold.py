"""``meshdocs new DIR``: a working project of one's own, built with the registry embedded in meshdocs.

The scaffold ships in the package (``data/scaffold``); files that must start with a dot are stored as
``dot-…`` (package data globs skip hidden files) and renamed here. One design of the embedded catalog
is copied in as the example a contributor edits or replaces.
"""

from __future__ import annotations

import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from meshdocs.resources import embedded_designs, scaffold_dir

# Where the composite Action and the pre-commit hook live (action.yml, .pre-commit-hooks.yaml): the
# scaffold's workflows and hook refer to them at the installed version's tag.
ACTION_REPOSITORY = "meshdocs/meshdocs"
EXAMPLE_DESIGN = "web-front-end-hpa"


class ScaffoldError(Exception):
    """Why nothing was written."""


def new_project(target: Path) -> list[Path]:
    """Write the project into ``target`` (new or empty); the files written, relative to it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"{target} is not empty; meshdocs new writes only into a new or empty folder")
    release = _version()
    written: list[Path] = []
    source = scaffold_dir()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        rel = Path(*(part.replace("dot-", ".", 1) if part.startswith("dot-") else part
                     for part in path.relative_to(source).parts))  # fmt: skip
        text = path.read_text("utf-8")
        text = text.replace("__ACTION_REPOSITORY__", ACTION_REPOSITORY).replace("__VERSION__", release)
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        (target / rel).write_text(text, "utf-8")
        written.append(rel)
    example = target / "catalog" / "designs" / EXAMPLE_DESIGN
    shutil.copytree(embedded_designs() / EXAMPLE_DESIGN, example)
    written += sorted(p.relative_to(target) for p in example.rglob("*") if p.is_file())
    return written


def _version() -> str:
    try:
        return version("meshdocs")
    except PackageNotFoundError:
        return "0"
