"""meshdocs: publish Meshery model registries and design catalogs as static MkDocs sites.

The pipeline reads top to bottom: ``loaders`` (sources → typed ``model``), ``renderers`` (model → Markdown,
assets and a nav, one Jinja2 template per page kind), ``writers`` (the filesystem), and ``engine`` (MkDocs).
"""

__version__ = "0.1.0"
