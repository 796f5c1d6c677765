"""Where designs and models are pulled from as OCI artifacts, and the key their signatures verify with.

One place for the references every "get it" block prints (model pages, design pages, the catalog's model
cards), so a page and a card never disagree about a tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from meshdocs.model.catalog import CatalogEntry
from meshdocs.model.registry import Model
from meshdocs.renderers.environment import relative_url
from meshdocs.sitemap import SiteMap


@dataclass(frozen=True)
class OciSettings:
    """``oci_repository`` and the published public key (its docs path; "" when signing is not configured)."""

    repository: str = ""
    public_key: str = ""

    @property
    def base(self) -> str:
        return self.repository.rstrip("/")

    def model_ref(self, site: SiteMap, model: Model) -> str:
        """``<repository>/models/<model slug>:<version>``; "" when the site publishes no OCI location."""
        return f"{self.base}/models/{site.model_slug(model)}:{model.version}" if self.base else ""

    def design_ref(self, entry: CatalogEntry) -> str:
        """``<repository>/<design slug>:<version>``; "" when the site publishes no OCI location."""
        return f"{self.base}/{entry.slug}:{entry.meta.version}" if self.base else ""

    def key_href(self, page: str) -> str:
        """The public key's link from ``page``; "" when there is nothing to verify (no key or no location)."""
        return relative_url(self.public_key, page) if self.public_key and self.base else ""
