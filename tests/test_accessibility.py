"""WCAG 2.1 AA on every page kind of the embedded site, checked as an outside auditor would.

Deque's axe-core (4.14, pinned by tests/axe/package-lock.json; ``make test`` installs it with npm) runs in
Debian's Chromium on one page of every kind, in the light and the dark scheme, and in the states a reader
puts pages in (search open, a quiz graded, catalog filters set, a "Get it" block open). Every rule axe
runs by default counts (WCAG 2.0/2.1 A and AA, and its best practices): the site has no violation of any
impact, and these tests keep it so. Keyboard-only walks go through the catalog filters, a quiz, the
picture's skip link and the version selector, and the focused element must always show a visible outline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .browser import Recorded, quiz_answers, quiz_page, recording_page, screenshot
from .conftest import REPO, Built

AXE = REPO / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
LESSON = "learning-paths/observability-with-prometheus-and-grafana/alerting-and-dashboards"
# One page of every kind the embedded site publishes (the build report's kinds and the pages around them).
PAGES = {
    "home": "",
    "content": "about/",
    "guide": "guides/reading-a-component-page/",
    "registry": "registry/",
    "category": "registry/provisioning/",
    "subcategory": "registry/provisioning/security-compliance/",
    "changelog": "registry/changelog/",
    "relationship-coverage": "registry/relationship-coverage/",
    "model": "models/istio/",
    "model-changes": "models/cert-manager/changes/",
    "component": "models/cert-manager/components/certificate/",
    "older-version": "models/cert-manager/v1.14.5/components/certificate/",
    "relationship": "models/istio/relationships/edge-non-binding-network-virtualservice-to-destinationrule/",
    "catalog": "catalog/",
    "design": "catalog/microservice-shop/",
    "design-coverage": "catalog/coverage/",
    "keys": "keys/",
    "keys-category": "keys/identity-access/",
    "keys-theme": "keys/identity-access/roles/",
    "learning-paths": "learning-paths/",
    "learning-path": "learning-paths/observability-with-prometheus-and-grafana/",
    "lesson": f"{LESSON}/grafana-dashboards/building-dashboards/",
    "quiz": f"{LESSON}/quiz/",
    "not-found": "404.html",
}
SCHEMES = {"light": "default", "dark": "slate"}  # emulated prefers-color-scheme → Material's scheme
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " :: " + (n.failureSummary || "").slice(0, 200))
  }));
}"""
_FOCUS_RING = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return "nothing is focused"; }
  const s = getComputedStyle(e);
  const width = parseFloat(s.outlineWidth) || 0;
  return s.outlineStyle !== "none" && width >= 1 ? "" : `${e.tagName} ${e.className} has no visible outline`;
}"""


@pytest.fixture(params=list(SCHEMES))
def scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def themed(browser: Browser, origin: str, scheme: str) -> Iterator[Page]:
    """A page in the light or dark scheme (as the reader's system asks), recording errors and requests."""
    assert AXE.is_file(), f"axe-core is missing at {AXE}: run `make test` (it runs npm ci in tests/axe)"
    yield from recording_page(browser, origin, Recorded(), "dark" if scheme == "dark" else "light")


def open_page(page: Page, origin: str, path: str, scheme: str) -> None:
    page.goto(f"{origin}/{path}", wait_until="networkidle")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    expect(page.locator("article h1").first).to_be_visible()


def open_quiz(page: Page, origin: str, site: Built, scheme: str) -> tuple[Locator, Locator, dict[str, Any]]:
    """The embedded site's first quiz, ready: its form, its questions' fieldsets, and the answers."""
    url, source = quiz_page(site.site)
    open_page(page, origin, url, scheme)
    form = page.locator("form[data-mdx-quiz]")
    expect(form).to_have_attribute("data-ready", "1")
    return form, form.locator("fieldset.mdx-question"), quiz_answers(source)


def violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(_AXE_RUN)
    return found


def report(found: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']:>8} {v['id']}: {v['help']}\n" + "\n".join(f"           {n}" for n in v["nodes"])
        for v in found
    )


def focus_ring(page: Page) -> None:
    problem = page.evaluate(_FOCUS_RING)
    assert problem == "", problem


# -- every page kind, light and dark ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_kind_has_no_axe_violation(
    themed: Page, origin: str, site_embedded: Built, scheme: str, kind: str
) -> None:
    path = PAGES[kind]
    built = site_embedded.site / (path if path.endswith(".html") else path + "index.html")
    assert built.is_file(), f"the embedded site has no {kind} page at {path}"
    open_page(themed, origin, path, scheme)
    found = violations(themed)
    assert found == [], f"{kind} ({scheme}) /{path}:\n{report(found)}"


PHONE_KINDS = ["component", "design", "keys-theme", "model-changes", "relationship", "model"]


