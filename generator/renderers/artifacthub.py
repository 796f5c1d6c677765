"""The catalog as an Artifact Hub "Meshery designs" repository (repository kind 24, ``meshery``).

Layout: ``artifacthub-repo.yml`` at the root, then ``<name>/<version>/`` per design with
``artifacthub-pkg.yml``, ``design.yml``, ``README.md`` and ``logo.svg``. Everything Meshery's own export
leaves out is filled in: keywords, a category, maintainers with emails, a real provider, a logo, links to
the design's page and file, install instructions, a README that is valid Markdown, and changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from meshdocs.model.catalog import Catalog, CatalogEntry
from meshdocs.model.registry import Registry

REPO_FILE = "artifacthub-repo.yml"
PACKAGE_FILE = "artifacthub-pkg.yml"
CATEGORY_BY_TYPE = {
    "Deployment": "integration-delivery",
    "Observability": "monitoring-logging",
    "Resiliency": "networking",
    "Scaling": "integration-delivery",
    "Security": "security",
    "Traffic-management": "networking",
    "Troubleshooting": "monitoring-logging",
    "Workloads": "integration-delivery",
}
CATEGORY_BY_SUBCATEGORY = {"Database": "database", "Streaming & Messaging": "streaming-messaging"}


@dataclass(frozen=True)
class ArtifactHubSettings:
    """Repository-level facts that are not in the catalog: who publishes it and where the site lives."""

    site_url: str = ""
    provider: str = ""
    owners: tuple[tuple[str, str], ...] = ()
    repository_id: str = ""
    catalog_prefix: str = "catalog"  # where the site publishes the catalog (prefixes.catalog)


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings, so README and install text stay readable in the YAML."""


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def render_artifacthub(
    catalog: Catalog, registry: Registry, settings: ArtifactHubSettings
) -> dict[str, bytes]:
    """Every file of the repository, by path; deterministic (same input, same bytes)."""
    files: dict[str, bytes] = {REPO_FILE: _repo_file(settings).encode("utf-8")}
    models = {m.name.lower(): m for m in registry.models}
    for entry in catalog.entries:
        folder = f"{entry.slug}/{entry.meta.version}/"
        logo = _logo(entry, models)
        package = _package(entry, settings, category=_category(entry, models), has_logo=logo is not None)
        files[folder + PACKAGE_FILE] = dump(package).encode("utf-8")
        files[folder + "design.yml"] = entry.design.raw
        files[folder + "README.md"] = readme(entry, settings).encode("utf-8")
        if logo is not None:
            files[folder + "logo.svg"] = logo.encode("utf-8")
    return files


def _repo_file(settings: ArtifactHubSettings) -> str:
    data: dict[str, Any] = {}
    if settings.repository_id:
        data["repositoryID"] = settings.repository_id
    if settings.owners:
        data["owners"] = [{"name": n, "email": e} for n, e in settings.owners]
    header = "# Artifact Hub repository metadata: a Meshery designs repository exported by meshdocs.\n"
    return header + (dump(data) if data else "{}\n")


def _package(
    entry: CatalogEntry, settings: ArtifactHubSettings, *, category: str, has_logo: bool
) -> dict[str, Any]:
    meta = entry.meta
    keywords = [
        meta.type.lower(),
        *(t.lower() for t in meta.technologies),
        *(k.lower() for k in meta.keywords),
    ]
    data: dict[str, Any] = {
        "version": meta.version,
        "name": entry.slug,
        "displayName": meta.name,
        "createdAt": meta.created_at,
        "description": " ".join(meta.description.split()),
        "category": category,
        "keywords": list(dict.fromkeys(keywords)),
        "license": meta.license,
    }
    if has_logo:
        data["logoPath"] = "logo.svg"
    if "-" in meta.version.split("+")[0]:
        data["prerelease"] = True
    if any(c.kind == "security" for c in meta.changes):
        data["containsSecurityUpdates"] = True
    base = _base(settings)
    if base:
        page = f"{base}{settings.catalog_prefix}/{entry.slug}/"
        data["homeURL"] = page
        data["links"] = [
            {"name": "Design page", "url": page},
            {"name": "Design file (design.yml)", "url": f"{page}design.yml"},
            {"name": "Catalog", "url": f"{base}{settings.catalog_prefix}/"},
        ]
        if entry.screenshots:
            data["screenshots"] = [
                {"title": f"{meta.name} ({s.filename})", "url": f"{page}{s.filename}"}
                for s in entry.screenshots
            ]
    data["install"] = install(entry, settings)
    if meta.changes:
        data["changes"] = [{"kind": c.kind, "description": c.description} for c in meta.changes]
    data["maintainers"] = [{"name": m.name, "email": m.email} for m in meta.maintainers]
    if settings.provider:
        data["provider"] = {"name": settings.provider}
    data["annotations"] = {
        "meshery.io/design-type": meta.type,
        "meshery.io/technologies": ", ".join(meta.technologies),
        "meshery.io/design-format": entry.design.format,
    }
    return data


def _category(entry: CatalogEntry, models: dict[str, Any]) -> str:
    """A database or messaging technology decides first (Artifact Hub has those categories), else the type."""
    for tech in entry.meta.technologies:
        model = models.get(tech.lower())
        if model is not None and model.sub_category in CATEGORY_BY_SUBCATEGORY:
            return CATEGORY_BY_SUBCATEGORY[model.sub_category]
    return CATEGORY_BY_TYPE.get(entry.meta.type, "skip-prediction")


def _base(settings: ArtifactHubSettings) -> str:
    url = settings.site_url.strip()
    return url if not url or url.endswith("/") else url + "/"


def install(entry: CatalogEntry, settings: ArtifactHubSettings) -> str:
    base = _base(settings)
    source = f"{base}{settings.catalog_prefix}/{entry.slug}/design.yml" if base else "design.yml"
    name = entry.meta.name.replace('"', "")
    return (
        "Import the design into Meshery with `mesheryctl`:\n\n"
        f'```bash\nmesheryctl design import -f {source} -s design -n "{name}"\n```\n\n'
        "Then deploy it from Meshery UI, or with `mesheryctl design deploy`.\n"
    )


def readme(entry: CatalogEntry, settings: ArtifactHubSettings) -> str:
    """Valid Markdown: the contributor's README (or the description), caveats, components, how to use it."""
    meta = entry.meta
    parts = [f"# {_md_line(meta.name)}", "", meta.description.strip(), ""]
    if entry.readme.strip():
        body = _demote(entry.readme.strip())
        parts += [body, ""]
    if meta.caveats:
        parts += ["## Caveats and considerations", "", meta.caveats.strip(), ""]
    if entry.design.components:
        parts += ["## Components", "", "| Name | Kind | Model |", "|---|---|---|"]
        for comp in entry.design.components:
            parts.append(f"| {_cell(comp.name)} | {_cell(comp.kind)} | {_cell(comp.model)} |")
        parts.append("")
    parts += ["## Install", "", install(entry, settings).strip(), ""]
    return "\n".join(parts)


def _demote(markdown: str) -> str:
    """The contributor's headings go one level down, under the package's title; fenced code is left alone."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def _md_line(text: str) -> str:
    return " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return _md_line(text).replace("|", "\\|") or "—"


def _logo(entry: CatalogEntry, models: dict[str, Any]) -> str | None:
    """The icon of the design's main technology: the first listed that is not plain Kubernetes."""
    ordered = sorted(entry.meta.technologies, key=lambda t: t.lower() == "kubernetes")
    for tech in ordered:
        model = models.get(tech.lower())
        if model is not None and model.icon is not None:
            return str(model.icon.svg)
    return None
