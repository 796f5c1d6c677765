"""``meshdocs validate``: tell a contributor everything wrong with the files they name, at once.

Everything a build reads can be checked, and what a path is decides how, by its content rather than its
extension alone: a catalog entry folder (``catalog/designs/<slug>``) or the catalog folder itself, a
design file, a learning-path tree or one of its pages, a keys spreadsheet export (CSV), content pages,
and registry folders or definition files. Designs are cross-checked against a registry (the embedded
one unless ``--registry`` names others).
"""

from __future__ import annotations

import os
from itertools import islice
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.catalog import CATALOG_FILES, DESIGN_FILES, is_entry, load_design, load_entry
from meshdocs.loaders.content import OWN_LOADERS, load_content, load_page, split_front_matter
from meshdocs.loaders.design_check import resolve_design
from meshdocs.loaders.keys import load_keys
from meshdocs.loaders.learning import INDEX, is_learning_file, load_learning_paths
from meshdocs.loaders.registry import LoadOptions, load_registry, load_registry_files
from meshdocs.model.registry import Registry

_SNIFF_BYTES = 4096
_MAX_SCAN = 2_000  # files looked at to tell what a folder holds


class _Registry:
    """The cross-check registry, read on first use only (registry-only runs never need it)."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self._registry: Registry | None = None

    def get(self, report: Report) -> Registry:
        if self._registry is None:
            missing = [r for r in self.roots if not r.is_dir()]
            for root in missing:
                report.error(root, "registry folder for cross-checks does not exist")
            # Problems inside the registry are not the contributor's: they are not reported here.
            self._registry = load_registry([r for r in self.roots if r.is_dir()], Report(), LoadOptions(True))
        return self._registry


def validate_paths(paths: list[Path], report: Report, registries: list[Path]) -> None:
    registry = _Registry(registries)
    registry_files: list[Path] = []
    for path in paths:
        if not path.exists():
            report.error(path, "no such file or folder")
        elif path.is_dir():
            _validate_folder(path, report, registry)
        elif path.name in CATALOG_FILES or (path.name in DESIGN_FILES and is_entry(path.parent)):
            load_entry(path.parent, registry.get(report), report)
        elif path.name in DESIGN_FILES:
            design = load_design(path, report)
            if design is not None:
                resolve_design(design, registry.get(report), report)
        elif _is_keys_sheet(path):
            load_keys(path, report)
        elif path.suffix.lower() == ".md":
            _validate_page(path, report)
        else:
            registry_files.append(path)
    if registry_files:
        load_registry_files(registry_files, report)


def _validate_folder(path: Path, report: Report, registry: _Registry) -> None:
    if is_entry(path):
        load_entry(path, registry.get(report), report)
    elif any(is_entry(child) for child in path.iterdir()):
        for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
            load_entry(child, registry.get(report), report)
    else:
        files = _files(path)
        pages = [p for p in files if p.suffix.lower() == ".md" and not is_learning_file(p)]
        if pages:  # a content folder: its pages, and the learning paths and keys sheets it holds
            load_content(path, report)
            for folder in sorted(p for p in path.iterdir() if p.is_dir() and p.name in OWN_LOADERS):
                load_learning_paths(folder, report, include_drafts=True)
            for sheet in sorted(p for p in files if p.suffix.lower() == ".csv"):
                load_keys(sheet, report)
        elif any(p.suffix.lower() == ".md" for p in files):
            load_learning_paths(path, report, include_drafts=True)  # drafts are checked before publishing
        else:
            load_registry([path], report, LoadOptions(include_ignored=True))


def _validate_page(path: Path, report: Report) -> None:
    """A learning-path page is checked in its tree (ids among siblings), reporting on it alone."""
    if not is_learning_file(path):
        load_page(path, report)
        return
    top = path.parent
    while (top.parent / INDEX).is_file() and is_learning_file(top.parent / INDEX):
        top = top.parent
    tree = Report(root=report.root)
    load_learning_paths(top.parent, tree, include_drafts=True)
    mine = report.display_path(path)
    report.items.extend(d for d in tree.items if d.path == mine)


def _files(folder: Path) -> list[Path]:
    found = (
        Path(d) / name
        for d, dirs, names in os.walk(folder)
        if not any(part.startswith(".") for part in Path(d).relative_to(folder).parts)
        for name in names
    )
    return list(islice(found, _MAX_SCAN))


def _is_keys_sheet(path: Path) -> bool:
    """A CSV export: by its extension, or by a first line of comma-separated cells that is no YAML/JSON."""
    if path.suffix.lower() == ".csv":
        return True
    if path.suffix.lower() in (".json", ".md"):
        return False
    try:
        with path.open("rb") as handle:  # the first lines decide: no need to read a whole file
            head = handle.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    first = next((line for line in head.splitlines() if line.strip()), "")
    front, _, _ = split_front_matter(head)
    return not front and first.count(",") >= 3 and not first.lstrip().startswith(("{", "[", "-", "#"))
