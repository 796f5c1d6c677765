"""Hand-written pages and their assets from the ``content/`` tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentFile:
    """A page (Markdown, with its title and weight for the nav) or an asset copied as it is."""

    path: str
    source: Path
    data: bytes
    is_page: bool
    title: str = ""
    weight: float = 50.0
