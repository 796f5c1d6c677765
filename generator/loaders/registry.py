"""Read one or more Meshery registry folders into a :class:`~meshdocs.model.registry.Registry`.

Definitions are recognised by their ``schemaVersion``, never by file name (real relationship file names do
not match their content). Each definition names its model and upstream version; the folder layout
``<model>/<version>/v1.0.0/`` is only the fallback. A model's identity comes from ``model.json`` when it is
usable, else from the copy of the model every component carries. Only the newest version that has a model
definition is published; the others are listed on the model page.

Versions are compared as releases, not strings: ``v1.16.0`` and ``1.16.0`` are one version (the model's own
spelling is shown). A relationship whose model version is ``*`` belongs to every version of its model.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from meshdocs.diagnostics import Report, Severity
from meshdocs.hashing import digest
from meshdocs.loaders.files import DataDocument, DataError, data_format, load_data, parse_data, read_bytes
from meshdocs.loaders.icons import IconCache
from meshdocs.loaders.read_cache import ReadCache
from meshdocs.loaders.values import mapping, string
from meshdocs.model.registry import (
    UNCATEGORIZED,
    Component,
    Connection,
    Model,
    Registry,
    Relationship,
    Selector,
    SelectorEntry,
    VersionSummary,
)
from meshdocs.transforms.schema_fields import schema_problem
from meshdocs.versions import WILDCARD, version_id, version_key

MODEL_VERSIONS = ("models.meshery.io/v1beta1", "models.meshery.io/v1beta2")
COMPONENT_VERSIONS = ("components.meshery.io/v1beta1", "components.meshery.io/v1beta2")
RELATIONSHIP_VERSIONS = ("relationships.meshery.io/v1alpha3", "relationships.meshery.io/v1beta2")
CONNECTION_PREFIX = "connections.meshery.io/"
MAX_REFS = 16  # match entries and ref paths kept per selector entry
MAX_REF_DEPTH = 16
MAX_REF_STEP = 200
HIDDEN_STATUSES = {"ignored", "duplicate"}
MAX_TEXT = 20_000


@dataclass
class _VersionBucket:
    """Everything found for one (model, upstream version) before the newest is chosen."""

    name: str
    version: str
    model: dict[str, Any] | None = None
    model_source: Path | None = None
    model_schema_version: str = ""
    components: list[Component] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    component_keys: dict[tuple[str, str], Path] = field(default_factory=dict)
    source_uri: str = ""
    known_kinds: dict[str, set[str]] = field(default_factory=dict)
    annotation_kinds: set[str] = field(default_factory=set)


@dataclass
class LoadOptions:
    """Switches that change what is published, not how it is read."""

    include_ignored: bool = False
    # Digests of schema texts an earlier build found readable: not parsed again just to check them.
    known_good_schemas: frozenset[str] = frozenset()
    icons: IconCache | None = None  # shared with the caller, which keeps its sanitised icons for next time
    all_versions: bool = False  # also assemble every older defined version of each model (Registry.older)


def load_registry(
    roots: Iterable[Path],
    report: Report,
    options: LoadOptions | None = None,
    cache: ReadCache | None = None,
) -> Registry:
    """Read every data file under ``roots`` (in order: the first definition of anything wins).

    With ``cache``, a file whose bytes were read before (same path, same digest, same code) is not parsed
    or checked again: its :class:`FileRead` comes from the cache, problems included.
    """
    options = options or LoadOptions()
    icons = options.icons or IconCache(report)
    buckets: dict[tuple[str, str], _VersionBucket] = {}
    for root in roots:
        if not root.is_dir():
            report.error(root, "registry folder does not exist or is not a folder")
            continue
        for path in _data_files(root):
            read = _read_cached(path, root, options, cache)
            _apply(read, path, buckets, icons, report, options)
    return _assemble(buckets, icons, report, options)


def _data_files(root: Path) -> Iterator[Path]:
    """Data files below ``root`` in a stable order; hidden folders and links out of the tree are skipped."""
    real_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or data_format(path) is None:
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                continue
            yield path


Problem = tuple[Severity, str, int | None, str]  # severity, message, line, field: replayed into the Report


@dataclass
class FileRead:
    """What one data file says on its own, before it meets the others; the unit the read cache keeps.

    Nothing here depends on other files or on the build's options, so it can be reused whenever the
    file's bytes (and the code reading them) are the same.
    """

    schema_version: str = ""
    name: str = ""  # the model it belongs to, from its data, else from its folder
    version: str = ""
    model: dict[str, Any] | None = None  # a model file's data, or the copy of its model a component carries
    component: Component | None = None  # without its icon (icons are sanitised once per build, by digest)
    icon: Any = None  # the component's raw icon
    annotation: bool = False
    relationship: Relationship | None = None
    connection: Connection | None = None
    problems: tuple[Problem, ...] = ()


def _read_cached(path: Path, root: Path, options: LoadOptions, cache: ReadCache | None) -> FileRead:
    if cache is None:
        return read_file(path, root, options.known_good_schemas)
    try:
        raw = read_bytes(path)
    except DataError as exc:
        return FileRead(problems=((Severity.ERROR, exc.message, exc.line, ""),))
    key = cache.key(root, path, raw)
    found: FileRead | None = cache.get(key)
    if found is None:
        found = read_file(path, root, options.known_good_schemas, raw)
        cache.put(key, found)
    return found


def read_file(
    path: Path, root: Path, known_good: frozenset[str] = frozenset(), raw: bytes | None = None
) -> FileRead:
    """Parse one data file and check what can be checked in it alone (``raw``: its bytes, if read)."""
    problems: list[Problem] = []
    try:
        doc = load_data(path) if raw is None else DataDocument(path, parse_data(path, raw))
    except DataError as exc:
        return FileRead(problems=((Severity.ERROR, exc.message, exc.line, ""),))
    data = doc.data
    if not isinstance(data, dict):
        message = f"expected a JSON object at the top, found {type(data).__name__}"
        return FileRead(problems=((Severity.ERROR, message, None, ""),))
    schema_version = string(data.get("schemaVersion"))
    folder_name, folder_version = _folder_identity(path, root)
    read = FileRead(schema_version=schema_version, name=folder_name, version=folder_version)
    if schema_version in MODEL_VERSIONS:
        read.name = string(data.get("name")) or folder_name
        read.version = _upstream_version(data) or folder_version
        read.model = data
    elif schema_version in COMPONENT_VERSIONS:
        _read_component(path, data, read, known_good, problems)
    elif schema_version in RELATIONSHIP_VERSIONS:
        rel = _relationship(path, data, schema_version, folder_name, folder_version, problems)
        read.relationship = rel
        read.name, read.version = rel.model_name, rel.model_version
    elif schema_version.startswith(CONNECTION_PREFIX):
        read.connection = Connection(
            name=_text(data.get("name")),
            kind=string(data.get("kind")),
            type=string(data.get("type")),
            sub_type=string(data.get("subType") or data.get("sub_type")),
            description=_text(data.get("description")),
            source=path,
        )
    elif not schema_version:
        message = "no schemaVersion: not a registry definition (legacy format?), skipped"
        problems.append((Severity.NOTICE, message, None, "schemaVersion"))
    else:
        message = f"unknown schemaVersion '{schema_version}', expected one of " + ", ".join(
            MODEL_VERSIONS + COMPONENT_VERSIONS + RELATIONSHIP_VERSIONS
        )
        problems.append((Severity.WARNING, message, None, "schemaVersion"))
    read.problems = tuple(problems)
    return read


def _read_component(
    path: Path,
    data: dict[str, Any],
    read: FileRead,
    known_good: frozenset[str],
    problems: list[Problem],
) -> None:
    body = mapping(data.get("component"))
    kind = string(body.get("kind")) or string(data.get("kind"))
    if not kind:
        problems.append(
            (Severity.ERROR, "component has no kind, expected a non-empty string", None, "component.kind")
        )
        read.schema_version = ""  # nothing of it is used
        return
    model = mapping(data.get("model"))
    read.name = string(model.get("name")) or read.name
    read.version = _upstream_version(model) or read.version
    read.model = model
    read.annotation = mapping(data.get("metadata")).get("isAnnotation") is True or (
        mapping(model.get("metadata")).get("isAnnotation") is True
    )
    schema_text = body.get("schema")
    if isinstance(schema_text, (dict, list)):
        schema_text = json.dumps(schema_text)
    text = string(schema_text)
    text_digest = digest(text.encode("utf-8", "surrogatepass"))
    problem = None if text_digest in known_good else schema_problem(text)
    metadata = mapping(data.get("metadata"))
    styles = mapping(data.get("styles")) or metadata
    namespaced = metadata.get("isNamespaced", metadata.get("is_namespaced"))
    read.icon = styles.get("svgColor") or styles.get("svgWhite")
    read.component = Component(
        kind=kind,
        api_version=string(body.get("version")) or string(data.get("apiVersion")),
        display_name=_text(data.get("displayName")) or kind,
        description=_text(data.get("description")),
        model_name=read.name,
        model_version=read.version,
        status=string(data.get("status")).lower() or "enabled",
        namespaced=namespaced if isinstance(namespaced, bool) else None,
        schema_text=text,
        source=path,
        schema_version=read.schema_version,
        schema_digest=text_digest,
        schema_problem=problem,
    )


def _apply(
    read: FileRead,
    path: Path,
    buckets: dict[tuple[str, str], _VersionBucket],
    icons: IconCache,
    report: Report,
    options: LoadOptions,
) -> None:
    """Put one file's read into its model version's bucket: where files meet, and the first one wins."""
    for severity, message, line, field_name in read.problems:
        report.add(severity, path, message, line=line, field=field_name)
    schema_version = read.schema_version
    if schema_version in MODEL_VERSIONS:
        bucket = _bucket(buckets, read.name, read.version)
        if bucket.model is not None and bucket.model_source is not None:
            report.notice(
                path,
                f"model '{read.name}' {read.version} is also defined in "
                f"{report.display_path(bucket.model_source)}; this copy is ignored",
            )
            return
        bucket.model, bucket.model_source, bucket.model_schema_version = read.model, path, schema_version
        bucket.version = read.version  # the model's own spelling of its version is the one shown
    elif read.component is not None:
        bucket = _bucket(buckets, read.name, read.version)
        _apply_component(read, read.component, path, bucket, icons, report, options.include_ignored)
    elif read.relationship is not None:  # a copy: assembling sets each one's version spelling
        _bucket(buckets, read.name, read.version).relationships.append(replace(read.relationship))
    elif read.connection is not None:
        _bucket(buckets, read.name, read.version).connections.append(read.connection)


def _apply_component(
    read: FileRead,
    component: Component,
    path: Path,
    bucket: _VersionBucket,
    icons: IconCache,
    report: Report,
    include_ignored: bool,
) -> None:
    name, version, kind, api_version = read.name, read.version, component.kind, component.api_version
    bucket.known_kinds.setdefault(kind, set()).add(api_version)
    model = read.model or {}
    if read.annotation:
        bucket.annotation_kinds.add(kind)
    if not bucket.source_uri:
        bucket.source_uri = string(mapping(model.get("metadata")).get("source_uri"))
    if bucket.model is None and model.get("name"):
        bucket.model_schema_version = string(model.get("schemaVersion")) or read.schema_version
        bucket.model = model  # a fallback until (or unless) model.json turns up
    if component.status in HIDDEN_STATUSES and not include_ignored:
        return
    key = (kind.lower(), api_version.lower())
    if key in bucket.component_keys:
        report.warning(
            path,
            f"duplicate component {kind} ({api_version or 'no apiVersion'}) of model '{name}' {version}; "
            f"the one in {report.display_path(bucket.component_keys[key])} is published",
            field="component.kind",
        )
        return
    bucket.component_keys[key] = path
    if component.schema_problem:
        report.warning(path, component.schema_problem, field="component.schema")
    icon = icons.icon(path, "styles.svgColor", read.icon)
    bucket.components.append(replace(component, icon=icon))  # a copy: assembling sets its version spelling


def _relationship(
    path: Path,
    data: dict[str, Any],
    schema_version: str,
    folder_name: str,
    folder_version: str,
    problems: list[Problem],
) -> Relationship:
    model = mapping(data.get("model"))
    name = string(model.get("name")) or folder_name
    version = _upstream_version(model) or folder_version
    metadata = mapping(data.get("metadata")) or mapping(data.get("metdata"))  # 'metdata': a real typo
    selectors = []
    raw_selectors = data.get("selectors")
    if not isinstance(raw_selectors, list):
        message = "selectors is missing or not a list; the relationship is shown without them"
        problems.append((Severity.WARNING, message, None, "selectors"))
        raw_selectors = []
    for raw in raw_selectors:
        raw = mapping(raw)
        allow, deny = mapping(raw.get("allow")), mapping(raw.get("deny"))
        selectors.append(
            Selector(
                allow_from=_entries(allow.get("from")),
                allow_to=_entries(allow.get("to")),
                deny_from=_entries(deny.get("from")),
                deny_to=_entries(deny.get("to")),
            )
        )
    return Relationship(
        kind=string(data.get("kind")),
        type=string(data.get("type")),
        sub_type=string(data.get("subType") or data.get("sub_type")),
        description=_text(metadata.get("description") or data.get("description")),
        model_name=name,
        model_version=version,
        status=string(data.get("status")).lower() or "enabled",
        selectors=tuple(selectors),
        source=path,
        schema_version=schema_version,
    )


def _entries(value: Any) -> tuple[SelectorEntry, ...]:
    if not isinstance(value, list):
        return ()
    out = []
    for item in value:
        item = mapping(item)
        model = mapping(item.get("model"))
        out.append(
            SelectorEntry(
                kind=string(item.get("kind")) or "*",
                model=string(model.get("name")) or string(item.get("model")) or "*",
                match=_describe_match(item.get("match")),
                patch=_describe_patch(item.get("patch")),
                refs=_match_refs(item.get("match")),
            )
        )
    return tuple(out)


def _describe_patch(patch: Any) -> str:
    """``replace: configuration.spec → configuration.spec`` from a patch object."""
    patch = mapping(patch)
    if not patch:
        return ""
    refs = patch.get("mutatorRef") or patch.get("mutatedRef") or []
    role = "mutator" if patch.get("mutatorRef") else "mutated" if patch.get("mutatedRef") else ""
    paths = ", ".join(_ref_path(r) for r in refs if isinstance(r, list)) if isinstance(refs, list) else ""
    strategy = string(patch.get("patchStrategy"))
    text = " ".join(p for p in (strategy, f"{role}: {paths}" if paths else "") if p)
    return _clip(text, 400)


def _describe_match(match: Any) -> str:
    """``from self [displayName] → to RoleBinding [configuration.spec]`` from a match object."""
    match = mapping(match)
    if not match:
        return ""
    parts = []
    for side in ("from", "to"):
        for item in match.get(side) or []:
            item = mapping(item)
            refs = item.get("mutatorRef") or item.get("mutatedRef") or []
            paths = (
                ", ".join(_ref_path(r) for r in refs if isinstance(r, list)) if isinstance(refs, list) else ""
            )
            parts.append(f"{side} {string(item.get('kind')) or '*'}" + (f" [{paths}]" if paths else ""))
    return _clip("; ".join(parts), 400)


def _match_refs(match: Any) -> tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...]:
    """A selector entry's ``match`` as data: (side, kind or "self", ref paths), bounded."""
    out = []
    for side in ("from", "to"):
        for item in mapping(match).get(side) or []:
            item = mapping(item)
            refs = item.get("mutatorRef") or item.get("mutatedRef") or []
            paths = tuple(
                tuple(str(step)[:MAX_REF_STEP] for step in ref[:MAX_REF_DEPTH])
                for ref in (refs if isinstance(refs, list) else [])[:MAX_REFS]
                if isinstance(ref, list)
            )
            if paths:
                out.append((side, string(item.get("kind")) or "*", paths))
    return tuple(out[:MAX_REFS])


