"""Draw a design's topology as an inline SVG at build time: deterministic, escaped, script-free.

Drawn at build time so a design page shows its picture without JavaScript, and byte-identical across
builds (the site is checked for determinism). Every label, kind and href is untrusted catalog data: text
is stripped of characters XML forbids and escaped; hrefs are attribute-escaped and dropped unless
relative; nothing untrusted reaches an element name, attribute name, class, style or id.

Layout (a small Sugiyama): cycles are broken by a DFS in node input order (back edges reversed for
layering only); layers by longest path, with sources then pulled down to sit just above their nearest
successor. Each connected part of the design is laid out on its own: order within a layer comes from
barycenter sweeps (ties by input order; the sweep with the fewest crossings is kept), and a layer wider
than ``MAX_PER_ROW`` wraps round-robin into several rows, each keeping the left-to-right order. The parts
are packed as blocks into at most ``MAX_PER_ROW`` columns (skyline, in input order), so small parts sit
side by side; nodes with no edges to other nodes come last, a row-major grid in input order. All rows
share one column grid, so the gaps between columns line up into vertical lanes, and each node takes the
column nearest its neighbours' mean. An edge to the next row is an S-curve from the bottom centre of the
source to the top centre of the target; any other edge (longer, or pointing up in a cycle) runs down
into the channel below its source's row, along a free lane or empty column of its block, and into the
top of the target, so lines never cross a box. A self-loop is a small loop on the box's top-right corner.
Edge labels go at the first of a few spots along the edge where they cover no box and no other label.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"

BOX_W = 170
BOX_H = 56
GAP_X = 36  # between columns: a lane for vertical edge runs
GAP_Y = 56  # between rows: a channel for curves, horizontal runs and edge labels
PITCH_X = BOX_W + GAP_X
PITCH_Y = BOX_H + GAP_Y
SIDE = 32  # left/right margin: holds the outer lanes
MARGIN_EDGES = 56  # top/bottom margin when a cycle edge or self-loop uses it
MARGIN_PLAIN = 16
# 6 columns = 6 * 170 + 5 * 36 + 2 * 32 = 1,264 px: 60 nodes fit about 1,200 px at any shape.
MAX_PER_ROW = 6
PAD_LEFT = 14
ICON = 24
ICON_GAP = 10
PAD_RIGHT = 12
TEXT_X = PAD_LEFT + ICON + ICON_GAP
TEXT_W = BOX_W - TEXT_X - PAD_RIGHT
LABEL_SIZE = 12
KIND_SIZE = 10
EDGE_SIZE = 10
EDGE_LABEL_W = 130  # longest edge label, px
TRACKS = (0, -6, 6, -12, 12)  # offsets for edges sharing a lane or channel
PARALLEL_DX = 10  # spread of edges between the same two nodes
CORNER = 10
LANE_PENALTY = 60
SWEEPS = 6
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
DASHES = {"hierarchical": "6 4", "sibling": "1.5 3.5"}
KNOWN_KINDS = ("edge", "hierarchical", "sibling")

_XML_BAD = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ID_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


@dataclass(frozen=True)
class TopologyNode:
    """A component instance in the design."""

    id: str
    label: str
    kind: str
    icon_href: str | None = None
    href: str | None = None


@dataclass(frozen=True)
class TopologyEdge:
    """A relationship between two components, drawn as an arrow from ``source`` to ``target``."""

    source: str
    target: str
    label: str = ""
    kind: str = ""


@dataclass(frozen=True, order=True)
class _Link:
    s: int
    t: int
    label: str
    kind: str


@dataclass(frozen=True)
class _Layout:
    rows: tuple[tuple[int, ...], ...]
    row_of: tuple[int, ...]
    col_of: tuple[int, ...]
    columns: int
    spans: tuple[tuple[int, int], ...]  # (first column, width) of each node's block


Point = tuple[float, float]


def render_topology(
    nodes: Sequence[TopologyNode],
    edges: Sequence[TopologyEdge],
    *,
    title: str = "",
    id_prefix: str = "mdx",
) -> str:
    """Return an ``<svg>`` element with width/height/viewBox, ``role="img"``, an aria-label and a title.

    Nodes with a repeated id after the first are ignored; edges with an unknown endpoint are ignored;
    edges with the same source, target and label are drawn once (whatever their order, the smallest kind
    wins); self-loops are drawn as a small loop. The output depends on node order, not on edge order.
    ``id_prefix`` keeps the arrow marker's id unique when a page holds several pictures.
    """
    if not _ID_PREFIX.fullmatch(id_prefix):
        raise ValueError(f"id_prefix must be a letter then up to 39 of [A-Za-z0-9_-], not {id_prefix!r}")
    items = _unique_nodes(nodes)
    links = _canonical_links(items, edges)
    caption = _clean(title) or _default_caption(len(items), len(links))
    if not items:
        return _draw_empty(caption)
    layout = _layout(len(items), links)
    return _Drawing(items, links, layout, caption, id_prefix).svg()


# -- input ------------------------------------------------------------------------------------------


def _clean(text: str | None) -> str:
    """One line of text XML can hold: forbidden characters dropped, whitespace runs collapsed."""
    return " ".join(_XML_BAD.sub("", text or "").split())


def _esc(text: str) -> str:
    """Escape for both text and attribute values, quotes included."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _safe_href(href: str | None) -> str | None:
    """The href if it is a relative URL; anything with a scheme or a host could leave the site."""
    if not href:
        return None
    value = re.sub(r"[\t\n\r]", "", _XML_BAD.sub("", href)).strip("\x00 ")
    if not value or _SCHEME.match(value) or value.startswith("//") or "\\" in value:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return None
    return value


