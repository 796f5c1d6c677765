"""Turn a component's JSON Schema (a string, as registries store it) into field-reference rows.

Real schemas range from empty to 600 KB; hostile ones nest 2,000 levels, hold 20,000 properties or refer
to themselves. Every walk here is bounded (rows, depth, visits, text lengths) and says what it cut.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from meshdocs.model.registry import Component
from meshdocs.model.schema import ComponentSchema, SchemaField

MAX_ROWS = 1500
MAX_SHALLOW_EXTRA = 1000  # past MAX_ROWS, top-level fields (depth ≤ 1) are still listed, up to this many
MAX_DEPTH = 12
MAX_VISITS = 200_000
MAX_DESCRIPTION = 1500
MAX_ENUM = 40
MAX_VALUE = 200
MAX_EXAMPLE_KEYS = 80
MAX_EXAMPLE_DEPTH = 5

# libyaml's emitter when PyYAML has it (same output, a tenth of the time), the pure-Python one otherwise.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_SKELETON_SKIP = {"apiVersion", "kind", "metadata", "status"}


def schema_problem(text: str) -> str | None:
    """Why ``text`` is no usable schema (the message the page shows), or ``None``; no flattening."""
    if not text or not text.strip():
        return None
    doc, problem = _parse(text)
    if problem is None and not isinstance(doc, dict):
        problem = _not_an_object(doc)
    return problem


def flatten_schema(comp: Component) -> ComponentSchema:
    """A component's field reference, made when its page is rendered (a page reused from the last build
    never needs it, so loading never pays for it)."""
    return build_component_schema(comp.schema_text, kind=comp.kind, api_version=comp.api_version)


def build_component_schema(text: str, *, kind: str = "", api_version: str = "") -> ComponentSchema:
    """Parse ``text`` and flatten it; an empty string gives an empty schema, a broken one an ``error``."""
    if not text or not text.strip():
        return ComponentSchema()
    doc, problem = _parse(text)
    if problem is not None:
        return ComponentSchema(error=problem)
    # Registries store schemas pretty-printed already: shown as written, which also spares re-encoding
    # them through json's pure-Python indenting encoder (half the cost of this module on real data).
    pretty = text.strip() if "\n" in text.strip() else None
    return schema_from_document(doc, kind=kind, api_version=api_version, raw=pretty)


def schema_from_document(
    doc: Any, *, kind: str = "", api_version: str = "", raw: str | None = None
) -> ComponentSchema:
    """Flatten an already-parsed schema document (CRD ``openAPIV3Schema`` or a registry schema).

    ``raw`` is the document's own text when it is fit to show as is; otherwise it is pretty-printed.
    """
    if not isinstance(doc, dict):
        return ComponentSchema(error=_not_an_object(doc))
    walker = _Walker(doc)
    walker.walk_object(doc, "", 0, frozenset())
    notes = list(walker.notes)
    if raw is None:
        try:
            raw = json.dumps(doc, indent=2, ensure_ascii=False)
        except (RecursionError, ValueError):
            raw = ""
            notes.append("The raw schema is nested too deeply to show.")
    if walker.total > len(walker.rows):
        more = "more than " if walker.exhausted else ""
        shallow = (
            f" (past the first {MAX_ROWS:,}, only top-level fields)" if len(walker.rows) > MAX_ROWS else ""
        )
        shown = f"Showing {len(walker.rows):,} of {more}{walker.total:,} fields{shallow}"
        notes.insert(0, f"{shown}; the raw schema has them all.")
    spec = _properties(walker.resolve(doc.get("properties", {}).get("spec"), frozenset())[0])
    top = tuple(spec.keys()) if spec else tuple(k for k in _properties(doc) if k not in _SKELETON_SKIP)
    return ComponentSchema(
        fields=tuple(walker.rows),
        example=_example(walker, doc, kind, api_version),
        raw=raw,
        raw_bytes=len(raw.encode("utf-8")),
        notes=tuple(dict.fromkeys(notes)),
        top_level=top,
    )


def _parse(text: str) -> tuple[Any, str | None]:
    """The parsed schema, or why it cannot be parsed, in the words the page and the report use."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"schema is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    except RecursionError:
        return None, "schema is nested too deeply to read"


