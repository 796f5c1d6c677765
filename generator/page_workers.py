"""How ``meshdocs build`` has MkDocs render pages: only the pages the plan selects, on every core.

MkDocs renders each page of a site, one after another, in one process. ``meshdocs build`` runs MkDocs
in its dirty mode and answers MkDocs' one question, "is this file modified?", from the
:class:`~meshdocs.render_plan.RenderPlan`. Once MkDocs has built the nav (titles come from it, and every
page's front matter is read first for the nav's icons), :class:`PageWorkers` forks workers
(:mod:`meshdocs.forking`) that each convert and render a share of the pages. Workers hand back their
search entries, log records, and each page's anchors and links; the parent validates every anchor link
once, with all of them, and puts the search index together in page order, so the output is
byte-identical to a one-process build.

Plain ``mkdocs build`` and ``mkdocs serve`` do none of this: the plugin only does it when given a plan.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from meshdocs.forking import Forked, fork_shares, gather, send_and_exit
from meshdocs.render_plan import RenderPlan

MIN_PAGES_PER_WORKER = 200  # below this, forking costs more than it saves


@dataclass
class _Payload:
    """What a worker sends back: search entries per page URL, log records, or why it failed."""

    entries: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    records: list[tuple[str, int, str]] = field(default_factory=list)
    error: str = ""
    anchors: dict[str, list[str]] = field(default_factory=dict)  # page src_uri → its element ids
    links: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # src → target → anchor → link


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class PageWorkers:
    """One build's page selection and worker processes; driven by the plugin's event hooks."""

    def __init__(self, plan: RenderPlan) -> None:
        self.plan = plan
        self.forked = Forked()  # share 0 in the parent; a worker renders the pages of its own share
        self.shares: dict[str, int] = {}  # src_uri → share, for the pages this build renders
        self.entries: dict[str, list[dict[str, Any]]] = {}  # search entries per page URL
        self.rendered = 0  # pages rendered in this process so far
        self._mark = 0
        self._capture: _Capture | None = None
        self.page_order: list[str] = []
        self.docs_dir = ""
        self.to_render = 0  # pages this build renders, across all processes
        self.own = 0  # of which this process renders
        self.done: Any = None  # pages rendered so far, across processes (shared memory), for the progress bar
        self.files: Files | None = None
        self.config: MkDocsConfig | None = None
        self.gathered = False

    @property
    def share(self) -> int:
        return self.forked.share

    @property
    def is_worker(self) -> bool:
        return self.forked.is_worker

    def wants(self, file: File) -> bool:
        """Whether this process renders (pages) or copies (other files) ``file``."""
        selected = self.plan.selected
        if file.is_documentation_page():
            if selected is not None and file.src_uri not in selected:
                return False
            return self.shares.get(file.src_uri, 0) == self.share
        if self.is_worker:
            return False
        if selected is None:
            return True
        # The theme's assets change only with its version, and a new version means a full build.
        return file.src_dir == self.docs_dir and file.src_uri in selected

    def install(self, files: Files, config: MkDocsConfig) -> None:
        """Answer MkDocs' dirty-mode question for every file from the plan (``on_files``)."""
        self.docs_dir = config.docs_dir
        for file in files:
            file.is_modified = partial(self.wants, file)  # type: ignore[method-assign]

    def start(self, files: Files, config: MkDocsConfig) -> int:
        """Fork the workers once the nav is built (``on_nav``); returns the pages to render here."""
        self.files, self.config = files, config
        docs = files.documentation_pages()
        self.page_order = [f.url for f in docs]
        _read_front_matter(docs, config)
        pages = [f for f in docs if self.wants(f)]
        jobs = min(self.plan.jobs, max(1, len(pages) // MIN_PAGES_PER_WORKER))
        self.to_render = len(pages)
        self.done = multiprocessing.Value("l", 0)
        for index, file in enumerate(pages):
            self.shares[file.src_uri] = index % jobs
        self.forked = fork_shares(jobs)
        if self.forked.is_worker:
            self._become_worker(config)
        self.own = sum(1 for f in pages if self.shares[f.src_uri] == self.share)
        return self.own

    def _become_worker(self, config: MkDocsConfig) -> None:
        """A worker renders its pages and reports its log records; everything else is the parent's."""
        # The parent writes the theme's static templates and validates anchors, once, with every page's.
        config.theme.static_templates = set()
        config.extra_templates = []
        self._capture = _Capture()
        for name in ("", "mkdocs"):
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
        logging.getLogger("mkdocs").addHandler(self._capture)

    def page_done(self, page: Page, search: Any) -> None:
        """After a page is rendered (``on_post_page``): keep its search entries under its URL."""
        self.rendered += 1
        if self.done is not None:
            with self.done.get_lock():
                self.done.value += 1
        if search is not None:
            entries = search.search_index.entries
            self.entries[page.url] = entries[self._mark :]
            self._mark = len(entries)
        if self.rendered == self.own and self.config is not None:
            if self.is_worker:
                # MkDocs validates anchors next, seeing only this share's pages: the parent does it instead.
                self.config.validation.links.anchors = logging.NOTSET
            else:
                self._collect()  # before MkDocs validates anchors: the workers' pages must be known

    def _collect(self, check: bool = True) -> None:
        """Wait for the workers; take their search entries, log records, anchors and links.

        With ``check``, a worker that failed fails the build here.
        """
        if self.gathered:
            return
        self.gathered = True
        for payload in self._gather(check):
            self.entries.update(payload.entries)
            self._install_anchors(payload)

    def _install_anchors(self, payload: _Payload) -> None:
        if self.files is None:
            return
        for src, ids in payload.anchors.items():
            file = self.files.get_file_from_path(src)
            if file is not None and file.page is not None:
                file.page.present_anchor_ids = set(ids)
        for src, targets in payload.links.items():
            file = self.files.get_file_from_path(src)
            if file is None or file.page is None:
                continue
            links = {}
            for target, anchors in targets.items():
                to_file = self.files.get_file_from_path(target)
                if to_file is not None:
                    links[to_file] = anchors
            file.page.links_to_anchors = links

    def finish(self, search: Any) -> None:
        """In a worker: hand everything back and exit. In the parent: gather and rebuild the index."""
        if self.is_worker:
            records = self._capture.records if self._capture else []
            payload = _Payload(entries=self.entries, records=records)
            for file in self.files.documentation_pages() if self.files else []:
                page = file.page
                if page is None or not self.wants(file):
                    continue
                payload.anchors[file.src_uri] = sorted(page.present_anchor_ids or ())
                payload.links[file.src_uri] = {
                    to_file.src_uri: dict(anchors)
                    for to_file, anchors in (page.links_to_anchors or {}).items()
                }
            send_and_exit(self.forked, payload, 0)
        self._collect()
        if search is not None:
            search.search_index.entries = self._ordered_entries()

    def fail(self, error: BaseException) -> None:
        """A worker that hit an error reports it and exits; the parent goes on to fail the build."""
        if self.is_worker:
            send_and_exit(self.forked, _Payload(error=f"{type(error).__name__}: {error}"), 1)
        self._collect(check=False)

    def _gather(self, check: bool = True) -> list[_Payload]:
        payloads: list[_Payload] = []
        problems: list[str] = []
        for payload, status in gather(self.forked):
            if not isinstance(payload, _Payload):
                payload = _Payload(error="the worker exited without a readable report")
            for name, level, message in payload.records:
                logging.getLogger(name).log(level, message)
            if payload.error or status != 0:
                problems.append(payload.error or f"exit status {status}")
            payloads.append(payload)
        if check and problems:
            raise PluginError("a page-rendering worker failed: " + "; ".join(problems))
        return payloads

    def _ordered_entries(self) -> list[dict[str, Any]]:
        """Search entries of every page, in the site's page order, as one process would have listed them."""
        by_page = dict(self.entries)
        if self.plan.previous_site is not None:
            for url, entries in _previous_entries(self.plan.previous_site).items():
                by_page.setdefault(url, entries)
        return [entry for url in self.page_order for entry in by_page.get(url, [])]


def _read_front_matter(docs: list[File] | Any, config: MkDocsConfig) -> None:
    """Every page's front matter, read before the pages are shared out: the sidebar of each page shows
    other pages' ``icon``, ``status`` and ``subtitle``, and a process renders only its own share."""
    for file in docs:
        page = file.page
        if page is None or page.markdown is not None or not file.abs_src_path:
            continue
        try:
            with open(file.abs_src_path, "rb") as handle:
                head = handle.read(3)
        except OSError:
            continue
        if head == b"---":
            page.read_source(config)


def _previous_entries(site: Path) -> dict[str, list[dict[str, Any]]]:
    """The published search index's entries, per page URL (``models/x/`` for ``models/x/#anchor`` too)."""
    try:
        data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out: dict[str, list[dict[str, Any]]] = {}
    for entry in data.get("docs", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and isinstance(entry.get("location"), str):
            out.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    return out
