"""Read a learning-paths tree as the Layer5 and Meshery academies lay it out (Hugo content).

Every folder with an ``_index.md`` is a node whose front matter ``type`` says what it is; folders without
one (an organisation's UUID folder, the tree's root) are passed through. Leaf ``*.md`` files are pages,
labs or tests (a file with ``questions`` is a test). Siblings are ordered by ``weight``, then title.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.diagnostics import Report
from generator.loaders.content import read_front_matter
from generator.loaders.files import DataError, read_text
from generator.loaders.images import raster_problem
from generator.model.learning import NODE_TYPES, QUESTION_TYPES, Asset, LearningNode, Option, Question
from generator.sanitize.svg import SvgRejected, sanitize_svg
from generator.slugs import slugify

INDEX = "_index.md"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
MAX_IMAGE = 2 * 1024 * 1024
MAX_DEPTH = 12
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class _Context:
    def __init__(self, report: Report, include_drafts: bool) -> None:
        self.report = report
        self.include_drafts = include_drafts
        self.ids: dict[str, Path] = {}


def load_learning_paths(root: Path, report: Report, *, include_drafts: bool = False) -> list[LearningNode]:
    """The learning paths under ``root`` (ordered), each with its courses, modules and pages."""
    if not root.is_dir():
        report.error(root, "learning paths folder does not exist or is not a folder")
        return []
    ctx = _Context(report, include_drafts)
    found = _children(root, ctx, depth=0, parent_type="")
    paths = []
    for node in found:
        if node.type == "learning-path":
            paths.append(node)
        else:
            report.error(
                node.source,
                f"a {node.type} outside any learning path; expected it under a folder "
                "whose _index.md has type: learning-path",
                field="type",
            )
    return paths


def _children(folder: Path, ctx: _Context, *, depth: int, parent_type: str) -> list[LearningNode]:
    if depth > MAX_DEPTH:
        ctx.report.error(folder, f"nested deeper than {MAX_DEPTH} levels; not read further")
        return []
    nodes: list[LearningNode] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "_")) and path.name != INDEX:
            continue
        if path.is_symlink():
            continue
        if path.is_dir():
            if (path / INDEX).is_file():
                node = _node(
                    path / INDEX, ctx, folder=True, default="learning-path" if not parent_type else "page"
                )
                if node is not None:
                    node.children = _children(path, ctx, depth=depth + 1, parent_type=node.type)
                    node.assets = _assets(path, ctx.report)
                    nodes.append(node)
            else:
                nodes.extend(_children(path, ctx, depth=depth + 1, parent_type=parent_type))
        elif path.suffix == ".md" and path.name != INDEX:
            node = _node(path, ctx, folder=False, default="page")
            if node is not None:
                nodes.append(node)
    nodes.sort(key=lambda n: (n.weight, n.title.lower(), n.slug))
    return nodes


def _node(path: Path, ctx: _Context, *, folder: bool, default: str) -> LearningNode | None:
    report = ctx.report
    try:
        text = read_text(path, max_bytes=1024 * 1024)
    except DataError as exc:
        report.error(path, exc.message, line=exc.line)
        return None
    parsed, front, body = read_front_matter(path, text, report)
    if parsed is None:
        return None
    data: dict[str, Any] = parsed
    if not front.strip() and path.name == INDEX:
        report.error(path, "no front matter: an _index.md needs at least type and title", line=1)
        return None
    kind = _text(data.get("type")) or ("test" if data.get("questions") else default)
    if kind == "learning-paths":  # the section root of a Hugo academy: not a node
        return None
    if kind not in NODE_TYPES:
        report.error(
            path,
            f"'{kind}' is not one of {', '.join(NODE_TYPES)}",
            line=_line(front, "type"),
            field="type",
        )
        return None
    if data.get("draft") is True and not ctx.include_drafts:
        report.notice(path, "draft: not published (set learning_paths_drafts to preview drafts)")
        return None
    title = _text(data.get("title"))
    if not title:
        report.error(path, "is required", line=_line(front, "title") or 1, field="title")
        title = path.parent.name if folder else path.stem
    node_id = _text(data.get("id"))
    if kind == "learning-path":
        if not node_id:
            report.error(path, "is required on a learning path (a UUID)", line=1, field="id")
        elif not _UUID.match(node_id):
            report.warning(path, f"'{node_id}' is not a UUID", line=_line(front, "id"), field="id")
        if not _text(data.get("description")):
            report.warning(path, "is missing; it is shown on the learning paths page", field="description")
    if node_id:
        if node_id in ctx.ids:
            first = report.display_path(ctx.ids[node_id])
            report.error(
                path,
                f"'{node_id}' is already used by {first}; ids must be unique",
                line=_line(front, "id"),
                field="id",
            )
        ctx.ids.setdefault(node_id, path)
    weight = data.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        report.error(path, f"'{weight}' is not a number", line=_line(front, "weight"), field="weight")
        weight = 0
    questions: tuple[Question, ...] = ()
    pass_percentage = None
    if kind == "test":
        questions = _questions(data.get("questions"), path, front, report)
        pass_percentage = _pass_percentage(data.get("passPercentage"), path, front, report)
    return LearningNode(
        type=kind,
        id=node_id,
        title=title,
        description=_text(data.get("description")),
        weight=float(weight),
        body=body,
        source=path,
        slug=slugify(path.parent.name if folder else path.stem),
        folder=folder,
        level=_text(data.get("level")),
        tags=tuple(_text(t) for t in data.get("tags") or [] if _text(t))
        if isinstance(data.get("tags"), list)
        else (),
        pass_percentage=pass_percentage,
        questions=questions,
    )


def _questions(value: Any, path: Path, front: str, report: Report) -> tuple[Question, ...]:
    if not isinstance(value, list) or not value:
        report.error(
            path,
            "a test needs a list of questions",
            line=_line(front, "questions") or 1,
            field="questions",
        )
        return ()
    out, ids = [], set()
    for i, item in enumerate(value):
        field = f"questions[{i}]"
        if not isinstance(item, dict):
            report.error(path, "expected a mapping with id, text, type", field=field)
            continue
        qid, text, kind = (
            _text(item.get("id")) or f"q{i + 1}",
            _text(item.get("text")),
            _text(item.get("type")),
        )
        if qid in ids:
            report.error(path, f"question id '{qid}' is used twice", field=f"{field}.id")
        ids.add(qid)
        if not text:
            report.error(path, "is required", field=f"{field}.text")
        if kind not in QUESTION_TYPES:
            report.error(path, f"'{kind}' is not one of {', '.join(QUESTION_TYPES)}", field=f"{field}.type")
            continue
        options = tuple(
            Option(_text(o.get("id")) or str(j), _text(o.get("text")), o.get("isCorrect") is True)
            for j, o in enumerate(item.get("options") or [])
            if isinstance(o, dict)
        )
        correct = [o.id for o in options if o.correct]
        if kind == "short-answer":
            answer = " ".join(_text(item.get("correctAnswer")).lower().split())
            if not answer:
                report.error(path, "a short-answer question needs one", field=f"{field}.correctAnswer")
        elif kind == "single-answer" and len(correct) != 1:
            report.error(
                path,
                f"a single-answer question needs exactly one correct option, found {len(correct)}",
                field=f"{field}.options",
            )
            answer = ",".join(sorted(correct))
        elif kind == "multiple-answers" and not correct:
            report.error(
                path,
                "a multiple-answers question needs at least one correct option",
                field=f"{field}.options",
            )
            answer = ""
        else:
            answer = ",".join(sorted(correct))
        marks = item.get("marks", 1)
        if isinstance(marks, bool) or not isinstance(marks, (int, float)) or marks < 0:
            report.error(path, f"'{marks}' is not a number", field=f"{field}.marks")
            marks = 1
        out.append(Question(qid, text, kind, float(marks), options, answer, _text(item.get("explanation"))))
    return tuple(out)


def _pass_percentage(value: Any, path: Path, front: str, report: Report) -> float:
    if value is None:
        return 100.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        report.error(
            path,
            f"'{value}' is not a number from 0 to 100",
            line=_line(front, "passPercentage"),
            field="passPercentage",
        )
        return 100.0
    return float(value)


def _assets(folder: Path, report: Report) -> tuple[Asset, ...]:
    """Images beside the pages: SVGs sanitised (served from our origin), others checked by their bytes."""
    assets = []
    for path in sorted(folder.iterdir()):
        suffix = path.suffix.lower()
        if not path.is_file() or path.is_symlink() or suffix not in IMAGE_SUFFIXES:
            continue
        if path.stat().st_size > MAX_IMAGE:
            report.warning(path, "image is larger than 2 MB; not published")
            continue
        data = path.read_bytes()
        if suffix == ".svg":
            try:
                data = sanitize_svg(data.decode("utf-8", errors="strict")).encode("utf-8")
            except (SvgRejected, UnicodeDecodeError) as exc:
                report.warning(path, f"image not published: {exc}")
                continue
        elif problem := raster_problem(suffix, data):
            report.warning(path, problem)
            continue
        assets.append(Asset(path.name, data))
    return tuple(assets)


def _line(front: str, key: str) -> int | None:
    """The line of ``key`` in the file (front matter starts on line 2)."""
    match = re.search(rf"(?m)^{re.escape(key)}\s*:", front)
    return front.count("\n", 0, match.start()) + 2 if match else None


def _text(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""
