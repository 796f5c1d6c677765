"""``meshdocs diff``: what changed between two registries, models, or model versions.

For CI jobs that comment on registry pull requests. Each side is a registry folder, a model folder
(``<model>/``) or a model-version folder (``<model>/<version>/``); each is read as a registry and its
models compared by name, the newest version of each (:mod:`meshdocs.transforms.model_diff`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Model
from meshdocs.transforms.model_diff import ModelDiff, diff_models


@dataclass
class RegistryDiff:
    added: list[Model] = field(default_factory=list)
    removed: list[Model] = field(default_factory=list)
    changed: list[ModelDiff] = field(default_factory=list)

    @property
    def breaking(self) -> int:
        return len(self.removed) + sum(d.breaking for d in self.changed)

    def to_data(self) -> dict[str, object]:
        return {
            "breaking": self.breaking,
            "modelsAdded": [{"name": m.name, "version": m.version} for m in self.added],
            "modelsRemoved": [{"name": m.name, "version": m.version} for m in self.removed],
            "modelsChanged": [d.to_data() for d in self.changed],
        }


def _is_version_folder(path: Path) -> bool:
    """``<model>/<version>/``: it holds the ``v1.0.0/`` definitions folder."""
    return (path / "v1.0.0").is_dir()


def _is_model_folder(path: Path) -> bool:
    return any(_is_version_folder(p) for p in path.iterdir() if p.is_dir())


def read_side(path: Path, report: Report) -> dict[str, Model]:
    """The newest version of every model ``path`` holds, by name."""
    if not path.is_dir():
        raise ValueError(f"not a folder: {path}")
    with tempfile.TemporaryDirectory(prefix="meshdocs-diff-") as tmp:
        root = Path(tmp)
        # Copied, not linked: the loader never follows a linked folder (registry data is untrusted).
        if _is_version_folder(path):
            shutil.copytree(path, root / path.resolve().parent.name / path.resolve().name, symlinks=True)
        elif _is_model_folder(path):
            shutil.copytree(path, root / path.resolve().name, symlinks=True)
        else:
            root = path
        registry = load_registry([root], report, LoadOptions(include_ignored=True))
        return {m.name: m for m in registry.models}


def diff_registries(old: dict[str, Model], new: dict[str, Model]) -> RegistryDiff:
    result = RegistryDiff()
    for name in sorted(set(old) | set(new), key=str.lower):
        if name not in old:
            result.added.append(new[name])
        elif name not in new:
            result.removed.append(old[name])
        else:
            diff = diff_models(old[name], new[name])
            if (
                diff.added
                or diff.removed
                or diff.changed
                or diff.relationships_added
                or diff.relationships_removed
            ):
                result.changed.append(diff)
    result.changed.sort(key=lambda d: (-d.breaking, d.new.name.lower()))
    return result


def render(diff: RegistryDiff, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(diff.to_data(), indent=1, ensure_ascii=False)
    markdown = fmt == "markdown"
    lines: list[str] = []
    head = f"{diff.breaking} breaking change(s)"
    lines.append(f"## Registry changes: {head}" if markdown else head)
    for model in diff.removed:
        lines.append(
            f"- **breaking**: model `{model.name}` {model.version} removed"
            if markdown
            else f"BREAKING  model {model.name} {model.version} removed"
        )
    for model in diff.added:
        lines.append(
            f"- model `{model.name}` {model.version} added"
            if markdown
            else f"added     model {model.name} {model.version}"
        )
    for change in diff.changed:
        title = f"{change.new.name} {change.old.version} → {change.new.version}"
        lines.append(
            f"\n### `{change.new.name}` {change.old.version} → {change.new.version}"
            if markdown
            else f"\n{title}"
        )
        for comp in change.removed:
            lines.append(
                f"- **breaking**: {comp.kind} `{comp.api_version}` removed"
                if markdown
                else f"  BREAKING  {comp.kind} {comp.api_version} removed"
            )
        for comp in change.added:
            lines.append(
                f"- {comp.kind} `{comp.api_version}` added"
                if markdown
                else f"  added     {comp.kind} {comp.api_version}"
            )
        for comp_diff in change.changed:
            for ch in comp_diff.schema.changes:
                where = f"{comp_diff.new.kind} {ch.path}"
                if markdown:
                    flag = "**breaking**: " if ch.breaking else ""
                    lines.append(
                        f"- {flag}{comp_diff.new.kind} `{ch.path}`: {ch.kind.replace('-', ' ')} ({ch.detail})"
                    )
                else:
                    flag = "BREAKING  " if ch.breaking else " " * 10
                    lines.append(f"  {flag}{where}: {ch.kind} ({ch.detail})")
        for title in change.relationships_added:
            lines.append(
                f"- relationship added: {title}" if markdown else f"  added     relationship {title}"
            )
        for title in change.relationships_removed:
            lines.append(
                f"- relationship removed: {title}" if markdown else f"  removed   relationship {title}"
            )
    if not (diff.added or diff.removed or diff.changed):
        lines.append("No changes." if markdown else "no changes")
    return "\n".join(lines)
