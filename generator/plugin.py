"""The MkDocs adapter: run the generation on every build and hand MkDocs the docs dir and the nav.

``mkdocs build`` and ``mkdocs serve`` work as usual, in this repository or in anyone's MkDocs project:
``on_config`` regenerates (writing only changed files) from the registry, the catalog and the site's own
pages (its ``docs_dir``), points ``docs_dir`` at the generated folder and sets ``nav``. A site's own
``nav:`` is kept: the generated sections go where it lists ``@meshdocs``, else after its entries. The
plugin adds its theme folder in front of Material's, as MkDocs' search plugin adds its templates. Under
``serve`` the sources are watched instead of the generated folder, so an edit regenerates once.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import clean_directory

from meshdocs.build import SCRIPTS, STYLESHEET, BuildError
from meshdocs.config import ConfigError, MeshdocsConfig
from meshdocs.diagnostics import Report, Severity
from meshdocs.exports import artifacthub_settings
from meshdocs.islands import cut_islands, island_ids, restore_islands
from meshdocs.model.site import NavNode
from meshdocs.renderers.artifacthub import render_artifacthub
from meshdocs.resources import theme_dir
from meshdocs.session import BuildSession, DirtyWarningFilter
from meshdocs.theme_memo import ENV_SWITCH as THEME_MEMO_SWITCH
from meshdocs.theme_memo import ThemeMemo
from meshdocs.titles import title_text
from meshdocs.writers import search_sources
from meshdocs.writers.docs_dir import sync_tree
from meshdocs.writers.search_sources import ARTICLE, INDEXED, page_source, write_source
from meshdocs.writers.site import discard

log = logging.getLogger("mkdocs.plugins.meshdocs")


NAV_PLACEHOLDER = "@meshdocs"  # in a site's own nav: where the generated sections go


class MeshdocsPlugin(BasePlugin[MeshdocsConfig]):
    """Regenerates the docs dir from the registry, catalog and content on every build.

    Each build's state is its :class:`~meshdocs.session.BuildSession`: a plain one for ``mkdocs build``
    and ``mkdocs serve``, the one ``meshdocs build`` hands over with :meth:`use`.
    """

    def __init__(self) -> None:
        super().__init__()
        self.session = BuildSession()
        self._search: Any = None  # the search plugin, whose index entries the page workers gather
        self._islands: dict[str, list[str]] = {}  # per page, from its Markdown until its HTML is written
        self.theme_memo = ThemeMemo()  # sidebar links rendered once per build (overrides/nav-item.html)
        self._serving = False  # under `mkdocs serve --dirty`: incremental rebuilds in place
        self._served: Path | None = None  # the folder MkDocs serves from

    def use(self, session: BuildSession) -> None:
        """Build with ``session`` (``meshdocs build``'s: staging, incremental plan, page workers)."""
        self.session = session

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """``mkdocs serve --dirty`` (what ``meshdocs serve`` runs): rebuilds render only what changed.

        Defining this hook also keeps this plugin, its session and its caches, across serve rebuilds.
        """
        self._serving = command == "serve" and dirty
        if self._serving:  # MkDocs warns that dirty builds leave stale navigation; ours do not
            logging.getLogger("mkdocs.commands.build").addFilter(DirtyWarningFilter())

    def on_shutdown(self) -> None:
        self.session.wait_for_search()
        if self._serving and self._served is not None:
            discard(search_sources.sources_dir(self._served))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        session = self.session
        # Reproducible by default: MkDocs stamps the sitemap and its gzip header with the build time
        # unless SOURCE_DATE_EPOCH says otherwise (overrides/sitemap.xml leaves out the epoch date).
        user_epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
        _use_theme(config)
        try:
            result = session.generate(config, self.config, user_epoch)
        except (BuildError, ConfigError) as exc:
            raise PluginError(str(exc)) from None
        finally:
            if session.logs_report:
                _log_report(session.report)
        config.docs_dir = str(session.docs_dir)
        if config.nav:  # the site's own nav: generated sections where it says, else after its entries
            config.nav = _merge_nav(config.nav, mkdocs_nav(sorted(result.sections, key=_nav_order)))
        else:
            config.nav = mkdocs_nav(result.output.nav)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        for script in SCRIPTS:
            if script in result.digests and script not in config.extra_javascript:
                config.extra_javascript.append(script)
        session.clock.start("nav")
        if self._serving and session.request is None:
            session.wait_for_search()  # the last rebuild's index, before this one rewrites its sources
            self._served = Path(config.site_dir)
            session.serve_into(self._served)
        session.plan_pages(config)
        if self._serving and session.plan is not None and not session.plan.incremental:
            clean_directory(config.site_dir)  # a full rebuild leaves no page of the last one behind
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.session.page_paths = {f.dest_uri for f in files.documentation_pages()}
        result = self.session.result
        if result is not None and result.unlisted:
            _keep_out_of_nav(files, result.unlisted)
        if self.session.workers is not None:
            self.session.workers.install(files, config)
        return files

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        session = self.session
        session.clock.start("markdown")
        self._search = search_plugin(config)  # looked up once, not for every page
        _mark_nav(nav.items)
        if session.workers is not None:
            own = session.workers.start(files, config)  # workers fork here: each reads and renders a share
        else:
            own = len(files.documentation_pages())
        session.progress.stage("Reading pages", own)
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        session = self.session
        session.clock.start("pages")
        self.theme_memo.reset(enabled=os.environ.get(THEME_MEMO_SWITCH, "1") != "0")
        env.globals["mdx_memo"] = self.theme_memo.global_function()
        if session.workers is not None:
            session.progress.stage("Rendering pages", session.workers.to_render)
        return env

    # Finished HTML blocks skip Markdown and search (see generator/islands.py): cut out before the
    # Markdown is converted, put back into the page once the theme has rendered it.
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Any) -> str:
        text, islands = cut_islands(markdown)
        if islands:
            self._islands[page.file.src_uri] = islands
        else:
            self._islands.pop(page.file.src_uri, None)
        return text

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Any) -> str:
        self.session.progress.advance()
        islands = self._islands.get(page.file.src_uri)
        if islands and page.present_anchor_ids is not None:
            page.present_anchor_ids.update(island_ids(islands))
        return html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        islands = self._islands.pop(page.file.src_uri, None)
        output = self._mark_searchable(output, page)
        if self.session.search_sources is not None:  # the article before its islands go back in
            write_source(self.session.search_sources, page.file.dest_uri, page_source(output))
        workers = self.session.workers
        if workers is not None:
            workers.page_done(page, self._search)
            if not workers.is_worker:
                self.session.progress.show(workers.done.value)
        return restore_islands(output, islands) if islands else output

    def _mark_searchable(self, html: str, page: Page) -> str:
        """Pagefind indexes only what is marked: the article of every page but older model versions."""
        result = self.session.result
        skip = tuple(result.unindexed) if result is not None else ()
        if skip and page.file.src_uri.startswith(skip):
            return html
        return html.replace(ARTICLE, INDEXED, 1)

    def on_build_error(self, *, error: Exception) -> None:
        self.session.progress.close()
        if self.session.workers is not None:
            self.session.workers.fail(error)

    @event_priority(100)  # before the search plugin writes its index: workers' entries go in first
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The Artifact Hub repository under ``/artifacthub/`` when ``artifacthub.publish`` is on.

        Written after MkDocs, not through the docs dir: its README.md files would otherwise become pages.
        """
        session = self.session
        memo = self.theme_memo
        log.info(f"Sidebar: {memo.misses:,} links rendered, {memo.hits:,} reused in this process")
        if session.workers is not None:
            session.workers.finish(self._search)  # a worker process ends here
        session.progress.close()
        session.clock.start("search index")
        if self._serving and session.request is None:
            session.finish_serve(Path(config.site_dir), config.config_file_path)
        elif session.request is None:  # plain mkdocs build/serve; `meshdocs build` indexes after carry-over
            session.index_search(Path(config.site_dir), config.config_file_path)
        result = session.result
        if not self.config.artifacthub.publish or result is None or result.catalog is None:
            return
        settings = artifacthub_settings(self.config, config.site_url or "")
        files = render_artifacthub(result.catalog, result.registry, settings)
        sync_tree(Path(config.site_dir) / "artifacthub", files)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.session.docs_dir is not None:
            with contextlib.suppress(KeyError):  # generated: watching it would only echo our writes
                server.unwatch(str(self.session.docs_dir))
        for source in self.session.sources():
            if source.exists():
                server.watch(str(source))
        return server


def _log_report(report: Report) -> None:
    levels = {
        Severity.ERROR: logging.WARNING,
        Severity.WARNING: logging.WARNING,
        Severity.NOTICE: logging.INFO,
    }
    for item in report.sorted():
        log.log(levels[item.severity], item.format())


def _use_theme(config: MkDocsConfig) -> None:
    """Material is required; our theme folder goes in front of it (after the site's own custom_dir)."""
    name = config.theme.name
    if name != "material":
        raise PluginError(
            f"meshdocs needs the Material for MkDocs theme (theme: {{name: material}}); this site uses "
            f"'{name or 'no named theme'}'"
        )
    ours = str(theme_dir())
    if ours not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, ours)


