"""The security key reference: static tables (no JavaScript needed, so search engines and the site
search see every key), one page per category, a stable anchor per key, and ``keys.json`` for tools."""

from __future__ import annotations

import json

from jinja2 import Environment

from meshdocs.model.keys import KeySheet, PermissionKey
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.slugs import SlugSet

KEYS_INDEX = "keys/index.md"
KEYS_JSON = "keys.json"
KEYS_WEIGHT = 40


def key_anchor(key: PermissionKey) -> str:
    return f"key-{key.id}"


class KeysRenderer:
    def __init__(self, env: Environment, sheet: KeySheet) -> None:
        self.env = env
        self.sheet = sheet

    def render(self, out: SiteOutput) -> NavNode:
        themes: dict[str, dict[str, list[PermissionKey]]] = {}
        for key in self.sheet.keys:
            themes.setdefault(key.theme, {}).setdefault(key.category, []).append(key)
        theme_slugs = SlugSet()
        section = NavNode("Security keys", KEYS_INDEX, weight=KEYS_WEIGHT)
        overview = []
        pages: dict[str, str] = {}
        for theme in sorted(themes, key=str.lower):
            theme_page = f"keys/{theme_slugs.claim(theme)[0]}/index.md"
            node = NavNode(theme, theme_page)
            category_slugs = SlugSet()
            categories = []
            for category in sorted(themes[theme], key=str.lower):
                page = f"{theme_page[: -len('index.md')]}{category_slugs.claim(category)[0]}/index.md"
                keys = themes[theme][category]
                for key in keys:
                    pages[key.id] = page
                out.add(
                    page,
                    self.env.get_template("keys_category.md.j2").render(
                        page=page,
                        theme=theme,
                        category=category,
                        keys=keys,
                        roles=self.sheet.roles,
                        theme_href=relative_url(theme_page, page),
                        index_href=relative_url(KEYS_INDEX, page),
                    ),
                    "keys",
                )
                node.children.append(NavNode(category, page))
                categories.append({"name": category, "count": len(keys), "page": page})
            out.add(
                theme_page,
                self.env.get_template("keys_theme.md.j2").render(
                    page=theme_page,
                    theme=theme,
                    categories=[{**c, "href": relative_url(str(c["page"]), theme_page)} for c in categories],
                    index_href=relative_url(KEYS_INDEX, theme_page),
                ),
                "keys",
            )
            section.children.append(node)
            overview.append(
                {
                    "name": theme,
                    "href": relative_url(theme_page, KEYS_INDEX),
                    "count": sum(int(str(c["count"])) for c in categories),
                    "categories": [
                        {**c, "href": relative_url(str(c["page"]), KEYS_INDEX)} for c in categories
                    ],
                }
            )
        out.add(
            KEYS_INDEX,
            self.env.get_template("keys.md.j2").render(
                page=KEYS_INDEX, themes=overview, roles=self.sheet.roles, total=len(self.sheet.keys)
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
            "url": pages[k.id][: -len("index.md")] + f"#{key_anchor(k)}",
        }
        for k in sheet.keys
    ]
    return json.dumps({"roles": list(sheet.roles), "keys": keys}, indent=1, ensure_ascii=False) + "\n"
