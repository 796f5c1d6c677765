"""Hugo/Docsy shortcodes in academy pages become Material's own markup; raw delimiters never reach a page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report
from meshdocs.loaders.learning import load_learning_paths
from meshdocs.loaders.shortcodes import parse_shortcodes
from meshdocs.model.markup import Shortcode
from meshdocs.renderers.shortcodes import ShortcodeContext, body_html
from meshdocs.sanitize.html import sanitize_html

from .conftest import REPO, SHARED, Built, build_site, write_config
from .hostile import SCRIPT
from .htmlcheck import live_markup
from .test_learning import PATH_ID, write

ORG = "c5ada327-8a58-4c8a-b9fa-51b95696488c"
REAL_TREES = [
    SHARED / "learning-paths" / "meshery-academy" / "content" / "learning-paths",
    SHARED / "learning-paths" / "layer5-academy" / "content" / "learning-paths",
]


def html(text: str, org: str = "") -> str:
    parsed = parse_shortcodes(text)
    return str(sanitize_html(body_html(parsed.segments, ShortcodeContext(org_id=org))))


def test_shortcodes_pair_by_name_and_keep_parameters() -> None:
    parsed = parse_shortcodes('a {{< alert color="warning" title="Mind" >}}inside{{< /alert >}} b')
    assert parsed.problems == []
    [before, code, after] = parsed.segments
    assert isinstance(code, Shortcode) and code.name == "alert" and code.inner == ("inside",)
    assert code.param("color") == "warning" and code.param("title") == "Mind"
    assert (before, after) == ("a ", " b")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{% pageinfo %}}Read me first.{{% /pageinfo %}}", '<div class="admonition info"><p>Read me first.'),
        (
            '{{< alert color="warning" title="Careful" >}}Hot{{< /alert >}}',
            '<div class="admonition warning"><p class="admonition-title">Careful</p><p>Hot</p></div>',
        ),
        (
            '{{< card header="Pods" >}}Smallest unit{{< /card >}}',
            '<div class="grid"><div class="card"><p><strong>Pods</strong></p><p>Smallest unit</p></div>',
        ),
        (
            '{{< details summary="More" >}}Hidden{{< /details >}}',
            "<details><summary>More</summary><p>Hidden</p></details>",
        ),
        ("Your org is {{< org-id >}}.", f"<p>Your org is {ORG}.</p>"),
        (
            '{{< meshery-design-embed id="embedded-design-1234-abcd" >}}',
            'href="https://cloud.layer5.io/catalog/content/design/1234-abcd"',
        ),
        ("{{< youtube dQw4w9WgXcQ >}}", 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"'),
        ("{{< chapterstyle >}}Kept text{{< /chapterstyle >}}", "<p>Kept text</p>"),
        ("{{< unheard-of >}}Still shown{{< /unheard-of >}}", "<p>Still shown</p>"),
        ("Show {{</* card */>}} literally", "Show {{&lt; card &gt;}} literally"),
    ],
)
def test_each_common_shortcode_becomes_material_markup(text: str, expected: str) -> None:
    assert expected in html(text, ORG)


def test_tabpane_becomes_a_material_tabbed_set() -> None:
    out = html(
        '{{< tabpane >}}{{< tab header="Linux" >}}apt{{< /tab >}}'
        '{{< tab header="macOS" lang="bash" >}}brew install x{{< /tab >}}{{< /tabpane >}}'
    )
    assert '<div class="tabbed-set tabbed-alternate">' in out
    assert re.findall(r'<input[^>]*id="(mdx-tab-1-\d)"', out) == ["mdx-tab-1-1", "mdx-tab-1-2"]
    assert '<label for="mdx-tab-1-1">Linux</label><label for="mdx-tab-1-2">macOS</label>' in out
    assert '<pre><code class="language-bash">brew install x</code></pre>' in out


def test_problems_are_reported_and_no_delimiter_survives() -> None:
    parsed = parse_shortcodes("{{< unheard-of >}}x{{< /unheard-of >}} {{< /never-opened >}} {{< broken")
    assert [severity for severity, _ in parsed.problems] == ["warning", "warning", "notice"]
    out = html("{{< unheard-of >}}x{{< /unheard-of >}} {{< /never-opened >}} {{< broken")
    assert "{{<" not in out and "{{%" not in out and ">}}" not in out


def test_shortcode_parameters_are_escaped_and_hostile_links_dropped() -> None:
    out = html(
        f'{{{{< alert title="{SCRIPT}" >}}}}x{{{{< /alert >}}}}'
        '{{< card header="c" link="javascript:alert(1)" >}}y{{< /card >}}'
        '{{< meshery-design-embed id="x" host="https://evil.example/x?y=" >}}'
    )
    assert "<script" not in out and "javascript:" not in out and "evil.example" not in out


def test_learning_pages_report_shortcode_problems_with_their_field(tmp_path: Path) -> None:
    root = tmp_path / "lp"
    write(root, "p/_index.md", f'type: learning-path\ntitle: "P"\ndescription: "d"\nid: "{PATH_ID}"')
    write(root, "p/a.md", 'type: page\ntitle: "A"', "{{< tabs >}} never closed {{< oops")
    report = Report(root=root)
    load_learning_paths(root, report)
    assert [d.format() for d in report.sorted()] == [
        "p/a.md: warning: body: a shortcode opened with '{{<' or '{{%' is never closed; shown as text"
    ]


@pytest.fixture(scope="module")
def shortcode_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("shortcodes")
    root = tmp / "lp"
    write(
        root,
        f"{ORG}/p/_index.md",
        f'type: learning-path\ntitle: "P"\ndescription: "d"\nid: "{PATH_ID}"',
        "{{% pageinfo %}}Welcome to {{< org-id >}}.{{% /pageinfo %}}\n",
    )
    write(
        root,
        f"{ORG}/p/draft.md",
        'type: page\ntitle: "Draft"\ndraft: true',
        '{{< alert title="Soon" >}}Coming{{< /alert >}} '
        "{{< cardpane >}}{{< card >}}a{{< /card >}}{{< /cardpane >}}",
    )
    plugin = {
        "meshdocs": {
            "registry": [str(REPO / "catalog" / "models")],
            "content": str(REPO / "content"),
            "learning_paths": str(root),
            "learning_paths_drafts": True,
        }
    }
    config = write_config(tmp, plugins=["search", plugin])
    built = build_site(tmp, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    return built


def test_drafts_previewed_show_shortcodes_rendered(shortcode_site: Built) -> None:
    overview = shortcode_site.page("learning-paths/p/")
    assert f'<div class="admonition info"><p>Welcome to {ORG}.</p></div>' in overview
    draft = shortcode_site.page("learning-paths/p/draft/")
    assert '<p class="admonition-title">Soon</p>' in draft and '<div class="card">' in draft
    for page in (shortcode_site.site / "learning-paths").rglob("index.html"):
        text = page.read_text()
        assert "{{&lt;" not in text and "{{<" not in text and "{{%" not in text, page
        assert live_markup(text) == [], page


@pytest.mark.parametrize("tree", REAL_TREES, ids=["meshery-academy", "layer5-academy"])
def test_real_trees_load_without_errors_and_every_page_parses(tree: Path) -> None:
    report = Report()
    paths = load_learning_paths(tree, report, include_drafts=True)
    assert report.errors == 0, [d.format() for d in report.sorted()]
    nodes = [n for p in paths for n in p.walk()]
    pages = [p for p in tree.rglob("*.md") if p.name != "_index.md" or p.parent != tree]
    assert len(nodes) == len(pages)
    for node in nodes:
        out = str(body_html(node.segments, ShortcodeContext(org_id=node.org_id)))
        assert "{{<" not in out and "{{%" not in out, node.source
