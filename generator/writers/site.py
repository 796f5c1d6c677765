"""Publish a built site by swapping a finished folder in whole.

A build writes into a fresh sibling folder; only when it succeeded is that folder exchanged with the
published one (atomically with ``renameat2(RENAME_EXCHANGE)`` where the kernel has it). A build that
fails or is killed leaves the last good site as it was; its leftovers are swept at the next build.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

SITE_MARKER = ".meshdocs-site"
_STAGING_PREFIX = ".meshdocs-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class SiteDirError(OSError):
    """The site folder cannot be prepared or replaced."""


def prepare_staging(site_dir: Path) -> Path:
    """A new empty folder beside ``site_dir`` to build into; stale ones from killed builds are removed."""
    site_dir = site_dir.absolute()
    parent = site_dir.parent
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteDirError(f"{site_dir} exists and is not a folder")
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).exists():
        raise SiteDirError(
            f"{site_dir} is not empty and holds no earlier meshdocs build; refusing to replace it "
            "(choose an empty or new --site-dir)"
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
        prefix = f"{_STAGING_PREFIX}{site_dir.name}-"
        for stale in parent.glob(prefix + "*"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        umask = os.umask(0)
        os.umask(umask)
        staging.chmod(0o777 & ~umask)  # mkdtemp's 0700 would hide the published site from a web server
        return staging
    except OSError as exc:
        raise SiteDirError(f"cannot create a build folder beside {site_dir}: {exc.strerror or exc}") from exc


def publish(staging: Path, site_dir: Path) -> None:
    """Swap ``staging`` in as ``site_dir``; the previous site is removed only after the swap."""
    site_dir = site_dir.absolute()
    try:
        (staging / SITE_MARKER).write_text("Built by meshdocs.\n")
        if site_dir.exists():
            if _exchange(staging, site_dir):
                shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
                return
            old = site_dir.with_name(f"{_STAGING_PREFIX}{site_dir.name}-old-{os.getpid()}")
            os.rename(site_dir, old)
            os.rename(staging, site_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, site_dir)
    except OSError as exc:
        raise SiteDirError(f"cannot publish the site to {site_dir}: {exc.strerror or exc}") from exc


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths; ``False`` where the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
