"""Benchmark ``meshdocs build`` on synthetic registries of growing size, and on the real one.

    python bench/run.py [--sizes 100,1000,5000] [--real] [--out bench/out]

For each size: write a synthetic registry (bench/synth.py) into a temporary folder outside the repository,
time the parse floor (what merely reading the input costs), run the real build in a child process, and
read the built site back. The build/parse-floor ratio says how much the generator and MkDocs add on top of
the unavoidable JSON decoding, which is the number to watch as the registry grows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth  # a sibling script, not a package

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REAL = REPO.parent / "shared" / "data" / "registry-2024"
DEFAULT_MESHDOCS = REPO / ".venv" / "bin" / "meshdocs"

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


@dataclass
class Row:
    """One benchmarked registry."""

    label: str
    registry: str
    expected_models: int
    expected_component_pages: int
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
    build_log: str = ""
    site: SiteStats = field(default_factory=SiteStats)
    row_seconds: float = 0.0

    @property
    def ratio(self) -> float | None:
        if self.build_seconds is None or not self.parse_floor_seconds:
            return None
        return self.build_seconds / self.parse_floor_seconds


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
            if _is_component_page(parts):
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
    index = site / "search" / "search_index.json"
    stats.search_index_bytes = index.stat().st_size if index.is_file() else 0
    return stats


def benchmark(
    row: Row,
    registry: Path,
    work: Path,
    args: argparse.Namespace,
    python: str,
    logs: Path,
) -> Row:
    """Parse floor, build, site: fills ``row`` in place and returns it."""
    row.input_files, row.input_bytes = input_size(registry)
    print(f"[{row.label}] parse floor ({args.parse_runs} fresh runs) ...", file=sys.stderr, flush=True)
    row.parse_floor_runs = [round(t, 3) for t in parse_floor(python, registry, args.parse_runs)]
    row.parse_floor_seconds = min(row.parse_floor_runs)
    site, docs = work / "site", work / "docs"
    cmd = [*args.meshdocs, "build", "--registry", str(registry), "--site-dir", str(site)]
    if args.docs_dir_flag:
        cmd += ["--docs-dir", str(docs)]
    cmd += args.build_arg
    log = logs / f"build-{row.label}.log"
    print(f"[{row.label}] build: {' '.join(cmd)}", file=sys.stderr, flush=True)
    result = run_build(cmd, work, log, args.timeout)
    row.build_exit = result["exit"]
    row.build_seconds = round(result["wall"], 2)
    row.build_cpu_seconds = round(result["user"] + result["sys"], 2)
    row.peak_rss_mb = round(result["maxrss_kb"] / 1024, 1)
    row.build_log = str(log)
    text = log.read_text(errors="replace")
    match = re.search(r"^Built .*$", text, re.M)
    row.build_summary = match.group(0) if match else ""
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
    return row


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


def table(rows: list[Row]) -> str:
    """The Markdown table; where the site disagrees with what the input should publish, both are shown."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---:" for _ in COLUMNS) + "|"]
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


def report(rows: list[Row], machine: dict[str, Any], args: argparse.Namespace) -> str:
    m = machine
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
        + ".",
        "",
        table(rows),
        "",
    ]
    for r in rows:
        sizes = synth.format_distribution(r.schema_sizes) if r.schema_sizes else ""
        head.append(
            f"- {r.label}: {r.input_files:,} input files; largest page {r.site.max_page or '–'}; "
            f"build CPU {_fmt(r.build_cpu_seconds)} s; parse runs {r.parse_floor_runs}"
            + (f"; {sizes}" if sizes else "")
            + (f"; meshdocs said: {r.build_summary}" if r.build_summary else "")
        )
    return "\n".join(head) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="published component pages per registry")
    parser.add_argument("--real", action="store_true", help="also benchmark the real registry as is")
    parser.add_argument("--real-dir", type=Path, default=DEFAULT_REAL, help="the real registry")
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
    parser.add_argument("--meshdocs", default=str(DEFAULT_MESHDOCS), help="the meshdocs command")
    parser.add_argument("--build-arg", action="append", default=[], help="extra argument for meshdocs build")
    parser.add_argument(
        "--no-docs-dir",
        dest="docs_dir_flag",
        action="store_false",
        help="don't pass --docs-dir (for a meshdocs without it)",
    )
    synth.add_size_options(parser)
    args = parser.parse_args(argv)
    args.meshdocs = args.meshdocs.split()
    python = str(Path(args.meshdocs[0]).with_name("python"))
    if not Path(python).is_file():
        python = sys.executable
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.out.mkdir(parents=True, exist_ok=True)
    logs = args.out / "logs"
    logs.mkdir(exist_ok=True)
    machine = machine_info(python)
    work_root = Path(tempfile.mkdtemp(prefix="meshdocs-bench-", dir=args.work))
    sampler = synth.sampler_from_args(args)
    rows: list[Row] = []
    started = time.strftime("%Y%m%d-%H%M%S")
    try:
        for size in sizes:
            t0 = time.perf_counter()
            work = work_root / f"n{size}"
            registry = work / "registry"
            work.mkdir()
            print(f"[{size}] writing synthetic registry ...", file=sys.stderr, flush=True)
            made = synth.generate(
                registry,
                size,
                seed=args.seed,
                sampler=sampler,
                noise=args.noise,
                with_real=args.real_dir if args.combine_real else None,
            )
            row = Row(str(size), str(registry), made.models, made.components)
            row.synth_seconds, row.schema_sizes = made.seconds, made.schema_sizes
            rows.append(benchmark(row, registry, work, args, python, logs))
            row.row_seconds = round(time.perf_counter() - t0, 1)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
        if args.real:
            t0 = time.perf_counter()
            work = work_root / "real"
            work.mkdir()
            published = synth.count_published(args.real_dir)
            row = Row("real", str(args.real_dir), published.models, published.components)
            rows.append(benchmark(row, args.real_dir, work, args, python, logs))
            row.row_seconds = round(time.perf_counter() - t0, 1)
            if not args.keep:
                shutil.rmtree(work, ignore_errors=True)
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
        "rows": [{**asdict(r), "ratio": r.ratio} for r in rows],
    }
    for stem in (f"bench-{started}", "latest"):
        (args.out / f"{stem}.md").write_text(text)
        (args.out / f"{stem}.json").write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {args.out / f'bench-{started}.md'} and .json", file=sys.stderr)
    return 0 if all(r.build_exit == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