def _ref_path(ref: list[Any]) -> str:
    return ".".join(str(p) for p in ref)


def _assemble(
    buckets: dict[tuple[str, str], _VersionBucket], icons: IconCache, report: Report, options: LoadOptions
) -> Registry:
    by_name: dict[str, list[_VersionBucket]] = {}
    for bucket in buckets.values():
        by_name.setdefault(bucket.name, []).append(bucket)
    models = []
    older: dict[str, list[Model]] = {}
    for name in sorted(by_name, key=str.lower):
        versions = sorted(by_name[name], key=lambda b: version_key(b.version), reverse=True)
        defined = [b for b in versions if b.model is not None]
        _spread_wildcards(versions, defined)
        for orphan in versions:
            if orphan.model is None and (orphan.relationships or orphan.connections):
                source = (orphan.relationships or orphan.connections)[0].source
                report.notice(
                    source,
                    f"model '{name}' {orphan.version} has no model definition (model.json or components); "
                    "its relationships are not published",
                )
        if not defined:
            continue
        newest = defined[0]
        model = _model(newest, icons, report)
        if model.status in HIDDEN_STATUSES and not options.include_ignored:
            continue
        model.other_versions = [
            VersionSummary(b.version, len(b.components), len(b.relationships)) for b in defined[1:]
        ]
        models.append(model)
        if options.all_versions:
            kept = [_model(b, icons, report) for b in defined[1:]]
            older[name] = [m for m in kept if options.include_ignored or m.status not in HIDDEN_STATUSES]
    definitions = sum(
        (b.model_source is not None) + len(b.components) + len(b.relationships) + len(b.connections)
        for b in buckets.values()
    )
    known: dict[str, dict[str, set[str]]] = {}
    annotations: dict[str, set[str]] = {}
    for bucket in buckets.values():
        kinds = known.setdefault(bucket.name, {})
        for kind, api_versions in bucket.known_kinds.items():
            kinds.setdefault(kind, set()).update(api_versions)
        if bucket.annotation_kinds:
            annotations.setdefault(bucket.name, set()).update(bucket.annotation_kinds)
    return Registry(
        models=models,
        definitions=max(definitions, len(buckets)),
        known_kinds=known,
        annotation_kinds=annotations,
        older={name: versions for name, versions in older.items() if versions},
    )


