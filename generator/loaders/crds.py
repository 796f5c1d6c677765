"""Custom resource definitions from manifests, folders, Helm charts and chart archives.

Every source is untrusted: files are read through :mod:`meshdocs.loaders.files` (bounded, strict, nothing
executed), Helm templates are never evaluated (documents that still hold template syntax are skipped and
noted), chart archives are read in memory with links and paths that climb out refused, and one bad file is
reported and the scan goes on with the rest.
"""

from __future__ import annotations

import io
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from meshdocs.diagnostics import Report
from meshdocs.loaders.files import MAX_FILE_BYTES, DataError, decode_text, iter_yaml_documents, read_text

CRD_KIND = "CustomResourceDefinition"
CRD_API_VERSIONS = ("apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1")
SCOPES = ("Namespaced", "Cluster")
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 20_000
CHART_KEYS = ("name", "version", "description", "home", "icon", "sources", "appVersion")

# A line that is nothing but template actions: ``{{- if .Values.x }}``, ``{{- end }}``, ``{{ include ... }}``.
_ACTION_LINE = re.compile(r"^\s*(?:\{\{(?:(?!\}\}).)*\}\}\s*)+$")
_DOC_START = re.compile(r"^---(?:[ \t].*)?$")


@dataclass(frozen=True)
class CrdVersion:
    """One served version of one CRD: what a component is generated from."""

    group: str
    kind: str
    version: str
    plural: str
    scope: str
    served: bool
    storage: bool
    deprecated: bool
    schema: dict[str, Any] | None
    description: str
    source: str

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}"


@dataclass(frozen=True)
class Resource:
    """An ordinary Kubernetes object of a manifest (anything but a CRD), as written, with where it was."""

    data: dict[str, Any]
    source: str
    line: int
    template: bool  # read from a chart's templates/


@dataclass
class CrdScan:
    """What a scan found: CRD versions, the ordinary resources passed over, and what could not be read."""

    versions: list[CrdVersion] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)  # every object, CRDs too, for design import
    skipped: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None


# --------------------------------------------------------------------------------------------- sources


