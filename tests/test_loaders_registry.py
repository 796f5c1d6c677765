"""Reading real Meshery registries: each quirk the shared data README lists has a test here."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Registry
from meshdocs.transforms.schema_fields import flatten_schema

from .conftest import REGISTRY_2024, REGISTRY_2026


@pytest.fixture(scope="module")
def loaded_2024() -> tuple[Registry, Report]:
    report = Report()
    return load_registry([REGISTRY_2024], report), report


@pytest.fixture(scope="module")
def loaded_2026() -> tuple[Registry, Report]:
    report = Report()
    return load_registry([REGISTRY_2026], report), report


def model(registry: Registry, name: str):
    return next(m for m in registry.models if m.name == name)


def test_real_2024_registry_loads_without_errors(loaded_2024: tuple[Registry, Report]) -> None:
    registry, report = loaded_2024
    assert report.errors == 0, [d.format() for d in report.sorted() if d.severity is Severity.ERROR]
    assert len(registry.models) > 50
    assert registry.component_count() > 900


def test_newest_version_is_published_and_others_listed(loaded_2024: tuple[Registry, Report]) -> None:
    registry, _ = loaded_2024
    argo = model(registry, "argo-cd")
    assert argo.version == "6.7.18"
    assert [v.version for v in argo.other_versions] == ["4.5.1"]
    assert model(registry, "aws-prometheusservice-controller").version == "v1.2.13"


def test_upstream_version_comes_from_model_version_not_definition_version(
    loaded_2024: tuple[Registry, Report],
) -> None:
    registry, _ = loaded_2024
    k8s = model(registry, "kubernetes")
    assert k8s.version == "v1.25.2"
    assert all(m.version != "v1.0.0" or m.name == "meshery-core" for m in registry.models)


def test_ignored_models_and_components_are_not_published(loaded_2024: tuple[Registry, Report]) -> None:
    registry, _ = loaded_2024
    statuses = {c.status for m in registry.models for c in m.components} | {m.status for m in registry.models}
    assert statuses == {"enabled"}


def test_include_ignored_publishes_them() -> None:
    report = Report()
    everything = load_registry([REGISTRY_2024], report, LoadOptions(include_ignored=True))
    statuses = {c.status for m in everything.models for c in m.components}
    assert "ignored" in statuses


def test_names_with_spaces_are_read(loaded_2024: tuple[Registry, Report]) -> None:
    registry, _ = loaded_2024
    names = {m.name for m in registry.models}
    spaced = [n for n in names if " " in n]
    assert spaced or not any(" " in p.name for p in REGISTRY_2024.iterdir())


def test_model_identity_falls_back_to_the_copy_in_components(loaded_2024: tuple[Registry, Report]) -> None:
    """galoy-deps' model.json has no schemaVersion and an empty name: its components carry the model."""
    registry, report = loaded_2024
    bad_model_json = REGISTRY_2024 / "galoy-deps" / "0.1.12" / "v1.0.0" / "model.json"
    assert "schemaVersion" not in json.loads(bad_model_json.read_text())
    galoy = [m for m in registry.models if m.name == "galoy-deps"]
    if galoy:  # published only when enabled
        assert galoy[0].display_name and galoy[0].components
    notices = [d for d in report.items if d.path.endswith("galoy-deps/0.1.12/v1.0.0/model.json")]
    assert notices and notices[0].severity is Severity.NOTICE


def test_legacy_files_without_schema_version_are_skipped_with_a_notice(
    loaded_2024: tuple[Registry, Report],
) -> None:
    _, report = loaded_2024
    legacy = [d for d in report.items if d.path.endswith("k8sci/0.1.13/Run.json")]
    assert legacy and legacy[0].severity is Severity.NOTICE and "no schemaVersion" in legacy[0].message


