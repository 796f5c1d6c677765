"""The same generation runs as an MkDocs plugin: plain `mkdocs build` with our plugin configured."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from meshdocs.model.site import NavNode
from meshdocs.plugin import mkdocs_nav

from .conftest import REGISTRY_2024, REPO


def write_content(root: Path) -> Path:
    pages = {
        "index.md": "---\ntitle: Start\n---\n# Start\n",
        "zeta.md": "---\nweight: 1\n---\n# Zeta comes first by weight\n",
        "alpha.md": "# Alpha\n",
        "beta.md": "# Beta\n",
        "guides/index.md": "---\ntitle: All guides\nweight: 5\n---\n# Guides\n",
        "guides/b.md": "# B guide\n",
        "guides/a.md": "# A guide\n",
    }
    for rel, text in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_mkdocs_build_runs_the_generation_through_the_plugin(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(REGISTRY_2024 / "akri", registry / "akri")
    content = write_content(tmp_path / "content")
    config = {
        "site_name": "Plugin test",
        "docs_dir": str(content),
        "theme": {
            "name": "material",
            "custom_dir": str(REPO / "overrides"),
            "font": False,
            "features": ["navigation.indexes", "navigation.prune"],
        },
        "plugins": [
            "search",
            {
                "meshdocs": {
                    "registry": [str(registry)],
                    "content": str(content),
                    "generated_dir": str(tmp_path / "gen"),
                }
            },
        ],
    }
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(config))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(cfg), "-d", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "gen" / "models" / "akri" / "index.md").is_file()
    assert (tmp_path / "site" / "models" / "akri" / "components" / "configuration" / "index.html").is_file()
    home = (tmp_path / "site" / "index.html").read_text()
    nav = home.split("md-nav--primary", 1)[1].split("md-sidebar--secondary", 1)[0]
    titles = [t.strip() for t in re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)]
    order = [
        t
        for t in titles
        if t in ("Start", "Zeta comes first by weight", "Alpha", "Beta", "All guides", "Registry")
    ]
    assert order == ["Start", "Zeta comes first by weight", "All guides", "Registry", "Alpha", "Beta"]
    guides = (tmp_path / "site" / "guides" / "index.html").read_text()
    assert guides.index("A guide") < guides.index("B guide")


def test_nav_titles_are_escaped_for_the_theme() -> None:
    nav = mkdocs_nav([NavNode("S <b>", "s/index.md", children=[NavNode('P & "q"', "s/p/index.md")])])
    assert nav == [{"S ‹b›": [{"S ‹b›": "s/index.md"}, {"P &amp; &quot;q&quot;": "s/p/index.md"}]}]


def test_the_build_fingerprint_changes_with_meshdocs_own_code() -> None:
    """A change to any of meshdocs' code (the islands, the page workers, not only the plugin module) can
    change every page's HTML, so it must make the next build a full one."""
    from meshdocs.build import DEFAULT_TEMPLATES, code_digest
    from meshdocs.render_plan import build_fingerprint

    config = str(REPO / "mkdocs.yml")
    code = code_digest(DEFAULT_TEMPLATES)
    assert build_fingerprint("nav", code, config, None) == build_fingerprint("nav", code, config, None)
    assert build_fingerprint("nav", code, config, None) != build_fingerprint("nav", code[::-1], config, None)
    assert build_fingerprint("nav", code, config, None) != build_fingerprint("nav2", code, config, None)
