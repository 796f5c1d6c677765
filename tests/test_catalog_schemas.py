"""The JSON Schemas for catalog entries: ``catalog.yml`` and ``design.yml``.

Every rule of ``catalog.schema.json`` has a failing case that fails with exactly that error and a passing
twin that differs only there. ``design.schema.json`` accepts every real Meshery design beside the repo
(v1beta1 and legacy ``services:`` designs, found by content) and rejects the broken shapes a contributor
is likely to send.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from meshdocs.model.catalog import DESIGN_TYPES

REPO = Path(__file__).parent.parent
SCHEMAS = REPO / "generator" / "schemas"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
DESIGNS = SHARED / "designs"

V1BETA1 = "designs.meshery.io/v1beta1"
CONFLICT = re.compile(r"^(<{7}|>{7})( |$)", re.MULTILINE)
DELETE = object()

KeyPath = tuple[str | int, ...]
ErrorKey = tuple[str, KeyPath]


def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return schema


CATALOG_SCHEMA = load_schema("catalog")
DESIGN_SCHEMA = load_schema("design")
CATALOG = Draft202012Validator(CATALOG_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
DESIGN = Draft202012Validator(DESIGN_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
BRANCHES = [  # each format on its own, to tell which one a design was taken as
    Draft202012Validator({**branch, "$defs": DESIGN_SCHEMA["$defs"]}, format_checker=DESIGN.format_checker)
    for branch in DESIGN_SCHEMA["oneOf"]
]


def errors(validator: Draft202012Validator, instance: Any) -> list[ValidationError]:
    return list(validator.iter_errors(instance))


def keys(errs: list[ValidationError]) -> set[ErrorKey]:
    return {(str(e.validator), tuple(e.absolute_path)) for e in errs}


def assert_only(errs: list[ValidationError], validator: str, path: KeyPath) -> None:
    """``errs`` is exactly the ``validator`` error at ``path``.

    A ``pattern`` that backs a ``format`` may come with that format's error: whether jsonschema checks a
    format depends on optional packages (``date-time`` needs rfc3339-validator), the pattern never does.
    """
    found = keys(errs)
    allowed = {(validator, path)} | ({("format", path)} if validator == "pattern" else set())
    assert (validator, path) in found, [e.message for e in errs]
    assert found <= allowed, [e.message for e in errs]


def at(doc: dict[str, Any], path: KeyPath, value: Any) -> dict[str, Any]:
    """A deep copy of ``doc`` with ``value`` at ``path`` (or the key removed for ``DELETE``)."""
    out = copy.deepcopy(doc)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    if value is DELETE:
        node.pop(path[-1], None)
    else:
        node[path[-1]] = value
    return out


# --------------------------------------------------------------------------------------------------------
# The schemas themselves


@pytest.mark.parametrize("name", ["catalog", "design"])
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://meshdocs.dev/schemas/{name}.schema.json"
    assert schema["title"] and schema["description"]


def _property_schemas(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every schema that documents a field: properties, list items and map values, at any depth."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _property_schemas(item, f"{where}[{i}]")
        return
    if not isinstance(node, dict):
        return
    for name, sub in (node.get("properties") or {}).items():
        yield f"{where}.{name}", sub
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield f"{where}.{key}", node[key]
    for key, sub in node.items():
        if key in ("properties", "$defs"):
            for name, inner in sub.items():
                yield from _property_schemas(inner, f"{where}.{name}")
        elif key in ("items", "additionalProperties", "oneOf", "anyOf", "allOf"):
            yield from _property_schemas(sub, f"{where}.{key}")


@pytest.mark.parametrize("name", ["catalog", "design"])
def test_every_field_has_a_description_for_editors(name: str) -> None:
    schema = load_schema(name)
    fields = list(_property_schemas(schema))
    assert len(fields) > 20

    def described(sub: Any) -> bool:
        """A field's own description, or that of the definition it refers to (editors show either)."""
        if not isinstance(sub, dict):
            return False
        ref = sub.get("$ref", "")
        target = schema["$defs"][ref.removeprefix("#/$defs/")] if ref.startswith("#/$defs/") else {}
        return bool(sub.get("description") or target.get("description"))

    assert [where for where, sub in fields if not described(sub)] == []


def test_catalog_types_are_the_ones_the_code_knows() -> None:
    assert tuple(CATALOG_SCHEMA["properties"]["type"]["enum"]) == DESIGN_TYPES


