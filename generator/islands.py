"""HTML islands: finished HTML blocks in a generated page that no Markdown engine needs to look at.

A component page is mostly field tables and raw schemas, already escaped HTML. Left in the Markdown, the
engine parses that HTML twice (Python-Markdown's block extractor and MkDocs' anchor collector) and its
search indexer a third time, only for it to come out unchanged and excluded from search: that was two
thirds of a 5,000-page build. The generated Markdown keeps the blocks (any engine renders it as is),
fenced by the two marker comments below; an engine adapter may cut them out before Markdown and put them
back into the finished page.

Only blocks that carry no Markdown, no headings and nothing searchable may be islands.
"""

from __future__ import annotations

import re

OPEN = "<!--meshdocs:island-->"
CLOSE = "<!--/meshdocs:island-->"
_PLACEHOLDER = "\n\n<!--meshdocs:island:{}-->\n\n"  # a block of its own, whatever surrounds it
_PLACEHOLDER_RE = re.compile(r"<!--meshdocs:island:(\d+)-->")
_ID_RE = re.compile(r'\sid="([^"<>]+)"')


def cut_islands(markdown: str) -> tuple[str, list[str]]:
    """``markdown`` with every fenced island replaced by a short placeholder comment, and the islands."""
    if OPEN not in markdown:
        return markdown, []
    parts: list[str] = []
    islands: list[str] = []
    pos = 0
    while True:
        start = markdown.find(OPEN, pos)
        if start < 0:
            break
        end = markdown.find(CLOSE, start)
        if end < 0:  # an unclosed fence is left to the engine, as written
            break
        parts.append(markdown[pos:start])
        parts.append(_PLACEHOLDER.format(len(islands)))
        islands.append(markdown[start + len(OPEN) : end].strip("\n"))
        pos = end + len(CLOSE)
    parts.append(markdown[pos:])
    return "".join(parts), islands


def restore_islands(html: str, islands: list[str]) -> str:
    """Put the islands back where their placeholders ended up in the engine's HTML."""
    if not islands:
        return html

    def island(match: re.Match[str]) -> str:
        index = int(match.group(1))
        return islands[index] if index < len(islands) else match.group(0)

    return _PLACEHOLDER_RE.sub(island, html)


def island_ids(islands: list[str]) -> set[str]:
    """Element ids inside the islands, so links to them still count as valid anchors."""
    return {m.group(1) for text in islands for m in _ID_RE.finditer(text)}
