"""The same input gives byte-identical output: the docs dir and the whole built site."""

from __future__ import annotations

from pathlib import Path

from .conftest import REGISTRY_2026, build_site


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    a = build_site(tmp_path / "a", REGISTRY_2026)
    b = build_site(tmp_path / "b", REGISTRY_2026)
    assert a.returncode == b.returncode == 0
    docs_a, docs_b = tree(a.docs), tree(b.docs)
    assert docs_a == docs_b
    site_a, site_b = tree(a.site), tree(b.site)
    assert sorted(site_a) == sorted(site_b)
    different = [name for name in site_a if site_a[name] != site_b[name]]
    assert different == []


def test_rebuild_into_the_same_docs_dir_rewrites_nothing(tmp_path: Path) -> None:
    first = build_site(tmp_path, REGISTRY_2026)
    stamps = {p: p.stat().st_mtime_ns for p in first.docs.rglob("*") if p.is_file()}
    second = build_site(tmp_path, REGISTRY_2026)
    assert second.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in second.docs.rglob("*") if p.is_file()} == stamps