def _not_an_object(doc: Any) -> str:
    return f"schema is a JSON {_json_type(doc)}, expected an object"


class _Walker:
    """Depth-first walk that emits one row per property, within the row, depth and visit budgets."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.rows: list[SchemaField] = []
        self.total = 0
        self.visits = 0
        self.exhausted = False
        self.notes: list[str] = []

    def resolve(self, node: Any, refs: frozenset[str]) -> tuple[dict[str, Any], frozenset[str]]:
        """Follow local ``$ref``s (``#/definitions/x``); a cycle or an unknown target yields ``{}``."""
        seen = set(refs)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                self.notes.append(f"'{_clip(ref)}' refers back to itself; its fields are shown once.")
                return {"description": node.get("description", ""), "x-meshdocs-recursive": ref}, frozenset(
                    seen
                )
            seen.add(ref)
            target = self._pointer(ref)
            if target is None:
                self.notes.append(f"'{_clip(ref)}' cannot be followed (not a local reference).")
                return {"description": node.get("description", ""), "x-meshdocs-ref": ref}, frozenset(seen)
            extra = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **extra} if extra else target
        return (node if isinstance(node, dict) else {}), frozenset(seen)

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.root
        for part in ref[1:].split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def walk_object(self, node: Any, prefix: str, depth: int, refs: frozenset[str]) -> None:
        node, refs = self.resolve(node, refs)
        props = _properties(node)
        required = set(_strings(node.get("required")))
        for sub in _combined(node):
            sub, _ = self.resolve(sub, refs)
            props = {**props, **{k: v for k, v in _properties(sub).items() if k not in props}}
            required |= set(_strings(sub.get("required")))
        for name, child in props.items():
            self.visit(child, f"{prefix}.{name}" if prefix else str(name), depth, name in required, refs)
            if self.exhausted:
                return
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and extra and (prefix or not props):
            self.visit(extra, f"{prefix}.*" if prefix else "*", depth, False, refs)

    def visit(self, node: Any, path: str, depth: int, required: bool, refs: frozenset[str]) -> None:
        self.visits += 1
        if self.visits > MAX_VISITS:
            self.exhausted = True
            return
        node, refs = self.resolve(node, refs)
        self.total += 1
        if len(self.rows) < MAX_ROWS or (depth <= 1 and len(self.rows) < MAX_ROWS + MAX_SHALLOW_EXTRA):
            self.rows.append(self.row(node, path, depth, required))
        if "x-meshdocs-recursive" in node:
            return
        if depth + 1 >= MAX_DEPTH:
            if _properties(node) or _properties(_items(node)):
                self.notes.append(f"Fields below depth {MAX_DEPTH} are not expanded; see the raw schema.")
            return
        items = _items(node)
        if _properties(node) or _combined(node) or _is_map_of_objects(node):
            self.walk_object(node, path, depth + 1, refs)
        elif items:
            item, item_refs = self.resolve(items, refs)
            if _properties(item) or _combined(item):
                self.walk_object(item, f"{path}[]", depth + 1, item_refs)

    def row(self, node: dict[str, Any], path: str, depth: int, required: bool) -> SchemaField:
        enum = node.get("enum")
        values = tuple(_value_text(v) for v in enum[:MAX_ENUM]) if isinstance(enum, list) else ()
        if isinstance(enum, list) and len(enum) > MAX_ENUM:
            values += (f"… {len(enum) - MAX_ENUM} more",)
        default = _value_text(node["default"]) if "default" in node else None
        return SchemaField(
            path=path,
            depth=depth,
            type=type_text(node, self),
            required=required,
            description=_clip(_text(node.get("description")) or _text(node.get("title")), MAX_DESCRIPTION),
            enum=values,
            default=default,
            constraints=_constraints(node),
        )


