"""Reading untyped YAML/JSON values the way every catalog loader does: wrong types read as empty.

A design from a stranger may hold ``null``, a number or a list where a string or a mapping belongs;
the schema check reports it, and the loaders read on with an empty value instead of failing.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any


def text(value: Any) -> str:
    """A string field, stripped; numbers as written, anything else (null, bool, list) as empty."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def string(value: Any) -> str:
    """A string field, stripped; anything else as empty (registry files: a number is not a name)."""
    return value.strip() if isinstance(value, str) else ""


def mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def closest(word: str, choices: list[str]) -> str | None:
    """The choice a typo most likely meant (case-insensitive), for "did you mean" hints."""
    return _closest(word, tuple(choices))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    # Remembered: a catalog names the same missing model in many designs, and difflib over a registry's
    # hundreds of model names is milliseconds per call.
    lowered = {c.lower(): c for c in choices}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def did_you_mean(hint: str | None) -> str:
    return f"; did you mean '{hint}'?" if hint else ""
