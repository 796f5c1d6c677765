"""How ``meshdocs build`` has MkDocs render pages: only the pages that changed, on every core.

MkDocs renders each page of a site, one after another, in one process. ``meshdocs build`` runs MkDocs
in its dirty mode and answers MkDocs' one question, "is this file modified?", itself:

- **Incremental**: the published site records the content hash of every docs file it was built from
  (:mod:`meshdocs.writers.manifest`). When the nav, the file list, front matter, the config, the theme and
  the tool versions are the same, only files whose hash changed are rendered or copied; the rest of the
  site is hard-linked from the published one and the search index keeps their entries.
- **Parallel**: once MkDocs has built the nav (titles come from it, and every page's front matter is read
  first for the nav's icons), :class:`PageWorkers` forks workers that each convert and render a share of
  the pages. Workers hand back their search entries, log records, and each page's anchors and links; the
  parent validates every anchor link once, with all of them, and puts the search index together in page
  order, so the output is byte-identical to a one-process build.

Plain ``mkdocs build`` and ``mkdocs serve`` do none of this: the plugin only does it when given a plan.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from meshdocs.writers.manifest import SiteManifest

_PR_SET_PDEATHSIG = 1
MIN_PAGES_PER_WORKER = 200  # below this, forking costs more than it saves


@dataclass
class RenderPlan:
    """What one build renders: ``selected`` docs paths (``None``: everything), in how many processes."""

    selected: frozenset[str] | None = None
    jobs: int = 1
    previous_site: Path | None = None  # an incremental build takes what it does not render from here
    reason: str = "full build"

    @property
    def incremental(self) -> bool:
        return self.selected is not None


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


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
        self.share = 0  # 0 in the parent; a worker renders the pages of its own share
        self.shares: dict[str, int] = {}  # src_uri → share, for the pages this build renders
        self.children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self.entries: dict[str, list[dict[str, Any]]] = {}  # search entries per page URL
        self.rendered = 0  # pages rendered in this process so far
        self._mark = 0
        self._capture: _Capture | None = None
        self.page_order: list[str] = []
        self.docs_dir = ""
        self._pipe = -1
        self.to_render = 0  # pages this build renders, across all processes
        self.own = 0  # of which this process renders
        self.done: Any = None  # pages rendered so far, across processes (shared memory), for the progress bar
        self.files: Files | None = None
        self.config: MkDocsConfig | None = None
        self.gathered = False

    @property
    def is_worker(self) -> bool:
        return self.share != 0

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
        for share in range(1, jobs):
            read_end, write_end = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:
                _die_with(parent)
                os.close(read_end)
                self._become_worker(share, write_end, config)
                break
            os.close(write_end)
            self.children.append((pid, read_end))
        self.own = sum(1 for f in pages if self.shares[f.src_uri] == self.share)
        return self.own

    def _become_worker(self, share: int, write_end: int, config: MkDocsConfig) -> None:
        self.share = share
        self._pipe = write_end
        for _pid, fd in self.children:
            os.close(fd)
        self.children = []
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
            self._exit(payload, 0)
        self._collect()
        if search is not None:
            search.search_index.entries = self._ordered_entries()

    def fail(self, error: BaseException) -> None:
        """A worker that hit an error reports it and exits; the parent goes on to fail the build."""
        if self.is_worker:
            self._exit(_Payload(error=f"{type(error).__name__}: {error}"), 1)
        self._collect(check=False)

    def _exit(self, payload: _Payload, code: int) -> None:
        try:
            data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(self._pipe, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(code)

    def _gather(self, check: bool = True) -> list[_Payload]:
        payloads: list[_Payload] = []
        problems: list[str] = []
        for pid, fd in self.children:
            with os.fdopen(fd, "rb") as pipe:
                data = pipe.read()
            _pid, status = os.waitpid(pid, 0)
            try:
                payload = pickle.loads(data) if data else _Payload(error="the worker exited without a word")
            except (pickle.UnpicklingError, EOFError) as exc:
                payload = _Payload(error=f"unreadable worker report: {exc}")
            for name, level, message in payload.records:
                logging.getLogger(name).log(level, message)
            if payload.error or os.waitstatus_to_exitcode(status) != 0:
                problems.append(payload.error or f"exit status {os.waitstatus_to_exitcode(status)}")
            payloads.append(payload)
        self.children = []
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


def _die_with(parent: int) -> None:
    """A worker must not outlive a killed build: it would write into a staging folder already swept."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)


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


@dataclass
class RunRequest:
    """What ``meshdocs build`` asks for: the published site to build on, cores to use, or a full build."""

    previous: SiteManifest | None = None
    previous_site: Path | None = None
    jobs: int = field(default_factory=default_jobs)
    full: bool = False


def plan_build(request: RunRequest, fingerprint: str, digests: dict[str, str]) -> RenderPlan:
    """Incremental when the published site was built the same way; otherwise everything, and why."""
    previous = request.previous
    if request.full:
        return RenderPlan(jobs=request.jobs, reason="full build (--full)")
    if previous is None or request.previous_site is None:
        return RenderPlan(jobs=request.jobs, reason="full build (no earlier site)")
    if previous.fingerprint != fingerprint:
        return RenderPlan(
            jobs=request.jobs, reason="full build (nav, pages, config, theme or versions changed)"
        )
    changed = frozenset(path for path, value in digests.items() if previous.files.get(path) != value)
    return RenderPlan(
        selected=changed,
        jobs=request.jobs,
        previous_site=request.previous_site,
        reason=f"incremental ({len(changed):,} changed file(s))",
    )
