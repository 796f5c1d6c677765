"""One real build of a registry that holds every kind of broken and hostile file at once.

The build must publish what is good, name every bad file with a reason, stay inside its output folder and
within time and memory bounds; ``--strict`` must refuse and leave the previous site alone; ``validate`` must
name every bad file.
"""

from __future__ import annotations

import hashlib
import json
import resource
import time
from pathlib import Path

import pytest

from meshdocs.writers.search_sources import sources_dir
from meshdocs.writers.site import spare_of

from .conftest import REPO, Built, build_site, run_cli

MAX_SECONDS = 60
MAX_RSS_KB = 1536 * 1024  # ru_maxrss is in KiB on Linux
VERSION = {"version": "1.0.0"}
MARKERS = (b"A perfectly ordinary widget", b"BomKind", b"good-model")
IGNORED_IN_REPO = {
    ".git",
    ".venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    ".hypothesis",
}

# Every bad file, with the phrases its diagnostic line must contain.
BAD_FILES: dict[str, tuple[str, ...]] = {
    "Truncated.json": ("not valid JSON",),
    "NotJsonSchema.json": ("schema is not valid JSON",),
    "DeepSchema.json": ("nested too deeply",),
    "DeepFile.json": ("nested too deeply",),
    "Exec.yaml": ("python/object/apply:os.system", "not allowed"),
    "Bomb.yaml": ("alias bomb",),
    "Latin1.json": ("UTF-8",),
    "Conflict.json": ("merge conflict",),
}


def _model(name: str) -> dict:
    return {
        "schemaVersion": "models.meshery.io/v1beta1",
        "version": "v1.0.0",
        "name": name,
        "displayName": name,
        "status": "enabled",
        "category": {"name": "Testing"},
        "registrant": {"kind": "github"},
        "model": VERSION,
    }


def _component(model: str, kind: str, schema: str = "", description: str = "") -> dict:
    return {
        "schemaVersion": "components.meshery.io/v1beta1",
        "version": "v1.0.0",
        "displayName": kind,
        "description": description,
        "format": "JSON",
        "model": {"name": model, "model": VERSION},
        "status": "enabled",
        "component": {"kind": kind, "version": "test.io/v1", "schema": schema},
    }


def _write_model(root: Path, folder: str, name: str, components: dict[str, dict | str | bytes]) -> Path:
    base = root / folder / "1.0.0" / "v1.0.0"
    (base / "components").mkdir(parents=True)
    (base / "model.json").write_text(json.dumps(_model(name)))
    for file_name, content in components.items():
        path = base / "components" / file_name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return base


