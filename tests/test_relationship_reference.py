"""Relationships in the reference: a picture per model, a registry-wide coverage page (and the same figures
in registry.json), and each component's "connects to" / "connected from" in words; built by MkDocs from
the real 2024 registry. And without Graphviz, a site still builds, saying so once."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

from .conftest import REPO, Built


def _resolves(site: Path, page_url: str, href: str) -> bool:
    target = urljoin(page_url, href).split("#", 1)[0]
    path = site / target
    return (path / "index.html").is_file() if target.endswith("/") else path.is_file()


def test_the_coverage_page_counts_kubernetes_kinds_in_relationships(site_2024: Built) -> None:
    figures = json.loads((site_2024.site / "registry.json").read_text())["coverage"]["kubernetes"]
    assert figures["kinds"] >= 50 and 0 < figures["kindsWithRelationships"] <= figures["kinds"]
    assert figures["percent"] == round(100 * figures["kindsWithRelationships"] / figures["kinds"], 1)
    assert "edge/non-binding/network" in figures["columns"]
    page = site_2024.page("registry/relationship-coverage/")
    assert f"<strong>{figures['percent']}%</strong>" in page
    table = page.split('class="mdx-table mdx-coverage-matrix"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == figures["kinds"] + 1  # a row per kind, and the header
    links = re.findall(r'href="([^"]+)"', table)
    assert links and all(_resolves(site_2024.site, "registry/relationship-coverage/", h) for h in links)
    deployment = figures["byKind"]["Deployment"]
    assert sum(deployment.values()) >= 2


def test_a_model_page_draws_which_kinds_its_relationships_connect(site_2024: Built) -> None:
    page = site_2024.page("models/kubernetes/")
    picture = re.search(
        r'<div class="mdx-topology mdx-relationship-picture">(<svg.*?</svg>)</div>', page, re.S
    )
    assert picture, "no relationship picture on the model page"
    svg = picture.group(1)
    assert 'role="group"' in svg and "<title>Relationships of Kubernetes</title>" in svg  # boxes are links
    assert "mdx-topo-legend" in svg and svg.count("mdx-topo-edge ") >= 10
    hrefs = re.findall(r'<a class="mdx-topo-link" href="([^"]+)"', svg)
    assert len(hrefs) >= 10 and all(_resolves(site_2024.site, "models/kubernetes/", h) for h in hrefs)
    plain = site_2024.page("models/akri/")  # no relationships: no picture
    assert "mdx-relationship-picture" not in plain


def test_a_component_page_says_what_it_connects_to_and_from_in_words(site_2024: Built) -> None:
    page = site_2024.page("models/kubernetes/components/deployment/")
    to = page.split('id="connects-to"', 1)[1].split("</table>", 1)[0]
    assert "HorizontalPodAutoscaler" in to and "configuration.spec.scaleTargetRef.name" in to
    came = page.split('id="connected-from"', 1)[1].split("</table>", 1)[0]
    assert "<td>" in came
    for href in re.findall(r'href="([^"]+)"', to + came):
        assert _resolves(site_2024.site, "models/kubernetes/components/deployment/", href), href


def _build_without_dot(tmp_path: Path, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    bare = tmp_path / "bin"
    bare.mkdir(exist_ok=True)
    env = {**os.environ, "PATH": str(bare), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "meshdocs", "build", *extra]
    command += ["--site-dir", str(tmp_path / name), "--docs-dir", str(tmp_path / f"{name}-docs")]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)


def test_without_graphviz_the_site_is_published_with_one_line_per_cause(tmp_path: Path) -> None:
    proc = _build_without_dot(tmp_path, "site")
    assert proc.returncode == 0, proc.stderr
    problems = [line for line in proc.stderr.splitlines() if ": warning: " in line]
    assert len(problems) == 2, problems  # design pictures, relationship pictures: one line each
    assert all("Graphviz is not installed" in line and "the rest is published" in line for line in problems)
    design = (tmp_path / "site" / "catalog" / "microservice-shop" / "index.html").read_text()
    assert "Graphviz was not available" in design and "<table>" in design
    assert not (tmp_path / "site" / "catalog" / "microservice-shop" / "topology.svg").exists()
    strict = _build_without_dot(tmp_path, "strict", "--strict")
    assert strict.returncode == 1  # a strict build does not publish a site missing its pictures
