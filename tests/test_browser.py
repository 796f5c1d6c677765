"""The built embedded site in a real browser: Debian's Chromium driven by Playwright.

The site is served from a local ``http.server`` on 127.0.0.1; every test checks that the page logs no
console errors and that no request leaves the local server. Screenshots go to tests/artifacts/.
Chromium comes from the distribution (``/usr/bin/chromium``, installed by ``make system-deps``);
Playwright never downloads a browser here.
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from .browser import Recorded, assert_local, quiz_answers, quiz_page, screenshot
from .conftest import Built


def test_home_page_renders_without_errors_or_remote_requests(
    page: Page, origin: str, recorded: Recorded
) -> None:
    page.goto(origin + "/", wait_until="networkidle")
    expect(page).to_have_title("Home - Meshery Model Registry")
    assert "Meshery Model Registry" in page.title()
    expect(page.locator("article h1").first).to_contain_text("Meshery Model Registry")
    screenshot(page, "home.png")
    assert recorded.errors == []
    assert_local(recorded, origin)


def test_sidebar_leads_from_home_to_a_component_page(page: Page, origin: str) -> None:
    page.goto(origin + "/", wait_until="domcontentloaded")
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Registry").first.click()
    page.wait_for_url("**/registry/")
    page.locator("article a[href$='models/kubernetes/']").first.click()
    page.wait_for_url("**/models/kubernetes/")
    page.locator("article a[href$='components/deployment/']").first.click()
    page.wait_for_url("**/models/kubernetes/components/deployment/")
    assert page.url.endswith("models/kubernetes/components/deployment/")
    expect(page.locator("article h1").first).to_contain_text("Deployment")
    replicas = page.locator("td code", has_text="spec.replicas").first
    expect(replicas).to_be_visible()
    expect(replicas.locator("b")).to_have_text("replicas")
    screenshot(page, "component-deployment.png")


def test_search_finds_a_component_by_kind(
    page: Page, origin: str, site_embedded: Built, recorded: Recorded
) -> None:
    """Pagefind in Material's header box: the component is the first result, fetched in chunks (well under
    500 KB and 1 s), and Material's one-file search_index.json is never downloaded."""
    assert (site_embedded.site / "models" / "keda" / "components" / "scaledobject" / "index.html").is_file()
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
    page.goto(origin + "/", wait_until="networkidle")
    search = page.locator("input.md-search__input")
    if not search.is_visible():
        page.locator("label[for='__search']:visible").first.click()
    search.click()
    expect(search).to_be_focused()
    search.press_sequentially("ScaledObject", delay=20)
    typed = time.perf_counter()
    first = page.locator(".md-search-result__item a").first
    expect(first).to_have_attribute("href", re.compile(r"models/keda/components/scaledobject/$"))
    seconds = time.perf_counter() - typed
    expect(first.locator("h1")).to_have_text("Scaled Object")
    screenshot(page, "search-scaledobject.png")
    assert seconds < 1.0, seconds
    assert 0 < sum(sizes.values()) < 500_000, sizes
    assert not [url for url in recorded.requests if "search_index" in url]


def _shown(designs: int, models: int, total: int) -> str:
    """The filter bar's count line, as catalog.js words it."""
    design_word = "design" if designs == 1 else "designs"
    model_word = "model" if models == 1 else "models"
    return f"{designs} {design_word} and {models} {model_word} shown, of {total}"


def test_catalog_type_filter_narrows_the_cards(page: Page, origin: str) -> None:
    page.goto(origin + "/catalog/", wait_until="domcontentloaded")
    cards = page.locator(".mdx-card")
    visible = page.locator(".mdx-card:visible")
    count = page.locator("[data-mdx-count]")
    total = cards.count()
    designs = page.locator(".mdx-card[data-kind='design']").count()
    models = page.locator(".mdx-card[data-kind='model']").count()
    assert designs > 1 and models > 1 and designs + models == total
    expect(visible).to_have_count(total)
    expect(count).to_have_text(_shown(designs, models, total))

    page.locator("select[data-mdx-filter=type]").select_option("Security")
    security = page.locator(".mdx-card[data-type='Security']").count()
    assert 0 < security < designs
    expect(visible).to_have_count(security)
    types = visible.evaluate_all("cards => cards.map(card => card.getAttribute('data-type'))")
    assert set(types) == {"Security"}
    expect(count).to_have_text(_shown(security, 0, total))
    screenshot(page, "catalog-security.png")


