"""What a published site was built from, so the next build can render only what changed.

The manifest lives in the site (``.meshdocs-manifest.json``): a fingerprint of everything that shapes every
page (nav, file list, front matter, config, theme, versions) and the content hash of each docs file. A
build with the same fingerprint renders only files whose hash differs and hard-links the rest from the
published site; anything else is a full build. Hashes, not timestamps: a docs dir touched by another
build, a failed build or a clock change cannot make a stale page look fresh.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".meshdocs-manifest.json"
_FORMAT = 1


@dataclass
class SiteManifest:
    fingerprint: str
    files: dict[str, str] = field(default_factory=dict)  # docs path → digest of its bytes


def read_manifest(site_dir: Path) -> SiteManifest | None:
    """The manifest of the published site, or ``None`` when there is none fit to trust."""
    try:
        data = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        return None
    files = data.get("files")
    fingerprint = data.get("fingerprint")
    if not isinstance(fingerprint, str) or not isinstance(files, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        return None
    return SiteManifest(fingerprint, files)


def write_manifest(site_dir: Path, manifest: SiteManifest) -> None:
    files = dict(sorted(manifest.files.items()))
    data = {"format": _FORMAT, "fingerprint": manifest.fingerprint, "files": files}
    (site_dir / MANIFEST).write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")


def link_unchanged(
    previous: Path, staging: Path, skip: set[str], rewritten: frozenset[str] = frozenset()
) -> int:
    """Hard-link into ``staging`` every file of ``previous`` that this build did not write (nor will:
    the top-level folders in ``rewritten``).

    The build never writes into a linked file (it renders into an empty folder first and links after),
    so the published site is never modified; a copy stands in where links are impossible.
    """
    written = {
        (Path(folder) / name).relative_to(staging).as_posix()
        for folder, _dirs, names in os.walk(staging)
        for name in names
    }
    linked = 0
    for folder, dirs, names in os.walk(previous):
        if folder == str(previous):
            dirs[:] = [d for d in dirs if d not in rewritten]  # written afresh by the caller
        dirs.sort()
        rel_folder = Path(folder).relative_to(previous)
        made = False
        for name in sorted(names):
            rel = (rel_folder / name).as_posix()
            if rel in skip or rel in written:
                continue
            if not made:
                (staging / rel_folder).mkdir(parents=True, exist_ok=True)
                made = True
            source = os.path.join(folder, name)
            target = os.path.join(staging, rel)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, target, follow_symlinks=False)
            linked += 1
    return linked
