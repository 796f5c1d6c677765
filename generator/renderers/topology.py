"""Draw a topology (a design, or a model's relationships) as an inline SVG: nested frames, styled arrows.

Hierarchical parents are frames drawn around their children (a Container in its Pod, a Pod in its
Deployment, anything in its Namespace), so no line is needed to say what belongs where; arrows are drawn
only for edge relationships, styled by sub-type, with a legend under the picture. Graphviz's ``dot``
lays it out (:mod:`meshdocs.layout.dot`); this module decides sizes and draws: deterministic bytes,
every string escaped (:mod:`meshdocs.renderers.svg_text`), links only when relative, no script, no style
element. Text is never smaller than 11 px at the picture's own size; pages show it unscaled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from meshdocs.layout.dot import Endpoint, Layout, LayoutEngine, LayoutInput
from meshdocs.model.topology import TopologyEdge, TopologyGraph, TopologyNode
from meshdocs.renderers.svg_text import SVG_NS, clean, esc, num, safe_href, tag, text_width, truncate

__all__ = ["TopologyEdge", "TopologyGraph", "TopologyNode", "render_topology", "text_width"]

BOX_W = 184
BOX_H = 52
PAD_LEFT = 12
ICON = 24
ICON_GAP = 10
PAD_RIGHT = 10
TEXT_X = PAD_LEFT + ICON + ICON_GAP
TEXT_W = BOX_W - TEXT_X - PAD_RIGHT
LABEL_SIZE = 13
KIND_SIZE = 11
MIN_TEXT_SIZE = 11  # no text in a picture is smaller
HEADER_ICON = 18
HEADER_LABEL_MAX = 240  # px of a frame's name before it is cut
LEGEND_SIZE = 12
LEGEND_ROW = 22
LEGEND_SAMPLE = 30
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
ROW_WIDTH = 800.0  # px: components without arrows wrap into rows about as wide as a page

# Arrow styles by relationship sub-type (then type): colour (3:1 or more against white) and dashes.
STYLES: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("network", ("network",), "#00695c", ""),
    ("permission", ("permission", "binding"), "#b54708", "7 4"),
    ("dependency", ("dependson", "dependency"), "#6d28d9", "2 4"),
    ("reference", ("reference", "mount", "volume"), "#1d4ed8", "9 3 2 3"),
    ("annotation", ("annotation",), "#5b6472", "1 4"),
    ("hierarchy", ("inventory", "alias", "parent"), "#a15c07", "10 3"),
    ("sibling", ("matchlabels", "sibling"), "#0e7490", "3 3"),
)
OTHER_STYLE = ("other", (), "#475467", "")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class _Picture:
    """A graph made consistent: unique nodes, parents that exist and end, edges worth drawing."""

    nodes: tuple[TopologyNode, ...]
    parent: tuple[int | None, ...]
    frames: tuple[int, ...]  # node indexes drawn as frames, in node order
    boxes: tuple[int, ...]  # node indexes drawn as boxes
    edges: tuple[tuple[int, int, str, str], ...]  # source, target, label, style name


def style_of(label: str) -> tuple[str, tuple[str, ...], str, str]:
    key = clean(label).lower().replace("-", "").replace("_", "")
    for style in STYLES:
        if key in style[1]:
            return style
    return OTHER_STYLE


def render_topology(
    graph: TopologyGraph,
    engine: LayoutEngine,
    *,
    title: str = "",
    id_prefix: str = "mdx",
    summary: str = "",
) -> str:
    """An ``<svg>`` with width/height/viewBox, ``role="img"`` (a group when boxes link), title, description.

    Nodes with a repeated id after the first are ignored, and so are parents that are unknown or would
    make a cycle; edges with an unknown endpoint, or between a frame and what it contains, are not drawn;
    edges with the same source, target and label are drawn once. The output depends on node order, not
    on edge order. Raises :class:`~meshdocs.layout.dot.LayoutError` when Graphviz cannot lay it out.
    """
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter then up to 39 of [A-Za-z0-9_-], not {id_prefix!r}")
    picture = _prepare(graph)
    caption = clean(title) or _default_caption(len(picture.boxes) + len(picture.frames), len(picture.edges))
    description = clean(summary) or _describe(picture)
    if not picture.nodes:
        return _draw_empty(caption, description)
    layout = engine.layout(_layout_input(picture))
    return _Drawing(picture, layout, caption, description, id_prefix).svg()


# -- input ------------------------------------------------------------------------------------------


def _prepare(graph: TopologyGraph) -> _Picture:
    seen: dict[str, int] = {}
    nodes: list[TopologyNode] = []
    for node in graph.nodes:
        if node.id not in seen:
            seen[node.id] = len(nodes)
            nodes.append(node)
    parent: list[int | None] = []
    for node in nodes:
        parent.append(seen.get(node.parent) if node.parent is not None else None)
    for i in range(len(nodes)):  # a parent chain that comes back to itself is cut where it closes
        chain = {i}
        p = parent[i]
        while p is not None:
            if p in chain:
                parent[i] = None
                break
            chain.add(p)
            p = parent[p]
    has_children = {p for p in parent if p is not None}
    frames = tuple(i for i in range(len(nodes)) if i in has_children)
    empty_groups = {i for i, n in enumerate(nodes) if n.group and i not in has_children}
    boxes = tuple(i for i in range(len(nodes)) if i not in has_children and i not in empty_groups)

    def ancestors(i: int) -> set[int]:
        out = set()
        p = parent[i]
        while p is not None:
            out.add(p)
            p = parent[p]
        return out

    best: dict[tuple[int, int, str], tuple[int, int, str, str]] = {}
    for edge in graph.edges:
        s, t = seen.get(edge.source), seen.get(edge.target)
        if s is None or t is None or s in empty_groups or t in empty_groups:
            continue
        if s != t and (s in ancestors(t) or t in ancestors(s)):
            continue  # the frame already says it: one holds the other
        label = clean(edge.label)
        style = style_of(label)[0]
        key = (s, t, label)
        if key not in best or style < best[key][3]:
            best[key] = (s, t, label, style)
    return _Picture(
        nodes=tuple(nodes),
        parent=tuple(parent),
        frames=frames,
        boxes=boxes,
        edges=tuple(sorted(best.values())),
    )


def _default_caption(nodes: int, links: int) -> str:
    parts = f"{nodes} component{'s' if nodes != 1 else ''}, {links} relationship{'s' if links != 1 else ''}"
    return f"Design topology: {parts}"


def _describe(picture: _Picture) -> str:
    """The picture in words, for screen readers: what holds what, and how many arrows of each kind."""
    parts = [f"{len(picture.boxes) + len(picture.frames)} components"]
    if picture.frames:
        parts.append(f"{len(picture.frames)} of them drawn as frames around what they contain")
    counts: dict[str, int] = {}
    for _s, _t, label, _style in picture.edges:
        counts[label or "relationship"] = counts.get(label or "relationship", 0) + 1
    if counts:
        parts.append("arrows: " + ", ".join(f"{n} {name}" for name, n in sorted(counts.items())))
    return "; ".join(parts) + "."


def _header_width(node: TopologyNode) -> float:
    label = truncate(clean(node.label) or clean(node.kind), LABEL_SIZE, HEADER_LABEL_MAX, bold=True)
    kind = clean(node.kind) if not node.group else ""
    width = 12 + HEADER_ICON + 8 + text_width(label, LABEL_SIZE, bold=True)
    if kind:
        width += 8 + text_width(truncate(kind, KIND_SIZE, 140), KIND_SIZE)
    return width + 12


def _layout_input(picture: _Picture) -> LayoutInput:
    frame_index = {node: j for j, node in enumerate(picture.frames)}
    box_index = {node: i for i, node in enumerate(picture.boxes)}

    def end(node: int) -> Endpoint:
        return ("frame", frame_index[node]) if node in frame_index else ("box", box_index[node])

    return LayoutInput(
        boxes=tuple((float(BOX_W), float(BOX_H)) for _ in picture.boxes),
        box_frame=tuple(
            frame_index[p] if (p := picture.parent[i]) is not None else None for i in picture.boxes
        ),
        frames=tuple(
            (
                frame_index[p] if (p := picture.parent[i]) is not None else None,
                _header_width(picture.nodes[i]),
            )
            for i in picture.frames
        ),
        edges=tuple((end(s), end(t)) for s, t, _label, _style in picture.edges),
        width=ROW_WIDTH,
    )


# -- drawing ----------------------------------------------------------------------------------------


def _svg_open(width: float, height: float, caption: str, description: str, links: bool = False) -> str:
    """The picture's opening: ``role="img"``, or ``role="group"`` when its boxes are links.

    An image's content is presentational to assistive technology, so links inside one could not be
    reached (axe's nested-interactive); a group is named and described the same way and keeps them.
    """
    attrs: list[tuple[str, str | float]] = [
        ("xmlns", SVG_NS),
        ("class", "mdx-topo"),
        ("width", width),
        ("height", height),
        ("viewBox", f"0 0 {num(width)} {num(height)}"),
        ("role", "group" if links else "img"),
        ("aria-label", caption),
        ("font-family", FONT),
    ]
    head = tag("svg", attrs, "").removesuffix("</svg>")
    return head + tag("title", [], esc(caption)) + tag("desc", [], esc(description))


def _draw_empty(caption: str, description: str) -> str:
    width, height = 2 * 32 + BOX_W, BOX_H
    note = tag(
        "text",
        [
            ("class", "mdx-topo-empty"),
            ("x", width / 2),
            ("y", 32),
            ("font-size", LABEL_SIZE),
            ("text-anchor", "middle"),
            ("fill", "currentColor"),
            ("fill-opacity", "0.75"),
        ],
        "No components",
    )
    return _svg_open(width, height, caption, description) + note + "</svg>"


class _Drawing:
    """Markup for one laid-out picture."""

    def __init__(
        self, picture: _Picture, layout: Layout, caption: str, description: str, prefix: str
    ) -> None:
        self.picture, self.layout = picture, layout
        self.caption, self.description, self.prefix = caption, description, prefix
        self.used = sorted({style for *_rest, style in picture.edges})

    def svg(self) -> str:
        legend, legend_h, legend_w = self.legend(self.layout.height)
        width = max(self.layout.width, legend_w)
        height = self.layout.height + legend_h
        links = any(safe_href(node.href) for node in self.picture.nodes)
        parts = [_svg_open(width, height, self.caption, self.description, links), self.defs()]
        ordered = sorted(enumerate(self.picture.frames), key=lambda pair: (self.depth(pair[1]), pair[0]))
        parts += [self.frame(node, index) for index, node in ordered]
        parts += [self.edge(n, e) for n, e in enumerate(self.picture.edges)]
        parts += [self.box(i, n) for n, i in enumerate(self.picture.boxes)]
        parts.append(legend)
        return "".join(parts) + "</svg>"

    def depth(self, node: int) -> int:
        depth, p = 0, self.picture.parent[node]
        while p is not None:
            depth, p = depth + 1, self.picture.parent[p]
        return depth

    def marker_id(self, style: str) -> str:
        return f"{self.prefix}-arrow-{style}"

    def defs(self) -> str:
        if not self.used:
            return ""
        markers = []
        for name in self.used:
            color = _style_named(name)[2]
            markers.append(
                tag(
                    "marker",
                    [
                        ("id", self.marker_id(name)),
                        ("viewBox", "0 0 10 10"),
                        ("refX", 9),
                        ("refY", 5),
                        ("markerWidth", 7),
                        ("markerHeight", 7),
                        ("orient", "auto-start-reverse"),
                    ],
                    tag("path", [("d", "M0,0 L10,5 L0,10 z"), ("fill", color)]),
                )
            )
        return tag("defs", [], "".join(markers))

    def frame(self, node: int, index: int) -> str:
        item = self.picture.nodes[node]
        x, y, w, h = self.layout.frames[index]
        rect = tag(
            "rect",
            [
                ("class", "mdx-topo-frame"),
                ("x", x),
                ("y", y),
                ("width", w),
                ("height", h),
                ("rx", 10),
                ("fill", "currentColor"),
                ("fill-opacity", "0.035"),
                ("stroke", "currentColor"),
                ("stroke-opacity", "0.45"),
                *([("stroke-dasharray", "6 4")] if item.group else []),
            ],
        )
        label = truncate(clean(item.label) or clean(item.kind), LABEL_SIZE, HEADER_LABEL_MAX, bold=True)
        text_x = x + 12 + HEADER_ICON + 8
        header = self.icon(item, x + 12, y + 8, HEADER_ICON)
        header += tag(
            "text",
            [
                ("class", "mdx-topo-label"),
                ("x", text_x),
                ("y", y + 22),
                ("font-size", LABEL_SIZE),
                ("font-weight", "600"),
                ("fill", "currentColor"),
            ],
            esc(label),
        )
        kind = "namespace" if item.group else clean(item.kind)
        if kind:
            header += tag(
                "text",
                [
                    ("x", text_x + text_width(label, LABEL_SIZE, bold=True) + 8),
                    ("y", y + 22),
                    ("font-size", KIND_SIZE),
                    ("fill", "currentColor"),
                    ("fill-opacity", "0.75"),
                ],
                esc(truncate(kind, KIND_SIZE, 140)),
            )
        href = safe_href(item.href)
        if href:
            header = tag("a", [("class", "mdx-topo-link"), ("href", href)], header)
        return tag("g", [("class", "mdx-topo-group")], rect + header)

    def icon(self, item: TopologyNode, x: float, y: float, size: float) -> str:
        href = safe_href(item.icon_href, image=True)
        if href:
            return tag(
                "image",
                [
                    ("class", "mdx-topo-icon"),
                    ("href", href),
                    ("x", x),
                    ("y", y),
                    ("width", size),
                    ("height", size),
                ],
            )
        letter = next((ch for ch in clean(item.kind) or clean(item.label) if ch.isalnum()), "?").upper()
        circle = tag(
            "circle",
            [
                ("class", "mdx-topo-icon"),
                ("cx", x + size / 2),
                ("cy", y + size / 2),
                ("r", size / 2),
                ("fill", "currentColor"),
                ("fill-opacity", "0.12"),
            ],
        )
        text = tag(
            "text",
            [
                ("class", "mdx-topo-icon-letter"),
                ("x", x + size / 2),
                ("y", y + size / 2 + 4),
                ("font-size", MIN_TEXT_SIZE),
                ("font-weight", "600"),
                ("text-anchor", "middle"),
                ("fill", "currentColor"),
            ],
            esc(letter),
        )
        return circle + text

    def box(self, node: int, index: int) -> str:
        item = self.picture.nodes[node]
        cx, cy = self.layout.boxes[index]
        x, y = cx - BOX_W / 2, cy - BOX_H / 2
        label = truncate(clean(item.label) or clean(item.kind), LABEL_SIZE, TEXT_W, bold=True)
        kind = truncate(clean(item.kind), KIND_SIZE, TEXT_W)
        body = tag(
            "rect",
            [
                ("class", "mdx-topo-box"),
                ("x", x),
                ("y", y),
                ("width", BOX_W),
                ("height", BOX_H),
                ("rx", 8),
                ("fill", "var(--md-default-bg-color, #fff)"),
                ("stroke", "currentColor"),
                ("stroke-opacity", "0.55"),
            ],
        )
        body += self.icon(item, x + PAD_LEFT, y + (BOX_H - ICON) / 2, ICON)
        body += tag(
            "text",
            [
                ("class", "mdx-topo-label"),
                ("x", x + TEXT_X),
                ("y", y + 22),
                ("font-size", LABEL_SIZE),
                ("font-weight", "600"),
                ("fill", "currentColor"),
            ],
            esc(label),
        )
        if kind:
            body += tag(
                "text",
                [
                    ("class", "mdx-topo-kind"),
                    ("x", x + TEXT_X),
                    ("y", y + 39),
                    ("font-size", KIND_SIZE),
                    ("fill", "currentColor"),
                    ("fill-opacity", "0.75"),
                ],
                esc(kind),
            )
        group = tag("g", [("class", "mdx-topo-node")], body)
        href = safe_href(item.href)
        return tag("a", [("class", "mdx-topo-link"), ("href", href)], group) if href else group

    def edge(self, index: int, edge: tuple[int, int, str, str]) -> str:
        _s, _t, label, style_name = edge
        points = self.layout.edges[index]
        style = _style_named(style_name)
        spline, tip = points, None
        if (len(points) - 1) % 3:  # the last point is the arrow's tip
            spline, tip = points[:-1], points[-1]
        d = f"M{num(spline[0][0])},{num(spline[0][1])}"
        for k in range(1, len(spline) - 2, 3):
            (ax, ay), (bx, by), (cx, cy) = spline[k], spline[k + 1], spline[k + 2]
            d += f" C{num(ax)},{num(ay)} {num(bx)},{num(by)} {num(cx)},{num(cy)}"
        if tip is not None:
            d += f" L{num(tip[0])},{num(tip[1])}"
        attrs: list[tuple[str, str | float]] = [
            ("class", f"mdx-topo-edge mdx-topo-edge--{style_name}"),
            ("d", d),
            ("fill", "none"),
            ("stroke", style[2]),
            ("stroke-width", 1.6),
        ]
        if style[3]:
            attrs.append(("stroke-dasharray", style[3]))
        attrs.append(("marker-end", f"url(#{self.marker_id(style_name)})"))
        title = tag("title", [], esc(label or "relationship"))
        return tag("path", attrs, title)

    def legend(self, top: float) -> tuple[str, float, float]:
        """Under the picture: one entry per arrow style drawn, and what a frame means."""
        entries: list[tuple[str, str]] = []
        for name in self.used:
            labels = sorted({label for *_st, label, style in self.picture.edges if style == name and label})
            entries.append((name, ", ".join(labels) or name))
        if any(not self.picture.nodes[i].group for i in self.picture.frames):
            entries.append(("frame", "frame: contains (hierarchical parent)"))
        if any(self.picture.nodes[i].group for i in self.picture.frames):
            entries.append(("namespace", "dashed frame: namespace"))
        if not entries:
            return "", 0.0, 0.0
        x, y = 8.0, top + 8
        parts: list[str] = []
        right = max(self.layout.width, 480.0)
        for name, text in entries:
            text = truncate(text, LEGEND_SIZE, 300)
            need = LEGEND_SAMPLE + 8 + text_width(text, LEGEND_SIZE) + 20
            if x > 8 and x + need > right:
                x, y = 8.0, y + LEGEND_ROW
            parts.append(self.legend_entry(name, text, x, y))
            x += need
        height = y - top + LEGEND_ROW + 4
        body = tag("g", [("class", "mdx-topo-legend")], "".join(parts))
        return body, height, right

    def legend_entry(self, name: str, text: str, x: float, y: float) -> str:
        mid = y + 8
        if name in ("frame", "namespace"):
            sample = tag(
                "rect",
                [
                    ("x", x),
                    ("y", y + 1),
                    ("width", LEGEND_SAMPLE),
                    ("height", 14),
                    ("rx", 4),
                    ("fill", "currentColor"),
                    ("fill-opacity", "0.035"),
                    ("stroke", "currentColor"),
                    ("stroke-opacity", "0.45"),
                    *([("stroke-dasharray", "6 4")] if name == "namespace" else []),
                ],
            )
        else:
            style = _style_named(name)
            attrs: list[tuple[str, str | float]] = [
                ("x1", x),
                ("y1", mid),
                ("x2", x + LEGEND_SAMPLE),
                ("y2", mid),
                ("stroke", style[2]),
                ("stroke-width", 1.6),
            ]
            if style[3]:
                attrs.append(("stroke-dasharray", style[3]))
            attrs.append(("marker-end", f"url(#{self.marker_id(name)})"))
            sample = tag("line", attrs)
        label = tag(
            "text",
            [
                ("x", x + LEGEND_SAMPLE + 8),
                ("y", mid + 4),
                ("font-size", LEGEND_SIZE),
                ("fill", "currentColor"),
            ],
            esc(text),
        )
        return sample + label


def _style_named(name: str) -> tuple[str, tuple[str, ...], str, str]:
    return next((s for s in STYLES if s[0] == name), OTHER_STYLE)
