"""What a topology picture shows, from a design or a model: pure functions from the model to a graph.

A design's hierarchical parent relationships (``from`` the child, ``to`` the parent: a Container in its
Pod, a Pod in its Namespace) and namespaces become nesting; only edge relationships become arrows.
Sibling relationships (``matchLabels``) are listed on the page, not drawn: they are what made the old
pictures a mesh of crossing lines. A design too large to read at page width gets an overview: one box per
namespace and kind, with counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from meshdocs.model.catalog import DesignComponent, DesignRelationship
from meshdocs.model.registry import Model, Relationship
from meshdocs.model.topology import TopologyEdge, TopologyGraph, TopologyNode

NAMESPACE_KIND = "Namespace"
GROUP_PREFIX = "\x00namespace:"  # ids of namespaces a design names but does not define; never a real id


@dataclass(frozen=True)
class Placed:
    """A design component with the links its box needs (its reference page and icon)."""

    c: DesignComponent
    href: str | None = None
    icon: str | None = None


def design_graph(components: Sequence[Placed], relationships: Sequence[DesignRelationship]) -> TopologyGraph:
    """Nesting from hierarchical parents, then namespaces; arrows for edge relationships only."""
    ids = {p.c.id for p in components}
    parent: dict[str, str] = {}
    for rel in relationships:
        if rel.kind.lower() != "hierarchical" or rel.type.lower() != "parent":
            continue
        for child in rel.sources:
            for holder in rel.targets:
                if child in ids and holder in ids and child != holder and child not in parent:
                    parent[child] = holder
    namespaces = {p.c.name: p.c.id for p in components if p.c.kind == NAMESPACE_KIND}
    groups: dict[str, str] = {}
    for placed in components:
        comp = placed.c
        if comp.id in parent or not comp.namespace or comp.kind == NAMESPACE_KIND:
            continue
        defined = namespaces.get(comp.namespace)
        parent[comp.id] = defined or groups.setdefault(comp.namespace, GROUP_PREFIX + comp.namespace)
    nodes = [
        TopologyNode(ns_id, namespace, NAMESPACE_KIND, group=True)
        for namespace, ns_id in sorted(groups.items())
    ]
    nodes += [
        TopologyNode(p.c.id, p.c.name, p.c.kind, p.icon, p.href, parent=parent.get(p.c.id))
        for p in components
    ]
    edges = [
        TopologyEdge(source, target, r.sub_type, r.kind)
        for r in relationships
        if r.kind.lower() == "edge"
        for source in r.sources
        for target in r.targets
    ]
    return TopologyGraph(tuple(nodes), tuple(edges))


def overview_graph(graph: TopologyGraph) -> TopologyGraph:
    """One box per namespace and kind ("Pod × 12"), inside its namespace's frame; arrows between boxes."""
    by_id = {n.id: n for n in graph.nodes}

    def namespace_of(node: TopologyNode) -> TopologyNode | None:
        seen: set[str] = set()
        current = by_id.get(node.parent) if node.parent else None
        while current is not None and current.id not in seen:
            if current.group or current.kind == NAMESPACE_KIND:
                return current
            seen.add(current.id)
            current = by_id.get(current.parent) if current.parent else None
        return None

    holders = {n.parent for n in graph.nodes if n.parent}
    frames: dict[str, TopologyNode] = {}
    groups: dict[tuple[str, str], list[TopologyNode]] = {}
    member_of: dict[str, str] = {}
    for node in graph.nodes:
        if node.group or (node.kind == NAMESPACE_KIND and node.id in holders):
            frames.setdefault(
                node.id,
                TopologyNode(
                    node.id, node.label, NAMESPACE_KIND, node.icon_href, node.href, group=node.group
                ),
            )
            continue
        namespace = namespace_of(node)
        key = (namespace.id if namespace else "", node.kind)
        groups.setdefault(key, []).append(node)
    nodes: list[TopologyNode] = list(frames.values())
    for (namespace_id, kind), members in groups.items():
        group_id = f"{namespace_id}\x00{kind}"
        for member in members:
            member_of[member.id] = group_id
        first = members[0]
        label = f"{kind or 'component'} × {len(members)}" if len(members) > 1 else first.label
        nodes.append(
            TopologyNode(group_id, label, kind, first.icon_href, first.href, parent=namespace_id or None)
        )
    edges = {
        (member_of.get(e.source, e.source), member_of.get(e.target, e.target), e.label, e.kind)
        for e in graph.edges
    }
    return TopologyGraph(
        tuple(nodes), tuple(TopologyEdge(s, t, label, kind) for s, t, label, kind in sorted(edges) if s != t)
    )


def model_graph(
    model: Model,
    relationships: Sequence[Relationship],
    href: Callable[[str, str], str | None],
    icon: Callable[[str, str], str | None],
) -> TopologyGraph:
    """Which kinds a model's relationships connect: its own components and other models' kinds.

    ``href(model, kind)`` and ``icon(model, kind)`` give a kind's page and icon when it has one. A
    wildcard side (``*``) is drawn as "any kind" of its model.
    """
    nodes: dict[str, TopologyNode] = {}
    edges: list[TopologyEdge] = []

    def node_for(model_name: str, kind: str) -> str:
        own = model_name in ("", "*", model.name)
        name = model.name if model_name in ("", "*") else model_name
        label = "any kind" if kind in ("", "*") else kind
        key = f"{name}\x00{label}"
        if key not in nodes:
            nodes[key] = TopologyNode(
                key,
                label,
                "" if own else name,
                icon(name, kind) if kind not in ("", "*") else None,
                href(name, kind) if kind not in ("", "*") else None,
            )
        return key

    for rel in relationships:
        for selector in rel.selectors:
            froms = [node_for(e.model, e.kind) for e in selector.allow_from]
            tos = [node_for(e.model, e.kind) for e in selector.allow_to]
            edges += [TopologyEdge(f, t, rel.sub_type or rel.type, rel.kind) for f in froms for t in tos]
    ordered = sorted(nodes.values(), key=lambda n: (n.kind != "", n.kind.lower(), n.label.lower()))
    return TopologyGraph(tuple(ordered), tuple(edges))
