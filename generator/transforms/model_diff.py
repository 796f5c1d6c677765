"""What changed between two versions of a model: components added, removed and changed (with their
schema diffs), relationships added and removed. The site's "what changed" pages, each component's
"Changes" section and ``meshdocs diff`` all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meshdocs.model.registry import Component, Model, Relationship
from meshdocs.transforms.schema_diff import SchemaDiff, diff_schema_texts


@dataclass
class ComponentDiff:
    old: Component
    new: Component
    schema: SchemaDiff

    @property
    def breaking(self) -> int:
        return len(self.schema.breaking)


@dataclass
class ModelDiff:
    old: Model
    new: Model
    added: list[Component] = field(default_factory=list)
    removed: list[Component] = field(default_factory=list)
    changed: list[ComponentDiff] = field(default_factory=list)
    relationships_added: list[str] = field(default_factory=list)
    relationships_removed: list[str] = field(default_factory=list)

    def component_diff(self, old: Component, new: Component) -> SchemaDiff:
        """The schema diff of ``old`` → ``new``: the one computed here when this diff holds the pair."""
        found = next((c.schema for c in self.changed if c.old is old and c.new is new), None)
        return found if found is not None else diff_component(old, new)

    @property
    def breaking(self) -> int:
        """Breaking changes: every removed component, and every breaking schema change."""
        return len(self.removed) + sum(c.breaking for c in self.changed)

    def to_data(self) -> dict[str, object]:
        return {
            "model": self.new.name,
            "from": self.old.version,
            "to": self.new.version,
            "breaking": self.breaking,
            "componentsAdded": [_key(c) for c in self.added],
            "componentsRemoved": [_key(c) for c in self.removed],
            "componentsChanged": [
                {**_key(c.new), "changes": [ch.to_data() for ch in c.schema.changes]} for c in self.changed
            ],
            "relationshipsAdded": self.relationships_added,
            "relationshipsRemoved": self.relationships_removed,
        }


def _key(comp: Component) -> dict[str, str]:
    return {"kind": comp.kind, "apiVersion": comp.api_version}


def counterpart(comp: Component, model: Model) -> Component | None:
    """The same component in another version: same kind and apiVersion, else the kind's only entry."""
    same = [c for c in model.components if c.kind == comp.kind]
    exact = next((c for c in same if c.api_version == comp.api_version), None)
    return exact or (same[0] if len(same) == 1 else None)


def diff_component(old: Component, new: Component) -> SchemaDiff:
    if old.schema_digest and old.schema_digest == new.schema_digest:
        return SchemaDiff()
    return diff_schema_texts(old.schema_text, new.schema_text)


def relationship_title(rel: Relationship) -> str:
    froms, tos = rel.endpoints()
    return f"{rel.title}: {', '.join(froms) or '*'} → {', '.join(tos) or '*'}"


def diff_models(old: Model, new: Model) -> ModelDiff:
    result = ModelDiff(old, new)
    matched: set[int] = set()
    for comp in new.components:
        before = counterpart(comp, old)
        if before is None or id(before) in matched:
            result.added.append(comp)
            continue
        matched.add(id(before))
        schema = diff_component(before, comp)
        if schema.changes:
            result.changed.append(ComponentDiff(before, comp, schema))
    result.removed = [c for c in old.components if id(c) not in matched]
    result.changed.sort(key=lambda c: (-c.breaking, c.new.kind.lower(), c.new.api_version))
    old_rels = {relationship_title(r) for r in old.relationships}
    new_rels = {relationship_title(r) for r in new.relationships}
    result.relationships_added = sorted(new_rels - old_rels)
    result.relationships_removed = sorted(old_rels - new_rels)
    return result
