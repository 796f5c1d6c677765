"""Check a YAML/JSON document against one of our JSON Schemas and say what is wrong in plain words.

jsonschema's own messages name Python reprs and schema keywords; a contributor wants the field, the line
in their file and what would be accepted. Every error is reported, not the first only. For ``oneOf``
schemas (a design is v1beta1 or legacy) the branch that fits best is the one whose errors are shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from meshdocs.loaders.files import DataDocument

FRIENDLY_FORMATS = {
    "version": "a semantic version, e.g. 1.0.0",
    "createdAt": "an RFC 3339 timestamp, e.g. 2026-03-14T09:30:00Z",
    "email": "an email address, e.g. name@example.org",
    "date-time": "an RFC 3339 timestamp, e.g. 2026-03-14T09:30:00Z",
    "uuid": "a UUID, e.g. 5d0c2a4e-1b7f-4c55-9a7e-2f6b3c1d8e90",
    "uri": "an http(s) URL",
}


@dataclass(frozen=True)
class SchemaProblem:
    line: int | None
    field: str
    message: str


@cache
def load_schema(name: str) -> dict[str, Any]:
    """One of the schemas shipped in ``generator/schemas`` (``catalog``, ``design``)."""
    text = resources.files("meshdocs.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def schema_text(name: str) -> str:
    return resources.files("meshdocs.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


def check(doc: DataDocument, schema: dict[str, Any]) -> list[SchemaProblem]:
    """Every problem with ``doc`` against ``schema``, with lines, sorted by line then field."""
    errors = _errors(doc.data, schema)
    problems = {_problem(doc, e) for e in errors}
    return sorted(problems, key=lambda p: (p.line or 0, p.field, p.message))


def _errors(data: Any, schema: dict[str, Any]) -> list[ValidationError]:
    branches = schema.get("oneOf") or schema.get("anyOf")
    if isinstance(branches, list) and branches:
        base = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}
        candidates = []
        for branch in branches:
            merged = {**base, **branch, "$defs": {**base.get("$defs", {}), **branch.get("$defs", {})}}
            found = sorted(_validator(json.dumps(merged, sort_keys=True)).iter_errors(data), key=_error_key)
            candidates.append((_discriminator_errors(found), -_overlap(data, merged), len(found), found))
        return min(candidates, key=lambda c: c[:3])[3]
    return sorted(_validator(json.dumps(schema, sort_keys=True)).iter_errors(data), key=_error_key)


@cache
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER)


def _discriminator_errors(errors: list[ValidationError]) -> int:
    """Errors on the fields that tell the formats apart count first when choosing a branch."""
    return sum(
        1
        for e in errors
        if e.validator in ("const", "not") or list(e.path)[:1] in (["schemaVersion"], ["services"])
    )


def _overlap(data: Any, schema: dict[str, Any]) -> int:
    """How many of the document's own top-level keys a branch declares: the format the author meant."""
    if not isinstance(data, dict):
        return 0
    return len(set(data) & set(schema.get("properties") or {}))


def _error_key(error: ValidationError) -> tuple[str, str]:
    return (json.dumps(list(error.absolute_path)), error.message)


def _field(path: list[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(doc: DataDocument, error: ValidationError) -> SchemaProblem:
    path = list(error.absolute_path)
    name = str(path[-1]) if path and not isinstance(path[-1], int) else ""
    value = error.instance
    validator = error.validator
    message: str
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        path = [*path, missing]
        message = "is required" + _described(error.schema, missing)
        return SchemaProblem(doc.line_of(tuple(path[:-1])) or 1, _field(path), message)
    if validator == "additionalProperties":
        allowed = sorted((error.schema.get("properties") or {}).keys())
        extras = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        extra = extras[0] if extras else "?"
        where = (*path, extra)
        return SchemaProblem(
            doc.line_of(tuple(where)),
            _field(list(where)),
            f"unknown field; expected one of {', '.join(allowed)}",
        )
    if validator == "enum":
        message = f"{_show(value)} is not one of {', '.join(str(v) for v in error.validator_value)}"
    elif validator == "const":
        message = f"{_show(value)} is not accepted, expected {_show(error.validator_value)}"
    elif validator in ("pattern", "format"):
        fmt = error.schema.get("format") if isinstance(error.schema, dict) else None
        wanted = FRIENDLY_FORMATS.get(name) or FRIENDLY_FORMATS.get(str(fmt or error.validator_value))
        message = (
            f"{_show(value)} is not {wanted}"
            if wanted
            else f"{_show(value)} does not match {error.validator_value}"
        )
    elif validator == "type":
        message = f"expected {_type_names(error.validator_value)}, found {_json_type(value)}"
    elif validator == "minItems":
        message = f"needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}"
    elif validator == "maxItems":
        message = f"has more than {error.validator_value} items"
    elif validator == "uniqueItems":
        message = "lists the same item twice"
    elif validator == "minLength":
        message = (
            "must not be empty"
            if error.validator_value == 1
            else f"is shorter than {error.validator_value} characters"
        )
    elif validator == "maxLength":
        message = f"is longer than {error.validator_value} characters"
    elif validator == "not":
        message = "is not allowed here"
    else:
        message = error.message
    return SchemaProblem(doc.line_of(tuple(path)), _field(path), message)


def _described(schema: dict[str, Any], name: str) -> str:
    prop = (schema.get("properties") or {}).get(name) or {}
    description = prop.get("description") if isinstance(prop, dict) else None
    if isinstance(description, str) and description:
        first = description.split(". ")[0].rstrip(".")
        return f" ({first[:120]})"
    return ""


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"'{text}'"


def _type_names(value: Any) -> str:
    names = {
        "object": "a mapping",
        "array": "a list",
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "boolean": "true or false",
        "null": "nothing",
    }
    if isinstance(value, list):
        return " or ".join(names.get(str(v), str(v)) for v in value)
    return names.get(value, str(value))


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "text"
