"""Hostile strings in registry data reach the site escaped, never live; templates are never evaluated."""

from __future__ import annotations

from pathlib import Path

import pytest

from meshdocs.renderers.environment import md_text
from meshdocs.titles import title_text

from .conftest import Built, build_site
from .hostile import write_hostile_registry
from .htmlcheck import live_markup


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("hostile")
    built = build_site(tmp, write_hostile_registry(tmp / "registry"))
    assert built.returncode == 0, built.stderr
    return built


def generated_html(built: Built) -> list[Path]:
    return [
        p for p in built.site.rglob("*.html") if "/models/" in p.as_posix() or "/registry/" in p.as_posix()
    ]


def test_no_hostile_markup_is_live_in_any_page(hostile_site: Built) -> None:
    pages = generated_html(hostile_site)
    assert len(pages) >= 5
    for page in pages:
        assert live_markup(page.read_text()) == [], page


def test_hostile_text_is_shown_escaped(hostile_site: Built) -> None:
    model_page = next(
        p
        for p in generated_html(hostile_site)
        if p.as_posix().endswith("models/evil-script-alert-1-script/index.html")
    )
    text = model_page.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert (
        "&lt;div onclick=&#39;x&#39;&gt;raw html block&lt;/div&gt;" in text
        or "&lt;div onclick='x'&gt;" in text
    )


def test_template_syntax_is_printed_not_evaluated(hostile_site: Built) -> None:
    texts = "".join(p.read_text() for p in generated_html(hostile_site))
    assert "{{ 7 * 191 }}" in texts
    assert "1337" not in texts
    assert "{% if true %}" in texts


def test_paths_cannot_climb_out_of_the_site(hostile_site: Built) -> None:
    root = hostile_site.site.resolve()
    for path in hostile_site.site.rglob("*"):
        assert path.resolve().is_relative_to(root)
    assert not (hostile_site.site.parent / "etc").exists()
    kinds = [p.name for p in (hostile_site.site / "models").glob("*/components/*")]
    assert kinds == ["kind-script-alert-1-script"]


def test_icons_are_sanitized_files(hostile_site: Built) -> None:
    icons = list((hostile_site.site / "assets" / "icons").glob("*.svg"))
    assert icons
    for icon in icons:
        text = icon.read_text()
        assert "<path" in text
        for bad in ("script", "onload", "javascript:", "foreignObject", "evil.example", "<a "):
            assert bad not in text


def test_checker_sees_live_markup() -> None:
    """The checker itself must flag what it is there to flag."""
    assert live_markup('<p><img src=x onerror="alert(2)"><a href=" JavaScript:alert(1)">x</a></p>') == [
        "<img onerror=…>",
        "<img src=x>",
        "<a href=' JavaScript:alert(1)'>",
    ]
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=</p>") == []


def test_unsafe_colours_never_reach_style_attributes(hostile_site: Built) -> None:
    texts = "".join(p.read_text() for p in generated_html(hostile_site))
    assert "background:url(http://evil" not in texts


def test_titles_are_safe_where_material_prints_them_raw_or_unescaped() -> None:
    title = title_text('Evil <script>alert(1)</script> & "q" &lt;x&gt;')
    assert "<" not in title and ">" not in title
    import markupsafe

    assert "<" not in markupsafe.Markup(title).striptags()


def test_md_text_neutralises_markdown_and_html() -> None:
    import markdown

    out = markdown.markdown(
        "# " + md_text("[x](javascript:alert(1)) *b* <i>t</i> {: onclick=x }"),
        extensions=["attr_list", "toc"],
    )
    assert (
        "<a" not in out
        and "<em>" not in out
        and "<i>" not in out
        and "onclick=" not in out.replace("onclick=x", "")
    )
