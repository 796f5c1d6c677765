"""The design topology SVG: valid XML, no overlaps, bounded size, deterministic and safe with hostile text."""

from __future__ import annotations

import math
import random
import re
import xml.etree.ElementTree as ET
from itertools import combinations, pairwise

import pytest

from meshdocs.renderers.topology import (
    BOX_H,
    BOX_W,
    LABEL_SIZE,
    MAX_PER_ROW,
    TEXT_W,
    TopologyEdge,
    TopologyNode,
    render_topology,
    text_width,
)

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"^-?\d+(\.\d)?$")
NUMERIC_ATTRS = {"x", "y", "width", "height", "cx", "cy", "r", "rx", "font-size", "stroke-width"}

Graph = tuple[list[TopologyNode], list[TopologyEdge]]


# -- sample designs ---------------------------------------------------------------------------------


def node(
    node_id: str, kind: str = "Deployment", icon_href: str | None = None, href: str | None = None
) -> TopologyNode:
    return TopologyNode(node_id, node_id, kind, icon_href, href)


def two_nodes() -> Graph:
    return [node("web-frontend"), node("web-svc", "Service")], [
        TopologyEdge("web-svc", "web-frontend", "network", "edge")
    ]


def ten_nodes() -> Graph:
    """A small app: a chain, a fan-out, a cycle (api → cache → api-svc → api) and two isolated nodes."""
    nodes = [
        node("ingress", "Ingress", icon_href="../../icons/ingress.svg", href="../ingress/"),
        node("web-frontend"),
        node("web-svc", "Service"),
        node("api"),
        node("api-svc", "Service"),
        node("postgres", "StatefulSet"),
        node("cache", "Deployment"),
        node("api-config", "ConfigMap"),
        node("api-credentials", "Secret"),
        node("team-namespace", "Namespace"),
    ]
    edges = [
        TopologyEdge("ingress", "web-svc", "network", "edge"),
        TopologyEdge("web-svc", "web-frontend", "network", "edge"),
        TopologyEdge("web-frontend", "api-svc", "network", "edge"),
        TopologyEdge("api-svc", "api", "network", "edge"),
        TopologyEdge("api", "postgres", "network", "edge"),
        TopologyEdge("api", "cache", "network", "edge"),
        TopologyEdge("api", "api-config", "mount", "hierarchical"),
        TopologyEdge("cache", "api-svc", "network", "edge"),
        TopologyEdge("web-frontend", "api-config", "mount", "hierarchical"),
        TopologyEdge("postgres", "cache", "sibling", "sibling"),
    ]
    return nodes, edges


def sixty_nodes() -> Graph:
    """Four apps with fan-outs, an 8-step chain, a hub with 8 spokes, a 5-cycle and 10 isolated nodes."""
    nodes: list[TopologyNode] = []
    edges: list[TopologyEdge] = []
    for a in range(4):
        names = [f"app{a}-{part}" for part in ("ingress", "svc", "deploy", "config", "secret", "pvc", "hpa")]
        kinds = ["Ingress", "Service", "Deployment", "ConfigMap", "Secret", "PersistentVolumeClaim", "HPA"]
        icon = f"../icons/{kinds[2].lower()}.svg" if a % 2 else None
        nodes += [
            node(n, k, icon_href=icon, href=f"../c/{k.lower()}/") for n, k in zip(names, kinds, strict=True)
        ]
        edges += [
            TopologyEdge(names[0], names[1], "network", "edge"),
            TopologyEdge(names[1], names[2], "network", "edge"),
            *(TopologyEdge(names[2], n, "mount", "hierarchical") for n in names[3:6]),
            TopologyEdge(names[6], names[2], "scale", "edge"),
        ]
    chain = [f"stage-{i}" for i in range(8)]
    nodes += [node(n, "Job") for n in chain]
    edges += [TopologyEdge(a, b, "next", "edge") for a, b in pairwise(chain)]
    spokes = [f"sidecar-{i}" for i in range(8)]
    nodes += [node("mesh-control", "Istiod")] + [node(n, "Sidecar") for n in spokes]
    edges += [TopologyEdge("mesh-control", n, "inject", "sibling") for n in spokes]
    ring = [f"ring-{i}" for i in range(5)]
    nodes += [node(n, "Service") for n in ring]
    edges += [TopologyEdge(a, ring[(i + 1) % 5], "network", "edge") for i, a in enumerate(ring)]
    nodes += [node(f"loose-{i}", "ConfigMap") for i in range(10)]
    edges += [
        TopologyEdge("app0-deploy", "app1-svc", "network", "edge"),
        TopologyEdge("stage-3", "app2-ingress", "network", "edge"),
        TopologyEdge("mesh-control", "app3-deploy", "inject", "sibling"),
        TopologyEdge("ring-2", "stage-5", "network", "edge"),
        TopologyEdge("sidecar-1", "sidecar-1", "self", "edge"),
        TopologyEdge("app0-ingress", "app0-svc", "network", "edge"),  # a duplicate
        TopologyEdge("app0-ingress", "nowhere", "network", "edge"),  # an unknown target
    ]
    assert len(nodes) == 60
    return nodes, edges