@pytest.mark.parametrize("name", ["catalog", "design"])
def test_schema_examples_are_valid_values(name: str) -> None:
    """An example an editor suggests must pass the rule it illustrates."""
    schema = load_schema(name)
    checked = 0
    for where, sub in [*_property_schemas(schema), *(schema.get("$defs") or {}).items()]:
        validator = Draft202012Validator({**sub, "$defs": schema.get("$defs", {})})
        for example in sub.get("examples", []):
            assert errors(validator, example) == [], f"{where}: {example!r}"
            checked += 1
    assert checked > 20


# --------------------------------------------------------------------------------------------------------
# catalog.yml

VALID_CATALOG: dict[str, Any] = {
    "name": "Pod Readiness",
    "version": "1.2.0",
    "type": "Deployment",
    "technologies": ["kubernetes"],
    "description": "A Pod whose readiness probe gates traffic from its Service.",
    "caveats": "Needs a cluster that runs readiness probes (all do).",
    "maintainers": [{"name": "Ada Lovelace", "email": "ada@example.org", "url": "https://github.com/ada"}],
    "license": "Apache-2.0",
    "createdAt": "2026-03-14T09:30:00Z",
    "keywords": ["readiness", "probes"],
    "changes": [
        {
            "kind": "added",
            "description": "First version.",
            "links": [{"name": "Pull request #1", "url": "https://github.com/example/meshdocs/pull/1"}],
        }
    ],
}
REQUIRED = ["name", "version", "type", "technologies", "description", "maintainers", "license", "createdAt"]


def test_complete_catalog_entry_passes() -> None:
    assert errors(CATALOG, VALID_CATALOG) == []


def test_minimal_catalog_entry_passes() -> None:
    assert errors(CATALOG, {k: VALID_CATALOG[k] for k in REQUIRED}) == []


def test_required_fields_are_the_documented_ones() -> None:
    assert sorted(CATALOG_SCHEMA["required"]) == sorted(REQUIRED)


@pytest.mark.parametrize("field", REQUIRED)
def test_catalog_missing_required_field(field: str) -> None:
    errs = errors(CATALOG, at(VALID_CATALOG, (field,), DELETE))
    assert_only(errs, "required", ())
    assert f"'{field}'" in errs[0].message
    assert errors(CATALOG, VALID_CATALOG) == []  # the twin: the same entry with the field


EMAIL: KeyPath = ("maintainers", 0, "email")
URL: KeyPath = ("maintainers", 0, "url")
CHANGE: KeyPath = ("changes", 0)
TWENTY = [f"k{i}" for i in range(20)]

