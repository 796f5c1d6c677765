"""The security key reference: both real spreadsheet layouts, each rule, static pages and keys.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report
from meshdocs.loaders.keys import CANONICAL, SERVER, load_keys
from meshdocs.writers.search_sources import sources_dir

from .conftest import SHARED, Built, build_site
from .hostile import IMG, SCRIPT
from .htmlcheck import live_markup

KEYS = SHARED / "keys"
SERVER_CSV = KEYS / "meshery_server_permissions_keys.csv"
CANONICAL_CSV = KEYS / "meshery-schemas_build_permissions.csv"
GROUP = ",,,Authorization,,,Keychain,Keys,,\n"
MONIKERS = 486  # rows of the real canonical sheet that have a Moniker
HEADER = "Category,Function,Feature,User,Team Admin,Org Admin,Keychain ID,Key ID,Inserted,Local Provider\n"


def sheet(tmp: Path, rows: str) -> Path:
    path = tmp / "keys.csv"
    path.write_text(GROUP + HEADER + rows)
    return path


def load(path: Path) -> tuple[object, list[str]]:
    report = Report(root=path.parent)
    result = load_keys(path, report)
    return result, [f"{d.severity.value}: {d.where}: {d.what}" for d in report.sorted()]


def test_real_server_export_is_read() -> None:
    result, problems = load(SERVER_CSV)
    assert result.format == SERVER
    # "Academy Admin" and "Leaner" are columns no key is marked in: they say nothing and are dropped
    roles = ("User", "Team Admin", "Workspace Admin", "Org Billing Manager", "Org Admin", "Provider Admin")
    assert result.roles == roles
    assert len(result.keys) == 100
    assert problems == [
        "warning: meshery_server_permissions_keys.csv:10: Key ID: key '?' has no Key ID; it is not published"
    ]


def test_real_canonical_sheet_is_read() -> None:
    result, problems = load(CANONICAL_CSV)
    assert result.format == CANONICAL
    assert result.roles[:2] == ("Anonymous", "User") and "Curator" not in result.roles  # nobody holds Curator
    assert len(result.keys) == 509
    assert len({k.theme for k in result.keys}) == 31
    assert all(p.startswith("warning:") and "Key ID" in p for p in problems)
    assert sum(1 for k in result.keys if k.moniker) == MONIKERS


def test_other_spreadsheets_are_refused_naming_the_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Name,Description,Key ID\nx,y,z\n")
    result, problems = load(path)
    assert result is None
    assert problems == [
        "error: other.csv:1: not a permission keys sheet: missing the columns Category, Function, "
        "Feature, Keychain ID (expected Meshery's server export or canonical sheet)"
    ]


def test_key_id_must_be_a_uuid_and_such_rows_are_not_published(tmp_path: Path) -> None:
    result, problems = load(sheet(tmp_path, "Catalog,Share,Share it,X,,X,Catalog,not-a-uuid,X,TRUE\n"))
    assert result.keys == []
    assert problems == [
        "warning: keys.csv:3: Key ID: key 'Share' 'not-a-uuid' is not a UUID; it is not published"
    ]


def test_duplicate_ids_are_reported_and_published_once(tmp_path: Path) -> None:
    key = "d9ae2b08-762f-418f-916f-43de736b53e2"
    rows = (
        f"Catalog,Share,Share it,X,,X,Catalog,{key},X,TRUE\n"
        f"Catalog,Share again,Again,X,,,Catalog,{key},X,TRUE\n"
    )
    result, problems = load(sheet(tmp_path, rows))
    assert [k.name for k in result.keys] == ["Share"]
    assert problems == [
        f"warning: keys.csv:4: Key ID: Key ID {key} is used again (first on line 3); published once"
    ]


def test_blank_rows_are_skipped_and_case_and_space_variants_merged(tmp_path: Path) -> None:
    rows = (
        "Catalog ,Share,Share it,X,,X,Catalog Management,11111111-1111-4111-8111-111111111111,X,TRUE\n"
        ",,,,,,,,,\n"
        "catalog,Clone,Clone it,x,X,X*,Catalog Management,22222222-2222-4222-8222-222222222222,X,TRUE\n"
        "Catalog,View,View it,,,X,Catalog Management,33333333-3333-4333-8333-333333333333,X,TRUE\n"
    )
    result, problems = load(sheet(tmp_path, rows))
    assert problems == []
    assert {k.category for k in result.keys} == {"Catalog"}
    assert {k.theme for k in result.keys} == {"Catalog Management"}
    clone = next(k for k in result.keys if k.name == "Clone")
    assert clone.roles == ("User", "Team Admin", "Org Admin")


@pytest.fixture(scope="module")
def keys_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("keys")
    built = build_site(tmp, extra=("--keys", str(CANONICAL_CSV)))
    assert built.returncode == 0, built.stderr
    return built


def test_one_page_per_category_with_anchored_keys_and_a_role_matrix(keys_site: Built) -> None:
    data = json.loads((keys_site.site / "keys.json").read_text())
    assert len(data["keys"]) == 509 and data["roles"][0] == "Anonymous"
    pages = {k["url"].split("#")[0] for k in data["keys"]}
    assert len(pages) == 169
    for key in data["keys"][:40]:
        page, anchor = key["url"].split("#")
        html = keys_site.page(page)
        assert f'<tr id="{anchor}">' in html
        assert f'<code class="mdx-break">{key["id"]}</code>' in html
    first = data["keys"][0]
    html = keys_site.page(first["url"].split("#")[0])
    assert html.count('<th class="mdx-role">') == len(data["roles"])


def test_keys_are_in_the_static_html_and_the_search_index(keys_site: Built) -> None:
    data = json.loads((keys_site.site / "keys.json").read_text())
    key = next(k for k in data["keys"] if k["name"] == "View Profile")
    html = keys_site.page(key["url"].split("#")[0])
    assert (
        "View your profile." in html
        and "<script" not in html.split('<div class="mdx-table mdx-keys">')[1].split("</table>")[0]
    )
    # What Pagefind indexes for that page (writers/search_sources): the article, with the key's text.
    source = sources_dir(keys_site.site) / key["url"].split("#")[0] / "index.html"
    assert "View your profile." in source.read_text()
    assert (keys_site.site / "pagefind" / "pagefind-entry.json").is_file()


def test_hostile_text_in_the_keys_sheet_shows_escaped(tmp_path: Path) -> None:
    rows = f"{SCRIPT},{IMG},Desc {SCRIPT},X,,X,Theme {SCRIPT},44444444-4444-4444-8444-444444444444,X,TRUE\n"
    built = build_site(tmp_path, extra=("--keys", str(sheet(tmp_path, rows))))
    assert built.returncode == 0, built.stderr
    pages = list((built.site / "keys").rglob("index.html"))
    assert len(pages) == 3
    for page in pages:
        assert live_markup(page.read_text()) == [], page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in "".join(p.read_text() for p in pages)


def test_embedded_keys_build_clean_with_variants_merged(site_embedded: Built) -> None:
    data = json.loads((site_embedded.site / "keys.json").read_text())
    assert len(data["keys"]) >= 50
    designs = {k["category"] for k in data["keys"] if k["theme"] == "Catalog Management"}
    assert "Designs" in designs and "designs" not in designs and "Designs " not in designs
    assert "0 error(s), 0 warning(s)" in site_embedded.stderr


def test_missing_keys_file_is_an_error_and_the_rest_builds(tmp_path: Path) -> None:
    built = build_site(tmp_path, extra=("--keys", str(tmp_path / "nope.csv")))
    assert built.returncode == 0
    assert "nope.csv: error: keys file not found" in built.stderr
    assert not (built.site / "keys").exists() and (built.site / "registry.json").is_file()
