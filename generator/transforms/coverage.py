"""Relationship coverage: which Kubernetes kinds the registry's relationships name, and how.

Meshery's roadmap tracks "relationship coverage for all Kubernetes components". A kind counts as covered
when at least one relationship, of any model, names it explicitly on either side of an allow selector;
relationships whose side is a wildcard (``*``) apply to every kind and are counted apart, not as coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meshdocs.model.registry import Component, Model, Registry, Relationship

KUBERNETES = "kubernetes"
ANY = ("", "*")


@dataclass(frozen=True)
class CoverageColumn:
    kind: str
    type: str
    sub_type: str

    @property
    def key(self) -> str:
        return "/".join(p or "-" for p in (self.kind, self.type, self.sub_type))


@dataclass
class Coverage:
    """Kubernetes kinds (rows) × relationship kind/type/sub-type (columns), with the relationships."""

    model: Model | None
    columns: list[CoverageColumn] = field(default_factory=list)
    cells: dict[tuple[str, CoverageColumn], list[tuple[Model, Relationship]]] = field(default_factory=dict)
    wildcards: int = 0  # relationships naming Kubernetes only through a wildcard kind

    @property
    def kinds(self) -> list[Component]:
        return sorted(self.model.components, key=lambda c: c.kind.lower()) if self.model else []

    def count(self, comp: Component, column: CoverageColumn) -> int:
        return len(self.cells.get((comp.kind.lower(), column), []))

    def total(self, comp: Component) -> int:
        return sum(self.count(comp, column) for column in self.columns)

    @property
    def covered(self) -> int:
        return sum(1 for comp in self.kinds if self.total(comp))

    @property
    def percent(self) -> float:
        kinds = len(self.kinds)
        return round(100.0 * self.covered / kinds, 1) if kinds else 0.0

    def to_data(self) -> dict[str, object]:
        """The figures as ``registry.json`` carries them under ``coverage.kubernetes``."""
        return {
            "model": self.model.name if self.model else None,
            "kinds": len(self.kinds),
            "kindsWithRelationships": self.covered,
            "percent": self.percent,
            "wildcardRelationships": self.wildcards,
            "columns": [c.key for c in self.columns],
            "byKind": {
                comp.kind: {c.key: self.count(comp, c) for c in self.columns if self.count(comp, c)}
                for comp in self.kinds
                if self.total(comp)
            },
        }


def relationship_coverage(registry: Registry) -> Coverage:
    """Coverage of the published Kubernetes model's kinds by every model's relationships."""
    model = next((m for m in registry.models if m.name.lower() == KUBERNETES), None)
    coverage = Coverage(model)
    if model is None:
        return coverage
    known = {c.kind.lower() for c in model.components}
    columns: set[CoverageColumn] = set()
    for owner in registry.models:
        for rel in owner.relationships:
            named: set[str] = set()
            wildcard = False
            for selector in rel.selectors:
                for entry in (*selector.allow_from, *selector.allow_to):
                    if entry.model.lower() not in (KUBERNETES, *ANY):
                        continue
                    if entry.kind in ANY:
                        wildcard = entry.model.lower() == KUBERNETES
                    elif entry.kind.lower() in known:
                        named.add(entry.kind.lower())
            if wildcard and not named:
                coverage.wildcards += 1
            if not named:
                continue
            column = CoverageColumn(rel.kind, rel.type, rel.sub_type)
            columns.add(column)
            for kind in sorted(named):
                coverage.cells.setdefault((kind, column), []).append((owner, rel))
    coverage.columns = sorted(columns, key=lambda c: (c.kind.lower(), c.type.lower(), c.sub_type.lower()))
    return coverage
