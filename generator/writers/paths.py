"""Refuse output paths that would land outside the folder they are written to."""

from __future__ import annotations

import posixpath
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
    if not target.resolve().is_relative_to(root.resolve()):
        raise UnsafePath(f"refusing output path {rel!r}: it resolves outside the output folder")
    return target
