"""Making untrusted registry content safe to publish: inline SVG icons are rebuilt from an allowlist."""

from meshdocs.sanitize.svg import SvgRejected, sanitize_svg

__all__ = ["SvgRejected", "sanitize_svg"]
