"""Learning paths: both real academy trees build, each validation rule, ordering, navigation, quizzes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from meshdocs.diagnostics import Report
from meshdocs.loaders.learning import load_learning_paths

from .conftest import REPO, SHARED, Built, build_site, write_config
from .hostile import EVIL, IMG, SCRIPT
from .htmlcheck import live_markup
from .programs import require

MESHERY = SHARED / "learning-paths" / "meshery-academy" / "content" / "learning-paths"
LAYER5 = SHARED / "learning-paths" / "layer5-academy" / "content" / "learning-paths"
PATH_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def write(root: Path, rel: str, front: str, body: str = "") -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n{body}")
    return path


def small_tree(root: Path) -> Path:
    write(
        root,
        "p/_index.md",
        f'type: learning-path\ntitle: "Path"\ndescription: "A path."\nid: "{PATH_ID}"\nweight: 1',
    )
    write(root, "p/b-course/_index.md", 'type: course\ntitle: "B course"\nid: "c-b"\nweight: 2')
    write(root, "p/a-course/_index.md", 'type: course\ntitle: "A course"\nid: "c-a"\nweight: 2')
    write(root, "p/a-course/first/_index.md", 'type: module\ntitle: "First"\nid: "m-1"\nweight: 1')
    write(
        root, "p/a-course/first/two.md", 'type: page\ntitle: "Two"\nid: "p-2"\nweight: 2', "Second lesson.\n"
    )
    write(
        root,
        "p/a-course/first/one.md",
        'type: page\ntitle: "One"\nid: "p-1"\nweight: 1',
        "First lesson, with a picture.\n\n![diagram](diagram.png)\n",
    )
    (root / "p/a-course/first/diagram.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    write(root, "p/a-course/quiz.md", QUIZ)
    return root


QUIZ = """
type: test
title: "Quiz"
id: "quiz-a"
weight: 9
passPercentage: 60
questions:
  - id: q1
    text: "Pick the orchestrator"
    type: single-answer
    marks: 2
    options:
      - {id: a, text: "Kubernetes", isCorrect: true}
      - {id: b, text: "Excel"}
  - id: q2
    text: "Pick the pillars"
    type: multiple-answers
    options:
      - {id: a, text: "Metrics", isCorrect: true}
      - {id: b, text: "Logs", isCorrect: true}
      - {id: c, text: "Fax"}
  - id: q3
    text: "Name the CLI"
    type: short-answer
    correctAnswer: "Kubectl"
    explanation: "kubectl talks to the API server."
