"""Rebuild untrusted SVG icons from an allowlist so they are safe to publish as standalone ``.svg`` files.

Model and component icons in registry data are inline SVG strings written by strangers. An ``.svg`` file
opened directly in a browser is an active document: scripts, event handlers, ``javascript:`` links,
animations that rewrite ``href`` and external loads (tracking pixels, stylesheets) all work there. Looking
for bad things is a losing game, so :func:`sanitize_svg` parses the icon with ``defusedxml`` and writes a new
document holding only elements, attributes and CSS that are known to be drawing, and only references that
point inside the icon itself. Anything else is dropped, or the whole icon is rejected with
:class:`SvgRejected` when it cannot be parsed safely at all.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers.expat import errors as expat_errors

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["SvgRejected", "sanitize_svg"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Elements that only draw or describe drawing. Everything else (script, foreignObject, a, animate*, set,
# metadata, unknown and non-SVG elements) is dropped together with its subtree. feImage is left out on
# purpose: it exists to pull in other resources. switch is kept so Illustrator exports, which wrap the
# artwork in <switch> next to a <foreignObject>, still render once the foreignObject is gone.
_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "switch",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath", "title", "desc",
        "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern", "marker",
        "style", "image",
        "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
        "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
        "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode",
        "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
        "feTurbulence",
    }
)  # fmt: skip

# Attributes without a namespace that only describe geometry, paint, text layout, filters or
# accessibility. Event handlers (on*), href, src, xml:base and everything unknown are not here.
_ATTRIBUTES = frozenset(
    {
        # core and accessibility
        "id", "class", "style", "lang", "role", "focusable", "tabindex",
        "aria-hidden", "aria-label", "aria-labelledby", "aria-describedby",
        "requiredExtensions", "requiredFeatures", "systemLanguage",
        # document and viewport
        "version", "baseProfile", "viewBox", "preserveAspectRatio", "zoomAndPan", "width", "height",
        # geometry
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr",
        "d", "points", "pathLength", "transform",
        # text
        "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
        # paint servers, clipping, masking, markers, patterns
        "offset", "gradientUnits", "gradientTransform", "spreadMethod",
        "patternUnits", "patternContentUnits", "patternTransform",
        "clipPathUnits", "maskUnits", "maskContentUnits",
        "markerUnits", "markerWidth", "markerHeight", "refX", "refY", "orient",
        # filters and filter primitives
        "filterUnits", "primitiveUnits", "filterRes", "in", "in2", "result", "mode", "operator",
        "stdDeviation", "values", "type", "tableValues", "slope", "intercept", "amplitude", "exponent",
        "k1", "k2", "k3", "k4", "order", "kernelMatrix", "kernelUnitLength", "divisor", "bias",
        "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale", "diffuseConstant",
        "specularConstant", "specularExponent", "scale", "xChannelSelector", "yChannelSelector",
        "radius", "baseFrequency", "numOctaves", "seed", "stitchTiles", "azimuth", "elevation", "z",
        "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle",
        # <style>
        "media", "title",
        # presentation attributes (SVG 1.1 and SVG 2)
        "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
        "color-interpolation", "color-interpolation-filters", "color-rendering", "cursor", "direction",
        "display", "dominant-baseline", "enable-background", "fill", "fill-opacity", "fill-rule",
        "filter", "flood-color", "flood-opacity", "font", "font-family", "font-size", "font-size-adjust",
        "font-stretch", "font-style", "font-variant", "font-weight", "glyph-orientation-horizontal",
        "glyph-orientation-vertical", "image-rendering", "kerning", "letter-spacing", "lighting-color",
        "marker", "marker-end", "marker-mid", "marker-start", "mask", "mask-type", "opacity", "overflow",
        "paint-order", "pointer-events", "shape-rendering", "stop-color", "stop-opacity", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
        "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor", "text-decoration",
        "text-rendering", "transform-box", "transform-origin", "unicode-bidi", "vector-effect",
        "visibility", "word-spacing", "writing-mode",
    }
)  # fmt: skip

# Characters a browser ignores inside URLs and that attackers use to split "javascript:" apart.
_IGNORABLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]+")
_BAD_IN_VALUES = ("javascript:", "vbscript:", "data:", "expression(")
_BAD_IN_CSS = (
    "@import", "expression(", "behavior:", "behaviour:", "-moz-binding", "javascript:", "vbscript:",
    "image-set(", "image(", "cross-fade(", "src(", "/*",
)  # fmt: skip
# url( then a quoted or bare target; an unterminated quote or parenthesis runs to the end of the value.
_URL_CALL = re.compile(r"url\((?:\"([^\"]*)\"?|'([^']*)'?|([^)]*))")
_LOCAL_FRAGMENT = re.compile(r"#[^\s\"'()<>\\]+")
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}", re.IGNORECASE)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_PROLOG = re.compile(r"\ufeff?\s*(?:<\?xml\s.*?\?>)?", re.DOTALL)
_JUNK_AFTER_ROOT = expat_errors.codes[expat_errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]


class SvgRejected(ValueError):
    """Raised when an icon cannot be made safe; ``str(exc)`` is a short reason a contributor can act on."""


class _TooDeep(Exception):
    """Raised from inside the parser so absurd nesting stops at the first level too many."""


class _DepthLimitedBuilder(TreeBuilder):
    """A TreeBuilder that refuses to build past ``max_depth`` open elements."""

    def __init__(self, max_depth: int) -> None:
        super().__init__()
        self._depth = 0
        self._max_depth = max_depth

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self._depth += 1
        if self._depth > self._max_depth:
            raise _TooDeep
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self._depth -= 1
        return super().end(tag)


def sanitize_svg(source: str, *, max_bytes: int = 1_000_000, max_depth: int = 64) -> str:
    """Return a safe standalone SVG document rebuilt from ``source``, or raise :class:`SvgRejected`.

    The result starts with ``<svg``, declares ``xmlns`` (and ``xmlns:xlink`` only when an ``xlink:href``
    is kept), keeps attribute order, and is the same for the same input, so rebuilt sites are
    byte-identical.
    """
    if not isinstance(source, str):
        raise SvgRejected(f"icon is a {type(source).__name__}, expected SVG text")
    if not source.lstrip("\ufeff").strip():
        raise SvgRejected("empty icon")
    try:
        size = len(source.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise SvgRejected("icon is not valid Unicode text") from exc
    if size > max_bytes:
        raise SvgRejected(_size_reason(size, max_bytes))
    root = _parse(source, max_depth)
    return _Rebuilder(root).run()


def _size_reason(size: int, limit: int) -> str:
    """'icon is 1.4 MB, limit is 1 MB', falling back to exact bytes when rounding would hide the gap."""

    def human(n: int) -> str:
        for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
            if n >= scale:
                return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
        return f"{n} bytes"

    shown, allowed = human(size), human(limit)
    if shown == allowed:
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    return f"icon is {shown}, limit is {allowed}"


def _parse(source: str, max_depth: int) -> Element:
    """Parse with defusedxml, blanking the BOM and XML declaration so error positions match the input."""
    prolog = _PROLOG.match(source)
    assert prolog is not None  # every part of the pattern is optional
    text = re.sub(r"[^\r\n]", " ", prolog.group()) + source[prolog.end() :]
    try:
        return _parse_text(text, max_depth)
    except ParseError as exc:
        # One real registry icon is the same <svg> document pasted twice. Browsers would refuse it as a
        # file; keeping one copy is what its author meant. Anything else after the root is rejected.
        if exc.code == _JUNK_AFTER_ROOT:
            first = _single_document_if_repeated(text, exc.position)
            if first is not None:
                return _parse_text(first, max_depth)
        line, column = exc.position
        raise SvgRejected(f"not well-formed XML (line {line}, column {column + 1})") from None


def _parse_text(text: str, max_depth: int) -> Element:
    """Run the defused parser; translate its refusals into SvgRejected reasons."""
    parser = DefusedXMLParser(
        target=_DepthLimitedBuilder(max_depth), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(text.encode("utf-8"))
        root: Element = parser.close()
    except _TooDeep:
        raise SvgRejected(f"nested deeper than {max_depth} levels") from None
    except EntitiesForbidden as exc:
        kind = "external entity" if exc.sysid or exc.pubid else "entity"
        raise SvgRejected(f"XML {kind} declarations are not allowed ({exc.name!r})") from None
    except ExternalReferenceForbidden:
        raise SvgRejected("external XML references are not allowed") from None
    return root


def _single_document_if_repeated(text: str, position: tuple[int, int]) -> str | None:
    """Return the first document when everything after it is only exact copies of it, else None."""
    line, column = position
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    offset = sum(len(part) + 1 for part in lines[: line - 1]) + column
    first = text[:offset]
    unit = first.strip()
    cursor, end = offset, len(text.rstrip())
    if not unit or cursor >= end:
        return None
    while cursor < end:  # positions, not slices: a tiny unit repeated many times must stay linear
        while text[cursor].isspace():
            cursor += 1
        if not text.startswith(unit, cursor):
            return None
        cursor += len(unit)
    return first


def _split_tag(tag: str) -> tuple[str, str]:
    """'{ns}local' → ('ns', 'local'); 'local' → ('', 'local')."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def _compact(value: str) -> str:
    """Lowercase and drop the characters browsers skip, so 'Java&#x09;Script :' reads 'javascript:'."""
    return _IGNORABLE.sub("", value).lower()


