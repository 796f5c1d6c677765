"""Markdown written by strangers as safe HTML: catalog READMEs and academy lessons.

The Markdown is converted, its headings moved one level down (the page's own title is the only ``h1``),
and the result sanitised (:mod:`meshdocs.sanitize.html`) before it is placed in a page as a raw HTML block.
"""

from __future__ import annotations

import re

import markdown
from markupsafe import Markup

from meshdocs.sanitize.html import sanitize_html

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def markdown_to_html(text: str) -> str:
    """Markdown → HTML with ``h1``–``h5`` moved down one level; not yet sanitised."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    for level in range(5, 0, -1):
        html = re.sub(rf"<(/?)h{level}\b", rf"<\1h{level + 1}", html)
    return html


def readme_html(text: str, images: frozenset[str] = frozenset(), prefix: str = "") -> Markup:
    """Contributor Markdown → sanitised HTML; images only from ``images``, the files published beside it."""
    return sanitize_html(markdown_to_html(text), images, prefix)
