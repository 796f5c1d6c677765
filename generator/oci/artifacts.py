"""Designs and models as OCI artifacts: which files travel, under which media types and annotations.

A catalog design folder or a registry model folder becomes one artifact: each file a layer titled with
its path relative to the folder (``org.opencontainers.image.title``, as oras names files), so pulling
restores the folder byte for byte. The manifest says what it is (``artifactType``) and carries the
standard ``org.opencontainers.image.*`` annotations from ``catalog.yml`` or ``model.json``. Nothing
depends on the time of the push: the same folder gives the same digest.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meshdocs.loaders.files import DataError, data_format, load_data
from meshdocs.versions import version_key

MANIFEST = "application/vnd.oci.image.manifest.v1+json"
DESIGN = "application/vnd.meshery.design.v1"
MODEL = "application/vnd.meshery.model.v1"
CONFIG = {
    DESIGN: "application/vnd.meshery.design.config.v1+json",
    MODEL: "application/vnd.meshery.model.config.v1+json",
}
TITLE = "org.opencontainers.image.title"
PATH_ANNOTATION = "io.meshery.model.path"  # the folder pushed, relative to its registry: <model>[/<version>]
MAX_FILES = 20_000
MAX_BYTES = 512 * 1024 * 1024
_BY_NAME = {
    "design.yml": "application/vnd.meshery.design.layer.v1+yaml",
    "design.yaml": "application/vnd.meshery.design.layer.v1+yaml",
    "design.json": "application/vnd.meshery.design.layer.v1+json",
    "catalog.yml": "application/vnd.meshery.catalog.v1+yaml",
    "catalog.yaml": "application/vnd.meshery.catalog.v1+yaml",
    "README.md": "text/markdown",
}
_BY_SUFFIX = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    ".md": "text/markdown",
}
_MODEL_PARTS = {"components": "component", "relationships": "relationship", "connections": "connection"}


class ArtifactError(ValueError):
    """The folder cannot be packaged, or an artifact cannot be restored safely."""


@dataclass(frozen=True)
class Layer:
    path: str
    data: bytes
    media_type: str

    @property
    def digest(self) -> str:
        return sha256_digest(self.data)


@dataclass
class Artifact:
    """Everything pushed: the files, what kind of artifact they make, and its annotations."""

    artifact_type: str
    layers: list[Layer]
    annotations: dict[str, str] = field(default_factory=dict)
    name: str = ""

    def config(self) -> bytes:
        summary = {
            "kind": "design" if self.artifact_type == DESIGN else "model",
            "name": self.name,
            "version": self.annotations.get("org.opencontainers.image.version", ""),
            "files": len(self.layers),
        }
        return json.dumps(summary, sort_keys=True, separators=(",", ":")).encode("utf-8")

    def manifest(self) -> dict[str, Any]:
        config = self.config()
        return {
            "schemaVersion": 2,
            "mediaType": MANIFEST,
            "artifactType": self.artifact_type,
            "config": {
                "mediaType": CONFIG[self.artifact_type],
                "digest": sha256_digest(config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": layer.media_type,
                    "digest": layer.digest,
                    "size": len(layer.data),
                    "annotations": {TITLE: layer.path},
                }
                for layer in self.layers
            ],
            "annotations": dict(sorted(self.annotations.items())),
        }


def sha256_digest(data: bytes) -> str:
    """An OCI content digest."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """Canonical JSON, so the digest depends only on content."""
    return json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode("utf-8")


def from_folder(folder: Path) -> Artifact:
    """A catalog design folder or a registry model folder (``<model>`` or ``<model>/<version>``)."""
    if not folder.is_dir():
        raise ArtifactError(
            f"{folder} is not a folder: expected a catalog design folder or a registry model folder"
        )
    files = _files(folder)
    names = {f for f, _ in files}
    if any(n in names for n in ("design.yml", "design.yaml", "design.json")) and any(
        n in names for n in ("catalog.yml", "catalog.yaml")
    ):
        return _design(folder, files)
    model_files = [f for f in names if posixpath.basename(f) in ("model.json", "model.yaml", "model.yml")]
    depths = {f.count("/") for f in model_files}
    if (
        model_files
        and depths <= {1, 2}
        and len(depths) == 1
        and all(f.split("/")[-2] == "v1.0.0" for f in model_files)
    ):
        return _model(folder, files, model_files)
    if model_files:
        models = len({f.split("/")[0] for f in model_files})
        raise ArtifactError(
            f"{folder} holds {models} model folder(s), not one model: push <model> or <model>/<version> "
            "(the folder whose v1.0.0/model.json describes it)"
        )
    raise ArtifactError(
        f"{folder} is neither a catalog design folder (design.yml and catalog.yml) nor a registry model "
        "folder (<model>/<version>/v1.0.0/model.json)"
    )


def _files(folder: Path) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.is_symlink():
                continue
            data = path.read_bytes()
            total += len(data)
            if len(out) >= MAX_FILES or total > MAX_BYTES:
                raise ArtifactError(
                    f"{folder} is too large to package ({MAX_FILES:,} files or {MAX_BYTES:,} bytes)"
                )
            out.append((path.relative_to(folder).as_posix(), data))
    return out


def _design(folder: Path, files: list[tuple[str, bytes]]) -> Artifact:
    catalog_path = folder / ("catalog.yml" if (folder / "catalog.yml").is_file() else "catalog.yaml")
    meta = _mapping(catalog_path)
    layers = [
        Layer(p, d, _BY_NAME.get(p) or _BY_SUFFIX.get(Path(p).suffix.lower(), "application/octet-stream"))
        for p, d in files
    ]
    annotations = _clean(
        {
            "org.opencontainers.image.title": meta.get("name"),
            "org.opencontainers.image.version": meta.get("version"),
            "org.opencontainers.image.description": meta.get("description"),
            "org.opencontainers.image.licenses": meta.get("license"),
            "org.opencontainers.image.created": meta.get("createdAt"),
            "io.meshery.design.type": meta.get("type"),
            "io.meshery.design.technologies": ", ".join(str(t) for t in meta.get("technologies") or []),
        }
    )
    return Artifact(DESIGN, layers, annotations, name=folder.name)


def _model(folder: Path, files: list[tuple[str, bytes]], model_files: list[str]) -> Artifact:
    layers = []
    for path, data in files:
        if data_format(Path(path)) is None:
            continue  # registries hold data files; anything else stays home
        parts = path.split("/")
        kind = (
            "model"
            if parts[-1].startswith("model.")
            else next((v for k, v in _MODEL_PARTS.items() if k in parts[:-1]), "definition")
        )
        suffix = "yaml" if Path(path).suffix in (".yml", ".yaml") else "json"
        layers.append(Layer(path, data, f"application/vnd.meshery.{kind}.v1+{suffix}"))
    newest = max(model_files, key=lambda p: version_key(_upstream(folder / p) or ""))
    model = _mapping(folder / newest)
    metadata: dict[str, Any] = model["metadata"] if isinstance(model.get("metadata"), dict) else {}
    annotations = _clean(
        {
            "org.opencontainers.image.title": model.get("displayName") or model.get("name"),
            "org.opencontainers.image.version": _upstream(folder / newest),
            "org.opencontainers.image.description": model.get("description"),
            "org.opencontainers.image.source": metadata.get("source_uri"),
            "io.meshery.model.name": model.get("name"),
            PATH_ANNOTATION: f"{folder.resolve().parent.name}/{folder.resolve().name}"
            if any(p.startswith("v1.0.0/") for p in model_files)
            else folder.resolve().name,
            "io.meshery.model.category": (model.get("category") or {}).get("name")
            if isinstance(model.get("category"), dict)
            else "",
        }
    )
    return Artifact(MODEL, layers, annotations, name=str(model.get("name") or folder.name))


def _upstream(path: Path) -> str:
    inner = _mapping(path).get("model")
    return str(inner.get("version") or "") if isinstance(inner, dict) else ""


def _mapping(path: Path) -> dict[str, Any]:
    try:
        data = load_data(path).data
    except DataError as exc:
        raise ArtifactError(f"{path}: {exc.message}") from None
    return data if isinstance(data, dict) else {}


def _clean(values: dict[str, Any]) -> dict[str, str]:
    return {k: " ".join(str(v).split()) for k, v in values.items() if v not in (None, "") and str(v).strip()}


def safe_member(path: str) -> str:
    """A layer title or archive member as a relative path that stays inside the target folder."""
    if (
        not path
        or path.startswith(("/", "\\"))
        or "\\" in path
        or "\x00" in path
        or ":" in path.split("/")[0]
    ):
        raise ArtifactError(f"refusing '{path}': not a relative path")
    norm = posixpath.normpath(path)
    if norm in (".", "..") or norm.startswith("../") or norm != path.rstrip("/"):
        raise ArtifactError(f"refusing '{path}': it climbs out of the target folder")
    return norm


def restore(files: list[tuple[str, bytes]], target: Path) -> list[Path]:
    """Write ``files`` under ``target`` after checking every path first: all or nothing."""
    checked = [(safe_member(p), d) for p, d in files]
    written = []
    for rel, data in checked:
        path = target / rel
        if not path.resolve().is_relative_to(target.resolve()):
            raise ArtifactError(f"refusing '{rel}': it resolves outside {target}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
