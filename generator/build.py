"""One generation, top to bottom: load the sources, render pages, write the docs dir.

This module knows nothing about MkDocs; :mod:`meshdocs.plugin` runs it inside MkDocs and
:mod:`meshdocs.cli` runs MkDocs around it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from meshdocs.diagnostics import Report
from meshdocs.hashing import digest
from meshdocs.layout.dot import LayoutEngine
from meshdocs.loaders.catalog import load_catalog
from meshdocs.loaders.content import load_content
from meshdocs.loaders.icons import IconCache
from meshdocs.loaders.keys import load_keys
from meshdocs.loaders.learning import load_learning_paths
from meshdocs.loaders.public_key import FIELD as PUBLIC_KEY_FIELD
from meshdocs.loaders.public_key import load_public_key
from meshdocs.loaders.publication import load_publication
from meshdocs.loaders.read_cache import CACHE_FILE, ReadCache
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.loaders.schema_check import schema_text
from meshdocs.model.catalog import Catalog
from meshdocs.model.registry import Registry
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.catalog import SCHEMAS, CatalogRenderer, CatalogSettings
from meshdocs.renderers.changelog import render_changelog
from meshdocs.renderers.content import render_content
from meshdocs.renderers.environment import make_environment, static_text
from meshdocs.renderers.keys import KeysRenderer
from meshdocs.renderers.learning import LearningRenderer, LearningSettings
from meshdocs.renderers.pulls import OciSettings
from meshdocs.renderers.registry import RegistryRenderer
from meshdocs.resources import templates_dir, theme_dir
from meshdocs.sitemap import Prefixes, SiteMap, resolve_site
from meshdocs.transforms.changelog import changelog_entry, digest_index, history
from meshdocs.writers.docs_dir import NAV_FILE, SyncStats, sync_docs_dir
from meshdocs.writers.page_memo import MEMO_FILE, PageMemo

DEFAULT_TEMPLATES = templates_dir()
STYLESHEET = "assets/meshdocs/meshdocs.css"
SCRIPTS = (
    "assets/meshdocs/catalog.js",
    "assets/meshdocs/quiz.js",
    "assets/meshdocs/search.js",
    "assets/meshdocs/a11y.js",
)


class BuildError(Exception):
    """A problem that leaves nothing sensible to build (a missing registry folder, an unwritable docs dir)."""


@dataclass
class GenerateOptions:
    """Where the sources are and what to publish; paths are absolute by the time they get here."""

    registries: list[Path]
    docs_dir: Path
    content: Path | None = None
    catalog: Path | None = None
    templates: Path = field(default_factory=templates_dir)
    include_ignored: bool = False
    oci_repository: str = ""
    oci_public_key: Path | None = None  # PEM public key OCI signatures verify with; published when valid
    keys: Path | None = None
    learning_paths: Path | None = None
    learning_drafts: bool = False
    show_answers: bool = False
    generate: tuple[str, ...] = ()  # sources of models generated for this build only
    prefixes: Prefixes = field(default_factory=Prefixes)
    versions: str = "all"  # "all": every version of each model is published; "newest": only the newest
    previous_site: Path | None = None  # the published site this build replaces: the changelog's baseline
    build_date: str = ""  # YYYY-MM-DD of a changelog entry this build adds
    site_url: str = ""
    jobs: int = 1  # processes for rendering pages


@dataclass
class GenerateResult:
    output: SiteOutput
    registry: Registry
    catalog: Catalog | None
    stats: SyncStats
    timings: dict[str, float] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # docs path → content hash, nav file included
    structure: str = ""  # hash of what every page shows: the nav, the file list and each page's front matter
    code: str = ""  # hash of the generator's code and templates (see code_digest)
    sections: list[NavNode] = field(default_factory=list)  # generated nav sections, for a user's own nav
    unlisted: list[str] = field(default_factory=list)  # generated folders the nav leaves out on purpose
    unindexed: list[str] = field(default_factory=list)  # generated folders search leaves out (older versions)
    site: SiteMap = field(default_factory=SiteMap)


def generate(options: GenerateOptions, report: Report) -> GenerateResult:
    """Load, render and write; input problems go to ``report``, fatal ones raise :class:`BuildError`."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    missing = [p for p in options.registries if not p.is_dir()]
    if missing:
        raise BuildError(
            "registry folder not found: "
            + ", ".join(str(p) for p in missing)
            + " (expected a folder of models)"
        )
    code = code_digest(options.templates)
    memo = PageMemo.load(options.docs_dir, code)
    icons = IconCache(report, known=memo.icons)
    load_options = LoadOptions(
        include_ignored=options.include_ignored,
        known_good_schemas=memo.good_schemas,
        icons=icons,
        all_versions=options.versions == "all",
    )
    reads = ReadCache.load(options.docs_dir, code)
    registry = load_registry(options.registries, report, load_options, reads)
    memo.sanitized_icons = icons.sanitized
    memo.checked_schemas = {
        c.schema_digest for m in registry.models for c in m.components if c.schema_problem is None
    }
    if options.registries and registry.definitions == 0:
        raise BuildError(
            "no registry definitions found in "
            + ", ".join(str(p) for p in options.registries)
            + " (expected <model>/<version>/v1.0.0/model.json and components/*.json with a schemaVersion)"
        )
    if options.registries and not registry.models:
        report.warning(
            options.registries[0], "nothing to publish: every model is ignored or has no definition"
        )
    content = load_content(options.content, report) if options.content else []
    catalog = None
    if options.catalog is not None and options.catalog.is_dir():
        catalog = load_catalog(options.catalog, registry, report)
    elif options.catalog is not None:
        report.notice(options.catalog, "no catalog folder: the site has no catalog section")
    sheet = None
    if options.keys is not None:
        if options.keys.is_file():
            sheet = load_keys(options.keys, report)
        else:
            report.error(options.keys, "keys file not found: the site has no security key reference")
    paths = None
    if options.learning_paths is not None:
        paths = load_learning_paths(options.learning_paths, report, include_drafts=options.learning_drafts)
    site = resolve_site(registry, report, prefixes=options.prefixes, keys=sheet, learning_paths=paths)
    public_key = _public_key(options, report)
    timings["load"] = time.perf_counter() - start

    start = time.perf_counter()
    env = make_environment(options.templates)
    out = SiteOutput()
    out.add(STYLESHEET, static_text(env, "assets/meshdocs.css"))
    for script in SCRIPTS:
        out.add(script, static_text(env, script.replace("assets/meshdocs/", "assets/")))
    oci = OciSettings(options.oci_repository, site.public_key_file if public_key else "")
    if public_key:
        out.add(site.public_key_file, public_key)
    layouts = LayoutEngine(previous=memo.layouts)
    registry_renderer = RegistryRenderer(env, registry, site, oci, memo, code, options.jobs, layouts)
    registry_section = registry_renderer.render(out)
    publication = load_publication(options.previous_site)
    entry = (
        changelog_entry(publication.digests, registry, options.build_date) if publication.digests else None
    )
    registry_section.children.append(
        render_changelog(
            env,
            site,
            history(publication.changelog, entry),
            digest_index(registry),
            out,
            site_url=options.site_url,
        )
    )
    nav = [registry_section]
    _report_missing_pictures(registry_renderer.missing_pictures, report, "relationship")
    for name in SCHEMAS:  # for editors, whether or not this site has a catalog
        out.add(f"schemas/{name}.schema.json", schema_text(name))
    if catalog is not None:
        settings = CatalogSettings(oci=oci)
        catalog_renderer = CatalogRenderer(env, catalog, registry, site, settings, layouts)
        nav.append(catalog_renderer.render(out))
        _report_missing_pictures(catalog_renderer.missing_pictures, report, "topology")
    memo.used_layouts = layouts.used
    if sheet is not None:
        nav.append(KeysRenderer(env, sheet, site).render(out))
    if paths is not None:
        settings_lp = LearningSettings(show_answers=options.show_answers)
        nav.append(LearningRenderer(env, paths, site, settings_lp).render(out))
    sections = list(nav)  # what meshdocs generates, apart from the site's own pages
    nav += render_content(content, out, report, reserved=site.reserved())
    root = NavNode("", children=nav)
    root.sort()
    out.nav = root.children
    timings["render"] = time.perf_counter() - start

    start = time.perf_counter()
    digests = {path: digest(data) for path, data in out.files.items()}
    memo_index = memo.index_bytes(out.files, digests)
    extra = {MEMO_FILE: memo_index, CACHE_FILE: reads.to_bytes()}
    try:
        stats = sync_docs_dir(options.docs_dir, out.files, out.nav, kept=out.kept, extra=extra)
    except OSError as exc:
        raise BuildError(str(exc)) from None
    digests.update(out.kept)
    digests[NAV_FILE] = stats.nav_digest
    structure = _structure(out.files, out.kept, digests[NAV_FILE])
    out.files.clear()  # written: holding a whole site's Markdown through the engine's build costs gigabytes
    timings["write"] = time.perf_counter() - start
    return GenerateResult(
        output=out,
        registry=registry,
        catalog=catalog,
        stats=stats,
        timings=timings,
        digests=digests,
        structure=structure,
        code=code,
        sections=sections,
        site=site,
        unlisted=site.unlisted(),
        unindexed=site.older_folders(),
    )


