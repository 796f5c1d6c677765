"""Incremental and parallel builds: a changed input always shows up, an unchanged build rewrites nothing,
and whatever a build reuses or splits across processes, its site is byte-identical to a fresh full build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.conftest import REGISTRY_2024, REPO, run_cli, write_config

SOURCES = {
    "models": REPO / "catalog" / "models",
    "designs": REPO / "catalog" / "designs",
    "learning": REPO / "content" / "learning-paths",
}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_same_tree(a: Path, b: Path) -> None:
    left, right = tree(a), tree(b)
    assert sorted(left) == sorted(right), set(left) ^ set(right)
    differ = [path for path in left if left[path] != right[path]]
    assert differ == [], f"{len(differ)} file(s) differ, e.g. {differ[:5]}"


class Project:
    """Copies of the embedded registry, catalog and learning paths, built like a user builds them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for name, source in SOURCES.items():
            shutil.copytree(source, root / name)

    def build(self, name: str = "site", *extra: str) -> str:
        if name == "site":  # the published site this build replaces: the baseline of its changelog
            shutil.rmtree(self.root / "before", ignore_errors=True)
            if (self.root / "site").is_dir():
                shutil.copytree(self.root / "site", self.root / "before", symlinks=True)
        proc = run_cli(
            "build",
            "--registry",
            self.root / "models",
            "--catalog",
            self.root / "designs",
            "--learning-paths",
            self.root / "learning",
            "--site-dir",
            self.root / name,
            "--docs-dir",
            self.root / f"{name}-docs",
            *extra,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stderr

    def fresh_full_build(self) -> Path:
        """The same inputs rendered in full, over the same published site (the changelog's baseline, the
        one thing a build takes from the site it replaces): what every incremental build must equal."""
        shutil.rmtree(self.root / "fresh", ignore_errors=True)
        shutil.rmtree(self.root / "fresh-docs", ignore_errors=True)
        if (self.root / "before").is_dir():
            shutil.copytree(self.root / "before", self.root / "fresh", symlinks=True)
        said = self.build("fresh", "--full")
        assert "full build (" in said, said
        return self.root / "fresh"


def rendered(said: str) -> tuple[int, int, str]:
    match = re.search(r"^Rendered ([\d,]+) of ([\d,]+) pages: (.*)$", said, re.M)
    assert match, said
    return int(match.group(1).replace(",", "")), int(match.group(2).replace(",", "")), match.group(3)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("incremental"))
    project.build()
    return project