def test_empty_schema_strings_give_pages_without_fields(loaded_2024: tuple[Registry, Report]) -> None:
    registry, _ = loaded_2024
    schemas = [flatten_schema(c) for m in registry.models for c in m.components]
    assert any(s.empty for s in schemas)
    assert all(s.error is None for s in schemas)


def test_relationship_selectors_naming_unknown_models_are_kept(loaded_2026: tuple[Registry, Report]) -> None:
    registry, _ = loaded_2026
    known = {m.name for m in registry.models}
    named = {
        e.model
        for m in registry.models
        for r in m.relationships
        for s in r.selectors
        for e in (*s.allow_from, *s.allow_to)
    }
    assert {"sns-controller", "sqs-controller"} <= named - known, "real selectors name unknown models"


def test_relationship_metadata_typo_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "reg" / "m" / "1.0.0" / "v1.0.0"
    (folder / "relationships").mkdir(parents=True)
    (folder / "model.json").write_text(
        json.dumps({"schemaVersion": "models.meshery.io/v1beta1", "name": "m", "model": {"version": "1.0.0"}})
    )
    (folder / "relationships" / "x.json").write_text(
        json.dumps(
            {
                "schemaVersion": "relationships.meshery.io/v1alpha3",
                "kind": "edge",
                "type": "non-binding",
                "subType": "network",
                "metdata": {"description": "typo'd key"},
                "model": {"name": "m"},
                "selectors": [],
            }
        )
    )
    registry = load_registry([tmp_path / "reg"], Report())
    assert registry.models[0].relationships[0].description == "typo'd key"


def test_dispatch_is_on_schema_version_not_file_names(tmp_path: Path) -> None:
    src = REGISTRY_2024 / "akri" / "0.12.55" / "v1.0.0"
    dst = tmp_path / "reg" / "akri" / "0.12.55" / "v1.0.0"
    dst.mkdir(parents=True)
    shutil.copy(src / "model.json", dst / "whatever.json")
    for i, comp in enumerate(sorted((src / "components").glob("*.json"))):
        shutil.copy(comp, dst / f"relationship-{i}.json")  # misleading names, as real data has
    registry = load_registry([tmp_path / "reg"], Report())
    assert [m.name for m in registry.models] == ["akri"]
    assert sorted(c.kind for c in registry.models[0].components) == ["Configuration", "Instance"]


def test_yaml_definitions_are_read_like_json(tmp_path: Path) -> None:
    import yaml

    src = REGISTRY_2024 / "akri" / "0.12.55" / "v1.0.0"
    dst = tmp_path / "reg" / "akri" / "0.12.55" / "v1.0.0" / "components"
    dst.mkdir(parents=True)
    (dst.parent / "model.yaml").write_text(yaml.safe_dump(json.loads((src / "model.json").read_text())))
    for comp in sorted((src / "components").glob("*.json")):
        (dst / f"{comp.stem}.yml").write_text(yaml.safe_dump(json.loads(comp.read_text())))
    registry = load_registry([tmp_path / "reg"], Report())
    assert len(registry.models[0].components) == 2
    assert flatten_schema(registry.models[0].components[0]).fields


def test_duplicate_components_are_reported_and_published_once(tmp_path: Path) -> None:
    src = REGISTRY_2024 / "akri" / "0.12.55" / "v1.0.0"
    for root in ("a", "b"):
        shutil.copytree(src, tmp_path / root / "akri" / "0.12.55" / "v1.0.0")
    report = Report()
    registry = load_registry([tmp_path / "a", tmp_path / "b"], report)
    assert len(registry.models[0].components) == 2
    assert sum("duplicate component" in d.message for d in report.items) == 2
    assert any("also defined" in d.message for d in report.items)


