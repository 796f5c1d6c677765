"""Parse Hugo shortcodes out of an academy page body into text and :class:`Shortcode` nodes.

Hugo pairs ``{{< name >}}…{{< /name >}}`` by name; a shortcode without a closing tag stands alone. Escaped
shortcodes (``{{</* name */>}}``) are the author's way of showing the syntax itself and stay text. What
cannot be parsed (an unterminated ``{{<``) is reported and its delimiters removed, so no raw ``{{<`` or
``{{%`` ever reaches a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from meshdocs.model.markup import SUPPORTED, Segment, Shortcode

MAX_DEPTH = 16
MAX_SHORTCODES = 2_000
_TAG = re.compile(r"\{\{([<%])(.*?)([>%])\}\}", re.DOTALL)
_OPENING = re.compile(r"\{\{[<%]")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]*")
_PARAM = re.compile(
    r"""\s*(?:(?P<key>[A-Za-z0-9_-]+)\s*=\s*)?(?P<value>"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`|[^\s"'`]+)""",
    re.DOTALL,
)


Problems = list[tuple[str, str]]  # (severity, message)


@dataclass
class ParsedBody:
    """The body as segments, and what a contributor should hear about it (``(severity, message)``)."""

    segments: tuple[Segment, ...]
    problems: Problems = field(default_factory=list)


@dataclass
class _Open:
    name: str
    params: tuple[tuple[str, str], ...]
    markdown: bool
    at: int  # index of its node in the output list


def parse_shortcodes(text: str) -> ParsedBody:
    """Segments of ``text``; an unknown shortcode is kept (its inner text is shown) and named in a notice."""
    problems: Problems = []
    out: list[Segment | _Open] = []
    stack: list[_Open] = []
    pos = 0
    count = 0
    for match in _TAG.finditer(text):
        _add_text(out, text[pos : match.start()], problems)
        pos = match.end()
        count += 1
        if count > MAX_SHORTCODES:
            problems.append(("warning", f"more than {MAX_SHORTCODES} shortcodes; the rest are shown as text"))
            _add_text(out, text[match.start() :], problems, strip_all=True)
            pos = len(text)
            break
        marker, body, end = match.group(1), match.group(2).strip(), match.group(3)
        if body.startswith("/*") and body.endswith("*/"):  # escaped: the author shows the syntax itself
            out.append("{{" + marker + " " + body[2:-2].strip() + " " + end + "}}")
            continue
        if body.startswith("/"):
            _close(body[1:].strip(), out, stack, problems)
            continue
        self_closing = body.endswith("/")
        body = body.removesuffix("/").strip()
        name_match = _NAME.match(body)
        if not name_match:
            problems.append(("warning", f"'{match.group(0)[:60]}' is not a shortcode Hugo can read; dropped"))
            continue
        name = name_match.group(0)
        params = _params(body[name_match.end() :])
        if self_closing:
            out.append(Shortcode(name, params, None, marker == "%"))
        else:
            if len(stack) >= MAX_DEPTH:
                problems.append(("warning", f"shortcodes nested deeper than {MAX_DEPTH}; '{name}' is flat"))
                out.append(Shortcode(name, params, None, marker == "%"))
                continue
            opened = _Open(name, params, marker == "%", len(out))
            out.append(opened)
            stack.append(opened)
    _add_text(out, text[pos:], problems)
    segments = tuple(_finish(out))
    _report_unknown(segments, problems)
    return ParsedBody(segments, problems)


def _add_text(
    out: list[Segment | _Open], text: str, problems: list[tuple[str, str]], strip_all: bool = False
) -> None:
    """Plain text; a ``{{<`` or ``{{%`` left in it was never closed and loses its delimiter."""
    if not text:
        return
    if strip_all or _OPENING.search(text):
        if not strip_all:
            problems.append(
                ("warning", "a shortcode opened with '{{<' or '{{%' is never closed; shown as text")
            )
        text = _OPENING.sub("", text).replace(">}}", "").replace("%}}", "")
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


def _close(
    name: str, out: list[Segment | _Open], stack: list[_Open], problems: list[tuple[str, str]]
) -> None:
    index = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].name == name), None)
    if index is None:
        problems.append(
            ("warning", f"'{{{{< /{name} >}}}}' closes a shortcode that was never opened; dropped")
        )
        return
    opened = stack[index]
    del stack[index:]  # anything opened after it and never closed stands alone
    inner = _finish(out[opened.at + 1 :])
    del out[opened.at :]
    out.append(Shortcode(opened.name, opened.params, tuple(inner), opened.markdown))


def _finish(items: list[Segment | _Open]) -> list[Segment]:
    """Shortcodes still open at the end have no closing tag: they stand alone."""
    done: list[Segment] = []
    for item in items:
        segment: Segment = (
            Shortcode(item.name, item.params, None, item.markdown) if isinstance(item, _Open) else item
        )
        if isinstance(segment, str) and done and isinstance(done[-1], str):
            done[-1] += segment
        else:
            done.append(segment)
    return done


def _params(text: str) -> tuple[tuple[str, str], ...]:
    params: list[tuple[str, str]] = []
    position = 0
    for match in _PARAM.finditer(text):
        value = match.group("value")
        if value[:1] in "\"'`" and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
            if match.group("value")[0] == '"':
                value = re.sub(r"\\(.)", r"\1", value)
        key = match.group("key")
        if key is None:
            key = str(position)
            position += 1
        params.append((key, value))
    return tuple(params)


def _report_unknown(segments: tuple[Segment, ...], problems: Problems) -> None:
    seen: set[str] = set()

    def walk(items: tuple[Segment, ...]) -> None:
        for item in items:
            if isinstance(item, Shortcode):
                if item.name not in SUPPORTED and item.name not in seen:
                    seen.add(item.name)
                    problems.append(
                        (
                            "notice",
                            f"Hugo shortcode '{item.name}' has no equivalent here; its inner text is shown",
                        )
                    )
                walk(item.inner or ())

    walk(segments)
