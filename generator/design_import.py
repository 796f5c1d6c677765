"""Designs from what contributors already have: Kubernetes manifests, by path, URL or standard input.

Same pipeline as the site: read (manifests, through the bounded CRD/manifest scanner), resolve (each
object against the registry: kind, apiVersion, model, version), infer (relationships, the way Kubernetes
resolves them: :mod:`meshdocs.transforms.inference`), write (``design.yml`` and a ``catalog.yml``
skeleton that ``meshdocs validate`` then explains). Helm charts are refused: their templates need
values, and meshdocs never evaluates a template; ``helm template … | meshdocs design import -`` renders
them first. Output is deterministic: ids are UUIDv5 of what each object is.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from meshdocs.diagnostics import Report
from meshdocs.loaders.crds import Resource, scan
from meshdocs.loaders.fetch import FetchError, fetch, is_url
from meshdocs.loaders.files import MAX_FILE_BYTES
from meshdocs.loaders.values import mapping
from meshdocs.model.catalog import DESIGN_TYPES, V1BETA1, DesignComponent, DesignRelationship
from meshdocs.model.registry import Registry
from meshdocs.slugs import slugify
from meshdocs.transforms.inference import Inferred, K8sObject, infer

ID_NAMESPACE = uuid.UUID("6f1c6a52-3c1e-5b7e-9c57-6d6573686463")  # meshdocs' own: uuid5 of every import id
HELM_HINT = "helm template NAME CHART [-f values.yaml] | meshdocs design import -"
MAX_OBJECTS = 2000


class DesignImportError(Exception):
    """Nothing could be imported (no objects, a chart, an unreadable source): one line for the user."""


@dataclass
class Imported:
    """A design made from manifests: its components, the relationships inferred, and the files' text."""

    name: str
    objects: list[K8sObject]
    components: list[DesignComponent]
    relationships: list[Inferred]
    models: dict[str, str]  # id → model name
    versions: dict[str, str] = field(default_factory=dict)  # model name → version

    def design_relationships(self) -> list[DesignRelationship]:
        return [
            DesignRelationship(_rel_id(r), r.kind, r.type, r.sub_type, "approved", (r.source,), (r.target,))
            for r in self.relationships
        ]


def read_resources(sources: list[str], report: Report) -> list[Resource]:
    """Every Kubernetes object of ``sources`` (files, folders, ``-``, http(s) URLs), in source order."""
    found: list[Resource] = []
    with tempfile.TemporaryDirectory(prefix="meshdocs-import-") as tmp:
        for index, source in enumerate(sources):
            path = _local(source, Path(tmp) / str(index))
            result = scan(path, report)
            if result.chart is not None:
                raise DesignImportError(
                    f"{source} is a Helm chart: its templates need values, which meshdocs never evaluates; "
                    f"render it first: {HELM_HINT}"
                )
            templated = [s for s in result.skipped if "template not read" in s]
            if templated:
                raise DesignImportError(
                    f"{source} holds Go templates ({templated[0]}); render them first: {HELM_HINT}"
                )
            found += result.resources
    if not found:
        raise DesignImportError("no Kubernetes objects found in " + ", ".join(sources))
    if len(found) > MAX_OBJECTS:
        raise DesignImportError(f"{len(found):,} objects; a design holds at most {MAX_OBJECTS:,}")
    return found