@pytest.mark.parametrize("kind", PHONE_KINDS)
def test_wide_tables_on_a_phone_have_no_axe_violation(
    themed: Page, origin: str, scheme: str, kind: str
) -> None:
    """On a phone, field and key tables scroll sideways inside their boxes: each such box must be reachable
    by keyboard to scroll (scrollable-region-focusable), and the drawer navigation must pass too."""
    themed.set_viewport_size({"width": 390, "height": 844})
    open_page(themed, origin, PAGES[kind], scheme)
    scrolling = themed.evaluate(
        """() => [...document.querySelectorAll(".md-typeset__scrollwrap")]
            .filter(b => b.scrollWidth > b.clientWidth + 1).length"""
    )
    assert scrolling > 0, f"no table scrolls sideways on {kind} at 390 px: the test would prove nothing"
    found = violations(themed)
    assert found == [], report(found)


# -- pages in the states readers put them in ----------------------------------------------------------


def test_search_with_results_has_no_axe_violation(themed: Page, origin: str, scheme: str) -> None:
    open_page(themed, origin, "", scheme)
    themed.keyboard.press("/")  # Material's shortcut: keyboard only
    search = themed.locator("input.md-search__input")
    expect(search).to_be_focused()
    search.press_sequentially("certificate", delay=10)
    expect(themed.locator(".md-search-result__item").first).to_be_visible()
    found = violations(themed)
    assert found == [], report(found)


def test_graded_quizzes_have_no_axe_violation(
    themed: Page, origin: str, site_embedded: Built, scheme: str
) -> None:
    """Right and wrong answers are marked in colour and in words; both contrast in both schemes."""
    form, fieldsets, questions = open_quiz(themed, origin, site_embedded, scheme)
    for i in range(fieldsets.count()):  # the first half right, the rest wrong
        fieldset = fieldsets.nth(i)
        question = questions[fieldset.get_attribute("data-id") or ""]
        right = i < fieldsets.count() // 2
        if question["type"] == "short-answer":
            fieldset.locator("input[type=text]").fill(str(question["correctAnswer"]) if right else "no")
            continue
        options = [o for o in question["options"] if bool(o.get("isCorrect")) == right]
        if options:
            fieldset.locator(f"input[value='{options[0]['id']}']").check()
    form.locator("[type=submit]").click()
    expect(form.locator(".mdx-question--wrong").first).to_be_visible()
    expect(form.locator(".mdx-question--right").first).to_be_visible()
    screenshot(themed, f"quiz-graded-{scheme}.png")
    found = violations(themed)
    assert found == [], report(found)


def test_filtered_catalog_with_an_open_block_has_no_axe_violation(
    themed: Page, origin: str, scheme: str
) -> None:
    open_page(themed, origin, "catalog/", scheme)
    themed.locator("select[data-mdx-filter=kind]").select_option("model")
    themed.locator(".mdx-card:visible details.mdx-get summary").first.click()
    expect(themed.locator(".mdx-card:visible details.mdx-get[open]")).to_have_count(1)
    found = violations(themed)
    assert found == [], report(found)


# -- the keyboard alone -------------------------------------------------------------------------------


def test_a_quiz_is_answered_and_graded_with_the_keyboard_alone(
    themed: Page, origin: str, site_embedded: Built, scheme: str
) -> None:
    """Tab into each question, choose with Space and the arrow keys, type short answers, submit with Enter;
    every stop shows a focus outline."""
    form, fieldsets, questions = open_quiz(themed, origin, site_embedded, scheme)
    form.evaluate("f => { f.tabIndex = -1; f.focus(); }")  # start just before the first question
    for i in range(fieldsets.count()):
        fieldset = fieldsets.nth(i)
        question = questions[fieldset.get_attribute("data-id") or ""]
        inputs = fieldset.locator("input")
        if question["type"] == "short-answer":
            themed.keyboard.press("Tab")
            expect(inputs.first).to_be_focused()
            focus_ring(themed)
            themed.keyboard.type(str(question["correctAnswer"]))
            continue
        ids = [inputs.nth(k).get_attribute("value") for k in range(inputs.count())]
        correct = [ids.index(o["id"]) for o in question["options"] if o.get("isCorrect")]
        if inputs.first.get_attribute("type") == "radio":  # one tab stop; arrows move and choose
            themed.keyboard.press("Tab")
            expect(inputs.first).to_be_focused()
            focus_ring(themed)
            themed.keyboard.press("Space")
            for _ in range(correct[0]):
                themed.keyboard.press("ArrowDown")
            expect(inputs.nth(correct[0])).to_be_checked()
        else:  # a tab stop per box; Space ticks
            for k in range(inputs.count()):
                themed.keyboard.press("Tab")
                expect(inputs.nth(k)).to_be_focused()
                focus_ring(themed)
                if k in correct:
                    themed.keyboard.press("Space")
            for k in range(inputs.count()):
                (
                    expect(inputs.nth(k)).to_be_checked
                    if k in correct
                    else expect(inputs.nth(k)).not_to_be_checked
                )()
    themed.keyboard.press("Tab")
    expect(form.locator("[type=submit]")).to_be_focused()
    focus_ring(themed)
    themed.keyboard.press("Enter")
    result = form.locator("[data-mdx-result]")
    expect(result).to_contain_text("passed")
    assert "not passed" not in result.inner_text()


