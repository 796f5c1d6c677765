"""Benchmark ``meshdocs build`` on synthetic registries of growing size, and on the real one.

    python bench/run.py [--sizes 100,1000,5000] [--real] [--real-size] [--embedded]
                        [--versions all|newest|both] [--out bench/out] [--no-incremental] [--no-serve]

For each size: write a synthetic registry (bench/synth.py) into a temporary folder outside the repository,
time the parse floor (what merely reading the input costs), run the real build in a child process, and
read the built site back. The build/parse-floor ratio says how much the generator and MkDocs add on top of
the unavoidable JSON decoding, which is the number to watch as the registry grows.

Then, into the same site, the incremental rebuilds: once with nothing changed, then after changing one
component, one design and one learning-path page (in that order, each change on top of the last), checking
each time that the change reached its page. Every input a build reads from the repository (the real
registry, the catalog's designs, the learning paths) is copied into the temporary folder first, so the
edits never touch the originals.

Then ``meshdocs serve`` on the same inputs (bench/serve_edit.py): its initial build, and the seconds from
saving one component file, then one design's catalog.yml, to the served page showing the change.

Rows: each size; ``--real`` (registry-2024 as is); ``--real-size`` (registry-2024 extended synthetically
to 615 models and 2,703 published components with the real schema-size distribution); ``--embedded`` (the
site the project's mkdocs.yml describes). With ``--versions both`` each row runs twice: only the newest
version of each model, then every version.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serve_edit  # sibling scripts, not a package
import synth

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REAL = REPO.parent / "shared" / "data" / "registry-2024"
DEFAULT_MESHDOCS = REPO / ".venv" / "bin" / "meshdocs"
# What the project's mkdocs.yml reads besides the registry; each row builds a copy (see prepare_inputs).
CATALOG_DESIGNS = REPO / "catalog" / "designs"
LEARNING_PATHS = REPO / "content" / "learning-paths"
CATALOG_MODELS = REPO / "catalog" / "models"  # the registry the catalog's designs are written against

# The incremental rebuilds, in the order they run; all but the first change one input on top of the last.
STEPS = ("unchanged", "component", "design", "learning")
CHANGE_STEPS = STEPS[1:]
DESCRIPTION_EDIT = " (edited)"
EDIT_LINE = "Edited for the benchmark."
# The edits timed under `meshdocs serve`, after the rebuilds (so on top of their changes), in this order.
SERVE_STEPS = ("component", "design")
SERVE_SUFFIX = " (edited while serving)"  # appended to the component's description
SERVE_LINE = "Edited while serving."  # put in front of the design's description
VERSION_SUFFIX = {"newest": " (newest)", "all": " (all versions)"}
# --real-size: `synth.py OUT --components 2703 --models 489 --with-real REAL --size-profile registry-2024`,
# the shared sample (126 models) extended to 615 models with the real schema sizes.
REAL_SIZE_COMPONENTS, REAL_SIZE_MODELS = 2703, 489
# Lines meshdocs prints about what it re-rendered; kept verbatim when present.
NOTE_LINE = re.compile(r"^(?:Rendered|Incremental|Full build).*$", re.M)

# Run in a fresh interpreter so nothing is warm but the OS page cache (which the build enjoys too).
PARSE_FLOOR = r"""
import json, os, sys, time
root = sys.argv[1]
started = time.perf_counter()
files = schemas = 0
for folder, dirs, names in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(names):
        if name.startswith(".") or not name.endswith(".json"):
            continue
        with open(os.path.join(folder, name), "rb") as fh:
            data = json.load(fh)
        files += 1
        if isinstance(data, dict) and str(data.get("schemaVersion", "")).startswith("components."):
            text = (data.get("component") or {}).get("schema")
            if isinstance(text, str) and text.strip():
                json.loads(text)
                schemas += 1
print(json.dumps({"seconds": time.perf_counter() - started, "files": files, "schemas": schemas}))
"""

# A wrapper process per build, so getrusage(RUSAGE_CHILDREN) sees that build alone and sizes don't mix.
WRAPPER = r"""
import json, resource, subprocess, sys, time
result_path, log_path, cwd, timeout, *cmd = sys.argv[1:]
with open(log_path, "wb") as log:
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, timeout=float(timeout))
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
    wall = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(result_path, "w") as fh:
    json.dump({"exit": code, "wall": wall, "maxrss_kb": usage.ru_maxrss, "user": usage.ru_utime,
               "sys": usage.ru_stime}, fh)
"""


@dataclass
class SiteStats:
    """What the built site holds, read from disk rather than from the build's own report."""

    pages: int = 0
    component_pages: int = 0
    model_pages: int = 0
    page_bytes: int = 0
    max_page_bytes: int = 0
    max_page: str = ""
    search_index_bytes: int = 0
    site_bytes: int = 0
    site_files: int = 0
    component_rule: str = ""
    older_component_pages: int = 0  # models/<m>/<version>/components/<kind>/: older versions (--versions all)


@dataclass
class Rebuild:
    """One incremental rebuild into the site of the full build, and whether its change got published."""

    step: str
    changed: str = ""  # the input file edited before this build, relative to the row's work folder
    edit: str = ""  # what was done to it
    exit: int | str | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    peak_rss_mb: float | None = None
    summary: str = ""  # meshdocs' "Built N pages (...)" line
    notes: list[str] = field(default_factory=list)  # its "Rendered ..."/"Incremental ..." lines, if any
    log: str = ""
    pages: int = 0  # .html pages in the site afterwards
    verified: bool | None = None  # the edited text is in the built site (None: nothing to check)
    found_in: list[str] = field(default_factory=list)  # pages that gained the edited text
    problem: str = ""  # why the change could not be verified, when known


@dataclass
class ServeEdit:
    """One file saved while `meshdocs serve` runs, and how long until the served page showed it."""

    step: str
    changed: str = ""  # the input file edited, relative to the row's work folder
    edit: str = ""
    url: str = ""  # the page polled
    seconds: float | None = None  # from the save to the first answer of ``url`` with the edited text
    verified: bool | None = None
    problem: str = ""


