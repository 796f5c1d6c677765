"""Measure site search as a reader meets it: bytes downloaded and time to the first result, in Chromium.

    .venv/bin/python bench/search.py SITE_DIR [--query Deployment --query ScaledObject ...]

Serves SITE_DIR on 127.0.0.1, opens the home page in Debian's Chromium (playwright, no browser download),
types each query into the header search box (one fresh page per query, so nothing is cached) and reports,
per query: the bytes the search fetched (everything under pagefind/, or Material's search_index.json and
worker) before the first result showed, and the time from the last keystroke to the first result.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

DEFAULT_QUERIES = ("Deployment", "certificate", "ScaledObject", "namespace")


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def measure(site: Path, queries: list[str]) -> list[tuple[str, int, float, int, str]]:
    """(query, bytes, seconds, results shown, first result) for each query."""
    server, origin = _serve(site)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for query in queries:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                sizes: dict[str, int] = {}

                def record(response: object, sizes: dict[str, int] = sizes) -> None:
                    url = getattr(response, "url", "")
                    if "/pagefind/" in url or "search_index" in url or "/workers/search" in url:
                        try:
                            sizes[url] = len(response.body())  # type: ignore[attr-defined]
                        except Exception:  # a redirect or an aborted request has no body
                            sizes[url] = 0

                page.on("response", record)
                page.goto(origin + "/", wait_until="networkidle")
                box = page.locator("input.md-search__input")
                box.click()
                box.press_sequentially(query, delay=15)
                typed = time.perf_counter()
                first = page.locator(".md-search-result__item a").first
                first.wait_for(timeout=60_000)
                seconds = time.perf_counter() - typed
                count = page.locator(".md-search-result__item").count()
                rows.append((query, sum(sizes.values()), seconds, count, first.get_attribute("href") or ""))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", action="append", default=[])
    args = parser.parse_args()
    pages = sum(1 for _ in args.site.rglob("index.html"))
    index = sum(p.stat().st_size for p in (args.site / "pagefind").rglob("*") if p.is_file())
    print(f"site: {args.site} ({pages:,} pages; search index {index / 1e6:.1f} MB on disk)")
    print("| query | bytes before first result | seconds to first result | results shown | first result |")
    print("|---|---:|---:|---:|---|")
    for query, size, seconds, count, href in measure(args.site, args.query or list(DEFAULT_QUERIES)):
        print(f"| {query} | {size / 1024:,.0f} KB | {seconds:.2f} | {count} | `{href}` |")


if __name__ == "__main__":
    main()
