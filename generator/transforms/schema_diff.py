"""What changed between two versions of a component's JSON Schema, each change classified.

Breaking means a manifest valid against the old schema may be invalid against the new one (or mean
something else): a field removed, a type changed, a field newly required, an enum value removed, a
constraint tightened. Compatible means every old manifest still validates: a field added (optional), a
field no longer required, an enum value added, a constraint loosened, a default changed (noted: it
changes what an omitted field means, so it is flagged for reading, not counted as breaking).

Paths are dotted (``spec.template.spec.containers[].image``): ``[]`` is "every item of the array".
The walk is bounded like the field reference's (depth and fields), and says so when it stops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 24
MAX_FIELDS = 20_000
TIGHTER_IF_HIGHER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
TIGHTER_IF_LOWER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


@dataclass(frozen=True)
class Change:
    """One difference at one path."""

    path: str
    kind: str  # added, removed, type-changed, became-required, became-optional, enum-added, ...
    detail: str
    breaking: bool

    def to_data(self) -> dict[str, object]:
        return {"path": self.path, "change": self.kind, "detail": self.detail, "breaking": self.breaking}


@dataclass(frozen=True)
class _Field:
    type: str
    required: bool
    enum: tuple[str, ...] | None
    default: str | None
    constraints: tuple[tuple[str, Any], ...]
    pattern: str | None


@dataclass
class SchemaDiff:
    changes: list[Change] = field(default_factory=list)
    truncated: bool = False

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def compatible(self) -> list[Change]:
        return [c for c in self.changes if not c.breaking]


def diff_schema_texts(old: str, new: str) -> SchemaDiff:
    """Compare two schemas as registries store them (JSON text; empty means no schema)."""
    return diff_schemas(_parse(old), _parse(new))


def diff_schemas(old: dict[str, Any], new: dict[str, Any]) -> SchemaDiff:
    before, cut_before = _fields(old)
    after, cut_after = _fields(new)
    changes: list[Change] = []
    for path in sorted(set(before) | set(after), key=_path_key):
        a, b = before.get(path), after.get(path)
        if a is None and b is not None:
            if b.required and _parent_present(path, before):
                changes.append(Change(path, "added", f"new required field ({b.type})", True))
            else:
                changes.append(Change(path, "added", f"new field ({b.type})", False))
        elif b is None and a is not None:
            if not _parent_removed(path, before, after):
                changes.append(Change(path, "removed", f"was {a.type}", True))
        elif a is not None and b is not None:
            changes += _compare(path, a, b)
    changes.sort(key=lambda c: (not c.breaking, _path_key(c.path), c.kind))
    return SchemaDiff(changes, truncated=cut_before or cut_after)


def _compare(path: str, a: _Field, b: _Field) -> list[Change]:
    out: list[Change] = []
    if a.type != b.type and a.type and b.type:
        out.append(Change(path, "type-changed", f"{a.type} → {b.type}", True))
    if not a.required and b.required:
        out.append(Change(path, "became-required", "now required", True))
    elif a.required and not b.required:
        out.append(Change(path, "became-optional", "no longer required", False))
    if a.enum is not None or b.enum is not None:
        old_values, new_values = set(a.enum or ()), set(b.enum or ())
        if a.enum is None:
            out.append(Change(path, "enum-added", "now limited to " + ", ".join(sorted(new_values)), True))
        elif b.enum is None:
            out.append(Change(path, "enum-removed", "no longer limited to a list", False))
        else:
            if old_values - new_values:
                out.append(
                    Change(path, "enum-value-removed", ", ".join(sorted(old_values - new_values)), True)
                )
            if new_values - old_values:
                out.append(
                    Change(path, "enum-value-added", ", ".join(sorted(new_values - old_values)), False)
                )
    if a.default != b.default:
        out.append(Change(path, "default-changed", f"{a.default or 'none'} → {b.default or 'none'}", False))
    before, after = dict(a.constraints), dict(b.constraints)
    for name in sorted(set(before) | set(after)):
        old_value, new_value = before.get(name), after.get(name)
        if old_value == new_value:
            continue
        tighter = _tighter(name, old_value, new_value)
        word = "constraint-tightened" if tighter else "constraint-loosened"
        out.append(Change(path, word, f"{name}: {_show(old_value)} → {_show(new_value)}", tighter))
    if a.pattern != b.pattern:
        # A new or different pattern may reject what the old one accepted: reading it is the only way to know.
        tighter = b.pattern is not None
        word = "constraint-tightened" if tighter else "constraint-loosened"
        out.append(Change(path, word, f"pattern: {_show(a.pattern)} → {_show(b.pattern)}", tighter))
    return out


def _tighter(name: str, old: Any, new: Any) -> bool:
    if old is None:
        return True  # a limit where there was none
    if new is None:
        return False
    try:
        if name in TIGHTER_IF_HIGHER:
            return float(new) > float(old)
        if name in TIGHTER_IF_LOWER:
            return float(new) < float(old)
    except (TypeError, ValueError):
        return True
    return True


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False)[:80]


def _parse(text: str) -> dict[str, Any]:
    if not text or not text.strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _fields(schema: dict[str, Any]) -> tuple[dict[str, _Field], bool]:
    """Every property path of ``schema`` with what a change could touch; bounded."""
    out: dict[str, _Field] = {}
    truncated = False

    def walk(node: Any, prefix: str, depth: int) -> None:
        nonlocal truncated
        if not isinstance(node, dict):
            return
        if depth > MAX_DEPTH or len(out) >= MAX_FIELDS:
            truncated = True
            return
        found_required, found_properties = node.get("required"), node.get("properties")
        required: list[Any] = found_required if isinstance(found_required, list) else []
        properties: dict[str, Any] = found_properties if isinstance(found_properties, dict) else {}
        for name in sorted(properties, key=str):
            child = properties[name]
            path = f"{prefix}.{name}" if prefix else str(name)
            out[path] = _describe(child, name in required)
            walk(child, path, depth + 1)
            items = child.get("items") if isinstance(child, dict) else None
            if isinstance(items, dict):
                walk(items, path + "[]", depth + 1)

    walk(schema, "", 0)
    return out, truncated


def _describe(node: Any, required: bool) -> _Field:
    node = node if isinstance(node, dict) else {}
    kind = node.get("type")
    if isinstance(kind, list):
        kind = "|".join(sorted(str(k) for k in kind))
    elif not isinstance(kind, str):
        kind = "object" if "properties" in node else ""
    if kind == "array" and isinstance(node.get("items"), dict):
        inner = node["items"].get("type")
        kind = f"array of {inner}" if isinstance(inner, str) else kind
    enum = node.get("enum")
    values = (
        tuple(sorted(json.dumps(v, ensure_ascii=False) for v in enum)) if isinstance(enum, list) else None
    )
    default = (
        json.dumps(node["default"], ensure_ascii=False, sort_keys=True)[:200] if "default" in node else None
    )
    constraints = tuple(
        (name, node[name])
        for name in (*TIGHTER_IF_HIGHER, *TIGHTER_IF_LOWER)
        if isinstance(node.get(name), (int, float)) and not isinstance(node.get(name), bool)
    )
    pattern = node.get("pattern") if isinstance(node.get("pattern"), str) else None
    return _Field(kind, required, values, default, constraints, pattern)


def _parent_present(path: str, fields: dict[str, _Field]) -> bool:
    parent = _parent(path)
    return parent == "" or parent in fields


def _parent_removed(path: str, before: dict[str, _Field], after: dict[str, _Field]) -> bool:
    """A removed field under a removed parent: the parent's removal says it once."""
    parent = _parent(path)
    return parent != "" and parent in before and parent not in after


def _parent(path: str) -> str:
    """``spec.containers[].image`` → ``spec.containers`` (the array's own field), ``spec`` → ``""``."""
    return path.rsplit(".", 1)[0].removesuffix("[]") if "." in path else ""


def _path_key(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))
