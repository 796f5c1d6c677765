"""Read and check catalog entries: ``catalog/designs/<slug>/{design.yml, catalog.yml, README.md}``.

Submissions come from strangers by pull request, so every check reports every problem it finds, with
the file, the line and the field, and what would be accepted; an entry with errors is not published,
and the rest of the catalog still is.
"""

from __future__ import annotations

import difflib
import functools
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from license_expression import ExpressionError, get_spdx_licensing

from generator.diagnostics import Report, Severity
from generator.loaders.files import DataDocument, DataError, load_data, read_text
from generator.loaders.images import raster_problem
from generator.loaders.schema_check import check, load_schema
from generator.model.catalog import (
    LEGACY,
    V1BETA1,
    CatalogEntry,
    CatalogMeta,
    Change,
    Design,
    DesignComponent,
    DesignRelationship,
    Maintainer,
    Screenshot,
)
from generator.model.catalog import Catalog as CatalogModel
from generator.model.registry import Registry
from generator.slugs import slugify

CATALOG_FILES = ("catalog.yml", "catalog.yaml")
DESIGN_FILES = ("design.yml", "design.yaml", "design.json")
README_FILE = "README.md"
SCREENSHOT_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
MAX_SCREENSHOT = 2 * 1024 * 1024
MAX_README = 256 * 1024
MAX_DESIGN = 8 * 1024 * 1024
INACTIVE = {"deleted", "ignored", "rejected"}


def is_entry(folder: Path) -> bool:
    return folder.is_dir() and any((folder / n).is_file() for n in (*CATALOG_FILES, *DESIGN_FILES))


def load_catalog(root: Path, registry: Registry, report: Report) -> CatalogModel:
    """Every entry folder below ``root`` (one level), checked; only entries without errors are kept."""
    catalog = CatalogModel()
    if not root.is_dir():
        report.error(root, "catalog folder does not exist or is not a folder")
        return catalog
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        entry = load_entry(folder, registry, report)
        if entry is not None:
            catalog.entries.append(entry)
    catalog.entries.sort(key=lambda e: (e.meta.name.lower(), e.slug))
    return catalog


def load_entry(folder: Path, registry: Registry, report: Report) -> CatalogEntry | None:
    """One entry, or ``None`` when it has errors (all of them reported)."""
    errors_before = report.errors
    catalog_path = _first(folder, CATALOG_FILES)
    design_path = _first(folder, DESIGN_FILES)
    if catalog_path is None:
        report.error(
            folder / CATALOG_FILES[0],
            "missing: every catalog entry needs a catalog.yml (see CONTRIBUTING.md)",
        )
    if design_path is None:
        report.error(
            folder / DESIGN_FILES[0], "missing: every catalog entry needs a design.yml (the Meshery design)"
        )
    loaded_meta = _load_meta(catalog_path, folder, report) if catalog_path else None
    loaded_design = _load_design_doc(design_path, report) if design_path else None
    meta = loaded_meta[0] if loaded_meta else None
    design = loaded_design[0] if loaded_design else None
    if loaded_meta is not None:
        _check_technologies(*loaded_meta, registry, report)
    if loaded_design is not None:
        check_design(loaded_design[0], registry, report, doc=loaded_design[1])
        if loaded_meta is not None:
            _check_technologies_used(loaded_meta[0], loaded_design[0], loaded_meta[1].path, report)
    readme = _readme(folder, report)
    screenshots = _screenshots(folder, report)
    if report.errors > errors_before or meta is None or design is None:
        return None
    return CatalogEntry(folder.name, folder, meta, design, readme, screenshots)


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def _load_doc(path: Path, report: Report, max_bytes: int = MAX_DESIGN) -> DataDocument | None:
    try:
        return load_data(path, with_lines=True, max_bytes=max_bytes)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None


def _report_schema(doc: DataDocument, schema: str, report: Report) -> int:
    problems = check(doc, load_schema(schema))
    for p in problems:
        report.error(doc.path, p.message, line=p.line, field=p.field)
    return len(problems)


