"""Write catalog entries for tests: a valid one against the embedded registry, then break one thing."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from meshdocs.slugs import slugify

NAMESPACE_ID = "11111111-1111-4111-8111-111111111111"
DEPLOYMENT_ID = "22222222-2222-4222-8222-222222222222"
SERVICE_ID = "33333333-3333-4333-8333-333333333333"

VALID_META: dict[str, Any] = {
    "name": "Web Shop",
    "version": "1.2.0",
    "type": "Deployment",
    "technologies": ["kubernetes"],
    "description": "A web shop front end behind a Service.",
    "caveats": "Needs a default StorageClass.",
    "maintainers": [{"name": "Ada Lovelace", "email": "ada@example.org"}],
    "license": "Apache-2.0",
    "createdAt": "2026-03-14T09:30:00Z",
    "keywords": ["shop", "web"],
    "changes": [{"kind": "added", "description": "A Service in front of the shop"}],
}


def component(id_: str, name: str, kind: str, api_version: str, model: str = "kubernetes") -> dict[str, Any]:
    return {
        "id": id_,
        "displayName": name,
        "component": {"kind": kind, "version": api_version, "schema": ""},
        "model": {"name": model, "registrant": {"kind": "github"}, "model": {"version": "v1.30.2"}},
        "configuration": {"metadata": {"name": name, "namespace": "shop"}},
    }


def relationship(id_: str, source: str, target: str, sub_type: str = "network") -> dict[str, Any]:
    return {
        "id": id_,
        "kind": "edge",
        "type": "non-binding",
        "subType": sub_type,
        "status": "approved",
        "selectors": [
            {
                "allow": {
                    "from": [{"id": source, "kind": "Service", "model": {"name": "kubernetes"}}],
                    "to": [{"id": target, "kind": "Deployment", "model": {"name": "kubernetes"}}],
                },
                "deny": {"from": [], "to": []},
            }
        ],
    }


VALID_DESIGN: dict[str, Any] = {
    "id": "44444444-4444-4444-8444-444444444444",
    "name": "Web Shop",
    "schemaVersion": "designs.meshery.io/v1beta1",
    "version": "0.0.1",
    "metadata": {},
    "components": [
        component(NAMESPACE_ID, "shop", "Namespace", "v1"),
        component(DEPLOYMENT_ID, "web", "Deployment", "apps/v1"),
        component(SERVICE_ID, "web-svc", "Service", "v1"),
    ],
    "relationships": [relationship("55555555-5555-4555-8555-555555555555", SERVICE_ID, DEPLOYMENT_ID)],
}


def write_entry(
    root: Path,
    meta: dict[str, Any] | None = None,
    design: dict[str, Any] | str | None = None,
    *,
    slug: str | None = None,
    readme: str | None = None,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """``root/<slug>/{catalog.yml, design.yml, ...}``; ``meta`` and ``design`` default to valid ones."""
    meta = copy.deepcopy(VALID_META) if meta is None else meta
    design = copy.deepcopy(VALID_DESIGN) if design is None else design
    folder = root / (slug or slugify(str(meta.get("name", "entry"))))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalog.yml").write_text(yaml.safe_dump(meta, sort_keys=False))
    text = design if isinstance(design, str) else yaml.safe_dump(design, sort_keys=False)
    (folder / "design.yml").write_text(text)
    if readme is not None:
        (folder / "README.md").write_text(readme)
    for name, data in (extra or {}).items():
        (folder / name).write_bytes(data)
    return folder


def meta_with(**changes: Any) -> dict[str, Any]:
    meta = copy.deepcopy(VALID_META)
    for key, value in changes.items():
        if value is None:
            meta.pop(key, None)
        else:
            meta[key] = value
    return meta
