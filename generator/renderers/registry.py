"""Registry pages: overview, category, sub-category, model, component and relationship pages.

URLs are decided here, once: ``models/<model>/components/<kind>/``. Every page is an ``index.md`` so a
link is its folder whatever the engine's URL style.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass, field

from jinja2 import Environment

from meshdocs.diagnostics import Report
from meshdocs.hashing import digest
from meshdocs.model.registry import Component, Icon, Model, Registry, Relationship, Selector, SelectorEntry
from meshdocs.model.site import NavNode, PageReuse, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.slugs import SlugSet, slugify

REGISTRY_INDEX = "registry/index.md"
REGISTRY_WEIGHT = 20
INLINE_RAW_LIMIT = 48 * 1024
REGISTRY_JSON = "registry.json"
MIN_PAGES_PER_PROCESS = 100  # below this, forking workers costs more than it saves


def model_page(model: Model) -> str:
    return f"models/{model.slug}/index.md"


def component_page(model: Model, comp: Component) -> str:
    return f"models/{model.slug}/components/{comp.slug}/index.md"


def relationship_page(model: Model, rel: Relationship) -> str:
    return f"models/{model.slug}/relationships/{rel.slug}/index.md"


def icon_file(icon: Icon) -> str:
    return f"assets/icons/{icon.filename}"


def page_url(path: str) -> str:
    """Site-root-relative URL of a docs path (``models/x/index.md`` → ``models/x/``)."""
    return path[: -len("index.md")] if path.endswith("index.md") else path


@dataclass
class _Category:
    name: str
    slug: str
    subs: dict[str, _SubCategory] = field(default_factory=dict)

    @property
    def models(self) -> list[Model]:
        return [m for s in self.subs.values() for m in s.models]


@dataclass
class _SubCategory:
    name: str
    slug: str
    models: list[Model] = field(default_factory=list)


def assign_slugs(registry: Registry, report: Report) -> None:
    """Unique, stable slugs for every model, component and relationship; collisions are reported."""
    models = SlugSet()
    for model in registry.models:
        model.slug, changed = models.claim(model.name)
        if changed:
            report.warning(
                model.source,
                f"model name '{model.name}' collides with another after slugging; "
                f"published as '{model.slug}'",
            )
        kinds = SlugSet()
        counts: dict[str, int] = {}
        for comp in model.components:
            counts[slugify(comp.kind)] = counts.get(slugify(comp.kind), 0) + 1
        for comp in model.components:
            wanted = comp.kind if counts[slugify(comp.kind)] == 1 else f"{comp.kind} {comp.api_version}"
            comp.slug, changed = kinds.claim(wanted)
            if changed:
                report.warning(
                    comp.source,
                    f"component kind '{comp.kind}' collides with another of model '{model.name}' "
                    f"after slugging; published as '{comp.slug}'",
                    field="component.kind",
                )
        rels = SlugSet()
        for rel in model.relationships:
            froms, tos = rel.endpoints()
            words = [rel.kind, rel.type, rel.sub_type]
            if froms or tos:
                words += [*froms[:2], "to", *tos[:2]]
            rel.slug, _ = rels.claim(" ".join(w for w in words if w and w != "*") or "relationship")


def _categories(registry: Registry) -> list[_Category]:
    cats: dict[str, _Category] = {}
    cat_slugs = SlugSet()
    for model in registry.models:
        cat = cats.get(model.category)
        if cat is None:
            cat = cats[model.category] = _Category(model.category, cat_slugs.claim(model.category)[0])
        sub = cat.subs.get(model.sub_category)
        if sub is None:
            sub_slugs = SlugSet({s.slug for s in cat.subs.values()})
            sub = cat.subs[model.sub_category] = _SubCategory(
                model.sub_category, sub_slugs.claim(model.sub_category)[0]
            )
        sub.models.append(model)
    ordered = sorted(cats.values(), key=lambda c: c.name.lower())
    for cat in ordered:
        cat.subs = dict(sorted(cat.subs.items(), key=lambda kv: kv[0].lower()))
        for sub in cat.subs.values():
            sub.models.sort(key=lambda m: (m.display_name.lower(), m.name))
    return ordered


class RegistryRenderer:
    """Renders a whole registry into ``out`` and returns its nav section."""

    def __init__(
        self,
        env: Environment,
        registry: Registry,
        report: Report,
        oci_repository: str = "",
        memo: PageReuse | None = None,
        code_digest: str = "",
        jobs: int = 1,
    ) -> None:
        self.memo = memo  # component pages whose inputs did not change are reused from the last build
        self.jobs = jobs
        self._pending: list[tuple[str, dict[str, object]]] = []
        self.code_digest = code_digest  # the generator's code and templates: part of every page's inputs
        self.oci_repository = oci_repository.rstrip("/")
        self.env = env
        self.registry = registry
        self.report = report
        self.templates = {
            name: env.get_template(f"{name}.md.j2")
            for name in ("registry", "category", "subcategory", "model", "component", "relationship")
        }

    def render(self, out: SiteOutput) -> NavNode:
        assign_slugs(self.registry, self.report)
        self._pages_by_key = {
            (m.name.lower(), c.kind.lower()): component_page(m, c)
            for m in self.registry.models
            for c in m.components
        }
        self._mentions = self._component_mentions()
        for icon in sorted(self._icons(), key=lambda i: i.digest):
            out.add(icon_file(icon), icon.svg)
        categories = _categories(self.registry)
        section = NavNode("Registry", REGISTRY_INDEX, weight=REGISTRY_WEIGHT)
        out.add(
            REGISTRY_INDEX,
            self.templates["registry"].render(
                page=REGISTRY_INDEX,
                categories=[self._category_view(c, REGISTRY_INDEX) for c in categories],
                totals=self._totals(self.registry.models),
            ),
            kind="registry",
        )
        for cat in categories:
            section.children.append(self._render_category(cat, out))
        self._render_pending(out)
        out.add(REGISTRY_JSON, registry_json(self.registry))
        return section

    def _render_category(self, cat: _Category, out: SiteOutput) -> NavNode:
        page = f"registry/{cat.slug}/index.md"
        out.add(
            page,
            self.templates["category"].render(page=page, category=self._category_view(cat, page)),
            "category",
        )
        node = NavNode(cat.name, page)
        for sub in cat.subs.values():
            sub_page = f"registry/{cat.slug}/{sub.slug}/index.md"
            out.add(
                sub_page,
                self.templates["subcategory"].render(
                    page=sub_page,
                    category=cat.name,
                    category_href=relative_url(page, sub_page),
                    sub=self._sub_view(sub, sub_page),
                ),
                "subcategory",
            )
            sub_node = NavNode(sub.name, sub_page)
            for model in sub.models:
                sub_node.children.append(self._render_model(model, out))
            node.children.append(sub_node)
        return node

    def _render_model(self, model: Model, out: SiteOutput) -> NavNode:
        page = model_page(model)
        view = {
            "model": model,
            "icon": self._icon_href(model.icon, page),
            "components": [
                {
                    "c": c,
                    "href": relative_url(component_page(model, c), page),
                    "icon": self._icon_href(c.icon or model.icon, page),
                }
                for c in model.components
            ],
            "relationships": [self._relationship_row(model, r, page) for r in model.relationships],
            "oci": f"{self.oci_repository}/models/{model.slug}:{model.version}"
            if self.oci_repository
            else "",
        }
        out.add(page, self.templates["model"].render(page=page, **view), "model")
        node = NavNode(model.display_name, page)
        for comp in model.components:
            node.children.append(
                NavNode(comp.display_name or comp.kind, self._render_component(model, comp, out))
            )
        if model.relationships:
            rel_node = NavNode("Relationships", weight=1)
            for rel in model.relationships:
                rel_page = relationship_page(model, rel)
                out.add(
                    rel_page,
                    self.templates["relationship"].render(
                        page=rel_page,
                        rel=rel,
                        model=model,
                        model_href=relative_url(page, rel_page),
                        selectors=[self._selector_view(s, rel_page) for s in rel.selectors],
                    ),
                    "relationship",
                )
                rel_node.children.append(NavNode(self._relationship_title(rel), rel_page))
            node.children.append(rel_node)
        return node

    def _render_component(self, model: Model, comp: Component, out: SiteOutput) -> str:
        page = component_page(model, comp)
        view: dict[str, object] = {
            "page": page,
            "c": comp,
            "model": model,
            "model_href": relative_url(model_page(model), page),
            "icon": self._icon_href(comp.icon or model.icon, page),
            "relationships": [
                self._relationship_row(m, r, page)
                for m, r in self._mentions.get((model.name.lower(), comp.kind.lower()), [])
            ],
        }
        key = self._component_key(view) if self.memo is not None else ""
        if self.memo is not None and self.memo.reuse(key, out, "component"):
            return page
        self._pending.append((key, view))
        return page

    def _render_pending(self, out: SiteOutput) -> None:
        """Render the component pages not reused, on every core when there are many of them."""
        pending, self._pending = self._pending, []
        if self.jobs > 1 and len(pending) >= 2 * MIN_PAGES_PER_PROCESS:
            global _FORKED
            _FORKED = (self, pending)  # inherited by the forked workers, never pickled
            chunk = max(1, len(pending) // (self.jobs * 8))
            with multiprocessing.get_context("fork").Pool(self.jobs) as pool:
                results = pool.map(_render_forked, range(len(pending)), chunksize=chunk)
            _FORKED = None
        else:
            results = [self._component_files(view) for _key, view in pending]
        for (key, _view), files in zip(pending, results, strict=True):
            for path, text in files:
                out.add(path, text, "component" if path.endswith(".md") else None)
            if self.memo is not None:
                self.memo.record(key, [path for path, _text in files])

    def _component_files(self, view: dict[str, object]) -> list[tuple[str, str]]:
        """The page (and, for a large schema, its ``schema.json``) of one component."""
        comp = view["c"]
        assert isinstance(comp, Component)
        page = str(view["page"])
        schema = comp.schema
        files: list[tuple[str, str]] = []
        raw_href = None
        if schema.raw and schema.raw_bytes > INLINE_RAW_LIMIT:
            raw_path = page[: -len("index.md")] + "schema.json"
            files.append((raw_path, schema.raw + "\n"))
            raw_href = relative_url(raw_path, page)
        text = self.templates["component"].render(
            schema=schema, raw_inline=schema.raw if raw_href is None else "", raw_href=raw_href, **view
        )
        files.append((page, text))
        return files

    def _component_key(self, view: dict[str, object]) -> str:
        """One hash of everything a component page is made from, the schema by its own hash."""
        comp = view["c"]
        model = view["model"]
        assert isinstance(comp, Component) and isinstance(model, Model)
        rows = view["relationships"]
        assert isinstance(rows, list)
        parts = [
            self.code_digest,
            view["page"],
            view["model_href"],
            view["icon"],
            [comp.kind, comp.api_version, comp.display_name, comp.description, comp.status],
            [repr(comp.namespaced), comp.schema_digest, comp.schema_version],
            [model.name, model.display_name, model.version],
            [[row["href"], repr(row["r"]), row["from"], row["to"], row["model"].name] for row in rows],
        ]
        return digest(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass"))

    def _relationship_row(self, model: Model, rel: Relationship, page: str) -> dict[str, object]:
        froms, tos = rel.endpoints()
        return {
            "r": rel,
            "href": relative_url(relationship_page(model, rel), page),
            "model": model,
            "from": ", ".join(froms) or "*",
            "to": ", ".join(tos) or "*",
        }

    @staticmethod
    def _relationship_title(rel: Relationship) -> str:
        froms, tos = rel.endpoints()
        ends = f": {', '.join(froms[:2]) or '*'} → {', '.join(tos[:2]) or '*'}" if (froms or tos) else ""
        return f"{rel.title}{ends}"

    def _selector_view(self, selector: Selector, page: str) -> dict[str, list[dict[str, object]]]:
        def rows(entries: Iterable[SelectorEntry]) -> list[dict[str, object]]:
            out: list[dict[str, object]] = []
            for e in entries:
                target = self._pages_by_key.get((e.model.lower(), e.kind.lower()))
                out.append({"e": e, "href": relative_url(target, page) if target else None})
            return out

        return {
            "allow_from": rows(selector.allow_from),
            "allow_to": rows(selector.allow_to),
            "deny_from": rows(selector.deny_from),
            "deny_to": rows(selector.deny_to),
        }

    def _component_mentions(self) -> dict[tuple[str, str], list[tuple[Model, Relationship]]]:
        """Which relationships name each (model, kind) explicitly, for the component page."""
        mentions: dict[tuple[str, str], list[tuple[Model, Relationship]]] = {}
        for model in self.registry.models:
            for rel in model.relationships:
                keys = set()
                for sel in rel.selectors:
                    for e in (*sel.allow_from, *sel.allow_to):
                        if e.kind != "*" and e.model != "*":
                            keys.add((e.model.lower(), e.kind.lower()))
                for key in sorted(keys):
                    if key in self._pages_by_key:
                        mentions.setdefault(key, []).append((model, rel))
        return mentions

    def _category_view(self, cat: _Category, page: str) -> dict[str, object]:
        return {
            "name": cat.name,
            "href": relative_url(f"registry/{cat.slug}/index.md", page),
            "totals": self._totals(cat.models),
            "subs": [self._sub_view(s, page, cat) for s in cat.subs.values()],
        }

    def _sub_view(self, sub: _SubCategory, page: str, cat: _Category | None = None) -> dict[str, object]:
        view: dict[str, object] = {
            "name": sub.name,
            "totals": self._totals(sub.models),
            "models": [
                {
                    "m": m,
                    "href": relative_url(model_page(m), page),
                    "icon": self._icon_href(m.icon, page),
                }
                for m in sub.models
            ],
        }
        if cat is not None:
            view["href"] = relative_url(f"registry/{cat.slug}/{sub.slug}/index.md", page)
        return view

    @staticmethod
    def _totals(models: list[Model]) -> dict[str, int]:
        return {
            "models": len(models),
            "components": sum(len(m.components) for m in models),
            "relationships": sum(len(m.relationships) for m in models),
        }

    def _icon_href(self, icon: Icon | None, page: str) -> str | None:
        return relative_url(icon_file(icon), page) if icon else None

    def _icons(self) -> set[Icon]:
        icons = set()
        for model in self.registry.models:
            if model.icon:
                icons.add(model.icon)
            for comp in model.components:
                if comp.icon:
                    icons.add(comp.icon)
        return icons


_FORKED: tuple[RegistryRenderer, list[tuple[str, dict[str, object]]]] | None = None


def _render_forked(index: int) -> list[tuple[str, str]]:
    """In a forked worker: render pending page ``index`` of the renderer the parent left in ``_FORKED``."""
    assert _FORKED is not None
    renderer, pending = _FORKED
    return renderer._component_files(pending[index][1])


def registry_json(registry: Registry) -> str:
    """The machine-readable index users' scripts read: a stable contract, extended only."""
    models = []
    for model in registry.models:
        models.append(
            {
                "name": model.name,
                "displayName": model.display_name,
                "version": model.version,
                "category": model.category,
                "subCategory": model.sub_category,
                "url": page_url(model_page(model)),
                "components": [
                    {
                        "kind": c.kind,
                        "apiVersion": c.api_version,
                        "displayName": c.display_name,
                        "url": page_url(component_page(model, c)),
                    }
                    for c in model.components
                ],
                "relationships": [
                    {
                        "kind": r.kind,
                        "type": r.type,
                        "subType": r.sub_type,
                        "url": page_url(relationship_page(model, r)),
                    }
                    for r in model.relationships
                ],
            }
        )
    return json.dumps({"models": models}, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
