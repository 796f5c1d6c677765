"""Read the hand-written ``content/`` tree: Markdown pages with optional front matter, and assets.

Front matter gives ``title`` and ``weight`` for the generated nav; without a title the first ``#``
heading, then the file name, is used. Content types with their own loaders (learning paths, key
spreadsheets) are left to them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from meshdocs.diagnostics import Report
from meshdocs.loaders.files import DataError, parse_yaml, read_text
from meshdocs.model.content import ContentFile

OWN_LOADERS = {"learning-paths"}
SKIPPED_SUFFIXES = {".csv"}
MAX_ASSET_BYTES = 16 * 1024 * 1024
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line where the body starts)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", text, 1
    return match.group(1) or "", text[match.end() :], text.count("\n", 0, match.end()) + 1


def read_front_matter(path: Path, text: str, report: Report) -> tuple[dict[str, Any] | None, str, str]:
    """(front matter as a mapping, its YAML text, the body). The mapping is ``None`` when the front matter
    is broken or not a mapping (reported with its line); ``{}`` when there is none."""
    front, body, _ = split_front_matter(text)
    if not front.strip():
        return {}, front, body
    try:
        data, _ = parse_yaml(front)
    except DataError as exc:
        report.error(path, f"front matter: {exc.message}", line=exc.line + 1 if exc.line else 1)
        return None, front, body
    if not isinstance(data, dict):
        report.error(path, "front matter must be a mapping of keys to values", line=2)
        return None, front, body
    return data, front, body


def load_content(root: Path, report: Report) -> list[ContentFile]:
    """Every page and asset below ``root`` in a stable order."""
    if not root.is_dir():
        report.error(root, "content folder does not exist or is not a folder")
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_")) and not (rel_dir == Path(".") and d in OWN_LOADERS)
        )
        for name in sorted(filenames):
            path = Path(dirpath) / name
            rel = (rel_dir / name).as_posix()
            if name.startswith(".") or path.suffix.lower() in SKIPPED_SUFFIXES or path.is_symlink():
                continue
            if path.suffix.lower() == ".md":
                page = _page(path, rel, report)
                if page:
                    files.append(page)
            elif path.stat().st_size > MAX_ASSET_BYTES:
                report.warning(path, f"asset is larger than {MAX_ASSET_BYTES:,} bytes, not published")
            else:
                files.append(ContentFile(rel, path, path.read_bytes(), is_page=False))
    return files


def load_page(path: Path, report: Report) -> ContentFile | None:
    """One page, checked as a build reads it (``meshdocs validate page.md``)."""
    return _page(path, path.name, report)


def _page(path: Path, rel: str, report: Report) -> ContentFile | None:
    try:
        text = read_text(path)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None
    parsed, _, body = read_front_matter(path, text, report)
    meta = parsed or {}  # a page with broken front matter is still published, titled by its heading
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        heading = _HEADING.search(body)
        title = (
            heading.group(1) if heading else Path(rel).stem.replace("-", " ").replace("_", " ").capitalize()
        )
    weight = meta.get("weight", 50)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        report.warning(path, f"weight must be a number, found {weight!r}; using 50", field="weight")
        weight = 50
    return ContentFile(
        rel, path, text.encode("utf-8"), is_page=True, title=title.strip(), weight=float(weight)
    )
