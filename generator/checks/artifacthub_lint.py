"""``meshdocs artifacthub lint``: what ``ah lint --kind meshery`` checks, and the defects Meshery ships.

Strict: unknown keys are errors, as are missing required fields, malformed versions, names and dates,
categories outside Artifact Hub's list, maintainers without a valid email, unknown change kinds, and a
package with no readable ``design.yml`` beside it. Missing optional fields that make a package findable
(keywords, category, maintainers, logo, links, readme, install, provider) are warnings, and so are the
defects of real Meshery packages: a URL-encoded description, a broken ``##h4`` heading, a UUID as provider.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from meshdocs.checks.formats import is_rfc3339, license_problem
from meshdocs.diagnostics import Report
from meshdocs.loaders.files import DataDocument, DataError, load_data
from meshdocs.renderers.artifacthub import PACKAGE_FILE, REPO_FILE

CATEGORIES = (
    "ai-machine-learning",
    "database",
    "integration-delivery",
    "monitoring-logging",
    "networking",
    "security",
    "storage",
    "streaming-messaging",
    "skip-prediction",
)
CHANGE_KINDS = ("added", "changed", "deprecated", "removed", "fixed", "security")
PACKAGE_KEYS = {
    "version",
    "name",
    "alternativeName",
    "category",
    "displayName",
    "createdAt",
    "description",
    "logoPath",
    "logoURL",
    "digest",
    "license",
    "homeURL",
    "appVersion",
    "containersImages",
    "containsSecurityUpdates",
    "operator",
    "deprecated",
    "prerelease",
    "keywords",
    "links",
    "readme",
    "install",
    "changes",
    "maintainers",
    "provider",
    "ignore",
    "recommendations",
    "screenshots",
    "annotations",
}
REPO_KEYS = {"repositoryID", "owners", "ignore"}
REQUIRED = ("version", "name", "displayName", "createdAt", "description")
RECOMMENDED = ("keywords", "category", "maintainers", "license", "install", "provider")
BOOLEANS = ("containsSecurityUpdates", "operator", "deprecated", "prerelease")
_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z.-]+)?$"
)
_NAME = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URL_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}")
_BROKEN_HEADING = re.compile(r"(?m)^\s*(#{1,6})(?=[^#\s])(\S+)")


def lint_repository(root: Path, report: Report) -> int:
    """Lint ``root`` (a repository folder); returns the number of packages found."""
    if not root.is_dir():
        report.error(root, "not a folder: expected a repository with artifacthub-pkg.yml files")
        return 0
    repo = root / REPO_FILE
    if repo.is_file():
        _lint_repo_file(repo, report)
    else:
        report.warning(
            repo, "missing: owners and repositoryID enable ownership claims and verified publisher"
        )
    packages = sorted(root.rglob(PACKAGE_FILE))
    if not packages:
        report.error(root, f"no {PACKAGE_FILE} found: each package version needs one")
    for path in packages:
        lint_package(path, report)
    return len(packages)


def _lint_repo_file(path: Path, report: Report) -> None:
    doc = _load(path, report)
    if doc is None:
        return
    data = doc.data if isinstance(doc.data, dict) else None
    if data is None:
        if doc.data is not None:
            report.error(path, "expected a mapping of repository settings", line=1)
        return
    for key in sorted(set(data) - REPO_KEYS):
        report.error(
            path,
            f"unknown key; expected one of {', '.join(sorted(REPO_KEYS))}",
            line=doc.line_of((key,)),
            field=key,
        )
    repo_id = data.get("repositoryID")
    if repo_id is not None and not (isinstance(repo_id, str) and _UUID.match(repo_id)):
        report.error(
            path, f"{repo_id!r} is not a UUID", line=doc.line_of(("repositoryID",)), field="repositoryID"
        )
    _people(doc, "owners", report)


def lint_package(path: Path, report: Report) -> None:
    doc = _load(path, report)
    if doc is None:
        return
    if not isinstance(doc.data, dict):
        report.error(path, "expected a mapping of package metadata", line=1)
        return
    data = doc.data

    def line(*key: str | int) -> int | None:
        return doc.line_of(key)

    for key in sorted(set(data) - PACKAGE_KEYS):
        report.error(
            path,
            "unknown key (Artifact Hub's artifacthub-pkg.yml spec has no such field)",
            line=line(key),
            field=key,
        )
    for key in REQUIRED:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            where = line(key) or 1
            report.error(
                path,
                "is required (text)" if value is None else "must be non-empty text",
                line=where,
                field=key,
            )
    _format(path, data, "version", _SEMVER, "a SemVer 2 version, e.g. 1.2.0", line, report)
    _format(path, data, "name", _NAME, "only letters, digits and dashes (no spaces)", line, report)
    created = data.get("createdAt")
    if isinstance(created, str) and created.strip() and not is_rfc3339(created):
        report.error(
            path,
            f"'{created}' is not an RFC 3339 time, e.g. 2026-03-14T09:30:00Z",
            line=line("createdAt"),
            field="createdAt",
        )
    _alternative_name(path, data, line, report)
    category = data.get("category")
    if category is not None and category not in CATEGORIES:
        report.error(
            path,
            f"'{category}' is not one of {', '.join(CATEGORIES)}",
            line=line("category"),
            field="category",
        )
    for key in BOOLEANS:
        if key in data and not isinstance(data[key], bool):
            report.error(path, "must be true or false", line=line(key), field=key)
    _strings(path, data, "keywords", line, report)
    _license(path, data, line, report)
    _people(doc, "maintainers", report)
    _links(path, data, "links", line, report)
    _changes(path, data, line, report)
    _provider(path, data, line, report)
    _description(path, data, line, report)
    _markdown(path, data, line, report)
    _logo(path, data, line, report)
    _design(path, report)
    for key in RECOMMENDED:
        if key not in data:
            report.warning(
                path, "missing: it makes the package easier to find and trust on Artifact Hub", field=key
            )
    if "links" not in data and "homeURL" not in data:
        report.warning(path, "missing: link the design's page and file", field="links")
    if "readme" not in data and not (path.parent / "README.md").is_file():
        report.warning(path, "missing: add a readme or a README.md beside the file", field="readme")
    if "logoPath" not in data and "logoURL" not in data:
        report.warning(
            path, "missing: a logo (logoPath or logoURL) improves the package's visibility", field="logo"
        )


def _load(path: Path, report: Report) -> DataDocument | None:
    try:
        return load_data(path, with_lines=True, max_bytes=1024 * 1024)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None


def _format(
    path: Path,
    data: dict[str, Any],
    key: str,
    pattern: re.Pattern[str],
    wanted: str,
    line: Any,
    report: Report,
) -> None:
    value = data.get(key)
    if isinstance(value, str) and value.strip() and not pattern.match(value):
        report.error(path, f"'{value}' is not {wanted}", line=line(key), field=key)


def _alternative_name(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    alt, name = data.get("alternativeName"), data.get("name")
    if alt is None or not isinstance(name, str):
        return
    if not isinstance(alt, str) or not (alt.lower() in name.lower() or name.lower() in alt.lower()):
        report.error(
            path,
            f"'{alt}' must contain the name '{name}' or be contained in it",
            line=line("alternativeName"),
            field="alternativeName",
        )


def _strings(path: Path, data: dict[str, Any], key: str, line: Any, report: Report) -> None:
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        report.error(path, "must be a list of non-empty text", line=line(key), field=key)


def _license(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    value = data.get("license")
    if value is None:
        return
    problem = license_problem(value) if isinstance(value, str) else "must be an SPDX identifier"
    if problem:
        report.error(path, problem, line=line("license"), field="license")


def _people(doc: DataDocument, key: str, report: Report) -> None:
    data = doc.data
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        report.error(doc.path, "must be a list of {name, email}", line=doc.line_of((key,)), field=key)
        return
    for i, person in enumerate(value):
        where = doc.line_of((key, i))
        if not isinstance(person, dict):
            report.error(doc.path, "must be a mapping with name and email", line=where, field=f"{key}[{i}]")
            continue
        for extra in sorted(set(person) - {"name", "email"}):
            report.error(
                doc.path,
                "unknown key; expected name, email",
                line=doc.line_of((key, i, extra)),
                field=f"{key}[{i}].{extra}",
            )
        if not isinstance(person.get("name"), str) or not person["name"].strip():
            report.error(doc.path, "is required", line=where, field=f"{key}[{i}].name")
        email = person.get("email")
        if not isinstance(email, str) or not _EMAIL.match(email):
            message = "is required" if email is None else f"'{email}' is not an email address"
            report.error(doc.path, message, line=doc.line_of((key, i, "email")), field=f"{key}[{i}].email")


def _links(path: Path, data: dict[str, Any], key: str, line: Any, report: Report) -> None:
    value = data.get(key)
    if value is None:
        return
    if not isinstance(value, list):
        report.error(path, "must be a list of {name, url}", line=line(key), field=key)
        return
    for i, link in enumerate(value):
        if not isinstance(link, dict) or not link.get("name") or not link.get("url"):
            report.error(path, "each link needs a name and a url", line=line(key, i), field=f"{key}[{i}]")
            continue
        url = str(link["url"])
        if not url.startswith(("https://", "http://")):
            report.warning(
                path,
                f"'{url}' is relative: Artifact Hub shows it as a broken link; use an absolute URL",
                line=line(key, i, "url"),
                field=f"{key}[{i}].url",
            )


def _changes(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    value = data.get("changes")
    if value is None:
        return
    if not isinstance(value, list):
        report.error(path, "must be a list", line=line("changes"), field="changes")
        return
    for i, change in enumerate(value):
        if isinstance(change, str):
            continue  # plain descriptions are allowed
        if not isinstance(change, dict):
            report.error(
                path,
                "must be text or {kind, description, links}",
                line=line("changes", i),
                field=f"changes[{i}]",
            )
            continue
        kind = change.get("kind")
        if kind is not None and kind not in CHANGE_KINDS:
            report.error(
                path,
                f"'{kind}' is not one of {', '.join(CHANGE_KINDS)}",
                line=line("changes", i, "kind"),
                field=f"changes[{i}].kind",
            )
        if not isinstance(change.get("description"), str) or not change["description"].strip():
            report.error(path, "is required", line=line("changes", i), field=f"changes[{i}].description")
        _links(path, change, "links", lambda *k, i=i: line("changes", i, *k), report)


def _provider(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    value = data.get("provider")
    if value is None:
        return
    if not isinstance(value, dict) or not isinstance(value.get("name"), str):
        report.error(path, "must be {name: ...}", line=line("provider"), field="provider")
        return
    if _UUID.match(value["name"].strip()):
        report.warning(
            path,
            f"'{value['name']}' is a UUID, not a name people recognise",
            line=line("provider", "name"),
            field="provider.name",
        )


def _description(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    value = data.get("description")
    if isinstance(value, str) and len(_URL_ENCODED.findall(value)) >= 3 and " " not in value.strip():
        report.error(
            path,
            "is URL-encoded (%20 for spaces): Artifact Hub shows it as it is; decode it",
            line=line("description"),
            field="description",
        )


def _markdown(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    texts = [(key, data.get(key)) for key in ("readme", "install")]
    readme_file = path.parent / "README.md"
    if readme_file.is_file():
        texts.append(("README.md", readme_file.read_text(encoding="utf-8", errors="replace")))
    for key, text in texts:
        if not isinstance(text, str):
            continue
        fenced = False
        for number, row in enumerate(text.splitlines(), start=1):
            if row.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            match = None if fenced else _BROKEN_HEADING.match(row)
            if match:
                where = f"line {number} of {key}" if key != "README.md" else f"line {number} of README.md"
                report.warning(
                    path,
                    f"'{match.group(1)}{match.group(2)}' is not a Markdown heading ({where}): "
                    "put a space after the #",
                    line=line(key) if key != "README.md" else None,
                    field=key,
                )


def _logo(path: Path, data: dict[str, Any], line: Any, report: Report) -> None:
    logo = data.get("logoPath")
    if isinstance(logo, str) and not (path.parent / logo).is_file():
        report.error(
            path, f"'{logo}' does not exist beside the package file", line=line("logoPath"), field="logoPath"
        )


def _design(path: Path, report: Report) -> None:
    design = path.parent / "design.yml"
    if not design.is_file():
        report.error(
            design, "missing: a Meshery designs package needs its design.yml beside artifacthub-pkg.yml"
        )
        return
    try:
        doc = load_data(design, max_bytes=8 * 1024 * 1024)
    except DataError as exc:
        report.error(design, exc.message, line=exc.line)
        return
    if not isinstance(doc.data, dict):
        report.error(design, "expected a Meshery design (a mapping)", line=1)
