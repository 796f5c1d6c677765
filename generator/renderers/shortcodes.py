"""Hugo shortcodes as Material's own markup: admonitions, cards, content tabs and collapsible details.

The page body is converted with every shortcode replaced by a placeholder (alone on a line of its own when
it is a block), then each placeholder is replaced by the shortcode's HTML, itself converted the same way
from the shortcode's inner Markdown. The caller sanitises the result; nothing here trusts its input: every
parameter is escaped, and only links of known shapes are built from parameters.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from meshdocs.model.markup import (
    ADMONITIONS,
    CARD_GRIDS,
    CARDS,
    DETAILS,
    DROPPED,
    PASS_THROUGH,
    TAB_SETS,
    TABS,
    Segment,
    Shortcode,
)
from meshdocs.renderers.rich_text import markdown_to_html
from meshdocs.sanitize.html import TAB_ID_PREFIX

_TOKEN = "MDXSHORTCODE{}X"
_TOKEN_RE = re.compile(r"MDXSHORTCODE(\d+)X")
_DESIGN_ID = re.compile(r"^[0-9A-Za-z-]{1,64}$")
_VIDEO_ID = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
_HOST = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?$")
_LANGUAGE = re.compile(r"^[A-Za-z0-9_+-]{1,20}$")
# Hugo's alert colours and callout types → Material's admonition types.
_ADMONITION_TYPE = {
    "danger": "danger", "error": "danger", "warning": "warning", "caution": "warning", "success": "success",
    "tip": "tip", "important": "warning", "note": "note", "info": "info", "primary": "info",
    "secondary": "note", "default": "note", "temp": "note",
}  # fmt: skip


@dataclass
class ShortcodeContext:
    """What shortcodes may show about their page (the organisation id), and per-page counters."""

    org_id: str = ""
    tab_sets: int = 0
    _html: list[str] = field(default_factory=list)


def body_html(segments: tuple[Segment, ...], context: ShortcodeContext) -> str:
    """The page body as HTML (not yet sanitised), shortcodes rendered as Material markup."""
    return _convert(segments, context)


def _convert(segments: tuple[Segment, ...], context: ShortcodeContext) -> str:
    text = []
    tokens: list[tuple[int, bool]] = []
    for segment in segments:
        if isinstance(segment, str):
            text.append(segment)
            continue
        rendered, block = _shortcode(segment, context)
        index = len(context._html)
        context._html.append(rendered)
        tokens.append((index, block))
        token = _TOKEN.format(index)
        if block:
            before = "".join(text)
            indent = re.search(r"[ \t]*$", before.rsplit("\n", 1)[-1])
            prefix = indent.group(0) if indent and not before.rsplit("\n", 1)[-1].strip() else ""
            text.append(f"\n\n{prefix}{token}\n\n{prefix}")
        else:
            text.append(token)
    converted = markdown_to_html("".join(text))
    for index, block in tokens:
        token = _TOKEN.format(index)
        if block:
            converted = converted.replace(f"<p>{token}</p>", context._html[index])
        converted = converted.replace(token, context._html[index])
    return converted


def _inner(code: Shortcode, context: ShortcodeContext) -> str:
    return _convert(code.inner, context) if code.inner else ""


def _shortcode(code: Shortcode, context: ShortcodeContext) -> tuple[str, bool]:
    """(HTML, is it a block) for one shortcode."""
    name = code.name
    if name in DROPPED:
        return "", False
    if name in ADMONITIONS:
        return _admonition(code, context), True
    if name in CARDS:
        return f'<div class="grid">{_card(code, context)}</div>', True
    if name in CARD_GRIDS:
        cards = [_card(c, context) for c in _children(code, CARDS)]
        return f'<div class="grid">{"".join(cards)}</div>', True
    if name in TAB_SETS:
        return _tabs(code, context), True
    if name in TABS:  # a tab outside any tab set: its content
        return _tab_content(code, context), True
    if name in DETAILS:
        title = _e(code.param("summary", "title", "0", default="Details"))
        opened = " open" if code.param("open").lower() == "true" else ""
        return f"<details{opened}><summary>{title}</summary>{_inner(code, context)}</details>", True
    if name == "org-id":
        return _e(context.org_id), False
    if name == "meshery-design-embed":
        return _design_embed(code), True
    if name in ("youtube", "vimeo"):
        return _video(code), True
    if name == "figure":
        return _figure(code), True
    if name == "highlight":
        return _code_block(_raw(code.inner or ()), code.param("0")), True
    if name in PASS_THROUGH:
        return _inner(code, context), True
    # Not one we know: its inner text, so nothing the author wrote is lost (reported when it was read).
    return _inner(code, context), bool(code.inner)


def _admonition(code: Shortcode, context: ShortcodeContext) -> str:
    if code.name == "pageinfo":
        kind, title = "info", ""
    else:
        raw_type = code.param("type", "color", "0", default="note").lower()
        kind = _ADMONITION_TYPE.get(raw_type, "note")
        title = code.param("title")
    heading = f'<p class="admonition-title">{_e(title)}</p>' if title else ""
    return f'<div class="admonition {kind}">{heading}{_inner(code, context)}</div>'


def _card(code: Shortcode, context: ShortcodeContext) -> str:
    parts = []
    header = code.param("header", "title")
    if header:
        parts.append(f"<p><strong>{_e(header)}</strong></p>")
    if code.param("subtitle"):
        parts.append(f"<p><em>{_e(code.param('subtitle'))}</em></p>")
    parts.append(_inner(code, context))
    if code.param("footer"):
        parts.append(f"<hr><p>{_e(code.param('footer'))}</p>")
    link = code.param("link")
    if link and not re.match(r"^[a-z][a-z0-9+.-]*:", link, re.IGNORECASE):
        link = ""  # relative links point into the academy's own site, which is not published here
    if link.startswith(("https://", "http://")):
        parts.append(f'<p><a href="{_e(link)}">{_e(header or link)}</a></p>')
    return f'<div class="card">{"".join(parts)}</div>'


def _children(code: Shortcode, names: frozenset[str]) -> list[Shortcode]:
    return [s for s in code.inner or () if isinstance(s, Shortcode) and s.name in names]


def _tabs(code: Shortcode, context: ShortcodeContext) -> str:
    tabs = _children(code, TABS)
    if not tabs:
        return _inner(code, context)
    context.tab_sets += 1
    group = f"{TAB_ID_PREFIX}{context.tab_sets}"
    items = [i.strip() for i in code.param("items").split(",")] if code.param("items") else []
    inputs, labels, blocks = [], [], []
    for number, tab in enumerate(tabs, start=1):
        tab_id = f"{group}-{number}"
        title = tab.param("header", "name", "title", "0") or (
            items[number - 1] if number <= len(items) else f"Tab {number}"
        )
        checked = ' checked="checked"' if number == 1 else ""
        inputs.append(f'<input{checked} id="{tab_id}" name="{group}" type="radio">')
        labels.append(f'<label for="{tab_id}">{_e(title)}</label>')
        blocks.append(f'<div class="tabbed-block">{_tab_content(tab, context, code.param("lang"))}</div>')
    return (
        f'<div class="tabbed-set tabbed-alternate">{"".join(inputs)}'
        f'<div class="tabbed-labels">{"".join(labels)}</div>'
        f'<div class="tabbed-content">{"".join(blocks)}</div></div>'
    )


def _tab_content(tab: Shortcode, context: ShortcodeContext, default_lang: str = "") -> str:
    lang = tab.param("lang") or default_lang
    if lang and tab.param("text").lower() != "true":
        return _code_block(_raw(tab.inner or ()), lang)
    return _inner(tab, context)


def _design_embed(code: Shortcode) -> str:
    """Kanvas' embedded design is a script from another origin: link to the design instead."""
    design = code.param("id").removeprefix("embedded-design-")
    host = code.param("host") or "https://cloud.layer5.io"
    text = "This lesson embeds an interactive Meshery design."
    if _DESIGN_ID.match(design) and _HOST.match(host):
        url = f"{host}/catalog/content/design/{design}"
        text += f' <a href="{_e(url)}">Open the design in Layer5 Cloud</a>.'
    return (
        '<div class="admonition abstract mdx-embed"><p class="admonition-title">Interactive design</p>'
        f"<p>{text}</p></div>"
    )