def _keep_out_of_nav(files: Files, folders: list[str]) -> None:
    """Older versions and "what changed" pages: linked from pages, not in the sidebar.

    Set on each file rather than added to MkDocs' ``not_in_nav``: a pattern per unlisted folder made MkDocs
    match every file against hundreds of patterns (1.4 s of a 3.3 s rebuild at 3,894 pages). The site's
    own ``not_in_nav`` and ``exclude_docs`` still apply: only files MkDocs would include are changed.
    """
    prefixes = tuple(folder.rstrip("/") + "/" for folder in folders)
    for file in files:
        if file.inclusion == InclusionLevel.INCLUDED and file.src_uri.startswith(prefixes):
            file.inclusion = InclusionLevel.NOT_IN_NAV


def _nav_order(node: NavNode) -> tuple[float, str]:
    return (node.weight, node.title.lower())


def _merge_nav(own: list[Any], generated: list[Any]) -> list[Any]:
    """The site's nav with ``@meshdocs`` (at any depth) replaced by the generated sections, or them after."""

    def place(items: list[Any]) -> tuple[list[Any], bool]:
        out: list[Any] = []
        found = False
        for item in items:
            if item == NAV_PLACEHOLDER:
                out.extend(generated)
                found = True
            elif isinstance(item, dict) and len(item) == 1:
                [(title, value)] = item.items()
                if value == NAV_PLACEHOLDER:
                    out.append({title: generated})
                    found = True
                elif isinstance(value, list):
                    inner, hit = place(value)
                    out.append({title: inner})
                    found = found or hit
                else:
                    out.append(item)
            else:
                out.append(item)
        return out, found

    merged, found = place(list(own))
    return merged if found else [*merged, *generated]


def mkdocs_nav(nodes: list[NavNode]) -> list[Any]:
    """MkDocs' ``nav`` from ours: every title given explicitly and made safe for the theme's templates."""
    out: list[Any] = []
    for node in nodes:
        title = title_text(node.title)
        if node.children:
            children = mkdocs_nav(node.children)
            if node.path:
                children.insert(0, {title: node.path})
            out.append({title: children})
        elif node.path:
            out.append({title: node.path})
    return out


def search_plugin(config: MkDocsConfig) -> Any:
    """The search plugin (MkDocs' or Material's), whose index entries a parallel build gathers."""
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index") and hasattr(plugin.search_index, "entries"):
            return plugin
    return None


def _mark_nav(items: list[Any]) -> None:
    """Each section's index page and each item's place among its siblings, for overrides/nav-item.html.

    Found once here rather than by every page's sidebar template looping over every child of a section.
    """
    for pos, item in enumerate(items):
        item.mdx_pos = pos
        children = getattr(item, "children", None)
        if children:
            item.mdx_index = next((c for c in children if getattr(c, "is_index", False)), False)
            _mark_nav(children)