def _unique_nodes(nodes: Sequence[TopologyNode]) -> list[TopologyNode]:
    seen: set[str] = set()
    out: list[TopologyNode] = []
    for node in nodes:
        if node.id not in seen:
            seen.add(node.id)
            out.append(node)
    return out


def _canonical_links(items: list[TopologyNode], edges: Sequence[TopologyEdge]) -> list[_Link]:
    """Valid, de-duplicated edges sorted by node order, so edge order never changes the picture."""
    index = {node.id: i for i, node in enumerate(items)}
    best: dict[tuple[int, int, str], _Link] = {}
    for edge in edges:
        s, t = index.get(edge.source), index.get(edge.target)
        if s is None or t is None:
            continue
        link = _Link(s, t, _clean(edge.label), _clean(edge.kind).lower())
        key = (s, t, link.label)
        if key not in best or link < best[key]:
            best[key] = link
    return sorted(best.values())


def _default_caption(nodes: int, links: int) -> str:
    parts = f"{nodes} component{'s' if nodes != 1 else ''}, {links} relationship{'s' if links != 1 else ''}"
    return f"Design topology: {parts}"


# -- layout -----------------------------------------------------------------------------------------


def _layout(n: int, links: list[_Link]) -> _Layout:
    """Rows and grid columns for ``n`` nodes; see the module docstring for the method."""
    pairs = sorted({(link.s, link.t) for link in links if link.s != link.t})
    succ: list[list[int]] = [[] for _ in range(n)]
    adj: list[list[int]] = [[] for _ in range(n)]
    for s, t in pairs:
        succ[s].append(t)
    for s, t in sorted({*pairs, *((t, s) for s, t in pairs)}):
        adj[s].append(t)
    back = _back_edges(n, succ)
    dag = sorted({(t, s) if (s, t) in back else (s, t) for s, t in pairs})
    layer = _longest_path(n, dag)
    blocks = [_component_rows(members, layer, adj, pairs) for members in _components(n, adj)]
    isolated = [v for v in range(n) if not adj[v]]
    widths = [max(len(row) for row in rows) for rows in blocks]
    area = sum(w * len(rows) for w, rows in zip(widths, blocks, strict=True)) + len(isolated)
    columns = max([min(MAX_PER_ROW, math.ceil(math.sqrt(area * 1.5))), *widths])

    row_of, col_of, spans = [0] * n, [0] * n, [(0, 1)] * n
    skyline = [0] * columns
    for rows, width in zip(blocks, widths, strict=True):
        top, left = min((max(skyline[c : c + width]), c) for c in range(columns - width + 1))
        _place_block(rows, width, adj, row_of, col_of)
        for r, row in enumerate(rows):
            for v in row:
                row_of[v], col_of[v], spans[v] = top + r, left + col_of[v], (left, width)
        skyline[left : left + width] = [top + len(rows)] * width
    if isolated:
        top, width = max(skyline), min(columns, len(isolated))
        per_row = math.ceil(len(isolated) / math.ceil(len(isolated) / width))
        for i, v in enumerate(isolated):
            row_of[v], col_of[v], spans[v] = top + i // per_row, i % per_row, (0, per_row)
    grid: dict[int, list[int]] = defaultdict(list)
    for v in sorted(range(n), key=lambda v: (row_of[v], col_of[v])):
        grid[row_of[v]].append(v)
    rows_out = tuple(tuple(grid[r]) for r in range(max(row_of) + 1))
    return _Layout(rows_out, tuple(row_of), tuple(col_of), max(col_of) + 1, tuple(spans))


