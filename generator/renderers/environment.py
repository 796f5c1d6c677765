"""The Jinja2 environment for page templates: autoescaped, strict, with filters for untrusted text.

Registry and catalog strings are data, never templates: they only ever arrive as variables, so ``{{ }}``
inside them is printed, not evaluated. Autoescape covers HTML; ``md_text`` also neutralises Markdown.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from meshdocs.model.schema import SchemaField

# Python-Markdown's own escapable characters, less '>' (HTML-escaped instead).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


def md_text(value: object) -> Markup:
    """Text safe to place in a Markdown line: HTML-escaped and every Markdown character backslashed."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))
    return Markup(html.escape(text, quote=False))


def text(value: object) -> Markup:
    """Escape for element content only (``&``, ``<``, ``>``): quotes need no escaping there."""
    return Markup(html.escape(str(value), quote=False))


def paragraphs(value: object) -> Markup:
    """Plain text as ``<p>`` elements with no blank lines between them, so a raw HTML block stays whole."""
    source = str(value).replace("\r\n", "\n").strip()
    if not source:
        return Markup("")
    parts = [p.strip() for p in re.split(r"\n\s*\n", source) if p.strip()]
    return Markup("".join(f"<p>{text(p)}</p>" for p in parts))


def field_rows(fields: Iterable[SchemaField]) -> Markup:
    """The ``<tr>`` rows of a field table.

    Written in Python rather than as a template loop: a 5,000-component registry has some 800,000 rows, and
    evaluating them row by row in Jinja was 40 % of the whole generation. Same markup, same escaping.
    """
    rows = []
    for f in fields:
        parent, _dot, leaf = f.path.rpartition(".")
        prefix = f'<span class="mdx-parent">{escape(parent)}.</span>' if parent else ""
        extra = ""
        if f.enum:
            extra += '<div class="mdx-enum">One of: ' + ", ".join(f"<code>{escape(v)}</code>" for v in f.enum)
            extra += "</div>"
        if f.default is not None:
            extra += f'<div class="mdx-default">Default: <code>{escape(f.default)}</code></div>'
        if f.constraints:
            extra += '<div class="mdx-constraints">'
            extra += "; ".join(f"<span>{escape(k)}</span>" for k in f.constraints) + "</div>"
        rows.append(
            f'<tr id="f-{escape(f.path)}" class="mdx-depth-{min(f.depth, 6)}"><td><code>{prefix}'
            f"<b>{escape(leaf)}</b></code></td><td>{escape(f.type)}</td><td>{'yes' if f.required else ''}"
            f"</td><td>{text(f.description)}{extra}</td></tr>\n"
        )
    return Markup("".join(rows))


def one_line(value: object) -> str:
    return " ".join(str(value).split())


def relative_url(target: str, page: str) -> str:
    """The href from the page at docs path ``page`` (``a/b/index.md``) to docs path ``target``.

    Pages are all ``…/index.md`` so their URL is their folder and links work with and without
    MkDocs' directory URLs.
    """
    base = posixpath.dirname(page)
    if target.endswith("index.md"):
        dest = posixpath.dirname(target)
        rel = _relpath(dest or ".", base or ".")
        return "./" if rel == "." else rel + "/"
    return _relpath(target, base or ".")


@functools.lru_cache(maxsize=65536)
def _relpath(target: str, base: str) -> str:
    """``posixpath.relpath`` for two plain relative paths, without its trips to the working directory
    (a site's pages make tens of thousands of links: that was a tenth of rendering them)."""
    t = [] if target == "." else target.split("/")
    b = [] if base == "." else base.split("/")
    if any(part in ("", ".", "..") for part in (*t, *b)):
        return posixpath.relpath(target, base)
    common = 0
    for x, y in zip(t, b, strict=False):
        if x != y:
            break
        common += 1
    return "/".join([".."] * (len(b) - common) + t[common:]) or "."


def static_text(env: Environment, name: str) -> str:
    """A file from the templates folder as it is (CSS, JavaScript): not rendered, so ``{{`` is harmless."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    return source


def make_environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_text"] = md_text
    env.filters["paragraphs"] = paragraphs
    env.filters["text"] = text
    env.filters["one_line"] = one_line
    env.filters["field_rows"] = field_rows
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env
