"""What one ``meshdocs build`` renders: the plan, decided before any page is rendered.

Pure bookkeeping, no MkDocs and no processes (those are :mod:`meshdocs.page_workers`): the published
site records the content hash of every docs file it was built from (:mod:`meshdocs.writers.manifest`);
when everything every page shows besides its own Markdown is unchanged (the fingerprint: nav, file list,
front matter, configuration, theme, tool versions), only files whose hash changed are rendered, and the
rest is carried over from the published site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from meshdocs.hashing import digest
from meshdocs.writers.manifest import SiteManifest

FINGERPRINT_PACKAGES = ("meshdocs", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")


@dataclass
class RenderPlan:
    """What one build renders: ``selected`` docs paths (``None``: everything), in how many processes."""

    selected: frozenset[str] | None = None
    jobs: int = 1
    previous_site: Path | None = None  # an incremental build takes what it does not render from here
    reason: str = "full build"

    @property
    def incremental(self) -> bool:
        return self.selected is not None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass
class RunRequest:
    """What ``meshdocs build`` asks for: the published site to build on, cores to use, or a full build."""

    previous: SiteManifest | None = None
    previous_site: Path | None = None
    jobs: int = field(default_factory=default_jobs)
    full: bool = False


def plan_build(request: RunRequest, fingerprint: str, digests: dict[str, str]) -> RenderPlan:
    """Incremental when the published site was built the same way; otherwise everything, and why."""
    previous = request.previous
    if request.full:
        return RenderPlan(jobs=request.jobs, reason="full build (--full)")
    if previous is None or request.previous_site is None:
        return RenderPlan(jobs=request.jobs, reason="full build (no earlier site)")
    if previous.fingerprint != fingerprint:
        return RenderPlan(
            jobs=request.jobs, reason="full build (nav, pages, config, theme or versions changed)"
        )
    changed = frozenset(path for path, value in digests.items() if previous.files.get(path) != value)
    return RenderPlan(
        selected=changed,
        jobs=request.jobs,
        previous_site=request.previous_site,
        reason=f"incremental ({len(changed):,} changed file(s))",
    )


def build_fingerprint(structure: str, code: str, config_file: str | None, custom_dir: str | None) -> str:
    """Everything besides a page's own Markdown that shapes its HTML: if it changes, every page is rebuilt.

    ``code`` is the hash of meshdocs' own code (the MkDocs adapter and the page workers included);
    ``config_file`` and ``custom_dir`` are the site's ``mkdocs.yml`` and its theme folder, if any.
    """
    parts = [structure, code]
    for package in FINGERPRINT_PACKAGES:
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    if config_file and os.path.isfile(config_file):
        parts.append(digest(Path(config_file).read_bytes()))
    if custom_dir and os.path.isdir(custom_dir):
        for path in sorted(Path(custom_dir).rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(custom_dir).as_posix()}:{digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))
