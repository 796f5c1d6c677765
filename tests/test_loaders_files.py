"""Reading untrusted JSON and YAML: bounded, strict, and every failure names a line and a reason."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from meshdocs.loaders.files import DataError, load_data, parse_yaml, read_text

from .conftest import SHARED


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", b'\xef\xbb\xbf{"a": 1}')
    assert load_data(path).data == {"a": 1}


def test_invalid_utf8_names_the_byte_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", b"a: 1\nb: \xff\xfe\n")
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert exc.value.line == 2
    assert "not valid UTF-8" in exc.value.message and "0xff" in exc.value.message


def test_git_conflict_markers_are_reported_with_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yml", "name: x\n<<<<<<< HEAD\nversion: 1\n=======\nversion: 2\n>>>>>>> main\n")
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert exc.value.line == 2
    assert "merge conflict" in exc.value.message


def test_real_design_with_conflict_markers_is_refused() -> None:
    hits = []
    for path in sorted((SHARED / "designs").rglob("*")):
        if path.is_file() and path.suffix in (".yml", ".yaml", ".json"):
            try:
                read_text(path)
            except DataError as exc:
                if "merge conflict" in exc.message:
                    hits.append(path.name)
    assert hits, "the real designs include one with git conflict markers"


def test_truncated_json_gives_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{\n  "a": [1, 2,\n')
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert exc.value.message.startswith("not valid JSON")
    assert exc.value.line is not None


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="empty"):
        load_data(write(tmp_path, "a.json", "  \n"))


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '{"a": "' + "x" * 2000 + '"}')
    with pytest.raises(DataError, match="limit"):
        load_data(path, max_bytes=1000)


def test_deeply_nested_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(DataError, match="nested too deeply"):
        load_data(path)


def test_yaml_python_tags_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "a: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert "not allowed" in exc.value.message or "not valid YAML" in exc.value.message
    assert exc.value.line == 1


def test_yaml_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    with pytest.raises(DataError, match="alias bomb"):
        load_data(path)
    assert time.perf_counter() - start < 5


def test_yaml_duplicate_keys_are_reported_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "name: a\nversion: 1\nname: b\n")
    with pytest.raises(DataError) as exc:
        load_data(path)
    assert exc.value.line == 3 and "duplicate key 'name'" in exc.value.message


def test_yaml_line_numbers_are_recorded_per_key(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "name: a\nspec:\n  items:\n    - kind: X\n      ok: true\n")
    doc = load_data(path, with_lines=True)
    assert doc.line_of(("spec", "items", 0, "kind")) == 4
    assert doc.line_of(("spec", "items", 0, "missing")) == 4
    assert doc.line_of(("name",)) == 1


def test_yaml_dates_stay_strings_and_value_tag_is_read() -> None:
    data, _ = parse_yaml("created: 2024-01-02\nx: =\nn: 0x10\nf: 1.5\nb: yes\nnull_: ~\n")
    assert data == {"created": "2024-01-02", "x": "=", "n": 16, "f": 1.5, "b": True, "null_": None}


def test_yaml_merge_keys_work_and_explicit_keys_win() -> None:
    data, _ = parse_yaml("base: &b {a: 1, b: 2}\nchild:\n  <<: *b\n  b: 3\n")
    assert data["child"] == {"a": 1, "b": 3}