def type_text(node: dict[str, Any], walker: _Walker | None = None) -> str:
    """A short human type: ``string (date-time)``, ``array of objects``, ``integer | string``."""
    if node.get("x-kubernetes-int-or-string"):
        return "integer | string"
    if "x-meshdocs-recursive" in node:
        return f"recursive ({_clip(str(node['x-meshdocs-recursive']), 60)})"
    if "x-meshdocs-ref" in node:
        return f"reference ({_clip(str(node['x-meshdocs-ref']), 60)})"
    kind = node.get("type")
    if isinstance(kind, list):
        names = [str(k) for k in kind if k != "null"]
        base = " | ".join(names) or "null"
    elif isinstance(kind, str):
        base = kind
    elif _properties(node):
        base = "object"
    elif isinstance(node.get("enum"), list) and node["enum"]:
        base = _json_type(node["enum"][0])
    elif _combined(node) or node.get("oneOf") or node.get("anyOf"):
        alts = []
        for sub in (node.get("oneOf") or []) + (node.get("anyOf") or []):
            sub_node = (
                walker.resolve(sub, frozenset())[0] if walker else (sub if isinstance(sub, dict) else {})
            )
            alts.append(type_text(sub_node, None))
        base = " | ".join(dict.fromkeys(a for a in alts if a)) or "object"
    else:
        base = "any"
    if base == "array":
        items = _items(node)
        if items:
            inner = walker.resolve(items, frozenset())[0] if walker else items
            inner_type = type_text(inner, None)
            base = "array of objects" if inner_type == "object" else f"array of {inner_type}"
    if base == "object" and not _properties(node) and isinstance(node.get("additionalProperties"), dict):
        inner = node["additionalProperties"]
        inner_type = type_text(inner, None) if inner else "any"
        base = f"map of {inner_type}"
    fmt = node.get("format")
    if isinstance(fmt, str) and fmt:
        base = f"{base} ({_clip(fmt, 40)})"
    return _clip(base, 120)


_CONSTRAINT_KEYS = frozenset(
    {
        "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
        "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "nullable",
        "readOnly", "deprecated", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-list-type",
        "x-kubernetes-validations",
    }
)  # fmt: skip


