"""Transforms: pure functions from the typed model to views renderers show (no files, no rendering)."""