@dataclass
class Row:
    """One benchmarked registry."""

    label: str
    registry: str
    expected_models: int
    expected_component_pages: int
    versions: str = "all"  # meshdocs build --versions
    input_files: int = 0
    input_bytes: int = 0
    synth_seconds: float | None = None
    schema_sizes: dict[str, float] = field(default_factory=dict)
    parse_floor_seconds: float | None = None
    parse_floor_runs: list[float] = field(default_factory=list)
    build_exit: int | str | None = None
    build_seconds: float | None = None
    build_cpu_seconds: float | None = None
    peak_rss_mb: float | None = None
    build_summary: str = ""
    build_notes: list[str] = field(default_factory=list)
    build_log: str = ""
    inputs: dict[str, list[str]] = field(default_factory=dict)  # what the builds read, copies included
    site: SiteStats = field(default_factory=SiteStats)
    rebuilds: list[Rebuild] = field(default_factory=list)
    row_seconds: float = 0.0
    # Search as a reader meets it (bench/search.py): query, bytes before the first result, seconds to it.
    search: list[tuple[str, int, float]] = field(default_factory=list)
    parse_floor_reused: bool = False  # taken from the row's other --versions run (same input)
    # meshdocs' own files (generator/, templates/, overrides/, mkdocs.yml) changed while the row ran: a
    # rebuild then finds another fingerprint and builds in full, so the figures mix two versions.
    sources_changed: list[str] = field(default_factory=list)
    # `meshdocs serve` (bench/serve_edit.py): start to first page served, then each edit to its page.
    serve_initial_seconds: float | None = None
    serve_edits: list[ServeEdit] = field(default_factory=list)
    serve_peak_rss_mb: float | None = None
    serve_log: str = ""
    serve_config: str = ""
    serve_error: str = ""  # serve did not come up or went away: a failure, like a build's non-zero exit

    @property
    def ratio(self) -> float | None:
        if self.build_seconds is None or not self.parse_floor_seconds:
            return None
        return self.build_seconds / self.parse_floor_seconds

    def rebuild(self, step: str) -> Rebuild | None:
        return next((r for r in self.rebuilds if r.step == step), None)

    @property
    def incremental_share(self) -> float | None:
        """The slowest of the change rebuilds as a percentage of the full build."""
        times = [r.seconds for r in self.rebuilds if r.step in CHANGE_STEPS and r.seconds is not None]
        if not times or not self.build_seconds:
            return None
        return 100 * max(times) / self.build_seconds

    def share_of_full(self, seconds: float | None) -> float | None:
        """``seconds`` as a percentage of the full build."""
        if seconds is None or not self.build_seconds:
            return None
        return 100 * seconds / self.build_seconds

    def serve_edit(self, step: str) -> ServeEdit | None:
        return next((e for e in self.serve_edits if e.step == step), None)

    @property
    def builds_ok(self) -> bool:
        return self.build_exit == 0 and all(r.exit == 0 for r in self.rebuilds) and not self.serve_error


def machine_info(python: str) -> dict[str, Any]:
    """CPU, cores, memory and versions, so figures from different machines are not compared blindly."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = 0
    try:
        match = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        mem_kb = int(match.group(1)) if match else 0
    except OSError:
        pass
    versions = subprocess.run(
        [
            python,
            "-c",
            "import importlib.metadata as m, platform; "
            "print(platform.python_version(), "
            "*(m.version(p) for p in ('meshdocs', 'mkdocs', 'mkdocs-material')))",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    names = ("python", "meshdocs", "mkdocs", "mkdocs_material")
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "affinity_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "bench_python": platform.python_version(),
        **({f"build_{k}": v for k, v in zip(names, versions, strict=False)}),
        "commit": _head_commit(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def _head_commit() -> str:
    """The checked-out commit, read from .git without running git."""
    try:
        head = (REPO / ".git" / "HEAD").read_text().strip()
        if head.startswith("ref: "):
            ref = REPO / ".git" / head[5:]
            if ref.is_file():
                return ref.read_text().strip()[:12]
            packed = (REPO / ".git" / "packed-refs").read_text()
            match = re.search(rf"^([0-9a-f]{{40}}) {re.escape(head[5:])}$", packed, re.M)
            return match.group(1)[:12] if match else ""
        return head[:12]
    except OSError:
        return ""


def input_size(root: Path) -> tuple[int, int]:
    files = size = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith("."):
                files += 1
                size += (Path(folder) / name).stat().st_size
    return files, size


def parse_floor(python: str, root: Path, runs: int) -> list[float]:
    """Best-of-N material: each run is a fresh interpreter timing its own reading."""
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [python, "-c", PARSE_FLOOR, str(root)], capture_output=True, text=True, check=True
        )
        times.append(json.loads(out.stdout)["seconds"])
    return times


def run_build(cmd: list[str], cwd: Path, log: Path, timeout: float) -> dict[str, Any]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as fh:
        result_path = Path(fh.name)
    try:
        subprocess.run(
            [sys.executable, "-c", WRAPPER, str(result_path), str(log), str(cwd), str(timeout), *cmd],
            env=env,
            check=True,
        )
        return json.loads(result_path.read_text())
    finally:
        result_path.unlink(missing_ok=True)


def _is_component_page(parts: tuple[str, ...]) -> bool:
    """models/<model>/components/<kind>... but not the components index of a model."""
    if "components" not in parts[:-1]:
        return False
    at = parts.index("components")
    return "models" in parts[:at] and parts[at + 1 :] != ("index.html",)


def _is_older_version(parts: tuple[str, ...]) -> bool:
    """models/<model>/<version>/components/...: an older version's page (published with --versions all)."""
    return "models" in parts and parts.index("components") - parts.index("models") > 2


def site_stats(site: Path) -> SiteStats:
    """Count and size the pages of a built site."""
    stats = SiteStats()
    loose = 0  # fallback: any path with a components folder, if the models/ layout is not there
    models: set[str] = set()
    for folder, _dirs, names in os.walk(site):
        for name in names:
            path = Path(folder) / name
            size = path.stat().st_size
            stats.site_files += 1
            stats.site_bytes += size
            if not name.endswith(".html") or name == "404.html":
                continue
            rel = PurePosixPath(path.relative_to(site).as_posix())
            parts = rel.parts
            stats.pages += 1
            stats.page_bytes += size
            if size > stats.max_page_bytes:
                stats.max_page_bytes, stats.max_page = size, str(rel)
            if _is_component_page(parts) and _is_older_version(parts):
                stats.older_component_pages += 1
            elif _is_component_page(parts):
                stats.component_pages += 1
            elif "components" in parts[:-1]:
                loose += 1
            if "models" in parts:
                at = parts.index("models")
                if parts[at + 2 :] == ("index.html",):
                    models.add(parts[at + 1])
    if stats.component_pages == 0 and loose:
        stats.component_pages, stats.component_rule = loose, "any '/components/' path"
    else:
        stats.component_rule = "models/*/components/*"
    stats.model_pages = len(models)
    pagefind = site / "pagefind"  # the search the site uses; else Material's one-file index
    index = site / "search" / "search_index.json"
    if pagefind.is_dir():
        stats.search_index_bytes = sum(p.stat().st_size for p in pagefind.rglob("*") if p.is_file())
    else:
        stats.search_index_bytes = index.stat().st_size if index.is_file() else 0
    return stats


@dataclass
class Inputs:
    """What every build of one row reads; all of it lives in the row's work folder, so it may be edited."""

    registries: list[Path]  # the row's registry first; the catalog's models after it with --catalog-models
    catalog: Path
    learning_paths: Path
    # --embedded: the project's mkdocs.yml pointed at the copies; builds pass it instead of the inputs.
    config: Path | None = None


