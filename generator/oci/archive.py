"""A model as one file: a plain tar of its folder, or an OCI image layout in a tar (``--format oci``).

Both are written deterministically (sorted members, zero times and owners), and both are read back with
every member checked before anything is written: absolute paths, ``..``, links and devices are refused.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

from meshdocs.oci.artifacts import (
    CONFIG,
    MODEL,
    PATH_ANNOTATION,
    TITLE,
    Artifact,
    ArtifactError,
    from_folder,
    manifest_bytes,
    restore,
    safe_member,
    sha256_digest,
)

LAYOUT = "oci-layout"
MAX_MEMBERS = 20_000
MAX_TOTAL = 512 * 1024 * 1024


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = (
        len(data),
        0,
        0o644,
        0,
        0,
        "",
        "",
    )
    tar.addfile(info, io.BytesIO(data))


def export_tar(folder: Path, top: str, out: Path) -> int:
    """``out`` holds ``top/<path>`` for every file of the model folder; returns the number of files."""
    artifact = from_folder(folder)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        for layer in sorted(artifact.layers, key=lambda l: l.path):  # noqa: E741
            _add(tar, f"{top}/{layer.path}", layer.data)
    return len(artifact.layers)


def export_layout(artifact: Artifact, tag: str, out: Path) -> str:
    """An OCI image layout (``oci-layout``, ``index.json``, ``blobs/sha256``) in a tar; returns the digest."""
    manifest = artifact.manifest()
    body = manifest_bytes(manifest)
    digest = sha256_digest(body)
    blobs: dict[str, bytes] = {sha256_digest(artifact.config()): artifact.config(), digest: body}
    for layer in artifact.layers:
        blobs[layer.digest] = layer.data
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": manifest["mediaType"],
                "digest": digest,
                "size": len(body),
                "artifactType": artifact.artifact_type,
                "annotations": {"org.opencontainers.image.ref.name": tag},
            }
        ],
    }
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        _add(tar, LAYOUT, b'{"imageLayoutVersion":"1.0.0"}')
        _add(tar, "index.json", json.dumps(index, sort_keys=True).encode("utf-8"))
        for blob_digest in sorted(blobs):
            _add(tar, "blobs/sha256/" + blob_digest.split(":", 1)[1], blobs[blob_digest])
    return digest


def read_archive(path: Path) -> dict[str, bytes]:
    """Every regular file of a tar, after refusing any member that is not a plain, contained file."""
    files: dict[str, bytes] = {}
    total = 0
    try:
        tar = tarfile.open(path)  # noqa: SIM115 - closed by the with block below; open errors reported first
    except (tarfile.TarError, OSError) as exc:
        reason = str(exc).splitlines()[0].rstrip(":")
        raise ArtifactError(f"{path} is not a tar archive ({reason})") from None
    with tar:
        members = tar.getmembers()
        if len(members) > MAX_MEMBERS:
            raise ArtifactError(f"{path} has more than {MAX_MEMBERS:,} members")
        for member in members:
            if member.isdir():
                safe_member(member.name.rstrip("/") or ".") if member.name not in (".", "./") else None
                continue
            if not member.isfile():
                kind = "link" if member.issym() or member.islnk() else "special file"
                raise ArtifactError(f"refusing '{member.name}' in {path.name}: a {kind}, not a file")
            name = safe_member(member.name.removeprefix("./"))
            total += member.size
            if total > MAX_TOTAL:
                raise ArtifactError(f"{path} unpacks to more than {MAX_TOTAL:,} bytes")
            extracted = tar.extractfile(member)
            files[name] = extracted.read() if extracted else b""
    return files


def layout_model(files: dict[str, bytes]) -> tuple[dict[str, Any], list[tuple[str, bytes]]]:
    """The manifest and titled files of the model in an OCI image layout read by :func:`read_archive`."""
    try:
        index = json.loads(files["index.json"])
        descriptor = index["manifests"][0]
        manifest = json.loads(files["blobs/sha256/" + descriptor["digest"].split(":", 1)[1]])
    except (KeyError, IndexError, ValueError) as exc:
        raise ArtifactError(f"not a valid OCI image layout ({exc})") from None
    kind = manifest.get("artifactType") or (manifest.get("config") or {}).get("mediaType")
    if kind not in (MODEL, CONFIG[MODEL]):
        raise ArtifactError(f"the archive holds a '{kind}', expected a model ({MODEL})")
    out = []
    for layer in manifest.get("layers") or []:
        title = (layer.get("annotations") or {}).get(TITLE)
        blob = files.get("blobs/sha256/" + str(layer.get("digest", "")).split(":", 1)[-1])
        if title and blob is not None:
            if sha256_digest(blob) != layer["digest"]:
                raise ArtifactError(f"{title}: bytes do not match the digest in the manifest")
            out.append((title, blob))
    return manifest, out


def import_model(manifest: dict[str, Any], files: list[tuple[str, bytes]], into: Path) -> Path:
    """Land a model artifact's files in ``into/<model path>`` (the folder it was pushed from)."""
    where = (manifest.get("annotations") or {}).get(PATH_ANNOTATION) or (
        manifest.get("annotations") or {}
    ).get("io.meshery.model.name", "model")
    target = into / safe_member(where)
    restore(files, target)
    return target