def test_2026_formats_are_read(loaded_2026: tuple[Registry, Report]) -> None:
    registry, report = loaded_2026
    assert report.errors == 0
    sqs = model(registry, "aws-sqs-controller")
    assert sqs.schema_version == "models.meshery.io/v1beta2"
    assert [c.kind for c in sqs.components] == ["FieldExport"]
    assert sqs.components[0].schema_version == "components.meshery.io/v1beta2"
    assert sqs.relationships and sqs.relationships[0].schema_version == "relationships.meshery.io/v1beta2"
    k8s = model(registry, "kubernetes")
    assert len(k8s.relationships) >= 10
    prometheus = model(registry, "prometheus")
    assert [c.name for c in prometheus.connections] == ["Prometheus"]


def test_versions_with_only_relationships_are_not_published(loaded_2026: tuple[Registry, Report]) -> None:
    """cert-manager v1.18.0-alpha.0 has relationships but no model definition: nothing to publish."""
    registry, report = loaded_2026
    assert "cert-manager" not in {m.name for m in registry.models}
    assert any("has no model definition" in d.message for d in report.items)


def test_missing_registry_folder_is_an_error(tmp_path: Path) -> None:
    report = Report()
    load_registry([tmp_path / "nope"], report)
    assert report.errors == 1


def test_unreadable_file_is_reported_and_the_rest_loads(tmp_path: Path) -> None:
    src = REGISTRY_2024 / "akri" / "0.12.55" / "v1.0.0"
    dst = tmp_path / "reg" / "akri" / "0.12.55" / "v1.0.0"
    shutil.copytree(src, dst)
    (dst / "components" / "Broken.json").write_text('{"schemaVersion": "components.meshery.io/v1beta1", ')
    report = Report()
    registry = load_registry([tmp_path / "reg"], report)
    assert len(registry.models[0].components) == 2
    errors = [d for d in report.items if d.severity is Severity.ERROR]
    assert len(errors) == 1 and errors[0].path.endswith("Broken.json") and errors[0].line == 1


def _relationship_file(folder: Path, name: str, version: str, sub_type: str) -> None:
    (folder / "relationships").mkdir(parents=True, exist_ok=True)
    (folder / "relationships" / name).write_text(
        json.dumps(
            {
                "schemaVersion": "relationships.meshery.io/v1alpha3",
                "kind": "edge",
                "type": "non-binding",
                "subType": sub_type,
                "model": {"name": "m", "model": {"version": version}},
                "selectors": [],
            }
        )
    )


def _model_file(folder: Path, version: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.json").write_text(
        json.dumps({"schemaVersion": "models.meshery.io/v1beta1", "name": "m", "model": {"version": version}})
    )


def test_a_wildcard_relationship_joins_every_version_and_a_v_prefix_is_the_same_version(
    tmp_path: Path,
) -> None:
    new, old = tmp_path / "reg" / "m" / "1.16.0" / "v1.0.0", tmp_path / "reg" / "m" / "1.15.0" / "v1.0.0"
    _model_file(new, "1.16.0")
    _model_file(old, "1.15.0")
    _relationship_file(new, "all.json", "*", "for-every-version")
    _relationship_file(new, "prefixed.json", "v1.16.0", "prefixed")
    report = Report()
    registry = load_registry([tmp_path / "reg"], report)
    [published] = registry.models
    assert published.version == "1.16.0"  # the model's own spelling
    assert sorted(r.sub_type for r in published.relationships) == ["for-every-version", "prefixed"]
    assert {r.model_version for r in published.relationships} == {"1.16.0"}
    assert [(v.version, v.relationships) for v in published.other_versions] == [("1.15.0", 1)]
    assert report.errors == report.warnings == 0


def test_real_2024_relationships_reach_the_site(loaded_2024: tuple[Registry, Report]) -> None:
    """118 files: 19 for version '*' and 2 spelt 'v1.16.0' (istio-base) now publish; the 2 left belong to
    meshery-shapes 0.7.1, a version older than the one published."""
    registry, _ = loaded_2024
    files = list(REGISTRY_2024.glob("*/*/v1.0.0/relationships/*.json"))
    assert len(files) == 118
    assert registry.relationship_count() == 116
    assert len(model(registry, "istio-base").relationships) == 5
