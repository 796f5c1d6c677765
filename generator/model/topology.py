"""A picture's content before layout: boxes, the boxes they sit in, and the arrows between them.

Built by :mod:`meshdocs.transforms.topology` from a design (or a model's relationships), laid out by
Graphviz (:mod:`meshdocs.layout.dot`) and drawn by :mod:`meshdocs.renderers.topology`. Every string here
is untrusted: the layout never sees one, the drawing escapes each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopologyNode:
    """A component instance (or, in an overview, a group of them).

    A node that other nodes name as ``parent`` is drawn as a frame around them (hierarchical parent:
    a Pod in its Deployment, anything in its Namespace). ``group`` marks a frame that is no component
    of its own (a namespace the design names but does not define).
    """

    id: str
    label: str
    kind: str
    icon_href: str | None = None
    href: str | None = None
    parent: str | None = None
    group: bool = False


@dataclass(frozen=True)
class TopologyEdge:
    """A relationship between two components, drawn as an arrow from ``source`` to ``target``.

    ``label`` is the relationship's sub-type (``network``, ``permission``), which picks the arrow's style.
    """

    source: str
    target: str
    label: str = ""
    kind: str = ""


@dataclass(frozen=True)
class TopologyGraph:
    nodes: tuple[TopologyNode, ...]
    edges: tuple[TopologyEdge, ...]
