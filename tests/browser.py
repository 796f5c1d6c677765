"""What the browser tests share: the embedded site served on 127.0.0.1 and Debian's Chromium.

The site is served from a local ``http.server``; every page fixture checks that the page logs no console
errors and that no request leaves the local server. Screenshots go to tests/artifacts/. Chromium comes
from the distribution (``/usr/bin/chromium``, installed by ``make system-deps``); Playwright never
downloads a browser here.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pytest
import yaml
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from .conftest import REPO, Built
from .programs import require

ARTIFACTS = REPO / "tests" / "artifacts"
LEARNING = REPO / "content" / "learning-paths"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def origin(site_embedded: Built) -> Iterator[str]:
    """The embedded site served on an ephemeral port of 127.0.0.1; yields ``http://127.0.0.1:PORT``."""
    handler = functools.partial(_QuietHandler, directory=str(site_embedded.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=require("chromium"), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class Recorded:
    """What a page did: console errors, uncaught exceptions and every request URL."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def recorded() -> Recorded:
    return Recorded()


@pytest.fixture
def page(browser: Browser, origin: str, recorded: Recorded) -> Iterator[Page]:
    """A fresh page, wide enough for Material's sidebars, recording errors and requests.

    After the test, asserts there were no console errors and no request outside the local server.
    """
    yield from recording_page(browser, origin, recorded)


def recording_page(
    browser: Browser, origin: str, recorded: Recorded, color_scheme: Literal["light", "dark"] = "light"
) -> Iterator[Page]:
    """A page in a context of its own (1400 × 1000, the given colour scheme), recording what it does;
    once the caller is done, no console error and no request beyond ``origin`` may have happened."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, service_workers="block", color_scheme=color_scheme
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda msg: recorded.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: recorded.errors.append(f"pageerror: {exc}"))
    page.on("request", lambda req: recorded.requests.append(req.url))
    page.on("worker", lambda worker: recorded.requests.append(worker.url))
    try:
        yield page
    finally:
        context.close()
    assert recorded.errors == [], f"console errors: {recorded.errors}"
    assert_local(recorded, origin)


def assert_local(recorded: Recorded, origin: str) -> None:
    allowed = (origin + "/", "data:", "blob:", "about:")
    outside = [url for url in recorded.requests if not url.startswith(allowed)]
    assert outside == [], f"requests left {origin}: {outside}"
    assert recorded.requests, "the page made no requests at all"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=False)


def quiz_answers(source: Path) -> dict[str, dict[str, object]]:
    """Question id → question, from a quiz's YAML front matter."""
    text = source.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---", 2)[1])
    return {q["id"]: q for q in front["questions"]}


def quiz_page(site: Path) -> tuple[str, Path]:
    """The first built quiz page (a page holding ``data-mdx-quiz``) and the source file it came from."""
    for html in sorted(site.glob("learning-paths/**/index.html")):
        if "data-mdx-quiz" not in html.read_text(encoding="utf-8"):
            continue
        rel = html.parent.relative_to(site)
        source = LEARNING / rel.relative_to("learning-paths").with_suffix(".md")
        if source.is_file():
            return rel.as_posix() + "/", source
    raise AssertionError("no built quiz page with a matching source under content/learning-paths")
