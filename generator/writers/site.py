"""Publish a built site by swapping a finished folder in whole.

A build writes into a fresh sibling folder; only when it succeeded is that folder exchanged with the
published one (atomically with ``renameat2(RENAME_EXCHANGE)`` where the kernel has it). A build that
fails or is killed leaves the last good site as it was; its leftovers are swept at the next build.

The site a publish replaces is kept beside it as the *spare*. A rebuild that renders a few pages turns the
spare into the new site (:func:`reuse_spare`): its folders are already there, and most of its files are
already hard links to the published site's, so only what changed since is linked, moved or removed. The
alternative, a fresh folder holding a hard link to every unchanged file, costs a folder creation per
page: a second at 3,900 pages on an ext4 disk, most of a rebuild. The published site is never written
to: files are replaced by rename or link, never rewritten in place.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

from meshdocs.writers.docs_dir import remove_stale

SITE_MARKER = ".meshdocs-site"
_STAGING_PREFIX = ".meshdocs-staging-"
_OLD_PREFIX = ".meshdocs-old-"  # a replaced site, being deleted (swept by the next build if it is not)
_SPARE_PREFIX = ".meshdocs-spare-"  # the site the published one replaced: the next rebuild's starting point
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
        for stale in [*parent.glob(prefix + "*"), *parent.glob(f"{_OLD_PREFIX}{site_dir.name}-*")]:
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
    """Swap ``staging`` in as ``site_dir``; the previous site becomes the spare, only after the swap."""
    site_dir = site_dir.absolute()
    try:
        (staging / SITE_MARKER).write_text("Built by meshdocs.\n")
        if site_dir.exists():
            if _exchange(staging, site_dir):
                _keep_as_spare(staging, site_dir)  # staging now holds the previous site
            else:
                old = site_dir.with_name(f"{_OLD_PREFIX}{site_dir.name}-{os.getpid()}")
                os.rename(site_dir, old)
                os.rename(staging, site_dir)
                _keep_as_spare(old, site_dir)
        else:
            os.rename(staging, site_dir)
    except OSError as exc:
        raise SiteDirError(f"cannot publish the site to {site_dir}: {exc.strerror or exc}") from exc


def spare_of(site_dir: Path) -> Path:
    site_dir = site_dir.absolute()
    return site_dir.with_name(f"{_SPARE_PREFIX}{site_dir.name}")


def _keep_as_spare(folder: Path, site_dir: Path) -> None:
    spare = spare_of(site_dir)
    if folder == spare:
        return
    if spare.exists():
        old = site_dir.with_name(f"{_OLD_PREFIX}{site_dir.name}-spare-{os.getpid()}")
        os.rename(spare, old)
        remove_later(old)
    os.rename(folder, spare)


def reuse_spare(
    previous: Path, staging: Path, skip: set[str], rewritten: frozenset[str] = frozenset()
) -> Path | None:
    """The spare of ``previous`` made into the new site: ``previous`` with the files ``staging`` holds
    (this build's) in place of theirs, and without ``skip``. ``None`` when there is no usable spare;
    the caller then links every unchanged file into ``staging`` instead.

    ``rewritten``: top-level folders the caller writes afresh afterwards (the search index); they are
    left out, not linked in only to be deleted again.
    """
    spare = spare_of(previous)
    if not (spare / SITE_MARKER).is_file() or spare.is_symlink():
        return None
    written = _inodes(staging)
    try:
        for folder in rewritten:
            shutil.rmtree(spare / folder, ignore_errors=True)
        published = {rel: i for rel, i in _inodes(previous).items() if rel.split("/", 1)[0] not in rewritten}
        have = _inodes(spare)
        # What may stay: links to the published file at the same path that this build does not replace.
        keep = {
            rel
            for rel, inode in have.items()
            if rel not in skip and rel not in written and published.get(rel) == inode
        }
        remove_stale(spare, keep)
        for rel in published.keys() - skip - written.keys() - keep:
            _link(previous / rel, spare / rel)
    except OSError:  # a spare in a state we cannot mend: not worth a failed build
        shutil.rmtree(spare, ignore_errors=True)
        return None
    for rel in sorted(written):  # this build's files, moved (never copied) in
        (spare / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, spare / rel)
    return spare


def same_as_published(staging: Path, site_dir: Path) -> bool:
    """Whether every file in ``staging`` is already in ``site_dir`` with the same bytes (a rebuild that
    rendered nothing: the theme's sitemap, 404 page, manifest and other fixed outputs only)."""
    for rel in _inodes(staging):
        try:
            if (staging / rel).read_bytes() != (site_dir / rel).read_bytes():
                return False
        except OSError:
            return False
    return True


def _inodes(root: Path) -> dict[str, tuple[int, int]]:
    """Every file (or link) below ``root``: relative path → (device, inode), without following links."""
    out: dict[str, tuple[int, int]] = {}
    base = str(root)
    for folder, dirs, names in os.walk(base):
        dirs.sort()
        prefix = "" if folder == base else os.path.relpath(folder, base).replace(os.sep, "/") + "/"
        for name in names:
            st = os.lstat(os.path.join(folder, name))
            out[prefix + name] = (st.st_dev, st.st_ino)
    return out


def _link(source: Path, target: Path) -> None:
    """Hard-link ``source`` as ``target`` (a copy where links are impossible); folders made as needed."""
    try:
        os.link(source, target, follow_symlinks=False)
        return
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a folder where the published site has a file
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def remove_later(folder: Path) -> None:
    """Delete a replaced site in a detached process: the new one is already published, and deleting
    12,000 files would be a tenth of an incremental build. Deleted here and now where forking is not
    possible; a deletion cut short is finished by the next build."""
    try:
        pid = os.fork()
    except (AttributeError, OSError):
        shutil.rmtree(folder, ignore_errors=True)
        return
    if pid:
        os.waitpid(pid, 0)  # the intermediate child exits at once; the grandchild is nobody's zombie
        return
    try:
        os.setsid()
        if os.fork() == 0:
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):  # never hold the caller's pipes open (a test harness waits for EOF)
                os.dup2(devnull, fd)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        os._exit(0)


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
