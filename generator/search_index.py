"""The site's search index, built by Pagefind: chunked, so a search downloads only what it needs.

Material's own search loads one index of every page before the first result (megabytes at thousands of
pages). Pagefind (PyPI ``pagefind[bin]``) writes a static, chunked index under ``pagefind/``; the browser
fetches its small entry file, then only the index chunks and page fragments a query touches. Pages are
indexed from their article only (``data-pagefind-body``, added by the MkDocs adapter to every page but
older model versions, which the newest version's pages stand for); HTML islands (field tables, examples,
raw schemas) are left out as they are from Material's index, and so are labels every page repeats (the
facts' terms such as "Namespaced", table headers), which would make a word like "namespace" match every
page and slow its search down. Same input, same bytes (Pagefind's output
is deterministic). Without Pagefind, the site is published with one warning line and no search.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

OUTPUT = "pagefind"
TIMEOUT = 1800.0
EXCLUDE = "[data-search-exclude], .headerlink, .mdx-facts dt, thead"  # islands, permalinks, labels


class SearchIndexError(Exception):
    """Pagefind is missing or failed: the site is published without search."""


def available() -> bool:
    try:
        import pagefind_bin  # type: ignore[import-not-found,import-untyped]  # noqa: F401
    except ImportError:
        return shutil.which("pagefind") is not None
    return True


def build_search_index(site: Path, sources: Path | None = None, into: Path | None = None) -> None:
    """Index the built ``site`` into ``site/pagefind/`` (replacing an index carried over from before).

    ``sources``: a folder with the searchable part of each page at the page's path
    (:mod:`meshdocs.writers.search_sources`), indexed instead of the site's full pages. ``into``: another
    folder to write the index to (a served site swaps it in once it is whole, see :func:`swap_in`).
    """
    if not available():
        raise SearchIndexError(
            "Pagefind is not installed (pip install 'pagefind[bin]'): the site has no search"
        )
    output = into or site / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind"]
    if sources is None and into is None:
        command += ["--site", str(site), "--output-subdir", OUTPUT]
    else:
        command += ["--site", str(sources or site), "--output-path", str(output)]
    command += ["--exclude-selectors", EXCLUDE, "--silent"]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind took longer than {TIMEOUT:.0f} s: the site has no search") from None
    except OSError as exc:
        raise SearchIndexError(f"cannot run Pagefind: {exc}") from None
    if proc.returncode != 0:
        first = (proc.stderr or proc.stdout).strip().splitlines()[:1]
        raise SearchIndexError(f"Pagefind failed: {first[0] if first else f'exit {proc.returncode}'}")


def swap_in(site: Path, index: Path) -> None:
    """Replace ``site/pagefind`` with the finished ``index`` (two renames: a search in between finds the
    old index or the new one, never half of one)."""
    current, old = site / OUTPUT, site / f".{OUTPUT}-old"
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        current.rename(old)
    index.rename(current)
    shutil.rmtree(old, ignore_errors=True)
