"""The security key reference: static tables (no JavaScript needed, so search engines and the site
search see every key), one page per category, a stable anchor per key, and ``keys.json`` for tools."""

from __future__ import annotations

import json

from jinja2 import Environment

from meshdocs.model.keys import KeySheet, PermissionKey
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.sitemap import KEYS_JSON, SiteMap, page_url

KEYS_WEIGHT = 40


def key_anchor(key: PermissionKey) -> str:
    return f"key-{key.id}"


class KeysRenderer:
    def __init__(self, env: Environment, sheet: KeySheet, site: SiteMap) -> None:
        self.env = env
        self.sheet = sheet
        self.site = site

    def render(self, out: SiteOutput) -> NavNode:
        index = self.site.keys_index
        section = NavNode("Security keys", index, weight=KEYS_WEIGHT)
        overview = []
        pages: dict[str, str] = {}
        for theme in self.site.key_themes:
            node = NavNode(theme.name, theme.page)
            categories = []
            for category in theme.categories:
                page = category.page
                keys = list(category.keys)
                for key in keys:
                    pages[key.id] = page
                out.add(
                    page,
                    self.env.get_template("keys_category.md.j2").render(
                        page=page,
                        theme=theme.name,
                        category=category.name,
                        keys=keys,
                        roles=self.sheet.roles,
                        theme_href=relative_url(theme.page, page),
                        index_href=relative_url(index, page),
                    ),
                    "keys",
                )
                node.children.append(NavNode(category.name, page))
                categories.append({"name": category.name, "count": len(keys), "page": page})
            out.add(
                theme.page,
                self.env.get_template("keys_theme.md.j2").render(
                    page=theme.page,
                    theme=theme.name,
                    categories=[{**c, "href": relative_url(str(c["page"]), theme.page)} for c in categories],
                    index_href=relative_url(index, theme.page),
                ),
                "keys",
            )
            section.children.append(node)
            overview.append(
                {
                    "name": theme.name,
                    "href": relative_url(theme.page, index),
                    "count": sum(int(str(c["count"])) for c in categories),
                    "categories": [{**c, "href": relative_url(str(c["page"]), index)} for c in categories],
                }
            )
        out.add(
            index,
            self.env.get_template("keys.md.j2").render(
                page=index, themes=overview, roles=self.sheet.roles, total=len(self.sheet.keys)
            ),
            "keys",
        )
        out.add(KEYS_JSON, keys_json(self.sheet, pages))
        return section


def keys_json(sheet: KeySheet, pages: dict[str, str]) -> str:
    """Every published key with its roles and the URL of its row, for tools."""
    keys = [
        {
            "id": k.id,
            "name": k.name,
            "description": k.description,
            "theme": k.theme,
            "category": k.category,
            "moniker": k.moniker,
            "roles": list(k.roles),
            "url": page_url(pages[k.id]) + f"#{key_anchor(k)}",
        }
        for k in sheet.keys
    ]
    return json.dumps({"roles": list(sheet.roles), "keys": keys}, indent=1, ensure_ascii=False) + "\n"
