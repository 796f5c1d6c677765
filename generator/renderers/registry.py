"""Registry pages: overview, category, sub-category, model, component and relationship pages.

Where each page lives is the site map's (:mod:`meshdocs.sitemap`): ``models/<model>/components/<kind>/``
by default.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from meshdocs.forking import fork_map
from meshdocs.hashing import digest
from meshdocs.layout.dot import LayoutEngine, LayoutError
from meshdocs.model.registry import Component, Icon, Model, Registry, Relationship, Selector, SelectorEntry
from meshdocs.model.site import NavNode, PageReuse, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.renderers.pulls import OciSettings
from meshdocs.renderers.topology import render_topology
from meshdocs.sitemap import (
    REGISTRY_JSON,
    CategoryPlace,
    SiteMap,
    SubCategoryPlace,
    folder_of,
    page_url,
)
from meshdocs.transforms.coverage import Coverage, relationship_coverage
from meshdocs.transforms.model_diff import ModelDiff, counterpart, diff_component, diff_models
from meshdocs.transforms.schema_fields import flatten_schema
from meshdocs.transforms.topology import model_graph

REGISTRY_WEIGHT = 20
INLINE_RAW_LIMIT = 48 * 1024
MIN_PAGES_PER_PROCESS = 100  # below this, forking workers costs more than it saves


class RegistryRenderer:
    """Renders a whole registry into ``out`` and returns its nav section."""

    def __init__(
        self,
        env: Environment,
        registry: Registry,
        site: SiteMap,
        oci: OciSettings | None = None,
        memo: PageReuse | None = None,
        code_digest: str = "",
        jobs: int = 1,
        layouts: LayoutEngine | None = None,
    ) -> None:
        self.layouts = layouts or LayoutEngine()
        self._diffs: dict[int, ModelDiff] = {}  # a version's changes since the one before it, by id
        self.missing_pictures: list[tuple[Path, str]] = []  # models whose picture Graphviz could not draw
        self.memo = memo  # component pages whose inputs did not change are reused from the last build
        self.jobs = jobs
        self._pending: list[tuple[str, dict[str, object]]] = []
        self.code_digest = code_digest  # the generator's code and templates: part of every page's inputs
        self.oci = oci or OciSettings()
        self.env = env
        self.registry = registry
        self.site = site
        self.templates = {
            name: env.get_template(f"{name}.md.j2")
            for name in (
                "registry",
                "category",
                "subcategory",
                "model",
                "component",
                "relationship",
                "relationship_coverage",
                "model_changes",
            )
        }

    def render(self, out: SiteOutput) -> NavNode:
        self._mentions = self._component_mentions()
        self._icons_by_kind = {
            (m.name.lower(), c.kind.lower()): c.icon or m.icon
            for m in self.registry.models
            for c in m.components
        }
        for icon in sorted(self._icons(), key=lambda i: i.digest):
            out.add(self.site.icon_file(icon), icon.svg)
        index = self.site.registry_index
        section = NavNode("Registry", index, weight=REGISTRY_WEIGHT)
        out.add(
            index,
            self.templates["registry"].render(
                page=index,
                categories=[self._category_view(c, index) for c in self.site.categories],
                totals=self._totals(self.registry.models),
            ),
            kind="registry",
        )
        for cat in self.site.categories:
            section.children.append(self._render_category(cat, out))
        coverage = relationship_coverage(self.registry)
        if coverage.model is not None:
            section.children.append(self._render_coverage(coverage, out))
        self._render_pending(out)
        out.add(REGISTRY_JSON, registry_json(self.registry, self.site, coverage))
        return section

    def _render_category(self, cat: CategoryPlace, out: SiteOutput) -> NavNode:
        page = cat.page
        out.add(
            page,
            self.templates["category"].render(page=page, category=self._category_view(cat, page)),
            "category",
        )
        node = NavNode(cat.name, page)
        for sub in cat.subs:
            sub_page = sub.page
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
        """The newest version's pages, in the nav; older versions' pages beside them, reached by links."""
        versions = self.site.versions_of(model)
        self._diffs = {id(newer): diff_models(older, newer) for newer, older in pairwise(versions)}
        page = self._render_model_version(model, out)
        node = NavNode(model.display_name, page)
        for comp in model.components:
            node.children.append(
                NavNode(comp.display_name or comp.kind, self._render_component(model, comp, out))
            )
        if model.relationships:
            rel_node = NavNode("Relationships", weight=1)
            for rel in model.relationships:
                rel_node.children.append(
                    NavNode(self._relationship_title(rel), self._render_relationship(model, rel, out))
                )
            node.children.append(rel_node)
        for older in versions[1:]:
            self._render_model_version(older, out)
            for comp in older.components:
                self._render_component(older, comp, out)
            for rel in older.relationships:
                self._render_relationship(older, rel, out)
        for version in versions[:-1]:
            self._render_changes(version, out)
        return node

    def _render_model_version(self, model: Model, out: SiteOutput) -> str:
        page = self.site.model_page(model)
        versions = self.site.versions_of(model)
        newest = versions[0]
        rows = []
        for version in versions if len(versions) > 1 else ():
            diff = self._diffs.get(id(version))
            rows.append(
                {
                    "m": version,
                    "href": relative_url(self.site.model_page(version), page),
                    "current": version is model,
                    "changes_href": relative_url(self.site.changes_page(version), page) if diff else None,
                    "breaking": diff.breaking if diff else 0,
                }
            )
        view = {
            "model": model,
            "icon": self._icon_href(model.icon, page),
            "components": [
                {
                    "c": c,
                    "href": relative_url(self.site.component_page(model, c), page),
                    "icon": self._icon_href(c.icon or model.icon, page),
                }
                for c in model.components
            ],
            "relationships": [self._relationship_row(model, r, page) for r in model.relationships],
            "picture": Markup(self._relationship_picture(model, page)),
            "oci": self.oci.model_ref(self.site, model),
            "key_href": self.oci.key_href(page),
            "versions": [
                {"version": v.version, "href": r["href"], "current": r["current"]}
                for v, r in zip(versions, rows, strict=False)
            ],
            "version_rows": rows,
            "banner": None
            if model is newest
            else {
                "what": model.display_name,
                "version": model.version,
                "newest": newest.version,
                "href": relative_url(self.site.model_page(newest), page),
                "link": f"{newest.display_name} {newest.version}",
            },
        }
        out.add(page, self.templates["model"].render(page=page, **view), "model")
        return page

    def _render_relationship(self, model: Model, rel: Relationship, out: SiteOutput) -> str:
        rel_page = self.site.relationship_page(model, rel)
        out.add(
            rel_page,
            self.templates["relationship"].render(
                page=rel_page,
                rel=rel,
                model=model,
                model_href=relative_url(self.site.model_page(model), rel_page),
                selectors=[self._selector_view(s, rel_page) for s in rel.selectors],
            ),
            "relationship",
        )
        return rel_page

    def _render_changes(self, model: Model, out: SiteOutput) -> None:
        """The "what changed" page of a version that has one before it."""
        diff = self._diffs.get(id(model))
        if diff is None:
            return
        page = self.site.changes_page(model)

        def row(comp: Component, owner: Model) -> dict[str, object]:
            return {
                "kind": comp.kind,
                "api_version": comp.api_version,
                "href": relative_url(self.site.component_page(owner, comp), page),
            }

        summary = {
            "added": [row(c, model) for c in diff.added],
            "removed": [row(c, diff.old) for c in diff.removed],
            "changed": [
                {**row(c.new, model), "entries": c.schema.changes, "breaking": c.breaking}
                for c in diff.changed
            ],
            "relationships_added": diff.relationships_added,
            "relationships_removed": diff.relationships_removed,
            "breaking": diff.breaking,
        }
        out.add(
            page,
            self.templates["model_changes"].render(
                page=page,
                model=model,
                previous=diff.old,
                previous_href=relative_url(self.site.model_page(diff.old), page),
                model_href=relative_url(self.site.model_page(model), page),
                summary=summary,
            ),
            "changes",
        )

    def _render_component(self, model: Model, comp: Component, out: SiteOutput) -> str:
        page = self.site.component_page(model, comp)
        view: dict[str, object] = {
            "page": page,
            "c": comp,
            "model": model,
            "model_href": relative_url(self.site.model_page(model), page),
            "icon": self._icon_href(comp.icon or model.icon, page),
            "connections": self._connections(model, comp, page),
            **self._component_versions(model, comp, page),
        }
        key = self._component_key(view) if self.memo is not None else ""
        if self.memo is not None and self.memo.reuse(key, out, "component"):
            return page
        self._pending.append((key, view))
        return page

    def _component_versions(self, model: Model, comp: Component, page: str) -> dict[str, object]:
        """The version selector, the older-version banner, other apiVersions and the changes of a kind."""
        versions = self.site.versions_of(model)
        newest = versions[0]
        selector = []
        for version in versions if len(versions) > 1 else ():
            same = comp if version is model else counterpart(comp, version)
            target = (
                self.site.component_page(version, same) if same is not None else self.site.model_page(version)
            )
            selector.append(
                {"version": version.version, "href": relative_url(target, page), "current": version is model}
            )
        banner = None
        if model is not newest:
            latest = counterpart(comp, newest)
            banner = {
                "what": comp.kind,
                "version": model.version,
                "newest": newest.version,
                "href": relative_url(
                    self.site.component_page(newest, latest) if latest else self.site.model_page(newest), page
                ),
                "link": f"{comp.kind} in {newest.version}"
                if latest
                else f"{newest.display_name} {newest.version}",
            }
        served = [
            {
                "api_version": other.api_version,
                "href": relative_url(self.site.component_page(model, other), page),
            }
            for other in model.components
            if other.kind == comp.kind and other is not comp
        ]
        changes = None
        position = next((i for i, v in enumerate(versions) if v is model), 0)
        if len(versions) > 1:
            previous = versions[position + 1] if position + 1 < len(versions) else None
            before = counterpart(comp, previous) if previous is not None else None
            if previous is None:
                changes = None
            elif before is None:
                changes = {"since": "", "entries": [], "breaking": 0}
            else:
                diff = self._diffs.get(id(model))
                schema = diff.component_diff(before, comp) if diff else diff_component(before, comp)
                changes = {
                    "since": previous.version,
                    "previous_href": relative_url(self.site.component_page(previous, before), page),
                    "entries": schema.changes,
                    "breaking": len(schema.breaking),
                }
        return {"versions": selector, "banner": banner, "served": served, "changes": changes}

    def _render_pending(self, out: SiteOutput) -> None:
        """Render the component pages not reused, on every core when there are many of them."""
        pending, self._pending = self._pending, []
        if self.jobs > 1 and len(pending) >= 2 * MIN_PAGES_PER_PROCESS:
            results = fork_map(lambda i: self._component_files(pending[i][1]), len(pending), self.jobs)
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
        schema = flatten_schema(comp)
        files: list[tuple[str, str]] = []
        raw_href = None
        if schema.raw and schema.raw_bytes > INLINE_RAW_LIMIT:
            raw_path = folder_of(page) + "schema.json"
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
        rows = view["connections"]
        assert isinstance(rows, list)
        parts = [
            self.code_digest,
            view["page"],
            view["model_href"],
            view["icon"],
            [comp.kind, comp.api_version, comp.display_name, comp.description, comp.status],
            [repr(comp.namespaced), comp.schema_digest, comp.schema_version],
            [model.name, model.display_name, model.version],
            [[row["href"], repr(row["r"]), row["direction"], row["others"], row["how"]] for row in rows],
            [view["versions"], view["banner"], view["served"], repr(view["changes"])],
        ]
        return digest(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass"))

    def _relationship_picture(self, model: Model, page: str) -> str:
        """Which kinds the model's relationships connect, drawn; empty without relationships or Graphviz."""
        if not model.relationships:
            return ""

        def href(model_name: str, kind: str) -> str | None:
            target = self.site.component_page_for(model_name, kind)
            return relative_url(target, page) if target else None

        def icon(model_name: str, kind: str) -> str | None:
            found = self._icons_by_kind.get((model_name.lower(), kind.lower()))
            return self._icon_href(found, page)

        graph = model_graph(model, model.relationships, href, icon)
        prefix = "mdx-rel-" + digest(model.name.encode("utf-8"))[:10]
        try:
            return render_topology(
                graph,
                self.layouts,
                title=f"Relationships of {model.display_name}",
                id_prefix=prefix,
                summary=f"{len(model.relationships)} relationships between {len(graph.nodes)} kinds; "
                "the table below lists each with its selectors.",
            )
        except LayoutError as exc:
            self.missing_pictures.append((model.source, str(exc)))
            return ""

    def _render_coverage(self, coverage: Coverage, out: SiteOutput) -> NavNode:
        page = self.site.relationship_coverage_page
        rows = []
        for comp in coverage.kinds:
            target = self.site.component_page_for(coverage.model.name if coverage.model else "", comp.kind)
            href = relative_url(target, page) if target else None
            rows.append(
                {
                    "c": comp,
                    "href": href,
                    "counts": [coverage.count(comp, column) for column in coverage.columns],
                    "total": coverage.total(comp),
                }
            )
        out.add(
            page,
            self.templates["relationship_coverage"].render(
                page=page,
                coverage=coverage,
                rows=rows,
                registry_href=relative_url(self.site.registry_index, page),
            ),
            "registry",
        )
        return NavNode("Relationship coverage", page, weight=1000)

    def _connections(self, model: Model, comp: Component, page: str) -> list[dict[str, object]]:
        """What this kind connects to and is connected from, by each relationship that names it."""
        me = (model.name.lower(), comp.kind.lower())
        rows: list[dict[str, object]] = []
        for owner, rel in self._mentions.get(me, []):
            href = relative_url(self.site.relationship_page(owner, rel), page)
            for selector in rel.selectors:
                for direction, mine, theirs in (
                    ("to", selector.allow_from, selector.allow_to),
                    ("from", selector.allow_to, selector.allow_from),
                ):
                    own = [e for e in mine if (e.model.lower(), e.kind.lower()) == me]
                    if not own:
                        continue
                    others = []
                    for entry in theirs:
                        target = self.site.component_page_for(entry.model, entry.kind)
                        others.append(
                            {
                                "kind": "any kind" if entry.kind in ("", "*") else entry.kind,
                                "model": entry.model,
                                "href": relative_url(target, page) if target else None,
                            }
                        )
                    how = []
                    for entry in (*own, *theirs):
                        for text in (entry.match, entry.patch):
                            if text and text not in how:
                                how.append(text)
                    rows.append(
                        {
                            "r": rel,
                            "href": href,
                            "direction": direction,
                            "others": others,
                            "how": "; ".join(how),
                            "model": owner.name,
                        }
                    )
        return rows

    def _relationship_row(self, model: Model, rel: Relationship, page: str) -> dict[str, object]:
        froms, tos = rel.endpoints()
        return {
            "r": rel,
            "href": relative_url(self.site.relationship_page(model, rel), page),
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
                target = self.site.component_page_for(e.model, e.kind)
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
                    if self.site.component_page_for(*key) is not None:
                        mentions.setdefault(key, []).append((model, rel))
        return mentions

    def _category_view(self, cat: CategoryPlace, page: str) -> dict[str, object]:
        return {
            "name": cat.name,
            "href": relative_url(cat.page, page),
            "totals": self._totals(cat.models),
            "subs": [self._sub_view(s, page, linked=True) for s in cat.subs],
        }

    def _sub_view(self, sub: SubCategoryPlace, page: str, linked: bool = False) -> dict[str, object]:
        view: dict[str, object] = {
            "name": sub.name,
            "totals": self._totals(sub.models),
            "models": [
                {
                    "m": m,
                    "href": relative_url(self.site.model_page(m), page),
                    "icon": self._icon_href(m.icon, page),
                }
                for m in sub.models
            ],
        }
        if linked:
            view["href"] = relative_url(sub.page, page)
        return view

    @staticmethod
    def _totals(models: Sequence[Model]) -> dict[str, int]:
        return {
            "models": len(models),
            "components": sum(len(m.components) for m in models),
            "relationships": sum(len(m.relationships) for m in models),
        }

    def _icon_href(self, icon: Icon | None, page: str) -> str | None:
        return relative_url(self.site.icon_file(icon), page) if icon else None

    def _icons(self) -> set[Icon]:
        icons = set()
        for model in (v for m in self.registry.models for v in self.site.versions_of(m)):
            if model.icon:
                icons.add(model.icon)
            for comp in model.components:
                if comp.icon:
                    icons.add(comp.icon)
        return icons


def registry_json(registry: Registry, site: SiteMap, coverage: Coverage | None = None) -> str:
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
                "url": page_url(site.model_page(model)),
                "components": [
                    {
                        "kind": c.kind,
                        "apiVersion": c.api_version,
                        "displayName": c.display_name,
                        "url": page_url(site.component_page(model, c)),
                    }
                    for c in model.components
                ],
                "relationships": [
                    {
                        "kind": r.kind,
                        "type": r.type,
                        "subType": r.sub_type,
                        "url": page_url(site.relationship_page(model, r)),
                    }
                    for r in model.relationships
                ],
                "versions": [  # added with every version published: newest first, each with its page
                    {"version": v.version, "url": page_url(site.model_page(v))}
                    for v in site.versions_of(model)
                ],
            }
        )
    data: dict[str, object] = {"models": models}
    if coverage is not None and coverage.model is not None:
        data["coverage"] = {"kubernetes": coverage.to_data()}  # added in 0.2: relationship coverage
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"
