"""Markdown written by strangers as safe HTML: catalog READMEs and academy lessons.

The Markdown is converted, its headings moved down under the page's own (its title is the only ``h1``),
and the result sanitised (:mod:`meshdocs.sanitize.html`) before it is placed in a page as a raw HTML block.
"""

from __future__ import annotations

import re

import markdown
from markupsafe import Markup

from meshdocs.sanitize.html import sanitize_html

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


_HEADING = re.compile(r"<h([1-6])\b")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


def markdown_to_html(text: str, top: int = 2) -> str:
    """Markdown → HTML whose shallowest heading is ``h{top}``; not yet sanitised.

    Headings move together, keeping their relative levels: a lesson's ``##`` stays an ``h2`` under the
    page's ``h1``, one written from ``#`` moves down a level, and one written from ``###`` (as Layer5's
    academy writes them) moves up, so no level is skipped after the page's title (WCAG's heading order;
    screen readers navigate by it). Levels past 6 stay at 6.
    """
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    levels = [int(m.group(1)) for m in _HEADING.finditer(html)]
    shift = top - min(levels) if levels else 0
    if shift:
        html = _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)
    return html


def readme_html(text: str, images: frozenset[str] = frozenset(), prefix: str = "") -> Markup:
    """Contributor Markdown → sanitised HTML; images only from ``images``, the files published beside it.

    The README sits under the design page's "About this design" (``h2``): its headings start at ``h3``.
    """
    return sanitize_html(markdown_to_html(text, top=3), images, prefix)
