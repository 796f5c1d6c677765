"""The same input gives byte-identical output: the docs dir and the whole built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import REGISTRY_2026, build_site, write_config


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


def test_no_build_time_in_the_output_unless_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = write_config(tmp_path, site_url="https://registry.example/")
    built = build_site(tmp_path, REGISTRY_2026, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    sitemap = (built.site / "sitemap.xml").read_text()
    assert "<loc>https://registry.example/models/kubernetes/</loc>" in sitemap
    assert "<lastmod>" not in sitemap
    header = (built.site / "sitemap.xml.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0", "gzip mtime is zero"


def test_configured_build_date_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    config = write_config(tmp_path, site_url="https://registry.example/")
    built = build_site(tmp_path, REGISTRY_2026, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    assert "<lastmod>2026-01-01</lastmod>" in (built.site / "sitemap.xml").read_text()


def test_rebuild_into_the_same_docs_dir_rewrites_nothing(tmp_path: Path) -> None:
    first = build_site(tmp_path, REGISTRY_2026)
    stamps = {p: p.stat().st_mtime_ns for p in first.docs.rglob("*") if p.is_file()}
    second = build_site(tmp_path, REGISTRY_2026)
    assert second.returncode == 0
    assert {p: p.stat().st_mtime_ns for p in second.docs.rglob("*") if p.is_file()} == stamps
