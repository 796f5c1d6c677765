"""What each registry file said last time, by content: a republish parses only the files that changed.

Parsing and checking a registry's JSON files is most of what loading costs (at 615 models: 4,067 files,
84 MB). The cache maps a file's root, path and content digest to its
:class:`~meshdocs.loaders.registry.FileRead`, the part of reading that depends on nothing but that file.
Everything that depends on several files (which copy of a model wins, duplicates, versions, wildcards) is
done again on every build from those reads. An edit, an added, deleted or renamed file, or different
code is a different key (or a different cache): nothing is ever reused on a file's name alone.

The cache lives in the generated docs dir (``.meshdocs-reads.pickle``), which meshdocs writes and owns
like the rest of that folder; it is rewritten only when a read was missing or went unused. Pickle is
read only from there, only with our header and this code's digest; anything else is ignored.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from meshdocs.hashing import digest

CACHE_FILE = ".meshdocs-reads.pickle"
_MAGIC = b"meshdocs-reads 1\n"


class ReadCache:
    """Last build's reads (loaded once) and this build's (what the next build will find)."""

    def __init__(self, code: str, previous: dict[str, Any] | None = None, raw: bytes = b"") -> None:
        self.code = code
        self.previous = previous or {}
        self.current: dict[str, Any] = {}
        self.hits = 0
        self.misses = 0
        self._raw = raw  # the file as read: written back as it was when nothing changed

    @classmethod
    def load(cls, docs_dir: Path, code: str) -> ReadCache:
        """The cache in ``docs_dir`` when it was written by this code; else an empty one."""
        header = _header(code)
        try:
            raw = (docs_dir / CACHE_FILE).read_bytes()
        except OSError:
            return cls(code)
        if not raw.startswith(header):
            return cls(code)
        try:
            previous = pickle.loads(raw[len(header) :])
        except Exception:  # a truncated or foreign file is only a cold cache
            return cls(code)
        return cls(code, previous if isinstance(previous, dict) else {}, raw)

    @staticmethod
    def key(root: Path, path: Path, data: bytes) -> str:
        return f"{root}\0{path}\0{digest(data)}"

    def get(self, key: str) -> Any:
        found = self.previous.get(key)
        if found is not None:
            self.hits += 1
            self.current[key] = found
        return found

    def put(self, key: str, value: Any) -> None:
        self.misses += 1
        self.current[key] = value

    def to_bytes(self) -> bytes:
        """The cache file for the next build: this build's reads only, so deleted files drop out."""
        if self._raw and not self.misses and len(self.current) == len(self.previous):
            return self._raw
        return _header(self.code) + pickle.dumps(self.current, protocol=pickle.HIGHEST_PROTOCOL)


def _header(code: str) -> bytes:
    """What a cache file starts with: our format and the digest of the code that wrote it."""
    return _MAGIC + code.encode("ascii") + b"\n"
