"""Inline SVG icons from registry data, sanitised once per distinct icon.

Every component repeats its model's icons, so the same string arrives hundreds of times: sanitising is
cached by content and a rejected icon is reported once, at the first file that carries it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from meshdocs.diagnostics import Report
from meshdocs.hashing import digest
from meshdocs.model.registry import Icon
from meshdocs.sanitize.svg import SvgRejected, sanitize_svg


class IconCache:
    """Maps raw icon text to a sanitised :class:`Icon` (or ``None`` when it had to be dropped)."""

    def __init__(self, report: Report, known: Mapping[str, str] | None = None) -> None:
        self.report = report
        self._cache: dict[str, Icon | None] = {}
        # Sanitised icons of an earlier build by the digest of their raw text: not sanitised again.
        self.known = known or {}
        self.sanitized: dict[str, str] = {}  # this build's, for the next one

    def icon(self, path: Path, field: str, raw: Any) -> Icon | None:
        if not isinstance(raw, str) or not raw.strip():
            return None
        if raw in self._cache:
            return self._cache[raw]
        raw_digest = digest(raw.encode("utf-8", "surrogatepass"))
        try:
            known = self.known.get(raw_digest)
            svg = known if known is not None else sanitize_svg(raw)
            self.sanitized[raw_digest] = svg
        except SvgRejected as exc:
            self.report.warning(path, f"icon dropped: {exc}", field=field)
            icon = None
        else:
            # The published file name, assets/icons/<sha256[:16]>.svg: URLs already out there stay put.
            name = hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]
            icon = Icon(svg=svg, digest=name)
        self._cache[raw] = icon
        return icon
