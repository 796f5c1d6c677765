"""One build session, request in and outcome out: what `meshdocs build` runs, driven here in-process
with a real MkDocs build, as the CLI drives it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from meshdocs.config import Overrides
from meshdocs.session import BuildRequest, BuildSession

from .conftest import REGISTRY_2024, write_config


def _project(tmp_path: Path, broken: bool = False) -> tuple[Path, Overrides]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY_2024 / "akri", registry / "akri")
    if broken:  # a component whose schema is not JSON: a warning, and the page is still published
        path = registry / "akri" / "0.12.55" / "v1.0.0" / "components" / "Instance.json"
        data = json.loads(path.read_text())
        data["component"]["schema"] = "{not json"
        path.write_text(json.dumps(data))
    (tmp_path / "no-designs").mkdir()
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "index.md").write_text("# Start\n")
    overrides = Overrides(
        registries=(registry,), catalog=tmp_path / "no-designs", content=pages, docs_dir=tmp_path / "docs"
    )
    return write_config(tmp_path), overrides


def test_a_session_publishes_the_site_and_says_what_it_built(tmp_path: Path) -> None:
    config, overrides = _project(tmp_path)
    outcome = BuildSession(
        BuildRequest(config_file=config, overrides=overrides, site_dir=tmp_path / "site", jobs=1)
    ).run()
    assert outcome.published, outcome.error
    assert outcome.target == (tmp_path / "site").absolute()
    assert outcome.pages_by_kind["component"] == 2 and outcome.pages_by_kind["model"] == 1
    assert (tmp_path / "site" / "models" / "akri" / "components" / "instance" / "index.html").is_file()
    assert outcome.summary is not None and outcome.summary.plan == "full build (no earlier site)"
    again = BuildSession(
        BuildRequest(config_file=config, overrides=overrides, site_dir=tmp_path / "site", jobs=1)
    ).run()
    assert again.summary is not None and again.summary.plan.startswith("incremental (0 changed")
    assert again.summary.rendered == 0


def test_strict_with_warnings_publishes_nothing_and_keeps_the_published_site(tmp_path: Path) -> None:
    config, overrides = _project(tmp_path)
    site = tmp_path / "site"
    assert (
        BuildSession(BuildRequest(config_file=config, overrides=overrides, site_dir=site, jobs=1))
        .run()
        .published
    )
    before = (site / "index.html").read_bytes()
    shutil.rmtree(tmp_path / "registry")
    shutil.rmtree(tmp_path / "docs")
    (tmp_path / "no-designs").rmdir()
    (tmp_path / "pages" / "index.md").unlink()
    (tmp_path / "pages").rmdir()
    config, overrides = _project(tmp_path, broken=True)
    outcome = BuildSession(
        BuildRequest(config_file=config, overrides=overrides, site_dir=site, strict=True, jobs=1)
    ).run()
    assert not outcome.published
    assert outcome.error == "1 problem(s) in strict mode; nothing was published"
    assert [d.field for d in outcome.report.items if d.severity.value == "warning"] == ["component.schema"]
    assert (site / "index.html").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # the staging folder is gone


def test_a_configuration_without_the_plugin_is_a_one_line_outcome(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    (tmp_path / "docs").mkdir()
    config.write_text(yaml.safe_dump({"site_name": "x", "theme": {"name": "material"}}))
    outcome = BuildSession(BuildRequest(config_file=config, site_dir=tmp_path / "site")).run()
    assert not outcome.published
    assert outcome.error == f"{config} does not enable the 'meshdocs' plugin"
    missing = BuildSession(BuildRequest(config_file=tmp_path / "nope.yml")).run()
    assert missing.error == f"config file {tmp_path / 'nope.yml'} not found"