def prepare_inputs(work: Path, registry: Path, args: argparse.Namespace, embedded: bool = False) -> Inputs:
    """Copy the catalog's designs and the learning paths (and the catalog's models) into ``work``.

    The project's mkdocs.yml would read the originals in the repository; the builds get the copies instead,
    full build and rebuilds alike, so the rebuilds can change them and every build of a row reads the same.
    The embedded site's registry is the catalog's models already (``registry``), so nothing is added.
    """
    catalog, learning = work / "catalog-designs", work / "learning-paths"
    shutil.copytree(CATALOG_DESIGNS, catalog)
    shutil.copytree(LEARNING_PATHS, learning)
    registries = [registry]
    if args.catalog_models and not embedded:
        registries.append(work / "catalog-models")
        shutil.copytree(CATALOG_MODELS, registries[-1])
    return Inputs(registries, catalog, learning)


def site_config(python: str, inputs: Inputs, work: Path, versions: str, name: str) -> Path:
    """The project's mkdocs.yml, the plugin's inputs pointing at the row's copies (bench/serve_edit.py)."""
    return serve_edit.write_site_config(
        python,
        work / name,
        registries=inputs.registries,
        catalog=inputs.catalog,
        learning_paths=inputs.learning_paths,
        generated_dir=work / "serve-docs",  # serve's own docs dir; the builds pass --docs-dir
        site_dir=work / "site",
        versions=versions,
    )


def count_expected(registries: list[Path], view: Path) -> synth.Published:
    """What a build of several registries should publish, counted on a merged view of their versions.

    The view links each ``<model>/<version>`` folder, the first registry's copy winning, so the newest
    version of a model is picked across registries as the build does.
    """
    if len(registries) == 1:
        return synth.count_published(registries[0])
    view.mkdir()
    try:
        for registry in registries:
            for model_dir in sorted(
                p for p in registry.iterdir() if p.is_dir() and not p.name.startswith(".")
            ):
                for version_dir in sorted(p for p in model_dir.iterdir() if p.is_dir()):
                    link = view / model_dir.name / version_dir.name
                    if not link.exists():
                        link.parent.mkdir(exist_ok=True)
                        link.symlink_to(version_dir.resolve())
        return synth.count_published(view)
    finally:
        shutil.rmtree(view, ignore_errors=True)


def build_command(
    args: argparse.Namespace, inputs: Inputs, site: Path, docs: Path, versions: str | None = None
) -> list[str]:
    cmd = [*args.meshdocs, "build"]
    if inputs.config is not None:  # --embedded: the inputs come from the configuration, no overrides
        cmd += ["--config-file", str(inputs.config)]
    for registry in inputs.registries if inputs.config is None else ():
        cmd += ["--registry", str(registry)]
    cmd += ["--site-dir", str(site)]
    if args.docs_dir_flag:
        cmd += ["--docs-dir", str(docs)]
    if inputs.config is None:
        cmd += ["--catalog", str(inputs.catalog), "--learning-paths", str(inputs.learning_paths)]
    if versions:
        cmd += ["--versions", versions]
    return cmd + args.build_arg


def timed_build(cmd: list[str], cwd: Path, log: Path, timeout: float) -> tuple[dict[str, Any], str]:
    """Run one build in its wrapper; its figures and its output."""
    result = run_build(cmd, cwd, log, timeout)
    return result, log.read_text(errors="replace")


def _summary(text: str) -> str:
    match = re.search(r"^Built .*$", text, re.M)
    return match.group(0) if match else ""


def file_label(label: str) -> str:
    """A row's label as part of a log file name: "real-size (all versions)" → "real-size-all-versions"."""
    return re.sub(r"[^\w.-]+", "-", label).strip("-")


def benchmark(
    row: Row,
    inputs: Inputs,
    work: Path,
    args: argparse.Namespace,
    python: str,
    logs: Path,
    floor: list[float] | None = None,
) -> Row:
    """Parse floor, build, site, the incremental rebuilds, then serve: fills ``row`` in place and returns it.

    ``floor``: the parse runs of the same input, measured for the row's other ``--versions`` run.
    """
    registry = inputs.registries[0]
    row.inputs = {
        "registry": [str(r) for r in inputs.registries],
        "catalog": [str(inputs.catalog)],
        "learning_paths": [str(inputs.learning_paths)],
        **({"config": [str(inputs.config)]} if inputs.config else {}),
    }
    row.input_files, row.input_bytes = input_size(registry)
    if floor:
        row.parse_floor_runs, row.parse_floor_reused = list(floor), True
    else:
        print(f"[{row.label}] parse floor ({args.parse_runs} fresh runs) ...", file=sys.stderr, flush=True)
        row.parse_floor_runs = [round(t, 3) for t in parse_floor(python, registry, args.parse_runs)]
    row.parse_floor_seconds = min(row.parse_floor_runs)
    site, docs = work / "site", work / "docs"
    cmd = build_command(args, inputs, site, docs, row.versions)
    log = logs / f"build-{file_label(row.label)}.log"
    print(f"[{row.label}] build: {' '.join(cmd)}", file=sys.stderr, flush=True)
    result, text = timed_build(cmd, work, log, args.timeout)
    row.build_exit = result["exit"]
    row.build_seconds = round(result["wall"], 2)
    row.build_cpu_seconds = round(result["user"] + result["sys"], 2)
    row.peak_rss_mb = round(result["maxrss_kb"] / 1024, 1)
    row.build_log = str(log)
    row.build_summary = _summary(text)
    row.build_notes = NOTE_LINE.findall(text)
    if row.build_exit != 0:
        tail = "\n".join(text.splitlines()[-15:])
        print(f"[{row.label}] build exited {row.build_exit}; last lines of {log}:\n{tail}", file=sys.stderr)
    if site.is_dir():
        row.site = site_stats(site)
    print(
        f"[{row.label}] parse floor {row.parse_floor_seconds:.2f} s, build {row.build_seconds:.1f} s "
        f"(exit {row.build_exit}), {row.site.pages} pages, {row.site.component_pages} component pages",
        file=sys.stderr,
        flush=True,
    )
    if args.search and site.is_dir() and Path("/usr/bin/chromium").exists():
        print(f"[{row.label}] search in Chromium ...", file=sys.stderr, flush=True)
        try:
            import search as search_bench  # bench/search.py, beside this file

            row.search = [
                (q, b, round(t, 3)) for q, b, t, _n, _h in search_bench.measure(site, SEARCH_QUERIES)
            ]
        except Exception as exc:  # the build figures stand on their own; say why search has none
            row.build_notes.append(f"search not measured: {type(exc).__name__}: {exc}")
    if args.incremental and site.is_dir():
        for step in STEPS:
            row.rebuilds.append(rebuild(row, step, inputs, work, cmd, args, logs))
    if args.serve and site.is_dir():
        serve_row(row, inputs, work, args, python, logs)
    return row


# ------------------------------------------------------------------------------ incremental rebuilds


