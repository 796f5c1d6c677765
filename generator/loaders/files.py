"""Reading untrusted JSON and YAML files: bounded, strict about encoding, and never executing anything.

Every failure becomes a :class:`DataError` carrying the line and a reason a contributor can act on, so
callers report it against the file and go on with the next one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml is much faster; the pure-Python loader is an acceptable fallback.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

DATA_SUFFIXES = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_YAML_NODES = 1_000_000
MAX_DEPTH = 256

KeyPath = tuple[str | int, ...]

_CONFLICT = re.compile(r"^(<{7}|={7}|>{7})(?:\s|$)", re.MULTILINE)


class DataError(Exception):
    """A file that cannot be read as data; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class DataDocument:
    """Parsed content of one file, with the line of each key when the caller asked for them."""

    path: Path
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, key_path: KeyPath) -> int | None:
        """The line of ``key_path`` or of its nearest ancestor that has one."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return None


def read_text(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """UTF-8 text of ``path`` without a BOM; refuses oversize files, invalid UTF-8 and merge conflicts."""
    return decode_text(read_bytes(path, max_bytes=max_bytes))


def read_bytes(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, refusing oversize files."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise DataError(f"file is {size:,} bytes, the limit is {max_bytes:,}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read file: {exc.strerror or exc}") from None
    return raw


def decode_text(raw: bytes) -> str:
    """UTF-8 text without a BOM; invalid UTF-8 and merge conflict markers are errors with their line."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line
        ) from None
    # A plain substring scan first: the multi-line regex over 300 MB of registry costs a second.
    marked = "<<<<<<<" in text or "=======" in text or ">>>>>>>" in text
    conflict = _CONFLICT.search(text) if marked else None
    if conflict:
        line = text.count("\n", 0, conflict.start()) + 1
        raise DataError(
            "contains git merge conflict markers; resolve the conflict and remove the "
            "'<<<<<<<', '=======' and '>>>>>>>' lines",
            line,
        )
    return text


def data_format(path: Path) -> str | None:
    """``json`` or ``yaml`` by suffix; ``None`` for files that are not data (READMEs, icons, ...)."""
    return DATA_SUFFIXES.get(path.suffix.lower())


def load_data(path: Path, *, with_lines: bool = False, max_bytes: int = MAX_FILE_BYTES) -> DataDocument:
    """Parse one JSON or YAML file. JSON is parsed by ``json`` unless line numbers are wanted."""
    text = read_text(path, max_bytes=max_bytes)
    fmt = data_format(path) or "yaml"
    if fmt == "json" and not with_lines:
        return DataDocument(path, parse_json(text))
    if fmt == "json":
        parse_json(text)  # JSON's own error messages are the clearer ones for a JSON file
    data, lines = parse_yaml(text, with_lines=with_lines)
    return DataDocument(path, data, lines)


def parse_data(path: Path, raw: bytes) -> Any:
    """The data in ``raw``, the bytes of ``path`` (JSON or YAML by its name), as :func:`load_data` has it."""
    text = decode_text(raw)
    if data_format(path) == "json":
        return parse_json(text)
    return parse_yaml(text)[0]


def parse_json(text: str) -> Any:
    """``json.loads`` with errors turned into :class:`DataError` (line, column and reason)."""
    if not text.strip():
        raise DataError("file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", exc.lineno
        ) from None
    except RecursionError:
        raise DataError("JSON is nested too deeply to read") from None


def parse_yaml(text: str, *, with_lines: bool = False) -> tuple[Any, dict[KeyPath, int]]:
    """One YAML document, built from the node graph by :class:`_Builder` so nothing can run or explode."""
    docs = list(iter_yaml_documents(text, with_lines=with_lines))
    if not docs:
        raise DataError("file is empty")
    if len(docs) > 1:
        raise DataError(f"holds {len(docs)} YAML documents, expected one")
    return docs[0]


