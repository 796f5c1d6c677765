"""Academy page bodies as Hugo writes them: Markdown with shortcodes (``{{< name >}}``, ``{{% name %}}``).

The academies we publish are Hugo/Docsy sites. Their shortcodes are parsed into :class:`Shortcode` nodes by
the loader (which reports the ones we cannot show) and turned into Material's equivalents by the renderer,
so neither raw delimiters nor Hugo's template syntax ever reaches a page.
"""

from __future__ import annotations

from dataclasses import dataclass

# What each supported shortcode becomes (renderers/shortcodes.py); any other shows its inner text.
ADMONITIONS = frozenset({"alert", "callout", "hextra/callout", "notice", "pageinfo"})
CARDS = frozenset({"card", "hextra/card"})
CARD_GRIDS = frozenset({"cardpane", "cards", "hextra/cards"})
TAB_SETS = frozenset({"tabpane", "tabs", "hextra/tabs"})
TABS = frozenset({"tab", "hextra/tab"})
DETAILS = frozenset({"details", "hextra/details"})
PASS_THROUGH = frozenset({"chapterstyle", "lab-intro", "lab-outro", "conditional-text"})
DROPPED = frozenset({"comment"})
SUPPORTED = (
    ADMONITIONS
    | CARDS
    | CARD_GRIDS
    | TAB_SETS
    | TABS
    | DETAILS
    | PASS_THROUGH
    | DROPPED
    | frozenset({"org-id", "meshery-design-embed", "youtube", "vimeo", "figure", "highlight"})
)


@dataclass(frozen=True)
class Shortcode:
    """One shortcode: its name, parameters (positional ones keyed ``"0"``, ``"1"`` …) and inner content.

    ``inner`` is ``None`` for a shortcode without a closing tag; ``markdown`` is true for the ``{{% %}}``
    form, whose inner content Hugo renders as Markdown.
    """

    name: str
    params: tuple[tuple[str, str], ...] = ()
    inner: tuple[Segment, ...] | None = None
    markdown: bool = False

    def param(self, *keys: str, default: str = "") -> str:
        """The first of ``keys`` that is set (``param("title", "0")``: named, else first positional)."""
        values = dict(self.params)
        return next((values[k] for k in keys if values.get(k)), default)


Segment = str | Shortcode