def _load_meta(path: Path, folder: Path, report: Report) -> tuple[CatalogMeta, DataDocument] | None:
    doc = _load_doc(path, report, max_bytes=256 * 1024)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        report.error(path, "expected a mapping of fields (name, version, type ...)", line=1)
        return None
    _report_schema(doc, "catalog", report)
    data = doc.data
    name = _s(data.get("name"))
    if name and slugify(name) != folder.name:
        report.error(
            path,
            f"the folder is '{folder.name}' but the name '{name}' gives '{slugify(name)}'; "
            f"rename the folder to '{slugify(name)}' or change the name",
            line=doc.line_of(("name",)),
            field="name",
        )
    created = _s(data.get("createdAt"))
    if created and _RFC3339.match(created) and not _real_time(created):
        report.error(
            path,
            f"'{created}' is not a real date and time",
            line=doc.line_of(("createdAt",)),
            field="createdAt",
        )
    license_text = _s(data.get("license"))
    if license_text:
        problem = _license_problem(license_text)
        if problem:
            report.error(path, problem, line=doc.line_of(("license",)), field="license")
    maintainers = tuple(
        Maintainer(_s(m.get("name")), _s(m.get("email")), _s(m.get("url")))
        for m in _list(data.get("maintainers"))
        if isinstance(m, dict)
    )
    changes = tuple(
        Change(_s(c.get("kind")), _s(c.get("description")))
        for c in _list(data.get("changes"))
        if isinstance(c, dict)
    )
    meta = CatalogMeta(
        name=name,
        version=_s(data.get("version")),
        type=_s(data.get("type")),
        technologies=tuple(_s(t) for t in _list(data.get("technologies")) if _s(t)),
        description=_s(data.get("description")),
        maintainers=maintainers,
        license=license_text,
        created_at=_s(data.get("createdAt")),
        caveats=_s(data.get("caveats")),
        keywords=tuple(_s(k) for k in _list(data.get("keywords")) if _s(k)),
        changes=changes,
    )
    return meta, doc


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _real_time(text: str) -> bool:
    """The pattern admits 2024-02-30T25:61:00Z; the calendar does not."""
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.cache
def _spdx_licensing() -> Any:
    """Built once per process: building the SPDX index and its tokenizer costs half a second."""
    return get_spdx_licensing()


@functools.cache
def _license_problem(text: str) -> str | None:
    """An SPDX license expression with known identifiers (``Apache-2.0``, ``MIT OR Apache-2.0``)."""
    licensing = _spdx_licensing()
    try:
        parsed = licensing.parse(text, validate=True, strict=True)
    except ExpressionError as exc:
        unknown = [k for k in licensing.unknown_license_keys(text)] if "Unknown" in str(exc) else []
        if unknown:
            hint = _closest(unknown[0], [s.key for s in licensing.known_symbols.values()])
            return f"'{unknown[0]}' is not an SPDX license identifier" + (
                f"; did you mean '{hint}'?" if hint else ""
            )
        return f"'{text}' is not a valid SPDX license expression (e.g. Apache-2.0, or MIT OR Apache-2.0)"
    if parsed is None:
        return "must not be empty"
    return None


def load_design(path: Path, report: Report) -> Design | None:
    """A design file in either format, schema-checked; ``None`` if it cannot be read at all."""
    loaded = _load_design_doc(path, report)
    return loaded[0] if loaded else None


