"""`meshdocs validate` on catalog entries: every rule has a failing and a passing case, real designs pass.

One severity policy: an error leaves an entry out (it cannot be published faithfully), a warning publishes
it showing what is known. Lines read ``PATH:LINE: error|warning: field: message``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.catalog import load_entry
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Registry

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


def published(folder: Path, registry: Registry) -> bool:
    return load_entry(folder, registry, Report(root=folder.parent)) is not None


def test_a_complete_entry_passes(tmp_path: Path, embedded: Registry) -> None:
    assert problems(write_entry(tmp_path), embedded) == []


def test_type_warning_names_file_line_field_and_the_accepted_values(
    tmp_path: Path, embedded: Registry
) -> None:
    folder = write_entry(tmp_path, meta_with(type="Monitoring"))
    assert problems(folder, embedded) == [
        "web-shop/catalog.yml:3: warning: type: 'Monitoring' is not one of Deployment, Observability, "
        "Resiliency, Scaling, Security, Traffic-management, Troubleshooting, Workloads"
    ]
    entry = load_entry(folder, embedded, Report())
    assert entry is not None and entry.meta.type == "Monitoring"  # published as written


def test_all_problems_are_reported_at_once(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(
        tmp_path, meta_with(type="Monitoring", version="1.0", license="Apache2.0", maintainers=[])
    )
    found = problems(folder, embedded)
    assert len(found) == 4, found
    assert "web-shop/catalog.yml:2: error: version: '1.0' is not a semantic version, e.g. 1.0.0" in found
    assert any("warning: maintainers: needs at least 1 item" in e for e in found)
    assert not published(folder, embedded)  # the version is the package version and OCI tag


@pytest.mark.parametrize(
    ("field", "bad", "expected"),
    [
        ("name", None, "error: name: is required"),
        ("name", "", "error: name: must not be empty"),
        ("version", "v1", "error: version: 'v1' is not a semantic version"),
    ],
)
def test_an_entry_without_a_title_or_version_is_refused(
    tmp_path: Path, embedded: Registry, field: str, bad: object, expected: str
) -> None:
    folder = write_entry(tmp_path, meta_with(**{field: bad}), slug="entry")
    assert any(expected in e for e in errors(folder, embedded)), problems(folder, embedded)
    assert not published(folder, embedded)


def test_an_entry_without_a_type_is_published_as_uncategorized(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path, meta_with(type=None))
    assert problems(folder, embedded) == [
        "web-shop/catalog.yml:1: warning: type: is required (The one catalog section the design is listed "
        "under: what problem it solves for the reader)"
    ]
    entry = load_entry(folder, embedded, Report())
    assert entry is not None and entry.meta.type == "Uncategorized"


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
    assert any(expected in e for e in problems(broken, embedded)), problems(broken, embedded)
    assert problems(write_entry(tmp_path / "good"), embedded) == []


def test_license_expressions_with_or_pass(tmp_path: Path, embedded: Registry) -> None:
    assert problems(write_entry(tmp_path, meta_with(license="MIT OR Apache-2.0")), embedded) == []


def test_folder_should_be_the_slug_of_the_name(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path, slug="shop")
    assert problems(folder, embedded) == [
        "shop/catalog.yml:1: warning: name: the folder is 'shop' but the name 'Web Shop' gives 'web-shop'; "
        "rename the folder to 'web-shop' or change the name"
    ]
    assert published(folder, embedded)  # its URL is the folder's: it is published there


def test_missing_files_are_named(tmp_path: Path, embedded: Registry) -> None:
    folder = write_entry(tmp_path)
    (folder / "design.yml").unlink()
    assert any("design.yml: error: missing" in e for e in errors(folder, embedded))
    (folder / "catalog.yml").unlink()
    (folder / "design.yml").write_text(yaml.safe_dump(VALID_DESIGN))
    assert any("catalog.yml: error: missing" in e for e in errors(folder, embedded))


def test_unknown_kind_is_a_warning_with_the_closest_name(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["kind"] = "Deploymnet"
    folder = write_entry(tmp_path, design=design)
    assert problems(folder, embedded) == [
        "web-shop/design.yml:26: warning: components[1].component.kind: model 'kubernetes' has no component "
        "'Deploymnet' in this registry; did you mean 'Deployment'?; shown without a link"
    ]
    assert published(folder, embedded)


def test_unknown_model_is_a_warning_and_its_row_is_kept(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][2]["model"]["name"] = "kubernets"
    folder = write_entry(tmp_path, design=design)
    found = problems(folder, embedded)
    assert len(found) == 1 and "warning: components[2].model.name: model 'kubernets' is not in the registry; "
    assert "did you mean 'kubernetes'?; its components are shown without a link" in found[0]
    entry = load_entry(folder, embedded, Report())
    assert entry is not None and [c.model for c in entry.design.components][2] == "kubernets"


def test_api_version_mismatch_is_a_warning(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["version"] = "extensions/v1beta1"
    found = problems(write_entry(tmp_path, design=design), embedded)
    assert len(found) == 1 and "warning: " in found[0]
    assert "is apps/v1 in the registry, not 'extensions/v1beta1'" in found[0]
    assert errors(write_entry(tmp_path / "x", design=design), embedded) == []


def test_a_repeated_component_id_is_a_warning_and_both_rows_publish(
    tmp_path: Path, embedded: Registry
) -> None:
    """A real Kanvas export repeats an id (meshery.io catalog): Meshery opens it, so it is published."""
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][2]["id"] = DEPLOYMENT_ID
    folder = write_entry(tmp_path, design=design)
    found = problems(folder, embedded)
    assert any(
        f"warning: components[2].id: id '{DEPLOYMENT_ID}' is used by component 1 too" in e for e in found
    ), found
    entry = load_entry(folder, embedded, Report())
    assert entry is not None and len(entry.design.components) == 3


def test_a_stale_relationship_is_a_warning_and_left_off_the_page(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    missing = "99999999-9999-4999-8999-999999999999"
    design["relationships"].append(relationship("66666666-6666-4666-8666-666666666666", SERVICE_ID, missing))
    folder = write_entry(tmp_path, design=design)
    assert problems(folder, embedded) == [
        f"web-shop/design.yml:76: warning: relationships[1].selectors: points at component '{missing}', "
        "which is not in this design (left behind when it was deleted?); the relationship is left off the "
        "page and the picture"
    ]
    entry = load_entry(folder, embedded, Report())
    assert entry is not None and [r.id for r in entry.design.relationships] == [
        "55555555-5555-4555-8555-555555555555"
    ]
    design["relationships"][-1]["status"] = "deleted"  # Meshery keeps deleted ones: they are ignored
    assert problems(write_entry(tmp_path / "ok", design=design), embedded) == []


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
    assert found == [
        "web-shop/catalog.yml: warning: technologies: the design uses cert-manager; add to technologies"
    ]
    fixed = meta_with(technologies=["kubernetes", "cert-manager"])
    assert problems(write_entry(tmp_path / "ok", fixed, design), embedded) == []


def test_design_schema_problems_are_warnings_with_lines(tmp_path: Path, embedded: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][0]["id"] = "not-a-uuid"
    folder = write_entry(tmp_path, design=design)
    assert problems(folder, embedded) == [
        "web-shop/design.yml:7: warning: components[0].id: 'not-a-uuid' is not a UUID, "
        "e.g. 5d0c2a4e-1b7f-4c55-9a7e-2f6b3c1d8e90"
    ]
    assert published(folder, embedded)


@pytest.mark.parametrize(
    "text", ["just text\n", "- a\n- list\n", "name: only a name\n", "components: {not: a list}\n"]
)
def test_a_file_that_is_not_a_design_is_refused(tmp_path: Path, embedded: Registry, text: str) -> None:
    folder = write_entry(tmp_path, design=text)
    assert errors(folder, embedded) == [
        "web-shop/design.yml:1: error: not a Meshery design: expected a mapping with a list of 'components' "
        "(v1beta1) or a mapping of 'services' (legacy)"
    ]
    assert not published(folder, embedded)


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
    assert problems(write_entry(tmp_path, design=legacy), embedded) == []
    legacy["services"]["web"]["dependsOn"] = ["shopp"]
    found = problems(write_entry(tmp_path / "bad", design=legacy), embedded)
    assert found == [
        "web-shop/design.yml:12: warning: services.web.dependsOn: points at component 'shopp', "
        "which is not in this design (left behind when it was deleted?); the relationship is left off the "
        "page and the picture; did you mean 'shop'?"
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
        "web-shop/design.yml:1: error: contains git merge conflict markers; resolve the conflict and remove "
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
    assert "dapr/design.yml:1: error: contains git merge conflict markers" in proc.stdout


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
    strict = run_cli("validate", folder, "--registry", REGISTRY_2024, "--strict", cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout


def test_validate_cli_prints_github_annotations_for_catalog_problems(tmp_path: Path) -> None:
    write_entry(tmp_path / "catalog", meta_with(type="Monitoring", version="1"))
    proc = run_cli("validate", "catalog", "--format", "github", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "::error file=catalog/web-shop/catalog.yml,line=2::version: '1' is not a semantic version, "
        "e.g. 1.0.0",
        "::warning file=catalog/web-shop/catalog.yml,line=3::type: 'Monitoring' is not one of Deployment, "
        "Observability, Resiliency, Scaling, Security, Traffic-management, Troubleshooting, Workloads",
    ]


def test_validate_text_lines_say_error_or_warning_and_strict_fails_on_warnings(tmp_path: Path) -> None:
    write_entry(tmp_path / "catalog")
    write_entry(tmp_path / "catalog", meta_with(name="Second Shop"))
    proc = run_cli("validate", "catalog", "--strict", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    write_entry(tmp_path / "catalog", meta_with(name="Third Shop", type="Nope"))
    proc = run_cli("validate", "catalog", cwd=tmp_path)
    assert proc.returncode == 0  # a warning: a build publishes the entry
    assert proc.stdout.startswith("catalog/third-shop/catalog.yml:3: warning: type: 'Nope' is not one of")
    assert run_cli("validate", "catalog", "--strict", cwd=tmp_path).returncode == 1
    write_entry(tmp_path / "catalog", meta_with(name="Fourth Shop", version="one"))
    proc = run_cli("validate", "catalog", cwd=tmp_path)
    assert proc.returncode == 1
    assert "catalog/fourth-shop/catalog.yml:2: error: version: 'one' is not a semantic version" in proc.stdout
    assert all(": error: " in line or ": warning: " in line for line in proc.stdout.splitlines())


def test_screenshots_must_be_real_images(tmp_path: Path, embedded: Registry) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    folder = write_entry(tmp_path, extra={"screenshot.png": png, "screenshot-2.png": b"<svg onload=x>"})
    found = problems(folder, embedded)
    assert found == [
        "web-shop/screenshot-2.png: warning: not a PNG image (its first bytes say otherwise); not published"
    ]


def test_a_design_without_format_markers_is_judged_as_the_format_it_resembles(
    tmp_path: Path, embedded: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    del design["schemaVersion"]
    found = problems(write_entry(tmp_path, design=design), embedded)
    assert found == [
        "web-shop/design.yml:1: warning: schemaVersion: is required (Design format; must be "
        "designs.meshery.io/v1beta1 (leave it out for the legacy `services:` format))"
    ]