def _stat(root: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_an_unchanged_rebuild_renders_nothing_and_rewrites_nothing(built: Project) -> None:
    site, docs = built.root / "site", built.root / "site-docs"
    before_site, before_docs, before_bytes = _stat(site), _stat(docs), tree(site)
    said = built.build()
    count, total, plan = rendered(said)
    assert (count, plan) == (0, "incremental (0 changed file(s))"), said
    assert total > 200
    assert _stat(docs) == before_docs, "the generator rewrote docs files whose content did not change"
    assert tree(site) == before_bytes
    after = _stat(site)
    pages = [p for p in before_site if p.startswith("models/") and p.endswith("index.html")]
    assert pages and all(after[p][0] == before_site[p][0] for p in pages), "pages were re-rendered"
    # Nothing it wrote differs from the published site, so that site stays as it was: not swapped, not
    # one file replaced (its search index and manifest included).
    assert after == before_site


def _edit_component(root: Path) -> tuple[str, str]:
    path = sorted((root / "models").glob("*/*/v1.0.0/components/*.json"))[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["description"] = (data.get("description") or "") + " Edited-by-the-incremental-test."
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return "Edited-by-the-incremental-test.", "models/"


def _edit_design(root: Path) -> tuple[str, str]:
    readme = sorted((root / "designs").glob("*/README.md"))[0]
    readme.write_text(readme.read_text(encoding="utf-8") + "\n\nRevised-design-notes.\n", encoding="utf-8")
    return "Revised-design-notes.", "catalog/"


def _edit_lesson(root: Path) -> tuple[str, str]:
    pages = [
        p
        for p in sorted((root / "learning").rglob("*.md"))
        if p.name != "_index.md" and re.search(r"^type:\s*\W?page", p.read_text(encoding="utf-8"), re.M)
    ]
    lesson = pages[0]
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n\nA-new-lesson-paragraph.\n", encoding="utf-8")
    return "A-new-lesson-paragraph.", "learning-paths/"


@pytest.mark.parametrize(
    "edit", [_edit_component, _edit_design, _edit_lesson], ids=["component", "design", "learning-page"]
)
def test_a_changed_input_is_republished_alone_and_equals_a_full_build(
    tmp_path: Path, edit: Callable[[Path], tuple[str, str]]
) -> None:
    project = Project(tmp_path)
    project.build()
    text, section = edit(tmp_path)
    said = project.build()
    count, total, plan = rendered(said)
    assert plan.startswith("incremental"), said
    assert 1 <= count <= 3, f"{count} of {total} pages re-rendered for one change: {said}"
    hits = [p for p in (tmp_path / "site").rglob("*.html") if text in p.read_text(encoding="utf-8")]
    assert hits and all(p.relative_to(tmp_path / "site").as_posix().startswith(section) for p in hits)
    assert_same_tree(tmp_path / "site", project.fresh_full_build())


def _add_component(root: Path) -> None:
    source = sorted((root / "models").glob("*/*/v1.0.0/components/*.json"))[0]
    data = json.loads(source.read_text(encoding="utf-8"))
    data["component"]["kind"] = "IncrementalTestKind"
    data["displayName"] = "Incremental Test Kind"
    (source.parent / "IncrementalTestKind.json").write_text(json.dumps(data, indent=2), encoding="utf-8")


def _retitle_lesson(root: Path) -> None:
    lesson = sorted(p for p in (root / "learning").rglob("*.md") if p.name != "_index.md")[0]
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(re.sub(r"^title:.*$", "title: A retitled page", text, count=1, flags=re.M), "utf-8")


@pytest.mark.parametrize("edit", [_add_component, _retitle_lesson], ids=["new-page", "new-title"])
def test_a_nav_change_rebuilds_every_page(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    project = Project(tmp_path)
    project.build()
    edit(tmp_path)
    count, total, plan = rendered(project.build())
    assert plan.startswith("full build (nav"), plan
    assert count == total
    assert_same_tree(tmp_path / "site", project.fresh_full_build())


def test_full_flag_and_an_untrustworthy_manifest_rebuild_everything(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.build()
    count, total, plan = rendered(project.build("site", "--full"))
    assert (count, plan) == (total, "full build (--full)")
    (tmp_path / "site" / ".meshdocs-manifest.json").write_text("{not json", encoding="utf-8")
    count, total, plan = rendered(project.build())
    assert (count, plan) == (total, "full build (no earlier site)")
    assert_same_tree(tmp_path / "site", project.fresh_full_build())


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_a_damaged_generated_file_is_written_again(tmp_path: Path, damage: str) -> None:
    """A component page is reused only while its file is whole (as a crash mid-write would not leave it)."""
    project = Project(tmp_path)
    project.build()
    docs = tmp_path / "site-docs"
    page = sorted(docs.glob("models/*/components/*/index.md"))[0]
    whole = page.read_bytes()
    if damage == "deleted":
        page.unlink()
    else:
        page.write_bytes(whole[: len(whole) // 2])
    project.build()
    assert page.read_bytes() == whole
    assert_same_tree(tmp_path / "site", project.fresh_full_build())


def test_a_parallel_build_is_byte_identical_to_a_one_process_build(tmp_path: Path) -> None:
    """Registry-2024 has enough pages for two workers; their search entries are merged in page order.

    With Material's search plugin, as a site that keeps ``- search`` has it (the shipped one does not).
    """
    config_file = write_config(tmp_path)
    config = yaml.safe_load(config_file.read_text())
    config_file.write_text(yaml.safe_dump({**config, "plugins": ["search", *config["plugins"]]}))
    results = {}
    for jobs in ("1", "2"):
        proc = run_cli(
            "build",
            "--config-file",
            config_file,
            "--registry",
            REGISTRY_2024,
            "--jobs",
            jobs,
            "--site-dir",
            tmp_path / f"site-{jobs}",
            "--docs-dir",
            tmp_path / f"docs-{jobs}",
        )
        assert proc.returncode == 0, proc.stderr
        results[jobs] = proc.stderr
    assert_same_tree(tmp_path / "site-1", tmp_path / "site-2")
    index = json.loads((tmp_path / "site-2" / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert len(locations) > 1000, "the workers' search entries are missing from the index"


def test_a_failing_worker_fails_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    """A page that breaks the theme in a worker process: one-line failure, the last good site intact."""
    shutil.copytree(REGISTRY_2024, tmp_path / "registry", symlinks=False)
    site, docs = tmp_path / "site", tmp_path / "docs"
    ok = run_cli("build", "--registry", tmp_path / "registry", "--site-dir", site, "--docs-dir", docs)
    assert ok.returncode == 0, ok.stderr
    before = tree(site)
    custom = tmp_path / "overrides" / "partials"
    custom.mkdir(parents=True)
    # Breaks only on component pages, which every worker renders some of.
    (custom / "content.html").write_text(
        '{% if "/components/" in page.url %}{{ page.no_such_attribute.fails }}{% endif %}{{ page.content }}',
        encoding="utf-8",
    )
    import yaml

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text())
    config["docs_dir"] = str(REPO / "content")
    config["theme"]["custom_dir"] = str(tmp_path / "overrides")
    shutil.copytree(REPO / "overrides", tmp_path / "overrides", dirs_exist_ok=True)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "meshdocs" in plugin:
            plugin["meshdocs"] = {"registry": [str(tmp_path / "registry")], "catalog": "", "content": ""}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    proc = run_cli("build", "-f", tmp_path / "mkdocs.yml", "--full", "--site-dir", site, "--docs-dir", docs)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".meshdocs-staging-")]
    assert os.listdir(site)


def test_anchor_links_across_workers_are_validated_once(tmp_path: Path) -> None:
    """Pages rendered in different processes still have their anchor links checked, each warning once."""
    content = tmp_path / "content"
    shutil.copytree(REPO / "content", content)
    target = "models/kubevault-operator/components/vaultserver/index.md"
    for n in range(4):  # shares are dealt round-robin: some of these land in another process than the target
        (content / f"anchors-{n}.md").write_text(
            f"# Anchors {n}\n\n[a field]({target}#f-spec.authMethods), "
            f"[a typo]({target}#f-spec.no-such-{n})\n",
            encoding="utf-8",
        )
    proc = run_cli(
        "build", "--registry", REGISTRY_2024, "--content", content, "--jobs", "2",
        "--site-dir", tmp_path / "site", "--docs-dir", tmp_path / "docs",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for n in range(4):
        assert proc.stderr.count(f"Doc file 'anchors-{n}.md' contains a link") == 1, proc.stderr
        assert f"does not contain an anchor '#f-spec.no-such-{n}'" in proc.stderr
    assert "f-spec.authMethods'" not in proc.stderr


def test_a_rebuild_reports_the_same_problems_as_the_first_build(tmp_path: Path) -> None:
    """Schemas and icons checked by an earlier build are not checked again, but their problems are not
    forgotten: a broken schema and a rejected icon are reported on every build."""
    project = Project(tmp_path)
    components = sorted((tmp_path / "models").glob("*/*/v1.0.0/components/*.json"))
    broken, iconic = components[0], components[1]
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["component"]["schema"] = "{ not json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    data = json.loads(iconic.read_text(encoding="utf-8"))
    data.setdefault("styles", {})["svgColor"] = "<html><script>alert(1)</script></html>"
    iconic.write_text(json.dumps(data), encoding="utf-8")

    def problems(said: str) -> list[str]:
        return sorted(line for line in said.splitlines() if broken.name in line or iconic.name in line)

    first = problems(project.build())
    assert any("schema is not valid JSON" in line for line in first), first
    assert any("icon dropped" in line for line in first), first
    again = project.build()
    assert rendered(again)[0] == 0
    assert problems(again) == first
