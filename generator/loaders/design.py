"""Read a Meshery design file (v1beta1 ``components:`` or legacy ``services:``) into a :class:`Design`.

Designs are exported by Meshery and Kanvas, not written for us: what Meshery opens is read, and a field
that does not fit our schema is a warning (the page shows what is known). Only a file that is not a
design at all (unreadable, over the size limit, a git conflict, neither ``components`` nor ``services``)
is an error. Names are taken as written here; :mod:`meshdocs.loaders.design_check` resolves them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.files import DataDocument, DataError, load_data
from meshdocs.loaders.schema_check import check, load_schema
from meshdocs.loaders.values import items, mapping, text
from meshdocs.model.catalog import (
    INACTIVE_STATUSES,
    LEGACY,
    V1BETA1,
    Design,
    DesignComponent,
    DesignRelationship,
)

MAX_DESIGN = 8 * 1024 * 1024


def load_design_doc(path: Path, report: Report) -> tuple[Design, DataDocument] | None:
    """The design and its parsed document (for line numbers), or ``None`` when it is not a design."""
    try:
        doc = load_data(path, with_lines=True, max_bytes=MAX_DESIGN)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None
    data = doc.data
    if not isinstance(data, dict) or not (
        isinstance(data.get("components"), list) or isinstance(data.get("services"), dict)
    ):
        report.error(
            path,
            "not a Meshery design: expected a mapping with a list of 'components' (v1beta1) "
            "or a mapping of 'services' (legacy)",
            line=1,
        )
        return None
    for problem in check(doc, load_schema("design")):
        report.warning(path, problem.message, line=problem.line, field=problem.field)
    raw = path.read_bytes()
    if isinstance(data.get("services"), dict) and not isinstance(data.get("components"), list):
        return _legacy_design(data, path, raw), doc
    return _v1beta1_design(data, doc, raw, report), doc


def _v1beta1_design(data: dict[str, Any], doc: DataDocument, raw: bytes, report: Report) -> Design:
    components = []
    for item in items(data.get("components")):
        if not isinstance(item, dict):
            continue
        body, model = mapping(item.get("component")), mapping(item.get("model"))
        components.append(
            DesignComponent(
                id=text(item.get("id")),
                name=text(item.get("displayName")) or text(body.get("kind")),
                kind=text(body.get("kind")),
                api_version=text(body.get("version")),
                model=text(model.get("name")),
                model_version=text(mapping(model.get("model")).get("version")) or text(model.get("version")),
                namespace=text(mapping(mapping(item.get("configuration")).get("metadata")).get("namespace")),
                annotation=mapping(item.get("metadata")).get("isAnnotation") is True,
            )
        )
    relationships = [
        _relationship(item, index, doc, report)
        for index, item in enumerate(items(data.get("relationships")))
        if isinstance(item, dict)
    ]
    return Design(
        id=text(data.get("id")),
        name=text(data.get("name")),
        version=text(data.get("version")),
        format=V1BETA1,
        components=components,
        relationships=relationships,
        source=doc.path,
        raw=raw,
    )


def _relationship(item: dict[str, Any], index: int, doc: DataDocument, report: Report) -> DesignRelationship:
    status = text(item.get("status")).lower() or "approved"
    sources: list[str] = []
    targets: list[str] = []
    for s_index, selector in enumerate(items(item.get("selectors"))):
        allow = mapping(mapping(selector).get("allow"))
        for side, ends in (("from", sources), ("to", targets)):
            for e_index, end in enumerate(items(allow.get(side))):
                end = mapping(end)
                if text(end.get("id")):
                    ends.append(text(end.get("id")))
                if "kind" in end and not text(end.get("kind")) and status not in INACTIVE_STATUSES:
                    at = ("relationships", index, "selectors", s_index, "allow", side, e_index, "kind")
                    report.add(
                        Severity.WARNING,
                        doc.path,
                        "is empty; expected the kind of component this end selects, or '*' for any",
                        line=doc.line_of(at),
                        field=f"relationships[{index}].selectors[{s_index}].allow.{side}[{e_index}].kind",
                    )
    return DesignRelationship(
        id=text(item.get("id")),
        kind=text(item.get("kind")),
        type=text(item.get("type")),
        sub_type=text(item.get("subType")),
        status=status,
        sources=tuple(dict.fromkeys(sources)),
        targets=tuple(dict.fromkeys(targets)),
        index=index,
    )


def _legacy_design(data: dict[str, Any], path: Path, raw: bytes) -> Design:
    """``name`` + ``services``: ``type`` is a kind (``Deployment``, ``Pod.K8s``); ``dependsOn`` are edges."""
    components, relationships = [], []
    services = mapping(data.get("services"))
    for key in services:
        service = mapping(services[key])
        components.append(
            DesignComponent(
                id=str(key),
                name=text(service.get("name")) or str(key),
                kind=text(service.get("type")),
                api_version=text(service.get("apiVersion")),
                model=text(service.get("model")),
                model_version=text(service.get("version")),
                namespace=text(service.get("namespace")),
            )
        )
        for target in items(service.get("dependsOn")):
            if text(target):
                relationships.append(
                    DesignRelationship(
                        f"{key}->{target}",
                        "edge",
                        "dependency",
                        "dependsOn",
                        "approved",
                        (str(key),),
                        (text(target),),
                    )
                )
    return Design(
        id="",
        name=text(data.get("name")),
        version=text(data.get("version")),
        format=LEGACY,
        components=components,
        relationships=relationships,
        source=path,
        raw=raw,
    )
