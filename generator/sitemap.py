"""The resolve step: every generated page's docs path, decided once after loading, frozen.

Loaders produce the model; :func:`resolve_site` gives each model, component, relationship, category,
design, key group and learning page its slug and its docs path (an ``index.md``, so a link is its folder
whatever the engine's URL style); renderers read paths from the :class:`SiteMap` and never change the
model. Slugs are unique within their folder; a name that collides after slugging is reported.

The folders each section mounts under are :class:`Prefixes`; the defaults are the URLs published so far,
a contract users' links depend on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from meshdocs.diagnostics import Report
from meshdocs.model.catalog import CatalogEntry
from meshdocs.model.keys import KeySheet, PermissionKey
from meshdocs.model.learning import LearningNode
from meshdocs.model.registry import Component, Icon, Model, Registry, Relationship
from meshdocs.slugs import SlugSet, slugify

INDEX = "index.md"
REGISTRY_JSON = "registry.json"
KEYS_JSON = "keys.json"
CHANGES_FOLDER = "changes"  # a model version's "what changed" page
VERSION_RESERVED = frozenset(
    {"components", "relationships", CHANGES_FOLDER}
)  # folders a version may not take
COVERAGE_FOLDER = "relationship-coverage"  # under the registry prefix, beside the category folders
CHANGELOG_FOLDER = "changelog"
PUBLIC_KEY = "cosign.pub"  # the name cosign gives it, so the commands read as cosign's own documentation
FIXED_TOP_LEVEL = (
    "assets",
    "schemas",
    REGISTRY_JSON,
    KEYS_JSON,
    "changelog.xml",
    "changelog.json",
    "registry-digests.json",
)  # generated, under no prefix


@dataclass(frozen=True)
class Prefixes:
    """The folder of each generated section (``plugins.meshdocs.prefixes`` in mkdocs.yml)."""

    registry: str = "registry"  # overview, category and sub-category pages
    models: str = "models"  # model, component and relationship pages
    catalog: str = "catalog"
    keys: str = "keys"
    learning_paths: str = "learning-paths"

    def folders(self) -> list[str]:
        return [self.registry, self.models, self.catalog, self.keys, self.learning_paths]


def page_url(path: str) -> str:
    """Site-root-relative URL of a docs path (``models/x/index.md`` → ``models/x/``)."""
    return path[: -len(INDEX)] if path.endswith(INDEX) else path


def folder_of(page: str) -> str:
    """The folder a page's own files (``schema.json``, ``design.yml``, images) go in, with its slash."""
    return page[: -len(INDEX)] if page.endswith(INDEX) else page.rsplit("/", 1)[0] + "/"


@dataclass(frozen=True)
class SubCategoryPlace:
    name: str
    page: str
    models: tuple[Model, ...]


@dataclass(frozen=True)
class CategoryPlace:
    """A registry category, its sub-categories and their models, in the order the site shows them."""

    name: str
    page: str
    subs: tuple[SubCategoryPlace, ...]

    @property
    def models(self) -> list[Model]:
        return [m for s in self.subs for m in s.models]


@dataclass(frozen=True)
class KeyCategoryPlace:
    name: str
    page: str
    keys: tuple[PermissionKey, ...]


@dataclass(frozen=True)
class KeyThemePlace:
    name: str
    page: str
    categories: tuple[KeyCategoryPlace, ...]


