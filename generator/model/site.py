"""What the renderers hand to the writers: files for the docs dir and the nav that orders them.

Nothing here knows about MkDocs: the nav is a plain tree with unescaped titles; the MkDocs adapter
(:mod:`meshdocs.plugin`) turns it into MkDocs' ``nav`` and escapes titles for its theme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class NavNode:
    """A page (``path`` set, no children), a section (children), or a section with an index page (both).

    ``weight`` then ``title`` order siblings, as front matter ``weight`` does for hand-written pages.
    """

    title: str
    path: str | None = None
    children: list[NavNode] = field(default_factory=list)
    weight: float = 0.0

    def sort(self) -> None:
        """Order every level by weight, then title (case-insensitive), recursively."""
        self.children.sort(key=lambda n: (n.weight, n.title.lower(), n.title, n.path or ""))
        for child in self.children:
            child.sort()

    def to_data(self) -> dict[str, object]:
        data: dict[str, object] = {"title": self.title}
        if self.path:
            data["path"] = self.path
        if self.children:
            data["children"] = [c.to_data() for c in self.children]
        return data

    def pages(self) -> list[str]:
        out = [self.path] if self.path else []
        for child in self.children:
            out.extend(child.pages())
        return out


@dataclass
class SiteOutput:
    """Everything one generation produced: files, the nav and figures for the build report."""

    files: dict[str, bytes] = field(default_factory=dict)
    nav: list[NavNode] = field(default_factory=list)
    pages_by_kind: dict[str, int] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)  # files reused as the docs dir has them → digest

    def add(self, path: str, content: str | bytes, kind: str | None = None) -> None:
        if path in self.files or path in self.kept:
            raise ValueError(f"two generated files share the path {path}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content
        if kind:
            self.pages_by_kind[kind] = self.pages_by_kind.get(kind, 0) + 1

    def keep(self, path: str, digest: str, kind: str | None = None) -> None:
        """A file the last generation wrote with exactly the content this one would: left as it is."""
        if path in self.files or path in self.kept:
            raise ValueError(f"two generated files share the path {path}")
        self.kept[path] = digest
        if kind:
            self.pages_by_kind[kind] = self.pages_by_kind.get(kind, 0) + 1


class PageReuse(Protocol):
    """Where renderers look up pages whose inputs did not change (see writers/page_memo.py)."""

    def reuse(self, key: str, out: SiteOutput, kind: str) -> bool: ...

    def record(self, key: str, paths: list[str]) -> None: ...
