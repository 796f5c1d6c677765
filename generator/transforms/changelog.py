"""The registry changelog: what changed since the last published build, one entry per build that changed it.

Each build publishes ``registry-digests.json`` (every newest model's version, its components' schema
digests and its relationships) beside ``registry.json``. The next build compares the registry it publishes
with that index: models and components added, removed, updated, breaking changes flagged (a removal
always; a schema change when the older version is still in the registry to compare with, and marked
"schema changed" otherwise). An entry is appended only when something changed, so a rebuild of the same
input changes nothing; the entry's id is the hash of its content, so the same two inputs give the same
entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from meshdocs.loaders.values import mapping
from meshdocs.model.registry import Model, Registry
from meshdocs.transforms.model_diff import counterpart, diff_component, relationship_title

MAX_ENTRIES = 500  # the history kept in changelog.json and the feed


def component_key(kind: str, api_version: str) -> str:
    return f"{kind} {api_version}".strip()


def digest_index(registry: Registry) -> dict[str, Any]:
    """What the next build compares with: per model, its version, component digests and relationships."""
    return {
        "format": 1,
        "models": {
            m.name: {
                "version": m.version,
                "components": {component_key(c.kind, c.api_version): c.schema_digest for c in m.components},
                "relationships": sorted(relationship_title(r) for r in m.relationships),
            }
            for m in registry.models
        },
    }


@dataclass
class Entry:
    date: str
    models_added: list[dict[str, str]] = field(default_factory=list)
    models_removed: list[dict[str, str]] = field(default_factory=list)
    models_updated: list[dict[str, Any]] = field(default_factory=list)

    @property
    def breaking(self) -> int:
        return len(self.models_removed) + sum(int(m["breaking"]) for m in self.models_updated)

    @property
    def empty(self) -> bool:
        return not (self.models_added or self.models_removed or self.models_updated)

    def to_data(self) -> dict[str, Any]:
        body = {
            "modelsAdded": self.models_added,
            "modelsRemoved": self.models_removed,
            "modelsUpdated": self.models_updated,
            "breaking": self.breaking,
        }
        ident = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
        return {"id": ident, "date": self.date, **body}


def changelog_entry(previous: dict[str, Any], registry: Registry, date: str) -> Entry:
    """The changes from the ``previous`` digest index to ``registry``."""
    entry = Entry(date)
    before = mapping(previous.get("models"))
    now = {m.name: m for m in registry.models}
    for name in sorted(set(before) | set(now), key=str.lower):
        old = before.get(name) if isinstance(before.get(name), dict) else None
        model = now.get(name)
        if old is None and model is not None:
            entry.models_added.append({"name": name, "version": model.version})
        elif model is None and old is not None:
            entry.models_removed.append({"name": name, "version": str(old.get("version", ""))})
        elif model is not None and old is not None:
            update = _model_update(old, model, registry)
            if update is not None:
                entry.models_updated.append(update)
    return entry


def _model_update(old: dict[str, Any], model: Model, registry: Registry) -> dict[str, Any] | None:
    old_version = str(old.get("version", ""))
    old_components = mapping(old.get("components"))
    now = {component_key(c.kind, c.api_version): c for c in model.components}
    added = sorted(set(now) - set(old_components))
    removed = sorted(set(old_components) - set(now))
    previous_model = next((m for m in registry.versions_of(model)[1:] if m.version == old_version), None)
    updated: list[dict[str, Any]] = []
    for key in sorted(set(now) & set(old_components)):
        if now[key].schema_digest == old_components[key]:
            continue
        breaking: int | None = None
        if previous_model is not None:
            before = counterpart(now[key], previous_model)
            if before is not None and before.schema_digest == old_components[key]:
                breaking = len(diff_component(before, now[key]).breaking)
        updated.append({"component": key, "breaking": breaking})
    old_rels = set(old.get("relationships") or [])
    new_rels = {relationship_title(r) for r in model.relationships}
    if old_version == model.version and not (added or removed or updated or old_rels != new_rels):
        return None
    return {
        "name": model.name,
        "from": old_version,
        "to": model.version,
        "componentsAdded": added,
        "componentsRemoved": removed,
        "componentsUpdated": updated,
        "relationshipsAdded": sorted(new_rels - old_rels),
        "relationshipsRemoved": sorted(old_rels - new_rels),
        "breaking": len(removed) + sum(u["breaking"] or 0 for u in updated),
    }


def history(previous: dict[str, Any], entry: Entry | None) -> list[dict[str, Any]]:
    """The published history with ``entry`` (if any) first; unreadable old entries are dropped."""
    found = previous.get("entries")
    old: list[Any] = found if isinstance(found, list) else []
    kept = [
        e
        for e in old
        if isinstance(e, dict) and isinstance(e.get("id"), str) and isinstance(e.get("date"), str)
    ]
    if entry is not None and not entry.empty:
        data = entry.to_data()
        if not kept or kept[0].get("id") != data["id"]:
            kept.insert(0, data)
    return kept[:MAX_ENTRIES]
