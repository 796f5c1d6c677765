"""Tests for meshdocs.sanitize.svg: real registry icons must survive, hostile ones must not.

Icons in registry data are untrusted SVG that we publish as .svg files, which browsers run as active
documents. The real-data test pins that sanitizing keeps every drawing; the hostile cases pin that
scripts, event handlers, script URLs, external loads and parser bombs never reach the output.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import pytest
from defusedxml import ElementTree as DET

from meshdocs.sanitize import SvgRejected, sanitize_svg

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
DRAWABLE = frozenset(
    {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "image", "use"}
)

DATA_ROOT = Path(os.environ.get("MESHDOCS_SHARED_DATA", "/work/shared/data"))
REGISTRIES = ("registry-2024", "registry-2026")
MODEL_ICON_KEYS = ("svgColor", "svgWhite", "svgComplete")
STYLE_ICON_KEYS = ("svgColor", "svgWhite")

OPEN = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" viewBox="0 0 10 10">'
SAFE_PARTS = (
    "<style>.cls-1{fill:#00d3a9}</style>"
    '<defs><linearGradient id="grad"><stop offset="0" stop-color="#00d3a9"/></linearGradient></defs>'
    '<path class="cls-1" fill="url(#grad)" d="M0 0h10v10z"/>'
)
# Substrings that must never appear in sanitized output of the hostile cases below (compared lowercased).
NEVER = (
    "script", "alert", "evil", "onload", "onclick", "onmouseover", "foreignobject", "iframe", "embed",
    "object", "@import", "animate", "<set", "expression", "behavior", "binding", "xml:base",
    "<a ", "<a>", "data:text", "svg+xml", "sodipodi", "inkscape", "rdf", "metadata", "stylesheet",
)  # fmt: skip


def hostile(fragment: str) -> str:
    """A well-formed icon with a known safe drawing plus one hostile fragment."""
    return f"{OPEN}{SAFE_PARTS}{fragment}</svg>"


def assert_safe(output: str) -> None:
    """The output is a standalone SVG document with none of the NEVER strings and the safe parts intact."""
    assert output.startswith(f'<svg xmlns="{SVG_NS}"')
    lowered = output.lower()
    leaked = [bad for bad in NEVER if bad in lowered]
    assert not leaked, f"{leaked} survived in {output}"
    root = DET.fromstring(output)
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert '<path class="cls-1" fill="url(#grad)" d="M0 0h10v10z"/>' in output
    assert "<style>.cls-1{fill:#00d3a9}</style>" in output
    assert '<linearGradient id="grad">' in output


def drawables(root: Element) -> Counter[str]:
    """How many of each drawable element a tree holds, counting SVG and un-namespaced elements only."""
    counts: Counter[str] = Counter()
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        namespace, _, name = (
            element.tag[1:].rpartition("}") if element.tag.startswith("{") else ("", "", element.tag)
        )
        if namespace in (SVG_NS, "") and name in DRAWABLE:
            counts[name] += 1
    return counts


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\s.*?\?>", re.DOTALL)


def source_drawables(source: str) -> tuple[Counter[str], bool]:
    """Drawables in an original icon, parsed independently of the sanitizer; True when the icon is one
    document pasted several times (the sanitizer keeps one copy, so one copy is counted)."""
    text = _XML_DECLARATION.sub("", source).strip()
    try:
        return drawables(DET.fromstring(text)), False
    except ParseError as exc:
        if "junk after document element" not in str(exc):
            raise
        line, column = exc.position
        offset = sum(len(part) + 1 for part in text.split("\n")[: line - 1]) + column
        first, rest = text[:offset].strip(), text[offset:].strip()
        assert rest.replace(first, "").strip() == "", "only exact repeats of one document are tolerated"
        return drawables(DET.fromstring(first)), True


def registry_icons(root: Path) -> Iterator[str]:
    """Every inline SVG string the site would publish from one registry folder, read in place."""
    for path in sorted(root.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        if path.name == "model.json":
            candidates = [(data.get("metadata"), MODEL_ICON_KEYS)]
        elif path.parent.name == "components":
            model = data.get("model") if isinstance(data.get("model"), dict) else {}
            candidates = [(data.get("styles"), STYLE_ICON_KEYS), (model.get("metadata"), MODEL_ICON_KEYS)]
        else:
            continue
        for holder, keys in candidates:
            if isinstance(holder, dict):
                yield from (holder[key] for key in keys if isinstance(holder.get(key), str))


# --- real registry data -----------------------------------------------------------------------------------


@pytest.mark.parametrize("registry", REGISTRIES)
def test_every_real_registry_icon_keeps_its_drawing_or_is_empty(
    registry: str, record_property: Callable[[str, object], None]
) -> None:
    folder = DATA_ROOT / registry
    if not folder.is_dir():
        pytest.skip(f"{folder} is not available")
    icons = set(registry_icons(folder))  # icons repeat across components; check each distinct one once
    assert icons, f"no icons found under {folder}"
    repeated_documents = 0
    for icon in sorted(icons):
        if not icon.strip():
            with pytest.raises(SvgRejected, match="empty icon"):
                sanitize_svg(icon)
            continue
        output = sanitize_svg(icon)
        root = DET.fromstring(output)
        assert root.tag == f"{{{SVG_NS}}}svg"
        expected, repeated = source_drawables(icon)
        repeated_documents += repeated
        assert drawables(root) == expected, icon[:200]
        assert sanitize_svg(output) == output, "sanitizing is not idempotent"
    record_property("distinct_icons", len(icons))
    record_property("repeated_documents", repeated_documents)
    print(f"{registry}: {len(icons)} distinct icons, {repeated_documents} pasted twice")


def test_real_icon_oddities_are_dropped_and_the_drawing_kept() -> None:
    # The shapes of real registry icons: DOCTYPE, a bogus _xmlns prefix, per-element xmlns, data-name.
    icon = (
        '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE svg><svg xmlns="http://www.w3.org/2000/svg" '
        'width="20" height="20" viewBox="0 0 2155 2155" xmlns:_xmlns="xmlns" '
        '_xmlns:xlink="http://www.w3.org/1999/xlink" data-name="Layer 1"><defs xmlns="http://www.w3.org/2000/svg">'
        '<path xmlns="http://www.w3.org/2000/svg" id="a" d="M744.151 1273.145.22 843.325z"></path></defs>'
        '<use xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'fill="#3FB594" xlink:href="#a"></use></svg>'
    )
    assert sanitize_svg(icon) == (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="20" height="20" viewBox="0 0 2155 2155">'
        '<defs><path id="a" d="M744.151 1273.145.22 843.325z"/></defs>'
        '<use fill="#3FB594" xlink:href="#a"/></svg>'
    )


def test_a_document_pasted_twice_keeps_one_copy() -> None:
    one = f'<svg xmlns="{SVG_NS}" viewBox="0 0 40 40">\n<rect width="40" height="40"/>\n</svg>'
    assert sanitize_svg(f"{one}\n{one}\n") == sanitize_svg(one)


def test_a_different_document_after_the_root_is_rejected() -> None:
    with pytest.raises(SvgRejected, match=r"not well-formed XML \(line 2, column 1\)"):
        sanitize_svg(f'<svg xmlns="{SVG_NS}"/>\n<svg xmlns="{SVG_NS}"><script>alert(1)</script></svg>')


def test_inkscape_and_sodipodi_namespaces_are_dropped() -> None:
    icon = (
        f'<svg xmlns="{SVG_NS}" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'sodipodi:docname="icon.svg" inkscape:version="1.3" viewBox="0 0 10 10">'
        '<sodipodi:namedview pagecolor="#ffffff"><inkscape:grid type="xygrid"/></sodipodi:namedview>'
        "<metadata><rdf:RDF><rdf:Description/></rdf:RDF></metadata>"
        '<g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1"><path d="M0 0h10"/></g></svg>'
    )
    assert (
        sanitize_svg(icon)
        == f'<svg xmlns="{SVG_NS}" viewBox="0 0 10 10"><g id="layer1"><path d="M0 0h10"/></g></svg>'
    )


def test_illustrator_switch_keeps_the_artwork_without_foreign_object() -> None:
    icon = hostile(
        '<switch><foreignObject requiredExtensions="http://ns.adobe.com/AdobeIllustrator/10.0/" width="1" '
        'height="1"/><g><circle cx="5" cy="5" r="5"/></g></switch>'
    )
    output = sanitize_svg(icon)
    assert_safe(output)
    assert '<switch><g><circle cx="5" cy="5" r="5"/></g></switch>' in output


# --- hostile input: dropped ------------------------------------------------------------------------------

HOSTILE_FRAGMENTS = {
    "script element": "<script>alert(1)</script>",
    "script with external source": f'<script xlink:href="http://evil/x.js" xmlns:xlink="{XLINK_NS}"/>',
    "xhtml script": '<html:script xmlns:html="http://www.w3.org/1999/xhtml">alert(1)</html:script>',
    "onclick on a shape": '<rect width="1" height="1" onclick="alert(1)"/>',
    "onload and onmouseover on a group": '<g onload="alert(1)" onmouseover="alert(1)"><circle r="1"/></g>',
    "javascript link": '<a href="javascript:alert(1)"><text>click</text></a>',
    "javascript xlink link": '<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>',
    "javascript use href": '<use href="javascript:alert(1)"/>',
    "javascript use xlink:href": '<use xlink:href="javascript:alert(1)"/>',
    "tab-split javascript entity": '<use href="java&#x09;script:alert(1)"/>',
    "newline-split javascript entity": '<use xlink:href="java&#10;script:alert(1)"/>',
    "mixed case padded javascript": '<use href=" JaVaScRiPt:alert(1)"/>',
    "entity-encoded letters": '<use href="&#x6A;&#x61;vascript&#58;alert(1)"/>',
    "vbscript": '<use href="vbscript:msgbox(1)"/>',
    "javascript in a presentation attribute": '<rect fill="java&#x09;script:alert(1)" width="1"/>',
    "external use href": '<use href="http://evil/x.svg#a"/>',
    "protocol-relative use xlink:href": '<use xlink:href="//evil/x.svg#a"/>',
    "external textPath href": '<text><textPath href="http://evil/p.svg#p">t</textPath></text>',
    "foreignObject with iframe": (
        '<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" '
        'src="http://evil/"/></foreignObject>'
    ),
    "foreignObject with html body": (
        '<foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="javascript:alert(1)"/>'
        "</body></foreignObject>"
    ),
    "iframe, object and embed in the SVG namespace": (
        '<iframe src="http://evil/"/><object data="http://evil/"/><embed src="http://evil/"/>'
    ),
    "external image": '<image href="http://evil/track.png" width="1" height="1"/>',
    "external image via xlink": '<image xlink:href="https://evil/track.gif" width="1" height="1"/>',
    "svg data image": '<image href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="/>',
    "html data url": '<use href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;"/>',
    "feImage loading a picture": '<filter id="f"><feImage href="http://evil/x.png"/></filter>',
    "style @import url": "<style>@import url(http://evil/x.css);</style>",
    "style @import string": '<style>@import "http://evil/x.css";</style>',
    "style external background": "<style>.x{background:url(http://evil/x.png)}</style>",
    "style css-escaped url": r"<style>.x{background:u\72l(http://evil/x.png)}</style>",
    "style comment-split url": "<style>.x{background:u/**/rl(http://evil/x.png)}</style>",
    "style expression": "<style>.x{width:expression(alert(1))}</style>",
    "style behavior": "<style>.x{behavior:url(#default#time2)}</style>",
    "style moz-binding": "<style>.x{-moz-binding:url(http://evil/x.xml#b)}</style>",
    "style image-set": '<style>.x{background:image-set("http://evil/x.png" 1x)}</style>',
    "style javascript url": "<style>.x{background:url(javascript:alert(1))}</style>",
    "style font-face from elsewhere": "<style>@font-face{font-family:x;src:url(http://evil/f.woff)}</style>",
    "style attribute background": '<rect width="1" style="background:url(http://evil/x.png)"/>',
    "fill with external url": '<rect width="1" fill="url(http://evil#x)"/>',
    "mask and filter with external urls": (
        '<rect width="1" mask="url(\'http://evil/m.svg#m\')" filter="url(//evil/f.svg#f)"/>'
    ),
    "cursor with external url": '<rect width="1" cursor="url(http://evil/c.cur), auto"/>',
    "animate href to javascript": (
        '<a><animate attributeName="href" to="javascript:alert(1)"/><text>t</text></a>'
    ),
    "animate values with javascript": '<animate attributeName="xlink:href" values="javascript:alert(1)"/>',
    "set href": '<set attributeName="href" to="javascript:alert(1)" begin="0s"/>',
    "animateTransform and animateMotion": (
        '<animateTransform attributeName="transform" type="scale"/><animateMotion path="M0 0"/>'
    ),
    "xml:base redirecting local refs": '<g xml:base="http://evil/"><use href="#grad"/></g>',
    "unknown elements": '<handler type="application/ecmascript">alert(1)</handler><listener event="click"/>',
    "xml-events attributes": '<g xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="onclick"/>',
}


@pytest.mark.parametrize("fragment", HOSTILE_FRAGMENTS.values(), ids=HOSTILE_FRAGMENTS.keys())
def test_hostile_fragment_is_removed_and_safe_drawing_kept(fragment: str) -> None:
    assert_safe(sanitize_svg(hostile(fragment)))


def test_event_handlers_on_the_root_are_dropped() -> None:
    icon = (
        f'<svg xmlns="{SVG_NS}" onload="alert(1)" ONLOAD="alert(2)" viewBox="0 0 1 1"><path d="M0 0"/></svg>'
    )
    assert sanitize_svg(icon) == f'<svg xmlns="{SVG_NS}" viewBox="0 0 1 1"><path d="M0 0"/></svg>'


def test_style_attribute_keeps_safe_declarations_only() -> None:
    output = sanitize_svg(
        hostile(
            '<rect width="1" style="fill:red;background-image:url(\'http://evil/x.png\');'
            'stroke:url(#grad);width:expression(alert(1))"/>'
        )
    )
    assert_safe(output)
    assert 'style="fill:red;stroke:url(#grad);"' in output


def test_stylesheet_keeps_safe_rules_next_to_dropped_ones() -> None:
    css = (
        "@import url(http://evil/x.css);\n.cls-2{fill:url(#grad);stroke:#fff}\n"
        ".x{background:url(http://evil/y.png);fill:#123456}\n@media (min-width:1px){.cls-3{opacity:.5}}"
    )
    output = sanitize_svg(hostile(f"<style>{css}</style>"))
    assert_safe(output)
    assert ".cls-2{fill:url(#grad);stroke:#fff}" in output
    assert ".x{fill:#123456}" in output
    assert "@media (min-width:1px){.cls-3{opacity:.5}}" in output


def test_internal_dtd_default_attributes_do_not_sneak_in() -> None:
    icon = (
        f'<!DOCTYPE svg [<!ATTLIST rect onclick CDATA "alert(1)"><!ATTLIST use href CDATA "http://evil/">]>'
        f'<svg xmlns="{SVG_NS}"><rect width="1"/><use/></svg>'
    )
    assert sanitize_svg(icon) == f'<svg xmlns="{SVG_NS}"><rect width="1"/><use/></svg>'


def test_processing_instructions_and_comments_are_dropped() -> None:
    icon = f'<?xml-stylesheet href="http://evil/x.css"?><svg xmlns="{SVG_NS}"><!-- evil --><?pi evil?></svg>'
    assert sanitize_svg(icon) == f'<svg xmlns="{SVG_NS}"/>'


# --- hostile input: rejected -----------------------------------------------------------------------------

# Ten entities, each ten times the one before: a billion "lol"s if an entity were ever expanded.
_LAUGH_ENTITIES = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
)
BILLION_LAUGHS = (
    f'<?xml version="1.0"?><!DOCTYPE svg [{_LAUGH_ENTITIES}]><svg xmlns="{SVG_NS}"><text>&lol9;</text></svg>'
)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(BILLION_LAUGHS, r"XML entity declarations are not allowed", id="billion laughs"),
        pytest.param(
            '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            f'<svg xmlns="{SVG_NS}"><text>&xxe;</text></svg>',
            r"XML external entity declarations are not allowed \('xxe'\)",
            id="external entity",
        ),
        pytest.param(
            f'<!DOCTYPE svg [<!ENTITY % dtd SYSTEM "http://evil/x.dtd"> %dtd;]><svg xmlns="{SVG_NS}"/>',
            r"XML external entity declarations are not allowed",
            id="external parameter entity",
        ),
        pytest.param(
            "just some text, not XML", r"^not well-formed XML \(line 1, column 1\)$", id="plain text"
        ),
        pytest.param('{"svgColor": "<svg/>"}', r"^not well-formed XML", id="json"),
        pytest.param(
            f'<svg xmlns="{SVG_NS}"><g></svg>',
            r"^not well-formed XML \(line 1, column 46\)$",
            id="bad nesting",
        ),
        pytest.param(f'<svg xmlns="{SVG_NS}">', r"^not well-formed XML", id="truncated"),
        pytest.param(
            "<html><body><svg/></body></html>", r"^root element is <html>, expected <svg>$", id="html root"
        ),
        pytest.param(f'<g xmlns="{SVG_NS}"/>', r"^root element is <g>, expected <svg>$", id="g root"),
        pytest.param(
            '<svg xmlns="http://www.w3.org/1999/xhtml"/>',
            r"root element <svg> is in namespace",
            id="xhtml svg",
        ),
        pytest.param("", r"^empty icon$", id="empty"),
        pytest.param(" \n\t ", r"^empty icon$", id="whitespace"),
        pytest.param("\ufeff  ", r"^empty icon$", id="bom only"),
        pytest.param("<svg>\ud800</svg>", r"^icon is not valid Unicode text$", id="lone surrogate"),
    ],
)
def test_unsafe_or_unusable_input_is_rejected_with_a_reason(source: str, reason: str) -> None:
    with pytest.raises(SvgRejected, match=reason):
        sanitize_svg(source)


def test_rejection_is_a_value_error() -> None:
    assert issubclass(SvgRejected, ValueError)


def test_error_position_counts_the_stripped_xml_declaration() -> None:
    with pytest.raises(SvgRejected, match=r"line 3, column 6"):
        sanitize_svg(f'\ufeff<?xml version="1.0"?>\n<svg xmlns="{SVG_NS}">\n<g></svg>')


def test_non_string_icon_is_rejected() -> None:
    with pytest.raises(SvgRejected, match="expected SVG text"):
        sanitize_svg(None)  # type: ignore[arg-type]


def test_oversize_icon_is_rejected_with_sizes() -> None:
    icon = hostile(f'<path d="{"M0 0" * 350_000}"/>')
    with pytest.raises(SvgRejected, match=r"^icon is 1.4 MB, limit is 1 MB$"):
        sanitize_svg(icon)


def test_size_limit_counts_utf8_bytes_not_characters() -> None:
    icon = f'<svg xmlns="{SVG_NS}"><title>{"é" * 600}</title></svg>'  # ~640 characters, ~1,240 bytes
    assert len(icon) < 1_000
    with pytest.raises(SvgRejected, match=r"limit is 1 kB"):
        sanitize_svg(icon, max_bytes=1_000)
    assert sanitize_svg(icon, max_bytes=2_000).startswith("<svg")


def nested(levels: int) -> str:
    """An <svg> root with levels - 1 nested <g> elements inside: `levels` open elements in all."""
    return f'<svg xmlns="{SVG_NS}">' + "<g>" * (levels - 1) + "</g>" * (levels - 1) + "</svg>"


def test_nesting_at_the_depth_limit_is_accepted() -> None:
    assert sanitize_svg(nested(64), max_depth=64).count("<g") == 63


def test_nesting_beyond_the_depth_limit_is_rejected() -> None:
    with pytest.raises(SvgRejected, match=r"^nested deeper than 64 levels$"):
        sanitize_svg(nested(65), max_depth=64)
    with pytest.raises(SvgRejected, match=r"^nested deeper than 64 levels$"):
        sanitize_svg(nested(200), max_depth=64)


def test_two_thousand_levels_are_rejected_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(SvgRejected, match="nested deeper than"):
        sanitize_svg(nested(2_000))
    assert time.perf_counter() - started < 0.5


def test_deep_nesting_within_a_raised_limit_does_not_recurse() -> None:
    output = sanitize_svg(nested(5_000), max_depth=10_000)  # far beyond Python's recursion limit
    assert output.count("<g") == 4_999


# --- accepted input and output form ----------------------------------------------------------------------


def test_prolog_doctypes_and_bom_are_accepted_and_stripped() -> None:
    body = f'<svg xmlns="{SVG_NS}"><path d="M0 0"/></svg>'
    expected = sanitize_svg(body)
    for prolog in (
        "\ufeff",
        "  \n",
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n',
        '\ufeff\n<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE svg>',
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">',
    ):
        assert sanitize_svg(prolog + body) == expected


def test_output_uses_the_default_namespace_without_prefixes() -> None:
    icon = f'<s:svg xmlns:s="{SVG_NS}" xmlns:l="{XLINK_NS}"><s:path id="p" d="M0 0"/><s:use l:href="#p"/>'
    icon += "</s:svg>"
    assert sanitize_svg(icon) == (
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"><path id="p" d="M0 0"/><use xlink:href="#p"/></svg>'
    )


def test_root_without_namespace_is_treated_as_svg() -> None:
    assert sanitize_svg('<svg viewBox="0 0 1 1"><rect width="1"/></svg>') == (
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 1 1"><rect width="1"/></svg>'
    )


def test_xlink_namespace_is_declared_only_when_used() -> None:
    icon = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}"><path d="M0 0"/><use href="#a"/></svg>'
    assert "xmlns:xlink" not in sanitize_svg(icon)


def test_attribute_order_and_local_references_are_preserved() -> None:
    icon = (
        f'<svg xmlns="{SVG_NS}" width="20" viewBox="0 0 2 2" height="20" xml:space="preserve">'
        '<clipPath id="c"><rect width="2" height="2"/></clipPath><g clip-path="url(#c)" mask="url( #m )" '
        'fill-rule="evenodd" style="fill:url(&quot;#名称未設定グラデーション_77&quot;)">'
        '<use href=" #c "/></g></svg>'
    )
    assert sanitize_svg(icon) == (
        f'<svg xmlns="{SVG_NS}" width="20" viewBox="0 0 2 2" height="20" xml:space="preserve">'
        '<clipPath id="c"><rect width="2" height="2"/></clipPath><g clip-path="url(#c)" mask="url( #m )" '
        'fill-rule="evenodd" style="fill:url(&quot;#名称未設定グラデーション_77&quot;)">'
        '<use href="#c"/></g></svg>'
    )


def test_text_and_attribute_values_are_escaped() -> None:
    icon = (
        f'<svg xmlns="{SVG_NS}"><title>a &lt;script&gt; &amp; "quotes"</title>'
        '<text id="a&quot;b" font-family="A&amp;B &lt;x&gt;">1 &lt; 2</text>'
        '<path d="M0&#10;0&#9;1&#13;"/></svg>'
    )
    output = sanitize_svg(icon)
    assert "<script" not in output
    root = DET.fromstring(output)
    title, text, path = list(root)
    assert title.text == 'a <script> & "quotes"'
    assert text.get("id") == 'a"b'
    assert text.get("font-family") == "A&B <x>"
    assert text.text == "1 < 2"
    assert path.get("d") == "M0\n0\t1\r"


def test_embedded_raster_images_are_kept() -> None:
    png = (  # a 1×1 PNG
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
        "AAAABJRU5ErkJggg=="
    )
    wrapped = png[:40] + "\n      " + png[40:]  # base64 wrapped over lines, as some exporters write it
    image = '<image width="1" height="1" xlink:href="{}"/>'
    icon = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">{image.format(wrapped)}</svg>'
    assert sanitize_svg(icon) == f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}">{image.format(png)}</svg>'
    for kind in ("jpeg", "gif", "webp"):
        assert "<image" in sanitize_svg(
            f'<svg xmlns="{SVG_NS}"><image href="data:image/{kind};base64,AAAA"/></svg>'
        )


def test_data_urls_outside_images_are_dropped() -> None:
    icon = (
        f'<svg xmlns="{SVG_NS}"><use href="data:image/png;base64,AAAA"/><rect fill="data:x" width="1"/></svg>'
    )
    assert sanitize_svg(icon) == f'<svg xmlns="{SVG_NS}"><use/><rect width="1"/></svg>'


def test_cdata_stylesheet_is_kept_as_escaped_text() -> None:
    icon = f'<svg xmlns="{SVG_NS}"><style type="text/css"><![CDATA[.a > .b{{fill:#fff}}]]></style></svg>'
    assert (
        sanitize_svg(icon)
        == f'<svg xmlns="{SVG_NS}"><style type="text/css">.a &gt; .b{{fill:#fff}}</style></svg>'
    )


def test_same_input_gives_identical_output() -> None:
    icon = hostile('<script>alert(1)</script><g onclick="alert(1)" style="fill:red;x:url(http://evil)"/>')
    assert sanitize_svg(icon) == sanitize_svg(icon)
