"""``meshdocs validate``: tell a contributor everything wrong with the files they name, at once.

A path may be a registry folder or definition file, a catalog entry folder (``catalog/designs/<slug>``),
the catalog folder itself, or one of an entry's files. Designs are cross-checked against a registry
(the embedded one unless ``--registry`` names others).
"""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Report
from generator.loaders.catalog import (
    CATALOG_FILES,
    DESIGN_FILES,
    check_design,
    is_entry,
    load_design,
    load_entry,
)
from generator.loaders.registry import LoadOptions, load_registry, load_registry_files
from generator.model.registry import Registry


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
        elif path.is_dir() and is_entry(path):
            load_entry(path, registry.get(report), report)
        elif path.is_dir() and any(is_entry(child) for child in path.iterdir()):
            for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
                load_entry(child, registry.get(report), report)
        elif path.is_dir():
            load_registry([path], report, LoadOptions(include_ignored=True))
        elif path.name in CATALOG_FILES or (path.name in DESIGN_FILES and is_entry(path.parent)):
            load_entry(path.parent, registry.get(report), report)
        elif path.name in DESIGN_FILES:
            design = load_design(path, report)
            if design is not None:
                check_design(design, registry.get(report), report)
        else:
            registry_files.append(path)
    if registry_files:
        load_registry_files(registry_files, report)
