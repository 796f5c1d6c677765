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
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from meshdocs.build import (
    DEFAULT_TEMPLATES,
    SCRIPTS,
    STYLESHEET,
    BuildError,
    GenerateOptions,
    GenerateResult,
    generate,
)
from meshdocs.build_report import Progress, StageClock
from meshdocs.diagnostics import Report, Severity
from meshdocs.exports import artifacthub_settings
from meshdocs.hashing import digest
from meshdocs.islands import cut_islands, island_ids, restore_islands
from meshdocs.mkdocs_runner import PageWorkers, RenderPlan, RunRequest, plan_build
from meshdocs.model.site import NavNode
from meshdocs.renderers.artifacthub import render_artifacthub
from meshdocs.resources import embedded_registry, theme_dir
from meshdocs.titles import title_text
from meshdocs.writers.docs_dir import sync_tree
from meshdocs.writers.manifest import SiteManifest

log = logging.getLogger("mkdocs.plugins.meshdocs")


NAV_PLACEHOLDER = "@meshdocs"  # in a site's own nav: where the generated sections go


class MeshdocsConfig(base.Config):
    """``plugins: - meshdocs: {...}`` in ``mkdocs.yml``; paths are relative to that file.

    Without ``registry`` the registry embedded in meshdocs is published; without ``content`` the site's
    own ``docs_dir`` is; a ``catalog`` folder that does not exist means a site without a catalog.
    """

    registry = c.ListOfItems(c.Type(str), default=[])
    catalog = c.Type(str, default="catalog/designs")
    content = c.Optional(c.Type(str))
    generated_dir = c.Type(str, default="site_src")
    templates = c.Optional(c.Type(str))
    include_ignored = c.Type(bool, default=False)
    oci_repository = c.Type(str, default="")
    artifacthub = c.Type(dict, default={})
    keys_file = c.Optional(c.Type(str))  # not "keys": the config is a Mapping, with a keys() method
    learning_paths = c.Optional(c.Type(str))
    learning_paths_drafts = c.Type(bool, default=False)
    show_answers = c.Type(bool, default=False)
    generate = c.ListOfItems(c.Type(str), default=[])  # CRD/chart paths or URLs: models generated per build


