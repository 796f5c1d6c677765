"""The embedded default that `make site` builds: written by us, varied, and clean under --strict."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Built, build_site


def registry(built: Built) -> list[dict]:
    return json.loads((built.site / "registry.json").read_text())["models"]


def test_embedded_registry_meets_the_minimums(site_embedded: Built) -> None:
    models = registry(site_embedded)
    assert len(models) >= 8
    assert sum(len(m["components"]) for m in models) >= 40
    assert sum(len(m["relationships"]) for m in models) >= 6
    assert len({m["category"] for m in models}) >= 4
    assert len({m["subCategory"] for m in models}) >= 6


def test_embedded_build_is_clean_under_strict(tmp_path: Path) -> None:
    built = build_site(tmp_path, extra=("--strict",))
    assert built.returncode == 0, built.stderr
    assert "0 error(s), 0 warning(s)" in built.stderr


def test_embedded_covers_yaml_v1beta2_versions_and_ignored(site_embedded: Built) -> None:
    by_name = {m["name"]: m for m in registry(site_embedded)}
    assert by_name["grafana-operator"]["components"], "the YAML model is published"
    assert by_name["argo-cd"]["components"], "the v1beta2 model is published"
    assert by_name["cert-manager"]["version"] == "v1.15.1"
    assert "v1.14.5" in site_embedded.page(by_name["cert-manager"]["url"])
    assert "EnvoyFilter" not in [c["kind"] for c in by_name["istio"]["components"]]


def test_home_and_content_pages_are_published(site_embedded: Built) -> None:
    home = site_embedded.page("")
    assert "Meshery Model Registry" in home and 'href="registry/"' in home
    assert (site_embedded.site / "guides" / "reading-a-component-page" / "index.html").is_file()


def test_embedded_catalog_covers_every_design_type_and_validates(site_embedded: Built) -> None:
    import re

    from meshdocs.model.catalog import DESIGN_TYPES

    from .conftest import run_cli

    page = site_embedded.page("catalog/")
    cards = re.findall(
        r'<article class="mdx-card" data-kind="design" data-type="([^"]+)" data-technologies="([^"]+)">', page
    )
    assert len(cards) >= 10
    assert {t for t, _ in cards} == set(DESIGN_TYPES)
    assert len({tech for _, techs in cards for tech in techs.split("|")}) >= 6
    assert "<strong>100.0%</strong> of design types" in site_embedded.page("catalog/coverage/")
    proc = run_cli("validate", "catalog/designs")
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout


def test_no_pull_command_without_an_oci_location(site_embedded: Built) -> None:
    assert "Get this model" not in site_embedded.page("models/cert-manager/")
