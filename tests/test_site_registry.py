"""Real sites built with MkDocs from the real registries: pages, registry.json, nav size, offline."""

from __future__ import annotations

import functools
import html
import json
import re
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report
from meshdocs.loaders.registry import load_registry
from meshdocs.model.registry import Registry
from meshdocs.transforms.coverage import relationship_coverage
from meshdocs.transforms.schema_fields import flatten_schema
from meshdocs.writers.search_sources import sources_dir

from .conftest import REGISTRY_2024, REGISTRY_2026, Built

REGISTRY_JSON_KEYS = [
    "name",
    "displayName",
    "version",
    "category",
    "subCategory",
    "url",
    "components",
    "relationships",
    "versions",  # added with every version published; new keys only ever come last
]


def registry_json(built: Built) -> dict:
    return json.loads((built.site / "registry.json").read_text())


@functools.cache
def _registry(root: Path) -> Registry:
    return load_registry([root], Report())


def built_and_loaded(which: str, request: pytest.FixtureRequest) -> tuple[Built, Registry]:
    """The session-built site ``which`` and the registry it was built from, loaded once per session."""
    return request.getfixturevalue(which), _registry(REGISTRY_2024 if which == "site_2024" else REGISTRY_2026)


@pytest.mark.parametrize("which", ["site_2024", "site_2026"])
def test_every_enabled_component_has_a_page_listing_its_top_level_spec_fields(
    which: str, request: pytest.FixtureRequest
) -> None:
    built, registry = built_and_loaded(which, request)
    pages = {
        (m["name"], c["kind"]): c["url"] for m in registry_json(built)["models"] for c in m["components"]
    }
    checked = 0
    for model in registry.models:
        for comp in model.components:
            assert comp.status == "enabled"
            page = built.page(pages[(model.name, comp.kind)])
            assert f">{html.escape(comp.kind, quote=False)}</code>" in page  # the Kind fact
            for name in flatten_schema(comp).top_level:
                assert f"<b>{html.escape(name, quote=False)}</b>" in page, (comp.source, name)
                checked += 1
    assert checked > (4000 if which == "site_2024" else 1)


@pytest.mark.parametrize("which", ["site_2024", "site_2026"])
def test_registry_json_matches_the_registry_and_every_url_exists(
    which: str, request: pytest.FixtureRequest
) -> None:
    built, registry = built_and_loaded(which, request)
    data = registry_json(built)
    assert list(data) == ["models", "coverage"]  # coverage: added with the relationship coverage page
    coverage = relationship_coverage(registry)
    assert data["coverage"]["kubernetes"] == coverage.to_data()
    assert (built.site / "registry" / "relationship-coverage" / "index.html").is_file()
    assert [m["name"] for m in data["models"]] == [m.name for m in registry.models]
    for entry, model in zip(data["models"], registry.models, strict=True):
        assert list(entry) == REGISTRY_JSON_KEYS
        assert (entry["displayName"], entry["version"], entry["category"], entry["subCategory"]) == (
            model.display_name,
            model.version,
            model.category,
            model.sub_category,
        )
        assert [c["kind"] for c in entry["components"]] == [c.kind for c in model.components]
        assert len(entry["relationships"]) == len(model.relationships)
        for url in [
            entry["url"],
            *(c["url"] for c in entry["components"]),
            *(r["url"] for r in entry["relationships"]),
        ]:
            assert not url.startswith(("/", "http")), url
            assert (built.site / url / "index.html").is_file(), url
        for comp in entry["components"]:
            assert list(comp) == ["kind", "apiVersion", "displayName", "url"]
        for rel in entry["relationships"]:
            assert list(rel) == ["kind", "type", "subType", "url"]


def test_overview_counts_are_derived_from_the_data(site_2024: Built) -> None:
    data = registry_json(site_2024)
    models = len(data["models"])
    components = sum(len(m["components"]) for m in data["models"])
    page = site_2024.page("registry/")
    assert f"{models:,} models · {components:,} components" in page


def test_model_page_lists_other_versions_and_components(site_2024: Built) -> None:
    page = site_2024.page("models/argo-cd/")  # 6.7.18 has relationships only; 4.5.1 had a component
    assert "<code>6.7.18</code>" in page and "<code>4.5.1</code>" in page
    assert "This model defines no published components." in page
    k8s = site_2024.page("models/kubernetes/")
    assert 'href="components/deployment/"' in k8s