def test_catalog_filters_show_focus_and_work_from_the_keyboard(
    themed: Page, origin: str, scheme: str
) -> None:
    open_page(themed, origin, "catalog/", scheme)
    kind = themed.locator("select[data-mdx-filter=kind]")
    themed.locator(".mdx-lead a").last.focus()
    themed.keyboard.press("Tab")
    expect(kind).to_be_focused()
    focus_ring(themed)
    themed.keyboard.press("ArrowDown")
    expect(kind).to_have_value("design")
    themed.keyboard.press("Tab")
    expect(themed.locator("select[data-mdx-filter=type]")).to_be_focused()
    focus_ring(themed)
    themed.keyboard.press("ArrowDown")
    chosen = themed.locator("select[data-mdx-filter=type]").input_value()
    expect(themed.locator(".mdx-card:visible")).to_have_count(
        themed.locator(f".mdx-card[data-kind='design'][data-type='{chosen}']").count()
    )


def test_the_pictures_links_can_be_skipped_to_the_tables(themed: Page, origin: str, scheme: str) -> None:
    """A design's picture holds a link per box; one key press passes them all, to the same as text."""
    open_page(themed, origin, "catalog/microservice-shop/", scheme)
    skip = themed.locator("a.mdx-skip")
    expect(skip).to_have_count(1)
    themed.locator("#topology .headerlink").focus()  # the heading's permalink, the stop before
    themed.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # shown once focused
    focus_ring(themed)
    themed.keyboard.press("Enter")
    expect(themed).to_have_url(re.compile(r"#components$"))
    themed.keyboard.press("Tab")  # the next stop comes after the picture, past every box
    after = themed.evaluate(
        """() => {
      const svg = document.querySelector(".mdx-topology svg"), at = document.activeElement;
      return !svg.contains(at) && !!(svg.compareDocumentPosition(at) & Node.DOCUMENT_POSITION_FOLLOWING);
    }"""
    )
    assert after, "Tab after the skip link should land past the picture"


def test_the_version_selector_works_from_the_keyboard(themed: Page, origin: str, scheme: str) -> None:
    open_page(themed, origin, "models/cert-manager/components/certificate/", scheme)
    older = themed.locator("nav.mdx-version-selector a", has_text="v1.14.5")
    older.focus()
    focus_ring(themed)
    themed.keyboard.press("Enter")
    themed.wait_for_url("**/models/cert-manager/v1.14.5/components/certificate/")
    banner_link = themed.locator(".mdx-old-version a")
    banner_link.focus()
    focus_ring(themed)
    themed.keyboard.press("Enter")
    themed.wait_for_url("**/models/cert-manager/components/certificate/")


def test_sidebar_links_lead_on_with_the_keyboard(themed: Page, origin: str, scheme: str) -> None:
    """The windowed sidebar's links are reached by keyboard, show focus, and lead on with Enter."""
    open_page(themed, origin, "models/istio/components/gateway/", scheme)
    links = themed.locator(".md-sidebar--primary nav[aria-label] a.md-nav__link:visible")
    assert links.count() > 3
    link = links.nth(1)
    link.focus()
    focus_ring(themed)
    target = urljoin(themed.url, link.get_attribute("href") or "")
    assert target != themed.url
    themed.keyboard.press("Enter")
    themed.wait_for_url(target)


# -- pictures have text alternatives --------------------------------------------------------------------


def test_every_picture_is_named_described_and_has_its_text_beside_it(site_embedded: Built) -> None:
    """Topology and relationship SVGs: a title, a description and a role (a group when boxes are links,
    whose content an image would hide); a picture of links is preceded by a link past it to its tables."""
    pictures = 0
    for html in sorted(site_embedded.site.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        for match in re.finditer(r"<svg [^>]*class=\"mdx-topo\"[^>]*>.*?</svg>", text, re.S):
            svg, pictures = match.group(0), pictures + 1
            opening = svg[: svg.index(">") + 1]
            assert re.search(r'aria-label="[^"]+"', opening), (html, opening)
            assert re.search(r"<title>[^<]+</title><desc>[^<]+</desc>", svg), html
            links = "<a " in svg
            assert f'role="{"group" if links else "img"}"' in opening, (html, opening)
            if links and html.name == "index.html":
                before = text[: match.start()]
                assert 'class="mdx-skip"' in before[-400:], f"{html}: no skip link before the picture"
                target = re.search(r'class="mdx-skip" href="#([^"]+)"', before[-400:])
                assert target and f'id="{target.group(1)}"' in text[match.end() :], html
    assert pictures >= 20