def _local(source: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if source == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise DesignImportError(f"standard input is over {MAX_FILE_BYTES:,} bytes")
        path = folder / "stdin.yaml"
        path.write_bytes(data)
        return path
    if is_url(source):
        try:
            return fetch(source, folder)
        except FetchError as exc:
            raise DesignImportError(str(exc)) from None
    path = Path(source)
    if not path.exists():
        raise DesignImportError(f"no such file or folder: {source}")
    return path


def build(resources: list[Resource], registry: Registry, report: Report, name: str = "") -> Imported:
    """Objects resolved against the registry, and the relationships they state."""
    objects: list[K8sObject] = []
    components: list[DesignComponent] = []
    models: dict[str, str] = {}
    seen: set[str] = set()
    published = {m.name: m.version for m in registry.models}
    for resource in resources:
        data = resource.data
        kind = str(data.get("kind") or "")
        api_version = str(data.get("apiVersion") or "")
        metadata = mapping(data.get("metadata"))
        object_name = str(metadata.get("name") or "")
        namespace = str(metadata.get("namespace") or "")
        if not kind or not api_version or not object_name:
            report.warning(
                resource.source,
                "object without kind, apiVersion or metadata.name: left out",
                line=resource.line,
                field="metadata.name",
            )
            continue
        key = f"{api_version}/{kind}/{namespace}/{object_name}"
        if key in seen:
            report.warning(
                resource.source, f"{kind} {object_name} appears twice; the first is kept", line=resource.line
            )
            continue
        seen.add(key)
        ident = str(uuid.uuid5(ID_NAMESPACE, key))
        model = _model_of(kind, api_version, registry, report, resource)
        models[ident] = model
        objects.append(K8sObject(ident, kind, api_version, object_name, namespace, data))
        components.append(
            DesignComponent(ident, object_name, kind, api_version, model, published.get(model, ""), namespace)
        )
    definitions = [r for m in registry.models for r in m.relationships]
    inferred = infer(objects, definitions)
    title = name or _default_name(objects)
    used = {m for m in models.values() if m}
    return Imported(
        title, objects, components, inferred, models, {m: published.get(m, "") for m in sorted(used)}
    )


def _model_of(kind: str, api_version: str, registry: Registry, report: Report, resource: Resource) -> str:
    """The model that defines ``kind`` at ``api_version`` (Kubernetes' own first), else the closest."""
    exact = sorted(m for m, kinds in registry.known_kinds.items() if api_version in kinds.get(kind, ()))
    if exact:
        return "kubernetes" if "kubernetes" in exact else exact[0]
    by_kind = sorted(m for m, kinds in registry.known_kinds.items() if kind in kinds)
    if by_kind:
        model = "kubernetes" if "kubernetes" in by_kind else by_kind[0]
        served = ", ".join(sorted(registry.known_kinds[model][kind]))
        report.warning(
            resource.source,
            f"{kind} is in model '{model}' at {served}, not at {api_version}; the design names it anyway",
            line=resource.line,
            field="apiVersion",
        )
        return model
    group = api_version.split("/", 1)[0] if "/" in api_version else ""
    report.warning(
        resource.source,
        f"no model in the registry defines {kind} ({api_version}); generate one from its CRD with "
        f"`meshdocs model generate`, or add the model to the registry",
        line=resource.line,
        field="kind",
    )
    return "kubernetes" if not group or group.endswith(".k8s.io") else group


def _default_name(objects: list[K8sObject]) -> str:
    for kind in ("Namespace", *("Deployment", "StatefulSet", "DaemonSet", "Service")):
        for obj in objects:
            if obj.kind == kind:
                return obj.name
    return objects[0].name if objects else "imported-design"


def _rel_id(r: Inferred) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{r.kind}/{r.type}/{r.sub_type}/{r.source}/{r.target}"))


def design_document(imported: Imported) -> dict[str, Any]:
    """The v1beta1 design, as Meshery writes one; each object's manifest is its ``configuration``."""
    by_id = {o.id: o for o in imported.objects}
    components = []
    for comp in imported.components:
        obj = by_id[comp.id]
        configuration = {k: v for k, v in obj.data.items() if k not in ("apiVersion", "kind", "status")}
        components.append(
            {
                "id": comp.id,
                "displayName": comp.name,
                "component": {"kind": comp.kind, "version": comp.api_version, "schema": ""},
                "model": {
                    "name": comp.model,
                    "registrant": {"kind": "github"},
                    "model": {"version": comp.model_version},
                },
                "configuration": configuration,
            }
        )
    relationships = []
    for rel in imported.relationships:
        source, target = by_id[rel.source], by_id[rel.target]
        relationships.append(
            {
                "id": _rel_id(rel),
                "kind": rel.kind,
                "type": rel.type,
                "subType": rel.sub_type,
                "status": "approved",
                "selectors": [
                    {
                        "allow": {
                            "from": [_side(source, imported.models[source.id])],
                            "to": [_side(target, imported.models[target.id])],
                        },
                        "deny": {"from": [], "to": []},
                    }
                ],
            }
        )
    ids = sorted(c.id for c in imported.components)
    return {
        "id": str(uuid.uuid5(ID_NAMESPACE, "design/" + "/".join(ids))),
        "name": imported.name,
        "schemaVersion": V1BETA1,
        "version": "0.0.1",
        "metadata": {},
        "components": components,
        "relationships": relationships,
    }


def _side(obj: K8sObject, model: str) -> dict[str, Any]:
    return {"id": obj.id, "kind": obj.kind, "model": {"name": model}}


def dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def catalog_skeleton(imported: Imported, design_type: str = "Deployment") -> str:
    """A ``catalog.yml`` to finish by hand: what cannot be known from manifests is marked TODO."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    technologies = sorted(m for m in imported.versions if m)
    data = {
        "name": imported.name,
        "version": "0.0.1",
        "type": design_type,
        "technologies": technologies or ["kubernetes"],
        "description": "TODO: what this design deploys, and why someone would use it.",
        "maintainers": [{"name": "TODO", "email": "TODO"}],
        "license": "Apache-2.0",
        "createdAt": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    head = (
        "# Written by `meshdocs design import`. Finish what says TODO, then check it with\n"
        "# `meshdocs validate --strict <this folder>`. type is one of: " + ", ".join(DESIGN_TYPES) + ".\n"
    )
    return head + dump_yaml(data)


def write_entry(imported: Imported, out: Path) -> list[Path]:
    """``design.yml`` and ``catalog.yml`` into ``out``; refuses to overwrite an entry already there."""
    design, meta = out / "design.yml", out / "catalog.yml"
    existing = [p for p in (design, meta) if p.exists()]
    if existing:
        raise DesignImportError(f"{existing[0]} already exists; choose another --out or remove it")
    out.mkdir(parents=True, exist_ok=True)
    design.write_text(dump_yaml(design_document(imported)), encoding="utf-8")
    meta.write_text(catalog_skeleton(imported), encoding="utf-8")
    return [design, meta]


def snapshot(sources: list[str], registry: Registry, report: Report, title: str = "") -> str:
    """The topology picture of a design file, or of manifests as ``import`` would make them: one SVG file
    with its icons embedded (as images, which cannot run script or load anything)."""
    from meshdocs.layout.dot import LayoutEngine
    from meshdocs.loaders.design import load_design_doc
    from meshdocs.loaders.design_check import resolve_design
    from meshdocs.renderers.topology import render_topology
    from meshdocs.transforms.topology import Placed, design_graph

    design = None
    if len(sources) == 1 and Path(sources[0]).is_file():
        probe = Report(root=report.root)  # a manifest is not a design: its complaints would be noise
        loaded = load_design_doc(Path(sources[0]), probe)
        if loaded is not None:
            design = resolve_design(loaded[0], registry, report, doc=loaded[1])
    if design is not None:
        components, relationships, name = design.components, design.relationships, design.name
    else:
        imported = build(read_resources(sources, report), registry, report)
        components, relationships = imported.components, imported.design_relationships()
        name = imported.name
    icons = _embedded_icons(registry)
    placed = [Placed(c, icon=icons.get((c.model.lower(), c.kind.lower()))) for c in components]
    return render_topology(
        design_graph(placed, relationships),
        LayoutEngine(),
        title=title or f"Topology of {name or 'the design'}",
        id_prefix="mdx-snapshot",
    )


def _embedded_icons(registry: Registry) -> dict[tuple[str, str], str]:
    """Each kind's sanitised icon as a ``data:`` URL, for a picture that must stand alone."""
    import base64

    out: dict[tuple[str, str], str] = {}
    for model in registry.models:
        for comp in model.components:
            icon = comp.icon or model.icon
            if icon is not None:
                encoded = base64.b64encode(icon.svg.encode("utf-8")).decode("ascii")
                out[(model.name.lower(), comp.kind.lower())] = f"data:image/svg+xml;base64,{encoded}"
    return out


def default_folder(imported: Imported) -> Path:
    return Path("catalog") / "designs" / slugify(imported.name)