def test_relationship_page_links_selectors_to_component_pages(site_2024: Built) -> None:
    data = registry_json(site_2024)
    k8s = next(m for m in data["models"] if m["name"] == "kubernetes")
    linked = 0
    for rel in k8s["relationships"]:
        page = site_2024.page(rel["url"])
        linked += len(re.findall(r'href="\.\./\.\./components/[a-z0-9-]+/"', page))
    assert linked > 50


def test_component_page_has_example_and_raw_schema(site_2024: Built) -> None:
    page = site_2024.page("models/akri/components/configuration/")
    assert '<code class="language-yaml">apiVersion: akri.sh/v0' in page
    assert "JSON Schema (" in page


def test_large_schemas_are_linked_not_inlined(site_2024: Built) -> None:
    downloads = list(site_2024.site.glob("models/*/components/*/schema.json"))
    assert downloads
    assert all(p.stat().st_size > 48 * 1024 for p in downloads)
    page = (downloads[0].parent / "index.html").read_text()
    assert 'href="schema.json" download' in page


def test_field_tables_and_raw_schemas_stay_out_of_the_search_index(site_2024: Built) -> None:
    # Pagefind indexes these sources (writers/search_sources), one per indexed page, at the page's path.
    sources = sources_dir(site_2024.site)
    texts = {p.relative_to(sources).as_posix(): p.read_text() for p in sources.rglob("*.html")}
    biggest = max(len(t) for t in texts.values())
    assert biggest < 150_000, biggest  # the largest is a 344-row component list, not a field table
    assert not any("spec.allowedSecretEngines.namespaces" in t for t in texts.values())
    page = texts["models/kubevault-operator/components/vaultserver/index.html"]
    assert "Vault Server" in page.split("</h1>")[0] and "VaultServer" in page, "found by name and kind"
    entry = json.loads((site_2024.site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == len(texts)


def test_icons_are_files_and_contain_no_script(site_2024: Built) -> None:
    icons = list((site_2024.site / "assets" / "icons").glob("*.svg"))
    assert len(icons) > 50
    for icon in icons:
        text = icon.read_text().lower()
        assert text.startswith("<svg") and "<script" not in text and "javascript:" not in text


def test_sidebar_stays_small_in_a_model_with_hundreds_of_components(site_2024: Built) -> None:
    big = site_2024.site / "models" / "k8s-config-connector" / "components"
    pages = sorted(big.glob("*/index.html"))
    assert len(pages) > 300
    for page in (pages[0], pages[len(pages) // 2], pages[-1]):
        text = page.read_text()
        assert text.count('class="md-nav__link') < 120
        assert "more in" in text


def test_pages_request_nothing_from_other_origins(site_2024: Built) -> None:
    external = re.compile(r'<(?:link|script|img|iframe|source)\b[^>]*(?:src|href)="(?:https?:)?//', re.I)
    for page in [*site_2024.site.glob("*.html"), *site_2024.site.glob("models/akri/**/*.html")]:
        assert not external.search(page.read_text()), page
    css = "".join(p.read_text() for p in site_2024.site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_build_report_has_no_errors_for_the_real_registry(site_2024: Built) -> None:
    assert "0 error(s), 0 warning(s)" in site_2024.stderr
    assert "Traceback" not in site_2024.stderr


def test_generated_docs_dir_is_plain_markdown_and_a_nav(site_2024: Built) -> None:
    nav = json.loads((site_2024.docs / ".meshdocs-nav.json").read_text())
    titles = [n["title"] for n in nav]
    assert "Registry" in titles and titles[0] == "Home"
    registry = next(n for n in nav if n["title"] == "Registry")
    category_titles = [c["title"] for c in registry["children"]]
    # after the categories, however they are named
    assert category_titles[-2:] == ["Relationship coverage", "Changelog"]
    assert category_titles[:-2] == sorted(category_titles[:-2], key=str.lower)
    assert (site_2024.docs / "models" / "akri" / "components" / "configuration" / "index.md").is_file()


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
