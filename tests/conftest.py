"""Shared fixtures: paths to the real data beside the repo, and sites built once per session.

Sites are built through the real CLI in a subprocess (MkDocs + Material, nothing mocked), into temporary
folders, never into the repo's own site_src/ or site/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
REGISTRY_2024 = SHARED / "registry-2024"
REGISTRY_2026 = SHARED / "registry-2026"
EMBEDDED_REGISTRY = REPO / "catalog" / "models"


def pytest_configure(config: pytest.Config) -> None:
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    assert SHARED.is_dir(), f"the real test data is expected beside the repo at {SHARED}"


@dataclass
class Built:
    """A finished build: where its docs dir and site are, and what the CLI said."""

    docs: Path
    site: Path
    returncode: int
    stdout: str
    stderr: str

    def page(self, url: str) -> str:
        """The HTML of the page at site-relative ``url`` (``models/x/``)."""
        path = self.site / url
        if url.endswith("/") or not url:
            path = path / "index.html"
        return path.read_text(encoding="utf-8")


def run_cli(*args: str | Path, cwd: Path = REPO, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """``python -m meshdocs ARGS`` as a user runs it; never raises on a non-zero exit."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "meshdocs", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write_config(tmp: Path, **overrides: object) -> Path:
    """A copy of the repo's mkdocs.yml with absolute paths, plus top-level ``overrides``."""
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    config["docs_dir"] = str(REPO / config["docs_dir"])
    if config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            opts = plugin["meshdocs"]
            opts["registry"] = [str(REPO / r) for r in opts["registry"]]
            for key in ("catalog", "content", "keys_file", "learning_paths"):
                if opts.get(key):
                    opts[key] = str(REPO / opts[key])
    config.update(overrides)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def build_site(tmp: Path, *registries: Path, extra: tuple[str, ...] = ()) -> Built:
    docs, site = tmp / "site_src", tmp / "site"
    args: list[str | Path] = ["build", "--docs-dir", docs, "--site-dir", site, *extra]
    for registry in registries:
        args += ["--registry", registry]
    if registries and "--catalog" not in extra:
        # The embedded catalog is written against the embedded registry; other registries get none.
        (tmp / "no-designs").mkdir(parents=True, exist_ok=True)
        args += ["--catalog", tmp / "no-designs"]
    proc = run_cli(*args)
    return Built(docs, site, proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def site_2024(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_site(tmp_path_factory.mktemp("r2024"), REGISTRY_2024)
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="session")
def site_2026(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_site(tmp_path_factory.mktemp("r2026"), REGISTRY_2026)
    assert built.returncode == 0, built.stderr
    return built


@pytest.fixture(scope="session")
def site_embedded(tmp_path_factory: pytest.TempPathFactory) -> Built:
    built = build_site(tmp_path_factory.mktemp("embedded"))
    assert built.returncode == 0, built.stderr
    return built


# The browser fixtures (tests/browser.py) for every browser test; imported last, as they use the above.
from .browser import browser, origin, page, playwright_instance, recorded  # noqa: E402, F401
