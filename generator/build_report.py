"""What a build tells its user at the end, and the progress bar it shows on the way.

The report answers the questions a maintainer asks of a slow or noisy build: how many pages of each kind,
what was rendered (incremental or full, and why), which files carry the warnings, and where the time went.
The progress bar is for people at a terminal only: it is off when stderr is not one (CI logs stay clean).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tqdm import tqdm

from meshdocs.diagnostics import Report, Severity

TOP_FILES = 10


@dataclass
class StageClock:
    """Wall time per named stage, in the order the stages ran."""

    seconds: dict[str, float] = field(default_factory=dict)
    _stage: str = ""
    _since: float = 0.0

    def start(self, stage: str) -> None:
        self.stop()
        self._stage, self._since = stage, time.perf_counter()

    def stop(self) -> None:
        if self._stage:
            self.seconds[self._stage] = self.seconds.get(self._stage, 0.0) + time.perf_counter() - self._since
            self._stage = ""

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


@dataclass
class BuildReport:
    pages_by_kind: dict[str, int]
    stages: dict[str, float]
    plan: str
    rendered: int
    seconds: float
    report: Report

    @property
    def pages(self) -> int:
        return sum(self.pages_by_kind.values())

    def problems_per_file(self) -> list[tuple[str, int, int]]:
        """(file, errors, warnings) for every file with a problem, the most troubled first."""
        errors: Counter[str] = Counter()
        warnings: Counter[str] = Counter()
        for item in self.report.items:
            if item.severity is Severity.ERROR:
                errors[self.report.display_path(item.path)] += 1
            elif item.severity is Severity.WARNING:
                warnings[self.report.display_path(item.path)] += 1
        files = set(errors) | set(warnings)
        return sorted(((f, errors[f], warnings[f]) for f in files), key=lambda t: (-(t[1] + t[2]), t[0]))

    def lines(self) -> list[str]:
        out = [f"Rendered {self.rendered:,} of {self.pages:,} pages: {self.plan}"]
        if self.stages:
            out.append("Time: " + " · ".join(f"{name} {s:.1f} s" for name, s in self.stages.items()))
        troubled = self.problems_per_file()
        if troubled:
            shown = ", ".join(
                f"{path} ({_count(e, 'error')}{', ' if e and w else ''}{_count(w, 'warning')})"
                for path, e, w in troubled[:TOP_FILES]
            )
            more = f", and {len(troubled) - TOP_FILES} more" if len(troubled) > TOP_FILES else ""
            out.append(f"Problems in {len(troubled):,} file(s): {shown}{more}")
        return out

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "pages": self.pages,
            "pagesByKind": dict(sorted(self.pages_by_kind.items())),
            "rendered": self.rendered,
            "plan": self.plan,
            "seconds": round(self.seconds, 3),
            "stages": {k: round(v, 3) for k, v in self.stages.items()},
            "errors": self.report.errors,
            "warnings": self.report.warnings,
            "files": [{"path": p, "errors": e, "warnings": w} for p, e, w in self.problems_per_file()],
        }
        return json.dumps(data, indent=1) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}" if n else ""


class Progress:
    """One bar per stage on stderr, or nothing at all when stderr is not a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._bar: tqdm[Any] | None = None

    def stage(self, name: str, total: int) -> None:
        self.close()
        if self.enabled and total:
            columns, rows = _screen()
            self._bar = tqdm(
                total=total, desc=name, unit="page", file=sys.stderr, leave=False, ncols=columns, nrows=rows
            )

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def show(self, done: int) -> None:
        if self._bar is not None and done > self._bar.n:
            self._bar.update(done - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _screen() -> tuple[int | None, int | None]:
    """``(None, None)`` to let tqdm follow the terminal; 80×24 where it reports 0×0 (a fresh pty), on
    which tqdm would otherwise draw nothing at all."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return 80, 24
    return (None if size.columns else 80), (None if size.lines else 24)
