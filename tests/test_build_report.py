"""The build report (pages per kind, what was rendered and why, time per stage, problems per file) and the
progress bar, which shows on a terminal and never in a log.
"""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

from meshdocs.build_report import BuildReport, Progress, StageClock
from meshdocs.diagnostics import Report

from .conftest import REPO, run_cli

STAGES = {"load", "render", "write", "nav", "markdown", "pages", "publish"}


def test_the_report_file_holds_pages_stages_and_problems_per_file(tmp_path: Path) -> None:
    registry = tmp_path / "models"
    shutil.copytree(REPO / "catalog" / "models", registry)
    broken = sorted(registry.glob("*/*/v1.0.0/components/*.json"))[0]
    data = json.loads(broken.read_text(encoding="utf-8"))
    data["component"]["schema"] = "{ not json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "report.json"
    proc = run_cli(
        "build", "--registry", registry, "--site-dir", tmp_path / "site", "--docs-dir", tmp_path / "docs",
        "--report", out,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["pages"] == sum(report["pagesByKind"].values()) > 200
    assert report["pagesByKind"]["component"] > 50
    assert report["rendered"] == report["pages"] and report["plan"] == "full build (no earlier site)"
    assert set(report["stages"]) >= STAGES and all(v >= 0 for v in report["stages"].values())
    flagged = [f for f in report["files"] if f["path"].endswith(broken.name)]
    assert flagged and flagged[0]["warnings"] == 1, report["files"]
    said = proc.stderr
    assert "Rendered " in said and "Time: load " in said and f"{broken.name} (1 warning)" in said
    assert "\r" not in said and "it/s" not in said and "page/s" not in said, "a progress bar in a log"


def test_lines_name_the_most_troubled_files_first() -> None:
    report = Report()
    for _ in range(3):
        report.error("b.yml", "bad")
    report.warning("a.json", "odd")
    clock = StageClock()
    clock.add("load", 1.25)
    lines = BuildReport({"component": 2}, clock.seconds, "full build", 2, 1.5, report).lines()
    assert lines[0] == "Rendered 2 of 2 pages: full build"
    assert lines[1] == "Time: load 1.2 s"
    assert lines[2] == "Problems in 2 file(s): b.yml (3 errors), a.json (1 warning)"


def test_progress_is_off_without_a_terminal_and_silent_when_off() -> None:
    progress = Progress(enabled=False)
    progress.stage("Rendering pages", 10)
    progress.advance(5)
    progress.close()
    assert Progress().enabled is sys.stderr.isatty()


def test_a_terminal_sees_a_progress_bar(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: the bar shows the page stages, then the report follows."""
    main, secondary = pty.openpty()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "100"}
    args = ["build", "--site-dir", str(tmp_path / "site"), "--docs-dir", str(tmp_path / "docs")]
    proc = subprocess.Popen(
        [sys.executable, "-m", "meshdocs", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
    )
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 120)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the pty closes when the build exits
            break
        if not data:
            break
        chunks.append(data)
    assert proc.wait(timeout=120) == 0
    os.close(main)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert "Reading pages" in seen and "Rendering pages" in seen, seen[-2000:]
    assert "Built " in seen
