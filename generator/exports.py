"""Exports that are not the site: the Artifact Hub repository (OCI artifacts come later).

Same pipeline as the site: load (registry, catalog) → render (files by path) → write (a folder meshdocs
owns, rewriting only what changed).
"""

from __future__ import annotations

from pathlib import Path

from meshdocs.config import MeshdocsConfig
from meshdocs.diagnostics import Report
from meshdocs.loaders.catalog import load_catalog
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.renderers.artifacthub import ArtifactHubSettings, render_artifacthub
from meshdocs.writers.docs_dir import sync_tree


def artifacthub_settings(config: MeshdocsConfig, site_url: str) -> ArtifactHubSettings:
    """The plugin's ``artifacthub:`` block (provider, owners, repository_id) and the catalog prefix."""
    options = config.artifacthub
    return ArtifactHubSettings(
        site_url=site_url,
        provider=options.provider,
        owners=tuple((o.name, o.email) for o in options.owners),
        repository_id=options.repository_id,
        catalog_prefix=config.prefixes.catalog,
    )


def export_artifacthub(
    *,
    out: Path,
    catalog: Path,
    registries: list[Path],
    site_url: str,
    config: MeshdocsConfig,
    report: Report,
) -> int:
    """Write the repository to ``out``; returns the package count. Invalid entries are reported, left out."""
    missing = [p for p in [catalog, *registries] if not p.is_dir()]
    if missing:
        raise ValueError("not a folder: " + ", ".join(str(p) for p in missing))
    registry = load_registry(registries, Report(), LoadOptions(include_ignored=False))
    entries = load_catalog(catalog, registry, report)
    if not site_url:
        report.warning(
            catalog,
            "no site URL (site_url in mkdocs.yml or --site-url): packages get no links to their pages",
        )
    files = render_artifacthub(entries, registry, artifacthub_settings(config, site_url))
    sync_tree(out, files)
    return len(entries.entries)
