"""Faults during a build: killed, failing, read-only or full output folder. The last good site survives.

A good site is built once per module through the real CLI and copied into each test's folder; the faulty
second build then runs against that copy. Real tmpfs mounts are used where the kernel lets us (tests run
as root); where mounting is refused the fault is injected into an in-process build instead.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from .conftest import REGISTRY_2024, REPO, Built, build_site, run_cli

STAGING_GLOB = ".meshdocs-staging-site-*"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path → bytes); folders are implied by their files."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_site(site: Path, before: dict[str, bytes]) -> None:
    after = snapshot(site)
    missing = sorted(set(before) - set(after))
    extra = sorted(set(after) - set(before))
    changed = sorted(rel for rel in set(before) & set(after) if before[rel] != after[rel])
    assert not (missing or extra or changed), (
        f"the previous site changed: missing {missing[:5]}, extra {extra[:5]}, changed {changed[:5]}"
    )


@pytest.fixture(scope="module")
def good_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_site(tmp_path_factory.mktemp("good"))
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture
def previous(good_build: Built, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A copy of the good site at ``tmp_path/out/site`` and its bytes."""
    site = tmp_path / "out" / "site"
    shutil.copytree(good_build.site, site, symlinks=True)
    return site, snapshot(site)


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True
    )
    return proc.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", str(target)], capture_output=True, check=False)


def _can_mount(tmp: Path) -> bool:
    probe = tmp / "mount-probe"
    if shutil.which("mount") is None or not _mount(probe, "size=64k"):
        return False
    _umount(probe)
    return True


@pytest.fixture
def mkdocs_logging() -> Iterator[None]:
    """In-process builds attach a handler to the 'mkdocs' logger; take it off again afterwards."""
    logger = logging.getLogger("mkdocs")
    handlers, level = list(logger.handlers), logger.level
    yield
    logger.handlers[:] = handlers
    logger.setLevel(level)


def _cli_in_process(monkeypatch: pytest.MonkeyPatch, *args: str | Path) -> tuple[int, str]:
    from meshdocs.cli import cli

    monkeypatch.chdir(REPO)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("MESHDOCS_DEBUG", raising=False)
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


def _assert_one_line_failure(code: int, output: str) -> str:
    assert code == 1, output
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if line.startswith("meshdocs:")]
    assert len(lines) == 1, output
    assert "internal error" not in lines[0], output
    return lines[0]


