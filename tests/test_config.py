"""One configuration: the plugin's schema read the same way by MkDocs and by every command, and one
resolver that puts the command line over mkdocs.yml with paths relative to that file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from meshdocs.config import (
    ConfigError,
    Overrides,
    default_registries,
    read_config,
    resolve_options,
    validated,
)
from meshdocs.resources import embedded_registry
from meshdocs.sitemap import Prefixes

from .conftest import REPO, run_cli


def write_mkdocs(folder: Path, plugin: object, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"site_name": "T", "site_url": "https://example.org/docs/"}, sort_keys=False)
    body += extra
    body += yaml.safe_dump({"plugins": ["search", {"meshdocs": plugin}]}, sort_keys=False)
    path = folder / "mkdocs.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_commands_read_the_plugin_block_with_the_plugins_own_schema(tmp_path: Path) -> None:
    path = write_mkdocs(
        tmp_path,
        {
            "registry": ["models"],
            "catalog": "designs",
            "artifacthub": {"provider": "Us", "owners": [{"name": "A", "email": "a@example.org"}]},
            "prefixes": {"catalog": "designs-catalog"},
        },
        # Tags MkDocs resolves at build time read as nothing here, without failing.
        extra="copyright: !ENV [COPYRIGHT, 'none']\n",
    )
    loaded = read_config(path)
    assert loaded.enabled and loaded.site_url == "https://example.org/docs/"
    assert loaded.plugin.registry == ["models"]
    assert loaded.plugin.artifacthub.provider == "Us"
    assert [(o.name, o.email) for o in loaded.plugin.artifacthub.owners] == [("A", "a@example.org")]
    assert loaded.plugin.generated_dir == "site_src"  # defaults come from the schema, not a second copy
    options = loaded.options()
    assert options.registries == [(tmp_path / "models").resolve()]
    assert options.catalog == (tmp_path / "designs").resolve()
    assert options.prefixes == Prefixes(catalog="designs-catalog")


@pytest.mark.parametrize(
    ("plugin", "key"),
    [
        ({"registry": 5}, "registry"),
        ({"show_answers": "sometimes"}, "show_answers"),
        ({"artifacthub": {"owners": "everyone"}}, "artifacthub"),
        ({"prefixes": {"catalog": "../outside"}}, "prefixes"),
        ({"prefixes": {"security_keys": "/abs"}}, "prefixes"),
    ],
)
def test_a_bad_plugin_setting_is_one_line_naming_the_key(tmp_path: Path, plugin: dict, key: str) -> None:
    path = write_mkdocs(tmp_path, plugin)
    with pytest.raises(ConfigError, match=rf"plugins\.meshdocs\.{key}"):
        read_config(path)
    proc = run_cli("artifacthub", "export", "--out", tmp_path / "out", "-f", path, cwd=tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert f"plugins.meshdocs.{key}" in proc.stderr.strip().splitlines()[-1]


def test_overlapping_prefixes_are_refused(tmp_path: Path) -> None:
    config = validated(
        {"prefixes": {"models": "reference", "registry": "reference/index"}}, tmp_path / "m.yml"
    )
    with pytest.raises(ConfigError, match="overlap"):
        resolve_options(config, tmp_path)
    config = validated({"prefixes": {"security_keys": "catalog"}}, tmp_path / "m.yml")
    with pytest.raises(ConfigError, match="'catalog' and 'catalog' overlap"):
        resolve_options(config, tmp_path)


def test_the_command_line_wins_and_paths_are_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    config = validated(
        {"registry": ["r"], "catalog": "c", "keys_file": "k.csv", "include_ignored": False},
        tmp_path / "m.yml",
    )
    plain = resolve_options(config, tmp_path)
    assert plain.registries == [(tmp_path / "r").resolve()]
    assert plain.keys == (tmp_path / "k.csv").resolve()
    assert plain.docs_dir == (tmp_path / "site_src").resolve()
    flags = Overrides(registries=(Path("/x/reg"),), catalog=Path("/x/cat"), include_ignored=True)
    over = resolve_options(config, tmp_path, flags)
    assert over.registries == [Path("/x/reg")]
    assert over.catalog == Path("/x/cat")
    assert over.include_ignored is True
    assert over.keys == plain.keys  # what the command line leaves alone stays the file's


def test_without_a_registry_the_embedded_one_and_the_sites_own_pages_are_published(tmp_path: Path) -> None:
    config = validated({}, tmp_path / "mkdocs.yml")
    options = resolve_options(config, tmp_path, own_docs_dir=tmp_path / "docs")
    assert options.registries == [embedded_registry()]
    assert options.content == tmp_path / "docs"
    # The generated folder itself is never read back as content.
    again = resolve_options(config, tmp_path, own_docs_dir=options.docs_dir)
    assert again.content is None


def test_config_sources_to_generate_are_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    config = validated({"generate": ["crds/", "https://example.org/crd.yaml"]}, tmp_path / "mkdocs.yml")
    options = resolve_options(config, tmp_path)
    assert options.generate == (str((tmp_path / "crds").resolve()), "https://example.org/crd.yaml")


def test_designs_are_checked_against_the_projects_registry_else_the_embedded_one(tmp_path: Path) -> None:
    own = tmp_path / "with-config"
    (own / "models").mkdir(parents=True)
    write_mkdocs(own, {"registry": ["models"]})
    bare = tmp_path / "with-folder"
    (bare / "catalog" / "models").mkdir(parents=True)
    empty = tmp_path / "empty"
    empty.mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(own)
        assert [p.resolve() for p in default_registries()] == [(own / "models").resolve()]
        os.chdir(bare)
        assert [p.resolve() for p in default_registries()] == [(bare / "catalog" / "models").resolve()]
        os.chdir(empty)
        assert default_registries() == [embedded_registry()]
    finally:
        os.chdir(cwd)


def test_the_repositorys_own_mkdocs_yml_passes_the_schema() -> None:
    loaded = read_config(REPO / "mkdocs.yml")
    assert loaded.enabled
    assert loaded.plugin.artifacthub.publish is True
    assert loaded.options().prefixes == Prefixes()