# A catalog.yml that breaks one rule: where, the bad value, the value of the passing twin (the same entry with
# only that changed), the one error it must give, and where that error is (default: where the value is).
CATALOG_CASES = [
    pytest.param(("homepage",), "https://x.dev", DELETE, "additionalProperties", (), id="unknown-field"),
    pytest.param(("version",), "1.0", "1.0.0", "pattern", None, id="semver-two-parts"),
    pytest.param(("version",), "01.0.0", "10.0.0", "pattern", None, id="semver-leading-zero"),
    pytest.param(("version",), "v1.0.0", "1.0.0-rc.1+build.5", "pattern", None, id="semver-v-prefix"),
    pytest.param(("version",), 1.0, "1.0.0", "type", None, id="semver-unquoted-yaml-number"),
    pytest.param(("type",), "Monitoring", "Observability", "enum", None, id="type-not-in-list"),
    pytest.param(("type",), "deployment", "Traffic-management", "enum", None, id="type-wrong-case"),
    pytest.param(("technologies",), [], ["kubernetes"], "minItems", None, id="technologies-empty"),
    pytest.param(
        ("technologies",),
        ["istio", "istio"],
        ["istio", "kubernetes"],
        "uniqueItems",
        None,
        id="technologies-twice",
    ),
    pytest.param(("technologies", 0), "-istio", "istio-base", "pattern", None, id="technology-bad-name"),
    pytest.param(("technologies", 0), "x" * 101, "x" * 100, "maxLength", None, id="technology-too-long"),
    pytest.param(EMAIL, "not-an-email", "ada@example.org", "pattern", None, id="email-invalid"),
    pytest.param(
        EMAIL, "ada@localhost", "ada@mail.example.org", "pattern", None, id="email-no-dot-in-domain"
    ),
    pytest.param(EMAIL, DELETE, "ada@example.org", "required", EMAIL[:2], id="maintainer-without-email"),
    pytest.param(URL, "ftp://example.org/ada", "http://example.org/ada", "pattern", None, id="url-not-http"),
    pytest.param(
        ("maintainers", 0, "x"),
        "@ada",
        DELETE,
        "additionalProperties",
        EMAIL[:2],
        id="maintainer-unknown-field",
    ),
    pytest.param(
        ("maintainers",), [], [{"name": "A", "email": "a@b.io"}], "minItems", None, id="maintainers-empty"
    ),
    pytest.param(
        ("createdAt",), "2024-13-01", "2024-12-01T00:00:00Z", "pattern", None, id="created-date-only"
    ),
    pytest.param(("createdAt",), "yesterday", "2024-12-01T23:59:59Z", "pattern", None, id="created-words"),
    pytest.param(
        ("createdAt",),
        "2024-13-01T00:00:00Z",
        "2024-12-01T00:00:00.25+05:30",
        "pattern",
        None,
        id="created-month-13",
    ),
    pytest.param(
        ("createdAt",),
        "2024-12-01T00:00:00",
        "2024-12-01T00:00:00-08:00",
        "pattern",
        None,
        id="created-no-zone",
    ),
    pytest.param((*CHANGE, "kind"), "improved", "changed", "enum", None, id="change-kind-unknown"),
    pytest.param(
        (*CHANGE, "description"), DELETE, "Fixed it.", "required", CHANGE, id="change-no-description"
    ),
    pytest.param(
        (*CHANGE, "links", 0, "url"), "mailto:a@b.io", "https://b.io", "pattern", None, id="link-not-http"
    ),
    pytest.param(("name",), "   ", " Pod Readiness ", "pattern", None, id="name-only-spaces"),
    pytest.param(("name",), "x" * 101, "x" * 100, "maxLength", None, id="name-too-long"),
    pytest.param(("description",), "", ".", "minLength", None, id="description-empty"),
    pytest.param(("description",), "x" * 2001, "x" * 2000, "maxLength", None, id="description-too-long"),
    pytest.param(("caveats",), "x" * 2001, "", "maxLength", None, id="caveats-too-long"),
    pytest.param(("license",), "", "MIT OR Apache-2.0", "minLength", None, id="license-empty"),
    pytest.param(("keywords",), [*TWENTY, "k20"], TWENTY, "maxItems", None, id="keywords-too-many"),
    pytest.param(("keywords", 0), "x" * 51, "x" * 50, "maxLength", None, id="keyword-too-long"),
    pytest.param(("keywords",), ["a", "a"], ["a", "b"], "uniqueItems", None, id="keywords-twice"),
]


@pytest.mark.parametrize(("where", "bad", "good", "validator", "error_path"), CATALOG_CASES)
def test_catalog_rule(
    where: KeyPath, bad: Any, good: Any, validator: str, error_path: KeyPath | None
) -> None:
    assert_only(
        errors(CATALOG, at(VALID_CATALOG, where, bad)), validator, where if error_path is None else error_path
    )
    assert errors(CATALOG, at(VALID_CATALOG, where, good)) == []


# --------------------------------------------------------------------------------------------------------
# design.yml: real designs


