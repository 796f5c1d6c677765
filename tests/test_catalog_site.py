"""Catalog pages built with MkDocs: index cards, design pages, coverage figures, schemas, hostile text."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from meshdocs.renderers.rich_text import markdown_to_html

from .catalog_entries import VALID_DESIGN, component, meta_with, write_entry
from .conftest import Built, build_site
from .hostile import EVIL, IMG, SCRIPT, TEMPLATE
from .htmlcheck import live_markup

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture(scope="module")
def catalog_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("catalog")
    designs = tmp / "designs"
    write_entry(designs, readme="# Web Shop\n\nRun it with `kubectl`.\n", extra={"screenshot.png": PNG})
    locked = meta_with(name="Locked Shop", type="Security", technologies=["kubernetes", "cert-manager"])
    write_entry(designs, locked, _with_certificate())
    write_entry(designs, meta_with(name="Broken Shop", version="1"))  # not published: it has an error
    built = build_site(tmp, extra=("--catalog", str(designs)))
    assert built.returncode == 0, built.stderr
    return built


def _with_certificate() -> dict:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"].append(
        component(
            "77777777-7777-4777-8777-777777777777",
            "shop-tls",
            "Certificate",
            "cert-manager.io/v1",
            "cert-manager",
        )
    )
    return design


def test_index_has_a_card_per_published_design_with_filter_data(catalog_site: Built) -> None:
    page = catalog_site.page("catalog/")
    cards = re.findall(
        r'<article class="mdx-card" data-kind="design" data-type="([^"]+)" data-technologies="([^"]+)">', page
    )
    assert cards == [("Security", "kubernetes|cert-manager"), ("Deployment", "kubernetes")]
    assert '<option value="Security">Security</option>' in page
    assert "A web shop front end behind a Service." in page
    assert "Broken Shop" not in page


def test_filter_script_is_shipped_and_loaded(catalog_site: Built) -> None:
    assert (catalog_site.site / "assets" / "meshdocs" / "catalog.js").is_file()
    assert 'src="../assets/meshdocs/catalog.js"' in catalog_site.page("catalog/")


def test_invalid_entries_are_reported_and_the_rest_published(catalog_site: Built) -> None:
    assert "broken-shop/catalog.yml:2: error: version: '1' is not a semantic version" in catalog_site.stderr
    assert not (catalog_site.site / "catalog" / "broken-shop").exists()


def test_design_page_links_components_to_the_registry_and_offers_the_file(catalog_site: Built) -> None:
    page = catalog_site.page("catalog/web-shop/")
    assert 'href="../../models/kubernetes/components/deployment/"' in page
    assert 'href="../../models/kubernetes/"' in page
    assert 'href="design.yml" download' in page
    assert (catalog_site.site / "catalog" / "web-shop" / "design.yml").read_bytes() == (
        catalog_site.docs / "catalog" / "web-shop" / "design.yml"
    ).read_bytes()
    assert "mesheryctl design import -f design.yml -s design -n &#34;Web Shop&#34;" in page or (
        'mesheryctl design import -f design.yml -s design -n "Web Shop"' in page
    )
    assert "Needs a default StorageClass." in page
    assert "ada@example.org" in page and "Apache-2.0" in page


def test_design_page_shows_readme_screenshot_and_topology(catalog_site: Built) -> None:
    page = catalog_site.page("catalog/web-shop/")
    # The README sits under "About this design" (h2): its own top heading comes next, as an h3.
    assert "<h3>Web Shop</h3>" in page and "<code>kubectl</code>" in page
    assert '<img src="screenshot.png"' in page
    assert (catalog_site.site / "catalog" / "web-shop" / "screenshot.png").read_bytes() == PNG
    svg = re.search(r'<div class="mdx-topology">(<svg.*?</svg>)</div>', page, re.S)
    assert svg and svg.group(1).count("mdx-topo-node") + svg.group(1).count("mdx-topo-group") >= 3
    standalone = (catalog_site.site / "catalog" / "web-shop" / "topology.svg").read_text()
    assert standalone.strip() == svg.group(1) and 'href="topology.svg"' in page


def test_coverage_page_gives_the_figures(catalog_site: Built) -> None:
    page = catalog_site.page("catalog/coverage/")
    models = len(json.loads((catalog_site.site / "registry.json").read_text())["models"])
    assert "<strong>25.0%</strong> of design types" in page  # Deployment and Security of 8
    assert f"<strong>{round(100 * 2 / models, 1)}%</strong> of the registry&#39;s technologies" in page or (
        f"<strong>{round(100 * 2 / models, 1)}%</strong> of the registry's technologies" in page
    )


def test_schemas_are_published_for_editors(catalog_site: Built) -> None:
    for name in ("catalog", "design"):
        schema = json.loads((catalog_site.site / "schemas" / f"{name}.schema.json").read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_oci_pull_command_appears_when_a_location_is_configured(tmp_path: Path) -> None:
    from .conftest import write_config

    designs = tmp_path / "designs"
    write_entry(designs)
    config = write_config(tmp_path, plugins=["search", {"meshdocs": {
        "registry": [str(Path(__file__).parent.parent / "catalog" / "models")],
        "content": str(Path(__file__).parent.parent / "content"),
        "catalog": str(designs), "oci_repository": "registry.example/catalog"}}])  # fmt: skip
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    assert "oras pull registry.example/catalog/web-shop:1.2.0" in built.page("catalog/web-shop/")


def test_readme_images_may_only_show_files_of_the_entry() -> None:
    from meshdocs.renderers.catalog import readme_html

    html = readme_html("![a](screenshot.png) ![b](https://tracker.example/p.gif) ![c](../../x.png)",
                       frozenset({"screenshot.png"}))  # fmt: skip
    assert 'src="screenshot.png"' in html
    assert "tracker.example" not in html and "x.png" not in html


def test_hostile_text_in_every_catalog_field_shows_escaped(tmp_path: Path) -> None:
    designs = tmp_path / "designs"
    meta = meta_with(
        name="Evil Shop",
        description=EVIL,
        caveats=EVIL,
        keywords=["ok", "k<b>"],
        maintainers=[{"name": f"M {SCRIPT}", "email": "m@example.org", "url": "https://example.org/"}],
        changes=[{"kind": "added", "description": EVIL}],
    )
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["displayName"] = f"web {IMG} {TEMPLATE}"
    design["components"][2]["configuration"]["metadata"]["namespace"] = SCRIPT
    readme = f"# Evil\n\n{SCRIPT}\n\n{IMG}\n\n[x](javascript:alert(9))\n\n<iframe src='http://evil.example'></iframe>\n"
    write_entry(designs, meta, design, readme=readme)
    built = build_site(tmp_path, extra=("--catalog", str(designs)))
    assert built.returncode == 0, built.stderr
    for url in ("catalog/", "catalog/evil-shop/", "catalog/coverage/"):
        page = built.page(url)
        assert live_markup(page) == [], url
    page = built.page("catalog/evil-shop/")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ 7 * 191 }}" in page and "1337" not in page
    assert "evil.example" not in page.split('<div class="mdx-readme">', 1)[1].split("</div>", 1)[0]


def test_model_pages_show_the_pull_command_when_a_location_is_configured(tmp_path: Path) -> None:
    from .conftest import write_config

    root = Path(__file__).parent.parent
    options = {
        "registry": [str(root / "catalog" / "models")],
        "content": str(root / "content"),
        "oci_repository": "registry.example/meshery",
    }
    config = write_config(tmp_path, plugins=["search", {"meshdocs": options}])
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    page = built.page("models/cert-manager/")
    assert "meshdocs model import registry.example/meshery/models/cert-manager:v1.15.1 --into" in page
    assert "oras pull registry.example/meshery/models/keda:v2.14.0" in built.page("models/keda/")


@pytest.mark.parametrize(
    ("markdown", "top", "levels"),
    [
        ("# A\n\n## B\n\n### C", 2, [2, 3, 4]),  # a lesson written from "#": all move down one
        ("## A\n\n### B", 2, [2, 3]),  # a lesson written from "##": stays, no level skipped
        ("# A\n\n## B", 3, [3, 4]),  # a README under "About this design" (h2)
        ("### A\n\n#### B", 2, [2, 3]),  # Layer5's academy writes lessons from "###": up one
        ("#### A\n\n###### B", 4, [4, 6]),
        ("# A\n\n###### B", 2, [2, 6]),  # past h6 stays h6
        ("text only", 2, []),
    ],
)
def test_contributed_headings_move_down_under_the_page_without_skipping(
    markdown: str, top: int, levels: list[int]
) -> None:
    html = markdown_to_html(markdown, top=top)
    assert [int(m) for m in re.findall(r"<h(\d)>", html)] == levels
