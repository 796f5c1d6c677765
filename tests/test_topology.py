"""Topology pictures: nesting for hierarchical parents, arrows only for edge relationships, a legend;
laid out by Graphviz, valid XML, deterministic, fast, and safe with hostile text."""

from __future__ import annotations

import math
import re
import time
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from meshdocs.layout.dot import LayoutEngine
from meshdocs.model.catalog import DesignComponent, DesignRelationship
from meshdocs.renderers.topology import (
    BOX_H,
    BOX_W,
    LABEL_SIZE,
    MIN_TEXT_SIZE,
    TEXT_W,
    TopologyEdge,
    TopologyGraph,
    TopologyNode,
    render_topology,
    text_width,
)
from meshdocs.transforms.topology import GROUP_PREFIX, Placed, design_graph, overview_graph

SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"^-?\d+(\.\d)?$")
NUMERIC_ATTRS = {"x", "y", "width", "height", "cx", "cy", "r", "rx", "font-size", "stroke-width"}


def node(node_id: str, kind: str = "Deployment", **extra: object) -> TopologyNode:
    return TopologyNode(node_id, node_id, kind, **extra)  # type: ignore[arg-type]


def graph(nodes: list[TopologyNode], edges: list[TopologyEdge] | None = None) -> TopologyGraph:
    return TopologyGraph(tuple(nodes), tuple(edges or ()))


def shop() -> TopologyGraph:
    """A namespace holding a Deployment (holding a Pod holding a Container), a Service and a Secret."""
    return graph(
        [
            node("shop", "Namespace"),
            node("web", "Deployment", parent="shop", href="../web/"),
            node("web-pod", "Pod", parent="web"),
            node("nginx", "Container", parent="web-pod"),
            node("web-svc", "Service", parent="shop", icon_href="../../icons/svc.svg"),
            node("creds", "Secret", parent="shop"),
            node("reader", "ServiceAccount"),
        ],
        [
            TopologyEdge("web-svc", "web", "network", "edge"),
            TopologyEdge("web", "creds", "reference", "edge"),
            TopologyEdge("reader", "creds", "permission", "edge"),
            TopologyEdge("shop", "nginx", "network", "edge"),  # a frame and what it holds: not drawn
            TopologyEdge("web-pod", "nginx", "alias", "edge"),  # likewise
        ],
    )


def chain(n: int) -> TopologyGraph:
    names = [f"n{i}" for i in range(n)]
    return graph(
        [node(x) for x in names], [TopologyEdge(a, b, "network", "edge") for a, b in pairwise(names)]
    )


def big_design(n: int) -> TopologyGraph:
    """``n`` components as Kanvas designs have them: namespaces, Deployments holding Pods, Services."""
    nodes: list[TopologyNode] = []
    edges: list[TopologyEdge] = []
    apps = n // 4
    for a in range(apps):
        ns = f"ns{a % 3}"
        nodes += [
            node(f"d{a}", "Deployment", parent=GROUP_PREFIX + ns),
            node(f"p{a}", "Pod", parent=f"d{a}"),
            node(f"s{a}", "Service", parent=GROUP_PREFIX + ns),
            node(f"c{a}", "ConfigMap", parent=GROUP_PREFIX + ns),
        ]
        edges += [
            TopologyEdge(f"s{a}", f"d{a}", "network", "edge"),
            TopologyEdge(f"d{a}", f"c{a}", "reference"),
        ]
    nodes += [node(GROUP_PREFIX + f"ns{i}", "Namespace", group=True) for i in range(3)]
    nodes += [node(f"x{i}", "ClusterRole") for i in range(n - 4 * apps)]
    return graph(nodes, edges)


def draw(g: TopologyGraph, engine: LayoutEngine | None = None, **kw: str) -> str:
    return render_topology(g, engine or LayoutEngine(), **kw)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def rect(el: ET.Element) -> tuple[float, float, float, float]:
    return (
        float(el.get("x", "")),
        float(el.get("y", "")),
        float(el.get("width", "")),
        float(el.get("height", "")),
    )