def iter_yaml_documents(text: str, *, with_lines: bool = False) -> Iterator[tuple[Any, dict[KeyPath, int]]]:
    """Every document of a (multi-document) YAML stream; empty documents are skipped."""
    try:
        nodes = list(yaml.compose_all(text, Loader=_SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise DataError(f"not valid YAML: {reason}", line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"not valid YAML: {exc}") from None
    except RecursionError:
        raise DataError("YAML is nested too deeply to read") from None
    for node in nodes:
        if node is None:
            continue
        builder = _Builder(with_lines)
        yield builder.build(node), builder.lines


class _Builder:
    """Turns a composed YAML node graph into plain data.

    Only the core schema's types are accepted: any other tag (``!!python/object``, custom tags) is an
    error, timestamps stay strings (JSON has no dates), duplicate keys are an error, and every node visit is
    counted, so an alias bomb fails fast instead of expanding into gigabytes.
    """

    def __init__(self, with_lines: bool) -> None:
        self.with_lines = with_lines
        self.lines: dict[KeyPath, int] = {}
        self.visits = 0

    def build(self, node: yaml.Node) -> Any:
        return self._build(node, (), 0)

    def _build(self, node: yaml.Node, path: KeyPath, depth: int) -> Any:
        self.visits += 1
        if self.visits > MAX_YAML_NODES:
            raise DataError(
                f"YAML expands to more than {MAX_YAML_NODES:,} values (an alias bomb?)",
                node.start_mark.line + 1,
            )
        if depth > MAX_DEPTH:
            raise DataError(f"YAML is nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in ("tag:yaml.org,2002:seq",):
                raise self._tag_error(node)
            items = []
            for i, item in enumerate(node.value):
                if self.with_lines:
                    self.lines[(*path, i)] = item.start_mark.line + 1
                items.append(self._build(item, (*path, i), depth + 1))
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int) -> dict[str, Any]:
        if node.tag not in ("tag:yaml.org,2002:map",):
            raise self._tag_error(node)
        out: dict[str, Any] = {}
        for key_node, value_node in self._merged(node):
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None and not isinstance(key_node, yaml.ScalarNode):
                raise DataError("mapping keys must be plain values", key_node.start_mark.line + 1)
            key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            if key in out:
                raise DataError(f"duplicate key '{key}'", key_node.start_mark.line + 1)
            child = (*path, key)
            if self.with_lines:
                self.lines[child] = key_node.start_mark.line + 1
            out[key] = self._build(value_node, child, depth + 1)
        return out

    def _merged(self, node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
        """Resolve ``<<`` merge keys the way YAML 1.1 defines them (explicit keys win)."""
        pairs: list[tuple[yaml.Node, yaml.Node]] = []
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        raise DataError("'<<' merges only mappings", source.start_mark.line + 1)
                    self.visits += len(source.value)
                    merged.extend(self._merged(source))
            else:
                pairs.append((key_node, value_node))
        explicit = {k.value for k, _ in pairs if isinstance(k, yaml.ScalarNode)}
        seen: set[str] = set()
        kept = []
        for k, v in merged:
            if isinstance(k, yaml.ScalarNode) and k.value not in explicit and k.value not in seen:
                seen.add(k.value)
                kept.append((k, v))
        return kept + pairs

    def _scalar(self, node: yaml.Node) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self._tag_error(node)
        tag, value = node.tag, node.value
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
            return value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return value.lower() in ("true", "yes", "on", "y")
        if tag == "tag:yaml.org,2002:int":
            return self._int(value, node)
        if tag == "tag:yaml.org,2002:float":
            return self._float(value, node)
        if tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"):
            return value  # '=' as a plain key or value (real CRDs use it); '<<' outside a mapping key
        raise self._tag_error(node)

    @staticmethod
    def _int(value: str, node: yaml.Node) -> int | str:
        text = value.replace("_", "")
        try:
            if text.lower().startswith(("0x", "-0x", "+0x")):
                return int(text, 16)
            if text.lower().startswith(("0o", "-0o", "+0o")):
                return int(text, 8)
            if text.lower().startswith(("0b", "-0b", "+0b")):
                return int(text, 2)
            if ":" in text:
                return value  # sexagesimal: keep as written
            if len(text) > 1 and text.lstrip("+-").startswith("0"):
                return int(text, 8)
            return int(text)
        except ValueError:
            return value

    @staticmethod
    def _float(value: str, node: yaml.Node) -> float | str:
        text = value.replace("_", "").lower()
        if text in (".nan",):
            return value  # NaN and infinities are not JSON: keep the text
        if text.lstrip("+-") in (".inf",):
            return value
        try:
            return float(text)
        except ValueError:
            return value

    @staticmethod
    def _tag_error(node: yaml.Node) -> DataError:
        return DataError(
            f"YAML tag '{node.tag}' is not allowed; only plain mappings, lists and scalars are read",
            node.start_mark.line + 1,
        )
