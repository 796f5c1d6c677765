"""Problems found in the input, collected rather than raised.

Registry data and catalog submissions come from strangers: one bad file must not stop a build, and a
contributor wants every problem at once. Loaders report here; the CLI prints and counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How much a problem matters: errors fail ``validate``; warnings fail ``build --strict``."""

    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, which field, what is wrong and what was expected."""

    path: str
    line: int | None
    severity: Severity
    message: str
    field: str = ""

    @property
    def where(self) -> str:
        """``PATH[:LINE]``: where an editor jumps to."""
        return self.path if self.line is None else f"{self.path}:{self.line}"

    @property
    def what(self) -> str:
        """``[field: ]message``: what is wrong, and what was expected."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def format(self) -> str:
        """``PATH[:LINE]: SEVERITY: [field: ]message`` — the line the CLI prints, as compilers do."""
        return f"{self.where}: {self.severity.value}: {self.what}"

    def format_github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        level = {"error": "error", "warning": "warning", "notice": "notice"}[self.severity.value]
        props = f"file={_gh_escape_prop(self.path)}"
        if self.line is not None:
            props += f",line={self.line}"
        return f"::{level} {props}::{_gh_escape_data(self.what)}"


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Everything found during one run, in a stable order for byte-identical output."""

    items: list[Diagnostic] = field(default_factory=list)
    root: Path | None = None

    def add(
        self,
        severity: Severity,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        field: str = "",
    ) -> None:
        self.items.append(Diagnostic(self.display_path(path), line, severity, message, field))

    def error(self, path: Path | str, message: str, *, line: int | None = None, field: str = "") -> None:
        self.add(Severity.ERROR, path, message, line=line, field=field)

    def warning(self, path: Path | str, message: str, *, line: int | None = None, field: str = "") -> None:
        self.add(Severity.WARNING, path, message, line=line, field=field)

    def notice(self, path: Path | str, message: str, *, line: int | None = None, field: str = "") -> None:
        self.add(Severity.NOTICE, path, message, line=line, field=field)

    def display_path(self, path: Path | str) -> str:
        """Paths relative to the working directory when possible: that is what a contributor typed."""
        p = Path(path)
        base = self.root or Path.cwd()
        try:
            return str(p.resolve().relative_to(base.resolve()))
        except (ValueError, OSError):
            return str(p)

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=lambda d: (d.path, d.line or 0, d.field, d.message, d.severity))

    def count(self, severity: Severity) -> int:
        return sum(1 for d in set(self.items) if d.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    def extend(self, other: Report) -> None:
        self.items.extend(other.items)
