"""Resolve a design against a registry: what each component is, and which relationships still hold.

JSON Schema cannot say whether ``Pod.K8s`` of ``meshery`` exists; the registry can. Names are read
through the alias table (:mod:`meshdocs.model.aliases`), an empty apiVersion is taken from the registry
when the model and kind allow only one, and drawing elements (annotations) are set apart from what the
design deploys. Everything Meshery itself opens is published: an unknown model or kind is a warning and
its row is shown without a link; an annotation kind this registry lacks is only a notice. Relationships
that Meshery voided (``status: deleted``) are ignored; one whose end is not in the design is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.files import DataDocument
from meshdocs.loaders.values import closest, did_you_mean
from meshdocs.model.aliases import ANNOTATION_MODELS, model_alias, split_legacy_kind
from meshdocs.model.catalog import INACTIVE_STATUSES, V1BETA1, Design, DesignComponent
from meshdocs.model.registry import Registry

_V1_FIELDS = {"model": ("model", "name"), "kind": ("component", "kind"), "version": ("component", "version")}
_LEGACY_FIELDS = {"model": ("model",), "kind": ("type",), "version": ("apiVersion",)}
_LEGACY_DEFAULT_MODEL = "kubernetes"  # a legacy service without a model is a Kubernetes kind


@dataclass(frozen=True)
class _Finding:
    severity: Severity
    key: str  # which field: model, kind or version
    message: str


def resolve_design(
    design: Design, registry: Registry, report: Report, doc: DataDocument | None = None
) -> Design:
    """The design with components resolved and set apart from annotations, and live relationships only."""
    v1 = design.format == V1BETA1

    def line(*key: str | int) -> int | None:
        return doc.line_of(key) if doc is not None else None

    components: list[DesignComponent] = []
    annotations: list[DesignComponent] = []
    seen: dict[str, int] = {}
    for index, written in enumerate(design.components):
        at: tuple[str | int, ...] = ("components", index) if v1 else ("services", written.id)
        field = f"components[{index}]" if v1 else f"services.{written.id}"
        if written.id and written.id in seen:  # Meshery opens it: both rows are shown
            report.warning(
                design.source,
                f"id '{written.id}' is used by component {seen[written.id]} too; ids must be unique "
                "(relationships cannot tell the two apart)",
                line=line(*at, "id"),
                field=f"{field}.id",
            )
        seen.setdefault(written.id, index)
        comp, findings = _resolve_component(written, registry, legacy=not v1)
        for finding in findings:
            where = (_V1_FIELDS if v1 else _LEGACY_FIELDS)[finding.key]
            report.add(
                finding.severity,
                design.source,
                finding.message,
                line=line(*at, *where),
                field=".".join((field, *where)),
            )
        (annotations if comp.annotation else components).append(comp)
    drawn = {c.id for c in annotations}
    known = {c.id for c in components}
    relationships = []
    rel_ids: set[str] = set()
    for position, rel in enumerate(design.relationships):
        if rel.status in INACTIVE_STATUSES:
            continue  # Meshery keeps voided relationships in the file; they relate nothing
        index = rel.index if rel.index is not None else position
        field = f"relationships[{index}]" if v1 else f"services.{rel.sources[0]}.dependsOn"
        ends = (*rel.sources, *rel.targets)
        if any(end in drawn for end in ends):
            continue  # a connector between drawing elements, not a relationship between components
        if rel.id and rel.id in rel_ids:
            report.warning(design.source, f"relationship id '{rel.id}' is used twice", field=f"{field}.id")
        rel_ids.add(rel.id)
        missing = [end for end in ends if end not in known]
        if missing:
            hint = closest(missing[0], sorted(known))
            report.warning(
                design.source,
                f"points at component '{missing[0]}', which is not in this design (left behind when it "
                "was deleted?); the relationship is left off the page and the picture"
                + (f"; did you mean '{hint}'?" if hint else ""),
                line=line("relationships", index) if v1 else line("services", rel.sources[0], "dependsOn"),
                field=f"{field}.selectors" if v1 else field,
            )
            continue
        relationships.append(rel)
    return replace(design, components=components, annotations=annotations, relationships=relationships)


def _resolve_component(
    comp: DesignComponent, registry: Registry, *, legacy: bool
) -> tuple[DesignComponent, list[_Finding]]:
    """The component as the registry names it, and what a contributor should hear about it."""
    findings: list[_Finding] = []
    kind, model = comp.kind, comp.model
    if legacy:
        split = split_legacy_kind(kind, model)
        kind, model = split.kind, split.model or _LEGACY_DEFAULT_MODEL
    if not kind or not model:
        return replace(comp, kind=kind, model=model), findings  # the schema check has reported it
    models = {name.lower(): name for name in registry.known_kinds}
    found = models.get(model.lower())
    if found is None:
        alias = model_alias(model, set(models))
        if alias is not None:
            found = models[alias.lower()]
            findings.append(
                _Finding(Severity.NOTICE, "model", f"'{model}' is an older name of '{found}'; read as that")
            )
    annotation = comp.annotation
    if found is None:
        annotation = annotation or model.lower() in ANNOTATION_MODELS
        hint = did_you_mean(closest(model, sorted(registry.known_kinds)))
        message = f"model '{model}' is not in the registry{hint}; its components are shown without a link"
        findings.append(_unknown("model", message, annotation))
        return replace(comp, kind=kind, model=model, annotation=annotation), findings
    kinds = registry.known_kinds[found]
    match = _kind(kind, kinds)
    if match is None and not legacy:
        split = split_legacy_kind(kind, "")
        base = _kind(split.kind, kinds) if split.kind != kind else None
        if base is not None:
            findings.append(
                _Finding(Severity.NOTICE, "kind", f"'{kind}' is the older name of '{base}'; read as that")
            )
            match = base
    annotation = (
        annotation
        or registry.is_annotation(found, match or "")
        or (match is None and found.lower() in ANNOTATION_MODELS)
    )
    if match is None and not annotation:
        moved = _model_defining(kind, comp.api_version, registry)
        if moved is not None and moved != found:  # the kind was registered under another model since
            findings.append(
                _Finding(
                    Severity.NOTICE,
                    "model",
                    f"'{kind}' ({comp.api_version}) is a component of model '{moved}', not '{found}'; "
                    "read as that",
                )
            )
            found, kinds = moved, registry.known_kinds[moved]
            match = _kind(kind, kinds)
    if match is None:
        hint = did_you_mean(closest(kind, sorted(kinds)))
        message = f"model '{found}' has no component '{kind}' in this registry{hint}; shown without a link"
        findings.append(_unknown("kind", message, annotation))
        return replace(comp, kind=kind, model=found, annotation=annotation), findings
    api_version = comp.api_version
    versions = sorted(v for v in kinds[match] if v)
    if not api_version:
        if len(versions) == 1:
            api_version = versions[0]
        elif versions:
            findings.append(
                _Finding(
                    Severity.WARNING,
                    "version",
                    f"is empty, and '{match}' of model '{found}' is {', '.join(versions)} in the registry; "
                    "write the one this design uses",
                )
            )
    elif versions and api_version not in versions:
        listed = ", ".join(versions)
        findings.append(
            _Finding(
                Severity.WARNING,
                "version",
                f"'{match}' of model '{found}' is {listed} in the registry, not '{api_version}'",
            )
        )
    resolved = replace(comp, kind=match, model=found, api_version=api_version, annotation=annotation)
    return resolved, findings


def _model_defining(kind: str, api_version: str, registry: Registry) -> str | None:
    """The one model that defines ``kind`` at ``api_version`` (a kind another model holds now), if any."""
    if not api_version:
        return None
    lowered = kind.lower()
    owners = sorted(
        model
        for model, kinds in registry.known_kinds.items()
        if any(k.lower() == lowered and api_version in versions for k, versions in kinds.items())
    )
    return owners[0] if len(owners) == 1 else None


def _unknown(key: str, message: str, annotation: bool) -> _Finding:
    """A name the registry lacks: a warning, only a notice for a drawing element of a newer registry."""
    return _Finding(Severity.NOTICE if annotation else Severity.WARNING, key, message)


def _kind(kind: str, kinds: dict[str, set[str]]) -> str | None:
    lowered = kind.lower()
    return next((k for k in sorted(kinds) if k.lower() == lowered), None)
