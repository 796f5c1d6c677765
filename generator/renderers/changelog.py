"""The registry changelog as a page, an Atom feed (``changelog.xml``) and data for the next build."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment

from meshdocs.loaders.publication import CHANGELOG_JSON, DIGESTS_FILE
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.sitemap import SiteMap, page_url

FEED = "changelog.xml"
ATOM = "http://www.w3.org/2005/Atom"


def render_changelog(
    env: Environment,
    site: SiteMap,
    entries: list[dict[str, Any]],
    digests: dict[str, Any],
    out: SiteOutput,
    *,
    site_url: str = "",
    title: str = "Registry changes",
) -> NavNode:
    page = site.changelog_page
    out.add(
        page,
        env.get_template("changelog.md.j2").render(
            page=page,
            entries=entries,
            feed_href=relative_url(FEED, page),
            model_href=lambda name: _model_href(site, name, page),
        ),
        "registry",
    )
    out.add(FEED, atom_feed(entries, page_url(page), site_url, title))
    out.add(
        CHANGELOG_JSON, json.dumps({"format": 1, "entries": entries}, indent=1, ensure_ascii=False) + "\n"
    )
    out.add(DIGESTS_FILE, json.dumps(digests, indent=0, sort_keys=True, ensure_ascii=False) + "\n")
    return NavNode("Changelog", page, weight=1001)


def _model_href(site: SiteMap, name: str, page: str) -> str | None:
    for versions in site.versions.values():
        if versions and versions[0].name == name:
            return relative_url(site.model_page(versions[0]), page)
    return None


def summary(entry: dict[str, Any]) -> str:
    parts = []
    for key, word in (("modelsAdded", "added"), ("modelsRemoved", "removed"), ("modelsUpdated", "updated")):
        items = entry.get(key) or []
        if items:
            parts.append(f"{len(items)} model{'s' if len(items) != 1 else ''} {word}")
    breaking = int(entry.get("breaking") or 0)
    text = ", ".join(parts) or "no change"
    return text + (f"; {breaking} breaking" if breaking else "")


def atom_feed(entries: list[dict[str, Any]], page: str, site_url: str, title: str) -> str:
    """An Atom 1.0 feed, newest entry first; ids are stable URNs, dates the entries' own."""
    base = site_url if not site_url or site_url.endswith("/") else site_url + "/"
    link = base + page if base else page
    updated = f"{entries[0]['date']}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}">',
        f"<title>{escape(title)}</title>",
        "<id>urn:meshdocs:changelog</id>",
        f'<link rel="alternate" href="{escape(link)}"/>',
        f"<updated>{escape(updated)}</updated>",
    ]
    for entry in entries:
        lines += [
            "<entry>",
            f"<id>urn:meshdocs:change:{escape(str(entry['id']))}</id>",
            f"<title>{escape(str(entry['date']))}: {escape(summary(entry))}</title>",
            f"<updated>{escape(str(entry['date']))}T00:00:00Z</updated>",
            f'<link rel="alternate" href="{escape(link)}#change-{escape(str(entry["id"]))}"/>',
            f'<content type="text">{escape(_details(entry))}</content>',
            "</entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def _details(entry: dict[str, Any]) -> str:
    lines = []
    for model in entry.get("modelsAdded") or []:
        lines.append(f"added: {model.get('name')} {model.get('version')}")
    for model in entry.get("modelsRemoved") or []:
        lines.append(f"removed (breaking): {model.get('name')} {model.get('version')}")
    for model in entry.get("modelsUpdated") or []:
        flag = f", {model.get('breaking')} breaking" if model.get("breaking") else ""
        lines.append(f"updated: {model.get('name')} {model.get('from')} → {model.get('to')}{flag}")
    return "\n".join(lines)
