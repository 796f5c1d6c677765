"""The schema diff, change by change: each breaking and each compatible case, nested and array paths."""

from __future__ import annotations

import json
from typing import Any

import pytest

from meshdocs.transforms.schema_diff import diff_schema_texts, diff_schemas


def schema(spec: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    inner: dict[str, Any] = {"type": "object", "properties": spec}
    if required:
        inner["required"] = required
    return {"type": "object", "properties": {"spec": inner}}


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, bool]]:
    return [(c.path, c.kind, c.breaking) for c in diff_schemas(old, new).changes]


STR = {"type": "string"}
INT = {"type": "integer"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # breaking
        (schema({"a": STR}), schema({}), [("spec.a", "removed", True)]),
        (schema({"a": STR}), schema({"a": INT}), [("spec.a", "type-changed", True)]),
        (schema({"a": STR}), schema({"a": STR}, ["a"]), [("spec.a", "became-required", True)]),
        (schema({}), schema({"b": STR}, ["b"]), [("spec.b", "added", True)]),
        (
            schema({"m": {"type": "string", "enum": ["x", "y"]}}),
            schema({"m": {"type": "string", "enum": ["x"]}}),
            [("spec.m", "enum-value-removed", True)],
        ),
        (
            schema({"m": STR}),
            schema({"m": {"type": "string", "enum": ["x"]}}),
            [("spec.m", "enum-added", True)],
        ),
        (
            schema({"n": {"type": "integer", "maximum": 10}}),
            schema({"n": {"type": "integer", "maximum": 5}}),
            [("spec.n", "constraint-tightened", True)],
        ),
        (
            schema({"n": INT}),
            schema({"n": {"type": "integer", "minimum": 1}}),
            [("spec.n", "constraint-tightened", True)],
        ),
        (
            schema({"s": STR}),
            schema({"s": {"type": "string", "pattern": "^a"}}),
            [("spec.s", "constraint-tightened", True)],
        ),
        # compatible
        (schema({}), schema({"b": STR}), [("spec.b", "added", False)]),
        (schema({"a": STR}, ["a"]), schema({"a": STR}), [("spec.a", "became-optional", False)]),
        (
            schema({"m": {"type": "string", "enum": ["x"]}}),
            schema({"m": {"type": "string", "enum": ["x", "y"]}}),
            [("spec.m", "enum-value-added", False)],
        ),
        (
            schema({"n": {"type": "integer", "maxLength": 5, "maximum": 5}}),
            schema({"n": {"type": "integer", "maxLength": 5, "maximum": 10}}),
            [("spec.n", "constraint-loosened", False)],
        ),
        (
            schema({"r": {"type": "integer", "default": 1}}),
            schema({"r": {"type": "integer", "default": 2}}),
            [("spec.r", "default-changed", False)],
        ),
        (schema({"a": STR}), schema({"a": STR}), []),
    ],
)
def test_each_change_is_classified(
    old: dict[str, Any], new: dict[str, Any], expected: list[tuple[str, str, bool]]
) -> None:
    assert changes(old, new) == expected


def test_array_items_and_nesting_have_dotted_paths() -> None:
    containers = {"type": "array", "items": {"type": "object", "properties": {"image": STR, "name": STR}}}
    old = schema({"containers": containers})
    new_items = {
        "type": "object",
        "properties": {"image": INT, "ports": {"type": "array", "items": INT}},
        "required": ["image"],
    }
    new = schema({"containers": {"type": "array", "items": new_items}})
    assert changes(old, new) == [
        ("spec.containers[].image", "became-required", True),
        ("spec.containers[].image", "type-changed", True),
        ("spec.containers[].name", "removed", True),
        ("spec.containers[].ports", "added", False),
    ]


def test_a_removed_object_is_one_change_not_one_per_field() -> None:
    old = schema({"tls": {"type": "object", "properties": {"cert": STR, "key": STR}}})
    assert changes(old, schema({})) == [("spec.tls", "removed", True)]


def test_breaking_changes_come_first_and_text_input_is_tolerated() -> None:
    old = json.dumps(schema({"a": STR, "z": STR}))
    new = json.dumps(schema({"b": STR, "z": INT}))
    result = diff_schema_texts(old, new)
    assert [c.breaking for c in result.changes] == [True, True, False]
    assert diff_schema_texts("", "").changes == [] and diff_schema_texts("{broken", "{}").changes == []
