"""Catalog pages: the filterable index, one page per design and the coverage page.

A contributor's README is Markdown from a stranger: it is converted and sanitised
(:mod:`meshdocs.renderers.rich_text`) before it is placed in the page as a raw HTML block.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from meshdocs.layout.dot import LayoutEngine, LayoutError
from meshdocs.model.catalog import DESIGN_TYPES, Catalog, CatalogEntry, DesignComponent
from meshdocs.model.registry import Model, Registry
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.renderers.pulls import OciSettings
from meshdocs.renderers.rich_text import readme_html
from meshdocs.renderers.topology import render_topology
from meshdocs.sitemap import SiteMap, folder_of
from meshdocs.slugs import slugify
from meshdocs.transforms.topology import Placed, design_graph, overview_graph

CONTRIBUTE_PAGE = "guides/contributing-a-design/index.md"
CATALOG_WEIGHT = 30
SCHEMAS = ("catalog", "design")
TYPE_GOAL = 100.0
TECHNOLOGY_GOAL = 50.0
OVERVIEW_ABOVE = 40  # components: above this, the page shows an overview and links the full picture


@dataclass(frozen=True)
class CatalogSettings:
    """Site-level settings the design pages need (from the plugin config)."""

    oci: OciSettings = field(default_factory=OciSettings)


@dataclass
class _ComponentRow:
    """A design component with the links the page and the picture need."""

    c: DesignComponent
    href: str | None = None
    icon: str | None = None
    model_href: str | None = None


class CatalogRenderer:
    """Renders the catalog into ``out``; returns its nav section."""

    def __init__(
        self,
        env: Environment,
        catalog: Catalog,
        registry: Registry,
        site: SiteMap,
        settings: CatalogSettings,
        layouts: LayoutEngine | None = None,
    ) -> None:
        self.env = env
        self.catalog = catalog
        self.registry = registry
        self.site = site
        self.layouts = layouts or LayoutEngine()
        self.missing_pictures: list[tuple[Path, str]] = []  # designs whose picture Graphviz could not draw
        self.settings = settings
        self.models = {m.name.lower(): m for m in registry.models}

    def render(self, out: SiteOutput) -> NavNode:
        index, coverage = self.site.catalog_index, self.site.coverage_page
        section = NavNode("Catalog", index, weight=CATALOG_WEIGHT)
        models = self._published_models()
        out.add(
            index,
            self.env.get_template("catalog.md.j2").render(
                page=index,
                cards=[self._card(e, index) for e in self.catalog.entries],
                model_cards=[self._model_card(m, index) for m in models],
                types=[t for t in DESIGN_TYPES if any(e.meta.type == t for e in self.catalog.entries)],
                technologies=self._technology_options(models),
                coverage_href=relative_url(coverage, index),
                contribute_href=relative_url(CONTRIBUTE_PAGE, index),
            ),
            kind="catalog",
        )
        by_type: dict[str, NavNode] = {}
        for entry in self.catalog.entries:
            page = self._render_entry(entry, out)
            node = by_type.setdefault(
                entry.meta.type,
                NavNode(
                    entry.meta.type,
                    weight=DESIGN_TYPES.index(entry.meta.type) if entry.meta.type in DESIGN_TYPES else 99,
                ),
            )
            node.children.append(NavNode(entry.meta.name, page))
        section.children.extend(by_type.values())
        out.add(
            coverage,
            self.env.get_template("coverage.md.j2").render(page=coverage, **self.coverage()),
            "catalog",
        )
        section.children.append(NavNode("Coverage", coverage, weight=1000))
        return section

    def coverage(self) -> dict[str, object]:
        """Which design types and registry technologies the catalog covers, as counts and percentages."""
        entries = self.catalog.entries
        types = [{"name": t, "designs": sum(e.meta.type == t for e in entries)} for t in DESIGN_TYPES]
        used: dict[str, int] = {}
        for entry in entries:
            for tech in {technology_key(t) for t in entry.meta.technologies}:
                used[tech] = used.get(tech, 0) + 1
        technologies = [
            {
                "model": m,
                "href": relative_url(self.site.model_page(m), self.site.coverage_page),
                "designs": used.get(technology_key(m.name), 0),
            }
            for m in self._published_models()
        ]
        covered_types = sum(1 for t in types if t["designs"])
        covered_tech = sum(1 for t in technologies if t["designs"])
        return {
            "types": types,
            "technologies": technologies,
            "type_percent": _percent(covered_types, len(DESIGN_TYPES)),
            "technology_percent": _percent(covered_tech, len(technologies)),
            "covered_types": covered_types,
            "covered_technologies": covered_tech,
            "type_goal": TYPE_GOAL,
            "technology_goal": TECHNOLOGY_GOAL,
            "designs": len(entries),
        }

    def _published_models(self) -> list[Model]:
        """The registry's models a design could deploy, by title; shapes and icons only draw: left out."""
        drawing = self.registry.annotation_models()
        return sorted(
            (m for m in self.registry.models if m.name not in drawing),
            key=lambda m: (m.display_name.lower(), m.name),
        )

    def _card(self, entry: CatalogEntry, page: str) -> dict[str, object]:
        return {
            "e": entry,
            "href": relative_url(self.site.design_page(entry), page),
            "technologies": "|".join(dict.fromkeys(technology_key(t) for t in entry.meta.technologies)),
            "type_slug": slugify(entry.meta.type),
        }

    def _model_card(self, model: Model, page: str) -> dict[str, object]:
        """A model beside the designs: its versions' pages and how to pull and verify its newest version."""
        return {
            "m": model,
            "href": relative_url(self.site.model_page(model), page),
            "technology": technology_key(model.name),
            "slug": self.site.model_slug(model),
            "versions": [
                {"version": v.version, "href": relative_url(self.site.model_page(v), page)}
                for v in self.site.versions_of(model)
            ],
            "oci": self.settings.oci.model_ref(self.site, model),
            "key_href": self.settings.oci.key_href(page),
        }

    def _technology_options(self, models: list[Model]) -> list[dict[str, str]]:
        """One option per technology, designs' and models' alike, keyed as :func:`technology_key` says.

        Labelled with the model's title where there is a model, else as the first design spells it; a
        title two models share is told apart by the key.
        """
        labels: dict[str, str] = {}
        for entry in self.catalog.entries:
            for tech in entry.meta.technologies:
                labels.setdefault(technology_key(tech), tech)
        for model in models:
            labels[technology_key(model.name)] = model.display_name
        shared = Counter(label.lower() for label in labels.values())
        options = [
            {"value": key, "label": label if shared[label.lower()] == 1 else f"{label} ({key})"}
            for key, label in labels.items()
        ]
        return sorted(options, key=lambda o: (o["label"].lower(), o["value"]))

    def _render_entry(self, entry: CatalogEntry, out: SiteOutput) -> str:
        page = self.site.design_page(entry)
        folder = folder_of(page)
        out.add(folder + "design.yml", entry.design.raw)
        components = [self._component_row(c, page) for c in entry.design.components]
        topology, full, overview = self._topology(entry, components)
        if full:
            out.add(folder + "topology.svg", full + "\n")  # full size, beside the page: same relative links
        for shot in entry.screenshots:
            out.add(folder + shot.filename, shot.data)
        names = {c.id: c.name for c in entry.design.components}
        relationships = [
            {
                "r": r,
                "from": ", ".join(names.get(i, i) for i in r.sources) or "—",
                "to": ", ".join(names.get(i, i) for i in r.targets) or "—",
            }
            for r in entry.design.relationships
        ]
        out.add(
            page,
            self.env.get_template("design.md.j2").render(
                page=page,
                e=entry,
                meta=entry.meta,
                design=entry.design,
                components=components,
                annotations=sorted({a.kind or "annotation" for a in entry.design.annotations}),
                relationships=relationships,
                technologies=[self._technology(t, page) for t in entry.meta.technologies],
                topology=Markup(topology),
                overview=overview,
                drawn_relationships=sum(1 for r in entry.design.relationships if r.kind.lower() == "edge"),
                readme=readme_html(entry.readme, frozenset(s.filename for s in entry.screenshots))
                if entry.readme
                else "",
                screenshots=[s.filename for s in entry.screenshots],
                oci=self.settings.oci.design_ref(entry),
                key_href=self.settings.oci.key_href(page),
                catalog_href=relative_url(self.site.catalog_index, page),
            ),
            kind="design",
        )
        return page

    def _component_row(self, comp: DesignComponent, page: str) -> _ComponentRow:
        model = self.models.get(comp.model.lower())
        model_href = relative_url(self.site.model_page(model), page) if model else None
        row = _ComponentRow(comp, model_href=model_href)
        if model is not None:
            published = next((c for c in model.components if c.kind.lower() == comp.kind.lower()), None)
            if published is not None:
                row.href = relative_url(self.site.component_page(model, published), page)
                chosen = published.icon or model.icon
                row.icon = relative_url(self.site.icon_file(chosen), page) if chosen else None
        return row

    def _technology(self, name: str, page: str) -> dict[str, object]:
        model = self.models.get(name.lower())
        return {
            "name": model.display_name if model else name,
            "href": relative_url(self.site.model_page(model), page) if model else None,
        }

    def _topology(self, entry: CatalogEntry, components: list[_ComponentRow]) -> tuple[str, str, bool]:
        """The picture the page shows, the full-size one beside it, and whether the page shows an overview.

        Empty strings when Graphviz could not lay it out (noted in :attr:`missing_pictures`).
        """
        placed = [Placed(r.c, href=r.href, icon=r.icon) for r in components]
        graph = design_graph(placed, entry.design.relationships)
        prefix = "mdx-" + hashlib.sha256(entry.slug.encode("utf-8")).hexdigest()[:10]  # unique per page
        title = f"Topology of {entry.meta.name}"
        try:
            full = render_topology(graph, self.layouts, title=title, id_prefix=prefix)
            if len(components) <= OVERVIEW_ABOVE:
                return full, full, False
            overview = render_topology(
                overview_graph(graph),
                self.layouts,
                title=f"Overview of {entry.meta.name}: components grouped by namespace and kind",
                id_prefix=prefix + "-o",
            )
        except LayoutError as exc:
            self.missing_pictures.append((entry.design.source, str(exc)))
            return "", "", False
        return overview, full, True


def technology_key(name: str) -> str:
    """What a design's technology and a model's name are compared by: ``Istio`` and ``istio`` are one."""
    return name.lower()


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