def _urls_are_local(compact: str) -> bool:
    """True when every url(...) in an already compacted value points to a fragment of this document."""
    return all(
        _LOCAL_FRAGMENT.fullmatch(next(group for group in match.groups() if group is not None))
        for match in _URL_CALL.finditer(compact)
    )


def _css_piece_is_safe(text: str) -> bool:
    """A declaration, selector or whole stylesheet with no escapes, no loaders and only local url()s."""
    if "\\" in text:  # CSS escapes can spell anything ('\75 rl(' is 'url('); no real icon needs them
        return False
    compact = _compact(text)
    return not any(bad in compact for bad in _BAD_IN_CSS) and _urls_are_local(compact)


def _split_css(css: str) -> list[tuple[str, str]]:
    """Split CSS at top-level ';', '{' and '}' (outside strings and parentheses) → [(text, terminator)]."""
    pieces: list[tuple[str, str]] = []
    start = 0
    index = 0
    quote = ""
    parens = 0
    while index < len(css):
        char = css[index]
        if char == "\\":
            index += 2
            continue
        if quote:
            if char in (quote, "\n"):
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "(":
            parens += 1
        elif char == ")":
            parens = max(0, parens - 1)
        elif parens == 0 and char in ";{}":
            pieces.append((css[start:index], char))
            start = index + 1
        index += 1
    if start < len(css):
        pieces.append((css[start:], ""))
    return pieces


