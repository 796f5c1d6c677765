"""Registry files for a model generated from CRDs: ``<model>/<version>/v1.0.0/model.json`` and
``components/<Kind>.json``, in the v1beta1 format the registry loader publishes unchanged.

Output is deterministic (no ids, times or random values), so generating again from the same source
produces the same bytes and the writer rewrites nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from meshdocs.loaders.crds import CrdScan, CrdVersion

NIL_UUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class ModelSettings:
    """What the CRDs do not say: the model's name, title, category and version (flags or Chart.yaml)."""

    name: str
    display_name: str
    version: str
    category: str = "Uncategorized"
    sub_category: str = "Uncategorized"
    description: str = ""
    source_uri: str = ""


def settings_for(scan: CrdScan, **flags: str | None) -> ModelSettings:
    """Flags first, then Chart.yaml, then the CRDs' own API group."""
    chart = scan.chart or {}
    group = scan.versions[0].group if scan.versions else "model"
    name = flags.get("name") or str(chart.get("name") or "") or group.split(".")[0]
    version = flags.get("version") or str(chart.get("version") or "")
    if not version:
        raise ValueError("no version: pass --version (there is no Chart.yaml to take it from)")
    sources = chart.get("sources") if isinstance(chart.get("sources"), list) else []
    return ModelSettings(
        name=_slug(name),
        display_name=flags.get("display_name") or _title(str(chart.get("name") or name)),
        version=version,
        category=flags.get("category") or "Uncategorized",
        sub_category=flags.get("sub_category") or "Uncategorized",
        description=str(chart.get("description") or ""),
        source_uri=str(chart.get("home") or (sources[0] if sources else "") or flags.get("source") or ""),
    )


def render_model(scan: CrdScan, settings: ModelSettings) -> dict[str, bytes]:
    """Every file of the generated model, by path relative to the registry root."""
    folder = f"{settings.name}/{settings.version}/v1.0.0/"
    model = _model(settings)
    files = {folder + "model.json": _dump(model)}
    by_kind: dict[str, list[CrdVersion]] = {}
    for crd in scan.versions:
        by_kind.setdefault(crd.kind, []).append(crd)
    for kind, versions in sorted(by_kind.items()):
        for crd in versions:
            name = kind if len(versions) == 1 else f"{kind}-{crd.version}"
            files[folder + f"components/{_file_name(name)}.json"] = _dump(_component(crd, model))
    return files


def _model(settings: ModelSettings) -> dict[str, Any]:
    return {
        "id": NIL_UUID,
        "schemaVersion": "models.meshery.io/v1beta1",
        "version": "v1.0.0",
        "name": settings.name,
        "displayName": settings.display_name,
        "description": settings.description,
        "status": "enabled",
        "registrant": {"kind": "meshdocs", "name": "meshdocs model generate"},
        "category": {"name": settings.category},
        "subCategory": settings.sub_category,
        "metadata": {"source_uri": settings.source_uri} if settings.source_uri else {},
        "model": {"version": settings.version},
    }


def _component(crd: CrdVersion, model: dict[str, Any]) -> dict[str, Any]:
    schema = json.dumps(crd.schema, indent=1, ensure_ascii=False) if crd.schema else ""
    return {
        "id": NIL_UUID,
        "schemaVersion": "components.meshery.io/v1beta1",
        "version": "v1.0.0",
        "displayName": _title(crd.kind),
        "description": crd.description,
        "format": "JSON",
        "model": model,
        "status": "enabled",
        "metadata": {
            "isNamespaced": crd.scope == "Namespaced",
            "genealogy": "",
            "isAnnotation": False,
            "published": False,
            "deprecated": crd.deprecated,
            "storage": crd.storage,
            "source_uri": crd.source,
        },
        "component": {"kind": crd.kind, "version": f"{crd.group}/{crd.version}", "schema": schema},
    }


def _dump(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "model"


def _title(text: str) -> str:
    """``ClusterIssuer`` → ``Cluster Issuer``; ``cert-manager`` → ``Cert Manager``."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text).replace("-", " ").replace("_", " ")
    return " ".join(w[:1].upper() + w[1:] for w in spaced.split())


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "component"