# --- a build killed midway --------------------------------------------------------------------------------


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killed_build_leaves_the_previous_site_intact(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path, sig: signal.Signals
) -> None:
    site, before = previous
    docs = tmp_path / "docs-big"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    args = ["build", "--registry", str(REGISTRY_2024), "--site-dir", str(site), "--docs-dir", str(docs)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "meshdocs", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        mid_build = False
        while time.monotonic() < deadline and proc.poll() is None:
            staging = list(site.parent.glob(STAGING_GLOB))
            if staging and any(any(s.iterdir()) for s in staging if s.is_dir()):
                mid_build = True
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the larger build finished before it could be interrupted"
        assert mid_build, "the build never started writing its staging folder"
        proc.send_signal(sig)
        assert proc.wait(timeout=30) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert_same_site(site, before)

    again = run_cli("build", "--site-dir", site, "--docs-dir", tmp_path / "docs-again")
    assert again.returncode == 0, again.stderr
    assert (site / "index.html").is_file() and (site / ".meshdocs-site").is_file()
    assert list(site.parent.glob(STAGING_GLOB)) == [], "the stale staging folder was not swept"


# --- a failing build never deletes the last good site -----------------------------------------------------


def test_missing_registry_keeps_the_previous_site(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    site, before = previous
    proc = run_cli(
        "build", "--registry", tmp_path / "no-such-registry", "--site-dir", site, "--docs-dir", tmp_path / "d"
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert_same_site(site, before)
    assert list(site.parent.glob(STAGING_GLOB)) == []


def test_strict_unknown_schema_version_keeps_the_previous_site(
    previous: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    site, before = previous
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY_2024 / "akri", registry / "akri")
    comp = registry / "akri" / "0.12.55" / "v1.0.0" / "components" / "Instance.json"
    data = json.loads(comp.read_text())
    data["schemaVersion"] = "components.meshery.io/v9"
    comp.write_text(json.dumps(data))
    (tmp_path / "no-designs").mkdir()
    proc = run_cli(
        "build",
        "--strict",
        "--registry",
        registry,
        "--catalog",
        tmp_path / "no-designs",
        "--site-dir",
        site,
        "--docs-dir",
        tmp_path / "d",
    )
    assert proc.returncode == 1, proc.stderr
    assert "unknown schemaVersion" in proc.stderr and "nothing was published" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert_same_site(site, before)
    assert list(site.parent.glob(STAGING_GLOB)) == []


# --- read-only output folder ------------------------------------------------------------------------------


def test_read_only_mount_fails_in_one_line(good_build: Built, tmp_path: Path) -> None:
    if not _can_mount(tmp_path):
        pytest.skip("mounting tmpfs is not permitted here (the injected variant covers this)")
    mnt = tmp_path / "ro"
    assert _mount(mnt, "size=64m")
    try:
        site = mnt / "site"
        shutil.copytree(good_build.site, site, symlinks=True)
        before = snapshot(site)
        remount = subprocess.run(["mount", "-o", "remount,ro", str(mnt)], capture_output=True, text=True)
        assert remount.returncode == 0, remount.stderr
        proc = run_cli("build", "--site-dir", site, "--docs-dir", tmp_path / "docs")
        line = _assert_one_line_failure(proc.returncode, proc.stderr)
        assert "Read-only file system" in line, proc.stderr
        assert_same_site(site, before)
    finally:
        _umount(mnt)


def test_read_only_on_publish_fails_in_one_line(
    previous: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mkdocs_logging: None,
) -> None:
    """Injected: the swap into place is refused as on a read-only file system."""
    import meshdocs.writers.site as site_writer

    def refuse(*_args: object) -> bool:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(site_writer, "_exchange", refuse)
    monkeypatch.setattr(site_writer.os, "rename", refuse)
    site, before = previous
    code, output = _cli_in_process(monkeypatch, "build", "--site-dir", site, "--docs-dir", tmp_path / "docs")
    line = _assert_one_line_failure(code, output)
    assert "cannot publish" in line and "Read-only file system" in line, output
    monkeypatch.undo()
    assert_same_site(site, before)
    assert list(site.parent.glob(STAGING_GLOB)) == []


# --- full disk --------------------------------------------------------------------------------------------


def test_full_disk_mount_fails_and_keeps_the_previous_site(good_build: Built, tmp_path: Path) -> None:
    if not _can_mount(tmp_path):
        pytest.skip("mounting tmpfs is not permitted here (the injected variant covers this)")
    used = sum(p.stat().st_size for p in good_build.site.rglob("*") if p.is_file())
    files = sum(1 for _ in good_build.site.rglob("*"))
    # Room for the previous site (file sizes rounded up to pages) and little more: the next one cannot fit.
    size_k = (used + files * 4096) // 1024 + 256
    mnt = tmp_path / "full"
    assert _mount(mnt, f"size={size_k}k")
    try:
        site = mnt / "site"
        shutil.copytree(good_build.site, site, symlinks=True)
        before = snapshot(site)
        # --full: an incremental rebuild of an unchanged site fits (it hard-links); a full one cannot.
        proc = run_cli("build", "--full", "--site-dir", site, "--docs-dir", tmp_path / "docs")
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "No space left" in proc.stderr or "cannot write" in proc.stderr, proc.stderr
        assert_same_site(site, before)
        assert list(mnt.glob(STAGING_GLOB)) == [], "the failed build's staging folder was left behind"
    finally:
        _umount(mnt)


def test_full_disk_while_writing_docs_fails_in_one_line(
    previous: tuple[Path, dict[str, bytes]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    mkdocs_logging: None,
) -> None:
    """Injected: the generated docs dir cannot be written because the disk is full."""
    import meshdocs.writers.docs_dir as docs_writer

    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docs_writer, "_write_atomic", full)
    site, before = previous
    code, output = _cli_in_process(
        monkeypatch, "build", "--site-dir", site, "--docs-dir", tmp_path / "new-docs"
    )
    _assert_one_line_failure(code, output)
    # MkDocs logs the cause ("ERROR - cannot write …: No space left on device") above the final line.
    assert "No space left" in output or "cannot write" in output, output
    monkeypatch.undo()
    assert_same_site(site, before)
    assert list(site.parent.glob(STAGING_GLOB)) == []