def _video(code: Shortcode) -> str:
    """Players load from another origin: a link to the video instead of an embedded player."""
    video = code.param("id", "0")
    if not _VIDEO_ID.match(video):
        return ""
    if code.name == "youtube":
        url, site = f"https://www.youtube.com/watch?v={video}", "YouTube"
    else:
        url, site = f"https://vimeo.com/{video}", "Vimeo"
    title = code.param("title") or f"Watch the video on {site}"
    return f'<p><a href="{_e(url)}">{_e(title)}</a></p>'


def _figure(code: Shortcode) -> str:
    src, alt = code.param("src"), code.param("alt", "caption")
    caption = code.param("caption", "title")
    figcaption = f"<figcaption>{_e(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{_e(src)}" alt="{_e(alt)}">{figcaption}</figure>'


def _code_block(text: str, lang: str) -> str:
    language = f' class="language-{_e(lang.lower())}"' if _LANGUAGE.match(lang) else ""
    return f"<pre><code{language}>{_e(text.strip(chr(10)))}</code></pre>"


def _raw(segments: tuple[Segment, ...]) -> str:
    """The literal text of code-like content (shortcodes inside it contribute their own inner text)."""
    return "".join(s if isinstance(s, str) else _raw(s.inner or ()) for s in segments)


def _e(value: str) -> str:
    return html.escape(value, quote=True)
