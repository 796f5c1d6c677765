"""Raster images from contributors are published as files: check that their bytes are what the name says."""

from __future__ import annotations

RASTER_MAGIC = {
    ".png": b"\x89PNG",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".gif": b"GIF8",
    ".webp": b"RIFF",
}


def raster_problem(suffix: str, data: bytes) -> str | None:
    """Why ``data`` is not the image its suffix names, or ``None`` when it is."""
    if data.startswith(RASTER_MAGIC[suffix]):
        return None
    return f"not a {suffix[1:].upper()} image (its first bytes say otherwise); not published"