def _design_format(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    if data.get("schemaVersion") == V1BETA1:
        return "v1beta1"
    if "services" in data and "schemaVersion" not in data:
        return "legacy"
    return None


def _real_designs() -> list[tuple[str, Path]]:
    """(format, path) of every design under the shared data, recognised by content, not by name."""
    if not DESIGNS.is_dir():
        return []
    found = []
    for path in sorted(DESIGNS.rglob("*")):
        if not path.is_file() or path.suffix not in (".yml", ".yaml", ".json"):
            continue
        text = path.read_text(encoding="utf-8")
        if CONFLICT.search(text):
            if V1BETA1 in text or re.search(r"^\s*\"?services\"?\s*:", text, re.MULTILINE):
                found.append(("conflicted", path))
            continue
        fmt = _design_format(yaml.safe_load(text))
        if fmt:
            found.append((fmt, path))
    return found


REAL_DESIGNS = _real_designs()


@pytest.fixture
def shared_data() -> Path:
    if not DESIGNS.is_dir():
        pytest.skip(f"the real designs are expected at {DESIGNS}")
    return DESIGNS


def test_real_designs_are_found(shared_data: Path) -> None:
    formats = [fmt for fmt, _ in REAL_DESIGNS]
    assert formats.count("v1beta1") >= 4
    assert formats.count("legacy") >= 2


READABLE_DESIGNS = [
    (fmt, path) for fmt, path in REAL_DESIGNS if fmt != "conflicted"
]  # see test_catalog_validation


@pytest.mark.parametrize(
    ("fmt", "path"),
    READABLE_DESIGNS,
    ids=[f"{fmt}:{path.relative_to(DESIGNS)}" for fmt, path in READABLE_DESIGNS],
)
def test_real_design_passes(shared_data: Path, fmt: str, path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors(DESIGN, data)] == []
    assert [i for i, branch in enumerate(BRANCHES) if branch.is_valid(data)] == [
        V1 if fmt == "v1beta1" else LEGACY
    ]


class _CatalogLoader(yaml.SafeLoader):
    """Safe YAML with timestamps left as strings, as meshdocs reads them (JSON has no dates)."""


_CatalogLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ENTRIES = sorted(p.parent for p in (REPO / "catalog" / "designs").glob("*/catalog.yml"))


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_repository_catalog_entries_pass(entry: Path) -> None:
    """The catalog this repository publishes fits its own schemas."""
    meta = yaml.load((entry / "catalog.yml").read_text(encoding="utf-8"), Loader=_CatalogLoader)
    design_file = next(
        entry / n for n in ("design.yml", "design.yaml", "design.json") if (entry / n).is_file()
    )
    design = yaml.load(design_file.read_text(encoding="utf-8"), Loader=_CatalogLoader)
    assert [e.message for e in errors(CATALOG, meta)] == []
    assert [e.message[:300] for e in errors(DESIGN, design)] == []


# --------------------------------------------------------------------------------------------------------
# design.yml: hand-written designs and broken ones

NS_ID = "6366cd62-f4ed-4c83-97f0-95b25d6d5be6"
POD_ID = "c024b55d-ca23-45c9-a9aa-b5c754c300fa"
V1BETA1_DESIGN: dict[str, Any] = {
    "id": "0194ff83-0a43-4b83-9c75-b8f0f32da6b7",
    "name": "Pod in a namespace",
    "schemaVersion": V1BETA1,
    "version": "0.0.1",
    "exportedBy": "anything Meshery adds is allowed",
    "components": [
        {
            "id": NS_ID,
            "displayName": "apps",
            "component": {"kind": "Namespace", "version": "v1", "schema": ""},
            "model": {"name": "kubernetes", "version": "v1.0.0", "registrant": {"kind": "github"}},
            "configuration": {"metadata": {"name": "apps"}},
            "styles": {"position": {"x": 10.5, "y": 20}},
            "capabilities": [],
        },
        {
            "id": POD_ID,
            "component": {"kind": "Pod", "version": "v1"},
            "model": {"name": "kubernetes"},
        },
    ],
    "relationships": [
        {
            "id": "c7b2a37e-1745-496f-bf28-f2f47c47abad",
            "kind": "hierarchical",
            "type": "parent",
            "subType": "inventory",
            "status": "approved",
            "evaluationQuery": None,
            "selectors": [
                {
                    "allow": {
                        "from": [{"id": POD_ID, "kind": "*", "model": {"name": "*"}, "patch": {}}],
                        "to": [{"id": NS_ID, "kind": "Namespace", "model": {"name": "kubernetes"}}],
                    },
                    "deny": {"from": None, "to": None},
                }
            ],
        }
    ],
}
LEGACY_DESIGN: dict[str, Any] = {
    "name": "Emojivoto",
    "services": {
        "emojivoto": {"name": "emojivoto", "type": "Namespace", "apiVersion": "v1", "model": "kubernetes"},
        "web-svc": {
            "name": "web-svc",
            "type": "Service.K8s",
            "namespace": "",
            "dependsOn": ["emojivoto"],
            "settings": {"spec": {"ports": [{"port": 80}]}},
            "traits": {"meshmap": {"position": {"posX": 1, "posY": 2}}},
        },
    },
}
V1, LEGACY = 0, 1  # the oneOf branches of design.schema.json


def _branch_errors(instance: Any, branch: int) -> set[ErrorKey]:
    """The errors of one ``oneOf`` branch (0 v1beta1, 1 legacy), or none when the design passes."""
    errs = errors(DESIGN, instance)
    if not errs:
        return set()
    assert len(errs) == 1 and errs[0].validator == "oneOf", [e.message for e in errs]
    return {
        (str(e.validator), tuple(e.absolute_path))
        for e in errs[0].context
        if e.relative_schema_path[0] == branch
    }


def test_hand_written_designs_pass() -> None:
    assert errors(DESIGN, V1BETA1_DESIGN) == []
    assert errors(DESIGN, LEGACY_DESIGN) == []
    minimal = {"id": NS_ID, "name": "Empty", "schemaVersion": V1BETA1, "version": "0.0.1", "components": []}
    assert errors(DESIGN, minimal) == []


KIND: KeyPath = ("components", 0, "component", "kind")
COMPONENT: KeyPath = ("components", 0)
RELATIONSHIP: KeyPath = ("relationships", 0)
SELECTOR_ID: KeyPath = (*RELATIONSHIP, "selectors", 0, "allow", "to", 0, "id")
WEB: KeyPath = ("services", "web-svc")
NIL_UUID = "00000000-0000-0000-0000-000000000000"

# A broken design: where, the bad value, the value of the passing twin, the format (oneOf branch) it was meant
# for, and exactly the errors that branch gives.
DESIGN_CASES = [
    pytest.param(KIND, DELETE, "Secret", V1, {("required", KIND[:3])}, id="component-without-kind"),
    pytest.param(KIND, "", "ConfigMap", V1, {("minLength", KIND)}, id="component-kind-empty"),
    pytest.param(
        (*COMPONENT, "id"),
        "namespace-1",
        NIL_UUID,
        V1,
        {("pattern", (*COMPONENT, "id")), ("format", (*COMPONENT, "id"))},
        id="component-id-not-uuid",
    ),
    pytest.param(
        (*COMPONENT, "model", "name"),
        DELETE,
        "istio",
        V1,
        {("required", (*COMPONENT, "model"))},
        id="no-model",
    ),
    pytest.param(
        (*COMPONENT, "configuration"),
        "x: 1",
        {"x": 1},
        V1,
        {("type", (*COMPONENT, "configuration"))},
        id="config-text",
    ),
    pytest.param(
        ("schemaVersion",),
        "designs.meshery.io/v1alpha2",
        V1BETA1,
        V1,
        {("const", ("schemaVersion",))},
        id="bad-schema",
    ),
    pytest.param(
        ("id",), "pod-readiness", NS_ID, V1, {("pattern", ("id",)), ("format", ("id",))}, id="id-not-uuid"
    ),
    pytest.param(("components",), DELETE, [], V1, {("required", ())}, id="components-missing"),
    pytest.param(
        (*RELATIONSHIP, "subType"), DELETE, "alias", V1, {("required", RELATIONSHIP)}, id="no-subtype"
    ),
    pytest.param(SELECTOR_ID, "apps", None, V1, {("anyOf", SELECTOR_ID)}, id="selector-id-not-uuid"),
    pytest.param(
        ("services",), [{"name": "web"}], {"web": {}}, LEGACY, {("type", ("services",))}, id="services-list"
    ),
    pytest.param(WEB, "Service", {"type": "Service"}, LEGACY, {("type", WEB)}, id="service-not-mapping"),
    pytest.param(
        (*WEB, "dependsOn"),
        "emojivoto",
        ["emojivoto"],
        LEGACY,
        {("type", (*WEB, "dependsOn"))},
        id="depends-on-text",
    ),
    pytest.param(("schemaVersion",), V1BETA1, DELETE, LEGACY, {("not", ())}, id="legacy-with-schema-version"),
    pytest.param(("services",), {"web": {}}, DELETE, V1, {("not", ())}, id="v1beta1-with-services"),
]


@pytest.mark.parametrize(("where", "bad", "good", "branch", "expected"), DESIGN_CASES)
def test_design_rule(where: KeyPath, bad: Any, good: Any, branch: int, expected: set[ErrorKey]) -> None:
    base = V1BETA1_DESIGN if branch == V1 else LEGACY_DESIGN
    broken = at(base, where, bad)
    assert _branch_errors(broken, branch) == expected
    assert _branch_errors(broken, 1 - branch) != set()  # and the other format does not take it either
    assert errors(DESIGN, at(base, where, good)) == []


def test_wrong_schema_version_is_not_read_as_legacy() -> None:
    bad = at(V1BETA1_DESIGN, ("schemaVersion",), "designs.meshery.io/v1alpha2")
    assert {("not", ()), ("required", ())} <= _branch_errors(bad, LEGACY)


def test_selector_id_not_uuid_says_why() -> None:
    bad = at(V1BETA1_DESIGN, SELECTOR_ID, "apps")
    (error,) = (e for e in errors(DESIGN, bad)[0].context if e.relative_schema_path[0] == V1)
    assert {str(e.validator) for e in error.context} >= {"pattern", "type"}
