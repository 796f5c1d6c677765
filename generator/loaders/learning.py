"""Read a learning-paths tree as the Layer5 and Meshery academies lay it out (Hugo content).

Every folder with an ``_index.md`` is a node whose front matter ``type`` says what it is; folders without
one (an organisation's UUID folder, the tree's root) are passed through. Leaf ``*.md`` files are pages,
labs or tests (a file with ``questions`` is a test). Siblings are ordered by ``weight``, then title.

What the academy's own Hugo theme accepts is published, with a warning where the author should fix
something: learning-path ids are unique across the tree, other ids only among siblings (real academies
reuse ``conclusion`` in every course); question types are read as the theme reads them (``short_answer``
is ``short-answer``), a near miss (``multiple-answer``) is taken as the type it is closest to. Only what
cannot be published faithfully (unreadable files, broken front matter) is an error.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from meshdocs.diagnostics import Report, Severity
from meshdocs.loaders.content import read_front_matter, split_front_matter
from meshdocs.loaders.files import DataError, read_text
from meshdocs.loaders.images import raster_problem
from meshdocs.loaders.shortcodes import parse_shortcodes
from meshdocs.model.learning import NODE_TYPES, QUESTION_TYPES, Asset, LearningNode, Option, Question
from meshdocs.sanitize.svg import SvgRejected, sanitize_svg
from meshdocs.slugs import slugify

INDEX = "_index.md"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"}
MAX_IMAGE = 2 * 1024 * 1024
MAX_DEPTH = 12
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class _Context:
    def __init__(self, report: Report, include_drafts: bool) -> None:
        self.report = report
        self.include_drafts = include_drafts
        self.path_ids: dict[str, Path] = {}  # learning-path ids: unique across the whole tree


def is_learning_file(path: Path) -> bool:
    """Whether a Markdown file is part of an academy tree: its front matter ``type`` says so."""
    try:
        front, _, _ = split_front_matter(read_text(path, max_bytes=1024 * 1024))
    except DataError:
        return False
    match = re.search(r"^type:\s*[\"']?([A-Za-z-]+)", front, re.MULTILINE)
    return match is not None and match.group(1) in (*NODE_TYPES, "learning-paths")


def load_learning_paths(root: Path, report: Report, *, include_drafts: bool = False) -> list[LearningNode]:
    """The learning paths under ``root`` (ordered), each with its courses, modules and pages."""
    if not root.is_dir():
        report.error(root, "learning paths folder does not exist or is not a folder")
        return []
    ctx = _Context(report, include_drafts)
    found = _children(root, ctx, depth=0, parent_type="", org="")
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


def _children(folder: Path, ctx: _Context, *, depth: int, parent_type: str, org: str) -> list[LearningNode]:
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
                default = "learning-path" if not parent_type else "page"
                node = _node(path / INDEX, ctx, folder=True, default=default, org=org)
                if node is not None:
                    node.children = _children(path, ctx, depth=depth + 1, parent_type=node.type, org=org)
                    node.assets = _assets(path, ctx.report)
                    nodes.append(node)
            else:  # an organisation's UUID folder (its id is what {{< org-id >}} shows), or any other
                inner_org = path.name if _UUID.match(path.name) else org
                nodes.extend(_children(path, ctx, depth=depth + 1, parent_type=parent_type, org=inner_org))
        elif path.suffix == ".md" and path.name != INDEX:
            node = _node(path, ctx, folder=False, default="page", org=org)
            if node is not None:
                nodes.append(node)
    _check_sibling_ids(nodes, ctx.report)
    nodes.sort(key=lambda n: (n.weight, n.title.lower(), n.slug))
    return nodes


def _check_sibling_ids(nodes: list[LearningNode], report: Report) -> None:
    """Course, module and page ids need only differ from their siblings' (learning paths: tree-wide)."""
    seen: dict[str, Path] = {}
    for node in sorted(nodes, key=lambda n: str(n.source)):
        if not node.id or node.type == "learning-path":
            continue
        if node.id in seen:
            report.warning(
                node.source,
                f"'{node.id}' is also the id of {report.display_path(seen[node.id])}, a sibling; "
                "ids must differ among siblings",
                line=node.id_line,
                field="id",
            )
        seen.setdefault(node.id, node.source)


def _node(path: Path, ctx: _Context, *, folder: bool, default: str, org: str) -> LearningNode | None:
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
        fallback = "test" if data.get("questions") else "page"
        report.warning(
            path,
            f"'{kind}' is not one of {', '.join(NODE_TYPES)}; published as a {fallback}",
            line=_line(front, "type"),
            field="type",
        )
        kind = fallback
    if data.get("draft") is True and not ctx.include_drafts:
        report.notice(path, "draft: not published (set learning_paths_drafts to preview drafts)")
        return None
    title = _text(data.get("title"))
    if not title:
        title = _title_from_name(path.parent.name if folder else path.stem)
        report.warning(
            path, f"is missing; the page is titled '{title}' from its file name", line=1, field="title"
        )
    node_id = _text(data.get("id"))
    id_line = _line(front, "id")
    if kind == "learning-path":
        _check_path_id(node_id, path, id_line, ctx)
        if not _text(data.get("description")):
            report.warning(path, "is missing; it is shown on the learning paths page", field="description")
    weight = data.get("weight", 0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        report.warning(
            path, f"'{weight}' is not a number; ordered as 0", line=_line(front, "weight"), field="weight"
        )
        weight = 0
    questions: tuple[Question, ...] = ()
    pass_percentage = None
    if kind == "test":
        questions = _questions(data.get("questions"), path, front, report)
        pass_percentage = _pass_percentage(data.get("passPercentage"), path, front, report)
    parsed_body = parse_shortcodes(body)
    for severity, message in parsed_body.problems:
        report.add(Severity(severity), path, message, field="body")
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
        segments=parsed_body.segments,
        org_id=org,
        id_line=id_line,
    )