class _Tree:
    """A folder of files, on disk or inside an archive, addressed by POSIX paths relative to its root."""

    def files(self) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def dirs(self, under: str) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def read(self, rel: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def read_bytes(self, rel: str) -> bytes:  # pragma: no cover - interface
        raise NotImplementedError

    def label(self, rel: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class _DiskTree(_Tree):
    def __init__(self, root: Path, report: Report) -> None:
        self.root = root
        self.report = report
        self._files: list[str] | None = None

    def files(self) -> list[str]:
        if self._files is None:
            found: list[str] = []
            self._walk(self.root, "", found)
            self._files = found
        return self._files

    def _walk(self, folder: Path, prefix: str, found: list[str]) -> None:
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            self.report.error(folder, f"cannot list folder: {exc.strerror or exc}")
            return
        for entry in entries:
            rel = f"{prefix}{entry.name}"
            if entry.is_symlink() and entry.is_dir():
                self.report.notice(entry, "symbolic link to a folder not followed")
            elif entry.is_dir():
                self._walk(entry, rel + "/", found)
            elif entry.is_file():
                found.append(rel)

    def dirs(self, under: str) -> list[str]:
        folder = self.root / under if under else self.root
        try:
            return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink())
        except OSError:
            return []

    def path(self, rel: str) -> Path:
        return self.root / rel if rel else self.root

    def read(self, rel: str) -> str:
        return read_text(self.path(rel))

    def read_bytes(self, rel: str) -> bytes:
        path = self.path(rel)
        try:
            size = path.stat().st_size
            if size > MAX_ARCHIVE_BYTES:
                raise DataError(f"archive is {size:,} bytes, the limit is {MAX_ARCHIVE_BYTES:,}")
            return path.read_bytes()
        except OSError as exc:
            raise DataError(f"cannot read file: {exc.strerror or exc}") from None

    def label(self, rel: str) -> str:
        return self.report.display_path(self.path(rel))


class _ArchiveTree(_Tree):
    """The files of a chart archive, held in memory; ``prefix`` is the archive's own label."""

    def __init__(self, members: dict[str, bytes], prefix: str) -> None:
        self.members = members
        self.prefix = prefix

    def files(self) -> list[str]:
        return sorted(self.members)

    def dirs(self, under: str) -> list[str]:
        start = f"{under}/" if under else ""
        found = {rel[len(start) :].split("/", 1)[0] for rel in self.members if rel.startswith(start)}
        return sorted(name for name in found if any(r.startswith(f"{start}{name}/") for r in self.members))

    def read(self, rel: str) -> str:
        raw = self.read_bytes(rel)
        if len(raw) > MAX_FILE_BYTES:
            raise DataError(f"file is {len(raw):,} bytes, the limit is {MAX_FILE_BYTES:,}")
        return decode_text(raw)

    def read_bytes(self, rel: str) -> bytes:
        try:
            return self.members[rel]
        except KeyError:
            raise DataError("no such file in the archive") from None

    def label(self, rel: str) -> str:
        return f"{self.prefix}!{rel}" if rel else self.prefix


def _open_archive(raw: bytes) -> tuple[dict[str, bytes], str]:
    """Members of a chart archive below its single top folder, and that folder's name.

    Refuses (with :class:`DataError`) links, devices, absolute paths, ``..``, more than one top folder, and
    archives whose files add up to more than :data:`MAX_ARCHIVE_BYTES`.
    """
    members: dict[str, bytes] = {}
    tops: set[str] = set()
    total = 0
    try:
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:*") as tar:
            count = 0
            for info in tar:
                count += 1
                if count > MAX_ARCHIVE_MEMBERS:
                    raise DataError(f"archive has more than {MAX_ARCHIVE_MEMBERS:,} members")
                name = info.name
                parts = PurePosixPath(name).parts
                if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in name:
                    raise DataError(f"archive member '{name}' has a path that leaves the chart folder")
                if info.issym() or info.islnk():
                    raise DataError(
                        f"archive member '{name}' is a link to '{info.linkname}'; links are refused"
                    )
                if info.isdir():
                    continue
                if not info.isfile():
                    raise DataError(f"archive member '{name}' is not a regular file")
                parts = tuple(p for p in parts if p not in ("", "."))
                if len(parts) < 2:
                    raise DataError(f"archive member '{name}' is not inside the chart's top folder")
                total += info.size
                if total > MAX_ARCHIVE_BYTES:
                    raise DataError(f"archive unpacks to more than {MAX_ARCHIVE_BYTES:,} bytes")
                handle = tar.extractfile(info)
                if handle is None:  # pragma: no cover - regular files always have a handle
                    continue
                tops.add(parts[0])
                members["/".join(parts[1:])] = handle.read(info.size + 1)[: info.size]
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise DataError(f"not a readable chart archive: {exc}") from None
    if not members:
        raise DataError("archive holds no files")
    if len(tops) > 1:
        raise DataError(f"archive has {len(tops)} top folders ({', '.join(sorted(tops))}); a chart has one")
    return members, tops.pop()


# --------------------------------------------------------------------------------------------- scanning


class _Scanner:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.scan = CrdScan()
        self.seen: dict[tuple[str, str, str], str] = {}

    # sources -----------------------------------------------------------------------------------------

    def source(self, source: Path) -> None:
        if source.is_dir():
            tree = _DiskTree(source, self.report)
            if (source / "Chart.yaml").is_file():
                self.chart(tree, "", top=True)
            else:
                self.folder(tree, "")
        elif source.is_file() and source.name.lower().endswith(ARCHIVE_SUFFIXES):
            tree = _DiskTree(source.parent, self.report)
            self.archive(tree, source.name, top=True)
        elif source.is_file():
            tree = _DiskTree(source.parent, self.report)
            self.manifest(tree, source.name, template=False)
        else:
            self.report.error(source, "no such file or folder")

    def folder(self, tree: _Tree, under: str) -> None:
        """Every manifest below ``under``; folders with a Chart.yaml are charts, ``.tgz`` files archives."""
        start = f"{under}/" if under else ""
        files = [rel for rel in tree.files() if rel.startswith(start)]
        charts = sorted(rel[: -len("/Chart.yaml")] + "/" for rel in files if rel.endswith("/Chart.yaml"))
        outer = [c for c in charts if not any(c != o and c.startswith(o) for o in charts)]
        done: set[str] = set()
        for rel in files:
            chart_dir = next((c for c in outer if rel.startswith(c)), None)
            if chart_dir is not None:
                if chart_dir not in done:
                    done.add(chart_dir)
                    self.chart(tree, chart_dir[:-1], top=self.scan.chart is None)
                continue
            name = rel.rsplit("/", 1)[-1].lower()
            if name.endswith(ARCHIVE_SUFFIXES):
                self.archive(tree, rel, top=self.scan.chart is None)
            elif name.endswith(MANIFEST_SUFFIXES):
                self.manifest(tree, rel, template=False)

    def chart(self, tree: _Tree, root: str, *, top: bool) -> None:
        """A Helm chart: Chart.yaml, ``crds/`` (plain YAML), ``templates/`` (templates) and ``charts/``."""
        base = f"{root}/" if root else ""
        chart_yaml = f"{base}Chart.yaml"
        try:
            docs = list(iter_yaml_documents(tree.read(chart_yaml)))
            data = docs[0][0] if len(docs) == 1 else None
            if not isinstance(data, dict):
                raise DataError("Chart.yaml is not a single mapping")
            if top:
                self.scan.chart = {key: data[key] for key in CHART_KEYS if key in data}
        except DataError as exc:
            self.report.error(tree.label(chart_yaml), exc.message, line=exc.line)
        for rel in tree.files():
            if not rel.startswith(base) or not rel.lower().endswith(MANIFEST_SUFFIXES):
                continue
            inner = rel[len(base) :]
            if inner.startswith("crds/"):
                self.manifest(tree, rel, template=False)
            elif inner.startswith("templates/"):
                self.manifest(tree, rel, template=True)
        files = set(tree.files())
        subs = [
            f"{base}charts/{d}" for d in tree.dirs(f"{base}charts") if f"{base}charts/{d}/Chart.yaml" in files
        ]
        subs += [
            rel
            for rel in files
            if rel.startswith(f"{base}charts/")
            and rel.count("/") == base.count("/") + 1
            and rel.lower().endswith(ARCHIVE_SUFFIXES)
        ]
        for sub in sorted(subs):
            if sub.lower().endswith(ARCHIVE_SUFFIXES):
                self.archive(tree, sub, top=False)
            else:
                self.chart(tree, sub, top=False)

    def archive(self, tree: _Tree, rel: str, *, top: bool) -> None:
        label = tree.label(rel)
        try:
            members, _ = _open_archive(tree.read_bytes(rel))
        except DataError as exc:
            self.report.error(label, f"chart archive refused: {exc.message}", line=exc.line)
            self.scan.skipped.append(f"{label}: chart archive refused: {exc.message}")
            return
        inner = _ArchiveTree(members, label)
        if "Chart.yaml" not in members:
            self.report.warning(label, "archive has no Chart.yaml in its top folder; read as plain manifests")
            self.folder(inner, "")
            return
        self.chart(inner, "", top=top)

    # documents ---------------------------------------------------------------------------------------

    def manifest(self, tree: _Tree, rel: str, *, template: bool) -> None:
        label = tree.label(rel)
        try:
            text = tree.read(rel)
        except DataError as exc:
            self.report.error(label, exc.message, line=exc.line)
            return
        if template:
            text = "\n".join("" if _ACTION_LINE.match(line) else line for line in text.split("\n"))
        for index, (first_line, chunk) in enumerate(_documents(text)):
            where = f"{label}#{index}"
            try:
                docs = [data for data, _ in iter_yaml_documents(chunk)]
            except DataError as exc:
                line = None if exc.line is None else exc.line + first_line - 1
                if template:
                    at = f" (line {line})" if line else ""
                    self.scan.skipped.append(f"{where}: template not read{at}: {exc.message}")
                else:
                    self.report.error(label, exc.message, line=line)
                continue
            for data in docs:
                if template and _templated(data):
                    self.scan.skipped.append(
                        f"{where}: template not read (line {first_line}): Go template syntax "
                        "remains outside string values"
                    )
                    continue
                self.document(data, where, label, first_line, template)

    def document(self, data: Any, where: str, label: str, line: int, template: bool) -> None:
        if not isinstance(data, dict):
            return
        kind = data.get("kind")
        if not isinstance(kind, str) or not kind:
            return
        if kind == "List":
            items = data.get("items")
            if isinstance(items, list):
                for item in items:
                    self.document(item, where, label, line, template)
            return
        self.scan.resources.append(Resource(data, where, line, template))
        if kind != CRD_KIND:
            self.scan.ignored[kind] = self.scan.ignored.get(kind, 0) + 1
            return
        for version in self.crd(data, where, label, line, template):
            key = (version.group, version.kind, version.version)
            first = self.seen.get(key)
            if first is not None:
                self.report.notice(
                    label,
                    f"{version.kind} {version.api_version} already read from {first}; this copy is ignored",
                    line=line,
                )
                continue
            self.seen[key] = version.source
            self.scan.versions.append(version)

    def crd(self, doc: dict[str, Any], where: str, label: str, line: int, template: bool) -> list[CrdVersion]:
        def refuse(reason: str) -> list[CrdVersion]:
            self.report.warning(label, f"CustomResourceDefinition not read: {reason}", line=line)
            self.scan.skipped.append(f"{where}: CustomResourceDefinition not read: {reason}")
            return []

        api = doc.get("apiVersion")
        if api not in CRD_API_VERSIONS:
            return refuse(f"apiVersion '{api}' is not one of {', '.join(CRD_API_VERSIONS)}")
        spec = doc.get("spec")
        if not isinstance(spec, dict):
            return refuse("spec is not a mapping")
        names = spec.get("names")
        names = names if isinstance(names, dict) else {}
        group, kind, plural = spec.get("group"), names.get("kind"), names.get("plural")
        scope = spec.get("scope", "Namespaced")
        for name, value in (("spec.group", group), ("spec.names.kind", kind), ("spec.names.plural", plural)):
            if not isinstance(value, str) or not value:
                return refuse(f"{name} is missing or not a string")
            if template and "{{" in value:
                return refuse(f"{name} is a template ('{value}')")
        group, kind, plural = str(group), str(kind), str(plural)
        if scope not in SCOPES:
            return refuse(f"spec.scope '{scope}' is not Namespaced or Cluster")

        shared = _schema_of(spec.get("validation")) if api.endswith("v1beta1") else None
        entries = spec.get("versions")
        if entries is None and api.endswith("v1beta1") and isinstance(spec.get("version"), str):
            entries = [{"name": spec["version"], "served": True, "storage": True}]
        if not isinstance(entries, list) or not entries:
            return refuse("spec.versions is missing or empty")
        out: list[CrdVersion] = []
        unserved: list[str] = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"]:
                return refuse("a spec.versions entry has no name")
            name = entry["name"]
            if template and "{{" in name:
                return refuse(f"version name is a template ('{name}')")
            served = entry.get("served", True) is True
            if not served:
                unserved.append(name)
                continue
            schema = _schema_of(entry.get("schema"))
            if schema is None:
                schema = shared
            description = schema.get("description") if schema else None
            out.append(
                CrdVersion(
                    group=group,
                    kind=kind,
                    version=name,
                    plural=plural,
                    scope=scope,
                    served=served,
                    storage=entry.get("storage") is True,
                    deprecated=entry.get("deprecated") is True,
                    schema=schema,
                    description=description if isinstance(description, str) else "",
                    source=where,
                )
            )
        if unserved:
            self.report.notice(
                label,
                f"{kind}.{group}: version(s) {', '.join(unserved)} not served; skipped",
                line=line,
            )
        return out


def _schema_of(holder: Any) -> dict[str, Any] | None:
    """``holder.openAPIV3Schema`` when it is a mapping (``spec.validation`` or ``versions[].schema``)."""
    if isinstance(holder, dict):
        schema = holder.get("openAPIV3Schema")
        if isinstance(schema, dict):
            return schema
    return None


def _documents(text: str) -> Iterator[tuple[int, str]]:
    """``---``-separated documents with their first line (1-based); documents with no content are left out.

    Each document is parsed on its own so that one broken document does not hide the others.
    """
    lines = text.split("\n")
    start = 0
    for i in range(len(lines) + 1):
        if i == len(lines) or (i > start and _DOC_START.match(lines[i])):
            chunk = lines[start:i]
            if any(_has_content(line) for line in chunk):
                yield start + 1, "\n".join(chunk)
            start = i


def _has_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#") and stripped not in ("---", "...")


def _templated(data: Any, depth: int = 0) -> bool:
    """Whether a parsed template document has ``{{`` in a mapping key (string values may hold it)."""
    if depth > 300:
        return False
    if isinstance(data, dict):
        return any("{{" in key or _templated(value, depth + 1) for key, value in data.items())
    if isinstance(data, list):
        return any(_templated(item, depth + 1) for item in data)
    return False


def scan(source: Path, report: Report) -> CrdScan:
    """CRD versions from ``source``: a CRD or multi-document manifest file, a folder of them (recursive,
    sorted by name), a Helm chart folder (has Chart.yaml), or a chart archive (``.tgz``).

    Only served versions are kept; the first copy of a (group, kind, version) wins. Ordinary resources are
    counted by kind in ``ignored``; template documents that cannot be read without evaluating them are noted
    in ``skipped``. Problems go to ``report`` and never stop the scan.
    """
    scanner = _Scanner(report)
    scanner.source(source)
    result = scanner.scan
    result.versions.sort(key=lambda v: (v.group, v.kind, v.version))
    result.ignored = dict(sorted(result.ignored.items()))
    return result
