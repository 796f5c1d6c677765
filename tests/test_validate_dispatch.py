"""`meshdocs validate` checks everything a build reads, told apart by content rather than extension alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from .conftest import REPO, SHARED, run_cli
from .test_learning import small_tree, write

KEYS = SHARED / "keys" / "meshery_server_permissions_keys.csv"


def lines(proc_stdout: str) -> list[str]:
    return proc_stdout.strip().splitlines()


def test_a_keys_sheet_is_checked_as_keys_whatever_its_extension(tmp_path: Path) -> None:
    proc = run_cli("validate", KEYS, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert "not valid YAML" not in proc.stdout
    assert lines(proc.stdout) == [
        f"{KEYS}:10: warning: Key ID: key '?' has no Key ID; it is not published",
    ]
    exported = tmp_path / "keys-export.txt"  # a spreadsheet export saved without its .csv
    shutil.copy(KEYS, exported)
    proc = run_cli("validate", exported, cwd=tmp_path)
    assert lines(proc.stdout) == [
        "keys-export.txt:10: warning: Key ID: key '?' has no Key ID; it is not published"
    ]
    (tmp_path / "other.csv").write_text("a,b,c,d\n1,2,3,4\n")
    proc = run_cli("validate", "other.csv", cwd=tmp_path)
    assert proc.returncode == 1
    assert lines(proc.stdout)[0].startswith("other.csv:1: error: not a permission keys")


def test_a_learning_path_tree_is_checked_and_broken_front_matter_in_a_course_is_an_error(
    tmp_path: Path,
) -> None:
    root = small_tree(tmp_path / "lp")
    assert run_cli("validate", root, "--strict", cwd=tmp_path).returncode == 0
    (root / "p" / "b-course" / "_index.md").write_text('---\ntype: course\ntitle: "B\n---\n')
    proc = run_cli("validate", root, cwd=tmp_path)
    assert proc.returncode == 1
    assert lines(proc.stdout)[0].startswith("lp/p/b-course/_index.md:4: error: front matter: not valid YAML")


def test_one_learning_page_is_checked_among_its_siblings_and_reported_alone(tmp_path: Path) -> None:
    root = small_tree(tmp_path / "lp")
    page = write(root, "p/a-course/first/three.md", 'type: page\ntitle: "Three"\nid: "p-1"\nweight: x')
    proc = run_cli("validate", page, cwd=tmp_path)
    assert proc.returncode == 0
    assert lines(proc.stdout) == [
        "lp/p/a-course/first/three.md:4: warning: id: 'p-1' is also the id of lp/p/a-course/first/one.md, "
        "a sibling; ids must differ among siblings",
        "lp/p/a-course/first/three.md:5: warning: weight: 'x' is not a number; ordered as 0",
    ]


def test_the_real_academies_validate_without_errors() -> None:
    for tree in ("meshery-academy", "layer5-academy"):
        proc = run_cli("validate", SHARED / "learning-paths" / tree / "content" / "learning-paths")
        assert proc.returncode == 0, proc.stdout
        assert all(": warning: " in line or ": error: " in line for line in lines(proc.stdout))


def test_content_pages_and_the_whole_content_folder_are_checked(tmp_path: Path) -> None:
    proc = run_cli("validate", REPO / "content", "--strict")
    assert proc.returncode == 0, proc.stdout
    (tmp_path / "guide.md").write_text("---\ntitle: [broken\n---\n# Guide\n")
    proc = run_cli("validate", "guide.md", cwd=tmp_path)
    assert proc.returncode == 1
    assert lines(proc.stdout)[0].startswith("guide.md:3: error: front matter: not valid YAML")
