"""Writers: only changed files are rewritten, nothing escapes the output, the site is swapped whole."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from meshdocs.writers.docs_dir import MARKER, sync_docs_dir
from meshdocs.writers.paths import UnsafePath, safe_join
from meshdocs.writers.site import SITE_MARKER, prepare_staging, publish, reuse_spare, spare_of


def test_sync_writes_only_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = sync_docs_dir(docs, {"a.md": b"A", "b/c.md": b"C"}, [])
    assert first.written == 3  # two pages and the nav file
    mtime = (docs / "a.md").stat().st_mtime_ns
    second = sync_docs_dir(docs, {"a.md": b"A", "b/c.md": b"C2", "d.md": b"D"}, [])
    assert (second.written, second.unchanged, second.removed) == (2, 2, 0)
    assert (docs / "a.md").stat().st_mtime_ns == mtime
    third = sync_docs_dir(docs, {"a.md": b"A"}, [])
    assert third.removed == 2
    assert not (docs / "b").exists() and (docs / MARKER).exists()


@pytest.mark.parametrize("bad", ["../x.md", "/etc/passwd", "a/../../x", "a\\b", "", ".", "a/./b"])
def test_safe_join_refuses_paths_that_climb_out(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UnsafePath):
        safe_join(tmp_path, bad)


def test_safe_join_refuses_symlinks_out_of_the_root(tmp_path: Path) -> None:
    (tmp_path / "root").mkdir()
    os.symlink("/tmp", tmp_path / "root" / "link")
    with pytest.raises(UnsafePath):
        safe_join(tmp_path / "root", "link/x")


def test_publish_swaps_the_whole_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    staging = prepare_staging(site)
    (staging / "old.html").write_text("old")
    publish(staging, site)
    staging = prepare_staging(site)
    (staging / "new.html").write_text("new")
    publish(staging, site)
    assert sorted(p.name for p in site.iterdir()) == sorted([SITE_MARKER, "new.html"])
    # The replaced site is kept as the spare (the next rebuild's starting point); the spare it replaces
    # is deleted by a detached process: gone soon, not necessarily at once.
    assert sorted(p.name for p in spare_of(site).iterdir()) == sorted([SITE_MARKER, "old.html"])
    staging = prepare_staging(site)
    publish(staging, site)
    expected = sorted(["site", spare_of(site).name])
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert sorted(p.name for p in spare_of(site).iterdir()) == sorted([SITE_MARKER, "new.html"])


def _site(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _snapshot(root: Path) -> dict[str, tuple[int, str]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.read_text())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_rebuild_turns_the_spare_into_the_new_site_without_touching_the_published_one(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    first = prepare_staging(site)
    _site(first, {"a/index.html": "a1", "b/index.html": "b1", "gone/index.html": "g1", "x.css": "x"})
    publish(first, site)
    second = prepare_staging(site)
    _site(second, {"a/index.html": "a2", "b/index.html": "b1", "c/deep/index.html": "c2", "x.css": "x"})
    publish(second, site)  # the first site is now the spare: its own files, a stale page, a gone one
    (spare_of(site) / "junk" / "deep").mkdir(parents=True)
    (spare_of(site) / "junk" / "deep" / "left.html").write_text("from a killed build")
    published = _snapshot(site)
    staging = prepare_staging(site)
    _site(staging, {"b/index.html": "b3"})  # this build rendered one page
    built = reuse_spare(site, staging, skip={SITE_MARKER})
    assert built == spare_of(site)
    assert _snapshot(site) == published  # not a byte, not an inode of the published site changed
    result = _snapshot(built)
    assert {rel: text for rel, (_ino, text) in result.items()} == {
        "a/index.html": "a2",
        "b/index.html": "b3",
        "c/deep/index.html": "c2",
        "x.css": "x",
    }
    for rel in ("a/index.html", "c/deep/index.html", "x.css"):  # unchanged files: links, not copies
        assert result[rel][0] == published[rel][0]
    assert not (built / "gone").exists() and not (built / "junk").exists()
    publish(built, site)
    assert _snapshot(spare_of(site)) == published  # and the site it replaced is the next spare


def test_without_a_spare_a_rebuild_links_into_a_fresh_folder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = prepare_staging(site)
    _site(first, {"a/index.html": "a1"})
    publish(first, site)
    staging = prepare_staging(site)
    assert reuse_spare(site, staging, skip={SITE_MARKER}) is None  # the first publish left no spare


def test_a_replaced_site_left_half_deleted_is_swept_by_the_next_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    staging = prepare_staging(site)
    publish(staging, site)
    leftover = tmp_path / ".meshdocs-old-site-12345"
    (leftover / "deep").mkdir(parents=True)
    (leftover / "deep" / "page.html").write_text("old")
    staging = prepare_staging(site)
    assert not leftover.exists()
    publish(staging, site)


def test_stale_staging_folders_of_killed_builds_are_swept(tmp_path: Path) -> None:
    site = tmp_path / "site"
    leftover = prepare_staging(site)
    (leftover / "half.html").write_text("half")
    fresh = prepare_staging(site)
    assert not leftover.exists() and fresh.exists()