SAMPLES = {2: two_nodes, 10: ten_nodes, 60: sixty_nodes}


# -- helpers ----------------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    return [
        (float(r.get("x", "")), float(r.get("y", "")), float(r.get("width", "")), float(r.get("height", "")))
        for r in with_class(root, "mdx-topo-box")
    ]


def view_box(root: ET.Element) -> tuple[float, float, float, float]:
    x, y, w, h = (float(v) for v in root.get("viewBox", "").split())
    return x, y, w, h


def distinct_valid(nodes: list[TopologyNode], edges: list[TopologyEdge]) -> int:
    ids = {n.id for n in nodes}
    return len({(e.source, e.target, e.label) for e in edges if e.source in ids and e.target in ids})


def render(graph: Graph, title: str = "", id_prefix: str = "mdx") -> str:
    return render_topology(graph[0], graph[1], title=title, id_prefix=id_prefix)


# -- structure and geometry -------------------------------------------------------------------------


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_parses_with_namespace_role_label_and_title(size: int) -> None:
    root = parse(render(SAMPLES[size](), title="My design"))
    assert root.get("role") == "img" and root.get("aria-label") == "My design"
    assert root.findtext(f"{SVG}title") == "My design"
    assert root.get("width") == _num(view_box(root)[2]) and root.get("height") == _num(view_box(root)[3])


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_one_node_group_per_node_and_boxes_never_overlap(size: int) -> None:
    nodes, edges = SAMPLES[size]()
    root = parse(render_topology(nodes, edges))
    assert len(with_class(root, "mdx-topo-node")) == len(nodes)
    found = boxes(root)
    assert len(found) == len(nodes)
    for (x1, y1, w1, h1), (x2, y2, w2, h2) in combinations(found, 2):
        assert x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_boxes_and_edge_labels_lie_within_the_view_box(size: int) -> None:
    root = parse(render(SAMPLES[size]()))
    vx, vy, vw, vh = view_box(root)
    for x, y, w, h in boxes(root):
        assert vx <= x and vy <= y and x + w <= vx + vw and y + h <= vy + vh
    for chip in with_class(root, "mdx-topo-edge-label-bg"):
        x, y, w, h = (float(chip.get(k, "")) for k in ("x", "y", "width", "height"))
        assert vx <= x and vy <= y and x + w <= vx + vw and y + h <= vy + vh


def test_sixty_nodes_fit_about_1200_px_wide_and_a_reasonable_height() -> None:
    root = parse(render(sixty_nodes()))
    _, _, width, height = view_box(root)
    assert width <= 1300 and height <= 2500
    rows: dict[float, int] = {}
    for _, y, _, _ in boxes(root):
        rows[y] = rows.get(y, 0) + 1
    assert max(rows.values()) <= MAX_PER_ROW


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_one_edge_per_distinct_valid_edge(size: int) -> None:
    nodes, edges = SAMPLES[size]()
    root = parse(render_topology(nodes, edges))
    assert len(with_class(root, "mdx-topo-edge")) == distinct_valid(nodes, edges)


def test_numbers_are_ints_or_one_decimal() -> None:
    root = parse(render(sixty_nodes()))
    for el in root.iter():
        for key, value in el.attrib.items():
            if key in NUMERIC_ATTRS:
                assert NUMBER.match(value), (key, value)
        if el.tag == f"{SVG}path":
            for number in re.findall(r"-?[\d.]+", el.get("d", "")):
                assert NUMBER.match(number), number


def test_a_chain_runs_top_down_from_bottom_centre_to_top_centre() -> None:
    nodes = [node("a"), node("b"), node("c")]
    edges = [TopologyEdge("a", "b"), TopologyEdge("b", "c")]
    root = parse(render_topology(nodes, edges))
    found = boxes(root)
    assert found[0][1] < found[1][1] < found[2][1]
    path = with_class(root, "mdx-topo-edge")[0].get("d", "")
    start, end = re.findall(r"-?[\d.]+,-?[\d.]+", path)[0], re.findall(r"-?[\d.]+,-?[\d.]+", path)[-1]
    ax, ay, _, _ = found[0]
    bx, by, _, _ = found[1]
    assert start == f"{_num(ax + BOX_W / 2)},{_num(ay + BOX_H)}"
    assert end == f"{_num(bx + BOX_W / 2)},{_num(by)}"