class MeshdocsPlugin(BasePlugin[MeshdocsConfig]):
    """Regenerates the docs dir from the registry, catalog and content on every build."""

    def __init__(self) -> None:
        super().__init__()
        self.overrides: dict[str, Any] = {}
        self.report_to_log = True
        self.report = Report()
        self.result: GenerateResult | None = None
        self.fatal = ""  # why the last generation could not run at all, for the CLI's last line
        self._sources: list[Path] = []
        self._docs_dir: Path | None = None
        self._islands: dict[str, list[str]] = {}  # per page, from its Markdown until its HTML is written
        # Set by `meshdocs build` only: render what changed, across processes (generator/mkdocs_runner.py).
        self.request: RunRequest | None = None
        self.plan: RenderPlan | None = None
        self.workers: PageWorkers | None = None
        self.manifest: SiteManifest | None = None
        self._search: Any = None  # the search plugin, whose index entries the page workers gather
        self.clock = StageClock()
        self.progress = Progress(enabled=False)  # `meshdocs build` turns it on at a terminal
        self._own_docs_dir: Path | None = None  # the docs_dir mkdocs.yml names, before ours replaces it

    def options(self, config: MkDocsConfig) -> GenerateOptions:
        """Plugin config with CLI overrides applied, paths made absolute against ``mkdocs.yml``."""
        base_dir = Path(config.config_file_path or ".").resolve().parent

        def path(value: str | None) -> Path | None:
            return (base_dir / value).resolve() if value else None

        settings = {**dict(self.config), **{k: v for k, v in self.overrides.items() if v is not None}}
        registries = [p for p in (path(r) for r in settings["registry"]) if p] or [embedded_registry()]
        docs_dir = path(settings["generated_dir"]) or base_dir / "site_src"
        content = path(settings["content"])
        if content is None and self._own_docs_dir is not None and self._own_docs_dir != docs_dir:
            content = self._own_docs_dir  # the site's own pages
        return GenerateOptions(
            registries=registries,
            docs_dir=docs_dir,
            content=content,
            catalog=path(settings["catalog"]),
            templates=path(settings["templates"]) or DEFAULT_TEMPLATES,
            include_ignored=bool(settings["include_ignored"]),
            oci_repository=str(settings["oci_repository"] or ""),
            keys=path(settings["keys_file"]),
            learning_paths=path(settings["learning_paths"]),
            learning_drafts=bool(settings["learning_paths_drafts"]),
            show_answers=bool(settings["show_answers"]),
            jobs=self.request.jobs if self.request is not None else 1,
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.clock = StageClock()
        # Reproducible by default: MkDocs stamps the sitemap and its gzip header with the build time
        # unless SOURCE_DATE_EPOCH says otherwise (overrides/sitemap.xml leaves out the epoch date).
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
        _use_theme(config)
        named = Path(config.docs_dir).resolve()
        if named != self._docs_dir:  # not our generated folder from a config MkDocs reuses
            self._own_docs_dir = named
        options = self.options(config)
        self.report = Report()
        self.fatal = ""
        try:
            options.registries += self._generated(self.overrides.get("generate") or self.config.generate)
            self.result = generate(options, self.report)
        except BuildError as exc:
            self.fatal = str(exc)
            raise PluginError(str(exc)) from None
        finally:
            if self.report_to_log:
                self._log_report()
        self._sources = [
            *options.registries,
            *(p for p in (options.content, options.catalog) if p),
            options.templates,
        ]
        self._docs_dir = options.docs_dir
        config.docs_dir = str(options.docs_dir)
        if config.nav:  # the site's own nav: generated sections where it says, else after its entries
            config.nav = _merge_nav(config.nav, mkdocs_nav(sorted(self.result.sections, key=_nav_order)))
        else:
            config.nav = mkdocs_nav(self.result.output.nav)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        for script in SCRIPTS:
            if script in self.result.digests and script not in config.extra_javascript:
                config.extra_javascript.append(script)
        for stage, seconds in self.result.timings.items():
            self.clock.add(stage, seconds)
        self.clock.start("nav")
        if self.request is not None:
            fingerprint = build_fingerprint(config, self.result.structure, self.result.code)
            self.manifest = SiteManifest(fingerprint, self.result.digests)
            self.plan = plan_build(self.request, fingerprint, self.result.digests)
            self.workers = PageWorkers(self.plan)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.workers is not None:
            self.workers.install(files, config)
        return files

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.clock.start("markdown")
        self._search = search_plugin(config)  # looked up once, not for every page
        _mark_nav(nav.items)
        if self.workers is not None:
            own = self.workers.start(files, config)  # workers fork here: each reads and renders a share
        else:
            own = len(files.documentation_pages())
        self.progress.stage("Reading pages", own)
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.clock.start("pages")
        if self.workers is not None:
            self.progress.stage("Rendering pages", self.workers.to_render)
        return env

    def _generated(self, sources: list[str]) -> list[Path]:
        """Models generated from ``sources`` into a temporary registry that lives as long as this plugin."""
        if not sources:
            return []
        from meshdocs.loaders.fetch import FetchError
        from meshdocs.model_generator import generate_model

        self._generated_dir = tempfile.TemporaryDirectory(prefix="meshdocs-generated-")
        root = Path(self._generated_dir.name)
        for source in sources:
            try:
                generate_model([source], root, self.report)
            except (FetchError, ValueError, OSError) as exc:
                raise BuildError(f"cannot generate a model from {source}: {exc}") from None
        return [root]

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
        self.progress.advance()
        islands = self._islands.get(page.file.src_uri)
        if islands and page.present_anchor_ids is not None:
            page.present_anchor_ids.update(island_ids(islands))
        return html

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        islands = self._islands.pop(page.file.src_uri, None)
        if self.workers is not None:
            self.workers.page_done(page, self._search)
            if not self.workers.is_worker:
                self.progress.show(self.workers.done.value)
        return restore_islands(output, islands) if islands else output

    def on_build_error(self, *, error: Exception) -> None:
        self.progress.close()
        if self.workers is not None:
            self.workers.fail(error)

    @event_priority(100)  # before the search plugin writes its index: workers' entries go in first
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The Artifact Hub repository under ``/artifacthub/`` when ``artifacthub.publish`` is on.

        Written after MkDocs, not through the docs dir: its README.md files would otherwise become pages.
        """
        if self.workers is not None:
            self.workers.finish(self._search)  # a worker process ends here
        self.progress.close()
        self.clock.start("search index")
        options = self.config.artifacthub
        result = self.result
        if not options.get("publish") or result is None or result.catalog is None:
            return
        settings = artifacthub_settings(options, config.site_url or "")
        files = render_artifacthub(result.catalog, result.registry, settings)
        sync_tree(Path(config.site_dir) / "artifacthub", files)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        if self._docs_dir is not None:
            with contextlib.suppress(KeyError):  # generated: watching it would only echo our writes
                server.unwatch(str(self._docs_dir))
        for source in self._sources:
            if source.exists():
                server.watch(str(source))
        return server

    def _log_report(self) -> None:
        levels = {
            Severity.ERROR: logging.WARNING,
            Severity.WARNING: logging.WARNING,
            Severity.NOTICE: logging.INFO,
        }
        for item in self.report.sorted():
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


def build_fingerprint(config: MkDocsConfig, structure: str, code: str) -> str:
    """Everything besides a page's own Markdown that shapes its HTML: if it changes, every page is rebuilt.

    ``code`` is the hash of meshdocs' own code (this adapter, the islands, the page workers included).
    """
    from importlib.metadata import PackageNotFoundError, version

    parts = [structure, code]
    for package in ("meshdocs", "mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=?")
    if config.config_file_path and os.path.isfile(config.config_file_path):
        parts.append(digest(Path(config.config_file_path).read_bytes()))
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        for path in sorted(Path(custom).rglob("*")):
            if path.is_file():
                parts.append(f"{path.relative_to(custom).as_posix()}:{digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


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
