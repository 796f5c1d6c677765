"""Files meshdocs reads at run time, found in the installed package with :mod:`importlib.resources`.

The wheel holds them under ``meshdocs/data/`` in the repository's own layout (``templates/``,
``overrides/``, ``catalog/``, ``content/``, ``mkdocs.yml``; in the repository ``generator/data/`` links to
those top-level folders), so the default ``mkdocs.yml`` works unchanged beside them, and a
``pip install meshdocs`` works in any folder and any MkDocs project. Wheels are installed unzipped, so
each resource is a real folder that Jinja2 and MkDocs can read.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data(name: str) -> Path:
    return Path(str(resources.files("meshdocs.data") / name))


def templates_dir() -> Path:
    """The Jinja2 page templates and the site's own assets (CSS, scripts)."""
    return _data("templates")


def theme_dir() -> Path:
    """Our MkDocs theme folder (windowed sidebar, reproducible sitemap), added in front of Material's."""
    return _data("overrides")


def embedded_registry() -> Path:
    """The model registry meshdocs ships: what a site without a registry of its own publishes."""
    return _data("catalog/models")


def embedded_designs() -> Path:
    return _data("catalog/designs")


def embedded_content() -> Path:
    return _data("content")


def default_config() -> Path:
    """The MkDocs configuration of the embedded default site, used where no mkdocs.yml is found."""
    return _data("mkdocs.yml")


def scaffold_dir() -> Path:
    """What ``meshdocs new`` writes (besides an example design and pages copied from the embedded ones)."""
    return _data("scaffold")
