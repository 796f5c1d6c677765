"""`meshdocs validate` on catalog entries: every rule has a failing and a passing case, real designs pass."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Report, Severity
from generator.loaders.catalog import load_entry
from generator.loaders.registry import LoadOptions, load_registry
from generator.model.registry import Registry

from .catalog_entries import (
    DEPLOYMENT_ID,
    SERVICE_ID,
    VALID_DESIGN,
    component,
    meta_with,
    relationship,
    write_entry,
)
from .conftest import EMBEDDED_REGISTRY, REGISTRY_2024, SHARED, run_cli


@pytest.fixture(scope="module")
def embedded() -> Registry:
    return load_registry([EMBEDDED_REGISTRY], Report(), LoadOptions(include_ignored=True))


def problems(folder: Path, registry: Registry) -> list[str]:
    report = Report(root=folder.parent)
    load_entry(folder, registry, report)
    return [d.format() for d in report.sorted() if d.severity is not Severity.NOTICE]


def errors(folder: Path, registry: Registry) -> list[str]:
    report = Report(root=folder.parent)
    load_entry(folder, registry, report)
    return [d.format() for d in report.sorted() if d.severity is Severity.ERROR]


def test_a_complete_entry_passes(tmp_path: Path, embedded: Registry) -> None:
    assert problems(write_entry(tmp_path), embedded) == []


def test_type_error_names_file_line_field_and_the_accepted_values(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path, meta_with(type="Monitoring"))
    assert errors(folder, embedded) == [
        "web-shop/catalog.yml:3: type: 'Monitoring' is not one of Deployment, Observability, Resiliency, "
        "Scaling, Security, Traffic-management, Troubleshooting, Workloads"
    ]


def test_all_problems_are_reported_at_once(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(
        tmp_path, meta_with(type="Monitoring", version="1.0", license="Apache2.0", maintainers=[])
    )
    found = errors(folder, embedded)
    assert len(found) == 4, found
    assert any("version: '1.0' is not a semantic version" in e for e in found)
    assert any("maintainers: needs at least 1 item" in e for e in found)


@pytest.mark.parametrize(
    ("field", "bad", "expected"),
    [
        ("version", "v1", "is not a semantic version"),
        ("createdAt", "yesterday", "is not an RFC 3339 timestamp"),
        ("createdAt", "2026-02-30T10:00:00Z", "is not a real date and time"),
        ("license", "Apache2.0", "'Apache2.0' is not an SPDX license identifier; did you mean 'Apache-2.0'?"),
        ("license", "MIT OR", "is not a valid SPDX license expression"),
        (
            "technologies",
            ["kubernets"],
            "'kubernets' is not a model in the registry; did you mean 'kubernetes'?",
        ),
        ("technologies", [], "needs at least 1 item"),
        ("maintainers", [{"name": "X", "email": "not-an-email"}], "is not an email address"),
        ("description", None, "description: is required"),
        ("nickname", "shop", "nickname: unknown field; expected one of caveats, changes, createdAt"),
    ],
)
def test_each_catalog_rule_fails_and_its_fix_passes(
    tmp_path: Path, embedded: Registry, field: str, bad: object, expected: str
) -> None:
    broken = write_entry(tmp_path / "bad", meta_with(**{field: bad}))
    assert any(expected in e for e in errors(broken, embedded)), errors(broken, embedded)
    assert errors(write_entry(tmp_path / "good"), embedded) == []


def test_license_expressions_with_or_pass(tmp_path: Path, embedded: Registry) -> None:
    assert errors(write_entry(tmp_path, meta_with(license="MIT OR Apache-2.0")), embedded) == []


def test_folder_must_be_the_slug_of_the_name(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path, slug="shop")
    assert errors(folder, embedded) == [
        "shop/catalog.yml:1: name: the folder is 'shop' but the name 'Web Shop' gives 'web-shop'; "
        "rename the folder to 'web-shop' or change the name"
    ]


def test_missing_files_are_named(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path)
    (folder / "design.yml").unlink()
    assert any("design.yml: missing" in e for e in errors(folder, embedded))
    (folder / "catalog.yml").unlink()
    (folder / "design.yml").write_text(yaml.safe_dump(VALID_DESIGN))
    assert any("catalog.yml: missing" in e for e in errors(folder, embedded))


def test_unknown_kind_is_an_error_with_the_closest_name(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["kind"] = "Deploymnet"
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert found == [
        "web-shop/design.yml:26: components[1].component.kind: model 'kubernetes' has no component "
        "'Deploymnet'; did you mean 'Deployment'?"
    ]


def test_unknown_model_is_an_error_with_the_closest_name(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][2]["model"]["name"] = "kubernets"
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert (
        len(found) == 1 and "model 'kubernets' is not in the registry; did you mean 'kubernetes'?" in found[0]
    )


def test_api_version_mismatch_is_a_warning(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["version"] = "extensions/v1beta1"
    found = problems(write_entry(tmp_path, design=design), embedded)
    assert len(found) == 1 and "is apps/v1 in the registry, not 'extensions/v1beta1'" in found[0]
    assert errors(write_entry(tmp_path / "x", design=design), embedded) == []


def test_component_ids_must_be_unique(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][2]["id"] = DEPLOYMENT_ID
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert any(f"id '{DEPLOYMENT_ID}' is used by component 1 too" in e for e in found), found


def test_relationships_must_point_at_components_of_the_design(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    missing = "99999999-9999-4999-8999-999999999999"
    design["relationships"].append(relationship("66666666-6666-4666-8666-666666666666", SERVICE_ID, missing))
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert found == [
        f"web-shop/design.yml:76: relationships[1].selectors: points at component '{missing}', "
        "which is not in this design"
    ]
    design["relationships"][-1]["status"] = "deleted"  # Meshery keeps deleted ones: they are not checked
    assert errors(write_entry(tmp_path / "ok", design=design), embedded) == []


def test_technologies_must_list_every_model_used(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"].append(
        component(
            "77777777-7777-4777-8777-777777777777",
            "cert",
            "Certificate",
            "cert-manager.io/v1",
            "cert-manager",
        )
    )
    found = problems(write_entry(tmp_path, design=design), embedded)
    assert found == ["web-shop/catalog.yml: technologies: the design uses cert-manager; add to technologies"]
    fixed = meta_with(technologies=["kubernetes", "cert-manager"])
    assert problems(write_entry(tmp_path / "ok", fixed, design), embedded) == []


def test_design_schema_errors_have_lines(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][0]["id"] = "not-a-uuid"
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert found == [
        "web-shop/design.yml:7: components[0].id: 'not-a-uuid' is not a UUID, "
        "e.g. 5d0c2a4e-1b7f-4c55-9a7e-2f6b3c1d8e90"
    ]


def test_legacy_services_design_is_accepted_and_checked(tmp_path: Path, embedded: Registry) -> None:
    legacy = {
        "name": "Web Shop",
        "services": {
            "shop": {"name": "shop", "type": "Namespace.K8s"},
            "web": {
                "name": "web",
                "type": "Deployment",
                "apiVersion": "apps/v1",
                "model": "kubernetes",
                "namespace": "shop",
                "dependsOn": ["shop"],
            },
        },
    }
    assert errors(write_entry(tmp_path, design=legacy), embedded) == []
    legacy["services"]["web"]["dependsOn"] = ["shopp"]
    found = errors(write_entry(tmp_path / "bad", design=legacy), embedded)
    assert found == [
        "web-shop/design.yml: services.dependsOn.selectors: points at component 'shopp', "
        "which is not in this design; did you mean 'shop'?"
    ]


def test_conflict_markers_in_a_design_say_so(tmp_path: Path, embedded: Registry) -> None:
    text = (
        "<<<<<<< HEAD\n"
        + json.dumps(VALID_DESIGN)
        + "\n=======\n"
        + json.dumps(VALID_DESIGN)
        + "\n>>>>>>> main\n"
    )
    found = errors(write_entry(tmp_path, design=text), embedded)
    assert found == [
        "web-shop/design.yml:1: contains git merge conflict markers; resolve the conflict and remove "
        "the '<<<<<<<', '=======' and '>>>>>>>' lines"
    ]


def test_real_design_with_conflict_markers_fails_with_a_message_that_says_so(tmp_path: Path) -> None:
    real = (
        SHARED
        / "designs"
        / "meshery.io"
        / "catalog"
        / "04cf78e7-6041-45f7-bca5-999d5d7d6a19"
        / "0.0.5"
        / "design.yml"
    )
    folder = write_entry(tmp_path, meta_with(name="Dapr"), real.read_text())
    proc = run_cli("validate", folder, "--registry", REGISTRY_2024, cwd=tmp_path)
    assert proc.returncode == 1
    assert "dapr/design.yml:1: contains git merge conflict markers" in proc.stdout


def real_designs() -> list[Path]:
    found = []
    for path in sorted((SHARED / "designs").rglob("*")):
        if path.suffix not in (".yml", ".yaml", ".json") or not path.is_file():
            continue
        text = path.read_text(errors="replace")
        if "<<<<<<<" in text:
            continue
        data = yaml.safe_load(text)
        if isinstance(data, dict) and (
            data.get("schemaVersion") == "designs.meshery.io/v1beta1" or "services" in data
        ):
            found.append(path)
    return found


@pytest.mark.parametrize("design_path", real_designs(), ids=lambda p: p.relative_to(SHARED).as_posix())
def test_real_designs_pass_once_metadata_is_added(tmp_path: Path, design_path: Path) -> None:
    data = yaml.safe_load(design_path.read_text())
    if "services" in data:
        models = {s.get("model") or "kubernetes" for s in data["services"].values()}
    else:
        models = {c["model"]["name"] for c in data.get("components", [])} or {"kubernetes"}
    meta = meta_with(name="Real Design", technologies=sorted(models))
    folder = write_entry(tmp_path, meta, design_path.read_text())
    proc = run_cli("validate", folder, "--registry", REGISTRY_2024, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout


def test_validate_cli_prints_github_annotations_for_catalog_problems(tmp_path: Path) -> None:
    write_entry(tmp_path / "catalog", meta_with(type="Monitoring"))
    proc = run_cli("validate", "catalog", "--format", "github", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith(
        "::error file=catalog/web-shop/catalog.yml,line=3::type: 'Monitoring' is not one of"
    )


def test_validate_the_whole_catalog_folder(tmp_path: Path) -> None:
    write_entry(tmp_path / "catalog")
    write_entry(tmp_path / "catalog", meta_with(name="Second Shop"))
    proc = run_cli("validate", "catalog", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    write_entry(tmp_path / "catalog", meta_with(name="Third Shop", type="Nope"))
    assert run_cli("validate", "catalog", cwd=tmp_path).returncode == 1


def test_screenshots_must_be_real_images(tmp_path: Path, embedded: Registry) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    folder = write_entry(tmp_path, extra={"screenshot.png": png, "screenshot-2.png": b"<svg onload=x>"})
    found = problems(folder, embedded)
    assert found == [
        "web-shop/screenshot-2.png: not a PNG image (its first bytes say otherwise); not published"
    ]


def test_a_design_without_format_markers_is_judged_as_the_format_it_resembles(
    tmp_path: Path, embedded: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    del design["schemaVersion"]
    found = errors(write_entry(tmp_path, design=design), embedded)
    assert found == [
        "web-shop/design.yml:1: schemaVersion: is required (Design format; must be "
        "designs.meshery.io/v1beta1 (leave it out for the legacy `services:` format))"
    ]
