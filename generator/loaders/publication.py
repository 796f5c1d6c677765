"""What the last build published, read back for the changelog: its digest index and its history.

The published site is our own output, but a site folder can hold anything: both files are read bounded
and defensively, and anything unreadable counts as "nothing published before" (the next build starts a
new history rather than failing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DIGESTS_FILE = "registry-digests.json"
CHANGELOG_JSON = "changelog.json"
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Publication:
    digests: dict[str, Any] = field(default_factory=dict)  # empty: no earlier publication to compare with
    changelog: dict[str, Any] = field(default_factory=dict)


def _read(path: Path) -> dict[str, Any]:
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def load_publication(site: Path | None) -> Publication:
    if site is None:
        return Publication()
    return Publication(digests=_read(site / DIGESTS_FILE), changelog=_read(site / CHANGELOG_JSON))
