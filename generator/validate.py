"""``meshdocs validate``: tell a contributor everything wrong with the files they name, at once."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Report
from generator.loaders.registry import LoadOptions, load_registry, load_registry_files


def validate_paths(paths: list[Path], report: Report) -> None:
    """Registry folders are read as registries; single files as registry definitions."""
    folders = [p for p in paths if p.is_dir()]
    files = [p for p in paths if p.is_file()]
    for missing in (p for p in paths if not p.exists()):
        report.error(missing, "no such file or folder")
    for folder in folders:
        load_registry([folder], report, LoadOptions(include_ignored=True))
    if files:
        load_registry_files(files, report)
