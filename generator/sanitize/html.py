"""Sanitise HTML converted from strangers' Markdown (catalog READMEs, academy lessons) with nh3.

nh3 (Rust's ammonia) keeps only the tags, attributes, classes and URL schemes listed here: no scripts,
event handlers, styles, iframes, forms or ``javascript:`` links. The classes are the few that Material
styles for what Hugo shortcodes become (admonitions, cards, tabs); the radio inputs and labels are the
tabs' own, and their ids must carry our prefix, so page content cannot take ids the theme relies on.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

TAB_ID_PREFIX = "mdx-tab-"
ADMONITION_TYPES = frozenset({"note", "abstract", "info", "tip", "success", "warning", "danger", "example"})
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "label", "li",
    "ol", "p", "pre", "s", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"id", "name", "checked"},
    "label": {"for"},
    "details": {"open"},
    "*": {"align"},
}
_CLASSES = {
    "div": {
        "admonition", *ADMONITION_TYPES, "grid", "cards", "card", "tabbed-set", "tabbed-alternate",
        "tabbed-labels", "tabbed-content", "tabbed-block", "mdx-embed",
    },
    "p": {"admonition-title"},
    "details": set(ADMONITION_TYPES),
    "code": {f"language-{name}" for name in (
        "bash", "sh", "shell", "console", "yaml", "json", "go", "python", "javascript", "js", "typescript",
        "ts", "html", "css", "toml", "ini", "dockerfile", "sql", "text", "hcl", "rust", "java", "xml",
    )},
}  # fmt: skip
_VALUES = {"input": {"type": {"radio"}}}


def sanitize_html(html: str, images: frozenset[str] = frozenset(), prefix: str = "") -> Markup:
    """The HTML with everything not on the allowlist removed.

    Images may only show files published with the page (``images``, shown at ``prefix + name``): any other
    source, above all an absolute URL, would make the page request another origin, so it is dropped.
    """

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            name = value.removeprefix("./")
            return prefix + name if name in images else None
        if attribute in ("id", "for", "name") and tag in ("input", "label"):
            return value if value.startswith(TAB_ID_PREFIX) else None
        return value

    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        allowed_classes=_CLASSES,
        tag_attribute_values=_VALUES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=keep,
    )
    return Markup(clean)
