"""Models, components and relationships as read from a Meshery registry, normalised across formats.

The 2024 (v1beta1/v1alpha3) and 2025-26 (v1beta2) formats, snake_case and camelCase spellings and the
model copies inside every component all land in these few classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

UNCATEGORIZED = "Uncategorized"


@dataclass(frozen=True)
class Icon:
    """A sanitised SVG, addressed by the hash of its content so repeated icons are written once."""

    svg: str
    digest: str

    @property
    def filename(self) -> str:
        return f"{self.digest}.svg"


@dataclass
class Component:
    """One kind a model defines (a Kubernetes resource or a Meshery-native component)."""

    kind: str
    api_version: str
    display_name: str
    description: str
    model_name: str
    model_version: str
    status: str
    namespaced: bool | None
    schema_text: str  # the JSON Schema as the registry stores it
    source: Path
    schema_version: str
    icon: Icon | None = None
    schema_digest: str = ""  # content hash of schema_text
    schema_problem: str | None = None  # why schema_text is unusable, as reported when it was read


@dataclass(frozen=True)
class SelectorEntry:
    """One side of a relationship selector: which model and kind, how they match and what is patched."""

    kind: str
    model: str
    match: str = ""
    patch: str = ""
    # The match as data, for evaluating it: (side, the kind it names or "self", its ref paths).
    refs: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...] = ()


@dataclass(frozen=True)
class Selector:
    """An allow/deny pair of from → to lists, as Meshery's relationship selectors are written."""

    allow_from: tuple[SelectorEntry, ...] = ()
    allow_to: tuple[SelectorEntry, ...] = ()
    deny_from: tuple[SelectorEntry, ...] = ()
    deny_to: tuple[SelectorEntry, ...] = ()


@dataclass
class Relationship:
    """How components of this or other models relate (edge, hierarchical, sibling ...)."""

    kind: str
    type: str
    sub_type: str
    description: str
    model_name: str
    model_version: str
    status: str
    selectors: tuple[Selector, ...]
    source: Path
    schema_version: str

    @property
    def title(self) -> str:
        parts = [p for p in (self.kind, self.type, self.sub_type) if p]
        return " / ".join(parts) or "relationship"

    def endpoints(self) -> tuple[list[str], list[str]]:
        """Kinds on the from and to sides (allow lists), for a one-line summary."""
        froms = sorted({e.kind for s in self.selectors for e in s.allow_from if e.kind})
        tos = sorted({e.kind for s in self.selectors for e in s.allow_to if e.kind})
        return froms, tos


@dataclass
class Connection:
    """A connection definition (2025+ registries), shown on its model's page."""

    name: str
    kind: str
    type: str
    sub_type: str
    description: str
    source: Path


@dataclass(frozen=True)
class VersionSummary:
    """A version of a model that is not the published one: listed on the model page."""

    version: str
    components: int
    relationships: int


@dataclass
class Model:
    """The published (newest) version of a model with everything it defines."""

    name: str
    display_name: str
    description: str
    version: str
    category: str
    sub_category: str
    registrant: str
    source_uri: str
    status: str
    schema_version: str
    source: Path
    icon: Icon | None = None
    components: list[Component] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    other_versions: list[VersionSummary] = field(default_factory=list)


@dataclass
class Registry:
    """All published models, sorted by name; the input to every registry renderer."""

    models: list[Model] = field(default_factory=list)
    definitions: int = 0  # model, component, relationship and connection files read, published or not
    known_kinds: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    """Every model → kind → apiVersions defined in any version or status: what designs may refer to."""
    annotation_kinds: dict[str, set[str]] = field(default_factory=dict)
    """Model → its kinds marked ``isAnnotation``: drawing elements (comments, shapes), not technologies."""
    older: dict[str, list[Model]] = field(default_factory=dict)
    """Model name → its older defined versions, newest first (loaded with ``all_versions``)."""

    def versions_of(self, model: Model) -> list[Model]:
        """Every published version of ``model``'s name, newest first (``model`` may be any of them)."""
        newest = next((m for m in self.models if m.name == model.name), model)
        return [newest, *self.older.get(model.name, [])]

    def is_annotation(self, model: str, kind: str) -> bool:
        return kind in self.annotation_kinds.get(model, ())

    def annotation_models(self) -> set[str]:
        """Models every kind of which is an annotation (``meshery-shapes``; AWS's architecture icons)."""
        return {
            name
            for name, kinds in self.annotation_kinds.items()
            if kinds and kinds >= set(self.known_kinds.get(name, ()))
        }

    def component_count(self) -> int:
        return sum(len(m.components) for m in self.models)

    def relationship_count(self) -> int:
        return sum(len(m.relationships) for m in self.models)