@dataclass(frozen=True)
class SiteMap:
    """Where every generated page lives. Built by :func:`resolve_site`; read by every renderer."""

    prefixes: Prefixes = field(default_factory=Prefixes)
    categories: tuple[CategoryPlace, ...] = ()
    key_themes: tuple[KeyThemePlace, ...] = ()
    # Objects of one load, keyed by identity: the model's classes stay plain, mutable-free records.
    slugs: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    folders: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))  # id(model) → its folder
    versions: Mapping[str, tuple[Model, ...]] = field(default_factory=lambda: MappingProxyType({}))
    learning: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    components_by_kind: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))

    # Section index pages.
    @property
    def registry_index(self) -> str:
        return f"{self.prefixes.registry}/{INDEX}"

    @property
    def relationship_coverage_page(self) -> str:
        return f"{self.prefixes.registry}/{COVERAGE_FOLDER}/{INDEX}"

    @property
    def changelog_page(self) -> str:
        return f"{self.prefixes.registry}/{CHANGELOG_FOLDER}/{INDEX}"

    @property
    def catalog_index(self) -> str:
        return f"{self.prefixes.catalog}/{INDEX}"

    @property
    def coverage_page(self) -> str:
        return f"{self.prefixes.catalog}/coverage/{INDEX}"

    @property
    def public_key_file(self) -> str:
        """The cosign public key OCI signatures verify with (``oci_public_key``), beside the catalog."""
        return f"{self.prefixes.catalog}/{PUBLIC_KEY}"

    @property
    def keys_index(self) -> str:
        return f"{self.prefixes.keys}/{INDEX}"

    @property
    def learning_index(self) -> str:
        return f"{self.prefixes.learning_paths}/{INDEX}"

    # Registry.
    def model_slug(self, model: Model) -> str:
        return self.slugs[id(model)]

    def model_page(self, model: Model) -> str:
        return f"{self.folders[id(model)]}{INDEX}"

    def component_page(self, model: Model, comp: Component) -> str:
        return f"{self.folders[id(model)]}components/{self.slugs[id(comp)]}/{INDEX}"

    def relationship_page(self, model: Model, rel: Relationship) -> str:
        return f"{self.folders[id(model)]}relationships/{self.slugs[id(rel)]}/{INDEX}"

    def changes_page(self, model: Model) -> str:
        """What changed in this version of the model since the one before it."""
        return f"{self.folders[id(model)]}{CHANGES_FOLDER}/{INDEX}"

    def versions_of(self, model: Model) -> tuple[Model, ...]:
        """Every published version of the model, newest first (only ``model`` when versions are not kept)."""
        return self.versions.get(model.name, (model,))

    def is_newest(self, model: Model) -> bool:
        return self.versions_of(model)[0] is model

    def older_folders(self) -> list[str]:
        """Folders of older model versions: left out of the search index, the newest stands for them."""
        return sorted(self.folders[id(m)] for versions in self.versions.values() for m in versions[1:])

    def unlisted(self) -> list[str]:
        """Generated folders the sidebar leaves out: older versions and "what changed" pages."""
        out = []
        for versions in self.versions.values():
            for model in versions:
                out.append(
                    self.folders[id(model)]
                    if model is not versions[0]
                    else self.changes_page(model)[: -len(INDEX)]
                )
        return sorted(out)

    def component_page_for(self, model_name: str, kind: str) -> str | None:
        """The page of ``kind`` in the published model named ``model_name`` (any case), if there is one."""
        return self.components_by_kind.get((model_name.lower(), kind.lower()))

    @staticmethod
    def icon_file(icon: Icon) -> str:
        return f"assets/icons/{icon.filename}"

    # Catalog.
    def design_page(self, entry: CatalogEntry) -> str:
        return f"{self.prefixes.catalog}/{entry.slug}/{INDEX}"

    # Learning paths.
    def learning_page(self, node: LearningNode) -> str:
        return self.learning[id(node)]

    def reserved(self) -> set[str]:
        """Top-level names hand-written content may not use: the generated sections own them."""
        return {p.split("/", 1)[0] for p in self.prefixes.folders()} | set(FIXED_TOP_LEVEL)


def resolve_site(
    registry: Registry,
    report: Report,
    *,
    prefixes: Prefixes | None = None,
    keys: KeySheet | None = None,
    learning_paths: list[LearningNode] | None = None,
) -> SiteMap:
    """Slugs and docs paths for everything loaded; collisions after slugging are reported, never fatal.

    Designs need nothing here: they are addressed by their folder name, unique already.
    """
    prefixes = prefixes or Prefixes()
    slugs: dict[int, str] = {}
    _registry_slugs(registry, report, slugs)
    folders: dict[int, str] = {}
    versions: dict[str, tuple[Model, ...]] = {}
    for model in registry.models:
        base = f"{prefixes.models}/{slugs[id(model)]}/"
        folders[id(model)] = base
        older = registry.older.get(model.name, [])
        versions[model.name] = (model, *older)
        taken: set[str] = set()
        for old in older:
            _component_slugs(old, report, slugs)
            slugs[id(old)] = slugs[id(model)]
            folders[id(old)] = f"{base}{_version_folder(old.version, taken)}/"
    site = SiteMap(
        prefixes=prefixes,
        categories=_categories(registry, prefixes),
        key_themes=_key_themes(keys, prefixes) if keys is not None else (),
        slugs=MappingProxyType(slugs),
        folders=MappingProxyType(folders),
        versions=MappingProxyType(versions),
        learning=MappingProxyType(_learning_pages(learning_paths or [], prefixes)),
    )
    by_kind = {
        (m.name.lower(), c.kind.lower()): site.component_page(m, c)
        for m in registry.models
        for c in m.components
    }
    return replace(site, components_by_kind=MappingProxyType(by_kind))


def _registry_slugs(registry: Registry, report: Report, slugs: dict[int, str]) -> None:
    """Unique, stable slugs for every model, component and relationship."""
    models = SlugSet()
    for model in registry.models:
        slug, changed = models.claim(model.name)
        slugs[id(model)] = slug
        if changed:
            report.warning(
                model.source,
                f"model name '{model.name}' collides with another after slugging; published as '{slug}'",
            )
        _component_slugs(model, report, slugs)


