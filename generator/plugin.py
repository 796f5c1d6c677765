"""The MkDocs adapter: run the generation on every build and hand MkDocs the docs dir and the nav.

``mkdocs build`` and ``mkdocs serve`` work as usual: ``on_config`` regenerates (writing only changed
files), points ``docs_dir`` at the generated folder and sets ``nav`` from the content. Under ``serve`` the
sources are watched instead of the generated folder, so an edit regenerates once, without a loop.
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
from mkdocs.plugins import BasePlugin

from generator.build import (
    DEFAULT_TEMPLATES,
    SCRIPTS,
    STYLESHEET,
    BuildError,
    GenerateOptions,
    GenerateResult,
    generate,
)
from generator.diagnostics import Report, Severity
from generator.exports import artifacthub_settings
from generator.model.site import NavNode
from generator.renderers.artifacthub import render_artifacthub
from generator.titles import title_text
from generator.writers.docs_dir import sync_tree

log = logging.getLogger("mkdocs.plugins.meshdocs")


class MeshdocsConfig(base.Config):
    """``plugins: - meshdocs: {...}`` in ``mkdocs.yml``; paths are relative to that file."""

    registry = c.ListOfItems(c.Type(str), default=["catalog/models"])
    catalog = c.Type(str, default="catalog/designs")
    content = c.Type(str, default="content")
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

    def options(self, config: MkDocsConfig) -> GenerateOptions:
        """Plugin config with CLI overrides applied, paths made absolute against ``mkdocs.yml``."""
        base_dir = Path(config.config_file_path or ".").resolve().parent

        def path(value: str | None) -> Path | None:
            return (base_dir / value).resolve() if value else None

        settings = {**dict(self.config), **{k: v for k, v in self.overrides.items() if v is not None}}
        registries = [p for p in (path(r) for r in settings["registry"]) if p]
        return GenerateOptions(
            registries=registries,
            docs_dir=path(settings["generated_dir"]) or base_dir / "site_src",
            content=path(settings["content"]),
            catalog=path(settings["catalog"]),
            templates=path(settings["templates"]) or DEFAULT_TEMPLATES,
            include_ignored=bool(settings["include_ignored"]),
            oci_repository=str(settings["oci_repository"] or ""),
            keys=path(settings["keys_file"]),
            learning_paths=path(settings["learning_paths"]),
            learning_drafts=bool(settings["learning_paths_drafts"]),
            show_answers=bool(settings["show_answers"]),
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Reproducible by default: MkDocs stamps the sitemap and its gzip header with the build time
        # unless SOURCE_DATE_EPOCH says otherwise (overrides/sitemap.xml leaves out the epoch date).
        os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
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
        config.nav = mkdocs_nav(self.result.output.nav)
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        for script in SCRIPTS:
            if script in self.result.output.files and script not in config.extra_javascript:
                config.extra_javascript.append(script)
        return config

    def _generated(self, sources: list[str]) -> list[Path]:
        """Models generated from ``sources`` into a temporary registry that lives as long as this plugin."""
        if not sources:
            return []
        from generator.loaders.fetch import FetchError
        from generator.model_generator import generate_model

        self._generated_dir = tempfile.TemporaryDirectory(prefix="meshdocs-generated-")
        root = Path(self._generated_dir.name)
        for source in sources:
            try:
                generate_model([source], root, self.report)
            except (FetchError, ValueError, OSError) as exc:
                raise BuildError(f"cannot generate a model from {source}: {exc}") from None
        return [root]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The Artifact Hub repository under ``/artifacthub/`` when ``artifacthub.publish`` is on.

        Written after MkDocs, not through the docs dir: its README.md files would otherwise become pages.
        """
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