def _spread_wildcards(versions: list[_VersionBucket], defined: list[_VersionBucket]) -> None:
    """Relationships written for version ``*`` join every defined version of their model, as copies."""
    for wildcard in [b for b in versions if version_id(b.version) == WILDCARD]:
        if not defined:
            continue  # reported with the other orphans: no version to join
        for bucket in defined:
            bucket.relationships.extend(
                replace(r, model_version=bucket.version) for r in wildcard.relationships
            )
        wildcard.relationships = []


def _model(bucket: _VersionBucket, icons: IconCache, report: Report) -> Model:
    data = bucket.model or {}
    metadata = mapping(data.get("metadata"))
    category = (
        _text(mapping(data.get("category")).get("name")) or _text(data.get("category")) or UNCATEGORIZED
    )
    sub_category = _text(data.get("subCategory") or data.get("sub_category") or metadata.get("subCategory"))
    registrant = mapping(data.get("registrant"))
    source = bucket.model_source or (bucket.components[0].source if bucket.components else Path("."))
    source_uri = string(metadata.get("source_uri") or metadata.get("sourceUri")) or bucket.source_uri
    components = sorted(bucket.components, key=lambda c: (c.kind.lower(), c.api_version, str(c.source)))
    for component in components:  # one spelling of the version throughout the model's pages
        component.model_version = bucket.version
    for relationship in bucket.relationships:
        relationship.model_version = bucket.version
    relationships = [r for r in bucket.relationships if r.status not in HIDDEN_STATUSES]
    relationships.sort(key=lambda r: (r.kind, r.type, r.sub_type, r.endpoints(), str(r.source)))
    return Model(
        name=bucket.name,
        display_name=_text(data.get("displayName")) or bucket.name,
        description=_text(data.get("description") or metadata.get("description")),
        version=bucket.version,
        category=category,
        sub_category=sub_category or UNCATEGORIZED,
        registrant=_text(registrant.get("name") or registrant.get("kind") or registrant.get("hostname")),
        source_uri=source_uri,
        status=string(data.get("status")).lower() or "enabled",
        schema_version=bucket.model_schema_version,
        source=source,
        icon=icons.icon(source, "metadata.svgColor", metadata.get("svgColor") or metadata.get("svgWhite")),
        components=components,
        relationships=relationships,
        connections=sorted(bucket.connections, key=lambda c: (c.name, str(c.source))),
    )


