"""The sidebar memo (meshdocs.theme_memo): every page's bytes are those of rendering every link anew."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from jinja2 import Environment

from meshdocs.theme_memo import ENV_SWITCH, ThemeMemo

from .conftest import REGISTRY_2024, Built, build_site


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.name != ".meshdocs-manifest.json"
    }


def _plain_build(tmp: Path, *registries: Path) -> Built:
    os.environ[ENV_SWITCH] = "0"
    try:
        built = build_site(tmp, *registries)
    finally:
        del os.environ[ENV_SWITCH]
    assert built.returncode == 0, built.stderr
    return built


def _assert_same_site(memo: Path, plain: Path) -> None:
    a, b = _digests(memo), _digests(plain)
    assert a.keys() == b.keys()
    differing = [path for path in a if a[path] != b[path]]
    assert not differing, differing[:10]
    kinds = {path.split("/", 1)[0] for path in a if path.endswith(".html")}
    assert len([p for p in a if p.endswith(".html")]) > 200 and len(kinds) > 5


def test_embedded_site_is_byte_identical_with_and_without_the_memo(
    site_embedded: Built, tmp_path: Path
) -> None:
    # Every page kind: registry, models, components, relationships, changes, catalog, designs, keys,
    # learning paths, hand-written pages, 404.
    _assert_same_site(site_embedded.site, _plain_build(tmp_path).site)


def test_real_registry_all_versions_is_byte_identical_with_and_without_the_memo(
    site_2024: Built, tmp_path: Path
) -> None:
    # Sections with more siblings than the sidebar's window, older versions, "what changed" pages.
    _assert_same_site(site_2024.site, _plain_build(tmp_path, REGISTRY_2024).site)


def test_the_build_reuses_sidebar_links(tmp_path: Path) -> None:
    built = build_site(tmp_path, REGISTRY_2024, extra=("--verbose", "--jobs", "1"))
    assert built.returncode == 0, built.stderr
    match = re.search(r"Sidebar: ([\d,]+) links rendered, ([\d,]+) reused", built.stderr)
    assert match, built.stderr[-2000:]
    rendered, reused = (int(g.replace(",", "")) for g in match.groups())
    assert reused > 5 * rendered > 0


Rendered = tuple[ThemeMemo, Callable[[object, str], str]]  # the memo, and html(item, page_url)

# The key: the same link seen from another folder, or from the page it points into, is rendered again.

TEMPLATE = '{% call mdx_memo("link", item, page, "c") %}<a href="{{ item.url | url }}">x</a>{% endcall %}'


@pytest.fixture
def render() -> Rendered:
    from mkdocs.utils.templates import url_filter

    memo = ThemeMemo()
    env = Environment()
    env.filters["url"] = url_filter
    env.globals["mdx_memo"] = memo.global_function()
    template = env.from_string(TEMPLATE)

    def html(item: object, page_url: str) -> str:
        page = SimpleNamespace(url=page_url)
        return template.render(item=item, page=page, base_url="")

    return memo, html


def test_a_sibling_in_the_same_folder_reuses_the_link(render: Rendered) -> None:
    memo, html = render
    item = SimpleNamespace(url="models/x/components/c/")
    assert html(item, "models/x/components/a/") == '<a href="../c/">x</a>'
    assert html(item, "models/x/components/b/") == '<a href="../c/">x</a>'
    assert (memo.misses, memo.hits) == (1, 1)


def test_another_folder_or_a_target_below_the_page_is_rendered_again(
    render: Rendered,
) -> None:
    memo, html = render
    item = SimpleNamespace(url="models/x/components/c/")
    assert html(item, "models/x/components/a/") == '<a href="../c/">x</a>'
    assert html(item, "models/y/components/a/") == '<a href="../../../x/components/c/">x</a>'
    assert html(item, "models/x/components/") == '<a href="c/">x</a>'
    assert html(item, "models/x/components/d/") == '<a href="../c/">x</a>'
    assert (memo.misses, memo.hits) == (3, 1)


def test_switched_off_or_reset_nothing_is_reused(render: Rendered) -> None:
    memo, html = render
    item = SimpleNamespace(url="a/")
    html(item, "b/")
    memo.reset(enabled=True)
    html(item, "b/")
    assert (memo.misses, memo.hits) == (1, 0)  # a new build's items may reuse an old build's ids
    memo.reset(enabled=False)
    html(item, "b/")
    html(item, "b/")
    assert (memo.misses, memo.hits) == (0, 0)