@dataclass
class Change:
    """One input file's new content, and where and what to look for in the site once it is rebuilt."""

    path: Path
    content: str
    edit: str
    texts: tuple[str, ...]  # a page holding any of these shows the change
    pages: Callable[[], Iterable[Path]]  # the pages that may show it
    problem: str = ""  # known beforehand: why no page will show it


def rebuild(
    row: Row, step: str, inputs: Inputs, work: Path, cmd: list[str], args: argparse.Namespace, logs: Path
) -> Rebuild:
    """Make the step's change (if any), rebuild into the same site and docs dir, check the change is there."""
    site = work / "site"
    result = Rebuild(step)
    change: Change | None = None
    if step == "component":
        change = component_change(inputs.registries[0], site)
    elif step == "design":
        change = design_change(inputs.catalog, site)
    elif step == "learning":
        change = learning_change(inputs.learning_paths, site)
    before: set[str] = set()
    if change is not None:
        before = pages_with(site, change)
        change.path.write_text(change.content, encoding="utf-8")
        result.changed = change.path.relative_to(work).as_posix()
        result.edit, result.problem = change.edit, change.problem
    elif step != "unchanged":
        result.problem = "found nothing to edit; rebuilt without a change"
    log = logs / f"build-{file_label(row.label)}-{step}.log"
    print(
        f"[{row.label}] rebuild {step}" + (f" after editing {result.changed}" if result.changed else ""),
        file=sys.stderr,
        flush=True,
    )
    figures, text = timed_build(cmd, work, log, args.timeout)
    result.exit = figures["exit"]
    result.seconds = round(figures["wall"], 2)
    result.cpu_seconds = round(figures["user"] + figures["sys"], 2)
    result.peak_rss_mb = round(figures["maxrss_kb"] / 1024, 1)
    result.summary = _summary(text)
    result.notes = NOTE_LINE.findall(text)
    result.log = str(log)
    result.pages = site_stats(site).pages if site.is_dir() else 0
    if change is not None:
        result.found_in = sorted(pages_with(site, change) - before)
        result.verified = bool(result.found_in)
        if not result.verified and not result.problem:
            result.problem = "the edited text is in no page of the rebuilt site"
    if result.exit != 0:
        tail = "\n".join(text.splitlines()[-15:])
        print(
            f"[{row.label}] rebuild {step} exited {result.exit}; last lines of {log}:\n{tail}",
            file=sys.stderr,
        )
    print(
        f"[{row.label}] rebuild {step}: {result.seconds:.1f} s (exit {result.exit}), {result.pages} pages"
        + ("" if result.verified is None else f", verified {result.verified}")
        + (f"; {result.problem}" if result.problem else ""),
        file=sys.stderr,
        flush=True,
    )
    return result


# ------------------------------------------------------------------------------------ serve edits