def _components(n: int, adj: list[list[int]]) -> list[list[int]]:
    """Connected components with edges, in order of their first node; each is laid out on its own."""
    seen = [False] * n
    out: list[list[int]] = []
    for root in range(n):
        if seen[root] or not adj[root]:
            continue
        seen[root] = True
        todo, members = [root], []
        while todo:
            v = todo.pop()
            members.append(v)
            for w in adj[v]:
                if not seen[w]:
                    seen[w] = True
                    todo.append(w)
        out.append(sorted(members))
    return out


def _component_rows(
    members: list[int], layer: list[int], adj: list[list[int]], pairs: list[tuple[int, int]]
) -> list[list[int]]:
    """A component's layers, ordered by barycenter, wide ones wrapped round-robin into rows."""
    levels = sorted({layer[v] for v in members})
    rank = {level: i for i, level in enumerate(levels)}
    layer_of = {v: rank[layer[v]] for v in members}
    layers: list[list[int]] = [[] for _ in levels]
    for v in members:
        layers[layer_of[v]].append(v)
    inside = [(s, t) for s, t in pairs if s in layer_of]
    rows: list[list[int]] = []
    for ordered in _order_layers(layers, adj, layer_of, inside):
        count = math.ceil(len(ordered) / MAX_PER_ROW)
        rows.extend(ordered[j::count] for j in range(count))
    return rows


def _place_block(
    rows: list[list[int]], width: int, adj: list[list[int]], row_of: list[int], col_of: list[int]
) -> None:
    """Columns within a block: rows start centred, then each node moves under its neighbours' mean."""
    for r, row in enumerate(rows):
        start = (width - len(row)) // 2
        for i, v in enumerate(row):
            row_of[v], col_of[v] = r, start + i
    last = len(rows) - 1
    passes = [range(1, last + 1), range(last - 1, -1, -1), range(1, last + 1)]
    for direction, order in zip((1, -1, 1), passes, strict=True):
        for r in order:
            row = rows[r]
            wants: list[float] = []
            anchored = False
            for v in row:
                near = [col_of[u] for u in adj[v] if (row_of[u] - r) * direction < 0]
                anchored = anchored or bool(near)
                wants.append(sum(near) / len(near) if near else col_of[v])
            if anchored:
                for v, col in zip(row, _place(wants, width), strict=True):
                    col_of[v] = col


def _back_edges(n: int, succ: list[list[int]]) -> set[tuple[int, int]]:
    """Edges that close a cycle, found by an iterative DFS in node input order."""
    state = [0] * n  # 0 unseen, 1 on the stack, 2 finished
    back: set[tuple[int, int]] = set()
    for root in range(n):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(succ[root]))]
        while stack:
            v, rest = stack[-1]
            for w in rest:
                if state[w] == 1:
                    back.add((v, w))
                elif state[w] == 0:
                    state[w] = 1
                    stack.append((w, iter(succ[w])))
                    break
            else:
                state[v] = 2
                stack.pop()
    return back


