"""Read and check catalog entries: ``catalog/designs/<slug>/{design.yml, catalog.yml, README.md}``.

Submissions come from strangers by pull request, so every check reports every problem it finds, with
the file, the line and the field, and what would be accepted. One severity policy (README, "Severity"):
an **error** means the entry cannot be published faithfully (no readable catalog.yml with a name and a
version, a design file that is unreadable, hostile, over the limits or not a design at all) and it is
left out; a **warning** means it is published showing what is known. ``--strict`` fails on warnings too,
so new entries arrive clean while a legacy catalog stays whole.
"""

from __future__ import annotations

from pathlib import Path

from meshdocs.checks.formats import license_problem, looks_like_rfc3339, real_time
from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.design import load_design_doc
from meshdocs.loaders.design_check import resolve_design
from meshdocs.loaders.files import DataDocument, DataError, load_data, read_text
from meshdocs.loaders.images import raster_problem
from meshdocs.loaders.schema_check import check, load_schema
from meshdocs.loaders.values import closest, did_you_mean, items, text
from meshdocs.model.catalog import (
    UNCATEGORIZED,
    CatalogEntry,
    CatalogMeta,
    Change,
    Design,
    Maintainer,
    Screenshot,
)
from meshdocs.model.catalog import Catalog as CatalogModel
from meshdocs.model.registry import Registry
from meshdocs.slugs import slugify

CATALOG_FILES = ("catalog.yml", "catalog.yaml")
DESIGN_FILES = ("design.yml", "design.yaml", "design.json")
README_FILE = "README.md"
SCREENSHOT_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
MAX_SCREENSHOT = 2 * 1024 * 1024
MAX_README = 256 * 1024
MAX_META = 256 * 1024
# catalog.yml fields without which an entry cannot be published faithfully: its title and its version
# (the Artifact Hub package version and the OCI tag). Any other catalog.yml problem is a warning.
IDENTITY_FIELDS = ("name", "version")


def is_entry(folder: Path) -> bool:
    return folder.is_dir() and any((folder / n).is_file() for n in (*CATALOG_FILES, *DESIGN_FILES))


def load_catalog(root: Path, registry: Registry, report: Report) -> CatalogModel:
    """Every entry folder below ``root`` (one level), checked; entries with errors are left out."""
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
    """One entry, its design resolved against ``registry``; ``None`` when it has errors (all reported)."""
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
    loaded_design = load_design_doc(design_path, report) if design_path else None
    meta = loaded_meta[0] if loaded_meta else None
    design = None
    if loaded_meta is not None:
        _check_technologies(*loaded_meta, registry, report)
    if loaded_design is not None:
        design = resolve_design(loaded_design[0], registry, report, doc=loaded_design[1])
        if not design.name:
            report.notice(
                design.source, "the design has no name; its page is titled from catalog.yml", field="name"
            )
        if loaded_meta is not None:
            _check_technologies_used(loaded_meta[0], design, registry, loaded_meta[1].path, report)
    readme = _readme(folder, report)
    screenshots = _screenshots(folder, report)
    if report.errors > errors_before or meta is None or design is None:
        return None
    return CatalogEntry(folder.name, folder, meta, design, readme, screenshots)


def _first(folder: Path, names: tuple[str, ...]) -> Path | None:
    return next((folder / n for n in names if (folder / n).is_file()), None)


def _load_meta(path: Path, folder: Path, report: Report) -> tuple[CatalogMeta, DataDocument] | None:
    try:
        doc = load_data(path, with_lines=True, max_bytes=MAX_META)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None
    if not isinstance(doc.data, dict):
        report.error(path, "expected a mapping of fields (name, version, type ...)", line=1)
        return None
    for found in check(doc, load_schema("catalog")):
        identity = found.field.split(".")[0].split("[")[0] in IDENTITY_FIELDS
        severity = Severity.ERROR if identity else Severity.WARNING
        report.add(severity, doc.path, found.message, line=found.line, field=found.field)
    data = doc.data
    name = text(data.get("name"))
    if name and slugify(name) != folder.name:
        report.warning(
            path,
            f"the folder is '{folder.name}' but the name '{name}' gives '{slugify(name)}'; "
            f"rename the folder to '{slugify(name)}' or change the name",
            line=doc.line_of(("name",)),
            field="name",
        )
    created = text(data.get("createdAt"))
    if created and looks_like_rfc3339(created) and not real_time(created):
        report.warning(
            path,
            f"'{created}' is not a real date and time",
            line=doc.line_of(("createdAt",)),
            field="createdAt",
        )
    license_text = text(data.get("license"))
    if license_text:
        problem = license_problem(license_text)
        if problem:
            report.warning(path, problem, line=doc.line_of(("license",)), field="license")
    maintainers = tuple(
        Maintainer(text(m.get("name")), text(m.get("email")), text(m.get("url")))
        for m in items(data.get("maintainers"))
        if isinstance(m, dict)
    )
    changes = tuple(
        Change(text(c.get("kind")), text(c.get("description")))
        for c in items(data.get("changes"))
        if isinstance(c, dict)
    )
    meta = CatalogMeta(
        name=name,
        version=text(data.get("version")),
        type=text(data.get("type")) or UNCATEGORIZED,
        technologies=tuple(text(t) for t in items(data.get("technologies")) if text(t)),
        description=text(data.get("description")),
        maintainers=maintainers,
        license=license_text,
        created_at=text(data.get("createdAt")),
        caveats=text(data.get("caveats")),
        keywords=tuple(text(k) for k in items(data.get("keywords")) if text(k)),
        changes=changes,
    )
    return meta, doc


def load_design(path: Path, report: Report) -> Design | None:
    """A design file in either format, schema-checked; ``None`` if it is not a design at all."""
    loaded = load_design_doc(path, report)
    return loaded[0] if loaded else None


def _check_technologies(meta: CatalogMeta, doc: DataDocument, registry: Registry, report: Report) -> None:
    known = {name.lower() for name in registry.known_kinds}
    for index, tech in enumerate(meta.technologies):
        if tech.lower() not in known:
            hint = closest(tech, sorted(registry.known_kinds))
            report.warning(
                doc.path,
                f"'{tech}' is not a model in the registry{did_you_mean(hint)}; shown without a link",
                line=doc.line_of(("technologies", index)),
                field=f"technologies[{index}]",
            )


def _check_technologies_used(
    meta: CatalogMeta, design: Design, registry: Registry, path: Path, report: Report
) -> None:
    """Technologies are the registry models the design deploys: never its annotations (drawing elements),
    nor a model the registry lacks (already a warning on the component)."""
    listed = {t.lower() for t in meta.technologies}
    used = sorted(
        {
            c.model
            for c in design.components
            if c.model in registry.known_kinds and c.model.lower() not in listed
        }
    )
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
