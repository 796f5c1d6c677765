"""Every version of a model is published, the newest at the URLs it always had; a selector and banners
connect them; what changed is on each version's page; and `meshdocs diff` says the same for CI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest

from .conftest import REGISTRY_2024, Built, build_site, run_cli

AKRI = REGISTRY_2024 / "akri" / "0.12.55"


def _write_version(root: Path, version: str, edit: str) -> Path:
    """A copy of the real akri model as ``version``, with its Configuration schema changed by ``edit``."""
    folder = root / "akri" / version
    shutil.copytree(AKRI, folder)
    for path in folder.rglob("*.json"):
        data = json.loads(path.read_text())
        if "component" in data:  # a component names its model's upstream version in model.model.version
            data["model"].setdefault("model", {})["version"] = version
        else:  # model.json keeps it in model.version
            data.setdefault("model", {})["version"] = version
        if path.name == "Configuration.json":
            schema = json.loads(data["component"]["schema"])
            spec = schema["properties"]["spec"]
            if edit == "old":  # the oldest: a field that later goes away, no capacity limit
                spec["properties"]["legacyMode"] = {"type": "boolean"}
                spec["properties"].get("capacity", {}).pop("maximum", None)
            elif edit == "middle":
                spec["properties"]["capacity"] = {"type": "integer", "maximum": 100}
            else:  # the newest: capacity is tighter, a required field appears
                spec["properties"]["capacity"] = {"type": "integer", "maximum": 10}
                spec["properties"]["owner"] = {"type": "string"}
                spec.setdefault("required", []).append("owner")
            data["component"]["schema"] = json.dumps(schema)
        path.write_text(json.dumps(data))
    return folder


@pytest.fixture(scope="module")
def three_versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    root = tmp_path_factory.mktemp("versions")
    registry = root / "registry"
    # Release order is not string order: 0.12.9 comes before 0.12.55, and v0.12.100 after both.
    _write_version(registry, "0.12.9", "old")
    _write_version(registry, "0.12.55", "middle")
    _write_version(registry, "v0.12.100", "new")
    built = build_site(root, registry, extra=("--strict",))
    assert built.returncode == 0, built.stderr
    return registry, built


def _resolves(built: Built, page_url: str, href: str) -> bool:
    target = urljoin(page_url, href).split("#", 1)[0]
    path = built.site / target
    return (path / "index.html").is_file() if target.endswith("/") else path.is_file()


def test_every_version_is_published_and_the_newest_keeps_its_urls(three_versions: tuple[Path, Built]) -> None:
    _, built = three_versions
    newest = built.page("models/akri/")
    assert "<code>v0.12.100</code>" in newest and "An older version" not in newest
    assert (built.site / "models" / "akri" / "components" / "configuration" / "index.html").is_file()
    for older in ("0.12.55", "0.12.9"):
        page = built.page(f"models/akri/{older}/")
        assert "An older version" in page and "v0.12.100" in page
        assert (
            built.site / "models" / "akri" / older / "components" / "configuration" / "index.html"
        ).is_file()
    data = json.loads((built.site / "registry.json").read_text())
    akri = next(m for m in data["models"] if m["name"] == "akri")
    assert akri["url"] == "models/akri/"
    assert akri["versions"] == [
        {"version": "v0.12.100", "url": "models/akri/"},
        {"version": "0.12.55", "url": "models/akri/0.12.55/"},
        {"version": "0.12.9", "url": "models/akri/0.12.9/"},
    ]


def test_the_selector_links_every_version_and_the_banner_the_newest(
    three_versions: tuple[Path, Built],
) -> None:
    _, built = three_versions
    url = "models/akri/0.12.9/components/configuration/"
    page = built.page(url)
    selector = page.split('class="mdx-version-selector"', 1)[1].split("</nav>", 1)[0]
    hrefs = re.findall(r'href="([^"]+)"', selector)
    assert len(hrefs) == 3 and all(_resolves(built, url, h) for h in hrefs)
    assert 'aria-current="page"' in selector
    banner = page.split("mdx-old-version", 1)[1].split("</div>", 1)[0]
    [newest] = re.findall(r'href="([^"]+)"', banner)
    assert urljoin(url, newest) == "models/akri/components/configuration/"


def test_the_sidebar_does_not_grow_with_versions(three_versions: tuple[Path, Built]) -> None:
    _, built = three_versions
    nav = (built.docs / ".meshdocs-nav.json").read_text()
    assert "0.12.55" not in nav and "0.12.9" not in nav and "changes" not in nav


def test_what_changed_is_on_each_version_and_component(three_versions: tuple[Path, Built]) -> None:
    _, built = three_versions
    changes = built.page("models/akri/changes/")
    assert "Compared with version" in changes and "0.12.55" in changes
    assert "spec.owner" in changes and "spec.capacity" in changes and "breaking" in changes
    component = built.page("models/akri/components/configuration/")
    section = component.split('id="changes"', 1)[1]
    assert "Since version <code>0.12.55</code>" in section
    assert section.index("spec.capacity") < section.index("</table>")
    middle = built.page("models/akri/0.12.55/changes/")
    assert "legacyMode" in middle and "removed" in middle  # the oldest's field went away in 0.12.55


def test_newest_only_when_asked(tmp_path: Path, three_versions: tuple[Path, Built]) -> None:
    registry, _ = three_versions
    built = build_site(tmp_path, registry, extra=("--versions", "newest"))
    assert built.returncode == 0, built.stderr
    assert not (built.site / "models" / "akri" / "0.12.55").exists()
    assert "mdx-version-selector" not in built.page("models/akri/")


def test_meshdocs_diff_says_what_breaks_and_exits_accordingly(three_versions: tuple[Path, Built]) -> None:
    registry, _ = three_versions
    old, new = registry / "akri" / "0.12.55", registry / "akri" / "v0.12.100"
    text = run_cli("diff", old, new)
    assert (
        text.returncode == 0 and "BREAKING  Configuration spec.capacity: constraint-tightened" in text.stdout
    )
    assert run_cli("diff", old, new, "--fail-on-breaking").returncode == 3
    assert run_cli("diff", new, new, "--fail-on-breaking").returncode == 0
    data = json.loads(run_cli("diff", old, new, "--format", "json").stdout)
    changed = data["modelsChanged"][0]["componentsChanged"][0]["changes"]
    assert {(c["path"], c["change"], c["breaking"]) for c in changed} >= {
        ("spec.capacity", "constraint-tightened", True),
        ("spec.owner", "added", True),
    }
    markdown = run_cli("diff", registry / "akri" / "0.12.9", old, "--format", "markdown").stdout
    assert "**breaking**: Configuration `spec.legacyMode`: removed" in markdown
    missing = run_cli("diff", registry / "nope", new)
    assert missing.returncode == 1 and "not a folder" in missing.stderr
