"""HTML islands: cut out of the Markdown before the engine sees it, put back unchanged in the page."""

from __future__ import annotations

import markdown

from meshdocs.islands import CLOSE, OPEN, cut_islands, island_ids, restore_islands

TABLE = '<div class="t">\n<table data-search-exclude>\n<tr id="f-spec.a"><td>a</td></tr>\n</table>\n</div>'
PAGE = f"# Title\n\nSome *text*.\n\n{OPEN}\n{TABLE}\n{CLOSE}\n\n## After\n\n{OPEN}\n<pre>x</pre>\n{CLOSE}\n"


def test_islands_survive_a_markdown_round_trip_byte_for_byte() -> None:
    text, islands = cut_islands(PAGE)
    assert islands == [TABLE, "<pre>x</pre>"]
    assert "<table" not in text and "<pre>" not in text
    html = restore_islands(markdown.markdown(text), islands)
    assert TABLE in html and "<pre>x</pre>" in html
    assert "<em>text</em>" in html and '<h2 id="after">After</h2>' in markdown.markdown(
        text, extensions=["toc"]
    )
    assert "meshdocs:island" not in html


def test_a_page_without_islands_is_left_alone() -> None:
    assert cut_islands("# Plain\n\ntext\n") == ("# Plain\n\ntext\n", [])
    assert restore_islands("<p>x</p>", []) == "<p>x</p>"


def test_an_unclosed_fence_is_left_to_the_engine() -> None:
    text, islands = cut_islands(f"a\n\n{OPEN}\n<div>open</div>\n")
    assert islands == [] and "<div>open</div>" in text


def test_placeholders_with_unknown_numbers_are_not_touched() -> None:
    assert restore_islands("<!--meshdocs:island:7-->", ["x"]) == "<!--meshdocs:island:7-->"


def test_anchors_inside_islands_are_reported() -> None:
    _text, islands = cut_islands(PAGE)
    assert island_ids(islands) == {"f-spec.a"}


def test_escaped_text_cannot_forge_a_placeholder() -> None:
    """Registry text reaches the page escaped, so it can never spell the placeholder comment."""
    from meshdocs.renderers.environment import text

    forged = str(text("<!--meshdocs:island:0-->"))
    assert restore_islands(f"<p>{forged}</p>", ["<script>alert(1)</script>"]) == f"<p>{forged}</p>"
