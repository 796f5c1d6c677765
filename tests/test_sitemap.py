"""The resolve step: every generated page's path decided once, the published URLs by default, and
sections that mount wherever a site's configuration puts them."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from meshdocs.diagnostics import Report
from meshdocs.loaders.keys import load_keys
from meshdocs.loaders.learning import load_learning_paths
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.catalog import CatalogEntry
from meshdocs.sitemap import Prefixes, page_url, resolve_site

from .conftest import EMBEDDED_REGISTRY, REGISTRY_2024, REPO, run_cli, write_config


def _embedded_site(prefixes: Prefixes | None = None):  # type: ignore[no-untyped-def]
    report = Report()
    registry = load_registry([EMBEDDED_REGISTRY], report, LoadOptions())
    keys = load_keys(REPO / "content" / "keys" / "permissions.csv", report)
    paths = load_learning_paths(REPO / "content" / "learning-paths", report)
    return registry, resolve_site(registry, report, prefixes=prefixes, keys=keys, learning_paths=paths)


def test_default_paths_are_the_urls_published_so_far() -> None:
    """A contract: users' links and scripts depend on these URLs."""
    registry, site = _embedded_site()
    model = next(m for m in registry.models if m.name == "kubernetes")
    deployment = next(c for c in model.components if c.kind == "Deployment")
    assert site.model_page(model) == "models/kubernetes/index.md"
    assert site.component_page(model, deployment) == "models/kubernetes/components/deployment/index.md"
    assert site.component_page_for("Kubernetes", "deployment") == site.component_page(model, deployment)
    rel = model.relationships[0]
    assert site.relationship_page(model, rel).startswith("models/kubernetes/relationships/")
    assert site.registry_index == "registry/index.md"
    assert all(c.page.startswith("registry/") and c.page.endswith("/index.md") for c in site.categories)
    assert site.catalog_index == "catalog/index.md"
    assert site.coverage_page == "catalog/coverage/index.md"
    assert site.keys_index == "keys/index.md"
    assert site.key_themes and all(t.page.startswith("keys/") for t in site.key_themes)
    assert site.learning_index == "learning-paths/index.md"
    assert page_url("models/kubernetes/index.md") == "models/kubernetes/"
    assert site.reserved() >= {"registry", "models", "catalog", "keys", "learning-paths", "assets", "schemas"}


def test_renderers_get_paths_and_leave_the_model_alone() -> None:
    """Slugs live in the site map, not the model: loading twice and resolving gives the same paths."""
    registry, site = _embedded_site()
    again, site2 = _embedded_site()
    pages = [site.model_page(m) for m in registry.models]
    assert pages == [site2.model_page(m) for m in again.models]
    assert not any(hasattr(m, "slug") for m in registry.models)
    with pytest.raises(dataclasses.FrozenInstanceError):  # a renderer cannot move a page
        site.prefixes = Prefixes()  # type: ignore[misc]


def test_names_that_collide_after_slugging_are_published_apart_with_a_warning(tmp_path: Path) -> None:
    for name in ("My Model", "my-model"):
        folder = tmp_path / name / "1.0.0" / "v1.0.0"
        source = REGISTRY_2024 / "akri" / "0.12.55" / "v1.0.0"
        (folder / "components").mkdir(parents=True)
        model = json.loads((source / "model.json").read_text())
        model["name"] = name
        (folder / "model.json").write_text(json.dumps(model))
        component = json.loads(next((source / "components").glob("*.json")).read_text())
        component["model"]["name"] = name
        (folder / "components" / "c.json").write_text(json.dumps(component))
    report = Report()
    registry = load_registry([tmp_path], report, LoadOptions())
    site = resolve_site(registry, report)
    pages = sorted(site.model_page(m) for m in registry.models)
    assert pages == ["models/my-model-2/index.md", "models/my-model/index.md"]
    assert any("collides with another after slugging" in d.message for d in report.items)


def test_designs_are_addressed_by_their_folder_under_the_catalog_prefix() -> None:
    site = resolve_site(
        load_registry([EMBEDDED_REGISTRY], Report()), Report(), prefixes=Prefixes(catalog="gallery")
    )
    entry = CatalogEntry.__new__(CatalogEntry)
    object.__setattr__(entry, "slug", "web-shop")
    assert site.design_page(entry) == "gallery/web-shop/index.md"


def test_a_site_mounts_every_section_under_its_own_prefixes(tmp_path: Path) -> None:
    """Built by MkDocs with --strict: every generated link resolves at the new places."""
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "index.md").write_text("# Our own start page\n")
    config = write_config(tmp_path, site_url="https://example.org/")
    data = yaml.safe_load(config.read_text())
    for plugin in data["plugins"]:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            plugin["meshdocs"]["content"] = str(pages)  # the embedded pages link to the default URLs
            plugin["meshdocs"]["prefixes"] = {
                "registry": "reference/registry",
                "models": "reference/models",
                "catalog": "designs",
                "security_keys": "security/keys",
                "learning_paths": "learn",
            }
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    site = tmp_path / "site"
    proc = run_cli("build", "-f", config, "--strict", "--site-dir", site, "--docs-dir", tmp_path / "docs")
    assert proc.returncode == 0, proc.stderr
    for moved in (
        "reference/registry/index.html",
        "reference/models/kubernetes/components/deployment/index.html",
        "designs/index.html",
        "designs/coverage/index.html",
        "security/keys/index.html",
        "learn/index.html",
    ):
        assert (site / moved).is_file(), moved
    for old in ("registry", "models", "catalog", "keys", "learning-paths"):
        assert not (site / old).exists(), old
    registry = json.loads((site / "registry.json").read_text())
    assert all(m["url"].startswith("reference/models/") for m in registry["models"])
    keys = json.loads((site / "keys.json").read_text())
    assert all(k["url"].startswith("security/keys/") for k in keys["keys"])
    package = next((site / "artifacthub").rglob("artifacthub-pkg.yml"))
    assert "https://example.org/designs/" in package.read_text()
    assert "https://example.org/catalog/" not in package.read_text()


def test_the_generation_knows_nothing_about_the_engine() -> None:
    """Loaders, the site map, renderers and the generation import no MkDocs: the engine can change."""
    code = (
        "import sys\n"
        "import meshdocs.build, meshdocs.sitemap, meshdocs.render_plan, meshdocs.forking\n"
        "import meshdocs.renderers.registry, meshdocs.renderers.catalog, meshdocs.renderers.learning\n"
        "engine = sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.'))\n"
        "assert not engine, engine\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