"""


def problems(root: Path, drafts: bool = False) -> list[str]:
    report = Report(root=root)
    load_learning_paths(root, report, include_drafts=drafts)
    return [f"{d.severity.value}: {d.where}: {d.what}" for d in report.sorted()]


def test_a_valid_tree_has_no_problems_and_is_ordered_by_weight_then_title(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    assert problems(root) == []
    [path] = load_learning_paths(root, Report())
    assert [c.title for c in path.children] == ["A course", "B course"]
    assert [n.title for n in path.walk()] == ["Path", "A course", "First", "One", "Two", "Quiz", "B course"]


@pytest.mark.parametrize(
    ("rel", "front", "expected"),
    [
        ("p/x.md", 'type: page\ntitle: "X"\nweight: [1', "error: p/x.md:5: front matter: not valid YAML"),
        (
            "p/x.md",
            'type: chapter\ntitle: "X"',
            "warning: p/x.md:2: type: 'chapter' is not one of learning-path, course, module, page, lab, "
            "test; published as a page",
        ),
        (
            "p/x.md",
            'type: page\ntitle: "X"\nweight: first',
            "warning: p/x.md:4: weight: 'first' is not a number; ordered as 0",
        ),
        (
            "p/x-y.md",
            "type: page\nweight: 3",
            "warning: p/x-y.md:1: title: is missing; the page is titled 'X y' from its file name",
        ),
        (
            "p/a-course/first/x.md",
            'type: page\ntitle: "X"\nid: "p-1"',
            "warning: p/a-course/first/x.md:4: id: 'p-1' is also the id of p/a-course/first/one.md, "
            "a sibling; ids must differ among siblings",
        ),
        (
            "p/q.md",
            'type: test\ntitle: "Q"\nquestions: []',
            "warning: p/q.md:4: questions: a test needs a list of questions; published without a quiz",
        ),
        (
            "p/q.md",
            'type: test\ntitle: "Q"\npassPercentage: 120\nquestions:\n'
            "  - {id: q, text: t, type: short-answer, correctAnswer: x}",
            "warning: p/q.md:4: passPercentage: '120' is not a number from 0 to 100; the pass mark is 100",
        ),
        (
            "p/q.md",
            'type: test\ntitle: "Q"\nquestions:\n  - {id: q, text: t, type: single-answer, options: '
            "[{id: a, text: A, isCorrect: true}, {id: b, text: B, isCorrect: true}]}",
            "questions[0].options: a single-answer question needs exactly one correct option, found 2",
        ),
    ],
)
def test_each_validation_rule_reports_file_line_and_field(
    tmp_path: Path, rel: str, front: str, expected: str
) -> None:
    root = small_tree(tmp_path / "lp")
    write(root, rel, front)
    found = problems(root)
    assert any(line.startswith(expected) or expected in line for line in found), found


def test_learning_path_id_must_be_a_uuid(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    write(root, "p/_index.md", 'type: learning-path\ntitle: "Path"\ndescription: "d"\nid: "learning-path-id"')
    assert problems(root) == ["warning: p/_index.md:5: id: 'learning-path-id' is not a UUID"]


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path) -> None:
    found = problems(MESHERY)
    assert any("draft: not published" in line for line in found)
    assert load_learning_paths(MESHERY, Report()) == []
    [path] = load_learning_paths(MESHERY, Report(), include_drafts=True)
    assert [c.title for c in path.children if c.type == "course"] == [
        "1. Why Containers?",
        "2. Kubernetes",
    ] or len([c for c in path.children if c.type == "course"]) == 2


def test_real_layer5_tree_loads_with_its_quirks(tmp_path: Path) -> None:
    report = Report()
    [path] = load_learning_paths(LAYER5, report)
    assert report.errors == 0
    assert path.title == "Automation and Reliability"
    tests = [n for n in path.walk() if n.type == "test"]
    assert tests and all(t.questions for t in tests)


@pytest.fixture(scope="module")
def learning_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("learning")
    built = build_site(tmp, extra=("--learning-paths", str(small_tree(tmp / "lp"))))
    assert built.returncode == 0, built.stderr
    return built


def test_overview_lists_courses_modules_and_reading_time(learning_site: Built) -> None:
    page = learning_site.page("learning-paths/p/")
    assert '<a href="a-course/">A course</a>' in page and '<a href="a-course/first/">First</a>' in page
    assert re.search(r"about \d+ min", page)
    index = learning_site.page("learning-paths/")
    assert '<a href="p/">Path</a>' in index


def test_pages_have_breadcrumbs_and_previous_next_through_the_path(learning_site: Built) -> None:
    page = learning_site.page("learning-paths/p/a-course/first/two/")
    crumbs = re.search(r'<nav class="mdx-breadcrumbs".*?</nav>', page, re.S).group(0)
    assert [t for t in re.findall(r">([^<>]+)</a>", crumbs)] == [
        "Learning paths",
        "Path",
        "A course",
        "First",
    ]
    assert 'href="../one/" rel="prev">← One' in page and 'href="../../quiz/" rel="next">Quiz →' in page


def test_images_beside_pages_are_published_and_linked(learning_site: Built) -> None:
    page = learning_site.page("learning-paths/p/a-course/first/one/")
    assert '<img alt="diagram" src="../diagram.png">' in page
    assert (learning_site.site / "learning-paths/p/a-course/first/diagram.png").is_file()


def test_quiz_questions_are_in_the_html_and_answers_are_not(learning_site: Built) -> None:
    page = learning_site.page("learning-paths/p/a-course/quiz/")
    assert (
        "Pick the orchestrator" in page
        and 'value="a"> Kubernetes' in page
        and 'type="text" name="q3"' in page
    )
    assert 'data-pass="60.0"' in page
    assert "kubectl" not in page.lower().replace("name the cli", "")
    assert "isCorrect" not in page and "explanation" not in page.lower().replace("mdx-", "")
    salt = re.search(r'data-salt="([0-9a-f]+)"', page).group(1)
    expected = hashlib.sha256(f"{salt}:q2:a,b".encode()).hexdigest()
    assert f'data-id="q2" data-type="multiple-answers" data-marks="1.0" data-answer="{expected}"' in page
    assert 'src="../../../../assets/meshdocs/quiz.js"' in page


def test_show_answers_puts_answers_in_the_page(tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        plugins=[
            "search",
            {
                "meshdocs": {
                    "registry": [str(REPO / "catalog" / "models")],
                    "content": str(REPO / "content"),
                    "learning_paths": str(small_tree(tmp_path / "lp")),
                    "show_answers": True,
                }
            },
        ],
    )
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    page = built.page("learning-paths/p/a-course/quiz/")
    assert "<summary>Answers</summary>" in page and "<code>kubectl</code>" in page
    assert "kubectl talks to the API server." in page


def test_browser_hash_matches_python(tmp_path: Path) -> None:
    """quiz.js carries its own SHA-256: it must agree with hashlib on ASCII and non-ASCII answers."""
    node = require("node")
    script = (REPO / "templates" / "assets" / "quiz.js").read_text()
    texts = ["", "abc", "salt:q1:a,b", "héllo wörld ☸", "x" * 1000]
    harness = (
        "var window = {}; var document = {addEventListener: function () {}};\n"
        + script
        + f"\nconsole.log(JSON.stringify({json.dumps(texts)}.map(window.meshdocsSha256)));"
    )
    (tmp_path / "h.js").write_text(harness)
    out = subprocess.run([node, str(tmp_path / "h.js")], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [hashlib.sha256(t.encode()).hexdigest() for t in texts]


def test_lesson_images_are_sanitised_or_refused(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    folder = root / "p/a-course/first"
    (folder / "evil.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script>'
        '<rect width="4" height="4"/></svg>'
    )
    (folder / "fake.png").write_bytes(b"<html><script>alert(3)</script>")
    report = Report(root=root)
    [path] = load_learning_paths(root, report)
    module = next(n for n in path.walk() if n.title == "First")
    assets = {a.filename: a.data for a in module.assets}
    assert "fake.png" not in assets and "diagram.png" in assets
    assert (
        b"script" not in assets["evil.svg"]
        and b"onload" not in assets["evil.svg"]
        and b"<rect" in assets["evil.svg"]
    )
    assert [d.message for d in report.items] == [
        "not a PNG image (its first bytes say otherwise); not published"
    ]


def test_hostile_text_in_learning_paths_shows_escaped(tmp_path: Path) -> None:
    root = tmp_path / "lp"
    write(
        root,
        "p/_index.md",
        f'type: learning-path\ntitle: "T {SCRIPT}"\ndescription: "{SCRIPT}"\nid: "{PATH_ID}"',
        f"{EVIL}\n\n<iframe src='http://evil.example'></iframe>\n\n[x](javascript:alert(5))\n",
    )
    write(
        root,
        "p/q.md",
        f'type: test\ntitle: "Q"\nquestions:\n  - id: q1\n    text: "{IMG}"\n    type: short-answer\n'
        '    correctAnswer: "x"',
    )
    built = build_site(tmp_path, extra=("--learning-paths", str(root)))
    assert built.returncode == 0, built.stderr
    for page in (built.site / "learning-paths").rglob("index.html"):
        assert live_markup(page.read_text()) == [], page
    assert "{{ 7 * 191 }}" in built.page("learning-paths/p/")


def test_embedded_learning_paths_meet_the_minimums(site_embedded: Built) -> None:
    report = Report()
    paths = load_learning_paths(REPO / "content" / "learning-paths", report)
    assert report.errors == 0 and report.warnings == 0, [d.format() for d in report.items]
    assert len(paths) >= 3
    for path in paths:
        assert sum(1 for c in path.children if c.type == "course") >= 2
        assert any(n.type == "test" and n.questions for n in path.walk())
    assert (site_embedded.site / "learning-paths" / "index.html").is_file()


@pytest.mark.parametrize("tree", [MESHERY, LAYER5], ids=["meshery-academy", "layer5-academy"])
def test_both_real_trees_build_into_sites(tmp_path: Path, tree: Path) -> None:
    config = write_config(
        tmp_path,
        plugins=[
            "search",
            {
                "meshdocs": {
                    "registry": [str(REPO / "catalog" / "models")],
                    "content": str(REPO / "content"),
                    "learning_paths": str(tree),
                    "learning_paths_drafts": True,
                }
            },
        ],
    )
    built = build_site(tmp_path, extra=("--config-file", str(config)))
    assert built.returncode == 0, built.stderr
    pages = list((built.site / "learning-paths").rglob("index.html"))
    assert len(pages) >= 10
    tests = [p for p in pages if "mdx-quiz" in p.read_text()]
    assert tests
    for page in pages:
        assert live_markup(page.read_text()) == [], page


def test_question_types_are_read_as_the_academy_theme_reads_them(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    options = "options: [{id: a, text: A, isCorrect: true}, {id: b, text: B}]"
    write(
        root,
        "p/q.md",
        'type: test\ntitle: "Q"\nquestions:\n'
        "  - {id: q1, text: t, type: short_answer, correct_answer: Pod}\n"
        f"  - {{id: q2, text: t, type: Multiple-Answer, {options}}}\n"
        f"  - {{id: q3, text: t, type: singe-answer, {options}}}\n"
        f"  - {{id: q4, text: t, {options}}}\n"
        f"  - {{id: q5, text: t, type: essay, {options}}}\n"
        f"  - {{id: q1, text: t, type: single-answer, {options}}}\n",
    )
    found = problems(root)
    assert found == [
        "warning: p/q.md: questions[1].type: 'Multiple-Answer' is not a question type; read as "
        "'multiple-answers' (write that)",
        "warning: p/q.md: questions[2].type: 'singe-answer' is not a question type; read as 'single-answer' "
        "(write that)",
        "warning: p/q.md: questions[4].type: 'essay' is not one of single-answer, multiple-answers, "
        "short-answer; question not published",
        "warning: p/q.md: questions[5].id: question id 'q1' is used twice; this one is 'q1-6'",
    ]
    [path] = load_learning_paths(root, Report())
    [quiz] = [n for n in path.walk() if n.source.name == "q.md"]
    assert [(q.id, q.type) for q in quiz.questions] == [
        ("q1", "short-answer"),
        ("q2", "multiple-answers"),
        ("q3", "single-answer"),
        ("q4", "single-answer"),
        ("q1-6", "single-answer"),
    ]
    assert quiz.questions[0].answer == "pod"


def test_course_and_module_ids_repeat_across_branches_without_a_problem(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    write(root, "p/a-course/conclusion/_index.md", 'type: module\ntitle: "Conclusion"\nid: "conclusion"')
    write(root, "p/b-course/conclusion/_index.md", 'type: module\ntitle: "Conclusion"\nid: "conclusion"')
    assert problems(root) == []
    write(root, "q/_index.md", f'type: learning-path\ntitle: "Q"\ndescription: "d"\nid: "{PATH_ID}"')
    assert problems(root) == [
        f"warning: q/_index.md:5: id: '{PATH_ID}' is already the id of the learning path p/_index.md; "
        "learning-path ids must be unique"
    ]
