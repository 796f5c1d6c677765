"""Designs as Meshery and Kanvas export them publish: each class of real-world mess, in both directions.

Each test writes a minimal entry of our own against the real 2024 registry and pins what is published
and what the contributor hears (a warning they can act on, a notice, or nothing); a truly broken entry is
still refused. Lines read ``PATH:LINE: severity: field: message``.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.catalog import load_catalog, load_entry
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.aliases import KIND_SUFFIXES, MODEL_ALIASES, model_alias, split_legacy_kind
from meshdocs.model.catalog import CatalogEntry
from meshdocs.model.registry import Registry

from .catalog_entries import (
    SERVICE_ID,
    VALID_DESIGN,
    component,
    meta_with,
    relationship,
    write_entry,
)
from .conftest import REGISTRY_2024, SHARED, Built, build_site

COMMENT_ID = "aaaaaaaa-0000-4000-8000-000000000001"
SHAPE_ID = "aaaaaaaa-0000-4000-8000-000000000002"
PICTURE_ID = "aaaaaaaa-0000-4000-8000-000000000003"


@pytest.fixture(scope="module")
def r2024() -> Registry:
    return load_registry([REGISTRY_2024], Report(), LoadOptions(include_ignored=True))


def load(folder: Path, registry: Registry) -> tuple[CatalogEntry | None, list[str]]:
    report = Report(root=folder.parent)
    entry = load_entry(folder, registry, report)
    return entry, [d.format() for d in report.sorted()]


def annotation(id_: str, kind: str, model: str, flagged: bool = True) -> dict[str, Any]:
    comp = component(id_, kind.lower(), kind, "core.meshery.io/v1alpha1", model)
    comp["configuration"] = None  # Kanvas writes null where a mapping is expected
    comp["metadata"] = {"isAnnotation": True} if flagged else None
    return comp


def kanvas_design() -> dict[str, Any]:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"] += [
        annotation(COMMENT_ID, "Comment", "meshery-core"),
        annotation(SHAPE_ID, "Rectangle", "meshery-shapes", flagged=False),  # the registry says so
        annotation(PICTURE_ID, "Picture", "meshery-core"),  # newer than this registry
    ]
    design["relationships"].append(  # a connector Kanvas draws between two drawing elements
        relationship("aaaaaaaa-0000-4000-8000-0000000000ff", COMMENT_ID, SHAPE_ID, "annotation")
    )
    return design


# --- annotation components --------------------------------------------------------------------------


def test_annotations_publish_without_being_asked_for_as_technologies(tmp_path: Path, r2024: Registry) -> None:
    entry, lines = load(write_entry(tmp_path, design=kanvas_design()), r2024)
    assert entry is not None
    assert [line for line in lines if ": notice: " not in line] == []
    assert lines == [
        "web-shop/design.yml:87: notice: components[5].component.kind: model 'meshery-core' has no "
        "component 'Picture' in this registry; shown without a link"
    ]
    assert [c.kind for c in entry.design.components] == ["Namespace", "Deployment", "Service"]
    assert sorted(c.kind for c in entry.design.annotations) == ["Comment", "Picture", "Rectangle"]
    assert [r.sub_type for r in entry.design.relationships] == ["network"]  # the connector is not one


def test_an_unknown_kind_of_a_model_that_is_no_annotation_model_stays_a_warning(
    tmp_path: Path, r2024: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"].append(component(COMMENT_ID, "thing", "Gizmo", "v1"))
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is not None and any(": warning: components[3].component.kind: " in x for x in lines)


def test_annotation_models_are_left_out_of_coverage(r2024: Registry) -> None:
    assert {"meshery-shapes", "aws"} <= r2024.annotation_models()
    assert "kubernetes" not in r2024.annotation_models() and "meshery-core" not in r2024.annotation_models()
    assert r2024.is_annotation("meshery-core", "Comment") and not r2024.is_annotation("kubernetes", "Pod")


# --- legacy names -------------------------------------------------------------------------------------


def test_the_alias_table_only_applies_where_the_registry_lacks_the_written_name() -> None:
    assert split_legacy_kind("Pod.K8s", "") == split_legacy_kind("Pod", "kubernetes")
    assert split_legacy_kind("VirtualService.Istio", "").model == "istio-base"
    assert split_legacy_kind("Pod.Unknown", "").kind == "Pod.Unknown"  # not a suffix the table knows
    assert model_alias("meshery", {"meshery-core"}) == "meshery-core"
    assert model_alias("meshery", {"kubernetes"}) is None  # the target must be in the registry
    assert all(k == k.lower() for k in (*KIND_SUFFIXES, *MODEL_ALIASES))


def test_legacy_kind_suffixes_and_old_model_names_resolve(tmp_path: Path, r2024: Registry) -> None:
    legacy = {
        "name": "Old Shop",
        "services": {
            "cfg": {"name": "cfg", "type": "ConfigMap.K8s", "namespace": "shop"},
            "web": {"name": "web", "type": "Pod.K8s", "namespace": "shop", "dependsOn": ["cfg"]},
            "note": {"name": "note", "type": "Comment", "model": "meshery"},
        },
    }
    entry, lines = load(write_entry(tmp_path, design=legacy), r2024)
    assert entry is not None
    assert lines == [
        "web-shop/design.yml:16: notice: services.note.model: 'meshery' is an older name of 'meshery-core'; "
        "read as that"
    ]
    assert [(c.kind, c.model, c.api_version) for c in entry.design.components] == [
        ("ConfigMap", "kubernetes", "v1"),
        ("Pod", "kubernetes", "v1"),
    ]
    assert [c.kind for c in entry.design.annotations] == ["Comment"]


def test_a_v1beta1_component_with_a_suffixed_kind_resolves(tmp_path: Path, r2024: Registry) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["kind"] = "Deployment.K8s"
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is not None and entry.design.components[1].kind == "Deployment"
    assert lines == [
        "web-shop/design.yml:26: notice: components[1].component.kind: 'Deployment.K8s' is the older name "
        "of 'Deployment'; read as that"
    ]


def test_a_kind_written_under_a_model_that_no_longer_holds_it_resolves_to_the_one_that_does(
    tmp_path: Path, r2024: Registry
) -> None:
    """Older exports file CRD kinds under kubernetes; the kind and apiVersion name one model now."""
    legacy = {
        "name": "Pod identity",
        "services": {
            "id": {
                "name": "id",
                "type": "AzureIdentity",
                "apiVersion": "aadpodidentity.k8s.io/v1",
                "model": "kubernetes",
            },
        },
    }
    entry, lines = load(write_entry(tmp_path, design=legacy), r2024)
    assert entry is not None
    assert [(c.kind, c.model) for c in entry.design.components] == [("AzureIdentity", "aad-pod-identity")]
    assert lines == [
        "web-shop/catalog.yml: warning: technologies: the design uses aad-pod-identity; add to technologies",
        "web-shop/design.yml:7: notice: services.id.model: 'AzureIdentity' (aadpodidentity.k8s.io/v1) is a "
        "component of model 'aad-pod-identity', not 'kubernetes'; read as that",
    ]


def test_an_unknown_model_is_a_warning_with_the_closest_name_and_a_row_without_link(
    tmp_path: Path, r2024: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][2]["model"]["name"] = "kubernetis"
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is not None
    assert lines == [
        "web-shop/design.yml:46: warning: components[2].model.name: model 'kubernetis' is not in the "
        "registry; did you mean 'kubernetes'?; its components are shown without a link"
    ]


# --- missing versions -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def two_deployments(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """The real registry plus an older Deployment apiVersion: the kind no longer names one version."""
    extra = tmp_path_factory.mktemp("extra") / "kubernetes" / "v1.25.2" / "v1.0.0" / "components"
    extra.mkdir(parents=True)
    source = REGISTRY_2024 / "kubernetes" / "v1.25.2" / "v1.0.0" / "components" / "Deployment.json"
    data = json.loads(source.read_text())
    data["component"]["version"] = "extensions/v1beta1"
    (extra / "DeploymentOld.json").write_text(json.dumps(data))
    return load_registry([REGISTRY_2024, extra.parents[2]], Report(), LoadOptions(include_ignored=True))


def test_an_empty_api_version_is_taken_from_the_registry_when_it_names_one(
    tmp_path: Path, r2024: Registry, two_deployments: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["components"][1]["component"]["version"] = ""
    folder = write_entry(tmp_path, design=design)
    entry, lines = load(folder, r2024)
    assert lines == [] and entry is not None and entry.design.components[1].api_version == "apps/v1"
    entry, lines = load(folder, two_deployments)
    assert entry is not None and entry.design.components[1].api_version == ""
    assert lines == [
        "web-shop/design.yml:27: warning: components[1].component.version: is empty, and 'Deployment' of "
        "model 'kubernetes' is apps/v1, extensions/v1beta1 in the registry; write the one this design uses"
    ]


# --- stale relationships ----------------------------------------------------------------------------------


def test_deleted_relationships_are_ignored_and_an_empty_selector_kind_is_a_warning(
    tmp_path: Path, r2024: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    missing = "99999999-9999-4999-8999-999999999999"
    gone = relationship("66666666-6666-4666-8666-666666666666", SERVICE_ID, missing)
    gone["status"] = "deleted"
    gone["selectors"][0]["allow"]["to"][0]["kind"] = ""  # not checked: the relationship is void
    design["relationships"].append(gone)
    design["relationships"][0]["selectors"][0]["allow"]["to"][0]["kind"] = ""
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is not None and [r.status for r in entry.design.relationships] == ["approved"]
    assert lines == [
        "web-shop/design.yml:70: warning: relationships[0].selectors[0].allow.to[0].kind: is empty; expected "
        "the kind of component this end selects, or '*' for any"
    ]


# --- nulls and names --------------------------------------------------------------------------------------


def test_null_configuration_and_metadata_and_an_empty_name_are_read_as_empty(
    tmp_path: Path, r2024: Registry
) -> None:
    design = copy.deepcopy(VALID_DESIGN)
    design["name"] = ""
    design["metadata"] = None
    for comp in design["components"]:
        comp["configuration"] = None
        comp["metadata"] = None
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is not None and entry.meta.name == "Web Shop"
    assert lines == [
        "web-shop/design.yml: notice: name: the design has no name; its page is titled from catalog.yml"
    ]
    assert [c.namespace for c in entry.design.components] == ["", "", ""]


# --- what is still refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("design", "expected"),
    [
        ("<<<<<<< HEAD\nname: a\n=======\nname: b\n>>>>>>> x\n", "error: contains git merge conflict"),
        ("name: [unterminated\n", "error: not valid YAML"),
        ("kind: Deployment\nmetadata: {name: web}\n", "error: not a Meshery design"),
    ],
)
def test_what_cannot_be_published_faithfully_is_still_an_error(
    tmp_path: Path, r2024: Registry, design: str, expected: str
) -> None:
    entry, lines = load(write_entry(tmp_path, design=design), r2024)
    assert entry is None and any(expected in line for line in lines), lines


def test_an_oversized_design_is_refused(tmp_path: Path, r2024: Registry) -> None:
    folder = write_entry(tmp_path)
    (folder / "design.yml").write_text("name: x\nservices: {}\n# " + "x" * (8 * 1024 * 1024))
    entry, lines = load(folder, r2024)
    assert entry is None and any(": error: " in line and "the limit is" in line for line in lines), lines


# --- the published page -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kanvas_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("kanvas")
    designs = tmp / "designs"
    design = kanvas_design()
    design["name"] = ""
    design["components"][2]["model"]["name"] = "kubernetis"
    write_entry(designs, design=design)
    shutil.copytree(REGISTRY_2024 / "kubernetes", tmp / "registry" / "kubernetes")
    shutil.copytree(REGISTRY_2024 / "meshery-core", tmp / "registry" / "meshery-core")
    shutil.copytree(REGISTRY_2024 / "meshery-shapes", tmp / "registry" / "meshery-shapes")
    built = build_site(tmp, tmp / "registry", extra=("--catalog", str(designs)))
    assert built.returncode == 0, built.stderr
    return built


def test_the_page_is_titled_lists_annotations_apart_and_keeps_unknown_rows(kanvas_site: Built) -> None:
    page = kanvas_site.page("catalog/web-shop/")
    assert '<h1 id="web-shop">Web Shop<' in page  # never an empty title
    assert "annotations (drawing elements: Comment, Picture, Rectangle)" in page
    assert "<td>kubernetis</td>" in page  # the row is kept, without a link
    topology = (kanvas_site.site / "catalog" / "web-shop" / "topology.svg").read_text()
    assert "Comment" not in topology and "Rectangle" not in topology
    coverage = kanvas_site.page("catalog/coverage/")
    assert "Meshery Shapes" not in coverage and "Kubernetes" in coverage


def test_a_build_reports_warnings_with_their_severity(kanvas_site: Built) -> None:
    assert "web-shop/design.yml:46: warning: components[2].model.name: model 'kubernetis'" in (
        kanvas_site.stderr
    )
    assert [d for d in kanvas_site.stderr.splitlines() if ": error: " in d] == []


def test_severity_is_part_of_every_printed_line() -> None:
    report = Report()
    report.add(Severity.WARNING, "a/design.yml", "is empty", line=3, field="name")
    assert report.items[0].format() == "a/design.yml:3: warning: name: is empty"


def test_every_real_design_publishes_but_the_conflicted_one(tmp_path: Path, r2024: Registry) -> None:
    """Each design file in ../shared/data/designs, given catalog metadata of our own, as a catalog."""
    files = sorted(
        p
        for p in (SHARED / "designs").rglob("*")
        if p.suffix in (".yml", ".yaml") and "artifacthub" not in p.name
    )
    for number, path in enumerate(files):
        name = f"Real design {number}"
        write_entry(tmp_path / "designs", meta_with(name=name), path.read_text())
    report = Report(root=tmp_path)
    catalog = load_catalog(tmp_path / "designs", r2024, report)
    refused = [d.format() for d in report.sorted() if d.severity is Severity.ERROR]
    assert (len(files), len(catalog.entries)) == (7, 6)
    assert refused == [
        "designs/real-design-5/design.yml:1: error: contains git merge conflict markers; resolve the "
        "conflict and remove the '<<<<<<<', '=======' and '>>>>>>>' lines"
    ]
    assert all(e.meta.name for e in catalog.entries)
