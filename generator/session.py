"""One build session: a request in, an outcome out; the CLI and the plugin both drive one.

Inside MkDocs (``on_config``) the session generates the docs dir from the configuration
(:meth:`BuildSession.generate`) and plans which pages MkDocs renders (:meth:`BuildSession.plan_pages`).
``meshdocs build`` runs the whole of it with :meth:`BuildSession.run`: stage a folder beside the published
site, have MkDocs build into it (the plugin holding this session), carry unchanged files over, write the
manifest, then publish the staged site in one swap, or discard it and say why in one line. The CLI only
parses flags and prints the outcome; nothing writes into the plugin but :meth:`MeshdocsPlugin.use`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from meshdocs.build import BuildError, GenerateOptions, GenerateResult, generate
from meshdocs.build_report import BuildReport, Progress, StageClock
from meshdocs.config import (
    ConfigError,
    MeshdocsConfig,
    Overrides,
    is_packaged,
    locate_config,
    resolve_options,
)
from meshdocs.diagnostics import Report
from meshdocs.render_plan import RenderPlan, RunRequest, build_fingerprint, plan_build
from meshdocs.search_index import OUTPUT as SEARCH_OUTPUT
from meshdocs.writers import search_sources
from meshdocs.writers.manifest import MANIFEST, SiteManifest, link_unchanged, read_manifest, write_manifest
from meshdocs.writers.site import (
    SITE_MARKER,
    SiteDirError,
    discard,
    prepare_staging,
    publish,
    reuse_spare,
    same_as_published,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from meshdocs.page_workers import PageWorkers


@dataclass(frozen=True)
class BuildRequest:
    """What ``meshdocs build`` was asked for."""

    config_file: Path | None = None  # None: ./mkdocs.yml, else the configuration shipped with meshdocs
    overrides: Overrides = field(default_factory=Overrides)
    site_dir: Path | None = None  # None: site_dir of mkdocs.yml (./site for the shipped configuration)
    strict: bool = False  # warnings fail the build, nothing is published
    full: bool = False  # render every page even when the published site could be updated
    jobs: int | None = None  # None: every core
    progress: bool | None = None  # None: a progress bar at a terminal


@dataclass
class BuildOutcome:
    """What came of a :class:`BuildRequest`: published or not (and why), the problems, the figures."""

    target: Path
    report: Report
    error: str = ""  # one line when nothing was published
    internal: BaseException | None = None  # an unexpected failure: a bug of ours
    summary: BuildReport | None = None

    @property
    def published(self) -> bool:
        return not self.error and self.internal is None

    @property
    def pages_by_kind(self) -> dict[str, int]:
        return self.summary.pages_by_kind if self.summary else {}


class BuildSession:
    """The state of one build: the problems found, what was generated, the render plan, the stage clock."""

    def __init__(self, request: BuildRequest | None = None) -> None:
        self.request = request  # None: a plain `mkdocs build` or `mkdocs serve`
        self.report = Report()
        self.result: GenerateResult | None = None
        self.options: GenerateOptions | None = None
        self.fatal = ""  # why the last generation could not run at all
        self.clock = StageClock()
        self.progress = Progress(enabled=False)
        self.run_request: RunRequest | None = None  # set by run(): incremental and parallel rendering
        self.plan: RenderPlan | None = None
        self.workers: PageWorkers | None = None
        self.manifest: SiteManifest | None = None
        self.docs_dir: Path | None = None  # the generated folder MkDocs reads
        self.own_docs_dir: Path | None = None  # the docs_dir mkdocs.yml names, before ours replaces it
        self._generated_models: tempfile.TemporaryDirectory[str] | None = None
        # What Pagefind indexes under `meshdocs build` (writers/search_sources); None: the site's pages.
        self.search_sources: Path | None = None
        self._published_stamp = ""
        self.page_paths: set[str] = set()  # every page's output path, set by the plugin (on_files)
        self._indexer: threading.Thread | None = None  # a served site's search index, being built

    @property
    def logs_report(self) -> bool:
        """Plain MkDocs shows problems through its log; ``meshdocs build`` prints them itself."""
        return self.request is None

    # Inside MkDocs -------------------------------------------------------------------------------------

    def generate(
        self, config: MkDocsConfig, plugin_config: MeshdocsConfig, user_epoch: str | None = None
    ) -> GenerateResult:
        """Write the docs dir for this configuration; problems go to :attr:`report`.

        ``user_epoch`` is ``SOURCE_DATE_EPOCH`` as the user set it (dates a changelog entry; else today).
        """
        self.clock = StageClock()
        self.report = Report()
        self.fatal = ""
        named = Path(config.docs_dir).resolve()
        if named != self.docs_dir:  # not our generated folder, from a configuration MkDocs reuses
            self.own_docs_dir = named
        base_dir = Path(config.config_file_path or ".").resolve().parent
        overrides = self.request.overrides if self.request else None
        jobs = self.run_request.jobs if self.run_request else 1
        try:
            options = resolve_options(plugin_config, base_dir, overrides, self.own_docs_dir, jobs)
            options.previous_site = (
                self.run_request.previous_site if self.run_request else Path(config.site_dir).resolve()
            )
            options.build_date = _build_date(user_epoch)
            options.site_url = config.site_url or ""
            options.registries += self._generated_registry(options.generate)
            self.result = generate(options, self.report)
        except (BuildError, ConfigError) as exc:
            self.fatal = str(exc)
            raise
        self.options = options
        self.docs_dir = options.docs_dir
        for stage, seconds in self.result.timings.items():
            self.clock.add(stage, seconds)
        return self.result

    def sources(self) -> list[Path]:
        """What ``serve`` watches: the inputs, never the generated folder."""
        options = self.options
        if options is None:
            return []
        return [*options.registries, *(p for p in (options.content, options.catalog) if p), options.templates]

    def index_search(self, site: Path, config_file: str | None) -> None:
        """Pagefind over the built site; without it, one warning and a site without search."""
        from meshdocs.search_index import SearchIndexError, build_search_index

        try:
            build_search_index(site, self._search_input())
        except SearchIndexError as exc:
            self.report.warning(Path(config_file or "mkdocs.yml"), str(exc), field="search")

    def plan_pages(self, config: MkDocsConfig) -> None:
        """Under ``meshdocs build``: decide which pages MkDocs renders, and in how many processes."""
        from meshdocs.page_workers import PageWorkers

        if self.run_request is None or self.result is None:
            return
        fingerprint = build_fingerprint(
            self.result.structure, self.result.code, config.config_file_path, config.theme.custom_dir
        )
        self.manifest = SiteManifest(fingerprint, self.result.digests)
        self.plan = plan_build(self.run_request, fingerprint, self.result.digests)
        if self.search_sources is not None:
            try:
                current = search_sources.begin(self.search_sources, self._published_stamp)
            except OSError:  # no sources: Pagefind reads the site's pages, as without us
                self.search_sources = None
            else:
                if self.plan.incremental and not current:  # unchanged pages would have no source
                    self.plan = RenderPlan(
                        jobs=self.plan.jobs,
                        reason="full build (the search index's sources are not this site's)",
                    )
        self.workers = PageWorkers(self.plan)

    def _use_search_sources(self, site: Path, previous: SiteManifest | None) -> None:
        """Pagefind will read the sources kept beside ``site``; they must be those of its manifest."""
        self.search_sources = search_sources.sources_dir(site)
        self._published_stamp = search_sources.manifest_stamp(site / MANIFEST) if previous else ""

    def _search_input(self) -> Path | None:
        """The sources, unless a page's could not be written: then Pagefind reads the pages themselves."""
        sources = self.search_sources
        return sources if sources is not None and search_sources.usable(sources) else None

    @property
    def reindex(self) -> bool:
        """Whether this build's search index must be built: not when an incremental one rendered nothing."""
        rendered = self.workers.to_render if self.workers is not None else 1
        return not (self.plan is not None and self.plan.incremental and rendered == 0)

    def _finish_search_sources(self, site: Path) -> None:
        """Once ``site`` holds this build: the sources are this site's (pages that are gone dropped)."""
        if self.search_sources is None:
            return
        try:
            stamp = search_sources.manifest_stamp(site / MANIFEST)
            search_sources.finish(self.search_sources, self.page_paths, stamp)
        except OSError:  # unstamped: the next build renders every page again, which rewrites them
            pass

    # `meshdocs serve` (MkDocs' dirty serve) -------------------------------------------------------------

    def serve_into(self, site: Path) -> None:
        """Before a serve (re)build into ``site``: plan against what the last one left there.

        MkDocs serves from a folder it keeps between rebuilds and, in its dirty mode, renders only the
        pages the plugin calls modified: the same plan as ``meshdocs build``, in one process (rebuilds
        run in the server's thread, where forking is not safe) and in place, without staging.
        """
        previous = read_manifest(site)
        self.run_request = RunRequest(previous=previous, previous_site=site, jobs=1)
        self._use_search_sources(site, previous)

    def finish_serve(self, site: Path, config_file: str | None) -> None:
        """After a serve rebuild: the manifest for the next one, and the search index if pages changed.

        The index is built in the background and swapped in whole: the edited page is served at once and
        search catches up a moment later (at 3,900 pages, Pagefind takes about as long as the rest of the
        rebuild). The next rebuild waits for it first (:meth:`wait_for_search`).
        """
        if self.manifest is not None:
            write_manifest(site, self.manifest)
        if not self.reindex:
            self._finish_search_sources(site)
            return
        self._indexer = threading.Thread(
            target=self._index_served, args=(site, config_file), name="meshdocs-search", daemon=True
        )
        self._indexer.start()

    def wait_for_search(self) -> None:
        if self._indexer is not None:
            self._indexer.join()
            self._indexer = None

    def _index_served(self, site: Path, config_file: str | None) -> None:
        from meshdocs.search_index import SearchIndexError, build_search_index, swap_in

        fresh = site / ".pagefind-next"
        try:
            build_search_index(site, self._search_input(), into=fresh)
            swap_in(site, fresh)
        except (SearchIndexError, OSError) as exc:
            log = logging.getLogger("mkdocs.plugins.meshdocs")
            log.warning(f"{config_file or 'mkdocs.yml'}: search: {exc}")
            return
        self._finish_search_sources(site)

    def _generated_registry(self, sources: tuple[str, ...]) -> list[Path]:
        """Models generated from ``sources`` into a temporary registry that lives as long as this session."""
        if not sources:
            return []
        from meshdocs.loaders.fetch import FetchError
        from meshdocs.model_generator import generate_model

        self._generated_models = tempfile.TemporaryDirectory(prefix="meshdocs-generated-")
        root = Path(self._generated_models.name)
        for source in sources:
            try:
                generate_model([source], root, self.report)
            except (FetchError, ValueError, OSError) as exc:
                raise BuildError(f"cannot generate a model from {source}: {exc}") from None
        return [root]

    # `meshdocs build` -----------------------------------------------------------------------------------

    def run(self) -> BuildOutcome:
        """Build into a staging folder and publish it whole; the published site is kept on any failure."""
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        from meshdocs.plugin import MeshdocsPlugin

        started = time.perf_counter()
        request = self.request or BuildRequest()
        try:
            config_path = locate_config(request.config_file)
        except ConfigError as exc:
            return BuildOutcome(Path(), self.report, error=str(exc))
        try:
            config = load_config(str(config_path), strict=request.strict)
        except (MkDocsException, OSError) as exc:
            return BuildOutcome(Path(), self.report, error=f"cannot load {config_path}: {exc}")
        cwd = Path.cwd()
        packaged = is_packaged(config_path)  # outputs go to the working folder, never into the package
        target = (request.site_dir or (cwd / "site" if packaged else Path(config.site_dir))).absolute()
        if packaged and request.overrides.docs_dir is None:
            self.request = request = replace(
                request, overrides=replace(request.overrides, docs_dir=cwd / "site_src")
            )
        plugin = config.plugins.get("meshdocs")
        if not isinstance(plugin, MeshdocsPlugin):
            return BuildOutcome(
                target, self.report, error=f"{config_path} does not enable the 'meshdocs' plugin"
            )
        plugin.use(self)
        try:
            staging = prepare_staging(target)
        except SiteDirError as exc:
            return BuildOutcome(target, self.report, error=str(exc))
        config.site_dir = str(staging)
        previous = read_manifest(target) if (target / SITE_MARKER).is_file() else None
        self._use_search_sources(target, previous)
        self.run_request = RunRequest(previous=previous, previous_site=target, full=request.full)
        if request.jobs:
            self.run_request.jobs = request.jobs
        self.progress = Progress(enabled=request.progress)
        up_to_date = False
        try:
            with _quiet_dirty_warning():
                try:
                    mkdocs_build(config, dirty=True)  # dirty: the plan decides what is rendered
                finally:
                    if self.workers is not None and self.workers.is_worker:
                        os._exit(1)  # a worker never runs the parent's clean-up below
            self.clock.start("carry over")  # unchanged files linked in from the published site
            incremental = self.plan is not None and self.plan.incremental
            reindex = self.reindex  # else the published index stays
            if self.manifest is not None:
                write_manifest(staging, self.manifest)
            if incremental and not reindex and same_as_published(staging, target):
                up_to_date = True  # nothing this build wrote differs: the published site stays as it is
            elif incremental:
                skip, rewritten = {MANIFEST, SITE_MARKER}, frozenset({SEARCH_OUTPUT} if reindex else ())
                reused = reuse_spare(target, staging, skip, rewritten)
                if reused is None:
                    link_unchanged(target, staging, skip, rewritten)
                else:
                    discard(staging)  # its files were moved into the spare
                    staging = reused
            self.clock.start("search")
            if reindex:
                self.index_search(staging, config.config_file_path)
            self.clock.stop()
        except (MkDocsException, OSError) as exc:
            discard(staging)
            return BuildOutcome(target, self.report, error=f"build failed: {self.fatal or exc}")
        except Exception as exc:  # a bug of ours: the last good site is kept
            discard(staging)
            return BuildOutcome(target, self.report, internal=exc)
        except BaseException:
            discard(staging)
            raise
        problems = self.report.errors + self.report.warnings
        if request.strict and problems:
            discard(staging)
            return BuildOutcome(
                target, self.report, error=f"{problems} problem(s) in strict mode; nothing was published"
            )
        publishing = time.perf_counter()
        try:
            if up_to_date:
                discard(staging)
            else:
                publish(staging, target)
        except SiteDirError as exc:
            discard(staging)
            return BuildOutcome(target, self.report, error=str(exc))
        self._finish_search_sources(target)
        self.clock.add("publish", time.perf_counter() - publishing)
        pages = self.result.output.pages_by_kind if self.result else {}
        summary = BuildReport(
            pages_by_kind=pages,
            stages=self.clock.seconds,
            plan=self.plan.reason if self.plan else "full build",
            rendered=self.workers.to_render if self.workers else sum(pages.values()),
            seconds=time.perf_counter() - started,
            report=self.report,
        )
        return BuildOutcome(target, self.report, summary=summary)


def _build_date(epoch: str | None) -> str:
    """The day a changelog entry is dated: ``SOURCE_DATE_EPOCH`` when set (and not 0), else today (UTC)."""
    if epoch and epoch.isdigit() and int(epoch) > 0:
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%d")
    return datetime.now(UTC).strftime("%Y-%m-%d")


class DirtyWarningFilter(logging.Filter):
    """MkDocs warns that dirty builds leave stale navigation; ours do not (the plan decides)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextlib.contextmanager
def _quiet_dirty_warning() -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    quiet = DirtyWarningFilter()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)
