"""Writing SVG by hand, safely: text XML can hold, escaped; links only when relative; numbers stable.

Every label, kind and href in a picture is untrusted catalog or registry data. Text is stripped of
characters XML forbids and escaped; hrefs are attribute-escaped and dropped unless relative; nothing
untrusted reaches an element name, attribute name, class, style or id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

SVG_NS = "http://www.w3.org/2000/svg"
_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def clean(text: str | None) -> str:
    """One line of text XML can hold: forbidden characters dropped, whitespace runs collapsed."""
    return " ".join(_XML_BAD.sub("", text or "").split())


def esc(text: str) -> str:
    """Escape for both text and attribute values, quotes included."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


_EMBEDDED_IMAGE = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/]+={0,2}")


def safe_href(href: str | None, *, image: bool = False) -> str | None:
    """The href if it is a relative URL; anything with a scheme or a host could leave the site.

    For an ``<image>`` (``image=True``), also a base64 SVG ``data:`` URL: an icon meshdocs sanitised and
    embedded itself, for a picture that stands alone; an image runs no script and loads nothing.
    """
    if not href:
        return None
    if image and _EMBEDDED_IMAGE.fullmatch(href):
        return href
    value = re.sub(r"[\t\n\r]", "", _XML_BAD.sub("", href)).strip("\x00 ")
    if not value or _SCHEME.match(value) or value.startswith("//") or "\\" in value:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return None
    return value


def _char_em(ch: str) -> float:
    """Width of one character in em, erring wide (DejaVu-like), so truncated text never overflows."""
    if unicodedata.combining(ch):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "mwMW@%":
        return 1.04
    if ch in "iljI.,:;'!| ":
        return 0.34
    if ch in "ftr-":
        return 0.45
    if ch in '()[]/\\"`':
        return 0.47
    if ch.isupper():
        return 0.78
    if ch.isdigit():
        return 0.65
    if ch.islower():
        return 0.64
    return 0.84 if ch.isascii() else 1.0


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width in px; the same estimate decides truncation and the chips' size."""
    return sum(_char_em(ch) for ch in text) * size * (1.08 if bold else 1.0)


def truncate(text: str, size: float, room: float, bold: bool = False) -> str:
    """``text`` cut to fit ``room`` px, ending in "…" when anything was cut."""
    if text_width(text, size, bold) <= room:
        return text
    budget = room - text_width("…", size, bold)
    used = 0.0
    kept = []
    for ch in text:
        used += text_width(ch, size, bold)
        if used > budget:
            break
        kept.append(ch)
    return "".join(kept).rstrip() + "…"


def num(value: float) -> str:
    """Integers as integers, everything else with one decimal: stable bytes across platforms."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def tag(name: str, attrs: Sequence[tuple[str, str | float]], body: str | None = None) -> str:
    """An element with attributes in the given order; strings escaped, numbers formatted."""
    parts = [name]
    for key, value in attrs:
        text = value if isinstance(value, str) else num(value)
        parts.append(f'{key}="{esc(text)}"')
    head = " ".join(parts)
    return f"<{head}/>" if body is None else f"<{head}>{body}</{name}>"