def _sanitize_stylesheet(css: str) -> str:
    """Keep the rules of a <style> element minus @import, escapes and anything that loads or runs.

    Unsafe declarations are dropped one by one, unsafe rule blocks as a whole, so '.cls-1{fill:#00d3a9}'
    survives next to an '@import'. If the rebuilt text still looks unsafe, nothing is kept.
    """
    out: list[str] = []
    depth = 0  # open blocks we kept
    skipping = 0  # open blocks inside a block we dropped
    for text, terminator in _split_css(_CSS_COMMENT.sub("", css)):
        if skipping:
            skipping += {"{": 1, "}": -1}.get(terminator, 0)
            continue
        stripped = text.strip()
        if terminator == "{":
            if _css_piece_is_safe(text):
                out.append(text + "{")
                depth += 1
            else:
                skipping = 1
        elif terminator == "}":
            if not stripped or (not stripped.startswith("@") and _css_piece_is_safe(text)):
                out.append(text)
            if depth:
                out.append("}")
                depth -= 1
        elif not stripped or (not stripped.startswith("@") and _css_piece_is_safe(text)):
            out.append(text + terminator)  # at-statements (@import, @charset, @namespace) are dropped
    out.append("}" * depth)
    result = "".join(out)
    return result if _css_piece_is_safe(result) else ""


def _sanitize_style_attribute(css: str) -> str:
    """Keep the safe declarations of a style="..." attribute as written; '' when none are left."""
    kept = [
        text + terminator
        for text, terminator in _split_css(_CSS_COMMENT.sub("", css))
        if terminator in (";", "") and (not text.strip() or _css_piece_is_safe(text))
    ]
    result = "".join(kept)
    return result if result.strip("; \t\r\n") and _css_piece_is_safe(result) else ""


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


