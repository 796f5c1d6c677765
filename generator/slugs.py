"""URL-safe names: lowercase ASCII words joined by dashes, never empty, never climbing out."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


def slugify(text: str) -> str:
    """``Azure Kubernetes Service`` → ``azure-kubernetes-service``; ``../../x`` → ``x``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-")
    if not slug:
        slug = "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return slug


class SlugSet:
    """Hands out unique slugs within one folder; a collision gets ``-2``, ``-3`` ... in call order."""

    def __init__(self, reserved: set[str] | None = None) -> None:
        self.taken: set[str] = set(reserved or ())

    def claim(self, text: str) -> tuple[str, bool]:
        """The slug for ``text`` and whether it had to be changed to stay unique."""
        base = slugify(text)
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug, slug != base