def _longest_path(n: int, dag: list[tuple[int, int]]) -> list[int]:
    """Layer of each node: longest path from a source, then sources pulled down to shorten edges."""
    succ: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for s, t in dag:
        succ[s].append(t)
        indegree[t] += 1
    has_pred = [d > 0 for d in indegree]
    ready = [v for v in range(n) if indegree[v] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        v = heapq.heappop(ready)
        order.append(v)
        for w in succ[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                heapq.heappush(ready, w)
    layer = [0] * n
    for v in order:
        for w in succ[v]:
            layer[w] = max(layer[w], layer[v] + 1)
    for v in order:
        if not has_pred[v] and succ[v]:
            layer[v] = min(layer[w] for w in succ[v]) - 1
    return layer


def _order_layers(
    layers: list[list[int]], adj: list[list[int]], layer_of: dict[int, int], pairs: list[tuple[int, int]]
) -> list[list[int]]:
    """Barycenter sweeps down and up; keep the ordering with the fewest crossings (first on ties)."""
    best = [list(layer) for layer in layers]
    best_cost = _crossings(best, pairs, layer_of)
    current = [list(layer) for layer in layers]
    for sweep in range(SWEEPS):
        down = sweep % 2 == 0
        pos = _centred_positions(current)
        order = range(1, len(current)) if down else range(len(current) - 2, -1, -1)
        for li in order:

            def key(
                v: int, li: int = li, down: bool = down, pos: dict[int, float] = pos
            ) -> tuple[float, int]:
                near = [pos[u] for u in adj[v] if (layer_of[u] < li if down else layer_of[u] > li)]
                return (sum(near) / len(near) if near else pos[v], v)

            current[li] = sorted(current[li], key=key)
            pos.update(_centred_positions([current[li]]))
        cost = _crossings(current, pairs, layer_of)
        if cost < best_cost:
            best, best_cost = [list(layer) for layer in current], cost
    return best


def _centred_positions(layers: list[list[int]]) -> dict[int, float]:
    """Positions centred on 0 so layers of different widths compare."""
    return {v: i - (len(layer) - 1) / 2 for layer in layers for i, v in enumerate(layer)}


def _crossings(layers: list[list[int]], pairs: list[tuple[int, int]], layer_of: dict[int, int]) -> int:
    pos = {v: i for layer in layers for i, v in enumerate(layer)}
    gaps: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, t in pairs:
        a, b = (s, t) if layer_of[s] < layer_of[t] else (t, s)
        if layer_of[b] - layer_of[a] == 1:
            gaps[layer_of[a]].append((pos[a], pos[b]))
    total = 0
    for segments in gaps.values():
        for i, (a1, b1) in enumerate(segments):
            for a2, b2 in segments[i + 1 :]:
                total += (a1 - a2) * (b1 - b2) < 0
    return total


def _place(wants: list[float], width: int) -> list[int]:
    """Integer columns in order, as near ``wants`` as possible: clusters centre on their mean (PAVA)."""
    blocks: list[tuple[float, int]] = []  # (sum of want - offset in block, size)
    for want in wants:
        total, size = want, 1
        while blocks:
            prev_total, prev_size = blocks[-1]
            if prev_total / prev_size + prev_size <= total / size:
                break
            blocks.pop()
            total, size = prev_total + total - prev_size * size, prev_size + size
        blocks.append((total, size))
    cols: list[int] = []
    for total, size in blocks:
        start = math.floor(total / size + 0.5)
        cols.extend(start + i for i in range(size))
    for i in range(len(cols)):
        cols[i] = max(cols[i], cols[i - 1] + 1 if i else 0)
    for i in reversed(range(len(cols))):
        cols[i] = min(cols[i], cols[i + 1] - 1 if i + 1 < len(cols) else width - 1)
    return cols


# -- text -------------------------------------------------------------------------------------------


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


# -- drawing ----------------------------------------------------------------------------------------


def _num(value: float) -> str:
    """Integers as integers, everything else with one decimal: stable bytes across platforms."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def _tag(name: str, attrs: Sequence[tuple[str, str | float]], body: str | None = None) -> str:
    """An element with attributes in the given order; strings escaped, numbers formatted."""
    parts = [name]
    for key, value in attrs:
        text = value if isinstance(value, str) else _num(value)
        parts.append(f'{key}="{_esc(text)}"')
    head = " ".join(parts)
    return f"<{head}/>" if body is None else f"<{head}>{body}</{name}>"


def _svg_open(width: float, height: float, caption: str) -> str:
    attrs: list[tuple[str, str | float]] = [
        ("xmlns", SVG_NS),
        ("class", "mdx-topo"),
        ("width", width),
        ("height", height),
        ("viewBox", f"0 0 {_num(width)} {_num(height)}"),
        ("role", "img"),
        ("aria-label", caption),
        ("font-family", FONT),
    ]
    return _tag("svg", attrs, "").removesuffix("</svg>") + _tag("title", [], _esc(caption))


def _draw_empty(caption: str) -> str:
    width, height = 2 * SIDE + BOX_W, BOX_H
    note = _tag(
        "text",
        [
            ("class", "mdx-topo-empty"),
            ("x", width / 2),
            ("y", 32),
            ("font-size", LABEL_SIZE),
            ("text-anchor", "middle"),
            ("fill", "currentColor"),
            ("fill-opacity", "0.7"),
        ],
        "No components",
    )
    return _svg_open(width, height, caption) + note + "</svg>"


class _Drawing:
    """Geometry and markup for one laid-out design."""

    def __init__(
        self, items: list[TopologyNode], links: list[_Link], layout: _Layout, caption: str, prefix: str
    ) -> None:
        self.items, self.links, self.layout = items, links, layout
        self.caption, self.marker = caption, f"{prefix}-arrow"
        last = len(layout.rows) - 1
        row_of = layout.row_of
        up = [link for link in links if link.s != link.t and row_of[link.t] <= row_of[link.s]]
        loops_top = any(link.s == link.t and row_of[link.s] == 0 for link in links)
        self.top = MARGIN_EDGES if loops_top or any(row_of[link.t] == 0 for link in up) else MARGIN_PLAIN
        bottom = MARGIN_EDGES if any(row_of[link.s] == last for link in up) else MARGIN_PLAIN
        self.width = 2 * SIDE + layout.columns * BOX_W + (layout.columns - 1) * GAP_X
        self.height = self.top + len(layout.rows) * PITCH_Y - GAP_Y + bottom
        self.occupied = [set(layout.col_of[v] for v in row) for row in layout.rows]
        self.lane_use: dict[float, int] = defaultdict(int)
        self.channel_use: dict[int, int] = defaultdict(int)
        self.taken = [
            (*self.box(v), self.box(v)[0] + BOX_W, self.box(v)[1] + BOX_H) for v in range(len(items))
        ]

    def covers(self, spot: Point, half: float) -> bool:
        """Whether a label chip centred at ``spot`` would overlap a box or a placed label (2 px apart)."""
        x0, y0, x1, y1 = spot[0] - half - 2, spot[1] - 9, spot[0] + half + 2, spot[1] + 9
        return any(x0 < bx1 and bx0 < x1 and y0 < by1 and by0 < y1 for bx0, by0, bx1, by1 in self.taken)

    def box(self, v: int) -> tuple[float, float]:
        return SIDE + self.layout.col_of[v] * PITCH_X, self.top + self.layout.row_of[v] * PITCH_Y

    def channel_y(self, boundary: int) -> float:
        """Middle of the channel above row ``boundary`` (the row count means below the last row)."""
        return self.top + boundary * PITCH_Y - GAP_Y / 2

    def svg(self) -> str:
        defs = _tag(
            "defs",
            [],
            _tag(
                "marker",
                [
                    ("id", self.marker),
                    ("viewBox", "0 0 10 10"),
                    ("refX", 10),
                    ("refY", 5),
                    ("markerWidth", 9),
                    ("markerHeight", 9),
                    ("markerUnits", "userSpaceOnUse"),
                    ("orient", "auto"),
                ],
                _tag("path", [("d", "M0,0 L10,5 L0,10 z"), ("fill", "currentColor")]),
            ),
        )
        lines, labels = self.edges()
        nodes = "".join(self.node(v) for v in range(len(self.items)))
        return (
            _svg_open(self.width, self.height, self.caption)
            + defs
            + _tag("g", [("class", "mdx-topo-edges")], "".join(lines))
            + _tag("g", [("class", "mdx-topo-nodes")], nodes)
            + _tag("g", [("class", "mdx-topo-edge-labels")], "".join(labels))
            + "</svg>"
        )

    def node(self, v: int) -> str:
        item = self.items[v]
        x, y = self.box(v)
        label, kind = _clean(item.label) or _clean(item.id) or "?", _clean(item.kind)
        parts = [
            _tag("title", [], _esc(f"{label} ({kind})" if kind else label)),
            _tag(
                "rect",
                [
                    ("class", "mdx-topo-box"),
                    ("x", x),
                    ("y", y),
                    ("width", BOX_W),
                    ("height", BOX_H),
                    ("rx", 8),
                    ("fill", "currentColor"),
                    ("fill-opacity", "0.06"),
                    ("stroke", "currentColor"),
                    ("stroke-opacity", "0.5"),
                    ("stroke-width", 1),
                ],
            ),
        ]
        icon_x, icon_y = x + PAD_LEFT, y + (BOX_H - ICON) / 2
        icon = _safe_href(item.icon_href)
        if icon:
            parts.append(
                _tag(
                    "image",
                    [
                        ("class", "mdx-topo-icon"),
                        ("href", icon),
                        ("x", icon_x),
                        ("y", icon_y),
                        ("width", ICON),
                        ("height", ICON),
                        ("preserveAspectRatio", "xMidYMid meet"),
                    ],
                )
            )
        else:
            letter = next((ch for ch in kind or label if ch.isalnum()), "?").upper()
            parts.append(
                _tag(
                    "circle",
                    [
                        ("class", "mdx-topo-icon"),
                        ("cx", icon_x + ICON / 2),
                        ("cy", icon_y + ICON / 2),
                        ("r", ICON / 2),
                        ("fill", "currentColor"),
                        ("fill-opacity", "0.12"),
                        ("stroke", "currentColor"),
                        ("stroke-opacity", "0.4"),
                        ("stroke-width", 1),
                    ],
                )
            )
            parts.append(
                _tag(
                    "text",
                    [
                        ("class", "mdx-topo-icon-letter"),
                        ("x", icon_x + ICON / 2),
                        ("y", icon_y + 16),
                        ("font-size", 11),
                        ("font-weight", "600"),
                        ("text-anchor", "middle"),
                        ("fill", "currentColor"),
                        ("fill-opacity", "0.8"),
                    ],
                    _esc(letter),
                )
            )
        text_y = y + (24 if kind else 32)
        parts.append(
            _tag(
                "text",
                [
                    ("class", "mdx-topo-label"),
                    ("x", x + TEXT_X),
                    ("y", text_y),
                    ("font-size", LABEL_SIZE),
                    ("font-weight", "600"),
                    ("fill", "currentColor"),
                ],
                _esc(truncate(label, LABEL_SIZE, TEXT_W, bold=True)),
            )
        )
        if kind:
            parts.append(
                _tag(
                    "text",
                    [
                        ("class", "mdx-topo-kind"),
                        ("x", x + TEXT_X),
                        ("y", y + 40),
                        ("font-size", KIND_SIZE),
                        ("fill", "currentColor"),
                        ("fill-opacity", "0.65"),
                    ],
                    _esc(truncate(kind, KIND_SIZE, TEXT_W)),
                )
            )
        group = _tag("g", [("class", "mdx-topo-node")], "".join(parts))
        href = _safe_href(item.href)
        return _tag("a", [("class", "mdx-topo-link"), ("href", href)], group) if href else group

    def edges(self) -> tuple[list[str], list[str]]:
        """Edge paths in canonical order, and their labels placed where they hide no box or label."""
        lines: list[str] = []
        labels: list[str] = []
        siblings: dict[tuple[int, int], list[_Link]] = defaultdict(list)
        for link in self.links:
            siblings[(link.s, link.t)].append(link)
        for link in self.links:
            group = siblings[(link.s, link.t)]
            nth, count = group.index(link), len(group)
            if link.s == link.t:
                d, spots = self.loop(link.s, nth)
            else:
                d, spots = self.route(link, (nth - (count - 1) / 2) * PARALLEL_DX)
            lines.append(self.line(link, d))
            if link.label:
                labels.append(self.edge_label(link.label, spots))
        return lines, labels

    def line(self, link: _Link, d: str) -> str:
        kind = link.kind if link.kind in KNOWN_KINDS else "other"
        attrs: list[tuple[str, str | float]] = [
            ("class", f"mdx-topo-edge mdx-topo-edge-{kind}"),
            ("d", d),
            ("fill", "none"),
            ("stroke", "currentColor"),
            ("stroke-opacity", "0.6"),
            ("stroke-width", 1.5),
        ]
        if kind in DASHES:
            attrs.append(("stroke-dasharray", DASHES[kind]))
        attrs.append(("marker-end", f"url(#{self.marker})"))
        source = _clean(self.items[link.s].label) or _clean(self.items[link.s].id)
        target = _clean(self.items[link.t].label) or _clean(self.items[link.t].id)
        what = f"{source} → {target}" + (f": {link.label}" if link.label else "")
        return _tag(
            "g", [("class", "mdx-topo-edge-group")], _tag("title", [], _esc(what)) + _tag("path", attrs)
        )

    def route(self, link: _Link, spread: float) -> tuple[str, list[Point]]:
        """Path and label spots: an S-curve to the next row, else a run along a lane or empty column."""
        (sx0, sy0), (tx0, ty0) = self.box(link.s), self.box(link.t)
        sx, sy = sx0 + BOX_W / 2 + spread, sy0 + BOX_H
        tx, ty = tx0 + BOX_W / 2 + spread, ty0
        rs, rt = self.layout.row_of[link.s], self.layout.row_of[link.t]
        if rt == rs + 1:
            mid = (sy + ty) / 2
            d = f"M{_num(sx)},{_num(sy)} C{_num(sx)},{_num(mid)} {_num(tx)},{_num(mid)} {_num(tx)},{_num(ty)}"
            curve = ((sx, sy), (sx, mid), (tx, mid), (tx, ty))
            return d, [_bezier(curve, t) for t in (0.5, 0.38, 0.62, 0.28, 0.72)]
        crossed = range(rs + 1, rt) if rt > rs else range(rt, rs + 1)
        lane = self.pick_lane(link.s, sx, tx, crossed)
        x = lane + TRACKS[self.lane_use[lane] % len(TRACKS)]
        self.lane_use[lane] += 1
        y1 = self.channel_y(rs + 1) + TRACKS[self.channel_use[rs + 1] % len(TRACKS)]
        self.channel_use[rs + 1] += 1
        y2 = self.channel_y(rt) + TRACKS[self.channel_use[rt] % len(TRACKS)]
        self.channel_use[rt] += 1
        points: list[Point] = [(sx, sy), (sx, y1), (x, y1), (x, y2), (tx, y2), (tx, ty)]
        between = range(rs + 2, rt) if rt > rs else range(rs, rt, -1)
        stops = [y1, *(self.channel_y(b) for b in between), y2]
        middle = len(stops) // 2
        nearest = sorted(range(len(stops)), key=lambda i: (abs(i - middle), i))
        spots = [(x, stops[i]) for i in nearest] + [((sx + x) / 2, y1), ((x + tx) / 2, y2)]
        return _rounded(points), spots

    def pick_lane(self, v: int, sx: float, tx: float, crossed: range) -> float:
        """Nearest vertical run in the node's block meeting no box: a column gap or an empty column.

        Each edge already in a run makes it look ``LANE_PENALTY`` px further away, spreading bundles out.
        """
        left, width = self.layout.spans[v]
        candidates = [SIDE + c * PITCH_X - GAP_X / 2 for c in range(left, left + width + 1)]
        candidates += [
            SIDE + c * PITCH_X + BOX_W / 2
            for c in range(left, left + width)
            if all(c not in self.occupied[r] for r in crossed)
        ]
        return min(candidates, key=lambda x: (abs(x - sx) + abs(x - tx) + LANE_PENALTY * self.lane_use[x], x))

    def loop(self, v: int, nth: int) -> tuple[str, list[Point]]:
        """A loop from the top edge round the top-right corner into the right edge, clear of the box."""
        x, y = self.box(v)
        reach = 36 + 10 * nth
        start, end = (x + BOX_W - 24, y), (x + BOX_W, y + 18)
        d = (
            f"M{_num(start[0])},{_num(start[1])} C{_num(start[0])},{_num(y - reach)} "
            f"{_num(end[0] + reach)},{_num(end[1])} {_num(end[0])},{_num(end[1])}"
        )
        above = y - reach * 0.36 - 12
        return d, [(x + BOX_W - 12 - dx, above - dy) for dy in (0, 14, 28) for dx in (0, 40, 80)]

    def edge_label(self, label: str, spots: list[Point]) -> str:
        """A label chip at the first spot where it covers no box and no earlier label (else the first)."""
        text = truncate(label, EDGE_SIZE, EDGE_LABEL_W)
        width = text_width(text, EDGE_SIZE) + 8
        half = width / 2
        options = [
            (min(max(x, half + 2), self.width - half - 2), min(max(y, 9), self.height - 9)) for x, y in spots
        ]
        cx, cy = next((spot for spot in options if not self.covers(spot, half)), options[0])
        self.taken.append((cx - half, cy - 7, cx + half, cy + 7))
        chip = _tag(
            "rect",
            [
                ("class", "mdx-topo-edge-label-bg"),
                ("x", cx - half),
                ("y", cy - 7),
                ("width", width),
                ("height", 14),
                ("rx", 3),
                ("fill", "#f6f8fa"),
                ("fill-opacity", "0.94"),
                ("stroke", "#8c959f"),
                ("stroke-opacity", "0.6"),
                ("stroke-width", 0.5),
            ],
        )
        words = _tag(
            "text",
            [
                ("class", "mdx-topo-edge-label"),
                ("x", cx),
                ("y", cy + 3.5),
                ("font-size", EDGE_SIZE),
                ("text-anchor", "middle"),
                ("fill", "#24292f"),
            ],
            _esc(text),
        )
        return _tag("g", [("class", "mdx-topo-edge-label-group")], chip + words)


def _bezier(curve: tuple[Point, Point, Point, Point], t: float) -> Point:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = curve
    a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
    return a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3


def _rounded(points: list[Point]) -> str:
    """An orthogonal polyline as a path with rounded corners; repeated and collinear points dropped."""
    pts: list[Point] = []
    for p in points:
        if pts and math.isclose(p[0], pts[-1][0]) and math.isclose(p[1], pts[-1][1]):
            continue
        if len(pts) >= 2 and _collinear(pts[-2], pts[-1], p):
            pts[-1] = p
            continue
        pts.append(p)
    d = [f"M{_num(pts[0][0])},{_num(pts[0][1])}"]
    for i in range(1, len(pts) - 1):
        (px, py), (cx, cy), (nx, ny) = pts[i - 1], pts[i], pts[i + 1]
        before, after = math.hypot(cx - px, cy - py), math.hypot(nx - cx, ny - cy)
        r = min(CORNER, before / 2, after / 2)
        ax, ay = cx - (cx - px) / before * r, cy - (cy - py) / before * r
        bx, by = cx + (nx - cx) / after * r, cy + (ny - cy) / after * r
        d.append(f"L{_num(ax)},{_num(ay)} Q{_num(cx)},{_num(cy)} {_num(bx)},{_num(by)}")
    d.append(f"L{_num(pts[-1][0])},{_num(pts[-1][1])}")
    return " ".join(d)


def _collinear(a: Point, b: Point, c: Point) -> bool:
    """True when b lies on the way from a to c (same line, same direction), so it can be skipped."""
    ab, bc = (b[0] - a[0], b[1] - a[1]), (c[0] - b[0], c[1] - b[1])
    cross = ab[0] * bc[1] - ab[1] * bc[0]
    return math.isclose(cross, 0, abs_tol=1e-9) and ab[0] * bc[0] + ab[1] * bc[1] > 0
