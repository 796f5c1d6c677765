"""Ordering upstream versions as people mean them: ``v1.25.2`` > ``1.14.2-rc.1`` > ``1.14.0``.

Registry versions are semver-like but not strictly semver (``v`` prefixes, ``2024.3.12``,
``0.0.0-5.c6502f5``); anything unparseable still sorts, after every parseable version.
"""

from __future__ import annotations

import re

WILDCARD = "*"  # a relationship for every version of its model

_SEMVER = re.compile(r"^[vV]?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")

VersionKey = tuple[int, tuple[int, ...], int, tuple[tuple[int, int, str], ...], str]


def version_key(version: str) -> VersionKey:
    """A sort key: release numbers, then a release above its pre-releases, then pre-release identifiers."""
    match = _SEMVER.match(version.strip())
    if not match:
        return (0, (), 0, (), version)
    release = tuple(int(p) for p in match.group(1).split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre = match.group(2)
    if pre is None:
        return (1, release, 1, (), version)
    ids = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (1, release, 0, ids, version)


def version_id(version: str) -> str:
    """The identity of a version: ``v1.16.0`` and ``1.16.0`` are the same release, spelt two ways."""
    text = version.strip()
    if len(text) > 1 and text[0] in "vV" and text[1].isdigit():
        return text[1:]
    return text
