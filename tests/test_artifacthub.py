"""Artifact Hub: our export lints clean and is deterministic; every lint rule fails and passes; real
Meshery packages lint with the defects they really have."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from meshdocs.checks.artifacthub_lint import lint_repository
from meshdocs.diagnostics import Report, Severity

from .conftest import SHARED, Built, run_cli

EXAMPLES = SHARED / "artifacthub" / "examples"
SITE = "https://catalog.example.org/"

GOOD: dict[str, Any] = {
    "version": "1.2.0",
    "name": "web-shop",
    "displayName": "Web Shop",
    "createdAt": "2026-03-14T09:30:00Z",
    "description": "A web shop front end behind a Service.",
    "category": "integration-delivery",
    "keywords": ["deployment", "kubernetes"],
    "license": "Apache-2.0",
    "logoPath": "logo.svg",
    "links": [{"name": "Design page", "url": "https://catalog.example.org/catalog/web-shop/"}],
    "install": "Run `mesheryctl design import -f design.yml`.",
    "changes": [{"kind": "added", "description": "First version"}],
    "maintainers": [{"name": "Ada Lovelace", "email": "ada@example.org"}],
    "provider": {"name": "Meshery Community Catalog"},
}


def repo(
    tmp: Path, package: dict[str, Any] | None = None, *, design: bool = True, readme: str = "# Web Shop\n"
) -> Path:
    root = tmp / "repo"
    folder = root / "web-shop" / "1.2.0"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "artifacthub-repo.yml").write_text(
        "owners:\n  - name: Catalog maintainers\n    email: c@example.org\n"
    )
    (folder / "artifacthub-pkg.yml").write_text(
        yaml.safe_dump(package if package is not None else GOOD, sort_keys=False)
    )
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "README.md").write_text(readme)
    if design:
        (folder / "design.yml").write_text("name: Web Shop\nservices: {}\n")
    return root


def lint(root: Path) -> list[tuple[str, str]]:
    report = Report(root=root)
    lint_repository(root, report)
    return [(d.severity.value, f"{d.where}: {d.what}") for d in report.sorted()]


def with_(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_a_complete_package_lints_clean(tmp_path: Path) -> None:
    assert lint(repo(tmp_path)) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"colour": "blue"}, "colour: unknown key"),
        ({"version": None}, "version: is required"),
        ({"name": None}, "name: is required"),
        ({"displayName": None}, "displayName: is required"),
        ({"createdAt": None}, "createdAt: is required"),
        ({"description": None}, "description: is required"),
        ({"version": "1.0"}, "version: '1.0' is not a SemVer 2 version"),
        ({"name": "web shop"}, "name: 'web shop' is not only letters, digits and dashes"),
        ({"createdAt": "2026-03-14"}, "createdAt: '2026-03-14' is not an RFC 3339 time"),
        ({"createdAt": "2026-02-30T10:00:00Z"}, "createdAt: '2026-02-30T10:00:00Z' is not an RFC 3339 time"),
        ({"alternativeName": "storefront"}, "alternativeName: 'storefront' must contain the name 'web-shop'"),
        ({"category": "observability"}, "category: 'observability' is not one of ai-machine-learning"),
        (
            {"maintainers": [{"name": "Ada", "email": "ada"}]},
            "maintainers[0].email: 'ada' is not an email address",
        ),
        ({"maintainers": [{"name": "Ada"}]}, "maintainers[0].email: is required"),
        (
            {"changes": [{"kind": "improved", "description": "x"}]},
            "changes[0].kind: 'improved' is not one of",
        ),
        ({"prerelease": "yes"}, "prerelease: must be true or false"),
        ({"license": "Apache 2"}, "license: 'Apache 2' is not an SPDX license identifier"),
        ({"logoPath": "missing.png"}, "logoPath: 'missing.png' does not exist"),
    ],
)
def test_each_error_rule_fails_and_the_good_file_passes(
    tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    found = lint(repo(tmp_path, with_(**changes)))
    assert any(sev == "error" and expected in line for sev, line in found), found
    assert lint(repo(tmp_path / "good")) == []


def test_alternative_name_contained_in_the_name_passes(tmp_path: Path) -> None:
    assert lint(repo(tmp_path, with_(alternativeName="shop"))) == []
    assert lint(repo(tmp_path / "b", with_(alternativeName="web-shop-design"))) == []


def test_a_package_needs_a_readable_design_beside_it(tmp_path: Path) -> None:
    found = lint(repo(tmp_path, design=False))
    assert (
        "error",
        "web-shop/1.2.0/design.yml: missing: a Meshery designs package needs its design.yml "
        "beside artifacthub-pkg.yml",
    ) in found
    root = repo(tmp_path / "b")
    (root / "web-shop" / "1.2.0" / "design.yml").write_text(
        "<<<<<<< HEAD\nname: a\n=======\nname: b\n>>>>>>> x\n"
    )
    assert any("merge conflict" in line for _, line in lint(root))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"keywords": None}, "keywords: missing"),
        ({"category": None}, "category: missing"),
        ({"maintainers": None}, "maintainers: missing"),
        ({"provider": None}, "provider: missing"),
        ({"logoPath": None}, "logo: missing"),
        ({"links": [{"name": "download", "url": "../../catalog/x/design.yml"}]}, "is relative"),
        ({"provider": {"name": "a7b465ad-21eb-4f3f-9c84-56de76aebe62"}}, "is a UUID, not a name"),
        ({"readme": "No caveats \n ##h4 Caveats and Consideration \n"}, "'##h4' is not a Markdown heading"),
    ],
)
def test_each_warning_rule_warns_and_the_good_file_passes(
    tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    found = lint(repo(tmp_path, with_(**changes)))
    assert [sev for sev, line in found if expected in line] == ["warning"], found
    assert all(sev == "warning" for sev, _ in found)


def test_url_encoded_description_is_an_error(tmp_path: Path) -> None:
    found = lint(repo(tmp_path, with_(description="Pod%20readiness%20in%20Kubernetes%20matters.")))
    assert [sev for sev, line in found if "URL-encoded" in line] == ["error"]


def test_repository_file_is_checked_strictly(tmp_path: Path) -> None:
    root = repo(tmp_path)
    (root / "artifacthub-repo.yml").write_text("repositoryID: nope\nowner: x\nowners:\n  - name: a\n")
    found = [line for _, line in lint(root)]
    assert any("repositoryID: 'nope' is not a UUID" in line for line in found)
    assert any("owner: unknown key" in line for line in found)
    assert any("owners[0].email: is required" in line for line in found)


def real_example_repo(tmp: Path) -> Path:
    """The real packages laid out as a repository; only 0194ff83 has its real design.yml beside it."""
    root = tmp / "real"
    for path in sorted(EXAMPLES.glob("*artifacthub-pkg.yml")):
        folder = root / path.name.split("_artifacthub-pkg")[0]
        folder.mkdir(parents=True)
        shutil.copy(path, folder / "artifacthub-pkg.yml")
    shutil.copy(EXAMPLES / "meshery.io_catalog_artifacthub-repo.yml", root / "artifacthub-repo.yml")
    real = SHARED / "designs" / "meshery.io" / "catalog" / "0194ff83-0a43-4b83-9c75-b8f0f32da6b7"
    shutil.copy(real / "0.0.1" / "design.yml", root / "meshery.io_catalog_0194ff83_0.0.1" / "design.yml")
    encoded = root / "encoded"
    encoded.mkdir()
    shutil.copy(real / "artifacthub-pkg.yml", encoded / "artifacthub-pkg.yml")
    shutil.copy(real / "0.0.1" / "design.yml", encoded / "design.yml")
    return root


def test_real_meshery_packages_lint_with_the_defects_they_have(tmp_path: Path) -> None:
    found = lint(real_example_repo(tmp_path))
    pod = [(s, line) for s, line in found if "meshery.io_catalog_0194ff83_0.0.1/" in line]
    warnings = {line.split(": ", 1)[1] for s, line in pod if s == "warning"}
    assert {s for s, _ in pod} == {"warning"}, pod  # its design.yml is beside it: only warnings
    assert any("'##h4' is not a Markdown heading" in w for w in warnings)
    assert any("'a7b465ad-21eb-4f3f-9c84-56de76aebe62' is a UUID" in w for w in warnings)
    assert any("is relative: Artifact Hub shows it as a broken link" in w for w in warnings)
    assert {"keywords: missing", "category: missing", "maintainers: missing"} <= {
        w.split(":", 1)[0] + ": missing" for w in warnings if "missing" in w
    }
    encoded = [line for s, line in found if s == "error" and "encoded/artifacthub-pkg.yml" in line]
    assert any("description: is URL-encoded" in line for line in encoded), encoded
    without_design = [line for s, line in found if s == "error" and "design.yml: missing" in line]
    assert len(without_design) == 2  # the two docs mirrors come without their design.yml
    assert not any("repositoryID" in line for _, line in found)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ah") / "repo"
    proc = run_cli("artifacthub", "export", "--out", out, "--site-url", SITE)
    assert proc.returncode == 0, proc.stderr
    return out


def test_our_export_of_the_embedded_catalog_lints_with_no_errors_and_no_warnings(exported: Path) -> None:
    proc = run_cli("artifacthub", "lint", exported)
    assert proc.returncode == 0 and proc.stdout == "", proc.stdout
    assert "19 package(s): 0 error(s), 0 warning(s)" in proc.stderr


def test_export_has_every_quality_field(exported: Path) -> None:
    package = yaml.safe_load((exported / "microservice-shop" / "2.0.0" / "artifacthub-pkg.yml").read_text())
    assert package["keywords"][:3] == ["deployment", "kubernetes", "prometheus-operator"]
    assert package["category"] == "integration-delivery"
    assert package["maintainers"][0]["email"].endswith("@example.org")
    assert package["provider"] == {"name": "Meshery Community Catalog"}
    assert package["links"][0] == {"name": "Design page", "url": f"{SITE}catalog/microservice-shop/"}
    assert f"-f {SITE}catalog/microservice-shop/design.yml" in package["install"]
    assert package["changes"][0]["kind"] in ("added", "changed", "deprecated", "removed", "fixed", "security")
    readme = (exported / "microservice-shop" / "2.0.0" / "README.md").read_text()
    assert readme.startswith("# Microservice Shop\n") and "## Components" in readme and "## Install" in readme
    assert (exported / "microservice-shop" / "2.0.0" / "logo.svg").read_text().startswith("<svg")
    pg = yaml.safe_load(
        (exported / "cloudnativepg-highly-available-postgres" / "1.0.0" / "artifacthub-pkg.yml").read_text()
    )
    assert pg["category"] == "database"


def test_export_is_byte_identical_across_runs(exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run_cli("artifacthub", "export", "--out", again, "--site-url", SITE).returncode == 0

    def tree(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
        }

    assert tree(again) == tree(exported)


def test_the_site_publishes_the_repository_under_artifacthub(site_embedded: Built) -> None:
    root = site_embedded.site / "artifacthub"
    assert (root / "artifacthub-repo.yml").is_file()
    assert len(list(root.glob("*/*/artifacthub-pkg.yml"))) == 19
    report = Report()
    lint_repository(root, report)
    assert report.errors == 0
    assert all(d.field == "links" for d in report.items if d.severity is Severity.WARNING)  # no site_url set
