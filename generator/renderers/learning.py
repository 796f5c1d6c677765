"""Learning paths as pages: an index of paths, an overview per path, then every course, module, page,
lab and test with breadcrumbs and previous/next links through the whole path.

Page bodies come from academies we do not control: their Hugo shortcodes become Material's equivalents
(admonitions, cards, tabs), then they are converted and sanitised like a catalog README. Quizzes keep their
questions in the static HTML; answers are not in the page source (only salted hashes the browser compares
against) unless ``show_answers`` is set.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from jinja2 import Environment
from markupsafe import Markup

from meshdocs.model.learning import Asset, LearningNode, Question
from meshdocs.model.site import NavNode, SiteOutput
from meshdocs.renderers.environment import relative_url
from meshdocs.renderers.shortcodes import ShortcodeContext, body_html
from meshdocs.sanitize.html import sanitize_html
from meshdocs.sitemap import SiteMap, folder_of

WEIGHT = 35
WORDS_PER_MINUTE = 200


@dataclass(frozen=True)
class LearningSettings:
    show_answers: bool = False


def answer_hash(salt: str, question: Question, answer: str) -> str:
    """What the browser computes from a reader's answer: SHA-256 of ``salt:question:answer``."""
    return hashlib.sha256(f"{salt}:{question.id}:{answer}".encode()).hexdigest()


def reading_minutes(node: LearningNode) -> int:
    return max(1, math.ceil(sum(n.words for n in node.walk()) / WORDS_PER_MINUTE))


class LearningRenderer:
    def __init__(
        self, env: Environment, paths: list[LearningNode], site: SiteMap, settings: LearningSettings
    ) -> None:
        self.env = env
        self.paths = paths
        self.site = site
        self.settings = settings

    def render(self, out: SiteOutput) -> NavNode:
        home = self.site.learning_index
        section = NavNode("Learning paths", home, weight=WEIGHT)
        out.add(
            home,
            self.env.get_template("learning_paths.md.j2").render(
                page=home,
                paths=[
                    {
                        "n": p,
                        "href": relative_url(self.site.learning_page(p), home),
                        "minutes": reading_minutes(p),
                        "courses": sum(1 for c in p.children if c.type == "course"),
                    }
                    for p in self.paths
                ],
            ),
            "learning",
        )
        for path in self.paths:
            order = path.walk()
            for index, node in enumerate(order):
                self._render_node(node, path, order, index, out)
            section.children.append(self._nav(path))
        return section

    def _nav(self, node: LearningNode) -> NavNode:
        nav = NavNode(node.title, self.site.learning_page(node), weight=node.weight)
        nav.children = [self._nav(c) for c in node.children]
        return nav

    def _render_node(
        self, node: LearningNode, path: LearningNode, order: list[LearningNode], index: int, out: SiteOutput
    ) -> None:
        page = self.site.learning_page(node)
        folder = folder_of(page)
        for asset in node.assets:
            out.add(folder + asset.filename, asset.data)
        images = frozenset(a.filename for a in self._images(node, path))
        body = self._body(node, images)
        trail = self._trail(path, node)
        salt = hashlib.sha256(page.encode()).hexdigest()[:16]
        prev_node = order[index - 1] if index > 0 else None
        next_node = order[index + 1] if index + 1 < len(order) else None
        out.add(
            page,
            self.env.get_template("learning_node.md.j2").render(
                page=page,
                n=node,
                path=path,
                body=body,
                crumbs=[
                    {"title": c.title, "href": relative_url(self.site.learning_page(c), page)}
                    for c in trail[:-1]
                ],
                index_href=relative_url(self.site.learning_index, page),
                children=[self._child(c, page) for c in node.children],
                minutes=reading_minutes(node),
                prev={
                    "title": prev_node.title,
                    "href": relative_url(self.site.learning_page(prev_node), page),
                }
                if prev_node
                else None,
                next={
                    "title": next_node.title,
                    "href": relative_url(self.site.learning_page(next_node), page),
                }
                if next_node
                else None,
                questions=[self._question(q, salt, i) for i, q in enumerate(node.questions, start=1)],
                salt=salt,
                show_answers=self.settings.show_answers,
                total_marks=sum(q.marks for q in node.questions),
            ),
            "learning",
        )

    def _images(self, node: LearningNode, path: LearningNode) -> tuple[Asset, ...]:
        """Leaf pages share their folder's images: those are published beside the folder's page."""
        if node.folder:
            return node.assets
        parent = self._parent(path, node)
        return parent.assets if parent is not None else ()

    def _body(self, node: LearningNode, images: frozenset[str]) -> Markup:
        if not node.body.strip():
            return Markup("")
        html = body_html(node.segments, ShortcodeContext(org_id=node.org_id))
        # A leaf page's URL is one folder below the images beside its file: they are one level up.
        return sanitize_html(html, images, prefix="" if node.folder else "../")

    def _parent(self, root: LearningNode, target: LearningNode) -> LearningNode | None:
        for node in root.walk():
            if any(child is target for child in node.children):
                return node
        return None

    def _trail(self, root: LearningNode, target: LearningNode) -> list[LearningNode]:
        def search(node: LearningNode, trail: list[LearningNode]) -> list[LearningNode] | None:
            trail = [*trail, node]
            if node is target:
                return trail
            for child in node.children:
                found = search(child, trail)
                if found:
                    return found
            return None

        return search(root, []) or [target]

    def _child(self, child: LearningNode, page: str) -> dict[str, object]:
        return {
            "n": child,
            "href": relative_url(self.site.learning_page(child), page),
            "minutes": reading_minutes(child),
            "children": [
                {"n": g, "href": relative_url(self.site.learning_page(g), page)} for g in child.children
            ],
        }

    def _question(self, q: Question, salt: str, number: int) -> dict[str, object]:
        return {"q": q, "number": number, "hash": answer_hash(salt, q, q.answer)}
