"""The sidebar, rendered once per link rather than once per page.

Material renders the whole sidebar for every page, and at thousands of pages that was most of the theme's
time: a component page's sidebar holds its model's other components (a window of them), the other models
of its category and the top sections, each rendered again for each of that model's pages. Only the
links on the way to the page itself (the active item with its table of contents, the expanded sections
above it) differ between siblings.

``overrides/partials/nav-item.html`` sends every other link, and every pruned (collapsed) section,
through :meth:`ThemeMemo.render`. Their HTML depends on the nav item, its CSS class and the URL of its
target relative to the page, and on nothing else of the page: so the key is exactly that, the relative
URL computed as MkDocs' ``url`` filter computes it, and a sibling in the same folder gets the same bytes
from the memo that it would have rendered. ``tests/test_theme_memo.py`` builds sites of every page kind
with the memo and without it (``MESHDOCS_THEME_MEMO=0``) and compares every byte.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context
from mkdocs.utils import normalize_url

ENV_SWITCH = "MESHDOCS_THEME_MEMO"  # "0": render every link every time (for comparing bytes)


class ThemeMemo:
    """One build's rendered links, by (kind, item, class, relative URL); cleared for every build."""

    def __init__(self) -> None:
        self.enabled = True
        self.hits = 0
        self.misses = 0
        self._html: dict[tuple[str, int, str, str], Any] = {}

    def reset(self, enabled: bool = True) -> None:
        """A new build: its nav items are new objects (an id may be reused), so nothing old is kept."""
        self.enabled = enabled
        self._html.clear()
        self.hits = self.misses = 0

    def global_function(self) -> Any:
        """The template global ``mdx_memo``, called as ``{% call mdx_memo(kind, item, page, class) %}``."""

        @pass_context
        def mdx_memo(
            context: Context, kind: str, nav_item: Any, page: Any, css_class: Any, caller: Any
        ) -> Any:
            return self.render(context, kind, nav_item, css_class, caller)

        return mdx_memo

    def render(self, context: Context, kind: str, nav_item: Any, css_class: Any, caller: Any) -> Any:
        target = _target(kind, nav_item) if self.enabled else None
        if target is None:
            return caller()
        href = normalize_url(target, page=context.get("page"), base=context.get("base_url", ""))
        key = (kind, id(nav_item), str(css_class), href)
        found = self._html.get(key)
        if found is None:
            self.misses += 1
            found = self._html[key] = caller()
        else:
            self.hits += 1
        return found


def _target(kind: str, nav_item: Any) -> str | None:
    """The URL the block links to, as the template finds it; ``None``: not a block the memo knows."""
    if kind in ("link", "item"):  # a page's link, alone or as a sibling (with its place in the nav)
        url = getattr(nav_item, "url", None)
        return str(url) if url is not None else None
    if kind == "pruned":  # render_pruned follows first children down to a page
        item = nav_item
        while True:
            children = getattr(item, "children", None)
            if not children:
                return None
            first = children[0]
            if not getattr(first, "children", None):
                url = getattr(first, "url", None)
                return str(url) if url is not None else None
            item = first
    return None
