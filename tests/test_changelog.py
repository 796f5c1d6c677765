"""The registry changelog across builds: an entry per build that changed the registry, an Atom feed, and
nothing new (byte for byte) on a rebuild of the same input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.transforms.changelog import changelog_entry, digest_index, history

from .conftest import REGISTRY_2024, REPO

ATOM = "{http://www.w3.org/2005/Atom}"


def _build(registry: Path, site: Path, epoch: int) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(epoch)}
    (site.parent / "no-designs").mkdir(exist_ok=True)
    command = [sys.executable, "-m", "meshdocs", "build", "--registry", str(registry)]
    command += ["--catalog", str(site.parent / "no-designs"), "--site-dir", str(site)]
    command += ["--docs-dir", str(site.parent / "docs"), "--strict"]
    proc = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr


def _drop_first_field(component: Path) -> str:
    data = json.loads(component.read_text())
    schema = json.loads(data["component"]["schema"])
    fields = schema["properties"]["spec"]["properties"]
    gone = next(iter(fields))
    del fields[gone]
    data["component"]["schema"] = json.dumps(schema)
    component.write_text(json.dumps(data))
    return gone


def test_changes_are_recorded_build_by_build_with_a_feed(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    for name in ("akri", "argo-cd", "kubearmor"):
        shutil.copytree(REGISTRY_2024 / name, registry / name)
    site = tmp_path / "site"
    _build(registry, site, 1764547200)  # 2025-12-01: the first publication records nothing
    assert json.loads((site / "changelog.json").read_text())["entries"] == []
    assert "No changes recorded yet" in (site / "registry" / "changelog" / "index.html").read_text()

    shutil.rmtree(registry / "kubearmor")
    shutil.copytree(REGISTRY_2024 / "dapr", registry / "dapr")
    _build(registry, site, 1764633600)  # 2025-12-02
    [entry] = json.loads((site / "changelog.json").read_text())["entries"]
    assert entry["date"] == "2025-12-02"
    assert entry["modelsAdded"] == [{"name": "dapr", "version": "1.14.2-rc.1"}]
    assert [m["name"] for m in entry["modelsRemoved"]] == ["kubearmor"] and entry["breaking"] == 1

    before = {name: (site / name).read_bytes() for name in ("changelog.json", "changelog.xml")}
    _build(registry, site, 1764720000)  # nothing changed: nothing added, not even a date
    assert {name: (site / name).read_bytes() for name in before} == before

    component = next(registry.glob("akri/*/v1.0.0/components/Configuration.json"))
    _drop_first_field(component)
    _build(registry, site, 1764806400)  # 2025-12-04
    entries = json.loads((site / "changelog.json").read_text())["entries"]
    assert [e["date"] for e in entries] == ["2025-12-04", "2025-12-02"]  # newest first, history kept
    assert entries[0]["modelsUpdated"][0]["componentsUpdated"] == [
        {
            "component": "Configuration akri.sh/v0",
            "breaking": None,
        }  # the old schema is gone: "schema changed"
    ]
    feed = ET.fromstring((site / "changelog.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed" and feed.findtext(f"{ATOM}updated") == "2025-12-04T00:00:00Z"
    ids = [e.findtext(f"{ATOM}id") for e in feed.iter(f"{ATOM}entry")]
    assert len(ids) == 2 and len(set(ids)) == 2
    page = (site / "registry" / "changelog" / "index.html").read_text()
    assert "2025-12-02" in page and "kubearmor" in page and "Atom feed" in page


def test_an_update_with_the_old_version_still_published_counts_its_breaking_changes() -> None:
    registry = load_registry([REGISTRY_2024], Report(), LoadOptions(all_versions=True))
    index = digest_index(registry)
    older = registry.older["kubearmor"][0]
    index["models"]["kubearmor"] = {
        "version": older.version,
        "components": {f"{c.kind} {c.api_version}": c.schema_digest for c in older.components},
        "relationships": [],
    }
    entry = changelog_entry(index, registry, "2026-01-01")
    [update] = [m for m in entry.models_updated if m["name"] == "kubearmor"]
    assert update["from"] == "v1.2.1" and update["to"] == "v1.4.1"
    assert update["componentsAdded"] == ["KubeArmorClusterPolicy security.kubearmor.com/v1"]
    assert all(u["breaking"] == 0 for u in update["componentsUpdated"])  # compared, and found compatible
    assert history({"entries": []}, entry)[0]["id"] == entry.to_data()["id"]
    assert changelog_entry(digest_index(registry), registry, "2026-01-01").empty