def _component_slugs(model: Model, report: Report, slugs: dict[int, str]) -> None:
    """Slugs of one model version's components (by kind; by kind and apiVersion when a kind repeats)."""
    kinds = SlugSet()
    counts: dict[str, int] = {}
    for comp in model.components:
        counts[slugify(comp.kind)] = counts.get(slugify(comp.kind), 0) + 1
    for comp in model.components:
        wanted = comp.kind if counts[slugify(comp.kind)] == 1 else f"{comp.kind} {comp.api_version}"
        slug, changed = kinds.claim(wanted)
        slugs[id(comp)] = slug
        if changed:
            report.warning(
                comp.source,
                f"component kind '{comp.kind}' collides with another of model '{model.name}' "
                f"after slugging; published as '{slug}'",
                field="component.kind",
            )
    rels = SlugSet()
    for rel in model.relationships:
        froms, tos = rel.endpoints()
        words = [rel.kind, rel.type, rel.sub_type]
        if froms or tos:
            words += [*froms[:2], "to", *tos[:2]]
        slugs[id(rel)] = rels.claim(" ".join(w for w in words if w and w != "*") or "relationship")[0]


_VERSION_CHARS = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,79}$")


def _version_folder(version: str, taken: set[str]) -> str:
    """A version as written (``1.25.2``, ``v1.2.13``) when it is URL-safe, else its slug; never a name the
    model's own folders use, never twice."""
    name = version.strip().replace("+", "-")
    if not _VERSION_CHARS.match(name) or ".." in name:
        name = slugify(version)
    if name.lower() in VERSION_RESERVED:
        name = f"v-{name}"
    base, n = name, 1
    while name.lower() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.lower())
    return name


def _categories(registry: Registry, prefixes: Prefixes) -> tuple[CategoryPlace, ...]:
    """Categories by name, sub-categories by name, models by display name: the registry's outline."""
    grouped: dict[str, dict[str, list[Model]]] = {}
    for model in registry.models:
        grouped.setdefault(model.category, {}).setdefault(model.sub_category, []).append(model)
    cat_slugs = SlugSet({COVERAGE_FOLDER, CHANGELOG_FOLDER})
    slug_of = {name: cat_slugs.claim(name)[0] for name in grouped}  # claimed in first-seen order
    places = []
    for name in sorted(grouped, key=str.lower):
        folder = f"{prefixes.registry}/{slug_of[name]}/"
        sub_slugs = SlugSet()
        sub_slug_of = {sub: sub_slugs.claim(sub)[0] for sub in grouped[name]}
        subs = tuple(
            SubCategoryPlace(
                name=sub,
                page=f"{folder}{sub_slug_of[sub]}/{INDEX}",
                models=tuple(sorted(models, key=lambda m: (m.display_name.lower(), m.name))),
            )
            for sub, models in sorted(grouped[name].items(), key=lambda kv: kv[0].lower())
        )
        places.append(CategoryPlace(name=name, page=folder + INDEX, subs=subs))
    return tuple(places)


def _key_themes(sheet: KeySheet, prefixes: Prefixes) -> tuple[KeyThemePlace, ...]:
    """Theme → category pages of the keys reference, each theme and category sorted by name."""
    themes: dict[str, dict[str, list[PermissionKey]]] = {}
    for key in sheet.keys:
        themes.setdefault(key.theme, {}).setdefault(key.category, []).append(key)
    theme_slugs = SlugSet()
    places = []
    for theme in sorted(themes, key=str.lower):
        folder = f"{prefixes.keys}/{theme_slugs.claim(theme)[0]}/"
        category_slugs = SlugSet()
        categories = tuple(
            KeyCategoryPlace(
                name=category,
                page=f"{folder}{category_slugs.claim(category)[0]}/{INDEX}",
                keys=tuple(themes[theme][category]),
            )
            for category in sorted(themes[theme], key=str.lower)
        )
        places.append(KeyThemePlace(name=theme, page=folder + INDEX, categories=categories))
    return tuple(places)


def _learning_pages(paths: list[LearningNode], prefixes: Prefixes) -> dict[int, str]:
    """Learning path → course → module → page folders, by each node's slug among its siblings."""
    pages: dict[int, str] = {}

    def assign(node: LearningNode, folder: str) -> None:
        pages[id(node)] = folder + INDEX
        children = SlugSet({"index"})
        for child in node.children:
            assign(child, folder + children.claim(child.slug)[0] + "/")

    top = SlugSet()
    for path in paths:
        assign(path, f"{prefixes.learning_paths}/{top.claim(path.slug)[0]}/")
    return pages