class _Rebuilder:
    """Walks the parsed tree with an explicit stack and writes the allowed part of it as SVG text."""

    def __init__(self, root: Element) -> None:
        namespace, local = _split_tag(root.tag)
        if local != "svg":
            raise SvgRejected(f"root element is <{local}>, expected <svg>")
        if namespace not in (SVG_NS, ""):
            raise SvgRejected(f"root element <svg> is in namespace {namespace!r}, expected {SVG_NS!r}")
        self.root = root
        # A root written without xmlns is taken as SVG; so are its children written the same way.
        self.svg_namespaces = {SVG_NS, namespace}
        self.uses_xlink = False

    def run(self) -> str:
        out: list[str] = []
        stack: list[Element | str] = [self.root]
        while stack:
            item = stack.pop()
            if isinstance(item, str):  # an end tag and the text after it, queued when the element opened
                out.append(item)
                continue
            local = self._allowed_local_name(item)
            attributes = self._attributes(item, local) if local else None
            if local is None or attributes is None:
                if item is not self.root and item.tail:
                    out.append(_escape_text(item.tail))
                continue
            if local == "style":
                content = _escape_text(_sanitize_stylesheet(_style_text(item)))
                children: list[Element] = []
            else:
                content = _escape_text(item.text or "")
                children = list(item)
            start = f"<{local}" + "".join(f' {name}="{_escape_attribute(v)}"' for name, v in attributes)
            after = _escape_text(item.tail or "") if item is not self.root else ""
            if not content and not children:
                out.append(start + "/>" + after)
                continue
            out.append(start + ">" + content)
            stack.append(f"</{local}>{after}")
            stack.extend(reversed(children))
        declarations = f' xmlns="{SVG_NS}"' + (f' xmlns:xlink="{XLINK_NS}"' if self.uses_xlink else "")
        return "<svg" + declarations + "".join(out)[len("<svg") :]

    def _allowed_local_name(self, element: Element) -> str | None:
        """The element's SVG name when it is on the allowlist, else None (drop it and its subtree)."""
        if not isinstance(element.tag, str):  # comments and processing instructions
            return None
        namespace, local = _split_tag(element.tag)
        if namespace not in self.svg_namespaces or local not in _ELEMENTS:
            return None
        return local

    def _attributes(self, element: Element, local: str) -> list[tuple[str, str]] | None:
        """The safe attributes in input order, or None when the element must go (an <image> with no
        embedded raster picture)."""
        kept: list[tuple[str, str]] = []
        has_picture = False
        for key, value in element.attrib.items():
            namespace, name = _split_tag(key)
            if namespace == XLINK_NS and name == "href":
                name = "xlink:href"
            elif namespace == XML_NS and name in ("space", "lang"):
                name = f"xml:{name}"
            elif namespace or (name not in _ATTRIBUTES and name != "href"):
                continue  # on*, src, xml:base, sodipodi:*, inkscape:*, data-*, the odd _xmlns:xlink …
            if name in ("href", "xlink:href"):
                safe = self._href(value, local)
                if safe is None:
                    continue
                has_picture = has_picture or safe.startswith("data:")
                self.uses_xlink = self.uses_xlink or name == "xlink:href"
                kept.append((name, safe))
            elif name == "style":
                css = _sanitize_style_attribute(value)
                if css:
                    kept.append((name, css))
            elif _value_is_safe(value):
                kept.append((name, value))
        if local == "image" and not has_picture:
            return None
        return kept

    @staticmethod
    def _href(value: str, local: str) -> str | None:
        """A link target kept only when it stays inside the icon (or is an embedded raster <image>)."""
        fragment = _IGNORABLE.sub(" ", value).strip()
        if _LOCAL_FRAGMENT.fullmatch(fragment):
            return fragment
        picture = _IGNORABLE.sub("", value)  # base64 may be wrapped over several lines
        if local == "image" and _DATA_IMAGE.fullmatch(picture):
            return picture
        return None


def _value_is_safe(value: str) -> bool:
    """Plain attribute values may not carry script URLs, data: URLs, CSS escapes or non-local url()."""
    if "\\" in value:  # presentation attributes are parsed as CSS, where escapes can spell 'url('
        return False
    compact = _compact(value)
    return not any(bad in compact for bad in _BAD_IN_VALUES) and _urls_are_local(compact)


def _style_text(element: Element) -> str:
    """The CSS of a <style>: its own text nodes; child elements are not CSS and are ignored."""
    return (element.text or "") + "".join(child.tail or "" for child in element)