def labelled_boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for group in with_class(root, "mdx-topo-node"):
        label = next(t.text for t in group.iter(f"{SVG}text") if "mdx-topo-label" in t.get("class", ""))
        box = next(r for r in group.iter(f"{SVG}rect"))
        out[str(label)] = rect(box)
    return out


def frames(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for group in with_class(root, "mdx-topo-group"):
        label = next(t.text for t in group.iter(f"{SVG}text") if "mdx-topo-label" in t.get("class", ""))
        out[str(label)] = rect(next(r for r in group.iter(f"{SVG}rect")))
    return out


def inside(inner: tuple[float, float, float, float], outer: tuple[float, float, float, float]) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return ox <= x and oy <= y and x + w <= ox + ow and y + h <= oy + oh


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


# -- nesting, arrows, legend ------------------------------------------------------------------------


def test_hierarchical_parents_are_frames_around_their_children() -> None:
    root = parse(draw(shop(), title="Shop"))
    fr = frames(root)
    boxes = labelled_boxes(root)
    assert set(fr) == {"shop", "web", "web-pod"}  # what holds something is a frame, not a box
    assert set(boxes) == {"nginx", "web-svc", "creds", "reader"}
    assert inside(fr["web"], fr["shop"]) and inside(fr["web-pod"], fr["web"])
    assert inside(boxes["nginx"], fr["web-pod"])
    assert inside(boxes["web-svc"], fr["shop"]) and inside(boxes["creds"], fr["shop"])
    assert not overlap(boxes["reader"], fr["shop"])
    assert all(not overlap(a, b) for a, b in pairwise(sorted(boxes.values())))


def test_no_arrow_is_drawn_between_a_frame_and_what_it_holds() -> None:
    root = parse(draw(shop()))
    drawn = sorted(str(e.findtext(f"{SVG}title")) for e in with_class(root, "mdx-topo-edge"))
    assert drawn == ["network", "permission", "reference"]


def test_arrows_are_styled_by_sub_type_with_a_legend() -> None:
    root = parse(draw(shop()))
    styles = {
        str(e.findtext(f"{SVG}title")): (e.get("stroke"), e.get("stroke-dasharray"))
        for e in with_class(root, "mdx-topo-edge")
    }
    assert len(set(styles.values())) == 3  # network, permission and reference look different
    legend = with_class(root, "mdx-topo-legend")
    assert len(legend) == 1
    texts = [t.text for t in legend[0].iter(f"{SVG}text")]
    assert texts == ["network", "permission", "reference", "frame: contains (hierarchical parent)"]


def test_a_design_draws_parents_as_nesting_and_only_edge_relationships_as_arrows() -> None:
    comps = [
        DesignComponent("n", "shop", "Namespace", "v1", "kubernetes"),
        DesignComponent("d", "web", "Deployment", "apps/v1", "kubernetes", namespace="shop"),
        DesignComponent("p", "web-pod", "Pod", "v1", "kubernetes", namespace="shop"),
        DesignComponent("s", "web", "Service", "v1", "kubernetes", namespace="shop"),
        DesignComponent("m", "metrics", "Deployment", "apps/v1", "kubernetes", namespace="monitoring"),
    ]
    rels = [
        DesignRelationship("r1", "hierarchical", "parent", "inventory", "approved", ("p",), ("d",)),
        DesignRelationship("r2", "hierarchical", "sibling", "matchLabels", "approved", ("d",), ("s",)),
        DesignRelationship("r3", "edge", "non-binding", "network", "approved", ("s",), ("d",)),
    ]
    g = design_graph([Placed(c) for c in comps], rels)
    parent = {n.id: n.parent for n in g.nodes}
    assert parent["p"] == "d"  # the Pod in its Deployment (from the child, to the parent)
    assert parent["d"] == "n" and parent["s"] == "n"  # in the Namespace the design defines
    assert parent["m"] == GROUP_PREFIX + "monitoring"  # a namespace it only names: a dashed frame
    assert [(e.source, e.target, e.label) for e in g.edges] == [("s", "d", "network")]  # no sibling line
    root = parse(draw(g))
    assert "dashed frame: namespace" in [
        t.text for t in with_class(root, "mdx-topo-legend")[0].iter(f"{SVG}text")
    ]


def test_a_large_design_gets_an_overview_grouped_by_namespace_and_kind() -> None:
    g = big_design(150)
    over = overview_graph(g)
    labels = sorted(n.label for n in over.nodes if not n.group)
    pods = [int(label.split(" × ")[1]) for label in labels if label.startswith("Pod × ")]
    assert sorted(pods) == [12, 12, 13]  # 37 Pods, counted in each of three namespaces
    assert "ClusterRole × 2" in labels
    assert len(over.nodes) == 3 + 3 * 4 + 1  # three namespaces, four kinds in each, the cluster roles
    frames_of = {n.parent for n in over.nodes if not n.group}
    assert frames_of == {GROUP_PREFIX + "ns0", GROUP_PREFIX + "ns1", GROUP_PREFIX + "ns2", None}
    root = parse(draw(over))
    assert len(with_class(root, "mdx-topo-node")) == len([n for n in over.nodes if not n.group])


# -- size, speed, caching ---------------------------------------------------------------------------


def test_150_components_are_drawn_in_under_two_seconds_and_a_rebuild_reuses_the_layout() -> None:
    engine = LayoutEngine()
    start = time.perf_counter()
    svg = draw(big_design(150), engine)
    seconds = time.perf_counter() - start
    assert seconds < 2.0, seconds
    assert engine.runs == 1
    again = LayoutEngine(previous=dict(engine.used))
    assert draw(big_design(150), again) == svg
    assert again.runs == 0  # the layout came from the cache, by the hash of the DOT text


@pytest.mark.parametrize("g", [shop(), chain(12), big_design(60)], ids=["shop", "chain", "sixty"])
def test_no_text_is_smaller_than_11_px_and_every_box_is_full_size(g: TopologyGraph) -> None:
    root = parse(draw(g))
    sizes = [float(t.get("font-size", "0")) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= MIN_TEXT_SIZE
    for box in with_class(root, "mdx-topo-box"):
        assert rect(box)[2:] == (BOX_W, BOX_H)


def test_unconnected_components_wrap_into_rows_instead_of_one_long_line() -> None:
    root = parse(draw(graph([node(f"cm{i}", "ConfigMap") for i in range(24)])))
    width = float(root.get("width", "0"))
    assert width < 1000, width  # 24 boxes in one row would be about 5,000 px


def test_same_input_same_bytes_and_edge_order_does_not_matter() -> None:
    g = shop()
    flipped = TopologyGraph(g.nodes, tuple(reversed(g.edges)))
    assert draw(g) == draw(g) == draw(flipped)


def test_numbers_are_ints_or_one_decimal() -> None:
    root = parse(draw(big_design(40)))
    for el in root.iter():
        for key in NUMERIC_ATTRS & set(el.attrib):
            assert NUMBER.match(el.attrib[key]), (key, el.attrib[key])


# -- robustness ---------------------------------------------------------------------------------------


def test_an_empty_design_is_still_a_valid_picture() -> None:
    root = parse(draw(graph([], [TopologyEdge("a", "b")])))
    assert root.get("role") == "img" and "0 components" in root.get("aria-label", "")


def test_unknown_endpoints_cycles_of_parents_and_duplicates_are_survived() -> None:
    g = graph(
        [node("a", parent="b"), node("b", parent="a"), node("c", parent="ghost"), node("a", "Dup")],
        [
            TopologyEdge("a", "ghost", "network"),
            TopologyEdge("c", "a", "network"),
            TopologyEdge("c", "a", "network"),
            TopologyEdge("c", "c", "network"),
        ],
    )
    root = parse(draw(g))
    assert len(with_class(root, "mdx-topo-edge")) == 2  # c → a once, and the self-loop


def test_the_picture_describes_itself_for_screen_readers() -> None:
    root = parse(draw(shop(), title="Shop"))
    # Its boxes are links: a group keeps them reachable (an image's content is presentational).
    assert root.get("role") == "group" and root.get("aria-label") == "Shop"
    assert root.findtext(f"{SVG}title") == "Shop"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "7 components" in desc and "3 of them drawn as frames" in desc and "1 network" in desc


def test_icons_are_used_when_given_and_letters_otherwise() -> None:
    root = parse(draw(shop()))
    images = [el.get("href") for el in root.iter(f"{SVG}image")]
    assert images == ["../../icons/svc.svg"]
    letters = {t.text for t in with_class(root, "mdx-topo-icon-letter")}
    assert {"N", "D", "P", "C", "S"} <= letters


def test_id_prefix_keeps_two_pictures_apart() -> None:
    a, b = draw(shop(), id_prefix="one"), draw(shop(), id_prefix="two")
    assert 'id="one-arrow-network"' in a and "url(#one-arrow-network)" in a and "two-" not in a
    assert 'id="two-arrow-network"' in b
    with pytest.raises(ValueError):
        draw(shop(), id_prefix='x" onload="alert(1)')


HOSTILE = '<script>alert("x")</script> & \' " ]]> <!-- -->'


def test_hostile_labels_appear_only_escaped() -> None:
    g = graph(
        [node("a", HOSTILE), TopologyNode("b", HOSTILE, HOSTILE, parent="c"), node("c", HOSTILE)],
        [TopologyEdge("a", "b", HOSTILE, HOSTILE)],
    )
    svg = draw(g, title=HOSTILE)
    assert "<script" not in svg and "<!--" not in svg and "]]>" not in svg
    root = parse(svg)
    assert all(el.tag.startswith(SVG) for el in root.iter())
    assert not any(k.lower().startswith("on") for el in root.iter() for k in el.attrib)


def test_hrefs_are_attribute_escaped_and_only_relative() -> None:
    hrefs = ["javascript:alert(1)", "https://evil.example/", "//evil.example/", "../ok/?a=1&b=2", "data:x"]
    g = graph([node(f"n{i}", href=h, icon_href=h) for i, h in enumerate(hrefs)])
    root = parse(draw(g))
    found = {el.get("href") for el in root.iter() if el.get("href")}
    assert found == {"../ok/?a=1&b=2"}


def test_characters_xml_forbids_are_dropped_and_long_labels_cut() -> None:
    long = "a-very-long-deployment-name-that-cannot-fit-in-one-box-at-all"
    root = parse(draw(graph([node("x\x00\x1by"), node(long)])))
    labels = {t.text for t in with_class(root, "mdx-topo-label")}
    assert "xy" in labels
    cut = next(t for t in labels if t and t.endswith("…"))
    assert text_width(cut, LABEL_SIZE, bold=True) <= TEXT_W and long.startswith(cut[:-1])


def test_curves_stay_inside_the_picture() -> None:
    root = parse(draw(big_design(60)))
    width, height = float(root.get("width", "0")), float(root.get("height", "0"))
    for path in with_class(root, "mdx-topo-edge"):
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
        xs, ys = numbers[::2], numbers[1::2]
        assert min(xs) >= 0 and max(xs) <= width and min(ys) >= 0 and max(ys) <= height
    assert math.isfinite(width) and math.isfinite(height)


def test_a_picture_without_links_is_an_image() -> None:
    g = graph([node("a", "Deployment"), node("b", "Service")], [TopologyEdge("b", "a", "network")])
    root = parse(draw(g, title="Plain"))
    assert root.get("role") == "img" and root.get("aria-label") == "Plain"
    assert root.findtext(f"{SVG}title") == "Plain" and root.findtext(f"{SVG}desc")