def _folder_identity(path: Path, root: Path) -> tuple[str, str]:
    """(model, version) from ``<root>/<model>/<version>/...``; the fallback when data does not say."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    name = parts[0] if len(parts) > 1 else path.stem
    version = parts[1] if len(parts) > 2 else ""
    return name, version


def _upstream_version(data: dict[str, Any]) -> str:
    """The upstream version lives in ``model.version``; the top-level ``version`` is the definition's."""
    return string(mapping(data.get("model")).get("version"))


def _bucket(buckets: dict[tuple[str, str], _VersionBucket], name: str, version: str) -> _VersionBucket:
    """The one bucket of a model version, however the version is spelt (``v1.2.0`` is ``1.2.0``)."""
    key = (name, version_id(version))
    if key not in buckets:
        buckets[key] = _VersionBucket(name=name, version=version)
    return buckets[key]


def _text(value: Any) -> str:
    return _clip(value.strip(), MAX_TEXT) if isinstance(value, str) else ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_registry_files(paths: list[Path], report: Report) -> None:
    """Check single definition files (``meshdocs validate x.json``): read, dispatch and report."""
    icons = IconCache(report)
    buckets: dict[tuple[str, str], _VersionBucket] = {}
    options = LoadOptions(include_ignored=True)
    for path in paths:
        _apply(read_file(path, path.parent), path, buckets, icons, report, options)
