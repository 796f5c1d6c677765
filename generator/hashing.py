"""Content hashes: what decides whether a file, a page or a schema changed between two builds."""

from __future__ import annotations

import hashlib


def digest(data: bytes) -> str:
    """A short, stable content hash (BLAKE2b, 128 bits): equal bytes, equal digest, on every machine."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
