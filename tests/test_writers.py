"""Writers: only changed files are rewritten, nothing escapes the output, the site is swapped whole."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from meshdocs.writers.docs_dir import MARKER, sync_docs_dir
from meshdocs.writers.paths import UnsafePath, safe_join
from meshdocs.writers.site import SITE_MARKER, prepare_staging, publish


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
    # The replaced site is deleted by a detached process: gone soon, not necessarily at once.
    deadline = time.monotonic() + 30
    while [p.name for p in tmp_path.iterdir()] != ["site"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


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
