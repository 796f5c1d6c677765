"""Reuse generated pages whose inputs did not change, straight from the docs dir.

A component page costs a schema flattening and a field table of up to 2,500 rows; a registry has
thousands. The renderer names each such page's inputs by one hash (the component's fields and schema,
its model, icon and relationships, and the generator's own code and templates). The docs dir keeps an
index of which hash produced which files (``.meshdocs-pages.json``); when the same hash comes up again
and the files are still there, they are kept as they are: not rendered, not rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from meshdocs.model.site import SiteOutput
from meshdocs.writers.paths import safe_join

MEMO_FILE = ".meshdocs-pages.json"
_FORMAT = 2


@dataclass
class PageMemo:
    """Last build's index (read once, from the docs dir) and this build's (written with the docs dir)."""

    root: Path | None = None
    previous: dict[str, dict[str, str]] = field(default_factory=dict)  # input hash → {path: "digest:size"}
    current: dict[str, dict[str, str]] = field(default_factory=dict)  # reused, as the previous index had them
    rendered: dict[str, list[str]] = field(default_factory=dict)  # input hash → docs paths rendered now
    good_schemas: frozenset[str] = frozenset()  # schema digests an earlier build read without a problem
    checked_schemas: set[str] = field(default_factory=set)  # this build's, for the next one
    icons: dict[str, str] = field(default_factory=dict)  # raw icon digest → sanitised SVG, last build's
    sanitized_icons: dict[str, str] = field(default_factory=dict)  # this build's, for the next one
    layouts: dict[str, str] = field(default_factory=dict)  # picture layouts by DOT hash, last build's
    used_layouts: dict[str, str] = field(default_factory=dict)  # this build's, for the next one
    code: str = ""  # the generator's code digest: checks and sanitising by other code are not trusted

    @classmethod
    def load(cls, docs_dir: Path, code: str) -> PageMemo:
        try:
            data = json.loads((docs_dir / MEMO_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(root=docs_dir, code=code)
        pages = data.get("pages") if isinstance(data, dict) and data.get("format") == _FORMAT else None
        if not isinstance(pages, dict) or data.get("code") != code:
            return cls(root=docs_dir, code=code)
        previous = {
            key: files
            for key, files in pages.items()
            if isinstance(key, str)
            and isinstance(files, dict)
            and all(isinstance(p, str) and isinstance(d, str) for p, d in files.items())
        }
        good = data.get("schemas")
        schemas = frozenset(d for d in good if isinstance(d, str)) if isinstance(good, list) else frozenset()
        raw_icons = data.get("icons")
        icons = (
            {k: v for k, v in raw_icons.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(raw_icons, dict)
            else {}
        )
        raw_layouts = data.get("layouts")
        layouts = (
            {k: v for k, v in raw_layouts.items() if isinstance(k, str) and isinstance(v, str)}
            if isinstance(raw_layouts, dict)
            else {}
        )
        return cls(
            root=docs_dir, previous=previous, good_schemas=schemas, icons=icons, layouts=layouts, code=code
        )

    def reuse(self, key: str, out: SiteOutput, kind: str) -> bool:
        """Keep the files ``key`` produced last time, if every one of them is still in the docs dir."""
        files = self.previous.get(key)
        if not files or self.root is None:
            return False
        kept: dict[str, str] = {}
        try:
            for path, value in files.items():
                digest, _colon, size = value.partition(":")
                # Size as well as presence: a file left half-written by a crash is rendered again.
                if safe_join(self.root, path).stat().st_size != int(size):
                    return False
                kept[path] = digest
        except (OSError, ValueError):
            return False
        for path, value in kept.items():
            out.keep(path, value, kind if path.endswith(".md") else None)
        self.current[key] = files
        return True

    def record(self, key: str, paths: list[str]) -> None:
        """The files ``key`` produced in this build, for the next one to keep."""
        self.rendered[key] = paths

    def index_bytes(self, files: dict[str, bytes], digests: dict[str, str]) -> bytes:
        """The index for the next build (``digests``: the caller's one hash of each of ``files``)."""
        pages = dict(self.current)
        for key, paths in self.rendered.items():
            pages[key] = {path: f"{digests[path]}:{len(files[path])}" for path in paths}
        data = {
            "format": _FORMAT,
            "code": self.code,
            "pages": dict(sorted(pages.items())),
            "schemas": sorted(self.checked_schemas),
            "icons": dict(sorted(self.sanitized_icons.items())),
            "layouts": dict(sorted(self.used_layouts.items())),
        }
        return (json.dumps(data, indent=0, sort_keys=True) + "\n").encode("utf-8")
