"""What Pagefind indexes: each page's article, without its islands, kept beside the published site.

Pagefind reads and parses every page it indexes. A built page is mostly sidebar, header and HTML islands
(field tables, examples, raw schemas), none of which is searchable: at 3,894 pages that was 214 MB of
HTML and 4.5 s of Pagefind on every build, rebuilds of one page included. While a page is rendered its
article is at hand without the islands (they are put back last, see :mod:`meshdocs.islands`); that
article, in a minimal page with the same ``<html lang>`` and ``<title>``, is written to a folder beside
the site at the page's own path, so Pagefind gives it the same URL. The same words, headings and ids
are indexed; the input is 8 MB and Pagefind takes under 1.5 s.

A rebuild renders only changed pages, so the sources of the others must be those of the published site.
A stamp names the published manifest they belong to: it is removed when a build starts writing and
written again once that build is published. A build that finds no matching stamp (a killed build, the
folder deleted, another site) renders every page again, which writes every source: the site and its
index are then those of a full build, byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

from meshdocs.hashing import digest
from meshdocs.writers.docs_dir import remove_stale

SOURCES_PREFIX = ".meshdocs-search-"
STAMP = ".meshdocs-stamp"
INCOMPLETE = ".meshdocs-incomplete"  # a process could not write a source: the folder is not stamped
ARTICLE = '<article class="md-content__inner md-typeset"'  # Material's main element, in every page
INDEXED = ARTICLE + " data-pagefind-body"  # as the MkDocs adapter marks every page Pagefind indexes
_HTML_TAG = re.compile(r"<html\b[^>]*>")
_TITLE = re.compile(r"<title>.*?</title>", re.S)


def sources_dir(site_dir: Path) -> Path:
    """The sources of ``site_dir``, beside it (as the staging folders are)."""
    site_dir = site_dir.absolute()
    return site_dir.with_name(f"{SOURCES_PREFIX}{site_dir.name}")


def page_source(html: str) -> str | None:
    """The searchable part of a rendered page as a page of its own; ``None`` when it is not indexed."""
    start = html.find(INDEXED)
    if start < 0:
        return None
    end = html.find("</article>", start)
    if end < 0:
        return None
    tag = _HTML_TAG.search(html)
    title = _TITLE.search(html)
    return (
        "<!doctype html>\n"
        + (tag.group(0) if tag else "<html>")
        + '<head><meta charset="utf-8">'
        + (title.group(0) if title else "")
        + "</head><body>"
        + html[start : end + len("</article>")]
        + "</body></html>\n"
    )


def write_source(root: Path, dest_uri: str, source: str | None) -> None:
    """Write (or, for a page that is not indexed, remove) one page's source; ``dest_uri`` is MkDocs'.

    A failure marks the folder incomplete rather than failing the build (any process may be writing).
    """
    try:
        _write(root, dest_uri, source)
    except OSError:
        with contextlib.suppress(OSError):
            (root / INCOMPLETE).touch()


def _write(root: Path, dest_uri: str, source: str | None) -> None:
    target = root / dest_uri
    if source is None:
        target.unlink(missing_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(source)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def manifest_stamp(manifest: Path) -> str:
    """What the stamp says: the digest of the published site's manifest file ('' when there is none)."""
    try:
        return digest(manifest.read_bytes())
    except OSError:
        return ""


def begin(root: Path, published_stamp: str) -> bool:
    """Before a build writes sources: whether they are those of the published site (else every page
    must be rendered again). Raises :class:`OSError` when the folder cannot be used at all.

    The stamp goes first, so a build that does not finish leaves the folder marked as unknown.
    """
    stamp = root / STAMP
    try:
        found = stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        found = ""
    root.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    (root / INCOMPLETE).unlink(missing_ok=True)
    return bool(found) and found == published_stamp


def usable(root: Path) -> bool:
    """Every page rendered by this build wrote its source."""
    return root.is_dir() and not (root / INCOMPLETE).exists()


def finish(root: Path, keep: set[str], stamp: str) -> None:
    """After the site is published: drop sources of pages that are gone, then stamp the folder."""
    if (root / INCOMPLETE).exists():
        return
    remove_stale(root, keep)
    (root / STAMP).write_text(stamp + "\n", encoding="ascii")
