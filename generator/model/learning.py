"""Playground learning paths: learning path → course → module → page, with labs, quizzes and exams."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from meshdocs.model.markup import Segment

NODE_TYPES = ("learning-path", "course", "module", "page", "lab", "test")
QUESTION_TYPES = ("single-answer", "multiple-answers", "short-answer")


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    """One question; ``answer`` is the canonical correct answer (option ids, or the short answer)."""

    id: str
    text: str
    type: str
    marks: float
    options: tuple[Option, ...]
    answer: str
    explanation: str = ""


@dataclass(frozen=True)
class Asset:
    """An image beside a page, published beside it."""

    filename: str
    data: bytes


@dataclass
class LearningNode:
    """A learning path, course, module, page, lab or test; ``folder`` nodes come from an ``_index.md``."""

    type: str
    id: str
    title: str
    description: str
    weight: float
    body: str
    source: Path
    slug: str
    folder: bool
    level: str = ""
    tags: tuple[str, ...] = ()
    pass_percentage: float | None = None
    questions: tuple[Question, ...] = ()
    assets: tuple[Asset, ...] = ()
    children: list[LearningNode] = field(default_factory=list)
    segments: tuple[Segment, ...] = ()  # the body with its Hugo shortcodes parsed
    org_id: str = ""  # the organisation UUID folder the node sits in, shown by {{< org-id >}}
    id_line: int | None = None

    def walk(self) -> list[LearningNode]:
        """This node and every descendant, depth first in order: the reading order of a path."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    @property
    def words(self) -> int:
        return len(self.body.split()) + sum(len(q.text.split()) for q in self.questions)
