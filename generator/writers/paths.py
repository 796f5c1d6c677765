"""Refuse output paths that would land outside the folder they are written to."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path


class UnsafePath(ValueError):
    """A generated path that is absolute, climbs with ``..`` or is otherwise not a plain relative path."""


def safe_join(root: Path, rel: str) -> Path:
    """``root / rel`` after checking ``rel`` is a normalised relative POSIX path inside ``root``."""
    if not rel or rel.startswith("/") or "\\" in rel or "\x00" in rel:
        raise UnsafePath(f"refusing output path {rel!r}: not a relative path")
    norm = posixpath.normpath(rel)
    if norm != rel or norm == "." or norm.startswith("../") or norm == "..":
        raise UnsafePath(f"refusing output path {rel!r}: it climbs out of the output folder")
    target = root / norm
    # Resolved per folder, not per file (a docs dir has thousands of files in a few hundred folders); a
    # symlink as the last component is refused outright, wherever it points.
    folder = _resolved(str(target.parent))
    if not folder.is_relative_to(_resolved(str(root))) or target.is_symlink():
        raise UnsafePath(f"refusing output path {rel!r}: it resolves outside the output folder")
    return target


@lru_cache(maxsize=4096)
def _resolved(path: str) -> Path:
    return Path(path).resolve()


def forget_resolved() -> None:
    """Folders may have been replaced by links since they were resolved: resolve afresh."""
    _resolved.cache_clear()