def write_registry(root: Path, canary: Path) -> None:
    _write_model(
        root,
        "good",
        "good-model",
        {
            "Widget.json": _component(
                "good-model",
                "Widget",
                json.dumps({"type": "object", "properties": {"spec": {"type": "string"}}}),
                "A perfectly ordinary widget.",
            )
        },
    )
    depth = 2000
    deep_schema = '{"type":"object","properties":{"a":' * depth + "{}" + "}}" * depth
    wide_schema = json.dumps(
        {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(20_000)}}
    )
    self_ref = json.dumps(
        {"type": "object", "properties": {"self": {"$ref": "#"}, "name": {"type": "string"}}}
    )
    valid = json.dumps(_component("hostile", "Valid"))
    bomb = "schemaVersion: components.meshery.io/v1beta1\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in "bcdefghij":
        prev = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
    _write_model(
        root,
        "hostile",
        "hostile",
        {
            "Truncated.json": valid[: len(valid) // 2],
            "NotJsonSchema.json": _component("hostile", "NotJson", "this is {not json"),
            "SelfRef.json": _component("hostile", "SelfRef", self_ref),
            "DeepSchema.json": _component("hostile", "Deep", deep_schema),
            "DeepFile.json": '{"a":' * depth + "1" + "}" * depth,
            "Wide.json": _component("hostile", "Wide", wide_schema),
            "Huge.json": _component("hostile", "Huge", "", "x" * (8 * 1024 * 1024)),
            "Exec.yaml": (
                "schemaVersion: components.meshery.io/v1beta1\n"
                f"component: !!python/object/apply:os.system ['touch {canary}']\n"
            ),
            "Bomb.yaml": bomb,
            "Latin1.json": json.dumps(_component("hostile", "Latin")).encode().replace(b"Latin", b"Lat\xe9n"),
            "Bom.json": b"\xef\xbb\xbf" + json.dumps(_component("hostile", "BomKind")).encode(),
            "Conflict.json": "<<<<<<< HEAD\n" + valid + "\n=======\n" + valid + "\n>>>>>>> other\n",
            "Passwd.json": _component("hostile", "../../etc/passwd"),
        },
    )
    _write_model(root, "foo1", "Foo Bar", {"A.json": _component("Foo Bar", "Alpha")})
    _write_model(root, "foo2", "foo-bar", {"B.json": _component("foo-bar", "Beta")})


def _tree(root: Path, skip: set[str] = frozenset()) -> dict[str, str]:  # type: ignore[assignment]
    """Path → content hash of every file under ``root``, leaving out top-level folders in ``skip``."""
    out: dict[str, str] = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or IGNORED_IN_REPO.intersection(rel.parts) or not path.is_file():
            continue
        out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _lines_naming(output: str, file_name: str) -> list[str]:
    return [line for line in output.splitlines() if f"/{file_name}" in line]


def _assert_named(output: str, files: dict[str, tuple[str, ...]]) -> None:
    for file_name, phrases in files.items():
        lines = _lines_naming(output, file_name)
        assert lines, f"{file_name} is not named:\n{output[-3000:]}"
        for phrase in phrases:
            assert any(phrase in line for line in lines), f"{file_name}: no {phrase!r} in {lines}"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Built, float, int, dict, dict]:
    tmp = tmp_path_factory.mktemp("hostile-build")
    registry, canary = tmp / "registry", tmp / "pwned"
    write_registry(registry, canary)
    outside_before = _tree(tmp, {"site_src", "site"})
    repo_before = _tree(REPO, {"site", "site_src"})
    rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    built = build_site(tmp, registry)
    seconds = time.monotonic() - start
    rss_after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # RUSAGE_CHILDREN's maxrss is the peak of all children so far: if it did not grow, this child's peak
    # was at most the earlier one.
    peak = rss_after if rss_after > rss_before else rss_before
    # Beside the site meshdocs keeps only its own: the search index's sources (and, after a rebuild, the
    # spare site); nothing else may appear.
    own = {"site_src", "site", "no-designs", sources_dir(tmp / "site").name, spare_of(tmp / "site").name}
    assert outside_before == _tree(tmp, own), "wrote outside the site folders"
    # Other work may change the repository meanwhile: only new or changed files that carry this
    # registry's text count as written by the build.
    changed = [p for p, h in _tree(REPO, {"site", "site_src"}).items() if repo_before.get(p) != h]
    written = [p for p in changed if any(m in (REPO / p).read_bytes() for m in MARKERS)]
    assert written == [], "wrote into the repository"
    return tmp, registry, built, seconds, peak, outside_before, repo_before


def test_build_survives_publishes_the_good_and_names_the_bad(hostile) -> None:  # type: ignore[no-untyped-def]
    tmp, _registry, built, seconds, peak, _, _ = hostile
    assert built.returncode == 0, built.stderr[-5000:]
    assert seconds < MAX_SECONDS, f"build took {seconds:.1f} s"
    assert peak < MAX_RSS_KB, f"peak RSS {peak / 1024:.0f} MiB"
    assert not (tmp / "pwned").exists(), "a YAML tag ran a command"
    _assert_named(built.stderr, BAD_FILES)
    assert any("collides with another after slugging" in line for line in built.stderr.splitlines())

    pages = {p.relative_to(built.site).as_posix() for p in built.site.rglob("index.html")}
    widget = [p for p in pages if p == "models/good-model/components/widget/index.html"]
    assert widget, sorted(pages)
    assert "A perfectly ordinary widget." in (built.site / widget[0]).read_text()
    assert any(p.endswith("/components/bomkind/index.html") for p in pages), (
        "the file with a BOM was not loaded"
    )
    assert any(p.endswith("/components/selfref/index.html") for p in pages)
    assert {"models/foo-bar/index.html", "models/foo-bar-2/index.html"} <= pages
    wide = [p for p in pages if p.endswith("/components/wide/index.html")]
    assert wide and "Showing" in (built.site / wide[0]).read_text()
    assert "models/hostile/components/etc-passwd/index.html" in pages
    assert not list(built.site.rglob("passwd")) and not list(tmp.rglob("etc/passwd*"))
    assert all(p.resolve().is_relative_to(built.site.resolve()) for p in built.site.rglob("*"))


def test_strict_refuses_and_leaves_the_previous_site(hostile) -> None:  # type: ignore[no-untyped-def]
    tmp, registry, built, *_ = hostile
    assert built.returncode == 0
    site_before = _tree(built.site)
    strict = build_site(tmp, registry, extra=("--strict",))
    assert strict.returncode == 1, strict.stderr[-3000:]
    assert _tree(built.site) == site_before


def test_validate_names_every_bad_file(hostile) -> None:  # type: ignore[no-untyped-def]
    _tmp, registry, *_ = hostile
    proc = run_cli("validate", registry)
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    _assert_named(proc.stdout, BAD_FILES)