def _public_key(options: GenerateOptions, report: Report) -> str | None:
    """The configured public key's text to publish; ``None`` when none is configured or it is unusable."""
    if options.oci_public_key is None:
        return None
    key = load_public_key(options.oci_public_key, report)
    if key is not None and not options.oci_repository:
        report.notice(
            options.oci_public_key,
            "published, but no oci_repository is configured: pages show no pull or verify command",
            field=PUBLIC_KEY_FIELD,
        )
    return key


def _report_missing_pictures(missing: list[tuple[Path, str]], report: Report, what: str) -> None:
    """One line per cause (no Graphviz is one cause, however many pictures it costs)."""
    by_reason: dict[str, list[Path]] = {}
    for source, reason in missing:
        by_reason.setdefault(reason, []).append(source)
    for reason, sources in sorted(by_reason.items()):
        count = f"{len(sources)} {what} picture{'s' if len(sources) != 1 else ''}"
        report.warning(sources[0], f"{count} left out: {reason}; the rest is published", field=what)


def code_digest(templates: Path) -> str:
    """The generator's own code, templates and theme: a page rendered by other code is not reused."""
    parts = []
    code = Path(__file__).resolve().parent
    for root in (code, templates, theme_dir()):
        for path in sorted(root.rglob("*")):
            if root == code and path.relative_to(root).parts[0] == "data":
                continue  # the embedded site's sources and templates are inputs, not code
            if path.is_file() and path.suffix in {".py", ".j2", ".css", ".js", ".json", ".html", ".xml"}:
                parts.append(f"{path.relative_to(root).as_posix()}:{digest(path.read_bytes())}")
    return digest("\n".join(parts).encode("utf-8"))


def _structure(files: dict[str, bytes], kept: dict[str, str], nav_digest: str) -> str:
    """What a change to any one page would change on every page: nav, file list, front matter (nav icons).

    Kept (reused) pages are component pages, which carry no front matter.
    """
    parts = [nav_digest]
    for path in sorted([*files, *kept]):
        data = files.get(path, b"")
        front = b""
        if path.endswith(".md") and data.startswith(b"---"):
            end = data.find(b"\n---", 3)
            front = data[: end + 4] if end > 0 else b""
        parts.append(f"{path}\0{digest(front) if front else ''}")
    return digest("\n".join(parts).encode("utf-8"))