def test_isolated_nodes_come_last_and_the_cycle_is_drawn() -> None:
    nodes, edges = ten_nodes()
    root = parse(render_topology(nodes, edges))
    names = [g.findtext(f"{SVG}title", "").split(" (")[0] for g in with_class(root, "mdx-topo-node")]
    ys = {name: y for name, (_, y, _, _) in zip(names, boxes(root), strict=True)}
    connected = [y for name, y in ys.items() if name not in {"team-namespace", "api-credentials"}]
    assert ys["team-namespace"] > max(connected) and ys["api-credentials"] > max(connected)
    # the cycle api → cache → api-svc → api: one of its edges must point upwards and still be drawn
    titles = [
        g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g") if g.get("class") == "mdx-topo-edge-group"
    ]
    assert "cache → api-svc: network" in titles


def test_a_wide_fan_out_wraps_into_rows_of_at_most_six() -> None:
    nodes = [node("hub")] + [node(f"leaf-{i}") for i in range(14)]
    edges = [TopologyEdge("hub", f"leaf-{i}", "x") for i in range(14)]
    root = parse(render_topology(nodes, edges))
    rows: dict[float, int] = {}
    for _, y, _, _ in boxes(root):
        rows[y] = rows.get(y, 0) + 1
    assert sorted(rows.values()) == [1, 4, 5, 5]
    assert len(with_class(root, "mdx-topo-edge")) == 14


def test_a_design_without_edges_is_a_grid_of_isolated_nodes() -> None:
    nodes = [node(f"n{i}") for i in range(10)]
    root = parse(render_topology(nodes, []))
    assert with_class(root, "mdx-topo-edge") == []
    found = boxes(root)
    rows = sorted({y for _, y, _, _ in found})
    assert 2 <= len(rows) <= 3
    # row-major in input order: each row left to right, rows top to bottom
    assert found == sorted(found, key=lambda box: (box[1], box[0]))
    assert all(sum(1 for box in found if box[1] == y) <= MAX_PER_ROW for y in rows)


def test_separate_parts_of_a_design_sit_side_by_side() -> None:
    nodes = [node(f"a{i}") for i in range(3)] + [node(f"b{i}") for i in range(3)]
    edges = [
        TopologyEdge("a0", "a1"),
        TopologyEdge("a1", "a2"),
        TopologyEdge("b0", "b1"),
        TopologyEdge("b1", "b2"),
    ]
    found = boxes(parse(render_topology(nodes, edges)))
    assert [y for _, y, _, _ in found[:3]] == [y for _, y, _, _ in found[3:]]
    assert len({x for x, _, _, _ in found[:3]}) == 1 and found[3][0] > found[0][0]


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_edges_never_run_through_a_box(size: int) -> None:
    root = parse(render(SAMPLES[size]()))
    inner = [(x + 1, y + 1, x + w - 1, y + h - 1) for x, y, w, h in boxes(root)]
    for line in with_class(root, "mdx-topo-edge"):
        for px, py in sample_path(line.get("d", "")):
            assert not any(x0 < px < x1 and y0 < py < y1 for x0, y0, x1, y1 in inner), (px, py)


def sample_path(d: str) -> list[tuple[float, float]]:
    """Points along a path of M, L, Q and C commands with absolute coordinates."""
    tokens = re.findall(r"[MLQC]|-?[\d.]+", d)
    points: list[tuple[float, float]] = []
    pen = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        command = tokens[i]
        size = {"M": 1, "L": 1, "Q": 2, "C": 3}[command]
        coords = [float(t) for t in tokens[i + 1 : i + 1 + 2 * size]]
        ctrl = [pen, *zip(coords[::2], coords[1::2], strict=True)]
        for step in range(21 if command != "M" else 0):
            t = step / 20
            n = len(ctrl) - 1
            weights = [math.comb(n, k) * (1 - t) ** (n - k) * t**k for k in range(n + 1)]
            points.append(
                (
                    sum(w * p[0] for w, p in zip(weights, ctrl, strict=True)),
                    sum(w * p[1] for w, p in zip(weights, ctrl, strict=True)),
                )
            )
        pen = ctrl[-1]
        i += 1 + 2 * size
    return points