def _load_design_doc(path: Path, report: Report) -> tuple[Design, DataDocument] | None:
    doc = _load_doc(path, report)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        report.error(
            path, "expected a Meshery design (a mapping with components, or name and services)", line=1
        )
        return None
    _report_schema(doc, "design", report)
    raw = path.read_bytes()
    data = doc.data
    if "services" in data and "schemaVersion" not in data:
        return _legacy_design(data, path, raw), doc
    components = []
    for item in _list(data.get("components")):
        if not isinstance(item, dict):
            continue
        body, model = _d(item.get("component")), _d(item.get("model"))
        components.append(
            DesignComponent(
                id=_s(item.get("id")),
                name=_s(item.get("displayName")) or _s(body.get("kind")),
                kind=_s(body.get("kind")),
                api_version=_s(body.get("version")),
                model=_s(model.get("name")),
                model_version=_s(_d(model.get("model")).get("version")) or _s(model.get("version")),
                namespace=_s(_d(_d(item.get("configuration")).get("metadata")).get("namespace")),
            )
        )
    relationships = []
    for item in _list(data.get("relationships")):
        if not isinstance(item, dict):
            continue
        sources: list[str] = []
        targets: list[str] = []
        for selector in _list(item.get("selectors")):
            allow = _d(_d(selector).get("allow"))
            sources += [_s(_d(e).get("id")) for e in _list(allow.get("from")) if _s(_d(e).get("id"))]
            targets += [_s(_d(e).get("id")) for e in _list(allow.get("to")) if _s(_d(e).get("id"))]
        relationships.append(
            DesignRelationship(
                id=_s(item.get("id")),
                kind=_s(item.get("kind")),
                type=_s(item.get("type")),
                sub_type=_s(item.get("subType")),
                status=_s(item.get("status")).lower() or "approved",
                sources=tuple(dict.fromkeys(sources)),
                targets=tuple(dict.fromkeys(targets)),
            )
        )
    design = Design(
        id=_s(data.get("id")),
        name=_s(data.get("name")),
        version=_s(data.get("version")),
        format=V1BETA1,
        components=components,
        relationships=relationships,
        source=path,
        raw=raw,
    )
    return design, doc


def _legacy_design(data: dict[str, Any], path: Path, raw: bytes) -> Design:
    """``name`` + ``services``: ``type`` is ``Kind`` or ``Kind.K8s``; ``dependsOn`` become edges."""
    components, relationships = [], []
    services = _d(data.get("services"))
    for key in services:
        service = _d(services[key])
        kind, model = _legacy_type(_s(service.get("type")), _s(service.get("model")))
        components.append(
            DesignComponent(
                id=str(key),
                name=_s(service.get("name")) or str(key),
                kind=kind,
                api_version=_s(service.get("apiVersion")),
                model=model,
                model_version=_s(service.get("version")),
                namespace=_s(service.get("namespace")),
            )
        )
        for target in _list(service.get("dependsOn")):
            if _s(target):
                relationships.append(
                    DesignRelationship(
                        f"{key}->{target}",
                        "edge",
                        "dependency",
                        "dependsOn",
                        "approved",
                        (str(key),),
                        (_s(target),),
                    )
                )
    return Design(
        id="",
        name=_s(data.get("name")),
        version=_s(data.get("version")),
        format=LEGACY,
        components=components,
        relationships=relationships,
        source=path,
        raw=raw,
    )


_LEGACY_SUFFIXES = {"k8s": "kubernetes", "istio": "istio", "linkerd": "linkerd", "meshery": "meshery-core"}


def _legacy_type(type_: str, model: str) -> tuple[str, str]:
    if "." in type_ and not model:
        kind, suffix = type_.rsplit(".", 1)
        return kind, _LEGACY_SUFFIXES.get(suffix.lower(), suffix.lower())
    return type_, model or "kubernetes"


def check_design(design: Design, registry: Registry, report: Report, doc: DataDocument | None = None) -> None:
    """Cross-checks JSON Schema cannot make: registry kinds, unique ids, relationship endpoints."""
    v1 = design.format == V1BETA1

    def line(*key: str | int) -> int | None:
        return doc.line_of(key) if doc is not None else None

    seen: dict[str, int] = {}
    for index, comp in enumerate(design.components):
        at: tuple[str | int, ...] = ("components", index) if v1 else ("services", comp.id)
        field = f"components[{index}]" if v1 else f"services.{comp.id}"
        if comp.id in seen and comp.id:
            report.error(
                design.source,
                f"id '{comp.id}' is used by component {seen[comp.id]} too; ids must be unique",
                line=line(*at, "id"),
                field=f"{field}.id",
            )
        seen.setdefault(comp.id, index)
        problem = _kind_problem(comp, registry)
        if problem is not None:
            severity, key, message = problem
            where = (_V1_FIELDS if v1 else _LEGACY_FIELDS)[key]
            report.add(
                severity, design.source, message, line=line(*at, *where), field=".".join((field, *where))
            )
    rel_ids: set[str] = set()
    known_ids = {c.id for c in design.components}
    for index, rel in enumerate(design.relationships):
        if rel.status in INACTIVE:
            continue
        field = f"relationships[{index}]" if v1 else "services.dependsOn"
        if rel.id and rel.id in rel_ids:
            report.error(design.source, f"relationship id '{rel.id}' is used twice", field=f"{field}.id")
        rel_ids.add(rel.id)
        for end in (*rel.sources, *rel.targets):
            if end not in known_ids:
                hint = _closest(end, sorted(known_ids))
                report.error(
                    design.source,
                    f"points at component '{end}', which is not in this design"
                    + (f"; did you mean '{hint}'?" if hint else ""),
                    line=line("relationships", index) if v1 else None,
                    field=f"{field}.selectors",
                )


