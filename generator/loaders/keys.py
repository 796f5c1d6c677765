"""Read the permission keys spreadsheet (CSV export) in either of Meshery's two real layouts.

The server export (15 columns) and the canonical sheet (37 columns) both start with a row of group labels
(``Authorization`` over the role columns) and then the header row. The layout is recognised by its
headers, never by its width; anything else is refused with the missing columns named. Rows without a
valid Key ID are reported and left out, duplicates are reported once, blank rows are skipped, and
categories that differ only by case or spacing are one category.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.files import DataError, read_text
from meshdocs.model.keys import KeySheet, PermissionKey

SERVER = "server-export"
CANONICAL = "canonical"
_REQUIRED = {
    SERVER: ("Category", "Function", "Feature", "Keychain ID", "Key ID"),
    CANONICAL: ("Theme", "Category", "Function", "Feature", "Keychain ID", "Key ID", "Moniker"),
}
_KNOWN = {
    "category",
    "function",
    "feature",
    "keychain id",
    "key id",
    "moniker",
    "theme",
    "sql",
    "inserted",
    "local provider",
    "update sql",
    "e2e test",
    "primary persona",
    "source",
    "subscription tier",
    "tech",
    "version",
    "pricing page?",
    "video?",
    "documented?",
}
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
MAX_ROWS = 50_000


def load_keys(path: Path, report: Report) -> KeySheet | None:
    """The published keys of ``path``, or ``None`` when the file is not a keys sheet (reported)."""
    try:
        text = read_text(path, max_bytes=16 * 1024 * 1024)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    for row in reader:
        rows.append((reader.line_num, row))
        if len(rows) > MAX_ROWS:
            report.error(path, f"more than {MAX_ROWS:,} rows; the rest is not read")
            break
    found = _header(rows)
    if isinstance(found, str):
        report.error(path, found, line=1)
        return None
    index, fmt, columns = found
    group = rows[index - 1][1] if index > 0 else []
    header = rows[index][1]
    roles = _role_columns(header, group)
    sheet = KeySheet(source=path, format=fmt, roles=tuple(name for _, name in roles))
    seen: dict[str, int] = {}
    raw: list[PermissionKey] = []
    for line, row in rows[index + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        cell = _Row(row, columns)
        key_id = cell.get("Key ID")
        name = " ".join(cell.get("Function").split())
        if not _UUID.match(key_id):
            what = f"'{key_id}' is not a UUID" if key_id else "has no Key ID"
            report.warning(
                path, f"key '{name or '?'}' {what}; it is not published", line=line, field="Key ID"
            )
            continue
        key_id = key_id.lower()
        if key_id in seen:
            report.warning(
                path,
                f"Key ID {key_id} is used again (first on line {seen[key_id]}); published once",
                line=line,
                field="Key ID",
            )
            continue
        seen[key_id] = line
        theme = cell.get("Theme") if fmt == CANONICAL else ""
        raw.append(
            PermissionKey(
                id=key_id,
                name=name or key_id,
                description=" ".join(cell.get("Feature").split()),
                theme=" ".join((theme or cell.get("Keychain ID") or "Uncategorized").split()),
                category=" ".join((cell.get("Category") or "Uncategorized").split()),
                moniker=cell.get("Moniker") if fmt == CANONICAL else "",
                roles=tuple(r for i, r in roles if i < len(row) and _holds(row[i])),
                line=line,
            )
        )
    sheet.keys = _merge_variants(raw)
    held = {role for key in sheet.keys for role in key.roles}
    sheet.roles = tuple(role for role in sheet.roles if role in held)  # columns nobody holds say nothing
    return sheet


class _Row:
    """Cells of one CSV row by column name (short rows read as empty)."""

    def __init__(self, row: list[str], columns: dict[str, int]) -> None:
        self.row, self.columns = row, columns

    def get(self, name: str) -> str:
        index = self.columns.get(name)
        return self.row[index].strip() if index is not None and index < len(self.row) else ""


def _holds(value: str) -> bool:
    """``X``, ``x``, ``X*`` (a footnoted mark), ``✓``, ``TRUE``: the role holds the key."""
    text = value.strip().lower()
    return text.startswith("x") or text in ("✓", "true", "yes")


def _header(rows: list[tuple[int, list[str]]]) -> tuple[int, str, dict[str, int]] | str:
    """(row index, format, column of each required name), or the reason the file is not a keys sheet."""
    best_missing: list[str] | None = None
    for index, (_, row) in enumerate(rows[:5]):
        names = {_column_name(c): i for i, c in reversed(list(enumerate(row))) if c.strip()}
        for fmt in (CANONICAL, SERVER):
            missing = [c for c in _REQUIRED[fmt] if c not in names]
            if not missing:
                return index, fmt, {c: names[c] for c in _REQUIRED[fmt]}
            if fmt == SERVER and (best_missing is None or len(missing) < len(best_missing)):
                best_missing = missing
    named = ", ".join(best_missing or _REQUIRED[SERVER])
    return (
        f"not a permission keys sheet: missing the columns {named} "
        "(expected Meshery's server export or canonical sheet)"
    )


def _column_name(cell: str) -> str:
    name = " ".join(cell.split())
    return "Theme" if name.lower().startswith("theme") else name


def _role_columns(header: list[str], group: list[str]) -> list[tuple[int, str]]:
    """The columns under the ``Authorization`` group label, up to the next group (Keychain/Keys)."""
    labels = [(i, c.strip()) for i, c in enumerate(group) if c.strip()]
    start = next((i for i, c in labels if c.lower() == "authorization"), None)
    if start is None:
        return []
    end = next((i for i, _ in labels if i > start), len(header))
    while (
        start > 0
        and header[start - 1].strip()
        and header[start - 1].strip().lower() not in _KNOWN
        and not (group[start - 1].strip() if start - 1 < len(group) else "")
    ):
        start -= 1  # a merged group cell can sit one column right of the span it labels
    return [
        (i, " ".join(header[i].split()))
        for i in range(start, min(end, len(header)))
        if header[i].strip() and header[i].strip().lower() not in _KNOWN
    ]


def _merge_variants(keys: list[PermissionKey]) -> list[PermissionKey]:
    """``Catalog``, ``Catalog `` and ``catalog`` are one category, named by its most common spelling."""
    spellings: dict[tuple[str, str], Counter[str]] = {}
    themes: dict[str, Counter[str]] = {}
    for key in keys:
        themes.setdefault(key.theme.lower(), Counter())[key.theme] += 1
        spellings.setdefault((key.theme.lower(), key.category.lower()), Counter())[key.category] += 1

    def pick(counter: Counter[str]) -> str:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    out = []
    for key in keys:
        theme = pick(themes[key.theme.lower()])
        category = pick(spellings[(key.theme.lower(), key.category.lower())])
        out.append(
            PermissionKey(
                key.id, key.name, key.description, theme, category, key.moniker, key.roles, key.line
            )
        )
    out.sort(key=lambda k: (k.theme.lower(), k.category.lower(), k.name.lower(), k.id))
    return out
