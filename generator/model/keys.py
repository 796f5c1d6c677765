"""Security (permission) keys from the keys spreadsheet: Theme → Category → keys, and who holds each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PermissionKey:
    """One key: what it allows (``name``, ``description``), its id and moniker, and the roles holding it."""

    id: str
    name: str
    description: str
    theme: str
    category: str
    moniker: str
    roles: tuple[str, ...]
    line: int


@dataclass
class KeySheet:
    """Every published key of one spreadsheet, with the role columns in the sheet's order."""

    source: Path
    format: str
    roles: tuple[str, ...]
    keys: list[PermissionKey] = field(default_factory=list)
