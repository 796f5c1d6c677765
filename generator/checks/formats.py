"""Format rules more than one check applies: RFC 3339 times and SPDX licence expressions."""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

from license_expression import ExpressionError, get_spdx_licensing

from meshdocs.loaders.values import closest

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def looks_like_rfc3339(text: str) -> bool:
    """Written as an RFC 3339 time (``2026-03-14T09:30:00Z``), whether or not the calendar has it."""
    return bool(_RFC3339.match(text))


def real_time(text: str) -> bool:
    """The pattern admits 2024-02-30T25:61:00Z; the calendar does not."""
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def is_rfc3339(text: str) -> bool:
    return looks_like_rfc3339(text) and real_time(text)


@functools.cache
def _spdx_licensing() -> Any:
    """Built once per process: building the SPDX index and its tokenizer costs half a second."""
    return get_spdx_licensing()


@functools.cache
def license_problem(text: str) -> str | None:
    """What is wrong with an SPDX licence expression (``Apache-2.0``, ``MIT OR Apache-2.0``), if anything."""
    licensing = _spdx_licensing()
    try:
        parsed = licensing.parse(text, validate=True, strict=True)
    except ExpressionError as exc:
        unknown = [k for k in licensing.unknown_license_keys(text)] if "Unknown" in str(exc) else []
        if unknown:
            hint = closest(unknown[0], [s.key for s in licensing.known_symbols.values()])
            return f"'{unknown[0]}' is not an SPDX license identifier" + (
                f"; did you mean '{hint}'?" if hint else ""
            )
        return f"'{text}' is not a valid SPDX license expression (e.g. Apache-2.0, or MIT OR Apache-2.0)"
    if parsed is None:
        return "must not be empty"
    return None
