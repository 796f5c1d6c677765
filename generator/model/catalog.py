"""Catalog entries: a contributed Meshery design and the metadata that publishes it.

``catalog/designs/<slug>/`` holds ``design.yml`` (a Meshery design, v1beta1 or the legacy ``services:``
format), ``catalog.yml`` (:class:`CatalogMeta`), and optionally ``README.md`` and screenshots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DESIGN_TYPES = (
    "Deployment",
    "Observability",
    "Resiliency",
    "Scaling",
    "Security",
    "Traffic-management",
    "Troubleshooting",
    "Workloads",
)
V1BETA1 = "designs.meshery.io/v1beta1"
LEGACY = "legacy"
UNCATEGORIZED = "Uncategorized"  # the type of an entry whose catalog.yml names none
INACTIVE_STATUSES = frozenset({"deleted", "ignored", "rejected"})  # relationships Meshery keeps but voids


@dataclass(frozen=True)
class Maintainer:
    name: str
    email: str
    url: str = ""


@dataclass(frozen=True)
class Change:
    """One line of a version's change log (Artifact Hub's ``changes``)."""

    kind: str
    description: str


@dataclass(frozen=True)
class CatalogMeta:
    """What ``catalog.yml`` says about a design."""

    name: str
    version: str
    type: str
    technologies: tuple[str, ...]
    description: str
    maintainers: tuple[Maintainer, ...]
    license: str
    created_at: str
    caveats: str = ""
    keywords: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class DesignComponent:
    """A component instance in a design: which registry kind it is and what the design calls it."""

    id: str
    name: str
    kind: str
    api_version: str
    model: str
    model_version: str = ""
    namespace: str = ""
    annotation: bool = False  # a drawing element (comment, shape, picture), not something deployed


@dataclass(frozen=True)
class DesignRelationship:
    """A relationship between component instances of the design (by id), or a legacy ``dependsOn``."""

    id: str
    kind: str
    type: str
    sub_type: str
    status: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    index: int | None = None  # position in the file's ``relationships`` list, for line numbers


@dataclass
class Design:
    """A design file, normalised across the v1beta1 and legacy formats; ``raw`` is served for download.

    Once resolved against a registry, ``components`` are what the design deploys and ``annotations`` the
    drawing elements Kanvas adds; ``relationships`` are the live ones between components.
    """

    id: str
    name: str
    version: str
    format: str
    components: list[DesignComponent]
    relationships: list[DesignRelationship]
    source: Path
    raw: bytes
    annotations: list[DesignComponent] = field(default_factory=list)


@dataclass(frozen=True)
class Screenshot:
    filename: str
    data: bytes


@dataclass
class CatalogEntry:
    """One published design: metadata, the design, and the contributor's README and screenshots."""

    slug: str
    folder: Path
    meta: CatalogMeta
    design: Design
    readme: str = ""
    screenshots: tuple[Screenshot, ...] = ()


@dataclass
class Catalog:
    """Entries that passed validation, sorted by name; the rest were reported and left out."""

    entries: list[CatalogEntry] = field(default_factory=list)
