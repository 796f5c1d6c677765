"""Pagefind indexes each page's article without its islands, kept beside the site, and never stale ones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from meshdocs.writers.search_sources import INCOMPLETE, STAMP, page_source, sources_dir
from tests.test_incremental import Project, _edit_component, assert_same_tree, rendered


def _page_count(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in entry["languages"].values())


def _indexed_pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if "data-pagefind-body" in p.read_text(encoding="utf-8")
    }


def test_sources_hold_each_indexed_page_without_islands(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.build()
    site, sources = tmp_path / "site", sources_dir(tmp_path / "site")
    assert (sources / STAMP).is_file()
    files = {p.relative_to(sources).as_posix() for p in sources.rglob("*.html")}
    assert files == _indexed_pages(site) and len(files) > 200
    assert _page_count(site) == len(files)
    component = next(p for p in sorted(files) if "/components/" in p and p.count("/") == 4)
    page, source = (site / component).read_text(), (sources / component).read_text()
    assert "data-search-exclude" in page and "data-search-exclude" not in source  # no islands
    assert "md-sidebar" in page and "md-sidebar" not in source  # no theme around the article
    assert source.count("<h1") == 1 and '<html lang="en"' in source
    assert len(source) * 4 < len(page)


def test_an_edit_updates_its_source_and_the_index_equals_a_full_builds(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.build()
    text, _section = _edit_component(tmp_path)
    said = project.build()
    assert rendered(said)[2].startswith("incremental"), said
    sources = sources_dir(tmp_path / "site")
    assert [p for p in sources.rglob("*.html") if text in p.read_text()]
    assert_same_tree(tmp_path / "site", project.fresh_full_build())  # pagefind/ included


def test_without_a_matching_stamp_every_page_is_rendered_again(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.build()
    site, sources = tmp_path / "site", sources_dir(tmp_path / "site")
    # As after a build that was killed while writing sources: no stamp, a source that was never published.
    (sources / STAMP).unlink()
    victim = next(iter(sorted(sources.rglob("*.html"))))
    victim.write_text("<html><body><article data-pagefind-body><h1>stale</h1></article></body></html>")
    _edit_component(tmp_path)
    said = project.build()
    assert "full build (the search index's sources are not this site's)" in said, said
    assert (sources / STAMP).is_file() and "stale" not in victim.read_text()
    assert_same_tree(site, project.fresh_full_build())
    assert "incremental" in rendered(project.build())[2]  # stamped again: the next one is incremental


def test_a_source_that_could_not_be_written_leaves_the_folder_unstamped(tmp_path: Path) -> None:
    project = Project(tmp_path)
    project.build()
    sources = sources_dir(tmp_path / "site")
    shutil.rmtree(sources)
    sources.write_text("a file where the folder should be")  # nothing can be written there
    project.build("site", "--full")
    assert _page_count(tmp_path / "site") > 200  # indexed from the pages instead
    sources.unlink()
    project.build("site", "--full")
    assert (sources / STAMP).is_file() and not (sources / INCOMPLETE).exists()


def test_page_source_keeps_language_title_and_article_only() -> None:
    html = (
        '<!doctype html><html lang="de" class="no-js"><head><title>T &amp; U</title><script>x</script>'
        '</head><body><nav>menu</nav><article class="md-content__inner md-typeset" data-pagefind-body>'
        "<h1>T</h1><p>words</p></article><footer>f</footer></body></html>"
    )
    source = page_source(html)
    assert source is not None
    assert '<html lang="de" class="no-js">' in source and "<title>T &amp; U</title>" in source
    assert "<p>words</p></article>" in source and "menu" not in source and "<script" not in source
    assert page_source(html.replace(" data-pagefind-body", "")) is None  # not indexed: no source