_V1_FIELDS = {"model": ("model", "name"), "kind": ("component", "kind"), "version": ("component", "version")}
_LEGACY_FIELDS = {"model": ("model",), "kind": ("type",), "version": ("apiVersion",)}


def _kind_problem(comp: DesignComponent, registry: Registry) -> tuple[Severity, str, str] | None:
    """(severity, which field, message) when the component's model, kind or apiVersion is not known."""
    if not comp.model or not comp.kind:
        return None  # the schema check has reported it
    models = {name.lower(): name for name in registry.known_kinds}
    model = models.get(comp.model.lower())
    if model is None:
        hint = _closest(comp.model, sorted(registry.known_kinds))
        return Severity.ERROR, "model", f"model '{comp.model}' is not in the registry" + _did_you_mean(hint)
    kinds = registry.known_kinds[model]
    match = next((k for k in kinds if k.lower() == comp.kind.lower()), None)
    if match is None:
        hint = _closest(comp.kind, sorted(kinds))
        return Severity.ERROR, "kind", f"model '{model}' has no component '{comp.kind}'" + _did_you_mean(hint)
    versions = kinds[match]
    if comp.api_version and versions and comp.api_version not in versions:
        listed = ", ".join(sorted(versions))
        message = f"'{comp.kind}' of model '{model}' is {listed} in the registry, not '{comp.api_version}'"
        return Severity.WARNING, "version", message
    return None


def _did_you_mean(hint: str | None) -> str:
    return f"; did you mean '{hint}'?" if hint else ""


def _check_technologies(meta: CatalogMeta, doc: DataDocument, registry: Registry, report: Report) -> None:
    known = {name.lower() for name in registry.known_kinds}
    path = doc.path
    for index, tech in enumerate(meta.technologies):
        if tech.lower() not in known:
            hint = _closest(tech, sorted(registry.known_kinds))
            report.error(
                path,
                f"'{tech}' is not a model in the registry" + (f"; did you mean '{hint}'?" if hint else ""),
                line=doc.line_of(("technologies", index)),
                field=f"technologies[{index}]",
            )


def _check_technologies_used(meta: CatalogMeta, design: Design, path: Path, report: Report) -> None:
    listed = {t.lower() for t in meta.technologies}
    used = sorted({c.model for c in design.components if c.model and c.model.lower() not in listed})
    if used:
        report.warning(path, f"the design uses {', '.join(used)}; add to technologies", field="technologies")


def _readme(folder: Path, report: Report) -> str:
    path = folder / README_FILE
    if not path.is_file():
        return ""
    try:
        return read_text(path, max_bytes=MAX_README)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return ""


def _screenshots(folder: Path, report: Report) -> tuple[Screenshot, ...]:
    shots = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or path.is_symlink():
            continue
        if path.stem.lower().startswith("screenshot") or suffix in SCREENSHOT_SUFFIXES:
            if suffix not in SCREENSHOT_SUFFIXES:
                report.warning(path, "screenshots must be PNG, JPEG or WebP; this file is not published")
                continue
            if path.stat().st_size > MAX_SCREENSHOT:
                report.warning(
                    path, f"screenshot is larger than {MAX_SCREENSHOT // 1024 // 1024} MB; not published"
                )
                continue
            data = path.read_bytes()
            problem = raster_problem(suffix, data)
            if problem:
                report.warning(path, problem)
                continue
            shots.append(Screenshot(path.name, data))
    return tuple(shots)


def _closest(word: str, choices: list[str]) -> str | None:
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _s(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _d(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
