"""Place hand-written pages and assets in the docs dir and build their part of the nav from the tree."""

from __future__ import annotations

import posixpath

from meshdocs.diagnostics import Report
from meshdocs.model.content import ContentFile
from meshdocs.model.site import NavNode, SiteOutput


def render_content(
    files: list[ContentFile], out: SiteOutput, report: Report, reserved: set[str]
) -> list[NavNode]:
    """Copy ``files`` into ``out``; return nav nodes (home first, then folders as sections)."""
    root = NavNode("")
    sections: dict[str, NavNode] = {"": root}
    for item in files:
        top = item.path.split("/", 1)[0]
        if top in reserved or item.path in out.files:
            report.warning(
                item.source, f"'{item.path}' is a generated path; the hand-written file is not published"
            )
            continue
        out.add(item.path, item.data, kind="content" if item.is_page else None)
        if not item.is_page:
            continue
        folder = posixpath.dirname(item.path)
        parent = _section(sections, folder)
        if posixpath.basename(item.path) == "index.md":
            parent.path = item.path
            if folder:
                parent.title, parent.weight = item.title, item.weight
            else:
                root.children.append(NavNode(item.title or "Home", item.path, weight=-1000))
                parent.path = None
        else:
            parent.children.append(NavNode(item.title, item.path, weight=item.weight))
    return root.children


def _section(sections: dict[str, NavNode], folder: str) -> NavNode:
    if folder in sections:
        return sections[folder]
    parent = _section(sections, posixpath.dirname(folder))
    node = NavNode(posixpath.basename(folder).replace("-", " ").replace("_", " ").capitalize(), weight=50)
    parent.children.append(node)
    sections[folder] = node
    return node