def _check_path_id(node_id: str, path: Path, line: int | None, ctx: _Context) -> None:
    report = ctx.report
    if not node_id:
        report.warning(path, "is missing: a learning path is identified by a UUID", line=1, field="id")
        return
    if not _UUID.match(node_id):
        report.warning(path, f"'{node_id}' is not a UUID", line=line, field="id")
    if node_id in ctx.path_ids:
        first = report.display_path(ctx.path_ids[node_id])
        report.warning(
            path,
            f"'{node_id}' is already the id of the learning path {first}; learning-path ids must be unique",
            line=line,
            field="id",
        )
    ctx.path_ids.setdefault(node_id, path)


def _title_from_name(name: str) -> str:
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else name


def _questions(value: Any, path: Path, front: str, report: Report) -> tuple[Question, ...]:
    if not isinstance(value, list) or not value:
        report.warning(
            path,
            "a test needs a list of questions; published without a quiz",
            line=_line(front, "questions") or 1,
            field="questions",
        )
        return ()
    out, ids = [], set()
    for i, item in enumerate(value):
        field = f"questions[{i}]"
        if not isinstance(item, dict):
            report.warning(
                path, "expected a mapping with id, text, type; question not published", field=field
            )
            continue
        qid, text = _text(item.get("id")) or f"q{i + 1}", _text(item.get("text"))
        if qid in ids:
            unique = f"{qid}-{i + 1}"
            report.warning(
                path, f"question id '{qid}' is used twice; this one is '{unique}'", field=f"{field}.id"
            )
            qid = unique
        ids.add(qid)
        if not text:
            report.warning(path, "is missing; the question is shown without its text", field=f"{field}.text")
        kind = _question_type(item.get("type"), path, f"{field}.type", report)
        if kind is None:
            continue
        options = tuple(
            Option(_text(o.get("id")) or str(j), _text(o.get("text")), o.get("isCorrect") is True)
            for j, o in enumerate(item.get("options") or [])
            if isinstance(o, dict)
        )
        answer = _answer(kind, item, options, path, field, report)
        marks = item.get("marks", 1)
        if isinstance(marks, bool) or not isinstance(marks, (int, float)) or marks < 0:
            report.warning(path, f"'{marks}' is not a number; counted as 1", field=f"{field}.marks")
            marks = 1
        out.append(Question(qid, text, kind, float(marks), options, answer, _text(item.get("explanation"))))
    return tuple(out)


def _question_type(value: Any, path: Path, field: str, report: Report) -> str | None:
    """The type as the academy theme reads it (lower case, ``_`` as ``-``, single-answer by default)."""
    written = _text(value)
    kind = written.lower().replace("_", "-") or "single-answer"
    if kind in QUESTION_TYPES:
        return kind
    closest = difflib.get_close_matches(kind, QUESTION_TYPES, n=1, cutoff=0.8)
    if closest:
        report.warning(
            path, f"'{written}' is not a question type; read as '{closest[0]}' (write that)", field=field
        )
        return closest[0]
    report.warning(
        path, f"'{written}' is not one of {', '.join(QUESTION_TYPES)}; question not published", field=field
    )
    return None


def _answer(
    kind: str, item: dict[str, Any], options: tuple[Option, ...], path: Path, field: str, report: Report
) -> str:
    """The canonical correct answer: option ids, or the short answer in lower case."""
    correct = [o.id for o in options if o.correct]
    if kind == "short-answer":
        answer = " ".join(_text(item.get("correctAnswer") or item.get("correct_answer")).lower().split())
        if not answer:
            report.warning(
                path,
                "a short-answer question needs one; no answer is accepted",
                field=f"{field}.correctAnswer",
            )
        return answer
    if kind == "single-answer" and len(correct) != 1:
        report.warning(
            path,
            f"a single-answer question needs exactly one correct option, found {len(correct)}",
            field=f"{field}.options",
        )
    elif kind == "multiple-answers" and not correct:
        report.warning(
            path, "a multiple-answers question needs at least one correct option", field=f"{field}.options"
        )
    return ",".join(sorted(correct))


def _pass_percentage(value: Any, path: Path, front: str, report: Report) -> float:
    if value is None:
        return 100.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        report.warning(
            path,
            f"'{value}' is not a number from 0 to 100; the pass mark is 100",
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