def serve_row(
    row: Row, inputs: Inputs, work: Path, args: argparse.Namespace, python: str, logs: Path
) -> None:
    """`meshdocs serve` on the row's inputs: its initial build, then one component and one design edit.

    Each edit is timed from the save to the first answer of the page that shows it with the edited text
    (polled every 0.05 s on 127.0.0.1); the page is found in the site of the full build, which has the
    served site's layout. The edits come on top of the rebuilds' changes, like them in the row's copies.
    """
    site = work / "site"
    registry = inputs.registries[0]
    try:
        config = inputs.config or site_config(python, inputs, work, row.versions, "serve.yml")
    except serve_edit.ServeError as exc:
        row.serve_error = str(exc)
        return
    row.serve_config = str(config)
    plans: list[tuple[ServeEdit, Change | None, Path | None]] = []
    component = component_change(registry, site, SERVE_SUFFIX)
    if component is not None:  # look for the suffix alone: the description may be Markdown
        component.texts = (SERVE_SUFFIX.strip(),)
    plans.append((ServeEdit("component"), component, component_page(row, registry, site, component)))
    design = serve_design_change(inputs.catalog, site)
    plans.append((ServeEdit("design"), design, design.pages()[0] if design else None))
    port = serve_edit.free_port()
    base = f"http://127.0.0.1:{port}/"
    cmd = [*args.meshdocs, "serve", "--config-file", str(config), "--dev-addr", f"127.0.0.1:{port}"]
    server = serve_edit.Server(cmd, work, logs / f"serve-{file_label(row.label)}.log", work / "serve-tmp")
    row.serve_log = str(server.log)
    first = next((page for _e, _c, page in plans if page is not None and page.is_file()), None)
    ready = serve_edit.page_url(base, first.relative_to(site).as_posix()) if first else base
    print(f"[{row.label}] serve: {' '.join(cmd)}", file=sys.stderr, flush=True)
    try:
        server.start()
        row.serve_initial_seconds = round(server.wait_served(ready, args.timeout), 2)
        print(
            f"[{row.label}] serve: initial build {row.serve_initial_seconds:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        for result, change, page in plans:
            row.serve_edits.append(result)
            if change is None:
                result.problem = "found nothing to edit"
                continue
            result.changed = change.path.relative_to(work).as_posix()
            result.edit, result.problem = change.edit, change.problem
            if page is None or not page.is_file():
                result.verified = False
                result.problem = result.problem or "no page of the built site shows what it edits"
                result.problem += "; not edited, not timed"
                continue
            result.url = serve_edit.page_url(base, page.relative_to(site).as_posix())
            seconds, problem = server.time_edit(
                change.path, change.content, result.url, change.texts, args.serve_timeout
            )
            result.seconds = None if seconds is None else round(seconds, 2)
            result.verified = seconds is not None
            result.problem = problem or ("" if result.verified else result.problem)
            print(
                f"[{row.label}] serve {result.step} edit ({result.changed}): "
                + (f"{seconds:.2f} s" if seconds is not None else f"not shown: {problem}"),
                file=sys.stderr,
                flush=True,
            )
    except serve_edit.ServeError as exc:
        row.serve_error = str(exc)
        print(f"[{row.label}] serve failed: {exc}", file=sys.stderr, flush=True)
    finally:
        server.stop()
        row.serve_peak_rss_mb = server.peak_rss_mb


def component_page(row: Row, registry: Path, site: Path, change: Change | None) -> Path | None:
    """The page of the component ``change`` edits: ``models/<model>/components/<kind>/index.html``.

    Named after the model's and the kind's names; else the page the component rebuild showed its edit on.
    """
    if change is None:
        return None
    data = json.loads(change.path.read_text(encoding="utf-8"))
    kind = str((data.get("component") or {}).get("kind") or data.get("kind") or change.path.stem)
    model = data.get("model") if isinstance(data.get("model"), dict) else {}
    names = [str(model.get("name") or ""), change.path.relative_to(registry).parts[0]]
    for name in filter(None, names):
        page = site / "models" / _slug(name) / "components" / _slug(kind) / "index.html"
        if page.is_file():
            return page
    done = row.rebuild("component")
    if done is not None and done.verified and done.found_in:
        return site / done.found_in[0]
    return None


def component_change(registry: Path, site: Path, suffix: str = DESCRIPTION_EDIT) -> Change | None:
    """Append " (edited)" to the description of the first published component (models and files sorted).

    The component page shows the top-level ``description`` of the component file (empty throughout
    registry-2024 and in synth.py's output, so the page gains a description). Only that value changes in
    the file; the rest stays byte for byte as it was. ``suffix``: what is appended instead.
    """
    path = synth.first_published_component(registry)
    if path is None:
        return None
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    old = data.get("description")
    new = (old if isinstance(old, str) else "") + suffix
    expected = {**data, "description": new}
    content = synth.dump_go(expected)  # the fallback: the whole file rewritten as Meshery writes it
    literal = synth.go_escape(json.dumps(new))
    for match in re.finditer(r'"description": ("(?:[^"\\]|\\.)*")', text):
        candidate = text[: match.start(1)] + literal + text[match.end(1) :]
        try:
            if json.loads(candidate) == expected:
                content = candidate
                break
        except ValueError:
            continue
    kind = str((data.get("component") or {}).get("kind") or data.get("kind") or path.stem)
    shown = new.strip()
    return Change(
        path,
        content,
        f"description {old!r} → {new!r}",
        (shown, html.escape(shown, quote=False)),
        lambda: component_pages(site, kind),
    )


def design_change(catalog: Path, site: Path) -> Change | None:
    """Append a paragraph to the README.md of the first design (sorted) that has one and is in the site.

    A design is published only when the registry has the models and components it uses; when none with a
    README.md is, the first design with a README.md is edited all the same and the problem recorded.
    """
    picked = _design_folder(catalog, site)
    if picked is None:
        return None
    folder, problem = picked
    return _append_paragraph(folder / "README.md", lambda: html_pages(site, skip={"models"}), problem)


def _design_folder(catalog: Path, site: Path) -> tuple[Path, str] | None:
    """The design the design steps edit, and why its page will not show the edit (when known)."""
    folders = sorted(p for p in catalog.iterdir() if p.is_dir() and not p.name.startswith("."))
    published = [f for f in folders if (site / "catalog" / _slug(f.name) / "index.html").is_file()]
    with_readme = [f for f in folders if (f / "README.md").is_file()]
    # A published design with a README first; else a published one gains a README.md (an optional file of
    # the catalog layout, shown on the design page), as a contributor's pull request would add it.
    candidates = [f for f in with_readme if f in published] or published or with_readme
    if not candidates:
        return None
    folder = candidates[0]
    problem = ""
    if folder not in published:
        problem = (
            f"no design with a README.md is in the site ({len(published)} of {len(folders)} designs "
            f"are published against this registry); edited {folder.name}, which is not"
        )
    return folder, problem


def design_page(site: Path, folder: Path) -> Path:
    """Where a design's page is in the site (``catalog/<design>/index.html``), whether it exists or not."""
    return site / "catalog" / _slug(folder.name) / "index.html"


def serve_design_change(catalog: Path, site: Path) -> Change | None:
    """Put :data:`SERVE_LINE` in front of the description in the catalog.yml of the design_change design.

    The description is what the design page shows first; the design's README.md got the rebuild's edit.
    Without a description this can edit (a folded or literal block, or a plain value), the README.md gets
    the line as a paragraph instead.
    """
    picked = _design_folder(catalog, site)
    if picked is None:
        return None
    folder, problem = picked

    def pages() -> list[Path]:
        return [design_page(site, folder)]

    meta = folder / "catalog.yml"
    text = meta.read_text(encoding="utf-8") if meta.is_file() else ""
    content = _prefix_description(text, SERVE_LINE)
    if content is None:
        return _append_paragraph(folder / "README.md", pages, problem, SERVE_LINE)
    edit = f"{SERVE_LINE!r} put in front of its description"
    return Change(meta, content, edit, (SERVE_LINE,), pages, problem)


def _prefix_description(text: str, line: str) -> str | None:
    """The YAML text with ``line`` as the first words of its top-level ``description``; None if not found."""
    block = re.search(r"^description:[ \t]*[|>][-+0-9]*[ \t]*(?:#.*)?\n(?P<indent>[ \t]+)\S", text, re.M)
    if block:
        at = block.start("indent")
        return text[:at] + block.group("indent") + line + "\n" + text[at:]
    plain = re.search(r"^description:[ \t]+(?=[^\s|>'\"&*!%@`#{\[])", text, re.M)
    if plain:
        return text[: plain.end()] + line + " " + text[plain.end() :]
    return None


def learning_change(root: Path, site: Path) -> Change | None:
    """Append a paragraph to the first learning-path lesson (sorted): a ``type: page`` file, not a draft."""
    files = sorted(p for p in root.rglob("*.md") if p.name != "_index.md")
    lessons = [p for p in files if _is_lesson(p.read_text(encoding="utf-8", errors="replace"))]
    if not (lessons or files):
        return None
    return _append_paragraph((lessons or files)[0], lambda: html_pages(site, skip={"models"}))


def _append_paragraph(
    path: Path, pages: Callable[[], Iterable[Path]], problem: str = "", line: str = EDIT_LINE
) -> Change:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    content = (text.rstrip("\n") + f"\n\n{line}\n").lstrip("\n")
    return Change(path, content, f"appended the paragraph {line!r}", (line,), pages, problem)


def _is_lesson(text: str) -> bool:
    """A learning-path page by its front matter: ``type: page`` and not ``draft: true``."""
    if not text.startswith("---"):
        return False
    front = text[3:].split("\n---", 1)[0]
    kind = re.search(r"""^type:\s*["']?([\w-]+)""", front, re.M)
    draft = re.search(r"^draft:\s*true\b", front, re.M | re.I)
    return bool(kind and kind.group(1) == "page" and not draft)


def _slug(text: str) -> str:
    """Like generator.slugs.slugify for plain names (the benchmark does not import the generator)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def component_pages(site: Path, kind: str) -> list[Path]:
    """The pages of components named like ``kind`` (``-2``… suffixes too); all component pages if none."""
    pages = sorted(site.glob(f"models/*/components/{_slug(kind)}*/index.html"))
    return pages or sorted(site.glob("models/*/components/*/index.html"))


def html_pages(site: Path, skip: set[str]) -> list[Path]:
    """Every .html page of the site but those under the top-level folders in ``skip``."""
    pages = []
    for folder, dirs, names in os.walk(site):
        if Path(folder) == site:
            dirs[:] = [d for d in dirs if d not in skip]
        pages += [Path(folder) / n for n in names if n.endswith(".html")]
    return sorted(pages)


def pages_with(site: Path, change: Change) -> set[str]:
    """The pages (site-relative) that hold any of the change's texts."""
    found = set()
    for page in change.pages():
        text = page.read_text(encoding="utf-8", errors="replace")
        if any(t in text for t in change.texts):
            found.add(page.relative_to(site).as_posix())
    return found


def _fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


COLUMNS = (
    "size",
    "models",
    "component pages",
    "pages",
    "parse floor s",
    "build s",
    "ratio",
    "peak RSS MB",
    "avg KB/page",
    "max KB/page",
    "search index MB",
    "exit",
    "input MB",
    "row wall s",
)


def _header(columns: tuple[str, ...] | list[str]) -> list[str]:
    """A Markdown table's first two lines, every column right-aligned."""
    return ["| " + " | ".join(columns) + " |", "|" + "|".join("---:" for _ in columns) + "|"]


def table(rows: list[Row]) -> str:
    """The Markdown table; where the site disagrees with what the input should publish, both are shown."""
    lines = _header(COLUMNS)
    for r in rows:
        s = r.site
        comps = f"{s.component_pages:,}"
        if s.component_pages != r.expected_component_pages:
            comps += f" (expected {r.expected_component_pages:,})"
        models = f"{s.model_pages:,}" if s.model_pages else "?"
        if s.model_pages != r.expected_models:
            models += f" (expected {r.expected_models:,})"
        avg = s.page_bytes / s.pages / 1000 if s.pages else None
        cells = [
            r.label,
            models,
            comps,
            f"{s.pages:,}",
            _fmt(r.parse_floor_seconds, 2),
            _fmt(r.build_seconds, 1),
            _fmt(r.ratio, 0),
            _fmt(r.peak_rss_mb, 0),
            _fmt(avg, 1),
            _fmt(s.max_page_bytes / 1000 if s.pages else None, 0),
            _fmt(s.search_index_bytes / 1e6, 1),
            str(r.build_exit),
            _fmt(r.input_bytes / 1e6, 0),
            _fmt(r.row_seconds, 0),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


INCREMENTAL_COLUMNS = (
    "size",
    "full s",
    "unchanged s",
    "component s",
    "design s",
    "learning s",
    "incr/full %",
    "verified c/d/l",
    "pages after",
    "exit",
    "peak RSS MB",
)


def _mark(verified: bool | None) -> str:
    return {True: "✓", False: "✗", None: "–"}[verified]


def incremental_table(rows: list[Row]) -> str:
    """One row per size: the full build, then each rebuild into its site; the share of the slowest change."""
    lines = _header(INCREMENTAL_COLUMNS)
    for r in rows:
        if not r.rebuilds:
            continue
        steps = [r.rebuild(step) for step in STEPS]
        exits = {str(b.exit) for b in r.rebuilds}
        counts = {b.pages for b in r.rebuilds}
        rss = [b.peak_rss_mb for b in r.rebuilds if b.peak_rss_mb is not None]
        cells = [
            r.label,
            _fmt(r.build_seconds, 1),
            *(_fmt(b.seconds if b else None, 1) for b in steps),
            _fmt(r.incremental_share, 0),
            " ".join(_mark(b.verified if b else None) for b in steps[1:]),
            "same" if counts == {r.site.pages} else "/".join(f"{b.pages:,}" for b in r.rebuilds),
            exits.pop() if len(exits) == 1 else "/".join(str(b.exit) for b in r.rebuilds),
            _fmt(max(rss) if rss else None, 0),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SUMMARY_COLUMNS = (
    "row",
    "versions",
    "pages",
    "parse floor s",
    "full s",
    "full/floor",
    "unchanged s (% full)",
    "component s (% full)",
    "design s (% full)",
    "learning s (% full)",
    "serve component s (% full)",
    "serve design s (% full)",
    "peak RSS MB",
    "avg KB/page",
)


def _share(row: Row, seconds: float | None, verified: bool | None = None) -> str:
    """Seconds and their share of the full build, "1.2 (8 %)"; ✗ when the change did not show."""
    if seconds is None:
        return "✗" if verified is False else "–"
    share = row.share_of_full(seconds)
    cell = f"{seconds:,.1f}" if seconds >= 10 else f"{seconds:,.2f}"
    cell += f" ({share:,.0f} %)" if share is not None else ""
    return cell + (" ✗" if verified is False else "")


def summary_table(rows: list[Row]) -> str:
    """One line per row with what the goals are about: each time against the parse floor or the full build."""
    lines = _header(SUMMARY_COLUMNS)
    for r in rows:
        steps = [r.rebuild(step) for step in STEPS]
        edits = [r.serve_edit(step) for step in SERVE_STEPS]
        s = r.site
        cells = [
            r.label,
            r.versions,
            f"{s.pages:,}",
            _fmt(r.parse_floor_seconds, 2),
            _fmt(r.build_seconds, 1),
            _fmt(r.ratio, 0),
            *(_share(r, b.seconds, b.verified) if b else "–" for b in steps),
            *(_share(r, e.seconds, e.verified) if e else ("✗" if r.serve_error else "–") for e in edits),
            _fmt(r.peak_rss_mb, 0),
            _fmt(s.page_bytes / s.pages / 1000 if s.pages else None, 1),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SERVE_COLUMNS = (
    "row",
    "versions",
    "initial build s",
    "component edit s",
    "design edit s",
    "verified c/d",
    "serve peak RSS MB",
)


def serve_table(rows: list[Row]) -> str:
    """`meshdocs serve`: its initial build, then seconds from each save to the served page showing it."""
    lines = _header(SERVE_COLUMNS)
    for r in rows:
        if not (r.serve_edits or r.serve_error or r.serve_initial_seconds is not None):
            continue
        edits = [r.serve_edit(step) for step in SERVE_STEPS]
        cells = [
            r.label,
            r.versions,
            _fmt(r.serve_initial_seconds, 1),
            *(_fmt(e.seconds if e else None, 2) for e in edits),
            " ".join(_mark(e.verified if e else (False if r.serve_error else None)) for e in edits),
            _fmt(r.serve_peak_rss_mb, 0),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


SEARCH_QUERIES = ["Deployment", "certificate", "ScaledObject", "namespace"]


def search_table(rows: list[Row]) -> str:
    lines = [
        "| size | pages | search index MB | " + " | ".join(f"{q} KB / s" for q in SEARCH_QUERIES) + " |",
        "|" + "|".join("---:" for _ in range(3 + len(SEARCH_QUERIES))) + "|",
    ]
    for r in rows:
        if not r.search:
            continue
        cells = [f"{b / 1024:,.0f} / {t:.2f}" for _q, b, t in r.search]
        lines.append(
            f"| {r.label} | {r.site.pages:,} | {r.site.search_index_bytes / 1e6:.1f} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def report(rows: list[Row], machine: dict[str, Any], args: argparse.Namespace) -> str:
    m = machine
    changed = [
        f"- **{r.label}: meshdocs' own files changed while it ran** "
        f"({', '.join(r.sources_changed[:3])}{', …' if len(r.sources_changed) > 3 else ''}): "
        "its rebuilds may have built in full for that, and its figures mix two versions."
        for r in rows
        if r.sources_changed
    ]
    head = [
        f"# meshdocs build benchmark, {m['date']}",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; "
        f"Python {m.get('build_python', '?')}, "
        f"meshdocs {m.get('build_meshdocs', '?')}, MkDocs {m.get('build_mkdocs', '?')}, "
        f"mkdocs-material {m.get('build_mkdocs_material', '?')}; commit {m['commit'] or '?'}.",
        f"Synthetic schemas: {args.size_profile} profile, seed {args.seed}"
        + (f", median {args.median_kb} KB, p99 {args.p99_kb} KB" if args.size_profile == "lognormal" else "")
        + ("; real registry added to every size" if args.combine_real else "")
        + ("; the catalog's models added to every build" if args.catalog_models else "")
        + (
            f"; real-size: registry-2024 + {REAL_SIZE_MODELS} synthetic models, "
            f"{REAL_SIZE_COMPONENTS:,} published components, registry-2024 profile"
            if args.real_size
            else ""
        )
        + f"; meshdocs build --versions {args.versions}.",
        "",
        "## Summary",
        "",
        "Per row: the full build against the parse floor; each rebuild (no change, then one component, one "
        "design, one learning-path page, on top of each other) and each `meshdocs serve` edit (save to the "
        "served page showing it: one component, one design) in seconds and as a share of the full build; ✗: "
        "the change did not show. Goals: rebuilds ≤ 15 % of the full build, serve edits ≤ 2 s on the "
        "embedded site.",
        "",
        summary_table(rows),
        "",
        *changed,
        *([""] if changed else []),
        "## Builds",
        "",
        table(rows),
        "",
    ]
    for r in rows:
        sizes = synth.format_distribution(r.schema_sizes) if r.schema_sizes else ""
        head.append(
            f"- {r.label}: {r.input_files:,} input files; largest page {r.site.max_page or '–'}; "
            f"build CPU {_fmt(r.build_cpu_seconds)} s; parse runs {r.parse_floor_runs}"
            + (" (measured for the other --versions run)" if r.parse_floor_reused else "")
            + (
                f"; {r.site.older_component_pages:,} component pages of older versions"
                if r.site.older_component_pages
                else ""
            )
            + (f"; {sizes}" if sizes else "")
            + (f"; meshdocs said: {r.build_summary}" if r.build_summary else "")
            + "".join(f"; {note}" for note in r.build_notes)
        )
    if any(r.search for r in rows):
        head += [
            "",
            "## Search",
            "",
            "Each query typed into the header box of the built site in Chromium, a fresh page each: bytes "
            "the search fetched before the first result showed, and seconds from the last keystroke to it "
            "(goal: under 500 KB and 1 s at 20,000 pages).",
            "",
            search_table(rows),
        ]
    if any(r.rebuilds for r in rows):
        head += [
            "",
            "## Incremental rebuilds",
            "",
            "Into the site of the full build, in this order: no change; one component's description; one "
            "design's README.md; one learning-path lesson. verified c/d/l: the change is in the rebuilt "
            "site (component, design, learning); incr/full %: the slowest of the three as a share of the "
            "full build (goal ≤ 15 %).",
            "",
            incremental_table(rows),
            "",
        ]
        for r in rows:
            for b in r.rebuilds:
                said = "; ".join([*b.notes, b.summary] if b.summary else b.notes)
                head.append(
                    f"- {r.label} {b.step}: {_fmt(b.seconds)} s, CPU {_fmt(b.cpu_seconds)} s"
                    + (f"; {b.changed}: {b.edit}" if b.changed else "")
                    + (f"; shown in {', '.join(b.found_in)}" if b.found_in else "")
                    + (f"; **not verified**: {b.problem}" if b.verified is False else "")
                    + (f"; {b.problem}" if b.problem and b.verified is not False else "")
                    + (f"; meshdocs said: {said}" if said else "")
                )
    if any(r.serve_edits or r.serve_error for r in rows):
        head += [
            "",
            "## Serve",
            "",
            "`meshdocs serve --config-file CONFIG --dev-addr 127.0.0.1:PORT` on the row's inputs after its "
            "rebuilds: initial build s from the start to the first page served; then each edit from the "
            "file's save to the first answer of its page with the edited text (polled every 0.05 s; MkDocs "
            "holds a request while it rebuilds, so that is the whole rebuild). Goal: ≤ 2 s on the embedded "
            "site.",
            "",
            serve_table(rows),
            "",
        ]
        for r in rows:
            if r.serve_error:
                head.append(f"- {r.label}: **serve failed**: {r.serve_error} (log {r.serve_log})")
            for e in r.serve_edits:
                head.append(
                    f"- {r.label} serve {e.step}: {_fmt(e.seconds, 2)} s"
                    + (f"; {e.changed}: {e.edit}" if e.changed else "")
                    + (f"; polled {e.url}" if e.url else "")
                    + (f"; **not verified**: {e.problem}" if e.verified is False else "")
                    + (f"; {e.problem}" if e.problem and e.verified is not False else "")
                )
    return "\n".join(head) + "\n"


MESHDOCS_SOURCES = ("generator", "templates", "overrides", "mkdocs.yml")


def source_stamp() -> dict[str, int]:
    """Modification time of each file meshdocs builds with, from the repository (an editable install)."""
    stamp = {}
    for name in MESHDOCS_SOURCES:
        root = REPO / name
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in paths:
            if "__pycache__" not in path.parts:
                try:
                    stamp[path.relative_to(REPO).as_posix()] = path.stat().st_mtime_ns
                except OSError:
                    continue
    return stamp


def changed_sources(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@dataclass
class Source:
    """One row's input before its --versions runs: a registry written (``owned``) or one copied as is."""

    tag: str  # its folder in the work root
    label: str
    registry: Path
    owned: bool  # written for the benchmark: the last run may take it instead of a copy
    made: synth.SynthResult | None = None
    embedded: bool = False


def sources(args: argparse.Namespace, sizes: list[int], root: Path) -> Iterable[Source]:
    """The rows' inputs, one at a time (each is written when its turn comes, and gone after it)."""
    sampler = synth.sampler_from_args(args)
    for size in sizes:
        print(f"[{size}] writing synthetic registry ...", file=sys.stderr, flush=True)
        registry = root / f"n{size}" / "source"
        made = synth.generate(
            registry,
            size,
            seed=args.seed,
            sampler=sampler,
            noise=args.noise,
            with_real=args.real_dir if args.combine_real else None,
        )
        yield Source(f"n{size}", str(size), registry, True, made)
    if args.real:
        yield Source("real", "real", args.real_dir, False)
    if args.real_size:
        print(
            f"[real-size] writing {args.real_dir.name} + {REAL_SIZE_MODELS} synthetic models, "
            f"{REAL_SIZE_COMPONENTS} published components ...",
            file=sys.stderr,
            flush=True,
        )
        registry = root / "real-size" / "source"
        made = synth.generate(
            registry,
            REAL_SIZE_COMPONENTS,
            REAL_SIZE_MODELS,
            seed=args.seed,
            sampler=synth.SizeSampler(profile="registry-2024"),  # whatever --size-profile says
            noise=args.noise,
            with_real=args.real_dir,
        )
        yield Source("real-size", "real-size", registry, True, made)
    if args.embedded:
        yield Source("embedded", "embedded", CATALOG_MODELS, False, embedded=True)


def run_source(
    source: Source,
    versions: list[str],
    root: Path,
    args: argparse.Namespace,
    python: str,
    logs: Path,
    started: float,
) -> list[Row]:
    """Every --versions run of one input, each in a folder of its own with its own copies."""
    rows: list[Row] = []
    floor: list[float] | None = None
    for i, version in enumerate(versions):
        t0 = started if i == 0 else time.perf_counter()
        work = root / source.tag / version
        work.mkdir(parents=True)
        registry = work / ("catalog-models" if source.embedded else "registry")
        if source.owned and i == len(versions) - 1:
            source.registry.rename(registry)  # the last run takes the written registry
        else:
            # A copy, built by the full build and the rebuilds alike: the component rebuild edits it.
            print(f"[{source.label}] copying {source.registry} ...", file=sys.stderr, flush=True)
            shutil.copytree(source.registry, registry, symlinks=True)
        inputs = prepare_inputs(work, registry, args, embedded=source.embedded)
        label = source.label + (VERSION_SUFFIX[version] if len(versions) > 1 else "")
        if source.made is not None:
            row = Row(label, str(registry), source.made.models, source.made.components)
            row.synth_seconds, row.schema_sizes = source.made.seconds, source.made.schema_sizes
        else:
            row = Row(label, str(source.registry), 0, 0)
        row.versions = version
        if source.made is None or len(inputs.registries) > 1:
            expected = count_expected(inputs.registries, work / "expected-view")
            row.expected_models, row.expected_component_pages = expected.models, expected.components
        if source.embedded:
            inputs.config = site_config(python, inputs, work, version, "site.yml")
        stamp = source_stamp()
        rows.append(benchmark(row, inputs, work, args, python, logs, floor))
        row.sources_changed = changed_sources(stamp, source_stamp())
        if row.sources_changed:
            print(
                f"[{row.label}] warning: meshdocs' files changed during the row: "
                + ", ".join(row.sources_changed[:5]),
                file=sys.stderr,
                flush=True,
            )
        floor = row.parse_floor_runs
        row.row_seconds = round(time.perf_counter() - t0, 1)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        help="published component pages per synthetic registry (default: 100,1000,5000, or none when "
        "--real-size or --embedded is given)",
    )
    parser.add_argument("--real", action="store_true", help="also benchmark the real registry as is")
    parser.add_argument("--real-dir", type=Path, default=DEFAULT_REAL, help="the real registry")
    parser.add_argument(
        "--real-size",
        action="store_true",
        help=f"also benchmark the real registry extended to {REAL_SIZE_MODELS} more models and "
        f"{REAL_SIZE_COMPONENTS:,} published components, with the real schema sizes (registry-2024 profile)",
    )
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="also benchmark the embedded default site (the inputs the project's mkdocs.yml names)",
    )
    parser.add_argument(
        "--versions",
        choices=("all", "newest", "both"),
        default="all",
        help="meshdocs build --versions for every build; both: every row twice, newest then all",
    )
    parser.add_argument(
        "--combine-real",
        action="store_true",
        help="make each size the real registry plus synthetic models (synth.py --with-real)",
    )
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out", help="where results go")
    parser.add_argument("--work", type=Path, help="temporary folder for registries and sites (default: /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep generated registries and sites")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parse-runs", type=int, default=3, help="parse floor: best of this many")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a build is killed")
    parser.add_argument(
        "--serve-timeout",
        type=float,
        default=120,
        help="seconds a serve edit may take to show before it counts as not shown",
    )
    parser.add_argument("--meshdocs", default=str(DEFAULT_MESHDOCS), help="the meshdocs command")
    parser.add_argument("--build-arg", action="append", default=[], help="extra argument for meshdocs build")
    parser.add_argument(
        "--no-docs-dir",
        dest="docs_dir_flag",
        action="store_false",
        help="don't pass --docs-dir (for a meshdocs without it)",
    )
    parser.add_argument(
        "--no-incremental",
        dest="incremental",
        action="store_false",
        help="skip the incremental rebuilds after each full build",
    )
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip measuring search in Chromium (bench/search.py) after each full build",
    )
    parser.add_argument(
        "--no-serve",
        dest="serve",
        action="store_false",
        help="skip timing edits under meshdocs serve after the rebuilds",
    )
    parser.add_argument(
        "--catalog-models",
        action="store_true",
        help="also pass (a copy of) catalog/models as a registry, so the catalog's designs get published",
    )
    synth.add_size_options(parser)
    args = parser.parse_args(argv)
    args.meshdocs = args.meshdocs.split()
    python = str(Path(args.meshdocs[0]).with_name("python"))
    if not Path(python).is_file():
        python = sys.executable
    if args.sizes is None:
        args.sizes = "" if args.real_size or args.embedded else "100,1000,5000"
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    versions = ["newest", "all"] if args.versions == "both" else [args.versions]
    args.out.mkdir(parents=True, exist_ok=True)
    logs = args.out / "logs"
    logs.mkdir(exist_ok=True)
    machine = machine_info(python)
    work_root = Path(tempfile.mkdtemp(prefix="meshdocs-bench-", dir=args.work))
    rows: list[Row] = []
    started = time.strftime("%Y%m%d-%H%M%S")
    try:
        t0 = time.perf_counter()
        for source in sources(args, sizes, work_root):
            rows += run_source(source, versions, work_root, args, python, logs, t0)
            if not args.keep:
                shutil.rmtree(work_root / source.tag, ignore_errors=True)
            t0 = time.perf_counter()
    finally:
        if not args.keep:
            shutil.rmtree(work_root, ignore_errors=True)
        else:
            print(f"kept registries and sites in {work_root}", file=sys.stderr)
    text = report(rows, machine, args)
    print(text)
    data = {
        "machine": machine,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "rows": [
            {
                **asdict(r),
                "ratio": r.ratio,
                "incr_full_pct": r.incremental_share,
                "rebuild_full_pct": {b.step: r.share_of_full(b.seconds) for b in r.rebuilds},
                "serve_edit_seconds": {e.step: e.seconds for e in r.serve_edits},
                "serve_edit_full_pct": {e.step: r.share_of_full(e.seconds) for e in r.serve_edits},
                "avg_page_kb": r.site.page_bytes / r.site.pages / 1000 if r.site.pages else None,
            }
            for r in rows
        ],
    }
    for stem in (f"bench-{started}", "latest"):
        (args.out / f"{stem}.md").write_text(text)
        (args.out / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {args.out / f'bench-{started}.md'} and .json", file=sys.stderr)
    return 0 if all(r.builds_ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
