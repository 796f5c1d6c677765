"""The wheel, installed into a fresh venv outside the checkout, is all a user needs.

Built as a user's ``pip install`` builds it (sdist first, then the wheel from the sdist, in an isolated
environment), installed with its dependencies into a new venv in a temporary folder, and run from
folders that have nothing of this repository: ``meshdocs new`` + ``build``, a scratch MkDocs project of
one's own with the plugin, an empty folder with only a registry, and the pre-commit hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from .conftest import REGISTRY_2024, REPO
from .oci_registry import Registry, registry  # noqa: F401  (fixture)


@dataclass(frozen=True)
class Installed:
    venv: Path
    wheel: Path
    sdist: Path

    def run(
        self, *args: str | Path, cwd: Path, check: bool = True, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": f"{self.venv / 'bin'}:/usr/bin:/bin",
            "HOME": str(cwd),
            "LANG": "C.UTF-8",
            "NO_MKDOCS_2_WARNING": "1",
            **(env or {}),
        }
        proc = subprocess.run(
            [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
        )
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("wheel")
    dist = root / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = dist.glob("meshdocs-*.whl")
    [sdist] = dist.glob("meshdocs-*.tar.gz")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, timeout=900)
    return Installed(venv, wheel, sdist)


def test_the_wheel_holds_the_package_and_its_data_under_one_name(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.startswith("meshdocs-")}
    assert tops == {"meshdocs"}
    for needed in (
        "meshdocs/data/mkdocs.yml",
        "meshdocs/data/templates/design.md.j2",
        "meshdocs/data/templates/assets/meshdocs.css",
        "meshdocs/data/overrides/partials/nav-item.html",
        "meshdocs/data/overrides/sitemap.xml",
        "meshdocs/data/catalog/models/kubernetes/v1.30.2/v1.0.0/model.json",
        "meshdocs/data/content/index.md",
        "meshdocs/data/scaffold/dot-github/workflows/catalog.yml",
        "meshdocs/schemas/design.schema.json",
        "meshdocs/py.typed",
    ):
        assert needed in names, needed
    entry_points = zipfile.ZipFile(installed.wheel).read("meshdocs-0.1.0.dist-info/entry_points.txt")
    assert b"meshdocs = meshdocs.cli:main" in entry_points
    assert b"meshdocs = meshdocs.plugin:MeshdocsPlugin" in entry_points


def test_nothing_is_importable_as_generator_and_python_m_meshdocs_runs(
    installed: Installed, tmp_path: Path
) -> None:
    python = installed.venv / "bin" / "python"
    proc = installed.run(python, "-c", "import generator", cwd=tmp_path, check=False)
    assert proc.returncode == 1 and "No module named 'generator'" in proc.stderr
    assert "Usage" in installed.run(python, "-m", "meshdocs", "--help", cwd=tmp_path).stdout


def test_new_then_build_makes_a_site_from_the_embedded_registry(installed: Installed, tmp_path: Path) -> None:
    installed.run("meshdocs", "new", "my-catalog", cwd=tmp_path)
    project = tmp_path / "my-catalog"
    assert (project / ".github" / "workflows" / "catalog.yml").is_file()
    assert (project / ".pre-commit-config.yaml").is_file()
    proc = installed.run("meshdocs", "build", cwd=project)
    assert "with 0 error(s), 0 warning(s)" in proc.stderr
    site = project / "site"
    assert (site / "catalog" / "web-front-end-hpa" / "index.html").is_file()
    assert (site / "models" / "kubernetes" / "index.html").is_file()
    assert "My Meshery catalog" in (site / "index.html").read_text()
    refused = installed.run("meshdocs", "new", "my-catalog", cwd=tmp_path, check=False)
    assert refused.returncode == 1 and "is not empty" in refused.stderr


def test_an_empty_folder_builds_a_registry_of_ones_own(installed: Installed, tmp_path: Path) -> None:
    shutil.copytree(REGISTRY_2024 / "akri", tmp_path / "models" / "akri")
    work = tmp_path / "work"
    work.mkdir()
    proc = installed.run("meshdocs", "build", "--registry", tmp_path / "models", cwd=work)
    assert (work / "site" / "models" / "akri" / "index.html").is_file(), proc.stderr
    assert (work / "site_src").is_dir()  # outputs in the working folder, never inside the package
    assert list((installed.venv / "lib").glob("python*/site-packages/meshdocs/data/site*")) == []


def _scratch_project(root: Path, nav: list[object] | None, theme: str = "material") -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Our platform\n\nWelcome.\n")
    (root / "docs" / "runbook.md").write_text("# Runbook\n\nWhat to do at night.\n")
    config: dict[str, object] = {
        "site_name": "Our platform",
        "site_url": "https://platform.example.org/",
        "theme": {"name": theme},
        "plugins": ["search", {"meshdocs": {"catalog": "nothing-here"}}],
    }
    if nav is not None:
        config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root


def _top_nav(page: str) -> list[str]:
    primary = page[page.find("md-nav--primary") :]
    return re.findall(r'md-ellipsis">\s*([^<]+?)\s*<', primary)


def test_the_plugin_in_a_site_of_ones_own_keeps_its_pages_and_nav(
    installed: Installed, tmp_path: Path
) -> None:
    nav = [{"Home": "index.md"}, "@meshdocs", {"Runbook": "runbook.md"}]
    project = _scratch_project(tmp_path / "own", nav)
    installed.run("mkdocs", "build", "--strict", cwd=project)
    home = (project / "site" / "index.html").read_text()
    assert "Welcome." in home
    titles = _top_nav(home)
    assert titles.index("Home") < titles.index("Registry") < titles.index("Runbook")
    assert (project / "site" / "runbook" / "index.html").is_file()
    assert (project / "site" / "models" / "kubernetes" / "index.html").is_file()
    sitemap = (project / "site" / "sitemap.xml").read_text()  # our theme folder's, without a 1970 date
    assert "<loc>https://platform.example.org/runbook/</loc>" in sitemap and "<lastmod>" not in sitemap


def test_without_a_placeholder_the_generated_sections_follow_the_sites_own(
    installed: Installed, tmp_path: Path
) -> None:
    project = _scratch_project(tmp_path / "own", [{"Home": "index.md"}, {"Runbook": "runbook.md"}])
    installed.run("mkdocs", "build", "--strict", cwd=project)
    titles = _top_nav((project / "site" / "index.html").read_text())
    assert titles.index("Runbook") < titles.index("Registry")


def test_another_theme_gets_one_line_naming_what_is_required(installed: Installed, tmp_path: Path) -> None:
    project = _scratch_project(tmp_path / "own", None, theme="mkdocs")
    proc = installed.run("mkdocs", "build", cwd=project, check=False)
    assert proc.returncode == 1
    assert (
        "meshdocs needs the Material for MkDocs theme (theme: {name: material}); this site uses 'mkdocs'"
        in (proc.stderr)
    )
    assert "Traceback" not in proc.stderr


def test_the_pre_commit_hook_runs_in_a_repository_without_models(
    installed: Installed, tmp_path: Path
) -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    installed.run("meshdocs", "new", "repo", cwd=tmp_path)
    repo = tmp_path / "repo"
    assert not (repo / "catalog" / "models").exists()
    command = [*hook["entry"].split(), *hook["args"]]
    assert installed.run(*command, cwd=repo).returncode == 0
    design = repo / "catalog" / "designs" / "web-front-end-hpa" / "design.yml"
    design.write_text(design.read_text().replace("kind: Deployment", "kind: Deploymnet", 1))
    proc = installed.run(*command, cwd=repo, check=False)
    assert proc.returncode == 1 and "did you mean 'Deployment'?" in proc.stdout


def test_the_sdist_carries_what_the_wheel_is_built_from(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as archive:
        names = archive.getnames()
    for needed in ("templates/design.md.j2", "overrides/sitemap.xml", "catalog/models", "content/index.md"):
        assert any(n.endswith(needed) or f"/{needed}/" in n for n in names), needed
    assert os.path.basename(str(installed.sdist)).startswith("meshdocs-0.1.0")


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except (OSError, ValueError):
        return None


def _seconds_until(url: str, text: str, limit: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        page = _page(url)
        if page is not None and text in page:
            return time.monotonic() - start
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not show at {url} within {limit} s")


def test_serve_shows_an_edited_design_or_registry_file_in_seconds(
    installed: Installed, tmp_path: Path
) -> None:
    """`meshdocs serve` in a scaffold whose registry is its own: each edit is timed from save to served."""
    installed.run("meshdocs", "new", "proj", cwd=tmp_path)
    project = tmp_path / "proj"
    data = next((installed.venv / "lib").glob("python*/site-packages/meshdocs/data"))
    shutil.copytree(data / "catalog" / "models", project / "models")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("# registry: [catalog/models]", "registry: [models]"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        "PATH": f"{installed.venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(project),
        "NO_MKDOCS_2_WARNING": "1",
    }
    server = subprocess.Popen(
        [str(installed.venv / "bin" / "meshdocs"), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        design_url = base + "catalog/web-front-end-hpa/"
        _seconds_until(design_url, "web-front-end", 120)
        entry_url = base + "pagefind/pagefind-entry.json"
        _seconds_until(entry_url, "page_count", 60)  # the search index follows the first build
        entry = _page(entry_url)
        timings = {}
        meta = project / "catalog" / "designs" / "web-front-end-hpa" / "catalog.yml"
        text = meta.read_text()
        meta.write_text(text.replace("description: >-\n", "description: >-\n  Edited-design-4711.\n", 1))
        timings["design"] = _seconds_until(design_url, "Edited-design-4711", 30)
        component = next(project.glob("models/kubernetes/*/v1.0.0/components/ConfigMap.json"))
        component.write_text(
            component.read_text().replace("Holds plain", "Edited-registry-4711 holds plain", 1)
        )
        timings["registry"] = _seconds_until(
            base + "models/kubernetes/components/configmap/", "Edited-registry-4711", 30
        )
        # Search catches up in the background: a new index replaces the old one, whole.
        deadline = time.monotonic() + 60
        while _page(entry_url) in (entry, None) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _page(entry_url) not in (entry, None), "the search index was not rebuilt after the edits"
    finally:
        server.terminate()
        server.wait(timeout=30)
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "serve-timings.json").write_text(json.dumps(timings, indent=1) + "\n")
    # About 1-1.5 s on the embedded-size site (the goal is 2 s; the ceiling leaves room for a busy machine).
    assert max(timings.values()) < 3.0, timings


def test_signing_works_from_the_wheel(
    installed: Installed,
    registry: Registry,  # noqa: F811
    tmp_path: Path,
) -> None:
    """cryptography and PyNaCl come with the wheel: keygen, push --sign and pull --verify run installed."""
    password = {"MESHDOCS_SIGNING_PASSWORD": "wheel-test"}
    installed.run("meshdocs", "oci", "keygen", "--out", tmp_path / "keys", cwd=tmp_path, env=password)
    ref = registry.ref("wheel/signed-design", "1")
    design = REPO / "catalog" / "designs" / "web-front-end-hpa"
    key, pub = tmp_path / "keys" / "cosign.key", tmp_path / "keys" / "cosign.pub"
    installed.run(
        "meshdocs", "oci", "push", design, ref, "--plain-http", "--sign", key, cwd=tmp_path, env=password
    )
    installed.run(
        "meshdocs",
        "oci",
        "pull",
        ref,
        "--out",
        tmp_path / "out",
        "--plain-http",
        "--verify",
        pub,
        cwd=tmp_path,
    )
    assert (tmp_path / "out" / "design.yml").read_bytes() == (design / "design.yml").read_bytes()
