"""The registry read cache: a republish parses only what changed, and never reuses a stale read.

Each test loads a copy of the real 2024 registry twice, through a cache written to disk and read back as
the next build would, and compares with a load that has no cache at all: the cache may only save time.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report
from meshdocs.loaders.read_cache import CACHE_FILE, ReadCache
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Component, Registry

from .conftest import REGISTRY_2024

CODE = "code-digest-a"


def _load(root: Path, cache_dir: Path, code: str = CODE) -> tuple[Registry, Report, ReadCache]:
    """One build's load: the cache as the last build left it in ``cache_dir``, written back afterwards."""
    report = Report(root=root)
    cache = ReadCache.load(cache_dir, code)
    registry = load_registry([root], report, LoadOptions(all_versions=True), cache)
    (cache_dir / CACHE_FILE).write_bytes(cache.to_bytes())
    return registry, report, cache


def _plain(root: Path) -> tuple[Registry, Report]:
    report = Report(root=root)
    return load_registry([root], report, LoadOptions(all_versions=True)), report


def _lines(report: Report) -> list[str]:
    return [d.format() for d in report.sorted()]


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    # argo-cd (two versions), kubernetes (relationships, wildcards) and a model with schema problems:
    # enough variety to see every kind of read, small enough to copy per test.
    root = tmp_path / "registry"
    for name in ("argo-cd", "kubernetes", "cert-manager", "istio-base"):
        if (REGISTRY_2024 / name).is_dir():
            shutil.copytree(REGISTRY_2024 / name, root / name)
    return root


def _components(root: Path) -> list[Path]:
    return sorted(root.glob("*/*/v1.0.0/components/*.json"))


def _published(registry: Registry) -> list[Component]:
    """Every component of every published version, older ones included."""
    models = [*registry.models, *(m for versions in registry.older.values() for m in versions)]
    return [c for m in models for c in m.components]


def test_a_warm_load_reads_nothing_again_and_equals_an_uncached_one(registry: Path, tmp_path: Path) -> None:
    cold, cold_report, first = _load(registry, tmp_path)
    assert first.hits == 0 and first.misses > 100
    warm, warm_report, second = _load(registry, tmp_path)
    assert second.misses == 0 and second.hits == first.misses
    plain, plain_report = _plain(registry)
    assert cold == plain and warm == plain
    assert _lines(cold_report) == _lines(warm_report) == _lines(plain_report)  # problems are replayed


def test_an_edited_file_is_read_again_and_only_it(registry: Path, tmp_path: Path) -> None:
    _load(registry, tmp_path)
    path = _components(registry)[3]
    data = json.loads(path.read_text())
    data["description"] = "Edited for the cache test."
    path.write_text(json.dumps(data))
    edited, report, cache = _load(registry, tmp_path)
    assert cache.misses == 1
    kind = data["component"]["kind"]
    found = _published(edited)
    assert any(c.kind == kind and c.description == "Edited for the cache test." for c in found)
    assert (edited, _lines(report)) == (_plain(registry)[0], _lines(_plain(registry)[1]))


def test_an_added_file_is_read_and_a_deleted_one_drops_out(registry: Path, tmp_path: Path) -> None:
    _, _, first = _load(registry, tmp_path)
    source = _components(registry)[0]
    added = source.with_name("AddedForTheCacheTest.json")
    data = json.loads(source.read_text())
    data["component"]["kind"] = "AddedForTheCacheTest"
    added.write_text(json.dumps(data))
    loaded, _, cache = _load(registry, tmp_path)
    assert cache.misses == 1
    assert any(c.kind == "AddedForTheCacheTest" for c in _published(loaded))
    assert loaded == _plain(registry)[0]
    added.unlink()
    loaded, _, cache = _load(registry, tmp_path)
    assert cache.misses == 0 and len(cache.current) == len(first.current)
    assert not any(c.kind == "AddedForTheCacheTest" for c in _published(loaded))
    assert loaded == _plain(registry)[0]
    assert len(ReadCache.load(tmp_path, CODE).previous) == len(first.current)  # its read is gone


def test_a_renamed_file_is_read_again_under_its_new_name(registry: Path, tmp_path: Path) -> None:
    _load(registry, tmp_path)
    path = _components(registry)[5]
    renamed = path.with_name("Renamed.json")
    path.rename(renamed)
    loaded, _, cache = _load(registry, tmp_path)
    assert cache.misses == 1  # same bytes, new path: the component's source must say the new name
    assert any(c.source == renamed for c in _published(loaded))
    assert not any(c.source == path for c in _published(loaded))
    assert loaded == _plain(registry)[0]


def test_a_file_moved_to_another_model_folder_takes_that_folders_identity(
    registry: Path, tmp_path: Path
) -> None:
    # Folder names are the fallback identity: the same bytes elsewhere may belong to another model.
    _load(registry, tmp_path)
    path = _components(registry)[0]
    data = json.loads(path.read_text())
    del data["model"]
    path.write_text(json.dumps(data))
    _load(registry, tmp_path)
    target = registry / "moved-model" / "1.0.0" / "v1.0.0" / "components" / path.name
    target.parent.mkdir(parents=True)
    shutil.copy(path, target)
    loaded, _, cache = _load(registry, tmp_path)
    assert cache.misses == 1
    assert loaded == _plain(registry)[0]


def test_other_code_or_a_damaged_file_means_a_cold_cache(registry: Path, tmp_path: Path) -> None:
    _load(registry, tmp_path)
    assert ReadCache.load(tmp_path, CODE).previous
    assert ReadCache.load(tmp_path, "code-digest-b").previous == {}  # the reading code changed
    _, _, cache = _load(registry, tmp_path, code="code-digest-b")
    assert cache.hits == 0
    raw = (tmp_path / CACHE_FILE).read_bytes()
    (tmp_path / CACHE_FILE).write_bytes(raw[: len(raw) // 2])  # cut short, as by a full disk
    assert ReadCache.load(tmp_path, "code-digest-b").previous == {}
    (tmp_path / CACHE_FILE).write_bytes(b"not a cache")
    loaded, _, cache = _load(registry, tmp_path, code="code-digest-b")
    assert cache.hits == 0 and loaded == _plain(registry)[0]


def test_an_unreadable_file_is_reported_every_time_not_cached(registry: Path, tmp_path: Path) -> None:
    bad = _components(registry)[0].with_name("Broken.json")
    bad.write_text('{"schemaVersion": "components.meshery.io/v1beta1", ')
    _, first, _ = _load(registry, tmp_path)
    _, second, _ = _load(registry, tmp_path)
    broken = [[d for d in _lines(report) if "Broken.json" in d] for report in (first, second)]
    assert broken[0] == broken[1]
    assert any("Broken.json" in d and "not valid JSON" in d for d in _lines(second))


def test_the_build_keeps_its_cache_in_the_docs_dir_and_republishes_an_edit(tmp_path: Path) -> None:
    from .conftest import run_cli

    root = tmp_path / "registry"
    shutil.copytree(REGISTRY_2024 / "argo-cd", root / "argo-cd")
    args = ("build", "--registry", root, "--site-dir", tmp_path / "site", "--docs-dir", tmp_path / "docs")
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    assert (tmp_path / "docs" / CACHE_FILE).is_file()
    path = _components(root)[0]
    data = json.loads(path.read_text())
    data["description"] = "Republished through the read cache."
    path.write_text(json.dumps(data))
    assert run_cli(*args, cwd=tmp_path).returncode == 0
    pages = [p for p in (tmp_path / "site").rglob("index.html") if "through the read cache" in p.read_text()]
    assert pages