def test_catalog_kind_and_technology_filters_work_from_the_keyboard(page: Page, origin: str) -> None:
    """Tab into the native selects and choose with the arrow keys and type-ahead; no mouse."""
    page.goto(origin + "/catalog/", wait_until="domcontentloaded")
    bar = page.locator("[data-mdx-filters]")
    expect(bar).to_be_visible()
    visible = page.locator(".mdx-card:visible")
    count = page.locator("[data-mdx-count]")
    total = page.locator(".mdx-card").count()
    models = page.locator(".mdx-card[data-kind='model']").count()
    kind = bar.locator("select[data-mdx-filter=kind]")
    tech = bar.locator("select[data-mdx-filter=technology]")

    page.locator(".mdx-lead a").last.focus()  # the last link before the filter bar
    page.keyboard.press("Tab")
    expect(kind).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(kind).to_have_value("model")
    expect(visible).to_have_count(models)
    assert set(visible.evaluate_all("cards => cards.map(c => c.dataset.kind)")) == {"model"}
    expect(count).to_have_text(_shown(0, models, total))

    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(tech).to_be_focused()
    page.keyboard.type("istio")
    expect(tech).to_have_value("istio")
    expect(visible).to_have_count(1)
    expect(visible.first.locator(".mdx-card__title")).to_have_text("Istio")
    screenshot(page, "catalog-model-istio.png")

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(kind).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(kind).to_have_value("design")
    istio_designs = page.locator(".mdx-card[data-kind='design'][data-technologies*='istio']").count()
    assert istio_designs > 1
    expect(visible).to_have_count(istio_designs)
    expect(count).to_have_text(_shown(istio_designs, 0, total))
    visible.first.locator(".mdx-card__title a").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/istio-*/")


def test_quiz_passes_with_correct_answers_and_fails_with_wrong_ones(
    page: Page, origin: str, site_embedded: Built
) -> None:
    url, source = quiz_page(site_embedded.site)
    questions = quiz_answers(source)
    page.goto(f"{origin}/{url}", wait_until="domcontentloaded")
    form = page.locator("form[data-mdx-quiz]")
    expect(form).to_have_attribute("data-ready", "1")
    fieldsets = form.locator("fieldset.mdx-question")
    assert fieldsets.count() == len(questions)

    for i in range(fieldsets.count()):
        fieldset = fieldsets.nth(i)
        question = questions[fieldset.get_attribute("data-id") or ""]
        if question["type"] == "short-answer":
            fieldset.locator("input[type=text]").fill(str(question["correctAnswer"]))
            continue
        for option in question["options"]:  # type: ignore[attr-defined]
            if option.get("isCorrect"):
                fieldset.locator(f"input[value='{option['id']}']").check()
    form.locator("[type=submit]").click()
    result = form.locator("[data-mdx-result]")
    expect(result).to_contain_text("passed")
    assert "not passed" not in result.inner_text()
    expect(form.locator(".mdx-question--wrong")).to_have_count(0)
    screenshot(page, "quiz-passed.png")

    page.reload(wait_until="domcontentloaded")
    expect(form).to_have_attribute("data-ready", "1")
    for i in range(fieldsets.count()):
        fieldset = fieldsets.nth(i)
        question = questions[fieldset.get_attribute("data-id") or ""]
        if question["type"] == "short-answer":
            fieldset.locator("input[type=text]").fill("definitely not the answer")
            continue
        wrong = [o for o in question["options"] if not o.get("isCorrect")]  # type: ignore[attr-defined]
        if wrong:
            fieldset.locator(f"input[value='{wrong[0]['id']}']").check()
    form.locator("[type=submit]").click()
    expect(result).to_contain_text("not passed")
    expect(form.locator(".mdx-question--right")).to_have_count(0)
    screenshot(page, "quiz-not-passed.png")


def test_a_topology_box_leads_to_its_component_page(page: Page, origin: str) -> None:
    page.goto(origin + "/catalog/microservice-shop/", wait_until="networkidle")
    picture = page.locator(".mdx-topology svg").first
    expect(picture).to_be_visible()
    expect(picture.locator(".mdx-topo-legend")).to_be_attached()
    box = picture.locator("a.mdx-topo-link[href*='components/deployment/']").first
    box.scroll_into_view_if_needed()
    screenshot(page, "design-topology.png")
    box.click()
    page.wait_for_url("**/models/kubernetes/components/deployment/")
    expect(page.locator("article h1").first).to_contain_text("Deployment")


def test_the_version_selector_and_banner_move_between_versions(page: Page, origin: str) -> None:
    page.goto(origin + "/models/cert-manager/components/certificate/", wait_until="domcontentloaded")
    selector = page.locator("nav.mdx-version-selector")
    expect(selector.locator("[aria-current='page']")).to_contain_text("v1.15.1")
    selector.locator("a", has_text="v1.14.5").click()
    page.wait_for_url("**/models/cert-manager/v1.14.5/components/certificate/")
    banner = page.locator(".mdx-old-version")
    expect(banner).to_contain_text("The newest is")
    screenshot(page, "older-version.png")
    banner.locator("a").click()
    page.wait_for_url("**/models/cert-manager/components/certificate/")
    expect(page.locator(".mdx-old-version")).to_have_count(0)
