"""Renderers turn the typed model into Markdown, assets and a nav; they never read files."""