def test_an_empty_design_is_still_a_valid_picture() -> None:
    root = parse(render_topology([], [TopologyEdge("a", "b")]))
    assert root.get("role") == "img" and "0 components" in root.get("aria-label", "")


def test_a_self_loop_is_drawn_as_a_small_loop() -> None:
    nodes = [node("a"), node("b")]
    edges = [TopologyEdge("a", "a", "self"), TopologyEdge("a", "b", "next")]
    root = parse(render_topology(nodes, edges))
    assert len(with_class(root, "mdx-topo-edge")) == 2
    groups = {g.findtext(f"{SVG}title"): g for g in with_class(root, "mdx-topo-edge-group")}
    loop = groups["a → a: self"].find(f"{SVG}path").get("d", "")  # type: ignore[union-attr]
    x, y, w, h = boxes(root)[0]
    start, end = sample_path(loop)[0], sample_path(loop)[-1]
    assert x < start[0] < x + w and start[1] == y  # leaves the top edge...
    assert end[0] == x + w and y < end[1] < y + h  # ...and comes back into the right edge
    _, _, vw, vh = view_box(root)
    assert all(0 <= px <= vw and 0 <= py <= vh for px, py in sample_path(loop))
    assert [t.text for t in with_class(root, "mdx-topo-edge-label")] == ["self", "next"]


def test_unknown_endpoints_are_ignored_and_duplicates_drawn_once() -> None:
    nodes = [node("a"), node("b")]
    edges = [
        TopologyEdge("a", "ghost", "x"),
        TopologyEdge("ghost", "b", "x"),
        TopologyEdge("a", "b", "network", "sibling"),
        TopologyEdge("a", "b", "network", "edge"),
        TopologyEdge("a", "b", "inventory", "hierarchical"),
    ]
    root = parse(render_topology(nodes, edges))
    lines = with_class(root, "mdx-topo-edge")
    assert len(lines) == 2
    assert "ghost" not in render_topology(nodes, edges)
    # the duplicate keeps the smallest kind, whatever the order it came in
    assert render_topology(nodes, edges) == render_topology(nodes, edges[::-1])
    assert {line.get("class") for line in lines} == {
        "mdx-topo-edge mdx-topo-edge-edge",
        "mdx-topo-edge mdx-topo-edge-hierarchical",
    }


def test_relationship_kinds_style_the_line() -> None:
    nodes = [node("a"), node("b"), node("c"), node("d")]
    edges = [TopologyEdge("a", "b", kind="edge"), TopologyEdge("a", "c", kind="hierarchical")]
    edges += [TopologyEdge("a", "d", kind="sibling")]
    root = parse(render_topology(nodes, edges))
    dashes = {
        line.get("class", "").split()[-1]: line.get("stroke-dasharray")
        for line in with_class(root, "mdx-topo-edge")
    }
    assert dashes["mdx-topo-edge-edge"] is None
    assert dashes["mdx-topo-edge-hierarchical"] and dashes["mdx-topo-edge-sibling"]
    assert dashes["mdx-topo-edge-hierarchical"] != dashes["mdx-topo-edge-sibling"]


def test_icons_and_letter_fallbacks() -> None:
    nodes = [TopologyNode("a", "a", "Deployment", icon_href="../icons/deploy.svg"), node("b", "service")]
    root = parse(render_topology(nodes, []))
    images = list(root.iter(f"{SVG}image"))
    assert [(i.get("href"), i.get("width"), i.get("height")) for i in images] == [
        ("../icons/deploy.svg", "24", "24")
    ]
    assert [t.text for t in with_class(root, "mdx-topo-icon-letter")] == ["S"]


# -- determinism ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", sorted(SAMPLES))
def test_same_input_same_bytes_and_edge_order_does_not_matter(size: int) -> None:
    nodes, edges = SAMPLES[size]()
    first = render_topology(nodes, edges, title="t")
    assert render_topology(list(nodes), list(edges), title="t") == first
    for seed in range(5):
        shuffled = list(edges)
        random.Random(seed).shuffle(shuffled)
        assert render_topology(nodes, shuffled, title="t") == first


def test_id_prefix_keeps_two_pictures_apart() -> None:
    graph = two_nodes()
    one, other = render(graph), render(graph, id_prefix="design-2")
    assert 'id="mdx-arrow"' in one and 'marker-end="url(#mdx-arrow)"' in one
    assert 'id="design-2-arrow"' in other and "mdx-arrow" not in other
    for bad in ("", "1x", 'x" onload="y', "a b"):
        with pytest.raises(ValueError):
            render(graph, id_prefix=bad)


