"""A component's schema as a field reference: every shape real registries hold, and hostile ones, bounded."""

from __future__ import annotations

import json
import time

import yaml

from meshdocs.transforms import schema_fields
from meshdocs.transforms.schema_fields import build_component_schema

from .conftest import REGISTRY_2024


def rows(schema: dict) -> dict[str, object]:
    return {f.path: f for f in build_component_schema(json.dumps(schema)).fields}


def test_empty_schema_string_is_empty_not_an_error() -> None:
    result = build_component_schema("")
    assert result.empty and result.error is None


def test_invalid_schema_string_gives_a_reason() -> None:
    result = build_component_schema('{"properties": ')
    assert result.error and result.error.startswith("schema is not valid JSON")


def test_non_object_schema_is_reported() -> None:
    assert build_component_schema("[1, 2]").error == "schema is a JSON array, expected an object"


def test_fields_have_paths_types_required_enum_default_constraints() -> None:
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "required": ["replicas"],
                "properties": {
                    "replicas": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
                    "mode": {"type": "string", "enum": ["a", "b"], "description": "How."},
                    "port": {"x-kubernetes-int-or-string": True},
                    "when": {"type": "string", "format": "date-time", "pattern": "^2"},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"name": {"type": "string"}},
                            "required": ["name"],
                        },
                    },
                },
            }
        },
    }
    got = rows(schema)
    assert got["spec.replicas"].required and got["spec.replicas"].type == "integer"
    assert got["spec.replicas"].default == "1"
    assert (
        "minimum: 1" in got["spec.replicas"].constraints and "maximum: 10" in got["spec.replicas"].constraints
    )
    assert got["spec.mode"].enum == ("a", "b") and got["spec.mode"].description == "How."
    assert got["spec.port"].type == "integer | string"
    assert got["spec.when"].type == "string (date-time)" and "pattern: ^2" in got["spec.when"].constraints
    assert got["spec.labels"].type == "map of string"
    assert got["spec.items"].type == "array of objects"
    assert got["spec.items[].name"].required


def test_top_level_spec_fields_are_listed() -> None:
    result = build_component_schema(json.dumps({"properties": {"spec": {"properties": {"a": {}, "b": {}}}}}))
    assert result.top_level == ("a", "b")


def test_local_refs_are_followed_and_cycles_stop() -> None:
    schema = {
        "definitions": {"node": {"type": "object", "properties": {"child": {"$ref": "#/definitions/node"}}}},
        "properties": {"root": {"$ref": "#/definitions/node"}, "ext": {"$ref": "https://x/y.json"}},
    }
    result = build_component_schema(json.dumps(schema))
    paths = [f.path for f in result.fields]
    assert "root.child" in paths
    assert len(paths) < 10
    assert any("refers back to itself" in n for n in result.notes)
    assert {f.path: f.type for f in result.fields}["ext"].startswith("reference")


def test_self_referencing_root_ref_terminates() -> None:
    result = build_component_schema(json.dumps({"$ref": "#", "properties": {"a": {"$ref": "#"}}}))
    assert result.error is None


def test_all_of_and_one_of_members_contribute_fields() -> None:
    schema = {
        "properties": {
            "x": {
                "allOf": [{"properties": {"a": {"type": "string"}}}],
                "oneOf": [{"properties": {"b": {"type": "integer"}}}],
            }
        }
    }
    got = rows(schema)
    assert "x.a" in got and "x.b" in got


def nested(levels: int) -> str:
    """A schema ``levels`` properties deep, written as text (json.dumps itself cannot go that deep)."""
    opening = "".join(f'{{"type": "object", "properties": {{"l{i}": ' for i in range(levels))
    return opening + '{"type": "string"}' + "}}" * levels


def test_2000_levels_of_nesting_are_reported_in_bounded_time() -> None:
    start = time.perf_counter()
    result = build_component_schema(nested(2000))
    assert time.perf_counter() - start < 5
    assert result.error == "schema is nested too deeply to read"


def test_300_levels_parse_and_are_cut_with_a_note() -> None:
    result = build_component_schema(nested(300))
    assert result.error is None
    assert len(result.fields) == schema_fields.MAX_DEPTH
    assert any("not expanded" in n for n in result.notes)


def test_20000_properties_are_cut_to_the_row_budget_with_a_note() -> None:
    schema = {"properties": {"spec": {"properties": {f"p{i}": {"type": "string"} for i in range(20_000)}}}}
    start = time.perf_counter()
    result = build_component_schema(json.dumps(schema))
    assert time.perf_counter() - start < 5
    shown = schema_fields.MAX_ROWS + schema_fields.MAX_SHALLOW_EXTRA
    assert len(result.fields) == shown
    assert result.notes[0].startswith(f"Showing {shown:,} of 20,001 fields")


def test_top_level_fields_survive_the_row_budget() -> None:
    deep = {"type": "object", "properties": {f"d{i}": {"type": "string"} for i in range(3000)}}
    schema = {"properties": {"spec": {"properties": {"first": deep, "last": {"type": "string"}}}}}
    result = build_component_schema(json.dumps(schema))
    paths = [f.path for f in result.fields]
    assert "spec.last" in paths and "spec.first.d2999" not in paths
    assert "only top-level fields" in result.notes[0]


def test_huge_description_is_clipped() -> None:
    got = rows({"properties": {"a": {"type": "string", "description": "x" * 8_000_000}}})
    assert len(got["a"].description) == schema_fields.MAX_DESCRIPTION


def test_example_is_yaml_with_required_fields_and_top_level_spec() -> None:
    schema = {
        "properties": {
            "spec": {
                "properties": {
                    "size": {"type": "integer"},
                    "tls": {
                        "type": "object",
                        "required": ["secret"],
                        "properties": {"secret": {"type": "string"}, "optional": {"type": "string"}},
                    },
                    "mode": {"enum": ["fast", "slow"]},
                },
            },
            "status": {"properties": {"phase": {"type": "string"}}},
        }
    }
    example = build_component_schema(json.dumps(schema), kind="Thing", api_version="x.io/v1").example
    data = yaml.safe_load(example)
    assert data["apiVersion"] == "x.io/v1" and data["kind"] == "Thing"
    assert data["spec"] == {"size": 0, "tls": {"secret": ""}, "mode": "fast"}
    assert "status" not in data


def test_real_600kb_schema_renders_within_budget() -> None:
    biggest = max(
        (p for p in REGISTRY_2024.rglob("components/*.json")),
        key=lambda p: len(json.loads(p.read_text())["component"].get("schema") or ""),
    )
    text = json.loads(biggest.read_text())["component"]["schema"]
    assert len(text) > 400_000
    start = time.perf_counter()
    result = build_component_schema(text)
    assert time.perf_counter() - start < 5
    assert result.error is None and result.fields
    assert len(result.fields) <= schema_fields.MAX_ROWS + schema_fields.MAX_SHALLOW_EXTRA
