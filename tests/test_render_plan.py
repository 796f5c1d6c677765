"""The render plan is pure bookkeeping, decided without MkDocs: what a build renders, and why."""

from __future__ import annotations

from pathlib import Path

from meshdocs.render_plan import RunRequest, build_fingerprint, plan_build
from meshdocs.writers.manifest import SiteManifest

DIGESTS = {"a/index.md": "1", "b/index.md": "2", "assets/x.css": "3"}


def test_without_an_earlier_site_everything_is_rendered() -> None:
    plan = plan_build(RunRequest(jobs=2), "f", DIGESTS)
    assert plan.selected is None and not plan.incremental
    assert plan.reason == "full build (no earlier site)" and plan.jobs == 2


def test_full_is_full_even_when_an_update_would_do(tmp_path: Path) -> None:
    previous = SiteManifest("f", dict(DIGESTS))
    plan = plan_build(RunRequest(previous=previous, previous_site=tmp_path, full=True), "f", DIGESTS)
    assert plan.selected is None and plan.reason == "full build (--full)"


def test_a_changed_fingerprint_renders_everything(tmp_path: Path) -> None:
    previous = SiteManifest("old", dict(DIGESTS))
    plan = plan_build(RunRequest(previous=previous, previous_site=tmp_path), "new", DIGESTS)
    assert plan.selected is None
    assert plan.reason.startswith("full build (nav, pages, config")


def test_the_same_fingerprint_renders_only_changed_and_new_files(tmp_path: Path) -> None:
    previous = SiteManifest("f", {"a/index.md": "1", "b/index.md": "old", "gone/index.md": "9"})
    now = {**DIGESTS, "new/index.md": "4"}
    plan = plan_build(RunRequest(previous=previous, previous_site=tmp_path), "f", now)
    assert plan.selected == frozenset({"b/index.md", "assets/x.css", "new/index.md"})
    assert plan.previous_site == tmp_path
    assert plan.reason == "incremental (3 changed file(s))"


def test_the_fingerprint_covers_the_config_file_and_the_theme_folder(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: a\n")
    theme = tmp_path / "theme"
    (theme / "partials").mkdir(parents=True)
    (theme / "partials" / "footer.html").write_text("<footer>")
    first = build_fingerprint("nav", "code", str(config), str(theme))
    assert first == build_fingerprint("nav", "code", str(config), str(theme))
    (theme / "partials" / "footer.html").write_text("<footer>!")
    second = build_fingerprint("nav", "code", str(config), str(theme))
    config.write_text("site_name: b\n")
    third = build_fingerprint("nav", "code", str(config), str(theme))
    assert len({first, second, third}) == 3
