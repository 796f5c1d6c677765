"""Titles from untrusted data, made safe for every place a theme prints them.

MkDocs' theme environment does not autoescape, and Material prints nav and page titles raw, and also
through ``striptags``, which *unescapes* entities after stripping tags. A title is therefore escaped for
HTML, and ``<``/``>`` become look-alike angle quotes, so no unescaping can ever produce a tag.
"""

from __future__ import annotations

MAX_TITLE = 200


def title_text(text: str) -> str:
    """``a <b> & "c"`` → ``a ‹b› &amp; &quot;c&quot;``: displays as written wherever it lands."""
    text = " ".join(text.split())
    if len(text) > MAX_TITLE:
        text = text[: MAX_TITLE - 1] + "…"
    return (
        text.replace("&", "&amp;")
        .replace("<", "\u2039")
        .replace(">", "\u203a")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )
