"""``meshdocs model generate``: CRDs, manifests and Helm charts (paths or URLs) → a registry model.

sources (fetched when they are URLs) → :func:`meshdocs.loaders.crds.scan` → one model's files
(:mod:`meshdocs.renderers.generated_model`) → written where bytes changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.crds import CrdScan, scan
from meshdocs.loaders.fetch import fetch, is_url, temporary_folder
from meshdocs.renderers.generated_model import ModelSettings, render_model, settings_for
from meshdocs.writers.docs_dir import SyncStats, write_changed


@dataclass
class Generated:
    settings: ModelSettings
    stats: SyncStats
    scan: CrdScan
    files: list[str] = field(default_factory=list)


def merge(scans: list[CrdScan]) -> CrdScan:
    """Several sources make one model: first definition of (group, kind, version) wins."""
    seen: dict[tuple[str, str, str], object] = {}
    versions = []
    ignored: dict[str, int] = {}
    skipped: list[str] = []
    chart = None
    for part in scans:
        for crd in part.versions:
            key = (crd.group, crd.kind, crd.version)
            if key not in seen:
                seen[key] = crd
                versions.append(crd)
        for kind, count in part.ignored.items():
            ignored[kind] = ignored.get(kind, 0) + count
        skipped.extend(part.skipped)
        chart = chart or part.chart
    versions.sort(key=lambda v: (v.group, v.kind, v.version))
    return CrdScan(versions=versions, ignored=dict(sorted(ignored.items())), skipped=skipped, chart=chart)


def generate_model(sources: list[str], out: Path, report: Report, **flags: str | None) -> Generated:
    """Generate one model from ``sources`` into the registry folder ``out``."""
    with temporary_folder() as tmp:
        scans = []
        for index, source in enumerate(sources):
            if is_url(source):
                folder = Path(tmp) / str(index)
                folder.mkdir()
                path = fetch(source, folder)
            else:
                path = Path(source)
                if not path.exists():
                    raise ValueError(f"{source}: no such file or folder")
            scans.append(scan(path, report))
    merged = merge(scans)
    if not merged.versions:
        raise ValueError("no served CustomResourceDefinition found in " + ", ".join(sources))
    settings = settings_for(merged, **flags)
    files = render_model(merged, settings)
    stats = write_changed(out, files)
    return Generated(settings, stats, merged, sorted(files))