def _constraints(node: dict[str, Any]) -> tuple[str, ...]:
    if _CONSTRAINT_KEYS.isdisjoint(node):  # most fields have none: skip the checks below
        return ()
    out: list[str] = []
    if isinstance(node.get("pattern"), str):
        out.append(f"pattern: {_clip(node['pattern'], MAX_VALUE)}")
    for key, label in (
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("exclusiveMinimum", "exclusive minimum"),
        ("exclusiveMaximum", "exclusive maximum"),
        ("multipleOf", "multiple of"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
        ("minProperties", "min properties"),
        ("maxProperties", "max properties"),
    ):
        value = node.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append(f"{label}: {value:g}" if isinstance(value, float) else f"{label}: {value}")
    if node.get("uniqueItems") is True:
        out.append("unique items")
    if node.get("nullable") is True:
        out.append("nullable")
    if node.get("readOnly") is True:
        out.append("read-only")
    if node.get("deprecated") is True:
        out.append("deprecated")
    if node.get("x-kubernetes-preserve-unknown-fields") is True:
        out.append("any fields allowed")
    list_type = node.get("x-kubernetes-list-type")
    if isinstance(list_type, str):
        out.append(f"list type: {_clip(list_type, 40)}")
    rules = node.get("x-kubernetes-validations")
    if isinstance(rules, list):
        for rule in rules[:5]:
            if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                message = rule.get("message")
                text = _clip(rule["rule"], MAX_VALUE)
                out.append(f"rule: {text}" + (f" ({_clip(str(message), 120)})" if message else ""))
    return tuple(out)


def _example(walker: _Walker, doc: dict[str, Any], kind: str, api_version: str) -> str:
    """A YAML skeleton to start from: required fields, every top-level spec field, typed placeholders."""
    budget = [MAX_EXAMPLE_KEYS]
    out: dict[str, Any] = {}
    if api_version:
        out["apiVersion"] = api_version
    if kind:
        out["kind"] = kind
    props = _properties(doc)
    if kind or "metadata" in props:
        out["metadata"] = {"name": "example"}
    for name, child in props.items():
        if name in _SKELETON_SKIP or budget[0] <= 0:
            continue
        budget[0] -= 1
        out[str(name)] = _placeholder(walker, child, 1, budget, top=name == "spec", refs=frozenset())
    if len(out) <= 3 and not props:
        return ""
    try:
        return yaml.dump(
            out, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
        )
    except (yaml.YAMLError, RecursionError):
        return ""


def _placeholder(
    walker: _Walker, node: Any, depth: int, budget: list[int], *, top: bool, refs: frozenset[str]
) -> Any:
    node, refs = walker.resolve(node, refs)
    if "default" in node and not isinstance(node["default"], (dict, list)):
        return node["default"]
    enum = node.get("enum")
    if isinstance(enum, list) and enum and not isinstance(enum[0], (dict, list)):
        return enum[0]
    kind = type_text(node)
    props = _properties(node)
    if props and "x-meshdocs-recursive" not in node:
        if depth >= MAX_EXAMPLE_DEPTH:
            return {}
        required = set(_strings(node.get("required")))
        chosen = list(props) if top else [k for k in props if k in required]
        result: dict[str, Any] = {}
        for name in chosen:
            if budget[0] <= 0:
                break
            budget[0] -= 1
            result[str(name)] = _placeholder(walker, props[name], depth + 1, budget, top=False, refs=refs)
        return result
    if kind.startswith("array"):
        item, item_refs = walker.resolve(_items(node), refs)
        if _properties(item) and depth < MAX_EXAMPLE_DEPTH and budget[0] > 0:
            return [_placeholder(walker, item, depth + 1, budget, top=False, refs=item_refs)]
        return []
    if kind.startswith("map") or kind.startswith("object"):
        return {}
    if kind.startswith(("integer | string", "integer", "number")):
        return 0
    if kind.startswith("boolean"):
        return False
    return ""


def _properties(node: Any) -> dict[str, Any]:
    props = node.get("properties") if isinstance(node, dict) else None
    return props if isinstance(props, dict) else {}


def _items(node: Any) -> Any:
    items = node.get("items") if isinstance(node, dict) else None
    if isinstance(items, list):  # tuple validation: show the first shape
        return items[0] if items else None
    return items if isinstance(items, dict) else None


def _combined(node: Any) -> list[Any]:
    """``allOf`` members always; ``oneOf``/``anyOf`` object members too, since their fields are valid."""
    if not isinstance(node, dict):
        return []
    out: list[Any] = []
    for key in ("allOf", "oneOf", "anyOf"):
        members = node.get(key)
        if isinstance(members, list):
            out.extend(m for m in members if isinstance(m, dict))
    return out


def _is_map_of_objects(node: dict[str, Any]) -> bool:
    extra = node.get("additionalProperties")
    return isinstance(extra, dict) and bool(_properties(extra))


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _value_text(value: Any) -> str:
    if isinstance(value, str):
        return _clip(value, MAX_VALUE)
    try:
        return _clip(json.dumps(value, ensure_ascii=False, sort_keys=True), MAX_VALUE)
    except (TypeError, ValueError, RecursionError):
        return "…"


def _clip(text: str, limit: int = MAX_VALUE) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if value is None:
        return "null"
    return "object"