# -- safety -----------------------------------------------------------------------------------------

HOSTILE = ["<script>alert(1)</script>", '" onmouseover="x', "{{ 7*7 }}", "&amp;", "' onclick='y"]


def test_hostile_labels_appear_only_escaped() -> None:
    nodes = [TopologyNode(f"n{i}", text, text) for i, text in enumerate(HOSTILE)]
    edges = [TopologyEdge(f"n{i}", f"n{i + 1}", HOSTILE[i], HOSTILE[-1 - i]) for i in range(len(HOSTILE) - 1)]
    svg = render_topology(nodes, edges, title=HOSTILE[0] + HOSTILE[1])
    root = parse(svg)
    assert "<script" not in svg and "&amp;amp;" in svg and "&lt;script&gt;" in svg
    for el in root.iter():
        assert el.tag.removeprefix(SVG) not in {"script", "foreignObject", "style", "iframe"}
        for key in el.attrib:
            assert not key.lower().startswith("on"), key
            assert key in ALLOWED_ATTRS, key
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert "{{ 7*7 }}" in texts and "&amp;" in texts and "49" not in texts
    assert root.get("aria-label") == HOSTILE[0] + HOSTILE[1]


ALLOWED_ATTRS = {
    "class", "width", "height", "viewBox", "role", "aria-label", "font-family", "id", "refX", "refY",
    "markerWidth", "markerHeight", "markerUnits", "orient", "d", "fill", "fill-opacity", "stroke",
    "stroke-opacity", "stroke-width", "stroke-dasharray", "marker-end", "x", "y", "rx", "href", "cx", "cy",
    "r", "font-size", "font-weight", "text-anchor", "preserveAspectRatio",
}  # fmt: skip


def test_hrefs_are_attribute_escaped_and_only_relative() -> None:
    tricky = "a\"b&c<d>'e/"
    nodes = [
        TopologyNode("a", "a", "K", icon_href=tricky + "i.svg", href=tricky),
        TopologyNode("b", "b", "K", href="javascript:alert(1)"),
        TopologyNode("c", "c", "K", href="//evil.example/", icon_href="https://evil.example/x.svg"),
        TopologyNode("d", "d", "K", href="java\nscript:alert(1)", icon_href="\\\\evil\\x.svg"),
    ]
    svg = render_topology(nodes, [])
    assert 'href="a&quot;b&amp;c&lt;d&gt;&#39;e/"' in svg
    root = parse(svg)
    hrefs = sorted(el.get("href", "") for el in root.iter() if "href" in el.attrib)
    assert hrefs == [tricky, tricky + "i.svg"]
    assert "evil" not in svg and "javascript" not in svg
    assert len(with_class(root, "mdx-topo-node")) == 4


def test_characters_xml_forbids_are_dropped() -> None:
    nodes = [TopologyNode("a", "bad\x00\x08\x1b\ud800name\nline", "Kind\x0c")]
    root = parse(render_topology(nodes, [TopologyEdge("a", "a", "x\x01y")]))
    assert [t.text for t in with_class(root, "mdx-topo-label")] == ["badname line"]
    assert [t.text for t in with_class(root, "mdx-topo-edge-label")] == ["xy"]


def test_long_labels_are_truncated_to_fit_the_box() -> None:
    long = "a-very-long-component-instance-name-that-keeps-going"
    kind = "CustomResourceDefinitionWithAnEvenLongerKindName"
    nodes = [TopologyNode("a", long, kind), TopologyNode("w", "W" * 16, kind)]
    root = parse(render_topology(nodes, [TopologyEdge("a", "w", long)]))
    for cls in ("mdx-topo-label", "mdx-topo-kind", "mdx-topo-edge-label"):
        found = with_class(root, cls)
        assert found and all((text.text or "").endswith("…") for text in found), cls
    labels = [t.text or "" for t in with_class(root, "mdx-topo-label")]
    assert all(text_width(label, LABEL_SIZE, bold=True) <= TEXT_W for label in labels)
    assert labels[0].startswith("a-very-long") and labels[1].startswith("WWW")
    # the full name stays available as the node's tooltip
    assert with_class(root, "mdx-topo-node")[0].findtext(f"{SVG}title", "").startswith(long)


def test_short_labels_are_not_truncated() -> None:
    root = parse(render(two_nodes()))
    assert [t.text for t in with_class(root, "mdx-topo-label")] == ["web-frontend", "web-svc"]


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"
