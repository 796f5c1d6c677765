"""Inline SVG icons from registry data, sanitised once per distinct icon.

Every component repeats its model's icons, so the same string arrives hundreds of times: sanitising is
cached by content and a rejected icon is reported once, at the first file that carries it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from generator.diagnostics import Report
from generator.model.registry import Icon
from generator.sanitize.svg import SvgRejected, sanitize_svg


class IconCache:
    """Maps raw icon text to a sanitised :class:`Icon` (or ``None`` when it had to be dropped)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self._cache: dict[str, Icon | None] = {}

    def icon(self, path: Path, field: str, raw: Any) -> Icon | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        if raw in self._cache:
            return self._cache[raw]
        try:
            svg = sanitize_svg(raw)
        except SvgRejected as exc:
            self.report.warning(path, f"icon dropped: {exc}", field=field)
            icon = None
        else:
            digest = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]
            icon = Icon(svg=svg, digest=digest)
        self._cache[raw] = icon
        return icon
